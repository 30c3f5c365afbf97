"""Chain templates (图谱 skeletons) -> segments and FEEDS in the graph.

The templates are reference material shipped with chainkg (or a user's own
folder of them), not facts from the notice: every segment and FEEDS edge records
``source = TEMPLATE_SOURCE`` and the file and entry it came from. A load replaces
the previous template set as a whole, so an edited template leaves no stale
segments behind. The chains themselves come from the roster, which must be
loaded first.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from chainkg.errors import NotFoundError
from chainkg.graph import ids
from chainkg.graph.batch import GraphBatch
from chainkg.graph.catalog import query
from chainkg.graph.store import GraphStore
from chainkg.loaders.chain_templates import STAGES, ChainTemplate, load_templates

TEMPLATE_SOURCE = "chainkg 图谱参考模板 (chain templates)"
STAGE_RANK = {stage: rank for rank, stage in enumerate(STAGES, 1)}


def templates_batch(templates: list[ChainTemplate], loaded_at: str) -> GraphBatch:
    """Segment nodes, HAS_SEGMENT and FEEDS rows for a validated template set (pure)."""
    prov = {"source": TEMPLATE_SOURCE, "loaded_at": loaded_at}
    b = GraphBatch(replaces=TEMPLATE_SOURCE)
    segments, has_segment, feeds = [], [], []
    for t in templates:
        chain_id = ids.chain_id(t.chain)
        for s in t.segments:
            sid = ids.segment_id(t.chain, s.name)
            segments.append(
                {
                    "id": sid,
                    "name": s.name,
                    "chain": t.chain,
                    "stage": s.stage,
                    "stage_rank": STAGE_RANK[s.stage],
                    "position": s.order,
                    "description": s.description,
                    "industry_codes": list(s.industry_codes),
                    **prov,
                    "source_ref": s.source,
                }
            )
            has_segment.append({"from_id": chain_id, "to_id": sid, **prov, "source_ref": s.source})
        for f in t.feeds:
            feeds.append(
                {
                    "from_id": ids.segment_id(f.from_chain, f.from_segment),
                    "to_id": ids.segment_id(f.to_chain, f.to_segment),
                    "product": f.product,
                    "cross_chain": f.from_chain != f.to_chain,
                    "loop_back": f.cycle_ok,
                    **prov,
                    "source_ref": f.source,
                }
            )
    b.add_nodes("Segment", segments)
    b.add_rels("HAS_SEGMENT", "Chain", "Segment", has_segment)
    b.add_rels("FEEDS", "Segment", "Segment", feeds)
    return b


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TemplateLoadReport:
    """What a template load wrote."""

    chains: int
    segments: int
    feeds: int
    cross_chain_feeds: int


def load_chain_templates(
    store: GraphStore, folder: Path | None = None, *, now: dt.datetime | None = None
) -> TemplateLoadReport:
    """Validate the templates in ``folder`` (default: the shipped set) and load them atomically."""
    known = {r["name"] for r in store.read(query("chain_names"))}
    if not known:
        raise NotFoundError(
            f"no chains in the graph at {store.location}: the templates attach segments to the "
            "roster's chains",
            hint="load the roster first: chainkg load roster",
        )
    paths = sorted(folder.glob("*.toml")) if folder else None
    templates = load_templates(paths, known_chains=known)
    loaded_at = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    batch = templates_batch(templates, loaded_at)
    with store.transaction() as tx:
        tx.write(batch)
    feeds = next(r.rows for r in batch.rels if r.type == "FEEDS")
    report = TemplateLoadReport(
        chains=len(templates),
        segments=len(batch.nodes["Segment"]),
        feeds=len(feeds),
        cross_chain_feeds=sum(1 for f in feeds if f["cross_chain"]),
    )
    log.info("chain templates loaded", extra={**vars(report), "store": store.dialect})
    return report
