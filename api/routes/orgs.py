"""GET /orgs (filtered, cursor-paginated), /orgs/{id} and /search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from chainkg.api.auth import Caller
from chainkg.api.deps import on_store
from chainkg.api.errors import READ_ERRORS
from chainkg.api.models import OrgOut, OrgPage, SearchOut
from chainkg.errors import InputError, NotFoundError, Problem
from chainkg.graph.catalog import query

router = APIRouter(tags=["organisations"])

MAX_PAGE = 200
SEARCH_LIMIT = 50


#: A cursor is the last id's UTF-8 bytes in hex: any text of this pattern is a position in
#: id order (one this API did not give out just starts the page somewhere), so the schema
#: says exactly what is accepted.
CURSOR_PATTERN = "^(?:[0-9a-f]{2}){1,400}$"


def encode_cursor(last_id: str) -> str:
    """The opaque cursor after ``last_id``."""
    return last_id.encode("utf-8").hex()


def decode_cursor(cursor: str) -> str:
    """The id position a cursor stands for (undecodable bytes replaced)."""
    return bytes.fromhex(cursor).decode("utf-8", errors="replace")


def _flag(value: bool | None) -> str:
    return "any" if value is None else ("true" if value else "false")


@router.get("/orgs", response_model=OrgPage, responses=READ_ERRORS)
def list_orgs(
    request: Request,
    _: Caller,
    chain: Annotated[str | None, Query(max_length=200, description="chain name")] = None,
    segment: Annotated[
        str | None,
        Query(max_length=200, description="segment (环节) name (of the chain, if given)"),
    ] = None,
    city: Annotated[str | None, Query(max_length=100, description="地市, e.g. 郑州市")] = None,
    leader: bool | None = None,
    specialized: bool | None = None,
    listed: bool | None = None,
    in_province: bool | None = None,
    cursor: Annotated[
        str | None,
        Query(pattern=CURSOR_PATTERN, description="next_cursor of the previous page"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
) -> OrgPage:
    """Organisations in id order, filtered; chain = operates in one of its segments or is its
    responsible unit / alliance chair; segment = operates in that segment of the chain."""
    params = {
        "after": decode_cursor(cursor) if cursor else "",
        "limit": limit + 1,
        "chain": chain or "",
        "segment": segment or "",
        "city": city or "",
        "leader": _flag(leader),
        "specialized": _flag(specialized),
        "listed": _flag(listed),
        "in_province": _flag(in_province),
    }
    rows = on_store(request, lambda s: s.read(query("api_orgs"), params))
    page = rows[:limit]
    more = len(rows) > limit
    return OrgPage(
        items=[OrgOut(**r) for r in page],
        next_cursor=encode_cursor(page[-1]["id"]) if more else None,
    )


@router.get("/orgs/{org_id:path}", response_model=OrgOut, responses=READ_ERRORS)
def get_org(request: Request, org_id: str, _: Caller) -> OrgOut:
    """One organisation by id (e.g. org:中信重工机械股份有限公司, URL-encoded; may contain /)."""
    rows = on_store(request, lambda s: s.read(query("api_org"), {"org_id": org_id}))
    if not rows:
        raise NotFoundError(f"no organisation with id {org_id!r}", hint="find ids with /search")
    return OrgOut(**rows[0])


@router.get("/search", response_model=SearchOut, responses=READ_ERRORS)
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=100, description="name part or USCC")],
    _: Caller,
) -> SearchOut:
    """Organisations whose name contains q, or whose 统一社会信用代码 is exactly q (first)."""
    text = q.strip()
    if not text:
        raise InputError([Problem("query", "q is blank", column="q")], hint="give a name or USCC")
    rows = on_store(
        request, lambda s: s.read(query("api_search"), {"q": text, "limit": SEARCH_LIMIT})
    )
    return SearchOut(items=[OrgOut(**r) for r in rows])
