"""The one store a server process shares, reopened lazily after it became unavailable."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from chainkg.errors import StoreUnavailableError
from chainkg.graph.store import GraphStore

T = TypeVar("T")


class StoreHolder:
    """Holds the process's store: opens it on first use and after a failure.

    The embedded store allows one read-write process per folder, so the app
    opens it once and every request shares it.
    """

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._open = False
        self._lock = threading.Lock()

    def _ensure_open(self) -> GraphStore:
        if not self._open:
            with self._lock:
                if not self._open:
                    self.store.open()
                    self._open = True
        return self.store

    def use(self, fn: Callable[[GraphStore], T]) -> T:
        """``fn(store)``; on StoreUnavailableError the store is closed, to reopen next time."""
        try:
            return fn(self._ensure_open())
        except StoreUnavailableError:
            self.close()
            raise

    def try_open(self) -> None:
        """Open now if possible (startup); a failure is left for requests to report as 503."""
        try:
            self._ensure_open()
        except StoreUnavailableError:
            self.close()

    def close(self) -> None:
        """Close the store (it will be reopened by the next request)."""
        with self._lock:
            try:
                self.store.close()
            finally:
                self._open = False
