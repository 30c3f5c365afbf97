"""A read cache of rendered subgraph responses, keyed by request and graph generation.

A subgraph request reads several statements from the store; the same request on
the same graph gives the same bytes. Entries are keyed by the request and the
store's ``generation``, which changes whenever a write transaction commits
through the store, so a write makes every older entry unreachable (they age out
of the LRU).

That is exact only where the store sees every write (the embedded store: one
read-write process per folder). A Neo4j server may be written by other
processes, so there the cache is off unless a TTL is set
(CHAINKG_API_CACHE_TTL): answers may then be up to that many seconds stale.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from fastapi import Response

from chainkg.graph.store import GraphStore


@dataclass(frozen=True)
class CachedBody:
    """A rendered response: body bytes, media type and headers."""

    body: bytes
    media_type: str
    headers: dict[str, str]

    def response(self) -> Response:
        """A fresh response with these bytes."""
        return Response(self.body, media_type=self.media_type, headers=self.headers)


class ResponseCache:
    """LRU of rendered responses within a byte budget; thread-safe.

    ``ttl`` (seconds, 0 = none) bounds an entry's age; stores whose generation
    misses other processes' writes are cached only with a ttl.
    """

    def __init__(self, max_bytes: int, ttl: float = 0.0) -> None:
        self.max_bytes = max_bytes
        self.ttl = ttl
        self._entries: OrderedDict[Hashable, tuple[float, CachedBody]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def enabled_for(self, store: GraphStore) -> bool:
        """Whether answers from ``store`` may be cached."""
        return self.max_bytes > 0 and (store.sees_all_writes or self.ttl > 0)

    def get_or_make(
        self, store: GraphStore, key: Hashable, make: Callable[[], CachedBody]
    ) -> Response:
        """The cached response for ``key`` on ``store``'s current graph, else ``make()`` kept."""
        if not self.enabled_for(store):
            return make().response()
        # The generation is read before making: a write during make() leaves the entry
        # under the old generation, where no later request looks.
        full_key = (key, store.generation)
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(full_key)
            if hit is not None and (not self.ttl or now - hit[0] < self.ttl):
                self._entries.move_to_end(full_key)
                return hit[1].response()
        made = make()
        self._put(full_key, now, made)
        return made.response()

    def _put(self, key: Hashable, made_at: float, entry: CachedBody) -> None:
        size = len(entry.body)
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old[1].body)
            self._entries[key] = (made_at, entry)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= len(dropped.body)
