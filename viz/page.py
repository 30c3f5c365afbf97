"""One self-contained HTML page per map: pyvis assembles the network, our template shows it.

Not pyvis's own page: it loads Bootstrap from a CDN even "in_line", writes in the
locale's encoding, and switches tooltips to innerHTML when a title contains "href".
Here everything is inlined (vis-network from the copy pyvis ships), the data goes in
as JSON inside a ``<script type="application/json">`` block (``<``, ``>`` and ``&``
escaped), the template autoescapes, and a Content-Security-Policy admits only our
two scripts (by hash) and no request at all.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from pyvis.network import Network

from chainkg.errors import ChainkgError
from chainkg.viz import style
from chainkg.viz.view import MapView

VIS_VERSION = "9.1.2"


class _IdList(list):
    """pyvis keeps node ids in a list and tests membership linearly (quadratic for 5,000 nodes);
    this list answers ``in`` from a set."""

    def __init__(self) -> None:
        super().__init__()
        self._index: set[Any] = set()

    def append(self, item: Any) -> None:
        self._index.add(item)
        super().append(item)

    def __contains__(self, item: object) -> bool:
        return item in self._index


def base_options() -> dict[str, Any]:
    """vis-network options: positions are fixed, so physics and the layout engine are off."""
    return {
        "physics": {"enabled": False},
        "layout": {"hierarchical": {"enabled": False}, "improvedLayout": False},
        "interaction": {
            "hover": True,
            "tooltipDelay": 3_600_000,  # our own tooltip (DOM text) replaces vis's
            "navigationButtons": False,
            "keyboard": {"enabled": True, "bindToWindow": False},
            "multiselect": False,
            "hideEdgesOnDrag": True,
        },
        "nodes": {
            "font": {"face": style.FONT_FAMILY, "size": 12, "color": "#212529"},
            # vis draws a label only when it is at least drawThreshold - 1 px on screen:
            # no text smaller than 12 px; smaller labels appear as one zooms in.
            "scaling": {"label": {"drawThreshold": 13, "maxVisible": 40}},
            "chosen": True,
        },
        "edges": {
            "smooth": False,
            "font": {"face": style.FONT_FAMILY},
            "scaling": {"label": {"drawThreshold": 13, "maxVisible": 40}},
            "arrows": {"to": {"scaleFactor": 0.6}},
            "selectionWidth": 1.5,
        },
    }


def assemble(view: MapView) -> dict[str, Any]:
    """The page's data: nodes, edges and options assembled by a pyvis Network."""
    net = Network(directed=True, cdn_resources="in_line")
    net.node_ids = _IdList()
    for record in view.nodes:
        fields = dict(record)
        net.add_node(
            fields.pop("id"), label=fields.pop("label"), shape=fields.pop("shape", "dot"), **fields
        )
    for record in view.edges:
        fields = dict(record)
        net.add_edge(fields.pop("from"), fields.pop("to"), **fields)
    # A plain dict, not set_options(): pyvis's set_options strips spaces inside strings
    # (our font list has "Microsoft YaHei").
    net.options = base_options()
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    packer = _Packer()
    drawn = [packer.node(n) for n in nodes]
    folds = {
        fid: {"nodes": [packer.node(n) for n in fold["nodes"]], "edges": fold["edges"]}
        for fid, fold in view.folds.items()
    }
    firms = sum(1 for n in view.nodes if n.get("kind") == "enterprise") + sum(
        1 for fold in view.folds.values() for n in fold["nodes"] if n.get("kind") == "enterprise"
    )
    firms += view.meta.get("truncated", 0)  # beyond the enterprise map's budget: not drawn
    return {
        "meta": {**view.meta, "firms": firms},
        "nodes": drawn,
        "edges": edges,
        "folds": folds,
        "shared": packer.shared,
        "strings": packer.strings,
        "legend": view.legend,
        "filters": view.filters,
        "options": json.loads(options),
        **view.extra,
    }


# What the first frame does not need: the page parses it after drawing (``map-more``).
DEFERRED_KEYS = ("folds", "strings", "ties")


def split_payload(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The page data in two: what the first frame needs, and the rest (folded firms, the
    facts' strings, supply ties), which the page unpacks after drawing."""
    first = {k: v for k, v in data.items() if k not in DEFERRED_KEYS}
    rest = {k: data.get(k, {} if k == "folds" else []) for k in DEFERRED_KEYS}
    return first, rest


def packed_json(data: Any) -> str:
    """JSON, gzipped, in base64: the deferred block. A browser decodes and tokenizes 2.5 MB
    of Chinese JSON in about 0.1 s of CPU before the map can draw; 0.3 MB of base64 costs
    a tenth of that, and the page inflates it afterwards (DecompressionStream)."""
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return base64.b64encode(gzip.compress(raw.encode("utf-8"), mtime=0)).decode("ascii")


DATA_BLOCK = re.compile(r'<script type="application/json" id="map-data">(.*?)</script>', re.S)
MORE_BLOCK = re.compile(
    r'<script type="application/x-gzip-base64" id="map-more">(.*?)</script>', re.S
)


def read_page_data(html: str) -> dict[str, Any]:
    """A map page's data, both blocks merged (the inverse of ``render_page``; for tools and tests)."""
    first = DATA_BLOCK.search(html)
    rest = MORE_BLOCK.search(html)
    if first is None or rest is None:
        raise ChainkgError("not a chainkg map page: its data blocks are missing")
    return {
        **json.loads(first.group(1)),
        **json.loads(gzip.decompress(base64.b64decode(rest.group(1)))),
    }


# Attributes many nodes share: their look, what they are, where they hang.
SHARED_KEYS = (
    "color", "shape", "borderWidth", "font", "shapeProperties", "margin", "widthConstraint",
    "kind", "cat", "anchor", "stage", "status", "fold",
)  # fmt: skip


class _Packer:
    """Shrinks node records for a large map (5,000 enterprises: 5.7 MB -> about a third).

    What many nodes share is stored once: their look (colour, shape, font ...), kind
    and segment in ``shared``, referred to by ``s``; the labels and values of facts in
    ``strings``, facts being flat lists of [label index, value index, ...]. The page
    expands both.
    """

    def __init__(self) -> None:
        self.shared: list[dict[str, Any]] = []
        self._shared_index: dict[str, int] = {}
        self.strings: list[str] = []
        self._string_index: dict[str, int] = {}

    def _intern(self, text: str) -> int:
        index = self._string_index.get(text)
        if index is None:
            index = self._string_index[text] = len(self.strings)
            self.strings.append(text)
        return index

    def node(self, record: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in record.items() if k not in SHARED_KEYS}
        shared = {k: record[k] for k in SHARED_KEYS if k in record}
        key = json.dumps(shared, sort_keys=True)
        if key not in self._shared_index:
            self._shared_index[key] = len(self.shared)
            self.shared.append(shared)
        out["s"] = self._shared_index[key]
        for name in ("x", "y"):
            if name in out:
                out[name] = round(out[name])
        for name in ("facts", "prov"):
            if name in out:
                out[name] = [self._intern(text) for pair in out[name] for text in pair]
        return out


def script_json(data: Any) -> str:
    """JSON safe inside a <script> element: no '<', '>' or '&' can end it or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@cache
def _asset(package: str, name: str) -> str:
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


def vis_script() -> str:
    """vis-network's JavaScript from the copy pyvis ships.

    Its CSS (220 kB, mostly images) styles only the configurator, navigation buttons
    and tooltips, none of which the page uses, so it is left out.
    """
    try:
        js = _asset("pyvis", f"templates/lib/vis-{VIS_VERSION}/vis-network.min.js")
    except FileNotFoundError:
        raise ChainkgError(
            f"pyvis does not ship vis-network {VIS_VERSION}",
            hint="install the pinned pyvis: pip install pyvis==0.3.2",
        ) from None
    if "</script" in js.lower():
        raise ChainkgError("the shipped vis-network cannot be inlined (it contains '</script')")
    return js


def _sha256(text: str) -> str:
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
    )


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("chainkg.viz", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def page_scripts() -> list[str]:
    """The page's scripts, each as it runs: vis-network, the XLSX writer, the map code.

    The map code is the page (``map.js``: data, state, legend, filters, handlers) and the
    first frame (``first_frame.js``: a plain canvas drawn from the laid-out positions),
    which then inserts vis-network and lets the page build it: the page holds vis-network
    unexecuted (``<script type="text/plain">``), and the inserted script has the same text,
    so the same hash in the CSP.
    """
    return [
        vis_script(),
        _asset("chainkg.viz", "static/xlsx.js"),
        _asset("chainkg.viz", "static/map.js") + _asset("chainkg.viz", "static/first_frame.js"),
    ]


def content_security_policy(frame_ancestors: bool = False) -> str:
    """The map pages' CSP: only our scripts (by hash), no request at all.

    ``frame_ancestors`` adds ``frame-ancestors 'none'``, which browsers honour only in a
    response header (the API sends it), not in a meta tag.
    """
    hashes = " ".join(_sha256(js) for js in page_scripts())
    parts = [
        "default-src 'none'",
        f"script-src {hashes}",
        "style-src 'unsafe-inline'",
        "img-src data: blob:",
        "font-src data:",
        "connect-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ]
    if frame_ancestors:
        parts.append("frame-ancestors 'none'")
    return "; ".join(parts)


def render_page(view: MapView) -> str:
    """The map page as one HTML string: no request leaves it, no data string is HTML."""
    vis_js, xlsx_js, page_js = page_scripts()
    page_css = _asset("chainkg.viz", "static/map.css")
    meta = view.meta
    csp = content_security_policy()
    first, rest = split_payload(assemble(view))
    return (
        _environment()
        .get_template("map.html.j2")
        .render(
            csp=csp,
            title=meta["title"],
            short_title=style.truncate(meta["title"], 60),
            subtitle=meta.get("subtitle", ""),
            data_date=meta.get("data_date") or "",
            trail=meta.get("trail") or [],
            synthetic=meta.get("synthetic", False),
            notice=meta.get("notice", ""),
            font_family=style.FONT_FAMILY,
            page_css=page_css,
            vis_js=vis_js,
            xlsx_js=xlsx_js,
            page_js=page_js,
            data_json=script_json(first),
            more_packed=packed_json(rest),
        )
    )


def write_page(html: str, path: Path | str) -> Path:
    """Write the page as UTF-8 (whatever the locale), creating the folder; returns the path."""
    out = Path(path)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(html, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise ChainkgError(
            f"cannot write the map to {out}: {exc.strerror}",
            hint="choose a file in a folder you can write to (-o FILE)",
        ) from None
    return out
