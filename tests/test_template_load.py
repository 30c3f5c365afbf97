"""Chain templates loaded into each store."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from chainkg.errors import InputError, NotFoundError
from chainkg.graph.store import GraphStore
from chainkg.loaders.chain_templates import default_template_dir
from chainkg.loaders.roster_load import load_roster
from chainkg.loaders.template_load import TEMPLATE_SOURCE, load_chain_templates

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def test_templates_give_every_chain_its_segments_and_feeds(store: GraphStore) -> None:
    load_roster(store, now=NOW)
    report = load_chain_templates(store, now=NOW)
    assert (report.chains, report.segments, report.feeds, report.cross_chain_feeds) == (
        30,
        421,
        680,
        34,
    )
    per_chain = store.read(
        "MATCH (c:Chain) OPTIONAL MATCH (c)-[:HAS_SEGMENT]->(s:Segment) "
        "RETURN c.name AS chain, count(s) AS n ORDER BY chain"
    )
    assert len(per_chain) == 30
    assert all(5 <= r["n"] <= 24 for r in per_chain)
    battery = store.read(
        "MATCH (:Chain {name: $chain})-[:HAS_SEGMENT]->(s:Segment) "
        "RETURN s.name AS name, s.stage AS stage, s.stage_rank AS rank ORDER BY s.position",
        {"chain": "动力电池产业链"},
    )
    assert [r["name"] for r in battery][:4] == ["锂钴镍资源", "正极材料", "负极材料", "电解液"]
    assert battery[0]["stage"] == "upstream" and battery[0]["rank"] == 1
    cross = store.read(
        "MATCH (a:Segment)-[f:FEEDS]->(b:Segment) WHERE f.cross_chain "
        "AND a.chain = $a AND b.chain = $b RETURN count(f) AS n",
        {"a": "动力电池产业链", "b": "新能源及智能网联汽车产业链"},
    )
    assert cross[0]["n"] >= 1
    sources = store.read("MATCH (s:Segment) RETURN DISTINCT s.source AS source")
    assert sources == [{"source": TEMPLATE_SOURCE}]


def test_loading_templates_twice_changes_nothing(store: GraphStore) -> None:
    load_roster(store, now=NOW)
    load_chain_templates(store, now=NOW)
    before = store.export()
    load_chain_templates(store, now=NOW)
    assert store.export() == before


def test_an_edited_template_set_replaces_the_old_one(store: GraphStore, tmp_path: Path) -> None:
    load_roster(store, now=NOW)
    load_chain_templates(store, now=NOW)
    folder = tmp_path / "chains"
    shutil.copytree(default_template_dir(), folder)
    battery = next(folder.glob("20-*.toml"))
    text = battery.read_text(encoding="utf-8").replace('"隔膜"', '"隔膜材料"')
    battery.write_text(text, encoding="utf-8")
    load_chain_templates(store, folder, now=NOW)
    names = {
        r["name"]
        for r in store.read(
            "MATCH (s:Segment {chain: $c}) RETURN s.name AS name", {"c": "动力电池产业链"}
        )
    }
    assert "隔膜" not in names and "隔膜材料" in names
    assert store.counts().nodes["Segment"] == 421


def test_templates_need_the_roster(store: GraphStore) -> None:
    with pytest.raises(NotFoundError) as err:
        load_chain_templates(store)
    assert err.value.hint == "load the roster first: chainkg load roster"


def test_an_invalid_template_loads_nothing(store: GraphStore, tmp_path: Path) -> None:
    load_roster(store, now=NOW)
    before = store.export()
    folder = tmp_path / "chains"
    shutil.copytree(default_template_dir(), folder)
    battery = next(folder.glob("20-*.toml"))
    battery.write_text(
        battery.read_text(encoding="utf-8").replace('stage = "下游"', 'stage = "末端"', 1),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_chain_templates(store, folder)
    assert battery.name in str(err.value) and "末端" in str(err.value)
    assert store.export() == before
