"""Findings, criticality and what-if from the read projection equal the Cypher answers.

Every query answered from the projection (queries/projected.py, queries/projected_criticality.py)
is compared row by row with the store's answer to the catalogue query of the same name, on
both stores and on an as-of copy (graph_as_of); then the whole weak-links report, the chains'
critical enterprises and what-if answers. Sums of floats are compared to 1e-9 relative (the
projection adds them in another order); everything else must be equal.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from chainkg.graph.catalog import query
from chainkg.graph.projection import Projection, build_projection
from chainkg.graph.store import GraphStore
from chainkg.graph.versions import graph_as_of, versions_in_force
from chainkg.loaders.demo_load import load_demo
from chainkg.loaders.list_load import ListFile, load_lists
from chainkg.loaders.roster_load import load_roster
from chainkg.loaders.template_load import load_chain_templates
from chainkg.queries import criticality, projected, projected_criticality
from chainkg.queries.findings import DOMESTIC, SOLVED, list_chains, weak_links

SCALE = 600
CHAIN = "电力装备产业链"
HEADER = "名称,产业链,环节,地市,营业收入(万元),龙头"
Y2024, Y2025 = dt.date(2024, 12, 31), dt.date(2025, 12, 31)


def same(got: Any, want: Any, path: str = "") -> None:
    """Assert equal, floats to 1e-9 relative (summation order), with the path on failure."""
    if isinstance(want, float) or isinstance(got, float):
        assert got is not None and want is not None, (path, got, want)
        assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9), (path, got, want)
    elif isinstance(want, dict):
        assert isinstance(got, dict) and set(got) == set(want), (path, got, want)
        for k in want:
            same(got[k], want[k], f"{path}.{k}")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), (path, len(got), len(want))
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            same(g, w, f"{path}[{i}]")
    else:
        assert got == want, (path, got, want)


def test_same_compares_floats_by_tolerance_and_the_rest_exactly() -> None:
    same({"a": [1, 0.1 + 0.2], "b": None}, {"a": [1, 0.3], "b": None})
    for got, want in (({"a": 1}, {"a": 2}), ([0.3], [0.31]), ({"a": 1}, {"a": 1, "b": 2})):
        with pytest.raises(AssertionError):
            same(got, want)


def _cases(store: GraphStore) -> dict[str, list[dict[str, Any]]]:
    chains = [c.name for c in list_chains(store)]
    segments = [r["segment_id"] for r in store.read(query("weak_segments"), {"chains": chains})]
    feeding = [
        r["segment_id"] for r in store.read(query("weak_feeding_segments"), {"chains": chains})
    ]
    orgs = [
        r["id"]
        for r in store.read(
            "MATCH (o:Organization)-[:SUPPLIES]->() RETURN DISTINCT o.id AS id ORDER BY id LIMIT 4"
        )
    ]
    few = chains[:2]
    return {
        "weak_segments": [{"chains": chains}, {"chains": few}],
        "weak_segment_coverage": [
            {"chains": chains, "leader_min_revenue": 100_000.0},
            {"chains": few, "leader_min_revenue": 1_000.0},
        ],
        "weak_feeding_segments": [{"chains": chains}],
        "weak_local_supply": [{"segments": feeding, "domestic": list(DOMESTIC)}],
        "weak_choke_technologies": [
            {"chains": chains, "solved": list(SOLVED), "cap": 5},
            {"chains": chains, "solved": [], "cap": 1},
        ],
        "chain_feeds": [{"chains": chains}],
        "weak_segment_firms": [{"segments": segments, "cap": 5}, {"segments": segments, "cap": 1}],
        "weak_demand_suppliers": [
            {"segments": segments, "cap": 5, "domestic": list(DOMESTIC)},
            {"segments": segments[:40], "cap": 2, "domestic": ["中国"]},
        ],
        "weak_single_source": [{"segments": segments, "cap": 5}],
        "chain_orgs": [{"ids": [*orgs, "org:没有"]}],
        "recommend_candidates": [{"segments": segments, "cap": 3}],
        "recommend_substitutes": [
            {"segments": segments, "cap": 3, "domestic": list(DOMESTIC)},
            {"segments": segments[:30], "cap": 2, "domestic": ["CN"]},
        ],
        "chain_supply_network": [{"chain": c} for c in chains[:6]],
        "chain_supply_into_org": [{"org_id": o, "chain": c} for o in orgs for c in ("", CHAIN)],
        "chain_supply_into_segment": [{"segment_id": s, "chain": ""} for s in segments[:12]]
        + [{"segment_id": segments[0], "chain": chains[1]}],
    }


def _rows_equal(store: GraphStore, p: Projection) -> int:
    """Compare every projected query with the store's; returns the rows compared."""
    everything = {**projected.PROJECTED, **projected_criticality.PROJECTED}
    cases = _cases(store)
    assert set(cases) == set(everything)
    compared = 0
    for name, runs in cases.items():
        rows = 0
        for params in runs:
            want = store.read(query(name), params)
            same(everything[name](p, params), want, name)
            rows += len(want)
        assert rows > 0, name  # every query is compared on real answers, not on nothing
        compared += rows
    return compared


def _report_equal(store: GraphStore, p: Projection) -> dict[str, Any]:
    chains = list_chains(store)
    want = weak_links(store, chains, criticality=True)
    same(weak_links(store, chains, criticality=True, projection=p), want, "report")
    return want


@pytest.mark.slow
def test_projected_findings_equal_the_cypher_answers(store: GraphStore, tmp_path: Path) -> None:
    load_roster(store)
    load_chain_templates(store)
    load_demo(store, scale=SCALE)
    a, b = "许继示例电气有限公司", "平高示例开关有限公司"
    lists = {
        Y2024: f"{a},{CHAIN},变压器与电抗器,许昌市,80000,是\n{b},{CHAIN},电线电缆,平顶山市,30000,否",
        Y2025: f"{a},{CHAIN},变压器与电抗器,许昌市,90000,是",
    }
    for year, rows in lists.items():
        path = tmp_path / f"{year.year}.csv"
        path.write_text(f"{HEADER}\n{rows}\n", encoding="utf-8")
        load_lists(store, [ListFile("enterprises", path)], as_of=year)

    p = build_projection(store)
    assert (p.generation, p.location) == (store.generation, store.location)
    assert p.versions == versions_in_force(store).fingerprint != ""
    assert _rows_equal(store, p) > 2_000
    report = _report_equal(store, p)
    statuses = {s["status"] for ch in report["chains"] for s in ch["segments"]}
    assert {"missing", "dependent", "weak", "ok"} <= statuses  # the demo plants them
    assert sum(len(ch["summary"]["critical_enterprises"]) for ch in report["chains"]) > 0

    for chain in (None, CHAIN):
        for name in (a, "变压器与电抗器"):
            want = criticality.what_if(store, name, chain)
            assert want["removed"]["name"] == name
            same(criticality.what_if(store, name, chain, projection=p), want, "what_if")

    # As of 2024 (b still listed): a copy switched to the 2024 version, and its projection.
    with graph_as_of(store, Y2024) as then:
        assert then is not store
        # The copy's own version list still says 2025 is in force: the caller tags it.
        then_versions = versions_in_force(store, Y2024).fingerprint
        past = build_projection(then, versions=then_versions)
        assert past.versions == then_versions != p.versions
        _rows_equal(then, past)
        old = _report_equal(then, past)
        assert criticality.what_if(then, b)["removed"]["name"] == b
    assert old != report


def test_sampled_and_exact_betweenness_equal_networkx() -> None:
    """Past EXACT_LIMIT nodes both sample the same pivots; below it rustworkx is exact."""
    for n, m, seed in ((2_600, 6_000, 1), (400, 1_200, 2)):
        rng = random.Random(seed)
        a = np.array([rng.randrange(n) for _ in range(m)])
        b = np.array([rng.randrange(n) for _ in range(m)])
        order = np.lexsort((b, a))
        a, b = a[order], b[order]
        ids = [f"o{i:05d}" for i in range(n)]
        want = criticality.graph_criticality(
            (), zip([ids[x] for x in a], [ids[y] for y in b], strict=True)
        )
        got = projected_criticality.graph_criticality_arrays(ids, a, b)
        assert got == want
        assert sum(c["articulation"] for c in got.values()) > 0
        assert max(c["betweenness"] for c in got.values()) > 0
