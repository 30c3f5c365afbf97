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
