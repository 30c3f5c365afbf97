"""Criticality (betweenness, articulation points) and what-if disruption (断供推演)."""

from __future__ import annotations

import pytest
from fixtures_weak import CHAIN_A, CHAIN_B, CHAIN_C, load_weak_fixture, oid, sid

from chainkg.errors import NotFoundError
from chainkg.graph.store import GraphStore
from chainkg.queries.criticality import (
    UNNAMED_PRODUCT,
    chain_criticality,
    feeds_criticality,
    graph_criticality,
    resolve_removal,
    top_critical,
    what_if,
    what_if_losses,
)


def test_path_betweenness_and_articulation() -> None:
    crit = graph_criticality(["a", "b", "c"], [("a", "b"), ("b", "c")])
    assert crit == {
        "a": {"betweenness": 0.0, "articulation": False},
        "b": {"betweenness": 0.5, "articulation": True},
        "c": {"betweenness": 0.0, "articulation": False},
    }


def test_cycle_and_self_loop_are_fine() -> None:
    crit = graph_criticality(["a", "b"], [("a", "b"), ("b", "a"), ("a", "a")])
    assert crit == {
        "a": {"betweenness": 0.0, "articulation": False},
        "b": {"betweenness": 0.0, "articulation": False},
    }


def test_feeds_criticality_keeps_only_the_chains_own_edges() -> None:
    crit = feeds_criticality(["a", "b"], [("a", "b"), ("b", "x"), ("x", "a")])
    assert crit == {
        "a": {"betweenness": 0.0, "articulation": False},
        "b": {"betweenness": 0.0, "articulation": False},
    }


def test_top_critical_orders_by_betweenness_then_articulation() -> None:
    crit = {
        "a": {"betweenness": 0.0, "articulation": True},
        "b": {"betweenness": 0.3, "articulation": False},
        "c": {"betweenness": 0.0, "articulation": False},
        "d": {"betweenness": 0.3, "articulation": True},
    }
    assert [n for n, _ in top_critical(crit)] == ["d", "b", "a"]
    assert [n for n, _ in top_critical(crit, limit=1)] == ["d"]


def _edge(s: str, c: str, product: str | None, revenue: float | None = 10.0, inp: bool = True):
    return {
        "supplier_id": s,
        "supplier": s,
        "customer_id": c,
        "customer": c.upper(),
        "city": "郑州市",
        "in_province": inp,
        "revenue": revenue,
        "product": product,
    }


def test_what_if_losses() -> None:
    edges = [
        _edge("x", "c1", "钢"),  # c1: only x for 钢 -> loses 钢
        _edge("x", "c1", "铝"),
        _edge("y", "c1", "铝"),  # ... but not 铝
        _edge("x", "c2", "钢", revenue=None, inp=False),  # c2 loses 钢, revenue unknown
        _edge("x", "c3", "钢", revenue=5.0),
        _edge("z", "c3", "钢", revenue=5.0),  # c3 keeps 钢 from z
        _edge("x", "c4", None, revenue=7.0, inp=False),  # unnamed product
        _edge("y", "x", "钢"),  # x itself is removed: not a victim
    ]
    result = what_if_losses(edges, {"x"})
    assert result == {
        "count": 3,
        "revenue_at_risk": 17.0,
        "in_province_revenue_at_risk": 10.0,
        "unknown_revenue": 1,
        "customers": [
            {
                "id": "c1",
                "name": "C1",
                "city": "郑州市",
                "in_province": True,
                "revenue": 10.0,
                "products": ["钢"],
                "suppliers": ["x"],
            },
            {
                "id": "c4",
                "name": "C4",
                "city": "郑州市",
                "in_province": False,
                "revenue": 7.0,
                "products": [UNNAMED_PRODUCT],
                "suppliers": ["x"],
            },
            {
                "id": "c2",
                "name": "C2",
                "city": "郑州市",
                "in_province": False,
                "revenue": None,
                "products": ["钢"],
                "suppliers": ["x"],
            },
        ],
    }
    assert what_if_losses(edges, {"x", "z"})["count"] == 4
    assert what_if_losses([], {"x"}) == {
        "count": 0,
        "revenue_at_risk": 0.0,
        "in_province_revenue_at_risk": 0.0,
        "unknown_revenue": 0,
        "customers": [],
    }


@pytest.fixture
def fx(store: GraphStore) -> GraphStore:
    load_weak_fixture(store)
    return store


def test_what_if_remove_an_organisation(fx: GraphStore) -> None:
    result = what_if(fx, "测试企业E2")
    assert result == {
        "removed": {
            "kind": "organization",
            "id": oid("E2"),
            "name": "测试企业E2",
            "chain": CHAIN_A,
            "chains": [CHAIN_A],
            "organizations": 1,
            "customers_in_chain": None,
        },
        "count": 1,
        "revenue_at_risk": 100.0,
        "in_province_revenue_at_risk": 100.0,
        "unknown_revenue": 0,
        "customers": [
            {
                "id": oid("F2"),
                "name": "测试企业F2",
                "city": "郑州市",
                "in_province": True,
                "revenue": 100.0,
                "products": ["矿石"],
                "suppliers": [oid("E2")],
            }
        ],
    }
    # O2 shares G1's 部件 demand with F1: nobody loses all of it.
    assert what_if(fx, "测试企业O2")["count"] == 0


def test_what_if_remove_a_segment(fx: GraphStore) -> None:
    result = what_if(fx, "回收")
    assert result["removed"] == {
        "kind": "segment",
        "id": sid(CHAIN_A, "回收"),
        "name": "回收",
        "chain": CHAIN_A,
        "chains": [CHAIN_A],
        "organizations": 3,
        "customers_in_chain": None,
    }
    assert [(c["id"], c["products"]) for c in result["customers"]] == [
        (oid("K1"), ["回收料"]),
        (oid("K2"), ["回收料"]),
        (oid("K3"), ["回收料"]),
    ]
    assert result["revenue_at_risk"] == 300.0
    # Removing 部件 (F1, F2, F3 and O2) takes all of G1's 部件.
    parts = what_if(fx, "部件", CHAIN_A)
    assert [(c["id"], c["products"], c["suppliers"]) for c in parts["customers"]] == [
        (oid("G1"), ["部件"], [oid("F1"), oid("O2")])
    ]
    assert parts["revenue_at_risk"] == 50.0


def test_what_if_crosses_chains(fx: GraphStore) -> None:
    # K1 (in 甲's 再制造) buys 模组 from P4 and Q1 (乙): one of them going is no loss ...
    assert what_if(fx, "测试企业Q1")["count"] == 0
    # ... the whole 模组 segment of 乙 going is.
    result = what_if(fx, "模组")
    assert [(c["id"], c["products"], c["suppliers"]) for c in result["customers"]] == [
        (oid("K1"), ["模组"], [oid("P4"), oid("Q1")])
    ]
    # --chain keeps only the customers operating in that chain: K1 is in 甲, not 乙.
    limited = what_if(fx, "模组", CHAIN_B)
    assert (limited["count"], limited["removed"]["customers_in_chain"]) == (0, CHAIN_B)
    with pytest.raises(NotFoundError):
        what_if(fx, "模组", CHAIN_A)


def test_what_if_chain_filters_customers_and_names_the_firms_chains(fx: GraphStore) -> None:
    # H1 (甲's 回收) is the only supplier of K1, K2, K3 (甲's 再制造).
    assert what_if(fx, "测试企业H1", CHAIN_B)["count"] == 0
    result = what_if(fx, "测试企业H1", CHAIN_A)
    assert [c["id"] for c in result["customers"]] == [oid("K1"), oid("K2"), oid("K3")]
    assert (result["removed"]["chain"], result["removed"]["customers_in_chain"]) == (
        CHAIN_A,
        CHAIN_A,
    )
    # N1 operates in two segments of 丙; a firm of no segment has no chain.
    assert what_if(fx, "测试企业N1")["removed"]["chains"] == [CHAIN_C]
    assert what_if(fx, "测试企业X1")["removed"]["chain"] == CHAIN_A


def test_ambiguous_and_unknown_names(fx: GraphStore) -> None:
    with fx.transaction() as tx:
        tx.upsert_nodes("Segment", [{"id": sid(CHAIN_B, "回收"), "name": "回收", "chain": CHAIN_B}])
        tx.upsert_rels(
            "HAS_SEGMENT",
            "Chain",
            "Segment",
            [{"from_id": "chain:" + CHAIN_B, "to_id": sid(CHAIN_B, "回收")}],
        )
    with pytest.raises(NotFoundError) as err:
        resolve_removal(fx, "回收")
    assert str(err.value) == "the segment name '回收' is used by several chains: 测试乙链、测试甲链"
    assert err.value.hint == "say which with --chain"
    assert resolve_removal(fx, "回收", CHAIN_B)["suppliers"] == []
    with pytest.raises(NotFoundError) as err:
        resolve_removal(fx, "测试企业E9")
    assert str(err.value) == "no organisation or segment named '测试企业E9' in the graph"
    assert err.value.hint is not None
    assert err.value.hint.startswith("did you mean: ")
    assert "测试企业E1" in err.value.hint


def test_chain_criticality_names_the_critical_firms(fx: GraphStore) -> None:
    top = chain_criticality(fx, CHAIN_A, limit=3)
    assert top == [
        {
            "id": oid("F1"),
            "name": "测试企业F1",
            "in_province": True,
            "revenue": 400.0,
            "betweenness": 0.022727,
            "articulation": True,
        },
        {
            "id": oid("E1"),
            "name": "测试企业E1",
            "in_province": True,
            "revenue": 100.0,
            "betweenness": 0.015152,
            "articulation": True,
        },
        {
            "id": oid("F2"),
            "name": "测试企业F2",
            "in_province": True,
            "revenue": 100.0,
            "betweenness": 0.0,
            "articulation": True,
        },
    ]
