"""Benchmark: the chain map of a chain with 5,000 enterprises, time to interactive.

Interactive (the definition the goal of <= 0.5 s is measured by): from navigation start
until the page's first frame with the map is drawn and a task posted from it has run, so a
click is taken at once. Since 2 Dec 2026 the first frame is a plain canvas drawn from the
laid-out positions before vis-network is compiled (``viz/static/first_frame.js``): the page
sets ``performance.mark("chainkg.first-frame:interactive")`` (``chainkgFirstFrame.interactiveAt``),
and a click on that frame is kept and answered once vis-network has taken over. The bench
also reports that moment, "vis-network interactive": vis-network's first ``afterDrawing``
posts a task, and when it runs the page sets ``chainkg:interactive`` (``chainkgMap.readyAt``;
from then on vis-network itself answers clicks, pan and zoom). Pages built before the first
frame (``--baseline``) have only the latter; pages built before that mark existed count
their first ``afterDrawing`` (``readyAt`` then), which favours them slightly.

Each open is a fresh headless Chromium (cold: no cache, no compiled code), 1400x900. For
each open the bench also reports

- the renderer main thread's CPU time until interactive and until vis-network interactive
  (thread time of its tasks, from a Chrome trace): on a machine shared with other jobs the wall clock mostly measures the
  wait for a core, the CPU time does not;
- that the map accepts a click: a real mouse click on the first segment, and the time
  until its panel shows;
- the load average while it ran.

Configurations are interleaved run by run (so they share the machine's load): the default
node budget (300 drawn, the rest folded and unfolded on a click or zoom), the old default
of 1,500, and optionally a page built by an earlier version (``--baseline FILE``, e.g.
built from main before a change) for the ratio in the same run.

    .venv/bin/python bench/map_bench.py [--enterprises 5000] [--runs 5] [--baseline old.html]
        [--json bench/results/map-5000.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from browser import Browser
from test_maps_data import POWER, build_map_graph

from chainkg.graph.embedded import EmbeddedStore
from chainkg.viz import maps

READY = "window.chainkgMap && window.chainkgMap.ready"
# The first frame (pages since 2 Dec 2026): drawn on a canvas before vis-network is compiled.
FIRST_FRAME = """window.chainkgFirstFrame ? {drawn: chainkgFirstFrame.drawnAt,
  interactive: chainkgFirstFrame.interactiveAt} : null"""
CLICK_FIRST_SEGMENT = """(() => {
  const m = window.chainkgMap, ids = m.nodes.getIds({filter: n => n.kind === 'segment'});
  const p = m.network.canvasToDOM(m.network.getPosition(ids[0]));
  const r = document.getElementById('map').getBoundingClientRect();
  return [ids[0], p.x + r.left, p.y + r.top];
})()"""


def load() -> float:
    """The 1-minute load average."""
    return float(Path("/proc/loadavg").read_text().split()[0])


def _trace_events(browser: Browser) -> list[dict[str, Any]]:
    browser.send("Tracing.end", session=False)
    events: list[dict[str, Any]] = []
    deadline = time.monotonic() + 60
    while (message := browser._read_message(deadline)) is not None:
        if message.get("method") == "Tracing.dataCollected":
            events += message["params"]["value"]
        elif message.get("method") == "Tracing.tracingComplete":
            break
    return events


def main_thread_cpu(events: list[dict[str, Any]], until_ms: float) -> float:
    """CPU seconds of the renderer main thread's tasks from navigation start to ``until_ms``."""
    start = next(
        e for e in events if e.get("name") == "navigationStart" and e.get("args", {}).get("frame")
    )
    pid, tid = start["pid"], start["tid"]
    end = start["ts"] + until_ms * 1000
    tasks = [
        e
        for e in events
        if (e["pid"], e["tid"]) == (pid, tid)
        and e.get("ph") == "X"
        and e.get("name") in ("RunTask", "ThreadControllerImpl::RunTask")
        and start["ts"] <= e["ts"] < end
    ]
    return sum(e.get("tdur", 0) for e in tasks) / 1e6


def open_once(path: Path) -> dict[str, Any]:
    """Open ``path`` in a fresh browser: interactive time, CPU time, click latency."""
    before = load()
    with Browser() as browser:
        browser.send(
            "Tracing.start",
            {"categories": "toplevel,blink.user_timing", "transferMode": "ReportEvents"},
            session=False,
        )
        browser.open(path, ready=READY)
        takeover = browser.evaluate("chainkgMap.readyAt") / 1000
        first = browser.evaluate(FIRST_FRAME)
        interactive = first["interactive"] / 1000 if first else takeover
        drawn = first["drawn"] / 1000 if first else takeover
        events = _trace_events(browser)
        if browser.load.console_errors:
            raise SystemExit(f"console errors: {browser.load.console_errors}")
        segment, x, y = browser.evaluate(CLICK_FIRST_SEGMENT)
        name = browser.evaluate(f"chainkgMap.nodes.get({json.dumps(segment)}).name")
        t0 = time.monotonic()
        browser.click(x, y)
        while browser.evaluate("document.querySelector('#detail h2')?.textContent") != name:
            if time.monotonic() - t0 > 30:
                raise SystemExit("the click on a segment did not open its panel")
            time.sleep(0.005)
        click = time.monotonic() - t0
        counts = browser.evaluate("chainkgMap.counts()")
    return {
        "interactive": interactive,
        "drawn": drawn,
        "takeover": takeover,
        "cpu": main_thread_cpu(events, interactive * 1000),
        "cpu_takeover": main_thread_cpu(events, takeover * 1000),
        "click": click,
        "drawn_nodes": counts["drawn"],
        "load": (before + load()) / 2,
    }


def summary(label: str, path: Path, runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians of the runs of one configuration, printed and returned."""

    def med(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    out = {
        "label": label,
        "file_mb": round(path.stat().st_size / 1e6, 2),
        "drawn_nodes": runs[0]["drawn_nodes"],
        "interactive_s": round(med("interactive"), 3),
        "interactive_runs_s": [round(r["interactive"], 3) for r in runs],
        "main_thread_cpu_s": round(med("cpu"), 3),
        "cpu_runs_s": [round(r["cpu"], 3) for r in runs],
        "vis_interactive_s": round(med("takeover"), 3),
        "vis_interactive_runs_s": [round(r["takeover"], 3) for r in runs],
        "vis_main_thread_cpu_s": round(med("cpu_takeover"), 3),
        "click_to_panel_s": round(med("click"), 3),
        "load_average": round(med("load"), 1),
    }
    print(
        f"{label}: {out['file_mb']} MB, {out['drawn_nodes']:,} nodes drawn; interactive "
        f"{out['interactive_s']:.2f} s median (runs {', '.join(f'{x:.2f}' for x in out['interactive_runs_s'])}); "
        f"main-thread CPU {out['main_thread_cpu_s']:.2f} s; vis-network interactive "
        f"{out['vis_interactive_s']:.2f} s (runs {', '.join(f'{x:.2f}' for x in out['vis_interactive_runs_s'])}), "
        f"CPU {out['vis_main_thread_cpu_s']:.2f} s; click -> panel {out['click_to_panel_s']:.2f} s; "
        f"load {out['load_average']} on {os.cpu_count()} cores"
    )
    return out


def main() -> None:
    """Build the graph and the pages, open each ``--runs`` times, interleaved, in fresh browsers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", type=Path, help="a page built by an earlier version")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pages: dict[str, Path] = {}
        with EmbeddedStore(folder / "graph") as store:
            build_map_graph(store, enterprises=args.enterprises)
            for label, budget in (
                (f"default budget {maps.DEFAULT_BUDGET}", maps.DEFAULT_BUDGET),
                ("budget 1,500", 1_500),
            ):
                t0 = time.perf_counter()
                html = maps.chain_map_html(store, POWER, budget=budget)
                print(f"{label}: built in {time.perf_counter() - t0:.2f} s")
                pages[label] = maps.write_map(html, folder / f"chain-{budget}.html")
        if args.baseline:
            pages["baseline"] = args.baseline
        runs: dict[str, list[dict[str, Any]]] = {k: [] for k in pages}
        for _ in range(args.runs):
            for label, path in pages.items():
                runs[label].append(open_once(path))
        results = [summary(label, pages[label], runs[label]) for label in pages]
        if args.baseline:
            new, old = results[0], results[-1]
            ratio = {
                "interactive": round(old["interactive_s"] / new["interactive_s"], 2),
                "main_thread_cpu": round(old["main_thread_cpu_s"] / new["main_thread_cpu_s"], 2),
            }
            print(
                f"baseline / default: interactive x{ratio['interactive']}, CPU x{ratio['main_thread_cpu']}"
            )
        else:
            ratio = None
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "enterprises": args.enterprises,
                        "runs": args.runs,
                        "cores": os.cpu_count(),
                        "results": results,
                        "ratio_baseline_to_default": ratio,
                        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                    },
                    ensure_ascii=False,
                    indent=1,
                ),
                encoding="utf-8",
            )


if __name__ == "__main__":
    main()
