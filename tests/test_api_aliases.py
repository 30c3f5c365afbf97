"""The alias table through the API (admin only): list, alias, merge, unmerge — the functions
``chainkg orgs`` uses, on both stores."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from test_api_support import (
    GRID,
    OUTSIDE,
    STEEL,
    TRAFO,
    auth,
    built_graph,
    make_client,
)

from chainkg.api.keys import KeyFile
from chainkg.graph.ids import org_id
from chainkg.graph.store import GraphStore

OTHER_NAME = "安阳甲电工钢有限公司"


def org_names(store: GraphStore) -> list[str]:
    return [r["name"] for r in store.read("MATCH (o:Organization) RETURN o.name AS name")]


def supplies(store: GraphStore) -> list[tuple[str, str, str]]:
    rows = store.read(
        "MATCH (a:Organization)-[s:SUPPLIES]->(b:Organization) "
        "RETURN a.id AS a_id, b.id AS b_id, s.product AS product ORDER BY a_id, b_id, product"
    )
    return [(r["a_id"], r["b_id"], r["product"]) for r in rows]


@pytest.fixture(params=["embedded", "neo4j"])
def graph(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[GraphStore, Path]]:
    """The API tests' small graph (four enterprises of 电力装备产业链) on each store."""
    with built_graph(tmp_path, request.param) as built:
        yield built


def test_alias_routes_for_admins_only(graph: tuple[GraphStore, Path]) -> None:
    store, tmp = graph
    c, tokens = make_client(store, tmp)
    key_ids = {k.name: k.id for k in KeyFile(tmp / "api-keys.json").load()}
    # who may: admins only, reading and writing
    for role in ("viewer", "unit"):
        r = c.get("/aliases", headers=auth(tokens[role]))
        assert r.status_code == 403
        assert r.json()["message"] == (
            f"this needs an admin key; key {key_ids[role]!r} has role {role!r}"
        )
        r = c.post("/aliases", json={"name": OTHER_NAME, "of": STEEL}, headers=auth(tokens[role]))
        assert r.status_code == 403
        r = c.delete(f"/aliases/{quote(OTHER_NAME)}", headers=auth(tokens[role]))
        assert r.status_code == 403
    assert c.get("/aliases").status_code == 401
    admin = auth(tokens["admin"])
    assert c.get("/aliases", headers=admin).json() == {"aliases": []}

    # an alias of a name the graph does not have: nothing merged
    r = c.post(
        "/aliases",
        json={"name": f" {OTHER_NAME} ", "of": STEEL, "note": "同一企业"},
        headers=admin,
    )
    assert r.status_code == 201, r.text
    assert r.json() == {
        "alias": OTHER_NAME,
        "alias_id": org_id(OTHER_NAME),
        "unchanged": False,
        "target": org_id(STEEL),
        "merged": False,
        "versions_rewritten": 0,
        "facts_moved": 0,
        "note": "同一企业",
    }
    (row,) = c.get("/aliases", headers=admin).json()["aliases"]
    assert {
        k: row[k] for k in ("alias", "alias_id", "target", "target_name", "merged", "note", "by")
    } == {
        "alias": OTHER_NAME,
        "alias_id": org_id(OTHER_NAME),
        "target": org_id(STEEL),
        "target_name": STEEL,
        "merged": False,
        "note": "同一企业",
        "by": key_ids["admin"],
    }

    # a merge: TRAFO goes into STEEL with its facts; undone by DELETE
    before = supplies(store)
    r = c.post("/aliases", json={"name": TRAFO, "of": STEEL, "merge_only": True}, headers=admin)
    assert r.status_code == 201, r.text
    assert (r.json()["merged"], r.json()["facts_moved"]) == (True, 3)
    assert TRAFO not in org_names(store)
    # its supplies go with it, also the one from a third organisation; 取向硅钢 from
    # STEEL to TRAFO would supply itself and waits for an unmerge
    assert supplies(store) == [
        (org_id(OUTSIDE), org_id(STEEL), "无氧铜杆"),
        (org_id(STEEL), org_id(GRID), "变压器"),
    ]
    r = c.delete(f"/aliases/{quote(TRAFO)}", headers=admin)
    assert r.status_code == 200, r.text
    assert r.json()["restored"] is True
    assert TRAFO in org_names(store)
    assert supplies(store) == before

    # an alias that contradicts the table: 409 saying why
    r = c.post("/aliases", json={"name": OTHER_NAME, "of": GRID}, headers=admin)
    assert (r.status_code, r.json()["message"]) == (
        409,
        f"{OTHER_NAME!r} is already an alias of {STEEL!r}",
    )
    r = c.post("/aliases", json={"name": STEEL, "of": org_id(STEEL)}, headers=admin)
    assert (r.status_code, r.json()["message"]) == (
        409,
        f"{STEEL!r} and the target are the same organisation ({org_id(STEEL)})",
    )
    # merge_only with no such organisation, an unknown alias: 404 naming them
    r = c.post("/aliases", json={"name": "无此企业有限公司", "of": STEEL, "merge_only": True},
               headers=admin)  # fmt: skip
    assert r.status_code == 404
    r = c.delete(f"/aliases/{quote('无此企业有限公司')}", headers=admin)
    assert r.status_code == 404
    assert r.json()["message"] == (f"no alias 'org:无此企业有限公司'; aliases: {OTHER_NAME}")
    audit = c.get("/audit", headers=admin).json()["entries"]
    admin_id = key_ids["admin"]
    assert [(e["who"], e["action"]) for e in audit[:3]] == [
        (admin_id, "unmerge_org"),
        (admin_id, "merge_org"),
        (admin_id, "alias_org"),
    ]


@pytest.mark.parametrize("body", [{"name": "", "of": STEEL}, {"name": "x" * 201, "of": STEEL}])
def test_alias_body_is_checked(tmp_path: Path, body: dict) -> None:
    with built_graph(tmp_path) as (graph, tmp):
        c, tokens = make_client(graph, tmp)
        r = c.post("/aliases", json=body, headers=auth(tokens["admin"]))
        assert r.status_code == 422
        assert c.get("/aliases", headers=auth(tokens["admin"])).json() == {"aliases": []}


def test_a_read_only_server_lists_aliases_but_records_none(tmp_path: Path) -> None:
    with built_graph(tmp_path) as (store, tmp):
        c, tokens = make_client(store, tmp, writes_enabled=False)
        admin = auth(tokens["admin"])
        r = c.post("/aliases", json={"name": OTHER_NAME, "of": STEEL}, headers=admin)
        assert (r.status_code, r.json()["error"]) == (403, "ReadOnly")
        r = c.delete(f"/aliases/{quote(OTHER_NAME)}", headers=admin)
        assert (r.status_code, r.json()["error"]) == (403, "ReadOnly")
        assert c.get("/aliases", headers=admin).json() == {"aliases": []}
