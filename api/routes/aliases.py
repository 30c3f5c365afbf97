"""The organisation alias table (同名) for admins: list, record an alias or a merge, undo one.

The same functions as ``chainkg orgs aliases|alias|merge|unmerge`` (loaders/org_aliases.py,
graph/aliases.py); every change is in the audit trail under the admin key's id.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, Field

from chainkg.api.auth import Admin, AdminWriter
from chainkg.api.deps import on_store
from chainkg.api.errors import READ_ERRORS, WRITE_ERRORS
from chainkg.graph.aliases import list_aliases
from chainkg.graph.versions import Writer as VersionWriter
from chainkg.loaders import org_aliases

router = APIRouter(tags=["organisations"])


class AliasIn(BaseModel):
    """``name`` is another name of the organisation ``of`` (a name, ``org:`` id or USCC)."""

    name: str = Field(min_length=1, max_length=200, description="the other name")
    of: str = Field(min_length=1, max_length=200, description="the organisation it means")
    note: str | None = Field(None, max_length=1000, description="why they are one")
    merge_only: bool = Field(
        False,
        description="refuse unless an organisation called `name` exists (chainkg orgs merge)",
    )


@router.get("/aliases", responses=READ_ERRORS)
def aliases(request: Request, _: Admin) -> dict[str, Any]:
    """Admin: the alias table — each other name, the organisation it means, merged or not, by
    whom and when."""
    return {"aliases": on_store(request, lambda s: list_aliases(s.read))}


@router.post("/aliases", status_code=201, responses=WRITE_ERRORS)
def add_alias(request: Request, key: AdminWriter, body: AliasIn) -> dict[str, Any]:
    """Admin: record ``name`` as another name of ``of``; an organisation already called ``name``
    is merged into it, keeping every claim (undo: DELETE /aliases/{name})."""
    writer = VersionWriter(who=key.id, org=key.org)
    return on_store(
        request,
        lambda s: org_aliases.alias(
            s, body.name, body.of, writer=writer, note=body.note, must_exist=body.merge_only
        ),
    )


@router.delete("/aliases/{name:path}", responses=WRITE_ERRORS)
def remove_alias(
    request: Request,
    key: AdminWriter,
    name: Annotated[str, Path(max_length=200, description="the alias: a name or org: id")],
) -> dict[str, Any]:
    """Admin: undo an alias or a merge — the organisation and every claim it had come back."""
    writer = VersionWriter(who=key.id, org=key.org)
    return on_store(request, lambda s: org_aliases.unmerge(s, name, writer=writer))
