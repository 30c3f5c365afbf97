"""Errors as JSON, one shape (``ErrorBody``) for every status: ChainkgErrors, FastAPI's
request validation, routing errors and unexpected failures alike.

Bodies never echo the request (a 422 names where and what, not the value given) and never
show server internals: a 503 or 500 says what to do, and the details (data paths, process
ids, tracebacks) go to the server log under the request id.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from chainkg.errors import (
    ChainkgError,
    ConfigError,
    InputError,
    NotFoundError,
    RuleError,
    SchemaError,
    StoreUnavailableError,
)
from chainkg.graph.aliases import AliasError
from chainkg.graph.versions import ClaimConflictError, ForbiddenWriteError

from .middleware import security_headers
from .models import ErrorBody, ProblemOut

log = logging.getLogger("chainkg.api")


class ApiError(ChainkgError):
    """An error with its HTTP status (auth failures, unimplemented parts)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        hint: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.code = code
        self.headers = headers or {}


def status_of(error: ChainkgError) -> int:
    """The HTTP status for an error."""
    if isinstance(error, ApiError):
        return error.status
    if isinstance(error, StoreUnavailableError):
        return 503
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, (ClaimConflictError, AliasError)):
        return 409
    if isinstance(error, ForbiddenWriteError):
        return 403
    if isinstance(error, (InputError, SchemaError, RuleError)):
        return 422
    if isinstance(error, ConfigError):
        return 500
    return 500


def error_body(error: ChainkgError) -> ErrorBody:
    """The JSON body for an error."""
    problems = None
    if isinstance(error, InputError):
        problems = [
            ProblemOut(file=p.file, row=p.row, column=p.column, message=p.message)
            for p in error.problems
        ]
    return ErrorBody(
        error=error.code if isinstance(error, ApiError) else type(error).__name__,
        message=str(error),
        hint=error.hint,
        problems=problems,
    )


def _request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", "-"))


def public_body(request: Request, error: ChainkgError, status: int) -> ErrorBody:
    """The body a client sees: the error's own for 4xx; for 5xx a message without server
    internals (the full message is logged under the request id)."""
    if status < 500 or isinstance(error, ApiError):
        return error_body(error)
    log.error("%s: %s", type(error).__name__, error, extra={"request_id": _request_id(request)})
    if isinstance(error, StoreUnavailableError):
        return ErrorBody(
            error="StoreUnavailableError",
            message="the graph store is unavailable",
            hint=f"retry later; the administrator finds the reason in the server log "
            f"(request {_request_id(request)})",
        )
    return internal_body(request)


def internal_body(request: Request) -> ErrorBody:
    """The 500 body: nothing of the cause, the request id to find it in the log."""
    return ErrorBody(
        error="InternalError",
        message="the server could not answer this request",
        hint=f"the administrator finds the reason in the server log (request "
        f"{_request_id(request)})",
    )


async def _handle(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ChainkgError)
    headers = error.headers if isinstance(error, ApiError) else None
    status = status_of(error)
    body = public_body(request, error, status)
    return JSONResponse(body.model_dump(exclude_none=True), status, headers=headers)


def _location(loc: tuple[object, ...]) -> tuple[str, str | None]:
    """(file, column) of a validation error: where in the request (body, query, path ...)."""
    parts = [str(x) for x in loc]
    if not parts:
        return "request", None
    return parts[0], ".".join(parts[1:]) or None


async def _handle_validation(_: Request, error: Exception) -> JSONResponse:
    # FastAPI's own shape is {"detail": [...]} with each input echoed back; ours names the
    # place and the rule only.
    assert isinstance(error, RequestValidationError)
    problems = []
    for e in error.errors()[:50]:
        file, column = _location(tuple(e.get("loc", ())))
        problems.append(ProblemOut(file=file, column=column, message=str(e.get("msg", ""))))
    count = len(error.errors())
    body = ErrorBody(
        error="RequestValidationError",
        message=f"{count} invalid part{'s' if count != 1 else ''} in the request",
        hint="see problems: where (file: body, query, path, header) and what is wrong; "
        "the API's schema is at /openapi.json",
        problems=problems,
    )
    return JSONResponse(body.model_dump(exclude_none=True), 422)


async def _handle_unexpected(request: Request, error: Exception) -> JSONResponse:
    # Reached from Starlette's outermost middleware, outside ours: headers added here.
    log.exception("unexpected error", extra={"request_id": _request_id(request)})
    body = internal_body(request)
    headers = {k.decode(): v.decode() for k, v in security_headers("application/json")}
    return JSONResponse(body.model_dump(exclude_none=True), 500, headers=headers)


async def _handle_http(_: Request, error: Exception) -> JSONResponse:
    # Routing errors (no such path, method not allowed) in the same shape as every other error.
    assert isinstance(error, StarletteHTTPException)
    names = {404: "NotFound", 405: "MethodNotAllowed"}
    body = ErrorBody(error=names.get(error.status_code, "HTTPError"), message=str(error.detail))
    return JSONResponse(
        body.model_dump(exclude_none=True), error.status_code, headers=error.headers
    )


def install(app: FastAPI) -> None:
    """Register the handlers."""
    app.add_exception_handler(ChainkgError, _handle)
    app.add_exception_handler(StarletteHTTPException, _handle_http)
    app.add_exception_handler(RequestValidationError, _handle_validation)
    app.add_exception_handler(Exception, _handle_unexpected)


def responses(*codes: int) -> dict[int | str, dict[str, object]]:
    """OpenAPI ``responses=`` entries for the error codes a route may answer."""
    what = {
        401: "missing or unknown API key",
        403: "the key's role may not do this, or the server is read-only",
        404: "no such chain, organisation or node",
        409: "the write disagrees with another owner's claim (named in the message)",
        413: "request body too large",
        422: "invalid parameters or input, with the problems located",
        503: "the graph store is unavailable; retry later",
    }
    return {c: {"model": ErrorBody, "description": what[c]} for c in codes}


READ_ERRORS = responses(401, 403, 404, 422, 503)
WRITE_ERRORS = responses(401, 403, 404, 409, 413, 422, 503)
