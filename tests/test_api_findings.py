"""Findings, recommendations and HTML maps through the API: the same answers as the CLI's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from test_api_support import OWN_CHAIN, STEEL, auth, build_graph, make_client

from chainkg.graph.embedded import EmbeddedStore
from chainkg.graph.store import GraphStore
from chainkg.queries import findings


@pytest.fixture(scope="module")
def setup(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[GraphStore, TestClient, dict]]:
    tmp = tmp_path_factory.mktemp("api-findings")
    store = EmbeddedStore(tmp / "graph")
    store.open()
    build_graph(store)
    c, tokens = make_client(store, tmp)
    yield store, c, auth(tokens["viewer"])
    store.close()


def expected_report(store: GraphStore) -> dict:
    report = findings.weak_links(store, findings.resolve_chains(store, OWN_CHAIN))["chains"][0]
    return json.loads(json.dumps(report, ensure_ascii=False, default=str))


def test_findings_are_the_weak_links_report(setup) -> None:
    store, c, h = setup
    r = c.get(f"/chains/{quote(OWN_CHAIN)}/findings", headers=h)
    assert r.status_code == 200
    assert r.json() == expected_report(store)
    assert r.json()["summary"]["segments"] == 14


def test_findings_accept_the_short_name(setup) -> None:
    store, c, h = setup
    assert c.get(f"/chains/{quote('电力装备')}/findings", headers=h).json() == expected_report(
        store
    )


def test_recommendations(setup) -> None:
    store, c, h = setup
    r = c.get(f"/chains/{quote(OWN_CHAIN)}/recommendations", headers=h)
    assert r.status_code == 200
    assert r.json() == {
        "chain": OWN_CHAIN,
        "recommendations": expected_report(store)["recommendations"],
    }


def test_unknown_chain_findings_404(setup) -> None:
    _, c, h = setup
    r = c.get(f"/chains/{quote('不存在')}/findings", headers=h)
    assert r.status_code == 404
    assert r.json()["message"] == "no chain named '不存在' in the graph"


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/maps/roster", "双长制"),
        (f"/maps/chains/{quote(OWN_CHAIN)}", OWN_CHAIN),
        (f"/maps/clusters/{quote('装备制造')}", "装备制造"),
        (f"/maps/orgs/{quote(STEEL)}", STEEL),
    ],
)
def test_maps_are_html_pages(setup, url: str, title: str) -> None:
    _, c, h = setup
    r = c.get(url, headers=h)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.text.startswith("<!DOCTYPE html>")
    assert title in r.text


def test_maps_need_a_key_and_a_known_name(setup) -> None:
    _, c, h = setup
    assert c.get("/maps/roster").status_code == 401
    r = c.get(f"/maps/clusters/{quote('无此集群')}", headers=h)
    assert r.status_code == 404
    assert r.json()["message"].startswith("no cluster named '无此集群'; known: 装备制造、")


@pytest.mark.parametrize(
    ("url", "name"),
    [
        (f"/chains/{quote(OWN_CHAIN)}/findings?as_of=2026-13-01", "as_of"),
        (f"/chains/{quote(OWN_CHAIN)}/recommendations?as_of=yesterday", "as_of"),
        (f"/chains/{quote(OWN_CHAIN)}/diff/projects?from=2026-01-01&to=soon", "to"),
    ],
)
def test_a_date_that_is_not_a_date_is_a_422_naming_the_parameter(setup, url, name) -> None:
    _, c, h = setup
    r = c.get(url, headers=h)
    assert r.status_code == 422
    body = r.json()
    value = url.rsplit("=", 1)[1]
    assert body["problems"] == [
        {"file": "query", "column": name, "message": f"not a date: {value!r}"}
    ]
    assert body["hint"] == f"give {name} as YYYY-MM-DD"
