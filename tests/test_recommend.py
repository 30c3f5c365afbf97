"""补链 recommendations: ranking, reasons, and the candidates found in the fixture graph."""

from __future__ import annotations

import pytest
from fixtures_weak import CHAIN_A, CHAIN_B, CHAIN_C, load_weak_fixture, oid, sid

from chainkg.graph.store import GraphStore
from chainkg.queries.findings import list_chains, weak_links
from chainkg.queries.recommend import (
    candidate_reason,
    rank_candidates,
    recommendations_from_rows,
)
from chainkg.queries.thresholds import WeakLinkThresholds


def _c(id_: str, ties: int, value: float, revenue: float | None, **extra: object) -> dict:
    return {
        "id": id_,
        "name": id_,
        "ties": ties,
        "tie_value": value,
        "local_customers": ties,
        "revenue": revenue,
        **extra,
    }


def test_rank_by_value_then_ties_then_revenue_then_id() -> None:
    ranked = rank_candidates(
        [
            _c("a", 0, 0.0, 9000.0),
            _c("b", 2, 10.0, 100.0),
            _c("c", 2, 50.0, None),
            _c("d", 0, 0.0, None),
            _c("e", 0, 0.0, 9000.0),
            {"id": None},
        ]
    )
    assert [(c["id"], c["rank"]) for c in ranked] == [
        ("c", 1),
        ("b", 2),
        ("a", 3),
        ("e", 4),
        ("d", 5),
    ]
    # 16 larger contracts outrank 24 small ones.
    assert [
        c["id"] for c in rank_candidates([_c("many", 24, 240.0, 1.0), _c("big", 16, 1600.0, 1.0)])
    ] == [
        "big",
        "many",
    ]


def test_targets_then_projects_then_outside_firms() -> None:
    ranked = rank_candidates(
        [
            _c("firm", 5, 500.0, 1e6),
            {
                "id": "p1",
                "name": "项目一",
                "source": "project",
                "investment": 100.0,
                "status": "拟建",
            },
            {
                "id": "p2",
                "name": "项目二",
                "source": "project",
                "investment": None,
                "status": "在建",
            },
            {
                "id": "p3",
                "name": "项目三",
                "source": "project",
                "investment": 900.0,
                "status": "在建",
            },
            {"id": "t1", "name": "目标一", "source": "target", "priority": "一般", "revenue": 9e5},
            {"id": "t2", "name": "目标二", "source": "target", "priority": "重点", "revenue": None},
        ]
    )
    assert [(c["id"], c["source_label"]) for c in ranked] == [
        ("t2", "招商清单"),
        ("t1", "招商清单"),
        ("p3", "在建/拟建项目"),
        ("p1", "在建/拟建项目"),
        ("p2", "在建/拟建项目"),
        ("firm", "省外企业"),
    ]
    assert ranked[1]["reason"] == "第2位：列入本链招商清单，优先级一般，营业收入900,000万元"
    assert ranked[4]["reason"] == "第5位：在建项目，总投资未知，建成后可补齐该环节"


def test_reasons_in_chinese_with_numbers() -> None:
    assert candidate_reason({**_c("a", 2, 1234.5, 80000.0, leader=True), "rank": 1}) == (
        "第1位：已向2家省内企业供货（2条供货关系，合计1,234.50万元）；营业收入80,000万元，龙头企业"
    )
    assert candidate_reason({**_c("a", 1, 0.0, None), "rank": 2}) == (
        "第2位：已向1家省内企业供货（1条供货关系（供货额未知））；营业收入未知"
    )
    assert candidate_reason({**_c("a", 0, 0.0, 5.0), "rank": 3}) == (
        "第3位：尚未与省内企业建立供货关系；营业收入5万元"
    )


def _seg(name: str, status: str, score: float = 1.0) -> dict:
    return {
        "name": name,
        "status": status,
        "severity": {"score": score},
        "evidence": {"segment_id": f"s:{name}"},
    }


def test_one_recommendation_per_missing_or_dependent_segment_missing_first() -> None:
    segments = [
        _seg("甲", "dependent"),
        _seg("乙", "weak"),
        _seg("丙", "missing"),
        _seg("丁", "ok"),
        _seg("戊", "dependent", 2.0),
    ]
    rows = {
        "s:甲": {"candidates": 3, "shown": [_c("x", 1, 5.0, 10.0), _c("y", 3, 1.0, 1.0)]},
        "s:乙": {"candidates": 1, "shown": [_c("z", 1, 1.0, 1.0)]},
    }
    recs = recommendations_from_rows(segments, {"candidates": rows}, top=1)
    # Missing first, then by severity score.
    assert [(r["segment"], r["status"], r["candidates_total"]) for r in recs] == [
        ("丙", "missing", 0),
        ("戊", "dependent", 0),
        ("甲", "dependent", 3),
    ]
    assert recs[0]["candidates"] == []
    assert recs[0]["note"] == "招商清单、项目清单和图谱中均无该环节的候选，需从图谱外寻找招商对象"
    assert recs[0]["action"] == "招引落地，填补缺链"
    assert [c["id"] for c in recs[2]["candidates"]] == ["x"]  # 5.0 of value beats 3 ties
    assert recs[2]["note"] is None


@pytest.fixture
def fx(store: GraphStore) -> GraphStore:
    load_weak_fixture(store)
    return store


def test_recommendations_on_the_fixture(fx: GraphStore) -> None:
    report = weak_links(fx, list_chains(fx), WeakLinkThresholds())
    recs = {ch["chain"]: ch["recommendations"] for ch in report["chains"]}
    summary = {
        chain: [
            (r["segment"], r["status"], r["candidates_total"], [c["id"] for c in r["candidates"]])
            for r in rs
        ]
        for chain, rs in recs.items()
    }
    assert summary == {
        CHAIN_A: [
            (
                "集成",
                "missing",
                5,
                [
                    "investmenttarget:测试招商目标甲",
                    "project:测试集成项目",
                    oid("O3"),
                    oid("O5"),
                    oid("O4"),
                ],
            ),
            ("部件", "dependent", 1, [oid("O2")]),
            ("回收", "dependent", 0, []),
        ],
        CHAIN_B: [("模组", "dependent", 1, [oid("Q1")])],
        "测试空链": [],
        CHAIN_C: [("进口", "dependent", 1, [oid("JP1")]), ("卡脖", "dependent", 0, [])],
    }
    o3 = recs[CHAIN_A][0]["candidates"][2]
    assert o3 == {
        "id": oid("O3"),
        "name": "测试企业O3",
        "city": None,
        "province": None,
        "country": None,
        "revenue": 1000.0,
        "leader": False,
        "ties": 1,
        "tie_value": 20.0,
        "local_customers": 1,
        "source": "outside_firm",
        "source_label": "省外企业",
        "rank": 3,
        "reason": "第3位：已向1家省内企业供货（1条供货关系，合计20万元）；营业收入1,000万元",
    }
    assert recs[CHAIN_A][0]["segment_id"] == sid(CHAIN_A, "集成")


def test_recommendations_are_capped(fx: GraphStore) -> None:
    report = weak_links(fx, list_chains(fx), WeakLinkThresholds(recommend_top=1))
    first = report["chains"][0]["recommendations"][0]
    assert (first["candidates_total"], [c["id"] for c in first["candidates"]]) == (
        5,
        ["investmenttarget:测试招商目标甲"],
    )
