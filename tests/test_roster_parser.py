"""The 61号 roster parser on the real notice, on damaged variants of it, and on bad input."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chainkg.errors import InputError, RosterParseError
from chainkg.loaders.roster_model import Roster
from chainkg.loaders.roster_parser import (
    NO_ERRATA,
    default_document_path,
    load_errata,
    org_kind,
    parse_roster,
    split_org_names,
    split_person_names,
)

DOC = default_document_path().read_text(encoding="utf-8")
NUM = "豫政办〔2021〕61号"
GOV, ENT, ASSOC, ALLI, UNIV = "government", "enterprise", "association", "alliance", "university"
GX, FG, NY = "省工业和信息化厅", "省发展改革委", "省农业农村厅"

# cluster seq -> (name, chiefs, [(chain, future, units, chairs as (name, kind))])
ChainRow = tuple[str, bool, list[str], list[tuple[str, str]]]
EXPECTED: dict[int, tuple[str, tuple[str, ...], list[ChainRow]]] = {
    1: (
        "装备制造",
        ("周霁",),
        [
            ("电力装备产业链", False, [GX], [("许继集团有限公司", ENT)]),
            ("农机装备产业链", False, [GX], [("中国一拖集团有限公司", ENT)]),
            (
                "矿山机械产业链",
                False,
                [GX],
                [("郑州煤矿机械集团股份有限公司", ENT), ("中信重工机械股份有限公司", ENT)],
            ),
            (
                "起重机械产业链",
                False,
                [GX],
                [("卫华集团有限公司", ENT), ("河南矿山起重机械有限公司", ENT)],
            ),
            ("工程机械产业链", False, [GX], [("中铁工程装备集团有限公司", ENT)]),
            (
                "智能制造装备产业链",
                True,
                [GX],
                [("安阳鑫盛机床股份有限公司", ENT), ("郑州科慧科技股份有限公司", ENT)],
            ),
        ],
    ),
    2: (
        "绿色食品",
        (),
        [
            (
                "绿色食品（含冷链、休闲）产业链",
                False,
                [NY],
                [("河南双汇投资发展股份有限公司", ENT), ("三全食品股份有限公司", ENT)],
            ),
            (
                "农副产品加工及食品装备产业链",
                False,
                [GX, NY],
                [("河南省装备制造企业家协会", ASSOC)],
            ),
        ],
    ),
    3: (
        "新型材料",
        ("何金平",),
        [
            ("先进钢铁材料产业链", False, [GX], [("安阳钢铁集团有限责任公司", ENT)]),
            (
                "先进金属材料（含铝、镁、钼）产业链",
                False,
                [GX],
                [("河南省有色金属行业协会", ASSOC)],
            ),
            ("先进高分子材料产业链", False, [GX], [("河南银金达新材料股份有限公司", ENT)]),
            ("尼龙新材料产业链", False, [GX], [("中国平煤神马能源化工集团有限责任公司", ENT)]),
        ],
    ),
    4: (
        "电子信息",
        ("费东斌",),
        [
            ("新型显示和智能终端产业链", False, [FG], [("鸿富锦精密电子（郑州）有限公司", ENT)]),
            ("智能传感器产业链", False, [GX], [("汉威科技集团股份有限公司", ENT)]),
            ("5G及先进计算产业链", False, [GX], [("河南省5G产业联盟", ALLI)]),
            ("半导体材料及器件产业链", False, [GX], [("麦斯克电子材料股份有限公司", ENT)]),
            (
                "网络安全（含区块链）产业链",
                False,
                [FG],
                [("郑州信大捷安信息技术股份有限公司", ENT)],
            ),
            (
                "新一代人工智能（类脑智能）产业链",
                True,
                [FG],
                [("郑州金惠计算机系统工程有限公司", ENT)],
            ),
        ],
    ),
    5: (
        "节能环保",
        ("王战营",),
        [
            ("节能环保装备产业链", False, [FG, GX], [("河南省绿色制造联盟", ALLI)]),
            ("动力电池产业链", False, [FG, GX], [("中航锂电科技有限公司", ENT)]),
            ("光伏及风电产业链", False, [FG, GX], [("平煤隆基新能源科技有限公司", ENT)]),
            ("氢能及储能产业链", True, [FG, GX], [("河南豫氢工程研究院有限公司", ENT)]),
        ],
    ),
    6: (
        "现代轻纺",
        ("霍金花",),
        [
            ("纺织服装产业链", False, [GX], [("河南省纺织行业协会", ASSOC)]),
            ("现代家居产业链", False, [GX], [("郑州大信家居有限公司", ENT)]),
        ],
    ),
    7: (
        "绿色建材",
        ("陈星",),
        [
            (
                "绿色建材产业链",
                False,
                [GX],
                [("河南省耐火材料行业协会", ASSOC), ("河南省建筑材料工业协会", ASSOC)],
            ),
        ],
    ),
    8: (
        "汽车制造",
        ("费东斌",),
        [
            ("整车及零部件产业链", False, [GX], [("河南省汽车行业协会", ASSOC)]),
            ("新能源及智能网联汽车产业链", False, [FG], [("宇通客车股份有限公司", ENT)]),
        ],
    ),
    9: (
        "生物医药",
        ("刘玉江",),
        [
            (
                "生物医药（含现代中药）产业链",
                False,
                [FG],
                [
                    ("华兰生物工程股份有限公司", ENT),
                    ("郑州安图生物工程股份有限公司", ENT),
                    ("河南中医药大学", UNIV),
                ],
            ),
            ("高端医疗器械及卫材产业链", False, [FG], [("河南省医疗器械商会", ASSOC)]),
        ],
    ),
    10: (
        "现代化工",
        ("戴柏华",),
        [
            ("新型煤化工产业链", False, [GX], [("河南能源化工集团有限公司", ENT)]),
        ],
    ),
}


def shape(roster: Roster) -> list[tuple]:
    """The roster's content without line numbers, to compare damaged variants."""
    return [
        (
            c.seq,
            c.name,
            c.chiefs,
            [
                (ch.seq, ch.name, ch.future, ch.responsible_units, ch.alliance_chairs, ch.source)
                for ch in c.chains
            ],
        )
        for c in roster.clusters
    ]


@pytest.fixture(scope="module")
def roster() -> Roster:
    return parse_roster(DOC)


# --------------------------------------------------------------------------- real notice


def test_metadata(roster: Roster) -> None:
    doc = roster.document
    assert (doc.number, doc.title, doc.issuer, doc.issued, doc.line) == (
        NUM,
        "关于建立省级先进制造业集群重点产业链“双长制”的通知",
        "河南省人民政府办公厅",
        datetime.date(2021, 10, 21),
        7,
    )
    assert roster.general_chief == "王凯"
    assert (roster.general_chief_source, roster.general_chief_line) == (f"{NUM} 附件 表 第1行", 78)


def test_clusters_chains_units_and_chairs(roster: Roster) -> None:
    got = {
        c.seq: (
            c.name,
            c.chiefs,
            [
                (
                    ch.name,
                    ch.future,
                    [u.name for u in ch.responsible_units],
                    [(a.name, a.kind) for a in ch.alliance_chairs],
                )
                for ch in c.chains
            ],
        )
        for c in roster.clusters
    }
    assert got == EXPECTED
    assert [len(c.chains) for c in roster.clusters] == [6, 2, 4, 6, 4, 2, 1, 2, 2, 1]
    assert all(u.kind == GOV for ch in roster.chains for u in ch.responsible_units)
    assert all(ch.cluster_seq == c.seq for c in roster.clusters for ch in c.chains)
    assert [ch.seq for ch in roster.chains] == list(range(1, 31))


def test_future_chains(roster: Roster) -> None:
    assert [ch.name for ch in roster.chains if ch.future] == [
        "智能制造装备产业链",
        "新一代人工智能（类脑智能）产业链",
        "氢能及储能产业链",
    ]


def test_provenance_points_at_the_source_line(roster: Roster) -> None:
    lines = DOC.split("\n")
    for chain in roster.chains:
        raw = lines[chain.line - 1]
        # the stored name is the line's chain cell, up to whitespace, * and the errata rename
        assert "".join(raw.split("\t")[2].split()).rstrip("*") in chain.name, chain
    nylon = roster.cluster(3).chains[3]
    assert (nylon.source, nylon.line) == (f"{NUM} 附件 表 第13行", 92)
    assert [(c.source, c.line) for c in roster.clusters][7] == (f"{NUM} 附件 表 第28行", 109)
    assert roster.chains[-1].source == f"{NUM} 附件 表 第31行"


def test_notes_exact(roster: Roster) -> None:
    got = [(n.kind, n.source, n.line) for n in roster.notes]
    assert got == [
        ("normalisation", f"{NUM} 标题", 11),
        ("normalisation", f"{NUM} 附件 表 第2行", 79),  # 周 霁 -> 周霁
        ("normalisation", f"{NUM} 附件 表 第8行", 85),  # shifted cells realigned
        ("normalisation", f"{NUM} 附件 表 第9行", 86),  # shifted cells realigned
        ("normalisation", f"{NUM} 附件 表 第9行", 86),  # repeated unit de-duplicated
        ("normalisation", f"{NUM} 附件 表 第13行", 92),  # 集团 有限责任公司 joined
        ("normalisation", f"{NUM} 附件 表 第16行", 95),  # 5G 及先进计算产业链
        ("normalisation", f"{NUM} 附件 表 第16行", 95),  # 河南省 5G 产业联盟
        ("gap", f"{NUM} 附件 表 第8行", 85),  # 绿色食品 群链长 blank
        ("correction", "roster-errata.toml#nylon-belongs-to-new-materials", 92),
        ("correction", "roster-errata.toml#vehicles-parts-belong-to-automotive", 108),
        ("correction", "roster-errata.toml#green-food-chain-name-cut", 85),
        ("gap", f"{NUM} 二、(一)", 59),
        ("gap", f"{NUM} 二、(一)", 59),
        ("gap", f"{NUM} 二、(一)", 59),
        ("discrepancy", f"{NUM} 附件 表 第29行", 112),
    ]
    texts = [n.text for n in roster.notes]
    assert "“关于建立省级先进制造业集群重点产业链 “双长制”的通知” -> " in texts[0]
    assert "仅删除空白" in texts[0]
    assert "“周 霁” -> “周霁”" in texts[1]
    assert "“省农业农村厅”从群链长列移至群链长责任单位列" in texts[2]
    assert (
        "“河南双汇投资发展股份有限公司 三全食品股份有限公司”从群链长责任单位列移至盟会长单位列"
        in texts[2]
    )
    assert "“河南省装备制造企业家协会”从群链长责任单位列移至盟会长单位列" in texts[3]
    assert (
        "重复列出省工业和信息化厅，已去重：“省工业和信息化厅 省农业农村厅 省工业和信息化厅” -> "
        "“省工业和信息化厅 省农业农村厅”"
    ) in texts[4]
    assert "“中国平煤神马能源化工集团有限责任公司”" in texts[5]
    assert "“5G 及先进计算产业链” -> “5G及先进计算产业链”" in texts[6]
    assert "“河南省5G产业联盟”" in texts[7]
    assert texts[8].startswith("集群2（绿色食品）的群链长单元格空白")
    assert "“尼龙新材料产业链”由集群4（电子信息）移至集群3（新型材料）" in texts[9]
    assert "《河南省先进制造业集群培育行动方案（2021—2025年）》" in texts[9]
    assert "“整车及零部件产业链”由集群7（绿色建材）移至集群8（汽车制造）" in texts[10]
    assert "“绿色食品（含冷链、休闲）产业”更正为“绿色食品（含冷链、休闲）产业链”" in texts[11]
    assert "29 of the 30 chain names" in texts[11]
    assert [t.split("：")[0] for t in texts[12:15]] == [
        "群链长例会",
        "群链长责任单位调度会议",
        "联席会议",
    ]
    assert "列出3个盟会长单位，正文规定1—2个" in texts[15]


def test_roles_and_duties(roster: Roster) -> None:
    got = [
        (
            r.key,
            r.name,
            r.held_by,
            r.quota,
            r.optional,
            r.source,
            r.line,
            [(d.number, d.title, d.source) for d in r.duties],
        )
        for r in roster.roles
    ]
    assert got == [
        (
            "general_chief",
            "总群链长",
            "省长",
            "",
            False,
            f"{NUM} 一、",
            19,
            [("1", "", f"{NUM} 一、(一)1")],
        ),
        (
            "chief",
            "群链长",
            "副省长",
            "1名",
            False,
            f"{NUM} 一、",
            21,
            [
                ("(1)", "推动集群能级提升", f"{NUM} 一、(一)2(1)"),
                ("(2)", "组织研究产业政策", f"{NUM} 一、(一)2(2)"),
                ("(3)", "组织编制图谱清单", f"{NUM} 一、(一)2(3)"),
                ("(4)", "组织攻坚短板弱项", f"{NUM} 一、(一)2(4)"),
            ],
        ),
        (
            "responsible_unit",
            "群链长责任单位",
            "相关省直部门",
            "1—2个",
            False,
            f"{NUM} 一、",
            21,
            [
                ("1", "加强组织协调统筹", f"{NUM} 一、(二)1"),
                ("2", "牵头编制图谱清单", f"{NUM} 一、(二)2"),
                ("3", "牵头落实重点事项", f"{NUM} 一、(二)3"),
                ("4", "指导协调盟会长单位", f"{NUM} 一、(二)4"),
            ],
        ),
        (
            "alliance_chair",
            "盟会长单位",
            "省内在该产业链具有重要影响力的企业、联盟、协会或商会",
            "1—2个",
            False,
            f"{NUM} 一、",
            21,
            [
                ("1", "协助开展相关工作", f"{NUM} 一、(三)1"),
                ("2", "推动产业链协同发展", f"{NUM} 一、(三)2"),
                ("3", "强化产业链企业自律", f"{NUM} 一、(三)3"),
            ],
        ),
        (
            "deputy_chief",
            "副群链长",
            "任务较重的省辖市（济源示范区）市政府（管委会）分管负责同志",
            "",
            True,
            f"{NUM} 三、",
            67,
            [("1", "", f"{NUM} 三、")],
        ),
    ]
    assert roster.role("general_chief").duties[0].text == (
        "总群链长负责总揽全省先进制造业集群重点产业链培育工作。"
    )
    assert roster.role("chief").duties[0].text.startswith("推动集群能级提升。组织群链长责任单位、")
    assert roster.role("chief").duties[3].text.endswith("推动实现集群产业链培育目标。")
    # duty 2 of 盟会长单位 is broken across a page in the source and must be rejoined
    assert roster.role("alliance_chair").duties[1].text == (
        "推动产业链协同发展。发挥联盟影响力、带动力，搭建上下游企业供需对接平台，协同破解科技创新、"
        "投资融资、绿色发展、转型升级等瓶颈制约与共性难题，推动产业链现代化水平提升，带动企业共赢发展。"
    )
    assert roster.role("alliance_chair").duties[1].line == 51
    assert roster.role("deputy_chief").duties[0].text == "协助群链长推动本地产业链培育工作"


def test_mechanisms(roster: Roster) -> None:
    got = [
        (m.key, m.name, m.convener, m.cadence, m.cadence_text, m.source, m.line)
        for m in roster.mechanisms
    ]
    where = f"{NUM} 二、(一)"
    assert got == [
        (
            "general_chief_meeting",
            "总群链长例会",
            "总群链长或委托其他群链长",
            "semiannual",
            "半年召开一次",
            where,
            59,
        ),
        ("chief_meeting", "群链长例会", "", "quarterly", "每季度召开一次", where, 59),
        (
            "unit_dispatch_meeting",
            "群链长责任单位调度会议",
            "",
            "monthly",
            "每月召开一次",
            where,
            59,
        ),
        ("joint_meeting", "联席会议", "", "as_needed", "适时召开", where, 59),
        (
            "alliance_consultation",
            "产业链联盟会商",
            "盟会长单位",
            "as_needed",
            "适时召集召开",
            where,
            59,
        ),
    ]


def test_default_errata_is_the_packaged_file() -> None:
    errata = load_errata()
    assert [(c.id, c.action) for c in errata.corrections] == [
        ("nylon-belongs-to-new-materials", "move_chain"),
        ("vehicles-parts-belong-to-automotive", "move_chain"),
        ("green-food-chain-name-cut", "rename_chain"),
    ]
    assert [c.line for c in errata.corrections] == [17, 30, 43]
    assert parse_roster(DOC, errata=errata) == parse_roster(DOC)


def test_mechanical_parse_without_errata() -> None:
    raw = parse_roster(DOC, errata=NO_ERRATA)
    assert [len(c.chains) for c in raw.clusters] == [6, 2, 3, 7, 4, 2, 2, 1, 2, 1]
    assert raw.cluster(4).chains[0].name == "尼龙新材料产业链"
    assert raw.cluster(7).chains[1].name == "整车及零部件产业链"
    assert raw.cluster(2).chains[0].name == "绿色食品（含冷链、休闲）产业"
    assert not any(n.kind == "correction" for n in raw.notes)


# --------------------------------------------------------------------------- damaged variants

ROW_108 = "\t\t整车及零部件产业链\t\t省工业和信息化厅\t河南省汽车行业协会"
HEADER = "序号\t重大集群\t重点产业链\t群链长\t群链长责任单位\t盟会长单位"


def edit(old: str, new: str, text: str = DOC) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_crlf_line_endings_give_the_same_roster(roster: Roster) -> None:
    assert parse_roster(DOC.replace("\n", "\r\n")) == roster


def test_bom_and_form_feed_are_ignored(roster: Roster) -> None:
    text = "\ufeff" + edit(f"\n\n{HEADER}\n3\t", f"\n\x0c\n{HEADER}\n3\t")
    assert parse_roster(text) == roster


def test_extra_blank_lines_and_page_numbers(roster: Roster) -> None:
    text = edit(ROW_108, ROW_108 + "\n\n\n— 3 —\n")
    assert shape(parse_roster(text)) == shape(roster)


def test_repeated_header_mid_block(roster: Roster) -> None:
    text = edit(ROW_108, f"{ROW_108}\n{HEADER}\n{HEADER}")
    result = parse_roster(text)
    assert shape(result) == shape(roster)
    assert [n.kind for n in result.notes] == [n.kind for n in roster.notes]


def test_row_pushed_across_a_page_break(roster: Roster) -> None:
    # the 盟会长单位 cell of 整车及零部件产业链 lands after the next page header
    text = edit(
        ROW_108,
        f"\t\t整车及零部件产业链\t\t省工业和信息化厅\t\n\n{HEADER}\n\t\t\t\t\t河南省汽车行业协会",
    )
    assert shape(parse_roster(text)) == shape(roster)


def test_name_split_across_a_page_break(roster: Roster) -> None:
    text = edit(
        "中国平煤神马能源化工集团 有限责任公司",
        f"中国平煤神马能源化工集团\n\n{HEADER}\n\t\t\t\t\t有限责任公司",
    )
    assert shape(parse_roster(text)) == shape(roster)


def test_untabbed_wrapped_fragment_joins_the_last_cell(roster: Roster) -> None:
    text = edit("河南省 5G 产业联盟", "河南省 5G\n产业联盟")
    assert shape(parse_roster(text)) == shape(roster)


def test_wrapped_chain_name() -> None:
    text = edit("先进金属材料（含铝、镁、钼）产业链", "先进金属材料（含铝、 镁、钼）产业链")
    result = parse_roster(text)
    assert result.cluster(3).chains[1].name == "先进金属材料（含铝、镁、钼）产业链"
    note = [n for n in result.notes if n.line == 90]
    assert [(n.kind, n.text[:14]) for n in note] == [
        ("normalisation", "产业链名称被空白断开，已连接")
    ]


def test_chain_name_wrapped_onto_its_own_row(roster: Roster) -> None:
    row = "新一代人工智能（类脑智能）产业链*\t\t省发展改革委\t郑州金惠计算机系统工程有限公司"
    text = edit(row, row.replace("智能）产业链*", "") + "\n\t\t智能）产业链*\t\t\t")
    result = parse_roster(text)
    assert shape(result) == shape(roster)
    assert result.cluster(4).chains[5].future is True


def test_shifted_column_is_realigned_by_content() -> None:
    text = edit(
        "6\t现代轻纺\t纺织服装产业链\t霍金花\t省工业和信息化厅\t河南省纺织行业协会",
        "6\t现代轻纺\t纺织服装产业链\t省工业和信息化厅\t河南省纺织行业协会\t",
    )
    result = parse_roster(text)
    light = result.cluster(6)
    assert light.chiefs == ()
    assert [u.name for u in light.chains[0].responsible_units] == [GX]
    assert [a.name for a in light.chains[0].alliance_chairs] == ["河南省纺织行业协会"]
    by_line = [(n.kind, n.text[:10]) for n in result.notes if n.line == 105]
    assert by_line == [("normalisation", "第24行单元格错位，"), ("gap", "集群6（现代轻纺）的")]


def test_person_and_chairs_in_the_wrong_columns_are_realigned() -> None:
    # cells slid right: chief in the units column, units in the chairs column
    text = edit(
        "新型煤化工产业链\t戴柏华\t省工业和信息化厅\t河南能源化工集团有限公司",
        "新型煤化工产业链\t\t戴柏华\t省工业和信息化厅 河南能源化工集团有限公司",
    )
    chem = parse_roster(text).cluster(10)
    assert chem.chiefs == ("戴柏华",)
    # a mixed cell is not government-only, so it stays in 盟会长单位 as written
    assert [(a.name, a.kind) for a in chem.chains[0].alliance_chairs] == [
        (GX, GOV),
        ("河南能源化工集团有限公司", ENT),
    ]
    assert chem.chains[0].responsible_units == ()


def test_label_below_the_first_row_of_its_block_is_parsed_mechanically() -> None:
    # the real document's 汽车制造 case: without errata the row above the label stays
    # in the previous block; with errata it moves
    raw = parse_roster(DOC, errata=NO_ERRATA)
    assert [c.name for c in raw.cluster(7).chains] == ["绿色建材产业链", "整车及零部件产业链"]
    assert [c.name for c in raw.cluster(8).chains] == ["新能源及智能网联汽车产业链"]


# --------------------------------------------------------------------------- bad input


def raises_parse(text: str) -> RosterParseError:
    with pytest.raises(RosterParseError) as info:
        parse_roster(text, source_name="doc.md", errata=NO_ERRATA)
    assert all(p.file == "doc.md" for p in info.value.problems)
    return info.value


def test_continuation_with_no_row_before_it() -> None:
    error = raises_parse(edit(f"{HEADER}\n总群链长：王凯", f"{HEADER}\n\t\t\t\t\t河南"))
    assert error.problems[0].row == 78
    assert "the first table row has no 序号, 重大集群 or 重点产业链" in str(error)


def test_duplicate_chain_name() -> None:
    error = raises_parse(edit("现代家居产业链", "纺织服装产业链"))
    assert (error.problems[0].row, error.problems[0].column) == (106, "重点产业链")
    assert "chain '纺织服装产业链' appears twice (also line 105)" in str(error)


def test_empty_file() -> None:
    error = raises_parse(" \n\n")
    assert "the document is empty" in str(error)


def test_no_table() -> None:
    error = raises_parse(DOC.replace(HEADER, "表格缺失"))
    assert "no roster table found" in str(error)
    assert "序号 重大集群 重点产业链 群链长 群链长责任单位 盟会长单位" in str(error)


def test_chain_row_with_no_cluster() -> None:
    text = edit("1\t装备制造\t电力装备产业链\t周 霁\t", "\t\t电力装备产业链\t\t")
    error = raises_parse(text)
    assert error.problems[0].row == 79
    assert "comes before any cluster label" in str(error)


def test_unparseable_date() -> None:
    error = raises_parse(edit("2021年10月21日印发", "2021年13月21日印发"))
    assert error.problems[0].row == 134
    assert "'2021年13月21日印发' is not a real date" in str(error)


def test_missing_date_and_number() -> None:
    assert "no issue date found" in str(raises_parse(edit("2021年10月21日印发", "印发")))
    no_number = DOC.replace("豫政办〔2021〕61号", "")
    assert "no document number (文号) found" in str(raises_parse(no_number))


def test_non_numeric_seq() -> None:
    error = raises_parse(edit("10\t现代化工", "十\t现代化工"))
    assert (error.problems[0].row, error.problems[0].column) == (114, "序号")
    assert "序号 '十' is not a whole number" in str(error)


def test_too_many_columns() -> None:
    error = raises_parse(edit("河南能源化工集团有限公司", "河南能源化工集团有限公司\t多余"))
    assert error.problems[0].row == 114
    assert "more than 6 columns" in str(error)


# --------------------------------------------------------------------------- errata


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "errata.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_errata_unknown_action(tmp_path: Path) -> None:
    path = write(tmp_path, '[[correction]]\nid = "x"\naction = "delete_chain"\nreason = "r"\n')
    with pytest.raises(InputError) as info:
        load_errata(path)
    assert not isinstance(info.value, RosterParseError)
    problem = info.value.problems[0]
    assert (problem.file, problem.row, problem.column) == (str(path), 1, "action")
    assert "entry 1 (id 'x'): unknown action 'delete_chain'" in str(info.value)
    assert "['move_chain', 'rename_chain']" in str(info.value)


def test_errata_missing_and_unknown_keys(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '# c\n[[correction]]\nid = "m"\naction = "move_chain"\n'
        'chain = "尼龙新材料产业链"\nto_cluster = "3"\nreason = " "\n'
        "extra = 1\n",
    )
    with pytest.raises(InputError) as info:
        load_errata(path)
    got = [(p.row, p.column) for p in info.value.problems]
    assert got == [(2, "reason"), (2, "from_cluster"), (2, "to_cluster"), (2, "extra")]
    assert "needs 'to_cluster' as int, got '3'" in str(info.value)


def test_errata_bad_toml_and_duplicate_ids(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not valid TOML"):
        load_errata(write(tmp_path, "[[correction]\n"))
    entry = (
        '[[correction]]\nid = "a"\naction = "rename_chain"\nchain = "x"\n'
        'new_name = "y"\nreason = "r"\n'
    )
    with pytest.raises(InputError, match="id repeated"):
        load_errata(write(tmp_path, entry + entry))


def test_errata_target_not_in_roster(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[correction]]\nid = "ghost"\naction = "rename_chain"\n'
        'chain = "不存在产业链"\nnew_name = "新名产业链"\nreason = "r"\n',
    )
    with pytest.raises(InputError) as info:
        parse_roster(DOC, errata=load_errata(path))
    problem = info.value.problems[0]
    assert (problem.file, problem.row, problem.column) == (str(path), 1, "chain")
    assert "entry 'ghost': chain '不存在产业链' not found in the roster" in str(info.value)


def test_errata_move_that_no_longer_fits(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[correction]]\nid = "stale"\naction = "move_chain"\n'
        'chain = "新型煤化工产业链"\nfrom_cluster = 9\nto_cluster = 3\n'
        'reason = "r"\n',
    )
    with pytest.raises(InputError, match="parsed in cluster 10, not 9; the correction no longer"):
        parse_roster(DOC, errata=load_errata(path))
    path = write(
        tmp_path,
        '[[correction]]\nid = "far"\naction = "move_chain"\n'
        'chain = "新型煤化工产业链"\nfrom_cluster = 10\nto_cluster = 11\n'
        'reason = "r"\n',
    )
    with pytest.raises(InputError, match=r"entry 'far': to_cluster 11 is not a cluster 序号"):
        parse_roster(DOC, errata=load_errata(path))


# --------------------------------------------------------------------------- names and kinds


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("中国平煤神马能源化工集团 有限责任公司", ["中国平煤神马能源化工集团有限责任公司"]),
        (
            "郑州煤矿机械集团股份有限公司 中信重工机械股份有限公司",
            ["郑州煤矿机械集团股份有限公司", "中信重工机械股份有限公司"],
        ),
        ("省发展改革委 省工业和信息化厅", ["省发展改革委", "省工业和信息化厅"]),
        ("河南省 5G 产业联盟", ["河南省5G产业联盟"]),
        (
            "华兰生物工程股份有限公司 郑州安图生物工程股份有限公司 河南中医药大学",
            ["华兰生物工程股份有限公司", "郑州安图生物工程股份有限公司", "河南中医药大学"],
        ),
        ("河南豫氢工程研究院 有限公司", ["河南豫氢工程研究院有限公司"]),
        ("某某 无后缀名称", ["某某无后缀名称"]),
        ("", []),
    ],
)
def test_split_org_names(cell: str, names: list[str]) -> None:
    assert split_org_names(cell) == names


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("省工业和信息化厅", "government"),
        ("省发展改革委", "government"),
        ("许继集团有限公司", "enterprise"),
        ("中国平煤神马能源化工集团", "enterprise"),
        ("河南省医疗器械商会", "association"),
        ("河南省纺织行业协会", "association"),
        ("河南省5G产业联盟", "alliance"),
        ("河南中医药大学", "university"),
        ("郑州工程技术学院", "university"),
        ("河南省科学院", "institute"),
        ("河南省化工研究所", "institute"),
        ("河南豫氢工程研究院有限公司", "enterprise"),
        ("某某", "other"),
    ],
)
def test_org_kind(name: str, kind: str) -> None:
    assert org_kind(name) == kind


def test_split_person_names() -> None:
    assert split_person_names("周 霁") == ["周霁"]
    assert split_person_names("欧阳 明") == ["欧阳明"]
    assert split_person_names("周霁 王凯") == ["周霁", "王凯"]
    assert split_person_names(" ") == []


_PLAIN_CHARS = "河南省郑州洛阳新材料科技工程装备电子精密智能能源化工5GA"
_SUFFIXES = [
    "有限公司",
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "集团",
    "厅",
    "委",
    "协会",
    "商会",
    "联盟",
    "大学",
    "学院",
    "研究院",
    "研究所",
]


@st.composite
def org_name_with_breaks(draw: st.DrawFn) -> tuple[str, str]:
    """An organisation name and the same name with whitespace inserted where a PDF line
    wrap could put it: anywhere in its descriptive part, or before a legal form."""
    stem = draw(st.text(alphabet=_PLAIN_CHARS, min_size=2, max_size=12))
    suffix = draw(st.sampled_from(_SUFFIXES))
    cuts = sorted(draw(st.sets(st.integers(1, len(stem) - 1), max_size=3)))
    pieces, last = [], 0
    for cut in cuts:
        pieces.append(stem[last:cut])
        last = cut
    pieces.append(stem[last:])
    broken = " ".join(pieces)
    if suffix.startswith("集团") and suffix != "集团" and draw(st.booleans()):
        broken += "集团 " + suffix.removeprefix("集团")
    elif suffix.endswith("公司") and draw(st.booleans()):
        broken += " " + suffix
    else:
        broken += suffix
    return stem + suffix, broken


@given(st.lists(org_name_with_breaks(), min_size=1, max_size=4))
def test_name_joining_recovers_wrapped_names(names: list[tuple[str, str]]) -> None:
    cell = "  ".join(broken for _, broken in names)
    assert split_org_names(cell) == [whole for whole, _ in names]
