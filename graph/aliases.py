"""Organisation identity (同名): the alias table, merging two organisations, undoing it.

An alias says that another name of an organisation (``alias_id``, the id that name gives)
means the organisation ``target``. It is an ``OrgAlias`` node; list loads resolve names
through it (docs/lists.md, "Identity"). When an organisation of the alias's name is in
the graph, recording the alias **merges** it into the target:

- every list version's snapshot says what the list said, so the entries that named the
  alias are re-keyed to the target and marked with what was listed (``listed_id`` and
  ``listed_as`` on an organisation entry, ``listed_from``/``listed_to`` on a supply,
  ``listed_concerns`` on a CONCERNS link): every claim stays, with its version, file and
  row, and now counts for the target; the versions in force are re-materialised;
- facts not from lists (demo data, ledger) move from the alias's node to the target;
- the alias's node, its relationships and anything that could not be carried over (two
  entries of one version that became one, a supply from the target to itself) are kept
  in the alias record's ``state``.

``unmerge`` reverses each step from those marks and that state: the entries go back to
the alias's id (also those a later load resolved through the alias), the node and its
other facts come back, and the versions in force are re-materialised, so a merge
followed by an unmerge gives the graph it started from (timestamps included). Both are
admin writes, recorded in the audit trail.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chainkg.errors import ChainkgError, NotFoundError
from chainkg.graph import audit
from chainkg.graph.cypher import Cypher
from chainkg.graph.schema import SCHEMA
from chainkg.graph.versions import (
    ForbiddenWriteError,
    Materialiser,
    VersionContent,
    Writer,
    decode_snapshot,
    encode_snapshot,
    in_force,
    list_versions,
    read_content,
)

Row = dict[str, Any]
ORG = "Organization"


class AliasError(ChainkgError):
    """An alias or merge that would break identity (two USCCs, a chain of aliases ...)."""


def alias_record_id(alias_id: str) -> str:
    """Id of the OrgAlias node for the organisation id ``alias_id``."""
    return f"alias:{alias_id}"


_ALL = Cypher(
    "aliases_all",
    "MATCH (a:OrgAlias) RETURN a.id AS id, a.alias AS alias, a.alias_id AS alias_id, "
    "a.target AS target, a.target_name AS target_name, a.merged AS merged, a.note AS note, "
    "a.by AS by, a.at AS at ORDER BY alias_id",
)
_ONE = Cypher(
    "aliases_one",
    "MATCH (a:OrgAlias {id: $id}) RETURN a.alias AS alias, a.alias_id AS alias_id, "
    "a.target AS target, a.target_name AS target_name, a.merged AS merged, a.state AS state",
)
_ORG = Cypher(
    "aliases_org",
    "MATCH (o:Organization {id: $id}) RETURN "
    + ", ".join(f"o.{p.name} AS {p.name}" for p in SCHEMA.node(ORG).all_props),
)
_DROP_RECORD = Cypher("aliases_drop", "MATCH (a:OrgAlias {id: $id}) DELETE a")


def list_aliases(run: Any) -> list[Row]:
    """Every alias: alias (name), alias_id, target, target_name, merged, note, by, at."""
    return run(_ALL)


def alias_map(run: Any) -> dict[str, tuple[str, str]]:
    """alias id -> (target id, target name): what list loads resolve names through."""
    return {r["alias_id"]: (r["target"], r["target_name"]) for r in run(_ALL)}


# ------------------------------------------------------------------ snapshots (pure)


def _supply_id(e: Row) -> str:
    return f"{e['from']}>{e['to']}|{e['product']}"


def _combine(kept: Row, moved: Row) -> Row:
    """One organisation entry from two of the same version: the kept one's values first,
    the moved one's where the kept one gives none; placements of both."""
    out = copy.deepcopy(kept)
    values = out.setdefault("values", {})
    for k, v in (moved.get("values") or {}).items():
        if k != "name" and values.get(k) is None and v is not None:
            values[k] = v
    segs = list(out.get("segments") or [])
    segs += [s for s in moved.get("segments") or [] if s not in segs]
    out["segments"] = segs
    return out


def merge_entries(
    entries: Mapping[str, Row], alias_id: str, target: str, target_name: str
) -> tuple[dict[str, Row], Row]:
    """A version's entries with ``alias_id`` re-keyed to ``target`` (marked with what was
    listed), and what could not be carried over: ``removed`` (old id -> entry), ``replaced``
    (id -> the entry before two were combined) and ``merged`` (id -> the combined entry)."""
    park: Row = {"removed": {}, "replaced": {}, "merged": {}}
    out: dict[str, Row] = {}
    moved: list[tuple[str, str, Row]] = []
    for eid, entry in sorted(entries.items()):
        e = copy.deepcopy(entry)
        changed = False
        if e["label"] == "SUPPLIES":
            for end, mark in (("from", "listed_from"), ("to", "listed_to")):
                if e[end] == alias_id:
                    e[end], e[mark], changed = target, alias_id, True
            new_id = _supply_id(e) if changed else eid
        elif e["label"] == ORG and eid == alias_id:
            values = e.setdefault("values", {})
            e["listed_id"] = alias_id
            e["listed_as"] = values.get("name")
            if "name" in values:
                values["name"] = target_name
            new_id, changed = target, True
        else:
            new_id = eid
            concerns = (e.get("links") or {}).get("CONCERNS")
            if isinstance(concerns, list) and concerns and concerns[0] == alias_id:
                e["links"]["CONCERNS"] = [target, *concerns[1:]]
                e["listed_concerns"] = alias_id
                changed = True
        if changed:
            moved.append((eid, new_id, e))
        else:
            out[eid] = e
    for old_id, new_id, e in moved:
        self_loop = e["label"] == "SUPPLIES" and e["from"] == e["to"]
        if self_loop or (new_id in out and e["label"] != ORG):
            park["removed"][old_id] = copy.deepcopy(entries[old_id])
            continue
        if new_id in out:  # the version lists both names: one entry, both kept in the park
            park["removed"][old_id] = copy.deepcopy(entries[old_id])
            park["replaced"][new_id] = copy.deepcopy(out[new_id])
            out[new_id] = _combine(out[new_id], e)
            park["merged"][new_id] = copy.deepcopy(out[new_id])
            continue
        out[new_id] = e
    return out, park


def unmerge_entries(entries: Mapping[str, Row], alias_id: str, park: Row | None) -> dict[str, Row]:
    """The inverse of ``merge_entries``: entries marked as listed under ``alias_id`` go back
    to it (also those a later load resolved through the alias), parked entries come back."""
    park = park or {"removed": {}, "replaced": {}, "merged": {}}
    out: dict[str, Row] = {}
    for eid, entry in sorted(entries.items()):
        if eid in park["replaced"] and entry == park["merged"].get(eid):
            e = copy.deepcopy(park["replaced"][eid])
        else:
            e = copy.deepcopy(entry)
        new_id = eid
        if e["label"] == "SUPPLIES":
            back = False
            for end, mark in (("from", "listed_from"), ("to", "listed_to")):
                if e.get(mark) == alias_id:
                    e[end] = alias_id
                    del e[mark]
                    back = True
            if back:
                new_id = _supply_id(e)
        elif e["label"] == ORG and e.get("listed_id") == alias_id:
            listed = e.pop("listed_as", None)
            del e["listed_id"]
            if "name" in (e.get("values") or {}):
                e["values"]["name"] = listed
            new_id = alias_id
        elif e.get("listed_concerns") == alias_id:
            e["links"]["CONCERNS"] = [alias_id, *e["links"]["CONCERNS"][1:]]
            del e["listed_concerns"]
        out[new_id] = e
    for old_id, e in park["removed"].items():
        out.setdefault(old_id, copy.deepcopy(e))
    return out


# ------------------------------------------------------------------ relationships of a node


@dataclass(frozen=True)
class _Side:
    rel: str
    from_label: str
    to_label: str
    outgoing: bool  # the organisation is the start node

    def statement(self) -> Cypher:
        kind = SCHEMA.rel(self.rel)
        cols = ", ".join(f"e.{p.name} AS {p.name}" for p in kind.all_props)
        a = f"(a:{self.from_label}" + (" {id: i})" if self.outgoing else ")")
        b = f"(b:{self.to_label}" + (")" if self.outgoing else " {id: i})")
        return Cypher(
            f"aliases_rels_{self.rel}_{self.from_label}_{self.to_label}_{int(self.outgoing)}",
            f"UNWIND $ids AS i MATCH {a}-[e:{self.rel}]->{b} "
            f"RETURN a.id AS from_id, b.id AS to_id, {cols}",
        )


def _sides() -> list[_Side]:
    out = []
    for rel in SCHEMA.rels:
        for a, b in rel.endpoints:
            if a == ORG:
                out.append(_Side(rel.type, a, b, True))
            if b == ORG:  # incoming too: SUPPLIES from a third organisation moves with it
                out.append(_Side(rel.type, a, b, False))
    return out


def _incident(run: Any, ids: list[str]) -> list[Row]:
    """Every relationship touching the organisations ``ids``: type, labels, endpoints, props."""
    out: list[Row] = []
    seen: set[tuple] = set()
    for side in _sides():
        for r in run(side.statement(), {"ids": ids}):
            key = (
                side.rel,
                r["from_id"],
                r["to_id"],
                *(r.get(k) for k in SCHEMA.rel(side.rel).key),
            )
            if key in seen:  # SUPPLIES between two of ``ids``
                continue
            seen.add(key)
            out.append({"type": side.rel, "from": side.from_label, "to": side.to_label, **r})
    return out


def _rel_key(r: Row) -> tuple:
    return (
        r["type"],
        r["from_id"],
        r["to_id"],
        *(r.get(k) or "" for k in SCHEMA.rel(r["type"]).key),
    )


def _write_rel(tx: Any, r: Row) -> None:
    props = {k: v for k, v in r.items() if k not in ("type", "from", "to")}
    tx.upsert_rels(r["type"], r["from"], r["to"], [props])


def _match_rel(r: Row, action: str, tail: str) -> Cypher:
    """``MATCH`` the recorded relationship ``r`` (by endpoints and key), then ``tail``."""
    keys = " AND ".join(f"e.{k} = ${k}" for k in SCHEMA.rel(r["type"]).key)
    return Cypher(
        f"aliases_{action}_{r['type']}_{r['from']}_{r['to']}",
        f"MATCH (a:{r['from']} {{id: $from_id}})-[e:{r['type']}]->(b:{r['to']} {{id: $to_id}}) "
        + (f"WHERE {keys} " if keys else "")
        + tail,
    )


def _rel_params(r: Row, **extra: Any) -> Row:
    keys = {k: r.get(k) or "" for k in SCHEMA.rel(r["type"]).key}
    return {"from_id": r["from_id"], "to_id": r["to_id"], **keys, **extra}


def _place_time(label: str, *, restore: bool = False) -> Cypher:
    if restore:
        return Cypher(
            f"aliases_place_time_set_{label}",
            f"MATCH (n:{label} {{id: $id}}) SET n.loaded_at = $loaded_at",
        )
    return Cypher(
        f"aliases_place_time_{label}",
        f"MATCH (n:{label} {{id: $id}}) RETURN n.loaded_at AS loaded_at",
    )


def _delete_rel(tx: Any, r: Row) -> None:
    tx.run(_match_rel(r, "delete", "DELETE e"), _rel_params(r))


def _restore_times(tx: Any, recorded: list[Row]) -> None:
    """Set ``loaded_at`` back on the recorded relationships that exist again (re-materialised
    links get the time of their writing)."""
    for r in recorded:
        tx.run(
            _match_rel(r, "time", "SET e.loaded_at = $loaded_at"),
            _rel_params(r, loaded_at=r.get("loaded_at")),
        )


# ------------------------------------------------------------------ merge and unmerge


def _require_admin(writer: Writer, what: str) -> None:
    if writer.chains is not None:
        raise ForbiddenWriteError(
            f"{what} is an admin task: {writer.org or writer.who} may write only the lists of "
            "its own chains; nothing was changed",
            hint="ask an administrator (chainkg orgs, or an admin API key)",
        )


def _org(run: Any, oid: str) -> Row | None:
    rows = run(_ORG, {"id": oid})
    return rows[0] if rows else None


def _rewrite_versions(tx: Any, now: str, rewrite: Any) -> tuple[int, dict[str, Row]]:
    """Apply ``rewrite(vid, entries) -> (entries, park) | None`` to every stored version,
    store the changed snapshots and re-materialise those in force; returns (count, parks)."""
    versions = list_versions(tx.run)
    current = {v.id for v in in_force(versions).values()}
    m = Materialiser(tx, now)
    parks: dict[str, Row] = {}
    rows = []
    for v in versions:
        old = read_content(tx.run, v.id)
        if old is None:
            continue
        result = rewrite(v.id, old.entries)
        if result is None:
            continue
        entries, park = result
        if entries == old.entries:
            continue
        if park and any(park.values()):
            parks[v.id] = park
        new = VersionContent(
            old.kind, old.chain, old.as_of, entries, old.chain_id, old.files, old.synthetic,
            old.loaded_at,
        )  # fmt: skip
        rows.append({"id": v.id, "snapshot": encode_snapshot(entries), "rows": len(entries)})
        if v.id in current:
            m.switch(old, new)
    if rows:
        tx.upsert_nodes("ListVersion", rows)
    m.apply()
    return len(rows), parks


def add_alias(
    tx: Any,
    alias_name: str,
    alias_id: str,
    target_id: str,
    writer: Writer,
    now: str,
    *,
    note: str | None = None,
    must_exist: bool = False,
) -> Row:
    """Record that ``alias_name`` (id ``alias_id``) is the organisation ``target_id``; if an
    organisation ``alias_id`` is in the graph it is merged into the target (admin only).

    ``must_exist``: refuse when there is no such organisation (``chainkg orgs merge``).
    Recording the same alias again changes nothing.
    """
    _require_admin(writer, "merging organisations")
    aliases = {r["alias_id"]: r for r in list_aliases(tx.run)}
    while target_id in aliases:  # an alias of an alias: the organisation it resolves to
        target_id = aliases[target_id]["target"]
    if target_id == alias_id:
        raise AliasError(f"{alias_name!r} and the target are the same organisation ({alias_id})")
    target = _org(tx.run, target_id)
    if target is None:
        raise NotFoundError(
            f"no organisation {target_id!r} to merge into",
            hint="name an organisation in the graph (chainkg orgs candidates lists likely pairs)",
        )
    have = aliases.get(alias_id)
    if have is not None:
        if have["target"] == target_id:
            return {"alias": alias_name, "target": target_id, "unchanged": True}
        raise AliasError(
            f"{alias_name!r} is already an alias of {have['target_name']!r}",
            hint=f"chainkg orgs unmerge {alias_name!r} first",
        )
    pointing = sorted(a for a, r in aliases.items() if r["target"] == alias_id)
    if pointing:
        raise AliasError(
            f"{alias_name!r} is the target of other aliases ({', '.join(pointing)})",
            hint="merge into the organisation they name, or unmerge those aliases first",
        )
    node = _org(tx.run, alias_id)
    if must_exist and node is None:
        raise NotFoundError(
            f"no organisation {alias_name!r} ({alias_id}) in the graph",
            hint="chainkg orgs alias records a name that no list has used yet",
        )
    state: Row = {"node": None, "target": target, "rels": [], "times": [], "versions": {}}
    if node is not None:
        if node.get("uscc") and target.get("uscc") and node["uscc"] != target["uscc"]:
            raise AliasError(
                f"{alias_name!r} has 统一社会信用代码 {node['uscc']} and {target['name']!r} has "
                f"{target['uscc']}: a code identifies one organisation, so they are two",
                hint="check the codes; if one is wrong, correct the list that gave it",
            )
        if node.get("version") is None and not node.get("synthetic") and not node.get("claimed_by"):
            raise AliasError(
                f"{alias_name!r} comes from the roster (双长制名单), which names it so",
                hint=f"merge the other way round: chainkg orgs merge {target['name']!r} "
                f"{alias_name!r}",
            )
        state["node"] = node
        incident = _incident(tx.run, sorted({alias_id, target_id}))
        state["times"] = [
            {
                k: r[k]
                for k in (
                    "type",
                    "from",
                    "to",
                    "from_id",
                    "to_id",
                    "loaded_at",
                    *SCHEMA.rel(r["type"]).key,
                )
                if k in r
            }
            for r in incident
        ]
        state["places"] = [
            {"label": r["to"], "id": r["to_id"]}
            for r in incident
            if r["type"] in ("LOCATED_IN", "IN_PARK") and r["from_id"] == alias_id
        ]
        for place in state["places"]:  # a city or park only the alias named goes with it
            place["loaded_at"] = tx.run(_place_time(place["label"]), place)[0]["loaded_at"]
        target_keys = {_rel_key(r) for r in incident if alias_id not in (r["from_id"], r["to_id"])}
        for r in incident:
            if alias_id not in (r["from_id"], r["to_id"]) or r.get("version") is not None:
                continue
            moved = {
                **r,
                "from_id": target_id if r["from_id"] == alias_id else r["from_id"],
                "to_id": target_id if r["to_id"] == alias_id else r["to_id"],
            }
            loop = moved["from_id"] == moved["to_id"]
            kept = loop or _rel_key(moved) in target_keys
            state["rels"].append({"rel": r, "moved": not kept})
            if not kept:
                _write_rel(tx, moved)
    target_name = target["name"]
    count, parks = _rewrite_versions(
        tx, now, lambda vid, entries: merge_entries(entries, alias_id, target_id, target_name)
    )
    state["versions"] = parks
    if node is not None:
        tx.delete_nodes(ORG, [alias_id])
    merged = node is not None
    tx.upsert_nodes(
        "OrgAlias",
        [
            {
                "id": alias_record_id(alias_id),
                "alias": alias_name,
                "alias_id": alias_id,
                "target": target_id,
                "target_name": target_name,
                "merged": merged,
                "note": note,
                "by": writer.who,
                "at": now,
                "state": encode_snapshot(state),
                "source": "chainkg orgs",
                "loaded_at": now,
            }
        ],
    )
    details = {
        "alias": alias_name,
        "target": target_id,
        "merged": merged,
        "versions_rewritten": count,
        "facts_moved": sum(1 for r in state["rels"] if r["moved"]),
        "note": note,
    }
    audit.record(tx, writer.who, "merge_org" if merged else "alias_org", alias_id, details)
    return {"alias": alias_name, "alias_id": alias_id, "unchanged": False, **details}


def unmerge(tx: Any, alias_id: str, writer: Writer, now: str) -> Row:
    """Undo the alias ``alias_id``: its entries, node and facts come back (admin only)."""
    _require_admin(writer, "unmerging organisations")
    rows = tx.run(_ONE, {"id": alias_record_id(alias_id)})
    if not rows:
        known = ", ".join(r["alias"] for r in list_aliases(tx.run)[:10]) or "none"
        raise NotFoundError(
            f"no alias {alias_id!r}; aliases: {known}", hint="chainkg orgs aliases lists them"
        )
    record = rows[0]
    state = decode_snapshot(record["state"]) if record["state"] else {}
    node = state.get("node")
    if node is not None:
        tx.upsert_nodes(ORG, [node])
        for item in state.get("rels", []):
            r = item["rel"]
            if item["moved"]:
                moved = {
                    **r,
                    "from_id": record["target"] if r["from_id"] == alias_id else r["from_id"],
                    "to_id": record["target"] if r["to_id"] == alias_id else r["to_id"],
                }
                _delete_rel(tx, moved)
            _write_rel(tx, r)
    parks = state.get("versions", {})
    count, _ = _rewrite_versions(
        tx, now, lambda vid, entries: (unmerge_entries(entries, alias_id, parks.get(vid)), None)
    )
    _restore_times(tx, state.get("times", []))
    for place in state.get("places", []):
        tx.run(_place_time(place["label"], restore=True), place)
    before = state.get("target")
    after = _org(tx.run, record["target"])
    if before and after and set(before["claimed_by"] or ()) == set(after["claimed_by"] or ()):
        tx.upsert_nodes(ORG, [before])  # the claims are as before: so is every value
    tx.run(_DROP_RECORD, {"id": alias_record_id(alias_id)})
    details = {
        "alias": record["alias"],
        "target": record["target"],
        "restored": node is not None,
        "versions_rewritten": count,
    }
    audit.record(tx, writer.who, "unmerge_org", alias_id, details)
    return {"alias_id": alias_id, **details}
