"""Each kind of map in real headless Chromium, network off, opened from file://.

Checks: no console error, no request but the file itself, the expected nodes drawn
(read back from the page's JS state), the hostile name shown as literal text with no
script run, the interactions (search, fold, highlight, filters, legend, export), and a
screenshot per map (kept in the pytest temp folder, CHAINKG_SCREENSHOTS=dir to keep them
elsewhere for a look).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import Browser, chromium_path
from test_maps_data import HOSTILE, POWER, build_map_graph, enterprise_rows

from chainkg.graph import ids
from chainkg.graph.embedded import EmbeddedStore
from chainkg.viz import maps

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        chromium_path() is None, reason="needs Chromium: apt-get install -y chromium"
    ),
]

STATUSES = {
    ids.segment_id(POWER, "电工钢"): "missing",
    ids.segment_id(POWER, "绝缘材料"): "weak",
    ids.segment_id(POWER, "变压器"): "ok",
    ids.segment_id(POWER, "开关设备"): "dependent",
}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_pages(tmp_path_factory.mktemp("pages"))


def build_pages(folder: Path) -> dict[str, Path]:
    """A 30-firm chain (also folded at 20 nodes), its cluster, the roster, an enterprise map."""
    with EmbeddedStore(folder / "graph") as store:
        build_map_graph(store, enterprises=30)
        html = {
            "chain": maps.chain_map_html(store, POWER, STATUSES),
            "folded": maps.chain_map_html(store, POWER, STATUSES, budget=20),
            "cluster": maps.cluster_map_html(store, "装备制造"),
            "roster": maps.roster_map_html(store),
            "enterprise": maps.enterprise_map_html(store, enterprise_rows(5)[2]["uscc"], 2),
        }
    return {k: maps.write_map(v, folder / f"{k}.html") for k, v in html.items()}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with Browser() as b:
        yield b


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CHAINKG_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_clean(browser: Browser, path: Path) -> dict:
    """Open a map; assert it loaded cleanly; return its node counts."""
    browser.open(path)
    browser.drain(0.3)
    assert browser.load.console_errors == []
    assert browser.load.requests == [path.resolve().as_uri()]
    assert browser.load.dialogs == []
    return browser.evaluate("chainkgMap.counts()")


def no_script_ran(browser: Browser) -> None:
    assert browser.evaluate("window.__alerts") == 0
    assert browser.evaluate("document.querySelectorAll('img').length") == 0


@pytest.mark.parametrize(
    ("kind", "drawn", "visible", "by_kind"),
    [
        ("chain", 40, 40, {"segment": 6, "enterprise": 30, "other_segment": 1, "heading": 3}),
        (
            "folded",
            22,
            22,
            {"segment": 6, "enterprise": 6, "fold": 6, "other_segment": 1, "heading": 3},
        ),
        ("cluster", 3, 3, {"chain": 2, "other_chain": 1}),
        # the roster shows its first cluster (装备制造): 4 nodes of 新型材料 are hidden
        ("roster", 17, 13, {"person": 2, "cluster": 2, "chain": 3, "unit": 4, "heading": 6}),
        # 5 firms and the headings of their 4 columns (一级供应商 … 二级客户)
        ("enterprise", 9, 9, {"enterprise": 5, "heading": 4}),
    ],
)
def test_map_opens_offline_and_draws_its_nodes(
    browser: Browser,
    pages: dict[str, Path],
    shots: Path,
    kind: str,
    drawn: int,
    visible: int,
    by_kind: dict,
) -> None:
    counts = open_clean(browser, pages[kind])
    assert counts["drawn"] == drawn
    assert counts["visible"] == visible
    assert counts["byKind"] == by_kind
    no_script_ran(browser)
    shot = browser.screenshot(shots / f"map-{kind}.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 20_000  # a drawn map, not a blank page


def test_hostile_name_is_shown_as_text(
    browser: Browser, pages: dict[str, Path], shots: Path
) -> None:
    open_clean(browser, pages["chain"])
    assert browser.evaluate("chainkgMap.search('onerror')") == ["org:hostile"]
    assert browser.evaluate("chainkgMap.focus('org:hostile')") is True
    detail = browser.evaluate("document.querySelector('#detail h2').textContent")
    assert detail == HOSTILE
    # The search list shows it too, as text.
    browser.evaluate(
        "(() => { const i = document.getElementById('search'); i.value = 'onerror';"
        " i.dispatchEvent(new Event('input')); })()"
    )
    assert (
        browser.evaluate("document.querySelector('#search-results li').firstChild.data") == HOSTILE
    )
    no_script_ran(browser)
    browser.screenshot(shots / "map-chain-hostile-detail.png")
    assert browser.load.console_errors == []


def test_search_by_credit_code_and_detail_shows_source(
    browser: Browser, pages: dict[str, Path]
) -> None:
    open_clean(browser, pages["chain"])
    org = enterprise_rows(8)[7]
    assert browser.evaluate(f"chainkgMap.search({json.dumps(org['uscc'])})") == [org["id"]]
    browser.evaluate(f"chainkgMap.focus({json.dumps(org['id'])})")
    text = browser.evaluate("chainkgMap.detailText()")
    for fact in (
        org["name"],
        org["uscc"],
        "所在地市" + org["city"],
        "来源测试夹具",
        "出处第 9 行",
        "示例数据",
    ):
        assert fact in text


def test_click_highlights_upstream_and_downstream(browser: Browser, pages: dict[str, Path]) -> None:
    open_clean(browser, pages["chain"])
    transformer = ids.segment_id(POWER, "变压器")
    # itself, upstream 电工钢, 绝缘材料 and 特种钢 (another chain), downstream 电网工程,
    # and its 5 enterprises
    assert browser.evaluate(f"chainkgMap.highlight({json.dumps(transformer)})") == 10
    dimmed = browser.evaluate(
        "chainkgMap.nodes.get().filter(n => n.color && n.color.background === '#f1f3f5').length"
    )
    assert dimmed == 40 - 10
    # A real click on the segment's position selects it and opens its details.
    pos = browser.evaluate(
        f"(() => {{ const p = chainkgMap.network.getPositions([{json.dumps(transformer)}]);"
        f" const d = chainkgMap.network.canvasToDOM(p[{json.dumps(transformer)}]);"
        " const r = document.getElementById('map').getBoundingClientRect();"
        " return [d.x + r.left, d.y + r.top]; })()"
    )
    browser.click(*pos)
    browser.drain(0.2)
    assert browser.evaluate("document.querySelector('#detail h2').textContent") == "变压器"
    assert browser.evaluate("chainkgMap.network.getSelectedNodes()") == [transformer]


def test_filters_and_legend_hide_nodes(browser: Browser, pages: dict[str, Path]) -> None:
    open_clean(browser, pages["chain"])
    # 30 enterprises: i % 10 == 0 are out of province (0, 10, 20), i % 25 == 0 leaders (0, 25).
    browser.evaluate("(() => { const c = document.getElementById('flag-outside'); c.click(); })()")
    assert browser.evaluate("chainkgMap.counts().visible") == 40 - 30 + 3
    browser.evaluate("chainkgMap.reset()")
    assert browser.evaluate("chainkgMap.counts().visible") == 40
    # Legend: hide 省外企业 (leader 0 counts as 龙头, so 2 remain to hide).
    assert browser.evaluate("chainkgMap.toggleCategory('outside')") == 40 - 2
    assert browser.evaluate("chainkgMap.toggleCategory('outside')") == 40
    # Stage filter: upstream keeps 2 segments and their 10 enterprises (plus headings, other chain).
    browser.evaluate(
        "(() => { const s = document.getElementById('filter-stage'); s.value = 'upstream';"
        " s.dispatchEvent(new Event('change')); })()"
    )
    assert browser.evaluate("chainkgMap.counts().visible") == 2 + 10 + 3 + 1
    browser.evaluate("chainkgMap.reset()")


def test_folded_enterprises_expand_and_are_found_by_search(
    browser: Browser, pages: dict[str, Path]
) -> None:
    open_clean(browser, pages["folded"])
    assert browser.evaluate("chainkgMap.counts().total") == 46
    fold = "fold:" + ids.segment_id(POWER, "电工钢")
    assert browser.evaluate(f"chainkgMap.expand({json.dumps(fold)})") == 4
    assert browser.evaluate("chainkgMap.counts().drawn") == 22 - 1 + 4
    browser.evaluate("chainkgMap.reset()")
    assert browser.evaluate("chainkgMap.counts().drawn") == 22
    # Searching a folded enterprise unfolds its segment and selects it.
    # 电网工程 holds enterprises 5, 11, 17, 23, 29; 29 has the largest revenue and is drawn,
    # 5 the smallest and is folded.
    hidden = enterprise_rows(30)[5]
    browser.evaluate(f"chainkgMap.focus({json.dumps(hidden['id'])})")
    assert browser.evaluate("chainkgMap.network.getSelectedNodes()") == [hidden["id"]]
    assert browser.evaluate("chainkgMap.counts().drawn") == 22 - 1 + 4
    assert browser.load.console_errors == []


def test_export_png(browser: Browser, pages: dict[str, Path]) -> None:
    open_clean(browser, pages["roster"])
    url = browser.evaluate("chainkgMap.exportPng()")
    assert url.startswith("data:image/png;base64,")
    assert len(url) > 10_000


def test_start_up_marks_and_deferred_data(browser: Browser, pages: dict[str, Path]) -> None:
    """The page is interactive (first frame drawn, a click handled) before it unpacks the
    folded firms, the facts and the ties; a click that comes earlier waits for them."""
    browser.open(pages["folded"], ready="window.chainkgMap && window.chainkgMap.ready")
    marks = browser.evaluate(
        "performance.getEntriesByType('mark').map(m => m.name).filter(n => n.startsWith('chainkg:'))"
    )
    assert marks[:5] == [
        "chainkg:start", "chainkg:parsed", "chainkg:network", "chainkg:drawn", "chainkg:interactive",
    ]  # fmt: skip
    t = browser.evaluate("chainkgMap.timings")
    assert t["scriptStart"] <= t["parsed"] <= t["network"] <= t["drawn"] <= t["interactive"]
    assert browser.evaluate("chainkgMap.readyAt") == t["interactive"]
    assert browser.evaluate("chainkgMap.loaded()") is True  # a promise, awaited
    assert browser.evaluate("chainkgMap.complete") is True
    assert (
        browser.evaluate("performance.getEntriesByName('chainkg:complete')[0].startTime")
        >= t["interactive"]
    )
    # the header counts every firm, folded ones too, from the first frame on
    assert browser.evaluate("chainkgMap.firmCounts()") == {"shown": 6, "total": 30}
    assert browser.evaluate("document.getElementById('shown-count').textContent") == (
        "显示 6 / 共 30 家企业"
    )
    assert browser.load.console_errors == []


def test_a_click_before_the_deferred_data_waits_for_it(
    browser: Browser, pages: dict[str, Path]
) -> None:
    browser.open(pages["folded"], ready="window.chainkgMap && window.chainkgMap.ready")
    seg = ids.segment_id(POWER, "变压器")
    # a real click on the segment, sent at once
    x, y = browser.evaluate(
        f"(() => {{ const m = chainkgMap, p = m.network.canvasToDOM(m.network.getPosition({json.dumps(seg)}));"
        " const r = document.getElementById('map').getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; })()"
    )
    browser.click(x, y)
    browser.evaluate("chainkgMap.loaded()")
    browser.drain(0.3)
    assert browser.evaluate("document.querySelector('#detail h2').textContent") == "变压器"
    assert "数据日期" in browser.evaluate(
        "chainkgMap.detailText()"
    )  # facts from the deferred strings
    assert browser.load.console_errors == []


def test_zooming_in_unfolds_the_folds_in_view(browser: Browser, pages: dict[str, Path]) -> None:
    open_clean(browser, pages["folded"])
    fold = "fold:" + ids.segment_id(POWER, "电工钢")
    scale = browser.evaluate(
        "JSON.parse(document.getElementById('map-data').textContent).meta.unfold_scale"
    )
    assert scale > 0
    # at "fit" nothing unfolds
    browser.evaluate("document.getElementById('fit').click()")
    assert browser.evaluate("chainkgMap.unfoldInView()") == 0
    fit_scale = browser.evaluate("chainkgMap.network.getScale()")
    browser.evaluate(
        f"chainkgMap.network.moveTo({{scale: {max(scale, 1.5 * fit_scale)} * 0.9, animation: false}})"
    )
    assert browser.evaluate("chainkgMap.unfoldInView()") == 0  # not far enough
    # zoomed in on 电工钢's fold: it unfolds (its 4 firms), the others stay folded
    browser.evaluate(
        f"chainkgMap.network.moveTo({{position: chainkgMap.network.getPosition({json.dumps(fold)}),"
        f" scale: {max(scale * 1.1, 1.65 * fit_scale, 5)}, animation: false}})"
    )
    assert browser.evaluate("chainkgMap.unfoldInView()") == 4
    assert browser.evaluate(f"chainkgMap.nodes.get({json.dumps(fold)})") is None
    assert browser.evaluate("chainkgMap.counts().byKind.fold") == 5
    browser.evaluate("chainkgMap.reset()")
    assert browser.evaluate("chainkgMap.counts().byKind.fold") == 6
