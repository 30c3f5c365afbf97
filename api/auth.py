"""Who is calling: the API key from ``Authorization: Bearer`` or ``X-API-Key``, and its role."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from chainkg.graph import ids
from chainkg.graph.catalog import query
from chainkg.graph.versions import Writer as VersionWriter

from .errors import ApiError
from .keys import ApiKey, KeyFile, Role
from .middleware import READ_ONLY_BODY

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="chainkg"'}


def _token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("x-api-key") or None


def current_key(request: Request) -> ApiKey:
    """The caller's key (any role); 401 when missing or unknown."""
    keys: KeyFile = request.app.state.keys
    token = _token(request)
    if token is None:
        raise ApiError(
            401,
            "Unauthorized",
            "this API needs a key",
            hint="send `Authorization: Bearer <key>` (or `X-API-Key: <key>`); "
            "an administrator creates keys with `chainkg keys add`",
            headers=CHALLENGE,
        )
    key = keys.verify(token)
    if key is None:
        raise ApiError(
            401,
            "Unauthorized",
            "the API key is unknown or revoked",
            hint="ask an administrator for a valid key (`chainkg keys list`)",
            headers=CHALLENGE,
        )
    request.state.key_id = key.id  # for the request log
    return key


Caller = Annotated[ApiKey, Depends(current_key)]
"""A route parameter: the calling key (401 without a valid one)."""


def writing_key(request: Request, key: Caller) -> ApiKey:
    """The caller's key on a server that accepts writes; 403 on a read-only server."""
    if not request.app.state.settings.writes_enabled:
        raise ApiError(
            403, READ_ONLY_BODY["error"], READ_ONLY_BODY["message"], hint=READ_ONLY_BODY["hint"]
        )
    return key


Writer = Annotated[ApiKey, Depends(writing_key)]
"""A route parameter for every route that writes: the calling key (401 without one), 403 when
the server is read-only (``--read-only`` or CHAINKG_API_WRITES=false), on either store."""


def require_admin(key: ApiKey) -> None:
    """403 unless the key is an admin key."""
    if key.role is not Role.admin:
        raise ApiError(
            403, "Forbidden", f"this needs an admin key; key {key.id!r} has role {key.role.value!r}"
        )


def require_chain_writer(request: Request, key: ApiKey, chain: str) -> None:
    """403 unless the key may write the lists of ``chain``.

    admin: every chain; unit: the chains its organisation is responsible for
    (RESPONSIBLE_FOR in the roster); viewer: none.
    """
    if key.role is Role.admin:
        return
    if key.role is Role.viewer:
        raise ApiError(403, "Forbidden", f"key {key.id!r} has role 'viewer', which only reads")
    org_id = ids.org_id(key.org or "")
    rows = request.app.state.holder.use(
        lambda s: s.read(query("api_unit_chains"), {"org_id": org_id})
    )
    chains = [r["chain"] for r in rows]
    if chain not in chains:
        mine = "、".join(chains) or "none"
        raise ApiError(
            403,
            "Forbidden",
            f"{key.org} is not responsible for {chain} (群链长责任单位 of: {mine})",
            hint="a unit key writes only the lists of its own chains; ask an admin otherwise",
        )


def unit_chains(request: Request, key: ApiKey) -> list[str]:
    """The chains a unit key's organisation is responsible for (群链长责任单位)."""
    org_id = ids.org_id(key.org or "")
    rows = request.app.state.holder.use(
        lambda s: s.read(query("api_unit_chains"), {"org_id": org_id})
    )
    return sorted({r["chain"] for r in rows})


def writer_for(request: Request, key: ApiKey) -> VersionWriter:
    """Who writes, for the list versions: admin every chain; unit its chains, strictly
    (a claim disagreeing with another owner's is refused, 409); viewer nothing (403)."""
    if key.role is Role.admin:
        return VersionWriter(who=key.id, org=key.org)
    if key.role is Role.viewer:
        raise ApiError(403, "Forbidden", f"key {key.id!r} has role 'viewer', which only reads")
    return VersionWriter(
        who=key.id, org=key.org, chains=frozenset(unit_chains(request, key)), strict=True
    )


def admin_key(key: Caller) -> ApiKey:
    """The caller's key when it is an admin key; 403 otherwise."""
    require_admin(key)
    return key


Admin = Annotated[ApiKey, Depends(admin_key)]
"""A route parameter for admin-only reads: the calling key (401 without one, 403 unless admin)."""


def admin_writing_key(key: Writer) -> ApiKey:
    """The caller's admin key on a server that accepts writes; 403 otherwise."""
    require_admin(key)
    return key


AdminWriter = Annotated[ApiKey, Depends(admin_writing_key)]
"""A route parameter for admin-only writes: 401 without a key, 403 for a non-admin key or on a
read-only server."""
