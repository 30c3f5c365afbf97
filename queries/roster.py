"""Read the 双长制 roster back from the store into the JSON shape of ``chainkg roster``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from chainkg.errors import NotFoundError
from chainkg.graph import editions, ids
from chainkg.graph.catalog import query
from chainkg.graph.editions import NOTICE, Edition
from chainkg.graph.store import GraphStore, Row

DOCUMENT_NUMBER = "豫政办〔2021〕61号"
PROVINCE = "河南省"


def assemble_roster(
    document: Row,
    chiefs: list[Row],
    clusters: list[Row],
    chains: list[Row],
    units: list[Row],
    notes: list[Row],
    deputies: list[Row] | None = None,
) -> dict[str, Any]:
    """The roster object from the rows of the roster queries (pure).

    ``deputies``: city 副群链长 rows (``roster_deputies``); each chain lists its own with
    their source (a roster supplement file, not the notice).
    """
    by_chain_deputies: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in deputies or []:
        by_chain_deputies[d["chain"]].append(
            {
                "name": d["name"],
                "title": d["title"],
                "city": d["city"],
                "source": d["source"],
                "synthetic": bool(d.get("synthetic")),
            }
        )
    by_chain: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
    for u in sorted(units, key=lambda r: (r["chain"], r["role"], r["position"])):
        by_chain[u["chain"]][u["role"]].append(u)
    chains_by_cluster: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for ch in chains:
        roles = by_chain[ch["name"]]
        chains_by_cluster[ch["cluster_seq"]].append(
            {
                "seq": ch["seq"],
                "id": ch.get("id"),
                "name": ch["name"],
                "origin": ch.get("origin") or NOTICE,
                **_registry_fields(ch),
                "future": bool(ch["future"]),
                "responsible_units": [
                    {"name": u["name"], "kind": u["kind"]} for u in roles["responsible"]
                ],
                "alliance_chairs": [
                    {"name": u["name"], "kind": u["kind"]} for u in roles["alliance_chair"]
                ],
                "deputies": by_chain_deputies.get(ch["name"], []),
                "source": ch["source_ref"],
            }
        )
    out_clusters: dict[int, dict[str, Any]] = {}
    for c in clusters:
        entry = out_clusters.setdefault(
            c["seq"],
            {
                "seq": c["seq"],
                "name": c["name"],
                "chiefs": [],
                "chains": chains_by_cluster[c["seq"]],
                "source": c["source_ref"],
            },
        )
        if c["chief"] is not None:
            entry["chiefs"].append({"name": c["chief"], "title": c["chief_title"]})
    issued = document["issued"]
    return {
        "document": {
            "number": document["number"],
            "title": document["title"],
            "issuer": document["issuer"],
            "issued": issued.isoformat() if issued else None,
        },
        "general_chief": (
            {"name": chiefs[0]["name"], "title": chiefs[0]["title"]} if chiefs else None
        ),
        "clusters": [out_clusters[k] for k in sorted(out_clusters)],
        "notes": [{"kind": n["kind"], "text": n["text"], "source": n["source"]} for n in notes],
    }


def _registry_fields(ch: Row) -> dict[str, Any]:
    """What a registry chain adds to a roster chain: status, city, the registry file."""
    registry = (ch.get("origin") or NOTICE) != NOTICE
    return {
        "former_names": list(ch.get("former_names") or []),
        "status": ch.get("status"),
        "city": ch.get("city"),
        "basis": ch.get("basis"),
        "registry": ch.get("source") if registry else None,
    }


def _edition_row(e: Edition) -> dict[str, Any]:
    return {
        "number": e.number,
        "title": e.title,
        "in_force": e.in_force.isoformat(),
        "superseded_on": e.superseded_on.isoformat() if e.superseded_on else None,
        "current": e.current,
    }


def read_roster(
    store: GraphStore, document_number: str | None = None, *, on: dt.date | None = None
) -> dict[str, Any]:
    """The roster of the edition in force on ``on`` (None: the current edition, the one the
    graph holds); NotFoundError if no roster was loaded or none was in force that day.

    The current edition is read from the graph (with registry chains and 副群链长); an
    earlier one from its snapshot. ``editions`` lists every stored edition.
    """
    stored = editions.list_editions(store.read)
    if document_number is None and stored:
        current = editions.current_edition(stored)
        assert current is not None
        target = current if on is None else editions.edition_in_force(stored, on)
        if target is None:
            first = stored[0]
            raise NotFoundError(
                f"no roster edition was in force on {on}: the first stored one, "
                f"{first.number}, takes effect on {first.in_force}",
                hint="give a later --as-of date, or load the edition in force then",
            )
        if target.id != current.id:
            data = editions.read_edition_roster(store.read, target.id)
            data["document"]["superseded_on"] = (
                target.superseded_on.isoformat() if target.superseded_on else None
            )
            data["retired"] = []
            data["editions"] = [_edition_row(e) for e in stored]
            return data
        document_number = target.number
    data = _read_graph_roster(store, document_number or DOCUMENT_NUMBER)
    edition = next((e for e in stored if e.number == document_number), None)
    data["document"]["in_force"] = edition.in_force.isoformat() if edition else None
    data["document"]["superseded_on"] = (
        edition.superseded_on.isoformat() if edition and edition.superseded_on else None
    )
    data["retired"] = [
        {
            "id": r["id"],
            "name": r["name"],
            "origin": r["origin"],
            "in_force_until": r["in_force_until"].isoformat(),
            "source": r["source"],
        }
        for r in store.read(query("roster_chains_retired"))
        if on is None or r["in_force_until"] <= on
    ]
    data["editions"] = [_edition_row(e) for e in stored]
    return data


def _read_graph_roster(store: GraphStore, document_number: str) -> dict[str, Any]:
    doc_params = {"document_id": ids.document_id(document_number)}
    prov_params = {"province_id": ids.province_id(PROVINCE)}
    documents = store.read(query("roster_document"), doc_params)
    if not documents:
        raise NotFoundError(
            f"the roster of {document_number} is not in the graph at {store.location}",
            hint="load it first: chainkg load roster",
        )
    return assemble_roster(
        documents[0],
        store.read(query("roster_general_chief"), prov_params),
        store.read(query("roster_clusters"), prov_params),
        store.read(query("roster_chains"), prov_params),
        store.read(query("roster_units"), prov_params),
        store.read(query("roster_notes"), doc_params),
        store.read(query("roster_deputies")),
    )


def read_roles(store: GraphStore, document_number: str = DOCUMENT_NUMBER) -> list[dict[str, Any]]:
    """The roles with their duties, in document order of duties."""
    rows = store.read(query("roster_roles"), {"document_id": ids.document_id(document_number)})
    roles: dict[str, dict[str, Any]] = {}
    for r in rows:
        role = roles.setdefault(
            r["key"], {"key": r["key"], "name": r["name"], "held_by": r["held_by"], "duties": []}
        )
        if r["number"] is not None:
            role["duties"].append({"number": r["number"], "title": r["title"], "text": r["text"]})
    return list(roles.values())


def read_mechanisms(store: GraphStore, document_number: str = DOCUMENT_NUMBER) -> list[Row]:
    """The meeting mechanisms with their cadence."""
    rows = store.read(query("roster_mechanisms"), {"document_id": ids.document_id(document_number)})
    return [{k: v for k, v in r.items() if k != "position"} for r in rows]
