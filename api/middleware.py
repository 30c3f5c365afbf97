"""ASGI middleware around every request: headers, host check, body intake, request log.

Pure ASGI (not ``BaseHTTPMiddleware``) so that every response passes through, the
HTML maps and the errors the middleware itself sends included. Order, outermost first
(see ``install``): RequestLog -> SecurityHeaders -> HostAllowList -> BodyIntake ->
ReadOnly -> HeadAsGet -> the app.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
import uuid
from collections.abc import Iterable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("chainkg.api.access")

#: JSON and everything that is not a page: nothing may load, nothing may frame it.
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
#: HTML pages (maps, /docs): their own scripts and styles only (inline: pyvis and Swagger UI
#: write inline script), no request to any other origin, never framed by another site.
PAGE_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
#: Methods that never write; POST routes that only read are listed in READ_POSTS.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_POSTS = frozenset({"/subgraph/expand"})


def security_headers(content_type: str) -> list[tuple[bytes, bytes]]:
    """The headers every response carries (the CSP depends on whether it is a page)."""
    csp = PAGE_CSP if content_type.startswith("text/html") else API_CSP
    return [
        (b"content-security-policy", csp.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
        (b"cache-control", b"no-store"),
    ]


async def send_json(
    send: Send, status: int, body: dict[str, Any], headers: Iterable[tuple[bytes, bytes]] = ()
) -> None:
    """Send a whole JSON response (for errors raised before the app runs)."""
    data = json.dumps(body, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


class HttpMiddleware:
    """Passes non-HTTP traffic (lifespan) through; ``http`` handles each HTTP request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.http(scope, receive, send)

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one HTTP request."""
        await self.app(scope, receive, send)


class RequestLog(HttpMiddleware):
    """One structured log line per request: id, key id, method, route, status, duration.

    The request id comes from a client's ``X-Request-ID`` when it is short and plain,
    else a new one; it is echoed in the response. Never logged: keys, query strings,
    bodies (they may carry secrets or personal data).
    """

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        given = dict(scope.get("headers", [])).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if 0 < len(given) <= 64 and given.isalnum() else uuid.uuid4().hex
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def logged_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, logged_send)
        finally:
            route = scope.get("route")
            log.info(
                "request",
                extra={
                    "request_id": request_id,
                    "key_id": state.get("key_id"),
                    "method": scope["method"],
                    "route": getattr(route, "path", None) or "(unrouted)",
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )


class SecurityHeaders(HttpMiddleware):
    """Adds ``security_headers`` to every response and drops any ``server`` header."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:

        async def headed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"server"]
                ctype = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                have = {k.lower() for k, _ in headers}
                extra = [h for h in security_headers(ctype.decode("latin-1")) if h[0] not in have]
                message["headers"] = headers + extra
            await send(message)

        await self.app(scope, receive, headed_send)


def host_allowed(host: str, allowed: Iterable[str]) -> bool:
    """Whether a Host header (port stripped) is one of ``allowed`` (``*`` allows any)."""
    name = host.strip().lower()
    if name.startswith("["):
        name = name[: name.find("]") + 1]
    elif name.count(":") == 1:
        name = name.split(":", 1)[0]
    for pattern in allowed:
        pattern = pattern.strip().lower()
        if pattern == "*" or pattern == name:
            return True
        if pattern.startswith("*.") and name.endswith(pattern[1:]):
            return True
    return False


class HostAllowList:
    """400 for a Host header not in the allow-list (DNS rebinding, poisoned links)."""

    def __init__(self, app: ASGIApp, allowed: list[str]) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = dict(scope.get("headers", [])).get(b"host", b"").decode("latin-1")
            if not host_allowed(host, self.allowed):
                await send_json(
                    send,
                    400,
                    {
                        "error": "InvalidHost",
                        "message": "this server does not answer for the Host header given",
                        "hint": "use the server's configured name; an administrator adds names "
                        "with CHAINKG_API_ALLOWED_HOSTS",
                    },
                )
                return
        await self.app(scope, receive, send)


class _Refused(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        self.status = status
        self.body = body


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range for a number")
    return value


def check_json(body: bytes) -> None:
    """ValueError when a JSON body holds NaN, Infinity or a number out of range (1e999).

    Python's json accepts them; JSON does not, and they would reach the app as floats
    that cannot be written back. Syntax errors are left to the app's validation (422).
    """
    try:
        json.loads(body, parse_constant=_reject_constant, parse_float=_finite)
    except ValueError as exc:
        if isinstance(exc, json.JSONDecodeError):
            return
        raise


class BodyIntake:
    """Reads the whole request body before the app runs: 413 beyond ``max_bytes`` (declared
    or, for chunked bodies, counted), 408 when it does not arrive within ``timeout`` seconds,
    422 for a JSON body with NaN / Infinity / out-of-range numbers.

    The body is then handed to the app from memory (bodies are small: ``max_bytes``).
    """

    def __init__(self, app: ASGIApp, max_bytes: int, timeout: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout

    def _too_large(self) -> _Refused:
        return _Refused(
            413,
            {
                "error": "PayloadTooLarge",
                "message": f"the request body exceeds {self.max_bytes} bytes",
                "hint": "split the upload or ask the administrator to raise CHAINKG_API_MAX_BODY",
            },
        )

    async def _read(self, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _Refused(400, {"error": "Disconnected", "message": "client went away"})
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise self._too_large()
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        declared = headers.get(b"content-length", b"")
        try:
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise self._too_large()
            try:
                body = await asyncio.wait_for(self._read(receive), self.timeout)
            except TimeoutError:
                raise _Refused(
                    408,
                    {
                        "error": "RequestTimeout",
                        "message": f"the request body did not arrive within {self.timeout:g} s",
                        "hint": "send the body at once; the administrator sets "
                        "CHAINKG_API_BODY_TIMEOUT",
                    },
                ) from None
            if body and headers.get(b"content-type", b"").startswith(b"application/json"):
                try:
                    check_json(body)
                except ValueError as exc:
                    raise _Refused(
                        422,
                        {
                            "error": "RequestValidationError",
                            "message": f"invalid JSON body: {exc}",
                            "hint": "JSON numbers are finite: send null for a missing value",
                            "problems": [{"file": "body", "message": str(exc)}],
                        },
                    ) from None
        except _Refused as refused:
            if refused.status == 400:  # the client is gone: nobody to answer
                return
            await send_json(send, refused.status, refused.body, [(b"connection", b"close")])
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class ReadOnly:
    """When writes are off, 403 for every request that could write, before any route runs.

    A second line behind the routes' own ``Writer`` dependency: a write route that forgot
    it still cannot write on a read-only server, on either store.
    """

    def __init__(self, app: ASGIApp, writes_enabled: bool) -> None:
        self.app = app
        self.writes_enabled = writes_enabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and not self.writes_enabled
            and scope["method"] not in SAFE_METHODS
            and scope["path"] not in READ_POSTS
        ):
            await send_json(send, 403, READ_ONLY_BODY)
            return
        await self.app(scope, receive, send)


READ_ONLY_BODY = {
    "error": "ReadOnly",
    "message": "this server is read-only: it accepts no writes",
    "hint": "write through a server started without --read-only and with CHAINKG_API_WRITES=true",
}


class HeadAsGet(HttpMiddleware):
    """HEAD on a GET route: the GET's status and headers, no body (Starlette routes only GET)."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headless_send(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        scope["method"] = "GET"  # in place: the request log reads the same scope
        await self.app(scope, receive, headless_send)
