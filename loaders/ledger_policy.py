"""The ledger's time policy (``data/ledger-policy.toml``) and working-day arithmetic.

"13710" is read differently from place to place, so the stages, their limits, how they
are counted and when the regular meetings fall are data: the policy file decides. Working
days come from the ``chinese-calendar`` package (PyPI ``chinesecalendar``), which follows
the State Council's yearly holiday notice including adjusted working days (调休). It covers
the years whose notice was out when it was released. The policy file can declare a year's
notice itself (``[holidays.<year>]``: its rest days, its adjusted working days and the
notice as source), which then takes precedence, so a new year's notice can be entered the
day it is published. A date in neither raises ``CalendarError`` instead of guessing (a
weekend rule would be wrong around every holiday).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from chainkg.errors import ConfigError, InputError, Problem, RuleError

COUNTINGS = ("working_days", "calendar_days")
BASES = ("registered", "previous")


class CalendarError(RuleError, ConfigError):
    """A date lies outside the years the holiday calendar knows."""


@dataclass(frozen=True)
class Stage:
    """One 13710 stage: reaching ``status`` completes it, within ``days``."""

    key: str
    name: str
    status: str
    days: int


@dataclass(frozen=True)
class MeetingRule:
    """When a regular meeting falls: first working day on or after ``day`` of ``months``."""

    months: tuple[int, ...]
    day: int


@dataclass(frozen=True)
class YearHolidays:
    """One year's State Council holiday notice as declared in the policy file."""

    year: int
    rest: frozenset[dt.date]  # days off (the holidays, including the weekdays they span)
    work: frozenset[dt.date]  # adjusted working days (调休上班) falling on a weekend
    source: str  # the notice, e.g. 国务院办公厅关于2027年部分节假日安排的通知


@dataclass(frozen=True)
class HolidayTable:
    """The years the policy file declares; hashable, so day arithmetic stays cached."""

    years: tuple[YearHolidays, ...] = ()

    def year(self, year: int) -> YearHolidays | None:
        """The declared notice for ``year``, if any."""
        return next((y for y in self.years if y.year == year), None)


@dataclass(frozen=True)
class Policy:
    """The parsed policy file."""

    name: str
    counting: str
    basis: str
    due_soon_days: int
    stages: tuple[Stage, ...]
    escalation: tuple[str, ...]
    meetings: dict[str, MeetingRule] = field(default_factory=dict)
    source: str = ""
    holidays: HolidayTable = HolidayTable()

    def stage(self, key: str) -> Stage:
        """The stage called ``key``."""
        for s in self.stages:
            if s.key == key:
                return s
        raise KeyError(key)


def default_policy_path() -> Path:
    """The policy file shipped with chainkg (``data/ledger-policy.toml``)."""
    return Path(str(resources.files("chainkg.data") / "ledger-policy.toml"))


def load_policy(path: Path | None = None) -> Policy:
    """The policy in ``path`` (default: the shipped one); InputError naming each bad entry."""
    path = path or default_policy_path()
    return parse_policy(read_toml(path), path.name)


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's document; InputError naming the file when unreadable or invalid."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError([Problem(path.name, f"cannot read the file: {exc.strerror}")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError([Problem(path.name, f"not valid TOML: {exc}")]) from None


def parse_policy(doc: dict[str, Any], name: str = "policy") -> Policy:
    """A Policy from the TOML document ``doc`` (pure)."""
    problems: list[Problem] = []
    head = doc.get("policy", {})
    counting = head.get("counting", "working_days")
    if counting not in COUNTINGS:
        problems.append(Problem(name, f"[policy] counting = {counting!r}; use one of {COUNTINGS}"))
    basis = head.get("basis", "registered")
    if basis not in BASES:
        problems.append(Problem(name, f"[policy] basis = {basis!r}; use one of {BASES}"))
    stages: list[Stage] = []
    for i, s in enumerate(doc.get("stage", []), 1):
        missing = [k for k in ("key", "status", "days") if k not in s]
        if missing:
            problems.append(Problem(name, f"[[stage]] #{i} lacks {', '.join(missing)}"))
            continue
        days = s["days"]
        if not isinstance(days, int) or days < 0:
            problems.append(
                Problem(name, f"[[stage]] {s['key']}: days must be a whole number >= 0")
            )
            continue
        stages.append(Stage(s["key"], s.get("name", s["key"]), s["status"], days))
    if not stages and not problems:
        problems.append(Problem(name, "no [[stage]] entries: give at least one stage"))
    if basis == "registered" and any(b.days < a.days for a, b in itertools.pairwise(stages)):
        problems.append(Problem(name, "with basis = registered the stage days must not decrease"))
    meetings: dict[str, MeetingRule] = {}
    for key, rule in doc.get("meetings", {}).items():
        months = tuple(rule.get("months", ()))
        day = rule.get("day", 1)
        if not months or any(not 1 <= m <= 12 for m in months) or not 1 <= day <= 28:
            problems.append(Problem(name, f"[meetings.{key}]: months 1-12 and day 1-28 please"))
            continue
        meetings[key] = MeetingRule(months, day)
    escalation = tuple(doc.get("escalation", {}).get("meetings", ()))
    holidays = parse_holidays(doc.get("holidays", {}), name, problems)
    if problems:
        raise InputError(problems, hint="see docs/ledger.md for the policy file's entries")
    return Policy(
        name=head.get("name", name),
        counting=counting,
        basis=basis,
        due_soon_days=int(head.get("due_soon_days", 1)),
        stages=tuple(stages),
        escalation=escalation,
        meetings=meetings,
        source=name,
        holidays=holidays,
    )


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def parse_holidays(section: Any, name: str, problems: list[Problem]) -> HolidayTable:
    """The ``[holidays.<year>]`` tables of a policy document (pure); bad entries are appended
    to ``problems``, each naming the year, the key and the value."""
    if not isinstance(section, dict):
        problems.append(Problem(name, "[holidays] must be tables like [holidays.2027]"))
        return HolidayTable()
    years: list[YearHolidays] = []
    for key, table in sorted(section.items()):
        where = f"[holidays.{key}]"
        if not (isinstance(key, str) and key.isdigit() and len(key) == 4):
            problems.append(Problem(name, f"{where}: the table name must be a year like 2027"))
            continue
        if not isinstance(table, dict):
            problems.append(Problem(name, f"{where}: must be a table with rest, work, source"))
            continue
        year = int(key)
        source = str(table.get("source", "")).strip()
        if not source:
            problems.append(
                Problem(name, f"{where}: source is missing; name the State Council notice")
            )
        days: dict[str, set[dt.date]] = {}
        for part in ("rest", "work"):
            days[part] = set()
            values = table.get(part, [])
            if not isinstance(values, list):
                problems.append(Problem(name, f"{where} {part}: give a list of dates"))
                continue
            for value in values:
                day = _as_date(value)
                if day is None:
                    problems.append(
                        Problem(name, f"{where} {part}: {value!r} is not a date (YYYY-MM-DD)")
                    )
                elif day.year != year:
                    problems.append(
                        Problem(name, f"{where} {part}: {day.isoformat()} is not in {year}")
                    )
                elif part == "work" and day.weekday() < 5:
                    problems.append(
                        Problem(
                            name,
                            f"{where} work: {day.isoformat()} is a weekday, already a working "
                            "day; list only the weekend days worked (调休上班)",
                        )
                    )
                else:
                    days[part].add(day)
        both = days["rest"] & days["work"]
        if both:
            listed = ", ".join(d.isoformat() for d in sorted(both))
            problems.append(Problem(name, f"{where}: {listed} is both in rest and in work"))
        years.append(YearHolidays(year, frozenset(days["rest"]), frozenset(days["work"]), source))
    return HolidayTable(tuple(years))


@functools.cache
def is_workday(day: dt.date, holidays: HolidayTable | None = None) -> bool:
    """Whether ``day`` is an official working day in China (调休 Saturdays included): from
    the year's notice in ``holidays`` (the policy file) when declared there, else from the
    chinese-calendar package. CalendarError for a year neither covers.
    """
    declared = holidays.year(day.year) if holidays else None
    if declared is not None:
        if day in declared.work:
            return True
        return day.weekday() < 5 and day not in declared.rest
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError as exc:
        raise CalendarError(
            f"the holiday calendar has no data for {day.isoformat()} ({exc})",
            hint=f"declare the State Council's holiday notice for {day.year} in the policy "
            f"file ([holidays.{day.year}] with rest, work and source; see docs/ledger.md), "
            "or upgrade the chinesecalendar package once it carries that year "
            '(pip install -U chinesecalendar), or set counting = "calendar_days"',
        ) from None


@functools.cache  # a ledger asks for the same few hundred (day, limit) pairs again and again
def add_days(
    start: dt.date, days: int, counting: str, holidays: HolidayTable | None = None
) -> dt.date:
    """The day ``days`` working (or calendar) days after ``start``; ``start`` itself is day 0."""
    if counting == "calendar_days":
        return start + dt.timedelta(days=days)
    day = start
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if is_workday(day, holidays):
            left -= 1
    return day


def days_between(
    start: dt.date, end: dt.date, counting: str, holidays: HolidayTable | None = None
) -> int:
    """How many working (or calendar) days after ``start`` ``end`` is (0 if not after)."""
    if end <= start:
        return 0
    if counting == "calendar_days":
        return (end - start).days
    n = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_workday(day, holidays):
            n += 1
    return n


def first_workday_on_or_after(
    day: dt.date, counting: str = "working_days", holidays: HolidayTable | None = None
) -> dt.date:
    """``day`` if it is a working day, else the next working day."""
    if counting == "calendar_days":
        return day
    while not is_workday(day, holidays):
        day += dt.timedelta(days=1)
    return day
