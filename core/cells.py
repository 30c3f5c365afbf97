"""Cells of CSV and Excel exports, made safe to open in a spreadsheet.

A text cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return,
which some spreadsheets skip before reading one of those) is read by Excel as a formula:
an enterprise named ``=HYPERLINK(...)`` would run in the analyst's workbook (CSV/formula
injection). Such cells get a leading apostrophe, which spreadsheets show as text. Numbers
stay numbers, and text that is just a number (``-12.5``) stays as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip().lower() not in ("nan", "inf", "-inf", "+inf", "infinity", "-infinity")


def safe_cell(value: Any) -> Any:
    """``value`` for an export cell: formula-like text prefixed with ``'``, all else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _is_number(value):
        return "'" + value
    return value


def safe_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row (column -> value) with every cell made safe."""
    return {key: safe_cell(value) for key, value in row.items()}


def safe_rows(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows with every cell made safe (header keys are ours, not data)."""
    return [safe_row(r) for r in rows]
