"""Ledger benchmark: the overdue list (逾期) over a ledger of N problems.

    .venv/bin/python bench/ledger_bench.py --data-dir /tmp/ledger100k --problems 100000
    .venv/bin/python bench/ledger_bench.py --store neo4j --problems 100000   # CHAINKG_TEST_NEO4J_*

Loads the roster and N synthetic problems (the demo generator, ``loaders/demo_ledger.py``,
without their events) into an empty store, then times ``queries.ledger.overdue`` (the
count plus the first 100 rows, as ``chainkg problems overdue`` and the API ask for) with
``--repeat`` runs; the first run is reported apart as "cold". Target: median <= 0.1 s.
Results go to ``bench/results/ledger-<store>-<N>.json``.
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
from pathlib import Path

from chainkg.config import load_settings
from chainkg.graph.factory import make_store
from chainkg.loaders.demo_ledger import demo_problems
from chainkg.loaders.ledger_policy import load_policy
from chainkg.loaders.roster_load import load_roster
from chainkg.queries.ledger import overdue
from chainkg.queries.meetings import chain_roles

RESULTS = Path(__file__).resolve().parent / "results"
TARGET = 0.1


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
        spec = [(c.name, c.units, ()) for c in chains]
        started = time.perf_counter()
        rows = []
        for problem, _, _ in demo_problems(
            spec, policy, year=today.year, today=today, count=args.problems, with_events=False
        ):
            rows.append({**problem, "source": "bench", "synthetic": True})
        generated = time.perf_counter() - started
        started = time.perf_counter()
        store.bulk_upsert_nodes("Problem", rows)
        loaded = time.perf_counter() - started
        times = []
        answer = None
        for _ in range(args.repeat + 1):
            t0 = time.perf_counter()
            answer = overdue(store, today, limit=100)
            times.append(time.perf_counter() - t0)
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
