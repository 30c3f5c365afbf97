"""List versions (清单版本), list entries as of a date, diffs, claims and the audit trail.

See docs/versions.md. Reads are open to any key; dropping a version and resolving a
conflict need a key that may write the chain (drop) or an admin key (resolve, audit).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from chainkg.api.auth import Caller, Writer, require_admin, unit_chains, writer_for
from chainkg.api.deps import on_store, parse_date
from chainkg.api.errors import READ_ERRORS, WRITE_ERRORS
from chainkg.api.keys import Role
from chainkg.api.routes.chains import Chain, chain_row
from chainkg.errors import NotFoundError
from chainkg.graph.audit import audit_entries
from chainkg.graph.conflicts import list_conflicts, resolve_conflict
from chainkg.graph.diff import diff_entries
from chainkg.graph.store import GraphStore
from chainkg.graph.versions import (
    VersionContent,
    drop_version,
    in_force,
    list_versions,
    read_content,
)
from chainkg.loaders.list_formats import list_format

router = APIRouter(tags=["versions"])

AsOf = Annotated[
    str | None, Query(description="the date to read as of (YYYY-MM-DD); default: current")
]


def _chain_name(store: GraphStore, chain: str) -> str:
    return chain_row(store, chain)["name"]


def _content_at(
    store: GraphStore, kind: str, chain: str, as_of: dt.date | None
) -> VersionContent | None:
    chosen = in_force(list_versions(store.read), as_of).get((kind, chain))
    return read_content(store.read, chosen.id) if chosen is not None else None


def _entry_out(entry_id: str, entry: dict[str, Any]) -> dict[str, Any]:
    return {"id": entry_id, **entry}


@router.get("/chains/{chain}/versions", responses=READ_ERRORS)
def chain_versions(request: Request, chain: Chain, _: Caller) -> dict[str, Any]:
    """Every stored version of the chain's lists, and which is in force now."""

    def read(store: GraphStore) -> dict[str, Any]:
        name = _chain_name(store, chain)
        versions = list_versions(store.read)
        current = {v.id for v in in_force(versions).values()}
        return {
            "chain": name,
            "versions": [
                {**v.to_dict(), "current": v.id in current} for v in versions if v.chain == name
            ],
        }

    return on_store(request, read)


@router.get("/chains/{chain}/lists/{kind}", responses=READ_ERRORS)
def chain_list(
    request: Request,
    chain: Chain,
    kind: str,
    _: Caller,
    as_of: AsOf = None,
    after: Annotated[str | None, Query(description="the last id of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """A chain's list (清单) as it stood at ``as_of`` (default: current), paged by entry id."""
    fmt = list_format(kind)
    date = parse_date(as_of)

    def read(store: GraphStore) -> dict[str, Any]:
        name = _chain_name(store, chain)
        content = _content_at(store, fmt.kind, name, date)
        ids = sorted(content.entries) if content else []
        if after is not None:
            ids = [i for i in ids if i > after]
        page = ids[:limit]
        return {
            "chain": name,
            "kind": fmt.kind,
            "version": content.id if content else None,
            "as_of": content.as_of.isoformat() if content else None,
            "total": len(content.entries) if content else 0,
            "items": [_entry_out(i, content.entries[i]) for i in page] if content else [],
            "next_after": page[-1] if len(ids) > limit else None,
        }

    return on_store(request, read)


@router.get("/chains/{chain}/lists/{kind}/{entry_id:path}", responses=READ_ERRORS)
def chain_list_entry(
    request: Request, chain: Chain, kind: str, entry_id: str, _: Caller, as_of: AsOf = None
) -> dict[str, Any]:
    """One entry of a chain's list (ids may contain '/'), as of ``as_of`` (default: current)."""
    fmt = list_format(kind)
    date = parse_date(as_of)

    def read(store: GraphStore) -> dict[str, Any]:
        name = _chain_name(store, chain)
        content = _content_at(store, fmt.kind, name, date)
        if content is None or entry_id not in content.entries:
            raise NotFoundError(f"{name} has no {fmt.kind} entry {entry_id!r}")
        return {"version": content.id, **_entry_out(entry_id, content.entries[entry_id])}

    return on_store(request, read)


@router.get("/chains/{chain}/diff/{kind}", responses=READ_ERRORS)
def chain_diff(
    request: Request,
    chain: Chain,
    kind: str,
    _: Caller,
    from_: Annotated[str, Query(alias="from", description="YYYY-MM-DD")],
    to: Annotated[str, Query(description="YYYY-MM-DD")],
) -> dict[str, Any]:
    """Entries added, removed and changed (with the fields) between the list as of two dates."""
    fmt = list_format(kind)
    a, b = parse_date(from_, "from"), parse_date(to, "to")

    def read(store: GraphStore) -> dict[str, Any]:
        name = _chain_name(store, chain)
        before = _content_at(store, fmt.kind, name, a)
        after = _content_at(store, fmt.kind, name, b)
        change = diff_entries(before.entries if before else {}, after.entries if after else {})
        return {
            "chain": name,
            "kind": fmt.kind,
            "from": before.id if before else None,
            "to": after.id if after else None,
            **change.to_dict(),
        }

    return on_store(request, read)


@router.delete("/versions/{version_id:path}", responses=WRITE_ERRORS)
def delete_version(request: Request, version_id: str, key: Writer) -> dict[str, Any]:
    """Drop a version; if it was in force, the previous as_of of its list takes over."""
    writer = writer_for(request, key)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

    def drop(store: GraphStore) -> dict[str, Any]:
        with store.transaction() as tx:
            return drop_version(tx, version_id, writer, now)

    return on_store(request, drop)


@router.get("/me", responses=READ_ERRORS)
def me(request: Request, key: Caller) -> dict[str, Any]:
    """The calling key: role, organisation and the chains it may write."""
    if key.role is Role.admin:
        chains: list[str] | str = "*"
    elif key.role is Role.unit:
        chains = unit_chains(request, key)
    else:
        chains = []
    return {
        "id": key.id,
        "name": key.name,
        "role": key.role.value,
        "org": key.org,
        "writes": chains,
    }


@router.get("/conflicts", responses=READ_ERRORS)
def conflicts(request: Request, _: Caller) -> dict[str, Any]:
    """Entities whose owners' claims disagree, with each claim's value and version."""
    return {"conflicts": on_store(request, list_conflicts)}


@router.post("/conflicts/resolve", responses=WRITE_ERRORS)
def resolve(
    request: Request,
    key: Writer,
    entity: Annotated[str, Query(description="entity id, e.g. org:宇通客车股份有限公司")],
    field: Annotated[str, Query(description="the field, e.g. revenue")],
    value: Annotated[str, Query(description='the value, as JSON (e.g. 120 or "郑州市")')],
) -> dict[str, Any]:
    """Admin: choose a field's value where claims disagree (recorded in the audit trail)."""
    require_admin(key)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return on_store(request, lambda s: resolve_conflict(s, entity, field, value, key.id, now))


@router.get("/audit", responses=READ_ERRORS)
def audit(
    request: Request,
    key: Caller,
    who: str | None = None,
    action: str | None = None,
    target: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """Admin: the audit trail, newest first."""
    require_admin(key)
    rows = on_store(
        request,
        lambda s: audit_entries(s, who=who, action=action, target=target, limit=limit),
    )
    return {"entries": rows}


__all__ = ["Response", "parse_date", "router"]
