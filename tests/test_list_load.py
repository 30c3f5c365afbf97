"""Loading the list corpus: exact problems for each bad file, exact counts, idempotence, atomicity."""

from __future__ import annotations

from pathlib import Path

import pytest
from list_fixtures import AS_OF, KNOWN_ORG, LISTS, LOADED_AT, build_graph

from chainkg.errors import Problem
from chainkg.graph.ids import org_id, segment_id
from chainkg.graph.store import GraphStore
from chainkg.loaders.list_load import ListFile, ListLoadError, check_lists, load_lists

GOOD = LISTS / "good"
BAD = LISTS / "bad"
KINDS = ["enterprises", "supplies", "parks", "projects", "platforms", "technologies", "talent",
         "targets", "needs"]  # fmt: skip
ROWS = {"enterprises": 6, "supplies": 4, "parks": 2, "projects": 2, "platforms": 1,
        "technologies": 2, "talent": 2, "targets": 2, "needs": 3}  # fmt: skip
WRITTEN_NODES = {"City": 2, "InvestmentTarget": 2, "Need": 3, "Organization": 5, "Park": 2,
                 "Platform": 1, "Project": 2, "Talent": 2, "Technology": 2}  # fmt: skip
WRITTEN_RELS = {"CONCERNS": 9, "IN_PARK": 3, "IN_SEGMENT": 10, "LISTED_FOR": 14,
                "LOCATED_IN": 9, "OPERATES_IN": 5, "SUPPLIES": 4}  # fmt: skip


@pytest.fixture
def graph(embedded_store: GraphStore) -> GraphStore:
    build_graph(embedded_store)
    return embedded_store


def _load(store: GraphStore, files: list[ListFile], **kw) -> object:
    return load_lists(store, files, as_of=AS_OF, loaded_at=LOADED_AT, **kw)


def _problems(store: GraphStore, kind: str, name: str) -> list[Problem]:
    return check_lists(store, [ListFile(kind, BAD / name)], as_of=AS_OF).problems


def _all(suffix: str) -> list[ListFile]:
    return [ListFile(k, GOOD / f"{k}{suffix}") for k in KINDS]


# ------------------------------------------------------------------ good loads


@pytest.mark.parametrize("suffix", [".xlsx", ".gb18030.csv"])
def test_every_kind_loads_with_exact_counts(graph: GraphStore, suffix: str) -> None:
    report = _load(graph, _all(suffix))
    assert {f.kind: f.rows_loaded for f in report.files} == ROWS
    assert report.rows_read == report.rows_loaded == 24
    assert report.problems == []
    assert report.nodes == WRITTEN_NODES
    assert report.relationships == WRITTEN_RELS
    counts = graph.counts().to_dict()
    assert {k: counts["nodes"][k] for k in WRITTEN_NODES} == {**WRITTEN_NODES, "City": 3}
    assert {k: counts["relationships"][k] for k in WRITTEN_RELS} == WRITTEN_RELS


def test_each_kind_loads_alone_from_xlsx_and_gb18030(graph: GraphStore) -> None:
    _load(graph, [ListFile("enterprises", GOOD / "enterprises.xlsx")])
    for kind in KINDS[1:]:
        for suffix in (".xlsx", ".gb18030.csv"):
            report = _load(graph, [ListFile(kind, GOOD / f"{kind}{suffix}")])
            assert (kind, suffix, report.rows_loaded, report.problems) == (
                kind,
                suffix,
                ROWS[kind],
                [],
            )


def test_loading_again_changes_nothing(graph: GraphStore) -> None:
    _load(graph, _all(".xlsx"))
    before = graph.export()
    report = load_lists(graph, _all(".xlsx"), as_of=AS_OF, loaded_at="2030-01-01T00:00:00+00:00")
    assert report.rows_loaded == 24
    assert graph.export() == before


def test_enterprise_properties_placement_and_provenance(graph: GraphStore) -> None:
    report = _load(graph, [ListFile("enterprises", GOOD / "enterprises.gb18030.csv")])
    assert [str(w) for w in report.warnings] == [
        "enterprises.gb18030.csv, row 3, column '行业代码': 行业代码 2651 matches 2 segments of "
        "尼龙新材料产业链; 河南示例尼龙工程塑料有限公司 is placed in 尼龙工程塑料 by its product "
        "keywords (inferred); fill 环节 to confirm",
        "enterprises.gb18030.csv, row 6, column '环节': 新乡示例传感器有限公司 has no 环节 and no "
        "行业代码: loaded without a segment of 智能传感器产业链; fill 环节 to place it",
    ]
    orgs = {o["name"]: o for o in graph.export().nodes["Organization"]}
    pds = orgs["平顶山示例尼龙科技有限公司"]
    assert {k: pds[k] for k in ("kind", "uscc", "city", "in_province", "revenue", "employees",
                                "leader", "specialized", "listed", "industry_code", "source",
                                "source_ref", "loaded_at", "as_of", "synthetic")} == {
        "kind": "enterprise", "uscc": "91410400MA44TEXT0B", "city": "平顶山市",
        "in_province": True, "revenue": 52000.0, "employees": 860, "leader": True,
        "specialized": False, "listed": False, "industry_code": "C2651",
        "source": "enterprises.gb18030.csv", "source_ref": "第2行", "loaded_at": LOADED_AT,
        "as_of": AS_OF, "synthetic": False,
    }  # fmt: skip
    jiangsu = orgs["江苏示例己二腈有限公司"]
    assert (
        jiangsu["city"],
        jiangsu["county"],
        jiangsu["province"],
        jiangsu["country"],
        jiangsu["in_province"],
    ) == ("南通市", None, "江苏省", "中国", False)
    assert (orgs[KNOWN_ORG]["province"], orgs["平顶山示例尼龙科技有限公司"]["county"]) == (
        "河南省",
        None,
    )
    assert orgs[KNOWN_ORG]["revenue"] == 30000.0  # the graph's organisation, updated
    placed = graph.read(
        "MATCH (o:Organization)-[e:OPERATES_IN]->(s:Segment) "
        "RETURN o.name AS org, s.id AS seg, e.inferred AS inferred, e.source_ref AS ref "
        "ORDER BY org, seg"
    )
    nylon, auto = "尼龙新材料产业链", "整车及零部件产业链"
    assert placed == [
        {"org": "平顶山示例尼龙科技有限公司", "seg": segment_id(nylon, "尼龙6与尼龙66切片"),
         "inferred": False, "ref": "第2行"},
        {"org": "江苏示例己二腈有限公司", "seg": segment_id(nylon, "己二腈与己二胺"),
         "inferred": False, "ref": "第4行"},
        # 2651 is shared by two segments: the name's keywords (工程塑料) choose one (issue 13).
        {"org": "河南示例尼龙工程塑料有限公司", "seg": segment_id(nylon, "尼龙工程塑料"),
         "inferred": True, "ref": "第3行"},
        {"org": "河南示例尼龙工程塑料有限公司", "seg": segment_id(auto, "汽车零部件"),
         "inferred": False, "ref": "第7行"},
        {"org": KNOWN_ORG, "seg": segment_id(auto, "汽车零部件"), "inferred": False,
         "ref": "第5行"},
    ]  # fmt: skip


def test_supplies_name_enterprises_by_name_or_uscc(graph: GraphStore) -> None:
    _load(graph, [ListFile("enterprises", GOOD / "enterprises.xlsx")])
    _load(graph, [ListFile("supplies", GOOD / "supplies.xlsx")])
    rows = graph.read(
        "MATCH (a:Organization)-[e:SUPPLIES]->(b:Organization) RETURN a.name AS a, b.name AS b, "
        "e.product AS product, e.value AS value, e.source_ref AS ref ORDER BY ref"
    )
    assert rows == [
        {"a": "平顶山示例尼龙科技有限公司", "b": "河南示例尼龙工程塑料有限公司",
         "product": "尼龙66切片", "value": 3600.0, "ref": "清单!第2行"},
        {"a": "江苏示例己二腈有限公司", "b": "平顶山示例尼龙科技有限公司", "product": "己二腈",
         "value": 50000.0, "ref": "清单!第3行"},
        {"a": "河南示例尼龙工程塑料有限公司", "b": KNOWN_ORG, "product": "尼龙工程塑料件",
         "value": 1200.0, "ref": "清单!第4行"},
        {"a": "平顶山示例尼龙科技有限公司", "b": "河南示例尼龙工程塑料有限公司",
         "product": "尼龙6切片", "value": None, "ref": "清单!第5行"},
    ]  # fmt: skip


def test_list_entries_link_chain_segments_places_and_organisations(graph: GraphStore) -> None:
    _load(graph, _all(".gb18030.csv"))
    project = graph.read(
        "MATCH (p:Project {name: '年产10万吨尼龙66切片项目'}) "
        "OPTIONAL MATCH (p)-[c:CONCERNS]->(o:Organization) "
        "OPTIONAL MATCH (p)-[:IN_PARK]->(k:Park) OPTIONAL MATCH (p)-[:LOCATED_IN]->(t:City) "
        "RETURN p.id AS id, p.investment AS inv, p.start_year AS year, o.id AS org, "
        "c.role AS role, k.name AS park, t.name AS city"
    )
    assert project == [{
        "id": "project:尼龙新材料产业链/年产10万吨尼龙66切片项目", "inv": 150000.0, "year": 2023,
        "org": org_id("平顶山示例尼龙科技有限公司"), "role": "owner",
        "park": "平顶山高新技术产业开发区", "city": "平顶山市",
    }]  # fmt: skip
    needs = graph.read(
        "MATCH (n:Need) RETURN n.id AS id, n.kind AS kind, n.amount AS amount, n.unit AS unit "
        "ORDER BY id"
    )
    assert needs == [
        {"id": "need:environment/整车及零部件产业链/河南示例汽车零部件有限公司/排污指标",
         "kind": "environment", "amount": 50.0, "unit": "吨/年"},
        {"id": "need:financing/尼龙新材料产业链/平顶山示例尼龙科技有限公司/扩产流动资金贷款",
         "kind": "financing", "amount": 5000.0, "unit": "万元"},
        {"id": "need:land/尼龙新材料产业链/平顶山示例尼龙科技有限公司/二期项目用地",
         "kind": "land", "amount": 200.0, "unit": "亩"},
    ]  # fmt: skip
    chokes = graph.read(
        "MATCH (t:Technology) RETURN t.name AS name, t.choke AS choke ORDER BY name"
    )
    assert chokes == [{"name": "己二腈连续化生产技术", "choke": True},
                      {"name": "车规级MCU芯片", "choke": True}]  # fmt: skip


# ------------------------------------------------------------------ bad files

BAD_FILES = {
    ("enterprises", "enterprises_revenue_words.csv"): [
        (2, "营业收入(万元)", "营业收入 must be a number in 万元, got '很多'"),
    ],
    ("enterprises", "enterprises_wrong_types.csv"): [
        (2, "从业人数", "从业人数 must be a whole number, got '很多人'"),
        (2, "龙头", "龙头 must be 是 or 否 (also Y/N, true/false, 1/0, √), got '可能'"),
    ],
    ("enterprises", "enterprises_uscc_check.csv"): [
        (2, "统一社会信用代码", "统一社会信用代码 '91410400MA44TEXT0C' has check character 'C', "
         "but the first 17 characters give 'B'; check the code for a mistyped character"),
    ],
    ("enterprises", "enterprises_uscc_letter.csv"): [
        (2, "统一社会信用代码", "统一社会信用代码 '91410400MA44TEXTOB' contains 'O'; only 0-9 and "
         "the letters A-H J-N P Q R T U W X Y are used (I, O, S, V, Z never occur)"),
    ],
    ("enterprises", "enterprises_unknown_chain.csv"): [
        (2, "产业链*", "unknown 产业链 '尼龙材料产业链'; closest: 尼龙新材料产业链, 智能传感器产业链"),
    ],
    ("enterprises", "enterprises_unknown_segment.csv"): [
        (2, "环节", "unknown 环节 '尼龙切片' of 尼龙新材料产业链; closest: 尼龙6与尼龙66切片, "
         "尼龙工程塑料"),
    ],
    ("enterprises", "enterprises_no_segments.csv"): [
        (2, "环节", "环节 'MEMS传感器': the graph has no segments for 智能传感器产业链 yet; load "
         "the chain templates first: chainkg load templates"),
    ],
    ("enterprises", "enterprises_duplicate.csv"): [
        (3, None, "duplicate of row 2 (same 名称 and 产业链)"),
    ],
    ("enterprises", "enterprises_city.csv"): [
        (2, "地市", "地市 '郑洲市' is not a place in the 行政区划代码 table (closest: 郑州市、新郑市): "
         "write the 省辖市 (焦作市), the county, county-level city or district (孟州市), a zone "
         "with its city in front (郑州高新技术产业开发区), or, outside Henan, the province "
         "(江苏省) or country (德国); for an enterprise outside Henan also write 省外 in 省内/省外"),
    ],
    ("enterprises", "enterprises_missing_chain.csv"): [
        (1, "产业链", "required column 产业链 (chain) is missing; the header row has: "
         "统一社会信用代码, 名称*, 地市, 园区, 环节, 行业代码, 营业收入(万元), 从业人数, 龙头, "
         "专精特新, 上市, 省内/省外"),
    ],
    ("enterprises", "enterprises_header_only.csv"): [
        (1, None, "the file has a header but no data rows"),
    ],
    ("enterprises", "empty.csv"): [
        (None, None, "the file is empty: no header row and no data rows"),
    ],
    ("supplies", "supplies_unknown.csv"): [
        (2, "需方", "需方 '河南示例汽车零部件公司' is neither in the graph nor in the enterprise "
         "lists loaded with this file; closest: 河南示例汽车零部件有限公司; add it to an enterprise "
         "list (企业清单) first, or load both files together"),
        (3, "需方", "供方 and 需方 are the same organisation"),
        (4, "年供货额(万元)", "年供货额 must be a number in 万元, got '很多'"),
        (4, "供方", "统一社会信用代码 '91410100MA44ABCD1E' has check character 'E', but the "
         "first 17 characters give 'F'; check the code for a mistyped character"),
    ],
    ("needs", "needs_kind.csv"): [
        (2, "类型", "类型 must be 融资, 用地 or 环保, got '贷款'"),
    ],
}  # fmt: skip


@pytest.mark.parametrize(("kind", "name"), list(BAD_FILES), ids=[n for _, n in BAD_FILES])
def test_bad_file_problems_are_exact(graph: GraphStore, kind: str, name: str) -> None:
    # supplies_unknown names 平顶山示例… (not in the graph): load the enterprises first.
    if kind == "supplies":
        _load(graph, [ListFile("enterprises", GOOD / "enterprises.xlsx")])
    expected = [
        Problem(name, message, row, column) for row, column, message in BAD_FILES[(kind, name)]
    ]
    assert _problems(graph, kind, name) == expected


def test_workbook_problems_name_the_sheet(graph: GraphStore) -> None:
    assert _problems(graph, "enterprises", "enterprises_flag.xlsx") == [
        Problem("enterprises_flag.xlsx (sheet 企业)",
                "龙头 must be 是 or 否 (also Y/N, true/false, 1/0, √), got 'maybe'", 2, "龙头"),
    ]  # fmt: skip


def test_supplies_naming_enterprises_not_loaded_fail(graph: GraphStore) -> None:
    problems = check_lists(graph, [ListFile("supplies", GOOD / "supplies.xlsx")]).problems
    assert [(p.row, p.column) for p in problems] == [
        (2, "供方"), (2, "需方"), (3, "供方"), (3, "需方"), (4, "供方"), (5, "供方"), (5, "需方"),
    ]  # fmt: skip
    # Loaded together with the enterprise list, they are found.
    files = [ListFile("supplies", GOOD / "supplies.xlsx"),
             ListFile("enterprises", GOOD / "enterprises.xlsx")]  # fmt: skip
    assert check_lists(graph, files).problems == []


def test_a_failed_load_writes_nothing(graph: GraphStore) -> None:
    before = graph.export()
    files = [*_all(".xlsx"), ListFile("enterprises", BAD / "enterprises_revenue_words.csv")]
    with pytest.raises(ListLoadError) as err:
        _load(graph, files)
    assert err.value.problems == [
        Problem("enterprises_revenue_words.csv", "营业收入 must be a number in 万元, got '很多'",
                2, "营业收入(万元)"),
    ]  # fmt: skip
    assert err.value.report.written is False
    assert err.value.report.rows_loaded == 0
    assert graph.export() == before


def test_skip_invalid_loads_the_good_rows_and_reports_the_rest(graph: GraphStore) -> None:
    report = _load(graph, [ListFile("projects", BAD / "projects_mixed.csv")], skip_invalid=True)
    assert (report.rows_read, report.rows_loaded, report.rows_skipped) == (2, 1, 1)
    assert report.problems == [
        Problem("projects_mixed.csv", "总投资 must be a number in 万元, got '八千万'", 3,
                "总投资(万元)"),
    ]  # fmt: skip
    names = graph.read("MATCH (p:Project) RETURN p.name AS name")
    assert names == [{"name": "年产10万吨尼龙66切片项目"}]


def test_unknown_kind_lists_the_kinds(graph: GraphStore) -> None:
    with pytest.raises(Exception) as err:
        check_lists(graph, [ListFile("企业名单", GOOD / "enterprises.xlsx")])
    assert str(err.value).startswith(
        "企业名单: unknown list kind '企业名单'; known kinds: "
        "enterprises (企业清单), supplies (供应关系), "
    )


def test_an_empty_graph_asks_for_the_roster(embedded_store: GraphStore) -> None:
    problems = check_lists(embedded_store, [ListFile("parks", GOOD / "parks.xlsx")]).problems
    assert problems[0] == Problem(
        "parks.xlsx (sheet 清单)",
        "产业链 '尼龙新材料产业链' is not in the graph, which has no chains yet; load the roster "
        "first: chainkg load roster",
        2,
        "产业链",
    )


def test_both_stores_load_the_same_graph(store: GraphStore, tmp_path: Path) -> None:
    build_graph(store)
    _load(store, _all(".xlsx"))
    from conftest import make_test_store

    reference = make_test_store("embedded", tmp_path / "reference")
    try:
        build_graph(reference)
        _load(reference, _all(".xlsx"))
        mine, theirs = store.export(), reference.export()
        # the audit trail records when each load ran: the rest must be equal
        assert len(mine.nodes.pop("AuditEntry")) == len(theirs.nodes.pop("AuditEntry")) == 17
        assert mine == theirs
    finally:
        reference.close()
