"""The map data (queries/maps.py) on a small hand-built graph, and the graph builders the
map tests and bench/map_bench.py share.

The graph: province 河南省 with a general chief; clusters 装备制造 (two chains, one of them
future) and 新型材料 (one chain); 电力装备产业链 has six segments upstream to downstream,
先进钢铁材料产业链 feeds its 电工钢 segment across chains; enterprises hang off the
segments, one with a hostile name; SUPPLIES links a short supply chain.
"""

from __future__ import annotations

from typing import Any

import pytest

from chainkg.errors import InputError, NotFoundError
from chainkg.graph import ids
from chainkg.graph.store import GraphStore
from chainkg.queries import maps

HOSTILE = "<img src=x onerror=alert(1)> href"
POWER = "电力装备产业链"
STEEL = "先进钢铁材料产业链"
SMART = "智能制造装备产业链"
CITIES = ["郑州市", "洛阳市", "许昌市", "新乡市", "平顶山市", "南阳市"]
POWER_SEGMENTS = [
    ("电工钢", "upstream", 1),
    ("绝缘材料", "upstream", 2),
    ("变压器", "midstream", 1),
    ("开关设备", "midstream", 2),
    ("电线电缆", "midstream", 3),
    ("电网工程", "downstream", 1),
]
STEEL_SEGMENTS = [("铁矿石", "upstream", 1), ("炼钢", "midstream", 1), ("特种钢", "downstream", 1)]
RANK = {"upstream": 1, "midstream": 2, "downstream": 3}
PROV = {"source": "测试夹具", "as_of": "2024-12-31", "loaded_at": "2025-01-02T08:00:00"}


def _seg_rows(chain: str, segments: list[tuple[str, str, int]], synthetic: bool) -> list[dict]:
    return [
        {
            "id": ids.segment_id(chain, name),
            "name": name,
            "chain": chain,
            "stage": stage,
            "stage_rank": RANK[stage],
            "position": pos,
            "description": f"{name}环节",
            "source_ref": f"模板 {chain}",
            "synthetic": synthetic,
            **PROV,
        }
        for name, stage, pos in segments
    ]


def enterprise_rows(count: int, synthetic: bool = True) -> list[dict[str, Any]]:
    """``count`` organisations for 电力装备产业链, spread over its segments (deterministic).

    The first is the hostile name; every 10th is out of province, every 25th a leader.
    Returns rows with the organisation's properties plus ``segment`` (its segment's name).
    """
    rows = []
    for i in range(count):
        seg = POWER_SEGMENTS[i % len(POWER_SEGMENTS)][0]
        name = HOSTILE if i == 0 else f"测试{seg}企业{i:05d}有限公司"
        rows.append(
            {
                "id": ids.org_id(name) if i else "org:hostile",
                "name": name,
                "kind": "enterprise",
                "uscc": f"91410100MA{i:08d}",
                "city": CITIES[i % len(CITIES)] if i % 10 else "上海市",
                "in_province": i % 10 != 0,
                "revenue": float((i * 7919) % 500_000 + 1_000),
                "employees": 50 + i % 2000,
                "leader": i % 25 == 0,
                "specialized": i % 7 == 0,
                "listed": i % 30 == 0,
                "source_ref": f"第 {i + 2} 行",
                "synthetic": synthetic,
                "segment": seg,
                **PROV,
            }
        )
    return rows


def build_map_graph(store: GraphStore, enterprises: int = 30, synthetic: bool = True) -> dict:
    """Write the test graph; returns what it wrote (ids and counts) for the assertions."""
    orgs = enterprise_rows(enterprises, synthetic)
    units = [
        ("省工业和信息化厅", "government", POWER, "responsible"),
        ("省工业和信息化厅", "government", SMART, "responsible"),
        ("省自然资源厅", "government", STEEL, "responsible"),
        ("河南省电力装备产业联盟", "alliance", POWER, "alliance_chair"),
        ("河南省钢铁产业联盟", "alliance", STEEL, "alliance_chair"),
    ]
    with store.transaction() as tx:
        tx.upsert_nodes("Province", [{"id": ids.province_id("河南省"), "name": "河南省", **PROV}])
        tx.upsert_nodes(
            "Person",
            [
                {"id": ids.person_id("总链长甲"), "name": "总链长甲", "title": "省长", **PROV},
                {"id": ids.person_id("群链长乙"), "name": "群链长乙", "title": "副省长", **PROV},
            ],
        )
        tx.upsert_nodes(
            "Cluster",
            [
                {"id": ids.cluster_id("装备制造"), "name": "装备制造", "seq": 1, **PROV},
                {"id": ids.cluster_id("新型材料"), "name": "新型材料", "seq": 3, **PROV},
            ],
        )
        tx.upsert_nodes(
            "Chain",
            [
                {"id": ids.chain_id(POWER), "name": POWER, "seq": 1, "future": False, **PROV},
                {"id": ids.chain_id(SMART), "name": SMART, "seq": 6, "future": True, **PROV},
                {"id": ids.chain_id(STEEL), "name": STEEL, "seq": 9, "future": False, **PROV},
            ],
        )
        tx.upsert_nodes(
            "Segment",
            _seg_rows(POWER, POWER_SEGMENTS, synthetic)
            + _seg_rows(STEEL, STEEL_SEGMENTS, synthetic),
        )
        tx.upsert_nodes(
            "Organization",
            [{k: v for k, v in o.items() if k != "segment"} for o in orgs]
            + [
                {"id": ids.org_id(n), "name": n, "kind": k, **PROV}
                for n, k in dict.fromkeys((u[0], u[1]) for u in units)
            ],
        )
        tx.upsert_rels(
            "GENERAL_CHIEF_OF",
            "Person",
            "Province",
            [{"from_id": ids.person_id("总链长甲"), "to_id": ids.province_id("河南省")}],
        )
        tx.upsert_rels(
            "CHIEF_OF",
            "Person",
            "Cluster",
            [
                {
                    "from_id": ids.person_id("群链长乙"),
                    "to_id": ids.cluster_id("装备制造"),
                    "position": 1,
                }
            ],
        )
        tx.upsert_rels(
            "HAS_CLUSTER",
            "Province",
            "Cluster",
            [
                {"from_id": ids.province_id("河南省"), "to_id": ids.cluster_id(c)}
                for c in ("装备制造", "新型材料")
            ],
        )
        tx.upsert_rels(
            "HAS_CHAIN",
            "Cluster",
            "Chain",
            [
                {"from_id": ids.cluster_id("装备制造"), "to_id": ids.chain_id(POWER)},
                {"from_id": ids.cluster_id("装备制造"), "to_id": ids.chain_id(SMART)},
                {"from_id": ids.cluster_id("新型材料"), "to_id": ids.chain_id(STEEL)},
            ],
        )
        tx.upsert_rels(
            "HAS_SEGMENT",
            "Chain",
            "Segment",
            [
                {"from_id": ids.chain_id(ch), "to_id": ids.segment_id(ch, s[0])}
                for ch, segs in ((POWER, POWER_SEGMENTS), (STEEL, STEEL_SEGMENTS))
                for s in segs
            ],
        )
        p = lambda n: ids.segment_id(POWER, n)  # noqa: E731
        feeds = [
            (p("电工钢"), p("变压器"), "电工钢带", False),
            (p("绝缘材料"), p("变压器"), "绝缘纸", False),
            (p("绝缘材料"), p("开关设备"), "绝缘件", False),
            (p("变压器"), p("电网工程"), "变压器", False),
            (p("开关设备"), p("电网工程"), "开关柜", False),
            (p("电线电缆"), p("电网工程"), "电缆", False),
            (ids.segment_id(STEEL, "铁矿石"), ids.segment_id(STEEL, "炼钢"), "铁精粉", False),
            (ids.segment_id(STEEL, "炼钢"), ids.segment_id(STEEL, "特种钢"), "钢坯", False),
            (ids.segment_id(STEEL, "特种钢"), p("电工钢"), "硅钢", True),
        ]
        tx.upsert_rels(
            "FEEDS",
            "Segment",
            "Segment",
            [
                {"from_id": a, "to_id": b, "product": pr, "cross_chain": x, **PROV}
                for a, b, pr, x in feeds
            ],
        )
        tx.upsert_rels(
            "OPERATES_IN",
            "Organization",
            "Segment",
            [
                {"from_id": o["id"], "to_id": p(o["segment"]), "inferred": False, **PROV}
                for o in orgs
            ],
        )
        tx.upsert_rels(
            "RESPONSIBLE_FOR",
            "Organization",
            "Chain",
            [
                {"from_id": ids.org_id(n), "to_id": ids.chain_id(ch), "position": 1}
                for n, _, ch, role in units
                if role == "responsible"
            ],
        )
        tx.upsert_rels(
            "ALLIANCE_CHAIR_OF",
            "Organization",
            "Chain",
            [
                {"from_id": ids.org_id(n), "to_id": ids.chain_id(ch), "position": 1}
                for n, _, ch, role in units
                if role == "alliance_chair"
            ],
        )
        # A supply chain: org 1 -> 2 -> 3 -> 4 (and the hostile org 0 -> 2).
        supplies = [(1, 2), (2, 3), (3, 4), (0, 2)] if enterprises >= 5 else []
        tx.upsert_rels(
            "SUPPLIES",
            "Organization",
            "Organization",
            [
                {
                    "from_id": orgs[a]["id"],
                    "to_id": orgs[b]["id"],
                    "product": f"产品{a}",
                    "value": 100.0,
                    **PROV,
                }
                for a, b in supplies
            ],
        )
        # List entries (清单) concerning 变压器: a project, a platform, a 卡脖子 technology and
        # an investment target.
        lists = [
            (
                "Project",
                "特高压变压器扩产项目",
                {"city": "许昌市", "investment": 120000.0, "status": "在建"},
            ),
            (
                "Platform",
                "河南省变压器工程技术研究中心",
                {"level": "省级", "kind": "工程技术研究中心"},
            ),
            ("Technology", "高端取向硅钢片", {"choke": True, "status": "攻关中"}),
            ("InvestmentTarget", "某省外变压器龙头", {"origin": "江苏省", "priority": "重点"}),
        ]
        transformer = p("变压器")
        for label, name, props in lists:
            node_id = f"{label.lower()}:{name}"
            tx.upsert_nodes(label, [{"id": node_id, "name": name, **props, **PROV}])
            tx.upsert_rels(
                "IN_SEGMENT", label, "Segment", [{"from_id": node_id, "to_id": transformer}]
            )
    return {"orgs": orgs, "units": units}


@pytest.fixture
def graph(store: GraphStore) -> GraphStore:
    build_map_graph(store, enterprises=30)
    return store


def test_chain_graph_has_segments_in_order_enterprises_and_cross_chain_feeds(
    graph: GraphStore,
) -> None:
    g = maps.chain_graph(graph, POWER)
    assert g.title == POWER
    assert g.subtitle == "装备制造集群"
    assert [n.name for n in g.nodes if n.kind == "segment"] == [s[0] for s in POWER_SEGMENTS]
    assert sum(1 for n in g.nodes if n.kind == "enterprise") == 30
    assert [
        (n.name, n.props["chain"], n.attrs["direction"])
        for n in g.nodes
        if n.kind == "other_segment"
    ] == [("特种钢", STEEL, "in")]
    assert len([e for e in g.edges if e.kind == "FEEDS"]) == 7
    hostile = next(n for n in g.nodes if n.id == "org:hostile")
    assert hostile.name == HOSTILE
    assert hostile.attrs["segment"] == ids.segment_id(POWER, "电工钢")
    assert hostile.props["source"] == "测试夹具"
    assert g.synthetic is True


def test_chain_is_found_by_part_of_its_name(graph: GraphStore) -> None:
    assert maps.find_chain(graph, "钢铁")["name"] == STEEL
    with pytest.raises(NotFoundError, match="no chain named '航天'"):
        maps.find_chain(graph, "航天")


def test_cluster_graph_counts_links_between_chains(graph: GraphStore) -> None:
    g = maps.cluster_graph(graph, "装备制造")
    assert [(n.name, n.kind) for n in g.nodes] == [
        (POWER, "chain"),
        (SMART, "chain"),
        (STEEL, "other_chain"),
    ]
    power = g.nodes[0].props
    assert (power["segments"], power["enterprises"], power["local_enterprises"]) == (6, 30, 27)
    assert [(e.source, e.target, e.props["feeds"], e.props["products"]) for e in g.edges] == [
        (ids.chain_id(STEEL), ids.chain_id(POWER), 1, ["硅钢"])
    ]


def test_roster_graph_links_chiefs_clusters_chains_and_units(graph: GraphStore) -> None:
    g = maps.roster_graph(graph)
    kinds = sorted((n.kind, n.name) for n in g.nodes)
    assert kinds == sorted([
        ("chain", POWER), ("chain", STEEL), ("chain", SMART),
        ("cluster", "新型材料"), ("cluster", "装备制造"),
        ("person", "总链长甲"), ("person", "群链长乙"),
        ("unit", "河南省钢铁产业联盟"), ("unit", "河南省电力装备产业联盟"),
        ("unit", "省工业和信息化厅"), ("unit", "省自然资源厅"),
    ])  # fmt: skip
    edges = {(e.source, e.target, e.kind) for e in g.edges}
    assert (ids.person_id("总链长甲"), ids.person_id("群链长乙"), "LEADS") in edges
    assert (ids.person_id("总链长甲"), ids.cluster_id("新型材料"), "LEADS") in edges
    assert (
        ids.chain_id(SMART),
        ids.org_id("省工业和信息化厅") + "#responsible",
        "RESPONSIBLE",
    ) in edges
    assert len(g.edges) == 2 + 1 + 3 + 5


def test_org_graph_walks_suppliers_and_customers(graph: GraphStore) -> None:
    orgs = enterprise_rows(30)
    g = maps.org_graph(graph, orgs[2]["uscc"], hops=2)
    assert g.focus == orgs[2]["id"]
    assert {n.id: n.attrs["hop"] for n in g.nodes} == {
        orgs[1]["id"]: -1, "org:hostile": -1, orgs[2]["id"]: 0, orgs[3]["id"]: 1, orgs[4]["id"]: 2,
    }  # fmt: skip
    assert len(g.edges) == 4
    one = maps.org_graph(graph, orgs[2]["name"], hops=1)
    assert sorted(n.attrs["hop"] for n in one.nodes) == [-1, -1, 0, 1]
    with pytest.raises(InputError, match="out of range"):
        maps.org_graph(graph, orgs[2]["name"], hops=9)


def test_org_graph_stops_at_the_budget(graph: GraphStore) -> None:
    orgs = enterprise_rows(30)
    g = maps.org_graph(graph, orgs[2]["name"], hops=2, budget=2)
    assert len(g.nodes) == 2 and g.truncated == 2
