"""The demo's second year through reissued list versions: year over year with changed values.

On both stores: the demo, then its reissued lists (``loaders.demo_versions``) loaded through
the normal versioned list loader. The evaluation of 2024 must move by exactly what the two
versions of each list say (compared with the demo alone), name the findings closed and new,
the new 龙头 and the projects completed; the Word report must print the same numbers.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from docx import Document
from test_report import _tables

from chainkg.graph.store import GraphStore
from chainkg.loaders.chain_templates import load_templates
from chainkg.loaders.demo_data import generate_demo
from chainkg.loaders.demo_load import load_demo
from chainkg.loaders.demo_versions import load_demo_versions, plan_versions
from chainkg.loaders.roster_load import load_roster
from chainkg.loaders.template_load import load_chain_templates
from chainkg.queries.evaluation import evaluate
from chainkg.queries.report_data import report_data
from chainkg.viz.report import write_report
from chainkg.viz.report_content import build_report, fmt_change, fmt_value

SCALE = 2_000
CLOSED, OPENED = "农机装备产业链", "起重机械产业链"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x03\x00\x08\xfc\x02\xfe\xa7\x9a\xa0"
    b"\xa0\x00\x00\x00\x00IEND\xaeB`\x82"
)
# What the two versions add to the demo, per chain and indicator: (2024, 2023).
DELTA = {
    CLOSED: {
        "enterprises": (4, 1),
        "revenue": (52000 + 48000 + 45000 + 66000, 60000),
        "leaders": (1, 0),
        "projects": (4, 3),
        "investment": (120000 + 85000 + 30000 + 50000, 120000 + 80000 + 30000),
    },
    OPENED: {
        "enterprises": (3, 3),
        "revenue": (44000 + 38000 + 36000, 40000 + 38000 + 36000),
        "leaders": (1, 1),
        "projects": (4, 3),
        "investment": (120000 + 85000 + 30000 + 50000, 120000 + 80000 + 30000),
    },
}


def test_the_plan_picks_two_thin_segments_of_two_chains() -> None:
    manifest = generate_demo(load_templates(), scale=SCALE).manifest
    segments = {t.chain: [s.name for s in t.segments] for t in load_templates()}
    plans = plan_versions(manifest, segments)
    assert [(p.chain, p.role, p.thin_segment) for p in plans] == [
        (CLOSED, "closed", "拖拉机"),
        (OPENED, "opened", "钢材与型材"),
    ]
    # in year one the opened segment has three firms, in year two none of the list's
    [before, now] = [
        plans[1].rows[("enterprises", d)] for d in sorted({k[1] for k in plans[1].rows})
    ]
    assert [r["环节"] for r in before] == ["钢材与型材"] * 3
    assert [r["环节"] for r in now] == [plans[1].other_segment] * 3


def _chain(ev: dict, name: str) -> dict:
    return next(e for e in ev["chains"] if e["chain"] == name)


@pytest.mark.slow
def test_reissued_lists_give_the_year_over_year_changes(store: GraphStore, tmp_path: Path) -> None:
    load_roster(store)
    load_chain_templates(store)
    manifest = load_demo(store, scale=SCALE).manifest
    demo_only = evaluate(store, 2024)
    assert demo_only["province"]["changes"] == {
        "findings_closed": 0,
        "findings_new": 0,
        "new_leaders": 0,
        "projects_completed": 0,
    }
    load_demo_versions(store, manifest)
    load_demo_versions(store, manifest)  # twice: the same versions, replaced
    data = report_data(store, 2024)
    ev = data["evaluation"]
    assert ev["previous_year"] == 2023

    # indicator values move by exactly what the versions list (the queries, both years)
    for chain, deltas in DELTA.items():
        base, now = _chain(demo_only, chain)["indicators"], _chain(ev, chain)["indicators"]
        for key, (d24, d23) in deltas.items():
            assert now[key]["value"] == pytest.approx(base[key]["value"] + d24), (chain, key)
            assert now[key]["previous"] == pytest.approx(base[key]["previous"] + d23), (chain, key)
    closed, opened = _chain(ev, CLOSED), _chain(ev, OPENED)
    # 2 of the 4 version projects done in 2024, none in 2023
    assert closed["indicators"]["findings_closed"]["value"] == 1.0
    assert opened["indicators"]["findings_closed"]["value"] == 0.0
    assert closed["changes"] == {
        "previous_year": 2023,
        "findings_closed": [
            {
                "segment": "拖拉机",
                "segment_id": "segment:农机装备产业链/拖拉机",
                "status_before": "weak",
                "status": "ok",
            }
        ],
        "findings_new": [],
        "new_leaders": [
            {
                "id": "org:洛阳农机装备版本示例1号有限公司（示例）",
                "name": "洛阳农机装备版本示例1号有限公司（示例）",
            }
        ],
        "projects_completed": [
            {
                "id": f"project:{CLOSED}/洛阳农机装备版本示例项目{n}（示例）",
                "name": f"洛阳农机装备版本示例项目{n}（示例）",
            }
            for n in (1, 2)
        ],
    }
    assert opened["changes"]["findings_new"] == [
        {
            "segment": "钢材与型材",
            "segment_id": "segment:起重机械产业链/钢材与型材",
            "status_before": None,
            "status": "weak",
        }
    ]
    assert (opened["changes"]["findings_closed"], opened["changes"]["new_leaders"]) == ([], [])
    assert ev["province"]["changes"] == {
        "findings_closed": 1,
        "findings_new": 1,
        "new_leaders": 1,
        "projects_completed": 4,
    }
    cluster = next(c for c in ev["clusters"] if CLOSED in c["chains"])
    assert cluster["changes"]["findings_closed"] == 1

    # the Word report prints the same numbers
    report = build_report(data, "2025-03-01", chart_fn=lambda *_a: PNG)
    [path] = write_report(report, tmp_path / "蓝皮书.docx")
    doc = Document(str(path))
    tables = _tables(doc)
    changes = {r[0]: r for r in tables["表3 2024年度与2023年相比的主要变化"]}
    assert changes[CLOSED] == [CLOSED, "1", "0", "1", "2"]
    assert changes[OPENED] == [OPENED, "0", "1", "0", "2"]
    texts = [p.text for p in doc.paragraphs]
    assert (
        "与2023年末相比，全省上年短板弱项已消除1个、新增1个，新增龙头企业1家，本年投产项目4个。"
        in texts
    )
    assert (
        "与2023年末相比：上年短板弱项已消除1个（拖拉机），本年新增0个（无）；"
        "新增龙头企业1家（洛阳农机装备版本示例1号有限公司（示例））；"
        "本年投产项目2个（洛阳农机装备版本示例项目1（示例）、洛阳农机装备版本示例项目2（示例））。"
    ) in texts
    for chain in (CLOSED, OPENED):
        rows = {r[1]: r for r in tables[f"{chain}评价指标"]}
        ind = _chain(ev, chain)["indicators"]
        for key, name, unit in (
            ("enterprises", "省内企业数", "家"),
            ("revenue", "营业收入", "万元"),
            ("investment", "项目总投资", "万元"),
            ("projects", "重点项目", "个"),
        ):
            assert rows[name][3:6] == [
                fmt_value(ind[key]["value"], unit),
                fmt_value(ind[key]["previous"], unit),
                fmt_change(ind[key]["change"], unit),
            ], (chain, name)
        assert rows["上年短板弱项已消除"][3] == ("1" if chain == CLOSED else "0")
    weak_closed = {r[0]: r for r in tables[f"{CLOSED}短板弱项"]}
    assert weak_closed["拖拉机"][2:3] + weak_closed["拖拉机"][5:] == ["正常", "已消除（上年弱链）"]
    weak_opened = {r[0]: r for r in tables[f"{OPENED}短板弱项"]}
    assert weak_opened["钢材与型材"][2] == "弱链" and weak_opened["钢材与型材"][5] == "本年新增"
    assert dt.date.fromisoformat(ev["as_of"]) == dt.date(2024, 12, 31)
