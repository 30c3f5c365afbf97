"""Where a map page's start-up time goes: a Chrome trace of cold opens, phase by phase.

For each open (a fresh headless Chromium, 1400x900, as in ``map_bench.py``) it traces the
renderer and reports, until the page's marks (``chainkg.first-frame:interactive`` and
``chainkg:interactive``):

- the renderer main thread's tasks grouped by what they did (wall and CPU time): the
  navigation and HTML parsing, style/layout/paint, each script run (by its line in the
  page: the data, the XLSX writer, the page and first frame, vis-network when inserted),
  animation-frame callbacks (drawing), other callbacks;
- the time the main thread was not running although the page was not done (waiting for a
  core, or for another process);
- the CPU time of Chromium's other processes and threads in the same window (the browser
  process, the GPU process, other renderers), which share the cores with the page.

    .venv/bin/python bench/map_phases.py PAGE.html [--runs 3]
"""

from __future__ import annotations

import argparse
import collections
import re
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser import Browser
from map_bench import READY, _trace_events, load

CATEGORIES = "toplevel,blink.user_timing,devtools.timeline,v8.execute"
TASK = "ThreadControllerImpl::RunTask"
SCRIPT_TAG = re.compile(r'<script(?: type="[^"]*")?(?: id="([^"]*)")?>')
MARKS = ("chainkg.first-frame:interactive", "chainkg:network", "chainkg:interactive")


def script_lines(html: str) -> dict[int, str]:
    """The 1-based line of each <script> element of a page (the template starts each on a
    line of its own), named by its id or, for the scripts that run, by what they hold."""
    found = [
        (number, match.group(1))
        for number, line in enumerate(html.splitlines(), start=1)
        if (match := SCRIPT_TAG.match(line))
    ]
    running = [number for number, name in found if not name]
    # pages with a first frame run two scripts; older pages three (vis-network first)
    order = ["xlsx.js", "map.js + first_frame.js"]
    if len(running) == 3:
        order = ["vis-network", "xlsx.js", "map.js"]
    names = {number: name or "" for number, name in found}
    names.update(zip(running, order, strict=False))
    return names


def phases(events: list[dict[str, Any]], lines: dict[int, str]) -> list[tuple[str, float, float]]:
    """What one main-thread task did, from the events nested in it: (phase, wall, CPU) parts."""
    names = [e["name"] for e in events]
    scripts = [e for e in events if e["name"] == "EvaluateScript"]
    calls = [e for e in events if e["name"] == "FunctionCall"]
    if calls and scripts:  # the first frame's task: vis-network inserted, then built
        vis = scripts[0]
        call = calls[0]
        rest = (call["dur"] - vis["dur"], call.get("tdur", 0) - vis.get("tdur", 0))
        return [
            ("vis-network inserted: compile and run", vis["dur"], vis.get("tdur", 0)),
            ("vis-network built (takeOver: DataSet, Network)", *rest),
        ]
    if scripts:  # the parser ran one script or more (and parsed HTML around them)
        parts = []
        for script in scripts:
            # the trace's line is a little before the tag's (2 lines here): take the nearest
            line = script.get("args", {}).get("data", {}).get("lineNumber")
            near = min(lines, key=lambda n: abs(n - line)) if line is not None and lines else None
            name = "script " + (lines[near] if near is not None else "inserted")
            parts.append((name, script["dur"], script.get("tdur", 0)))
        return parts
    if "FireAnimationFrame" in names:
        return [("animation frame (drawing)", 0, 0)]
    if calls:
        what = calls[0].get("args", {}).get("data", {}).get("functionName") or "callback"
        return [(f"callback {what}", 0, 0)]
    for name, label in (
        ("ParseHTML", "HTML parsing"),
        ("CommitLoad", "navigation"),
        ("ResourceReceivedData", "receiving the page"),
        ("UpdateLayoutTree", "style and layout"),
        ("Layout", "style and layout"),
        ("Paint", "paint"),
    ):
        if name in names:
            return [(label, 0, 0)]
    return [("other (IPC, loading, idle-time work)", 0, 0)]


def open_once(path: Path, lines: dict[int, str]) -> dict[str, Any]:
    """One cold open, traced: phases of the main thread until each mark."""
    before = load()
    with Browser() as browser:
        browser.send(
            "Tracing.start",
            {"categories": CATEGORIES, "transferMode": "ReportEvents"},
            session=False,
        )
        browser.open(path, ready=READY)
        events = _trace_events(browser)
    start = next(
        e for e in events if e.get("name") == "navigationStart" and e.get("args", {}).get("frame")
    )
    pid, tid, t0 = start["pid"], start["tid"], start["ts"]
    marks = {e["name"]: (e["ts"] - t0) / 1000 for e in events if e.get("name") in MARKS}
    end = t0 + max(marks.values()) * 1000
    main = [e for e in events if (e["pid"], e["tid"]) == (pid, tid) and e.get("ph") == "X"]
    tasks = [e for e in main if e["name"] == TASK and t0 <= e["ts"] < end]
    wall: collections.Counter[str] = collections.Counter()
    cpu: collections.Counter[str] = collections.Counter()
    for task in tasks:
        inside = [
            e for e in main if task["ts"] <= e["ts"] <= task["ts"] + task["dur"] and e is not task
        ]
        parts = phases(inside, lines)
        if len(parts) == 1 and not parts[0][1]:  # the whole task
            parts = [(parts[0][0], task["dur"], task.get("tdur", 0))]
        else:  # the rest of the task: the parser, or the callback around the parts
            rest = (
                task["dur"] - sum(p[1] for p in parts),
                task.get("tdur", 0) - sum(p[2] for p in parts),
            )
            parts.append(("HTML parsing and the rest of script tasks", *rest))
        for label, w, c in parts:
            wall[label] += w / 1000
            cpu[label] += c / 1000
    threads = {
        (e["pid"], e["tid"]): e["args"]["name"] for e in events if e.get("name") == "thread_name"
    }
    processes = {e["pid"]: e["args"]["name"] for e in events if e.get("name") == "process_name"}
    others: collections.Counter[str] = collections.Counter()
    for e in events:
        if (
            e.get("ph") == "X"
            and e["name"] == TASK
            and t0 <= e["ts"] < end
            and (e["pid"], e["tid"]) != (pid, tid)
        ):
            key = f"{processes.get(e['pid'], e['pid'])} / {threads.get((e['pid'], e['tid']), e['tid'])}"
            others[key] += e.get("tdur", 0) / 1000
    return {
        "marks_ms": marks,
        "wall_ms": dict(wall),
        "cpu_ms": dict(cpu),
        "main_busy_ms": sum(wall.values()),
        "main_cpu_ms": sum(cpu.values()),
        "others_cpu_ms": dict(others),
        "load": (before + load()) / 2,
    }


def main() -> None:
    """Open the page ``--runs`` times and print the median of each phase."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    lines = script_lines(args.page.read_text(encoding="utf-8"))
    runs = [open_once(args.page, lines) for _ in range(args.runs)]

    def med(key: str, name: str) -> float:
        return statistics.median(r[key].get(name, 0.0) for r in runs)

    print(
        f"{args.page.name}: {args.runs} cold opens, load {statistics.median(r['load'] for r in runs):.1f}"
    )
    for mark in MARKS:
        if all(mark in r["marks_ms"] for r in runs):
            print(f"  {mark:34s} {med('marks_ms', mark):7.0f} ms")
    phases = sorted({k for r in runs for k in r["wall_ms"]}, key=lambda k: -med("wall_ms", k))
    print("  main thread until the last mark (median of runs): wall / CPU ms")
    for name in phases:
        print(f"    {name:52s} {med('wall_ms', name):6.0f} / {med('cpu_ms', name):5.0f}")
    busy = statistics.median(r["main_busy_ms"] for r in runs)
    cpu = statistics.median(r["main_cpu_ms"] for r in runs)
    last = statistics.median(max(r["marks_ms"].values()) for r in runs)
    print(f"    {'all tasks':52s} {busy:6.0f} / {cpu:5.0f}  (idle between tasks {last - busy:.0f})")
    others = sorted(
        {k for r in runs for k in r["others_cpu_ms"]}, key=lambda k: -med("others_cpu_ms", k)
    )
    print("  other processes' CPU in the same window, ms:")
    for name in others[:6]:
        print(f"    {name:52s} {med('others_cpu_ms', name):6.0f}")


if __name__ == "__main__":
    main()
