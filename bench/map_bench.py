"""Benchmark: the chain map of a chain with 5,000 enterprises.

Measures the page size, the time to build it (queries + layout + render) and the time
from navigation to interactive in headless Chromium (the page's first drawn frame
after the network is built: ``chainkgMap.ready``), median of 5 cold opens, for the
default node budget (1,500: enterprises beyond it fold) and with everything drawn.

    .venv/bin/python bench/map_bench.py [--enterprises 5000] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from browser import Browser
from test_maps_data import POWER, build_map_graph

from chainkg.graph.embedded import EmbeddedStore
from chainkg.viz import maps


def main() -> None:
    """Build the graph, write the maps, open each ``--runs`` times in a fresh browser."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with EmbeddedStore(folder / "graph") as store:
            t0 = time.perf_counter()
            build_map_graph(store, enterprises=args.enterprises)
            print(
                f"graph: {args.enterprises:,} enterprises written in {time.perf_counter() - t0:.1f} s"
            )
            for label, budget in (("default budget 1,500", 1_500), ("all drawn", 10**9)):
                t0 = time.perf_counter()
                html = maps.chain_map_html(store, POWER, budget=budget)
                built = time.perf_counter() - t0
                path = maps.write_map(html, folder / f"chain-{budget}.html")
                opens, drawn, counts = [], [], {}
                for _ in range(args.runs):
                    with Browser() as browser:  # a fresh browser: no warm caches
                        opens.append(browser.open(path))
                        drawn.append(browser.evaluate("chainkgMap.readyAt") / 1000)
                        counts = browser.evaluate("chainkgMap.counts()")
                        errors = browser.load.console_errors
                        if errors:
                            raise SystemExit(f"console errors: {errors}")
                print(
                    f"{label}: {path.stat().st_size / 1e6:.2f} MB, built in {built:.2f} s, "
                    f"{counts['drawn']:,} nodes drawn of {counts['total']:,}; "
                    f"interactive after {statistics.median(drawn):.2f} s from navigation "
                    f"(median of {args.runs}; runs {', '.join(f'{x:.2f}' for x in drawn)}), "
                    f"ready as seen by the driver {statistics.median(opens):.2f} s"
                )


if __name__ == "__main__":
    main()
