"""The weak-link findings recover the weaknesses the demo generator planted (its manifest)."""

from __future__ import annotations

from collections import Counter

import pytest

from chainkg.graph.store import GraphStore
from chainkg.loaders.demo_load import load_demo
from chainkg.loaders.roster_load import load_roster
from chainkg.loaders.template_load import load_chain_templates
from chainkg.queries.findings import SEVERITY, list_chains, weak_links

SCALE = 5_000  # ~11 firms a segment: enough for healthy segments to look healthy
# The reason each planted variant must produce, and the least severe status it allows.
EXPECTED = {
    ("missing", "none"): ("no_enterprise", "missing"),
    ("dependent", "external"): ("low_local_supply", "dependent"),
    ("dependent", "single_source"): ("single_source", "dependent"),
    ("thin", "few"): ("few_enterprises", "weak"),
    ("thin", "concentrated"): ("concentrated", "weak"),
}


@pytest.mark.slow
def test_findings_match_the_demo_manifest(store: GraphStore) -> None:
    load_roster(store)
    load_chain_templates(store)
    manifest = load_demo(store, scale=SCALE).manifest
    report = weak_links(store, list_chains(store))
    found = {
        seg["evidence"]["segment_id"]: seg for ch in report["chains"] for seg in ch["segments"]
    }
    planted = {p.segment_id: p for p in manifest.planted}
    assert set(planted) <= set(found)
    assert {(p.kind, p.variant) for p in manifest.planted} == set(EXPECTED)
    for p in manifest.planted:
        seg = found[p.segment_id]
        reason, least = EXPECTED[(p.kind, p.variant)]
        assert reason in [r["code"] for r in seg["reasons"]], (p.segment_id, seg["reasons"])
        assert SEVERITY[seg["status"]] >= SEVERITY[least], p.segment_id
        if p.variant == "few":
            assert seg["metrics"]["enterprises"] == p.evidence["in_province_enterprises"]
            assert "no_leader" in [r["code"] for r in seg["reasons"]]
        if p.variant == "single_source":
            assert seg["metrics"]["suppliers"] == 1
            assert seg["evidence"]["suppliers"]["shown"][0]["id"] == p.evidence["suppliers"][0]

    healthy = [seg for sid, seg in found.items() if sid not in planted]
    codes = Counter(r["code"] for seg in healthy for r in seg["reasons"])
    # No healthy segment is missing or thin ...
    assert codes["no_enterprise"] == codes["few_enterprises"] == 0
    assert codes["no_leader"] == codes["concentrated"] == 0
    # ... and few look dependent: random supply values over a handful of edges (about 3
    # per firm at this scale) can tip a value ratio below 0.5, or leave one supplier.
    flagged = [seg for seg in healthy if seg["status"] != "ok"]
    assert {seg["status"] for seg in flagged} <= {"dependent"}
    assert len(flagged) <= 0.05 * len(healthy)
