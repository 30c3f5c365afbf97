"""node_link builds exactly what networkx's node_link_data gives, without networkx."""

from __future__ import annotations

import networkx as nx

from chainkg.queries import subgraph as sg


def _networkx_node_link(sub: sg.Subgraph) -> dict:
    data = nx.node_link_data(sg.to_networkx(sub), edges="edges")
    data["nodes"] = [n for n in data["nodes"] if n["id"] in sub.nodes]
    data["truncated"] = sub.truncated
    return data


def _sample() -> sg.Subgraph:
    def node(i: str, label: str, **props: object) -> sg.SubgraphNode:
        return sg.SubgraphNode(i, label, dict(props))

    nodes = {
        "c": node("c", "Chain", name="链", source="61号"),
        "s1": node("s1", "Segment", name="环节一", industry_codes=["C1", "C2"]),
        "o1": node("o1", "Organization", name="甲", revenue=1.5, synthetic=True),
        "o2": node("o2", "Organization", name="乙"),
    }
    edges = [
        sg.SubgraphEdge("o2", "o1", "SUPPLIES", {"product": "芯片", "source": "demo"}),
        sg.SubgraphEdge("c", "s1", "HAS_SEGMENT", {}),
        sg.SubgraphEdge("o1", "s1", "OPERATES_IN", {"as_of": "2024-01-01"}),
        sg.SubgraphEdge("o2", "s1", "OPERATES_IN", {}),
        sg.SubgraphEdge("o2", "o1", "SUPPLIES", {"product": "屏幕"}),
        sg.SubgraphEdge("o2", "o1", "SUPPLIES", {}),
        sg.SubgraphEdge("x", "o2", "SUPPLIES", {"product": "壳"}),  # x: a node the client has
        sg.SubgraphEdge("o1", "x", "SUPPLIES", {}),
    ]
    return sg.Subgraph(nodes, edges, truncated=True)


def test_node_link_equals_networkx_including_order() -> None:
    sub = _sample()
    assert sg.node_link(sub) == _networkx_node_link(sub)
    assert [(e["source"], e["target"], e["key"]) for e in sg.node_link(sub)["edges"]] == [
        ("c", "s1", "HAS_SEGMENT:"),
        ("o1", "s1", "OPERATES_IN:"),
        ("o1", "x", "SUPPLIES:"),
        ("o2", "o1", "SUPPLIES:芯片"),
        ("o2", "o1", "SUPPLIES:屏幕"),
        ("o2", "o1", "SUPPLIES:"),
        ("o2", "s1", "OPERATES_IN:"),
        ("x", "o2", "SUPPLIES:壳"),
    ]
    assert sg.node_link(sub)["edges"][3]["data_source"] == "demo"


def test_node_link_of_only_new_parts_and_empty_subgraphs_equal_networkx() -> None:
    sub = _sample()
    part = sg.only_new(sub, ["c", "o1"])
    assert sg.node_link(part) == _networkx_node_link(part)
    assert [n["id"] for n in sg.node_link(part)["nodes"]] == ["s1", "o2"]
    empty = sg.Subgraph()
    assert sg.node_link(empty) == _networkx_node_link(empty)
