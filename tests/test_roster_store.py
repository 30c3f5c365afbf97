"""The roster loaded into each store and read back equals the document's table, cell by cell."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from chainkg.cli.main import main
from chainkg.errors import NotFoundError, SchemaError
from chainkg.graph.store import GraphStore
from chainkg.loaders.roster_load import load_roster, roster_batch
from chainkg.loaders.roster_parser import default_document_path, load_errata, parse_roster
from chainkg.queries.roster import read_mechanisms, read_roles, read_roster

GOV, ENT, ASSOC, ALLIANCE, UNIV = (
    "government",
    "enterprise",
    "association",
    "alliance",
    "university",
)
MIIT, DRC, AGRI = "省工业和信息化厅", "省发展改革委", "省农业农村厅"

# (cluster seq, cluster, chiefs, chain, future, responsible units, alliance chairs with kinds)
TABLE = [
    (1, "装备制造", ["周霁"], "电力装备产业链", False, [MIIT], [("许继集团有限公司", ENT)]),
    (1, "装备制造", ["周霁"], "农机装备产业链", False, [MIIT], [("中国一拖集团有限公司", ENT)]),
    (1, "装备制造", ["周霁"], "矿山机械产业链", False, [MIIT],
     [("郑州煤矿机械集团股份有限公司", ENT), ("中信重工机械股份有限公司", ENT)]),
    (1, "装备制造", ["周霁"], "起重机械产业链", False, [MIIT],
     [("卫华集团有限公司", ENT), ("河南矿山起重机械有限公司", ENT)]),
    (1, "装备制造", ["周霁"], "工程机械产业链", False, [MIIT], [("中铁工程装备集团有限公司", ENT)]),
    (1, "装备制造", ["周霁"], "智能制造装备产业链", True, [MIIT],
     [("安阳鑫盛机床股份有限公司", ENT), ("郑州科慧科技股份有限公司", ENT)]),
    (2, "绿色食品", [], "绿色食品（含冷链、休闲）产业链", False, [AGRI],
     [("河南双汇投资发展股份有限公司", ENT), ("三全食品股份有限公司", ENT)]),
    (2, "绿色食品", [], "农副产品加工及食品装备产业链", False, [MIIT, AGRI],
     [("河南省装备制造企业家协会", ASSOC)]),
    (3, "新型材料", ["何金平"], "先进钢铁材料产业链", False, [MIIT], [("安阳钢铁集团有限责任公司", ENT)]),
    (3, "新型材料", ["何金平"], "先进金属材料（含铝、镁、钼）产业链", False, [MIIT],
     [("河南省有色金属行业协会", ASSOC)]),
    (3, "新型材料", ["何金平"], "先进高分子材料产业链", False, [MIIT],
     [("河南银金达新材料股份有限公司", ENT)]),
    (3, "新型材料", ["何金平"], "尼龙新材料产业链", False, [MIIT],
     [("中国平煤神马能源化工集团有限责任公司", ENT)]),
    (4, "电子信息", ["费东斌"], "新型显示和智能终端产业链", False, [DRC],
     [("鸿富锦精密电子（郑州）有限公司", ENT)]),
    (4, "电子信息", ["费东斌"], "智能传感器产业链", False, [MIIT], [("汉威科技集团股份有限公司", ENT)]),
    (4, "电子信息", ["费东斌"], "5G及先进计算产业链", False, [MIIT], [("河南省5G产业联盟", ALLIANCE)]),
    (4, "电子信息", ["费东斌"], "半导体材料及器件产业链", False, [MIIT],
     [("麦斯克电子材料股份有限公司", ENT)]),
    (4, "电子信息", ["费东斌"], "网络安全（含区块链）产业链", False, [DRC],
     [("郑州信大捷安信息技术股份有限公司", ENT)]),
    (4, "电子信息", ["费东斌"], "新一代人工智能（类脑智能）产业链", True, [DRC],
     [("郑州金惠计算机系统工程有限公司", ENT)]),
    (5, "节能环保", ["王战营"], "节能环保装备产业链", False, [DRC, MIIT], [("河南省绿色制造联盟", ALLIANCE)]),
    (5, "节能环保", ["王战营"], "动力电池产业链", False, [DRC, MIIT], [("中航锂电科技有限公司", ENT)]),
    (5, "节能环保", ["王战营"], "光伏及风电产业链", False, [DRC, MIIT],
     [("平煤隆基新能源科技有限公司", ENT)]),
    (5, "节能环保", ["王战营"], "氢能及储能产业链", True, [DRC, MIIT],
     [("河南豫氢工程研究院有限公司", ENT)]),
    (6, "现代轻纺", ["霍金花"], "纺织服装产业链", False, [MIIT], [("河南省纺织行业协会", ASSOC)]),
    (6, "现代轻纺", ["霍金花"], "现代家居产业链", False, [MIIT], [("郑州大信家居有限公司", ENT)]),
    (7, "绿色建材", ["陈星"], "绿色建材产业链", False, [MIIT],
     [("河南省耐火材料行业协会", ASSOC), ("河南省建筑材料工业协会", ASSOC)]),
    (8, "汽车制造", ["费东斌"], "整车及零部件产业链", False, [MIIT], [("河南省汽车行业协会", ASSOC)]),
    (8, "汽车制造", ["费东斌"], "新能源及智能网联汽车产业链", False, [DRC],
     [("宇通客车股份有限公司", ENT)]),
    (9, "生物医药", ["刘玉江"], "生物医药（含现代中药）产业链", False, [DRC],
     [("华兰生物工程股份有限公司", ENT), ("郑州安图生物工程股份有限公司", ENT),
      ("河南中医药大学", UNIV)]),
    (9, "生物医药", ["刘玉江"], "高端医疗器械及卫材产业链", False, [DRC], [("河南省医疗器械商会", ASSOC)]),
    (10, "现代化工", ["戴柏华"], "新型煤化工产业链", False, [MIIT], [("河南能源化工集团有限公司", ENT)]),
]  # fmt: skip


def _cells(roster: dict) -> list[tuple]:
    return [
        (
            c["seq"],
            c["name"],
            [p["name"] for p in c["chiefs"]],
            ch["name"],
            ch["future"],
            [u["name"] for u in ch["responsible_units"]],
            [(u["name"], u["kind"]) for u in ch["alliance_chairs"]],
        )
        for c in roster["clusters"]
        for ch in c["chains"]
    ]


def test_roster_read_back_equals_the_table_cell_by_cell(store: GraphStore) -> None:
    report = load_roster(store, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert (report.clusters, report.chains, report.organizations, report.notes) == (10, 30, 41, 16)
    roster = read_roster(store)
    assert _cells(roster) == TABLE
    assert roster["document"] == {
        "number": "豫政办〔2021〕61号",
        "title": "关于建立省级先进制造业集群重点产业链“双长制”的通知",
        "issuer": "河南省人民政府办公厅",
        "issued": "2021-10-21",
        "in_force": "2021-10-21",
        "superseded_on": None,
    }
    assert roster["general_chief"] == {"name": "王凯", "title": "省长"}
    assert [c["chiefs"] for c in roster["clusters"]][:2] == [
        [{"name": "周霁", "title": "副省长"}],
        [],
    ]


def test_notes_list_every_correction_and_gap(store: GraphStore) -> None:
    load_roster(store)
    notes = read_roster(store)["notes"]
    assert [n["kind"] for n in notes].count("correction") == 3
    assert [n["kind"] for n in notes].count("gap") == 4
    assert [n["kind"] for n in notes].count("normalisation") == 8
    assert [n["kind"] for n in notes].count("discrepancy") == 1
    gaps = [n["source"] for n in notes if n["kind"] == "gap"]
    assert gaps[0] == "豫政办〔2021〕61号 附件 表 第8行"
    corrections = [n["source"] for n in notes if n["kind"] == "correction"]
    assert corrections == [
        "roster-errata.toml#nylon-belongs-to-new-materials",
        "roster-errata.toml#vehicles-parts-belong-to-automotive",
        "roster-errata.toml#green-food-chain-name-cut",
    ]


def test_roles_and_mechanisms_read_back(store: GraphStore) -> None:
    load_roster(store)
    roles = {r["key"]: r for r in read_roles(store)}
    assert {k: len(r["duties"]) for k, r in roles.items()} == {
        "alliance_chair": 3,
        "chief": 4,
        "deputy_chief": 1,
        "general_chief": 1,
        "responsible_unit": 4,
    }
    assert roles["general_chief"]["held_by"] == "省长"
    assert [(m["name"], m["cadence"], m["cadence_text"]) for m in read_mechanisms(store)] == [
        ("总群链长例会", "semiannual", "半年召开一次"),
        ("群链长例会", "quarterly", "每季度召开一次"),
        ("群链长责任单位调度会议", "monthly", "每月召开一次"),
        ("联席会议", "as_needed", "适时召开"),
        ("产业链联盟会商", "as_needed", "适时召集召开"),
    ]


def test_loading_twice_changes_nothing(store: GraphStore) -> None:
    load_roster(store)
    before = store.export()
    load_roster(store)
    assert store.export() == before


def test_every_fact_links_to_the_document(store: GraphStore) -> None:
    load_roster(store)
    exported = store.export()
    for label, rows in exported.nodes.items():
        for row in rows:
            assert (label, row["source"], bool(row["source_ref"])) == (
                label,
                "豫政办〔2021〕61号",
                True,
            )
    for key, rows in exported.rels.items():
        for row in rows:
            assert (key, row["source"], bool(row["source_ref"])) == (
                key,
                "豫政办〔2021〕61号",
                True,
            )


def test_a_failed_reload_leaves_the_previous_graph(store: GraphStore) -> None:
    load_roster(store)
    before = store.export()
    text = default_document_path().read_text(encoding="utf-8").replace("许继集团", "许继电气集团")
    batch = roster_batch(parse_roster(text, errata=load_errata()), "2026-01-01T00:00:00+00:00")
    batch.add_rels(
        "HAS_CHAIN", "Cluster", "Chain", [{"from_id": "cluster:无", "to_id": "chain:无"}]
    )
    with pytest.raises(SchemaError), store.transaction() as tx:
        tx.write(batch)
    assert store.export() == before


def test_a_corrected_reload_leaves_no_stale_facts(store: GraphStore, tmp_path: Path) -> None:
    load_roster(store)
    changed = tmp_path / "notice.md"
    changed.write_text(
        default_document_path().read_text(encoding="utf-8").replace("许继集团", "许继电气集团"),
        encoding="utf-8",
    )
    load_roster(store, changed)
    chairs = _cells(read_roster(store))[0][6]
    assert chairs == [("许继电气集团有限公司", ENT)]
    names = {r["name"] for r in store.read("MATCH (o:Organization) RETURN o.name AS name")}
    assert "许继集团有限公司" not in names
    assert len(names) == 41


def test_roster_before_loading_is_a_clear_error(store: GraphStore) -> None:
    with pytest.raises(NotFoundError) as err:
        read_roster(store)
    assert str(err.value).startswith("the roster of 豫政办〔2021〕61号 is not in the graph at ")
    assert err.value.hint == "load it first: chainkg load roster"


def test_cli_roster_json_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = str(tmp_path / "g")
    assert main(["--data-dir", data_dir, "load", "roster"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", data_dir, "roster", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"document", "general_chief", "clusters", "notes", "retired", "editions"}
    assert _cells(data) == TABLE
    assert data["clusters"][0]["chains"][0] == {
        "seq": 1,
        "id": "chain:电力装备产业链",
        "name": "电力装备产业链",
        "origin": "notice",
        "former_names": [],
        "status": None,
        "city": None,
        "basis": None,
        "registry": None,
        "future": False,
        "responsible_units": [{"name": "省工业和信息化厅", "kind": "government"}],
        "alliance_chairs": [{"name": "许继集团有限公司", "kind": "enterprise"}],
        "deputies": [],
        "source": "附件 表 第2行",
    }
    assert set(data["notes"][0]) == {"kind", "text", "source"}
    assert all(" " not in ch[3] and " " not in "".join(ch[5]) for ch in _cells(data))


def test_cli_stats_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = str(tmp_path / "g")
    main(["--data-dir", data_dir, "load", "roster"])
    capsys.readouterr()
    assert main(["--data-dir", data_dir, "stats", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {k: v for k, v in data["nodes"].items() if v} == {
        "Document": 1, "Province": 1, "Person": 9, "Cluster": 10, "Chain": 30,
        "Organization": 41, "Role": 5, "Duty": 13, "Mechanism": 5, "SourceNote": 16,
    }  # fmt: skip
    assert {k: v for k, v in data["relationships"].items() if v} == {
        "ISSUED_BY": 1, "HAS_NOTE": 16, "DEFINES": 5, "HAS_DUTY": 13, "ESTABLISHES": 5,
        "GENERAL_CHIEF_OF": 1, "CHIEF_OF": 9, "HAS_CLUSTER": 10, "HAS_CHAIN": 30,
        "RESPONSIBLE_FOR": 35, "ALLIANCE_CHAIR_OF": 37,
    }  # fmt: skip


def test_cli_error_goes_to_stderr_with_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--data-dir", str(tmp_path / "g"), "load", "roster", str(tmp_path / "nope.md")])
    err = capsys.readouterr().err
    assert code == 1
    assert f"error: {tmp_path / 'nope.md'}: file not found" in " ".join(err.split())
    assert "hint: give the path of the 61号 notice" in err
