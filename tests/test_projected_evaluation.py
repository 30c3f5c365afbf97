"""The evaluation's enterprise queries from the read projection equal the Cypher answers.

queries/projected_evaluation.py answers eval_enterprises and eval_outside_customers from a
projection; here every row is compared with the store's answer on both stores: on the
hand-worked evaluation fixture (exact values) and on a small demo with two list years, at
both year ends and on an as-of copy. Revenue sums to 1e-9 relative (summation order).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from eval_fixtures import EXPECTED, JIA, Y23, Y24, YI, build_eval_graph
from test_projected_findings import same

from chainkg.graph.catalog import query
from chainkg.graph.projection import Projection, build_projection
from chainkg.graph.store import GraphStore
from chainkg.graph.versions import graph_as_of, versions_in_force
from chainkg.loaders.demo_load import load_demo
from chainkg.loaders.list_load import ListFile, load_lists
from chainkg.loaders.roster_load import load_roster
from chainkg.loaders.template_load import load_chain_templates
from chainkg.queries import year_cache
from chainkg.queries.chains import list_chains
from chainkg.queries.evaluation import evaluate
from chainkg.queries.projected_evaluation import PROJECTED_EVALUATION

CHAIN = "电力装备产业链"
HEADER = "名称,产业链,环节,地市,营业收入(万元),龙头"


def _compare(store: GraphStore, p: Projection, as_of: dt.date) -> dict[str, list[dict]]:
    """Every projected query against the store's answer, for all chains and for two."""
    names = [c.name for c in list_chains(store)]
    out = {}
    for name, fn in PROJECTED_EVALUATION.items():
        for chains in (names, names[1:3]):
            params = {"chains": chains, "as_of": as_of}
            want = store.read(query(name), params)
            same(fn(p, params), want, name)
        out[name] = fn(p, {"chains": names, "as_of": as_of})
    return out


def test_projected_eval_queries_equal_the_cypher_on_the_hand_worked_graph(
    store: GraphStore,
) -> None:
    build_eval_graph(store)
    p = build_projection(store)
    for as_of, k in ((Y24, 0), (Y23, 1)):
        got = _compare(store, p, as_of)
        rows = {r["chain"]: r for r in got["eval_enterprises"]}
        assert set(rows) == {JIA, YI}  # 丙's only firm is out of the province: no row
        for chain in (JIA, YI):
            assert rows[chain]["enterprises"] == EXPECTED[chain]["enterprises"][k]
            assert rows[chain]["revenue"] == EXPECTED[chain]["revenue"][k]
            assert rows[chain]["leaders"] == EXPECTED[chain]["leaders"][k]
            assert rows[chain]["band_10bn"] == EXPECTED[chain]["revenue_10bn"][k]
            assert rows[chain]["band_1bn"] == EXPECTED[chain]["revenue_1bn"][k]
        # 甲四公司 gives no revenue and no 上市 flag: not known, not counted as 0
        known = (3, 3) if k == 0 else (2, 2)
        assert (rows[JIA]["revenue_known"], rows[JIA]["listed_known"]) == known
        customers = {r["chain"]: r for r in got["eval_outside_customers"]}
        assert customers[JIA]["customers"] == EXPECTED[JIA]["outside_customers"][k]
    # the whole evaluation from the projection equals the one from Cypher
    same(evaluate(store, 2024, projection=p), evaluate(store, 2024), "evaluation")


@pytest.mark.slow
def test_projected_eval_queries_equal_the_cypher_on_the_demo_and_an_as_of_copy(
    store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_roster(store)
    load_chain_templates(store)
    load_demo(store, scale=600)
    a, b = "许继示例电气有限公司", "平高示例开关有限公司"
    lists = {
        dt.date(2024, 12, 31): (
            f"{a},{CHAIN},变压器与电抗器,许昌市,80000,是\n{b},{CHAIN},电线电缆,平顶山市,30000,否"
        ),
        dt.date(2025, 12, 31): f"{a},{CHAIN},变压器与电抗器,许昌市,90000,是",
    }
    for year, rows in lists.items():
        path = tmp_path / f"{year.year}.csv"
        path.write_text(f"{HEADER}\n{rows}\n", encoding="utf-8")
        load_lists(store, [ListFile("enterprises", path)], as_of=year)
    p = build_projection(store)
    counted = 0
    for as_of in (Y23, Y24, dt.date(2025, 12, 31)):
        got = _compare(store, p, as_of)
        assert len(got["eval_enterprises"]) == len(got["eval_outside_customers"]) == 30
        counted += sum(r["enterprises"] for r in got["eval_enterprises"])
    assert counted > 600  # real answers compared, not empty ones
    with graph_as_of(store, dt.date(2024, 12, 31)) as then:
        assert then is not store
        past = build_projection(then, versions=versions_in_force(store, Y24).fingerprint)
        old = _compare(then, past, dt.date(2024, 12, 31))
    new = _compare(store, p, dt.date(2024, 12, 31))
    # the whole evaluation of 2025 (2024 from an as-of copy, read into a projection of its
    # own when the live graph is read by projection) equals the one by Cypher; nothing kept
    monkeypatch.setattr(year_cache, "reading_key", lambda *_a, **_k: None)
    same(
        evaluate(store, 2025, with_findings=True, projection=p),
        evaluate(store, 2025, with_findings=True),
        "evaluation",
    )
    chain_old = {r["chain"]: r for r in old["eval_enterprises"]}[CHAIN]
    chain_new = {r["chain"]: r for r in new["eval_enterprises"]}[CHAIN]
    # as of the end of 2024, the live graph holds a's 2025 listing (dated 2025: not counted)
    # and not b; the 2024 copy holds both, dated 2024: two more enterprises
    assert chain_old["enterprises"] == chain_new["enterprises"] + 2
