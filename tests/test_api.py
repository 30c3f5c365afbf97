"""The HTTP API's read endpoints, subgraphs, auth and errors (TestClient, real stores)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from test_api_support import (
    GRID,
    OTHER_CHAIN,
    OUTSIDE,
    OWN_CHAIN,
    STEEL,
    STEEL_USCC,
    TRAFO,
    auth,
    build_graph,
    built_graph,
    make_client,
)

from chainkg.api.app import create_app
from chainkg.api.settings import ApiSettings
from chainkg.config import StoreSettings
from chainkg.errors import ConfigError
from chainkg.graph import ids
from chainkg.graph.embedded import EmbeddedStore
from chainkg.graph.schema import SCHEMA
from chainkg.graph.store import GraphStore
from chainkg.queries import subgraph as sg
from chainkg.queries.roster import read_roster


@pytest.fixture(scope="module", params=["embedded", "neo4j"])
def graph(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[GraphStore, Path]]:
    """One graph per store for the read tests of this module (they do not write)."""
    with built_graph(tmp_path_factory.mktemp("api"), request.param) as built:
        yield built


@pytest.fixture(scope="module")
def client(graph: tuple[GraphStore, Path]) -> tuple[TestClient, dict[str, str]]:
    store, tmp = graph
    return make_client(store, tmp)


@pytest.fixture
def viewer(client: tuple[TestClient, dict[str, str]]) -> tuple[TestClient, dict[str, str]]:
    c, tokens = client
    return c, auth(tokens["viewer"])


def org(name: str, **props: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": ids.org_id(name),
        "name": name,
        "kind": "enterprise",
        "uscc": None,
        "city": None,
        "in_province": None,
        "revenue": None,
        "employees": None,
        "leader": None,
        "specialized": None,
        "listed": None,
        "industry_code": None,
    }
    return {**base, **props}


STEEL_OUT = org(
    STEEL, uscc=STEEL_USCC, city="安阳市", in_province=True, revenue=120000.0, leader=True
)
TRAFO_OUT = org(TRAFO, city="郑州市", in_province=True, specialized=True, listed=True)
GRID_OUT = org(GRID, city="郑州市", in_province=True)
OUTSIDE_OUT = org(OUTSIDE, city="宁波市", in_province=False)


# -- auth ---------------------------------------------------------------------------------


def test_reads_need_a_key(client: tuple[TestClient, dict[str, str]]) -> None:
    c, _ = client
    r = c.get("/chains")
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == 'Bearer realm="chainkg"'
    assert r.json() == {
        "error": "Unauthorized",
        "message": "this API needs a key",
        "hint": "send `Authorization: Bearer <key>` (or `X-API-Key: <key>`); an administrator "
        "creates keys with `chainkg keys add`",
    }
    r = c.get("/chains", headers=auth("ckg_not-a-key"))
    assert r.status_code == 401
    assert r.json()["message"] == "the API key is unknown or revoked"


@pytest.mark.parametrize("role", ["viewer", "unit", "admin"])
def test_every_role_reads_with_either_header(
    client: tuple[TestClient, dict[str, str]], role: str
) -> None:
    c, tokens = client
    assert c.get("/clusters", headers=auth(tokens[role])).status_code == 200
    assert c.get("/clusters", headers={"X-API-Key": tokens[role]}).status_code == 200


def test_no_keys_and_writes_enabled_refuses_to_start(tmp_path: Path) -> None:
    settings = ApiSettings(keys_file=tmp_path / "none.json", store=StoreSettings(data_dir=tmp_path))
    with pytest.raises(ConfigError, match=r"no API keys in .*none\.json"):
        create_app(settings, EmbeddedStore(tmp_path / "g"))
    read_only = ApiSettings(
        keys_file=tmp_path / "none.json",
        writes_enabled=False,
        store=StoreSettings(data_dir=tmp_path),
    )
    assert create_app(read_only, EmbeddedStore(tmp_path / "g")).title == "chainkg API"


# -- roster, clusters, chains -------------------------------------------------------------


def test_roster_is_the_cli_json(graph: tuple[GraphStore, Path], viewer) -> None:
    c, h = viewer
    r = c.get("/roster", headers=h)
    assert r.status_code == 200
    assert r.json() == json.loads(json.dumps(read_roster(graph[0]), default=str))


def test_clusters(viewer) -> None:
    c, h = viewer
    body = c.get("/clusters", headers=h).json()
    assert len(body) == 10
    assert body[0] == {
        "seq": 1,
        "name": "装备制造",
        "chiefs": [{"name": "周霁", "title": "副省长"}],
        "chains": [
            "电力装备产业链",
            "农机装备产业链",
            "矿山机械产业链",
            "起重机械产业链",
            "工程机械产业链",
            "智能制造装备产业链",
        ],
    }
    assert body[1]["chiefs"] == []


def test_chains_with_segments(viewer) -> None:
    c, h = viewer
    body = c.get("/chains", headers=h).json()
    assert len(body) == 30
    first = body[0]
    assert (first["name"], first["cluster"], first["seq"], first["future"]) == (
        OWN_CHAIN,
        "装备制造",
        1,
        False,
    )
    assert [s["name"] for s in first["segments"]][:3] == [
        "电工钢与铜铝导体材料",
        "绝缘材料",
        "电力电子元器件",
    ]
    assert len(first["segments"]) == 14


def test_one_chain_by_encoded_name(viewer) -> None:
    c, h = viewer
    r = c.get(f"/chains/{quote(OWN_CHAIN)}", headers=h)
    assert r.status_code == 200
    body = r.json()
    assert body["responsible_units"] == [{"name": "省工业和信息化厅", "kind": "government"}]
    assert body["alliance_chairs"] == [{"name": "许继集团有限公司", "kind": "enterprise"}]
    assert body["segments"][5] == {"name": "变压器与电抗器", "stage": "midstream", "position": 6}


def test_unknown_chain_is_404_with_close_names(viewer) -> None:
    c, h = viewer
    r = c.get(f"/chains/{quote('电力设备产业链')}", headers=h)
    assert r.status_code == 404
    assert r.json() == {
        "error": "NotFoundError",
        "message": "no chain named '电力设备产业链' in the graph",
        "hint": "did you mean: 电力装备产业链、动力电池产业链、农机装备产业链?",
    }


# -- organisations ------------------------------------------------------------------------


def test_orgs_filtered_by_chain_and_segment(viewer) -> None:
    c, h = viewer
    r = c.get("/orgs", params={"chain": OWN_CHAIN, "segment": "变压器与电抗器"}, headers=h)
    assert r.json() == {"items": [TRAFO_OUT], "next_cursor": None}
    r = c.get("/orgs", params={"chain": OWN_CHAIN}, headers=h)
    names = [o["name"] for o in r.json()["items"]]
    # the responsible unit and the alliance chair count as the chain's organisations too
    assert names == [OUTSIDE, GRID, TRAFO, STEEL, "省工业和信息化厅", "许继集团有限公司"]
    r = c.get("/orgs", params={"chain": OWN_CHAIN, "in_province": "true"}, headers=h)
    assert [o["name"] for o in r.json()["items"]] == [GRID, TRAFO, STEEL]


def test_orgs_flags_and_city(viewer) -> None:
    c, h = viewer
    assert c.get("/orgs", params={"city": "郑州市"}, headers=h).json()["items"] == [
        GRID_OUT,
        TRAFO_OUT,
    ]
    assert c.get("/orgs", params={"leader": "true"}, headers=h).json()["items"] == [STEEL_OUT]
    assert c.get("/orgs", params={"listed": "true", "specialized": "true"}, headers=h).json()[
        "items"
    ] == [TRAFO_OUT]
    r = c.get("/orgs", params={"in_province": "false"}, headers=h).json()["items"]
    assert r == [OUTSIDE_OUT]


def test_orgs_cursor_pages_cover_everything_once(viewer) -> None:
    c, h = viewer
    every = c.get("/orgs", params={"limit": 200}, headers=h).json()
    assert every["next_cursor"] is None
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, object] = {"limit": 7}
        if cursor:
            params["cursor"] = cursor
        page = c.get("/orgs", params=params, headers=h).json()
        seen += [o["id"] for o in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [o["id"] for o in every["items"]]
    assert len(seen) == 45  # 41 from the roster + 4 test enterprises


def test_orgs_bad_input_is_422(viewer) -> None:
    c, h = viewer
    assert c.get("/orgs", params={"limit": 201}, headers=h).status_code == 422
    r = c.get("/orgs", params={"cursor": "%%%"}, headers=h)
    assert r.status_code == 422
    assert r.json()["problems"] == [
        {
            "file": "query",
            "column": "cursor",
            "message": "String should match pattern '^(?:[0-9a-f]{2}){1,400}$'",
        }
    ]


def test_orgs_by_segment_name_across_chains_and_any_cursor_position(viewer) -> None:
    c, h = viewer
    r = c.get("/orgs", params={"segment": "变压器与电抗器"}, headers=h)
    assert r.json() == {"items": [TRAFO_OUT], "next_cursor": None}
    # A cursor is a position in id order: one past the last id gives an empty page.
    r = c.get("/orgs", params={"cursor": "ff"}, headers=h)
    assert r.json() == {"items": [], "next_cursor": None}


def test_search_by_name_and_uscc(viewer) -> None:
    c, h = viewer
    assert c.get("/search", params={"q": "电工"}, headers=h).json() == {"items": [STEEL_OUT]}
    assert c.get("/search", params={"q": STEEL_USCC}, headers=h).json() == {"items": [STEEL_OUT]}
    assert c.get("/search", params={"q": "没有这家"}, headers=h).json() == {"items": []}
    assert c.get("/search", params={"q": ""}, headers=h).status_code == 422


# -- subgraphs ----------------------------------------------------------------------------


def test_neighbourhood_node_link(viewer) -> None:
    c, h = viewer
    r = c.get(
        f"/orgs/{quote(ids.org_id(TRAFO))}/neighbourhood",
        params={"type": "SUPPLIES", "direction": "up"},
        headers=h,
    )
    assert r.status_code == 200
    assert r.headers["x-truncated"] == "false"
    body = r.json()
    assert [n["id"] for n in body["nodes"]] == [ids.org_id(x) for x in (TRAFO, OUTSIDE, STEEL)]
    assert body["edges"] == [
        {
            "type": "SUPPLIES",
            "data_source": "test",
            "product": "无氧铜杆",
            "source": ids.org_id(OUTSIDE),
            "target": ids.org_id(TRAFO),
            "key": "SUPPLIES:无氧铜杆",
        },
        {
            "type": "SUPPLIES",
            "data_source": "test",
            "product": "取向硅钢",
            "value": 5000.0,
            "source": ids.org_id(STEEL),
            "target": ids.org_id(TRAFO),
            "key": "SUPPLIES:取向硅钢",
        },
    ]
    assert body["nodes"][1] == {
        "label": "Organization",
        "data_source": "test",
        "synthetic": True,
        "name": OUTSIDE,
        "kind": "enterprise",
        "city": "宁波市",
        "in_province": False,
        "id": ids.org_id(OUTSIDE),
    }
    assert (body["directed"], body["multigraph"], body["truncated"]) == (True, True, False)


def test_neighbourhood_directions_and_depth(viewer) -> None:
    c, h = viewer
    url = f"/orgs/{quote(ids.org_id(STEEL))}/neighbourhood"
    down2 = c.get(url, params={"type": "SUPPLIES", "direction": "down", "depth": 2}, headers=h)
    assert [n["id"] for n in down2.json()["nodes"]] == [ids.org_id(x) for x in (STEEL, TRAFO, GRID)]
    down1 = c.get(url, params={"type": "SUPPLIES", "direction": "down"}, headers=h)
    assert [n["id"] for n in down1.json()["nodes"]] == [ids.org_id(STEEL), ids.org_id(TRAFO)]
    up = c.get(url, params={"type": "SUPPLIES", "direction": "up"}, headers=h)
    assert up.json()["edges"] == []


def test_chain_subgraph_truncates_at_the_limit(viewer) -> None:
    c, h = viewer
    r = c.get(f"/chains/{quote(OWN_CHAIN)}/subgraph", params={"limit": 10}, headers=h)
    body = r.json()
    assert len(body["nodes"]) == 10
    assert body["truncated"] is True
    assert r.headers["x-truncated"] == "true"
    node_ids = {n["id"] for n in body["nodes"]}
    assert all(e["source"] in node_ids and e["target"] in node_ids for e in body["edges"])


def test_chain_subgraph_label_filter(viewer) -> None:
    c, h = viewer
    r = c.get(
        f"/chains/{quote(OWN_CHAIN)}/subgraph",
        params={"label": "Segment", "type": "HAS_SEGMENT", "depth": 1},
        headers=h,
    )
    body = r.json()
    assert [n["label"] for n in body["nodes"]] == ["Chain"] + ["Segment"] * 14
    assert {e["type"] for e in body["edges"]} == {"HAS_SEGMENT"}
    assert body["truncated"] is False


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"depth": 4}, "less than or equal to 3"),
        ({"depth": 0}, "greater than or equal to 1"),
        ({"limit": 501}, "less than or equal to 500"),
        ({"direction": "sideways"}, "'up', 'down' or 'both'"),
        ({"format": "dot"}, "'node-link', 'cytoscape', 'graphml' or 'gexf'"),
    ],
)
def test_subgraph_bad_parameters_are_422(viewer, params: dict, fragment: str) -> None:
    c, h = viewer
    r = c.get(f"/chains/{quote(OWN_CHAIN)}/subgraph", params=params, headers=h)
    assert r.status_code == 422
    assert fragment in r.json()["problems"][0]["message"]


def test_unknown_label_or_type_lists_the_known_ones(viewer) -> None:
    c, h = viewer
    # The labels and types are enums of the schema (graph/schema.py) in the OpenAPI document.
    labels = [f"'{k.label}'" for k in SCHEMA.nodes]
    r = c.get(f"/chains/{quote(OWN_CHAIN)}/subgraph", params={"label": "Factory"}, headers=h)
    assert r.status_code == 422
    assert r.json()["problems"] == [
        {
            "file": "query",
            "column": "label.0",
            "message": f"Input should be {', '.join(labels[:-1])} or {labels[-1]}",
        }
    ]
    assert labels[:3] == ["'Document'", "'Province'", "'City'"]
    r = c.get(f"/chains/{quote(OWN_CHAIN)}/subgraph", params={"type": "OWNS"}, headers=h)
    assert r.status_code == 422
    assert r.json()["problems"][0]["message"].startswith("Input should be 'ISSUED_BY', ")


def test_unknown_org_neighbourhood_is_404(viewer) -> None:
    c, h = viewer
    r = c.get(f"/orgs/{quote('org:没有')}/neighbourhood", headers=h)
    assert r.status_code == 404
    assert r.json()["message"] == "no node with id org:没有 in the graph"


def test_formats(viewer) -> None:
    c, h = viewer
    url = f"/orgs/{quote(ids.org_id(TRAFO))}/neighbourhood"
    params = {"type": "SUPPLIES", "direction": "down"}
    cy = c.get(url, params={**params, "format": "cytoscape"}, headers=h).json()
    assert [n["data"]["id"] for n in cy["elements"]["nodes"]] == [
        ids.org_id(TRAFO),
        ids.org_id(GRID),
    ]
    assert cy["elements"]["edges"][0]["data"]["source"] == ids.org_id(TRAFO)
    assert cy["elements"]["edges"][0]["data"]["product"] == "变压器"

    gm = c.get(url, params={**params, "format": "graphml"}, headers=h)
    assert gm.headers["content-type"] == "application/graphml+xml"
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ET.fromstring(gm.content)
    assert [n.get("id") for n in root.iterfind(".//g:node", ns)] == [
        ids.org_id(TRAFO),
        ids.org_id(GRID),
    ]
    [edge] = root.iterfind(".//g:edge", ns)
    assert (edge.get("source"), edge.get("target")) == (ids.org_id(TRAFO), ids.org_id(GRID))

    gx = c.get(url, params={**params, "format": "gexf"}, headers=h)
    assert gx.headers["content-type"] == "application/gexf+xml"
    ns = {"x": "http://www.gexf.net/1.2draft"}
    root = ET.fromstring(gx.content)
    assert [(n.get("id"), n.get("label")) for n in root.iterfind(".//x:node", ns)] == [
        (ids.org_id(TRAFO), TRAFO),
        (ids.org_id(GRID), GRID),
    ]
    [edge] = root.iterfind(".//x:edge", ns)
    assert edge.get("label") == "SUPPLIES"


def test_node_link_round_trip_accepts_edges_and_links(viewer) -> None:
    c, h = viewer
    body = c.get(f"/chains/{quote(OWN_CHAIN)}/subgraph", params={"depth": 1}, headers=h).json()
    g = sg.from_node_link(body)
    old = {k: v for k, v in body.items() if k != "edges"} | {"links": body["edges"]}
    g_old = sg.from_node_link(old)
    assert (g.number_of_nodes(), g.number_of_edges()) == (len(body["nodes"]), len(body["edges"]))
    assert sorted(g.edges(keys=True)) == sorted(g_old.edges(keys=True))


def test_expand_returns_only_what_is_new(viewer) -> None:
    c, h = viewer
    known = [ids.org_id(TRAFO), ids.org_id(STEEL)]
    r = c.post(
        "/subgraph/expand",
        json={"node_ids": known, "from": ids.org_id(TRAFO), "types": ["SUPPLIES"]},
        headers=h,
    )
    assert r.status_code == 200
    body = r.json()
    assert [n["id"] for n in body["nodes"]] == [ids.org_id(GRID), ids.org_id(OUTSIDE)]
    assert [(e["source"], e["target"]) for e in body["edges"]] == [
        (ids.org_id(OUTSIDE), ids.org_id(TRAFO)),
        (ids.org_id(TRAFO), ids.org_id(GRID)),
    ]
    r = c.post("/subgraph/expand", json={"from": ids.org_id(TRAFO), "depth": 9}, headers=h)
    assert r.status_code == 422


# -- findings and maps until their modules exist -------------------------------------------


# -- both stores --------------------------------------------------------------------------


def test_same_answers_on_every_store(store: GraphStore, tmp_path: Path) -> None:
    build_graph(store)
    c, tokens = make_client(store, tmp_path)
    h = auth(tokens["viewer"])
    r = c.get(
        f"/orgs/{quote(ids.org_id(TRAFO))}/neighbourhood",
        params={"type": "SUPPLIES", "depth": 2},
        headers=h,
    )
    body = r.json()
    assert [n["id"] for n in body["nodes"]] == [
        ids.org_id(x) for x in (TRAFO, GRID, OUTSIDE, STEEL)
    ]
    assert [e["key"] for e in body["edges"]] == [
        "SUPPLIES:变压器",
        "SUPPLIES:无氧铜杆",
        "SUPPLIES:取向硅钢",
    ]
    page = c.get("/orgs", params={"chain": OWN_CHAIN, "limit": 2}, headers=h).json()
    assert [o["name"] for o in page["items"]] == [OUTSIDE, GRID]
    assert c.get("/search", params={"q": STEEL_USCC}, headers=h).json() == {"items": [STEEL_OUT]}
    assert c.get(f"/chains/{quote(OTHER_CHAIN)}", headers=h).json()["responsible_units"] == [
        {"name": "省发展改革委", "kind": "government"}
    ]


def test_store_down_is_503_without_server_internals_and_recovers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the data folder should be")
    c, tokens = make_client(EmbeddedStore(blocked / "graph"), tmp_path)
    h = {**auth(tokens["viewer"]), "X-Request-ID": "probe42"}
    r = c.get("/orgs", headers=h)
    assert r.status_code == 503
    # The data path (and, for a held lock, the other process's pid) go to the log only.
    assert r.json() == {
        "error": "StoreUnavailableError",
        "message": "the graph store is unavailable",
        "hint": "retry later; the administrator finds the reason in the server log "
        "(request probe42)",
    }
    assert r.headers["x-request-id"] == "probe42"
    logged = [x for x in caplog.records if x.name == "chainkg.api"]
    assert [(x.getMessage(), x.request_id) for x in logged] == [
        (
            "StoreUnavailableError: cannot create the data folder "
            f"{blocked / 'graph'}: Not a directory",
            "probe42",
        )
    ]
    blocked.unlink()  # the store comes back: the next request reopens it
    r = c.get("/orgs", headers=h)
    assert r.status_code == 200
    assert r.json() == {"items": [], "next_cursor": None}


def test_unknown_path_is_json_404(viewer) -> None:
    c, h = viewer
    r = c.get("/no/such/thing", headers=h)
    assert r.status_code == 404
    assert r.json() == {"error": "NotFound", "message": "Not Found"}
