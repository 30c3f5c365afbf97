"""Shared route helpers: run a function on the store, decode names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from fastapi import Request

from chainkg.errors import InputError, Problem
from chainkg.graph.store import GraphStore

T = TypeVar("T")


def on_store(request: Request, fn: Callable[[GraphStore], T]) -> T:
    """``fn(store)`` on the app's shared store (503 when it is unavailable)."""
    return request.app.state.holder.use(fn)


def parse_date(text: str | None, name: str = "as_of") -> dt.date | None:
    """A YYYY-MM-DD query parameter (None when not given); 422 naming it otherwise."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(
            [Problem("query", f"not a date: {text!r}", column=name)],
            hint=f"give {name} as YYYY-MM-DD",
        ) from None


def on_graph(request: Request, as_of: str | None, fn: Callable[[GraphStore], T]) -> T:
    """``fn(graph)`` on the graph as it stood at ``as_of`` (YYYY-MM-DD; None: current), see
    docs/versions.md; 422 naming ``as_of`` when it is not a date."""
    from chainkg.graph.versions import graph_as_of

    date = parse_date(as_of)

    def run(store: GraphStore) -> T:
        with graph_as_of(store, date) as graph:
            return fn(graph)

    return on_store(request, run)
