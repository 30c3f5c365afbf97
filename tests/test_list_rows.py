"""Pure cell parsing and placement rules of the list loaders."""

from __future__ import annotations

import pytest

from chainkg.loaders.list_formats import ENTERPRISES, normalize_header
from chainkg.loaders.list_rows import (
    CellError,
    ChainInfo,
    SegmentInfo,
    henan_city,
    parse_cell,
    segments_for_code,
)

REVENUE = ENTERPRISES.column("revenue")
LEADER = ENTERPRISES.column("leader")
PROVINCE = ENTERPRISES.column("in_province")
CODE = ENTERPRISES.column("industry_code")


@pytest.mark.parametrize("text", ["是", "Y", "y", "true", "TRUE", "1", "√", 1.0, True])
def test_yes_flags(text: object) -> None:
    assert parse_cell(text, LEADER) is True


@pytest.mark.parametrize("text", ["否", "N", "false", "0", "×", 0, False])
def test_no_flags(text: object) -> None:
    assert parse_cell(text, LEADER) is False


def test_numbers_accept_commas_and_the_unit() -> None:
    assert parse_cell("1,234.5", REVENUE) == 1234.5
    assert parse_cell("5000万元", REVENUE) == 5000.0
    assert parse_cell(52000, REVENUE) == 52000.0
    with pytest.raises(CellError, match=r"^营业收入 must be a number ≥ 0 in 万元, got '-5'$"):
        parse_cell("-5", REVENUE)


def test_province_and_industry_code() -> None:
    assert (parse_cell("省内", PROVINCE), parse_cell("省外", PROVINCE)) == (True, False)
    assert parse_cell(" c3841 ", CODE) == "C3841"
    with pytest.raises(CellError, match="GB/T 4754-2017"):
        parse_cell("汽车", CODE)


@pytest.mark.parametrize(
    ("text", "city"),
    [("郑州", "郑州市"), ("河南省洛阳市", "洛阳市"), ("济源", "济源示范区"), ("济源市", "济源示范区"),
     ("苏州市", None)],
)  # fmt: skip
def test_henan_cities(text: str, city: str | None) -> None:
    assert henan_city(text) == city


def test_codes_match_at_either_precision() -> None:
    chain = ChainInfo("chain:x", "x", {
        "a": SegmentInfo("s:a", "a", ("C384",)),
        "b": SegmentInfo("s:b", "b", ("3841", "3842")),
        "c": SegmentInfo("s:c", "c", ("2651",)),
    })  # fmt: skip
    assert [s.id for s in segments_for_code(chain, "C3841")] == ["s:a", "s:b"]
    assert [s.id for s in segments_for_code(chain, "384")] == ["s:a", "s:b"]
    assert [s.id for s in segments_for_code(chain, "3843")] == ["s:a"]
    assert segments_for_code(chain, "1234") == []


def test_headers_ignore_marks_units_and_case() -> None:
    assert normalize_header(" 营业收入（万元）* ") == "营业收入"
    assert normalize_header("Revenue") == "revenue"
