"""Ledger benchmark: the overdue list (逾期) over a ledger of N problems.

    .venv/bin/python bench/ledger_bench.py --data-dir /tmp/ledger100k --problems 100000
    .venv/bin/python bench/ledger_bench.py --store neo4j --problems 100000   # CHAINKG_TEST_NEO4J_*

Loads the roster and N synthetic problems (random registration days and statuses, due
dates from the shipped policy; embedded: bulk COPY, Neo4j: batched MERGE) into an empty
store, then times ``queries.ledger.overdue`` (the
count plus the first 100 rows, as ``chainkg problems overdue`` and the API ask for) with
``--repeat`` runs; the first run is reported apart as "cold". Target: median <= 0.1 s.
Besides wall time it records the process's CPU time per run (all threads, the embedded
engine's included): on a machine shared with other work, wall time mostly measures waiting.
Results go to ``bench/results/ledger-<store>-<N>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

from chainkg.config import load_settings
from chainkg.graph.factory import make_store
from chainkg.loaders.ledger_model import MAIN_LINE, REACHED_ON, with_due
from chainkg.loaders.ledger_policy import Policy, load_policy
from chainkg.loaders.roster_load import load_roster
from chainkg.queries.ledger import overdue
from chainkg.queries.meetings import chain_roles

RESULTS = Path(__file__).resolve().parent / "results"
TARGET = 0.1


def bench_problems(
    chains: list[tuple[str, str]], policy: Policy, today: dt.date, count: int, seed: int = 14
) -> list[dict]:
    """``count`` problem rows registered in ``today``'s year, each at a random status."""
    rng = random.Random(seed)
    start = dt.date(today.year, 1, 5)
    span = (today - start).days
    out = []
    for n in range(count):
        chain, owner = chains[n % len(chains)]
        registered = start + dt.timedelta(days=rng.randrange(span))
        reached = rng.randrange(len(MAIN_LINE))
        problem = {
            "id": f"problem:bench{n:07d}",
            "title": f"基准问题{n}",
            "chain": chain,
            "owner": owner,
            "category": "一般",
            "origin": "企业反映",
            "status": MAIN_LINE[reached],
            "registered": registered,
            "source": "bench",
            "synthetic": True,
        }
        day = registered
        for status in MAIN_LINE[1 : reached + 1]:
            day = day + dt.timedelta(days=rng.randrange(4))
            problem[REACHED_ON[status]] = min(day, today)
        out.append(with_due(problem, policy))
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print and save the figures."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--store", default="embedded", choices=("embedded", "neo4j"))
    ap.add_argument("--data-dir", type=Path, default=Path("/tmp/chainkg-ledger-bench"))
    ap.add_argument("--problems", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--today", default="2026-12-01")
    args = ap.parse_args(argv)
    today = dt.date.fromisoformat(args.today)
    if args.store == "neo4j":
        settings = load_settings(
            store="neo4j",
            neo4j_uri=os.environ["CHAINKG_TEST_NEO4J_URI"],
            neo4j_user=os.environ.get("CHAINKG_TEST_NEO4J_USER", "neo4j"),
            neo4j_password=os.environ.get("CHAINKG_TEST_NEO4J_PASSWORD"),
        )
    else:
        if args.data_dir.exists() and any(args.data_dir.iterdir()):
            sys.exit(f"{args.data_dir} is not empty: give a fresh --data-dir")
        settings = load_settings(store="embedded", data_dir=args.data_dir)
    store = make_store(settings)
    store.open()
    try:
        if args.store == "neo4j":
            from chainkg.graph.scratch import claim_scratch_database

            claim_scratch_database(store)
            store.clear()
        load_roster(store)
        policy = load_policy()
        chains, _ = chain_roles(store)
        started = time.perf_counter()
        rows = bench_problems(
            [(c.name, c.units[0]) for c in chains if c.units], policy, today, args.problems
        )
        generated = time.perf_counter() - started
        print(f"generated {len(rows):,} problems in {generated:.1f} s", file=sys.stderr)
        started = time.perf_counter()
        if hasattr(store, "bulk_insert"):
            store.bulk_insert("Problem", rows)
        else:
            store.bulk_upsert_nodes("Problem", rows)
        loaded = time.perf_counter() - started
        print(f"loaded in {loaded:.1f} s", file=sys.stderr)
        times, cpu = [], []
        answer = None
        for _ in range(args.repeat + 1):
            t0, c0 = time.perf_counter(), time.process_time()
            answer = overdue(store, today, limit=100)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)  # every thread of the process, the engine's too
        cold, warm = times[0], times[1:]
        result = {
            "store": args.store,
            "problems": args.problems,
            "overdue_total": answer["total"] if answer else None,
            "rows_returned": len(answer["problems"]) if answer else 0,
            "generate_s": round(generated, 2),
            "load_s": round(loaded, 2),
            "overdue_cold_s": round(cold, 4),
            "overdue_median_s": round(statistics.median(warm), 4),
            "overdue_max_s": round(max(warm), 4),
            "overdue_cpu_median_s": round(statistics.median(cpu[1:]), 4),
            "target_s": TARGET,
            "machine": f"{platform.machine()} {os.cpu_count()} cpu; load {os.getloadavg()[0]:.1f}",
            "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
    finally:
        store.close()
    print(json.dumps(result, ensure_ascii=False, indent=2))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"ledger-{args.store}-{args.problems}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
