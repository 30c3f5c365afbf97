"""The meeting calendar as iCalendar (.ics, icalendar) and a meeting's agenda as Word (.docx).

Text from the graph goes into the files as text (iCalendar escapes it; python-docx writes
runs, never markup). Synthetic demo meetings say 示例数据 in their title.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

SYNTHETIC = "（示例数据）"
AGENDA_SECTIONS = (
    ("escalated", "一、逾期未结、升级协调的问题"),
    ("overdue", "二、逾期问题"),
    ("major", "三、个性重大问题"),
    ("decisions", "四、到期未完成的议定事项"),
    ("findings", "五、尚未列入台账的短板弱项"),
)


def _title(meeting: Mapping[str, Any]) -> str:
    return meeting["name"] + (SYNTHETIC if meeting.get("synthetic") else "")


def calendar_ics(meetings: Iterable[Mapping[str, Any]], *, stamp: dt.datetime) -> bytes:
    """An iCalendar file with one all-day event per meeting (UID = meeting id)."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//chainkg//双长制 meetings//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "双长制工作例会")
    for m in meetings:
        event = Event()
        event.add("uid", f"{m['id']}@chainkg")
        event.add("dtstamp", stamp)
        event.add("dtstart", m["held_on"])
        event.add("dtend", m["held_on"] + dt.timedelta(days=1))
        event.add("summary", _title(m))
        lines = [f"召集：{m.get('convener') or ''}"]
        if m.get("attendees"):
            lines.append("参加：" + "、".join(m["attendees"]))
        if m.get("chains"):
            lines.append("涉及产业链：" + "、".join(m["chains"]))
        if m.get("synthetic"):
            lines.append("示例数据 (synthetic demo data)")
        event.add("description", "\n".join(lines))
        event.add("categories", [m["kind"]])
        cal.add_component(event)
    return cal.to_ical()


def _row_text(key: str, row: Mapping[str, Any]) -> list[str]:
    if key == "findings":
        return [row["chain"], row["segment"], row["status_label"], row.get("reasons") or ""]
    if key == "decisions":
        return [
            row.get("chain") or "",
            row["title"],
            row.get("owner") or "",
            str(row.get("due") or ""),
        ]
    extra = {
        "escalated": f"第{row.get('level')}级升级；末期限 {row.get('final_due')}",
        "overdue": f"{row.get('stage')} 应于 {row.get('due')} 完成",
        "major": row.get("status") or "",
    }[key]
    return [row.get("chain") or "", row.get("title") or "", row.get("owner") or "", extra]


_HEADERS = {
    "findings": ["产业链", "环节", "类型", "依据"],
    "decisions": ["产业链", "事项", "责任单位", "期限"],
}


def agenda_docx(
    meeting: Mapping[str, Any], items: Mapping[str, list[Mapping[str, Any]]], path: Path
) -> None:
    """Write the agenda of ``meeting`` (from ``queries.meetings.meeting_agenda``) to ``path``."""
    from docx import Document

    doc = Document()
    doc.add_heading(_title(meeting), level=1)
    doc.add_paragraph(f"时间：{meeting['held_on'].isoformat()}")
    doc.add_paragraph(f"召集：{meeting.get('convener') or ''}")
    if meeting.get("attendees"):
        doc.add_paragraph("参加：" + "、".join(meeting["attendees"]))
    if meeting.get("synthetic"):
        doc.add_paragraph("本议程由示例数据生成 (synthetic demo data)。")
    for key, heading in AGENDA_SECTIONS:
        rows = items.get(key) or []
        doc.add_heading(f"{heading}（{len(rows)}）", level=2)
        if not rows:
            doc.add_paragraph("无")
            continue
        headers = _HEADERS.get(key, ["产业链", "问题", "责任单位", "说明"])
        table = doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = text
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, _row_text(key, row), strict=True):
                cell.text = text
    doc.save(str(path))
