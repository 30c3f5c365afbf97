"""The read projection saved beside the embedded graph (graph/projection_cache.py).

Built once and saved; loaded by later processes while the graph is unchanged (also after a
read-write open and close, which rewrites the file's header); rebuilt after a write by this
process or another; never half-written. Neo4j has none (read by Cypher). The weak-link
command and the evaluation answer the same with and without it, on both stores.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fixtures_weak import CHAIN_A, load_weak_fixture
from test_cli_support import run_cli

from chainkg.graph import projection as projection_module
from chainkg.graph import projection_cache as cache
from chainkg.graph import projection_file
from chainkg.graph.embedded import EmbeddedStore
from chainkg.graph.projection import Projection, ProjectionHolder
from chainkg.graph.store import GraphStore
from chainkg.queries import findings
from chainkg.queries.findings import list_chains, weak_links


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The locations of every projection build from here on (and a fresh process memo)."""
    seen: list[str] = []
    real = projection_module.build_projection

    def counting(store: GraphStore, **kw: Any) -> Projection:
        seen.append(store.location)
        return real(store, **kw)

    monkeypatch.setattr(projection_module, "build_projection", counting)
    monkeypatch.setattr(cache, "_memo", {})
    return seen


@pytest.fixture
def saved(embedded_store: EmbeddedStore, builds: list[str]) -> EmbeddedStore:
    """An embedded store holding the weak-link fixture, its projection built and saved (the
    first of ``builds``)."""
    load_weak_fixture(embedded_store)
    cache.cached_projection(embedded_store)
    return embedded_store


def _new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a later process starts with: no projection in memory."""
    monkeypatch.setattr(cache, "_memo", {})


def _keys(store: EmbeddedStore) -> list[str]:
    root = store.data_dir / cache.FOLDER
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def _same_graph(a: Projection, b: Projection) -> None:
    assert (a.nodes, a.relationships, a.labels, a.types) == (
        b.nodes,
        b.relationships,
        b.labels,
        b.types,
    )
    assert list(a.ids) == list(b.ids)
    for name in projection_file.ARRAYS:
        assert np.array_equal(getattr(a, name), getattr(b, name)), name


def _run_python(code: str) -> str:
    """Run ``code`` in another Python process (another writer of the graph); its stdout."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_neo4j_has_no_saved_projection_and_embedded_builds_one_once(
    store: GraphStore, builds: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    load_weak_fixture(store)
    if not isinstance(store, EmbeddedStore):
        assert cache.cache_folder(store) is None
        assert cache.cached_projection(store) is None
        assert cache.saved_projection(store) is None
        assert builds == []
        return
    assert cache.saved_projection(store) is None  # nothing saved yet
    messages: list[str] = []
    p = cache.cached_projection(store, progress=messages.append)
    assert p is not None and builds == [store.location]
    assert messages == [f"building the read projection of {store.location} (saved for later runs)"]
    [key] = _keys(store)
    assert key == cache.cache_key(store, store.disk_token())
    meta = json.loads((store.data_dir / cache.FOLDER / key / "meta.json").read_text())
    assert (meta["token"], meta["format"]) == (store.disk_token(), cache.FORMAT)
    counts = store.counts()
    assert p.nodes == sum(counts.nodes.values())
    assert p.relationships == sum(counts.relationships.values())
    # The same process asks again: the same object; a later process: loaded, not built.
    assert cache.cached_projection(store) is p
    _new_process(monkeypatch)
    loaded = cache.cached_projection(store)
    assert loaded is not None and loaded is not p and builds == [store.location]
    _same_graph(loaded, p)
    assert isinstance(loaded.src, np.ndarray) and not loaded.src.flags.writeable  # mapped
    # Ids are looked up by binary search in the loaded one (no dict of every id built).
    assert all(loaded.index[i] == n for i, n in p.index.items())
    assert "org:没有" not in loaded.index and loaded.index.get("org:没有") is None
    with pytest.raises(KeyError):
        loaded.index["org:没有"]
    for node in range(p.nodes):
        assert loaded.node_props(node) == p.node_props(node)
    # And it answers the weak-link report exactly as Cypher does.
    chains = list_chains(store)
    want = weak_links(store, chains, criticality=True)
    assert weak_links(store, chains, criticality=True, projection=loaded) == want


def test_closing_changes_the_token_and_carries_the_projection_over(
    embedded_store: EmbeddedStore, builds: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = embedded_store
    load_weak_fixture(store)
    p = cache.cached_projection(store)
    token = store.disk_token()
    store.close()
    # Measured: LadybugDB rewrites the header when a read-write database closes.
    assert store.disk_token() != token
    _new_process(monkeypatch)
    reopened = EmbeddedStore(store.data_dir)
    with reopened:
        again = cache.saved_projection(reopened)
        assert again is not None
        _same_graph(again, p)
    # A read-only open and close change nothing.
    token = reopened.disk_token()
    with EmbeddedStore(store.data_dir, read_only=True) as ro:
        assert ro.disk_token() == token
        assert cache.saved_projection(ro) is not None
    assert reopened.disk_token() == token
    assert builds == [store.location]
    assert _keys(reopened) == [cache.cache_key(reopened, token)]
    store.open()  # the fixture closes it


def test_a_write_through_the_store_makes_the_next_call_rebuild(
    store: GraphStore, builds: list[str]
) -> None:
    load_weak_fixture(store)
    before = cache.cached_projection(store)
    with store.transaction() as tx:
        tx.upsert_nodes("City", [{"id": "city:测试新城", "name": "测试新城"}])
    after = cache.cached_projection(store)
    if not isinstance(store, EmbeddedStore):
        assert (before, after, builds) == (None, None, [])
        return
    assert before is not None and after is not None and after is not before
    assert builds == [store.location] * 2
    assert after.nodes == before.nodes + 1 and "city:测试新城" in after.index
    assert _keys(store) == [cache.cache_key(store, store.disk_token())]  # the old one is gone


def test_a_write_by_another_process_makes_the_next_call_rebuild(
    embedded_store: EmbeddedStore, builds: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = embedded_store
    load_weak_fixture(store)
    first = cache.cached_projection(store)
    assert first is not None
    store.close()
    # Another chainkg process writes one city and closes.
    _run_python(
        f"""
        from chainkg.graph.embedded import EmbeddedStore
        with EmbeddedStore({str(store.data_dir)!r}) as s, s.transaction() as tx:
            tx.upsert_nodes("City", [{{"id": "city:别处", "name": "别处"}}])
        """
    )
    _new_process(monkeypatch)
    store.open()
    assert cache.saved_projection(store) is None
    p = cache.cached_projection(store)
    assert p is not None and "city:别处" in p.index and p.nodes == first.nodes + 1
    assert builds == [store.location] * 2
    store.close()
    # Another program opens the graph read-write with LadybugDB itself (no chainkg, so no
    # carry-over at its close): slower (a rebuild), never stale.
    _run_python(
        f"""
        import ladybug
        db = ladybug.Database({store.location!r})
        ladybug.Connection(db).execute("MATCH (c:City) RETURN count(c)")
        db.close()
        """
    )
    _new_process(monkeypatch)
    store.open()
    assert cache.saved_projection(store) is None
    assert cache.cached_projection(store) is not None and len(builds) == 3


def test_a_read_only_store_uses_it_only_for_the_graph_it_opened(
    saved: EmbeddedStore, builds: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = saved
    store.close()
    _new_process(monkeypatch)
    with EmbeddedStore(store.data_dir, read_only=True) as ro:
        assert cache.saved_projection(ro) is not None
        _new_process(monkeypatch)
        # A read-write process writes while this one reads what it opened.
        _run_python(
            f"""
            from chainkg.graph.embedded import EmbeddedStore
            with EmbeddedStore({str(store.data_dir)!r}) as s, s.transaction() as tx:
                tx.upsert_nodes("City", [{{"id": "city:后来", "name": "后来"}}])
            """
        )
        assert ro.disk_token() != ro.opened_token
        assert cache.saved_projection(ro) is None
        assert cache.cached_projection(ro) is None  # read by Cypher: what this process sees
        assert cache.current_folder(ro) is None
    assert builds == [store.location]
    store.open()


def test_a_failed_or_crashed_save_leaves_the_previous_projection_or_none(
    saved: EmbeddedStore, builds: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = saved
    [old] = _keys(store)
    with store.transaction() as tx:
        tx.upsert_nodes("City", [{"id": "city:一", "name": "一"}])
    key = cache.cache_key(store, store.disk_token())
    real_save = projection_file.save_projection
    seen: list[bool] = []

    def failing(p: Projection, folder: Path) -> Path:
        real_save(p, folder)
        seen.append((store.data_dir / cache.FOLDER / key).exists())  # not visible yet
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(projection_file, "save_projection", failing)
    p = cache.cached_projection(store)
    assert p is not None and "city:一" in p.index  # answers, unsaved
    assert seen == [False]
    assert _keys(store) == [old]  # no half-written folder, the old one untouched
    monkeypatch.setattr(projection_file, "save_projection", real_save)
    _new_process(monkeypatch)

    # A crash half-way (the process killed while writing): its tmp folder is ignored.
    store.close()
    _run_python(
        f"""
        import os
        from chainkg.graph import projection_file
        from chainkg.graph.embedded import EmbeddedStore
        from chainkg.graph.projection_cache import cached_projection

        def dying(p, folder):
            folder.mkdir(parents=True)
            (folder / "meta.json").write_text("{{")
            os._exit(0)

        projection_file.save_projection = dying
        store = EmbeddedStore({str(store.data_dir)!r})
        store.open()
        cached_projection(store)
        """
    )
    store.open()
    tmp = [k for k in _keys(store) if k.startswith("tmp-")]
    assert len(tmp) == 1 and old in _keys(store)
    assert cache.saved_projection(store) is None
    os.utime(store.data_dir / cache.FOLDER / tmp[0], (0, 0))  # a crashed save of long ago
    assert cache.cached_projection(store) is not None
    assert _keys(store) == [cache.cache_key(store, store.disk_token())]  # both cleaned up


def test_a_damaged_saved_projection_is_rebuilt(
    saved: EmbeddedStore, builds: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = saved
    [key] = _keys(store)
    pickle_file = store.data_dir / cache.FOLDER / key / "python.pickle"
    pickle_file.write_bytes(pickle_file.read_bytes()[:100])
    _new_process(monkeypatch)
    assert cache.saved_projection(store) is None
    assert cache.cached_projection(store) is not None and len(builds) == 2


def test_the_api_holder_uses_the_saved_projection(
    saved: EmbeddedStore, builds: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = saved
    _new_process(monkeypatch)
    p = ProjectionHolder().get(store)
    assert p is not None and builds == [store.location]  # loaded, not built
    assert p.generation == store.generation and p.token == store.disk_token()


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each weak-link run read from a projection."""
    used: list[bool] = []
    real = findings.projected_read

    def spying(store: GraphStore, projection: Projection | None) -> Any:
        used.append(projection is not None)
        return real(store, projection)

    monkeypatch.setattr(findings, "projected_read", spying)
    return used


def test_weak_links_cli_answers_the_same_with_and_without_the_projection(
    store: GraphStore, spy: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "240")
    monkeypatch.setattr(cache, "_memo", {})
    load_weak_fixture(store)
    embedded = isinstance(store, EmbeddedStore)
    for args in (["--all"], [CHAIN_A]):
        for fmt in ("json", "table", "csv"):
            cypher = run_cli(store, ["weak-links", *args, "-f", fmt, "--no-projection"])
            projected = run_cli(store, ["weak-links", *args, "-f", fmt])
            assert cypher[0] == projected[0] == 0
            assert projected[1] == cypher[1]
            assert cypher[2] == ""
    # --all built and saved it (its stderr said so, once); the one-chain runs used it.
    assert spy == [False, embedded] * 6
    if embedded:
        assert len(_keys(store)) == 1
    report = json.loads(run_cli(store, ["weak-links", "--all", "-f", "json"])[1])
    want = weak_links(store, list_chains(store))
    assert report == json.loads(json.dumps(want, ensure_ascii=False))


def test_weak_links_cli_says_when_it_builds(
    embedded_store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "_memo", {})
    load_weak_fixture(embedded_store)
    code, _, err = run_cli(embedded_store, ["weak-links", CHAIN_A, "-f", "json"])
    assert (code, err) == (0, "")  # one chain: no build, Cypher
    assert _keys(embedded_store) == []
    code, _, err = run_cli(embedded_store, ["weak-links", "--all", "-f", "json"])
    location = embedded_store.location
    assert code == 0
    assert (
        err.split()
        == f"building the read projection of {location} (saved for later runs) ...".split()
    )
    code, _, err = run_cli(embedded_store, ["weak-links", "--all", "-f", "json"])
    assert (code, err) == (0, "")  # saved: loaded, nothing said


def test_the_evaluation_is_the_same_from_the_saved_projection(
    store: GraphStore, spy: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    from eval_fixtures import BING, build_eval_graph

    from chainkg.queries.evaluation import evaluate

    monkeypatch.setattr(cache, "_memo", {})
    build_eval_graph(store)
    cypher = evaluate(store, 2024, with_findings=True)
    assert spy == [False, False]  # 2024 and 2023
    spy.clear()
    projected = evaluate(store, 2024, with_findings=True, projection=cache.cached_projection(store))
    embedded = isinstance(store, EmbeddedStore)
    assert spy == [embedded, embedded]  # both years read from the live graph here
    assert projected == cypher
    bing = {e["chain"]: e for e in projected["chains"]}[BING]["findings"]
    assert [(s["segment"], s["status"]) for s in bing["segments"]] == [("丙一", "missing")]


def test_evaluate_cli_answers_the_same_with_and_without_the_projection(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eval_fixtures import JIA, build_eval_graph

    monkeypatch.setattr(cache, "_memo", {})
    build_eval_graph(store)
    cypher = run_cli(store, ["evaluate", "--year", "2024", "-f", "json", "--no-projection"])
    assert cypher[0] == 0 and cypher[2] == ""
    embedded = isinstance(store, EmbeddedStore)
    if embedded:
        assert _keys(store) == []  # --no-projection neither reads nor builds it
    projected = run_cli(store, ["evaluate", "--year", "2024", "-f", "json"])
    assert projected[0] == 0
    assert projected[1] == cypher[1]
    assert ("building the read projection" in projected[2]) is embedded
    if embedded:
        assert len(_keys(store)) == 1
    chains = {e["chain"]: e for e in json.loads(projected[1])["chains"]}
    assert chains[JIA]["rank"] == 1
