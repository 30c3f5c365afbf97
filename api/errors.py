"""Errors as JSON: every ChainkgError becomes a status code and a body saying what to do."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from chainkg.errors import (
    ChainkgError,
    ConfigError,
    InputError,
    NotFoundError,
    SchemaError,
    StoreUnavailableError,
)
from chainkg.graph.versions import ClaimConflictError, ForbiddenWriteError

from .models import ErrorBody, ProblemOut


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
    if isinstance(error, ClaimConflictError):
        return 409
    if isinstance(error, ForbiddenWriteError):
        return 403
    if isinstance(error, (InputError, SchemaError)):
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


async def _handle(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ChainkgError)
    headers = error.headers if isinstance(error, ApiError) else None
    return JSONResponse(
        error_body(error).model_dump(exclude_none=True), status_of(error), headers=headers
    )


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


def responses(*codes: int) -> dict[int | str, dict[str, object]]:
    """OpenAPI ``responses=`` entries for the error codes a route may answer."""
    what = {
        401: "missing or unknown API key",
        403: "the key's role may not do this",
        404: "no such chain, organisation or node",
        409: "the write disagrees with another owner's claim (named in the message)",
        413: "request body too large",
        422: "invalid parameters or input, with the problems located",
        501: "this part is not available in this build yet",
        503: "the graph store is unavailable; retry later",
    }
    return {c: {"model": ErrorBody, "description": what[c]} for c in codes}


READ_ERRORS = responses(401, 403, 404, 422, 503)
WRITE_ERRORS = responses(401, 403, 404, 409, 413, 422, 503)
