"""``chainkg demo`` end to end on the embedded store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chainkg.cli.main import main


def _stats(data_dir: str, capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()
    assert main(["--data-dir", data_dir, "stats", "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_demo_twice_gives_the_same_graph_and_marks_synthetic_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = str(tmp_path / "graph")
    args = ["--data-dir", data_dir, "demo", "--scale", "800", "--out", str(tmp_path / "maps")]
    assert main(args) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "示例数据 (synthetic demo data)" in out
    assert "全省产业链短板弱项" in out
    assert "maps: 31 files in" in out
    first = _stats(data_dir, capsys)
    assert first["nodes"]["Chain"] == 30
    assert first["nodes"]["Segment"] == 421
    assert first["nodes"]["City"] == 18
    # the synthetic ledger and calendar (示例数据): 300 problems, a year's 78 meetings
    assert (first["nodes"]["Problem"], first["nodes"]["Meeting"], first["nodes"]["Decision"]) == (
        300,
        78,
        1,
    )
    assert "问题台账（示例数据 (synthetic demo data)）: 300 problems" in out
    assert main([*args, "--no-maps"]) == 0
    assert _stats(data_dir, capsys) == first
    maps = sorted(p.name for p in (tmp_path / "maps").iterdir())
    assert maps[0] == "00-双长制.html" and len(maps) == 31
