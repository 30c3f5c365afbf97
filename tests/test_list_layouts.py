"""Lists laid out as 厅局 send them: title rows, merged two-row headers, units, hidden sheets.

Every workbook is built here with openpyxl (merged ranges and hidden sheets as
Excel writes them) and read back with the real reader; loads run on both stores.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from list_fixtures import AS_OF, KNOWN_ORG, LOADED_AT, NYLON, build_graph
from openpyxl import Workbook

from chainkg.errors import InputError, Problem
from chainkg.graph.ids import org_id
from chainkg.graph.store import GraphStore
from chainkg.loaders.list_formats import ENTERPRISES, SUPPLIES
from chainkg.loaders.list_load import ListFile, ListLoadError, check_lists, load_lists
from chainkg.loaders.list_reader import read_table

TITLE = "2024年尼龙新材料产业链重点企业清单"
A = "平顶山示例尼龙科技有限公司"
B = "河南示例尼龙工程塑料有限公司"
C = "焦作示例新材料有限公司"


def _office_sheet(path: Path, *, hidden_first: bool = True) -> Path:
    """An enterprise list as a 厅 sends it.

    A hidden first sheet (填报说明), then the data sheet: a merged title, a 单位 line,
    a blank row, a two-row header (经营情况 over 营业收入（亿元） and 从业人数（人）),
    a 序号 column, a section heading, three enterprises, a 合计 row and a 备注 line.
    """
    book = Workbook()
    notes = book.active
    notes.title = "填报说明"
    notes.append(["名称", "产业链"])  # looks like a header, but the sheet is hidden
    notes.append(["不应读取", NYLON])
    if hidden_first:
        notes.sheet_state = "hidden"
    ws = book.create_sheet("企业清单")
    ws.append([TITLE])
    ws.merge_cells("A1:H1")
    ws.append(["填报单位：平顶山市工业和信息化局", None, None, None, None, "金额单位：万元"])
    ws.append([])
    ws.append(["序号", "企业名称", "所在地", "产业链", "环节", "经营情况", None, "龙头企业"])
    ws.append([None, None, None, None, None, "营业收入（亿元）", "从业人数（人）", None])
    for col in "ABCDEH":
        ws.merge_cells(f"{col}4:{col}5")
    ws.merge_cells("F4:G4")
    ws.append(["一、上游"])
    ws.merge_cells("A6:H6")
    ws.append([1, f" {A} ", "平顶山市", NYLON, "尼龙6与尼龙66切片", 5.2, 860, "是"])
    ws.append(
        [2, "河南示例尼龙工程塑料有限公司", "孟州市", None, "尼龙工程塑料", "1.2亿", "1,200", "否"]
    )
    ws.append(
        [
            3,
            "焦作示例新材料\u200b有限公司",
            "郑州高新技术产业开发区",
            None,
            "尼龙工程塑料",
            "３５００万",
            95,
            "否",
        ]
    )
    ws.merge_cells("D7:D9")  # one 产业链 cell for the three rows
    ws.append(["合计", None, None, None, None, 6.75, 2155, None])
    ws.append(["备注：营业收入为2024年数据。"])
    ws.append(["填表人：张三"])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def test_a_department_sheet_is_read_as_its_table(tmp_path: Path) -> None:
    table = read_table(_office_sheet(tmp_path / "企业.xlsx"), fmt=ENTERPRISES)
    assert table.sheet == "企业清单"
    assert table.header_row == 4
    assert table.header == ["", "企业名称", "所在地", "产业链", "环节", "营业收入（亿元）",
                            "从业人数（人）", "龙头企业"]  # fmt: skip
    assert table.unit == "万元"
    assert [n for n, _ in table.rows] == [7, 8, 9]
    assert [cells[3] for _, cells in table.rows] == [NYLON] * 3  # the merged 产业链, filled down
    assert table.rows[0][1][0] is None  # 序号 is not data
    assert table.detected == [
        "sheet 企业清单; skipped sheets: 填报说明 (hidden)",
        f"header on row 4; rows 1-2 above it skipped (title {TITLE!r})",
        "单位：万元 above the header applies to amounts without a unit",
        "two-row header on rows 4-5, joined: 序号, 企业名称, 所在地, 产业链, 环节, "
        "营业收入（亿元）, 从业人数（人）, 龙头企业",
        "序号 column ignored",
        "merged cells filled down: 产业链 D7:D9",
        "section headings skipped: rows 6",
        "合计/小计 rows skipped: 10",
        "footer (备注/说明) skipped: rows 11-12",
    ]


def test_the_sheet_and_header_row_can_be_named(tmp_path: Path) -> None:
    path = _office_sheet(tmp_path / "企业.xlsx")
    hidden = read_table(path, "填报说明", ENTERPRISES)
    assert hidden.detected[0] == "sheet 填报说明 is hidden; read because --sheet named it"
    assert hidden.rows == [(2, ["不应读取", NYLON])]
    table = read_table(path, "企业清单", ENTERPRISES, header_row=4)
    assert table.header_row == 4 and [n for n, _ in table.rows] == [7, 8, 9]
    with pytest.raises(InputError) as err:
        read_table(path, "企业清单", ENTERPRISES, header_row=2)
    assert err.value.problems == [
        Problem("企业.xlsx (sheet 企业清单)", "row 2 is not a header row of this list", 2)
    ]


def test_a_visible_first_sheet_without_a_header_is_passed_over(tmp_path: Path) -> None:
    book = Workbook()
    cover = book.active
    cover.title = "封面"
    cover.append(["平顶山市产业链清单汇编"])
    data = book.create_sheet("第二页")
    data.append(["名称", "产业链"])
    data.append([A, NYLON])
    book.save(tmp_path / "两页.xlsx")
    table = read_table(tmp_path / "两页.xlsx", fmt=ENTERPRISES)
    assert (table.sheet, table.rows) == ("第二页", [(2, [A, NYLON])])
    assert table.detected[0] == "sheet 第二页; skipped sheets: 封面 (no header)"


def test_no_header_anywhere_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("平顶山市清单\n甲,乙\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_table(path, fmt=ENTERPRISES)
    assert err.value.problems == [
        Problem(
            "x.csv",
            "no header row of a 企业清单 in the first 30 rows: no row names columns such as "
            "名称、产业链",
        )
    ]
    assert err.value.hint == (
        "run `chainkg template KIND` for the headers; if the header is further down, give its "
        "row with --header-row N"
    )


def test_a_gb18030_csv_with_a_title_and_units(tmp_path: Path) -> None:
    text = (
        f"{TITLE}\r\n\r\n序号,名称,地市,产业链,营业收入（千元）,从业人数（万人）\r\n"
        f'1,{A},平顶山,{NYLON},"52,000",0.086\r\n合计,,,,52000,0.086\r\n'
    )
    path = tmp_path / "企业.csv"
    path.write_bytes(text.encode("gb18030"))
    table = read_table(path, fmt=ENTERPRISES)
    assert (table.encoding, table.header_row, [n for n, _ in table.rows]) == ("gb18030", 3, [4])
    assert table.detected == [
        f"header on row 3; rows 1 above it skipped (title {TITLE!r})",
        "序号 column ignored",
        "合计/小计 rows skipped: 5",
    ]


@pytest.fixture
def nylon(store: GraphStore) -> GraphStore:
    build_graph(store)
    return store


def test_the_department_sheet_loads_converted_and_placed(nylon: GraphStore, tmp_path: Path) -> None:
    path = _office_sheet(tmp_path / "企业.xlsx")
    report = load_lists(nylon, [ListFile("enterprises", path)], as_of=AS_OF, loaded_at=LOADED_AT)
    assert report.problems == []
    assert (report.rows_read, report.rows_loaded) == (3, 3)
    assert report.files[0].detected[-2:] == [
        "营业收入（亿元）: 亿元 converted to 万元 (x10000)",
        "2 text cells normalised (spaces, full-width characters, brackets, zero-width or "
        "control characters)",
    ]
    rows = nylon.read(
        "MATCH (o:Organization) WHERE o.id IN $ids RETURN o.name AS name, o.revenue AS revenue, "
        "o.employees AS employees, o.city AS city, o.county AS county, o.province AS province, "
        "o.country AS country, o.in_province AS in_province, o.source_ref AS ref ORDER BY ref",
        {"ids": [org_id(n) for n in (A, B, C)]},
    )
    assert rows == [
        {"name": A, "revenue": 52000.0, "employees": 860, "city": "平顶山市", "county": None,
         "province": "河南省", "country": "中国", "in_province": True, "ref": "企业清单!第7行"},
        {"name": B, "revenue": 12000.0, "employees": 1200, "city": "焦作市", "county": "孟州市",
         "province": "河南省", "country": "中国", "in_province": True, "ref": "企业清单!第8行"},
        {"name": C, "revenue": 3500.0, "employees": 95, "city": "郑州市", "county": None,
         "province": "河南省", "country": "中国", "in_province": True, "ref": "企业清单!第9行"},
    ]  # fmt: skip
    cities = nylon.read(
        "MATCH (o:Organization)-[:LOCATED_IN]->(c:City) WHERE o.id IN $ids "
        "RETURN o.name AS org, c.name AS city ORDER BY city",
        {"ids": [org_id(n) for n in (A, B, C)]},
    )
    assert sorted((r["org"], r["city"]) for r in cities) == sorted(
        [(A, "平顶山市"), (B, "焦作市"), (C, "郑州市")]
    )
    before = nylon.export()
    load_lists(nylon, [ListFile("enterprises", path)], as_of=AS_OF, loaded_at="2030-01-01")
    assert nylon.export() == before


def test_a_merged_number_is_refused_and_a_merged_supplier_filled(
    nylon: GraphStore, tmp_path: Path
) -> None:
    book = Workbook()
    ws = book.active
    ws.title = "供应"
    ws.append(["供方", "需方", "产品", "年供货额（万元）"])
    ws.append([KNOWN_ORG, A, "尼龙66切片", 3600])
    ws.append([None, B, "尼龙66切片", None])
    ws.merge_cells("A2:A3")  # one supplier for two customers: filled down
    ws.merge_cells("D2:D3")  # one amount for two rows: cannot be split, refused
    book.save(tmp_path / "供应.xlsx")
    table = read_table(tmp_path / "供应.xlsx", fmt=SUPPLIES)
    assert [cells[0] for _, cells in table.rows] == [KNOWN_ORG, KNOWN_ORG]
    message = (
        "cell D2:D3 is merged over rows 2-3; 年供货额（万元） cannot be shared by several rows: "
        "unmerge it and write the value on each row"
    )
    with pytest.raises(ListLoadError) as err:
        load_lists(
            nylon,
            [
                ListFile("supplies", tmp_path / "供应.xlsx"),
                ListFile("enterprises", _ents(tmp_path)),
            ],
            as_of=AS_OF,
        )
    assert err.value.problems == [
        Problem("供应.xlsx (sheet 供应)", message, 2, "年供货额（万元）"),
        Problem("供应.xlsx (sheet 供应)", message, 3, "年供货额（万元）"),
    ]
    assert nylon.read("MATCH ()-[s:SUPPLIES]->() RETURN count(s) AS n") == [{"n": 0}]


def _ents(tmp_path: Path) -> Path:
    path = tmp_path / "ents.csv"
    path.write_text(f"名称,产业链,地市\n{A},{NYLON},平顶山市\n{B},{NYLON},孟州市\n", "utf-8")
    return path


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("约5000", "营业收入 must be one number in 亿元 (such as 1,200 or 1.2亿), got '约5000': "
         "ranges, 约/左右 and several numbers are not read"),
        ("100-200", "营业收入 must be one number in 亿元 (such as 1,200 or 1.2亿), got "
         "'100-200': ranges, 约/左右 and several numbers are not read"),
        ("1,2345", "营业收入 must be one number in 亿元 (such as 1,200 or 1.2亿), got '1,2345': "
         "ranges, 约/左右 and several numbers are not read"),
        ("5美元", "营业收入: unit '美元' is not one of 元、千元、万元、百万元、千万元、亿元, got "
         "'5美元'"),
    ],
)  # fmt: skip
def test_ambiguous_amounts_are_refused_with_the_cell(
    embedded_store: GraphStore, tmp_path: Path, cell: str, message: str
) -> None:
    build_graph(embedded_store)
    path = tmp_path / "e.csv"
    path.write_text(f'名称,产业链,营业收入（亿元）\n{A},{NYLON},"{cell}"\n', encoding="utf-8")
    problems = check_lists(embedded_store, [ListFile("enterprises", path)]).problems
    assert problems == [Problem("e.csv", message, 2, "营业收入（亿元）")]


def test_an_unknown_header_unit_is_refused(embedded_store: GraphStore, tmp_path: Path) -> None:
    build_graph(embedded_store)
    path = tmp_path / "e.csv"
    path.write_text(f"名称,产业链,营业收入（美元）\n{A},{NYLON},5\n", encoding="utf-8")
    problems = check_lists(embedded_store, [ListFile("enterprises", path)]).problems
    assert problems == [
        Problem(
            "e.csv",
            "营业收入（美元）: 营业收入 is kept in 万元; the header's unit '美元' is not one of "
            "元、千元、万元、百万元、千万元、亿元: convert the column or correct the header",
            1,
            "营业收入（美元）",
        )
    ]


def test_names_are_cleaned_and_control_characters_and_limits_refused(
    embedded_store: GraphStore, tmp_path: Path
) -> None:
    build_graph(embedded_store)
    path = tmp_path / "e.csv"
    rows = [
        "名称,产业链,环节",
        f'"{A[:3]}\t{A[3:]} ",{NYLON},',  # a tab inside: the same enterprise as row 3
        f"{A},{NYLON},",
        f"坏\x00名称有限公司,{NYLON},",
        f"{'长' * 201},{NYLON},",
        f'乙公司,{NYLON},"{"环" * 10_001}"',
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    problems = check_lists(embedded_store, [ListFile("enterprises", path)]).problems
    assert problems == [
        Problem("e.csv", "duplicate of row 2 (same 名称 and 产业链)", 3),
        Problem("e.csv", "名称 contains the control character U+0000 (control character); "
                "delete it", 4, "名称"),
        Problem("e.csv", "名称 has 201 characters; a name has at most 200: is it a description "
                "in the name column?", 5, "名称"),
        Problem("e.csv", "环节 has 10,001 characters; a cell holds at most 10,000: shorten it",
                6, "环节"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("place", "city", "county", "province", "country", "in_province"),
    [
        ("孟州市", "焦作市", "孟州市", "河南省", "中国", True),
        ("洛阳市栾川县", "洛阳市", "栾川县", "河南省", "中国", True),
        ("河南省郑州市管城回族区", "郑州市", "管城回族区", "河南省", "中国", True),
        ("郑州高新技术产业开发区", "郑州市", None, "河南省", "中国", True),
        ("济源", "济源示范区", None, "河南省", "中国", True),
        ("江苏省苏州市", "苏州市", None, "江苏省", "中国", False),
        ("德国", None, None, None, "德国", False),
    ],
)
def test_places_resolve_to_the_city_and_keep_the_county(
    embedded_store: GraphStore,
    tmp_path: Path,
    place: str,
    city: str | None,
    county: str | None,
    province: str | None,
    country: str,
    in_province: bool,
) -> None:
    build_graph(embedded_store)
    path = tmp_path / "e.csv"
    path.write_text(f"名称,产业链,地市\n{A},{NYLON},{place}\n", encoding="utf-8")
    load_lists(embedded_store, [ListFile("enterprises", path)], as_of=AS_OF)
    row = embedded_store.read(
        "MATCH (o:Organization {id: $id}) RETURN o.city AS city, o.county AS county, "
        "o.province AS province, o.country AS country, o.in_province AS in_province",
        {"id": org_id(A)},
    )
    assert row == [
        {"city": city, "county": county, "province": province, "country": country,
         "in_province": in_province}
    ]  # fmt: skip


def test_ambiguous_and_contradicting_places_are_refused(
    embedded_store: GraphStore, tmp_path: Path
) -> None:
    build_graph(embedded_store)
    path = tmp_path / "e.csv"
    path.write_text(
        f"名称,产业链,地市,省内/省外\n{A},{NYLON},鼓楼区,\n{B},{NYLON},孟州市,省外\n",
        encoding="utf-8",
    )
    problems = check_lists(embedded_store, [ListFile("enterprises", path)]).problems
    assert problems == [
        Problem(
            "e.csv",
            "地市 '鼓楼区' is ambiguous: it may be 江苏省南京市鼓楼区、江苏省徐州市鼓楼区、"
            "河南省开封市鼓楼区、福建省福州市鼓楼区; write the city or province in front; for an "
            "enterprise outside Henan also write 省外 in 省内/省外",
            2,
            "地市",
        ),
        Problem("e.csv", "省外, but 地市 '孟州市' is 河南省焦作市孟州市 in Henan", 3, "省内/省外"),
    ]


def test_probable_duplicates_are_reported_with_both_rows(nylon: GraphStore, tmp_path: Path) -> None:
    with nylon.transaction() as tx:
        tx.upsert_nodes(
            "Organization",
            [{"id": org_id("宇通客车股份有限公司"), "name": "宇通客车股份有限公司",
              "kind": "enterprise", "source": "roster", "source_ref": "x", "loaded_at": LOADED_AT,
              "as_of": AS_OF, "synthetic": False}],
        )  # fmt: skip
    path = tmp_path / "e.csv"
    path.write_text(
        "名称,产业链\n郑州宇通客车股份有限公司,整车及零部件产业链\n"
        f"许继集团有限公司,{NYLON}\n许继电气股份有限公司,{NYLON}\n"
        f"平顶山示例尼龙科技有限公司,{NYLON}\n示例尼龙科技有限公司,{NYLON}\n",
        encoding="utf-8",
    )
    report = load_lists(nylon, [ListFile("enterprises", path)], as_of=AS_OF)
    fix = "if they are one organisation, write one name (or the 统一社会信用代码) in both places"
    suspected = [w for w in report.warnings if w.column == "名称"]
    assert suspected == [
        Problem("e.csv", "probable duplicate: '郑州宇通客车股份有限公司' and '宇通客车股份有限公司' "
                f"(known already) differ only by the place prefix '郑州'; {fix}", 2, "名称"),
        Problem("e.csv", "probable duplicate: '示例尼龙科技有限公司' and '平顶山示例尼龙科技有限公司' "
                f"(row 5) differ only by a place prefix; {fix}", 6, "名称"),
        Problem("e.csv", "hint: '许继电气股份有限公司' may belong to '许继集团有限公司' (row 3); "
                "they are kept as two organisations", 4, "名称"),
    ]  # fmt: skip
    assert report.files[0].detected[-1] == (
        "3 probable duplicate organisations suspected (see warnings)"
    )
    # both spellings stay separate organisations: a warning never merges
    names = nylon.read(
        "MATCH (o:Organization) WHERE o.name CONTAINS '宇通' RETURN o.name AS name ORDER BY name"
    )
    assert names == [{"name": "宇通客车股份有限公司"}, {"name": "郑州宇通客车股份有限公司"}]
