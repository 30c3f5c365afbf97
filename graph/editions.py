"""Roster editions (名单版次) and the stable identity of chains (docs/roster.md).

A roster load is an *edition*: a notice with its 文号, title and the date it takes effect
(``in_force``). Like list versions (docs/versions.md), the **current** edition is the one
with the latest ``in_force``; the graph holds its roster (clusters, chains under them,
units, chairs, chiefs) as ordinary nodes and relationships. Every edition keeps its own
roster as a compressed JSON ``snapshot`` on its ``Document`` node, so the roster in force
at any date can be shown.

Chains are never deleted by a roster load: an id, once given, stays with the chain (its
segments, placements, list entries and problems hang on the node). A chain's id is derived
from the first name it had (``chain:{name}``, as before editions existed, so existing data
keeps its ids); a rename in a later edition changes ``name`` and appends the old name to
``former_names``. A chain a new edition no longer lists gets ``in_force_until``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from chainkg.graph import ids
from chainkg.graph.cypher import Cypher
from chainkg.graph.versions import decode_snapshot, encode_snapshot

Row = dict[str, Any]
Run = Callable[..., list[Row]]
CHAIN_PREFIX = "chain:"
NOTICE = "notice"  # Chain.origin of chains a roster edition lists
REGISTRY = "registry"  # Chain.origin of chains declared by a chains registry file

# Editions are the documents that define the 双长制 roles (a roster notice); one loaded
# before editions existed has no in_force and counts from its 印发 date.
_EDITIONS = Cypher(
    "editions_list",
    "MATCH (d:Document) WHERE d.in_force IS NOT NULL OR EXISTS { MATCH (d)-[:DEFINES]->() } "
    "RETURN d.id AS id, d.number AS number, d.title AS title, d.issued AS issued, "
    "coalesce(d.in_force, d.issued) AS in_force, d.superseded_on AS superseded_on, "
    "d.current AS current ORDER BY in_force, number",
)
_SNAPSHOT = Cypher(
    "editions_snapshot", "MATCH (d:Document {id: $id}) RETURN d.snapshot AS snapshot"
)
_CHAINS = Cypher(
    "editions_chains",
    "MATCH (c:Chain) RETURN c.id AS id, c.name AS name, c.former_names AS former_names, "
    "c.origin AS origin, c.source AS source, c.in_force_from AS in_force_from, "
    "c.in_force_until AS in_force_until ORDER BY id",
)
# A chain's name is copied onto the facts that name it (segments, problems, decisions):
# a rename updates the copies so that name lookups and displays agree with the chain.
_RENAME_COPIES = (
    Cypher(
        "editions_rename_segments",
        "MATCH (:Chain {id: $id})-[:HAS_SEGMENT]->(s:Segment) WHERE s.chain <> $name "
        "SET s.chain = $name RETURN count(s) AS n",
    ),
    Cypher(
        "editions_rename_problems",
        "MATCH (p:Problem) WHERE p.chain IN $old SET p.chain = $name RETURN count(p) AS n",
    ),
    Cypher(
        "editions_rename_decisions",
        "MATCH (d:Decision) WHERE d.chain IN $old SET d.chain = $name RETURN count(d) AS n",
    ),
)


@dataclass(frozen=True)
class Edition:
    """A stored roster edition (without its snapshot)."""

    id: str
    number: str
    title: str
    issued: dt.date | None
    in_force: dt.date
    superseded_on: dt.date | None = None
    current: bool = False


@dataclass(frozen=True)
class ChainRef:
    """A chain node as the edition logic sees it."""

    id: str
    name: str
    former_names: tuple[str, ...] = ()
    origin: str | None = None
    source: str | None = None
    in_force_from: dt.date | None = None
    in_force_until: dt.date | None = None

    @property
    def key(self) -> str:
        """The name the id was derived from (the chain's first name)."""
        return chain_key(self.id)

    @property
    def from_notice(self) -> bool:
        """Listed by a roster edition (chains loaded before editions existed count as notice)."""
        return self.origin in (None, "", NOTICE)


def chain_key(chain_id: str) -> str:
    """The name a chain id was derived from: ``chain:尼龙新材料产业链`` -> ``尼龙新材料产业链``."""
    return chain_id.removeprefix(CHAIN_PREFIX)


def list_editions(run: Run) -> list[Edition]:
    """Every stored roster edition, by in-force date (``run``: ``store.read`` or ``tx.run``)."""
    return [
        Edition(
            r["id"],
            r["number"],
            r["title"] or "",
            r["issued"],
            r["in_force"],
            r["superseded_on"],
            bool(r["current"]),
        )
        for r in run(_EDITIONS)
    ]


def edition_in_force(editions: Iterable[Edition], on: dt.date) -> Edition | None:
    """The edition in force on ``on``: the latest ``in_force <= on`` (None before the first)."""
    found = None
    for e in sorted(editions, key=lambda e: (e.in_force, e.number)):
        if e.in_force <= on:
            found = e
    return found


def current_edition(editions: Iterable[Edition]) -> Edition | None:
    """The edition the graph holds: the latest in force (ties: the higher 文号)."""
    ordered = sorted(editions, key=lambda e: (e.in_force, e.number))
    return ordered[-1] if ordered else None


def superseded_dates(editions: Iterable[Edition]) -> dict[str, dt.date | None]:
    """Edition id -> the in-force date of the edition after it (None for the latest)."""
    ordered = sorted(editions, key=lambda e: (e.in_force, e.number))
    return {
        e.id: (ordered[i + 1].in_force if i + 1 < len(ordered) else None)
        for i, e in enumerate(ordered)
    }


def read_edition_roster(run: Run, edition_id: str) -> dict[str, Any]:
    """The roster an edition listed (the shape of ``chainkg roster --format json``)."""
    rows = run(_SNAPSHOT, {"id": edition_id})
    return decode_snapshot(rows[0]["snapshot"]) if rows else {}


def encode_roster(roster: dict[str, Any]) -> str:
    """Compressed JSON of an edition's roster (keys sorted: the same roster, the same text)."""
    return encode_snapshot(roster)


def list_chains(run: Run) -> list[ChainRef]:
    """Every chain node in the graph, in force or not."""
    return [
        ChainRef(
            r["id"],
            r["name"],
            tuple(r["former_names"] or ()),
            r["origin"],
            r["source"],
            r["in_force_from"],
            r["in_force_until"],
        )
        for r in run(_CHAINS)
    ]


def chain_index(chains: Iterable[ChainRef]) -> dict[str, ChainRef]:
    """Every name a chain answers to -> the chain: its current name, former names and id key.

    Current names win over former ones, so a name reused by a new chain finds the new chain.
    """
    index: dict[str, ChainRef] = {}
    chains = list(chains)
    for c in chains:
        for name in (c.key, *c.former_names):
            index.setdefault(_clean(name), c)
    for c in chains:
        index[_clean(c.name)] = c
    return index


def chain_id_lookup(run: Run) -> Callable[[str], str | None]:
    """A function from a name (current, former, or the id key) to the id of the chain that
    answers to it, None when none does. Ids are stable across renames, so a chain's id must be
    looked up, not derived from a name it was given later."""
    index = chain_index(list_chains(run))

    def lookup(name: str) -> str | None:
        found = index.get(_clean(name))
        return found.id if found else None

    return lookup


def chain_id_for(run: Run, name: str) -> str:
    """The id of the chain ``name`` names; the id derived from ``name`` when no chain answers
    to it, so the caller's own query finds nothing and reports the absence."""
    return chain_id_lookup(run)(name) or ids.chain_id(name)


def ids_from_source(run: Run, label: str, source: str) -> list[str]:
    """Ids of the ``label`` nodes (Chain or Organization) whose source is ``source``."""
    if label not in ("Chain", "Organization"):
        raise ValueError(f"ids_from_source: {label!r} is not Chain or Organization")
    statement = Cypher(
        f"editions_ids_{label}",
        f"MATCH (n:{label}) WHERE n.source = $source RETURN n.id AS id ORDER BY id",
    )
    return [r["id"] for r in run(statement, {"source": source})]


def rename_copies(run: Run, chain_id: str, name: str, old_names: Iterable[str]) -> int:
    """Copy a renamed chain's new name onto the facts that hold its name; rows changed."""
    old = sorted({n for n in old_names if n != name})
    total = 0
    for statement in _RENAME_COPIES:
        rows = run(statement, {"id": chain_id, "name": name, "old": old})
        total += int(rows[0]["n"]) if rows else 0
    return total


def _clean(name: str) -> str:
    return "".join(name.split())
