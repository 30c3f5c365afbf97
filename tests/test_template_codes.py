"""The shipped chain templates against GB/T 4754-2017: every code exists and fits; feeds are a DAG.

The table (data/gbt4754-2017.csv) is the standard's 小类 list; these tests pin its shape and
the templates' use of it, so that a 2011 code, a typo or an undeclared feed loop fails here.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from chainkg.errors import InputError
from chainkg.loaders.chain_templates import load_templates, shared_codes
from chainkg.loaders.industry_codes import closest_codes, gbt4754_2017, industry_name
from chainkg.loaders.list_rows import SegmentInfo, segment_keywords

TEMPLATES = load_templates()


def test_the_table_has_the_shape_of_gbt_4754_2017() -> None:
    table = gbt4754_2017()
    assert len(table) == 1381
    assert len({c[:2] for c in table}) == 97  # 大类
    assert len({c[:3] for c in table}) == 473  # 中类
    assert list(table) == sorted(table)
    assert table["3985"] == "电子专用材料制造"
    assert table["3041"] == "平板玻璃制造"
    assert table["1819"] == "其他机织服装制造"
    assert table["3130"] == "钢压延加工"  # a 中类 without 小类: code 中类 + "0"
    assert table["0610"] == "烟煤和无烟煤开采洗选"
    # GB/T 4754-2011 codes the 2017 table split or dropped
    assert industry_name("1810") is None and industry_name("1820") is None
    assert closest_codes("1810") == ["1811 运动机织服装制造", "1819 其他机织服装制造"]


def test_every_template_code_is_a_2017_code() -> None:
    used = Counter(c for t in TEMPLATES for s in t.segments for c in s.industry_codes)
    unknown = sorted(c for c in used if industry_name(c) is None)
    assert unknown == []
    assert len(used) == 312


def test_a_template_with_a_2011_code_is_refused_with_the_2017_codes_near_it(
    tmp_path: Path,
) -> None:
    segments = "".join(
        f'[[segments]]\nname = "环节{i}"\nstage = "上游"\norder = {i}\n'
        + ('industry_codes = ["1810"]\n' if i == 1 else "")
        for i in range(1, 6)
    )
    feeds = "".join(f'[[feeds]]\nfrom = "环节{i}"\nto = "环节{i + 1}"\n' for i in range(1, 5))
    path = tmp_path / "t.toml"
    path.write_text(f'chain = "测试链"\ncluster = "测试"\n{segments}{feeds}', encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_templates([path])
    (problem,) = err.value.problems
    assert (problem.file, problem.row, problem.column) == ("t.toml", 1, "segments.industry_codes")
    assert problem.message == (
        "industry code '1810' is not in the GB/T 4754-2017 table (data/gbt4754-2017.csv; "
        "a GB/T 4754-2011 code?); codes near it: 1811 运动机织服装制造, 1819 其他机织服装制造; "
        "use the 2017 小类 that fits the segment, or leave the code out"
    )


def test_feeds_within_each_chain_form_a_dag_but_for_the_declared_recycling_loops() -> None:
    loops = set()
    for t in TEMPLATES:
        g = nx.DiGraph()
        g.add_nodes_from(s.name for s in t.segments)
        for f in t.internal_feeds:
            if f.cycle_ok:
                loops.add((t.chain, f.from_segment, f.to_segment))
            else:
                g.add_edge(f.from_segment, f.to_segment)
        assert nx.is_directed_acyclic_graph(g), t.chain
        # every segment is reached: the chain's FEEDS graph is connected
        assert nx.is_weakly_connected(g), t.chain
    assert loops == {
        ("先进金属材料（含铝、镁、钼）产业链", "再生金属回收", "铝型材与铝合金"),
        ("先进高分子材料产业链", "废塑料回收再生", "改性塑料与复合材料"),
        ("尼龙新材料产业链", "尼龙回收再生", "尼龙6与尼龙66切片"),
        ("动力电池产业链", "回收利用", "锂钴镍资源"),
        ("纺织服装产业链", "废旧纺织品回收", "化学纤维"),
        ("绿色建材产业链", "建筑垃圾资源化", "新型墙体材料"),
    }


def test_the_review_fixed_the_feeds_it_found_missing_or_reversed() -> None:
    feeds = {
        (f.from_chain, f.from_segment, f.to_chain, f.to_segment) for t in TEMPLATES for f in t.feeds
    }
    im = "智能制造装备产业链"
    assert (im, "工业互联网平台服务", im, "智能工厂应用") in feeds  # the platform serves factories
    assert (im, "智能工厂应用", im, "工业互联网平台服务") not in feeds
    cm = "工程机械产业链"
    assert (cm, "租赁与再制造服务", cm, "基础设施与轨道交通施工") in feeds
    assert (cm, "基础设施与轨道交通施工", cm, "租赁与再制造服务") not in feeds
    steel, pv = "先进钢铁材料产业链", "光伏及风电产业链"
    assert (steel, "钢管与型钢", pv, "光伏支架") in feeds
    assert (pv, "风电铸锻件", pv, "塔筒与基础") in feeds
    # every upstream or midstream segment sells to a segment; every segment past the first
    # stage buys from one, except those whose inputs come from outside the templates
    no_input = set()
    for t in TEMPLATES:
        into = {f.to_segment for f in t.feeds if f.to_chain == t.chain} | {
            f.to_segment for u in TEMPLATES for f in u.cross_feeds if f.to_chain == t.chain
        }
        for s in t.segments:
            if s.stage != "upstream" and s.name not in into:
                no_input.add((t.chain, s.name))
            if s.stage != "downstream":
                assert any(f.from_segment == s.name for f in t.feeds), (t.chain, s.name)
    assert no_input == {
        ("5G及先进计算产业链", "基础软件与中间件"),
        ("半导体材料及器件产业链", "集成电路设计"),
        ("动力电池产业链", "电池管理系统"),
        ("光伏及风电产业链", "光伏逆变器"),
        ("氢能及储能产业链", "物理储能"),
        ("整车及零部件产业链", "汽车电子与电器"),
        ("生物医药（含现代中药）产业链", "医药研发外包"),
    }


def test_segments_sharing_a_code_can_be_told_apart_by_their_product_keywords() -> None:
    # Where one 小类 covers several segments of a chain, the list loader places a firm by
    # the keywords of its name and 主营产品; each such segment needs a keyword of its own.
    ambiguous = 0
    for t in TEMPLATES:
        info = {
            s.name: SegmentInfo("", s.name, s.industry_codes, s.description) for s in t.segments
        }
        for code, names in shared_codes(t).items():
            ambiguous += 1
            for name in names:
                others = set().union(*(segment_keywords(info[n]) for n in names if n != name))
                assert segment_keywords(info[name]) - others, (t.chain, code, name)
    assert ambiguous == 53
