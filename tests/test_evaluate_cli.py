"""``chainkg evaluate`` and ``chainkg report`` on the two-year fixture (embedded store)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from docx import Document
from eval_fixtures import BING, JIA, YI, build_eval_graph

from chainkg.cli.main import main
from chainkg.graph.embedded import EmbeddedStore
from chainkg.queries.evaluation import evaluate


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COLUMNS", "240")
    monkeypatch.delenv("CHAINKG_STORE", raising=False)
    path = tmp_path / "graph"
    with EmbeddedStore(path) as store:
        build_eval_graph(store)
    return path


def _run(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), *args])


def test_json_csv_and_table(data_dir: Path, capsys: pytest.CaptureFixture) -> None:
    assert _run(data_dir, "evaluate", "--year", "2024", "--format", "json") == 0
    printed = json.loads(capsys.readouterr().out)
    with EmbeddedStore(data_dir) as store:
        expected = evaluate(store, 2024)
    assert printed == json.loads(json.dumps(expected, ensure_ascii=False))
    assert _run(data_dir, "evaluate", "-y", "2024", "-f", "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["name"] for r in rows] == [JIA, YI, BING]
    assert (rows[0]["enterprises"], rows[0]["enterprises:change"], rows[0]["rank"]) == (
        "4.0",
        "1.0",
        "1",
    )
    assert rows[2]["enterprises"] == ""  # missing stays empty, never 0
    assert _run(data_dir, "evaluate", "-y", "2024", "--level", "clusters", "-f", "csv") == 0
    clusters = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["name"], r["enterprises"]) for r in clusters] == [
        ("装备制造", "5.0"),
        ("新材料", ""),
    ]
    assert _run(data_dir, "evaluate", "-y", "2024") == 0
    table = capsys.readouterr().out
    assert "2024年度产业链综合评价" in table and "缺失" in table


def test_explain_needs_a_chain(data_dir: Path, capsys: pytest.CaptureFixture) -> None:
    assert _run(data_dir, "evaluate", "-y", "2024", "--explain", "leaders") == 1
    assert "--explain needs --chain" in capsys.readouterr().err
    assert _run(data_dir, "evaluate", "-y", "2024", "-c", "甲", "--explain", "leaders") == 0
    facts = json.loads(capsys.readouterr().out)["facts"]
    assert [f["name"] for f in facts] == ["甲一公司", "甲三公司"]


def test_report_writes_word_and_html(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "蓝皮书.docx"
    assert _run(data_dir, "report", "--year", "2024", "-o", str(out)) == 0
    assert out.exists() and out.with_suffix(".html").exists()
    assert not list(out.parent.glob("*.part"))
    headings = [p.text for p in Document(str(out)).paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "一、全省概况"
    html = out.with_suffix(".html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "<script" not in html
