"""List writes through the API: the auth matrix, validation (422 with located problems),
all-or-nothing uploads, update and delete, body size limit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from test_api_support import OTHER_CHAIN, OWN_CHAIN, auth, built_graph, make_client

from chainkg.graph.store import GraphStore

ROLES = ("viewer", "unit", "admin")
CHAINS = {"own": OWN_CHAIN, "other": OTHER_CHAIN}
# (role, chain) -> allowed: viewers read only; units write their own chains; admins all.
ALLOWED = {
    ("viewer", "own"): False,
    ("viewer", "other"): False,
    ("unit", "own"): True,
    ("unit", "other"): False,
    ("admin", "own"): True,
    ("admin", "other"): True,
}


@pytest.fixture(scope="module", params=["embedded", "neo4j"])
def graph(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[GraphStore, Path]]:
    """One graph per store; the module's tests run in order on each."""
    with built_graph(tmp_path_factory.mktemp("api-lists"), request.param) as built:
        yield built


@pytest.fixture(scope="module")
def client(graph: tuple[GraphStore, Path]) -> tuple[TestClient, dict[str, str]]:
    store, tmp = graph
    return make_client(store, tmp, max_body_bytes=4096)


def project_ids(store: GraphStore) -> list[str]:
    return [r["id"] for r in store.read("MATCH (p:Project) RETURN p.id AS id ORDER BY id")]


def entry_url(chain: str, entry_id: str | None = None) -> str:
    url = f"/chains/{quote(chain)}/lists/projects"
    return url + (f"/{quote(entry_id, safe='')}" if entry_id else "")


def create(c: TestClient, token: str, chain: str, name: str, **values: object):
    return c.post(entry_url(chain), json={"values": {"name": name, **values}}, headers=auth(token))


@pytest.mark.parametrize(("role", "which"), sorted(ALLOWED))
def test_create_matrix(graph, client, role: str, which: str) -> None:
    store, _ = graph
    c, tokens = client
    chain = CHAINS[which]
    name = f"创建-{role}-{which}"
    r = create(c, tokens[role], chain, name, investment=1000, status="在建")
    entry_id = f"project:{chain}/{name}"
    if ALLOWED[(role, which)]:
        assert r.status_code == 201, r.text
        assert r.json() == {
            "id": entry_id,
            "files": [
                {"file": "api-projects.csv", "kind": "projects", "rows_read": 1, "rows_loaded": 1}
            ],
            "nodes": {"Project": 1},
            "relationships": {"LISTED_FOR": 1},
            "warnings": [],
        }
        assert entry_id in project_ids(store)
    else:
        assert r.status_code == 403
        assert r.json()["error"] == "Forbidden"
        assert entry_id not in project_ids(store)


@pytest.mark.parametrize(("role", "which"), sorted(ALLOWED))
def test_update_matrix(graph, client, role: str, which: str) -> None:
    store, _ = graph
    c, tokens = client
    chain = CHAINS[which]
    name = f"更新-{role}-{which}"
    assert create(c, tokens["admin"], chain, name, investment=1000).status_code == 201
    entry_id = f"project:{chain}/{name}"
    r = c.put(
        entry_url(chain, entry_id),
        json={"values": {"name": name, "investment": 2500}},
        headers=auth(tokens[role]),
    )
    inv = store.read("MATCH (p:Project {id: $id}) RETURN p.investment AS v", {"id": entry_id})
    if ALLOWED[(role, which)]:
        assert r.status_code == 200, r.text
        assert r.json()["id"] == entry_id
        assert inv == [{"v": 2500.0}]
    else:
        assert r.status_code == 403
        assert inv == [{"v": 1000.0}]


@pytest.mark.parametrize(("role", "which"), sorted(ALLOWED))
def test_delete_matrix(graph, client, role: str, which: str) -> None:
    store, _ = graph
    c, tokens = client
    chain = CHAINS[which]
    name = f"删除-{role}-{which}"
    assert create(c, tokens["admin"], chain, name).status_code == 201
    entry_id = f"project:{chain}/{name}"
    r = c.delete(entry_url(chain, entry_id), headers=auth(tokens[role]))
    if ALLOWED[(role, which)]:
        assert r.status_code == 204, r.text
        assert entry_id not in project_ids(store)
        again = c.delete(entry_url(chain, entry_id), headers=auth(tokens[role]))
        assert again.status_code == 404
        assert again.json()["message"] == f"{chain} has no projects entry {entry_id!r}"
    else:
        assert r.status_code == 403
        assert entry_id in project_ids(store)


def _csv(*rows: tuple[str, str, str]) -> bytes:
    lines = ["项目名称,产业链,总投资(万元)", *(",".join(r) for r in rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.mark.parametrize(("role", "which"), sorted(ALLOWED))
def test_upload_matrix(graph, client, role: str, which: str) -> None:
    store, _ = graph
    c, tokens = client
    chain = CHAINS[which]
    name = f"上传-{role}-{which}"
    body = _csv((name, chain, "300"))
    r = c.post(
        "/lists/projects/upload",
        files={"file": ("项目清单.csv", body, "text/csv")},
        headers=auth(tokens[role]),
    )
    if ALLOWED[(role, which)]:
        assert r.status_code == 200, r.text
        assert r.json() == {
            "files": [
                {"file": "项目清单.csv", "kind": "projects", "rows_read": 1, "rows_loaded": 1}
            ],
            "nodes": {"Project": 1},
            "relationships": {"LISTED_FOR": 1},
            "warnings": [],
        }
        assert f"project:{chain}/{name}" in project_ids(store)
    else:
        assert r.status_code == 403
        assert f"project:{chain}/{name}" not in project_ids(store)


def test_unit_upload_naming_any_other_chain_is_refused_whole(graph, client) -> None:
    store, _ = graph
    c, tokens = client
    body = _csv(("混合A", OWN_CHAIN, "1"), ("混合B", OTHER_CHAIN, "2"))
    r = c.post(
        "/lists/projects/upload",
        files={"file": ("mixed.csv", body, "text/csv")},
        headers=auth(tokens["unit"]),
    )
    assert r.status_code == 403
    assert not [i for i in project_ids(store) if "混合" in i]


def test_bad_upload_is_422_with_every_problem_and_writes_nothing(graph, client) -> None:
    store, _ = graph
    c, tokens = client
    before = project_ids(store)
    body = _csv(
        ("好项目", OWN_CHAIN, "10"), ("坏项目", OWN_CHAIN, "很多"), ("另一个", "不存在产业链", "1")
    )
    r = c.post(
        "/lists/projects/upload",
        files={"file": ("bad.csv", body, "text/csv")},
        headers=auth(tokens["admin"]),
    )
    assert r.status_code == 422
    assert r.json()["problems"] == [
        {
            "file": "bad.csv",
            "row": 3,
            "column": "总投资(万元)",
            "message": "总投资 must be a number in 万元, got '很多'",
        },
        {
            "file": "bad.csv",
            "row": 4,
            "column": "产业链",
            "message": "unknown 产业链 '不存在产业链'; closest: 起重机械产业链, 绿色建材产业链, 纺织服装产业链",
        },
    ]
    assert (
        r.json()["hint"] == "fix the rows named and send the whole list again (nothing was written)"
    )
    assert project_ids(store) == before


def test_bad_entry_values_are_422(client) -> None:
    c, tokens = client
    r = create(c, tokens["admin"], OWN_CHAIN, "坏值", investment="很多", color="红")
    assert r.status_code == 422
    assert r.json()["problems"] == [
        {"file": "body", "column": "color", "message": "unknown column 'color'"}
    ]
    r = create(c, tokens["admin"], OWN_CHAIN, "坏值", investment="很多")
    assert r.status_code == 422
    assert r.json()["problems"] == [
        {
            "file": "api-projects.csv",
            "row": 2,
            "column": "investment",
            "message": "总投资 must be a number in 万元, got '很多'",
        }
    ]
    r = c.post(
        f"/chains/{quote(OWN_CHAIN)}/lists/enterprises",
        json={"values": {"name": "x"}},
        headers=auth(tokens["admin"]),
    )
    assert r.status_code == 422
    assert r.json()["problems"] == [
        {
            "file": "path",
            "column": "kind",
            "message": "Input should be 'parks', 'projects', 'platforms', 'technologies', "
            "'talent', 'targets' or 'needs'",
        }
    ]


def test_update_cannot_rename(client) -> None:
    c, tokens = client
    assert create(c, tokens["admin"], OWN_CHAIN, "原名").status_code == 201
    r = c.put(
        entry_url(OWN_CHAIN, f"project:{OWN_CHAIN}/原名"),
        json={"values": {"name": "新名"}},
        headers=auth(tokens["admin"]),
    )
    assert r.status_code == 422
    assert r.json()["problems"][0]["message"] == (
        f"these values identify entry 'project:{OWN_CHAIN}/新名', not 'project:{OWN_CHAIN}/原名'"
    )


def test_supplies_upload_needs_admin(client) -> None:
    c, tokens = client
    body = "供应方,客户,产品\n甲电工钢有限公司,乙变压器股份有限公司,取向硅钢\n".encode()
    r = c.post(
        "/lists/supplies/upload",
        files={"file": ("s.csv", body, "text/csv")},
        headers=auth(tokens["unit"]),
    )
    assert r.status_code == 403
    assert r.json()["message"].startswith("this needs an admin key")


def test_body_over_the_limit_is_413(client) -> None:
    c, tokens = client
    body = _csv(*[(f"项目{i}", OWN_CHAIN, "1") for i in range(200)])
    assert len(body) > 4096
    r = c.post(
        "/lists/projects/upload",
        files={"file": ("big.csv", body, "text/csv")},
        headers=auth(tokens["admin"]),
    )
    assert r.status_code == 413
    assert r.json()["message"] == "the request body exceeds 4096 bytes"
