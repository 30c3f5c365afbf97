"""Short-lived signed links to the maps, so a browser can open a map without the API key.

A browser cannot send ``Authorization`` when someone clicks a link, and an API key in a URL
ends up in histories and logs. ``POST /maps/links`` (authorised by the key, in a header)
returns a map address carrying ``?token=``: an HMAC-SHA256 signed statement "key K may read
the maps until T". It opens ``GET /maps/...`` only, for at most an hour, and stops working
when the key is revoked or the server's link secret changes (``CHAINKG_API_LINK_SECRET``;
a random secret per server process when unset).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Annotated

from fastapi import Depends, Request

from .auth import current_key
from .errors import ApiError
from .keys import ApiKey

MAX_TTL = 3600
DEFAULT_TTL = 900


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(secret: bytes, key_id: str, ttl: int, now: float | None = None) -> tuple[str, int]:
    """A token letting key ``key_id`` read the maps for ``ttl`` seconds; (token, expiry)."""
    expires = int((now if now is not None else time.time()) + ttl)
    payload = _b64(json.dumps({"k": key_id, "exp": expires, "scope": "maps"}).encode())
    mac = _b64(hmac.new(secret, payload.encode("ascii"), hashlib.sha256).digest())
    return f"{payload}.{mac}", expires


def verify(secret: bytes, token: str, now: float | None = None) -> str | None:
    """The key id a valid, unexpired map token was issued to; None otherwise (any text)."""
    payload, _, mac = token.partition(".")
    if not payload or not mac or not token.isascii():
        return None
    good = _b64(hmac.new(secret, payload.encode("ascii"), hashlib.sha256).digest())
    if not hmac.compare_digest(good.encode("ascii"), mac.encode("ascii")):
        return None
    try:
        claims = json.loads(_unb64(payload))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(claims, dict) or claims.get("scope") != "maps":
        return None
    expires, key_id = claims.get("exp"), claims.get("k")
    if not isinstance(expires, int) or expires < (now if now is not None else time.time()):
        return None
    return key_id if isinstance(key_id, str) else None


def map_reader(request: Request) -> ApiKey:
    """The caller of a map route: a signed ``?token=`` from POST /maps/links, or an API key
    in a header (401 otherwise)."""
    token = request.query_params.get("token")
    if token is None:
        return current_key(request)
    key_id = verify(request.app.state.link_secret, token)
    key = next((k for k in request.app.state.keys.active() if k.id == key_id), None)
    if key is None:
        raise ApiError(
            401,
            "Unauthorized",
            "the map link has expired or is not valid",
            hint="ask for a new link: POST /maps/links with your API key",
        )
    return key


MapReader = Annotated[ApiKey, Depends(map_reader)]
"""A route parameter: who reads a map (API key header, or a signed map link)."""
