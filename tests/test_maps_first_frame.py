"""The map's first frame: a plain canvas drawn from the laid-out positions before
vis-network is compiled (viz/static/first_frame.js), in real headless Chromium, network off.

Checks: it draws the nodes and labels vis-network draws afterwards, at the same view (also
on a phone); a click on it is kept and answered once vis-network has taken over; data
strings on it are canvas text; vis-network sits unexecuted in the page and runs by its
hash (no 'unsafe-eval', no 'unsafe-inline').
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from browser import Browser, chromium_path
from test_maps_browser import build_pages, no_script_ran, open_clean
from test_maps_data import HOSTILE, POWER

from chainkg.graph import ids
from chainkg.viz import page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        chromium_path() is None, reason="needs Chromium: apt-get install -y chromium"
    ),
]

FIRST = "window.chainkgFirstFrame && chainkgFirstFrame.interactiveAt !== null"
# The labels vis-network draws at its current view (>= 12 px), by node, as the first frame lists them.
VIS_LABELS = """(() => { const s = chainkgMap.labelSizes();
  return s.labels.filter(x => x.drawn).map(x => chainkgMap.nodes.get(x.id).label).sort(); })()"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_pages(tmp_path_factory.mktemp("first-frame"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with Browser() as b:
        yield b


@pytest.fixture
def held() -> Iterator[Browser]:
    """A browser whose pages stop after their first frame until ``chainkgFirstFrame.release()``."""
    with Browser() as b:
        b.send(
            "Page.addScriptToEvaluateOnNewDocument",
            {"source": "window.chainkgHoldFirstFrame = true;"},
        )
        yield b


@pytest.mark.parametrize(
    ("kind", "nodes", "labels", "same_view"),
    [
        ("chain", 40, 40, 1e-9),
        ("folded", 22, 22, 1e-9),
        ("cluster", 3, 3, 1e-9),
        # the roster fits its cluster page with vis-network's own measure once drawn: within 1 %
        ("roster", 13, 13, 1e-2),
        ("enterprise", 9, 9, 1e-9),
    ],
)
def test_the_first_frame_draws_what_vis_network_draws(
    browser: Browser, pages: dict[str, Path], kind: str, nodes: int, labels: int, same_view: float
) -> None:
    counts = open_clean(browser, pages[kind])
    first = browser.evaluate(
        "({nodes: chainkgFirstFrame.nodes, labels: chainkgFirstFrame.labels.slice().sort(),"
        " fit: chainkgFirstFrame.fit})"
    )
    assert first["nodes"] == counts["visible"] == nodes
    assert len(first["labels"]) == labels
    assert first["labels"] == browser.evaluate(VIS_LABELS)
    # vis-network starts at the first frame's view: no jump when it takes over
    view = browser.evaluate(
        "({scale: chainkgMap.network.getScale(), position: chainkgMap.network.getViewPosition()})"
    )
    assert view["scale"] == pytest.approx(first["fit"]["scale"], rel=same_view)
    width = browser.evaluate("document.getElementById('map').clientWidth") / view["scale"]
    for axis in ("x", "y"):  # the centre moves by less than that share of the width
        assert abs(view["position"][axis] - first["fit"]["position"][axis]) <= same_view * width
    assert browser.evaluate("document.getElementById('first-frame')") is None  # handed over


def test_hostile_names_on_the_first_frame_are_canvas_text(
    browser: Browser, pages: dict[str, Path]
) -> None:
    open_clean(browser, pages["enterprise"])
    labels = browser.evaluate("chainkgFirstFrame.labels")
    hostile = browser.evaluate("chainkgMap.nodes.get('org:hostile').label")
    assert HOSTILE.startswith(hostile.rstrip("…"))
    assert labels.count(hostile) == 1
    no_script_ran(browser)


def test_a_click_on_the_first_frame_is_answered_when_vis_network_takes_over(
    held: Browser, pages: dict[str, Path], tmp_path: Path
) -> None:
    path = pages["chain"]
    held.open(path, ready=FIRST)
    # the first frame is up with the legend and filters; vis-network not yet compiled
    assert held.evaluate("typeof vis") == "undefined"
    assert held.evaluate("chainkgMap.network === null && chainkgMap.ready === false") is True
    assert held.evaluate("document.querySelectorAll('#legend-items li').length") == 11
    assert (
        held.evaluate("document.getElementById('shown-count').textContent")
        == "显示 30 / 共 30 家企业"
    )
    assert held.evaluate("!!document.getElementById('first-frame')") is True
    assert held.evaluate("chainkgFirstFrame.nodes") == 40
    segment = ids.segment_id(POWER, "绝缘材料")
    assert "绝缘材料" in held.evaluate("chainkgFirstFrame.labels")
    point = held.evaluate(f"chainkgFirstFrame.position({json.dumps(segment)})")
    held.click(point["x"], point["y"])
    clicks = held.evaluate("chainkgFirstFrame.clicks")
    assert [c["id"] for c in clicks] == [segment]
    assert held.evaluate("document.getElementById('loading').textContent") == "正在载入交互…"
    assert held.evaluate("document.getElementById('detail').hidden") is True
    held.screenshot(tmp_path / "first-frame.png")
    held.evaluate("chainkgFirstFrame.release()")
    deadline = time.monotonic() + 30
    while held.evaluate("document.querySelector('#detail h2')?.textContent || ''") != "绝缘材料":
        assert time.monotonic() < deadline, "the kept click was not answered"
        time.sleep(0.02)
    assert held.evaluate("chainkgMap.network.getSelectedNodes()") == [segment]
    assert held.evaluate("chainkgMap.ready && chainkgMap.complete") is True
    assert held.evaluate("document.getElementById('first-frame')") is None
    assert held.evaluate("document.getElementById('loading')") is None
    held.drain(0.2)
    assert held.load.console_errors == []
    assert held.load.requests == [path.resolve().as_uri()]


def test_a_click_on_the_first_frame_background_is_dropped(
    held: Browser, pages: dict[str, Path]
) -> None:
    held.open(pages["chain"], ready=FIRST)
    held.click(5, 895)  # the legend's corner: not the map
    held.click(1395, 120)  # the map's top right corner: no node there
    assert held.evaluate("chainkgFirstFrame.clicks.map(c => c.id)") == [None]
    held.evaluate("chainkgFirstFrame.release()")
    deadline = time.monotonic() + 30
    while not held.evaluate("!!(window.chainkgMap && chainkgMap.ready && chainkgMap.complete)"):
        assert time.monotonic() < deadline, "vis-network did not take over"
        time.sleep(0.02)
    assert held.evaluate("document.getElementById('detail').hidden") is True
    assert held.evaluate("chainkgMap.network.getSelectedNodes()") == []
    assert held.load.console_errors == []


def test_the_phone_first_frame_starts_zoomed_in_like_the_page(pages: dict[str, Path]) -> None:
    with Browser(390, 844) as phone:
        open_clean(phone, pages["chain"])
        phone.drain(0.2)
        first = phone.evaluate("chainkgFirstFrame.view")
        assert phone.evaluate("chainkgMap.network.getScale()") == pytest.approx(first["scale"])
        big = phone.evaluate(
            "Math.max(...chainkgMap.nodes.get().filter(n => n.kind !== 'heading' && !n.hidden)"
            ".map(n => (n.font && n.font.size) || 0))"
        )
        assert big == 22  # the segment names of this small chain
        assert first["scale"] == pytest.approx(13 / 22)  # drawn at 13 px
        assert first["scale"] > phone.evaluate("chainkgFirstFrame.fit.scale")


def test_vis_network_sits_unexecuted_and_runs_by_its_hash(pages: dict[str, Path]) -> None:
    html = pages["chain"].read_text(encoding="utf-8")
    vis = page.vis_script()
    assert f'<script type="text/plain" id="vis-network">{vis}</script>' in html
    csp = unescape(re.search(r'Content-Security-Policy" content="([^"]*)"', html).group(1))
    script_src = next(d for d in csp.split("; ") if d.startswith("script-src"))
    digest = base64.b64encode(hashlib.sha256(vis.encode("utf-8")).digest()).decode()
    assert f"'sha256-{digest}'" in script_src.split()
    assert "unsafe" not in script_src and "blob:" not in script_src and "data:" not in script_src
    assert len(script_src.split()) == 4  # the directive and three hashes
