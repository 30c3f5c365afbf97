"""Disagreeing claims (冲突): list them with each owner's value, and let an admin resolve one.

See docs/versions.md, "Claims". The entity keeps the field names in conflict in
``conflicts``; the values come from the claiming versions' snapshots and the roster base.
"""

from __future__ import annotations

import json
from typing import Any

from chainkg.errors import InputError, NotFoundError, Problem
from chainkg.graph import audit
from chainkg.graph.claims import BASE
from chainkg.graph.cypher import Cypher
from chainkg.graph.schema import SCHEMA
from chainkg.graph.versions import Materialiser, read_content

Row = dict[str, Any]
CLAIMABLE = tuple(n.label for n in SCHEMA.nodes if any(p.name == "claimed_by" for p in n.props))


def _conflicted(label: str) -> Cypher:
    name = "n.name" if any(p.name == "name" for p in SCHEMA.node(label).props) else "n.title"
    return Cypher(
        f"conflicts_{label}",
        f"MATCH (n:{label}) WHERE size(n.conflicts) > 0 RETURN n.id AS id, {name} AS name, "
        "n.conflicts AS conflicts, n.claimed_by AS claimed_by, n.base_claim AS base_claim "
        "ORDER BY id",
    )


def _entity(label: str) -> Cypher:
    return Cypher(
        f"conflicts_entity_{label}",
        f"MATCH (n:{label} {{id: $id}}) RETURN n.id AS id, n.claimed_by AS claimed_by, "
        "n.base_claim AS base_claim",
    )


def claims_of(store: Any, entity: Row) -> list[Row]:
    """Each claim on an entity: owner (version id or roster), values and links."""
    out: list[Row] = []
    if entity.get("base_claim"):
        out.append({"owner": BASE, "values": json.loads(entity["base_claim"]), "links": {}})
    for vid in entity.get("claimed_by") or ():
        content = read_content(store.read, vid)
        entry = content.entries.get(entity["id"]) if content else None
        if entry is not None:
            out.append(
                {"owner": vid, "values": entry.get("values", {}), "links": entry.get("links", {})}
            )
    return out


def list_conflicts(store: Any) -> list[Row]:
    """Every entity with disagreeing claims: per field, each owner's value."""
    out: list[Row] = []
    for label in CLAIMABLE:
        for row in store.read(_conflicted(label)):
            claims = claims_of(store, row)
            fields = {}
            for name in row["conflicts"]:
                link = name.startswith("@")
                key = name.lstrip("@")
                fields[key] = [
                    {"owner": c["owner"], "value": (c["links"] if link else c["values"]).get(key)}
                    for c in claims
                    if key in (c["links"] if link else c["values"])
                ]
            out.append({"entity": row["id"], "label": label, "name": row["name"], "fields": fields})
    return out


def resolve_conflict(
    store: Any, entity: str, field: str, value_json: str, who: str, now: str
) -> Row:
    """Set ``field`` of ``entity`` to the JSON ``value_json`` over every claim (admin)."""
    try:
        value = json.loads(value_json)
    except ValueError:
        value = value_json  # plain text: 郑州市 as well as "郑州市"
    label = next((lb for lb in CLAIMABLE if store.read(_entity(lb), {"id": entity})), None)
    if label is None:
        raise NotFoundError(f"no claimed entity {entity!r}", hint="chainkg conflicts")
    known = [p.name for p in SCHEMA.node(label).props] + ["@LOCATED_IN", "@IN_PARK", "@CONCERNS"]
    if field not in known:
        raise InputError(
            [Problem("field", f"{label} has no field {field!r}", column="field")],
            hint=f"fields: {', '.join(known)}",
        )
    with store.transaction() as tx:
        tx.upsert_nodes(
            "ClaimResolution",
            [
                {
                    "id": f"resolution:{entity}|{field}",
                    "entity": entity,
                    "field": field,
                    "value": json.dumps(value, ensure_ascii=False),
                    "by": who,
                    "at": now,
                }
            ],
        )
        m = Materialiser(tx, now)
        m.touch(label, entity)
        m.apply()
        audit.record(tx, who, "resolve_conflict", entity, {"field": field, "value": value})
    return {"entity": entity, "field": field, "value": value}
