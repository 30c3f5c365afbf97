"""The parsed 61号 roster -> graph rows (pure) -> the store (one transaction).

Every node and relationship records the document number as ``source`` and
the section or table row as ``source_ref``. The batch replaces what an earlier
load of the same document wrote, so a corrected errata file leaves no stale
facts, and loading the same document twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from chainkg.errors import InputError, Problem
from chainkg.graph import ids
from chainkg.graph.batch import GraphBatch, Row
from chainkg.graph.store import GraphStore
from chainkg.loaders.roster_model import Roster
from chainkg.loaders.roster_parser import default_document_path, load_errata, parse_roster

log = logging.getLogger(__name__)
PROVINCE = "河南省"


def _ref(source: str, number: str) -> str:
    """The locator part of a parser source string ('豫政办〔2021〕61号 附件 表 第2行' -> '附件 表 第2行')."""
    return source.removeprefix(number).strip() or source


def roster_batch(roster: Roster, loaded_at: str) -> GraphBatch:
    """Graph rows for the whole roster: document, roles, mechanisms, clusters, chains, units, notes."""
    doc = roster.document
    number = doc.number
    prov: Row = {"source": number, "loaded_at": loaded_at, "as_of": doc.issued}

    def node(id_: str, ref: str, **props: object) -> Row:
        return {"id": id_, **props, **prov, "source_ref": _ref(ref, number)}

    def rel(from_id: str, to_id: str, ref: str, **props: object) -> Row:
        return {
            "from_id": from_id,
            "to_id": to_id,
            **props,
            **prov,
            "source_ref": _ref(ref, number),
        }

    b = GraphBatch(replaces=number)
    doc_id = ids.document_id(number)
    b.add_nodes(
        "Document",
        [
            node(
                doc_id, "全文", number=number, title=doc.title, issuer=doc.issuer, issued=doc.issued
            )
        ],
    )
    province_id = ids.province_id(PROVINCE)
    b.add_nodes("Province", [node(province_id, "全文", name=PROVINCE)])
    issuer_id = ids.org_id(doc.issuer)
    orgs: dict[str, Row] = {
        issuer_id: node(issuer_id, "版记", name=ids.clean_name(doc.issuer), kind="government")
    }
    b.add_rels("ISSUED_BY", "Document", "Organization", [rel(doc_id, issuer_id, "版记")])

    roles = {r.key: r for r in roster.roles}
    people: dict[str, Row] = {}
    if roster.general_chief:
        pid = ids.person_id(roster.general_chief)
        title = roles["general_chief"].held_by if "general_chief" in roles else None
        people[pid] = node(
            pid, roster.general_chief_source or "附件 表", name=roster.general_chief, title=title
        )
        b.add_rels(
            "GENERAL_CHIEF_OF",
            "Person",
            "Province",
            [rel(pid, province_id, roster.general_chief_source or "附件 表")],
        )

    clusters, chains, chiefs, has_cluster, has_chain, units, chairs = [], [], [], [], [], [], []
    chief_title = roles["chief"].held_by if "chief" in roles else None
    for cluster in roster.clusters:
        cid = ids.cluster_id(cluster.name)
        clusters.append(node(cid, cluster.source, name=cluster.name, seq=cluster.seq))
        has_cluster.append(rel(province_id, cid, cluster.source))
        for pos, chief in enumerate(cluster.chiefs, 1):
            pid = ids.person_id(chief)
            people.setdefault(pid, node(pid, cluster.source, name=chief, title=chief_title))
            chiefs.append(rel(pid, cid, cluster.source, position=pos))
        for chain in cluster.chains:
            chid = ids.chain_id(chain.name)
            chains.append(
                node(chid, chain.source, name=chain.name, seq=chain.seq, future=chain.future)
            )
            has_chain.append(rel(cid, chid, chain.source))
            for target, refs in ((units, chain.responsible_units), (chairs, chain.alliance_chairs)):
                for pos, org in enumerate(refs, 1):
                    oid = ids.org_id(org.name)
                    orgs.setdefault(oid, node(oid, chain.source, name=org.name, kind=org.kind))
                    target.append(rel(oid, chid, chain.source, position=pos))

    b.add_nodes("Person", list(people.values()))
    b.add_nodes("Cluster", clusters)
    b.add_nodes("Chain", chains)
    b.add_nodes("Organization", list(orgs.values()))
    b.add_rels("HAS_CLUSTER", "Province", "Cluster", has_cluster)
    b.add_rels("CHIEF_OF", "Person", "Cluster", chiefs)
    b.add_rels("HAS_CHAIN", "Cluster", "Chain", has_chain)
    b.add_rels("RESPONSIBLE_FOR", "Organization", "Chain", units)
    b.add_rels("ALLIANCE_CHAIR_OF", "Organization", "Chain", chairs)

    role_rows, duty_rows, defines, has_duty = [], [], [], []
    for role in roster.roles:
        rid = ids.role_id(role.key)
        role_rows.append(node(rid, role.source, key=role.key, name=role.name, held_by=role.held_by))
        defines.append(rel(doc_id, rid, role.source))
        for pos, duty in enumerate(role.duties, 1):
            did = ids.duty_id(role.key, duty.number)
            duty_rows.append(
                node(
                    did,
                    duty.source,
                    role=role.key,
                    number=duty.number,
                    title=duty.title,
                    text=duty.text,
                    position=pos,
                )
            )
            has_duty.append(rel(rid, did, duty.source))
    b.add_nodes("Role", role_rows)
    b.add_nodes("Duty", duty_rows)
    b.add_rels("DEFINES", "Document", "Role", defines)
    b.add_rels("HAS_DUTY", "Role", "Duty", has_duty)

    mechanisms = [
        node(
            ids.mechanism_id(m.key),
            m.source,
            key=m.key,
            name=m.name,
            convener=m.convener,
            cadence=m.cadence,
            cadence_text=m.cadence_text,
            position=pos,
        )
        for pos, m in enumerate(roster.mechanisms, 1)
    ]
    b.add_nodes("Mechanism", mechanisms)
    b.add_rels(
        "ESTABLISHES",
        "Document",
        "Mechanism",
        [rel(doc_id, m["id"], m["source_ref"]) for m in mechanisms],
    )

    notes = [
        {
            **node(ids.note_id(number, pos), "", kind=n.kind, text=n.text, position=pos),
            "source_ref": n.source,
        }
        for pos, n in enumerate(roster.notes, 1)
    ]
    b.add_nodes("SourceNote", notes)
    b.add_rels(
        "HAS_NOTE", "Document", "SourceNote", [rel(doc_id, n["id"], "勘误与缺漏") for n in notes]
    )
    return b


@dataclass(frozen=True)
class RosterLoadReport:
    """What a roster load wrote."""

    document: str
    clusters: int
    chains: int
    organizations: int
    notes: int
    rows: int


def read_roster_document(path: Path | None = None) -> tuple[str, str]:
    """The document's text and its file name; InputError naming the file if unreadable."""
    path = path or default_document_path()
    try:
        return path.read_text(encoding="utf-8"), path.name
    except FileNotFoundError:
        raise InputError(
            [Problem(str(path), "file not found")],
            hint="give the path of the 61号 notice as Markdown/text, or omit it for the shipped copy",
        ) from None
    except UnicodeDecodeError as exc:
        raise InputError(
            [Problem(str(path), f"not UTF-8 text (byte {exc.start})")],
            hint="save the document as UTF-8 text",
        ) from None


def load_roster(
    store: GraphStore,
    path: Path | None = None,
    *,
    errata_path: Path | None = None,
    now: dt.datetime | None = None,
) -> RosterLoadReport:
    """Parse the notice and write its roster to ``store`` in one transaction."""
    text, name = read_roster_document(path)
    roster = parse_roster(text, source_name=name, errata=load_errata(errata_path))
    loaded_at = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    batch = roster_batch(roster, loaded_at)
    with store.transaction() as tx:
        rows = tx.write(batch)
    report = RosterLoadReport(
        document=roster.document.number,
        clusters=len(roster.clusters),
        chains=len(roster.chains),
        organizations=len(batch.nodes["Organization"]),
        notes=len(roster.notes),
        rows=rows,
    )
    log.info("roster loaded", extra={**vars(report), "file": name, "store": store.dialect})
    return report
