"""Writing the meeting calendar, minutes and decisions, and city deputy chiefs (副群链长).

Meetings are keyed by kind, scope and day, so planning a year twice changes nothing. A
planned meeting keeps its minutes and status when the year is planned again. Decisions
are keyed by meeting and number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from chainkg.errors import InputError, NotFoundError, Problem
from chainkg.graph import ids
from chainkg.graph.catalog import query
from chainkg.graph.editions import chain_id_lookup
from chainkg.graph.store import GraphStore
from chainkg.loaders.ledger_model import LedgerError
from chainkg.loaders.ledger_policy import read_toml

CALENDAR_SOURCE = "豫政办〔2021〕61号 二、(一)"
DECISION_STATUSES = ("未完成", "已完成")


def _prov(
    row: Mapping[str, Any], source: str, ref: str, at: str, day: dt.date, synthetic: bool
) -> dict[str, Any]:
    return {
        **row,
        "source": source,
        "source_ref": ref,
        "loaded_at": at,
        "as_of": day,
        "synthetic": synthetic,
    }


def write_meetings(
    store: GraphStore,
    meetings: Sequence[Mapping[str, Any]],
    *,
    now: dt.datetime,
    synthetic: bool = False,
    source: str = CALENDAR_SOURCE,
) -> int:
    """Upsert meetings with COVERS links to their chains; minutes and status already recorded
    are kept. Returns the number of meetings written."""
    at = now.isoformat(timespec="seconds")
    existing = {m["id"] for m in store.nodes_by_id("Meeting", [m["id"] for m in meetings])}
    lookup = chain_id_lookup(store.read)
    rows, covers = [], []
    for m in meetings:
        row = dict(m)
        if m["id"] in existing:  # do not overwrite what the minutes recorded
            row.pop("status", None)
            row.pop("minutes", None)
        ref = "ad hoc" if m.get("ad_hoc") else m["kind"]
        rows.append(_prov(row, source, ref, at, m["held_on"], synthetic))
        for chain in m.get("chains") or []:
            covers.append(
                _prov(
                    {"from_id": m["id"], "to_id": lookup(chain) or ids.chain_id(chain)},
                    source,
                    ref,
                    at,
                    m["held_on"],
                    synthetic,
                )
            )
    with store.transaction() as tx:
        tx.upsert_nodes("Meeting", rows)
        tx.upsert_rels("COVERS", "Meeting", "Chain", covers)
    return len(rows)


def record_minutes(
    store: GraphStore,
    meeting_id: str,
    *,
    minutes: str,
    decisions: Sequence[Mapping[str, Any]],
    now: dt.datetime,
    units: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Record a meeting's minutes (status 已召开) and its decisions (title, owner, due, chain).

    Decisions are numbered after those already recorded. ``units``: when given, each
    decision's owner must be one of them. Returns the decisions written.
    """
    found = store.nodes_by_id("Meeting", [meeting_id])
    if not found:
        raise NotFoundError(f"no meeting {meeting_id!r}", hint="see `chainkg meetings list`")
    meeting = found[0]
    chains = meeting.get("chains") or []
    have = [
        d
        for d in store.read(query("meetings_decisions"), {"open_only": False})
        if d["d"]["meeting"] == meeting_id
    ]
    at = now.isoformat(timespec="seconds")
    rows, links = [], []
    for n, d in enumerate(decisions, len(have) + 1):
        title = (d.get("title") or "").strip()
        if not title or not d.get("owner") or d.get("due") is None:
            raise LedgerError(
                f"decision {n}: give a title, an owner unit and a due day (标题|责任单位|YYYY-MM-DD)"
            )
        if units is not None and d["owner"] not in units:
            raise LedgerError(
                f"decision {n}: {d['owner']} is not a responsible unit of the meeting's chains"
            )
        chain = d.get("chain") or (chains[0] if len(chains) == 1 else None)
        if chain is not None and chains and chain not in chains:
            raise LedgerError(f"decision {n}: {chain} is not one of the meeting's chains")
        did = f"decision:{meeting_id.removeprefix('meeting:')}#{n}"
        row = {
            "id": did,
            "meeting": meeting_id,
            "title": title,
            "owner": d["owner"],
            "chain": chain,
            "due": d["due"],
            "status": "未完成",
            "done_on": None,
        }
        rows.append(
            _prov(
                row,
                meeting["name"],
                f"纪要 第{n}项",
                at,
                meeting["held_on"],
                bool(meeting.get("synthetic")),
            )
        )
        links.append(
            _prov(
                {"from_id": meeting_id, "to_id": did},
                meeting["name"],
                f"纪要 第{n}项",
                at,
                meeting["held_on"],
                bool(meeting.get("synthetic")),
            )
        )
    with store.transaction() as tx:
        tx.upsert_nodes("Meeting", [{"id": meeting_id, "minutes": minutes, "status": "已召开"}])
        tx.upsert_nodes("Decision", rows)
        tx.upsert_rels("DECIDED", "Meeting", "Decision", links)
    return rows


def close_decision(store: GraphStore, decision_id: str, *, on: dt.date) -> dict[str, Any]:
    """Mark a decision 已完成 on ``on``."""
    found = store.nodes_by_id("Decision", [decision_id])
    if not found:
        raise NotFoundError(
            f"no decision {decision_id!r}", hint="see `chainkg meetings show MEETING`"
        )
    with store.transaction() as tx:
        tx.upsert_nodes("Decision", [{"id": decision_id, "status": "已完成", "done_on": on}])
    return {**found[0], "status": "已完成", "done_on": on}


def read_deputies_file(path: Path) -> tuple[str, list[dict[str, Any]], dict[str, Any]]:
    """The 副群链长 of a roster supplement file (TOML): its source and its rows.

    The file: ``source = "..."`` (required: the document naming them), optional
    ``as_of = YYYY-MM-DD`` and ``synthetic = true``, and ``[[deputy]]`` tables with
    ``chain``, ``city``, ``name`` and optionally ``title``. InputError naming every bad entry.
    """
    name = path.name
    doc = read_toml(path)
    problems: list[Problem] = []
    source = str(doc.get("source") or "").strip()
    if not source:
        problems.append(Problem(name, "no `source`: name the document that appoints the 副群链长"))
    rows = []
    for i, d in enumerate(doc.get("deputy", []), 1):
        missing = [k for k in ("chain", "city", "name") if not str(d.get(k) or "").strip()]
        if missing:
            problems.append(Problem(name, f"[[deputy]] #{i} lacks {', '.join(missing)}", row=i))
            continue
        rows.append(
            {k: str(d.get(k) or "").strip() or None for k in ("chain", "city", "name", "title")}
            | {"n": i}
        )
    if problems:
        raise InputError(problems, hint="see docs/ledger.md (副群链长) for the file's format")
    meta = {"as_of": doc.get("as_of"), "synthetic": bool(doc.get("synthetic", False))}
    return source, rows, meta


def load_deputies(store: GraphStore, path: Path, *, now: dt.datetime) -> int:
    """Load the 副群链长 of a supplement file: Person nodes and DEPUTY_CHIEF_OF (chain, city).

    All or nothing: every chain must be in the graph. The file's own earlier load is replaced.
    """
    source, rows, meta = read_deputies_file(path)
    as_of = meta["as_of"] or now.date()
    synthetic = meta["synthetic"]
    lookup = chain_id_lookup(store.read)
    bad = [
        Problem(
            path.name, f"no chain named {r['chain']!r} in the graph", row=r["n"], column="chain"
        )
        for r in rows
        if lookup(r["chain"]) is None
    ]
    if bad:
        raise InputError(bad, hint="use the chains' full names as in `chainkg roster`")
    at = now.isoformat(timespec="seconds")
    people, links = {}, []
    for r in rows:
        pid = ids.person_id(r["name"])
        people[pid] = _prov(
            {"id": pid, "name": r["name"], "title": r["title"]},
            source,
            f"第{r['n']}条",
            at,
            as_of,
            synthetic,
        )
        links.append(
            _prov(
                {"from_id": pid, "to_id": lookup(r["chain"]), "city": r["city"]},
                source,
                f"第{r['n']}条",
                at,
                as_of,
                synthetic,
            )
        )
    with store.transaction() as tx:
        tx.run(query("deputies_drop_source"), {"source": source})
        tx.upsert_nodes("Person", list(people.values()))
        tx.upsert_rels("DEPUTY_CHIEF_OF", "Person", "Chain", links)
    return len(links)
