"""The chains registry (issue 12 item 7): chains the notice does not list, declared in a file,
loaded with templates and lists like the others and marked as not from the notice."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from chainkg.cli.main import main
from chainkg.errors import InputError
from chainkg.graph.store import GraphStore
from chainkg.loaders.chain_registry import load_registry
from chainkg.loaders.chain_templates import default_template_dir
from chainkg.loaders.list_load import ListFile, load_lists
from chainkg.loaders.roster_load import load_roster
from chainkg.loaders.template_load import load_chain_templates
from chainkg.queries.roster import read_roster

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
HAIR = "发制品产业链"
SOURCE = "产业链登记表 registry.csv"
# As a city sends it: a title row above the header, GB18030, the chain name without 产业链.
REGISTRY = (
    "许昌市特色产业链登记表（2024年）\n"
    "产业链*,所属集群*,责任单位*,状态*,地市,认定依据*,认定日期\n"
    "发制品,现代轻纺,许昌市工业和信息化局、省工业和信息化厅,特色产业链,许昌市,"
    "许昌市人民政府 许政〔2023〕15号,2023年6月30日\n"
)
TEMPLATE = """chain = "发制品产业链"
cluster = "现代轻纺"
source = "测试模板"

[[segments]]
name = "原发收购与处理"
stage = "上游"
order = 1
industry_codes = ["1959"]

[[segments]]
name = "发用化学品与辅料"
stage = "上游"
order = 2
industry_codes = ["2689"]

[[segments]]
name = "发制品制造"
stage = "中游"
order = 3
industry_codes = ["4190"]

[[segments]]
name = "假发与发套设计"
stage = "中游"
order = 4
industry_codes = []

[[segments]]
name = "发制品销售与出口"
stage = "下游"
order = 5
industry_codes = []

[[feeds]]
from = "原发收购与处理"
to = "发制品制造"

[[feeds]]
from = "发用化学品与辅料"
to = "发制品制造"

[[feeds]]
from = "假发与发套设计"
to = "发制品制造"

[[feeds]]
from = "发制品制造"
to = "发制品销售与出口"
"""
LIST = (
    "名称*,地市,产业链*,环节,营业收入(万元),省内/省外\n"
    "示例发制品有限公司,许昌市,发制品产业链,发制品制造,50000,省内\n"
)


def _registry(tmp_path: Path, text: str = REGISTRY) -> Path:
    path = tmp_path / "registry.csv"
    path.write_bytes(text.encode("gb18030"))
    return path


def _templates(tmp_path: Path) -> Path:
    folder = tmp_path / "chains"
    shutil.copytree(default_template_dir(), folder)
    (folder / "31-hair-products.toml").write_text(TEMPLATE, encoding="utf-8")
    return folder


def test_a_registry_chain_loads_with_template_and_list_and_is_marked(
    store: GraphStore, tmp_path: Path
) -> None:
    load_roster(store, now=NOW)
    report = load_registry(store, _registry(tmp_path), now=NOW)
    assert [(c.row, c.name, c.units, c.city, c.since) for c in report.chains] == [
        (3, HAIR, ("许昌市工业和信息化局", "省工业和信息化厅"), "许昌市", dt.date(2023, 6, 30))
    ]
    templates = load_chain_templates(store, _templates(tmp_path), now=NOW)
    assert (templates.chains, templates.segments) == (31, 426)
    path = tmp_path / "hair.csv"
    path.write_text(LIST, encoding="utf-8")
    load_lists(store, [ListFile("enterprises", path)], as_of=dt.date(2024, 12, 31))

    chain = store.read(
        "MATCH (k:Cluster)-[:HAS_CHAIN]->(c:Chain {id: $id}) "
        "OPTIONAL MATCH (c)-[:HAS_SEGMENT]->(s:Segment)<-[:OPERATES_IN]-(o:Organization) "
        "RETURN k.name AS cluster, c.origin AS origin, c.status AS status, c.city AS city, "
        "c.basis AS basis, c.source AS source, c.source_ref AS ref, c.in_force_from AS since, "
        "collect(s.name) AS segments, collect(o.name) AS firms",
        {"id": f"chain:{HAIR}"},
    )
    assert chain == [
        {
            "cluster": "现代轻纺",
            "origin": "registry",
            "status": "特色产业链",
            "city": "许昌市",
            "basis": "许昌市人民政府许政〔2023〕15号",  # clean_text joins CJK words
            "source": SOURCE,
            "ref": "第3行",
            "since": dt.date(2023, 6, 30),
            "segments": ["发制品制造"],
            "firms": ["示例发制品有限公司"],
        }
    ]
    units = store.read(
        "MATCH (o:Organization)-[r:RESPONSIBLE_FOR]->(:Chain {id: $id}) "
        "RETURN o.name AS name, o.source AS source, r.position AS pos ORDER BY pos",
        {"id": f"chain:{HAIR}"},
    )
    # A roster unit keeps its roster source; the new one is the registry's.
    assert units == [
        {"name": "许昌市工业和信息化局", "source": SOURCE, "pos": 1},
        {"name": "省工业和信息化厅", "source": "豫政办〔2021〕61号", "pos": 2},
    ]
    roster = read_roster(store)
    textiles = next(c for c in roster["clusters"] if c["name"] == "现代轻纺")
    assert [(ch["name"], ch["origin"]) for ch in textiles["chains"]] == [
        ("纺织服装产业链", "notice"),
        ("现代家居产业链", "notice"),
        (HAIR, "registry"),
    ]
    hair = textiles["chains"][2]
    assert (hair["status"], hair["city"], hair["registry"]) == ("特色产业链", "许昌市", SOURCE)


def test_reloading_the_registry_changes_nothing_and_a_dropped_row_is_withdrawn(
    store: GraphStore, tmp_path: Path
) -> None:
    load_roster(store, now=NOW)
    path = _registry(tmp_path)
    load_registry(store, path, now=NOW)
    load_chain_templates(store, _templates(tmp_path), now=NOW)
    before = store.export()
    load_registry(store, path, now=NOW)
    assert store.export() == before
    # The file no longer has the chain: it stays, with its segments, withdrawn from the load day.
    path.write_bytes("\n".join(REGISTRY.splitlines()[:2]).encode("gb18030") + b"\n")
    report = load_registry(store, path, now=NOW)
    assert (report.chains, report.withdrawn) == ([], [HAIR])
    kept = store.read(
        "MATCH (c:Chain {id: $id}) OPTIONAL MATCH (c)-[:HAS_SEGMENT]->(s:Segment) "
        "RETURN c.in_force_until AS until, count(s) AS segments, "
        "COUNT { MATCH (:Cluster)-[:HAS_CHAIN]->(c) } AS clusters",
        {"id": f"chain:{HAIR}"},
    )
    assert kept == [{"until": dt.date(2026, 1, 1), "segments": 5, "clusters": 0}]
    assert [r["name"] for r in read_roster(store)["retired"]] == [HAIR]


def test_bad_registry_rows_are_located_and_nothing_is_written(
    store: GraphStore, tmp_path: Path
) -> None:
    load_roster(store, now=NOW)
    before = store.export()
    bad = (
        "产业链,所属集群,责任单位,状态,地市,认定依据,认定日期\n"
        "发制品,轻纺,许昌市工业和信息化局,特色产业链,许昌市,许政〔2023〕15号,2023-06-30\n"
        "动力电池产业链,节能环保,省发展改革委,新认定,,豫政〔2024〕1号,\n"
        "钧瓷产业链,新型材料,,特色产业链,苏州市,禹政〔2022〕3号,明年\n"
    )
    with pytest.raises(InputError) as err:
        load_registry(store, _registry(tmp_path, bad), now=NOW)
    assert [(p.file, p.row, p.column) for p in err.value.problems] == [
        ("registry.csv", 2, "所属集群"),
        ("registry.csv", 3, "产业链"),
        ("registry.csv", 4, "责任单位"),
        ("registry.csv", 4, "地市"),
        ("registry.csv", 4, "认定日期"),
    ]
    messages = [p.message for p in err.value.problems]
    assert messages[0].startswith("unknown 集群 '轻纺'; use one of the roster's clusters: ")
    assert messages[1] == (
        "动力电池产业链 is listed by the roster notice in force; a registry declares only "
        "chains the notice does not list — delete the row"
    )
    assert messages[2] == "责任单位 is empty; fill it in (required)"
    assert messages[3] == "地市 '苏州市' is not a city of 河南省; e.g. 许昌市"
    assert messages[4] == "认定日期 '明年' is not a date; write it as 2023-06-30"
    assert store.export() == before


def test_cli_registry_and_roster_mark(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = str(tmp_path / "g")
    assert main(["--data-dir", data_dir, "load", "roster"]) == 0
    path = _registry(tmp_path)
    assert main(["--data-dir", data_dir, "load", "chains-registry", str(path)]) == 0
    assert "loaded 1 registry chains (产业链登记表) from registry.csv" in capsys.readouterr().out
    assert main(["--data-dir", data_dir, "roster"]) == 0
    out = "".join(capsys.readouterr().out.split())
    assert out.count("〔登记〕") == 2  # the chain's cell and the legend
    assert "〔登记〕产业链登记表登记（非通知所列）" in out
    assert main(["--data-dir", data_dir, "roster", "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    chains = [ch for c in data["clusters"] for ch in c["chains"] if ch["origin"] == "registry"]
    assert [ch["name"] for ch in chains] == [HAIR]


def test_a_registry_chain_is_marked_in_weak_links_maps_and_the_api(
    embedded_store: GraphStore, tmp_path: Path
) -> None:
    from chainkg.queries.findings import resolve_chains, weak_links
    from chainkg.queries.maps import cluster_graph, roster_graph
    from chainkg.viz.view import cluster_view, roster_view
    from tests.test_api_support import make_client

    store = embedded_store
    load_roster(store, now=NOW)
    load_registry(store, _registry(tmp_path), now=NOW)
    load_chain_templates(store, _templates(tmp_path), now=NOW)

    report = weak_links(store, resolve_chains(store, "发制品"))
    assert [(c["chain"], c["origin"]) for c in report["chains"]] == [(HAIR, "registry")]
    own = weak_links(store, resolve_chains(store, "纺织服装产业链"))
    assert own["chains"][0]["origin"] == "notice"

    for view in (roster_view(roster_graph(store)), cluster_view(cluster_graph(store, "现代轻纺"))):
        marked = [n for n in view.nodes if n.get("cat") == "registry"]
        assert [(n["label"].split("\n")[0], n["facts"][-4:]) for n in marked] == [
            (
                f"{HAIR}〔登记〕",
                [
                    ["来源", "产业链登记表所列（非通知所列）"],
                    ["状态", "特色产业链"],
                    ["地市", "许昌市"],
                    ["认定依据", "许昌市人民政府许政〔2023〕15号"],
                ],
            )
        ]
        assert [e["label"] for e in view.legend if e["cat"] == "registry"] == [
            "产业链登记表所列（非通知所列）"
        ]
    client, tokens = make_client(store, tmp_path)
    headers = {"Authorization": f"Bearer {tokens['viewer']}"}
    chains = client.get("/chains", headers=headers).json()
    assert [
        (c["name"], c["origin"], c["status"], c["city"], c["source"])
        for c in chains
        if c["origin"] != "notice"
    ] == [(HAIR, "registry", "特色产业链", "许昌市", SOURCE)]
    one = client.get("/chains/发制品", headers=headers).json()
    assert (one["origin"], [u["name"] for u in one["responsible_units"]]) == (
        "registry",
        ["许昌市工业和信息化局", "省工业和信息化厅"],
    )
    roster = client.get("/roster", headers=headers).json()
    marked = [ch for c in roster["clusters"] for ch in c["chains"] if ch["origin"] == "registry"]
    assert [(ch["name"], ch["registry"]) for ch in marked] == [(HAIR, SOURCE)]
    findings = client.get("/chains/发制品/findings", headers=headers)
    assert (findings.status_code, findings.json()["origin"]) == (200, "registry")


def test_a_registry_workbook_with_a_title_row_loads(
    embedded_store: GraphStore, tmp_path: Path
) -> None:
    from openpyxl import Workbook

    path = tmp_path / "登记表.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.title = "登记表"
    sheet.append(["河南省新认定产业链登记表"])
    sheet.merge_cells("A1:G1")
    sheet.append(["序号", "产业链", "所属集群", "责任单位", "状态", "认定依据", "认定日期"])
    sheet.append(
        [
            1,
            "钧瓷产业链",
            "新型材料",
            "省工业和信息化厅；禹州市人民政府",
            "新认定",
            "豫工信〔2024〕7号",
            dt.datetime(2024, 5, 20),
        ]
    )
    book.save(path)
    load_roster(embedded_store, now=NOW)
    report = load_registry(embedded_store, path, now=NOW)
    assert [(c.row, c.name, c.cluster, c.units, c.city, c.since) for c in report.chains] == [
        (
            3,
            "钧瓷产业链",
            "新型材料",
            ("省工业和信息化厅", "禹州市人民政府"),
            None,
            dt.date(2024, 5, 20),
        )
    ]
    assert report.missing == []  # no 地市 column: nothing to report as empty
