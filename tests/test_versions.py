"""List versions (docs/versions.md) on both stores: replace a key, keep older as_of, read as of a
date, diff, drop; claims on shared entities; the four unit-key cases through the API and CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from test_api_support import OTHER_CHAIN, OWN_CHAIN, UNIT_ORG, auth, make_client

from chainkg.graph import ids
from chainkg.graph.store import GraphStore
from chainkg.graph.versions import (
    ClaimConflictError,
    Writer,
    graph_as_of,
    versions_in_force,
)
from chainkg.loaders.list_load import ListFile, load_lists
from chainkg.loaders.roster_load import load_roster
from chainkg.loaders.template_load import load_chain_templates

D2023, D2024, D2025 = dt.date(2023, 12, 31), dt.date(2024, 12, 31), dt.date(2025, 12, 31)
HEADER = "名称,产业链,环节,地市,园区,营业收入(万元),龙头"
STEEL_SEG, TRAFO_SEG, GRID_SEG = "电工钢与铜铝导体材料", "变压器与电抗器", "输配电网建设"
A, B, C = "甲电工钢有限公司", "乙变压器股份有限公司", "丙电网建设有限公司"
PARK = "郑州高新技术产业开发区"


def csv(tmp: Path, name: str, *rows: str, header: str = HEADER) -> Path:
    path = tmp / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def ent(name: str, seg: str, city: str, park: str = "", revenue: str = "", leader: str = "否",
        chain: str = OWN_CHAIN) -> str:  # fmt: skip
    return f"{name},{chain},{seg},{city},{park},{revenue},{leader}"


@pytest.fixture
def graph(store: GraphStore) -> GraphStore:
    load_roster(store)
    load_chain_templates(store)
    return store


def placements(store: GraphStore) -> set[tuple[str, str, str]]:
    """(organisation, segment, version) of every OPERATES_IN made by a list."""
    rows = store.read(
        "MATCH (o:Organization)-[e:OPERATES_IN]->(s:Segment) WHERE e.version IS NOT NULL "
        "RETURN o.name AS o, s.name AS s, e.version AS v"
    )
    return {(r["o"], r["s"], r["v"]) for r in rows}


def cities(store: GraphStore) -> set[tuple[str, str]]:
    rows = store.read(
        "MATCH (o:Organization)-[:LOCATED_IN]->(c:City) WHERE o.claimed_by IS NOT NULL "
        "RETURN o.name AS o, c.name AS c"
    )
    return {(r["o"], r["c"]) for r in rows}


def org_names(store: GraphStore) -> set[str]:
    rows = store.read("MATCH (o:Organization) WHERE size(o.claimed_by) > 0 RETURN o.name AS n")
    return {r["n"] for r in rows}


def vid(year: dt.date, chain: str = OWN_CHAIN, kind: str = "enterprises") -> str:
    return f"version:{kind}:{chain}:{year.isoformat()}"


def test_replace_keep_older_as_of_diff_and_drop(graph: GraphStore, tmp_path: Path) -> None:
    first = csv(tmp_path, "企业2024.csv", ent(A, STEEL_SEG, "郑州市", PARK, "100"),
                ent(B, TRAFO_SEG, "洛阳市"))  # fmt: skip
    load_lists(graph, [ListFile("enterprises", first)], as_of=D2024)
    v24 = vid(D2024)
    assert placements(graph) == {(A, STEEL_SEG, v24), (B, TRAFO_SEG, v24)}
    # corrected 2024 list under another file name: A moves segment and city, B is gone
    fixed = csv(tmp_path, "企业2024更正.csv", ent(A, TRAFO_SEG, "开封市", "", "120"))
    report = load_lists(graph, [ListFile("enterprises", fixed)], as_of=D2024)
    assert report.versions is not None
    assert [
        (v["id"], v["added"], v["removed"], v["changed"]) for v in report.versions.versions
    ] == [(v24, 0, 1, 1)]
    assert placements(graph) == {(A, TRAFO_SEG, v24)}
    assert cities(graph) == {(A, "开封市")}  # one LOCATED_IN, not two
    assert org_names(graph) == {A}
    assert graph.read("MATCH (o:Organization {name: $n}) RETURN count(o) AS n", {"n": B}) == [
        {"n": 0}
    ]
    assert (
        graph.read(
            "MATCH (o:Organization)-[:IN_PARK]->(p:Park) WHERE o.name = $n RETURN p.name AS p",
            {"n": A},
        )
        == []
    )
    # the park the first file named (a stub it made) goes with its last member
    assert graph.read("MATCH (p:Park {name: $p}) RETURN count(p) AS n", {"p": PARK}) == [{"n": 0}]
    # 2025 becomes current; a 2023 list is kept but changes nothing
    nxt = csv(tmp_path, "企业2025.csv", ent(A, STEEL_SEG, "开封市", "", "150", "是"),
              ent(C, GRID_SEG, "郑州市"))  # fmt: skip
    load_lists(graph, [ListFile("enterprises", nxt)], as_of=D2025)
    before = graph.export().nodes["Organization"]
    old = csv(tmp_path, "企业2023.csv", ent(B, GRID_SEG, "安阳市"))
    load_lists(graph, [ListFile("enterprises", old)], as_of=D2023)
    assert graph.export().nodes["Organization"] == before
    v25 = vid(D2025)
    assert placements(graph) == {(A, STEEL_SEG, v25), (C, GRID_SEG, v25)}
    assert versions_in_force(graph).versions == {("enterprises", OWN_CHAIN): v25}
    assert versions_in_force(graph, D2024).versions == {("enterprises", OWN_CHAIN): v24}
    # as of 2024: the graph as it stood, from the same queries
    with graph_as_of(graph, D2024) as then:
        assert placements(then) == {(A, TRAFO_SEG, v24)}
        assert cities(then) == {(A, "开封市")}
        assert then.read(
            "MATCH (o:Organization {name: $n}) RETURN o.revenue AS r, o.leader AS l", {"n": A}
        ) == [{"r": 120.0, "l": False}]
    with graph_as_of(graph, D2023) as then:
        assert placements(then) == {(B, GRID_SEG, vid(D2023))}
        assert cities(then) == {(B, "安阳市")}
    with graph_as_of(graph, None) as now:
        assert now is graph
    # drop 2025: 2024 is in force again
    with graph.transaction() as tx:
        from chainkg.graph.versions import drop_version

        result = drop_version(tx, v25, Writer(), "2026-01-01T00:00:00+00:00")
    assert result == {"dropped": v25, "was_current": True, "now_current": v24}
    assert placements(graph) == {(A, TRAFO_SEG, v24)}
    assert org_names(graph) == {A}


def test_shared_organisation_keeps_each_claim(graph: GraphStore, tmp_path: Path) -> None:
    other = csv(tmp_path, "other.csv", ent(A, "显示材料", "郑州市", "", "100", chain=OTHER_CHAIN))
    load_lists(graph, [ListFile("enterprises", other)], as_of=D2024)
    mine = csv(tmp_path, "mine.csv", ent(A, STEEL_SEG, "洛阳市", "", "200", "是"))
    # a unit may not contradict the other chain's claim: 409-style error, nothing written
    before = graph.export()
    unit = Writer(who="k1", org=UNIT_ORG, chains=frozenset({OWN_CHAIN}), strict=True)
    with pytest.raises(ClaimConflictError) as caught:
        load_lists(graph, [ListFile("enterprises", mine)], as_of=D2024, writer=unit)
    assert [(c["field"], c["yours"], c["owner"], c["theirs"]) for c in caught.value.conflicts] == [
        ("LOCATED_IN", "city:洛阳市", vid(D2024, OTHER_CHAIN), "city:郑州市"),
        ("city", "洛阳市", vid(D2024, OTHER_CHAIN), "郑州市"),
        ("leader", True, vid(D2024, OTHER_CHAIN), False),
        ("revenue", 200.0, vid(D2024, OTHER_CHAIN), 100.0),
    ]
    assert graph.export() == before
    # the CLI (admin) records the conflict; the older claim's values stay
    load_lists(graph, [ListFile("enterprises", mine)], as_of=D2024)
    row = graph.read(
        "MATCH (o:Organization {name: $n}) RETURN o.revenue AS revenue, o.city AS city, "
        "o.leader AS leader, o.conflicts AS conflicts, o.claimed_by AS claimed_by",
        {"n": A},
    )
    assert row == [
        {
            "revenue": 100.0,
            "city": "郑州市",
            "leader": False,
            "conflicts": ["@LOCATED_IN", "city", "leader", "revenue"],
            "claimed_by": [vid(D2024, OTHER_CHAIN), vid(D2024)],
        }
    ]
    assert cities(graph) == {(A, "郑州市")}
    assert placements(graph) == {
        (A, "显示材料", vid(D2024, OTHER_CHAIN)),
        (A, STEEL_SEG, vid(D2024)),
    }
    from chainkg.graph.conflicts import list_conflicts, resolve_conflict

    [conflict] = list_conflicts(graph)
    assert conflict["fields"]["revenue"] == [
        {"owner": vid(D2024, OTHER_CHAIN), "value": 100.0},
        {"owner": vid(D2024), "value": 200.0},
    ]
    resolve_conflict(graph, ids.org_id(A), "revenue", "150", "cli", "2026-01-01T00:00:00+00:00")
    assert graph.read("MATCH (o:Organization {name: $n}) RETURN o.revenue AS r", {"n": A}) == [
        {"r": 150.0}
    ]
    # the own chain's list drops A: the other chain's claim and placement stay
    empty = csv(tmp_path, "mine2.csv", ent(C, GRID_SEG, "郑州市"))
    load_lists(graph, [ListFile("enterprises", empty)], as_of=D2024)
    assert placements(graph) == {
        (A, "显示材料", vid(D2024, OTHER_CHAIN)),
        (C, GRID_SEG, vid(D2024)),
    }
    assert cities(graph) == {(A, "郑州市"), (C, "郑州市")}


# ------------------------------------------------------------------ the four unit-key cases


def _upload(c: TestClient, token: str, kind: str, path: Path, as_of: str = "2024-12-31"):
    with path.open("rb") as fh:
        return c.post(
            f"/lists/{kind}/upload?as_of={as_of}",
            files={"file": (path.name, fh, "text/csv")},
            headers=auth(token),
        )


def test_unit_key_cases_through_the_api(graph: GraphStore, tmp_path: Path) -> None:
    c, tokens = make_client(graph, tmp_path)
    admin, unit = tokens["admin"], tokens["unit"]
    # other chain's facts, loaded by an admin: an enterprise, a platform, a park with members
    other = csv(tmp_path, "other.csv",
                ent(A, "显示材料", "郑州市", PARK, "100", "是", chain=OTHER_CHAIN),
                ent(B, "显示面板", "郑州市", PARK, chain=OTHER_CHAIN))  # fmt: skip
    assert _upload(c, admin, "enterprises", other).status_code == 200
    platforms = csv(tmp_path, "platforms.csv", f"省显示技术创新中心,{OTHER_CHAIN},国家级,{A}",
                    header="平台名称,产业链,级别,依托单位")  # fmt: skip
    assert _upload(c, admin, "platforms", platforms).status_code == 200
    parks = csv(tmp_path, "parks.csv", f"{PARK},{OTHER_CHAIN},国家级", f"{PARK},{OWN_CHAIN},国家级",
                header="园区名称,产业链,级别")  # fmt: skip
    assert _upload(c, admin, "parks", parks).status_code == 200
    before = graph.export()
    # 1. the unit's own-chain list names the other chain's enterprise with other values
    mine = csv(tmp_path, "mine.csv", ent(A, STEEL_SEG, "洛阳市", "", "999", "否"))
    r = _upload(c, unit, "enterprises", mine)
    assert r.status_code == 409, r.text
    assert vid(D2024, OTHER_CHAIN) in r.json()["message"]
    assert "revenue: yours 999.0" in r.json()["message"]
    # 2. naming a roster unit as an enterprise
    roster = csv(tmp_path, "roster.csv", ent("省发展改革委", STEEL_SEG, "郑州市"))
    r = _upload(c, unit, "enterprises", roster)
    assert r.status_code == 409, r.text
    assert "kind: yours 'enterprise', roster claims 'government'" in r.json()["message"]
    # 3. a platform with the other chain's platform's name and another level / host
    r = c.post(
        f"/chains/{quote(OWN_CHAIN)}/lists/platforms",
        json={"values": {"name": "省显示技术创新中心", "level": "省级"}},
        headers=auth(unit),
    )
    assert r.status_code == 409, r.text
    assert "level: yours '省级'" in r.json()["message"]
    assert graph.export() == before  # nothing written by the three refusals
    # 4. deleting the park from the own chain's list: the park and its members stay
    park_id = ids.org_id(PARK).replace("org:", "park:")
    r = c.delete(
        f"/chains/{quote(OWN_CHAIN)}/lists/parks/{quote(park_id, safe='')}", headers=auth(unit)
    )
    assert r.status_code == 204, r.text
    listed = graph.read(
        "MATCH (p:Park {id: $id})-[:LISTED_FOR]->(c:Chain) RETURN c.name AS c", {"id": park_id}
    )
    assert listed == [{"c": OTHER_CHAIN}]
    members = graph.read(
        "MATCH (o:Organization)-[:IN_PARK]->(p:Park {id: $id}) RETURN o.name AS n ORDER BY n",
        {"id": park_id},
    )
    assert members == [{"n": B}, {"n": A}]  # by code point: 乙 < 甲
    # reads: the chain's versions, its list, an entry whose id has '/', /me, the audit
    r = c.get(f"/chains/{quote(OTHER_CHAIN)}/lists/enterprises?limit=1", headers=auth(unit))
    assert r.status_code == 200
    body = r.json()
    assert (body["version"], body["total"], [i["id"] for i in body["items"]]) == (
        vid(D2024, OTHER_CHAIN),
        2,
        [ids.org_id(B)],
    )
    assert body["next_after"] == ids.org_id(B)
    r = c.get("/me", headers=auth(unit))
    assert r.json() == {
        "id": r.json()["id"],
        "name": "unit",
        "role": "unit",
        "org": UNIT_ORG,
        "writes": r.json()["writes"],
    }
    assert OWN_CHAIN in r.json()["writes"] and OTHER_CHAIN not in r.json()["writes"]
    assert c.get("/audit", headers=auth(unit)).status_code == 403
    r = c.get("/audit", headers=auth(admin))
    assert r.status_code == 200, r.text
    actions = [e["action"] for e in r.json()["entries"]]
    assert actions[0] == "delete_entry"
    assert sorted(actions[1:]) == ["load_list"] * 4


def test_unit_cli_refuses_a_disagreeing_claim(graph: GraphStore, tmp_path: Path) -> None:
    from test_cli_support import run_cli

    other = csv(tmp_path, "other.csv", ent(A, "显示材料", "郑州市", "", "100", chain=OTHER_CHAIN))
    load_lists(graph, [ListFile("enterprises", other)], as_of=D2024)
    before = graph.export()
    mine = csv(tmp_path, "mine.csv", ent(A, STEEL_SEG, "洛阳市", "", "200"))
    code, _, err = run_cli(graph, ["load", "list", "enterprises", str(mine), "--as-of",
                                     "2024-12-31", "--unit", UNIT_ORG])  # fmt: skip
    assert code == 1
    assert f"revenue: yours 200.0, {vid(D2024, OTHER_CHAIN)} claims 100.0" in err
    assert graph.export() == before
    other_unit = csv(tmp_path, "o2.csv", ent(C, "显示材料", "郑州市", chain=OTHER_CHAIN))
    code, _, err = run_cli(graph, ["load", "list", "enterprises", str(other_unit),
                                     "--unit", UNIT_ORG])  # fmt: skip
    assert code == 1
    assert f"{UNIT_ORG} is not responsible for {OTHER_CHAIN}" in err
    assert graph.export() == before
