"""Organisation identity (issue 12, item 4): the alias table, merge and unmerge, on both stores.

A merge keeps every claim (which list, version and row said what), is audited and is
undone by unmerge to the graph it started from; lists loaded after a merge land on the
merged organisation; only an admin may do it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from test_api_support import OTHER_CHAIN, OWN_CHAIN, UNIT_ORG

from chainkg.errors import InputError, NotFoundError
from chainkg.graph.aliases import AliasError, list_aliases, merge_entries, unmerge_entries
from chainkg.graph.audit import audit_entries
from chainkg.graph.ids import org_id
from chainkg.graph.store import GraphStore
from chainkg.graph.versions import ForbiddenWriteError, Writer, read_content
from chainkg.loaders import org_aliases
from chainkg.loaders.list_load import ListFile, load_lists
from chainkg.loaders.roster_load import load_roster
from chainkg.loaders.template_load import load_chain_templates

D2024 = dt.date(2024, 12, 31)
T1, T2, T3 = ("2025-01-01T00:00:00+00:00", "2025-02-01T00:00:00+00:00", "2025-03-01T00:00:00+00:00")
TARGET, ALIAS, OTHER = "甲电工钢有限公司", "郑州甲电工钢有限公司", "丙电网建设有限公司"
STEEL, GRID, DISPLAY = "电工钢与铜铝导体材料", "输配电网建设", "显示材料"
HEADER = "名称,产业链,环节,地市,营业收入(万元)"
V_OWN = f"version:enterprises:{OWN_CHAIN}:2024-12-31"
V_OTHER = f"version:enterprises:{OTHER_CHAIN}:2024-12-31"
V_SUPPLY = "version:supplies:*:2024-12-31"
V_PROJECT = f"version:projects:{OWN_CHAIN}:2024-12-31"
UNIT = Writer(who="unit-key", org=UNIT_ORG, chains=frozenset({OWN_CHAIN}), strict=True)


def write(tmp: Path, name: str, *lines: str) -> Path:
    path = tmp / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def graph(store: GraphStore, tmp_path: Path) -> GraphStore:
    """Roster, templates, and lists naming one firm twice: 甲电工钢 by 电力装备 and, with its
    city in front (郑州甲电工钢), by 新型显示, a supply and a project of the second spelling."""
    load_roster(store)
    load_chain_templates(store)
    own = write(tmp_path, "电力装备企业.csv", HEADER, f"{TARGET},{OWN_CHAIN},{STEEL},郑州市,100",
                f"{OTHER},{OWN_CHAIN},{GRID},开封市,300")  # fmt: skip
    other = write(
        tmp_path, "新型显示企业.csv", HEADER, f"{ALIAS},{OTHER_CHAIN},{DISPLAY},洛阳市,120"
    )
    load_lists(store, [ListFile("enterprises", own)], as_of=D2024, loaded_at=T1)
    load_lists(store, [ListFile("enterprises", other)], as_of=D2024, loaded_at=T2)
    supplies = write(tmp_path, "供应关系.csv", "供方,需方,产品,年供货额(万元)",
                     f"{ALIAS},{OTHER},硅钢片,50", f"{TARGET},{OTHER},铜排,20")  # fmt: skip
    projects = write(tmp_path, "项目.csv", "项目名称,产业链,环节,建设单位",
                     f"年产5万吨硅钢项目,{OWN_CHAIN},{STEEL},{ALIAS}")  # fmt: skip
    load_lists(store, [ListFile("supplies", supplies)], as_of=D2024, loaded_at=T3)
    load_lists(store, [ListFile("projects", projects)], as_of=D2024, loaded_at=T3)
    return store


def files(tmp: Path) -> dict[str, Path]:
    return {p.stem: p for p in tmp.glob("*.csv")}


def graph_state(store: GraphStore) -> object:
    """The whole graph without the audit trail (which records the merge and the unmerge)."""
    out = store.export()
    out.nodes.pop("AuditEntry")
    return out


def orgs(store: GraphStore) -> list[tuple]:
    rows = store.read(
        "MATCH (o:Organization) WHERE size(o.claimed_by) > 0 RETURN o.name AS name, "
        "o.city AS city, o.revenue AS revenue, o.claimed_by AS claimed_by, "
        "o.conflicts AS conflicts ORDER BY name"
    )
    return [tuple(r.values()) for r in rows]


def placements(store: GraphStore) -> set[tuple[str, str, str]]:
    rows = store.read(
        "MATCH (o:Organization)-[e:OPERATES_IN]->(s:Segment) WHERE e.version IS NOT NULL "
        "RETURN o.name AS o, s.name AS s, e.version AS v"
    )
    return {(r["o"], r["s"], r["v"]) for r in rows}


def supplies(store: GraphStore) -> set[tuple]:
    rows = store.read(
        "MATCH (a:Organization)-[e:SUPPLIES]->(b:Organization) RETURN a.name AS a, b.name AS b, "
        "e.product AS p, e.value AS v, e.source_ref AS ref"
    )
    return {tuple(r.values()) for r in rows}


def owners(store: GraphStore) -> set[tuple]:
    rows = store.read(
        "MATCH (p:Project)-[e:CONCERNS]->(o:Organization) RETURN p.name AS p, o.name AS o, "
        "e.role AS role"
    )
    return {tuple(r.values()) for r in rows}


def test_merge_keeps_claims_reload_lands_on_it_and_unmerge_restores(
    graph: GraphStore, tmp_path: Path
) -> None:
    before = graph_state(graph)
    assert orgs(graph) == [
        (OTHER, "开封市", 300.0, [V_OWN], []),
        (TARGET, "郑州市", 100.0, [V_OWN], []),
        (ALIAS, "洛阳市", 120.0, [V_OTHER], []),
    ]
    # a unit key may not merge: refused, with the reason, nothing changed
    with pytest.raises(ForbiddenWriteError) as refused:
        org_aliases.alias(graph, ALIAS, TARGET, writer=UNIT, must_exist=True)
    assert str(refused.value) == (
        "merging organisations is an admin task: 省工业和信息化厅 may write only the lists of "
        "its own chains; nothing was changed"
    )
    assert graph_state(graph) == before

    result = org_aliases.alias(graph, ALIAS, TARGET, note="同一企业", must_exist=True)
    assert result == {
        "alias": ALIAS,
        "alias_id": org_id(ALIAS),
        "unchanged": False,
        "target": org_id(TARGET),
        "merged": True,
        "versions_rewritten": 3,
        "facts_moved": 0,
        "note": "同一企业",
    }
    # one organisation, both claims kept (the oldest gives the value), the disagreement shown
    assert orgs(graph) == [
        (OTHER, "开封市", 300.0, [V_OWN], []),
        (TARGET, "郑州市", 100.0, [V_OWN, V_OTHER], ["@LOCATED_IN", "city", "revenue"]),
    ]
    assert placements(graph) == {
        (TARGET, STEEL, V_OWN),
        (TARGET, DISPLAY, V_OTHER),
        (OTHER, GRID, V_OWN),
    }
    assert supplies(graph) == {
        (TARGET, OTHER, "硅钢片", 50.0, "第2行"),
        (TARGET, OTHER, "铜排", 20.0, "第3行"),
    }
    assert owners(graph) == {("年产5万吨硅钢项目", TARGET, "owner")}
    # the version still says what the list said: which name, which file and row
    content = read_content(graph.read, V_OTHER)
    assert content is not None
    entry = content.entries[org_id(TARGET)]
    assert (entry["listed_as"], entry["listed_id"], entry["values"]["name"]) == (
        ALIAS,
        org_id(ALIAS),
        TARGET,
    )
    assert (entry["source"], entry["ref"], entry["values"]["revenue"]) == (
        "新型显示企业.csv",
        "第2行",
        120.0,
    )
    assert [
        (a["alias"], a["target"], a["merged"], a["note"]) for a in list_aliases(graph.read)
    ] == [(ALIAS, org_id(TARGET), True, "同一企业")]
    trail = audit_entries(graph, action="merge_org")
    assert [(t["who"], t["target"], t["details"]["versions_rewritten"]) for t in trail] == [
        ("cli", org_id(ALIAS), 3)
    ]
    # recording it again changes nothing
    assert org_aliases.alias(graph, ALIAS, TARGET)["unchanged"] is True
    merged = graph_state(graph)

    # loading the same lists again lands on the merged organisation and changes nothing
    paths = files(tmp_path)
    for kind, name in (
        ("enterprises", "新型显示企业"),
        ("supplies", "供应关系"),
        ("projects", "项目"),
    ):
        report = load_lists(graph, [ListFile(kind, paths[name])], as_of=D2024)
        assert report.versions is not None
        assert [v["unchanged"] for v in report.versions.versions] == [True]
    assert graph_state(graph) == merged

    # unmerge: the graph it started from, every property (timestamps too)
    undone = org_aliases.unmerge(graph, ALIAS)
    assert undone == {
        "alias_id": org_id(ALIAS),
        "alias": ALIAS,
        "target": org_id(TARGET),
        "restored": True,
        "versions_rewritten": 3,
    }
    assert graph_state(graph) == before
    assert list_aliases(graph.read) == []
    assert [t["action"] for t in audit_entries(graph, target=org_id(ALIAS))] == [
        "unmerge_org",
        "merge_org",
    ]
    # and the lists load as before: nothing changes
    report = load_lists(graph, [ListFile("enterprises", paths["新型显示企业"])], as_of=D2024)
    assert report.versions is not None and report.versions.versions[0]["unchanged"] is True
    assert graph_state(graph) == before


def test_alias_before_the_list_resolves_at_load_and_unmerge_splits(
    graph: GraphStore, tmp_path: Path
) -> None:
    new_name = "洛阳甲电工钢有限公司"
    assert org_aliases.alias(graph, f" {new_name} ", TARGET)["merged"] is False
    path = write(tmp_path, "2025.csv", HEADER, f"{new_name},{OWN_CHAIN},{GRID},洛阳市,90")
    load_lists(graph, [ListFile("enterprises", path)], as_of=dt.date(2025, 12, 31))
    v25 = f"version:enterprises:{OWN_CHAIN}:2025-12-31"
    assert (TARGET, GRID, v25) in placements(graph)
    assert graph.read(
        "MATCH (o:Organization {id: $id}) RETURN count(o) AS n", {"id": org_id(new_name)}
    ) == [{"n": 0}]
    # a file naming the firm by both names: one row per organisation
    both = write(tmp_path, "both.csv", HEADER, f"{TARGET},{OWN_CHAIN},{STEEL},郑州市,1",
                 f"{new_name},{OWN_CHAIN},{GRID},洛阳市,2")  # fmt: skip
    with pytest.raises(InputError) as bad:
        load_lists(graph, [ListFile("enterprises", both)], as_of=dt.date(2026, 12, 31))
    assert str(bad.value.problems[0]) == (
        f"both.csv, row 3, column '名称': '{new_name}' and row 2 name one organisation, "
        f"'{TARGET}' (alias table: chainkg orgs aliases); keep one row"
    )
    # unmerge: the rows that named it by that name become their own organisation again
    assert org_aliases.unmerge(graph, new_name)["restored"] is False
    assert (new_name, GRID, v25) in placements(graph)
    assert (TARGET, GRID, v25) not in placements(graph)


def test_identity_rules_refuse_with_the_reason(graph: GraphStore, tmp_path: Path) -> None:
    polymers = "先进高分子材料产业链"
    coded = write(tmp_path, "coded.csv", "名称,统一社会信用代码,产业链,环节",
                  f"乙公司,91410100MA44ABCD1F,{polymers},通用合成树脂",
                  f"丁公司,91350100M000100Y43,{polymers},生物基原料")  # fmt: skip
    load_lists(graph, [ListFile("enterprises", coded)], as_of=D2024)
    with pytest.raises(AliasError) as two_codes:
        org_aliases.alias(graph, "乙公司", "91350100M000100Y43", must_exist=True)
    assert str(two_codes.value) == (
        "'乙公司' has 统一社会信用代码 91410100MA44ABCD1F and '丁公司' has 91350100M000100Y43: a "
        "code identifies one organisation, so they are two"
    )
    with pytest.raises(AliasError) as roster:
        org_aliases.alias(graph, UNIT_ORG, TARGET, must_exist=True)
    assert (
        str(roster.value) == f"'{UNIT_ORG}' comes from the roster (双长制名单), which names it so"
    )
    with pytest.raises(NotFoundError) as missing:
        org_aliases.alias(graph, "无此企业有限公司", TARGET, must_exist=True)
    assert str(missing.value) == (
        f"no organisation '无此企业有限公司' ({org_id('无此企业有限公司')}) in the graph"
    )
    org_aliases.alias(graph, ALIAS, TARGET, must_exist=True)
    with pytest.raises(AliasError) as again:
        org_aliases.alias(graph, ALIAS, OTHER)
    assert str(again.value) == f"'{ALIAS}' is already an alias of '{TARGET}'"
    with pytest.raises(AliasError) as chained:
        org_aliases.alias(graph, TARGET, OTHER, must_exist=True)
    assert str(chained.value) == f"'{TARGET}' is the target of other aliases ({org_id(ALIAS)})"


def test_alias_file_all_or_nothing(graph: GraphStore, tmp_path: Path) -> None:
    bad = tmp_path / "aliases.toml"
    bad.write_text(
        f'[[alias]]\nname = "{ALIAS}"\nof = "{TARGET}"\n\n[[alias]]\nname = "某某"\nof = "无此企业"\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as refused:
        org_aliases.apply_alias_file(graph, bad)
    assert [str(p) for p in refused.value.problems] == [
        "aliases.toml: entry 2 ('某某'): no organisation '无此企业' in the graph"
    ]
    assert list_aliases(graph.read) == []
    good = tmp_path / "good.toml"
    good.write_text(
        f'[[alias]]\nname = "{ALIAS}"\nof = "{TARGET}"\nnote = "同一企业"\n', encoding="utf-8"
    )
    assert [r["merged"] for r in org_aliases.apply_alias_file(graph, good)] == [True]
    assert [r["unchanged"] for r in org_aliases.apply_alias_file(graph, good)] == [True]


def test_candidates_pure() -> None:
    orgs = [
        {"id": "org:1", "name": "宇通客车股份有限公司", "uscc": None},
        {"id": "org:2", "name": "郑州宇通客车股份有限公司", "uscc": None},
        {"id": "org:3", "name": "许继集团有限公司", "uscc": None},
        {"id": "org:4", "name": "许继电气股份有限公司", "uscc": None},
        {"id": "org:5", "name": "河南平高电气股份有限公司", "uscc": "91410000706218960Y"},
        {"id": "org:6", "name": "平高电气有限公司", "uscc": "91410000706218960Y"},
        {"id": "org:7", "name": "河南森源电气股份有限公司", "uscc": None},
        {"id": "org:8", "name": "森源电器股份有限公司", "uscc": None},
    ]
    assert org_aliases.find_candidates(orgs) == [
        {
            "a": "河南平高电气股份有限公司",
            "b": "平高电气有限公司",
            "kind": "same_uscc",
            "score": 100.0,
        },
        {
            "a": "宇通客车股份有限公司",
            "b": "郑州宇通客车股份有限公司",
            "kind": "place_prefix",
            "score": 100.0,
        },
        {
            "a": "河南森源电气股份有限公司",
            "b": "森源电器股份有限公司",
            "kind": "similar",
            "score": 90.0,
        },
        {"a": "许继集团有限公司", "b": "许继电气股份有限公司", "kind": "group", "score": 0.0},
    ]


def test_merge_entries_round_trip_with_collisions() -> None:
    a, b = "org:A", "org:B"
    entries = {
        a: {"label": "Organization", "values": {"name": "A", "revenue": 1.0, "city": None},
            "segments": ["s1"], "links": {}, "ref": "第2行", "source": "f"},
        b: {"label": "Organization", "values": {"name": "B", "revenue": None, "city": "郑州市"},
            "segments": ["s2"], "links": {}, "ref": "第3行", "source": "f"},
        f"{a}>{b}|x": {"label": "SUPPLIES", "from": a, "to": b, "product": "x", "values": {}},
        f"{a}>org:C|y": {"label": "SUPPLIES", "from": a, "to": "org:C", "product": "y", "values": {}},
        f"{b}>org:C|y": {"label": "SUPPLIES", "from": b, "to": "org:C", "product": "y", "values": {}},
    }  # fmt: skip
    merged, park = merge_entries(entries, a, b, "B")
    assert merged == {
        b: {"label": "Organization", "values": {"name": "B", "revenue": 1.0, "city": "郑州市"},
            "segments": ["s2", "s1"], "links": {}, "ref": "第3行", "source": "f"},
        f"{b}>org:C|y": entries[f"{b}>org:C|y"],
    }  # fmt: skip
    assert sorted(park["removed"]) == [a, f"{a}>{b}|x", f"{a}>org:C|y"]
    assert unmerge_entries(merged, a, park) == entries
