"""List versions (清单版本): store them, switch the graph between them, read as of a date.

The contract is docs/versions.md. In short: a version is keyed by (kind, chain, as_of); its
content (every entry it lists, with the values and links it claims) is kept on its
``ListVersion`` node as a compressed snapshot; the graph holds only the facts of the
versions in force now, materialised as ordinary nodes and relationships tagged with
``version``. ``Materialiser`` moves the graph from one set of versions in force to another;
``graph_as_of`` gives the graph as it stood at a date; ``versions_in_force`` says which
versions those are.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import json
import shutil
import tempfile
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from chainkg.errors import ChainkgError, NotFoundError
from chainkg.graph.claims import Claim, resolve
from chainkg.graph.cypher import Cypher
from chainkg.graph.schema import CLAIM_PROPS, SCHEMA

Row = dict[str, Any]
Run = Callable[..., list[Row]]
VersionKey = tuple[str, str]  # (kind, chain name); chain "*" for supplies
ALL_CHAINS = "*"
_CLAIM_META = frozenset(p.name for p in CLAIM_PROPS)
_LINK_TARGET = {"LOCATED_IN": "City", "IN_PARK": "Park", "CONCERNS": "Organization"}


class ClaimConflictError(ChainkgError):
    """A unit's write disagrees with another owner's claim (HTTP 409); nothing was written."""

    def __init__(self, conflicts: list[Row]) -> None:
        shown = "; ".join(
            f"{c['entity']} {c['field']}: yours {c['yours']!r}, {c['owner']} claims {c['theirs']!r}"
            for c in conflicts[:10]
        )
        more = f" ... and {len(conflicts) - 10} more" if len(conflicts) > 10 else ""
        super().__init__(
            f"{len(conflicts)} value(s) disagree with other owners' claims: {shown}{more}",
            hint="a unit key writes only its own chains' facts: give the same value as the "
            "other claim, leave the cell empty, or ask an admin (chainkg conflicts)",
        )
        self.conflicts = conflicts


class ForbiddenWriteError(ChainkgError):
    """The writer may not write this chain's versions (HTTP 403); nothing was written."""


def version_id(kind: str, chain: str, as_of: dt.date) -> str:
    """Id of the version (kind, chain, as_of)."""
    return f"version:{kind}:{chain}:{as_of.isoformat()}"


# ------------------------------------------------------------------ snapshots


_ORJSON_OPTS = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


def encode_snapshot(entries: Mapping[str, Row]) -> str:
    """Compressed JSON text of a version's entries (keys sorted: equal content, equal text).

    orjson (5x faster than json on a 100,000-entry list); dates and times go through
    ``str`` as with json's ``default=str``, and what orjson refuses (an integer beyond
    64 bits) falls back to json: either text decodes to the same entries.
    """
    try:
        raw = orjson.dumps(entries, default=str, option=_ORJSON_OPTS)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        raw = json.dumps(entries, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
    return base64.b64encode(zlib.compress(raw, 6)).decode("ascii")


def decode_snapshot(text: str | None) -> dict[str, Row]:
    """The entries of an encoded snapshot."""
    if not text:
        return {}
    return orjson.loads(zlib.decompress(base64.b64decode(text)))


@dataclass
class VersionContent:
    """What one version of (kind, chain) lists: entries by id."""

    kind: str
    chain: str
    as_of: dt.date
    entries: dict[str, Row] = field(default_factory=dict)
    chain_id: str | None = None
    files: list[str] = field(default_factory=list)
    synthetic: bool = False
    loaded_at: str = ""

    @functools.cached_property
    def id(self) -> str:
        """The version id (kind, chain and as_of do not change once made)."""
        return version_id(self.kind, self.chain, self.as_of)

    @property
    def key(self) -> VersionKey:
        """(kind, chain)."""
        return (self.kind, self.chain)


@dataclass(frozen=True)
class VersionInfo:
    """A stored version without its content."""

    id: str
    kind: str
    chain: str
    as_of: dt.date
    owner: str | None
    owner_org: str | None
    loaded_at: str
    updated_at: str | None
    rows: int
    files: tuple[str, ...]

    @property
    def key(self) -> VersionKey:
        """(kind, chain)."""
        return (self.kind, self.chain)

    def to_dict(self) -> Row:
        """The JSON shape of a version."""
        return {
            "id": self.id,
            "kind": self.kind,
            "chain": self.chain,
            "as_of": self.as_of.isoformat(),
            "owner": self.owner,
            "owner_org": self.owner_org,
            "loaded_at": self.loaded_at,
            "updated_at": self.updated_at,
            "rows": self.rows,
            "files": list(self.files),
        }


_LIST_VERSIONS = Cypher(
    "versions_list",
    "MATCH (v:ListVersion) RETURN v.id AS id, v.kind AS kind, v.chain AS chain, "
    "v.as_of AS as_of, v.owner AS owner, v.owner_org AS owner_org, v.loaded_at AS loaded_at, "
    "v.updated_at AS updated_at, v.rows AS rows, v.files AS files ORDER BY kind, chain, as_of",
)
_SNAPSHOT = Cypher(
    "versions_snapshot",
    "MATCH (v:ListVersion {id: $id}) RETURN v.kind AS kind, v.chain AS chain, v.as_of AS as_of, "
    "v.snapshot AS snapshot, v.files AS files, v.loaded_at AS loaded_at, "
    "v.synthetic AS synthetic",
)
_CHAIN_ID = Cypher("versions_chain_id", "MATCH (c:Chain {name: $name}) RETURN c.id AS id")
_RESOLUTIONS = Cypher(
    "versions_resolutions",
    "MATCH (r:ClaimResolution) RETURN r.entity AS entity, r.field AS field, r.value AS value",
)


def list_versions(run: Run) -> list[VersionInfo]:
    """Every stored version (``run``: ``store.read`` or ``tx.run``), by kind, chain, as_of."""
    return [
        VersionInfo(
            r["id"],
            r["kind"],
            r["chain"],
            r["as_of"],
            r["owner"],
            r["owner_org"],
            r["loaded_at"] or "",
            r["updated_at"],
            int(r["rows"] or 0),
            tuple(r["files"] or ()),
        )
        for r in run(_LIST_VERSIONS)
    ]


def in_force(
    versions: Iterable[VersionInfo], as_of: dt.date | None = None
) -> dict[VersionKey, VersionInfo]:
    """For each (kind, chain): the version with the latest as_of (``<= as_of`` when given)."""
    out: dict[VersionKey, VersionInfo] = {}
    for v in versions:
        if as_of is not None and v.as_of > as_of:
            continue
        have = out.get(v.key)
        if have is None or v.as_of > have.as_of:
            out[v.key] = v
    return out


@dataclass(frozen=True)
class InForce:
    """The versions in force at ``as_of`` (None: now): version id per (kind, chain)."""

    as_of: dt.date | None
    versions: Mapping[VersionKey, str]

    @property
    def fingerprint(self) -> str:
        """A stable text naming the versions in force (a cache key for read projections)."""
        return "|".join(sorted(self.versions.values()))

    def ids(self) -> list[str]:
        """The version ids, sorted: pass them to a query as ``$versions`` to filter facts by
        ``version IN $versions OR version IS NULL`` (only useful on an as-of copy; the live
        graph holds only the current versions' facts)."""
        return sorted(self.versions.values())


def versions_in_force(store: Any, as_of: dt.date | None = None) -> InForce:
    """The versions in force at ``as_of`` (None: now). The one function other modules call."""
    chosen = in_force(list_versions(store.read), as_of)
    return InForce(as_of, {k: v.id for k, v in chosen.items()})


def read_content(run: Run, vid: str) -> VersionContent | None:
    """A stored version's content (None when there is no such version)."""
    rows = run(_SNAPSHOT, {"id": vid})
    if not rows:
        return None
    r = rows[0]
    chain_rows = run(_CHAIN_ID, {"name": r["chain"]}) if r["chain"] != ALL_CHAINS else []
    return VersionContent(
        r["kind"],
        r["chain"],
        r["as_of"],
        decode_snapshot(r["snapshot"]),
        chain_rows[0]["id"] if chain_rows else None,
        list(r["files"] or ()),
        bool(r["synthetic"]),
        r["loaded_at"] or "",
    )


# ------------------------------------------------------------------ materialising


def _exclusive_rels(content: VersionContent) -> dict[tuple[str, str, str], dict[tuple, Row]]:
    """The relationships only this version asserts, by (type, from, to) and identity."""
    out: dict[tuple[str, str, str], dict[tuple, Row]] = defaultdict(dict)
    for eid, e in content.entries.items():
        prov = _prov(content, e)
        label = e["label"]
        if label == "SUPPLIES":
            row = {"from_id": e["from"], "to_id": e["to"], "product": e["product"], **prov}
            row.update(e.get("values") or {})
            out[("SUPPLIES", "Organization", "Organization")][
                (e["from"], e["to"], e["product"])
            ] = row
            continue
        if label == "Organization":
            for seg in e.get("segments") or ():
                row = {"from_id": eid, "to_id": seg, "inferred": bool(e.get("inferred")), **prov}
                out[("OPERATES_IN", label, "Segment")][(eid, seg)] = row
            continue
        if content.chain_id is not None:
            out[("LISTED_FOR", label, "Chain")][(eid, content.chain_id)] = {
                "from_id": eid,
                "to_id": content.chain_id,
                **prov,
            }
        for seg in e.get("segments") or ():
            out[("IN_SEGMENT", label, "Segment")][(eid, seg)] = {
                "from_id": eid,
                "to_id": seg,
                **prov,
            }
    return out


def _prov(content: VersionContent, entry: Row) -> Row:
    return {
        "source": entry.get("source"),
        "source_ref": entry.get("ref"),
        "as_of": content.as_of,
        "loaded_at": content.loaded_at,
        "synthetic": content.synthetic,
        "version": content.id,
    }


def _delete_rels(rel_type: str, a: str, b: str, keyed: bool) -> Cypher:
    extra = " AND e.product = p.product" if keyed else ""
    return Cypher(
        f"versions_delete_{rel_type}",
        f"UNWIND $pairs AS p MATCH (x:{a} {{id: p.from_id}})-[e:{rel_type}]->(y:{b} {{id: p.to_id}}) "
        f"WHERE e.version = $version{extra} DELETE e",
    )


def _links_of(label: str, rel_type: str) -> Cypher:
    target = _LINK_TARGET[rel_type]
    return Cypher(
        f"versions_links_{label}_{rel_type}",
        f"UNWIND $ids AS i MATCH (n:{label} {{id: i}})-[e:{rel_type}]->(m:{target}) "
        "RETURN n.id AS from_id, m.id AS to_id, e.version AS version, e.source_ref AS ref"
        + (", e.role AS role" if rel_type == "CONCERNS" else ""),
    )


def _delete_link(label: str, rel_type: str) -> Cypher:
    target = _LINK_TARGET[rel_type]
    return Cypher(
        f"versions_unlink_{label}_{rel_type}",
        f"UNWIND $pairs AS p MATCH (n:{label} {{id: p.from_id}})-[e:{rel_type}]->"
        f"(m:{target} {{id: p.to_id}}) DELETE e",
    )


def _delete_isolated(label: str) -> Cypher:
    return Cypher(
        f"versions_delete_isolated_{label}",
        f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) WHERE NOT EXISTS {{ MATCH (n)--() }} "
        "DELETE n RETURN count(*) AS deleted",
    )


def _delete_isolated_stub(label: str) -> Cypher:
    # a city or park a list row named and created (version set) that nothing points to now
    return Cypher(
        f"versions_delete_stub_{label}",
        f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) WHERE n.version IS NOT NULL "
        "AND NOT EXISTS { MATCH (n)--() } DELETE n RETURN count(*) AS deleted",
    )


def _existing_ids(label: str) -> Cypher:
    return Cypher(
        f"versions_existing_{label}",
        f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN n.id AS id",
    )


def _node_state(label: str) -> Cypher:
    cols = ", ".join(f"n.{p.name} AS {p.name}" for p in SCHEMA.node(label).all_props)
    return Cypher(
        f"versions_state_{label}", f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN {cols}"
    )


def _claim_fields(label: str) -> list[str]:
    return [p.name for p in SCHEMA.node(label).props if p.name not in _CLAIM_META]


@dataclass
class SwitchReport:
    """What moving the graph between versions did."""

    entities: int = 0
    deleted_entities: int = 0
    rels_deleted: int = 0
    rels_written: int = 0
    conflicts: list[Row] = field(default_factory=list)


class Materialiser:
    """Moves the graph of a transaction from some versions in force to others.

    Queue ``switch(old, new)`` per (kind, chain) — ``old`` the content in force now (None:
    none), ``new`` the content to be in force (None: none) — then ``apply()``. Only the
    facts of those keys and the claims on the entities they name change.
    """

    def __init__(self, tx: Any, now: str, preinserted: frozenset[str] = frozenset()) -> None:
        self.tx = tx
        self.now = now
        # Entities written before the transaction with all their facts (graph/preinsert.py).
        self.preinserted = preinserted
        self.switches: list[tuple[VersionContent | None, VersionContent | None]] = []
        self.touched: dict[str, str] = {}  # entity id -> label, recomputed without a switch
        self._contents: dict[str, VersionContent] = {}
        self._loaded_at: dict[str, str] = {v.id: v.loaded_at for v in list_versions(tx.run)}
        # Entities this apply creates: their nodes, relationships and links cannot exist yet,
        # so they are inserted, not merged, and their links are not looked up (issue 12, speed).
        self._created: set[str] = set()

    def switch(self, old: VersionContent | None, new: VersionContent | None) -> None:
        """Queue: the key's facts go from ``old``'s to ``new``'s."""
        if old is not None:
            self._contents.setdefault(old.id, old)
        if new is not None:
            self._contents[new.id] = new
            self._loaded_at[new.id] = new.loaded_at or self._loaded_at.get(new.id) or self.now
        self.switches.append((old, new))

    def touch(self, label: str, entity_id: str) -> None:
        """Queue: recompute this entity's values from its claims (after a resolution)."""
        self.touched[entity_id] = label

    def _content(self, vid: str) -> VersionContent | None:
        if vid not in self._contents:
            content = read_content(self.tx.run, vid)
            if content is None:
                return None
            self._contents[vid] = content
        return self._contents[vid]

    def apply(self, strict_owners: set[str] | None = None) -> SwitchReport:
        """Write the queued switches; with ``strict_owners`` (the versions a unit writes),
        raise ClaimConflictError when their claims disagree with another owner's."""
        report = SwitchReport()
        removed: dict[str, set[str]] = defaultdict(set)  # entity -> versions no longer claiming
        added: dict[str, set[str]] = defaultdict(set)
        labels: dict[str, str] = {}
        mentioned_links: dict[str, set[str]] = defaultdict(set)
        for old, new in self.switches:
            for content, bucket in ((old, removed), (new, added)):
                if content is None:
                    continue
                for eid, e in content.entries.items():
                    if e["label"] == "SUPPLIES":
                        continue
                    bucket[eid].add(content.id)
                    labels[eid] = e["label"]
                    mentioned_links[eid].update((e.get("links") or {}).keys())
        for eid, label in self.touched.items():
            labels.setdefault(eid, label)
        by_label: dict[str, list[str]] = defaultdict(list)
        for eid, label in labels.items():
            by_label[label].append(eid)
        resolutions: dict[str, dict[str, Any]] = defaultdict(dict)
        if labels:
            for r in self.tx.run(_RESOLUTIONS):
                resolutions[r["entity"]][r["field"]] = json.loads(r["value"])
        deletable: dict[str, list[str]] = defaultdict(list)
        link_plan: dict[tuple[str, str], dict[str, Any]] = defaultdict(dict)
        node_rows: dict[str, list[Row]] = defaultdict(list)
        problems: list[Row] = []
        for label, ids in by_label.items():
            # preinserted entities are skipped below: reading their state would cost more
            # than the rest of the apply (100,000 rows of every property)
            asked = sorted(i for i in ids if i not in self.preinserted)
            state = (
                {r["id"]: r for r in self.tx.run(_node_state(label), {"ids": asked})}
                if asked
                else {}
            )
            self._created.update(i for i in asked if i not in state)
            fields = _claim_fields(label)
            for eid in sorted(ids):
                if eid in self.preinserted:  # written already, exactly as below would
                    report.entities += 1
                    continue
                node = state.get(eid)
                before = list(node["claimed_by"] or []) if node else []
                owners = [v for v in before if v not in removed[eid] or v in added[eid]]
                owners += sorted(v for v in added[eid] if v not in owners)
                owners.sort(key=lambda v: (self._loaded_at.get(v, ""), v))
                base = _base(node, fields)
                claims = []
                for vid in owners:
                    content = self._content(vid)
                    entry = content.entries.get(eid) if content else None
                    if entry is not None:
                        claims.append(
                            Claim(vid, entry.get("values") or {}, entry.get("links") or {})
                        )
                resolved = resolve(claims, base, resolutions.get(eid))
                if strict_owners:
                    problems += _strict_conflicts(eid, resolved.conflicts, strict_owners)
                report.entities += 1
                managed = mentioned_links[eid] | {k for c in claims for k in c.links}
                if not claims:
                    if node is None or node["version"] is not None or node["base_claim"] is None:
                        deletable[label].append(eid)
                        for link in managed:
                            link_plan[(label, link)][eid] = (None, None)
                        continue
                    # a roster entity no list names any more: back to the roster's values
                    row = {"id": eid, **{f: base.get(f) for f in fields}}
                    row.update(claimed_by=[], conflicts=[], base_claim=None)
                    node_rows[label].append(row)
                    for link in managed:
                        link_plan[(label, link)][eid] = (None, None)
                    continue
                first = claims[0]
                first_entry = self._contents[first.owner].entries[eid]
                row = {"id": eid}
                row.update({f: resolved.values.get(f) for f in fields if f in resolved.values})
                row["claimed_by"] = owners
                row["conflicts"] = sorted(resolved.conflicts)
                if base is not None:
                    row["base_claim"] = json.dumps(base, ensure_ascii=False, sort_keys=True)
                else:
                    first_content = self._contents[first.owner]
                    row.update(_prov(first_content, first_entry))
                    row["loaded_at"] = self.now
                node_rows[label].append(row)
                for link in managed:
                    link_plan[(label, link)][eid] = (
                        resolved.links.get(link),
                        resolved.origin.get(f"@{link}"),
                    )
                if resolved.conflicts:
                    report.conflicts.append({"entity": eid, "fields": sorted(resolved.conflicts)})
        if problems:
            raise ClaimConflictError(sorted(problems, key=lambda c: (c["entity"], c["field"])))
        self._write_nodes(node_rows)
        self._write_exclusive(report)
        unlinked = self._write_links(link_plan, report)
        for label, ids in deletable.items():
            rows = self.tx.run(_delete_isolated(label), {"ids": ids})
            report.deleted_entities += int(rows[0]["deleted"]) if rows else 0
        for label, ids in unlinked.items():
            if label != "Organization":
                self.tx.run(_delete_isolated_stub(label), {"ids": sorted(ids)})
        return report

    def _write_nodes(self, node_rows: Mapping[str, list[Row]]) -> None:
        for label, rows in node_rows.items():
            new = [r for r in rows if r["id"] in self._created]
            known = [r for r in rows if r["id"] not in self._created]
            if new:
                self.tx.insert_nodes(label, new)
            if known:
                self.tx.upsert_nodes(label, known)

    def _write_exclusive(self, report: SwitchReport) -> None:
        for old, new in self.switches:
            before = _exclusive_rels(old) if old is not None else {}
            after = _exclusive_rels(new) if new is not None else {}
            for (rel_type, a, b), rows in before.items():
                keep = (
                    after.get((rel_type, a, b), {}) if new is not None and new.id == old.id else {}
                )
                stale = [
                    {"from_id": r["from_id"], "to_id": r["to_id"], "product": r.get("product")}
                    for ident, r in rows.items()
                    if ident not in keep
                ]
                if stale:
                    self.tx.run(
                        _delete_rels(rel_type, a, b, rel_type == "SUPPLIES"),
                        {"pairs": stale, "version": old.id},
                    )
                    report.rels_deleted += len(stale)
            for (rel_type, a, b), rows in after.items():
                pre = self.preinserted
                new, known = self._split(r for r in rows.values() if r["from_id"] not in pre)
                if new:
                    report.rels_written += self.tx.insert_rels(rel_type, a, b, new)
                if known:
                    report.rels_written += self.tx.upsert_rels(rel_type, a, b, known)

    def _split(self, rows: Iterable[Row]) -> tuple[list[Row], list[Row]]:
        """(rows touching an entity created by this apply, the others)."""
        new: list[Row] = []
        known: list[Row] = []
        created = self._created
        for r in rows:
            (new if r["from_id"] in created or r["to_id"] in created else known).append(r)
        return new, known

    def _write_links(
        self, plan: Mapping[tuple[str, str], dict[str, Any]], report: SwitchReport
    ) -> dict[str, set[str]]:
        """Write the planned links; returns the targets that lost a link, by label."""
        unlinked: dict[str, set[str]] = defaultdict(set)
        for (label, link), wanted in plan.items():
            if not SCHEMA.rel(link).joins(label, _LINK_TARGET[link]) or not wanted:
                continue
            old_ids = sorted(i for i in wanted if i not in self._created)
            have = self.tx.run(_links_of(label, link), {"ids": old_ids}) if old_ids else []
            stale = []
            present: set[str] = set()
            for r in have:
                value, owner = wanted[r["from_id"]]
                if _target(value) == r["to_id"] and (
                    link != "CONCERNS" or _role(value) == r["role"]
                ):
                    content = self._contents.get(owner or "")
                    entry = content.entries.get(r["from_id"]) if content else None
                    if r["version"] == owner and r["ref"] == (entry or {}).get("ref"):
                        present.add(r["from_id"])  # else rewritten: its claim changed
                else:
                    stale.append({"from_id": r["from_id"], "to_id": r["to_id"]})
            if stale:
                self.tx.run(_delete_link(label, link), {"pairs": stale})
                report.rels_deleted += len(stale)
                unlinked[_LINK_TARGET[link]].update(p["to_id"] for p in stale)
            rows = []
            stubs: list[Row] = []
            for eid, (value, owner) in wanted.items():
                target = _target(value)
                if target is None or eid in present:
                    continue
                content = self._contents.get(owner or "")
                row = {"from_id": eid, "to_id": target}
                if content is not None:
                    row.update(_prov(content, content.entries[eid]))
                row["loaded_at"] = self.now
                if link != "CONCERNS":
                    stubs.append({**row, "id": target})
                if link == "CONCERNS":
                    row["role"] = _role(value)
                rows.append(row)
            if stubs:
                self._ensure_places(_LINK_TARGET[link], stubs)
            new, known = self._split(rows)
            if new:
                report.rels_written += self.tx.insert_rels(link, label, _LINK_TARGET[link], new)
            if known:
                report.rels_written += self.tx.upsert_rels(link, label, _LINK_TARGET[link], known)
        return unlinked

    def _ensure_places(self, label: str, wanted: list[Row]) -> None:
        """Create the cities or parks a claim links to that the graph no longer has (a list
        made them, and they went when nothing pointed to them)."""
        have = {
            r["id"]
            for r in self.tx.run(_existing_ids(label), {"ids": sorted({w["id"] for w in wanted})})
        }
        rows: dict[str, Row] = {}
        for w in wanted:
            if w["id"] in have or w["id"] in rows:
                continue
            name = w["id"].split(":", 1)[1]
            rows[w["id"]] = {
                "id": w["id"],
                "name": name,
                **{
                    k: w.get(k)
                    for k in ("source", "source_ref", "as_of", "loaded_at", "synthetic", "version")
                },
            }
        if rows:
            self.tx.upsert_nodes(label, list(rows.values()))


def _target(value: Any) -> str | None:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _role(value: Any) -> str | None:
    return value[1] if isinstance(value, list) and len(value) > 1 else None


def _base(node: Row | None, fields: list[str]) -> dict[str, Any] | None:
    """The roster's (non-list) values of an existing node, kept once a list names it."""
    if node is None:
        return None
    if node.get("base_claim") is not None:
        return json.loads(node["base_claim"])
    if node.get("version") is not None or node.get("claimed_by"):
        return None
    return {f: node[f] for f in fields if node.get(f) is not None}


def _strict_conflicts(
    eid: str, conflicts: Mapping[str, list[tuple[str, Any]]], mine: set[str]
) -> list[Row]:
    out = []
    for name, given in conflicts.items():
        yours = [v for owner, v in given if owner in mine]
        theirs = [(owner, v) for owner, v in given if owner not in mine]
        for value in yours:
            for owner, other in theirs:
                if other != value:
                    out.append(
                        {
                            "entity": eid,
                            "field": name.lstrip("@"),
                            "yours": value,
                            "owner": owner,
                            "theirs": other,
                        }
                    )
                    break
            else:
                continue
            break
    return out


# ------------------------------------------------------------------ as of a date


def changed_keys(
    now: Mapping[VersionKey, VersionInfo], then: Mapping[VersionKey, VersionInfo]
) -> list[VersionKey]:
    """The (kind, chain) keys whose version in force differs between ``now`` and ``then``."""
    return [
        k
        for k in set(now) | set(then)
        if (now.get(k) and now[k].id) != (then.get(k) and then[k].id)
    ]


_SNAPSHOTS = Cypher(
    "versions_snapshots",
    "MATCH (v:ListVersion) WHERE v.id IN $ids RETURN v.id AS id, v.snapshot AS snapshot "
    "ORDER BY id",
)


def as_of_content_key(store: Any, as_of: dt.date) -> str | None:
    """A text naming the content of the list versions in force at ``as_of`` (their ids and a
    sha256 of each one's stored snapshot, so that a version reloaded under the same id with
    other content gives another text), or None when ``graph_as_of(store, as_of)`` is the
    live graph (no version differs from those in force now)."""

    versions = list_versions(store.read)
    then = in_force(versions, as_of)
    if not changed_keys(in_force(versions), then):
        return None
    ids = sorted(v.id for v in then.values())
    rows = store.read(_SNAPSHOTS, {"ids": ids}) if ids else []
    parts = [
        f"{r['id']}={hashlib.sha256((r['snapshot'] or '').encode('utf-8')).hexdigest()}"
        for r in rows
    ]
    return f"{as_of.isoformat()}|" + "|".join(parts)


@contextmanager
def graph_as_of(store: Any, as_of: dt.date | None) -> Iterator[Any]:
    """The graph as it stood at ``as_of`` (None: now), as a GraphStore to read.

    When the versions in force then are those in force now, this is ``store`` itself.
    Otherwise a temporary embedded copy in which each differing (kind, chain) is switched
    to the version it had then; the copy is deleted when the block ends.
    """
    versions = list_versions(store.read)
    now = in_force(versions)
    then = in_force(versions, as_of) if as_of is not None else now
    changed = changed_keys(now, then)
    if not changed:
        yield store
        return
    from chainkg.graph.copy import copy_graph
    from chainkg.graph.embedded import EmbeddedStore

    folder = Path(tempfile.mkdtemp(prefix="chainkg-asof-"))
    try:
        # An embedded graph is copied file by file (seconds at 1M enterprises); another
        # store row by row into a new embedded graph.
        fast = isinstance(store, EmbeddedStore)
        target = store.copy_files_to(folder / "graph") if fast else EmbeddedStore(folder / "graph")
        with target as copy:
            if not fast:
                copy_graph(store, copy)
            with copy.transaction() as tx:
                m = Materialiser(tx, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
                for key in sorted(changed):
                    old = read_content(tx.run, now[key].id) if key in now else None
                    new = read_content(tx.run, then[key].id) if key in then else None
                    m.switch(old, new)
                m.apply()
            yield copy
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def require_version(store: Any, vid: str) -> VersionInfo:
    """The stored version ``vid``; NotFoundError listing the known ones otherwise."""
    versions = list_versions(store.read)
    for v in versions:
        if v.id == vid:
            return v
    shown = ", ".join(v.id for v in versions[:10]) or "none"
    raise NotFoundError(f"no list version {vid!r}; known: {shown}", hint="chainkg versions list")


# ------------------------------------------------------------------ writing versions


@dataclass(frozen=True)
class Writer:
    """Who writes: ``who`` (API key id or ``cli``), the unit's organisation, the chains it may
    write (None: every chain, as admin) and whether a disagreeing claim is refused (unit keys)."""

    who: str = "cli"
    org: str | None = None
    chains: frozenset[str] | None = None
    strict: bool = False

    def check(self, keys: Iterable[VersionKey]) -> None:
        """ForbiddenWriteError unless the writer may write every (kind, chain) given."""
        if self.chains is None:
            return
        for kind, chain in sorted(keys):
            if chain == ALL_CHAINS:
                raise ForbiddenWriteError(
                    f"{kind} lists are province-wide; {self.org or self.who} may write only the "
                    "lists of its own chains",
                    hint="ask an admin to load them",
                )
            if chain not in self.chains:
                mine = "、".join(sorted(self.chains)) or "none"
                raise ForbiddenWriteError(
                    f"{self.org or self.who} is not responsible for {chain} "
                    f"(群链长责任单位 of: {mine}); nothing was written",
                    hint="a unit writes only the lists of its own chains; ask an admin otherwise",
                )


@dataclass
class VersionWrite:
    """What writing versions did: per version its diff counts, and the switch report."""

    versions: list[Row] = field(default_factory=list)
    switch: SwitchReport = field(default_factory=SwitchReport)


def write_versions(
    tx: Any,
    contents: Iterable[VersionContent],
    writer: Writer,
    now: str,
    *,
    merge: bool = False,
    action: str = "load_list",
    preinserted: frozenset[str] = frozenset(),
) -> VersionWrite:
    """Store ``contents`` as versions (replacing same keys) and move the graph to the versions
    now in force, in ``tx``. ``merge``: the entries add to (or replace entries of) the stored
    version of the same key instead of replacing it whole. ``preinserted``: entities written
    before the transaction with every fact (graph/preinsert.py), left as they are."""
    from chainkg.graph import audit
    from chainkg.graph.diff import diff_entries

    contents = list(contents)
    writer.check({c.key for c in contents})
    versions = list_versions(tx.run)
    current = in_force(versions)
    known = {v.id: v for v in versions}
    m = Materialiser(tx, now, preinserted)
    out = VersionWrite()
    nodes = []
    for content in contents:
        stored = read_content(tx.run, content.id) if content.id in known else None
        if merge and stored is not None:
            content.entries = {**stored.entries, **content.entries}
        content.loaded_at = known[content.id].loaded_at if content.id in known else now
        cur = current.get(content.key)
        before = stored or (read_content(tx.run, cur.id) if cur is not None else None)
        change = diff_entries(before.entries if before else {}, content.entries)
        in_force_now = cur is None or content.as_of >= cur.as_of
        unchanged = stored is not None and stored.entries == content.entries
        # the same content in force again: the graph holds it already (nothing to switch)
        if in_force_now and not (unchanged and cur is not None and cur.id == content.id):
            old = stored if cur is not None and cur.id == content.id else None
            if old is None and cur is not None:
                old = read_content(tx.run, cur.id)
            m.switch(old, content)
        out.versions.append(
            {
                "id": content.id,
                "unchanged": unchanged,
                "in_force": in_force_now,
                "compared_with": before and before.id,
                **change.counts(),
            }
        )
        if unchanged:  # loading the same input again changes nothing, not even the trail
            continue
        nodes.append(_version_row(content, writer, now))
        audit.record(
            tx,
            writer.who,
            action,
            content.id,
            {
                **change.counts(),
                "added_ids": change.added[:50],
                "removed_ids": change.removed[:50],
                "changed_ids": list(change.changed)[:50],
                "in_force": in_force_now,
            },
            synthetic=content.synthetic,
        )
    out.switch = m.apply(strict_owners={c.id for c in contents} if writer.strict else None)
    if nodes:
        tx.upsert_nodes("ListVersion", nodes)
    return out


def _version_row(content: VersionContent, writer: Writer, now: str) -> Row:
    return {
        "id": content.id,
        "kind": content.kind,
        "chain": content.chain,
        "as_of": content.as_of,
        "owner": writer.who,
        "owner_org": writer.org,
        "loaded_at": content.loaded_at or now,
        "updated_at": now,
        "rows": len(content.entries),
        "files": sorted(set(content.files)),
        "snapshot": encode_snapshot(content.entries),
        "source": "、".join(sorted(set(content.files))) or None,
        "synthetic": content.synthetic,
        "version": content.id,
    }


def drop_version(tx: Any, vid: str, writer: Writer, now: str) -> Row:
    """Delete version ``vid``; if it was in force, the previous as_of of its key takes over."""
    from chainkg.graph import audit

    versions = list_versions(tx.run)
    target = next((v for v in versions if v.id == vid), None)
    if target is None:
        raise NotFoundError(f"no list version {vid!r}", hint="chainkg versions list")
    writer.check([target.key])
    current = in_force(versions)
    rest = in_force([v for v in versions if v.id != vid])
    was_current = current.get(target.key) is not None and current[target.key].id == vid
    if was_current:
        m = Materialiser(tx, now)
        nxt = rest.get(target.key)
        m.switch(read_content(tx.run, vid), read_content(tx.run, nxt.id) if nxt else None)
        m.apply()
    tx.run(Cypher("versions_drop", "MATCH (v:ListVersion {id: $id}) DELETE v"), {"id": vid})
    now_current = rest.get(target.key)
    audit.record(
        tx,
        writer.who,
        "drop_version",
        vid,
        {"was_current": was_current, "now_current": now_current.id if now_current else None},
    )
    return {
        "dropped": vid,
        "was_current": was_current,
        "now_current": now_current and now_current.id,
    }


def current_content(run: Run, kind: str, chain: str) -> VersionContent | None:
    """The content of the version of (kind, chain) in force now (None: there is none)."""
    chosen = in_force(list_versions(run)).get((kind, chain))
    return read_content(run, chosen.id) if chosen is not None else None


def remove_entry(
    tx: Any, kind: str, chain: str, entry_id: str, writer: Writer, now: str
) -> VersionWrite:
    """Take ``entry_id`` off the current version of (kind, chain) (that chain only);
    NotFoundError when that version does not list it."""
    writer.check([(kind, chain)])
    content = current_content(tx.run, kind, chain)
    if content is None or entry_id not in content.entries:
        raise NotFoundError(f"{chain} has no {kind} entry {entry_id!r}")
    entries = {k: v for k, v in content.entries.items() if k != entry_id}
    smaller = VersionContent(
        kind,
        chain,
        content.as_of,
        entries,
        content.chain_id,
        content.files,
        content.synthetic,
    )
    return write_versions(tx, [smaller], writer, now, action="delete_entry")


# ------------------------------------------------------------------ segments renamed or removed

_PLACED = ("Organization", "OPERATES_IN")


def _placements(label: str, rel_type: str) -> Cypher:
    name = "n.name" if any(p.name == "name" for p in SCHEMA.node(label).props) else "n.title"
    return Cypher(
        f"versions_placed_{label}_{rel_type}",
        f"UNWIND $ids AS i MATCH (n:{label})-[e:{rel_type}]->(s:Segment {{id: i}}) "
        f"RETURN s.id AS segment, n.id AS id, {name} AS name, e.version AS version",
    )


def _placing_kinds() -> list[tuple[str, str]]:
    return [_PLACED] + [(a, "IN_SEGMENT") for a, _ in SCHEMA.rel("IN_SEGMENT").endpoints]


def segment_placements(run: Run, segment_ids: list[str]) -> list[Row]:
    """What is placed in these segments: enterprises (OPERATES_IN) and list entries
    (IN_SEGMENT); rows: segment, label, id, name, version."""
    out: list[Row] = []
    for label, rel_type in _placing_kinds():
        for r in run(_placements(label, rel_type), {"ids": segment_ids}):
            out.append({**r, "label": label})
    return sorted(out, key=lambda r: (r["segment"], r["label"], r["id"]))


def _move(label: str, rel_type: str) -> Cypher:
    inferred = ", f.inferred = e.inferred" if rel_type == "OPERATES_IN" else ""
    return Cypher(
        f"versions_move_{label}_{rel_type}",
        f"UNWIND $moves AS m MATCH (n:{label})-[e:{rel_type}]->(s:Segment {{id: m.old}}) "
        f"MATCH (t:Segment {{id: m.new}}) MERGE (n)-[f:{rel_type}]->(t) "
        "SET f.version = e.version, f.source = e.source, f.source_ref = e.source_ref, "
        f"f.as_of = e.as_of, f.loaded_at = e.loaded_at, f.synthetic = e.synthetic{inferred} "
        "DELETE e",
    )


def move_segment_facts(tx: Any, moves: Mapping[str, str | None]) -> dict[str, int]:
    """Move what is placed in each old segment to its new one (None: drop it), in the graph
    and in every stored version's snapshot, so older versions read the same way."""
    placed = segment_placements(tx.run, sorted(moves))
    moved = sum(1 for r in placed if moves[r["segment"]] is not None)
    dropped = len(placed) - moved
    pairs = [{"old": o, "new": n} for o, n in moves.items() if n is not None]
    for label, rel_type in _placing_kinds():
        if pairs:
            tx.run(_move(label, rel_type), {"moves": pairs})
    nodes = []
    for v in list_versions(tx.run):
        content = read_content(tx.run, v.id)
        if content is None:
            continue
        changed = False
        for entry in content.entries.values():
            segs = entry.get("segments")
            if not segs or not any(s in moves for s in segs):
                continue
            new = []
            for s in segs:
                target = moves.get(s, s) if s in moves else s
                if target is not None and target not in new:
                    new.append(target)
            entry["segments"] = new
            changed = True
        if changed:
            nodes.append({"id": v.id, "snapshot": encode_snapshot(content.entries)})
    if nodes:
        tx.upsert_nodes("ListVersion", nodes)
    return {"moved": moved, "dropped": dropped, "versions_rewritten": len(nodes)}


def delete_isolated_stubs(tx: Any, label: str, ids: Iterable[str]) -> None:
    """Delete the list-made cities or parks among ``ids`` that nothing points to."""
    wanted = sorted(set(ids))
    if wanted:
        tx.run(_delete_isolated_stub(label), {"ids": wanted})
