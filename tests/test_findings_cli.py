"""``chainkg weak-links``, ``what-if`` and ``recommend`` on the fixture graph (embedded store)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fixtures_weak import CHAIN_A, CHAIN_B, CHAIN_C, CHAIN_EMPTY, CLUSTER, load_weak_fixture, oid

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
    assert [c["chain"] for c in printed["chains"]] == [CHAIN_A, CHAIN_B, CHAIN_EMPTY, CHAIN_C]
    assert set(printed["chains"][0]) == {
        "chain",
        "cluster",
        "origin",
        "summary",
        "segments",
        "recommendations",
    }
    assert set(printed["chains"][0]["segments"][0]) == {
        "name",
        "stage",
        "status",
        "status_label",
        "rank",
        "severity",
        "reasons",
        "notes",
        "strengths",
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
        (CHAIN_C, "推断", "待核实"),
        (CHAIN_C, "稀疏", "数据不足"),
        (CHAIN_C, "进口", "断链"),
        (CHAIN_C, "产能", "弱链"),
        (CHAIN_C, "卡脖", "断链"),
        (CHAIN_C, "集中", "弱链"),
        (CHAIN_C, "整机", "正常"),
    ]
    assert rows[2]["reasons"] == "省内仅2家企业，少于3家；省内无龙头企业"
    assert (rows[2]["rank"], rows[2]["severity"]) == ("3", "3.3")
    assert (
        rows[1]["strengths"] == "营业收入集中度HHI为0.68，由龙头企业测试企业F1引领，链主带动作用强"
    )


def test_table(data_dir: Path, capsys: pytest.CaptureFixture) -> None:
    assert _run(data_dir, "weak-links", CHAIN_A) == 0
    out = capsys.readouterr().out
    assert f"{CHAIN_A}（{CLUSTER}）短板弱项：缺链1，断链2，弱链1，待核实0，数据不足0，正常2" in out
    assert f"{CHAIN_A} 补链建议" in out
    assert "测试企业O5" in out
    # Rows ranked by severity: 部件 (4.98) before 集成 (4.00) before 整机 (3.30).
    assert out.index("部件") < out.index("集成") < out.index("整机")
    assert "4.98" in out
    assert "测试招商目标甲" in out
    assert _run(data_dir, "weak-links", CHAIN_C) == 0
    out = capsys.readouterr().out
    assert "测试企业V1" in out  # a 国产替代 candidate of 进口
    assert "0（+1推断）" in out


def test_unknown_chain_and_bad_selection(data_dir: Path, capsys: pytest.CaptureFixture) -> None:
    assert _run(data_dir, "weak-links", "测试丁链") == 1
    err = capsys.readouterr().err
    assert "no chain named '测试丁链' in the graph" in err
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
    assert f"断供推演：移除企业（{CHAIN_A}）「测试企业E2」（1家供应商）" in out
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
        ("集成", ["investmenttarget:测试招商目标甲", "project:测试集成项目"]),
        ("部件", [oid("O2")]),
        ("回收", []),
    ]
    assert _run(data_dir, "recommend", CHAIN_A, "--format", "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["segment"], r["rank"], r["source"], r["name"]) for r in rows[:3]] == [
        ("集成", "1", "target", "测试招商目标甲"),
        ("集成", "2", "project", "测试集成项目"),
        ("集成", "3", "outside_firm", "测试企业O3"),
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
