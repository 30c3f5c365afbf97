"""Weak-link findings on the hand-built fixture chains, on every store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import make_test_store
from fixtures_weak import (
    CHAIN_A,
    CHAIN_B,
    CHAIN_C,
    CHAIN_EMPTY,
    CLUSTER,
    EXPECTED_RANKING_C,
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
        ChainRef(CHAIN_C, CLUSTER),
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
    # F1 (400 of 500, a 龙头) leads the concentrated segment: a 链主 strength, not 弱链.
    assert [r["code"] for r in seg["reasons"]] == ["low_local_supply"]
    assert seg["strengths"] == [
        {
            "code": "chain_leader",
            "status": "ok",
            "text": "营业收入集中度HHI为0.68，由龙头企业测试企业F1引领，链主带动作用强",
            "metric": "hhi",
            "value": 0.68,
            "threshold": 0.5,
            "comparison": ">",
        }
    ]
    # The fixture's edges name no segment: the fallback is stated.
    assert seg["notes"] == [
        {
            "code": "demand_by_operating_segment",
            "text": "2条本地供货关系未注明产品所属环节，按供方布局的全部环节计入",
            "metric": "untagged_supply_edges",
            "value": 2,
        }
    ]
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
        "country": None,
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
                "origin": "notice",
                "summary": {
                    "segments": 0,
                    "by_status": {
                        "missing": 0,
                        "dependent": 0,
                        "weak": 0,
                        "unverified": 0,
                        "insufficient_data": 0,
                        "ok": 0,
                    },
                    "flagged": [],
                    "strengths": [],
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
    none = {"unverified": 0, "insufficient_data": 0}
    assert summary["by_status"] == {"missing": 1, "dependent": 2, "weak": 1, **none, "ok": 2}
    # Ranked by severity score (see fixtures_weak: 部件 3 x 1.006038 x 1.1 betweenness x 1.5
    # articulation; 集成 4 x 1, nothing downstream; 整机 2 x 1.1 x 1.5; 回收 3 x 1.013048).
    assert summary["flagged"] == [
        {"name": "部件", "status": "dependent", "rank": 1, "score": 4.98},
        {"name": "集成", "status": "missing", "rank": 2, "score": 4.0},
        {"name": "整机", "status": "weak", "rank": 3, "score": 3.3},
        {"name": "回收", "status": "dependent", "rank": 4, "score": 3.039},
    ]
    assert summary["strengths"] == [{"name": "部件", "codes": ["chain_leader"]}]
    assert province_summary(fx) == [
        {
            "chain": CHAIN_A,
            "cluster": CLUSTER,
            "segments": 6,
            "missing": 1,
            "dependent": 2,
            "weak": 1,
            **none,
            "ok": 2,
            "flagged": "部件（断链）、集成（缺链）、整机（弱链）、回收（断链）",
        },
        {
            "chain": CHAIN_B,
            "cluster": CLUSTER,
            "segments": 2,
            "missing": 0,
            "dependent": 1,
            "weak": 0,
            **none,
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
            **none,
            "ok": 0,
            "flagged": "",
        },
        {
            "chain": CHAIN_C,
            "cluster": CLUSTER,
            "segments": 7,
            "missing": 0,
            "dependent": 2,
            "weak": 2,
            "unverified": 1,
            "insufficient_data": 1,
            "ok": 1,
            "flagged": "进口（断链）、卡脖（断链）、产能（弱链）、集中（弱链）、推断（待核实）、稀疏（数据不足）",
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
    assert [c.name for c in resolve_chains(fx, cluster=CLUSTER)] == [
        CHAIN_A,
        CHAIN_B,
        CHAIN_EMPTY,
        CHAIN_C,
    ]
    assert len(resolve_chains(fx, all_chains=True)) == 4
    with pytest.raises(NotFoundError) as err:
        resolve_chains(fx, "测试丁链")
    assert str(err.value) == "no chain named '测试丁链' in the graph"
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


def test_issue13_rules_on_chain_c(fx: GraphStore) -> None:
    segs = _segments(_report(fx), CHAIN_C)
    ranking = [s["name"] for s in sorted(segs.values(), key=lambda s: s["rank"] or 99)]
    assert ranking[:6] == EXPECTED_RANKING_C
    assert {n: s["severity"]["score"] for n, s in segs.items()} == {
        "推断": 2.034,
        "稀疏": 1.017,
        "进口": 3.064,
        "卡脖": 3.051,
        "产能": 2.042,
        "集中": 2.034,
        "整机": 0.0,
    }
    assert segs["进口"]["severity"] == {
        "score": 3.064,
        "stake": 500.0,
        "local_demand_value": 100.0,
        "downstream_revenue": 400.0,
        "betweenness": 0.0,
        "articulation": False,
    }
    # Inferred placements are counted apart and listed as evidence.
    m = segs["推断"]["metrics"]
    assert (m["enterprises"], m["inferred_enterprises"]) == (0, 1)
    assert [x["id"] for x in segs["推断"]["evidence"]["inferred"]["shown"]] == [oid("I1")]
    # Sparse: 4 capable firms, 1 recorded edge -> 数据不足, the single-source reason downgraded.
    sparse = segs["稀疏"]["reasons"]
    assert [(r["code"], r["status"]) for r in sparse] == [
        ("single_source", "insufficient_data"),
        ("sparse_supply_data", "insufficient_data"),
    ]
    assert sparse[1]["value"] == 0.25
    assert sparse[1]["text"] == (
        "省内有4家企业具备该环节能力，但仅记录1条本地供货关系（少于每家0.5条），"
        "不足以判定断链，请补充供应关系清单"
    )
    # Product-level demand: N1 also operates in 进口, but its edge is tagged 产能.
    m = segs["进口"]["metrics"]
    assert (m["enterprises"], m["supply_edges"], m["supply_value"]) == (4, 2, 100.0)
    assert (m["local_supply_ratio"], m["foreign_supply_ratio"], m["foreign_suppliers"]) == (
        0.6,
        0.4,
        1,
    )
    assert segs["进口"]["notes"] == []
    (foreign,) = segs["进口"]["reasons"]
    assert foreign["text"] == (
        "境外供应占本地需求40%（按供货额），高于30%，存在进口依赖（测试企业JP1（日本）），"
        "宜推进国产替代"
    )
    assert [x["id"] for x in segs["进口"]["evidence"]["foreign_suppliers"]["shown"]] == [oid("JP1")]
    (choke,) = segs["卡脖"]["reasons"]
    assert (choke["code"], choke["value"], choke["text"]) == (
        "choke_technology",
        1,
        "技术清单列有1项未突破的卡脖子技术（测试卡脖子技术甲）",
    )
    (short,) = segs["产能"]["reasons"]
    assert (short["code"], short["value"], short["threshold"]) == ("capacity_short", 0.3, 1.0)
    assert short["text"] == "省内产能合计30万元，低于本地需求100万元"
    assert segs["产能"]["metrics"]["capacity_total"] == 30.0
    (conc,) = segs["集中"]["reasons"]
    assert (conc["code"], conc["value"]) == ("concentrated", 0.815)
    assert segs["整机"]["metrics"]["articulation"] is True


def test_recommendations_use_the_chains_lists_and_substitutes(fx: GraphStore) -> None:
    report = _report(fx)
    (a,) = [c for c in report["chains"] if c["chain"] == CHAIN_A]
    missing = a["recommendations"][0]
    assert missing["segment"] == "集成"
    assert [(c["source"], c["name"], c["reason"]) for c in missing["candidates"]] == [
        (
            "target",
            "测试招商目标甲",
            "第1位：列入本链招商清单，优先级重点，进展洽谈，现位于江苏省苏州市；"
            "招商理由：补齐集成环节",
        ),
        (
            "project",
            "测试集成项目",
            "第2位：在建项目（郑州市），总投资5,000万元，建成后可补齐该环节",
        ),
        (
            "outside_firm",
            "测试企业O3",
            "第3位：已向1家省内企业供货（1条供货关系，合计20万元）；营业收入1,000万元",
        ),
        (
            "outside_firm",
            "测试企业O5",
            "第4位：已向2家省内企业供货（2条供货关系（供货额未知））；营业收入未知",
        ),
        (
            "outside_firm",
            "测试企业O4",
            "第5位：尚未与省内企业建立供货关系；营业收入5,000万元，龙头企业",
        ),
    ]
    (c,) = [c for c in report["chains"] if c["chain"] == CHAIN_C]
    imports = next(r for r in c["recommendations"] if r["segment"] == "进口")
    assert imports["substitutes"]["count"] == 4
    assert [x["id"] for x in imports["substitutes"]["shown"]] == [
        oid("N1"),
        oid("V1"),
        oid("V2"),
        oid("V3"),
    ]
    assert (
        imports["substitutes"]["shown"][0]["reason"]
        == "第1位：省内企业，已布局该环节；营业收入100万元，龙头企业"
    )


def test_leader_rule_by_revenue(fx: GraphStore) -> None:
    segs = _segments(_report(fx, leader_rule="revenue", leader_min_revenue=150.0), CHAIN_A)
    # 原料: E1..E3 earn 100 each, none reaches 150: no 龙头 by revenue (E1's flag is ignored).
    assert [r["code"] for r in segs["原料"]["reasons"]] == ["no_leader"]
    # 部件: F1 (400) is the top firm and reaches 150: still a 链主 strength.
    assert [x["code"] for x in segs["部件"]["strengths"]] == ["chain_leader"]
    segs_c = _segments(_report(fx, leader_rule="revenue", leader_min_revenue=150.0), CHAIN_C)
    # 集中: Z1 (900, not flagged) is a 龙头 by revenue, so concentration is 链主 strength.
    assert segs_c["集中"]["status"] == "ok"
    either = _segments(_report(fx, leader_rule="either", leader_min_revenue=150.0), CHAIN_A)
    assert either["原料"]["status"] == "ok"


def test_the_fixture_report_fits_the_typed_model(fx: GraphStore) -> None:
    from chainkg.queries.report_models import WeakLinksReport

    raw = _report(fx)
    # Every status, reason, note, strength and candidate source of the fixture validates
    # strictly (extra fields are errors) and round-trips.
    assert WeakLinksReport.model_validate(raw).model_dump(exclude_unset=True) == raw
