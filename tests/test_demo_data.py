"""Synthetic demo data: determinism, exact counts, valid codes, planted weak links, bulk path."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest

from chainkg.errors import ChainkgError, StoreError
from chainkg.graph.bulk import delete_synthetic, write_csv
from chainkg.graph.embedded import EmbeddedStore
from chainkg.graph.ids import segment_id
from chainkg.graph.schema import SCHEMA
from chainkg.graph.store import GraphStore
from chainkg.loaders.chain_templates import ChainTemplate, FeedTemplate, SegmentTemplate
from chainkg.loaders.demo_data import (
    AS_OF,
    PREVIOUS_AS_OF,
    SOURCE,
    DemoData,
    generate_demo,
    industry_word,
    make_uscc,
    minimum_scale,
    organization_code,
)
from chainkg.loaders.demo_load import load_demo
from chainkg.loaders.uscc import is_valid_uscc

STAGES = ("upstream", "upstream", "midstream", "midstream", "downstream", "downstream")


def _template(chain: str, names: list[str], edges: list[tuple[int, int]]) -> ChainTemplate:
    segments = tuple(
        SegmentTemplate(chain, n, STAGES[i], i + 1, "", (f"39{i}1",) if i % 2 else (), "t")
        for i, n in enumerate(names)
    )
    feeds = tuple(FeedTemplate(chain, names[a], chain, names[b], None, "t") for a, b in edges)
    return ChainTemplate(chain, "测试集群", segments, feeds, "t.toml")


def small_templates() -> list[ChainTemplate]:
    """Three hand-made chains (16 segments), one cross-chain feed."""
    a = _template(
        "测试甲产业链",
        ["正极材料", "负极材料", "电芯制造", "模组与PACK", "整车应用"],
        [(0, 2), (1, 2), (2, 3), (3, 4)],
    )
    b = _template(
        "测试乙产业链",
        ["硅料", "硅片", "电池片", "组件", "电站"],
        [(0, 1), (1, 2), (2, 3), (3, 4)],
    )
    c = _template(
        "测试丙产业链",
        ["钢材", "铸锻件", "液压件", "整机", "租赁", "再制造"],
        [(0, 1), (0, 2), (1, 3), (2, 3), (3, 4), (3, 5)],
    )
    cross = FeedTemplate("测试甲产业链", "模组与PACK", "测试乙产业链", "电站", "储能", "t")
    a = ChainTemplate(a.chain, a.cluster, a.segments, (*a.feeds, cross), a.source_file)
    return [a, b, c]


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return generate_demo(small_templates(), scale=500, seed=7)


def _rows(data: DemoData) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for t in data.tables():
        out.setdefault(f"{t.name}:{t.from_label}:{t.to_label}", []).extend(t.rows())
    return out


def test_same_seed_gives_identical_rows_and_another_seed_does_not(demo: DemoData) -> None:
    again = generate_demo(small_templates(), scale=500, seed=7)
    assert _rows(again) == _rows(demo)
    assert again.digest() == demo.digest()
    assert again.manifest == demo.manifest
    other = generate_demo(small_templates(), scale=500, seed=8)
    assert other.digest() != demo.digest()
    assert {r["name"] for r in _rows(other)["Organization:None:None"]} != {
        r["name"] for r in _rows(demo)["Organization:None:None"]
    }


def test_exact_counts_at_scale_500(demo: DemoData) -> None:
    assert demo.counts() == {
        "Park": 34,
        "Organization": 500,
        "LOCATED_IN": 494,
        "IN_PARK": 347,
        "OPERATES_IN": 506,
        "SUPPLIES": 1441,
        # The MISSING segment's 招商清单 target (naming its out-of-province firm) and project.
        "InvestmentTarget": 1,
        "Project": 1,
        "IN_SEGMENT": 2,
        "CONCERNS": 1,
    }
    rows = _rows(demo)
    assert sum(not r["in_province"] for r in rows["Organization:None:None"]) == 40
    assert len(rows["LOCATED_IN:Park:City"]) == 34
    assert len(rows["LOCATED_IN:Organization:City"]) == 460
    assert Counter((p.kind, p.variant) for p in demo.manifest.planted) == {
        ("missing", "none"): 1,
        ("dependent", "external"): 1,
        ("dependent", "single_source"): 1,
        ("thin", "few"): 1,
        ("thin", "concentrated"): 1,
        # the severity pair: sources of the same segments (甲 正极材料, 负极材料 -> 电芯制造)
        ("dependent", "heavy"): 1,
        ("dependent", "light"): 1,
    }


def test_every_row_is_synthetic_with_demo_provenance(demo: DemoData) -> None:
    for name, rows in _rows(demo).items():
        for row in rows:
            assert (row["synthetic"], row["source"]) == (True, SOURCE), name
            assert row["source_ref"] == "seed=7, scale=500"
            # Nodes describe the demo's year; memberships are dated by their first year.
            is_rel = not name.endswith(":None:None")
            assert row["as_of"] == AS_OF or (is_rel and row["as_of"] == PREVIOUS_AS_OF)
    assert all(p["name"].endswith("（示例）") for p in demo.parks)


def test_two_years_new_firms_are_dated_this_year_the_rest_the_year_before(
    demo: DemoData,
) -> None:
    firms = {f["id"]: f for fs in demo.chain_firms().values() for f in fs}
    rows = _rows(demo)["OPERATES_IN:Organization:Segment"]
    dated = {r["from_id"]: r["as_of"] for r in rows if r["from_id"] in firms}
    new = {i for i, f in firms.items() if f["new"]}
    assert 0 < len(new) < 0.25 * len(firms)
    assert {i for i, d in dated.items() if d == AS_OF} == new
    leaders = {r["id"] for r in _rows(demo)["Organization:None:None"] if r["leader"]}
    assert not new & leaders


def test_every_uscc_is_valid_unique_and_henan_for_local_firms(demo: DemoData) -> None:
    orgs = _rows(demo)["Organization:None:None"]
    assert all(is_valid_uscc(o["uscc"]) for o in orgs)
    assert len({o["uscc"] for o in orgs}) == len(orgs)
    assert len({o["name"] for o in orgs}) == len(orgs)
    assert all(o["uscc"].startswith("9141") for o in orgs if o["in_province"])
    assert not any(o["uscc"].startswith("9141") for o in orgs if not o["in_province"])
    assert all(o["name"].endswith("公司") for o in orgs)


def test_uscc_and_organization_code_check_characters() -> None:
    # 1*3+2*7+3*9+4*10+5*5+6*8+7*4+8*2 = 201; 201 mod 11 = 3; 11-3 = 8
    assert organization_code(12345678) == "123456788"
    assert organization_code(5) == "000000051"  # 5*2 = 10 -> 11 - 10 = 1
    assert organization_code(6) == "00000006X"  # 6*2 = 12, 12 mod 11 = 1 -> 10 -> X
    assert organization_code(0) == "000000000"  # 11 -> 0
    assert organization_code(100_000_006) == "00000006X"
    assert make_uscc("410100", 12345678) == "91410100123456788Y"
    assert is_valid_uscc(make_uscc("419001", 99))


def test_industry_words_from_segment_names() -> None:
    assert industry_word("模组与PACK") == "模组"
    assert industry_word("电芯制造") == "电芯"
    assert industry_word("铜箔/铝箔") == "铜箔"
    assert industry_word("整车应用") == "整车"
    assert industry_word("（示例）") == "实业"


def test_planted_segments_look_the_way_the_manifest_says(demo: DemoData) -> None:
    rows = _rows(demo)
    local = {o["id"] for o in rows["Organization:None:None"] if o["in_province"]}
    leaders = {o["id"] for o in rows["Organization:None:None"] if o["leader"]}
    revenue = {o["id"]: o["revenue"] for o in rows["Organization:None:None"]}
    operates: dict[str, list[str]] = {}
    for r in rows["OPERATES_IN:Organization:Segment"]:
        operates.setdefault(r["to_id"], []).append(r["from_id"])
    supplied: dict[str, list[str]] = {}
    seg_name = {segment_id(t.chain, s.name): s.name for t in small_templates() for s in t.segments}
    for r in rows["SUPPLIES:Organization:Organization"]:
        assert r["to_id"] in local  # every customer is an in-province firm
        supplied.setdefault(r["product"], []).append(r["from_id"])
    m = demo.manifest
    (missing,) = m.segment_ids("missing")
    assert [o for o in operates.get(missing, []) if o in local] == []
    assert operates[missing]  # out-of-province firms operate there
    assert supplied[seg_name[missing]] and not set(supplied[seg_name[missing]]) & local
    (few,) = m.segment_ids("thin", "few")
    firms = [o for o in operates[few] if o in local]
    assert 1 <= len(firms) <= 2 and not set(firms) & leaders
    (conc,) = m.segment_ids("thin", "concentrated")
    firms = sorted((revenue[o] for o in operates[conc] if o in local), reverse=True)
    assert firms[0] >= 0.5 * sum(firms)
    (ext,) = m.segment_ids("dependent", "external")
    from_ext = supplied[seg_name[ext]]
    assert sum(o in local for o in from_ext) / len(from_ext) < 0.5
    (single,) = m.segment_ids("dependent", "single_source")
    assert len(set(supplied[seg_name[single]])) == 1
    assert (
        json.loads(json.dumps(m.to_dict()))["planted"][0]["segment_id"] == m.planted[0].segment_id
    )


def test_shipped_templates_plant_missing_segments_without_local_firms() -> None:
    from chainkg.loaders.chain_templates import load_templates

    templates = load_templates()
    data = generate_demo(templates, scale=minimum_scale(templates) + 100, seed=61)
    missing = set(data.manifest.segment_ids("missing"))
    assert len(missing) >= 1
    local = {f.id for f in data._firms if f.in_province}
    for t in data.tables():
        if t.name == "OPERATES_IN":
            assert not [r for r in t.rows() if r["to_id"] in missing and r["from_id"] in local]


def test_a_scale_below_the_minimum_is_refused() -> None:
    templates = small_templates()
    low = minimum_scale(templates, seed=7)  # the plan, and so the minimum, depends on the seed
    generate_demo(templates, scale=low, seed=7)
    with pytest.raises(ChainkgError, match=f"at least {low} enterprises"):
        generate_demo(templates, scale=low - 1, seed=7)


# ---------------------------------------------------------------- the bulk path


def test_bulk_insert_round_trips_every_property_type(embedded_store: GraphStore) -> None:
    assert isinstance(embedded_store, EmbeddedStore)
    segments = [
        {
            "id": "segment:x/1",
            "name": '引号"与,逗号',
            "chain": "",
            "stage_rank": 2,
            "position": -7,
            "description": "两行\n文本",
            "industry_codes": ["3841", "C3842"],
            "as_of": dt.date(2021, 10, 21),
            "synthetic": True,
        },
        {"id": "segment:x/2", "name": "乙", "industry_codes": ["a,b", " x", "it's"]},
        {"id": "segment:x/3", "name": "丙", "industry_codes": [], "as_of": "2020-01-02"},
    ]
    orgs = [
        {
            "id": "org:1",
            "name": "甲",
            "revenue": 1234.5,
            "employees": 10,
            "leader": True,
            "kind": "x",
            "in_province": False,
            "loaded_at": "2024-01-01T00:00:00",
        },
        {
            "id": "org:2",
            "name": " 前后空格 ",
            "revenue": 0.1 + 0.2,
            "employees": 3.0,
            "leader": False,
            "kind": "'单引号'",
            "uscc": "NULL",
            "city": "a\\b",
        },
    ]
    problems = [
        {"id": "problem:1", "title": "缺", "registered": dt.date(2024, 2, 29), "closed_on": None}
    ]
    assert embedded_store.bulk_insert("Segment", segments) == 3
    assert embedded_store.bulk_insert("Organization", orgs) == 2
    assert embedded_store.bulk_insert("Problem", problems) == 1
    assert embedded_store.bulk_insert("City", [{"id": "city:郑州市", "name": "郑州市"}]) == 1
    supplies = [{"from_id": "org:1", "to_id": "org:2", "product": "电芯", "value": 2.5}]
    assert embedded_store.bulk_insert("SUPPLIES", supplies) == 1
    located = [{"from_id": "org:2", "to_id": "city:郑州市", "synthetic": False}]
    assert (
        embedded_store.bulk_insert(
            "LOCATED_IN", located, from_label="Organization", to_label="City"
        )
        == 1
    )
    out = embedded_store.export()
    none = dict.fromkeys(("source", "source_ref", "loaded_at", "as_of", "synthetic", "version"))
    assert out.nodes["Segment"] == [
        {**none, "stage": None, **segments[0]},
        {
            **none,
            "chain": None,
            "stage": None,
            "stage_rank": None,
            "position": None,
            "description": None,
            **segments[1],
        },
        {
            **none,
            "chain": None,
            "stage": None,
            "stage_rank": None,
            "position": None,
            "description": None,
            **segments[2],
            "as_of": dt.date(2020, 1, 2),
        },
    ]
    org_none = dict.fromkeys(
        (
            "kind",
            "uscc",
            "city",
            "county",
            "in_province",
            "province",
            "country",
            "capacity",
            "specialized",
            "listed",
            "industry_code",
            "claimed_by",
            "base_claim",
            "conflicts",
        )
    )
    assert out.nodes["Organization"] == [
        {**none, **org_none, **orgs[0]},
        {**none, **org_none, **orgs[1], "revenue": 0.30000000000000004, "employees": 3},
    ]
    assert out.nodes["Organization"][1]["kind"] == "'单引号'"
    assert out.nodes["Organization"][1]["city"] == "a\\b"
    problem_props = dict.fromkeys(p.name for p in embedded_store.schema.node("Problem").props)
    assert out.nodes["Problem"] == [{**none, **problem_props, **problems[0]}]
    assert out.rels[("SUPPLIES", "Organization", "Organization")] == [
        {**none, "segment": None, **supplies[0]}
    ]
    assert out.rels[("LOCATED_IN", "Organization", "City")] == [{**none, **located[0]}]


def test_bulk_insert_of_an_existing_id_writes_nothing(embedded_store: GraphStore) -> None:
    assert isinstance(embedded_store, EmbeddedStore)
    embedded_store.bulk_insert("City", [{"id": "city:a", "name": "a"}])
    with pytest.raises(StoreError, match="duplicated primary key"):
        embedded_store.bulk_insert("City", [{"id": "city:b"}, {"id": "city:a"}])
    assert embedded_store.read("MATCH (c:City) RETURN c.id AS id") == [{"id": "city:a"}]


def test_bulk_csv_rejects_a_wrong_type_and_an_unknown_column(tmp_path: Path) -> None:
    kind = SCHEMA.node("Organization")
    with pytest.raises(StoreError, match=r"Organization.revenue: '12' is not a valid DOUBLE"):
        write_csv(tmp_path / "a.csv", kind, [{"id": "org:1", "revenue": "12"}])
    with pytest.raises(StoreError, match="Organization has no property colour"):
        write_csv(tmp_path / "b.csv", kind, [{"id": "org:1", "colour": "red"}])


# ---------------------------------------------------------------- loading the demo


def _load_segments(store: GraphStore, templates: list[ChainTemplate]) -> None:
    rows = [
        {"id": segment_id(t.chain, s.name), "name": s.name, "chain": t.chain}
        for t in templates
        for s in t.segments
    ]
    with store.transaction() as tx:
        tx.upsert_nodes("Segment", rows)
        tx.upsert_nodes("Organization", [{"id": "org:真实", "name": "真实", "synthetic": False}])


def test_load_demo_twice_gives_the_same_graph_and_keeps_real_data(store: GraphStore) -> None:
    templates = small_templates()
    _load_segments(store, templates)
    steps: list[tuple[int, int]] = []
    first = load_demo(
        store,
        scale=500,
        seed=7,
        templates=templates,
        progress=lambda _what, done, total: steps.append((done, total)),
    )
    assert steps == [(i, 15) for i in range(1, 16)]
    assert first.rows == generate_demo(templates, scale=500, seed=7).counts()
    assert first.cities_added == 18
    before = store.export()
    second = load_demo(store, scale=500, seed=7, templates=templates)
    assert (second.removed_nodes, second.cities_added) == (536, 0)  # + target and project
    assert store.export() == before
    counts = store.counts().to_dict()
    assert counts["nodes"]["Organization"] == 501
    assert counts["relationships"]["SUPPLIES"] == 1441
    missing = first.manifest.segment_ids("missing")
    assert store.read(
        "MATCH (o:Organization)-[:OPERATES_IN]->(s:Segment) "
        "WHERE s.id IN $ids AND o.in_province = true RETURN count(o) AS n",
        {"ids": missing},
    ) == [{"n": 0}]
    delete_synthetic(store)
    assert store.read("MATCH (o:Organization) RETURN o.id AS id") == [{"id": "org:真实"}]


def test_load_demo_without_the_templates_in_the_graph_says_what_to_load(
    embedded_store: GraphStore,
) -> None:
    with pytest.raises(ChainkgError, match="16 of the 16 segments") as info:
        load_demo(embedded_store, scale=500, seed=7, templates=small_templates())
    assert "chain templates" in (info.value.hint or "")
