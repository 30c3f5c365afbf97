"""``chainkg serve`` refuses what cannot work, before it binds a port."""

from __future__ import annotations

from pathlib import Path

import pytest

from chainkg.cli.main import main
from chainkg.config import load_settings


def test_several_writing_workers_on_the_embedded_store_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--data-dir", str(tmp_path), "serve", "--workers", "2"])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 1
    assert (
        f"error: 2 workers cannot share the embedded graph in {tmp_path} for writing: "
        "it allows one read-write process" in err
    )
    assert "hint: add --read-only (reads only), or use one worker" in err


def test_settings_travel_to_worker_processes_as_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("CHAINKG_STORE", "NEO4J_URI", "NEO4J_USER", "NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings(data_dir=tmp_path, read_only=True, neo4j_password="pw")
    assert settings.environment() == {
        "CHAINKG_STORE": "embedded",
        "CHAINKG_DATA_DIR": str(tmp_path),
        "NEO4J_URI": "bolt://127.0.0.1:7687",
        "NEO4J_USER": "neo4j",
        "NEO4J_DATABASE": "neo4j",
        "CHAINKG_READ_ONLY": "true",
        "NEO4J_PASSWORD": "pw",
    }


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, dict]]:
    """What `chainkg serve` hands uvicorn (no port is bound)."""
    import uvicorn

    calls: list[tuple[object, dict]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    # Logging set-up is process-wide: left alone here (tested in test_logs.py).
    monkeypatch.setattr("chainkg.cli.serve.configure_logging", lambda level: None)
    for name in ("CHAINKG_API_WRITES", "CHAINKG_API_MAX_BODY", "CHAINKG_LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    return calls


def test_serve_honours_chainkg_api_writes_false(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, served
) -> None:
    monkeypatch.setenv("CHAINKG_API_WRITES", "false")
    assert main(["--data-dir", str(tmp_path), "serve"]) == 0
    [(app, kw)] = served
    settings = app.state.settings
    assert (settings.writes_enabled, settings.store.read_only) == (False, True)
    assert (kw["server_header"], kw["access_log"]) == (False, False)


def test_serve_read_only_disables_writes_on_neo4j_too(tmp_path: Path, served) -> None:
    code = main(["--store", "neo4j", "--neo4j-password", "pw", "serve", "--read-only"])
    assert code == 0
    [(app, kw)] = served
    assert (app.state.settings.store.store, app.state.settings.writes_enabled) == ("neo4j", False)
    assert kw["server_header"] is False


def test_serve_with_writes_keeps_writes_on(tmp_path: Path, served) -> None:
    from chainkg.api.keys import KeyFile, Role

    KeyFile(tmp_path / "api-keys.json").add(Role.admin, "ops")
    assert main(["--data-dir", str(tmp_path), "serve"]) == 0
    [(app, _)] = served
    assert (app.state.settings.writes_enabled, app.state.settings.store.read_only) == (True, False)


def test_an_invalid_api_setting_is_one_error_with_a_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], served
) -> None:
    monkeypatch.setenv("CHAINKG_API_MAX_BODY", "abc")
    assert main(["--data-dir", str(tmp_path), "serve"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "error: invalid setting CHAINKG_API_MAX_BODY: Input should be a valid integer, unable "
        "to parse string as an integer (given 'abc')",
        "hint: CHAINKG_API_MAX_BODY takes a whole number of bytes above 0; defaults to "
        "10485760: fix or unset it (see the README's configuration table)",
    ]
    assert served == []


def test_an_invalid_password_setting_is_not_echoed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from chainkg.api.settings import ApiSettings
    from chainkg.config import load_model
    from chainkg.errors import ConfigError

    with pytest.raises(ConfigError) as err:
        load_model(ApiSettings, keys_file=["s3cret-key"])
    assert "s3cret" not in str(err.value) + str(err.value.hint)
