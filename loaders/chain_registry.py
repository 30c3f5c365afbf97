"""The chains registry (产业链登记表): chains the roster notice does not list (docs/roster.md).

A city's own 特色产业链 (e.g. 许昌市 发制品产业链) or a newly designated chain is declared in a
CSV or XLSX file, one row per chain, with its cluster (重大集群), owner units (责任单位),
status (状态), city, the decision that designates it (认定依据) and its dates. Once loaded it is
a Chain like the others (templates, lists, weak links, maps attach to it), marked
``origin = 'registry'`` with the registry file as ``source`` wherever it shows.

The load is all or nothing and idempotent: a bad row is a located error (file, row, column,
what to do) and nothing is written; loading the same file again changes nothing. A chain the
file no longer has is not deleted (its segments and lists stay): it is marked withdrawn
(``in_force_until``, the load date unless a 撤销日期 says otherwise).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chainkg.errors import InputError, Problem
from chainkg.graph import audit, editions, ids
from chainkg.graph.batch import GraphBatch
from chainkg.graph.catalog import query
from chainkg.graph.editions import REGISTRY
from chainkg.graph.store import GraphStore
from chainkg.loaders.list_reader import Table, read_table
from chainkg.loaders.places import PlaceError, resolve_place
from chainkg.loaders.roster_parser import org_kind
from chainkg.loaders.text_clean import TextError, clean_org_name, clean_text

# column -> the header spellings accepted (Chinese first, then English)
COLUMNS: dict[str, tuple[str, ...]] = {
    "chain": ("产业链", "产业链名称", "chain"),
    "cluster": ("所属集群", "重大集群", "集群", "cluster"),
    "units": ("责任单位", "群链长责任单位", "牵头单位", "owner_units", "units"),
    "status": ("状态", "类型", "status"),
    "city": ("地市", "所在地市", "city"),
    "basis": ("认定依据", "来源", "依据", "basis", "source"),
    "since": ("认定日期", "生效日期", "in_force_from", "since"),
    "until": ("撤销日期", "in_force_until", "until"),
}
REQUIRED = ("chain", "cluster", "units", "status", "basis")
HEADERS = {"chain": "产业链", "cluster": "所属集群", "units": "责任单位", "status": "状态"}
HEADERS |= {"city": "地市", "basis": "认定依据", "since": "认定日期", "until": "撤销日期"}
MAX_NAME = 200
SEQ_BASE = 1000  # registry chains sort after the notice's (seq 1-30) within their cluster
_UNIT_SPLIT = re.compile(r"[、，,；;／/\n]+")


@dataclass
class RegistryChain:
    """One valid registry row."""

    row: int
    name: str
    cluster: str
    units: tuple[str, ...]
    status: str
    basis: str
    city: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass
class RegistryReport:
    """What a registry load found and wrote."""

    file: str
    chains: list[RegistryChain] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)  # chains the file no longer has
    missing: list[str] = field(default_factory=list)  # empty optional cells, reported
    rows: int = 0


def _columns(table: Table) -> tuple[dict[str, int], list[Problem]]:
    known = {h.lower(): col for col, spellings in COLUMNS.items() for h in spellings}
    where: dict[str, int] = {}
    problems = []
    for i, header in enumerate(table.header):
        text = re.sub(r"[*＊\s]", "", str(header or "")).lower()
        col = known.get(text)
        if col is not None and col not in where:
            where[col] = i
    for col in REQUIRED:
        if col not in where:
            problems.append(
                Problem(
                    table.file,
                    f"no {HEADERS[col]} column; the registry needs the columns "
                    f"{'、'.join(HEADERS[c] for c in REQUIRED)} (optional: 地市、认定日期、撤销日期)",
                    row=table.header_row,
                    column=HEADERS[col],
                )
            )
    return where, problems


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().removesuffix("日").replace("年", "-").replace("月", "-")
    return dt.date.fromisoformat("-".join(p.zfill(2) for p in re.split(r"[-/.]", text)))


def read_registry(
    path: Path,
    *,
    clusters: set[str],
    notice_chains: set[str],
    sheet: str | None = None,
) -> tuple[list[RegistryChain], list[str], list[Problem]]:
    """The valid rows, the missing optional cells and every located problem of a registry file.

    ``clusters``: the graph's cluster names; ``notice_chains``: the chains a roster edition
    in force lists (a registry row must not declare one of them again).
    """
    table = read_table(path, sheet)
    where, problems = _columns(table)
    # The list reader knows the lists' headers, not the registry's: when its guess misses
    # (a merged title row above the header), the header is the first of the top rows that
    # has the registry's columns.
    for row in range(1, 11) if problems else ():
        try:
            candidate = read_table(path, sheet, header_row=row)
        except InputError:
            continue
        found, missed = _columns(candidate)
        if not missed:
            table, where, problems = candidate, found, []
            break
    if problems:
        return [], [], problems
    chains: list[RegistryChain] = []
    missing: list[str] = []
    seen: dict[str, int] = {}
    for number, cells in table.rows:

        def cell(col: str, _cells: list[Any] = cells) -> Any:
            i = where.get(col)
            value = _cells[i] if i is not None and i < len(_cells) else None
            return None if value is None or str(value).strip() == "" else value

        def bad(col: str, message: str, _number: int = number) -> None:
            problems.append(Problem(table.file, message, row=_number, column=HEADERS[col]))

        values: dict[str, Any] = {}
        for col in where:
            raw = cell(col)
            if raw is None:
                if col in REQUIRED:
                    bad(col, f"{HEADERS[col]} is empty; fill it in (required)")
                elif col in ("city", "since"):
                    missing.append(f"{table.file} 第{number}行 {HEADERS[col]}")
                continue
            try:
                text = clean_text(str(raw)) if col not in ("since", "until") else raw
            except TextError as exc:
                bad(col, f"{HEADERS[col]} {exc}")
                continue
            if isinstance(text, str) and len(text) > MAX_NAME:
                bad(
                    col,
                    f"{HEADERS[col]} has {len(text)} characters (at most {MAX_NAME}); shorten it",
                )
                continue
            values[col] = text
        name = "".join(str(values.get("chain", "")).split())
        if name:
            if not name.endswith("产业链"):
                name += "产业链"  # the registry's column is 产业链: 发制品 means 发制品产业链
            if name in notice_chains:
                bad(
                    "chain",
                    f"{name} is listed by the roster notice in force; a registry declares only "
                    "chains the notice does not list — delete the row",
                )
            elif name in seen:
                bad("chain", f"{name} is declared twice (also row {seen[name]}); keep one row")
            seen.setdefault(name, number)
        if "cluster" in values and values["cluster"] not in clusters:
            bad(
                "cluster",
                f"unknown 集群 {values['cluster']!r}; use one of the roster's clusters: "
                f"{'、'.join(sorted(clusters))}",
            )
        units = tuple(
            clean_org_name(u) for u in _UNIT_SPLIT.split(str(values.get("units", ""))) if u.strip()
        )
        city = None
        if "city" in values:
            try:
                place = resolve_place(values["city"])
            except PlaceError as exc:
                bad("city", f"地市 {values['city']!r} {exc}; write a Henan city, e.g. 许昌市")
            else:
                if not place.in_henan or not place.city:
                    bad("city", f"地市 {values['city']!r} is not a city of 河南省; e.g. 许昌市")
                city = place.city
        dates: dict[str, dt.date | None] = {}
        for col in ("since", "until"):
            if col in values:
                try:
                    dates[col] = _date(values[col])
                except (ValueError, TypeError):
                    bad(
                        col, f"{HEADERS[col]} {values[col]!r} is not a date; write it as 2023-06-30"
                    )
        if dates.get("since") and dates.get("until") and dates["until"] <= dates["since"]:
            bad("until", "撤销日期 is not after 认定日期; correct one of them")
        if name and all(k in values for k in ("cluster", "units", "status", "basis")):
            chains.append(
                RegistryChain(
                    number,
                    name,
                    values["cluster"],
                    units,
                    values["status"],
                    values["basis"],
                    city,
                    dates.get("since"),
                    dates.get("until"),
                )
            )
    problems.extend(p for ps in table.cell_problems.values() for p in ps)
    return chains, missing, problems


def registry_batch(
    source: str,
    chains: list[RegistryChain],
    *,
    index: dict[str, editions.ChainRef],
    cluster_ids: dict[str, str],
    orgs: dict[str, str | None],
    withdrawn: list[editions.ChainRef],
    today: dt.date,
    loaded_at: str,
) -> GraphBatch:
    """Rows for the registry's chains, their cluster and units (pure); ``orgs``: unit id -> the
    source of the organisation already in the graph (None: not there)."""
    b = GraphBatch(replaces=source)
    prov = {"source": source, "loaded_at": loaded_at, "synthetic": False}
    chain_rows, has_chain, units, org_rows = [], [], [], {}
    for c in chains:
        known = index.get(c.name)
        cid = known.id if known else ids.chain_id(c.name)
        ref = f"第{c.row}行"
        chain_rows.append(
            {
                "id": cid,
                "name": c.name,
                "seq": SEQ_BASE + c.row,
                "future": False,
                "origin": REGISTRY,
                "status": c.status,
                "city": c.city,
                "basis": c.basis,
                "in_force_from": c.since,
                "in_force_until": c.until,
                "former_names": list(known.former_names) if known else [],
                "edition": None,
                "as_of": c.since,
                **prov,
                "source_ref": ref,
            }
        )
        has_chain.append(
            {"from_id": cluster_ids[c.cluster], "to_id": cid, **prov, "source_ref": ref}
        )
        for pos, unit in enumerate(c.units, 1):
            oid = ids.org_id(unit)
            if orgs.get(oid, source) == source:  # new, or made by this registry: ours to write
                org_rows[oid] = {
                    "id": oid,
                    "name": ids.clean_name(unit),
                    "kind": org_kind(unit),
                    **prov,
                    "source_ref": ref,
                }
            units.append({"from_id": oid, "to_id": cid, "position": pos, **prov, "source_ref": ref})
    # Chains are never deleted: one the file no longer has stays, withdrawn from today.
    for c in withdrawn:
        chain_rows.append({"id": c.id, "in_force_until": c.in_force_until or today})
    b.add_nodes("Organization", list(org_rows.values()))
    b.add_nodes("Chain", chain_rows)
    b.add_rels("HAS_CHAIN", "Cluster", "Chain", has_chain)
    b.add_rels("RESPONSIBLE_FOR", "Organization", "Chain", units)
    return b


def load_registry(
    store: GraphStore,
    path: Path,
    *,
    sheet: str | None = None,
    now: dt.datetime | None = None,
    who: str = "cli",
) -> RegistryReport:
    """Check a chains registry file and load it in one transaction (InputError: nothing written)."""
    now = now or dt.datetime.now(dt.UTC)
    source = f"产业链登记表 {path.name}"
    chains_now = editions.list_chains(store.read)
    index = editions.chain_index(chains_now)
    clusters = {r["name"]: r["id"] for r in store.read(query("registry_clusters"))}
    if not clusters:
        raise InputError(
            [Problem(path.name, "the graph has no clusters (重大集群) yet")],
            hint="load the roster first: chainkg load roster",
        )
    notice = {
        n
        for c in chains_now
        if c.from_notice and not c.in_force_until
        for n in (c.name, *c.former_names)
    }
    chains, missing, problems = read_registry(
        path, clusters=set(clusters), notice_chains=notice, sheet=sheet
    )
    if problems:
        raise InputError(
            problems, hint="fix the rows named above and load again; nothing was written"
        )
    unit_ids = sorted({ids.org_id(u) for c in chains for u in c.units})
    orgs: dict[str, str | None] = {
        r["id"]: r["source"] for r in store.read(query("registry_known_orgs"), {"ids": unit_ids})
    }
    listed = {index[c.name].id if c.name in index else ids.chain_id(c.name) for c in chains}
    withdrawn = [
        c for c in chains_now if c.source == source and c.id not in listed and not c.in_force_until
    ]
    batch = registry_batch(
        source,
        chains,
        index=index,
        cluster_ids=clusters,
        orgs=orgs,
        withdrawn=withdrawn,
        today=now.date(),
        loaded_at=now.isoformat(timespec="seconds"),
    )
    with store.transaction() as tx:
        rows = tx.write(batch)
        if withdrawn:
            audit.record(
                tx, who, "withdraw_registry_chains", source, {"chains": [c.name for c in withdrawn]}
            )
    return RegistryReport(
        file=path.name,
        chains=chains,
        withdrawn=[c.name for c in withdrawn],
        missing=missing,
        rows=rows,
    )
