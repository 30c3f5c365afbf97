"""The API's maps: security headers, links between maps, and signed links that open a map in
a browser without the API key."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from test_api_support import OWN_CHAIN, auth, build_graph, make_client

from chainkg.api.keys import KeyFile
from chainkg.api.map_links import sign, verify
from chainkg.graph.embedded import EmbeddedStore
from chainkg.viz.page import content_security_policy

DATA = re.compile(r'<script type="application/json" id="map-data">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict, Path]]:
    tmp = tmp_path_factory.mktemp("api-maps")
    store = EmbeddedStore(tmp / "graph")
    store.open()
    build_graph(store)
    c, tokens = make_client(store, tmp)
    yield c, tokens, tmp
    store.close()


def test_map_responses_carry_security_headers(setup) -> None:
    c, tokens, _ = setup
    r = c.get(f"/maps/chains/{quote(OWN_CHAIN)}", headers=auth(tokens["viewer"]))
    assert r.status_code == 200
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"
    csp = r.headers["content-security-policy"]
    assert csp == content_security_policy(frame_ancestors=True)
    assert csp.startswith("default-src 'none'; script-src 'sha256-")
    assert csp.endswith("; frame-ancestors 'none'")
    assert "connect-src 'none'" in csp


def test_api_maps_link_to_each_other(setup) -> None:
    c, tokens, _ = setup
    r = c.get(f"/maps/clusters/{quote('装备制造')}", headers=auth(tokens["viewer"]))
    text = DATA.search(r.text).group(1)
    assert f'"href":"/maps/chains/{quote(OWN_CHAIN, safe="")}"' in text
    assert '"trail":[["双长制","/maps/roster"]]' in text


def test_signed_link_opens_a_map_without_the_key(setup) -> None:
    c, tokens, _ = setup
    r = c.post(
        "/maps/links",
        json={"path": f"/maps/chains/{quote(OWN_CHAIN)}", "ttl": 120},
        headers=auth(tokens["viewer"]),
    )
    assert r.status_code == 200
    link = r.json()
    assert link["url"] == f"/maps/chains/{quote(OWN_CHAIN)}?token={quote(link['token'], safe='')}"
    assert abs(link["expires"] - (time.time() + 120)) < 5
    page = c.get(link["url"])  # no Authorization header
    assert page.status_code == 200
    assert page.headers["x-content-type-options"] == "nosniff"
    # the page's links carry the token, so drilling down keeps working
    token = quote(link["token"], safe="")
    assert f'"/maps/roster?token={token}"' in DATA.search(page.text).group(1)
    # a token opens maps only
    assert c.get(f"/chains/{quote(OWN_CHAIN)}/findings?token={token}").status_code == 401


def test_bad_expired_and_revoked_links_are_refused(setup) -> None:
    c, _, tmp = setup
    secret = c.app.state.link_secret
    keys = KeyFile(tmp / "api-keys.json").active()
    viewer = next(k for k in keys if k.role.value == "viewer")
    good, _ = sign(secret, viewer.id, 60)
    assert verify(secret, good) == viewer.id
    expired, _ = sign(secret, viewer.id, 60, now=time.time() - 3600)
    tampered = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    other, _ = sign(b"another secret", viewer.id, 60)
    for token in (expired, tampered, other, "x", "a.b", "\x80.\x80", "大.大"):
        r = c.get(f"/maps/roster?token={quote(token, safe='')}")
        assert r.status_code == 401, token
        assert r.json()["message"] == "the map link has expired or is not valid"
    # a link outlives nothing: revoking the key closes its links
    unit = next(k for k in keys if k.role.value == "unit")
    unit_link, _ = sign(secret, unit.id, 60)
    assert c.get(f"/maps/roster?token={quote(unit_link, safe='')}").status_code == 200
    KeyFile(tmp / "api-keys.json").revoke(unit.id)
    assert c.get(f"/maps/roster?token={quote(unit_link, safe='')}").status_code == 401


def test_links_need_a_key_a_map_path_and_a_short_life(setup) -> None:
    c, tokens, _ = setup
    assert c.post("/maps/links", json={"path": "/maps/roster"}).status_code == 401
    h = auth(tokens["viewer"])
    for path in ("/chains/x/findings", "/maps/links", "//evil.example/maps/"):
        r = c.post("/maps/links", json={"path": path}, headers=h)
        assert r.status_code == 422, path
    assert c.post("/maps/links", json={"ttl": 7200}, headers=h).status_code == 422
