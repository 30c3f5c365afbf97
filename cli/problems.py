"""``chainkg problems``: the problem ledger (问题台账) with its 13710 deadlines."""

from __future__ import annotations

import datetime as dt
import getpass
import os
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from chainkg.cli.common import OutputFormat, console, echo_json, open_store
from chainkg.loaders.ledger_model import CATEGORIES, ORIGINS, SATISFACTION, STATUSES
from chainkg.loaders.ledger_policy import Policy, add_days, load_policy
from chainkg.queries.ledger import schedule_rows

problems_app = typer.Typer(
    help="The problem ledger (问题台账): register, assign, track 13710 deadlines, figures.",
    no_args_is_help=True,
)

POLICY_HELP = "Policy file (default: the shipped data/ledger-policy.toml)."


def _date(text: str | None, what: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{what}: {text!r} is not a date like 2026-09-29") from None


def now() -> dt.datetime:
    """The current time (CHAINKG_NOW=ISO-datetime freezes it, for rehearsals and tests)."""
    frozen = os.environ.get("CHAINKG_NOW")
    return dt.datetime.fromisoformat(frozen) if frozen else dt.datetime.now().replace(microsecond=0)


def who(by: str | None) -> str:
    """Who makes a change: --by, else CHAINKG_USER, else the login name."""
    return by or os.environ.get("CHAINKG_USER") or getpass.getuser()


def policy_option(path: Path | None) -> Policy:
    """The policy from --policy, else the shipped one."""
    return load_policy(path)


def _table(rows: list[dict[str, Any]], columns: list[str], title: str) -> None:
    table = Table(title=title, show_lines=False)
    for c in columns:
        table.add_column(c)
    for r in rows:
        table.add_row(*("" if r.get(c) is None else str(r.get(c)) for c in columns))
    console.print(table)


LIST_COLUMNS = ["id", "status", "category", "chain", "owner", "title", "registered", "stage", "due"]


@problems_app.command("add")
def add_cmd(
    chain: str = typer.Option(..., "--chain", help="Chain (产业链) name."),
    title: str | None = typer.Option(None, "--title", help="The problem in one line (问题)."),
    from_finding: str | None = typer.Option(
        None,
        "--from-finding",
        help="Open it from the weak-link finding of this segment (环节), evidence attached.",
    ),
    description: str | None = typer.Option(None, "--description", help="Details (问题描述)."),
    category: str = typer.Option("一般", "--category", help=f"{'/'.join(CATEGORIES)}."),
    origin: str = typer.Option(
        "企业反映", "--source", help=f"来源: {'/'.join(ORIGINS)} (万人助万企 = 企业反映)."
    ),
    segment: str | None = typer.Option(None, "--segment", help="Segment (环节) of the chain."),
    enterprise: str | None = typer.Option(None, "--enterprise", help="Enterprise that raised it."),
    city: str | None = typer.Option(None, "--city", help="City (地市), for a city's own problem."),
    owner: str | None = typer.Option(
        None, "--owner", help="Responsible unit (群链长责任单位) of the chain."
    ),
    meeting: str | None = typer.Option(None, "--meeting", help="Meeting id to route it to."),
    registered: str | None = typer.Option(None, "--registered", help="登记 day (default today)."),
    by: str | None = typer.Option(
        None, "--by", help="Who registers it (default: CHAINKG_USER or login)."
    ),
    policy: Path | None = typer.Option(None, "--policy", help=POLICY_HELP),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format"),
) -> None:
    """Register a problem (登记) and print its id and 13710 due dates."""
    from chainkg.loaders.ledger_store import add_problem

    pol = policy_option(policy)
    if from_finding:
        from chainkg.queries.meetings import problem_from_finding

        with open_store() as store:
            problem = problem_from_finding(
                store, chain, from_finding, by=who(by), now=now(), policy=pol,
                category=category, owner=owner,
            )  # fmt: skip
        _print_problem(problem, [], pol, fmt)
        return
    if not title:
        raise typer.BadParameter("give --title (or --from-finding SEGMENT)")
    fields = {
        "chain": chain,
        "title": title,
        "description": description,
        "category": category,
        "origin": origin,
        "segment": segment,
        "enterprise": enterprise,
        "city": city,
        "owner": owner,
        "meeting": meeting,
        "registered": _date(registered, "--registered"),
    }
    with open_store() as store:
        problem = add_problem(store, fields, by=who(by), now=now(), policy=pol)
    _print_problem(problem, [], pol, fmt)


@problems_app.command("update")
def update_cmd(
    problem_id: str = typer.Argument(..., help="Problem id (problem:...)."),
    status: str | None = typer.Option(None, "--status", help=f"New status: {'/'.join(STATUSES)}."),
    reason: str | None = typer.Option(
        None, "--reason", help="Why (needed for 退回, 转共性, reopening)."
    ),
    owner: str | None = typer.Option(None, "--owner", help="Responsible unit (群链长责任单位)."),
    satisfaction: str | None = typer.Option(
        None, "--satisfaction", help=f"{'/'.join(SATISFACTION)}."
    ),
    category: str | None = typer.Option(None, "--category", help=f"{'/'.join(CATEGORIES)}."),
    meeting: str | None = typer.Option(None, "--meeting", help="Meeting id to route it to."),
    segment: str | None = typer.Option(None, "--segment", help="Segment (环节)."),
    description: str | None = typer.Option(None, "--description"),
    on: str | None = typer.Option(None, "--on", help="Day the step happened (default today)."),
    by: str | None = typer.Option(None, "--by", help="Who makes the change."),
    policy: Path | None = typer.Option(None, "--policy", help=POLICY_HELP),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format"),
) -> None:
    """Change a problem: a status step (交办, 办理中, 办结, 已反馈, 退回, 转共性) and/or fields."""
    from chainkg.loaders.ledger_store import update_problem
    from chainkg.queries.ledger import problem_events

    pol = policy_option(policy)
    change = {
        "status": status,
        "reason": reason,
        "owner": owner,
        "satisfaction": satisfaction,
        "category": category,
        "meeting": meeting,
        "segment": segment,
        "description": description,
        "on": _date(on, "--on"),
    }
    with open_store() as store:
        problem = update_problem(store, problem_id, change, by=who(by), now=now(), policy=pol)
        events = problem_events(store, problem_id)
    _print_problem(problem, events, pol, fmt)


@problems_app.command("show")
def show_cmd(
    problem_id: str = typer.Argument(..., help="Problem id (problem:...)."),
    policy: Path | None = typer.Option(None, "--policy", help=POLICY_HELP),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format"),
) -> None:
    """A problem with its 13710 schedule and every recorded change (who, when, what)."""
    from chainkg.loaders.ledger_store import read_problem
    from chainkg.queries.ledger import problem_events

    pol = policy_option(policy)
    with open_store() as store:
        problem = read_problem(store, problem_id)
        events = problem_events(store, problem_id)
    _print_problem(problem, events, pol, fmt)


def problem_view(
    problem: dict[str, Any], events: list[dict[str, Any]], pol: Policy
) -> dict[str, Any]:
    """A problem as JSON: its fields, its 13710 schedule and its history."""
    return {
        **problem,
        "schedule": schedule_rows(problem, pol),
        "history": [
            {
                k: e.get(k)
                for k in (
                    "seq",
                    "at_time",
                    "actor",
                    "action",
                    "from_status",
                    "to_status",
                    "reason",
                    "changes",
                )
            }
            for e in events
        ],
    }


def _print_problem(
    problem: dict[str, Any], events: list[dict[str, Any]], pol: Policy, fmt: OutputFormat
) -> None:
    view = problem_view(problem, events, pol)
    if fmt is OutputFormat.json:
        echo_json(view)
        return
    mark = " (示例数据)" if problem.get("synthetic") else ""
    console.print(f"{problem['id']}  {problem['title']}{mark}", markup=False, highlight=False)
    for key in (
        "chain",
        "segment",
        "enterprise",
        "city",
        "category",
        "origin",
        "owner",
        "meeting",
        "status",
        "reason",
        "satisfaction",
        "registered",
        "stage",
        "due",
    ):
        if problem.get(key) is not None:
            console.print(f"  {key}: {problem[key]}", markup=False, highlight=False)
    _table(view["schedule"], ["stage", "name", "status", "due", "done_on", "on_time"], "13710")
    if events:
        _table(
            view["history"],
            ["seq", "at_time", "actor", "action", "from_status", "to_status", "reason"],
            "history",
        )


@problems_app.command("list")
def list_cmd(
    chain: str | None = typer.Option(None, "--chain"),
    owner: str | None = typer.Option(None, "--owner"),
    status: str | None = typer.Option(None, "--status"),
    category: str | None = typer.Option(None, "--category"),
    city: str | None = typer.Option(None, "--city"),
    open_only: bool = typer.Option(False, "--open", help="Only open problems."),
    limit: int = typer.Option(1000, "--limit"),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format"),
) -> None:
    """The ledger, filtered, by registration day."""
    from chainkg.queries.ledger import list_problems

    with open_store() as store:
        rows = list_problems(
            store,
            chain=chain,
            owner=owner,
            status=status,
            category=category,
            city=city,
            open_only=open_only,
            limit=limit,
        )
    if fmt is OutputFormat.json:
        echo_json(rows)
        return
    mark = "（含示例数据）" if any(r.get("synthetic") for r in rows) else ""
    _table(rows, LIST_COLUMNS, f"问题台账 ({len(rows)}){mark}")


@problems_app.command("overdue")
def overdue_cmd(
    today: str | None = typer.Option(None, "--today", help="Day to judge by (default today)."),
    chain: list[str] = typer.Option([], "--chain", help="Only these chains (repeatable)."),
    soon: bool = typer.Option(False, "--soon", help="Also list problems due soon (临期)."),
    limit: int = typer.Option(100, "--limit"),
    policy: Path | None = typer.Option(None, "--policy", help=POLICY_HELP),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format"),
) -> None:
    """Open problems past their current 13710 stage's due day (逾期), and optionally due soon."""
    from chainkg.queries.ledger import due_soon, overdue

    day = _date(today, "--today") or now().date()
    pol = policy_option(policy)
    chains = chain or None
    with open_store() as store:
        late = overdue(store, day, chains=chains, limit=limit)
        upcoming = (
            due_soon(
                store,
                day,
                add_days(day, pol.due_soon_days, pol.counting, pol.holidays),
                chains=chains,
                limit=limit,
            )
            if soon
            else []
        )
    if fmt is OutputFormat.json:
        echo_json({**late, "due_soon": upcoming})
        return
    cols = ["id", "status", "stage", "due", "days_overdue", "chain", "owner", "title"]
    mark = "（含示例数据）" if any(r.get("synthetic") for r in late["problems"] + upcoming) else ""
    _table(late["problems"], cols, f"逾期 overdue on {day}: {late['total']}{mark}")
    if soon:
        _table(upcoming, cols[:4] + cols[5:], f"临期 due soon: {len(upcoming)}")


@problems_app.command("stats")
def stats_cmd(
    start: str = typer.Option(..., "--from", help="First registration day, YYYY-MM-DD."),
    end: str = typer.Option(..., "--to", help="Last registration day, YYYY-MM-DD."),
    by: str = typer.Option(
        "chain", "--by", help="chain, owner, cluster, city, month, quarter, year or all."
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Count progress up to this day (default --to)."
    ),
    policy: Path | None = typer.Option(None, "--policy", help=POLICY_HELP),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format"),
) -> None:
    """Solve rate (解决率), on-time rate, median working days per stage, satisfaction (满意度)."""
    from chainkg.queries.ledger import ledger_figures

    pol = policy_option(policy)
    with open_store() as store:
        rows = ledger_figures(
            store,
            _date(start, "--from"),
            _date(end, "--to"),
            by=by,
            as_of=_date(as_of, "--as-of"),
            policy=pol,
        )
    if fmt is OutputFormat.json:
        echo_json(rows)
        return
    flat = [
        {
            **r,
            "median_days": " ".join(
                f"{k}:{'' if v is None else v}" for k, v in r["median_days"].items()
            ),
            "satisfaction": " ".join(f"{k}{v}" for k, v in r["satisfaction"].items()),
        }
        for r in rows
    ]
    cols = [
        by,
        "registered",
        "accepted",
        "resolved",
        "solve_rate",
        "on_time",
        "on_time_rate",
        "median_days",
        "satisfaction",
        "satisfaction_rate",
    ]
    _table(flat, cols, "问题台账 figures")


@problems_app.command("import")
def import_cmd(
    path: Path = typer.Argument(
        ..., help="The 台账 file (.xlsx or .csv; see `chainkg template problems`)."
    ),
    sheet: str | None = typer.Option(
        None, "--sheet", help="Workbook sheet (default: the first not named 示例)."
    ),
    by: str | None = typer.Option(None, "--by", help="Who imports it."),
    policy: Path | None = typer.Option(None, "--policy", help=POLICY_HELP),
) -> None:
    """Import an Excel/CSV 台账: every row checked, all or nothing; the same file twice changes nothing."""
    from chainkg.loaders.ledger_table import import_ledger

    pol = policy_option(policy)
    with open_store() as store:
        report = import_ledger(store, path, by=who(by), now=now(), policy=pol, sheet=sheet)
    console.print(
        f"{report.file}: {report.rows} rows; {report.added} added, {report.changed} changed, "
        f"{report.unchanged} unchanged",
        markup=False,
        highlight=False,
    )


@problems_app.command("export")
def export_cmd(
    output: Path = typer.Option(..., "-o", "--output", help="File to write: .xlsx or .csv."),
    chain: str | None = typer.Option(None, "--chain"),
    owner: str | None = typer.Option(None, "--owner"),
    status: str | None = typer.Option(None, "--status"),
    open_only: bool = typer.Option(False, "--open", help="Only open problems."),
) -> None:
    """Export the ledger as the Excel 台账 (cells starting with = + - @ are neutralised)."""
    from chainkg.loaders.ledger_table import write_export
    from chainkg.queries.ledger import list_problems

    with open_store() as store:
        rows = list_problems(
            store, chain=chain, owner=owner, status=status, open_only=open_only, limit=10_000_000
        )
    n = write_export(rows, output)
    console.print(f"wrote {output}: {n} problems", markup=False, highlight=False)
