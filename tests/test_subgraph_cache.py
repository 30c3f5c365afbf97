"""The subgraph response cache: reused on an unchanged graph, never across a write, and only
with a TTL on stores other processes may write."""

from __future__ import annotations

import time

from chainkg.api.cache import ENTRY_OVERHEAD, CachedBody, ResponseCache, cache_key
from chainkg.graph.store import GraphStore

K = cache_key("/chains/x/subgraph", [("depth", "2")])


def counting_maker(store: GraphStore, calls: list[int]):
    def make() -> CachedBody:
        calls.append(1)
        n = store.read("MATCH (n:City) RETURN count(n) AS n")[0]["n"]
        return CachedBody(f"cities={n}".encode(), "text/plain", {"X-Truncated": "false"})

    return make


def add_city(store: GraphStore, name: str) -> None:
    with store.transaction() as tx:
        tx.upsert_nodes("City", [{"id": f"city:{name}", "name": name}])


def test_cache_answers_until_the_graph_changes(store: GraphStore) -> None:
    cache = ResponseCache(max_bytes=1 << 20)
    calls: list[int] = []
    make = counting_maker(store, calls)
    if not store.sees_all_writes:
        # Another process may write a server's graph: no TTL, no cache.
        assert cache.get_or_make(store, K, make).body == b"cities=0"
        assert cache.get_or_make(store, K, make).body == b"cities=0"
        assert len(calls) == 2
        return
    first = cache.get_or_make(store, K, make)
    again = cache.get_or_make(store, K, make)
    assert (first.body, again.body, len(calls)) == (b"cities=0", b"cities=0", 1)
    assert again.headers["x-truncated"] == "false"
    assert again.media_type == "text/plain"
    add_city(store, "郑州市")
    assert cache.get_or_make(store, K, make).body == b"cities=1"
    assert len(calls) == 2


def test_ttl_bounds_the_age_of_an_answer(store: GraphStore) -> None:
    cache = ResponseCache(max_bytes=1 << 20, ttl=0.2)
    calls: list[int] = []
    make = counting_maker(store, calls)
    cache.get_or_make(store, K, make)
    cache.get_or_make(store, K, make)
    assert len(calls) == 1
    time.sleep(0.25)
    cache.get_or_make(store, K, make)
    assert len(calls) == 2


def test_the_byte_budget_drops_the_least_recently_used(embedded_store: GraphStore) -> None:
    # An entry costs its key (32), body (8), media type (10), header (16) and the overhead.
    entry = 32 + 8 + 10 + len("X-Truncated") + len("false") + ENTRY_OVERHEAD
    assert entry == 578
    cache = ResponseCache(max_bytes=entry * 2)
    calls: list[int] = []
    make = counting_maker(embedded_store, calls)
    for key in ("a", "b", "a", "c", "a", "b"):
        cache.get_or_make(embedded_store, cache_key(key), make)
    # a, b made; a hit; c made (b dropped); a hit; b made again.
    assert len(calls) == 4
    assert (len(cache), cache.used_bytes) == (2, entry * 2)
    assert ResponseCache(max_bytes=0).enabled_for(embedded_store) is False


def test_keys_are_fixed_size_digests_whatever_the_request() -> None:
    big = cache_key("/subgraph/expand", "x" * 5_000_000)
    assert (
        len(big),
        len(cache_key("/a")),
        big == cache_key("/subgraph/expand", "x" * 5_000_000),
    ) == (
        32,
        32,
        True,
    )
    assert cache_key("/a", [("depth", "1")]) != cache_key("/a", [("depth", "2")])
