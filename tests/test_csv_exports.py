"""CSV exports neutralise cells that a spreadsheet would run as formulas (= + - @)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from test_api_support import OWN_CHAIN, TRAFO, org_row
from test_keys_roster import store_options

from chainkg.cells import safe_cell, safe_row
from chainkg.cli.main import main
from chainkg.graph import ids
from chainkg.graph.store import GraphStore


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+86 371", "'+86 371"),
        ("-变压器", "'-变压器"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("-12.5", "-12.5"),
        ("+3", "+3"),
        ("郑州=中心", "郑州=中心"),
        ("", ""),
        (-5, -5),
        (None, None),
        (1.5, 1.5),
    ],
)
def test_safe_cell(value: object, cell: object) -> None:
    assert safe_cell(value) == cell


def test_safe_row_keeps_the_keys() -> None:
    assert safe_row({"name": "=1+1", "n": 3}) == {"name": "'=1+1", "n": 3}


FORMULA_CUSTOMER = '=HYPERLINK("http://evil","点击")'
FORMULA_CANDIDATE = "@外省候选"


def add_formula_names(store: GraphStore) -> None:
    """An in-province customer supplied only by 乙变压器 with a formula-like name and
    product, and an out-of-province candidate for a missing segment (synthetic)."""
    missing = ids.segment_id(OWN_CHAIN, "绝缘材料")
    with store.transaction() as tx:
        tx.upsert_nodes(
            "Organization",
            [
                org_row(FORMULA_CUSTOMER, city="郑州市", in_province=True),
                org_row(FORMULA_CANDIDATE, city="+上海市", in_province=False),
            ],
        )
        tx.upsert_rels(
            "SUPPLIES",
            "Organization",
            "Organization",
            [
                {
                    "from_id": ids.org_id(TRAFO),
                    "to_id": ids.org_id(FORMULA_CUSTOMER),
                    "product": "-特种变压器",
                    "source": "test",
                }
            ],
        )
        tx.upsert_rels(
            "OPERATES_IN",
            "Organization",
            "Segment",
            [{"from_id": ids.org_id(FORMULA_CANDIDATE), "to_id": missing, "source": "test"}],
        )


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(params=["embedded", "neo4j"])
def options(request: pytest.FixtureRequest, tmp_path: Path) -> list[str]:
    opts = store_options(request.param, tmp_path)
    from conftest import neo4j_settings

    from chainkg.graph.embedded import EmbeddedStore
    from chainkg.graph.neo4j_store import Neo4jStore

    if request.param == "embedded":
        store: GraphStore = EmbeddedStore(tmp_path / "graph")
    else:
        s = neo4j_settings()
        store = Neo4jStore(s["uri"], s["user"], s["password"], database=s["database"])
    store.open()
    try:
        add_formula_names(store)
    finally:
        store.close()
    return opts


def test_what_if_csv_neutralises_names_and_products(
    options: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*options, "what-if", "--remove", TRAFO, "--format", "csv"]) == 0
    rows = csv_rows(capsys.readouterr().out)
    assert sorted((r["customer"], r["products"]) for r in rows) == [
        ("'" + FORMULA_CUSTOMER, "'-特种变压器"),
        ("丙电网建设有限公司", "变压器"),
    ]


def test_recommend_csv_neutralises_candidate_names_and_cities(
    options: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*options, "recommend", OWN_CHAIN, "--format", "csv"]) == 0
    rows = csv_rows(capsys.readouterr().out)
    picked = [(r["segment"], r["name"], r["city"]) for r in rows if r["segment"] == "绝缘材料"]
    assert picked == [("绝缘材料", "'" + FORMULA_CANDIDATE, "'+上海市")]
