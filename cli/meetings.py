"""``chainkg meetings`` (the 双长制 meeting calendar) and ``chainkg supervise`` (督办)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import typer

from chainkg.cli.common import OutputFormat, console, echo_json, open_store
from chainkg.cli.problems import POLICY_HELP, _date, _table, now, policy_option
from chainkg.errors import InputError, Problem
from chainkg.graph.catalog import query

meetings_app = typer.Typer(
    help="The meeting calendar (二、工作机制): plan a year, agendas, minutes, .ics and .docx.",
    no_args_is_help=True,
)
MEETING_COLUMNS = ["held_on", "kind", "name", "convener", "status", "id"]


def _today(text: str | None) -> dt.date:
    return _date(text, "--today") or now().date()


@meetings_app.command("plan")
def plan_cmd(
    year: int = typer.Option(..., "--year", help="Year to plan, e.g. 2026."),
    policy: Path | None = typer.Option(None, "--policy", help=POLICY_HELP),
) -> None:
    """Plan the year's regular meetings from the roster (idempotent; minutes are kept)."""
    from chainkg.queries.meetings import plan_calendar

    pol = policy_option(policy)
    with open_store() as store:
        meetings = plan_calendar(store, year, pol, now=now())
    counts: dict[str, int] = {}
    for m in meetings:
        counts[m["kind"]] = counts.get(m["kind"], 0) + 1
    console.print(
        f"planned {len(meetings)} meetings for {year}: "
        + ", ".join(f"{k} {v}" for k, v in counts.items()),
        markup=False,
        highlight=False,
    )


@meetings_app.command("add")
def add_cmd(
    kind: str = typer.Option(
        "joint_meeting",
        "--kind",
        help="joint_meeting (联席会议), alliance_consultation (联盟会商) or any mechanism key.",
    ),
    day: str = typer.Option(..., "--date", help="Day, YYYY-MM-DD."),
    convener: str = typer.Option(..., "--convener", help="Who convenes it."),
    chain: list[str] = typer.Option(..., "--chain", help="Chain(s) it covers (repeatable)."),
    attendee: list[str] = typer.Option([], "--attendee", help="Attendee (repeatable)."),
    name: str | None = typer.Option(None, "--name", help="Title (default from convener and day)."),
    city: str | None = typer.Option(None, "--city", help="A city's own meeting (地市)."),
) -> None:
    """Add an ad hoc meeting (联席会议, 联盟会商, a city's meeting) to the calendar."""
    from chainkg.loaders.meeting_plan import ad_hoc_meeting
    from chainkg.loaders.meeting_store import write_meetings

    meeting = ad_hoc_meeting(
        kind,
        _date(day, "--date"),
        convener=convener,
        chains=chain,
        attendees=attendee,
        name=name,
        city=city,
    )
    with open_store() as store:
        known = {r["name"] for r in store.read(query("chain_names"))}
        bad = [c for c in chain if c not in known]
        if bad:
            raise InputError(
                [Problem("--chain", f"no chain named {c!r} in the graph") for c in bad]
            )
        write_meetings(store, [meeting], now=now(), source="人工添加")
    console.print(f"added {meeting['id']}: {meeting['name']}", markup=False, highlight=False)


@meetings_app.command("list")
def list_cmd(
    year: int | None = typer.Option(None, "--year", help="Only this year."),
    kind: str | None = typer.Option(None, "--kind", help="Only this kind (mechanism key)."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format"),
) -> None:
    """The calendar's meetings, by day."""
    from chainkg.queries.meetings import list_meetings

    first = dt.date(year, 1, 1) if year else dt.date(1900, 1, 1)
    last = dt.date(year, 12, 31) if year else dt.date(2999, 12, 31)
    with open_store() as store:
        rows = list_meetings(store, first, last, kind)
    if fmt is OutputFormat.json:
        echo_json(rows)
        return
    _table(rows, MEETING_COLUMNS, f"会议 ({len(rows)})")


def _agenda(meeting_id: str, policy: Path | None, today: str | None) -> dict[str, Any]:
    from chainkg.queries.meetings import meeting_agenda

    pol = policy_option(policy)
    with open_store() as store:
        return meeting_agenda(store, meeting_id, pol, _today(today))


@meetings_app.command("show")
def show_cmd(
    meeting_id: str = typer.Argument(..., help="Meeting id (see `meetings list`)."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format"),
) -> None:
    """A meeting: convener, attendees, chains, minutes and decisions."""
    from chainkg.queries.meetings import decisions, read_meeting

    with open_store() as store:
        meeting = read_meeting(store, meeting_id)
        decided = [d for d in decisions(store) if d["meeting"] == meeting_id]
    if fmt is OutputFormat.json:
        echo_json({**meeting, "decisions": decided})
        return
    mark = "（示例数据）" if meeting.get("synthetic") else ""
    console.print(
        f"{meeting['name']}{mark}  {meeting['held_on']}  [{meeting['status']}]",
        markup=False,
        highlight=False,
    )
    for key in ("convener", "attendees", "chains", "minutes"):
        value = meeting.get(key)
        if value:
            console.print(
                f"  {key}: {'、'.join(value) if isinstance(value, list) else value}",
                markup=False,
                highlight=False,
            )
    _table(decided, ["id", "title", "owner", "due", "status", "done_on"], "议定事项")


@meetings_app.command("agenda")
def agenda_cmd(
    meeting_id: str = typer.Argument(..., help="Meeting id (see `meetings list`)."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write the agenda as .docx."),
    today: str | None = typer.Option(None, "--today", help="Judge escalation as of this day."),
    policy: Path | None = typer.Option(None, "--policy", help=POLICY_HELP),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format"),
) -> None:
    """A meeting's agenda: escalated, overdue and major problems, decisions due, new findings."""
    data = _agenda(meeting_id, policy, today)
    if output is not None:
        from chainkg.viz.meeting_docs import agenda_docx

        agenda_docx(data["meeting"], data["agenda"], output)
        console.print(f"wrote {output}", markup=False, highlight=False)
        return
    if fmt is OutputFormat.json:
        echo_json(data)
        return
    from chainkg.viz.meeting_docs import AGENDA_SECTIONS

    console.print(data["meeting"]["name"], markup=False, highlight=False)
    for key, heading in AGENDA_SECTIONS:
        rows = data["agenda"][key]
        cols = (
            ["chain", "segment", "status_label", "reasons"]
            if key == "findings"
            else ["id", "chain", "title", "owner", "due", "level"]
        )
        _table(rows, cols, f"{heading} ({len(rows)})")


@meetings_app.command("minutes")
def minutes_cmd(
    meeting_id: str = typer.Argument(..., help="Meeting id."),
    text: str = typer.Option(..., "--text", help="The minutes (纪要)."),
    decision: list[str] = typer.Option(
        [], "--decision", help="A decision: '事项|责任单位|YYYY-MM-DD[|产业链]' (repeatable)."
    ),
) -> None:
    """Record a meeting's minutes and its decisions (each tracked with an owner and a due day)."""
    from chainkg.loaders.meeting_store import record_minutes

    parsed = []
    for i, d in enumerate(decision, 1):
        parts = [p.strip() for p in d.split("|")]
        if len(parts) not in (3, 4):
            raise typer.BadParameter(
                f"--decision #{i} {d!r}: write 事项|责任单位|YYYY-MM-DD[|产业链]"
            )
        parsed.append(
            {
                "title": parts[0],
                "owner": parts[1],
                "due": _date(parts[2], f"--decision #{i}"),
                "chain": parts[3] if len(parts) == 4 else None,
            }
        )
    with open_store() as store:
        written = record_minutes(store, meeting_id, minutes=text, decisions=parsed, now=now())
    console.print(
        f"recorded minutes of {meeting_id}; {len(written)} decision(s): "
        + ", ".join(d["id"] for d in written),
        markup=False,
        highlight=False,
    )


@meetings_app.command("done")
def done_cmd(
    decision_id: str = typer.Argument(..., help="Decision id (decision:...)."),
    on: str | None = typer.Option(None, "--on", help="Day it was done (default today)."),
) -> None:
    """Mark a decision 已完成."""
    from chainkg.loaders.meeting_store import close_decision

    with open_store() as store:
        close_decision(store, decision_id, on=_date(on, "--on") or now().date())
    console.print(f"{decision_id}: 已完成", markup=False, highlight=False)


@meetings_app.command("ics")
def ics_cmd(
    output: Path = typer.Option(..., "-o", "--output", help="The .ics file to write."),
    year: int | None = typer.Option(None, "--year", help="Only this year."),
) -> None:
    """Export the calendar as iCalendar (.ics) for Outlook, WPS or a phone."""
    from chainkg.queries.meetings import list_meetings
    from chainkg.viz.meeting_docs import calendar_ics

    first = dt.date(year, 1, 1) if year else dt.date(1900, 1, 1)
    last = dt.date(year, 12, 31) if year else dt.date(2999, 12, 31)
    with open_store() as store:
        rows = list_meetings(store, first, last)
    output.write_bytes(calendar_ics(rows, stamp=now()))
    console.print(f"wrote {output}: {len(rows)} meetings", markup=False, highlight=False)


def supervise(
    today: str | None = typer.Option(None, "--today", help="Judge as of this day (default today)."),
    policy: Path | None = typer.Option(None, "--policy", help=POLICY_HELP),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format"),
) -> None:
    """督办: per 群链长 and per responsible unit, overdue problems, open decisions, open weak links."""
    from chainkg.queries.meetings import supervision

    pol = policy_option(policy)
    with open_store() as store:
        data = supervision(store, pol, _today(today))
    if fmt is OutputFormat.json:
        echo_json(data)
        return
    for title, key, rows in (
        ("群链长", "chief", data["chiefs"]),
        ("责任单位", "unit", data["units"]),
    ):
        flat = [
            {
                key: r[key],
                "cluster": r.get("cluster", ""),
                "overdue": len(r["overdue"]),
                "open_decisions": len(r["open_decisions"]),
                "open_findings": len(r["open_findings"]),
            }
            for r in rows
        ]
        _table(
            flat, [key, "cluster", "overdue", "open_decisions", "open_findings"], f"督办 {title}"
        )
