"""The report's charts as PNG bytes (matplotlib, Agg, a Chinese font; 示例数据 on synthetic data).

- ``ranking_chart``: composite scores of the chains (or clusters), this year and last;
- ``dimension_chart``: one unit's dimension scores, this year and last;
- ``chain_map_picture``: a chain's segments (环节) in upstream / midstream / downstream
  columns, coloured by their weak-link status, with the FEEDS arrows between them and the
  number of in-province enterprises in each box (the interactive map's picture for print).

Every chart of synthetic data carries a 示例数据 mark in its corner.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import io
import json
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from pathlib import Path
from typing import Any

# Figures are made with matplotlib's object API (no pyplot): no global state and no display.
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from chainkg.queries import findings
from chainkg.viz.fonts import cjk_font

DPI = 110
MAX_WORKERS = 4
CACHE_DAYS = 30  # a kept chart no report used for this long is removed
SYNTHETIC_MARK = "示例数据"
STATUS_COLOURS = {
    "missing": "#d62728",
    "dependent": "#ff7f0e",
    "weak": "#f2c94c",
    "unverified": "#9467bd",
    "insufficient_data": "#17becf",
    "ok": "#2ca02c",
    None: "#adb5bd",
}
# The findings' labels, plus segments the report shows without an assessment.
STATUS_LABELS = {**findings.STATUS_LABELS, None: "未评估"}
STAGES = (("upstream", "上游"), ("midstream", "中游"), ("downstream", "下游"))
NOW_COLOUR, BEFORE_COLOUR = "#1f5fa8", "#a9c4e6"


def _wrap(text: str, width: int) -> str:
    """Chinese text broken into lines of ``width`` characters (tick labels side by side)."""
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


def _font(size: float = 9) -> FontProperties:
    return FontProperties(fname=str(cjk_font()), size=size)


def _png(fig: Figure) -> bytes:
    # Fixed margins (set per chart) instead of bbox_inches="tight", which draws the figure
    # twice; fast PNG compression (the files are a little larger, written in a tenth of
    # the time).
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def _mark(fig: Figure, synthetic: bool) -> None:
    if synthetic:
        fig.text(
            0.995,
            0.995,
            SYNTHETIC_MARK,
            ha="right",
            va="top",
            color="#c92a2a",
            fontproperties=_font(11),
            bbox={"boxstyle": "round,pad=0.3", "fc": "#fff5f5", "ec": "#c92a2a"},
        )


def ranking_chart(
    names: Sequence[str],
    now: Sequence[float | None],
    before: Sequence[float | None] | None,
    title: str,
    *,
    synthetic: bool,
) -> bytes:
    """Horizontal bars of composite scores (best on top), last year's beside when known."""
    n = len(names)
    height = max(2.0, 0.28 * n + 0.9)
    fig = Figure(figsize=(7.5, height))
    # room on the left for the longest name at 8 pt (about 0.115 inch a character)
    left = min(0.45, (0.115 * max((len(x) for x in names), default=4) + 0.2) / 7.5)
    fig.subplots_adjust(left=left, right=0.97, top=1 - 0.4 / height, bottom=0.5 / height)
    ax = fig.subplots()
    ys = list(range(n))[::-1]
    h = 0.38 if before is not None else 0.7
    ax.barh(
        [y + (h / 2 if before is not None else 0) for y in ys],
        [v or 0 for v in now],
        height=h,
        color=NOW_COLOUR,
        label="本年",
    )
    if before is not None:
        ax.barh(
            [y - h / 2 for y in ys],
            [v or 0 for v in before],
            height=h,
            color=BEFORE_COLOUR,
            label="上年",
        )
    for y, v in zip(ys, now, strict=True):
        ax.text(
            (v or 0) + 0.8,
            y + (h / 2 if before is not None else 0),
            "缺失" if v is None else f"{v:.1f}",
            va="center",
            fontproperties=_font(7),
        )
    ax.set_yticks(ys)
    ax.set_yticklabels(list(names), fontproperties=_font(8))
    ax.set_xlim(0, 110)
    ax.set_xlabel("综合得分（0-100）", fontproperties=_font(8))
    ax.set_title(title, fontproperties=_font(11), y=1.0)
    ax.legend(prop=_font(8), loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    _mark(fig, synthetic)
    return _png(fig)


def dimension_chart(
    dimensions: Sequence[str],
    now: Sequence[float | None],
    before: Sequence[float | None] | None,
    title: str,
    *,
    synthetic: bool,
) -> bytes:
    """Grouped bars of one unit's dimension scores, this year and last (missing marked)."""
    fig = Figure(figsize=(7.0, 2.6))
    fig.subplots_adjust(left=0.09, right=0.98, top=0.86, bottom=0.2)
    ax = fig.subplots()
    xs = list(range(len(dimensions)))
    w = 0.38 if before is not None else 0.6
    ax.bar(
        [x - (w / 2 if before is not None else 0) for x in xs],
        [v or 0 for v in now],
        width=w,
        color=NOW_COLOUR,
        label="本年",
    )
    if before is not None:
        ax.bar(
            [x + w / 2 for x in xs],
            [v or 0 for v in before],
            width=w,
            color=BEFORE_COLOUR,
            label="上年",
        )
    for x, v in zip(xs, now, strict=True):
        ax.text(
            x - (w / 2 if before is not None else 0),
            (v or 0) + 2,
            "缺失" if v is None else f"{v:.0f}",
            ha="center",
            fontproperties=_font(7),
        )
    ax.set_xticks(xs)
    ax.set_xticklabels([_wrap(d, 6) for d in dimensions], fontproperties=_font(8))
    ax.set_ylim(0, 132)  # room above 100 for the legend: it never covers a bar
    ax.set_yticks([0, 20, 40, 60, 80, 100])
    ax.set_ylabel("得分", fontproperties=_font(8))
    ax.set_title(title, fontproperties=_font(10), y=1.0)
    ax.legend(prop=_font(8), loc="upper right", ncols=2)
    ax.spines[["top", "right"]].set_visible(False)
    _mark(fig, synthetic)
    return _png(fig)


def chain_map_picture(
    chain: str,
    segments: Sequence[Mapping[str, Any]],
    feeds: Sequence[tuple[str, str]],
    *,
    synthetic: bool,
) -> bytes:
    """The chain's segments by stage, coloured by status, with FEEDS arrows (a static map).

    ``segments``: dicts with segment_id, segment (name), stage, status, enterprises.
    """
    columns: dict[str, list[Mapping[str, Any]]] = {k: [] for k, _ in STAGES}
    other: list[Mapping[str, Any]] = []
    for s in segments:
        columns.get(s.get("stage") or "", other).append(s)
    if other:
        columns["midstream"].extend(other)
    rows = max(1, *(len(v) for v in columns.values()))
    height = max(2.4, 0.55 * rows + 1.2)
    fig = Figure(figsize=(8.0, height))
    fig.subplots_adjust(left=0.01, right=0.99, top=1 - 0.35 / height, bottom=0.35 / height)
    ax = fig.subplots()
    box_w, box_h, col_x = 2.4, 0.42, {"upstream": 0.0, "midstream": 3.3, "downstream": 6.6}
    where: dict[str, tuple[float, float]] = {}
    for key, label in STAGES:
        col = columns[key]
        x = col_x[key]
        ax.text(x + box_w / 2, rows * 0.6 + 0.15, label, ha="center", fontproperties=_font(10))
        for i, s in enumerate(col):
            # a shorter column is centred: shifted down by half its missing rows
            y = (rows - 1 - i) * 0.6 - (rows - len(col)) * 0.3
            where[s["segment_id"]] = (x, y)
            colour = STATUS_COLOURS.get(s.get("status"), STATUS_COLOURS[None])
            ax.add_artist(
                FancyBboxPatch(
                    (x, y),
                    box_w,
                    box_h,
                    boxstyle="round,pad=0.02,rounding_size=0.08",
                    fc=colour,
                    ec="#495057",
                    lw=0.6,
                    alpha=0.9,
                )
            )
            name = str(s["segment"])
            if len(name) > 12:
                name = name[:11] + "…"
            count = s.get("enterprises")
            ax.text(
                x + box_w / 2,
                y + box_h / 2,
                f"{name}（{count}家）" if count is not None else name,
                ha="center",
                va="center",
                fontproperties=_font(8.5),  # about 6.5 pt once scaled to the page width
                color="#212529",
            )
    for a, b in feeds:
        if a not in where or b not in where:
            continue
        (xa, ya), (xb, yb) = where[a], where[b]
        if xa == xb:
            continue  # within a stage: the columns say enough
        start = (xa + box_w, ya + box_h / 2) if xa < xb else (xa, ya + box_h / 2)
        end = (xb, yb + box_h / 2) if xa < xb else (xb + box_w, yb + box_h / 2)
        ax.add_artist(
            # shrink 0: the ends are given exactly, no path clipping (the costly part)
            FancyArrowPatch(
                start,
                end,
                arrowstyle="-|>",
                mutation_scale=7,
                color="#868e96",
                lw=0.6,
                shrinkA=0,
                shrinkB=0,
            )
        )
    # the four main statuses always, the others when a segment has them
    present = {s.get("status") for s in segments}
    shown = [
        k
        for k in STATUS_LABELS
        if k in ("missing", "dependent", "weak", "ok") or (k is not None and k in present)
    ]
    handles = [
        FancyBboxPatch((0, 0), 1, 1, fc=STATUS_COLOURS[k], ec="#495057", lw=0.5) for k in shown
    ]
    ax.legend(
        handles,
        [STATUS_LABELS[k] for k in shown],
        prop=_font(7.5),
        loc="upper center",
        bbox_to_anchor=(0.5, -0.02),
        ncols=len(shown),
        frameon=False,
    )
    ax.set_xlim(-0.2, 9.2)
    ax.set_ylim(-0.3, rows * 0.6 + 0.5)
    ax.axis("off")
    ax.set_title(f"{chain}图谱（环节与短板弱项）", fontproperties=_font(11), y=1.0)
    _mark(fig, synthetic)
    return _png(fig)


def _draw(job: tuple[Callable[..., bytes], tuple[Any, ...], bool]) -> bytes:
    fn, args, synthetic = job
    return fn(*args, synthetic=synthetic)


@functools.cache
def _drawing_code() -> str:
    """What a chart's pixels depend on besides its arguments: this module's code, matplotlib's
    version, the font file and the resolution."""
    import matplotlib

    module = sys.modules[__name__]
    try:
        code = inspect.getsource(module)
    except (OSError, TypeError):  # no source shipped: the compiled file
        code = Path(module.__file__ or "").read_bytes().hex() if module.__file__ else ""
    text = f"{code}|{matplotlib.__version__}|{cjk_font()}|{DPI}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chart_key(fn: Callable[..., bytes], args: tuple[Any, ...], synthetic: bool) -> str:
    """A name for the chart ``fn(*args, synthetic=...)``: equal for equal drawings (pure)."""
    text = json.dumps(
        [fn.__name__, args, synthetic, _drawing_code()], ensure_ascii=False, default=repr
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


def draw_all(
    jobs: Sequence[tuple[Callable[..., bytes], tuple[Any, ...]]],
    *,
    synthetic: bool,
    workers: int | None = None,
    cache: Path | None = None,
) -> list[bytes]:
    """Every chart of ``jobs`` (chart function, its arguments) as PNG bytes, in order.

    Drawn in ``workers`` processes (default: one per core, at most ``MAX_WORKERS``; env
    ``CHAINKG_REPORT_WORKERS``): a chart is CPU work in matplotlib, and a province report
    has two per chain. One worker, or a handful of charts, draws in this process.

    ``cache``: a folder of charts drawn before, by ``chart_key`` (the drawing is a pure
    function of its arguments and ``_drawing_code``): those are read back, the others drawn
    and added. Charts older than ``CACHE_DAYS`` that this call did not use are removed.
    """
    keys = [chart_key(fn, args, synthetic) for fn, args in jobs] if cache is not None else []
    kept: dict[int, bytes] = {}
    if cache is not None:
        for i, key in enumerate(keys):
            with suppress(OSError):
                kept[i] = (cache / f"{key}.png").read_bytes()
    missing = [i for i in range(len(jobs)) if i not in kept]
    drawn = _draw_many([jobs[i] for i in missing], synthetic=synthetic, workers=workers)
    out = dict(kept)
    out.update(zip(missing, drawn, strict=True))
    if cache is not None:
        _keep(cache, {keys[i]: out[i] for i in missing}, set(keys))
    return [out[i] for i in range(len(jobs))]


def _keep(cache: Path, new: Mapping[str, bytes], used: set[str]) -> None:
    """Write the new charts into ``cache`` (each whole or not at all) and drop old unused ones;
    a folder that cannot be written keeps nothing (the charts are drawn next time)."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        for key, png in new.items():
            tmp = cache / f".{key}.{os.getpid()}.tmp"
            tmp.write_bytes(png)
            os.replace(tmp, cache / f"{key}.png")
        old = time.time() - CACHE_DAYS * 86400
        for path in cache.glob("*.png"):
            if path.stem in used:
                os.utime(path)
            elif path.stat().st_mtime < old:
                path.unlink(missing_ok=True)
    except OSError:
        return


def _draw_many(
    jobs: Sequence[tuple[Callable[..., bytes], tuple[Any, ...]]],
    *,
    synthetic: bool,
    workers: int | None,
) -> list[bytes]:
    todo = [(fn, args, synthetic) for fn, args in jobs]
    n = workers or int(os.environ.get("CHAINKG_REPORT_WORKERS", "0") or 0)
    n = n or min(os.cpu_count() or 1, MAX_WORKERS)
    if n <= 1 or len(todo) < 4:
        return [_draw(j) for j in todo]
    # forkserver: workers start from a clean process that has imported this module, not
    # from a fork of one that holds an open graph and its threads.
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])
    try:
        with ProcessPoolExecutor(max_workers=n, mp_context=ctx) as pool:
            return list(pool.map(_draw, todo, chunksize=max(1, len(todo) // (n * 4))))
    except BrokenProcessPool:
        # a worker could not start (e.g. a script without the __main__ guard): draw here
        return [_draw(j) for j in todo]
