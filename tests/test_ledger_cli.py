"""``chainkg problems``, ``chainkg meetings`` and ``chainkg supervise`` end to end (embedded store)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chainkg.cli.main import main

UNIT = "省工业和信息化厅"
DISPATCH_OCT = f"meeting:unit_dispatch_meeting:{UNIT}:2026-10-26"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_problem_and_meeting_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    d = ["--data-dir", str(tmp_path / "g")]
    monkeypatch.setenv("CHAINKG_NOW", "2026-09-30T09:00:00")
    monkeypatch.setenv("CHAINKG_USER", "张三")
    assert main([*d, "load", "roster"]) == 0
    assert _run(capsys, *d, "meetings", "plan", "--year", "2026")[0] == 0
    code, out, _ = _run(
        capsys, *d, "problems", "add", "--chain", "尼龙新材料产业链", "--title", "己二腈供应",
        "--source", "万人助万企", "--category", "个性重大", "--owner", UNIT, "--format", "json",
    )  # fmt: skip
    assert code == 0
    p = json.loads(out)
    assert (p["status"], p["origin"], p["due"], p["final_due"]) == (
        "登记",
        "企业反映",
        "2026-10-08",
        "2026-10-20",
    )
    assert [s["due"] for s in p["schedule"]] == [
        "2026-10-08",
        "2026-10-10",
        "2026-10-15",
        "2026-10-20",
    ]
    code, _, err = _run(capsys, *d, "problems", "update", p["id"], "--status", "已反馈")
    assert code == 1
    assert f"problem {p['id']} cannot go from 登记 to 已反馈" in err
    assert "from 登记 it may go to: 交办、办理中、办结、退回、转共性" in err
    monkeypatch.setenv("CHAINKG_NOW", "2026-10-08T15:00:00")
    code, out, _ = _run(
        capsys, *d, "problems", "update", p["id"], "--status", "交办", "--format", "json"
    )
    shown = json.loads(out)
    assert [(h["seq"], h["actor"], h["to_status"]) for h in shown["history"]] == [
        (1, "张三", "登记"),
        (2, "张三", "交办"),
    ]
    code, out, _ = _run(
        capsys, *d, "problems", "overdue", "--today", "2026-12-31", "--format", "json"
    )
    late = json.loads(out)
    assert (late["total"], late["problems"][0]["id"], late["problems"][0]["stage"]) == (
        1,
        p["id"],
        "plan",
    )
    code, out, _ = _run(
        capsys, *d, "meetings", "agenda", DISPATCH_OCT, "--today", "2026-10-27", "--format", "json"
    )
    agenda = json.loads(out)["agenda"]
    assert [(r["id"], r["level"]) for r in agenda["escalated"]] == [(p["id"], 1)]

    code, out, _ = _run(
        capsys, *d, "meetings", "minutes", DISPATCH_OCT, "--text", "研究己二腈",
        "--decision", f"协调保供|{UNIT}|2026-11-20|尼龙新材料产业链",
    )  # fmt: skip
    assert code == 0
    decision = "decision:unit_dispatch_meeting:省工业和信息化厅:2026-10-26#1"
    assert decision in out
    code, out, _ = _run(capsys, *d, "supervise", "--today", "2026-12-31", "--format", "json")
    sup = json.loads(out)
    unit = next(u for u in sup["units"] if u["unit"] == UNIT)
    assert ([x["id"] for x in unit["overdue"]], [x["id"] for x in unit["open_decisions"]]) == (
        [p["id"]],
        [decision],
    )

    # iCalendar and Word files, read back with their own libraries
    ics = tmp_path / "cal.ics"
    assert _run(capsys, *d, "meetings", "ics", "-o", str(ics), "--year", "2026")[0] == 0
    from icalendar import Calendar

    events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert len(events) == 78
    oct_event = next(e for e in events if str(e["uid"]) == f"{DISPATCH_OCT}@chainkg")
    assert str(oct_event["summary"]) == f"{UNIT}2026年10月群链长责任单位调度会议"
    assert oct_event.decoded("dtstart").isoformat() == "2026-10-26"
    docx_path = tmp_path / "agenda.docx"
    code, _, _ = _run(
        capsys,
        *d,
        "meetings",
        "agenda",
        DISPATCH_OCT,
        "--today",
        "2026-10-27",
        "-o",
        str(docx_path),
    )
    assert code == 0
    from docx import Document

    doc = Document(str(docx_path))
    texts = [para.text for para in doc.paragraphs]
    assert texts[0] == f"{UNIT}2026年10月群链长责任单位调度会议"
    assert "一、逾期未结、升级协调的问题（1）" in texts
    assert doc.tables[0].rows[1].cells[1].text == "己二腈供应"
