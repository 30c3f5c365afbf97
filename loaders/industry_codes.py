"""The GB/T 4754-2017 小类 table (国民经济行业分类, 2017): which industry codes exist.

``data/gbt4754-2017.csv`` (code, name) lists the 1,381 four-digit 小类 of
GB/T 4754-2017 《国民经济行业分类》 (国家统计局), transcribed with their official names
and checked against a public transcription of the standard's tree (97 大类, 473 中类;
a 中类 with no 小类 below it has the 小类 code 中类 + "0", e.g. 3130 钢压延加工).
The chain templates' codes are checked against it (``chain_templates.load_templates``)
so that a 2011 code such as 1810 is reported instead of placing no firm.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import re
from pathlib import Path

TABLE_FILE = "gbt4754-2017.csv"
_CODE = re.compile(r"\d{4}")


def _table_path() -> Path:
    # loaders/ and data/ are siblings both in the repository and when installed.
    return Path(__file__).resolve().parent.parent / "data" / TABLE_FILE


@functools.cache
def gbt4754_2017() -> dict[str, str]:
    """小类 code -> official name, in code order (read once)."""
    text = _table_path().read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    return {r["code"]: r["name"] for r in rows if _CODE.fullmatch(r["code"] or "")}


def industry_name(code: str) -> str | None:
    """The official 2017 name of a 4-digit 小类 code, or None when the table has no such code."""
    return gbt4754_2017().get(code)


def closest_codes(code: str, limit: int = 3) -> list[str]:
    """Codes of the 2017 table near ``code`` (same 中类 first), each as ``"1811 运动机织服装制造"``.

    Used in messages about a code the table lacks: a 2011 code usually became a
    sibling in the same 中类 (1810 -> 1811, 1819).
    """
    table = gbt4754_2017()
    same = [c for c in table if c[:3] == code[:3]]
    near = same or difflib.get_close_matches(code, list(table), n=limit, cutoff=0.5)
    return [f"{c} {table[c]}" for c in near[:limit]]
