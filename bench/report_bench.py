"""The annual 蓝皮书 for the whole province on the demo graph: how long, and where the time goes.

    .venv/bin/python bench/report_bench.py --data-dir /tmp/demo100k --scale 100000 --load
    .venv/bin/python bench/report_bench.py --data-dir /tmp/demo1m --scale 1000000

The graph must hold the roster, the chain templates and the demo at ``--scale`` (``--load``
loads them first into ``--data-dir``, embedded store). It then times, ``--repeat`` times:

- ``evaluate``: the evaluation of ``--year`` and the year before (eval_* queries);
- ``report_data``: the evaluation with the weak links of every chain, the roster, the FEEDS
  edges and the ledger's problems;
- ``charts``: drawing every chart and chain map (matplotlib);
- ``write``: writing the .docx and the .html;
- ``total``: ``make_report`` + ``write_report``, what ``chainkg report`` does.

Target: total <= 60 s at 1,000,000 enterprises. Results go to
``bench/results/report-<store>-<scale>.json``.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import platform
import pstats
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from chainkg.config import load_settings
from chainkg.graph.factory import make_store
from chainkg.queries.evaluation import evaluate
from chainkg.queries.report_data import report_data
from chainkg.viz.report import write_report
from chainkg.viz.report_content import build_report

RESULTS = Path(__file__).resolve().parent / "results"
TARGET = 60.0


def _load(store: Any, scale: int) -> float:
    from chainkg.loaders.demo_load import load_demo
    from chainkg.loaders.roster_load import load_roster
    from chainkg.loaders.template_load import load_chain_templates

    start = time.perf_counter()
    load_roster(store)
    load_chain_templates(store)
    load_demo(store, scale=scale)
    return time.perf_counter() - start


def run_once(store: Any, year: int, out: Path) -> dict[str, float]:
    """One full report, timed by phase."""
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    evaluate(store, year)
    times["evaluate"] = time.perf_counter() - t0
    t1 = time.perf_counter()
    data = report_data(store, year)
    times["report_data"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    report = build_report(data, dt.date.today().isoformat())
    times["charts"] = time.perf_counter() - t2
    t3 = time.perf_counter()
    write_report(report, out / "蓝皮书.docx", out / "蓝皮书.html")
    times["write"] = time.perf_counter() - t3
    # what `chainkg report` does: report_data + charts + write (evaluate is inside report_data)
    times["total"] = times["report_data"] + times["charts"] + times["write"]
    times["docx_bytes"] = (out / "蓝皮书.docx").stat().st_size
    return times


def main() -> None:
    """Parse the options, (load,) time the report, print and save the results."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--scale", type=int, required=True, help="enterprises in the demo graph")
    ap.add_argument("--year", type=int, default=2024)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--load", action="store_true", help="load roster, templates and demo first")
    ap.add_argument(
        "--profile", type=Path, help="also write cProfile's top functions (cumulative) here"
    )
    args = ap.parse_args()
    settings = load_settings(store="embedded", data_dir=args.data_dir)
    store = make_store(settings)
    store.open()
    result: dict[str, Any] = {
        "store": "embedded",
        "scale": args.scale,
        "year": args.year,
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load_average": os.getloadavg(),
    }
    try:
        if args.load:
            result["load_seconds"] = round(_load(store, args.scale), 1)
            print(f"loaded in {result['load_seconds']} s")
        runs = []
        with tempfile.TemporaryDirectory() as tmp:
            for i in range(args.repeat):
                prof = cProfile.Profile() if args.profile and i == 0 else None
                if prof:
                    prof.enable()
                t = run_once(store, args.year, Path(tmp))
                if prof:
                    prof.disable()
                    with args.profile.open("w") as fh:
                        pstats.Stats(prof, stream=fh).sort_stats("cumulative").print_stats(60)
                runs.append(t)
                print(f"run {i + 1}: " + ", ".join(f"{k} {v:.1f}" for k, v in t.items()))
    finally:
        store.close()
    result["runs"] = runs
    result["median"] = {k: round(statistics.median(r[k] for r in runs), 2) for k in runs[0]}
    result["target_total_seconds"] = TARGET
    result["load_average_after"] = os.getloadavg()
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"report-embedded-{args.scale}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result["median"], ensure_ascii=False))
    print(f"saved {path}")


if __name__ == "__main__":
    main()
