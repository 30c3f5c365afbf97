"""API keys: the `chainkg keys` commands, hashing, revocation, refusal to serve without keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_api_support import auth, build_graph, make_client

from chainkg.api.keys import KeyFile, Role, hash_token
from chainkg.cli.main import main
from chainkg.graph.embedded import EmbeddedStore


def test_keys_add_list_revoke(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "keys.json"
    store = EmbeddedStore(tmp_path / "graph")
    store.open()
    build_graph(store)
    store.close()
    assert (
        main(
            [
                "--data-dir",
                str(tmp_path / "graph"),
                "keys",
                "add",
                "--role",
                "unit",
                "--org",
                "省发展改革委",
                "--name",
                "发改委",
                "--keys-file",
                str(path),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out.splitlines()
    token = out[1]
    assert token.startswith("ckg_") and len(token) == 47  # prefix + 32 bytes base64url
    stored = json.loads(path.read_text(encoding="utf-8"))["keys"]
    assert len(stored) == 1
    assert stored[0]["hash"] == hash_token(token)
    assert token not in path.read_text(encoding="utf-8")
    assert oct(path.stat().st_mode & 0o777) == "0o600"

    assert main(["keys", "list", "--json", "--keys-file", str(path)]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed == [
        {
            "id": stored[0]["id"],
            "name": "发改委",
            "role": "unit",
            "org": "省发展改革委",
            "created": stored[0]["created"],
            "revoked": False,
        }
    ]

    assert main(["keys", "revoke", stored[0]["id"], "--keys-file", str(path)]) == 0
    assert KeyFile(path).verify(token) is None
    assert main(["keys", "revoke", "nope", "--keys-file", str(path)]) == 1
    assert f"no API key with id 'nope'; known: {stored[0]['id']}" in capsys.readouterr().err


def test_unit_key_needs_org_and_roles_are_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "keys.json")
    assert main(["keys", "add", "--role", "unit", "--name", "x", "--keys-file", path]) == 1
    assert "a unit key needs the organisation it writes for" in capsys.readouterr().err
    assert main(["keys", "add", "--role", "root", "--name", "x", "--keys-file", path]) == 1
    assert "unknown role 'root'" in capsys.readouterr().err


def test_serve_refuses_to_start_without_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--data-dir", str(tmp_path), "serve", "--keys-file", str(tmp_path / "k.json")])
    assert code == 1
    assert "the server does not start with writes enabled and no keys" in capsys.readouterr().err


def test_revoked_key_is_refused_without_restart(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "graph")
    store.open()
    try:
        build_graph(store)
        c, tokens = make_client(store, tmp_path)
        assert c.get("/clusters", headers=auth(tokens["viewer"])).status_code == 200
        keys = KeyFile(tmp_path / "api-keys.json")
        viewer = next(k for k in keys.load() if k.role is Role.viewer)
        keys.revoke(viewer.id)
        r = c.get("/clusters", headers=auth(tokens["viewer"]))
        assert r.status_code == 401
        assert r.json()["message"] == "the API key is unknown or revoked"
    finally:
        store.close()
