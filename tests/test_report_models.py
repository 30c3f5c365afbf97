"""The weak-links report is typed: the models of queries/report_models.py accept exactly what
findings.weak_links builds (both stores), and the API's schema documents every field."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError
from test_api_support import OWN_CHAIN, build_graph, make_client

from chainkg.graph.store import GraphStore
from chainkg.queries import findings
from chainkg.queries.report_models import ChainReport, WeakLinksReport


def test_the_report_validates_strictly_and_round_trips(store: GraphStore) -> None:
    build_graph(store)
    raw = findings.weak_links(store, findings.resolve_chains(store, OWN_CHAIN), criticality=True)
    report = WeakLinksReport.model_validate(raw)
    assert report.model_dump(exclude_unset=True) == raw
    chain = report.chains[0]
    assert (chain.chain, chain.summary.segments, len(chain.segments)) == (OWN_CHAIN, 14, 14)
    assert [c.name for c in chain.summary.critical_enterprises or []] == ["乙变压器股份有限公司"]


def test_an_extra_field_is_an_error() -> None:
    with pytest.raises(ValidationError, match="surprise"):
        ChainReport.model_validate(
            {
                "chain": "x",
                "cluster": None,
                "summary": {"segments": 0, "by_status": {}, "flagged": [], "thresholds": {}},
                "segments": [],
                "recommendations": [],
                "surprise": 1,
            }
        )


def test_the_findings_schema_allows_no_undocumented_fields(embedded_store, tmp_path: Path) -> None:
    c, _ = make_client(embedded_store, tmp_path)
    schemas = c.get("/openapi.json").json()["components"]["schemas"]
    ok = c.get("/openapi.json").json()["paths"]["/chains/{chain}/findings"]["get"]["responses"]
    assert ok["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ChainReport"
    }
    for name in ("ChainReport", "SegmentFinding", "Evidence", "Metrics", "Recommendation"):
        assert schemas[name]["additionalProperties"] is False, name
