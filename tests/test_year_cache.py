"""A closed year's reading is kept beside an embedded graph and recomputed when it changes.

queries/year_cache.py keeps the evaluation's reading of a past year (read from an as-of copy)
in ``<data dir>/cache/years``. Here, on both stores (the Neo4j store keeps nothing and must
give the same values): the values of the previous year, read back unchanged; a back-dated
correction (the same as-of date reloaded with another revenue), a list dropped and a fact
outside list versions each change them, exactly; a current-year load does not touch the kept
reading.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from chainkg.graph import ids
from chainkg.graph.store import GraphStore
from chainkg.graph.versions import Writer, drop_version, version_id
from chainkg.loaders.list_load import ListFile, load_lists
from chainkg.loaders.roster_load import load_roster
from chainkg.loaders.template_load import load_chain_templates
from chainkg.queries import evaluation, year_cache
from chainkg.queries.evaluation import evaluate

CHAIN = "电力装备产业链"
HEADER = "名称,产业链,环节,地市,营业收入(万元),龙头"
A, B, C = "许继示例电气有限公司", "平高示例开关有限公司", "森源示例电气有限公司"
Y23, Y24 = dt.date(2023, 12, 31), dt.date(2024, 12, 31)
COUNTS = ("count_a", "count_b", "count_c", "count_d")


def _load(store: GraphStore, folder: Path, as_of: dt.date, rows: str) -> None:
    path = folder / f"{as_of.isoformat()}-{abs(hash(rows))}.csv"
    path.write_text(f"{HEADER}\n{rows}\n", encoding="utf-8")
    load_lists(store, [ListFile("enterprises", path)], as_of=as_of)


def _values(store: GraphStore) -> dict[str, Any]:
    ev = evaluate(store, 2024)
    chain = next(e for e in ev["chains"] if e["chain"] == CHAIN)["indicators"]
    return {
        "enterprises": (chain["enterprises"]["value"], chain["enterprises"]["previous"]),
        "revenue": (chain["revenue"]["value"], chain["revenue"]["previous"]),
        "leaders": (chain["leaders"]["value"], chain["leaders"]["previous"]),
    }


def _kept(store: GraphStore) -> list[str]:
    return [p.name for p in year_cache.kept_files(store)]


@pytest.mark.slow
def test_a_closed_year_is_kept_and_recomputed_when_what_it_read_changes(
    store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedded = store.dialect == "ladybug"
    load_roster(store)
    load_chain_templates(store)
    _load(
        store,
        tmp_path,
        Y23,
        f"{A},{CHAIN},变压器与电抗器,许昌市,80000,是\n{B},{CHAIN},电线电缆,平顶山市,30000,否",
    )
    _load(store, tmp_path, Y24, f"{A},{CHAIN},变压器与电抗器,许昌市,90000,是")
    want = {"enterprises": (1, 2), "revenue": (90_000.0, 110_000.0), "leaders": (1, 1)}
    assert _values(store) == want
    kept = _kept(store)
    assert len(kept) == (1 if embedded else 0)
    if embedded:
        assert kept[0].startswith("2023-")
        # read back: the as-of copy is not made again
        real = evaluation._read_year_graph
        made: list[int] = []

        def counting(*args: Any, **kwargs: Any) -> Any:
            made.append(args[3])
            return real(*args, **kwargs)

        monkeypatch.setattr(evaluation, "_read_year_graph", counting)
        assert _values(store) == want
        assert made == [2024]  # the current year only: 2023 came from the kept reading
        assert _kept(store) == kept

    # a back-dated correction: the 2023 list reloaded (same version id) with B at 50,000
    _load(
        store,
        tmp_path,
        Y23,
        f"{A},{CHAIN},变压器与电抗器,许昌市,80000,是\n{B},{CHAIN},电线电缆,平顶山市,50000,否",
    )
    want = {"enterprises": (1, 2), "revenue": (90_000.0, 130_000.0), "leaders": (1, 1)}
    assert _values(store) == want
    if embedded:
        assert len(_kept(store)) == 1 and _kept(store) != kept  # replaced, not added
        kept = _kept(store)

    # a back-dated list as of an earlier date of 2023 does not change what is in force then
    # (the 12-31 version is later): the reading is kept as it is
    _load(store, tmp_path, dt.date(2023, 6, 30), f"{C},{CHAIN},电线电缆,许昌市,7000,否")
    assert _values(store) == want
    if embedded:
        assert _kept(store) == kept

    # a fact outside list versions (an enterprise placed as of 2023 by another source)
    with store.transaction() as tx:
        org = ids.org_id("郑州示例线缆有限公司")
        tx.upsert_nodes(
            "Organization",
            [{"id": org, "name": "郑州示例线缆有限公司", "in_province": True, "revenue": 1000.0}],
        )
        tx.upsert_rels(
            "OPERATES_IN",
            "Organization",
            "Segment",
            [{"from_id": org, "to_id": ids.segment_id(CHAIN, "电线电缆"), "as_of": Y23}],
        )
    want = {"enterprises": (2, 3), "revenue": (91_000.0, 131_000.0), "leaders": (1, 1)}
    assert _values(store) == want

    # the 2023 version dropped: the June list is in force at the end of 2023
    with store.transaction() as tx:
        drop_version(tx, version_id("enterprises", CHAIN, Y23), Writer(), "2026-12-02T00:00:00")
    want = {"enterprises": (2, 2), "revenue": (91_000.0, 8_000.0), "leaders": (1, 0)}
    assert _values(store) == want
    if embedded:
        assert len(_kept(store)) == 1 and _kept(store) != kept


def test_the_digest_of_unversioned_facts_is_stable_across_row_order_and_float_noise() -> None:
    """UNION parts come in varying order and float sums vary in the last bits between runs."""
    rows = [
        {"kind": k, "facts": n, "sum_a": s, "sum_b": 0.0, **dict.fromkeys(COUNTS, 1)}
        for k, n, s in (("Organization", 3, 1000.0000001), ("SUPPLIES", 2, 5.21), ("FEEDS", 1, 0))
    ]

    class Rows:
        def __init__(self, rows: list[dict[str, Any]]) -> None:
            self.rows = rows

        def read(self, _query: Any, _params: Any = None) -> list[dict[str, Any]]:
            return self.rows

    noisy = [{**r, "sum_a": r["sum_a"] + 1e-6} for r in reversed(rows)]
    digest = year_cache.base_digest(Rows(rows))  # type: ignore[arg-type]
    assert digest == year_cache.base_digest(Rows(noisy))  # type: ignore[arg-type]
    assert [d[:3] for d in digest] == [
        ["FEEDS", 1, 0.0],
        ["Organization", 3, 1000.0],
        ["SUPPLIES", 2, 5.2],
    ]
    changed = [{**r, "sum_a": r["sum_a"] + 0.2} for r in rows]
    assert year_cache.base_digest(Rows(changed)) != digest  # type: ignore[arg-type]


def test_the_structure_digest_sees_a_renamed_segment_and_a_changed_feed(store: GraphStore) -> None:
    """A template correction that keeps every count (a segment renamed, a feed's product
    changed) still changes the key of a kept reading: the structure is hashed in full."""
    load_roster(store)
    load_chain_templates(store)
    rows = store.read(year_cache.query("eval_base_structure"))
    kinds = {k: sum(r["kind"] == k for r in rows) for k in ("Chain", "Segment", "FEEDS")}
    assert kinds == {"Chain": 30, "Segment": 421, "FEEDS": 680}
    before = year_cache.base_structure(store)
    assert year_cache.base_structure(store) == before  # stable across reads
    seg = ids.segment_id(CHAIN, "电线电缆")
    with store.transaction() as tx:
        tx.upsert_nodes("Segment", [{"id": seg, "name": "电线电缆与光缆"}])
    renamed = year_cache.base_structure(store)
    assert renamed != before
    with store.transaction() as tx:
        tx.upsert_nodes("Segment", [{"id": seg, "name": "电线电缆"}])
    assert year_cache.base_structure(store) == before  # the same structure, the same key
