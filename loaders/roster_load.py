"""The parsed 61号 roster -> graph rows (pure) -> the store (one transaction).

Every node and relationship records the document number as ``source`` and
the section or table row as ``source_ref``. The batch replaces what an earlier
load of the same document wrote, so a corrected errata file leaves no stale
facts, and loading the same document twice changes nothing.

A roster load is an *edition* (docs/roster.md, graph/editions.py): a notice with a new
文号 supersedes the previous one from its date in force. The latest edition's roster
replaces the roster facts of every earlier one; chains are never deleted (a chain the
new edition no longer lists is marked ``in_force_until``), and a rename in the edition's
errata (``[[renamed]]``) keeps the chain's id, so its segments, placements and lists stay.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from chainkg.errors import InputError, Problem
from chainkg.graph import audit, editions, ids
from chainkg.graph.batch import GraphBatch, Row
from chainkg.graph.editions import NOTICE, ChainRef, Edition
from chainkg.graph.store import GraphStore
from chainkg.loaders.roster_model import Note, Roster
from chainkg.loaders.roster_parser import (
    Errata,
    default_document_path,
    load_errata,
    parse_roster,
)

log = logging.getLogger(__name__)
PROVINCE = "河南省"


def _ref(source: str, number: str) -> str:
    """The locator part of a parser source string ('豫政办〔2021〕61号 附件 表 第2行' -> '附件 表 第2行')."""
    return source.removeprefix(number).strip() or source


@dataclass(frozen=True)
class EditionPlan:
    """How an edition meets the graph: the ids of its chains and what it changes (pure result)."""

    number: str
    in_force: dt.date
    current: bool  # the latest in force: its roster becomes the graph's roster
    chain_ids: dict[str, str]  # chain name in this edition -> id
    chains: dict[str, ChainRef]  # id -> the chain as the graph has it (absent: new)
    renamed: tuple[tuple[str, str, str], ...]  # (id, name before, name now)
    dropped: tuple[ChainRef, ...]  # notice chains in force that this edition no longer lists
    new: tuple[str, ...]  # names of chains the graph did not have
    others: tuple[Edition, ...]  # the other stored editions
    notes: tuple[Note, ...] = ()


def plan_edition(
    roster: Roster,
    errata: Errata,
    stored: list[Edition],
    chains: list[ChainRef],
) -> EditionPlan:
    """Resolve this edition's chains against the graph's (pure); InputError for a bad rename."""
    number = roster.document.number
    in_force = errata.in_force or roster.document.issued
    names = {c.name for c in roster.chains}
    problems = [
        Problem(
            errata.source,
            f"renamed entry: {r.new_name!r} is not a chain of {number}; "
            "new_name must be the chain's name in this notice",
            row=r.line,
            column="new_name",
        )
        for r in errata.renames
        if r.new_name not in names
    ] + [
        Problem(
            errata.source,
            f"renamed entry: {r.chain!r} is still listed by {number}; a renamed chain "
            "keeps one name — delete the entry or correct its chain",
            row=r.line,
            column="chain",
        )
        for r in errata.renames
        if r.chain in names
    ]
    if problems:
        raise InputError(problems, hint="fix the [[renamed]] entries (docs/roster.md)")
    index = editions.chain_index(chains)
    by_id = {c.id: c for c in chains}
    before = {r.new_name: r for r in errata.renames}
    chain_ids: dict[str, str] = {}
    renamed, new, notes = [], [], []
    for chain in roster.chains:
        rename = before.get(chain.name)
        found = index.get(chain.name)
        if rename is not None:
            old = index.get(rename.chain)
            if old is None:
                notes.append(
                    Note(
                        "gap",
                        f"改名 {rename.chain} → {chain.name}：图中没有 {rename.chain}，按新链载入 "
                        "(the renamed chain is not in the graph; loaded as a new chain)",
                        f"{errata.source} 第{rename.line}行",
                        rename.line,
                    )
                )
            else:
                found = old
                if old.name != chain.name:
                    renamed.append((old.id, old.name, chain.name))
        chain_ids[chain.name] = found.id if found else ids.chain_id(chain.name)
        if found is None:
            new.append(chain.name)
    listed = set(chain_ids.values())
    others = tuple(e for e in stored if e.number != number)
    this = Edition(ids.document_id(number), number, roster.document.title, None, in_force)
    latest = editions.current_edition([*others, this])
    current = latest is not None and latest.number == number
    # Only the current edition changes the graph's chains (an earlier one is kept as a record).
    dropped = tuple(
        c
        for c in chains
        if current and c.from_notice and c.id not in listed and not c.in_force_until
    )
    return EditionPlan(
        number=number,
        in_force=in_force,
        current=current,
        chain_ids=chain_ids,
        chains={i: by_id[i] for i in listed if i in by_id},
        renamed=tuple(renamed) if current else (),
        dropped=dropped,
        new=tuple(new) if current else (),
        others=others,
        notes=tuple(notes),
    )


def edition_roster(roster: Roster, plan: EditionPlan) -> dict[str, object]:
    """The edition's roster in the shape of ``chainkg roster --format json`` (pure)."""
    doc = roster.document
    number = doc.number

    def org(o: object) -> dict[str, str]:
        return {"name": o.name, "kind": o.kind}  # type: ignore[attr-defined]

    return {
        "document": {
            "number": number,
            "title": doc.title,
            "issuer": doc.issuer,
            "issued": doc.issued.isoformat(),
            "in_force": plan.in_force.isoformat(),
        },
        "general_chief": (
            {"name": roster.general_chief, "title": _role_holder(roster, "general_chief")}
            if roster.general_chief
            else None
        ),
        "clusters": [
            {
                "seq": c.seq,
                "name": c.name,
                "chiefs": [{"name": p, "title": _role_holder(roster, "chief")} for p in c.chiefs],
                "chains": [
                    {
                        "seq": ch.seq,
                        "id": plan.chain_ids[ch.name],
                        "name": ch.name,
                        "origin": NOTICE,
                        # The snapshot records the edition as it was: names only it gave.
                        "former_names": [],
                        "status": None,
                        "city": None,
                        "basis": None,
                        "registry": None,
                        "future": ch.future,
                        "responsible_units": [org(u) for u in ch.responsible_units],
                        "alliance_chairs": [org(u) for u in ch.alliance_chairs],
                        "deputies": [],
                        "source": _ref(ch.source, number),
                    }
                    for ch in c.chains
                ],
                "source": _ref(c.source, number),
            }
            for c in roster.clusters
        ],
        "notes": [{"kind": n.kind, "text": n.text, "source": n.source} for n in roster.notes],
    }


def _role_holder(roster: Roster, key: str) -> str | None:
    return next((r.held_by for r in roster.roles if r.key == key), None)


def roster_batch(roster: Roster, loaded_at: str, plan: EditionPlan | None = None) -> GraphBatch:
    """Graph rows for the whole roster: document, roles, mechanisms, clusters, chains, units, notes.

    With ``plan`` (an edition load), chains take the plan's ids and edition properties, the
    chains it drops stay (marked ``in_force_until``) and the other editions' documents stay.
    """
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
    edition: Row = {}
    if plan is not None:
        later = editions.superseded_dates([*plan.others, _this_edition(roster, plan)])
        edition = {
            "in_force": plan.in_force,
            "current": plan.current,
            "superseded_on": later[doc_id],
            "snapshot": editions.encode_roster(edition_roster(roster, plan)),
        }
    b.add_nodes(
        "Document",
        [
            node(
                doc_id,
                "全文",
                number=number,
                title=doc.title,
                issuer=doc.issuer,
                issued=doc.issued,
                **edition,
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
            chid = plan.chain_ids[chain.name] if plan else ids.chain_id(chain.name)
            chains.append(
                node(
                    chid,
                    chain.source,
                    name=chain.name,
                    seq=chain.seq,
                    future=chain.future,
                    **(_chain_edition(plan, chid, chain.name) if plan else {}),
                )
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
    if plan is not None:
        # Chains are never deleted: one this edition drops stays, no longer in force.
        b.add_nodes(
            "Chain",
            [
                {
                    "id": c.id,
                    "in_force_until": min(c.in_force_until or plan.in_force, plan.in_force),
                }
                for c in plan.dropped
            ],
        )
        b.add_nodes("Document", _other_documents(roster, plan))
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


def _this_edition(roster: Roster, plan: EditionPlan) -> Edition:
    number = roster.document.number
    return Edition(ids.document_id(number), number, roster.document.title, None, plan.in_force)


def _chain_edition(plan: EditionPlan, chain_id: str, name: str) -> Row:
    """Edition properties of a chain this edition lists."""
    have = plan.chains.get(chain_id)
    since = have.in_force_from if have and have.in_force_from else plan.in_force
    former = list(have.former_names) if have else []
    if have and have.name != name and have.name not in former:
        former.append(have.name)
    return {
        "origin": NOTICE,
        "in_force_from": min(since, plan.in_force),
        "in_force_until": None,
        "former_names": former,
        "edition": plan.number,
    }


def _other_documents(roster: Roster, plan: EditionPlan) -> list[Row]:
    """The other editions' documents: kept, with their place in the sequence of editions."""
    every = [*plan.others, _this_edition(roster, plan)]
    later = editions.superseded_dates(every)
    latest = editions.current_edition(every)
    return [
        {
            "id": e.id,
            "in_force": e.in_force,
            "current": latest is not None and e.id == latest.id,
            "superseded_on": later[e.id],
        }
        for e in plan.others
    ]


def earlier_edition_batch(run: editions.Run, edition: Edition) -> GraphBatch:
    """Remove an earlier edition's roster facts from the graph, keeping what must stay.

    Its document, its chains (with their segments and lists) and the organisations it named
    (lists and claims may hang on them) stay; its relationships, clusters and chiefs go.
    """
    b = GraphBatch(replaces=edition.number)
    b.add_nodes("Document", [{"id": edition.id}])
    for label in ("Chain", "Organization"):
        b.add_nodes(
            label, [{"id": i} for i in editions.ids_from_source(run, label, edition.number)]
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
    in_force: dt.date | None = None
    current: bool = True  # this edition is the one the graph holds
    renamed: tuple[tuple[str, str], ...] = ()  # (name before, name now)
    dropped: tuple[str, ...] = ()  # chains no longer in force from ``in_force``
    new: tuple[str, ...] = ()  # chains the graph did not have
    superseded: tuple[str, ...] = ()  # 文号 of the editions whose roster this one replaced


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


def errata_beside(path: Path | None) -> Path | None:
    """The errata file of a notice: ``NAME.errata.toml`` beside it, if there is one."""
    if path is None:
        return None
    beside = path.with_name(f"{path.stem}.errata.toml")
    return beside if beside.is_file() else None


def load_roster(
    store: GraphStore,
    path: Path | None = None,
    *,
    errata_path: Path | None = None,
    now: dt.datetime | None = None,
    who: str = "cli",
) -> RosterLoadReport:
    """Parse the notice and write it to ``store`` as a roster edition, in one transaction.

    The errata default to ``NAME.errata.toml`` beside the notice, else the packaged ones.
    If the edition is the latest in force, its roster becomes the graph's (earlier
    editions' roster facts go, their chains stay); otherwise only the edition is stored.
    """
    text, name = read_roster_document(path)
    errata = load_errata(errata_path or errata_beside(path))
    roster = parse_roster(text, source_name=name, errata=errata)
    loaded_at = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    with store.transaction() as tx:
        plan = plan_edition(
            roster, errata, editions.list_editions(tx.run), editions.list_chains(tx.run)
        )
        if plan.notes:
            roster = dataclasses.replace(roster, notes=(*roster.notes, *plan.notes))
        batch = roster_batch(roster, loaded_at, plan)
        if plan.current:
            rows = tx.write(batch)
            superseded = list(plan.others)
            for e in plan.others:
                tx.write(earlier_edition_batch(tx.run, e))
            for chain_id, old, new in plan.renamed:
                rows += editions.rename_copies(tx.run, chain_id, new, [old])
        else:
            # An earlier edition loaded after a later one: kept for as-of reads only.
            superseded = []
            rows = tx.upsert_nodes("Document", batch.nodes["Document"])
        if plan.renamed or plan.dropped or (plan.new and plan.others):
            audit.record(
                tx,
                who,
                "load_roster",
                ids.document_id(plan.number),
                {
                    "in_force": plan.in_force,
                    "renamed": [[old, new] for _, old, new in plan.renamed],
                    "dropped": [c.name for c in plan.dropped],
                    "new": list(plan.new),
                },
            )
    report = RosterLoadReport(
        document=roster.document.number,
        clusters=len(roster.clusters),
        chains=len(roster.chains),
        organizations=len(batch.nodes["Organization"]),
        notes=len(roster.notes),
        rows=rows,
        in_force=plan.in_force,
        current=plan.current,
        renamed=tuple((old, new) for _, old, new in plan.renamed),
        dropped=tuple(c.name for c in plan.dropped) if plan.current else (),
        new=plan.new if plan.others else (),
        superseded=tuple(e.number for e in superseded),
    )
    log.info("roster loaded", extra={**vars(report), "file": name, "store": store.dialect})
    return report
