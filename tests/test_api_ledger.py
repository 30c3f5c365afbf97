"""The ledger API: problems, meetings, decisions; who may write what; on both stores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from test_api_support import OTHER_CHAIN, OWN_CHAIN, UNIT_ORG, auth, built_graph, make_client

from chainkg.graph.store import GraphStore
from chainkg.loaders.ledger_policy import load_policy
from chainkg.queries.meetings import plan_calendar


@pytest.fixture(scope="module", params=["embedded", "neo4j"])
def client(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[TestClient, dict[str, str], GraphStore]]:
    tmp = tmp_path_factory.mktemp(f"api-ledger-{request.param}")
    with built_graph(tmp, request.param) as (store, path):
        plan_calendar(store, 2026, load_policy(), now=dt.datetime(2026, 1, 4, 9))
        c, tokens = make_client(store, path)
        yield c, tokens, store


def test_problem_writes_are_scoped_like_lists(client) -> None:
    c, tokens, _ = client
    body = {"chain": OWN_CHAIN, "title": "变压器用取向硅钢短缺", "registered": "2026-09-30"}
    assert c.post("/problems", json=body, headers=auth(tokens["viewer"])).status_code == 403
    r = c.post("/problems", json={**body, "chain": OTHER_CHAIN}, headers=auth(tokens["unit"]))
    assert r.status_code == 403
    assert r.json()["message"].startswith(f"{UNIT_ORG} is not responsible for {OTHER_CHAIN}")
    r = c.post("/problems", json=body, headers=auth(tokens["unit"]))
    assert r.status_code == 201, r.text
    p = r.json()
    assert [s["due"] for s in p["schedule"]] == [
        "2026-10-08",
        "2026-10-10",
        "2026-10-15",
        "2026-10-20",
    ]
    assert p["history"][0]["actor"] == f"api:unit（{UNIT_ORG}）"
    other = c.post("/problems", json={**body, "chain": OTHER_CHAIN}, headers=auth(tokens["admin"]))
    assert other.status_code == 201
    # a unit changes its own chain's problem, not another's; a forbidden step is a 422
    url = f"/problems/{quote(p['id'], safe='')}"
    r = c.patch(url, json={"status": "已反馈"}, headers=auth(tokens["unit"]))
    assert r.status_code == 422
    assert r.json()["message"] == f"problem {p['id']} cannot go from 登记 to 已反馈"
    r = c.patch(
        url,
        json={"status": "交办", "owner": UNIT_ORG, "on": "2026-10-08"},
        headers=auth(tokens["unit"]),
    )
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["due"]) == ("交办", "2026-10-10")
    other_url = f"/problems/{quote(other.json()['id'], safe='')}"
    assert (
        c.patch(other_url, json={"description": "x"}, headers=auth(tokens["unit"])).status_code
        == 403
    )
    # reads are open to every key
    r = c.get("/problems/overdue", params={"today": "2026-12-31"}, headers=auth(tokens["viewer"]))
    assert (r.status_code, r.json()["total"]) == (200, 2)
    assert [x["id"] for x in r.json()["problems"]] == [other.json()["id"], p["id"]]
    r = c.get("/problems", params={"chain": OWN_CHAIN}, headers=auth(tokens["viewer"]))
    assert [x["id"] for x in r.json()] == [p["id"]]
    r = c.get(
        "/problems/stats",
        params={"from": "2026-01-01", "to": "2026-12-31", "by": "chain"},
        headers=auth(tokens["viewer"]),
    )
    # groups in code point order of their names
    assert [(x["chain"], x["registered"], x["resolved"]) for x in r.json()] == [
        (OTHER_CHAIN, 1, 0),
        (OWN_CHAIN, 1, 0),
    ]


def test_meetings_minutes_and_decisions(client) -> None:
    c, tokens, _ = client
    meeting = f"meeting:unit_dispatch_meeting:{UNIT_ORG}:2026-10-26"
    url = f"/meetings/{quote(meeting, safe='')}"
    r = c.get(
        "/meetings",
        params={"year": 2026, "kind": "general_chief_meeting"},
        headers=auth(tokens["viewer"]),
    )
    assert [m["held_on"] for m in r.json()] == ["2026-06-22", "2026-12-21"]
    minutes = {
        "minutes": "研究硅钢保供",
        "decisions": [
            {"title": "协调硅钢保供", "owner": UNIT_ORG, "due": "2026-11-20", "chain": OWN_CHAIN}
        ],
    }
    assert c.post(f"{url}/minutes", json=minutes, headers=auth(tokens["viewer"])).status_code == 403
    r = c.post(f"{url}/minutes", json=minutes, headers=auth(tokens["unit"]))
    assert r.status_code == 201, r.text
    decision = r.json()[0]["id"]
    assert c.get(url, headers=auth(tokens["viewer"])).json()["status"] == "已召开"
    r = c.get("/decisions", params={"open": True}, headers=auth(tokens["viewer"]))
    assert [d["id"] for d in r.json()] == [decision]
    done = f"/decisions/{quote(decision, safe='')}"
    r = c.patch(done, json={"done_on": "2026-11-18"}, headers=auth(tokens["unit"]))
    assert (r.status_code, r.json()["status"]) == (200, "已完成")
    assert c.get("/decisions", params={"open": True}, headers=auth(tokens["viewer"])).json() == []
    r = c.get(
        f"/chains/{quote(OWN_CHAIN)}/problem-counts",
        params={"today": "2026-12-31"},
        headers=auth(tokens["viewer"]),
    )
    assert r.status_code == 200 and r.json() == {}
    assert c.get("/meetings/meeting:nope", headers=auth(tokens["viewer"])).status_code == 404
