"""The shipped chain templates (图谱 skeletons) and their validator, on real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from chainkg.errors import ChainkgError, InputError
from chainkg.loaders.chain_templates import (
    STAGE_LABELS,
    STAGES,
    ChainTemplate,
    FeedTemplate,
    SegmentTemplate,
    default_template_dir,
    load_templates,
    segments_for_industry_code,
)

FIXTURES = Path(__file__).parent / "data" / "chains"

# The 30 key chains in roster (分工表) order, as the roster parser carries them.
ROSTER_CHAINS = [
    "电力装备产业链",
    "农机装备产业链",
    "矿山机械产业链",
    "起重机械产业链",
    "工程机械产业链",
    "智能制造装备产业链",
    "绿色食品（含冷链、休闲）产业链",
    "农副产品加工及食品装备产业链",
    "先进钢铁材料产业链",
    "先进金属材料（含铝、镁、钼）产业链",
    "先进高分子材料产业链",
    "尼龙新材料产业链",
    "新型显示和智能终端产业链",
    "智能传感器产业链",
    "5G及先进计算产业链",
    "半导体材料及器件产业链",
    "网络安全（含区块链）产业链",
    "新一代人工智能（类脑智能）产业链",
    "节能环保装备产业链",
    "动力电池产业链",
    "光伏及风电产业链",
    "氢能及储能产业链",
    "纺织服装产业链",
    "现代家居产业链",
    "绿色建材产业链",
    "整车及零部件产业链",
    "新能源及智能网联汽车产业链",
    "生物医药（含现代中药）产业链",
    "高端医疗器械及卫材产业链",
    "新型煤化工产业链",
]


@pytest.fixture(scope="module")
def shipped() -> list[ChainTemplate]:
    return load_templates(known_chains=ROSTER_CHAINS)


def by_chain(templates: list[ChainTemplate]) -> dict[str, ChainTemplate]:
    return {t.chain: t for t in templates}


def problems_of(*paths: Path, known_chains: list[str] | None = None) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_templates(list(paths), known_chains=known_chains)
    return [str(p) for p in caught.value.problems]


# ---------------------------------------------------------------- shipped templates


def test_shipped_templates_cover_the_roster_in_order(shipped: list[ChainTemplate]) -> None:
    assert [t.chain for t in shipped] == ROSTER_CHAINS
    assert [t.source_file[:3] for t in shipped] == [f"{n:02d}-" for n in range(1, 31)]
    assert {t.version for t in shipped} == {"2026-11"}
    assert {t.source for t in shipped} == {
        "chainkg reference template (编制参考模板), not from 豫政办〔2021〕61号"
    }


def test_shipped_template_counts(shipped: list[ChainTemplate]) -> None:
    segments = [s for t in shipped for s in t.segments]
    internal = [f for t in shipped for f in t.internal_feeds]
    cross = [f for t in shipped for f in t.cross_feeds]
    assert len(shipped) == 30
    assert len(segments) == 421
    assert len(internal) == 646
    assert len(cross) == 34
    assert sum(f.cycle_ok for f in internal) == 6
    assert sum(1 for s in segments if not s.industry_codes) == 31
    assert min(len(t.segments) for t in shipped) == 12
    assert max(len(t.segments) for t in shipped) == 22


def test_issue13_template_corrections(shipped: list[ChainTemplate]) -> None:
    chains = by_chain(shipped)
    codes = {c for t in shipped for s in t.segments for c in s.industry_codes}
    # GB/T 4754-2011 codes replaced by their 2017 successors.
    assert not codes & {"1810", "1820"}
    garments = [s for s in chains["纺织服装产业链"].segments if "1811" in s.industry_codes]
    assert [s.industry_codes for s in garments] == [("1811", "1819", "1821", "1829")]
    pv = chains["光伏及风电产业链"]
    assert pv.segment("光伏玻璃").industry_codes == ("3041", "3042")
    for name in (
        "光伏设备",
        "热场与金刚线",
        "光伏银浆",
        "光伏支架",
        "风电发电机",
        "风电变流与变桨控制",
    ):
        pv.segment(name)
    pv_feeds = {(f.from_segment, f.to_segment) for f in pv.internal_feeds}
    assert ("光伏银浆", "光伏电池片") in pv_feeds
    assert ("风电变流与变桨控制", "风电整机") in pv_feeds
    battery = chains["动力电池产业链"]
    for name in ("锂电设备", "导电剂与粘结剂", "结构件、极耳与铝塑膜", "石墨与锰资源"):
        battery.segment(name)
    cm = chains["工程机械产业链"]
    for name in ("移动式起重机", "高空作业平台", "叉车与工业车辆", "环卫机械"):
        assert cm.segment(name).stage == "midstream"
    cm_feeds = {(f.from_segment, f.to_segment) for f in cm.internal_feeds}
    # Rental serves construction (the reversed feed is fixed); machines go to rental.
    assert ("租赁与再制造服务", "基础设施与轨道交通施工") in cm_feeds
    assert ("基础设施与轨道交通施工", "租赁与再制造服务") not in cm_feeds
    for part in ("液压件", "传动部件与轴承", "电控与智能化系统"):
        for machine in ("混凝土机械", "移动式起重机", "叉车与工业车辆", "环卫机械"):
            assert (part, machine) in cm_feeds


def test_shipped_clusters(shipped: list[ChainTemplate]) -> None:
    clusters: dict[str, int] = {}
    for t in shipped:
        clusters[t.cluster] = clusters.get(t.cluster, 0) + 1
    assert clusters == {
        "装备制造": 6,
        "绿色食品": 2,
        "新型材料": 4,
        "电子信息": 6,
        "节能环保": 4,
        "现代轻纺": 2,
        "绿色建材": 1,
        "汽车制造": 2,
        "生物医药": 2,
        "现代化工": 1,
    }


def test_power_battery_chain_segments_in_order(shipped: list[ChainTemplate]) -> None:
    chain = by_chain(shipped)["动力电池产业链"]
    assert chain.cluster == "节能环保"
    assert chain.source_file == "20-power-battery.toml"
    assert [(s.order, s.name, s.stage) for s in chain.segments] == [
        (1, "锂钴镍资源", "upstream"),
        (2, "正极材料", "upstream"),
        (3, "负极材料", "upstream"),
        (4, "电解液", "upstream"),
        (5, "隔膜", "upstream"),
        (6, "铜箔/铝箔", "upstream"),
        (7, "石墨与锰资源", "upstream"),
        (8, "导电剂与粘结剂", "upstream"),
        (9, "结构件、极耳与铝塑膜", "upstream"),
        (10, "锂电设备", "upstream"),
        (11, "电芯制造", "midstream"),
        (12, "电池管理系统", "midstream"),
        (13, "模组与PACK", "midstream"),
        (14, "整车应用", "downstream"),
        (15, "储能应用", "downstream"),
        (16, "回收利用", "downstream"),
    ]
    cell = chain.segment("电芯制造")
    assert cell == SegmentTemplate(
        "动力电池产业链",
        "电芯制造",
        "midstream",
        11,
        "方形、软包、圆柱锂离子电芯",
        ("3841",),
        "20-power-battery.toml#segments[11]",
    )
    assert cell.stage_label == "中游"
    assert chain.segment("电池管理系统").industry_codes == ()
    assert [f for f in chain.internal_feeds if f.cycle_ok] == [
        FeedTemplate(
            "动力电池产业链",
            "回收利用",
            "动力电池产业链",
            "锂钴镍资源",
            None,
            "20-power-battery.toml#feeds[20]",
            cycle_ok=True,
        )
    ]


def test_required_cross_chain_edges_exist(shipped: list[ChainTemplate]) -> None:
    edges = {
        (f.from_chain, f.from_segment, f.to_chain, f.to_segment, f.product)
        for t in shipped
        for f in t.cross_feeds
    }
    assert {
        (
            "先进钢铁材料产业链",
            "中厚板与宽厚板",
            "工程机械产业链",
            "钢材与结构件",
            "高强度结构钢板",
        ),
        ("先进钢铁材料产业链", "中厚板与宽厚板", "起重机械产业链", "钢材与型材", "起重机用钢板"),
        (
            "先进钢铁材料产业链",
            "中厚板与宽厚板",
            "矿山机械产业链",
            "特种钢材与耐磨铸件",
            "耐磨钢板",
        ),
        (
            "动力电池产业链",
            "模组与PACK",
            "新能源及智能网联汽车产业链",
            "动力电池系统",
            "动力电池包",
        ),
        ("半导体材料及器件产业链", "单晶硅片与外延片", "智能传感器产业链", "MEMS晶圆制造", "硅片"),
        (
            "先进金属材料（含铝、镁、钼）产业链",
            "铝型材与铝合金",
            "整车及零部件产业链",
            "轻量化部件",
            "汽车用铝合金型材与铸件",
        ),
        ("尼龙新材料产业链", "尼龙民用丝", "纺织服装产业链", "化学纤维", "锦纶长丝"),
        (
            "光伏及风电产业链",
            "分布式光伏",
            "新能源及智能网联汽车产业链",
            "充换电基础设施",
            "光储充一体化电站",
        ),
        (
            "氢能及储能产业链",
            "燃料电池系统",
            "新能源及智能网联汽车产业链",
            "燃料电池动力系统",
            "燃料电池系统",
        ),
    } <= edges
    assert len(edges) == 34


def test_shipped_feeds_run_downstream_unless_declared(shipped: list[ChainTemplate]) -> None:
    rank = {stage: i for i, stage in enumerate(STAGES)}
    backwards = []
    for t in shipped:
        for f in t.internal_feeds:
            if rank[t.segment(f.from_segment).stage] > rank[t.segment(f.to_segment).stage]:
                backwards.append((t.chain, f.from_segment, f.to_segment, f.cycle_ok))
    assert all(ok for *_, ok in backwards)
    assert len(backwards) == 6


def test_segments_for_industry_code(shipped: list[ChainTemplate]) -> None:
    found = [(s.chain, s.name) for s in segments_for_industry_code(shipped, "3841")]
    assert found == [
        ("动力电池产业链", "电芯制造"),
        ("动力电池产业链", "模组与PACK"),
        ("氢能及储能产业链", "储能电芯"),
        ("氢能及储能产业链", "电化学储能系统"),
        ("新能源及智能网联汽车产业链", "动力电池系统"),
    ]
    assert segments_for_industry_code(shipped, "C3841") == segments_for_industry_code(
        shipped, "3841"
    )
    prefix = [(s.chain, s.name) for s in segments_for_industry_code(shipped, "384")]
    assert prefix == [
        ("动力电池产业链", "电芯制造"),
        ("动力电池产业链", "模组与PACK"),
        ("氢能及储能产业链", "储能电芯"),
        ("氢能及储能产业链", "燃料电池电堆"),
        ("氢能及储能产业链", "燃料电池系统"),
        ("氢能及储能产业链", "电化学储能系统"),
        ("新能源及智能网联汽车产业链", "动力电池系统"),
        ("新能源及智能网联汽车产业链", "燃料电池动力系统"),
    ]
    assert segments_for_industry_code(shipped, "9999") == []


@pytest.mark.parametrize("code", ["38", "38411", "abcd", ""])
def test_segments_for_industry_code_rejects_malformed_codes(
    shipped: list[ChainTemplate], code: str
) -> None:
    with pytest.raises(ChainkgError) as caught:
        segments_for_industry_code(shipped, code)
    assert str(caught.value) == f"industry code {code!r} is not a GB/T 4754-2017 code"


def test_stage_constants() -> None:
    assert STAGES == ("upstream", "midstream", "downstream")
    assert STAGE_LABELS == {"upstream": "上游", "midstream": "中游", "downstream": "下游"}


def test_default_template_dir_holds_the_shipped_files() -> None:
    folder = default_template_dir()
    assert folder.name == "chains"
    assert len(sorted(folder.glob("*.toml"))) == 30


# ---------------------------------------------------------------- accepted variants


def test_english_stages_declared_loop_and_cross_feed_to_a_known_chain() -> None:
    [template] = load_templates(
        [FIXTURES / "good_english_stages.toml"], known_chains=[*ROSTER_CHAINS, "测试产业链"]
    )
    assert [(s.name, s.stage) for s in template.segments] == [
        ("原料", "upstream"),
        ("材料", "upstream"),
        ("部件", "midstream"),
        ("整机", "midstream"),
        ("应用", "downstream"),
        ("回收", "downstream"),
    ]
    assert template.version is None
    assert template.cross_feeds == (
        FeedTemplate(
            "测试产业链",
            "整机",
            "新能源及智能网联汽车产业链",
            "动力电池系统",
            None,
            "good_english_stages.toml#cross_feeds[1]",
        ),
    )
    assert [f.source for f in template.internal_feeds if f.cycle_ok] == [
        "good_english_stages.toml#feeds[6]"
    ]


def test_a_folder_loads_its_toml_files(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(
        (FIXTURES / "duplicate_chain_a.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    assert [t.source_file for t in load_templates([tmp_path])] == ["a.toml"]


# ---------------------------------------------------------------- bad fixtures


def test_invalid_toml() -> None:
    assert problems_of(FIXTURES / "invalid_toml.toml") == [
        "invalid_toml.toml: invalid TOML at line 3, column 11: Invalid value; "
        "fix the syntax there (text values need double quotes)"
    ]


def test_unknown_stage() -> None:
    assert problems_of(FIXTURES / "unknown_stage.toml") == [
        "unknown_stage.toml, row 1, column 'segments.stage': unknown stage '上流' "
        "(did you mean '上游'?); use 上游, 中游 or 下游 (upstream, midstream, downstream)"
    ]


def test_duplicate_segment() -> None:
    assert problems_of(FIXTURES / "duplicate_segment.toml") == [
        "duplicate_segment.toml, row 6, column 'segments.name': duplicate segment name '部件' "
        "(first at row 3); segment names must be unique within a chain: rename or merge them"
    ]


def test_dangling_feeds() -> None:
    assert problems_of(FIXTURES / "dangling_feed.toml") == [
        "dangling_feed.toml, row 2, column 'feeds.to': to = '部仵' is not a segment of this "
        "chain (did you mean '部件'?)",
        "dangling_feed.toml, row 5, column 'feeds.from': from = '外购件' is not a segment of "
        "this chain",
    ]


def test_backwards_feed() -> None:
    assert problems_of(FIXTURES / "backwards_feed.toml") == [
        "backwards_feed.toml, row 5, column 'feeds': feed '应用' (下游) -> '辅料' (上游) runs "
        "backwards; FEEDS go 上游 -> 中游 -> 下游: swap from and to, fix a stage, or mark a "
        "deliberate loop (e.g. recycling) with cycle_ok = true"
    ]


def test_undeclared_cycle() -> None:
    assert problems_of(FIXTURES / "undeclared_cycle.toml") == [
        "undeclared_cycle.toml, row 5, column 'feeds': feeds form a cycle 部件 -> 整机 -> 部件; "
        "FEEDS within a chain run one way: remove an edge, or mark a deliberate loop "
        "(e.g. recycling) with cycle_ok = true on the edge that closes it"
    ]


def test_too_few_segments() -> None:
    assert problems_of(FIXTURES / "too_few_segments.toml") == [
        "too_few_segments.toml, column 'segments': has 4 [[segments]]; a chain template needs "
        "5 to 24 segments (split or merge segments)"
    ]


def test_malformed_industry_codes() -> None:
    advice = (
        "is not a GB/T 4754-2017 小类 code; write 4 digits in double quotes, keeping "
        'leading zeros (e.g. "3841", "0610")'
    )
    assert problems_of(FIXTURES / "bad_industry_code.toml") == [
        f"bad_industry_code.toml, row 3, column 'segments.industry_codes': industry code '384' "
        f"{advice}",
        f"bad_industry_code.toml, row 3, column 'segments.industry_codes': industry code 3841 "
        f"{advice}",
    ]


def test_unknown_chain_suggests_the_roster_name() -> None:
    assert problems_of(FIXTURES / "unknown_chain.toml", known_chains=ROSTER_CHAINS) == [
        "unknown_chain.toml, column 'chain': unknown chain '动力电地产业链' "
        "(did you mean '动力电池产业链'?): use the chain name exactly as the roster (分工表) "
        "writes it"
    ]


def test_unknown_chain_is_fine_without_a_roster() -> None:
    [template] = load_templates([FIXTURES / "unknown_chain.toml"])
    assert template.chain == "动力电地产业链"


def test_duplicate_chain_file() -> None:
    assert problems_of(
        FIXTURES / "duplicate_chain_a.toml", FIXTURES / "duplicate_chain_b.toml"
    ) == [
        "duplicate_chain_b.toml, column 'chain': chain '测试产业链' is already defined in "
        "duplicate_chain_a.toml; keep one file per chain (merge the two files or delete one)"
    ]


def test_cross_feeds_to_unknown_chain_and_segment() -> None:
    assert problems_of(FIXTURES / "bad_cross_feed.toml", default_template_dir()) == [
        "bad_cross_feed.toml, row 1, column 'cross_feeds.to_chain': to_chain "
        "'新能源及智能网联汽车产业' is not a known chain (did you mean '新能源及智能网联汽车产业链'?)",
        "bad_cross_feed.toml, row 2, column 'cross_feeds.to': to = '电芯' is not a segment of "
        "动力电池产业链 (did you mean '电芯制造'?)",
    ]


def test_isolated_segment() -> None:
    assert problems_of(FIXTURES / "isolated_segment.toml") == [
        "isolated_segment.toml, row 6, column 'segments.name': segment '辅料' is not connected: "
        "no [[feeds]] entry has it as from or to; add a feed from its supplier or to its "
        "customer segment"
    ]


def test_order_against_the_stages() -> None:
    rule = "number upstream segments first: 上游 < 中游 < 下游"
    assert problems_of(FIXTURES / "order_backwards.toml") == [
        "order_backwards.toml, row 2, column 'segments.order': 上游 segment '材料' has order 2, "
        f"after 中游 segment '整机' (order 1); {rule}",
        "order_backwards.toml, row 1, column 'segments.order': 上游 segment '原料' has order 4, "
        f"after 中游 segment '整机' (order 1); {rule}",
    ]


def test_unknown_fields() -> None:
    assert problems_of(FIXTURES / "unknown_fields.toml") == [
        "unknown_fields.toml, row 1, column 'segments.stages': unknown field 'stages' "
        "(did you mean 'stage'?); allowed fields: name, stage, order, description, "
        "industry_codes",
        "unknown_fields.toml, row 1, column 'segments.stage': stage is missing; "
        'add stage = "上游", "中游" or "下游"',
        "unknown_fields.toml, row 5, column 'feeds.too': unknown field 'too' "
        "(did you mean 'to'?); allowed fields: from, to, product, cycle_ok",
        "unknown_fields.toml, row 5, column 'feeds.to': to is missing; add to = \"...\"",
    ]


def test_problems_of_all_files_come_in_one_error() -> None:
    with pytest.raises(InputError) as caught:
        # Different chains: two files of one chain would add a duplicate-chain problem.
        load_templates(
            [
                FIXTURES / "unknown_stage.toml",
                FIXTURES / "unknown_chain.toml",
                FIXTURES / "missing.toml",
            ],
            known_chains=[*ROSTER_CHAINS, "测试产业链"],
        )
    error = caught.value
    assert [(p.file, p.row, p.column) for p in error.problems] == [
        ("unknown_stage.toml", 1, "segments.stage"),
        ("unknown_chain.toml", None, "chain"),
        ("missing.toml", None, None),
    ]
    assert error.problems[2].message == f"file not found: {FIXTURES / 'missing.toml'}"
    assert str(error).startswith("3 problems in the input:\n  unknown_stage.toml, row 1")
    assert error.hint == (
        "Fix each located entry in the chain template files (format: data/chains/README.md)."
    )


def test_codes_several_segments_share_are_reported(shipped: list[ChainTemplate]) -> None:
    from chainkg.loaders.chain_templates import shared_codes

    battery = by_chain(shipped)["动力电池产业链"]
    assert shared_codes(battery, 3) == {
        "3985": ("正极材料", "负极材料", "电解液", "隔膜", "铜箔/铝箔")
    }
    wide = {t.chain: sorted(shared_codes(t, 3)) for t in shipped if shared_codes(t, 3)}
    assert wide["工程机械产业链"] == ["3514"]
    assert wide["光伏及风电产业链"] == ["3825"]
    assert len(wide) == 16
