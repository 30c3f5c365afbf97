"""The ledger as the Excel 台账 a department keeps: template, import and export.

The columns are a ``ListFormat`` (headers matched leniently like the lists': spaces, ``*``
and a bracketed unit are ignored, English aliases accepted), so ``chainkg template
problems`` writes the empty 台账 with an example sheet. Import reads XLSX or CSV with the
list reader, checks every row (file, row and column named in each problem) and writes all
rows in one transaction or none; each imported problem walks the status machine to the
row's status with the row's dates, so its history says it was imported, by whom and when.
A row whose problem is already in the ledger in the same state is skipped: importing the
same file twice changes nothing. Export neutralises cells starting with = + - @ so that a
spreadsheet never runs them as formulas.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chainkg.errors import InputError, NotFoundError, Problem
from chainkg.graph.store import GraphStore
from chainkg.loaders.ledger_model import (
    CATEGORIES,
    MAIN_LINE,
    REACHED_ON,
    SATISFACTION,
    STATUSES,
    LedgerError,
    apply_change,
    new_problem,
    problem_id,
)
from chainkg.loaders.ledger_policy import Policy
from chainkg.loaders.ledger_store import chain_context, write_problems
from chainkg.loaders.list_formats import Column, ListFormat, normalize_header
from chainkg.loaders.list_reader import Table, read_table

PROBLEMS = ListFormat(
    "problems",
    "问题台账",
    "Problem",
    (
        Column(
            "id", "问题编号", example="", doc="leave empty for a new problem", aliases=("台账编号",)
        ),
        Column("chain", "产业链", required=True, example="尼龙新材料产业链"),
        Column("segment", "环节", example="己二腈与己二胺"),
        Column("enterprise", "企业名称", example="平顶山示例尼龙科技有限公司", aliases=("企业",)),
        Column("city", "地市", example="平顶山市"),
        Column(
            "category",
            "问题类别",
            example="个性重大",
            doc="个性重大 | 共性 | 一般",
            aliases=("类别",),
        ),
        Column("origin", "问题来源", example="万人助万企", aliases=("来源",)),
        Column(
            "title",
            "问题",
            required=True,
            example="己二腈原料供应不稳",
            aliases=("问题名称", "事项"),
        ),
        Column("description", "问题描述", example="进口依赖度高，交期长", aliases=("描述",)),
        Column("owner", "责任单位", example="省工业和信息化厅"),
        Column(
            "registered", "登记日期", required=True, example="2026-09-30", aliases=("受理日期",)
        ),
        Column(
            "status",
            "状态",
            example="交办",
            doc="登记 | 交办 | 办理中 | 办结 | 已反馈 | 退回 | 转共性",
        ),
        Column("assigned_on", "交办日期", example="2026-10-08"),
        Column("started_on", "答复方案日期", example="", aliases=("办理日期",)),
        Column("resolved_on", "办结日期", example=""),
        Column("reported_on", "反馈日期", example=""),
        Column("satisfaction", "满意度", example="", doc="满意 | 基本满意 | 不满意"),
        Column("reason", "退回或转共性理由", example="", aliases=("理由",)),
        Column("meeting", "提交会议", example=""),
    ),
    identity=("chain", "title", "enterprise", "registered"),
)
EXPORT_COLUMNS = (*(c.key for c in PROBLEMS.columns), "due", "stage", "synthetic")
_DATE_KEYS = ("registered", "assigned_on", "started_on", "resolved_on", "reported_on")
_FORMULA_START = ("=", "+", "-", "@")


def neutralise(value: Any) -> Any:
    """A cell value a spreadsheet will not run: text starting with = + - @ gets a leading '."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    for suffix in ("日",):
        text = text.removesuffix(suffix)
    text = text.replace("年", "-").replace("月", "-")
    y, m, d = (int(x) for x in text.split("-"))
    return dt.date(y, m, d)


@dataclass
class ImportReport:
    """What an import did."""

    file: str
    rows: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)


def header_map(table: Table) -> tuple[dict[int, str], list[Problem]]:
    """Column index -> column key for the table's header; problems for missing required ones."""
    names = {n: c.key for c in PROBLEMS.columns for n in c.names()}
    mapping: dict[int, str] = {}
    for i, header in enumerate(table.header):
        key = names.get(normalize_header(header))
        if key is not None and key not in mapping.values():
            mapping[i] = key
    missing = [c for c in PROBLEMS.required if c.key not in mapping.values()]
    problems = [
        Problem(
            table.file,
            f"no column {c.template_header!r} ({c.key}) in the header",
            row=table.header_row,
        )
        for c in missing
    ]
    return mapping, problems


def row_values(
    table: Table, mapping: Mapping[int, str], number: int, cells: Sequence[Any]
) -> tuple[dict[str, Any], list[Problem]]:
    """One row's values by key, dates parsed; a problem per bad cell."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for i, key in mapping.items():
        cell = cells[i] if i < len(cells) else None
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            continue
        column = PROBLEMS.column(key).header
        if key in _DATE_KEYS:
            try:
                values[key] = _date(cell)
            except (ValueError, TypeError):
                problems.append(
                    Problem(
                        table.file,
                        f"{cell!r} is not a date like 2026-09-30",
                        row=number,
                        column=column,
                    )
                )
            continue
        text = str(cell).strip()
        checks = {"category": CATEGORIES, "status": STATUSES, "satisfaction": SATISFACTION}
        if key in checks and text not in checks[key]:
            problems.append(
                Problem(
                    table.file,
                    f"{text!r} is not one of {'、'.join(checks[key])}",
                    row=number,
                    column=column,
                )
            )
            continue
        values[key] = text
    for c in PROBLEMS.required:
        if c.key not in values and not any(p.column == c.header for p in problems):
            problems.append(
                Problem(table.file, "is empty; it is required", row=number, column=c.header)
            )
    return values, problems


def _replay(
    values: Mapping[str, Any], *, by: str, at: dt.datetime, policy: Policy, units: tuple[str, ...]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The problem a row describes, reached through the status machine, and its events."""
    fields = {
        k: values.get(k)
        for k in (
            "chain",
            "title",
            "description",
            "category",
            "origin",
            "segment",
            "enterprise",
            "city",
            "meeting",
            "registered",
        )
    }
    fields["owner"] = values.get("owner")
    if values.get("id"):
        fields["id"] = values["id"]
    problem, first = new_problem(fields, by=by, at=at, policy=policy, units=units)
    events = [first]
    target = values.get("status") or "登记"
    steps: list[tuple[str, dt.date | None]] = []
    if target in MAIN_LINE:
        for status in MAIN_LINE[1 : MAIN_LINE.index(target) + 1]:
            steps.append((status, values.get(REACHED_ON[status])))
    else:
        steps.append(
            (
                target,
                values.get("reported_on") or values.get("resolved_on") or values.get("assigned_on"),
            )
        )
    if steps and steps[-1][1] is None:
        header = (
            PROBLEMS.column(REACHED_ON.get(target, "reported_on")).header
            if target in MAIN_LINE
            else "反馈日期/办结日期/交办日期"
        )
        raise LedgerError(f"status {target} needs its date (column {header!r})")
    later = steps[-1][1] if steps else None
    for i in range(len(steps) - 1, -1, -1):  # a step without a date counts as reached with the next
        status, on = steps[i]
        later = on or later
        steps[i] = (status, later)
    for status, on in steps:
        change: dict[str, Any] = {"status": status, "on": on}
        if status == "已反馈":
            change["satisfaction"] = values.get("satisfaction")
        if status in ("退回", "转共性"):
            change["reason"] = values.get("reason")
        problem, event = apply_change(problem, change, by=by, at=at, policy=policy, units=units)
        events.append({**event, "action": f"导入：{event['action']}"})
    return problem, events


def import_ledger(
    store: GraphStore,
    path: Path,
    *,
    by: str,
    now: dt.datetime,
    policy: Policy,
    sheet: str | None = None,
) -> ImportReport:
    """Import a 台账 file: every row checked, all written in one transaction or nothing."""
    table = read_table(path, sheet, PROBLEMS)  # the header is found below any title rows
    report = ImportReport(table.file, rows=len(table.rows))
    mapping, problems = header_map(table)
    if problems:
        raise InputError(
            problems, hint="run `chainkg template problems` for a file with the right headers"
        )
    contexts: dict[str, Any] = {}
    writes = []
    for number, cells in table.rows:
        values, bad = row_values(table, mapping, number, cells)
        problems += bad
        if bad:
            continue
        chain = values["chain"]
        if chain not in contexts:
            try:
                contexts[chain] = chain_context(store, chain)
            except NotFoundError as exc:  # reported at the row, with the suggestion
                hint = f" ({exc.hint})" if exc.hint and exc.hint.startswith("did you") else ""
                problems.append(Problem(table.file, f"{exc}{hint}", row=number, column="产业链"))
                contexts[chain] = None
        ctx = contexts[chain]
        if ctx is None:
            if not any(p.row == number for p in problems):
                problems.append(
                    Problem(table.file, f"no chain named {chain!r}", row=number, column="产业链")
                )
            continue
        if values.get("segment") and values["segment"] not in ctx.segments:
            problems.append(
                Problem(
                    table.file,
                    f"{chain} has no segment (环节) {values['segment']!r}",
                    row=number,
                    column="环节",
                )
            )
            continue
        try:
            problem, events = _replay(values, by=by, at=now, policy=policy, units=ctx.units)
        except LedgerError as exc:
            problems.append(
                Problem(table.file, f"{exc}" + (f" ({exc.hint})" if exc.hint else ""), row=number)
            )
            continue
        pid = values.get("id") or problem_id(
            chain, values["title"], values["registered"], values.get("enterprise")
        )
        existing = store.nodes_by_id("Problem", [pid])
        if existing:
            old = existing[0]
            same = all(
                old.get(k) == problem.get(k)
                for k in ("status", "owner", "category", *_DATE_KEYS, "satisfaction")
            )
            if same:
                report.unchanged += 1
                continue
            report.changed += 1
            # keep the earlier history; this import's events continue its numbering
            offset = int(old.get("events") or 0)
            events = [
                {**e, "id": f"{pid}#{offset + i}", "seq": offset + i}
                for i, e in enumerate(events, 1)
            ]
            problem["events"] = offset + len(events)
        else:
            report.added += 1
        problem["id"] = pid
        writes.append((problem, [{**e, "problem": pid} for e in events], ctx))
    if problems:
        raise InputError(
            problems, hint="nothing was imported; fix these rows and import the file again"
        )
    if writes:
        with store.transaction() as tx:
            write_problems(tx, writes)
    return report


def export_rows(problems: Sequence[Mapping[str, Any]]) -> list[list[Any]]:
    """The 台账 rows (header first) for ``problems``, every cell neutralised (pure)."""
    headers = [
        PROBLEMS.column(k).header if k in {c.key for c in PROBLEMS.columns} else k
        for k in EXPORT_COLUMNS
    ]
    headers[-3:] = ["当前环节期限", "当前环节", "示例数据"]
    rows: list[list[Any]] = [headers]
    for p in problems:
        row = []
        for key in EXPORT_COLUMNS:
            value = p.get(key)
            if key == "synthetic":
                value = "是" if value else ""
            elif isinstance(value, dt.date):
                value = value.isoformat()
            row.append(neutralise(value) if value is not None else None)
        rows.append(row)
    return rows


def write_export(problems: Sequence[Mapping[str, Any]], path: Path) -> int:
    """Write the ledger to ``path`` (.xlsx, or .csv as UTF-8 with BOM); returns the rows written."""
    rows = export_rows(problems)
    if path.suffix.lower() == ".csv":
        import csv
        import io

        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8-sig")
        return len(rows) - 1
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "问题台账"
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    book.save(path)
    return len(rows) - 1
