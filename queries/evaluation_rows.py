"""Flat rows of an evaluation for tables and CSV (pure): one row per chain or cluster."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A cell safe to open in a spreadsheet: text starting with = + - @ (or tab, CR) gets a '.

    Numbers stay numbers (they are written by us, never a formula); None stays empty.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_rows(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows with every text cell neutralised for CSV (``csv_cell``)."""
    return [{k: csv_cell(v) for k, v in r.items()} for r in rows]


def evaluation_rows(report: Mapping[str, Any], level: str = "chains") -> list[dict[str, Any]]:
    """One row per chain (``level`` chains) or cluster (clusters) of an evaluation JSON.

    Columns: year, name (chain or cluster), cluster, rank, score, coverage, previous score and
    rank, each dimension's score (``dim:<key>``), each indicator's value (``<key>``, empty when
    missing) and its change over the previous year (``<key>:change``), and the counts of the
    year's other changes (``changes:findings_closed``, ``changes:findings_new``,
    ``changes:new_leaders``, ``changes:projects_completed``; empty when unknown).
    """
    rows = []
    for e in report[level]:
        prev = e.get("previous") or {}
        row: dict[str, Any] = {
            "year": report["year"],
            "name": e["chain"] if level == "chains" else e["cluster"],
            "cluster": e.get("cluster"),
            "rank": e.get("rank"),
            "score": e["score"],
            "coverage": e["coverage"],
            "previous_score": prev.get("score"),
            "previous_rank": prev.get("rank"),
        }
        for d in report["dimensions"]:
            row[f"dim:{d['key']}"] = e["dimensions"][d["key"]]["score"]
        for i in report["indicators"]:
            v = e["indicators"][i["key"]]
            row[i["key"]] = v["value"]
            row[f"{i['key']}:change"] = v["change"]
        row.update(change_columns(e.get("changes")))
        rows.append(row)
    return rows


CHANGE_KINDS = ("findings_closed", "findings_new", "new_leaders", "projects_completed")


def change_columns(changes: Mapping[str, Any] | None) -> dict[str, int | None]:
    """``changes:<kind>`` counts of a chain's (lists) or a cluster's (counts) changes (pure)."""
    out: dict[str, int | None] = {}
    for kind in CHANGE_KINDS:
        v = (changes or {}).get(kind)
        out[f"changes:{kind}"] = len(v) if isinstance(v, list) else v
    return out
