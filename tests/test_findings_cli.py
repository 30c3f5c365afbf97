"""``chainkg weak-links``, ``what-if`` and ``recommend`` on the fixture graph (embedded store)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fixtures_weak import CHAIN_A, CHAIN_B, CHAIN_EMPTY, CLUSTER, load_weak_fixture, oid

from chainkg.cli.main import main
from chainkg.graph.embedded import EmbeddedStore
from chainkg.queries.findings import list_chains, weak_links
from chainkg.queries.thresholds import WeakLinkThresholds


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COLUMNS", "240")
    for name in ("CHAINKG_STORE", "CHAINKG_WEAK_MIN_ENTERPRISES", "CHAINKG_WEAK_HHI"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "graph"
    store = EmbeddedStore(path)
    with store:
        load_weak_fixture(store)
    return path


def _run(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), *args])


def test_json_is_the_weak_links_report(data_dir: Path, capsys: pytest.CaptureFixture) -> None:
    assert _run(data_dir, "weak-links", "--all", "--format", "json") == 0
    printed = json.loads(capsys.readouterr().out)
    with EmbeddedStore(data_dir) as store:
        expected = weak_links(store, list_chains(store), WeakLinkThresholds())
    assert printed == json.loads(json.dumps(expected, ensure_ascii=False))
    assert [c["chain"] for c in printed["chains"]] == [CHAIN_A, CHAIN_B, CHAIN_EMPTY]
    assert set(printed["chains"][0]) == {
        "chain",
        "cluster",
        "summary",
        "segments",
        "recommendations",
    }
    assert set(printed["chains"][0]["segments"][0]) == {
        "name",
        "stage",
        "status",
        "reasons",
        "metrics",
        "evidence",
    }


def test_threshold_options(data_dir: Path, capsys: pytest.CaptureFixture) -> None:
    args = ["weak-links", CHAIN_A, "-f", "json", "--min-enterprises", "4", "--hhi", "0.49"]
    assert _run(data_dir, *args, "--local-ratio", "0.51") == 0
    chain = json.loads(capsys.readouterr().out)["chains"][0]
    assert chain["summary"]["thresholds"]["min_enterprises"] == 4
    statuses = {s["name"]: s["status"] for s in chain["segments"]}
    assert statuses == {
        "原料": "dependent",
        "部件": "dependent",
        "整机": "weak",
        "集成": "missing",
        "回收": "dependent",
        "再制造": "weak",
    }


def test_csv_one_row_per_segment(data_dir: Path, capsys: pytest.CaptureFixture) -> None:
    assert _run(data_dir, "weak-links", "--cluster", CLUSTER, "--format", "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["chain"], r["segment"], r["status_label"]) for r in rows] == [
        (CHAIN_A, "原料", "正常"),
        (CHAIN_A, "部件", "断链"),
        (CHAIN_A, "整机", "弱链"),
        (CHAIN_A, "集成", "缺链"),
        (CHAIN_A, "回收", "断链"),
        (CHAIN_A, "再制造", "正常"),
        (CHAIN_B, "电芯", "正常"),
        (CHAIN_B, "模组", "断链"),
    ]
    assert rows[2]["reasons"] == "省内仅2家企业，少于3家；省内无龙头企业"


def test_table(data_dir: Path, capsys: pytest.CaptureFixture) -> None:
    assert _run(data_dir, "weak-links", CHAIN_A) == 0
    out = capsys.readouterr().out
    assert f"{CHAIN_A}（{CLUSTER}）短板弱项：缺链1，断链2，弱链1，正常2" in out
    assert f"{CHAIN_A} 补链建议" in out
    assert "测试企业O5" in out


def test_unknown_chain_and_bad_selection(data_dir: Path, capsys: pytest.CaptureFixture) -> None:
    assert _run(data_dir, "weak-links", "测试丙链") == 1
    err = capsys.readouterr().err
    assert "no chain named '测试丙链' in the graph" in err
    assert "did you mean: 测试空链、测试甲链、测试乙链?" in err
    assert _run(data_dir, "weak-links") == 1
    assert "name exactly one of: CHAIN, --cluster NAME, --all" in capsys.readouterr().err
    assert _run(data_dir, "weak-links", "--all", "--hhi", "2") == 1
    assert "invalid weak-link threshold hhi" in capsys.readouterr().err


def test_what_if(data_dir: Path, capsys: pytest.CaptureFixture) -> None:
    assert _run(data_dir, "what-if", "--remove", "回收", "--chain", CHAIN_A, "-f", "json") == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["count"], result["revenue_at_risk"]) == (3, 300.0)
    assert _run(data_dir, "what-if", "--remove", "测试企业E2") == 0
    out = capsys.readouterr().out
    assert "断供推演：移除企业「测试企业E2」（1家供应商）" in out
    assert "1家企业将失去某项投入的全部供应；涉及营业收入100万元（省内100万元）" in out
    assert _run(data_dir, "what-if", "--remove", "不存在的企业") == 1
    assert "no organisation or segment named '不存在的企业'" in capsys.readouterr().err


def test_recommend(data_dir: Path, capsys: pytest.CaptureFixture) -> None:
    assert _run(data_dir, "recommend", CHAIN_A, "--format", "json", "--top", "2") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["chain"] == CHAIN_A
    assert [
        (r["segment"], [c["id"] for c in r["candidates"]]) for r in data["recommendations"]
    ] == [
        ("集成", [oid("O5"), oid("O3")]),
        ("部件", [oid("O2")]),
        ("回收", []),
    ]
    assert _run(data_dir, "recommend", CHAIN_EMPTY) == 0
    assert f"{CHAIN_EMPTY}：无缺链、断链环节，暂无补链建议。" in capsys.readouterr().out


def test_criticality_option(data_dir: Path, capsys: pytest.CaptureFixture) -> None:
    assert _run(data_dir, "weak-links", CHAIN_A, "-f", "json", "--criticality") == 0
    summary = json.loads(capsys.readouterr().out)["chains"][0]["summary"]
    assert [(c["id"], c["articulation"]) for c in summary["critical_enterprises"][:2]] == [
        (oid("F1"), True),
        (oid("E1"), True),
    ]
    assert _run(data_dir, "weak-links", CHAIN_A, "--criticality") == 0
    assert f"{CHAIN_A} 关键企业" in capsys.readouterr().out
