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
- the time spent in each query during one all-chains run (where the time goes);
- ``chain_criticality`` for the one chain (its SUPPLIES network into networkx).

With ``--projection`` the read projection (graph/projection.py) is built first (its build
time and memory reported) and every timing reads from it (queries/projected.py,
queries/projected_criticality.py); ``--check`` also compares the all-chains report with the
Cypher one (floats to 1e-9).

With ``--cache cold`` or ``--cache warm`` (embedded) each run answers as ``chainkg weak-links``
does with the projection saved beside the graph (graph/projection_cache.py), as a new process
would (nothing kept in memory between runs): ``cold`` removes the saved projection before each
run, so an all-chains run builds and saves it first (included in its time) and a one-chain run
answers by Cypher (the CLI builds only for --all); ``warm`` maps the saved projection
(saved once before the runs, not timed) and answers from it. The per-query clock and
criticality are left out then.

``--same-run OLD_WORKTREE --base-data-dir DIR`` runs, one after the other in this one run: the
old code's own copy of this script (``OLD_WORKTREE/.venv/bin/python
OLD_WORKTREE/bench/weak_links_bench.py``, on ``DIR``: a copy of the graph for it alone, as
opening it read-write with other code may change it), then this code by Cypher
(``--cache none``), cold and warm, on ``--data-dir``; load averages recorded before each; all
results in one file ``weak-links-embedded-<scale>-<label>-samerun.json``. ``--same-run -``: this
code only (a graph the old code cannot read).

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
from chainkg.graph.catalog import query
from chainkg.graph.factory import make_store
from chainkg.graph.store import GraphStore
from chainkg.queries.criticality import chain_criticality
from chainkg.queries.findings import ChainRef, list_chains, weak_links
from chainkg.queries.thresholds import WeakLinkThresholds

RESULTS = Path(__file__).resolve().parent / "results"
TARGETS = {"one_chain": 1.0, "all_chains": 10.0}


class QueryClock:
    """Wraps a store's ``read`` to add up the time spent in each named query."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self._read = store.read

    def __enter__(self) -> QueryClock:
        def read(q: Any, params: Any = None) -> Any:
            start = time.perf_counter()
            try:
                return self._read(q, params)
            finally:
                name = getattr(q, "name", "<inline>")
                self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start
                self.calls[name] = self.calls.get(name, 0) + 1

        self.store.read = read  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        self.store.read = self._read  # type: ignore[method-assign]


def timed(fn: Callable[[], Any], repeat: int) -> dict[str, float]:
    """Cold (first) time and median of the following ``repeat`` runs, in seconds; also the
    median CPU seconds of this process (all its threads: what a busy machine cannot inflate)."""
    start = time.perf_counter()
    fn()
    cold = time.perf_counter() - start
    runs, cpu = [], []
    for _ in range(repeat):
        start, started_cpu = time.perf_counter(), time.process_time()
        fn()
        runs.append(time.perf_counter() - start)
        cpu.append(time.process_time() - started_cpu)
    return {
        "cold": round(cold, 3),
        "median": round(statistics.median(runs), 3),
        "cpu_median": round(statistics.median(cpu), 3),
    }


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def differences(got: Any, want: Any, path: str = "") -> list[str]:
    """Paths where two answers differ (floats compared to 1e-9 relative)."""
    import math

    if isinstance(want, float) or isinstance(got, float):
        ok = got is not None and want is not None and math.isclose(got, want, rel_tol=1e-9)
        return [] if ok or got == want else [f"{path}: {got!r} != {want!r}"]
    if isinstance(want, dict) and isinstance(got, dict):
        if set(got) != set(want):
            return [f"{path}: keys {sorted(set(got) ^ set(want))}"]
        return [d for k in want for d in differences(got[k], want[k], f"{path}.{k}")]
    if isinstance(want, list) and isinstance(got, list):
        if len(got) != len(want):
            return [f"{path}: {len(got)} items != {len(want)}"]
        return [
            d
            for i, (g, w) in enumerate(zip(got, want, strict=True))
            for d in differences(g, w, f"{path}[{i}]")
        ]
    return [] if got == want else [f"{path}: {got!r} != {want!r}"]


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


def cached_answer(
    store: GraphStore, chains: list[ChainRef], t: WeakLinkThresholds, mode: str, all_chains: bool
) -> Any:
    """One weak-links answer the way the CLI gives it with the saved projection, in ``mode``
    (cold: none saved; warm: saved), as a new process would (nothing kept in memory)."""
    import shutil

    from chainkg.graph import projection_cache

    root = projection_cache.cache_folder(store)
    if mode == "cold" and root is not None:
        shutil.rmtree(root, ignore_errors=True)
    projection_cache._memo.clear()
    p = (
        projection_cache.cached_projection(store)
        if all_chains
        else projection_cache.saved_projection(store)
    )
    return weak_links(store, chains, t, projection=p)


def same_run(args: argparse.Namespace) -> int:
    """The old code, this code by Cypher, cold and warm, one after the other; one file."""
    import subprocess

    old = Path(args.same_run)
    runs: dict[str, Any] = {}
    base = (
        f"old {old.name}",
        [str(old / ".venv/bin/python"), str(old / "bench/weak_links_bench.py")],
        args.base_data_dir,
        [],
        old / f"bench/results/weak-links-embedded-{args.scale}.json",
    )
    plan = [
        *([base] if args.same_run != "-" else []),
        *(
            (
                f"new, {mode}",
                [sys.executable, __file__],
                args.data_dir,
                ["--cache", mode, "--label", f"{args.label or 'new'}-{mode}"],
                RESULTS / f"weak-links-embedded-{args.scale}-{args.label or 'new'}-{mode}.json",
            )
            for mode in ("none", "cold", "warm")
        ),
    ]
    for name, command, data_dir, extra, out in plan:
        argv = [*command, "--data-dir", str(data_dir), "--scale", str(args.scale)]
        argv += ["--repeat", str(args.repeat), *extra]
        if args.chain:
            argv += ["--chain", args.chain]
        load = os.getloadavg()
        started = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(done.stderr[-3000:], file=sys.stderr)
            return done.returncode
        result = json.loads(out.read_text(encoding="utf-8"))
        result["load_average_before"] = load
        result["wall_seconds"] = round(time.perf_counter() - started, 1)
        runs[name] = result
        print(
            f"{name}: one chain {result['one_chain']}, all chains {result['all_chains']}, "
            f"load {load[0]:.1f}",
            flush=True,
        )
    summary = {
        "scale": args.scale,
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "graphs": {"old": str(args.base_data_dir), "new": str(args.data_dir)},
        "table": {
            name: {
                "one_chain_median": r["one_chain"]["median"],
                "all_chains_median": r["all_chains"]["median"],
                "one_chain_cpu_median": r["one_chain"].get("cpu_median"),
                "all_chains_cpu_median": r["all_chains"].get("cpu_median"),
                "findings": r.get("findings"),
                "load_average_before": r["load_average_before"],
            }
            for name, r in runs.items()
        },
        "runs": runs,
    }
    out = RESULTS / f"weak-links-embedded-{args.scale}-{args.label or 'new'}-samerun.json"
    out.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(summary["table"], ensure_ascii=False, indent=2))
    print(f"written to {out}")
    return 0


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
    ap.add_argument("--label", help="suffix of the results file (e.g. base, to compare code)")
    ap.add_argument("--projection", action="store_true", help="answer from a read projection")
    ap.add_argument("--check", action="store_true", help="with --projection: compare with Cypher")
    ap.add_argument(
        "--cache",
        choices=("none", "cold", "warm"),
        default="none",
        help="answer as the CLI does with the saved projection (embedded; see above)",
    )
    ap.add_argument("--same-run", metavar="OLD_WORKTREE", help="old code, then this (see above)")
    ap.add_argument("--base-data-dir", type=Path, help="with --same-run: the old code's graph")
    args = ap.parse_args(argv)
    if args.same_run:
        return same_run(args)

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
        p = None
        if args.projection:
            from chainkg.graph.projection import build_projection

            rss = _rss_mb()
            start, started_cpu = time.perf_counter(), time.process_time()
            p = build_projection(store)
            result["projection"] = {
                "build_seconds": round(time.perf_counter() - start, 1),
                "build_cpu_seconds": round(time.process_time() - started_cpu, 1),
                "rss_growth_mb": round(_rss_mb() - rss),
                "array_mb": round(p.array_bytes() / 2**20),
                "nodes": p.nodes,
                "relationships": p.relationships,
            }
        result["one_chain_name"] = one.name
        result["cache"] = args.cache
        if args.cache != "none":
            if args.cache == "warm":
                cached_answer(store, chains, t, "cold", True)  # saved once, not timed
            result["one_chain"] = timed(
                lambda: cached_answer(store, [one], t, args.cache, False), args.repeat
            )
            result["all_chains"] = timed(
                lambda: cached_answer(store, chains, t, args.cache, True), args.repeat
            )
            report = cached_answer(store, chains, t, args.cache, True)
            result["findings"] = by_status(report)
            result["same_as_cypher"] = not differences(report, weak_links(store, chains, t))
            return finish(args, result)
        result["one_chain"] = timed(lambda: weak_links(store, [one], t, projection=p), args.repeat)
        result["all_chains"] = timed(
            lambda: weak_links(store, chains, t, projection=p), args.repeat
        )
        with QueryClock(store) as clock:
            report = weak_links(store, chains, t, projection=p)
        if p is not None and args.check:
            want = weak_links(store, chains, t)
            result["differences_from_cypher"] = differences(report, want)
        result["queries_all_chains"] = {
            q: round(sec, 3) for q, sec in sorted(clock.seconds.items(), key=lambda kv: -kv[1])
        }
        result["findings"] = by_status(report)
        again = max(1, args.repeat - 1)
        result["one_chain_criticality"] = timed(
            lambda: chain_criticality(store, one.name, projection=p), again
        )
        if p is not None and args.check:
            result["criticality_differences"] = differences(
                chain_criticality(store, one.name, projection=p), chain_criticality(store, one.name)
            )
    return finish(args, result)


def by_status(report: dict[str, Any]) -> dict[str, int]:
    """Segments per status over all chains of a report."""
    counts: dict[str, int] = {}
    for ch in report["chains"]:
        for s, n in ch["summary"]["by_status"].items():
            counts[s] = counts.get(s, 0) + n
    return counts


def finish(args: argparse.Namespace, result: dict[str, Any]) -> int:
    """Check the targets, write the results file and print it."""
    result["meets_targets"] = (
        {k: result[k]["median"] <= v for k, v in TARGETS.items()}
        if args.store == "embedded"
        else None
    )
    RESULTS.mkdir(exist_ok=True)
    suffix = f"-{args.label}" if args.label else ""
    suffix += "-projection" if args.projection else ""
    out = RESULTS / f"weak-links-{args.store}-{args.scale}{suffix}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
