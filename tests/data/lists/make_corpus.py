"""Write the list-loader test corpus: good files of every kind and bad files, one flaw each.

Run from the repository root: ``.venv/bin/python tests/data/lists/make_corpus.py``.
Good files exist as XLSX (written with openpyxl, a 示例 sheet second) and as CSV
in GB18030; enterprises also in UTF-8 and UTF-8 with BOM. The tests in
tests/test_list_*.py state what each file must give.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
GOOD = HERE / "good"
BAD = HERE / "bad"

PDS = "平顶山示例尼龙科技有限公司"
PLASTIC = "河南示例尼龙工程塑料有限公司"
JIANGSU = "江苏示例己二腈有限公司"
JIANGSU_USCC = "91320600MA1P8NTA4T"
KNOWN = "河南示例汽车零部件有限公司"  # in the test graph already
KNOWN_USCC = "91410100MA44ABCD1F"
SENSOR = "新乡示例传感器有限公司"
NYLON = "尼龙新材料产业链"
AUTO = "整车及零部件产业链"

ENTERPRISE_HEADER = [
    "统一社会信用代码",
    "名称*",
    "地市",
    "园区",
    "产业链*",
    "环节",
    "行业代码",
    "营业收入(万元)",
    "从业人数",
    "龙头",
    "专精特新",
    "上市",
    "省内/省外",
]
ENTERPRISES = [
    [
        "91410400MA44TEXT0B",
        PDS,
        "平顶山市",
        "平顶山高新技术产业开发区",
        NYLON,
        "尼龙6与尼龙66切片",
        "C2651",
        "52000",
        "860",
        "是",
        "否",
        "N",
        "省内",
    ],
    ["", PLASTIC, "郑州", "", NYLON, "", "2651", "8000", "120", "否", "√", "0", ""],
    [
        JIANGSU_USCC,
        JIANGSU,
        "江苏省南通市",
        "",
        "尼龙新材料",
        "己二腈与己二胺",
        "",
        "120000",
        "2000",
        "true",
        "false",
        "1",
        "省外",
    ],
    [
        KNOWN_USCC,
        KNOWN,
        "郑州市",
        "郑州经济技术开发区",
        AUTO,
        "汽车零部件",
        "C3670",
        "30000",
        "500",
        "Y",
        "是",
        "否",
        "省内",
    ],
    ["", SENSOR, "新乡市", "", "智能传感器产业链", "", "", "", "", "", "", "", ""],
    ["", PLASTIC, "郑州市", "", AUTO, "汽车零部件", "2651", "8000", "120", "否", "√", "0", ""],
]
SUPPLIES_HEADER = ["供方", "需方", "产品", "年供货额(万元)"]
SUPPLIES = [
    [PDS, PLASTIC, "尼龙66切片", "3600"],
    [JIANGSU_USCC, PDS, "己二腈", "50000"],
    [PLASTIC, KNOWN_USCC, "尼龙工程塑料件", "1,200"],
    [PDS, PLASTIC, "尼龙6切片", ""],
]
PARKS_HEADER = ["园区名称", "产业链", "地市", "级别", "类型", "规划面积(平方公里)"]
PARKS = [
    ["平顶山高新技术产业开发区", NYLON, "平顶山市", "国家级", "高新区", "32.5"],
    ["郑州经济技术开发区", AUTO, "郑州市", "国家级", "经开区", "158.7"],
]
PROJECTS_HEADER = [
    "项目名称",
    "产业链",
    "环节",
    "地市",
    "园区",
    "总投资(万元)",
    "状态",
    "开工年份",
    "建设单位",
]
PROJECTS = [
    [
        "年产10万吨尼龙66切片项目",
        NYLON,
        "尼龙6与尼龙66切片",
        "平顶山市",
        "平顶山高新技术产业开发区",
        "150000",
        "在建",
        "2023",
        PDS,
    ],
    [
        "新能源汽车零部件产业园",
        AUTO,
        "汽车零部件、整车制造",
        "郑州",
        "",
        "80000",
        "签约",
        "2024",
        "某某未登记单位",
    ],
]
PLATFORMS_HEADER = ["平台名称", "产业链", "环节", "类型", "级别", "地市", "依托单位"]
PLATFORMS = [
    [
        "河南省尼龙新材料技术创新中心",
        NYLON,
        "尼龙工程塑料",
        "技术创新中心",
        "省级",
        "平顶山市",
        PDS,
    ],
]
TECHNOLOGIES_HEADER = ["技术名称", "产业链", "环节", "卡脖子", "状态", "承担单位", "说明"]
TECHNOLOGIES = [
    ["己二腈连续化生产技术", NYLON, "己二腈与己二胺", "是", "攻关中", PDS, "打破国外垄断"],
    ["车规级MCU芯片", AUTO, "", "√", "引进", "", ""],
]
TALENT_HEADER = ["姓名/团队", "产业链", "环节", "类别", "领域", "单位", "人数"]
TALENT = [
    ["尼龙新材料创新团队", NYLON, "尼龙6与尼龙66切片", "创新团队", "高分子材料", PDS, "12"],
    ["张三", AUTO, "", "领军人才", "汽车电子", KNOWN, "1"],
]
TARGETS_HEADER = ["目标企业", "产业链", "环节", "所在地", "招商理由", "优先级", "进展"]
TARGETS = [
    [JIANGSU, NYLON, "己二腈与己二胺", "江苏省南通市", "补齐己二腈环节", "重点", "洽谈"],
    ["上海示例汽车电子有限公司", AUTO, "汽车零部件", "上海市", "补链", "一般", "签约"],
]
NEEDS_HEADER = ["类型", "事项", "产业链", "环节", "提出单位", "数量", "计量单位", "状态", "说明"]
NEEDS = [
    [
        "融资",
        "扩产流动资金贷款",
        NYLON,
        "尼龙6与尼龙66切片",
        PDS,
        "5000",
        "",
        "对接中",
        "用于二期产能",
    ],
    ["用地", "二期项目用地", NYLON, "", PDS, "200", "", "待供地", ""],
    ["环保", "排污指标", AUTO, "汽车零部件", KNOWN, "50", "吨/年", "协调中", ""],
]
GOOD_SETS = {
    "enterprises": (ENTERPRISE_HEADER, ENTERPRISES),
    "supplies": (SUPPLIES_HEADER, SUPPLIES),
    "parks": (PARKS_HEADER, PARKS),
    "projects": (PROJECTS_HEADER, PROJECTS),
    "platforms": (PLATFORMS_HEADER, PLATFORMS),
    "technologies": (TECHNOLOGIES_HEADER, TECHNOLOGIES),
    "talent": (TALENT_HEADER, TALENT),
    "targets": (TARGETS_HEADER, TARGETS),
    "needs": (NEEDS_HEADER, NEEDS),
}


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str) -> None:
    """A CSV file in ``encoding`` (utf-8, utf-8-sig, gb18030)."""
    path.write_bytes(_csv_text(header, rows).encode(encoding))


def write_xlsx(path: Path, header: list[str], rows: list[list[object]], sheet: str) -> None:
    """A workbook: the data on ``sheet``, numbers as numbers, and a 示例 sheet second."""
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append([_cell(v) for v in row])
    example = book.create_sheet("示例")
    example.append(header)
    example.append(["示例"] * len(header))
    book.save(path)


def _cell(value: object) -> object:
    # Numbers typed in Excel are numbers in the file, not text.
    if isinstance(value, str) and value.replace(".", "", 1).isdigit() and len(value) < 10:
        return float(value) if "." in value else int(value)
    return value if value != "" else None


def main() -> None:
    """Write every corpus file."""
    GOOD.mkdir(exist_ok=True)
    BAD.mkdir(exist_ok=True)
    for kind, (header, rows) in GOOD_SETS.items():
        write_xlsx(GOOD / f"{kind}.xlsx", header, rows, "清单")
        write_csv(GOOD / f"{kind}.gb18030.csv", header, rows, "gb18030")
    write_csv(GOOD / "enterprises.utf8.csv", ENTERPRISE_HEADER, ENTERPRISES, "utf-8")
    write_csv(GOOD / "enterprises.utf8bom.csv", ENTERPRISE_HEADER, ENTERPRISES, "utf-8-sig")
    # English headers, a comment line and a blank line are fine too.
    english = [
        "uscc",
        "name",
        "city",
        "park",
        "chain",
        "segment",
        "industry_code",
        "revenue",
        "employees",
        "leader",
        "specialized",
        "listed",
        "in_province",
    ]
    text = "# 企业清单 2024\r\n" + _csv_text(english, ENTERPRISES[:1]) + "\r\n"
    (GOOD / "enterprises.english.csv").write_text(text, encoding="utf-8")

    row = ENTERPRISES[0]
    bad = {
        "revenue_words": [[*row[:7], "很多", *row[8:]]],
        "uscc_check": [["91410400MA44TEXT0C", *row[1:]]],
        "uscc_letter": [["91410400MA44TEXTOB", *row[1:]]],
        "unknown_chain": [[*row[:4], "尼龙材料产业链", *row[5:]]],
        "unknown_segment": [[*row[:5], "尼龙切片", *row[6:]]],
        "no_segments": [[*row[:4], "智能传感器产业链", "MEMS传感器", *row[6:]]],
        "duplicate": [row, [*row[:7], "53000", *row[8:]]],
        "wrong_types": [[*row[:8], "很多人", "可能", *row[10:]]],
        "city": [[*row[:2], "郑洲市", *row[3:]]],
    }
    for name, rows in bad.items():
        write_csv(BAD / f"enterprises_{name}.csv", ENTERPRISE_HEADER, rows, "utf-8")
    write_csv(
        BAD / "enterprises_missing_chain.csv",
        [h for h in ENTERPRISE_HEADER if h != "产业链*"],
        [[v for i, v in enumerate(row) if i != 4]],
        "utf-8",
    )
    (BAD / "empty.csv").write_bytes(b"")
    write_csv(BAD / "enterprises_header_only.csv", ENTERPRISE_HEADER, [], "utf-8")
    write_xlsx(
        BAD / "enterprises_flag.xlsx", ENTERPRISE_HEADER, [[*row[:9], "maybe", *row[10:]]], "企业"
    )
    write_csv(
        BAD / "supplies_unknown.csv",
        SUPPLIES_HEADER,
        [
            [PDS, "河南示例汽车零部件公司", "尼龙66切片", "10"],
            [KNOWN, KNOWN_USCC, "自供", "1"],
            ["91410100MA44ABCD1E", KNOWN, "", "很多"],
        ],
        "gb18030",
    )
    write_csv(
        BAD / "needs_kind.csv",
        NEEDS_HEADER,
        [["贷款", "扩产流动资金贷款", NYLON, "", KNOWN, "5000", "", "", ""]],
        "gb18030",
    )
    # A good row followed by a bad one: --skip-invalid loads the first only.
    write_csv(
        BAD / "projects_mixed.csv",
        PROJECTS_HEADER,
        [PROJECTS[0], [*PROJECTS[1][:5], "八千万", *PROJECTS[1][6:]]],
        "gb18030",
    )


if __name__ == "__main__":
    main()
