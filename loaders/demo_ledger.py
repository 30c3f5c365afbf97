"""A synthetic problem ledger (示例数据) for the demo and the benchmarks (pure, seeded).

Problems are spread over a year's working days across the given chains; each walks the
status machine (``ledger_model``) a random distance, so the demo shows every status,
overdue and on-time problems, returns, common problems and satisfaction. Every problem
and event is made by the same functions a real change goes through.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from typing import Any

from chainkg.loaders.ledger_model import apply_change, new_problem
from chainkg.loaders.ledger_policy import Policy, add_days, is_workday

DEMO_TITLES = (
    "关键原材料供应紧张",
    "项目用地指标不足",
    "环评审批周期长",
    "流动资金贷款难",
    "高技能人才招聘难",
    "物流成本偏高",
    "用电报装慢",
    "上下游配套不足",
    "检验检测能力不足",
    "出口订单受阻",
)
DEMO_USER = "示例数据"


def _workdays(year: int, last: dt.date, policy: Policy) -> list[dt.date]:
    day = dt.date(year, 1, 5)
    out = []
    while day <= last:
        if is_workday(day, policy.holidays):
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def demo_problems(
    chains: Sequence[tuple[str, tuple[str, ...], tuple[str, ...]]],
    policy: Policy,
    *,
    year: int,
    today: dt.date,
    count: int,
    seed: int = 14,
    with_events: bool = True,
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]], str]]:
    """``count`` synthetic problems registered in ``year`` up to ``today``.

    ``chains``: (name, responsible units, segment names). Yields (problem, events, chain).
    """
    rng = random.Random(seed)
    days = _workdays(year, min(today, dt.date(year, 12, 31)), policy)
    usable = [c for c in chains if c[1]]
    for n in range(count):
        name, units, segments = usable[n % len(usable)]
        registered = rng.choice(days)
        at = dt.datetime.combine(registered, dt.time(9, 0))
        fields = {
            "chain": name,
            "title": f"{rng.choice(DEMO_TITLES)}（示例{n + 1}）",
            "segment": rng.choice(segments) if segments and rng.random() < 0.6 else None,
            "category": rng.choices(("一般", "个性重大", "共性"), (6, 2, 1))[0],
            "origin": rng.choices(("企业反映", "调研", "会议"), (6, 2, 1))[0],
            "owner": units[0],
        }
        problem, first = new_problem(fields, by=DEMO_USER, at=at, policy=policy, units=units)
        events = [first]
        day = registered
        target = rng.choices(
            ("登记", "交办", "办理中", "办结", "已反馈", "退回", "转共性"), (1, 2, 3, 2, 8, 1, 1)
        )[0]
        plan = {
            "登记": [],
            "交办": ["交办"],
            "办理中": ["交办", "办理中"],
            "办结": ["交办", "办理中", "办结"],
            "已反馈": ["交办", "办理中", "办结", "已反馈"],
            "退回": ["退回"],
            "转共性": ["交办", "转共性"],
        }[target]
        for step in plan:
            nxt = add_days(day, rng.choice((0, 1, 1, 2, 3, 4)), policy.counting, policy.holidays)
            if nxt > today:
                break
            day = nxt
            change: dict[str, Any] = {"status": step, "on": day}
            if step in ("退回", "转共性"):
                change["reason"] = (
                    "示例：不属于产业链培育问题" if step == "退回" else "示例：多家企业共性问题"
                )
            if step == "已反馈":
                change["satisfaction"] = rng.choices(("满意", "基本满意", "不满意"), (7, 2, 1))[0]
            at = dt.datetime.combine(day, dt.time(17, 0))
            problem, event = apply_change(
                problem, change, by=DEMO_USER, at=at, policy=policy, units=units
            )
            events.append(event)
        yield problem, (events if with_events else []), name
