"""Weak-links benchmark: all findings for one chain and for all 30 chains on the demo graph.

    .venv/bin/python bench/weak_links_bench.py --store embedded --data-dir /tmp/demo1m \
        --scale 1000000
    .venv/bin/python bench/weak_links_bench.py --store neo4j --neo4j-uri bolt://127.0.0.1:7687 \
        --scale 1000000

The graph must hold the roster, the chain templates and the demo at ``--scale``; with
``--load`` the benchmark loads them first (embedded: into ``--data-dir``; Neo4j: WARNING,
the demo replaces the synthetic data of the database it is pointed at). It then times, with
``--repeat`` runs each (first run reported apart as "cold"):

- ``one chain``: ``weak_links`` for ``--chain`` (default: the chain with most segments);
- ``all chains``: ``weak_links`` for every chain;
- each weak-link query alone, for all chains (where the time goes);
- ``chain_criticality`` for the one chain (its SUPPLIES network into networkx).

Targets (embedded): one chain <= 1 s, all chains <= 10 s. Results go to
``bench/results/weak-links-<store>-<scale>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chainkg.config import load_settings
from chainkg.graph.factory import make_store
from chainkg.graph.store import GraphStore
from chainkg.queries.catalog import query
from chainkg.queries.criticality import chain_criticality
from chainkg.queries.findings import ChainRef, list_chains, weak_links
from chainkg.queries.thresholds import WeakLinkThresholds

RESULTS = Path(__file__).resolve().parent / "results"
TARGETS = {"one_chain": 1.0, "all_chains": 10.0}
STATUS_QUERIES = ("weak_segments", "weak_segment_coverage", "chain_feeds")
# Evidence queries run for the flagged segments only: (query, statuses they are run for).
EVIDENCE_QUERIES = (
    ("weak_segment_firms", ("dependent", "weak")),
    ("weak_demand_suppliers", ("missing", "dependent")),
    ("weak_single_source", ("missing", "dependent")),
    ("recommend_candidates", ("missing", "dependent")),
)


def timed(fn: Callable[[], Any], repeat: int) -> dict[str, float]:
    """Cold (first) time and median of the following ``repeat`` runs, in seconds."""
    start = time.perf_counter()
    fn()
    cold = time.perf_counter() - start
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return {"cold": round(cold, 3), "median": round(statistics.median(runs), 3)}


def load(store: GraphStore, scale: int) -> float:
    """Load roster, templates and the demo at ``scale``; seconds taken."""
    from chainkg.loaders.demo_load import load_demo
    from chainkg.loaders.roster_load import load_roster
    from chainkg.loaders.template_load import load_chain_templates

    start = time.perf_counter()
    load_roster(store)
    load_chain_templates(store)
    load_demo(store, scale=scale)
    return time.perf_counter() - start


def biggest_chain(store: GraphStore, chains: list[ChainRef]) -> ChainRef:
    """The chain with the most segments (ties: roster order)."""
    rows = store.read(query("weak_segments"), {"chains": [c.name for c in chains]})
    count: dict[str, int] = {}
    for r in rows:
        count[r["chain"]] = count.get(r["chain"], 0) + 1
    return max(chains, key=lambda c: count.get(c.name, 0))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write its results."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--store", choices=("embedded", "neo4j"), default="embedded")
    ap.add_argument("--data-dir", type=Path, help="embedded graph folder")
    ap.add_argument("--neo4j-uri")
    ap.add_argument("--neo4j-password", default=os.environ.get("NEO4J_PASSWORD"))
    ap.add_argument("--scale", type=int, default=1_000_000, help="demo enterprises (for --load)")
    ap.add_argument("--load", action="store_true", help="load roster, templates and demo first")
    ap.add_argument("--chain", help="the one chain to time (default: most segments)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    settings = load_settings(
        store=args.store,
        data_dir=args.data_dir,
        neo4j_uri=args.neo4j_uri,
        neo4j_password=args.neo4j_password or "chainkg-dev-password",
    )
    store = make_store(settings)
    result: dict[str, Any] = {
        "store": args.store,
        "scale": args.scale,
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": sys.version.split()[0],
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "load_average": os.getloadavg(),
    }
    with store:
        if args.load:
            result["load_seconds"] = round(load(store, args.scale), 1)
        counts = store.counts().to_dict()
        result["graph"] = {
            "organizations": counts["nodes"]["Organization"],
            "segments": counts["nodes"]["Segment"],
            "supplies": counts["relationships"]["SUPPLIES"],
            "operates_in": counts["relationships"]["OPERATES_IN"],
        }
        chains = list_chains(store)
        one = (
            next(c for c in chains if c.name == args.chain)
            if args.chain
            else biggest_chain(store, chains)
        )
        t = WeakLinkThresholds()
        result["one_chain_name"] = one.name
        result["one_chain"] = timed(lambda: weak_links(store, [one], t), args.repeat)
        result["all_chains"] = timed(lambda: weak_links(store, chains, t), args.repeat)
        report = weak_links(store, chains, t)
        by_status: dict[str, int] = {}
        status_of: dict[str, str] = {}
        for ch in report["chains"]:
            for s, n in ch["summary"]["by_status"].items():
                by_status[s] = by_status.get(s, 0) + n
            for seg in ch["segments"]:
                status_of[seg["evidence"]["segment_id"]] = seg["status"]
        result["findings"] = by_status
        again = max(1, args.repeat - 1)
        chain_params = {"chains": [c.name for c in chains]}
        per_query = {
            q: timed(lambda q=q: store.read(query(q), chain_params), again) for q in STATUS_QUERIES
        }
        feeding = [
            r["segment_id"] for r in store.read(query("weak_feeding_segments"), chain_params)
        ]
        per_query["weak_local_supply"] = timed(
            lambda: store.read(query("weak_local_supply"), {"segments": feeding}), again
        )
        for q, statuses in EVIDENCE_QUERIES:
            ids = [i for i, st in status_of.items() if st in statuses]
            cap = t.recommend_top if q.startswith("recommend") else t.evidence_cap
            per_query[q] = timed(
                lambda q=q, ids=ids, cap=cap: store.read(query(q), {"segments": ids, "cap": cap}),
                again,
            )
            per_query[q]["segments"] = len(ids)
        result["queries_all_chains"] = per_query
        result["one_chain_criticality"] = timed(lambda: chain_criticality(store, one.name), again)
    result["meets_targets"] = (
        {k: result[k]["median"] <= v for k, v in TARGETS.items()}
        if args.store == "embedded"
        else None
    )
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"weak-links-{args.store}-{args.scale}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
