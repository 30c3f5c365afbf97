"""The pure pieces the list-load speed work (issue 12, item 8) added or rewrote: each must
give exactly what the slower code gave. No database."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chainkg.errors import Problem, SchemaError
from chainkg.graph.diff import diff_entries
from chainkg.graph.ids import clean_name
from chainkg.graph.versions import decode_snapshot, encode_snapshot
from chainkg.loaders.list_formats import ENTERPRISES
from chainkg.loaders.list_reader import Table
from chainkg.loaders.list_rows import (
    ChainInfo,
    Context,
    SegmentInfo,
    _place_outcome,
    shape_table,
)
from chainkg.loaders.places import Place, _divisions, strip_place_prefix

# ---------------------------------------------------------------- clean_name


def test_clean_name_removes_exactly_what_regex_whitespace_matches() -> None:
    regex = re.compile(r"\s+")
    for code in range(sys.maxunicode + 1):
        text = f"宇通{chr(code)}客车"
        assert clean_name(text) == regex.sub("", text), hex(code)


def test_clean_name_examples() -> None:
    assert clean_name(" 宇通\u3000客车\u00a0股份\n有限公司\t") == "宇通客车股份有限公司"
    assert clean_name("宇通\u200b客车") == "宇通\u200b客车"  # zero-width space is not whitespace


# ---------------------------------------------------------------- strip_place_prefix


def _longest_first(name: str) -> tuple[str, str]:
    """The algorithm strip_place_prefix had before: every length tried, longest first."""
    by_name, longest = _divisions()
    pos = 0
    while True:
        for end in range(min(len(name) - 4, pos + longest), pos + 1, -1):
            if name[pos:end] in by_name:
                pos = end
                break
        else:
            return name[:pos], name[pos:]


def test_strip_place_prefix_examples() -> None:
    assert strip_place_prefix("郑州宇通客车股份有限公司") == ("郑州", "宇通客车股份有限公司")
    assert strip_place_prefix("河南省郑州市宇通客车股份有限公司") == (
        "河南省郑州市",
        "宇通客车股份有限公司",
    )
    assert strip_place_prefix("宇通客车股份有限公司") == ("", "宇通客车股份有限公司")
    assert strip_place_prefix("洛阳市栾川县钼业有限公司") == ("洛阳市栾川县", "钼业有限公司")
    assert strip_place_prefix("郑州市公司") == ("", "郑州市公司")  # four characters must remain


_DIVISION_NAMES = sorted(_divisions()[0])


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(_DIVISION_NAMES), max_size=3),
    st.sampled_from(["宇通客车股份有限公司", "有限公司", "集团", "", "县城建设有限公司", "ab"]),
    st.integers(min_value=0, max_value=6),
)
def test_strip_place_prefix_equals_the_longest_first_search(
    places: list[str], rest: str, cut: int
) -> None:
    name = ("".join(places) + rest)[cut:]
    assert strip_place_prefix(name) == _longest_first(name)


# ---------------------------------------------------------------- places, once per cell


def test_place_outcome_per_flag() -> None:
    place, notes = _place_outcome("孟州市", None)
    assert (place.province, place.city, place.county, notes) == ("河南省", "焦作市", "孟州市", [])
    place, notes = _place_outcome("江苏省苏州市", True)
    assert place.label() == "江苏省苏州市"
    assert notes == [
        (False, "in_province", "省内, but 地市 '江苏省苏州市' is 江苏省苏州市, outside Henan")
    ]
    place, notes = _place_outcome("火星市", False)
    assert place == Place(province=None, city=None, rest="火星市")
    assert len(notes) == 1 and notes[0][:2] == (True, "city")
    assert notes[0][2].startswith("地市 '火星市' is not a place in the 行政区划代码 table")
    assert notes[0][2].endswith("; kept as written (省外)")
    place, notes = _place_outcome("火星市", None)
    assert place is None and notes[0][:2] == (False, "city")
    assert notes[0][2].endswith("; for an enterprise outside Henan also write 省外 in 省内/省外")


# ---------------------------------------------------------------- cells read once per value


def _context() -> Context:
    chain = ChainInfo("chain:尼龙", "尼龙新材料产业链")
    chain.segments["尼龙工程塑料"] = SegmentInfo("segment:尼龙/尼龙工程塑料", "尼龙工程塑料")
    return Context(
        as_of=dt.date(2024, 12, 31),
        loaded_at="2025-01-01T00:00:00+00:00",
        chains={"尼龙新材料产业链": chain},
    )


def test_a_repeated_bad_cell_is_reported_on_every_row() -> None:
    """Cells, chains, segments and places are resolved once per distinct value; each row
    still gets its own located problems and its own normalised count."""
    header = ["名称", "地市", "产业链", "环节", "营业收入（亿元）"]
    rows = [
        (n, [f"示例企业{n}有限公司 ", "火星市", "尼龙新材料产业链", "尼龙切片", "约5"])
        for n in (2, 3)
    ]
    rows.append((4, ["示例企业4有限公司 ", "孟州市", "尼龙新材料产业链", "尼龙工程塑料", "1.2"]))
    table = Table("e.csv", "e.csv", None, header, 1, rows)
    out = shape_table(ENTERPRISES, table, _context())
    revenue = (
        "营业收入 must be one number in 亿元 (such as 1,200 or 1.2亿), got '约5': ranges, "
        "约/左右 and several numbers are not read"
    )
    segment = "unknown 环节 '尼龙切片' of 尼龙新材料产业链; closest: 尼龙工程塑料"
    place = (
        "地市 '火星市' is not a place in the 行政区划代码 table: write the 省辖市 (焦作市), the "
        "county, county-level city or district (孟州市), a zone with its city in front "
        "(郑州高新技术产业开发区), or, outside Henan, the province (江苏省) or country (德国); "
        "for an enterprise outside Henan also write 省外 in 省内/省外"
    )
    assert out.problems == [
        Problem("e.csv", message, row, column)
        for row in (2, 3)
        for message, column in ((revenue, "营业收入（亿元）"), (segment, "环节"), (place, "地市"))
    ]
    assert out.warnings == []
    assert out.rows_loaded == 1
    (node,) = out.batch.nodes["Organization"]
    assert (node["name"], node["city"], node["county"], node["revenue"]) == (
        "示例企业4有限公司",
        "焦作市",
        "孟州市",
        12000.0,
    )
    assert node["source_ref"] == "第4行"
    assert "3 text cells normalised (spaces, full-width characters, brackets, zero-width or " \
        "control characters)" in out.detected  # fmt: skip


def test_group_hints_keep_the_order_of_the_groups() -> None:
    header = ["名称", "地市", "产业链", "环节"]
    names = ["许继集团有限公司", "许继电气集团有限公司", "许继电气股份有限公司", "平高电气有限公司"]
    rows = [
        (n, [name, "许昌市", "尼龙新材料产业链", "尼龙工程塑料"]) for n, name in enumerate(names, 2)
    ]
    table = Table("e.csv", "e.csv", None, header, 1, rows)
    out = shape_table(ENTERPRISES, table, _context())
    assert [w for w in out.warnings if w.message.startswith("hint")] == [
        Problem("e.csv", "hint: '许继电气股份有限公司' may belong to '许继集团有限公司' (row 2); "
                "they are kept as two organisations", 4, "名称"),
        Problem("e.csv", "hint: '许继电气股份有限公司' may belong to '许继电气集团有限公司' (row 3); "
                "they are kept as two organisations", 4, "名称"),
    ]  # fmt: skip


# ---------------------------------------------------------------- versions


def test_snapshot_text_decodes_to_what_json_gave() -> None:
    entries = {
        "org:b": {"values": {"revenue": 1.2, "employees": 10, "leader": None}, "ref": "第3行"},
        "org:a": {
            "as_of": dt.date(2024, 12, 31),
            "at": dt.datetime(2025, 1, 2, 3, 4, 5),
            "segments": ("segment:x", "segment:y"),
        },
    }
    text = encode_snapshot(entries)
    expected = json.loads(json.dumps(entries, ensure_ascii=False, sort_keys=True, default=str))
    assert decode_snapshot(text) == expected
    assert decode_snapshot(text)["org:a"] == {
        "as_of": "2024-12-31",
        "at": "2025-01-02 03:04:05",
        "segments": ["segment:x", "segment:y"],
    }
    assert encode_snapshot(dict(reversed(list(entries.items())))) == text  # keys sorted
    assert decode_snapshot(encode_snapshot({"n": {"big": 10**30}})) == {"n": {"big": 1e30}}


def test_diff_of_equal_and_changed_entries() -> None:
    before = {
        "a": {"label": "Organization", "values": {"revenue": 1.0}, "ref": "第2行"},
        "b": {"label": "Organization", "values": {"revenue": 2.0}, "ref": "第3行"},
        "c": {"label": "Organization", "values": {"revenue": 3.0}, "ref": "第4行"},
    }
    after = {
        "a": {"label": "Organization", "values": {"revenue": 1.0}, "ref": "第2行"},
        "b": {"label": "Organization", "values": {"revenue": 2.5}, "ref": "第3行"},
        "c": {"label": "Organization", "values": {"revenue": 3.0}, "ref": "第9行"},  # moved only
        "d": {"label": "Organization", "values": {}, "ref": "第5行"},
    }
    change = diff_entries(before, after)
    assert (change.added, change.removed, change.changed) == (
        ["d"],
        [],
        {"b": {"revenue": (2.0, 2.5)}},
    )
    assert diff_entries(after, after).counts() == {"added": 0, "removed": 0, "changed": 0}


# ---------------------------------------------------------------- bulk CSV lists


def test_list_cells_are_encoded_once_per_distinct_list_and_unsafe_ones_go_late() -> None:
    from chainkg.graph.bulk import _encode_lists

    late: list = []
    values = [["version:a"], [], ["version:a"], None, ["a,b"], ["a,b"], ("version:a",), [1]]
    ids = [f"org:{i}" for i in range(len(values))]
    out = _encode_lists(values, ids, "Organization", "claimed_by", late)
    assert out == ['"[version:a]"', '"[]"', '"[version:a]"', "", "", "", '"[version:a]"', '"[1]"']
    assert late == [("org:4", "claimed_by", ["a,b"]), ("org:5", "claimed_by", ["a,b"])]
    late = []
    out = _encode_lists(values, ids, "Organization", "claimed_by", late, delimiter=";")
    assert out == ['"version:a"', "", '"version:a"', "", '"a,b"', '"a,b"', '"version:a"', '"1"']
    assert late == [("org:1", "claimed_by", [])]
    with pytest.raises(SchemaError, match=r"^SUPPLIES.tags: list item in \['a,b'\] cannot be "):
        _encode_lists([["a,b"]], None, "SUPPLIES", "tags", [])
