"""The annual evaluation on both stores: values worked out by hand, missing kept missing, scores."""

from __future__ import annotations

import math

import pytest
from eval_fixtures import BING, EXPECTED, HOSTILE, JIA, YI, build_eval_graph

from chainkg.graph.store import GraphStore
from chainkg.queries.chains import ChainRef
from chainkg.queries.evaluation import evaluate, explain


@pytest.fixture
def graph(store: GraphStore) -> GraphStore:
    build_eval_graph(store)
    return store


def _by(entries: list[dict], key: str) -> dict[str, dict]:
    return {e[key]: e for e in entries}


def test_values_per_chain_and_year_are_the_facts_counted_by_hand(graph: GraphStore) -> None:
    ev = evaluate(graph, 2024)
    assert (ev["year"], ev["previous_year"], ev["latest_year"], ev["synthetic"]) == (
        2024,
        2023,
        2024,
        False,
    )
    chains = _by(ev["chains"], "chain")
    assert list(chains) == [JIA, YI, BING]
    for chain, expected in EXPECTED.items():
        for key, (now, before) in expected.items():
            got = chains[chain]["indicators"][key]
            assert (got["value"], got["previous"]) == (now, before), (chain, key)
            assert got["change"] == now - before
            assert got["missing"] is None
    jia = chains[JIA]["indicators"]
    assert jia["revenue_growth"]["value"] == round(100 * 50_000 / 2_150_000, 4) == 2.3256
    assert jia["revenue"]["source"] == {
        "measure": "eval_enterprises.revenue",
        "query": "eval_enterprises",
        "column": "revenue",
        "as_of": "2024-12-31",
    }
    assert chains[YI]["indicators"]["revenue_growth"]["value"] == 0.0


def test_missing_data_is_missing_with_a_reason_never_zero(graph: GraphStore) -> None:
    ev = evaluate(graph, 2024)
    chains = _by(ev["chains"], "chain")
    yi, bing = chains[YI]["indicators"], chains[BING]["indicators"]
    for key in ("platforms_national", "technologies", "talent", "projects", "outside_customers"):
        assert (yi[key]["value"], yi[key]["score"], yi[key]["missing"]) == (None, None, "no_rows")
    # 丙 has no list fact in the province: only its weak links are known (丙一 缺链 both years)
    assert all(v["value"] is None for k, v in bing.items() if k != "findings_closed")
    assert bing["findings_closed"]["value"] == 0.0
    assert chains[BING]["score"] == 0.0 and chains[BING]["rank"] is None
    assert chains[BING]["coverage"] == 0.05
    jia = chains[JIA]["indicators"]
    # closed in 2024: none (the fixture's facts are not versioned: same findings both years);
    # 2023's own value would need 2022's findings
    assert (jia["findings_closed"]["value"], jia["findings_closed"]["previous"]) == (0.0, None)
    prev = evaluate(graph, 2023)["chains"][0]["indicators"]["findings_closed"]
    assert (prev["missing"], prev["missing_text"]) == (
        "no_findings_history",
        "无上年短板弱项评估（上年无清单数据）",
    )


def test_scores_normalise_among_chains_and_missing_weight_is_left_out(graph: GraphStore) -> None:
    ev = evaluate(graph, 2024)
    chains = _by(ev["chains"], "chain")
    jia, yi = chains[JIA], chains[YI]
    # log_max: 100 * log(1 + v) / log(1 + best)
    assert jia["indicators"]["enterprises"]["score"] == 100.0
    assert yi["indicators"]["enterprises"]["score"] == round(100 * math.log(2) / math.log(5), 2)
    # minmax over 2.3256 and 0.0
    assert jia["indicators"]["revenue_growth"]["score"] == 100.0
    assert yi["indicators"]["revenue_growth"]["score"] == 0.0
    # 乙's innovation: only 专精特新 has data (0 of best 1) -> 0, coverage 0.15 of the weight
    assert yi["dimensions"]["innovation"] == {"score": 0.0, "coverage": 0.15}
    # influence: 上市 0 (weight 0.4), platforms and customers missing
    assert yi["dimensions"]["influence"] == {"score": 0.0, "coverage": 0.4}
    # no chain closed a finding: the best is 0, so every chain scores 0 there
    assert jia["dimensions"]["weak_links"] == {"score": 0.0, "coverage": 1.0}
    # 乙: scale 0.25 + innovation 0.15*0.25 + leaders 0.15 + influence 0.4*0.1 + weak links
    # 0.05 of the weight: above the 0.5 minimum; 丙 (0.05) is scored but not ranked.
    assert yi["coverage"] == 0.5275
    assert (jia["rank"], yi["rank"], chains[BING]["rank"]) == (1, 2, None)
    assert jia["previous"]["rank"] == 1


def test_clusters_and_province_add_up_their_chains(graph: GraphStore) -> None:
    ev = evaluate(graph, 2024)
    clusters = _by(ev["clusters"], "cluster")
    assert list(clusters) == ["装备制造", "新材料"]
    zb = clusters["装备制造"]
    assert zb["chains"] == [JIA, YI]
    assert zb["indicators"]["enterprises"]["value"] == 5
    assert zb["indicators"]["revenue"]["value"] == 2_280_000.0
    assert zb["indicators"]["revenue"]["previous"] == 2_230_000.0
    assert zb["indicators"]["platforms_national"]["value"] == 1
    assert clusters["新材料"]["indicators"]["enterprises"]["missing"] == "no_rows"
    assert (zb["rank"], clusters["新材料"]["rank"]) == (1, None)
    province = ev["province"]["indicators"]
    assert province["enterprises"]["value"] == 5
    assert province["leaders"]["value"] == 3
    assert province["enterprises"]["score"] is None  # the province is not scored


def test_one_chain_selected_scores_the_same(graph: GraphStore) -> None:
    every = _by(evaluate(graph, 2024)["chains"], "chain")
    one = evaluate(graph, 2024, chains=[ChainRef(YI, "装备制造")])
    assert [e["chain"] for e in one["chains"]] == [YI]
    assert one["chains"][0]["score"] == every[YI]["score"]
    assert [e["cluster"] for e in one["clusters"]] == ["装备制造"]


def test_a_year_before_the_facts_has_no_previous_year(graph: GraphStore) -> None:
    ev = evaluate(graph, 2023)
    chains = _by(ev["chains"], "chain")
    assert ev["previous_year"] is None
    assert chains[JIA]["indicators"]["enterprises"]["value"] == 3
    assert chains[JIA]["indicators"]["revenue_growth"]["missing"] == "no_previous"
    assert "findings" not in chains[JIA]


def test_explain_lists_the_facts_behind_a_value(graph: GraphStore) -> None:
    jia = ChainRef(JIA, "装备制造")
    leaders = explain(graph, jia, "leaders", 2024)
    assert [f["name"] for f in leaders["facts"]] == ["甲一公司", "甲三公司"]
    assert leaders["facts_query"] == "eval_facts_enterprises"
    assert [f["name"] for f in explain(graph, jia, "leaders", 2023)["facts"]] == ["甲一公司"]
    big = explain(graph, jia, "revenue_10bn", 2024)["facts"]
    assert [(f["name"], f["source"], f["source_ref"]) for f in big] == [
        ("甲一公司", "测试夹具", "第1行")
    ]
    platforms = explain(graph, jia, "platforms_national", 2024)["facts"]
    assert [(f["id"], str(f["as_of"])) for f in platforms] == [("platform:p1", "2023-12-31")]
    customers = explain(graph, jia, "outside_customers", 2024)["facts"]
    assert sorted((f["name"], f["supplier"]) for f in customers) == [
        ("省外客户公司", "甲一公司"),
        ("省外客户公司", "甲二公司"),
    ]


def test_findings_of_the_latest_year_come_with_the_evaluation(graph: GraphStore) -> None:
    ev = evaluate(graph, 2024, with_findings=True)
    chains = _by(ev["chains"], "chain")
    bing = chains[BING]["findings"]
    assert [(s["segment"], s["status"]) for s in bing["segments"]] == [("丙一", "missing")]
    [rec] = bing["recommendations"]
    assert [c["name"] for c in rec["candidates"]] == [HOSTILE]
    assert [s["segment"] for s in chains[JIA]["findings"]["segments"]] == ["甲上", "甲下"]


def test_solve_rate_and_satisfaction_come_from_the_problem_ledger(graph: GraphStore) -> None:
    ev = evaluate(graph, 2024)
    chains = _by(ev["chains"], "chain")
    jia, yi = chains[JIA]["indicators"], chains[YI]["indicators"]
    # 甲 2024: 3 accepted, 2 resolved; rated 满意 and 不满意. 乙: its problem is of 2023.
    assert (jia["solve_rate"]["value"], jia["solve_rate"]["previous"]) == (66.6667, None)
    assert jia["satisfaction"]["value"] == 50.0
    assert (yi["solve_rate"]["value"], yi["solve_rate"]["missing"]) == (None, "no_ledger")
    assert (yi["solve_rate"]["previous"], yi["satisfaction"]["previous"]) == (100.0, 100.0)
    cluster = _by(ev["clusters"], "cluster")["装备制造"]["indicators"]
    assert (cluster["solve_rate"]["value"], cluster["solve_rate"]["previous"]) == (66.6667, 100.0)
    assert chains[JIA]["dimensions"]["service"] == {"score": 100.0, "coverage": 1.0}
