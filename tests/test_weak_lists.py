"""The list columns issue 13 reads: 供应关系 环节 (product-level demand), 企业清单 主营产品 and 产能."""

from __future__ import annotations

from pathlib import Path

import pytest
from list_fixtures import AS_OF, LOADED_AT, NYLON, build_graph

from chainkg.graph.ids import org_id, segment_id
from chainkg.graph.store import GraphStore
from chainkg.loaders.list_load import ListFile, ListLoadError, load_lists
from chainkg.loaders.list_rows import SegmentInfo, narrow_by_keywords, segment_keywords

ENTERPRISES = """名称,地市,产业链,行业代码,主营产品,营业收入(万元),产能(万元)
平顶山甲尼龙工程塑料有限公司,平顶山市,尼龙新材料产业链,C2651,,1000,800
平顶山乙新材料有限公司,平顶山市,尼龙新材料产业链,2651,尼龙66切片,2000,
平顶山丙化工有限公司,平顶山市,尼龙新材料产业链,2651,,3000,
"""
SUPPLIES = """供方,需方,产品,年供货额(万元),产业链,环节
平顶山乙新材料有限公司,平顶山甲尼龙工程塑料有限公司,尼龙66切片,100,尼龙新材料产业链,尼龙6与尼龙66切片
平顶山丙化工有限公司,平顶山甲尼龙工程塑料有限公司,己二胺,50,,
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _load(store: GraphStore, files: list[ListFile]) -> object:
    return load_lists(store, files, as_of=AS_OF, loaded_at=LOADED_AT)


@pytest.fixture
def graph(store: GraphStore) -> GraphStore:
    build_graph(store)
    return store


def test_keywords_narrow_a_shared_industry_code() -> None:
    a = SegmentInfo("a", "尼龙6与尼龙66切片", ("2651",))
    b = SegmentInfo("b", "尼龙工程塑料", ("2651",), "改性尼龙与工程塑料件")
    assert segment_keywords(a) == {"尼龙6", "尼龙66切片"}
    assert segment_keywords(b) == {"尼龙工程塑料", "改性尼龙", "工程塑料件"}
    assert narrow_by_keywords([a, b], "某尼龙66切片厂") == [a]
    assert narrow_by_keywords([a, b], "某工程塑料件公司") == [b]
    assert narrow_by_keywords([a, b], "某化工有限公司") == [a, b]  # no signal: still ambiguous
    assert narrow_by_keywords([a], "某化工") == [a]


def test_supply_segment_column_and_keyword_placement(graph: GraphStore, tmp_path: Path) -> None:
    report = _load(
        graph,
        [
            ListFile("enterprises", _write(tmp_path, "e.csv", ENTERPRISES)),
            ListFile("supplies", _write(tmp_path, "s.csv", SUPPLIES)),
        ],
    )
    placed = graph.read(
        "MATCH (o:Organization)-[r:OPERATES_IN]->(s:Segment) WHERE o.name STARTS WITH '平顶山' "
        "RETURN o.name AS org, s.name AS segment, r.inferred AS inferred ORDER BY org, segment"
    )
    assert placed == [
        # No keyword: placed in both segments 2651 fits, inferred, and the warning says so.
        {"org": "平顶山丙化工有限公司", "segment": "尼龙6与尼龙66切片", "inferred": True},
        {"org": "平顶山丙化工有限公司", "segment": "尼龙工程塑料", "inferred": True},
        # 主营产品 尼龙66切片 picks one of the two; the supply list's 环节 names the same
        # segment (one OPERATES_IN per pair: the enterprise list's placement stands).
        {"org": "平顶山乙新材料有限公司", "segment": "尼龙6与尼龙66切片", "inferred": True},
        # The name says 尼龙工程塑料.
        {"org": "平顶山甲尼龙工程塑料有限公司", "segment": "尼龙工程塑料", "inferred": True},
    ]
    warnings = [p.message for p in report.warnings]  # type: ignore[attr-defined]
    assert any("placed in 尼龙工程塑料 by its product keywords" in w for w in warnings)
    assert any("matches several segments" in w and "平顶山丙化工有限公司" in w for w in warnings)
    edges = graph.read(
        "MATCH (a:Organization)-[e:SUPPLIES]->(:Organization) WHERE a.name STARTS WITH '平顶山' "
        "RETURN a.name AS supplier, e.segment AS segment ORDER BY supplier"
    )
    assert edges == [
        {"supplier": "平顶山丙化工有限公司", "segment": None},
        {"supplier": "平顶山乙新材料有限公司", "segment": segment_id(NYLON, "尼龙6与尼龙66切片")},
    ]
    cap = graph.read(
        "MATCH (o:Organization {id: $id}) RETURN o.capacity AS c",
        {"id": org_id("平顶山甲尼龙工程塑料有限公司")},
    )
    assert cap == [{"c": 800.0}]


def test_supply_segment_needs_its_chain(graph: GraphStore, tmp_path: Path) -> None:
    bad = SUPPLIES.replace(",尼龙新材料产业链,尼龙6与尼龙66切片", ",,尼龙6与尼龙66切片")
    with pytest.raises(ListLoadError) as err:
        _load(
            graph,
            [
                ListFile("enterprises", _write(tmp_path, "e.csv", ENTERPRISES)),
                ListFile("supplies", _write(tmp_path, "s.csv", bad)),
            ],
        )
    assert [(p.row, p.column, p.message) for p in err.value.problems] == [
        (2, "产业链", "环节 needs 产业链: fill the chain of that segment")
    ]
