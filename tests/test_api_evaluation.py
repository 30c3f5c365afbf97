"""GET /evaluation and /evaluation/explain: the same answers as the queries, for any key."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from eval_fixtures import JIA, YI, build_eval_graph
from fastapi.testclient import TestClient
from test_api_support import auth, make_client

from chainkg.graph.embedded import EmbeddedStore
from chainkg.graph.store import GraphStore
from chainkg.queries.evaluation import evaluate


@pytest.fixture(scope="module")
def setup(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[GraphStore, TestClient, dict]]:
    tmp = tmp_path_factory.mktemp("api-evaluation")
    store = EmbeddedStore(tmp / "graph")
    store.open()
    build_eval_graph(store)
    c, tokens = make_client(store, tmp)
    yield store, c, auth(tokens["viewer"])
    store.close()


def test_a_viewer_reads_the_evaluation_of_a_year(setup) -> None:
    store, c, h = setup
    r = c.get("/evaluation?year=2024", headers=h)
    assert r.status_code == 200
    assert r.json() == json.loads(json.dumps(evaluate(store, 2024), ensure_ascii=False))
    one = c.get(f"/evaluation?year=2024&chain={quote('乙')}", headers=h).json()
    assert [e["chain"] for e in one["chains"]] == [YI]


def test_explain_lists_the_facts_and_unknowns_say_so(setup) -> None:
    _store, c, h = setup
    r = c.get(f"/evaluation/explain?year=2024&chain={quote(JIA)}&indicator=leaders", headers=h)
    assert r.status_code == 200
    assert [f["name"] for f in r.json()["facts"]] == ["甲一公司", "甲三公司"]
    bad = c.get(f"/evaluation/explain?year=2024&chain={quote(JIA)}&indicator=nope", headers=h)
    assert bad.status_code == 404
    assert "leaders" in bad.json()["hint"]
    assert c.get("/evaluation?year=1999", headers=h).status_code == 422
    assert c.get("/evaluation?year=2024").status_code == 401
