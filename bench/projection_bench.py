"""Projection benchmark: build time and memory, and subgraphs from it against the store.

    .venv/bin/python bench/projection_bench.py --data-dir /tmp/chainkg-api-bench [--sample 30]
        [--json-out bench/results/projection-embedded-100000.json]

Opens the embedded graph in --data-dir read-only (built before, e.g. by api_bench.py or
`chainkg demo`), builds the read projection (graph/projection.py) and reports its build
time, the process's resident memory before and after (the projection's real cost,
Python objects included) and the bytes of its numpy arrays. Then, for --sample random
supplying enterprises (2-hop SUPPLIES neighbourhood, limit 500, as api_bench requests)
and for every chain (2-hop subgraph, limit 200), times ``extract`` on the store and on
the projection, checks that both answers are equal, and reports the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from pathlib import Path

from chainkg.graph.embedded import EmbeddedStore
from chainkg.graph.projection import build_projection
from chainkg.queries import subgraph as sg


def rss_mb() -> float:
    """This process's resident memory (MB)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def timed(fn, *args, **kwargs) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    """(milliseconds, result) of ``fn(*args, **kwargs)``."""
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return (time.perf_counter() - started) * 1000, result


def main() -> None:
    """Run the benchmark and print its numbers."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--sample", type=int, default=30)
    p.add_argument("--json-out", type=Path)
    args = p.parse_args()
    load_before = [round(x, 2) for x in os.getloadavg()]
    store = EmbeddedStore(args.data_dir, read_only=True)
    store.open()
    counts = store.counts()
    rss_before = rss_mb()
    build_ms, projection = timed(build_projection, store)
    rss_after = rss_mb()
    print(
        f"projection of {projection.nodes:,} nodes, {projection.relationships:,} relationships: "
        f"built in {build_ms / 1000:.1f} s; process RSS {rss_before:.0f} -> {rss_after:.0f} MB "
        f"(+{rss_after - rss_before:.0f} MB), numpy arrays {projection.array_bytes() / 2**20:.0f} MB"
    )
    orgs = [
        r["id"]
        for r in store.read(
            "MATCH (o:Organization)-[:SUPPLIES]->() RETURN DISTINCT o.id AS id ORDER BY id"
        )
    ]
    chains = [r["id"] for r in store.read("MATCH (c:Chain) RETURN c.id AS id ORDER BY id")]
    requests = [
        ([org], {"depth": 2, "rel_types": ["SUPPLIES"], "limit": 500})
        for org in random.Random(0).sample(orgs, min(args.sample, len(orgs)))
    ] + [([chain], {"depth": 2}) for chain in chains]
    figures: dict[str, list[float]] = {"org store": [], "org projection": [], "chain store": []}
    figures["chain projection"] = []
    for seeds, options in requests:
        what = "org" if options.get("rel_types") else "chain"
        store_ms, want = timed(sg.extract, store, seeds, **options)
        projected_ms, got = timed(sg.extract, store, seeds, projection=projection, **options)
        assert (got.nodes, got.edges, got.truncated) == (want.nodes, want.edges, want.truncated)
        figures[f"{what} store"].append(store_ms)
        figures[f"{what} projection"].append(projected_ms)
    medians = {k: round(statistics.median(v), 2) for k, v in figures.items()}
    print(f"medians (ms): {medians}; answers equal for all {len(requests)} requests")
    print(
        f"speed-up: orgs {medians['org store'] / medians['org projection']:.0f}x, "
        f"chains {medians['chain store'] / medians['chain projection']:.0f}x; "
        f"load average before {load_before}"
    )
    if args.json_out:
        out = {
            "graph": str(args.data_dir),
            "nodes": projection.nodes,
            "relationships": projection.relationships,
            "counts": counts.to_dict(),
            "build_seconds": round(build_ms / 1000, 2),
            "rss_mb_before": round(rss_before),
            "rss_mb_after": round(rss_after),
            "array_mb": round(projection.array_bytes() / 2**20, 1),
            "requests": len(requests),
            "median_ms": medians,
            "load_average_before": load_before,
            "cpus": os.cpu_count(),
        }
        args.json_out.write_text(json.dumps(out, indent=2) + "\n")
    store.close()


if __name__ == "__main__":
    main()
