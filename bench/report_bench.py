"""The annual 蓝皮书 for the whole province on the demo graph: cold and warm, phase by phase.

    .venv/bin/python bench/report_bench.py --data-dir /tmp/demo100k --scale 100000 --load
    flock /work/wt/bench.lock .venv/bin/python bench/report_bench.py --data-dir DIR \\
        --scale 1000000 --warm 3

The graph must hold the roster, the chain templates and the demo at ``--scale`` (``--load``
loads them first into ``--data-dir``, embedded store). Each report runs in a process of its
own, as ``chainkg report`` does (nothing carried in memory from the run before):

- **cold**: the first report after the graph changed: the saved read projection
  (``<data dir>/projection-cache``), the kept previous-year reading (``<data dir>/cache/years``)
  and the kept charts (``<data dir>/cache/charts``) are removed first, so the report builds
  and saves them all;
- **warm** (``--warm`` runs, median): the next reports, which find them.

Phases: ``projection`` (load or build the read projection), ``current_year`` and
``previous_year`` (``read_year``: eval queries, leaders, completed projects, weak links; the
previous year from an as-of copy when cold, from the kept reading when warm), ``evaluate``
(the whole evaluation), ``report_data`` (evaluation, roster, FEEDS, ledger problems; contains
the phases before), ``charts`` (matplotlib), ``write`` (.docx and .html) and ``total``
(``report_data`` + ``charts`` + ``write``: what ``chainkg report`` does). The load average
is recorded before and after each run. Target: total <= 60 s at 1,000,000 enterprises.
Results go to ``bench/results/report-embedded-<scale>.json``.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
TARGET = 60.0
CACHES = ("projection-cache", "cache/years", "cache/charts")


def _load(data_dir: Path, scale: int) -> float:
    from chainkg.config import load_settings
    from chainkg.graph.factory import make_store
    from chainkg.loaders.demo_load import load_demo
    from chainkg.loaders.roster_load import load_roster
    from chainkg.loaders.template_load import load_chain_templates

    store = make_store(load_settings(store="embedded", data_dir=data_dir))
    start = time.perf_counter()
    with store:
        load_roster(store)
        load_chain_templates(store)
        load_demo(store, scale=scale)
    return time.perf_counter() - start


def one_report(data_dir: Path, year: int, out: Path, profile: Path | None) -> dict[str, float]:
    """One full report in this process, timed by phase (the child's work)."""
    from chainkg.config import load_settings
    from chainkg.graph.factory import make_store
    from chainkg.graph.side_cache import side_folder
    from chainkg.queries import evaluation, report_data
    from chainkg.viz.report import write_report
    from chainkg.viz.report_content import build_report

    times: dict[str, float] = {}

    def timed(name: str, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                times[name] = times.get(name, 0.0) + time.perf_counter() - t

        return wrapper

    real_read_year = evaluation.read_year

    def read_year(store: Any, names: Any, chains: Any, y: int, *args: Any, **kwargs: Any) -> Any:
        phase = "current_year" if y == year else "previous_year"
        return timed(phase, real_read_year)(store, names, chains, y, *args, **kwargs)

    evaluation.read_year = read_year
    report_data.cached_projection = timed("projection", report_data.cached_projection)
    report_data.evaluate = timed("evaluate", report_data.evaluate)
    prof = cProfile.Profile() if profile else None
    store = make_store(load_settings(store="embedded", data_dir=data_dir))
    store.open()
    try:
        if prof:
            prof.enable()
        t = time.perf_counter()
        data = report_data.report_data(store, year)
        times["report_data"] = time.perf_counter() - t
        t = time.perf_counter()
        # as make_report does: charts drawn before are read back from beside the graph
        report = build_report(
            data, dt.date.today().isoformat(), chart_cache=side_folder(store, "charts")
        )
        times["charts"] = time.perf_counter() - t
        t = time.perf_counter()
        write_report(report, out / "蓝皮书.docx", out / "蓝皮书.html")
        times["write"] = time.perf_counter() - t
        if prof:
            prof.disable()
    finally:
        store.close()
    if prof and profile:
        with profile.open("w") as fh:
            pstats.Stats(prof, stream=fh).sort_stats("cumulative").print_stats(80)
    times["total"] = times["report_data"] + times["charts"] + times["write"]
    times["docx_bytes"] = (out / "蓝皮书.docx").stat().st_size
    return {k: round(v, 2) for k, v in times.items()}


def _run_child(args: argparse.Namespace, profile: Path | None) -> dict[str, Any]:
    before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [
            sys.executable,
            __file__,
            "--data-dir",
            str(args.data_dir),
            "--scale",
            str(args.scale),
            "--year",
            str(args.year),
            "--child",
            tmp,
        ]
        if profile:
            cmd += ["--profile", str(profile)]
        done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    times = json.loads(done.stdout.strip().splitlines()[-1])
    times["load_average"] = [round(x, 1) for x in (*before, *os.getloadavg())]
    return times


def _clear_caches(data_dir: Path) -> None:
    for name in CACHES:
        shutil.rmtree(data_dir / name, ignore_errors=True)


def main() -> None:
    """Parse the options, (load,) time a cold report and ``--warm`` warm ones, save them."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--scale", type=int, required=True, help="enterprises in the demo graph")
    ap.add_argument("--year", type=int, default=2024)
    ap.add_argument("--warm", type=int, default=3, help="warm reports after the cold one")
    ap.add_argument("--load", action="store_true", help="load roster, templates and demo first")
    ap.add_argument("--label", default="", help="suffix of the result file name")
    ap.add_argument(
        "--profile", type=Path, help="cProfile's top functions (cumulative) of the cold run"
    )
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(one_report(args.data_dir, args.year, args.child, args.profile)))
        return
    result: dict[str, Any] = {
        "store": "embedded",
        "scale": args.scale,
        "year": args.year,
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }
    if args.load:
        result["load_seconds"] = round(_load(args.data_dir, args.scale), 1)
        print(f"loaded in {result['load_seconds']} s")
    _clear_caches(args.data_dir)
    cold = _run_child(args, args.profile)
    print("cold: " + json.dumps(cold, ensure_ascii=False))
    warm = []
    for i in range(args.warm):
        warm.append(_run_child(args, None))
        print(f"warm {i + 1}: " + json.dumps(warm[-1], ensure_ascii=False))
    result["cold"] = cold
    result["warm_runs"] = warm
    if warm:
        keys = [k for k in warm[0] if k != "load_average"]
        result["warm_median"] = {
            k: round(statistics.median(r.get(k, 0.0) for r in warm), 2) for k in keys
        }
    result["target_total_seconds"] = TARGET
    RESULTS.mkdir(exist_ok=True)
    suffix = f"-{args.label}" if args.label else ""
    path = RESULTS / f"report-embedded-{args.scale}{suffix}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result.get("warm_median", {}), ensure_ascii=False))
    print(f"saved {path}")


if __name__ == "__main__":
    main()
