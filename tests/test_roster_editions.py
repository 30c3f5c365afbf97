"""Roster editions (issue 12 item 6): a new notice supersedes the old one from its date in force,
renamed chains keep their ids and data, dropped chains stay (not in force), nothing is orphaned."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from chainkg.cli.main import main
from chainkg.errors import InputError, NotFoundError
from chainkg.graph.store import GraphStore
from chainkg.loaders.list_load import ListFile, load_lists
from chainkg.loaders.roster_load import load_roster
from chainkg.loaders.template_load import load_chain_templates
from chainkg.queries.roster import read_roster
from tests.roster_editions import (
    ADDED,
    DROPPED,
    IN_FORCE_2025,
    NEW_5G,
    NUMBER_2025,
    OLD_5G,
    TITLE_2025,
    edition_2025,
)

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
NUMBER_2021 = "豫政办〔2021〕61号"
TITLE_2021 = "关于建立省级先进制造业集群重点产业链“双长制”的通知"
HEADER = "名称*,地市,产业链*,环节,营业收入(万元),省内/省外\n"
LIST_2024 = HEADER + (
    f"示例芯片器件有限公司,郑州市,{OLD_5G},芯片与关键器件,1000,省内\n"
    f"示例光纤光缆有限公司,洛阳市,{OLD_5G},光纤光缆,2000,省内\n"
    f"示例人造板有限公司,南阳市,{DROPPED},人造板,3000,省内\n"
)
# The 2025 list names the chain by its new name: the same version key (the chain's first name).
LIST_2025 = HEADER + f"示例服务器有限公司,郑州市,{NEW_5G},服务器与存储设备,4000,省内\n"

ORPHANS = (
    "MATCH (s:Segment) WHERE NOT EXISTS { MATCH (:Chain)-[:HAS_SEGMENT]->(s) } RETURN count(s) AS n"
)
PLACEMENTS = "MATCH (:Organization)-[r:OPERATES_IN]->(:Segment) RETURN count(r) AS n"


def _list(tmp_path: Path, name: str, text: str) -> ListFile:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return ListFile("enterprises", path)


def _one(store: GraphStore, cypher: str, params: dict | None = None) -> object:
    return store.read(cypher, params or {})[0]["n"]


def _chains(roster: dict) -> list[str]:
    return [ch["name"] for c in roster["clusters"] for ch in c["chains"]]


def _loaded_2021(store: GraphStore, tmp_path: Path) -> None:
    load_roster(store, now=NOW)
    load_chain_templates(store, now=NOW)
    load_lists(store, [_list(tmp_path, "e2024.csv", LIST_2024)], as_of=dt.date(2024, 12, 31))


def test_a_second_edition_supersedes_renames_drops_and_adds(
    store: GraphStore, tmp_path: Path
) -> None:
    _loaded_2021(store, tmp_path)
    counts = store.counts().to_dict()
    assert (counts["nodes"]["Segment"], _one(store, PLACEMENTS)) == (421, 3)

    report = load_roster(store, edition_2025(tmp_path), now=NOW)
    assert (report.document, report.in_force, report.current) == (
        NUMBER_2025,
        dt.date(2025, 3, 1),
        True,
    )
    assert report.renamed == ((OLD_5G, NEW_5G),)
    assert report.dropped == (DROPPED,)
    assert report.new == (ADDED,)
    assert report.superseded == (NUMBER_2021,)

    # Nothing orphaned: segments, their chain links and placements are all still there.
    after = store.counts().to_dict()
    assert after["nodes"]["Segment"] == 421
    assert after["relationships"]["HAS_SEGMENT"] == 421
    assert (_one(store, ORPHANS), _one(store, PLACEMENTS)) == (0, 3)
    assert after["nodes"]["Chain"] == 31  # 30 in force + the dropped one, kept
    assert after["relationships"]["HAS_CHAIN"] == 30

    renamed = store.read(
        "MATCH (c:Chain {id: $id}) OPTIONAL MATCH (c)-[:HAS_SEGMENT]->(s:Segment) "
        "RETURN c.name AS name, c.former_names AS former, c.in_force_from AS since, "
        "c.in_force_until AS until, c.edition AS edition, collect(DISTINCT s.chain) AS seg_chain, "
        "count(s) AS segments",
        {"id": f"chain:{OLD_5G}"},
    )
    assert renamed == [
        {
            "name": NEW_5G,
            "former": [OLD_5G],
            "since": dt.date(2021, 10, 21),
            "until": None,
            "edition": NUMBER_2025,
            "seg_chain": [NEW_5G],
            "segments": 12,
        }
    ]
    dropped = store.read(
        "MATCH (c:Chain {id: $id}) OPTIONAL MATCH (c)-[:HAS_SEGMENT]->(s:Segment) "
        "RETURN c.in_force_until AS until, c.origin AS origin, count(s) AS segments, "
        "COUNT { MATCH (:Cluster)-[:HAS_CHAIN]->(c) } AS clusters",
        {"id": f"chain:{DROPPED}"},
    )
    assert dropped == [
        {"until": dt.date(2025, 3, 1), "origin": "notice", "segments": 14, "clusters": 0}
    ]
    added = store.read(
        "MATCH (k:Cluster)-[:HAS_CHAIN]->(c:Chain {id: $id}) "
        "RETURN k.name AS cluster, c.name AS name, c.in_force_from AS since",
        {"id": f"chain:{ADDED}"},
    )
    assert added == [{"cluster": "装备制造", "name": ADDED, "since": dt.date(2025, 3, 1)}]


def test_roster_as_of_before_and_after_the_new_edition(store: GraphStore, tmp_path: Path) -> None:
    _loaded_2021(store, tmp_path)
    load_roster(store, edition_2025(tmp_path), now=NOW)

    now = read_roster(store)
    assert (now["document"]["number"], now["document"]["title"]) == (NUMBER_2025, TITLE_2025)
    assert (now["document"]["in_force"], now["document"]["superseded_on"]) == (IN_FORCE_2025, None)
    chains = _chains(now)
    assert (len(chains), NEW_5G in chains, OLD_5G in chains, DROPPED in chains) == (
        30,
        True,
        False,
        False,
    )
    assert ADDED in chains
    assert now["retired"] == [
        {
            "id": f"chain:{DROPPED}",
            "name": DROPPED,
            "origin": "notice",
            "in_force_until": IN_FORCE_2025,
            "source": NUMBER_2021,
        }
    ]
    assert [
        (e["number"], e["in_force"], e["superseded_on"], e["current"]) for e in now["editions"]
    ] == [
        (NUMBER_2021, "2021-10-21", IN_FORCE_2025, False),
        (NUMBER_2025, IN_FORCE_2025, None, True),
    ]
    renamed = next(ch for c in now["clusters"] for ch in c["chains"] if ch["name"] == NEW_5G)
    assert (renamed["id"], renamed["former_names"]) == (f"chain:{OLD_5G}", [OLD_5G])

    before = read_roster(store, on=dt.date(2025, 2, 28))
    assert (before["document"]["number"], before["document"]["title"]) == (NUMBER_2021, TITLE_2021)
    assert before["document"]["superseded_on"] == IN_FORCE_2025
    old_chains = _chains(before)
    assert (len(old_chains), OLD_5G in old_chains, DROPPED in old_chains, ADDED in old_chains) == (
        30,
        True,
        True,
        False,
    )
    old_5g = next(ch for c in before["clusters"] for ch in c["chains"] if ch["name"] == OLD_5G)
    assert old_5g["id"] == f"chain:{OLD_5G}"  # the same chain under its name then

    assert read_roster(store, on=dt.date(2025, 3, 1))["document"]["number"] == NUMBER_2025
    with pytest.raises(NotFoundError) as err:
        read_roster(store, on=dt.date(2021, 1, 1))
    assert str(err.value) == (
        f"no roster edition was in force on 2021-01-01: the first stored one, {NUMBER_2021}, "
        "takes effect on 2021-10-21"
    )


def test_reloading_an_edition_changes_nothing(store: GraphStore, tmp_path: Path) -> None:
    _loaded_2021(store, tmp_path)
    notice = edition_2025(tmp_path)
    load_roster(store, notice, now=NOW)
    before = store.export()
    report = load_roster(store, notice, now=NOW)
    assert (report.renamed, report.dropped, report.new) == ((), (), ())
    assert store.export() == before
    # The earlier edition loaded again is kept for as-of reads; the graph does not move.
    report = load_roster(store, now=NOW)
    assert (report.document, report.current) == (NUMBER_2021, False)
    assert store.export() == before


def test_a_renamed_chain_keeps_its_templates_and_list_versions(
    store: GraphStore, tmp_path: Path
) -> None:
    _loaded_2021(store, tmp_path)
    load_roster(store, edition_2025(tmp_path), now=NOW)
    # The shipped templates still call it by its 2021 name: they find the same segments.
    report = load_chain_templates(store, now=NOW)
    assert (report.segments, report.moved, report.dropped) == (421, 0, 0)
    assert _one(store, ORPHANS) == 0
    # A 2025 list under the new name is the next version of the same (kind, chain) key.
    load_lists(store, [_list(tmp_path, "e2025.csv", LIST_2025)], as_of=dt.date(2025, 12, 31))
    versions = store.read("MATCH (v:ListVersion) RETURN v.id AS id, v.rows AS rows ORDER BY id")
    assert versions == [
        {"id": f"version:enterprises:{OLD_5G}:2024-12-31", "rows": 2},
        {"id": f"version:enterprises:{OLD_5G}:2025-12-31", "rows": 1},
        {"id": f"version:enterprises:{DROPPED}:2024-12-31", "rows": 1},
    ]
    placed = store.read(
        "MATCH (o:Organization)-[:OPERATES_IN]->(s:Segment)<-[:HAS_SEGMENT]-(c:Chain) "
        "RETURN c.name AS chain, o.name AS org ORDER BY chain, org"
    )
    assert placed == [
        {"chain": DROPPED, "org": "示例人造板有限公司"},
        {"chain": NEW_5G, "org": "示例服务器有限公司"},
    ]


def test_a_rename_to_a_chain_the_notice_lacks_is_a_located_error(
    store: GraphStore, tmp_path: Path
) -> None:
    load_roster(store, now=NOW)
    notice = edition_2025(tmp_path)
    errata = notice.with_name("yuzhengban-2025-8.errata.toml")
    text = errata.read_text(encoding="utf-8").replace(
        f'new_name = "{NEW_5G}"', 'new_name = "算力产业链"'
    )
    errata.write_text(text, encoding="utf-8")
    before = store.export()
    with pytest.raises(InputError) as err:
        load_roster(store, notice, now=NOW)
    line = text.splitlines().index("[[renamed]]") + 1
    assert [(p.file, p.row, p.column) for p in err.value.problems] == [
        (str(errata), line, "new_name")
    ]
    assert "'算力产业链' is not a chain of 豫政办〔2025〕8号" in err.value.problems[0].message
    assert store.export() == before


def test_cli_roster_as_of(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = str(tmp_path / "g")
    notice = edition_2025(tmp_path)
    assert main(["--data-dir", data_dir, "load", "roster"]) == 0
    assert main(["--data-dir", data_dir, "load", "roster", str(notice)]) == 0
    out = capsys.readouterr().out
    assert f"loaded {NUMBER_2025} (in force 2025-03-01)" in out
    assert f"renamed (id kept): {OLD_5G} → {NEW_5G}" in out
    assert f"no longer in force: {DROPPED}" in out
    assert main(["--data-dir", data_dir, "roster", "--as-of", "2024-06-30", "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["document"]["number"], len(_chains(data))) == (NUMBER_2021, 30)
    assert main(["--data-dir", data_dir, "roster"]) == 0
    out = "".join(capsys.readouterr().out.split())  # rich wraps long lines at spaces
    assert f"{NUMBER_2025}{TITLE_2025}（2025-02-20印发，2025-03-01起施行）" in out
    assert f"不再列入：{DROPPED}（自2025-03-01起；{NUMBER_2021}）" in out


def test_the_ledger_and_calendar_find_a_renamed_chain_by_its_new_name(
    store: GraphStore, tmp_path: Path
) -> None:
    """Problems, their segment counts and meetings under the new name land on the chain's
    stable id (derived from its first name), not on an id derived from the new name."""
    from chainkg.loaders.ledger_policy import load_policy
    from chainkg.loaders.ledger_store import add_problem, chain_context
    from chainkg.loaders.meeting_store import write_meetings
    from chainkg.queries.ledger import segment_problem_counts

    _loaded_2021(store, tmp_path)
    load_roster(store, edition_2025(tmp_path), now=NOW)
    stable = f"chain:{OLD_5G}"
    ctx = chain_context(store, NEW_5G)
    assert (ctx.id, ctx.name) == (stable, NEW_5G)
    assert chain_context(store, OLD_5G).id == stable  # the former name still answers
    add_problem(
        store,
        {"chain": NEW_5G, "title": "服务器芯片供应紧张", "segment": "芯片与关键器件"},
        by="张三",
        now=dt.datetime(2026, 3, 2, 9),
        policy=load_policy(),
    )
    linked = "MATCH (p:Problem)-[:LISTED_FOR]->(c:Chain) RETURN c.id AS id"
    assert [r["id"] for r in store.read(linked)] == [stable]
    counts = segment_problem_counts(store, NEW_5G, dt.date(2026, 3, 3))
    assert [(v["segment"], v["total"], v["open"]) for v in counts.values()] == [
        ("芯片与关键器件", 1, 1)
    ]
    meeting = {
        "id": "meeting:test:1",
        "kind": "unit_dispatch_meeting",
        "name": "调度会",
        "held_on": dt.date(2026, 3, 20),
        "chains": [NEW_5G],
    }
    write_meetings(store, [meeting], now=dt.datetime(2026, 3, 2, 9))
    covers = "MATCH (:Meeting {id: 'meeting:test:1'})-[:COVERS]->(c:Chain) RETURN c.id AS id"
    assert [r["id"] for r in store.read(covers)] == [stable]
