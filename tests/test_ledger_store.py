"""The problem ledger on both stores: register, change, history, overdue lists, figures."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from chainkg.errors import NotFoundError
from chainkg.graph.store import GraphStore
from chainkg.loaders.ledger_model import LedgerError
from chainkg.loaders.ledger_policy import load_policy
from chainkg.loaders.ledger_store import add_problem, read_problem, update_problem
from chainkg.loaders.roster_load import load_roster
from chainkg.loaders.template_load import load_chain_templates
from chainkg.queries.ledger import (
    due_soon,
    ledger_figures,
    list_problems,
    overdue,
    problem_events,
    segment_problem_counts,
)
from chainkg.queries.meetings import new_findings, problem_from_finding

POLICY = load_policy()
NYLON = "尼龙新材料产业链"
UNIT = "省工业和信息化厅"


def _at(day: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour)


@pytest.fixture
def ledger(store: GraphStore) -> GraphStore:
    load_roster(store)
    return store


def test_register_change_history_and_refusals(ledger: GraphStore) -> None:
    load_chain_templates(ledger)
    p = add_problem(
        ledger,
        {
            "chain": NYLON,
            "title": "己二腈原料供应不稳",
            "segment": "己二腈与己二胺",
            "category": "个性重大",
        },
        by="张三",
        now=_at("2026-09-30"),
        policy=POLICY,
    )
    update_problem(
        ledger,
        p["id"],
        {"status": "交办", "owner": UNIT},
        by="李四",
        now=_at("2026-10-08", 10),
        policy=POLICY,
    )
    stored = read_problem(ledger, p["id"])
    assert (
        stored["status"],
        stored["owner"],
        stored["assigned_on"],
        stored["stage"],
        stored["due"],
    ) == (
        "交办",
        UNIT,
        dt.date(2026, 10, 8),
        "plan",
        dt.date(2026, 10, 10),
    )
    assert stored["synthetic"] is False and stored["source"] == "问题台账"
    events = problem_events(ledger, p["id"])
    assert [
        (e["seq"], e["actor"], e["at_time"], e["action"], e["from_status"], e["to_status"])
        for e in events
    ] == [
        (1, "张三", "2026-09-30T09:00:00", "登记", None, "登记"),
        (2, "李四", "2026-10-08T10:00:00", "交办", "登记", "交办"),
    ]
    assert segment_problem_counts(ledger, NYLON, dt.date(2026, 10, 12)) == {
        "segment:尼龙新材料产业链/己二腈与己二胺": {
            "segment": "己二腈与己二胺",
            "total": 1,
            "open": 1,
            "overdue": 1,
        }
    }
    # a weak-link finding opens a problem with its evidence; it then leaves the open findings
    assert len(new_findings(ledger, [NYLON])) == 12  # no enterprises: every segment 缺链
    f = problem_from_finding(
        ledger, NYLON, "尼龙66盐", by="分析员", now=_at("2026-10-09"), policy=POLICY
    )
    assert (f["title"], f["origin"], f["segment"]) == (
        "短板弱项：尼龙66盐（缺链）",
        "短板弱项",
        "尼龙66盐",
    )
    assert json.loads(f["evidence"])["status"] == "missing"
    assert json.loads(f["evidence"])["metrics"]["enterprises"] == 0
    assert [x["segment"] for x in new_findings(ledger, [NYLON])].count("尼龙66盐") == 0
    assert len(new_findings(ledger, [NYLON])) == 11
    with pytest.raises(NotFoundError, match="no chain named '尼龙产业链'"):
        add_problem(
            ledger,
            {"chain": "尼龙产业链", "title": "x"},
            by="x",
            now=_at("2026-09-30"),
            policy=POLICY,
        )
    with pytest.raises(LedgerError, match="has no segment"):
        add_problem(
            ledger,
            {"chain": NYLON, "title": "x", "segment": "芯片"},
            by="x",
            now=_at("2026-09-30"),
            policy=POLICY,
        )
    p = add_problem(
        ledger, {"chain": NYLON, "title": "x"}, by="x", now=_at("2026-09-30"), policy=POLICY
    )
    with pytest.raises(LedgerError, match="already in the ledger"):
        add_problem(
            ledger, {"chain": NYLON, "title": "x"}, by="x", now=_at("2026-09-30", 15), policy=POLICY
        )
    with pytest.raises(LedgerError, match="cannot go from 登记 to 已反馈"):
        update_problem(
            ledger,
            p["id"],
            {"status": "已反馈", "satisfaction": "满意"},
            by="x",
            now=_at("2026-10-08"),
            policy=POLICY,
        )
    with pytest.raises(LedgerError, match="which the caller does not own"):
        update_problem(
            ledger,
            p["id"],
            {"owner": UNIT},
            by="x",
            now=_at("2026-10-08"),
            policy=POLICY,
            allowed_chains=["动力电池产业链"],
        )
    assert [e["seq"] for e in problem_events(ledger, p["id"])] == [1]
    assert len(list_problems(ledger)) == 3
    assert [r["title"] for r in list_problems(ledger, status="交办")] == ["己二腈原料供应不稳"]


def test_overdue_due_soon_and_owner_change(ledger: GraphStore) -> None:
    a = add_problem(
        ledger,
        {"chain": NYLON, "title": "A", "owner": UNIT},
        by="x",
        now=_at("2026-09-30"),
        policy=POLICY,
    )
    b = add_problem(
        ledger,
        {"chain": "动力电池产业链", "title": "B"},
        by="x",
        now=_at("2026-10-09"),
        policy=POLICY,
    )
    c = add_problem(
        ledger,
        {"chain": NYLON, "title": "C", "owner": UNIT},
        by="x",
        now=_at("2026-09-24"),
        policy=POLICY,
    )
    update_problem(
        ledger, c["id"], {"status": "办结"}, by="x", now=_at("2026-10-09"), policy=POLICY
    )
    today = dt.date(2026, 10, 9)
    late = overdue(ledger, today)
    # A: assign due 10-08; C: resolved, feedback due 10-15 (not late); B: due 10-10
    assert late["total"] == 1
    assert [(r["id"], r["stage"], r["due"], r["days_overdue"]) for r in late["problems"]] == [
        (a["id"], "assign", dt.date(2026, 10, 8), 1)
    ]
    assert overdue(ledger, today, chains=["动力电池产业链"])["total"] == 0
    soon = due_soon(ledger, today, dt.date(2026, 10, 10))
    assert [(r["id"], r["due"]) for r in soon] == [(b["id"], dt.date(2026, 10, 10))]
    # the owner link follows the owner
    update_problem(
        ledger, b["id"], {"owner": "省发展改革委"}, by="x", now=_at("2026-10-09"), policy=POLICY
    )
    update_problem(
        ledger, b["id"], {"owner": UNIT}, by="x", now=_at("2026-10-09", 11), policy=POLICY
    )
    owners = ledger.read(
        "MATCH (p:Problem {id: $id})-[r:CONCERNS]->(o:Organization) RETURN o.name AS name, r.role AS role",
        {"id": b["id"]},
    )
    assert owners == [{"name": UNIT, "role": "owner"}]


def test_figures_by_chain_exact(ledger: GraphStore) -> None:
    pol = POLICY
    # 1: resolved on time (resolve due 10-15), fed back 满意
    p1 = add_problem(
        ledger,
        {"chain": NYLON, "title": "1", "owner": UNIT},
        by="x",
        now=_at("2026-09-30"),
        policy=pol,
    )
    update_problem(ledger, p1["id"], {"status": "交办"}, by="x", now=_at("2026-10-08"), policy=pol)
    update_problem(
        ledger, p1["id"], {"status": "办理中"}, by="x", now=_at("2026-10-09"), policy=pol
    )
    update_problem(ledger, p1["id"], {"status": "办结"}, by="x", now=_at("2026-10-14"), policy=pol)
    update_problem(
        ledger,
        p1["id"],
        {"status": "已反馈", "satisfaction": "满意"},
        by="x",
        now=_at("2026-10-16"),
        policy=pol,
    )
    # 2: resolved late (resolve due 10-15, done 10-19), 不满意
    p2 = add_problem(
        ledger,
        {"chain": NYLON, "title": "2", "owner": UNIT},
        by="x",
        now=_at("2026-09-30"),
        policy=pol,
    )
    update_problem(ledger, p2["id"], {"status": "办结"}, by="x", now=_at("2026-10-19"), policy=pol)
    update_problem(
        ledger,
        p2["id"],
        {"status": "已反馈", "satisfaction": "不满意"},
        by="x",
        now=_at("2026-10-20"),
        policy=pol,
    )
    # 3: returned (not counted as accepted)
    p3 = add_problem(
        ledger, {"chain": NYLON, "title": "3"}, by="x", now=_at("2026-10-09"), policy=pol
    )
    update_problem(
        ledger,
        p3["id"],
        {"status": "退回", "reason": "非产业链问题"},
        by="x",
        now=_at("2026-10-09"),
        policy=pol,
    )
    # 4: still open
    add_problem(ledger, {"chain": NYLON, "title": "4"}, by="x", now=_at("2026-10-09"), policy=pol)
    rows = ledger_figures(
        ledger, dt.date(2026, 9, 1), dt.date(2026, 10, 31), by="chain", as_of=dt.date(2026, 10, 31)
    )
    assert rows == [
        {
            "chain": NYLON,
            "registered": 4,
            "accepted": 3,
            "resolved": 2,
            "solve_rate": 0.6667,
            "on_time": 1,
            "on_time_rate": 0.5,
            # working days (10-10 is a 调休 Saturday): assign p1 09-30 -> 10-08 = 1,
            # p2 09-30 -> 10-19 = 9: median 5; plan p1 10-08 -> 10-09 = 1, p2 0: 0.5;
            # resolve p1 10-09 -> 10-14 = 4, p2 0: 2; feedback p1 10-14 -> 10-16 = 2,
            # p2 10-19 -> 10-20 = 1: 1.5
            "median_days": {"assign": 5.0, "plan": 0.5, "resolve": 2.0, "feedback": 1.5},
            "satisfaction": {"满意": 1, "基本满意": 0, "不满意": 1},
            "satisfaction_rate": 0.5,
        }
    ]
