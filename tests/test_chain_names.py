"""One chain resolver everywhere: the same name finds the same chain in queries, maps and
every API route (both stores)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from test_api_support import OWN_CHAIN, auth, built_graph, make_client

from chainkg.errors import NotFoundError
from chainkg.graph.store import GraphStore
from chainkg.queries.chains import ChainRef, pick_chain, resolve_chain
from chainkg.queries.maps import find_chain

CHAINS = [
    ChainRef("电力装备产业链", "装备制造"),
    ChainRef("农机装备产业链", "装备制造"),
    ChainRef("绿色食品（含冷链、休闲）产业链", "现代食品"),
]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("电力装备产业链", "电力装备产业链"),
        ("电力装备", "电力装备产业链"),
        (" 电力 装备 ", "电力装备产业链"),
        ("chain:电力装备产业链", "电力装备产业链"),
        ("绿色食品", "绿色食品（含冷链、休闲）产业链"),
        ("农机", "农机装备产业链"),
    ],
)
def test_pick_chain_rules(text: str, name: str) -> None:
    assert pick_chain(CHAINS, text).name == name


def test_a_part_of_several_names_is_not_found_and_says_which() -> None:
    with pytest.raises(NotFoundError) as err:
        pick_chain(CHAINS, "装备")
    assert (str(err.value), err.value.hint) == (
        "no chain named '装备' in the graph",
        "'装备' is part of several: 电力装备产业链、农机装备产业链",
    )


def test_an_empty_graph_says_to_load_the_roster() -> None:
    with pytest.raises(NotFoundError) as err:
        pick_chain([], "电力装备")
    assert err.value.hint == "the graph has none: load the roster first (chainkg load roster)"


@pytest.fixture(scope="module", params=["embedded", "neo4j"])
def api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[GraphStore, TestClient, dict[str, str]]]:
    with built_graph(tmp_path_factory.mktemp("chain-names"), request.param) as (store, tmp):
        c, tokens = make_client(store, tmp)
        yield store, c, tokens


def test_queries_and_maps_resolve_the_short_name(api) -> None:
    store, _, _ = api
    assert resolve_chain(store, "电力装备") == ChainRef(OWN_CHAIN, "装备制造")
    assert find_chain(store, "电力装备")["name"] == OWN_CHAIN


@pytest.mark.parametrize(
    "route", ["", "/findings", "/recommendations", "/subgraph?depth=1&limit=5"]
)
def test_every_chain_route_answers_the_short_name_like_the_full_one(api, route: str) -> None:
    _, c, tokens = api
    h = auth(tokens["viewer"])
    short = c.get(f"/chains/{quote('电力装备')}{route}", headers=h)
    full = c.get(f"/chains/{quote(OWN_CHAIN)}{route}", headers=h)
    assert (short.status_code, full.status_code) == (200, 200)
    assert short.json() == full.json()


def test_the_chain_map_answers_the_short_name(api) -> None:
    _, c, tokens = api
    r = c.get(f"/maps/chains/{quote('电力装备')}", headers=auth(tokens["viewer"]))
    assert (r.status_code, OWN_CHAIN in r.text) == (200, True)


def test_a_unit_writes_its_chain_by_the_short_name(api) -> None:
    store, c, tokens = api
    r = c.post(
        f"/chains/{quote('电力装备')}/lists/projects",
        json={"values": {"name": "短名项目"}},
        headers=auth(tokens["unit"]),
    )
    assert (r.status_code, r.json()["id"]) == (201, f"project:{OWN_CHAIN}/短名项目")
    rows = store.read("MATCH (p:Project {name: '短名项目'}) RETURN p.id AS id")
    assert rows == [{"id": f"project:{OWN_CHAIN}/短名项目"}]


def test_unknown_chain_needs_a_key_before_it_is_looked_up(api) -> None:
    _, c, _ = api
    assert c.get(f"/chains/{quote('不存在')}").status_code == 401
