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
