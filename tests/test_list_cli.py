"""`chainkg load list` and `chainkg template` end to end on the embedded store."""

from __future__ import annotations

from pathlib import Path

import pytest
from list_fixtures import LISTS, build_graph

from chainkg.cli.main import main
from chainkg.graph.embedded import EmbeddedStore

GOOD = LISTS / "good"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "graph"
    with EmbeddedStore(folder) as store:
        build_graph(store)
    return folder


def test_load_prints_a_summary(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--data-dir", str(data_dir), "load", "list", "enterprises",
            str(GOOD / "enterprises.gb18030.csv"), "--with", f"supplies={GOOD / 'supplies.xlsx'}",
            "--as-of", "2024-12-31"]  # fmt: skip
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert "enterprises enterprises.gb18030.csv (gb18030): 6 rows read, 6 loaded, 0 skipped" in out
    assert (
        "nodes: City 2, Organization 5, Park 2; relationships: IN_PARK 2, LOCATED_IN 4, "
        "OPERATES_IN 5, SUPPLIES 4" in out.replace("\n", " ")
    )
    assert "warnings (2):" in err
    with EmbeddedStore(data_dir) as store:
        assert store.read("MATCH (o:Organization) WHERE o.as_of = date('2024-12-31') "
                          "RETURN count(o) AS n") == [{"n": 5}]  # fmt: skip


def test_problems_exit_1_and_write_nothing(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = LISTS / "bad" / "enterprises_revenue_words.csv"
    assert main(["--data-dir", str(data_dir), "load", "list", "enterprises", str(bad)]) == 1
    out, err = capsys.readouterr()
    assert "nothing was written" in out
    assert (
        "enterprises_revenue_words.csv, row 2, column '营业收入(万元)': 营业收入 must be a number "
        "in 万元, got '很多'" in err
    )
    with EmbeddedStore(data_dir) as store:
        assert store.counts().nodes["Organization"] == 1


def test_skip_invalid_exits_0(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mixed = LISTS / "bad" / "projects_mixed.csv"
    argv = ["--data-dir", str(data_dir), "load", "list", "projects", str(mixed), "--skip-invalid"]
    assert main(argv) == 0
    _, err = capsys.readouterr()
    assert "skipped (1):" in err


def test_template_round_trip(tmp_path: Path, data_dir: Path) -> None:
    target = tmp_path / "parks.xlsx"
    assert main(["template", "parks", "-o", str(target)]) == 0
    assert main(["template", "parks", "-o", str(target)]) == 1  # exists: needs --force
    assert main(["template", "园区", "-o", str(target), "--force"]) == 0
    # The empty template loads as "header but no data rows".
    assert main(["--data-dir", str(data_dir), "load", "list", "parks", str(target)]) == 1
