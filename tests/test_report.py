"""The 蓝皮书 as Word: opened with python-docx, its headings, tables and numbers checked
against the evaluation queries, on both stores; charts drawn with a Chinese font."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import make_test_store
from docx import Document
from eval_fixtures import BING, HOSTILE, JIA, YI, build_eval_graph

from chainkg.errors import ConfigError
from chainkg.graph.store import GraphStore
from chainkg.queries.evaluation import evaluate
from chainkg.viz import fonts
from chainkg.viz.report import make_report, write_report
from chainkg.viz.report_content import build_report, fmt_score, fmt_value

TODAY = dt.date(2025, 3, 1)


def _tables(doc) -> dict[str, list[list[str]]]:
    """Tables by the caption paragraph just before them."""
    out: dict[str, list[list[str]]] = {}
    body = doc.element.body
    caption = None
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
            if text:
                caption = text
        elif tag == "tbl":
            rows = []
            for tr in child.iter():
                if tr.tag.endswith("}tr"):
                    rows.append(
                        [
                            "".join(t.text or "" for t in tc.iter() if t.tag.endswith("}t"))
                            for tc in tr
                            if tc.tag.endswith("}tc")
                        ]
                    )
            out[caption or ""] = rows
    return out


@pytest.fixture(scope="module", params=["embedded", "neo4j"])
def docx_path(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, dict]]:
    """The fixture's report written once per store (drawing the charts takes a while)."""
    folder = tmp_path_factory.mktemp(f"report-{request.param}")
    store = make_test_store(request.param, folder)
    try:
        build_eval_graph(store)
        report = make_report(store, 2024, today=TODAY)
        [path] = write_report(report, folder / "蓝皮书.docx")
        yield path, evaluate(store, 2024)
    finally:
        store.close()


def test_the_docx_has_cover_contents_and_a_section_per_cluster_and_chain(
    docx_path: tuple[Path, dict],
) -> None:
    path, _ev = docx_path
    doc = Document(str(path))
    headings = [
        (p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")
    ]
    level1 = [t for s, t in headings if s == "Heading 1"]
    assert level1 == [
        "一、全省概况",
        "二、重大集群评价",
        "三、重点产业链评价",
        "附录 评价方法与数据来源",
    ]
    level2 = [t for s, t in headings if s == "Heading 2"]
    assert level2 == [
        "（一）装备制造",
        "（二）新材料",
        f"（一）{JIA}",
        f"（二）{YI}",
        f"（三）{BING}",
    ]
    level3 = [t for s, t in headings if s == "Heading 3"]
    assert level3[:6] == [
        "1. 双长制分工",
        "2. 产业链图谱",
        "3. 评价指标与年度变化",
        "4. 短板弱项",
        "5. 问题台账",
        "6. 发展建议",
    ]
    assert len(level3) == 18
    texts = [p.text for p in doc.paragraphs]
    assert texts[6] == "河南省先进制造业集群重点产业链发展报告蓝皮书（2024年度）"
    assert "生成日期：2025-03-01" in texts
    assert "示例数据" not in "".join(texts)  # real data: no synthetic mark
    toc = [el.text for el in doc.element.body.iter() if el.tag.endswith("}instrText")]
    assert toc == ['TOC \\o "1-2" \\h \\z \\u']
    assert len(doc.inline_shapes) == 8  # 2 rankings; per chain its map and its dimensions


def test_the_docx_tables_carry_the_evaluation_numbers(docx_path: tuple[Path, dict]) -> None:
    path, ev = docx_path
    tables = _tables(Document(str(path)))
    chains = {e["chain"]: e for e in ev["chains"]}
    ranking = tables["表2 2024年度重点产业链综合评价排名"]
    assert ranking[0] == [
        "排名",
        "产业链",
        "所属集群",
        "综合得分",
        "覆盖率",
        "上年得分",
        "上年排名",
    ]
    assert ranking[1] == [
        "1",
        JIA,
        "装备制造",
        fmt_score(chains[JIA]["score"]),
        f"{chains[JIA]['coverage']:.0%}",
        fmt_score(chains[JIA]["previous"]["score"]),
        "1",
    ]
    assert [r[1] for r in ranking[1:]] == [JIA, YI, BING]  # unranked: by score, missing last
    assert ranking[3][:4] == ["—", BING, "新材料", "0.0"]  # 5% coverage: not ranked
    jia = {r[1]: r for r in tables[f"{JIA}评价指标"]}
    assert jia["省内企业数"][3:6] == ["4", "3", "+1"]
    assert jia["营业收入"][3:6] == ["2,200,000.0", "2,150,000.0", "+50,000.0"]
    assert jia["营业收入增长率"][3] == "2.3"
    assert jia["项目投产率"][3:6] == ["50.0", "100.0", "-50.0"]
    assert jia["省级创新平台"][3:6] == ["1", "0", "+1"]
    assert jia["上年短板弱项已消除"][3:6] == ["0", "缺失", "—"]
    assert jia["龙头企业"][6] == fmt_score(chains[JIA]["indicators"]["leaders"]["score"])
    yi = {r[1]: r for r in tables[f"{YI}评价指标"]}
    assert yi["国家级创新平台"][3] == "缺失（无该清单数据）"
    province = {r[0]: r for r in tables["表1 2024年度全省主要指标"]}
    assert province["省内企业数"][2:] == ["5", "4", "+1"]
    assert province["营业收入"][2] == fmt_value(2_280_000.0, "万元") == "2,280,000.0"
    roster = dict(tuple(r) for r in tables[f"{JIA}双长制分工"])
    assert roster["群链长"] == "周一（副省长）"
    assert roster["群链长责任单位"] == "省工业和信息化厅"
    weak = tables[f"{BING}短板弱项"]
    assert weak[1][:4] == ["丙一", "中游", "缺链", "0"]
    problems = tables[f"{JIA}问题台账（2024年度，前3件）"]
    assert [r[:3] for r in problems[1:]] == [
        ["问题1", "—", "已反馈"],
        ["问题2", "—", "办理中"],
        ["问题3", "—", "办结"],
    ]
    assert problems[1][3:] == ["2024-03-04", "2024-03-20", "满意"]
    assert jia["问题解决率"][3:6] == ["66.7", "缺失", "—"]
    cluster = {r[1]: r for r in tables["装备制造集群指标"]}
    assert cluster["省内企业数"][3:6] == ["5", "4", "+1"]


def test_recommendations_name_the_candidates_as_text(docx_path: tuple[Path, dict]) -> None:
    path, _ev = docx_path
    texts = [p.text for p in Document(str(path)).paragraphs]
    assert f"丙一：招引落地，填补缺链；可对接{HOSTILE}等省外企业。" in texts


def test_synthetic_data_is_marked_on_the_cover_and_every_chart(embedded_store: GraphStore) -> None:
    build_eval_graph(embedded_store)
    from chainkg.queries.report_data import report_data

    data = report_data(embedded_store, 2024)
    data["evaluation"]["synthetic"] = True
    marks: list[bool] = []

    def spy(fn, *args):
        marks.append(True)
        return fn(*args, synthetic=True)

    report = build_report(data, "2025-03-01", chart_fn=spy)
    assert len(marks) == 8
    cover = report.blocks[0]
    assert cover.synthetic is True  # type: ignore[union-attr]


def test_charts_need_a_chinese_font_and_say_how_to_get_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fonts.cjk_font.cache_clear()
    monkeypatch.setenv(fonts.ENV, str(tmp_path / "none.ttc"))
    try:
        with pytest.raises(ConfigError, match="is not a font file") as info:
            fonts.cjk_font()
        assert "fonts-noto-cjk" in (info.value.hint or "")
    finally:
        fonts.cjk_font.cache_clear()
    monkeypatch.delenv(fonts.ENV)
    assert "CJK" in fonts.cjk_font().name
