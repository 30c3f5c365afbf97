"""What outside probes broke in the API: headers, body intake, errors, host check, read-only,
health, the docs page, the response cache, the request log (on both stores where one is
involved)."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from test_api_support import OWN_CHAIN, STEEL, auth, built_graph, make_client

from chainkg.api.middleware import (
    API_CSP,
    PAGE_CSP,
    BodyIntake,
    ReadOnly,
    check_json,
    host_allowed,
)
from chainkg.graph import ids
from chainkg.graph.store import GraphStore
from chainkg.viz.page import content_security_policy

Client = tuple[TestClient, dict[str, str]]


@pytest.fixture(scope="module", params=["embedded", "neo4j"])
def graph(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[GraphStore, Path]]:
    with built_graph(tmp_path_factory.mktemp("api-hardening"), request.param) as built:
        yield built


@pytest.fixture(scope="module")
def client(graph: tuple[GraphStore, Path]) -> Client:
    store, tmp = graph
    return make_client(store, tmp, max_body_bytes=4096, cache_mb=1)


@pytest.fixture(scope="module")
def read_only_client(graph: tuple[GraphStore, Path]) -> Client:
    store, tmp = graph
    return make_client(store, tmp / "ro", writes_enabled=False)


def project_count(store: GraphStore) -> int:
    return store.read("MATCH (p:Project) RETURN count(p) AS n")[0]["n"]


# -- security headers --------------------------------------------------------------------


def assert_secured(response, csp: str) -> None:
    assert (
        response.headers["content-security-policy"],
        response.headers["x-content-type-options"],
        response.headers["x-frame-options"],
        "server" in response.headers,
    ) == (csp, "nosniff", "DENY", False)


def test_every_response_carries_the_security_headers(client: Client) -> None:
    c, tokens = client
    h = auth(tokens["viewer"])
    assert_secured(c.get("/chains", headers=h), API_CSP)
    assert_secured(c.get("/chains"), API_CSP)  # 401
    assert_secured(c.get("/no/such/path", headers=h), API_CSP)  # 404
    page = c.get("/maps/roster", headers=h)
    assert (page.status_code, page.headers["content-type"]) == (200, "text/html; charset=utf-8")
    # a map page sends its own, stricter CSP: its scripts by hash, no 'unsafe-inline'
    assert_secured(page, content_security_policy(frame_ancestors=True))
    assert "frame-ancestors 'none'" in PAGE_CSP and "frame-ancestors 'none'" in API_CSP


def test_an_unexpected_failure_is_json_500_without_internals(graph, tmp_path: Path) -> None:
    store, _ = graph
    c, tokens = make_client(store, tmp_path)

    @c.app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret path /srv/data and pid 4242")

    c = TestClient(c.app, raise_server_exceptions=False)
    r = c.get("/boom", headers={**auth(tokens["viewer"]), "X-Request-ID": "abc123"})
    assert (r.status_code, r.json()) == (
        500,
        {
            "error": "InternalError",
            "message": "the server could not answer this request",
            "hint": "the administrator finds the reason in the server log (request abc123)",
        },
    )
    assert_secured(r, API_CSP)


# -- request bodies ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ('{"from": NaN}', "NaN is not a JSON number"),
        ('{"from": "x", "depth": Infinity}', "Infinity is not a JSON number"),
        ('{"from": "x", "depth": -Infinity}', "-Infinity is not a JSON number"),
        ('{"from": "x", "depth": 1e999}', "1e999 is out of range for a number"),
    ],
)
def test_nan_infinity_and_huge_numbers_are_422_json(client: Client, raw: str, reason: str) -> None:
    c, tokens = client
    r = c.post(
        "/subgraph/expand",
        content=raw,
        headers={**auth(tokens["viewer"]), "Content-Type": "application/json"},
    )
    assert (r.status_code, r.json()) == (
        422,
        {
            "error": "RequestValidationError",
            "message": f"invalid JSON body: {reason}",
            "hint": "JSON numbers are finite: send null for a missing value",
            "problems": [{"file": "body", "message": reason}],
        },
    )


def test_check_json_leaves_syntax_errors_to_validation() -> None:
    assert check_json(b'{"a": 1.5, "b": [1e300]}') is None
    assert check_json(b"{not json") is None


def test_a_422_names_the_place_and_never_echoes_the_input(graph, tmp_path: Path) -> None:
    c, tokens = make_client(graph[0], tmp_path)
    ids_ = [f"org:{'很长的名字' * 10}{i}" for i in range(6000)]
    r = c.post(
        "/subgraph/expand",
        json={"from": ids.org_id(STEEL), "node_ids": ids_},
        headers=auth(tokens["viewer"]),
    )
    assert (r.status_code, len(r.content) < 1000) == (422, True)
    assert r.json() == {
        "error": "RequestValidationError",
        "message": "1 invalid part in the request",
        "hint": "see problems: where (file: body, query, path, header) and what is wrong; "
        "the API's schema is at /openapi.json",
        "problems": [
            {
                "file": "body",
                "column": "node_ids",
                "message": "List should have at most 5000 items after validation, not 6000",
            }
        ],
    }


def test_a_chunked_body_over_the_limit_is_413(client: Client) -> None:
    c, tokens = client

    def chunks() -> Iterator[bytes]:
        for _ in range(10):
            yield b"x" * 1000

    r = c.post(
        "/lists/projects/upload",
        content=chunks(),
        headers={**auth(tokens["admin"]), "Content-Type": "multipart/form-data; boundary=b"},
    )
    assert (r.status_code, r.json()["error"], r.json()["message"]) == (
        413,
        "PayloadTooLarge",
        "the request body exceeds 4096 bytes",
    )
    assert_secured(r, API_CSP)


def _run_intake(timeout: float, arrivals: list[tuple[float, bytes, bool]]) -> tuple[list, bool]:
    """Run BodyIntake over a fake app; returns (messages sent, whether the app ran)."""
    sent: list[dict] = []
    ran = []

    async def app(scope, receive, send) -> None:
        ran.append((await receive())["body"])

    async def receive() -> dict:
        delay, body, more = arrivals.pop(0)
        await asyncio.sleep(delay)
        return {"type": "http.request", "body": body, "more_body": more}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/x", "headers": []}
    asyncio.run(BodyIntake(app, max_bytes=100, timeout=timeout)(scope, receive, send))
    return sent, ran


def test_a_slow_body_is_cut_off_with_408() -> None:
    sent, ran = _run_intake(0.2, [(0.0, b"ab", True), (5.0, b"cd", False)])
    assert ran == []
    assert sent[0]["status"] == 408
    assert json.loads(sent[1]["body"]) == {
        "error": "RequestTimeout",
        "message": "the request body did not arrive within 0.2 s",
        "hint": "send the body at once; the administrator sets CHAINKG_API_BODY_TIMEOUT",
    }


def test_a_body_in_time_reaches_the_app_whole() -> None:
    sent, ran = _run_intake(2.0, [(0.0, b"ab", True), (0.01, b"cd", False)])
    assert (sent, ran) == ([], [b"abcd"])


def test_an_upload_named_dot_dot_is_stored_as_upload_csv(client: Client) -> None:
    c, tokens = client
    body = f"项目名称,产业链,总投资(万元)\n点点项目,{OWN_CHAIN},1\n".encode()
    for name in ("..", "../../etc/passwd", "a\\..\\", "/"):
        r = c.post(
            "/lists/projects/upload",
            files={"file": (name, body, "text/csv")},
            headers=auth(tokens["admin"]),
        )
        expected = "passwd" if name.endswith("passwd") else "upload.csv"
        assert (r.status_code, r.json()["files"][0]["file"]) == (200, expected), name


# -- routes without a key, HEAD, hosts ----------------------------------------------------


def test_health_and_ready_need_no_key(client: Client) -> None:
    c, _ = client
    assert (c.get("/health").status_code, c.get("/health").json()) == (200, {"status": "ok"})
    assert (c.get("/ready").status_code, c.get("/ready").json()) == (200, {"status": "ready"})


def test_ready_is_503_while_the_store_is_down(tmp_path: Path) -> None:
    from chainkg.graph.embedded import EmbeddedStore

    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the data folder should be")
    c, _ = make_client(EmbeddedStore(blocked / "graph"), tmp_path)
    r = c.get("/ready")
    assert (r.status_code, r.json()["error"]) == (503, "StoreUnavailableError")
    assert c.get("/health").status_code == 200


def test_head_answers_like_get_without_a_body(client: Client) -> None:
    c, tokens = client
    h = auth(tokens["viewer"])
    get = c.get(f"/chains/{quote(OWN_CHAIN)}", headers=h)
    head = c.head(f"/chains/{quote(OWN_CHAIN)}", headers=h)
    assert (head.status_code, head.content, head.headers["content-type"]) == (
        200,
        b"",
        "application/json",
    )
    assert head.headers["content-length"] == get.headers["content-length"]
    assert c.head("/chains").status_code == 401


def test_a_foreign_host_is_400(client: Client) -> None:
    c, tokens = client
    r = c.get("/chains", headers={**auth(tokens["viewer"]), "Host": "evil.example"})
    assert (r.status_code, r.json()) == (
        400,
        {
            "error": "InvalidHost",
            "message": "this server does not answer for the Host header given",
            "hint": "use the server's configured name; an administrator adds names with "
            "CHAINKG_API_ALLOWED_HOSTS",
        },
    )
    assert_secured(r, API_CSP)


def test_host_allow_list_rules() -> None:
    allowed = ["localhost", "127.0.0.1", "[::1]", "*.example.org"]
    assert [
        host_allowed(h, allowed)
        for h in (
            "localhost:8000",
            "127.0.0.1",
            "[::1]:8000",
            "api.example.org",
            "example.org",
            "evil.example",
            "",
            "localhost.evil.example",
        )
    ] == [True, True, True, True, False, False, False, False]
    assert host_allowed("anything", ["*"]) is True


# -- read-only servers --------------------------------------------------------------------


def test_a_read_only_server_refuses_every_write_and_writes_nothing(
    graph, read_only_client: Client
) -> None:
    store, _ = graph
    c, tokens = read_only_client
    before = project_count(store)
    h = auth(tokens["admin"])
    url = f"/chains/{quote(OWN_CHAIN)}/lists/projects"
    answers = [
        c.post(url, json={"values": {"name": "只读项目"}}, headers=h),
        c.put(url + "/project%3Ax", json={"values": {"name": "x"}}, headers=h),
        c.delete(url + "/project%3Ax", headers=h),
        c.post(
            "/lists/projects/upload",
            files={"file": ("a.csv", f"项目名称,产业链\n只读,{OWN_CHAIN}\n".encode(), "text/csv")},
            headers=h,
        ),
    ]
    assert [(r.status_code, r.json()["error"]) for r in answers] == [(403, "ReadOnly")] * 4
    assert answers[0].json()["message"] == "this server is read-only: it accepts no writes"
    assert project_count(store) == before
    # Reads, the read-only POST included, still answer.
    assert c.get("/chains", headers=h).status_code == 200
    expand = c.post("/subgraph/expand", json={"from": ids.org_id(STEEL)}, headers=h)
    assert expand.status_code == 200


def test_the_read_only_guard_stops_a_write_route_that_forgot_its_dependency() -> None:
    sent: list[dict] = []
    reached = []

    async def app(scope, receive, send) -> None:
        reached.append(scope["path"])

    async def send(message: dict) -> None:
        sent.append(message)

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    guard = ReadOnly(app, writes_enabled=False)
    for method, path in (("POST", "/new/write"), ("PATCH", "/x"), ("GET", "/x")):
        asyncio.run(guard({"type": "http", "method": method, "path": path}, receive, send))
    asyncio.run(
        guard({"type": "http", "method": "POST", "path": "/subgraph/expand"}, receive, send)
    )
    assert reached == ["/x", "/subgraph/expand"]
    assert [m["status"] for m in sent if m["type"] == "http.response.start"] == [403, 403]


# -- docs, cache, log ---------------------------------------------------------------------


def test_docs_load_nothing_from_other_sites(client: Client) -> None:
    c, _ = client
    page = c.get("/docs")
    assert page.status_code == 200
    assert "http://" not in page.text and "https://" not in page.text
    assert '<script src="/docs-assets/swagger-ui-bundle.js">' in page.text
    js = c.get("/docs-assets/swagger-ui-bundle.js")
    assert (js.status_code, js.headers["content-type"]) == (
        200,
        "text/javascript; charset=utf-8",
    )
    assert len(js.content) > 1_000_000
    assert_secured(page, PAGE_CSP)


def test_the_cache_is_bounded_by_its_budget_keys_included(graph, tmp_path: Path) -> None:
    store, _ = graph
    c, tokens = make_client(store, tmp_path, cache_mb=0.01, cache_ttl=60)
    cache = c.app.state.subgraph_cache
    h = auth(tokens["viewer"])
    for i in range(20):
        node_ids = [f"org:客户端已有{i}-{j}" for j in range(4000)]  # ~100 kB bodies
        r = c.post(
            "/subgraph/expand", json={"from": ids.org_id(STEEL), "node_ids": node_ids}, headers=h
        )
        assert r.status_code == 200
    assert cache.used_bytes <= cache.max_bytes == int(0.01 * 2**20)
    assert all(len(key[0]) == 32 for key in cache._entries)


def test_unknown_query_parameters_do_not_make_cache_entries(graph, tmp_path: Path) -> None:
    store, _ = graph
    c, tokens = make_client(store, tmp_path, cache_ttl=60)
    cache = c.app.state.subgraph_cache
    h = auth(tokens["viewer"])
    url = f"/orgs/{quote(ids.org_id(STEEL), safe='')}/neighbourhood"
    for junk in range(5):
        assert c.get(url, params={"junk": "x" * 1000 + str(junk)}, headers=h).status_code == 200
    assert len(cache) == 1


def test_each_request_is_logged_with_id_key_route_status_and_duration(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    c, tokens = client
    caplog.set_level(logging.INFO, logger="chainkg.api.access")
    c.get(f"/chains/{quote(OWN_CHAIN)}", headers={**auth(tokens["unit"]), "X-Request-ID": "r1"})
    c.get("/chains", headers={"Authorization": "Bearer not-a-key", "X-Request-ID": "r2"})
    records = [r for r in caplog.records if r.name == "chainkg.api.access"]
    key_id = c.app.state.keys.verify(tokens["unit"]).id
    assert [(r.request_id, r.key_id, r.method, r.route, r.status) for r in records] == [
        ("r1", key_id, "GET", "/chains/{chain}", 200),
        ("r2", None, "GET", "/chains", 401),
    ]
    assert all(isinstance(r.duration_ms, float) for r in records)
    text = caplog.text + "".join(str(vars(r)) for r in records)
    assert tokens["unit"] not in text and "not-a-key" not in text
