"""The map pages as files: self-contained, UTF-8, data escaped, budget folding, CLI, demo maps."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from test_maps_data import HOSTILE, POWER, build_map_graph, enterprise_rows

from chainkg.errors import InputError
from chainkg.graph import ids
from chainkg.graph.embedded import EmbeddedStore
from chainkg.graph.store import GraphStore
from chainkg.queries.maps import MapEdge, MapGraph, MapNode
from chainkg.viz import maps, page
from chainkg.viz.layout import fit_scale
from chainkg.viz.view import MapView, enterprise_view

# Any attribute or CSS url() that would make the browser fetch from the network.
REMOTE = re.compile(
    r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//""", re.I
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    s = EmbeddedStore(tmp_path_factory.mktemp("maps") / "graph")
    s.open()
    build_map_graph(s, enterprises=30)
    yield s
    s.close()


def all_pages(store: GraphStore) -> dict[str, str]:
    return {
        "chain": maps.chain_map_html(store, POWER),
        "cluster": maps.cluster_map_html(store, "装备制造"),
        "roster": maps.roster_map_html(store),
        "enterprise": maps.enterprise_map_html(store, enterprise_rows(5)[2]["name"], 2),
    }


def page_data(html: str) -> dict:
    return page.read_page_data(html)


def test_pages_load_nothing_from_the_network(store: GraphStore) -> None:
    for kind, html in all_pages(store).items():
        assert REMOTE.search(html) is None, kind
        assert "<link" not in html and "<script src" not in html, kind
        csp = unescape(re.search(r'Content-Security-Policy" content="([^"]*)"', html).group(1))
        assert csp.startswith("default-src 'none'; script-src 'sha256-"), kind
        assert "connect-src 'none'" in csp and "unsafe-inline" not in csp.split(";")[1], kind
        # Five script elements: the data (first frame), the deferred data (gzip, base64),
        # vis-network, the XLSX writer, the page's own code (vis-network's own text
        # mentions "<script>" once, in a string); only the last three run.
        assert html.count("<script") - page.vis_script().count("<script") == 5, kind
        assert html.count('<script type="application/') == 2, kind


def test_hostile_names_never_reach_the_page_as_markup(store: GraphStore) -> None:
    html = maps.chain_map_html(store, POWER)
    assert HOSTILE not in html
    assert "<img" not in html
    data = page_data(html)
    hostile = next(n for n in data["nodes"] if n["id"] == "org:hostile")
    assert hostile["name"] == HOSTILE  # intact as data, shown as text by the page
    script = page._asset("chainkg.viz", "static/map.js")
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script


def test_titles_from_the_data_are_escaped() -> None:
    view = MapView({"title": "</title><script>alert(1)</script>", "kind": "chain"}, [], [])
    html = page.render_page(view)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_script_json_cannot_close_its_element() -> None:
    text = page.script_json({"name": "</script><!-- & >"})
    assert text == '{"name":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u003e"}'
    assert json.loads(text) == {"name": "</script><!-- & >"}


def test_map_is_written_as_utf8_whatever_the_locale(store: GraphStore, tmp_path: Path) -> None:
    out = maps.write_map(maps.chain_map_html(store, POWER), tmp_path / "sub" / "链.html")
    raw = out.read_bytes()
    assert "电力装备产业链".encode() in raw
    assert b'<meta charset="utf-8">' in raw


def test_chain_page_marks_synthetic_data_and_colours_findings(store: GraphStore) -> None:
    statuses = {ids.segment_id(POWER, "电工钢"): "missing", ids.segment_id(POWER, "变压器"): "weak"}
    html = maps.chain_map_html(store, POWER, statuses)
    assert 'id="synthetic-mark"' in html and ">示例数据<" in html
    data = page_data(html)
    shared = data["shared"]
    status = {
        n["name"]: shared[n["s"]]["status"]
        for n in data["nodes"]
        if shared[n["s"]]["kind"] == "segment"
    }
    assert status == {
        "电工钢": "missing", "绝缘材料": "unknown", "变压器": "weak",
        "开关设备": "unknown", "电线电缆": "unknown", "电网工程": "unknown",
    }  # fmt: skip
    colours = {
        shared[n["s"]]["color"]["background"] for n in data["nodes"] if n["name"] == "电工钢"
    }
    assert colours == {"#D55E00"}


def test_real_data_has_no_synthetic_mark(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "g") as s:
        build_map_graph(s, enterprises=5, synthetic=False)
        html = maps.chain_map_html(s, POWER)
    assert 'id="synthetic-mark"' not in html


def test_enterprises_beyond_the_budget_fold_into_their_segment(store: GraphStore) -> None:
    data = page_data(maps.chain_map_html(store, POWER, budget=20))
    kinds = [data["shared"][n["s"]]["kind"] for n in data["nodes"]]
    # 6 segments + 1 other chain's segment + 3 stage headings leave room for 1 enterprise
    # per segment; the other 4 of each segment's 5 fold into "+4 家".
    assert {k: kinds.count(k) for k in set(kinds)} == {
        "segment": 6, "enterprise": 6, "fold": 6, "other_segment": 1, "heading": 3,
    }  # fmt: skip
    assert sorted(len(f["nodes"]) for f in data["folds"].values()) == [4] * 6
    labels = {n["label"] for n in data["nodes"] if data["shared"][n["s"]]["kind"] == "fold"}
    assert labels == {"+4 家"}


def test_write_demo_maps_writes_roster_then_one_map_per_chain(
    store: GraphStore, tmp_path: Path
) -> None:
    written = maps.write_demo_maps(store, tmp_path, statuses=None)
    assert [p.name for p in written] == [
        "00-双长制.html", "01-电力装备产业链.html", "02-智能制造装备产业链.html", "03-先进钢铁材料产业链.html",
    ]  # fmt: skip
    assert all(p.stat().st_size > 100_000 for p in written)


def test_cli_map_writes_each_kind(store: GraphStore, tmp_path: Path) -> None:
    from chainkg.cli.main import main

    location = Path(store.location).parent
    store.close()  # one read-write process per embedded graph
    try:
        org = enterprise_rows(5)[2]["uscc"]
        for args, name in [
            (["电力装备"], "chain.html"),
            (["--cluster", "装备制造"], "cluster.html"),
            (["--roster"], "roster.html"),
            (["--org", org, "--hops", "1"], "org.html"),
        ]:
            code = main(["--data-dir", str(location), "map", *args, "-o", str(tmp_path / name)])
            assert code == 0, args
            assert (tmp_path / name).stat().st_size > 100_000
        assert (
            main(["--data-dir", str(location), "map", "--roster", "--cluster", "x", "-o", "y"]) == 1
        )
    finally:
        store.open()


def test_cli_map_all_writes_a_linked_set(store: GraphStore, tmp_path: Path) -> None:
    from chainkg.cli.main import main

    location = Path(store.location).parent
    store.close()
    try:
        code = main(
            ["--data-dir", str(location), "map", "--all", "--max-orgs", "2", "-o", str(tmp_path)]
        )
        assert code == 0
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([
            "index.html", "roster.html", "cluster-01-装备制造.html", "cluster-02-新型材料.html",
            "chain-01-电力装备产业链.html", "chain-02-智能制造装备产业链.html",
            "chain-03-先进钢铁材料产业链.html", "org-0001.html", "org-0002.html",
        ])  # fmt: skip
        index = (tmp_path / "index.html").read_text(encoding="utf-8")
        assert index.count('<a href="') == 1 + 2 + 3 + 2
        assert 'id="synthetic-mark"' in index
        chain = page_data((tmp_path / "chain-01-电力装备产业链.html").read_text(encoding="utf-8"))
        assert chain["meta"]["trail"] == [
            ["索引", "index.html"], ["双长制", "roster.html"], ["装备制造集群", "cluster-01-装备制造.html"]
        ]  # fmt: skip
        linked = sorted(n["href"] for n in chain["nodes"] if "href" in n)
        assert linked == ["chain-03-先进钢铁材料产业链.html", "org-0001.html", "org-0002.html"]
        assert main(["--data-dir", str(location), "map", "--all", "-o", "x.html"]) == 1
    finally:
        store.open()


def test_cli_rejects_two_maps_at_once() -> None:
    from chainkg.cli.maps import map_command

    with pytest.raises(InputError, match="exactly one map"):
        map_command("电力装备产业链", Path("x.html"), "装备制造", False, None, 2, 300)


@pytest.mark.slow
def test_5000_enterprise_chain_map_stays_small(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "g") as s:
        build_map_graph(s, enterprises=5_000)
        html = maps.chain_map_html(s, POWER)
    size = len(html.encode("utf-8"))
    # measured 1.04 MB: vis-network 0.47 MB, the first frame's data 0.15 MB, the rest gzipped
    assert 900_000 < size < 1_200_000
    first = page.DATA_BLOCK.search(html)
    assert first is not None and len(first.group(1).encode()) < 200_000
    data = page_data(html)
    assert len(data["nodes"]) == 298  # 282 firms, 6 segments, 6 folds, 3 stage headings, 1 other
    assert sum(len(f["nodes"]) for f in data["folds"].values()) == 5_000 - 282
    assert data["meta"]["firms"] == 5_000
    assert data["meta"]["unfold_scale"] == 1.0


def test_pinyin_initials_for_search() -> None:
    from chainkg.viz.search import _phrase_initials, initials

    expected = {
        "宇通客车股份有限公司": "ytkcgfyxgs",
        "重庆长安汽车股份有限公司": "cqcaqcgfyxgs",  # 重 and 长 read by the phrase
        "中国银行": "zgyh",
        "长城汽车": "ccqc",
        "洛阳LYC轴承有限公司": "lylyczcyxgs",
        "<img src=x> ABC 郑州": "imgsrcxabczz",
    }
    assert {name: initials(name) for name in expected} == expected
    # the per-character table agrees with pypinyin's phrase conversion on these
    assert all(initials(n) == _phrase_initials(n) for n in expected)


def big_neighbourhood(suppliers: int, customers: int) -> MapGraph:
    """A firm with ``suppliers`` direct suppliers and ``customers`` direct customers."""
    focus = MapNode("org:f", "enterprise", "核心企业有限公司", {"revenue": 10.0}, {"hop": 0})
    ups = [
        MapNode(f"org:u{i}", "enterprise", f"供应商{i}", {}, {"hop": -1}) for i in range(suppliers)
    ]
    downs = [
        MapNode(f"org:d{i}", "enterprise", f"客户{i}", {}, {"hop": 1}) for i in range(customers)
    ]
    edges = [MapEdge(n.id, "org:f", "SUPPLIES") for n in ups]
    edges += [MapEdge("org:f", n.id, "SUPPLIES") for n in downs]
    return MapGraph("enterprise", "核心企业 上下游", [focus, *ups, *downs], edges, focus="org:f")


def test_a_large_neighbourhood_keeps_a_window_shape_and_legible_headings() -> None:
    small = enterprise_view(big_neighbourhood(5, 3))
    heads = {n["id"]: n for n in small.nodes if n["kind"] == "heading"}
    assert [h["label"] for h in heads.values()] == ["一级供应商", "核心企业", "一级客户"]
    assert {n["y"] for n in small.nodes if n["id"].startswith("org:u")} == {-128, -64, 0, 64, 128}
    # 600 suppliers and 900 customers: 55 rows per column (not 12), so 11 + 17 columns
    big = enterprise_view(big_neighbourhood(600, 900))
    ups = [n for n in big.nodes if n["id"].startswith("org:u")]
    downs = [n for n in big.nodes if n["id"].startswith("org:d")]
    assert len({n["x"] for n in ups}) == 11 and len({n["x"] for n in downs}) == 17
    assert len({n["y"] for n in ups}) == 55
    xs = [n["x"] for n in big.nodes]
    ys = [n["y"] for n in big.nodes]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    assert 1.2 < width / height < 2.0  # a window's shape, not a strip
    scale = fit_scale(width + 100, height + 200)
    for h in (n for n in big.nodes if n["kind"] == "heading"):
        assert h["font"]["size"] * scale >= 12, h["label"]  # the column headings at "fit"
    focus = next(n for n in big.nodes if n["id"] == "org:f")
    assert focus["font"]["size"] * scale >= 12


def test_the_header_counts_firms_left_out_of_an_enterprise_map() -> None:
    graph = big_neighbourhood(3, 2)
    graph.truncated = 40
    view = enterprise_view(graph)
    view.meta["truncated"] = graph.truncated
    assert page.assemble(view)["meta"]["firms"] == 6 + 40
