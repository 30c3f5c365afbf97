"""``chainkg map --all``: every map as a linked set of files with an index page.

roster -> cluster -> chain -> enterprise: each page links to the next level with plain
relative links, so the set works from a folder or a USB stick (file://, no server).
Enterprise maps are written for the firms that have supply links (SUPPLIES), leaders
first, up to ``max_orgs``; a firm without a map simply has no link.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import jinja2

from chainkg.graph.store import GraphStore
from chainkg.queries import maps as data
from chainkg.viz import maps
from chainkg.viz.page import write_page

INDEX = jinja2.Environment(autoescape=True).from_string(
    """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>产业链图谱索引</title>
<style>body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;
margin:24px;color:#212529;max-width:1000px}h1{font-size:24px}h2{font-size:18px;margin-top:24px}
a{color:#0b5394}li{margin:4px 0}.badge{background:#fff3bf;color:#8f4a00;border:1px solid #e67700;
padding:1px 6px;border-radius:4px;font-size:13px}.muted{color:#6c757d;font-size:13px}
ul.orgs{columns:3;column-gap:24px}@media (max-width:700px){ul.orgs{columns:1}}</style></head>
<body><h1>产业链图谱 {% if synthetic %}<span class="badge" id="synthetic-mark">示例数据</span>{% endif %}</h1>
<p class="muted">共 {{ count }} 张图谱，离线打开，无需服务器。</p>
<h2>双长制</h2><ul><li><a href="{{ roster }}">双长制组织图谱</a></li></ul>
{% for cluster in clusters %}<h2><a href="{{ cluster.href }}">{{ cluster.name }}集群</a></h2>
<ul>{% for chain in cluster.chains %}<li><a href="{{ chain.href }}">{{ chain.name }}</a></li>{% endfor %}</ul>
{% endfor %}
{% if orgs %}<h2>企业上下游图谱（{{ orgs | length }}）</h2><ul class="orgs">
{% for org in orgs %}<li><a href="{{ org.href }}">{{ org.name }}</a></li>{% endfor %}</ul>{% endif %}
</body></html>
"""
)


def write_map_set(
    store: GraphStore,
    out_dir: Path | str,
    statuses: maps.StatusSource | None = maps.segment_findings,
    budget: int = maps.DEFAULT_BUDGET,
    hops: int = 2,
    max_orgs: int = 100,
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """Write index.html, the roster, every cluster, every chain and the enterprise maps of up
    to ``max_orgs`` firms with supply links into ``out_dir``; returns the files written.
    ``budget`` is the chain maps' node budget."""
    out = Path(out_dir)
    clusters = [r["name"] for r in data.cluster_rows(store)]
    chains = data.chain_rows(store)
    orgs = data.linked_orgs(store, max_orgs)
    files: dict[tuple[str, str], str] = {("index", ""): "index.html", ("roster", ""): "roster.html"}
    for i, name in enumerate(clusters, 1):
        files[("cluster", name)] = f"cluster-{i:02d}-{maps.safe_filename(name)}.html"
    for i, row in enumerate(chains, 1):
        files[("chain", row["name"])] = f"chain-{i:02d}-{maps.safe_filename(row['name'])}.html"
    for i, row in enumerate(orgs, 1):
        files[("org", row["id"])] = f"org-{i:04d}.html"

    def linker(kind: str, key: str) -> str | None:
        return files.get((kind, key))

    def note(text: str) -> None:
        if progress:
            progress(text)

    written = []
    note("双长制")
    written.append(write_page(maps.roster_map_html(store, linker), out / files[("roster", "")]))
    for name in clusters:
        note(name)
        html = maps.cluster_map_html(store, name, linker)
        written.append(write_page(html, out / files[("cluster", name)]))
    for row in chains:
        note(row["name"])
        found = statuses(store, row["name"]) if statuses else {}
        html = maps.chain_map_html(store, row["name"], found, budget, linker)
        written.append(write_page(html, out / files[("chain", row["name"])]))
    for row in orgs:
        note(row["name"])
        html = maps.enterprise_map_html(store, row["id"], hops, linker=linker)
        written.append(write_page(html, out / files[("org", row["id"])]))
    by_cluster = [
        {
            "name": name,
            "href": files[("cluster", name)],
            "chains": [
                {"name": r["name"], "href": files[("chain", r["name"])]}
                for r in chains
                if r["cluster"] == name
            ],
        }
        for name in clusters
    ]
    loose = [r for r in chains if r["cluster"] not in clusters]
    if loose:
        by_cluster.append(
            {
                "name": "未归集群的",
                "href": "#",
                "chains": [{"name": r["name"], "href": files[("chain", r["name"])]} for r in loose],
            }
        )
    index = INDEX.render(
        roster=files[("roster", "")],
        clusters=by_cluster,
        orgs=[{"name": r["name"], "href": files[("org", r["id"])]} for r in orgs],
        count=len(written),
        synthetic=any(r.get("synthetic") for r in orgs) or data.any_synthetic(store),
    )
    written.insert(0, write_page(index, out / "index.html"))
    return written
