"""Chain templates (图谱 skeletons) -> segments and FEEDS in the graph.

The templates are reference material shipped with chainkg (or a user's own
folder of them), not facts from the notice: every segment and FEEDS edge records
``source = TEMPLATE_SOURCE`` and the file and entry it came from. A load replaces
the previous template set as a whole, so an edited template leaves no stale
segments behind. The chains themselves come from the roster, which must be
loaded first.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from chainkg.errors import InputError, NotFoundError, Problem
from chainkg.graph import audit, editions, ids
from chainkg.graph.batch import GraphBatch
from chainkg.graph.catalog import query
from chainkg.graph.editions import ChainRef
from chainkg.graph.store import GraphStore
from chainkg.graph.versions import move_segment_facts, segment_placements
from chainkg.loaders.chain_templates import STAGES, ChainTemplate, load_templates

TEMPLATE_SOURCE = "chainkg 图谱参考模板 (chain templates)"
STAGE_RANK = {stage: rank for rank, stage in enumerate(STAGES, 1)}


def keyed_templates(
    templates: list[ChainTemplate], index: Mapping[str, ChainRef]
) -> tuple[list[ChainTemplate], dict[str, str]]:
    """The templates with each chain named by its key (the name its id derives from), and
    key -> the chain's current name (pure).

    A template may name a chain by its current or a former name (docs/roster.md): segment
    ids derive from the key, so a renamed chain keeps its segments and their placements.
    """

    def key_and_name(name: str) -> tuple[str, str]:
        found = index.get(ids.clean_name(name))
        return (found.key, found.name) if found else (name, name)

    def key(name: str) -> str:
        return key_and_name(name)[0]

    names = dict(key_and_name(t.chain) for t in templates)
    out = [
        dataclasses.replace(
            t,
            chain=key(t.chain),
            segments=tuple(dataclasses.replace(s, chain=key(s.chain)) for s in t.segments),
            feeds=tuple(
                dataclasses.replace(f, from_chain=key(f.from_chain), to_chain=key(f.to_chain))
                for f in t.feeds
            ),
        )
        for t in templates
    ]
    return out, names


def templates_batch(
    templates: list[ChainTemplate], loaded_at: str, names: Mapping[str, str] | None = None
) -> GraphBatch:
    """Segment nodes, HAS_SEGMENT and FEEDS rows for a validated template set (pure).

    ``names``: chain key -> current name (``keyed_templates``), for the segments' ``chain``.
    """
    names = names or {}
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
                    "chain": names.get(t.chain, t.chain),
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
    moved: int = 0  # placements moved by a rename map
    dropped: int = 0  # placements dropped with --drop-orphans


def segment_moves(store: GraphStore, templates: list[ChainTemplate]) -> dict[str, str | None]:
    """Segments in the graph the templates no longer have: old id -> new id by a rename map,
    or None (removed)."""
    wanted = {ids.segment_id(t.chain, s.name) for t in templates for s in t.segments}
    renames = {
        ids.segment_id(t.chain, old): ids.segment_id(t.chain, new)
        for t in templates
        for old, new in t.renames
    }
    chains = {ids.chain_id(t.chain) for t in templates}
    have = [
        r["segment_id"]
        for r in store.read(query("lists_chain_segments"))
        if r["segment_id"] is not None and r["chain_id"] in chains
    ]
    return {sid: renames.get(sid) for sid in have if sid not in wanted}


class TemplateOrphansError(InputError):
    """A template change would orphan placements; nothing was written."""


def load_chain_templates(
    store: GraphStore,
    folder: Path | None = None,
    *,
    now: dt.datetime | None = None,
    drop_orphans: bool = False,
    who: str = "cli",
) -> TemplateLoadReport:
    """Validate the templates in ``folder`` (default: the shipped set) and load them atomically.

    A segment that would disappear with enterprises or list entries placed in it is
    refused (TemplateOrphansError listing them), unless the template's ``[renames]`` moves
    them to a new segment or ``drop_orphans`` drops them; the counts are reported.
    """
    index = editions.chain_index(editions.list_chains(store.read))
    known = {c.name for c in index.values()} | {n for c in index.values() for n in c.former_names}
    if not known:
        raise NotFoundError(
            f"no chains in the graph at {store.location}: the templates attach segments to the "
            "roster's chains",
            hint="load the roster first: chainkg load roster",
        )
    paths = sorted(folder.glob("*.toml")) if folder else None
    templates, names = keyed_templates(load_templates(paths, known_chains=known), index)
    loaded_at = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    batch = templates_batch(templates, loaded_at, names)
    moves = segment_moves(store, templates)
    orphans = [
        r for r in segment_placements(store.read, sorted(moves)) if moves[r["segment"]] is None
    ]
    if orphans and not drop_orphans:
        raise TemplateOrphansError(
            [
                Problem(
                    r["segment"].removeprefix("segment:"),
                    f"{r['name']} ({r['label']}) is placed in this segment, which the templates "
                    "no longer have",
                )
                for r in orphans
            ],
            hint='add [renames] 旧环节 = "新环节" to the chain\'s template to move them, or pass '
            "--drop-orphans to drop these placements; nothing was written",
        )
    counts = {"moved": 0, "dropped": 0}
    with store.transaction() as tx:
        if moves:
            tx.upsert_nodes("Segment", batch.nodes["Segment"])  # the new names exist first
            counts = move_segment_facts(tx, moves)
        tx.write(batch)
        if moves:
            audit.record(tx, who, "load_templates", TEMPLATE_SOURCE, {**counts, "segments": moves})
    feeds = next(r.rows for r in batch.rels if r.type == "FEEDS")
    report = TemplateLoadReport(
        chains=len(templates),
        segments=len(batch.nodes["Segment"]),
        feeds=len(feeds),
        cross_chain_feeds=sum(1 for f in feeds if f["cross_chain"]),
        moved=counts["moved"],
        dropped=counts["dropped"],
    )
    log.info("chain templates loaded", extra={**vars(report), "store": store.dialect})
    return report
