"""A year of the 双长制 at work (2026) with a frozen clock, on both stores.

Problems raised before 春节 and 国庆 get working-day due dates, escalate from the owner's
调度会议 to the cluster's 群链长例会 to the 总群链长例会, show on the meetings' agendas and
the 督办 lists, and the figures come out as computed by hand below.

The 2026 calendar (State Council notice; chinese-calendar): 春节 02-15..02-23 off with
Saturdays 02-14 and 02-28 working; 国庆/中秋 10-01..10-07 off with Saturday 10-10 working.
The policy places 调度会议 on the first working day from the 25th (10-26, 03-25),
群链长例会 from the 15th of each quarter's last month (12-15), 总群链长例会 from the 20th
of June and December (12-21).
"""

from __future__ import annotations

import datetime as dt

from chainkg.graph.store import GraphStore
from chainkg.loaders.ledger_policy import load_policy
from chainkg.loaders.ledger_store import add_problem, update_problem
from chainkg.loaders.meeting_plan import CHIEF, DISPATCH, GENERAL
from chainkg.loaders.meeting_store import close_decision, record_minutes
from chainkg.loaders.roster_load import load_roster
from chainkg.queries.ledger import ledger_figures, overdue
from chainkg.queries.meetings import (
    meeting_agenda,
    plan_calendar,
    problem_escalation,
    supervision,
)

POLICY = load_policy()
NYLON = "尼龙新材料产业链"
UNIT = "省工业和信息化厅"
DISPATCH_OCT = f"meeting:{DISPATCH}:{UNIT}:2026-10-26"
DISPATCH_MAR = f"meeting:{DISPATCH}:{UNIT}:2026-03-25"
CHIEF_DEC = f"meeting:{CHIEF}:新型材料:2026-12-15"
GENERAL_DEC = f"meeting:{GENERAL}:河南省:2026-12-21"


def _at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=10)


def _add(store: GraphStore, title: str, day: str, **fields: str) -> str:
    fields = {"chain": NYLON, "title": title, "owner": UNIT, **fields}
    return add_problem(store, fields, by="登记员", now=_at(day), policy=POLICY)["id"]


def _step(store: GraphStore, pid: str, day: str, status: str, **more: str) -> dict:
    change = {"status": status, **more}
    return update_problem(store, pid, change, by="责任处室", now=_at(day), policy=POLICY)


def test_a_year_of_the_ledger(store: GraphStore) -> None:
    load_roster(store)
    meetings = plan_calendar(store, 2026, POLICY, now=_at("2026-01-04"))
    assert len(meetings) == 78
    assert plan_calendar(store, 2026, POLICY, now=_at("2026-01-05")) == meetings  # idempotent
    assert store.counts().nodes["Meeting"] == 78

    # Before 春节: B resolved late and escalated once; C on time.
    b = _add(store, "B 春节前反映的用工问题", "2026-02-13")
    c = _add(store, "C 春节前反映的物流问题", "2026-02-13")
    _step(store, b, "2026-02-14", "交办")
    _step(store, b, "2026-02-25", "办理中")
    _step(store, b, "2026-03-20", "办结")
    _step(store, b, "2026-03-27", "已反馈", satisfaction="满意")
    _step(store, c, "2026-02-14", "交办")
    _step(store, c, "2026-03-02", "办结")
    _step(store, c, "2026-03-05", "已反馈", satisfaction="基本满意")
    # Before 国庆: A stays open; D is returned; E becomes a common problem.
    a = _add(store, "A 国庆前反映的己二腈供应问题", "2026-09-30", category="个性重大")
    d = _add(store, "D 不属于产业链的问题", "2026-09-30")
    e = _add(store, "E 多家企业反映的电价问题", "2026-09-30")
    _step(store, a, "2026-10-08", "交办")
    problem_a = _step(store, a, "2026-10-10", "办理中")
    _step(store, d, "2026-10-08", "退回", reason="属于企业内部经营问题")
    _step(store, e, "2026-10-09", "转共性", reason="共性问题，建议出台政策统筹解决")
    # After 国庆: F overdue at the October 调度会议, G a major problem registered that day.
    f = _add(store, "F 环评手续问题", "2026-10-20")
    _step(store, f, "2026-10-21", "交办")
    g = _add(store, "G 重大项目用地问题", "2026-10-26", category="个性重大")

    # Due dates in working days.
    assert [s["due"] for s in _schedule(problem_a)] == [
        dt.date(2026, 10, 8),
        dt.date(2026, 10, 10),
        dt.date(2026, 10, 15),
        dt.date(2026, 10, 20),
    ]
    b_row = store.nodes_by_id("Problem", [b])[0]
    assert [s["due"] for s in _schedule(b_row)] == [
        dt.date(2026, 2, 14),
        dt.date(2026, 2, 25),
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 5),
    ]

    # Escalation: A after its last stage (10-20) -> 调度会议 10-26 -> 群链长例会 12-15 ->
    # 总群链长例会 12-21; B (closed 03-27) only reached the 03-25 调度会议.
    def path(pid: str, today: str) -> list[tuple[int, str]]:
        p = store.nodes_by_id("Problem", [pid])[0]
        return [
            (x["level"], x["meeting"])
            for x in problem_escalation(store, p, POLICY, dt.date.fromisoformat(today))
        ]

    assert path(a, "2026-11-01") == [(1, DISPATCH_OCT), (2, CHIEF_DEC)]
    assert path(a, "2026-12-31") == [(1, DISPATCH_OCT), (2, CHIEF_DEC), (3, GENERAL_DEC)]
    assert path(b, "2026-12-31") == [(1, DISPATCH_MAR)]
    assert path(c, "2026-12-31") == path(d, "2026-12-31") == path(e, "2026-12-31") == []

    # The October 调度会议's agenda, its minutes and a decision tracked to the 12-15 例会.
    oct_agenda = meeting_agenda(store, DISPATCH_OCT, POLICY, dt.date(2026, 10, 26))["agenda"]
    assert [(r["id"], r["level"]) for r in oct_agenda["escalated"]] == [(a, 1)]
    assert [(r["id"], r["stage"], r["due"]) for r in oct_agenda["overdue"]] == [
        (f, "plan", dt.date(2026, 10, 23))
    ]
    assert [r["id"] for r in oct_agenda["major"]] == [g]
    assert oct_agenda["decisions"] == [] and oct_agenda["findings"] == []
    written = record_minutes(
        store,
        DISPATCH_OCT,
        minutes="研究己二腈供应问题",
        decisions=[
            {"title": "协调己二腈保供", "owner": UNIT, "chain": NYLON, "due": dt.date(2026, 11, 20)}
        ],
        now=_at("2026-10-26"),
    )
    decision = written[0]["id"]
    dec_agenda = meeting_agenda(store, CHIEF_DEC, POLICY, dt.date(2026, 12, 31))["agenda"]
    # F (last stage due 11-03) and G (11-09) were on the 11-25 调度会议 and stayed open too.
    assert sorted((r["id"], r["level"]) for r in dec_agenda["escalated"]) == sorted(
        [(a, 2), (f, 2), (g, 2)]
    )
    assert dec_agenda["overdue"] == []
    assert path(f, "2026-12-31") == [
        (1, f"meeting:{DISPATCH}:{UNIT}:2026-11-25"),
        (2, CHIEF_DEC),
        (3, GENERAL_DEC),
    ]
    assert [r["id"] for r in dec_agenda["decisions"]] == [decision]
    gen_agenda = meeting_agenda(store, GENERAL_DEC, POLICY, dt.date(2026, 12, 31))["agenda"]
    assert sorted((r["id"], r["level"]) for r in gen_agenda["escalated"]) == sorted(
        [(a, 3), (f, 3), (g, 3)]
    )

    # 督办 on 12-31: the unit sees A, F, G overdue and the open decision.
    sup = supervision(store, POLICY, dt.date(2026, 12, 31))
    unit = next(u for u in sup["units"] if u["unit"] == UNIT)
    assert sorted(p["id"] for p in unit["overdue"]) == sorted([a, f, g])
    assert [x["id"] for x in unit["open_decisions"]] == [decision]
    chief = next(x for x in sup["chiefs"] if x["cluster"] == "新型材料")
    assert chief["chief"] == "何金平" and [x["id"] for x in chief["open_decisions"]] == [decision]
    close_decision(store, decision, on=dt.date(2026, 11, 18))
    sup = supervision(store, POLICY, dt.date(2026, 12, 31))
    assert next(u for u in sup["units"] if u["unit"] == UNIT)["open_decisions"] == []
    assert overdue(store, dt.date(2026, 12, 31))["total"] == 3

    # Figures for problems registered January to September, counted on 12-31 (by hand):
    # A B C D E registered; D returned -> 4 accepted; B and C resolved -> 2/4; C on time
    # (resolve due 03-02), B late (03-20) -> 1/2; 满意 + 基本满意 = 2 of 2 rated.
    # Working days per stage: assign A 1, B 1, C 1 -> 1; plan A 10-08->10-10 2,
    # B 02-14->02-25 2, C 02-14->03-02 6 -> 2; resolve B 02-25->03-20 18, C 0 -> 9;
    # feedback B 03-20->03-27 5, C 03-02->03-05 3 -> 4.
    rows = ledger_figures(
        store,
        dt.date(2026, 1, 1),
        dt.date(2026, 9, 30),
        by="cluster",
        as_of=dt.date(2026, 12, 31),
        policy=POLICY,
    )
    assert rows == [
        {
            "cluster": "新型材料",
            "registered": 5,
            "accepted": 4,
            "resolved": 2,
            "solve_rate": 0.5,
            "on_time": 1,
            "on_time_rate": 0.5,
            "median_days": {"assign": 1, "plan": 2, "resolve": 9.0, "feedback": 4.0},
            "satisfaction": {"满意": 1, "基本满意": 1, "不满意": 0},
            "satisfaction_rate": 1.0,
        }
    ]
    quarters = ledger_figures(
        store, dt.date(2026, 1, 1), dt.date(2026, 12, 31), by="quarter", policy=POLICY
    )
    assert [(q["quarter"], q["registered"], q["resolved"]) for q in quarters] == [
        ("2026Q1", 2, 2),
        ("2026Q3", 3, 0),
        ("2026Q4", 2, 0),
    ]


def _schedule(problem: dict) -> list[dict]:
    from chainkg.loaders.ledger_model import schedule

    return [{"key": s.key, "due": s.due} for s in schedule(problem, POLICY)]
