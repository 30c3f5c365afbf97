"""Weak-link findings as pure functions of query rows: no database."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from chainkg.queries.findings import (
    SEVERITY,
    STATUSES,
    chain_summary,
    downstream_revenues,
    hhi,
    leader_count,
    local_supply_ratio,
    more_severe,
    segment_coverage,
    segment_finding,
    segment_rows,
    severity,
    suggest,
    summary_rows,
    top_is_leader,
)
from chainkg.queries.thresholds import WeakLinkThresholds

T = WeakLinkThresholds()
Firm = tuple[float | None, bool]  # (revenue, leader)


def coverage_of(firms: list[Firm], segment: str = "环节") -> dict[str, Any]:
    """The coverage of a segment whose in-province enterprises are ``firms``.

    Built from the rows weak_segments and weak_segment_coverage would return, through
    ``segment_coverage``.
    """
    seg = {
        "chain": "链",
        "segment_id": f"segment:链/{segment}",
        "segment": segment,
        "stage": "midstream",
        "stage_rank": 2,
        "position": 1,
    }
    known = [r for r, _ in firms if r is not None and r >= 0]
    rows = [
        {
            "segment_id": seg["segment_id"],
            "in_province": True,
            "enterprise": True,
            "organizations": len(firms),
            "leaders": sum(1 for _, lead in firms if lead),
            "revenue_known": len(known),
            "revenue_total": sum(known),
            "revenue_sq": sum(r * r for r in known),
        }
    ]
    return segment_coverage([seg], rows if firms else [])[0]


def test_segment_coverage_counts_in_province_enterprises_only() -> None:
    seg = {"segment_id": "s", "segment": "甲"}
    row = {
        "segment_id": "s",
        "organizations": 2,
        "leaders": 1,
        "revenue_known": 2,
        "revenue_total": 30.0,
        "revenue_sq": 500.0,
    }
    rows = [
        {**row, "in_province": True, "enterprise": True},
        {**row, "in_province": True, "enterprise": False},  # e.g. a university
        {**row, "in_province": None, "enterprise": True},  # province unknown
        {**row, "in_province": False, "enterprise": True},
        {**row, "in_province": False, "enterprise": False},
    ]
    assert segment_coverage([seg, {"segment_id": "t", "segment": "乙"}], rows) == [
        {
            "segment_id": "s",
            "segment": "甲",
            "enterprises": 2,
            "inferred_enterprises": 0,
            "leaders": 1,
            "revenue_known": 2,
            "revenue_total": 30.0,
            "revenue_sq": 500.0,
            "revenue_max": None,
            "leader_revenue_max": None,
            "big_firms": 0,
            "capacity_known": 0,
            "capacity_total": 0,
            "outside_enterprises": 4,
        },
        {
            "segment_id": "t",
            "segment": "乙",
            "enterprises": 0,
            "inferred_enterprises": 0,
            "leaders": 0,
            "revenue_known": 0,
            "revenue_total": 0,
            "revenue_sq": 0,
            "revenue_max": None,
            "leader_revenue_max": None,
            "big_firms": 0,
            "capacity_known": 0,
            "capacity_total": 0,
            "outside_enterprises": 0,
        },
    ]


def supply_row(
    edges: int, local: int, valued: int, value: float, local_value: float, suppliers: int
) -> dict[str, Any]:
    """A segment's entry of supply_totals (suppliers: how many serve the local demand)."""
    return {
        "edges": edges,
        "local_edges": local,
        "valued_edges": valued,
        "value": value,
        "local_value": local_value,
        "suppliers": suppliers,
        "local_suppliers": min(suppliers, local),
    }


def codes(finding: dict[str, Any]) -> list[str]:
    return [r["code"] for r in finding["reasons"]]


def test_hhi() -> None:
    assert hhi(200.0, 20000.0, 2, 2) == 0.5
    assert hhi(500.0, 170000.0, 2, 2) == 0.68
    assert hhi(100.0, 10000.0, 1, 2) is None  # one known revenue says nothing
    assert hhi(0.0, 0.0, 3, 2) is None
    assert hhi(300.0, 30000.0, 3, 1) == 0.333333


def test_local_supply_ratio_basis() -> None:
    assert local_supply_ratio(4, 1, 4, 100.0, 25.0) == (0.25, "value")
    # One edge lacks a value: count the edges instead.
    assert local_supply_ratio(4, 1, 3, 100.0, 25.0) == (0.25, "count")
    assert local_supply_ratio(4, 3, 3, 100.0, 25.0) == (0.75, "count")
    # Every value is 0: values say nothing.
    assert local_supply_ratio(2, 1, 2, 0.0, 0.0) == (0.5, "count")
    assert local_supply_ratio(0, 0, 0, 0.0, 0.0) == (None, None)


def test_status_order() -> None:
    assert STATUSES == ("missing", "dependent", "weak", "unverified", "insufficient_data", "ok")
    assert more_severe("unverified", "insufficient_data") == "unverified"
    assert more_severe("weak", "dependent") == "dependent"
    assert more_severe("missing", "dependent") == "missing"
    assert more_severe("ok", "ok") == "ok"


def test_missing_segment_with_outside_supply_lists_both_reasons() -> None:
    f = segment_finding(coverage_of([]), T, supply=supply_row(3, 0, 3, 90.0, 0.0, 2))
    assert f["status"] == "missing"
    assert codes(f) == ["no_enterprise", "low_local_supply"]
    assert f["metrics"]["local_supply_ratio"] == 0.0
    assert f["metrics"]["hhi"] is None


def test_weak_reasons_and_their_thresholds() -> None:
    f = segment_finding(coverage_of([(900.0, False), (100.0, False)]), T)
    assert f["status"] == "weak"
    assert [(r["code"], r["value"], r["threshold"], r["comparison"]) for r in f["reasons"]] == [
        ("few_enterprises", 2, 3, "<"),
        ("no_leader", 0, 1, "<"),
        ("concentrated", 0.82, 0.5, ">"),
    ]
    assert [r["text"] for r in f["reasons"]] == [
        "省内仅2家企业，少于3家",
        "省内无龙头企业",
        "营业收入集中度HHI为0.82，高于0.50，产能集中于非龙头的少数企业",
    ]


def test_unknown_revenues_are_left_out_of_hhi_and_listed() -> None:
    firms = [(100.0, True), (100.0, False), (None, False), (None, False)]
    f = segment_finding(
        coverage_of(firms),
        T,
        firms={
            "segment_id": "segment:链/环节",
            "firms": [],
            "leaders": [],
            "unknown_revenue": [{"id": "org:甲", "name": "甲", "city": None}],
        },
    )
    assert f["status"] == "ok"
    assert (f["metrics"]["revenue_known"], f["metrics"]["revenue_unknown"]) == (2, 2)
    assert f["metrics"]["hhi"] == 0.5
    assert f["evidence"]["unknown_revenue"] == {
        "count": 2,
        "shown": [{"id": "org:甲", "name": "甲", "city": None}],
    }


def test_optional_match_placeholders_are_dropped_from_evidence() -> None:
    f = segment_finding(
        coverage_of([]),
        T,
        firms={"segment_id": "x", "firms": [{"id": None}], "leaders": [], "unknown_revenue": []},
    )
    assert f["evidence"]["enterprises"] == {"count": 0, "shown": []}


def test_single_source_needs_local_demand_and_counts_suppliers() -> None:
    three = [(100.0, True), (100.0, False), (100.0, False)]
    none = supply_row(0, 0, 0, 0.0, 0.0, 0)
    assert segment_finding(coverage_of(three), T, supply=none)["status"] == "ok"
    one = supply_row(2, 2, 2, 10.0, 10.0, 1)
    evidence = {"segment_id": "s", "shown": [{"id": "org:甲", "name": "甲"}], "outside_shown": []}
    f = segment_finding(coverage_of(three), T, supply=one, suppliers=evidence)
    assert f["status"] == "dependent"
    assert f["reasons"][0]["text"] == "省内企业对该环节产品的需求全部来自1家供应商（甲），单一来源"
    # Without the evidence row the reason still fires, without names.
    bare = segment_finding(coverage_of(three), T, supply=one)
    assert bare["reasons"][0]["text"] == "省内企业对该环节产品的需求全部来自1家供应商，单一来源"
    two = supply_row(2, 2, 2, 10.0, 10.0, 2)
    assert segment_finding(coverage_of(three), T, supply=two)["status"] == "ok"
    loose = WeakLinkThresholds(single_source_suppliers=2)
    assert segment_finding(coverage_of(three), loose, supply=two)["status"] == "dependent"


def test_summary_rows_and_segment_rows() -> None:
    segs = [
        segment_finding(coverage_of([], "甲"), T),
        segment_finding(coverage_of([(1.0, True)] * 3, "乙"), T),
    ]
    report = {
        "chains": [
            {
                "chain": "链",
                "cluster": "群",
                "summary": chain_summary(segs, T),
                "segments": segs,
                "recommendations": [],
            }
        ]
    }
    assert summary_rows(report) == [
        {
            "chain": "链",
            "cluster": "群",
            "segments": 2,
            "missing": 1,
            "dependent": 0,
            "weak": 0,
            "unverified": 0,
            "insufficient_data": 0,
            "ok": 1,
            "flagged": "甲（缺链）",
        }
    ]
    assert [(r["segment"], r["stage"], r["status_label"]) for r in segment_rows(report)] == [
        ("甲", "中游", "缺链"),
        ("乙", "中游", "正常"),
    ]


def test_suggest() -> None:
    names = ["动力电池产业链", "光伏及风电产业链", "氢能及储能产业链"]
    assert suggest("动力电池", names) == ["动力电池产业链"]
    assert suggest("氢能产业链", names)[0] == "氢能及储能产业链"
    assert suggest("", []) == []


# --- properties -------------------------------------------------------------------------

revenues = st.one_of(st.none(), st.floats(min_value=0, max_value=1e7, allow_nan=False))
firm_lists = st.lists(st.tuples(revenues, st.booleans()), max_size=8)
supplies = st.builds(
    lambda e, l_, v, lv, c: supply_row(e, min(l_, e), e, v + lv, lv, max(1, min(c, e)) if e else 0),
    st.integers(0, 20),
    st.integers(0, 20),
    st.floats(0, 1e4),
    st.floats(0, 1e4),
    st.integers(0, 20),
)


def _severity(firms: list[Firm], supply: dict[str, Any], t: WeakLinkThresholds = T) -> int:
    return SEVERITY[segment_finding(coverage_of(firms), t, supply=supply)["status"]]


@settings(max_examples=300, deadline=None)
@given(firm_lists, supplies, st.one_of(st.none(), st.floats(0, 1)), st.booleans())
def test_adding_an_enterprise_never_makes_the_status_more_severe(
    firms: list[Firm], supply: dict[str, Any], fraction: float | None, leader: bool
) -> None:
    """A new firm of unknown revenue, or one not above the mean known revenue, only helps.

    (A new firm far larger than the others may rightly raise the HHI; and a first known
    revenue makes the HHI computable at all, so those additions are left out.)
    """
    known = [r for r, _ in firms if r is not None]
    if fraction is None or len(known) < T.hhi_min_known:
        new: float | None = None
    else:
        new = fraction * sum(known) / len(known)
    assert _severity([*firms, (new, leader)], supply) <= _severity(firms, supply)


@settings(max_examples=300, deadline=None)
@given(firm_lists, supplies)
def test_status_is_the_most_severe_reason(firms: list[Firm], supply: dict[str, Any]) -> None:
    f = segment_finding(coverage_of(firms), T, supply=supply)
    assert (f["status"] == "ok") == (not f["reasons"])
    for r in f["reasons"]:
        assert SEVERITY[r["status"]] <= SEVERITY[f["status"]]
    assert [SEVERITY[r["status"]] for r in f["reasons"]] == sorted(
        (SEVERITY[r["status"]] for r in f["reasons"]), reverse=True
    )
    ratio = f["metrics"]["local_supply_ratio"]
    assert ratio is None or 0.0 <= ratio <= 1.0
    h = f["metrics"]["hhi"]
    assert h is None or 0.0 <= h <= 1.0


@settings(max_examples=200, deadline=None)
@given(
    firm_lists,
    supplies,
    st.integers(1, 6),
    st.integers(0, 4),
    st.floats(0, 1),
    st.floats(0, 1),
)
def test_stricter_thresholds_never_make_the_status_less_severe(
    firms: list[Firm], supply: dict[str, Any], n: int, dn: int, h: float, r: float
) -> None:
    loose = WeakLinkThresholds(min_enterprises=n, hhi=max(h, 0.0), local_ratio=min(r, 1.0))
    strict = WeakLinkThresholds(
        min_enterprises=n + dn, hhi=h * 0.5, local_ratio=min(1.0, r + (1 - r) * 0.5)
    )
    assert _severity(firms, supply, strict) >= _severity(firms, supply, loose)


def test_status_labels() -> None:
    from chainkg.queries.findings import STATUS_LABELS

    assert STATUS_LABELS == {
        "missing": "缺链",
        "dependent": "断链",
        "weak": "弱链",
        "unverified": "待核实",
        "insufficient_data": "数据不足",
        "ok": "正常",
    }


def test_severity_score() -> None:
    # base x (1 + log10(1 + stake / 10,000)) x (1 + betweenness) x 1.5 if articulation
    assert severity("ok", 1e6, 1e6, {"betweenness": 1.0, "articulation": True})["score"] == 0.0
    assert severity("missing", 0.0, 0.0, {})["score"] == 4.0
    assert severity("weak", 90_000.0, 0.0, {})["score"] == 4.0  # 2 x (1 + log10(10))
    s = severity("dependent", 5_000.0, 4_000.0, {"betweenness": 0.5, "articulation": True})
    assert s == {
        "score": 8.632,  # 3 x (1 + log10(1.9)) x 1.5 x 1.5 = 3 x 1.278754 x 2.25
        "stake": 9000.0,
        "local_demand_value": 5000.0,
        "downstream_revenue": 4000.0,
        "betweenness": 0.5,
        "articulation": True,
    }


def test_leader_rules() -> None:
    cov = {"leaders": 0, "big_firms": 3, "revenue_max": 200.0, "leader_revenue_max": None}
    assert leader_count(cov, T) == 0
    by_rev = WeakLinkThresholds(leader_rule="revenue", leader_rank=2, leader_min_revenue=100)
    assert leader_count(cov, by_rev) == 2  # three earn enough; the top two count
    assert top_is_leader(cov, by_rev) is True
    assert top_is_leader(cov, T) is False
    flagged = {**cov, "leaders": 1, "leader_revenue_max": 200.0}
    assert top_is_leader(flagged, T) is True
    second = {**cov, "leaders": 1, "leader_revenue_max": 150.0}  # the flagged firm is not top
    assert top_is_leader(second, T) is False
    either = WeakLinkThresholds(leader_rule="either", leader_min_revenue=500)
    assert (leader_count(second, either), top_is_leader(second, either)) == (1, False)


def test_downstream_revenues_sum_direct_successors_once() -> None:
    cov = [
        {"segment_id": "a", "revenue_total": 1.0},
        {"segment_id": "b", "revenue_total": 10.0},
        {"segment_id": "c", "revenue_total": 100.0},
    ]
    edges = [("a", "b"), ("a", "c"), ("a", "b"), ("b", "c"), ("c", "c"), ("c", "x")]
    assert downstream_revenues(cov, edges) == {"a": 110.0, "b": 100.0}


def test_sparse_supply_data_replaces_dependent() -> None:
    four = [(100.0, True), (100.0, False), (100.0, False), (100.0, False)]
    one = supply_row(1, 1, 1, 10.0, 10.0, 1)
    f = segment_finding(coverage_of(four), T, supply=one)
    assert f["status"] == "insufficient_data"
    assert codes(f) == ["single_source", "sparse_supply_data"]
    # Two edges for four firms is not below 0.5 per firm: the dependence stands.
    two = supply_row(2, 2, 2, 10.0, 10.0, 1)
    assert segment_finding(coverage_of(four), T, supply=two)["status"] == "dependent"
    # Fewer firms than min_enterprises are no evidence of capability.
    assert segment_finding(coverage_of(four[:2]), T, supply=one)["status"] == "dependent"
    off = WeakLinkThresholds(sparse_edges_per_firm=0)
    assert segment_finding(coverage_of(four), off, supply=one)["status"] == "dependent"


def test_only_inferred_firms_are_unverified() -> None:
    cov = {**coverage_of([]), "inferred_enterprises": 2}
    f = segment_finding(cov, T)
    assert (f["status"], codes(f), f["status_label"]) == ("unverified", ["only_inferred"], "待核实")
    assert (
        f["reasons"][0]["text"] == "省内仅有2家按行业代码推断归入该环节的企业，清单未载明，待核实"
    )
    real = {**coverage_of([(1.0, True)] * 3), "inferred_enterprises": 1}
    g = segment_finding(real, T)
    assert g["status"] == "ok"
    assert g["notes"][0]["text"] == "另有1家按行业代码推断的企业未计入，待核实"
