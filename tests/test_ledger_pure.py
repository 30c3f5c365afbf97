"""The ledger's policy file, working-day arithmetic and status machine, without a database.

Due dates were worked out by hand from the State Council's 2026 holiday notice:
国庆/中秋 2026: 10-01..10-07 off, Saturday 10-10 a working day; 春节 2026: 02-15..02-23 off,
Saturdays 02-14 and 02-28 working days.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from chainkg.errors import InputError
from chainkg.loaders.ledger_model import (
    LedgerError,
    apply_change,
    current_stage,
    new_problem,
    schedule,
)
from chainkg.loaders.ledger_policy import (
    CalendarError,
    add_days,
    days_between,
    default_policy_path,
    first_workday_on_or_after,
    is_workday,
    load_policy,
    parse_policy,
)

POLICY = load_policy()
UNITS = ("省工业和信息化厅",)
AT = dt.datetime(2026, 9, 30, 9, 30)


def _dues(registered: dt.date) -> list[dt.date]:
    problem = {"registered": registered, "status": "登记"}
    return [s.due for s in schedule(problem, POLICY)]


def test_shipped_policy_is_13710_in_working_days() -> None:
    assert [(s.key, s.status, s.days) for s in POLICY.stages] == [
        ("assign", "交办", 1),
        ("plan", "办理中", 3),
        ("resolve", "办结", 7),
        ("feedback", "已反馈", 10),
    ]
    assert (POLICY.counting, POLICY.basis) == ("working_days", "registered")
    assert POLICY.escalation == ("unit_dispatch_meeting", "chief_meeting", "general_chief_meeting")


def test_due_dates_before_national_day_skip_the_holiday_and_use_the_adjusted_saturday() -> None:
    assert _dues(dt.date(2026, 9, 30)) == [
        dt.date(2026, 10, 8),
        dt.date(2026, 10, 10),  # Saturday, an adjusted working day (调休)
        dt.date(2026, 10, 15),
        dt.date(2026, 10, 20),
    ]


def test_due_dates_before_spring_festival() -> None:
    assert _dues(dt.date(2026, 2, 13)) == [
        dt.date(2026, 2, 14),  # Saturday before 春节, a working day
        dt.date(2026, 2, 25),
        dt.date(2026, 3, 2),  # after Saturday 02-28, also a working day
        dt.date(2026, 3, 5),
    ]


def test_calendar_days_and_previous_stage_basis() -> None:
    doc = {
        "policy": {"counting": "calendar_days", "basis": "previous"},
        "stage": [
            {"key": "a", "status": "交办", "days": 1},
            {"key": "b", "status": "办理中", "days": 3},
        ],
    }
    policy = parse_policy(doc)
    problem = {
        "registered": dt.date(2026, 9, 30),
        "status": "交办",
        "assigned_on": dt.date(2026, 10, 5),
    }
    assert [s.due for s in schedule(problem, policy)] == [
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 8),
    ]


def test_working_days_between() -> None:
    assert days_between(dt.date(2026, 9, 30), dt.date(2026, 10, 10), "working_days") == 3
    assert days_between(dt.date(2026, 10, 10), dt.date(2026, 9, 30), "working_days") == 0


def test_a_year_the_calendar_does_not_know_is_refused_not_guessed() -> None:
    with pytest.raises(CalendarError) as err:
        add_days(dt.date(2026, 12, 30), 3, "working_days")
    assert "no data for 2027-01-01" in str(err.value)
    assert "pip install -U chinesecalendar" in err.value.hint
    assert "[holidays.2027]" in err.value.hint
    # calendar days need no holiday data
    assert add_days(dt.date(2026, 12, 30), 3, "calendar_days") == dt.date(2027, 1, 2)


def test_bad_policy_file_names_each_problem(tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(
        '[policy]\ncounting = "hours"\n[[stage]]\nkey = "a"\nstatus = "交办"\ndays = -1\n'
        '[[stage]]\nkey = "b"\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_policy(path)
    assert [p.message for p in err.value.problems] == [
        "[policy] counting = 'hours'; use one of ('working_days', 'calendar_days')",
        "[[stage]] a: days must be a whole number >= 0",
        "[[stage]] #2 lacks status, days",
    ]


def _registered() -> dict:
    problem, event = new_problem(
        {"chain": "尼龙新材料产业链", "title": "用地指标不足", "origin": "万人助万企"},
        by="张三",
        at=AT,
        policy=POLICY,
        units=UNITS,
    )
    assert event["actor"] == "张三" and event["to_status"] == "登记"
    return problem


def test_new_problem_defaults_and_due() -> None:
    p = _registered()
    assert (p["status"], p["category"], p["origin"], p["stage"], p["due"]) == (
        "登记",
        "一般",
        "企业反映",
        "assign",
        dt.date(2026, 10, 8),
    )
    assert p["final_due"] == dt.date(2026, 10, 20)
    assert (
        p["id"]
        == new_problem(
            {"chain": "尼龙新材料产业链", "title": "用地指标不足"},
            by="x",
            at=AT,
            policy=POLICY,
            units=UNITS,
        )[0]["id"]
    )


def test_status_machine_walks_the_main_line_and_records_each_step() -> None:
    p = _registered()
    p, e = apply_change(
        p,
        {"status": "交办", "owner": "省工业和信息化厅"},
        by="李四",
        at=AT,
        policy=POLICY,
        units=UNITS,
    )
    assert (p["status"], p["assigned_on"], p["stage"], p["due"]) == (
        "交办",
        AT.date(),
        "plan",
        dt.date(2026, 10, 10),
    )
    assert (e["seq"], e["from_status"], e["to_status"], e["changes"]) == (
        2,
        "登记",
        "交办",
        '{"owner": "省工业和信息化厅"}',
    )
    later = dt.datetime(2026, 10, 14, 16, 0)
    p, e = apply_change(p, {"status": "办结"}, by="李四", at=later, policy=POLICY, units=UNITS)
    # skipping 办理中 counts it as reached the same day
    assert (p["started_on"], p["resolved_on"], p["stage"]) == (
        later.date(),
        later.date(),
        "feedback",
    )
    assert [s.on_time for s in schedule(p, POLICY)] == [True, False, True, None]
    with pytest.raises(LedgerError, match="已反馈 needs the enterprise's satisfaction"):
        apply_change(p, {"status": "已反馈"}, by="李四", at=later, policy=POLICY, units=UNITS)
    p, e = apply_change(
        p,
        {"status": "已反馈", "satisfaction": "满意"},
        by="李四",
        at=later,
        policy=POLICY,
        units=UNITS,
    )
    assert (p["is_open"], p["stage"], p["due"], e["seq"]) == (False, None, None, 4)
    assert current_stage(p, POLICY) is None


def test_wrong_steps_are_refused_with_what_is_allowed() -> None:
    p = _registered()
    with pytest.raises(LedgerError) as err:
        apply_change(p, {"status": "已反馈"}, by="x", at=AT, policy=POLICY, units=UNITS)
    assert str(err.value) == f"problem {p['id']} cannot go from 登记 to 已反馈"
    assert err.value.hint == "from 登记 it may go to: 交办、办理中、办结、退回、转共性"
    with pytest.raises(LedgerError, match="needs a reason"):
        apply_change(p, {"status": "退回"}, by="x", at=AT, policy=POLICY, units=UNITS)
    with pytest.raises(LedgerError, match="has no owner unit"):
        apply_change(p, {"status": "交办"}, by="x", at=AT, policy=POLICY, units=UNITS)
    with pytest.raises(LedgerError, match="省发展改革委 is not a responsible unit"):
        apply_change(p, {"owner": "省发展改革委"}, by="x", at=AT, policy=POLICY, units=UNITS)
    with pytest.raises(LedgerError, match="unknown satisfaction"):
        apply_change(p, {"satisfaction": "很好"}, by="x", at=AT, policy=POLICY, units=UNITS)


def test_to_common_and_return_keep_their_reason() -> None:
    p = _registered()
    q, e = apply_change(
        p,
        {"status": "转共性", "reason": "多家企业反映，需出台政策"},
        by="x",
        at=AT,
        policy=POLICY,
        units=UNITS,
    )
    assert (q["status"], q["reason"], q["is_open"], e["reason"]) == (
        "转共性",
        "多家企业反映，需出台政策",
        False,
        "多家企业反映，需出台政策",
    )
    r, _ = apply_change(
        p,
        {"status": "退回", "reason": "不属于产业链问题"},
        by="x",
        at=AT,
        policy=POLICY,
        units=UNITS,
    )
    with pytest.raises(LedgerError, match="needs a reason"):
        apply_change(r, {"status": "登记"}, by="x", at=AT, policy=POLICY, units=UNITS)
    r2, _ = apply_change(
        r,
        {"status": "登记", "reason": "补充材料后重新登记"},
        by="x",
        at=AT,
        policy=POLICY,
        units=UNITS,
    )
    assert (r2["status"], r2["is_open"], r2["stage"]) == ("登记", True, "assign")


# A made-up 2027 notice (the real one is not in the package): New Year Fri 01-01 and Mon 01-04
# off, Saturday 01-09 worked.
HOLIDAYS_2027 = """
[holidays.2027]
source = "国务院办公厅关于2027年部分节假日安排的通知（测试用）"
rest = [2027-01-01, "2027-01-04"]
work = [2027-01-09]
"""


def _with_holidays(extra: str):
    doc = tomllib.loads(default_policy_path().read_text(encoding="utf-8") + extra)
    return parse_policy(doc, "p.toml")


def test_a_declared_holiday_notice_extends_the_calendar_past_the_package() -> None:
    policy = _with_holidays(HOLIDAYS_2027)
    (year,) = policy.holidays.years
    assert (year.year, year.source) == (
        2027,
        "国务院办公厅关于2027年部分节假日安排的通知（测试用）",
    )
    assert sorted(year.rest) == [dt.date(2027, 1, 1), dt.date(2027, 1, 4)]
    h = policy.holidays
    # Wed 2026-12-30 (package) + 3 working days: Thu 12-31, then 01-01 off, 01-02/03 weekend,
    # 01-04 off, so Tue 01-05 and Wed 01-06
    assert add_days(dt.date(2026, 12, 30), 3, "working_days", h) == dt.date(2027, 1, 6)
    assert is_workday(dt.date(2027, 1, 9), h) is True  # 调休 Saturday
    assert is_workday(dt.date(2027, 1, 10), h) is False  # an ordinary Sunday
    assert days_between(dt.date(2027, 1, 8), dt.date(2027, 1, 11), "working_days", h) == 2
    assert first_workday_on_or_after(dt.date(2027, 1, 1), "working_days", h) == dt.date(2027, 1, 5)
    # the due dates of a problem registered on 2026-12-30 now reach into 2027: working days
    # 12-31, 01-05, 01-06, 01-07, 01-08, Sat 01-09, 01-11, 01-12, 01-13, 01-14
    problem = {"registered": dt.date(2026, 12, 30), "status": "登记"}
    assert [s.due for s in schedule(problem, policy)] == [
        dt.date(2026, 12, 31),
        dt.date(2027, 1, 6),
        dt.date(2027, 1, 11),
        dt.date(2027, 1, 14),
    ]
    # 2028 is still refused, naming that year's table
    with pytest.raises(CalendarError) as err:
        add_days(dt.date(2027, 12, 30), 3, "working_days", h)
    assert "[holidays.2028]" in err.value.hint


def test_a_declared_year_reproduces_the_package_day_for_day() -> None:
    """The commented 2026 example in the shipped policy file, declared, equals the package on
    every day of 2026: the declared form means what the package means."""
    text = default_policy_path().read_text(encoding="utf-8")
    block = text[text.index("# [holidays.2026]") :]
    example = "\n".join(line.removeprefix("# ").removeprefix("#") for line in block.splitlines())
    policy = _with_holidays("\n" + example)
    day = dt.date(2026, 1, 1)
    differ = []
    while day.year == 2026:
        if is_workday(day, policy.holidays) != is_workday(day):
            differ.append(day)
        day += dt.timedelta(days=1)
    assert differ == []
    assert len(policy.holidays.year(2026).rest) == 19


def test_bad_holiday_tables_name_year_key_and_value() -> None:
    bad = """
[holidays.2027]
rest = [2026-12-31, "tomorrow"]
work = [2027-01-06, 2027-01-09, "2027-01-09"]

[holidays.next]
rest = []
"""
    with pytest.raises(InputError) as err:
        _with_holidays(bad)
    messages = [p.message for p in err.value.problems]
    assert messages == [
        "[holidays.2027]: source is missing; name the State Council notice",
        "[holidays.2027] rest: 2026-12-31 is not in 2027",
        "[holidays.2027] rest: 'tomorrow' is not a date (YYYY-MM-DD)",
        "[holidays.2027] work: 2027-01-06 is a weekday, already a working day; list only the "
        "weekend days worked (调休上班)",
        "[holidays.next]: the table name must be a year like 2027",
    ]
