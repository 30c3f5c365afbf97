"""The Excel 台账: template, import (real XLSX with a title row; all or nothing; idempotent)
and export (formula cells neutralised), on both stores."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from chainkg.errors import InputError
from chainkg.graph.store import GraphStore
from chainkg.loaders.ledger_policy import load_policy
from chainkg.loaders.ledger_table import PROBLEMS, import_ledger, neutralise, write_export
from chainkg.loaders.list_reader import write_template
from chainkg.loaders.roster_load import load_roster
from chainkg.queries.ledger import list_problems, problem_events

POLICY = load_policy()
NOW = dt.datetime(2026, 11, 2, 9, 0)
NYLON = "尼龙新材料产业链"
UNIT = "省工业和信息化厅"
HEADER = [c.template_header for c in PROBLEMS.columns]


def _row(**cells: object) -> list[object]:
    return [cells.get(c.key) for c in PROBLEMS.columns]


def _book(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    ws = book.active
    ws.append(["河南省尼龙新材料产业链问题台账"])  # a title row above the header
    ws.append(["填报单位：省工业和信息化厅"])
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    book.save(path)
    return path


def test_template_headers(tmp_path: Path) -> None:
    write_template(PROBLEMS, tmp_path / "t.xlsx")
    assert HEADER == [
        "问题编号", "产业链*", "环节", "企业名称", "地市", "问题类别", "问题来源", "问题*", "问题描述",
        "责任单位", "登记日期*", "状态", "交办日期", "答复方案日期", "办结日期", "反馈日期", "满意度",
        "退回或转共性理由", "提交会议",
    ]  # fmt: skip
    assert (
        neutralise("=1+1") == "'=1+1" and neutralise("-3") == "'-3" and neutralise("正常") == "正常"
    )


def test_import_twice_and_export(store: GraphStore, tmp_path: Path) -> None:
    load_roster(store)
    good = _book(
        tmp_path / "台账.xlsx",
        [
            _row(
                chain=NYLON,
                title="A 己二腈进口依赖",
                category="个性重大",
                origin="万人助万企",
                owner=UNIT,
                registered=dt.date(2026, 9, 30),
                status="办结",
                assigned_on="2026-10-08",
                resolved_on="2026/10/14",
            ),
            _row(
                chain=NYLON,
                title="B 物流成本高",
                enterprise="@示例企业",
                owner=UNIT,
                registered="2026年2月13日",
                status="已反馈",
                assigned_on="2026-02-14",
                resolved_on="2026-03-02",
                reported_on="2026-03-05",
                satisfaction="基本满意",
            ),
            _row(
                chain=NYLON,
                title="C 非产业链问题",
                registered="2026-09-30",
                status="退回",
                reason="属于企业内部事务",
                assigned_on="2026-10-08",
            ),
        ],
    )
    report = import_ledger(store, good, by="导入员", now=NOW, policy=POLICY)
    assert (report.rows, report.added, report.changed, report.unchanged) == (3, 3, 0, 0)
    again = import_ledger(store, good, by="导入员", now=NOW, policy=POLICY)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 3)
    rows = {p["title"][0]: p for p in list_problems(store)}
    a = rows["A"]
    assert (a["status"], a["assigned_on"], a["started_on"], a["resolved_on"], a["due"]) == (
        "办结",
        dt.date(2026, 10, 8),
        dt.date(2026, 10, 14),  # no 答复方案日期: reached with the next step
        dt.date(2026, 10, 14),
        dt.date(2026, 10, 20),
    )
    assert [(e["actor"], e["action"]) for e in problem_events(store, a["id"])] == [
        ("导入员", "登记"),
        ("导入员", "导入：交办"),
        ("导入员", "导入：办理中"),
        ("导入员", "导入：办结"),
    ]
    assert (rows["B"]["satisfaction"], rows["B"]["registered"]) == (
        "基本满意",
        dt.date(2026, 2, 13),
    )
    assert (rows["C"]["status"], rows["C"]["reason"], rows["C"]["is_open"]) == (
        "退回",
        "属于企业内部事务",
        False,
    )

    out = tmp_path / "export.csv"
    assert write_export(list_problems(store), out) == 3
    with out.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    assert table[0][:4] == ["问题编号", "产业链", "环节", "企业名称"]
    b_row = next(r for r in table if r[7] == "B 物流成本高")
    assert b_row[3] == "'@示例企业"


def test_a_bad_row_imports_nothing(store: GraphStore, tmp_path: Path) -> None:
    load_roster(store)
    bad = _book(
        tmp_path / "bad.xlsx",
        [
            _row(chain=NYLON, title="好的一行", registered="2026-09-30"),
            _row(chain="尼龙产业链", title="链名不对", registered="2026-09-30"),
            _row(chain=NYLON, title="缺日期", registered="2026-09-30", status="办结", owner=UNIT),
            _row(chain=NYLON, title="类别不对", registered="2026-09-30", category="重大"),
        ],
    )
    with pytest.raises(InputError) as err:
        import_ledger(store, bad, by="x", now=NOW, policy=POLICY)
    where = "bad.xlsx (sheet Sheet)"
    assert [str(p) for p in err.value.problems] == [
        f"{where}, row 5, column '产业链': no chain named '尼龙产业链' in the graph "
        "(did you mean 尼龙新材料产业链?)",
        f"{where}, row 6: status 办结 needs its date (column '办结日期')",
        f"{where}, row 7, column '问题类别': '重大' is not one of 个性重大、共性、一般",
    ]
    assert list_problems(store) == []
