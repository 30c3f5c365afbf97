"""The write path of list loads (issue 12, speed) on both stores: facts of entities the graph
does not hold yet go through ``insert_*`` (no lookups of links they cannot have), the rest are
merged; the load stays one transaction (a failure after the insert leaves nothing) and a reload
of the same file writes nothing at all. On the embedded store, new organisations copied in
before the transaction (graph/preinsert.py) give the same graph, and go if it fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from list_fixtures import AS_OF, LOADED_AT, build_graph

from chainkg.graph import audit, embedded, neo4j_store, preinsert
from chainkg.graph.embedded import EmbeddedStore
from chainkg.graph.store import GraphStore
from chainkg.graph.versions import Materialiser
from chainkg.loaders.list_load import ListFile, load_lists

CHAIN = "尼龙新材料产业链"
SEGS = ("己二腈与己二胺", "尼龙6与尼龙66切片", "尼龙工程塑料")
CITIES = ("平顶山市", "孟州市", "省外江苏省苏州市")


def enterprise_list(tmp: Path, name: str, numbers: range, revenue: float = 1.0) -> Path:
    lines = ["名称,产业链,环节,地市,营业收入（亿元）"]
    for i in numbers:
        city = CITIES[i % 3].replace("省外", "")
        lines.append(f"示例企业{i:03d}有限公司,{CHAIN},{SEGS[i % 3]},{city},{revenue + i}")
    path = tmp / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, int]]:
    """Every insert_nodes / insert_rels call of either store: (method, label or type, rows)."""
    seen: list[tuple[str, str, int]] = []
    for cls in (embedded._EmbeddedTransaction, neo4j_store._Neo4jTransaction):
        nodes, rels = cls.insert_nodes, cls.insert_rels

        def insert_nodes(self: Any, label: str, rows: Any, _orig: Any = nodes) -> int:
            rows = list(rows)
            seen.append(("nodes", label, len(rows)))
            return _orig(self, label, rows)

        def insert_rels(self: Any, t: str, a: str, b: str, rows: Any, _orig: Any = rels) -> int:
            rows = list(rows)
            seen.append(("rels", t, len(rows)))
            return _orig(self, t, a, b, rows)

        monkeypatch.setattr(cls, "insert_nodes", insert_nodes)
        monkeypatch.setattr(cls, "insert_rels", insert_rels)
    return seen


def orgs(store: GraphStore) -> list[tuple]:
    rows = store.read(
        "MATCH (o:Organization)-[e:OPERATES_IN]->(s:Segment) WHERE o.name STARTS WITH '示例企业' "
        "OPTIONAL MATCH (o)-[l:LOCATED_IN]->(c:City) RETURN o.name AS name, o.revenue AS revenue, "
        "o.city AS city, o.province AS province, s.name AS segment, c.name AS located, "
        "e.version AS version, o.loaded_at AS loaded_at ORDER BY name"
    )
    return [tuple(r.values()) for r in rows]


def test_new_entities_are_inserted_reload_changes_nothing(
    store: GraphStore, tmp_path: Path, calls: list[tuple[str, str, int]]
) -> None:
    build_graph(store)
    first = enterprise_list(tmp_path, "企业.csv", range(30))
    load_lists(store, [ListFile("enterprises", first)], as_of=AS_OF, loaded_at=LOADED_AT)
    assert calls == [("nodes", "Organization", 30), ("rels", "OPERATES_IN", 30),
                     ("rels", "LOCATED_IN", 20)]  # fmt: skip
    version = f"version:enterprises:{CHAIN}:2024-12-31"
    rows = orgs(store)
    assert len(rows) == 30
    assert rows[:3] == [
        (
            "示例企业000有限公司",
            10000.0,
            "平顶山市",
            "河南省",
            SEGS[0],
            "平顶山市",
            version,
            LOADED_AT,
        ),
        ("示例企业001有限公司", 20000.0, "焦作市", "河南省", SEGS[1], "焦作市", version, LOADED_AT),
        ("示例企业002有限公司", 30000.0, "苏州市", "江苏省", SEGS[2], None, version, LOADED_AT),
    ]
    before = store.export()
    calls.clear()
    report = load_lists(store, [ListFile("enterprises", first)], as_of=AS_OF)
    assert report.versions is not None and report.versions.versions[0]["unchanged"] is True
    assert calls == []
    assert store.export() == before
    # the corrected list: 10 more firms (inserted), the 30 known ones change revenue (merged)
    fixed = enterprise_list(tmp_path, "企业更正.csv", range(40), revenue=2.0)
    load_lists(store, [ListFile("enterprises", fixed)], as_of=AS_OF)
    assert calls == [("nodes", "Organization", 10), ("rels", "OPERATES_IN", 10),
                     ("rels", "LOCATED_IN", 7)]  # fmt: skip
    rows = orgs(store)
    assert len(rows) == 40
    assert rows[0][:2] == ("示例企业000有限公司", 20000.0)
    assert rows[39][:2] == ("示例企业039有限公司", 410000.0)


def test_failure_after_the_insert_leaves_nothing(
    store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_graph(store)
    before = store.export()

    def broken(self: Any, *args: Any) -> None:
        raise RuntimeError("disk full while writing links")

    monkeypatch.setattr(Materialiser, "_write_links", broken)
    path = enterprise_list(tmp_path, "企业.csv", range(12))
    with pytest.raises(RuntimeError, match="disk full while writing links"):
        load_lists(store, [ListFile("enterprises", path)], as_of=AS_OF)
    assert store.export() == before


def test_copy_before_the_transaction_gives_the_same_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, calls: list[tuple[str, str, int]]
) -> None:
    """Embedded store: new organisations copied in before the transaction (graph/preinsert.py)
    give exactly the graph the transaction's MERGE path gives, and a reload changes nothing."""
    copied, merged = EmbeddedStore(tmp_path / "copied"), EmbeddedStore(tmp_path / "merged")
    path = enterprise_list(tmp_path, "企业.csv", range(30))
    written: list[int] = []
    write = preinsert.Preinsert.write
    monkeypatch.setattr(
        preinsert.Preinsert,
        "write",
        lambda self, s: (written.append(len(self.nodes)), write(self, s)),
    )
    try:
        for store, threshold in ((copied, 0), (merged, 10**9)):
            store.ensure_schema()
            build_graph(store)
            monkeypatch.setattr(preinsert, "MIN_ROWS", threshold)
            load_lists(store, [ListFile("enterprises", path)], as_of=AS_OF, loaded_at=LOADED_AT)
        assert written == [30]
        assert calls == [
            ("nodes", "Organization", 30),
            ("rels", "OPERATES_IN", 30),
            ("rels", "LOCATED_IN", 20),
        ]  # fmt: skip  (the MERGE path's store only)
        a, b = copied.export(), merged.export()
        assert len(a.nodes.pop("AuditEntry")) == len(b.nodes.pop("AuditEntry")) == 1
        assert a == b
        assert len(orgs(copied)) == 30
        monkeypatch.setattr(preinsert, "MIN_ROWS", 0)
        load_lists(copied, [ListFile("enterprises", path)], as_of=AS_OF)
        assert written == [30]  # nothing new to copy
        again = copied.export()
        again.nodes.pop("AuditEntry")
        assert again == a
    finally:
        copied.close()
        merged.close()


def test_copied_rows_are_deleted_when_the_transaction_fails(
    embedded_store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_graph(embedded_store)
    before = embedded_store.export()

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the audit trail cannot be written")

    monkeypatch.setattr(preinsert, "MIN_ROWS", 0)
    monkeypatch.setattr(audit, "record", broken)
    path = enterprise_list(tmp_path, "企业.csv", range(12))
    with pytest.raises(RuntimeError, match="the audit trail cannot be written"):
        load_lists(embedded_store, [ListFile("enterprises", path)], as_of=AS_OF)
    assert embedded_store.export() == before
