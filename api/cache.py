"""A read cache of rendered subgraph responses, keyed by request and graph generation.

A subgraph request reads several statements from the store; the same request on
the same graph gives the same bytes. Entries are keyed by the request and the
store's ``generation``, which changes whenever a write transaction commits
through the store, so a write makes every older entry unreachable (they age out
of the LRU).

Keys are SHA-256 digests of the request's identity (callers pass only the parameters
that shape the answer, never the raw request), so a key costs 32 bytes however large the
request was; the byte budget counts each entry's key, headers and body plus a fixed
overhead, so many small entries cannot outgrow it either.

That is exact only where the store sees every write (the embedded store: one
read-write process per folder). A Neo4j server may be written by other
processes, so there the cache is off unless a TTL is set
(CHAINKG_API_CACHE_TTL): answers may then be up to that many seconds stale.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
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

    def size(self) -> int:
        """Bytes this entry holds (body, media type, headers)."""
        return (
            len(self.body)
            + len(self.media_type)
            + sum(len(k) + len(v) for k, v in self.headers.items())
        )


#: Memory an entry costs beyond its bytes (dict slot, tuples, objects): a measured bound.
ENTRY_OVERHEAD = 512


def cache_key(*parts: object) -> bytes:
    """A fixed-size key (SHA-256) for the parts that identify an answer."""
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).digest()


class ResponseCache:
    """LRU of rendered responses within a byte budget; thread-safe.

    ``ttl`` (seconds, 0 = none) bounds an entry's age; stores whose generation
    misses other processes' writes are cached only with a ttl.
    """

    def __init__(self, max_bytes: int, ttl: float = 0.0) -> None:
        self.max_bytes = max_bytes
        self.ttl = ttl
        self._entries: OrderedDict[tuple[bytes, int], tuple[float, CachedBody]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def enabled_for(self, store: GraphStore) -> bool:
        """Whether answers from ``store`` may be cached."""
        return self.max_bytes > 0 and (store.sees_all_writes or self.ttl > 0)

    @property
    def used_bytes(self) -> int:
        """Bytes the entries count against the budget."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def get_or_make(
        self, store: GraphStore, key: bytes, make: Callable[[], CachedBody]
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

    def _put(self, key: tuple[bytes, int], made_at: float, entry: CachedBody) -> None:
        size = self._cost(key, entry)
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= self._cost(key, old[1])
            self._entries[key] = (made_at, entry)
            self._bytes += size
            while self._bytes > self.max_bytes:
                dropped_key, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= self._cost(dropped_key, dropped)

    @staticmethod
    def _cost(key: tuple[bytes, int], entry: CachedBody) -> int:
        return len(key[0]) + entry.size() + ENTRY_OVERHEAD
