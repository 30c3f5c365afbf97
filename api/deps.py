"""Shared route helpers: run a function on the store, decode names."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi import Request

from chainkg.graph.store import GraphStore

T = TypeVar("T")


def on_store(request: Request, fn: Callable[[GraphStore], T]) -> T:
    """``fn(store)`` on the app's shared store (503 when it is unavailable)."""
    return request.app.state.holder.use(fn)


def on_graph(request: Request, as_of: str | None, fn: Callable[[GraphStore], T]) -> T:
    """``fn(graph)`` on the graph as it stood at ``as_of`` (YYYY-MM-DD; None: current), see
    docs/versions.md; 422 naming ``as_of`` when it is not a date."""
    import datetime as dt

    from chainkg.errors import InputError, Problem
    from chainkg.graph.versions import graph_as_of

    try:
        date = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise InputError(
            [Problem("query", f"not a date: {as_of!r}", column="as_of")],
            hint="give as_of as YYYY-MM-DD",
        ) from None

    def run(store: GraphStore) -> T:
        with graph_as_of(store, date) as graph:
            return fn(graph)

    return on_store(request, run)
