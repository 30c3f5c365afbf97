"""Weak-link findings on the hand-built fixture chains, on every store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import make_test_store
from fixtures_weak import (
    CHAIN_A,
    CHAIN_B,
    CHAIN_EMPTY,
    CLUSTER,
    EXPECTED_STATUS,
    add_enterprise,
    load_weak_fixture,
    oid,
    sid,
)

from chainkg.errors import NotFoundError
from chainkg.graph.store import GraphStore
from chainkg.queries.findings import (
    ChainRef,
    list_chains,
    province_summary,
    resolve_chains,
    weak_links,
)
from chainkg.queries.thresholds import WeakLinkThresholds, load_thresholds


@pytest.fixture
def fx(store: GraphStore) -> GraphStore:
    load_weak_fixture(store)
    return store


def _report(store: GraphStore, **overrides: Any) -> dict[str, Any]:
    return weak_links(store, list_chains(store), WeakLinkThresholds(**overrides))


def _segments(report: dict[str, Any], chain: str) -> dict[str, dict[str, Any]]:
    (ch,) = [c for c in report["chains"] if c["chain"] == chain]
    return {s["name"]: s for s in ch["segments"]}


def _statuses(report: dict[str, Any]) -> dict[str, dict[str, tuple[str, list[str]]]]:
    return {
        ch["chain"]: {
            s["name"]: (s["status"], [r["code"] for r in s["reasons"]]) for s in ch["segments"]
        }
        for ch in report["chains"]
    }


def test_every_status_and_reason_on_the_fixture(fx: GraphStore) -> None:
    assert _statuses(_report(fx)) == EXPECTED_STATUS


def test_chains_come_in_roster_order_with_their_cluster(fx: GraphStore) -> None:
    assert list_chains(fx) == [
        ChainRef(CHAIN_A, CLUSTER),
        ChainRef(CHAIN_B, CLUSTER),
        ChainRef(CHAIN_EMPTY, CLUSTER),
    ]


def test_segments_in_chain_order_with_stage(fx: GraphStore) -> None:
    segs = _report(fx)["chains"][0]["segments"]
    assert [(s["name"], s["stage"]) for s in segs] == [
        ("原料", "upstream"),
        ("部件", "midstream"),
        ("整机", "midstream"),
        ("集成", "downstream"),
        ("回收", "downstream"),
        ("再制造", "downstream"),
    ]


def test_values_exactly_at_each_threshold_do_not_fire(fx: GraphStore) -> None:
    segs = _segments(_report(fx), CHAIN_A)
    raw = segs["原料"]["metrics"]
    assert (raw["enterprises"], raw["local_supply_ratio"], raw["suppliers"]) == (3, 0.5, 3)
    assert raw["ratio_basis"] == "value"
    assert segs["整机"]["metrics"]["hhi"] == 0.5
    assert "concentrated" not in [r["code"] for r in segs["整机"]["reasons"]]


def test_thresholds_just_past_each_boundary_fire(fx: GraphStore) -> None:
    segs = _segments(
        _report(fx, min_enterprises=4, local_ratio=0.51, single_source_suppliers=3, hhi=0.49),
        CHAIN_A,
    )
    assert [r["code"] for r in segs["原料"]["reasons"]] == [
        "low_local_supply",
        "single_source",
        "few_enterprises",
    ]
    assert [r["code"] for r in segs["整机"]["reasons"]] == [
        "few_enterprises",
        "no_leader",
        "concentrated",
    ]


def test_dependent_segment_metrics_and_evidence(fx: GraphStore) -> None:
    seg = _segments(_report(fx), CHAIN_A)["部件"]
    m = seg["metrics"]
    assert {k: m[k] for k in ("enterprises", "leaders", "revenue_known", "revenue_unknown")} == {
        "enterprises": 3,
        "leaders": 1,
        "revenue_known": 2,
        "revenue_unknown": 1,
    }
    assert (m["revenue_total"], m["hhi"], m["outside_enterprises"]) == (500.0, 0.68, 1)
    assert (m["supply_edges"], m["local_supply_edges"], m["supply_value"]) == (2, 1, 40.0)
    assert (m["local_supply_value"], m["local_supply_ratio"], m["ratio_basis"]) == (
        10.0,
        0.25,
        "value",
    )
    assert (m["suppliers"], m["local_suppliers"]) == (2, 1)
    assert seg["reasons"][0] == {
        "code": "low_local_supply",
        "status": "dependent",
        "text": "本地配套率25%（按供货额），低于50%，省内需求主要依赖省外供应",
        "metric": "local_supply_ratio",
        "value": 0.25,
        "threshold": 0.5,
        "comparison": "<",
    }
    assert seg["reasons"][1]["value"] == 0.68
    assert seg["reasons"][1]["threshold"] == 0.5
    ev = seg["evidence"]
    assert ev["segment_id"] == sid(CHAIN_A, "部件")
    assert [(f["id"], f["revenue"], f["share"]) for f in ev["enterprises"]["shown"]] == [
        (oid("F1"), 400.0, 0.8),
        (oid("F2"), 100.0, 0.2),
        (oid("F3"), None, None),
    ]
    assert ev["unknown_revenue"] == {
        "count": 1,
        "shown": [{"id": oid("F3"), "name": "测试企业F3", "city": "郑州市"}],
    }
    assert [x["id"] for x in ev["leaders"]["shown"]] == [oid("F1")]
    o2 = {
        "id": oid("O2"),
        "name": "测试企业O2",
        "city": None,
        "in_province": False,
        "edges": 1,
        "value": 30.0,
    }
    f1 = {**o2, "id": oid("F1"), "name": "测试企业F1", "city": "郑州市", "in_province": True}
    f1["value"] = 10.0
    assert ev["outside_suppliers"] == {"count": 1, "shown": [o2]}
    assert ev["suppliers"] == {"count": 2, "shown": [o2, f1]}
    # Listed only where the single-source rule fired.
    assert ev["single_source"] == {"count": 0, "shown": [], "customers": 0, "share": None}


def test_single_source_by_edge_count_when_values_are_missing(fx: GraphStore) -> None:
    seg = _segments(_report(fx), CHAIN_A)["回收"]
    m = seg["metrics"]
    assert (m["supply_edges"], m["valued_supply_edges"], m["local_supply_ratio"]) == (3, 1, 1.0)
    assert m["ratio_basis"] == "count"
    assert (m["suppliers"], m["local_suppliers"]) == (1, 1)
    assert seg["reasons"] == [
        {
            "code": "single_source",
            "status": "dependent",
            "text": "省内企业对该环节产品的需求全部来自1家供应商（测试企业H1），单一来源",
            "metric": "suppliers",
            "value": 1,
            "threshold": 1,
            "comparison": "<=",
        }
    ]
    assert seg["evidence"]["single_source"] == {
        "count": 3,
        "customers": 3,
        "share": 1.0,
        "shown": [
            {
                "id": oid(k),
                "name": f"测试企业{k}",
                "city": "郑州市",
                "revenue": 100.0,
                "supplier_id": oid("H1"),
                "supplier": "测试企业H1",
                "supplier_in_province": True,
            }
            for k in ("K1", "K2", "K3")
        ],
    }
    assert _segments(_report(fx, single_source_suppliers=0), CHAIN_A)["回收"]["status"] == "ok"


def test_missing_segment_ignores_non_enterprises_and_unknown_province(fx: GraphStore) -> None:
    seg = _segments(_report(fx), CHAIN_A)["集成"]
    assert seg["status"] == "missing"
    assert seg["metrics"]["enterprises"] == 0
    assert seg["metrics"]["outside_enterprises"] == 3
    assert seg["metrics"]["hhi"] is None
    assert seg["evidence"]["enterprises"] == {"count": 0, "shown": []}


def test_segment_fed_across_chains_counts_only_its_own_suppliers(fx: GraphStore) -> None:
    report = _report(fx)
    module = _segments(report, CHAIN_B)["模组"]["metrics"]
    assert (module["local_supply_ratio"], module["suppliers"]) == (0.1, 2)
    # K1 (in 甲's 再制造) also buys 模组 from 乙, but from 回收 it still has one supplier.
    assert _segments(report, CHAIN_A)["回收"]["metrics"]["suppliers"] == 1


def test_feeds_cycle_and_criticality(fx: GraphStore) -> None:
    segs = _segments(_report(fx), CHAIN_A)
    crit = {n: (s["metrics"]["betweenness"], s["metrics"]["articulation"]) for n, s in segs.items()}
    assert crit == {
        "原料": (0.0, False),
        "部件": (0.1, True),
        "整机": (0.1, True),
        "集成": (0.0, False),
        "回收": (0.0, False),
        "再制造": (0.0, False),
    }


def test_empty_chain(fx: GraphStore) -> None:
    report = weak_links(fx, resolve_chains(fx, CHAIN_EMPTY), WeakLinkThresholds())
    assert report == {
        "chains": [
            {
                "chain": CHAIN_EMPTY,
                "cluster": CLUSTER,
                "summary": {
                    "segments": 0,
                    "by_status": {"missing": 0, "dependent": 0, "weak": 0, "ok": 0},
                    "flagged": [],
                    "thresholds": WeakLinkThresholds().model_dump(),
                },
                "segments": [],
                "recommendations": [],
            }
        ]
    }


def test_empty_graph_has_no_chains(store: GraphStore) -> None:
    assert weak_links(store, list_chains(store)) == {"chains": []}
    assert province_summary(store) == []


def test_summary_and_province_summary(fx: GraphStore) -> None:
    summary = _report(fx)["chains"][0]["summary"]
    assert summary["by_status"] == {"missing": 1, "dependent": 2, "weak": 1, "ok": 2}
    assert summary["flagged"] == [
        {"name": "集成", "status": "missing"},
        {"name": "部件", "status": "dependent"},
        {"name": "回收", "status": "dependent"},
        {"name": "整机", "status": "weak"},
    ]
    assert province_summary(fx) == [
        {
            "chain": CHAIN_A,
            "cluster": CLUSTER,
            "segments": 6,
            "missing": 1,
            "dependent": 2,
            "weak": 1,
            "ok": 2,
            "flagged": "集成（缺链）、部件（断链）、回收（断链）、整机（弱链）",
        },
        {
            "chain": CHAIN_B,
            "cluster": CLUSTER,
            "segments": 2,
            "missing": 0,
            "dependent": 1,
            "weak": 0,
            "ok": 1,
            "flagged": "模组（断链）",
        },
        {
            "chain": CHAIN_EMPTY,
            "cluster": CLUSTER,
            "segments": 0,
            "missing": 0,
            "dependent": 0,
            "weak": 0,
            "ok": 0,
            "flagged": "",
        },
    ]


def test_evidence_lists_are_capped_with_full_counts(fx: GraphStore) -> None:
    report = _report(fx, evidence_cap=1)
    seg = _segments(report, CHAIN_A)["回收"]
    assert seg["evidence"]["single_source"]["count"] == 3
    assert [x["id"] for x in seg["evidence"]["single_source"]["shown"]] == [oid("K1")]
    seg = _segments(report, CHAIN_A)["部件"]
    assert seg["evidence"]["suppliers"]["count"] == 2
    assert [x["id"] for x in seg["evidence"]["suppliers"]["shown"]] == [oid("O2")]
    assert seg["evidence"]["enterprises"]["count"] == 3
    assert [x["id"] for x in seg["evidence"]["enterprises"]["shown"]] == [oid("F1")]


def test_adding_enterprises_never_makes_a_status_more_severe(fx: GraphStore) -> None:
    from chainkg.queries.findings import SEVERITY

    before = _statuses(_report(fx))
    for i, (chain, segment) in enumerate(
        [(CHAIN_A, s) for s in EXPECTED_STATUS[CHAIN_A]] + [(CHAIN_B, "模组")]
    ):
        add_enterprise(fx, f"N{i}", chain, segment, revenue=None)
    after = _statuses(_report(fx))
    for chain, segs in before.items():
        for name, (status, _) in segs.items():
            assert SEVERITY[after[chain][name][0]] <= SEVERITY[status], (chain, name)
    assert after[CHAIN_A]["集成"] == ("weak", ["few_enterprises", "no_leader"])
    assert after[CHAIN_A]["整机"] == ("weak", ["no_leader"])


def test_chain_selection(fx: GraphStore) -> None:
    assert resolve_chains(fx, "测试甲链") == [ChainRef(CHAIN_A, CLUSTER)]
    assert resolve_chains(fx, "甲") == [ChainRef(CHAIN_A, CLUSTER)]  # unique part of a name
    with pytest.raises(NotFoundError):
        resolve_chains(fx, "测试")  # part of every name: say which
    assert [c.name for c in resolve_chains(fx, cluster=CLUSTER)] == [CHAIN_A, CHAIN_B, CHAIN_EMPTY]
    assert len(resolve_chains(fx, all_chains=True)) == 3
    with pytest.raises(NotFoundError) as err:
        resolve_chains(fx, "测试丙链")
    assert str(err.value) == "no chain named '测试丙链' in the graph"
    assert err.value.hint == "did you mean: 测试空链、测试甲链、测试乙链?"
    with pytest.raises(NotFoundError) as err:
        resolve_chains(fx, cluster="测试")
    assert err.value.hint == "did you mean: 测试集群?"


def test_thresholds_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAINKG_WEAK_MIN_ENTERPRISES", "5")
    monkeypatch.setenv("CHAINKG_WEAK_HHI", "0.25")
    t = load_thresholds(local_ratio=0.3)
    assert (t.min_enterprises, t.hhi, t.local_ratio, t.single_source_suppliers) == (5, 0.25, 0.3, 1)
    assert load_thresholds(min_enterprises=2).min_enterprises == 2


def test_invalid_threshold_is_a_config_error() -> None:
    from chainkg.errors import ConfigError

    with pytest.raises(ConfigError) as err:
        load_thresholds(hhi=1.5)
    assert str(err.value) == (
        "invalid weak-link threshold hhi: Input should be less than or equal to 1 (given 1.5)"
    )


def test_same_report_on_both_stores(tmp_path: Path) -> None:
    reports = []
    for kind in ("embedded", "neo4j"):
        s = make_test_store(kind, tmp_path / kind)
        try:
            load_weak_fixture(s)
            reports.append(weak_links(s, list_chains(s), WeakLinkThresholds()))
        finally:
            s.close()
    assert reports[0] == reports[1]
