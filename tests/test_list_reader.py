"""Reading list files: encodings, comment lines, workbook sheets, templates."""

from __future__ import annotations

from pathlib import Path

import pytest
from list_fixtures import LISTS

from chainkg.errors import InputError, Problem
from chainkg.loaders.list_formats import ENTERPRISES, FORMATS, SUPPLIES
from chainkg.loaders.list_reader import detect_encoding, read_table, write_template

GOOD = LISTS / "good"
FIRST_ROW = [
    "91410400MA44TEXT0B", "平顶山示例尼龙科技有限公司", "平顶山市", "平顶山高新技术产业开发区",
    "尼龙新材料产业链", "尼龙6与尼龙66切片", "C2651", "52000", "860", "是", "否", "N", "省内",
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("enterprises.utf8.csv", "utf-8"),
        ("enterprises.utf8bom.csv", "utf-8"),
        ("enterprises.gb18030.csv", "gb18030"),
    ],
)
def test_csv_encodings_read_the_same_cells(name: str, encoding: str) -> None:
    table = read_table(GOOD / name)
    assert table.encoding == encoding
    assert table.header[:2] == ["统一社会信用代码", "名称*"]
    assert table.header_row == 1
    assert [n for n, _ in table.rows] == [2, 3, 4, 5, 6, 7]
    assert table.rows[0][1] == FIRST_ROW
    assert table.ref(3) == "第3行"


def test_gbk_bytes_are_read_as_gb18030() -> None:
    data = "名称,产业链\r\n郑州示例有限公司,尼龙新材料产业链\r\n".encode("gbk")
    assert detect_encoding(data) == "gb18030"
    # 𠀀 exists in GB18030 only (four-byte sequence), not in GBK
    assert detect_encoding("企业𠀀,甲\r\n".encode("gb18030")) == "gb18030"


def test_comment_and_blank_lines_are_skipped_but_counted() -> None:
    table = read_table(GOOD / "enterprises.english.csv")
    assert table.header_row == 2
    assert table.header[:3] == ["uscc", "name", "city"]
    assert [n for n, _ in table.rows] == [3]


def test_workbook_numbers_and_sheets() -> None:
    table = read_table(GOOD / "enterprises.xlsx")
    assert table.file == "enterprises.xlsx (sheet 清单)"
    assert table.source == "enterprises.xlsx"
    assert table.ref(2) == "清单!第2行"
    assert table.rows[0][1][6:9] == ["C2651", 52000, 860]
    example = read_table(GOOD / "enterprises.xlsx", "示例")
    assert example.rows[0][1][0] == "示例"
    with pytest.raises(InputError) as err:
        read_table(GOOD / "enterprises.xlsx", "企业")
    assert err.value.problems == [
        Problem("enterprises.xlsx", "the workbook has no sheet '企业'; it has: 清单, 示例")
    ]


def test_empty_and_missing_files() -> None:
    with pytest.raises(InputError) as err:
        read_table(LISTS / "bad" / "empty.csv")
    assert err.value.problems == [
        Problem("empty.csv", "the file is empty: no header row and no data rows")
    ]
    with pytest.raises(InputError) as err:
        read_table(LISTS / "bad" / "nope.csv")
    assert err.value.problems[0].message.startswith("no such file: ")


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.kind)
def test_templates_have_headers_and_an_example(fmt, tmp_path: Path) -> None:
    headers = [c.template_header for c in fmt.columns]
    write_template(fmt, tmp_path / "t.xlsx")
    data = read_table(tmp_path / "t.xlsx")
    assert data.header == headers
    assert data.rows == []
    example = read_table(tmp_path / "t.xlsx", "示例")
    assert [str(v) for v in example.rows[0][1]] == [c.example for c in fmt.columns]
    write_template(fmt, tmp_path / "t.csv")
    csv_table = read_table(tmp_path / "t.csv")
    assert csv_table.encoding == "utf-8"
    assert csv_table.header == headers
    assert csv_table.rows == []  # the example is a comment line


def test_template_headers_mark_required_columns_and_units() -> None:
    assert [c.template_header for c in SUPPLIES.columns] == [
        "供方*",
        "需方*",
        "产品",
        "年供货额(万元)",
        "产业链",
        "环节",
    ]
    assert ENTERPRISES.column("revenue").template_header == "营业收入(万元)"


def test_docs_describe_every_column() -> None:
    docs = (Path(__file__).parent.parent / "docs" / "lists.md").read_text(encoding="utf-8")
    for fmt in FORMATS:
        assert f"### {fmt.title} — `{fmt.kind}`" in docs
        for col in fmt.columns:
            assert f"| {col.header} | {', '.join([col.key, *col.aliases])} |" in docs
