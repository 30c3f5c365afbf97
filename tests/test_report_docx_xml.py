"""The Word tables built as XML text (``report_docx.table_xml``): escaped, editable, sized."""

from __future__ import annotations

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from chainkg.viz.report_content import Table
from chainkg.viz.report_docx import column_widths, table_xml

HOSTILE = "<script>alert(1)</script>&amp; ]]>"


def test_cells_keep_hostile_text_as_text_and_the_header_repeats() -> None:
    t = Table("表", ("环节", "原因"), (("甲上", HOSTILE), ("=SUM(A1)", "")), "k")
    tbl = parse_xml(table_xml(t, [4.0, 12.6]))
    rows = tbl.findall(qn("w:tr"))
    texts = [
        ["".join(x.text or "" for x in tc.iter(qn("w:t"))) for tc in r.findall(qn("w:tc"))]
        for r in rows
    ]
    assert texts == [["环节", "原因"], ["甲上", HOSTILE], ["=SUM(A1)", ""]]
    assert rows[0].find(qn("w:trPr")).find(qn("w:tblHeader")).get(qn("w:val")) == "true"
    assert [c.get(qn("w:w")) for c in tbl.find(qn("w:tblGrid"))] == ["2268", "7144"]
    assert tbl.find(qn("w:tblPr")).find(qn("w:tblStyle")).get(qn("w:val")) == "TableGrid"
    bold = [r.find(qn("w:tc")).find(".//" + qn("w:b")) is not None for r in rows]
    assert bold == [True, False, False]


def test_the_table_opens_as_an_editable_python_docx_table() -> None:
    doc = Document()
    after = doc.add_paragraph()
    t = Table("表", ("指标", "本年"), (("省内企业数", "1,234"),), "k")
    after._p.addprevious(parse_xml(table_xml(t, [8.0, 8.6])))
    [table] = doc.tables
    assert [[c.text for c in r.cells] for r in table.rows] == [
        ["指标", "本年"],
        ["省内企业数", "1,234"],
    ]
    table.cell(1, 1).text = "1,235"  # a department edits it
    assert table.cell(1, 1).text == "1,235"
    assert table.style.name == "Table Grid"


def test_a_narrow_column_keeps_room_for_three_characters() -> None:
    t = Table("表", ("指标", "单位"), (("营业收入增长率指标名称很长", "万元"),), "k")
    assert column_widths(t, 16.0) == [13.0, 3.0]  # weights 13 and 3 (not 2)
