"""Units of numeric list columns (万元, 亿元, 亩, 公顷, 人, ...) and numbers as people type them.

A column has a canonical unit (营业收入: 万元); a header may name another one
(``营业收入（亿元）``) and a cell may carry its own (``1.2亿``, ``5000万元``). Every
number is converted to the column's canonical unit exactly (``fractions``, so
1.2 亿元 is 12000 万元, not 11999.999...). Thousands separators and full-width
digits are read; anything that is not one plain number (``约5000``, ``100-200``,
``1,2345``) is refused rather than guessed.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from fractions import Fraction

# Each family: unit -> size in the family's base unit (元, 平方米, 人).
_MONEY = {"元": 1, "千元": 10**3, "万元": 10**4, "百万元": 10**6, "千万元": 10**7, "亿元": 10**8}
_AREA = {
    "平方米": Fraction(1),
    "m2": Fraction(1),
    "公顷": Fraction(10**4),
    "亩": Fraction(10**4, 15),
    "平方公里": Fraction(10**6),
    "平方千米": Fraction(10**6),
    "km2": Fraction(10**6),
}
_PEOPLE = {"人": 1, "名": 1, "万人": 10**4}
_FAMILIES: tuple[tuple[str, dict[str, Fraction | int], str], ...] = (
    ("money", _MONEY, "元"),
    ("area", _AREA, ""),
    ("people", _PEOPLE, "人"),
)
# Magnitude words written without the base unit: 1.2亿 = 1.2亿元 in a money column.
_MAGNITUDES = ("千万", "百万", "千", "万", "亿")
_NUMBER = re.compile(r"^([+-]?)((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)([^\d.,+-]*)$")
_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:\.\d+)?[eE][+-]?\d+$")


class UnitError(ValueError):
    """A unit or a number cannot be read (the message says what would be)."""


def family(unit: str) -> tuple[str, dict[str, Fraction | int], str] | None:
    """The family (name, sizes, base word) a canonical unit belongs to, if any."""
    for fam in _FAMILIES:
        if unit in fam[1]:
            return fam
    return None


def canonical_unit(unit: str, canonical: str) -> str | None:
    """``unit`` spelled as a member of ``canonical``'s family (``亿`` -> ``亿元``), else None."""
    fam = family(canonical)
    if fam is None:
        return unit if unit == canonical else None
    _, sizes, base = fam
    unit = unit.replace("㎡", "m2").replace("㎞²", "km2").replace("m²", "m2").lower()
    if unit in sizes:
        return unit
    if base and unit in _MAGNITUDES and unit + base in sizes:
        return unit + base
    return None


@functools.lru_cache(maxsize=256)
def factor(unit: str, canonical: str) -> Fraction:
    """How many ``canonical`` units one ``unit`` is (UnitError when they do not convert)."""
    spelled = canonical_unit(unit, canonical)
    if spelled is None:
        fam = family(canonical)
        known = "、".join(fam[1]) if fam else canonical
        raise UnitError(f"unit {unit!r} is not one of {known}")
    if spelled == canonical:
        return Fraction(1)
    sizes = family(canonical)[1]  # type: ignore[index]
    return Fraction(sizes[spelled]) / Fraction(sizes[canonical])


def units_of(canonical: str) -> str:
    """The units a column of ``canonical`` unit accepts, for messages."""
    fam = family(canonical)
    return "、".join(fam[1]) if fam else canonical


def _scaled(number: float, ratio: Fraction) -> float:
    """``number`` times ``ratio`` without binary noise (1.2 x 10000 is 12000, not 12000.000...2)."""
    if ratio == 1:
        return number
    return float(f"{number * float(ratio):.12g}")


def parse_quantity(value: object, canonical: str, given: str | None = None) -> float:
    """``value`` in ``canonical`` units; ``given``: the unit the column's header names.

    A unit in the cell wins over the header's. UnitError says what was not read.
    """
    number, unit = split_quantity(value)
    unit = unit or given or canonical
    if not canonical:
        if unit and unit != given:
            raise UnitError(f"unit {unit!r} is not expected here")
        return number
    return _scaled(number, factor(unit, canonical))


def split_quantity(value: object) -> tuple[float, str | None]:
    """A number and the unit written after it in the cell (``5000万元`` -> 5000, 万元)."""
    if isinstance(value, bool):
        raise UnitError("a yes/no value is not a number")
    if isinstance(value, int | float):
        return float(value), None
    text = str(value)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = "".join(text.split())
    found = _NUMBER.match(text)
    if found is None:
        if _SCIENTIFIC.match(text):
            return float(text), None
        raise UnitError("not one plain number")
    sign, digits, unit = found.groups()
    number = float(digits.replace(",", ""))
    return (-number if sign == "-" else number), (unit or None)
