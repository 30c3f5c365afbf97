"""Write, count and export statements generated from the schema.

These are not questions (those live in ``queries/``) but the mechanics every
store shares: batched upserts (``UNWIND $rows``), per-kind counts and a full,
ordered export. Labels and property names come only from the schema, values
only from parameters, so no data ever becomes Cypher text. The generated text
is accepted by both engines.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from chainkg.errors import SchemaError
from chainkg.graph.cypher import Cypher
from chainkg.graph.schema import SCHEMA, NodeKind, RelKind, Schema

# Set only when a node or relationship is created, so that a second load of the
# same input leaves the graph exactly as it was.
CREATE_ONLY = frozenset({"loaded_at"})


def _assignments(var: str, props: Iterable[str], nulls: frozenset[str] = frozenset()) -> str:
    # A column that is None in every row of a batch is written as a literal NULL:
    # the embedded engine cannot infer a type for an all-null parameter column.
    return ", ".join(f"{var}.{p} = NULL" if p in nulls else f"{var}.{p} = r.{p}" for p in props)


def upsert_nodes(
    kind: NodeKind, columns: Iterable[str], nulls: frozenset[str] = frozenset()
) -> Cypher:
    """MERGE nodes of ``kind`` by id and set the given columns (other properties stay as they are).

    ``nulls`` are columns set to NULL in every row.
    """
    cols = [c for c in columns if c != "id"]
    for c in cols:
        kind.prop(c)
    text = f"UNWIND $rows AS r MERGE (n:{kind.label} {{id: r.id}})"
    on_create = [c for c in cols if c in CREATE_ONLY]
    plain = [c for c in cols if c not in CREATE_ONLY]
    if on_create:
        text += " ON CREATE SET " + _assignments("n", on_create, nulls)
    if plain:
        text += " SET " + _assignments("n", plain, nulls)
    text += " RETURN count(*) AS written"
    return Cypher(f"upsert_{kind.label}", text)


def upsert_rels(
    rel: RelKind,
    from_label: str,
    to_label: str,
    columns: Iterable[str],
    nulls: frozenset[str] = frozenset(),
) -> Cypher:
    """MERGE ``rel`` between existing nodes given by ``r.from_id`` and ``r.to_id``.

    Returns ``written``, the number of rows whose endpoints were both found;
    the caller compares it with the rows sent.
    """
    if not rel.joins(from_label, to_label):
        pairs = ", ".join(f"{a}->{b}" for a, b in rel.endpoints)
        raise SchemaError(f"{rel.type} cannot join {from_label}->{to_label}; allowed: {pairs}")
    cols = [c for c in columns if c not in ("from_id", "to_id")]
    for c in cols:
        rel.prop(c)
    key = ", ".join(f"{k}: r.{k}" for k in rel.key if k in cols and k not in nulls)
    pattern = f"[e:{rel.type} {{{key}}}]" if key else f"[e:{rel.type}]"
    text = (
        f"UNWIND $rows AS r MATCH (a:{from_label} {{id: r.from_id}}) "
        f"MATCH (b:{to_label} {{id: r.to_id}}) MERGE (a)-{pattern}->(b)"
    )
    rest = [c for c in cols if c not in rel.key]
    on_create = [c for c in rest if c in CREATE_ONLY]
    plain = [c for c in rest if c not in CREATE_ONLY]
    if on_create:
        text += " ON CREATE SET " + _assignments("e", on_create, nulls)
    if plain:
        text += " SET " + _assignments("e", plain, nulls)
    text += " RETURN count(*) AS written"
    return Cypher(f"upsert_{rel.type}", text)


def delete_nodes(kind: NodeKind) -> Cypher:
    """Delete nodes of ``kind`` by id, with their relationships."""
    return Cypher(
        f"delete_{kind.label}",
        f"UNWIND $ids AS i MATCH (n:{kind.label} {{id: i}}) DETACH DELETE n",
    )


def source_rels(rel: RelKind, from_label: str, to_label: str) -> Cypher:
    """The endpoints and keys of ``rel`` relationships recorded from source ``$source``."""
    keys = "".join(f", e.{k} AS {k}" for k in rel.key)
    return Cypher(
        f"source_{rel.type}",
        f"MATCH (a:{from_label})-[e:{rel.type}]->(b:{to_label}) WHERE e.source = $source "
        f"RETURN a.id AS from_id, b.id AS to_id{keys}",
    )


def delete_source_rels(rel: RelKind, from_label: str, to_label: str) -> Cypher:
    """Delete the ``rel`` relationships from source ``$source`` between the ``$pairs`` given."""
    return Cypher(
        f"delete_source_{rel.type}",
        f"UNWIND $pairs AS p MATCH (a:{from_label} {{id: p.from_id}})-[e:{rel.type}]->"
        f"(b:{to_label} {{id: p.to_id}}) WHERE e.source = $source DELETE e",
    )


def delete_stale_nodes(kind: NodeKind) -> Cypher:
    """Delete nodes of ``kind`` from source ``$source`` whose id is not in ``$ids``."""
    return Cypher(
        f"delete_stale_{kind.label}",
        f"MATCH (n:{kind.label}) WHERE n.source = $source AND NOT n.id IN $ids DETACH DELETE n",
    )


def count_nodes(kind: NodeKind) -> Cypher:
    """Count the nodes of ``kind``."""
    return Cypher(f"count_{kind.label}", f"MATCH (n:{kind.label}) RETURN count(n) AS n")


def count_rels(rel: RelKind) -> Cypher:
    """Count the relationships of ``rel``'s type."""
    return Cypher(f"count_{rel.type}", f"MATCH ()-[e:{rel.type}]->() RETURN count(e) AS n")


def _node_columns(kind: NodeKind) -> str:
    return ", ".join(f"n.{p.name} AS {p.name}" for p in kind.all_props)


def _rel_columns(rel: RelKind) -> str:
    return "a.id AS from_id, b.id AS to_id, " + ", ".join(
        f"e.{p.name} AS {p.name}" for p in rel.all_props
    )


def export_nodes(kind: NodeKind) -> Cypher:
    """Every node of ``kind`` with every schema property, ordered by id."""
    return Cypher(
        f"export_{kind.label}",
        f"MATCH (n:{kind.label}) RETURN {_node_columns(kind)} ORDER BY id",
    )


def export_rels(rel: RelKind, from_label: str, to_label: str) -> Cypher:
    """Every ``rel`` from ``from_label`` to ``to_label`` with its properties, in a total order."""
    order = ", ".join(["from_id", "to_id", *rel.key])
    return Cypher(
        f"export_{rel.type}",
        f"MATCH (a:{from_label})-[e:{rel.type}]->(b:{to_label}) "
        f"RETURN {_rel_columns(rel)} ORDER BY {order}",
    )


def real_nodes(kind: NodeKind) -> Cypher:
    """Every node of ``kind`` that is not synthetic demo data, every schema property."""
    return Cypher(
        f"real_{kind.label}",
        f"MATCH (n:{kind.label}) WHERE coalesce(n.synthetic, false) = false "
        f"RETURN {_node_columns(kind)}",
    )


def real_rels(rel: RelKind, from_label: str, to_label: str) -> Cypher:
    """Every ``rel`` between the labels that is not synthetic, nor touches a synthetic node."""
    return Cypher(
        f"real_{rel.type}_{from_label}_{to_label}",
        f"MATCH (a:{from_label})-[e:{rel.type}]->(b:{to_label}) "
        "WHERE coalesce(e.synthetic, false) = false AND coalesce(a.synthetic, false) = false "
        f"AND coalesce(b.synthetic, false) = false RETURN {_rel_columns(rel)}",
    )


def count_synthetic(kind: NodeKind) -> Cypher:
    """How many nodes of ``kind`` are synthetic demo data."""
    return Cypher(
        f"count_synthetic_{kind.label}",
        f"MATCH (n:{kind.label}) WHERE n.synthetic = true RETURN count(n) AS n",
    )


def node_page(kind: NodeKind) -> Cypher:
    """Up to ``$limit`` nodes of ``kind`` with id after ``$after``, every property, by id."""
    return Cypher(
        f"page_{kind.label}",
        f"MATCH (n:{kind.label}) WHERE n.id > $after "
        f"RETURN {_node_columns(kind)} ORDER BY id LIMIT $limit",
    )


def rel_page(rel: RelKind, from_label: str, to_label: str) -> Cypher:
    """The ``rel`` relationships whose start node's id is in (``$after``, ``$last``]."""
    return Cypher(
        f"page_{rel.type}",
        f"MATCH (a:{from_label})-[e:{rel.type}]->(b:{to_label}) "
        f"WHERE a.id > $after AND a.id <= $last RETURN {_rel_columns(rel)}",
    )


def node_table(kind: NodeKind, offsets: bool = False) -> Cypher:
    """Every node of ``kind`` with every property, in the engine's order (a bulk columnar
    read). ``offsets``: also LadybugDB's ``offset(id(n))`` (its row in the node table) as
    ``_offset``, so that relationship ends can be read as integers (``rel_table``)."""
    extra = "offset(id(n)) AS _offset, " if offsets else ""
    return Cypher(
        f"table_{kind.label}", f"MATCH (n:{kind.label}) RETURN {extra}{_node_columns(kind)}"
    )


def rel_table(rel: RelKind, from_label: str, to_label: str, offsets: bool = False) -> Cypher:
    """Every ``rel`` relationship from ``from_label`` to ``to_label`` with its ends' ids (or,
    with ``offsets``, their LadybugDB offsets) and every property, in the engine's order."""
    columns = _rel_columns(rel)
    if offsets:
        columns = columns.replace(
            "a.id AS from_id, b.id AS to_id", "offset(id(a)) AS from_id, offset(id(b)) AS to_id"
        )
    return Cypher(
        f"table_{rel.type}",
        f"MATCH (a:{from_label})-[e:{rel.type}]->(b:{to_label}) RETURN {columns}",
    )


def all_count_statements(schema: Schema = SCHEMA) -> list[tuple[str, str, Cypher]]:
    """(``node``|``rel``, name, statement) for every kind in the schema."""
    out: list[tuple[str, str, Cypher]] = [("node", n.label, count_nodes(n)) for n in schema.nodes]
    out += [("rel", r.type, count_rels(r)) for r in schema.rels]
    return out


# -- traversal (subgraph extraction) ---------------------------------------------------------
# Explicit property columns rather than whole node or relationship values: building those
# structs is what costs most on the embedded engine's Python binding.
# LadybugDB plans `UNWIND $ids AS i MATCH (a:L {id: i})-[r]->(b)` as a hash join over the
# whole relationship table and `WHERE a.id IN $ids` as a scan of every L node; only
# `{id: $id}` with one id is a primary-key lookup (0.4 ms against 12 ms for the scan on
# 100,000 organisations). Hence the ``one_id`` form, which that store runs once per id;
# Neo4j seeks its id index for each unwound id.


@functools.cache
def node_labels(labels: tuple[str, ...]) -> Cypher:
    """The label of every node whose id is in ``$ids`` (columns ``id``, ``label``).

    One id lookup per label rather than an unlabelled match, which both engines answer
    by scanning every node.
    """
    text = " UNION ALL ".join(
        f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN n.id AS id, '{label}' AS label"
        for label in labels
    )
    return Cypher("node_labels", text)


@functools.cache
def nodes_by_id(kind: NodeKind) -> Cypher:
    """The nodes of ``kind`` whose id is in ``$ids``, one column per schema property."""
    cols = ", ".join(f"n.{p.name} AS {p.name}" for p in kind.all_props)
    return Cypher(
        f"nodes_{kind.label}",
        f"UNWIND $ids AS i MATCH (n:{kind.label} {{id: i}}) RETURN {cols}",
    )


def _hop(label: str, rel_pattern: str, other: str, outgoing: bool, one_id: bool) -> str:
    arrow = f"-[r{rel_pattern}]->" if outgoing else f"<-[r{rel_pattern}]-"
    if one_id:
        return f"MATCH (a:{label} {{id: $id}}){arrow}(b{other})"
    return f"UNWIND $ids AS i MATCH (a:{label} {{id: i}}){arrow}(b{other})"


@functools.cache
def typed_neighbours(
    kind: NodeKind, rel: RelKind, other: NodeKind, outgoing: bool, one_id: bool = False
) -> Cypher:
    """``rel`` relationships between ``kind`` nodes with ids in ``$ids`` (``one_id``: the one
    node with id ``$id``) and ``other`` nodes.

    ``outgoing``: from the ``kind`` node to the ``other``; else from the ``other``.
    Columns: seed_id, other_id and one per property of ``rel``.
    """
    pair = (kind.label, other.label) if outgoing else (other.label, kind.label)
    if not rel.joins(*pair):
        raise SchemaError(f"{rel.type} cannot join {pair[0]}->{pair[1]}")
    cols = "".join(f", r.{p.name} AS {p.name}" for p in rel.all_props)
    match = _hop(kind.label, f":{rel.type}", f":{other.label}", outgoing, one_id)
    return Cypher(
        f"neighbours_{kind.label}_{rel.type}_{other.label}_{'out' if outgoing else 'in'}",
        f"{match} RETURN a.id AS seed_id, b.id AS other_id{cols}",
    )


@functools.cache
def all_neighbours(
    kind: NodeKind, rels: tuple[RelKind, ...], outgoing: bool, one_id: bool = False
) -> Cypher | None:
    """Every relationship leaving (``outgoing``) or entering ``kind`` nodes with ids in ``$ids``
    (``one_id``: the one node with id ``$id``).

    ``rels`` are the schema's relationship kinds; None when none touches ``kind`` that way.
    Columns: seed_id, type, other_id, other_label and the union of the properties of the
    relationship kinds that touch ``kind`` (null where a kind lacks one).
    """
    end = 0 if outgoing else 1
    touching = [r for r in rels if any(pair[end] == kind.label for pair in r.endpoints)]
    if not touching:
        return None
    props: list[str] = []
    for rel in touching:
        props += [p.name for p in rel.all_props if p.name not in props]
    cols = "".join(f", r.{p} AS {p}" for p in props)
    match = _hop(kind.label, "", "", outgoing, one_id)
    return Cypher(
        f"neighbours_{kind.label}_{'out' if outgoing else 'in'}",
        f"{match} RETURN a.id AS seed_id, type(r) AS type, b.id AS other_id, "
        f"labels(b)[0] AS other_label{cols}",
        variants={
            "ladybug": f"{match} RETURN a.id AS seed_id, label(r) AS type, b.id AS other_id, "
            f"label(b) AS other_label{cols}"
        },
    )
