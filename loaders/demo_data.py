"""Deterministic synthetic demo data (示例数据) on top of the real roster and chain templates.

``generate_demo(templates, scale=, seed=)`` invents, for the segments (环节) and
FEEDS edges of the chain templates, a province-wide population of enterprises
and their supply relations, with weak links planted on purpose:

- enterprises (``scale`` of them, ~8 % outside Henan) in the 17 省辖市 and
  济源示范区, weighted like the province's industry (郑州 most, then 洛阳, 新乡,
  许昌 ...), most in a few synthetic parks per city (names end in （示例）); each
  operates in one segment, some in a second one of the same chain; revenue
  (营业收入, 万元) is log-normal; the biggest firms of a segment are 龙头; a few are
  专精特新 or 上市; names are invented (city + word + industry word + 有限公司)
  and unique; 统一社会信用代码 are valid (GB 32100-2015 check character, GB 11714
  organisation code check digit, Henan division codes 41xxxx);
- out-of-province suppliers (``in_province`` false, ``city`` such as 江苏省苏州市,
  no City node or LOCATED_IN);
- SUPPLIES (about ``3 * scale``) only along FEEDS edges: the supplier operates
  in the upstream segment, the customer (an in-province firm) in the
  downstream one; ``product`` is the upstream segment's name, ``value`` 万元;
- planted weaknesses, recorded in the manifest: MISSING segments (缺链: no
  in-province enterprise; each with a 招商清单 target and an 在建 project),
  THIN ones (弱链: 1-2 in-province firms and no 龙头, one firm that is not the
  龙头 with most of the revenue, or capacity (产能) half the local demand),
  DEPENDENT ones (断链: local customers buy the segment's output mostly from
  outside the province, all from a single supplier, mostly from abroad (境外),
  or the segment has an unsolved 卡脖子 technology in the 技术清单), a SEVERITY
  pair (two dependent segments alike in structure, the heavy one with 10x the
  local demand: it must rank above the light one), a STRENGTH (链主: a 龙头 with
  most of the revenue), UNVERIFIED ones (待核实: firms placed by industry code
  only), INSUFFICIENT ones (数据不足: 3 firms, one recorded sale) and a NOTE
  (supplies that do not name their product's segment; every other SUPPLIES row
  names it in ``segment``). Each planted case records the reasons, status and
  strengths the findings must give (``PlantedWeakness.reasons/status/strengths``).
- nothing else is weak by chance: no firm of an unplanted segment earns more than
  MAX_SHARE of it (no 弱链/链主 by concentration), local demand is steered by value
  (at most OUTSIDE_VALUE_SHARE from outside), every selling segment has two
  suppliers and enough recorded sales per firm (no 单一来源/数据不足), and the list
  entries' random 卡脖子 items are solved (已突破).

Everything is a pure function of (templates, scale, seed): ``random.Random``
instances seeded from the seed and a phase name, never the global generator,
the clock or a set's iteration order, so the same inputs give byte-identical
rows. The plan (which segments are planted, and how) depends on the seed and
the templates only, not on the scale. Every row is ``synthetic = true`` with
``source`` :data:`SOURCE` and ``source_ref`` naming the seed and scale.

At small scales every segment has only a few firms, so healthy segments look
thin too; the planted weaknesses stand out from about 10 firms per segment
(the default scale, 5,000, gives ~11 for the 406 shipped segments).
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import itertools
import json
import math
import random
import re
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from chainkg.errors import ChainkgError
from chainkg.graph.ids import city_id, clean_name, org_id, segment_id
from chainkg.loaders.uscc import uscc_check_char

Row = dict[str, Any]

SOURCE = "chainkg demo (示例数据, synthetic)"
AS_OF = dt.date(2024, 12, 31)
"""The date the demo data pretends to describe."""
PREVIOUS_AS_OF = dt.date(2023, 12, 31)
"""The year before: most firms were already listed then (their memberships carry this date)."""
NEW_SHARE_RANGE = (0.03, 0.18)
"""Per chain, the share of in-province firms listed for the first time in the AS_OF year."""
DEFAULT_SCALE = 5_000
DEFAULT_SEED = 61
OUT_OF_PROVINCE_SHARE = 0.08
SUPPLIES_PER_ENTERPRISE = 3
IN_PARK_SHARE = 0.75
SECOND_SEGMENT_SHARE = 0.12
LOCAL_SUPPLY_SHARE = 0.8
"""Share of a healthy segment's supplies that come from in-province firms."""
DEPENDENT_LOCAL_SHARE = 0.1
"""Share for a DEPENDENT (external) segment: most of its output comes from outside."""
FOREIGN_SHARE = 0.6
"""Share of a FOREIGN (dependent) segment's supplies that come from abroad."""
CAPACITY_FACTOR = 0.5
"""A CAPACITY (thin) segment's firms together can make this share of its local demand."""
HEAVY_FACTOR = 10.0
"""The SEVERITY pair: the HEAVY segment's local demand is at least this many times the LIGHT's."""
FOREIGN_PLACES = (("日本", "日本东京都"), ("德国", "德国斯图加特"), ("韩国", "韩国首尔"))
DOMINANT_FACTOR = 6.0
"""A THIN (concentrated) segment's top firm earns this many times all the others together."""


@dataclass(frozen=True)
class CityInfo:
    """A city: name, short name (name prefix), division code (GB/T 2260), weight in the demo."""

    name: str
    short: str
    code: str
    weight: float


HENAN_CITIES: tuple[CityInfo, ...] = (
    CityInfo("郑州市", "郑州", "410100", 20),
    CityInfo("开封市", "开封", "410200", 4),
    CityInfo("洛阳市", "洛阳", "410300", 11),
    CityInfo("平顶山市", "平顶山", "410400", 4.5),
    CityInfo("安阳市", "安阳", "410500", 4.5),
    CityInfo("鹤壁市", "鹤壁", "410600", 2),
    CityInfo("新乡市", "新乡", "410700", 7.5),
    CityInfo("焦作市", "焦作", "410800", 5),
    CityInfo("濮阳市", "濮阳", "410900", 3),
    CityInfo("许昌市", "许昌", "411000", 7),
    CityInfo("漯河市", "漯河", "411100", 3),
    CityInfo("三门峡市", "三门峡", "411200", 2.5),
    CityInfo("南阳市", "南阳", "411300", 6),
    CityInfo("商丘市", "商丘", "411400", 4),
    CityInfo("信阳市", "信阳", "411500", 3.5),
    CityInfo("周口市", "周口", "411600", 4),
    CityInfo("驻马店市", "驻马店", "411700", 3.5),
    CityInfo("济源示范区", "济源", "419001", 2),
)
"""The 17 省辖市 and 济源示范区, with their division codes."""

OUT_OF_PROVINCE_CITIES: tuple[CityInfo, ...] = (
    CityInfo("江苏省苏州市", "苏州", "320500", 8),
    CityInfo("广东省深圳市", "深圳", "440300", 8),
    CityInfo("上海市", "上海", "310100", 7),
    CityInfo("浙江省宁波市", "宁波", "330200", 5),
    CityInfo("浙江省杭州市", "杭州", "330100", 4),
    CityInfo("湖北省武汉市", "武汉", "420100", 5),
    CityInfo("北京市", "北京", "110100", 5),
    CityInfo("山东省青岛市", "青岛", "370200", 4),
    CityInfo("安徽省合肥市", "合肥", "340100", 4),
    CityInfo("江苏省无锡市", "无锡", "320200", 3),
    CityInfo("陕西省西安市", "西安", "610100", 3),
    CityInfo("四川省成都市", "成都", "510100", 3),
    CityInfo("天津市", "天津", "120100", 3),
    CityInfo("福建省厦门市", "厦门", "350200", 2),
)

# (name after the city's short name, level, kind); 郑州 also gets the 航空港区.
_PARK_TYPES = (
    ("高新技术产业开发区", "国家级", "高新区"),
    ("经济技术开发区", "国家级", "经开区"),
    ("先进制造业开发区", "省级", "开发区"),
    ("产业集聚区", "省级", "产业集聚区"),
)
_WORD_FIRST = "恒瑞华宏鑫盛泰金中新天丰永昌隆元嘉信德安博汇佳正明光亿达远豪航"
_WORD_SECOND = "泰丰达盛源通宇诚兴业创力鼎科辉瑞邦祥安凯锐晟昊润"
_INDUSTRY_SUFFIXES = ("制造", "应用", "加工", "生产", "服务", "环节", "产品")
_MISSING_SHARE, _THIN_SHARE, _DEPENDENT_SHARE = 0.04, 0.06, 0.06
_MAX_PLANTED_PER_CHAIN = 3
# Plans whose local demand is met mostly from outside the province (断链 by local ratio).
_EXTERNAL_PLANS = (("dependent", "external"), ("dependent", "heavy"), ("dependent", "light"))
# Plans whose concentration is the point (the HHI cap of healthy segments spares them).
_CONCENTRATED_PLANS = (("thin", "few"), ("thin", "concentrated"), ("strength", "chain_leader"))
_FIXED_FIRMS = 3
"""Firms of a SPARSE or SINGLE_SOURCE segment: >= min_enterprises (3), few enough that
every one of them can be matched by recorded sales (single source) or clearly not (sparse)."""
MAX_SHARE = 0.45
"""Largest revenue share of one firm in a segment not planted concentrated: its HHI stays
at most this (HHI <= max share), below the 0.5 threshold, so no 弱链 or 链主 by chance."""
OUTSIDE_VALUE_SHARE = 0.2
"""At most this share of a healthy segment's local demand (by value) comes from outside."""
SPARSE_EDGES_PER_FIRM = 0.5
"""The findings' default ``sparse_edges_per_firm``: every segment but SPARSE gets at least
this many local-demand edges per capable firm (and two suppliers), so none is 数据不足."""


class SegmentLike(Protocol):
    """What the generator reads of a segment template."""

    @property
    def chain(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def industry_codes(self) -> Sequence[str]: ...


class FeedLike(Protocol):
    """What the generator reads of a FEEDS template."""

    @property
    def from_chain(self) -> str: ...
    @property
    def from_segment(self) -> str: ...
    @property
    def to_chain(self) -> str: ...
    @property
    def to_segment(self) -> str: ...


class TemplateLike(Protocol):
    """What the generator reads of a chain template (``loaders.chain_templates.ChainTemplate``)."""

    @property
    def chain(self) -> str: ...
    @property
    def segments(self) -> Sequence[SegmentLike]: ...
    @property
    def feeds(self) -> Sequence[FeedLike]: ...


@dataclass(frozen=True)
class PlantedWeakness:
    """A segment made weak on purpose, how, and the numbers that show it."""

    kind: str  # missing | thin | dependent | strength | unverified | insufficient | note
    # missing: none; thin: few | concentrated | capacity; dependent: external | single_source
    # | foreign | choke | heavy | light (the severity pair: heavy ranks above light);
    # strength: chain_leader; unverified: inferred; insufficient: sparse; note: untagged
    variant: str
    chain: str
    segment: str
    segment_id: str
    evidence: dict[str, Any] = field(default_factory=dict, compare=False)
    # What the weak-link findings must say of the segment at their default thresholds:
    # exactly these reason codes, this status and these strengths (docs/weak-links.md).
    reasons: tuple[str, ...] = ()
    status: str = "ok"
    strengths: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON shape."""
        return {
            "kind": self.kind,
            "variant": self.variant,
            "chain": self.chain,
            "segment": self.segment,
            "segment_id": self.segment_id,
            "evidence": dict(self.evidence),
            "reasons": list(self.reasons),
            "status": self.status,
            "strengths": list(self.strengths),
        }


@dataclass(frozen=True)
class DemoManifest:
    """Which segments the generator left MISSING, THIN or DEPENDENT (in template order)."""

    seed: int
    scale: int
    planted: tuple[PlantedWeakness, ...]

    def segment_ids(self, kind: str, variant: str | None = None) -> list[str]:
        """Ids of the segments planted as ``kind`` (and ``variant``, if given)."""
        return [
            p.segment_id
            for p in self.planted
            if p.kind == kind and (variant is None or p.variant == variant)
        ]

    def to_dict(self) -> dict[str, Any]:
        """JSON shape (what ``chainkg demo --manifest`` would write)."""
        return {
            "seed": self.seed,
            "scale": self.scale,
            "planted": [p.to_dict() for p in self.planted],
        }


@dataclass(frozen=True)
class DemoTable:
    """One node label or (relationship type, from, to) of the demo, with a row factory."""

    name: str
    size: int
    rows: Callable[[], Iterator[Row]]
    from_label: str | None = None
    to_label: str | None = None

    @property
    def is_rel(self) -> bool:
        """Whether the table holds relationships."""
        return self.from_label is not None


@dataclass
class _Segment:
    index: int
    chain: str
    name: str
    id: str
    industry_code: str | None
    word: str
    weight: float
    upstream: list[int] = field(default_factory=list)
    downstream: list[int] = field(default_factory=list)
    plan: tuple[str, str] | None = None  # (kind, variant)
    chain_id: str = ""
    local: list[int] = field(default_factory=list)  # in-province firms (primary segment)
    outside: list[int] = field(default_factory=list)  # out-of-province firms
    local_cum: list[float] = field(default_factory=list)


@dataclass(slots=True)
class _Firm:
    id: str
    name: str
    uscc: str
    city: str
    in_province: bool
    park: int  # index into parks, -1 for none
    segment: int
    revenue: float
    employees: int
    leader: bool = False
    specialized: bool = False
    listed: bool = False
    second: int = -1  # a second segment, -1 for none
    country: str = "中国"
    capacity: float | None = None
    new: bool = False  # first listed in the AS_OF year (its memberships dated AS_OF)


@dataclass
class DemoData:
    """The generated demo: rows per table (built lazily from compact data) and the manifest."""

    seed: int
    scale: int
    manifest: DemoManifest
    parks: list[Row]
    _firms: list[_Firm]
    _segments: list[_Segment]
    _supplies: tuple[array, array, array, array]  # supplier, customer, segment, value
    # List entries (技术清单, 招商清单, 项目清单) and their relations:
    # (table name, from label, to label, rows), nodes first.
    _lists: list[tuple[str, str | None, str | None, list[Row]]] = field(default_factory=list)

    @property
    def provenance(self) -> Row:
        """The provenance properties every demo row carries."""
        return {
            "source": SOURCE,
            "source_ref": f"seed={self.seed}, scale={self.scale}",
            "as_of": AS_OF,
            "synthetic": True,
        }

    @property
    def segment_ids(self) -> list[str]:
        """Ids of the template segments the demo populates, in template order."""
        return [s.id for s in self._segments]

    @property
    def organization_ids(self) -> list[str]:
        """Ids of the demo's enterprises, in generation order."""
        return [f.id for f in self._firms]

    def tables(self) -> list[DemoTable]:
        """Every table of the demo, nodes first, in load order."""
        firms, parks = self._firms, self.parks
        local = sum(1 for f in firms if f.in_province)
        in_park = sum(1 for f in firms if f.park >= 0)
        operates = len(firms) + sum(1 for f in firms if f.second >= 0)
        return [
            DemoTable("Park", len(parks), self._park_rows),
            DemoTable("Organization", len(firms), self._org_rows),
            DemoTable("LOCATED_IN", len(parks), self._park_city_rows, "Park", "City"),
            DemoTable("LOCATED_IN", local, self._org_city_rows, "Organization", "City"),
            DemoTable("IN_PARK", in_park, self._in_park_rows, "Organization", "Park"),
            DemoTable("OPERATES_IN", operates, self._operates_rows, "Organization", "Segment"),
            DemoTable(
                "SUPPLIES",
                len(self._supplies[0]),
                self._supply_rows,
                "Organization",
                "Organization",
            ),
            *(
                DemoTable(name, len(rows), self._entry_rows(rows), a, b)
                for name, a, b, rows in self._lists
            ),
        ]

    def counts(self) -> dict[str, int]:
        """Rows per table name (LOCATED_IN summed over its endpoint pairs)."""
        out: dict[str, int] = {}
        for t in self.tables():
            out[t.name] = out.get(t.name, 0) + t.size
        return out

    def digest(self) -> str:
        """SHA-256 over every row in order (equal digests: byte-identical data)."""
        h = hashlib.sha256()
        for table in self.tables():
            h.update(f"#{table.name}:{table.from_label}:{table.to_label}\n".encode())
            for row in table.rows():
                h.update(json.dumps(row, ensure_ascii=False, default=str).encode())
                h.update(b"\n")
        return h.hexdigest()

    def _entry_rows(self, rows: list[Row]) -> Callable[[], Iterator[Row]]:
        def make() -> Iterator[Row]:
            prov = self.provenance
            for row in rows:
                yield {**row, **prov}

        return make

    def _park_rows(self) -> Iterator[Row]:
        prov = self.provenance
        for park in self.parks:
            yield {**park, **prov}

    def _park_city_rows(self) -> Iterator[Row]:
        prov = self.provenance
        for park in self.parks:
            yield {"from_id": park["id"], "to_id": city_id(park["city"]), **prov}

    def _org_rows(self) -> Iterator[Row]:
        prov = self.provenance
        segments = self._segments
        for f in self._firms:
            yield {
                "id": f.id,
                "name": f.name,
                "kind": "enterprise",
                "uscc": f.uscc,
                "city": f.city,
                "in_province": f.in_province,
                "province": "河南省" if f.in_province else province_of(f.city),
                "country": f.country,
                "capacity": f.capacity,
                "revenue": f.revenue,
                "employees": f.employees,
                "leader": f.leader,
                "specialized": f.specialized,
                "listed": f.listed,
                "industry_code": segments[f.segment].industry_code,
                **prov,
            }

    def _dated(self) -> tuple[Row, Row]:
        """Provenance of facts first listed the year before, and of those listed this year."""
        prov = self.provenance
        return {**prov, "as_of": PREVIOUS_AS_OF}, prov

    def _org_city_rows(self) -> Iterator[Row]:
        old, new = self._dated()
        for f in self._firms:
            if f.in_province:
                yield {"from_id": f.id, "to_id": city_id(f.city), **(new if f.new else old)}

    def _in_park_rows(self) -> Iterator[Row]:
        old, new = self._dated()
        for f in self._firms:
            if f.park >= 0:
                yield {
                    "from_id": f.id,
                    "to_id": self.parks[f.park]["id"],
                    **(new if f.new else old),
                }

    def _operates_rows(self) -> Iterator[Row]:
        old, new = self._dated()
        old, new = {**old, "inferred": False}, {**new, "inferred": False}
        segments = self._segments
        for f in self._firms:
            seg = segments[f.segment]
            prov = new if f.new else old
            # An UNVERIFIED segment's local firms were placed by industry code only.
            if seg.plan == ("unverified", "inferred") and f.in_province:
                prov = {**prov, "inferred": True}
            yield {"from_id": f.id, "to_id": seg.id, **prov}
            if f.second >= 0:
                yield {"from_id": f.id, "to_id": segments[f.second].id, **prov}

    def _supply_rows(self) -> Iterator[Row]:
        old, new = self._dated()
        firms, segments = self._firms, self._segments
        for s, c, g, v in zip(*self._supplies, strict=True):
            seg = segments[g]
            yield {
                "from_id": firms[s].id,
                "to_id": firms[c].id,
                "product": seg.name,
                "value": v,
                # The product's segment, except where a NOTE (untagged) is planted.
                "segment": None if seg.plan == ("note", "untagged") else seg.id,
                **(new if firms[s].new or firms[c].new else old),
            }

    def chain_firms(self) -> dict[str, list[Row]]:
        """Per chain, its in-province firms (id, name, city, segment id, new), template order."""
        out: dict[str, list[Row]] = {}
        for seg in self._segments:
            mine = out.setdefault(seg.chain, [])
            for i in seg.local:
                f = self._firms[i]
                mine.append(
                    {"id": f.id, "name": f.name, "city": f.city, "segment_id": seg.id, "new": f.new}
                )
        return out

    def segments_by_chain(self) -> dict[str, list[tuple[str, str, str]]]:
        """Per chain, its segments as (id, name, industry word), template order."""
        out: dict[str, list[tuple[str, str, str]]] = {}
        for seg in self._segments:
            out.setdefault(seg.chain, []).append((seg.id, seg.name, seg.word))
        return out


def province_of(city: str) -> str | None:
    """The province of an out-of-province place name: 江苏省苏州市 -> 江苏省, 上海市 -> 上海市."""
    if "省" in city:
        return city[: city.index("省") + 1]
    for municipality in ("北京市", "上海市", "天津市", "重庆市"):
        if city.startswith(municipality):
            return municipality
    return None


def park_id(name: str) -> str:
    """Id of a park (园区) by name."""
    return f"park:{clean_name(name)}"


def industry_word(segment_name: str) -> str:
    """The word a company name takes from its segment: ``模组与PACK`` -> ``模组``, ``电芯制造`` -> ``电芯``."""
    text = re.sub(r"[（(].*?[)）]", "", segment_name)
    text = re.split(r"[、/及与和,，;；]", text)[0].strip()
    for suffix in _INDUSTRY_SUFFIXES:
        if text.endswith(suffix) and len(text) - len(suffix) >= 2:
            text = text[: -len(suffix)]
            break
    return text[:8] or "实业"


def organization_code(serial: int) -> str:
    """A 9-character 组织机构代码 (GB 11714): 8 digits from ``serial`` and its check character."""
    body = f"{serial % 100_000_000:08d}"
    total = sum(int(c) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def make_uscc(division_code: str, serial: int) -> str:
    """A valid 统一社会信用代码 of an enterprise (登记管理部门 9, 类别 1) in ``division_code``."""
    first17 = "91" + division_code + organization_code(serial)
    return first17 + uscc_check_char(first17)


def _rng(seed: int, phase: str) -> random.Random:
    # A string seed is hashed with SHA-512: stable across runs and Python versions.
    return random.Random(f"chainkg-demo:{seed}:{phase}")


def _segments(templates: Sequence[TemplateLike], rng: random.Random) -> list[_Segment]:
    segments: list[_Segment] = []
    by_key: dict[tuple[str, str], int] = {}
    for template in templates:
        for s in template.segments:
            codes = list(s.industry_codes)
            seg = _Segment(
                index=len(segments),
                chain=template.chain,
                name=s.name,
                id=segment_id(template.chain, s.name),
                industry_code=codes[0] if codes else None,
                word=industry_word(s.name),
                weight=rng.lognormvariate(0.0, 0.6),
            )
            by_key[(template.chain, s.name)] = seg.index
            segments.append(seg)
    for template in templates:
        for feed in template.feeds:
            a = by_key.get((feed.from_chain, feed.from_segment))
            b = by_key.get((feed.to_chain, feed.to_segment))
            if a is None or b is None:
                raise ChainkgError(
                    f"the chain templates' FEEDS edge {feed.from_chain}/{feed.from_segment} -> "
                    f"{feed.to_chain}/{feed.to_segment} names a segment no template has",
                    hint="load the templates with loaders.chain_templates.load_templates(), "
                    "which checks every edge",
                )
            if a != b and b not in segments[a].downstream:
                segments[a].downstream.append(b)
                segments[b].upstream.append(a)
    if not segments:
        raise ChainkgError("the demo needs chain templates with segments; none were given")
    return segments


def _plan(segments: list[_Segment], rng: random.Random) -> None:
    """Choose the MISSING, THIN and DEPENDENT segments (sets ``plan``; scale-independent)."""
    n = len(segments)
    per_chain: dict[str, int] = {}
    order = list(range(n))
    rng.shuffle(order)

    def take(
        count: int, ok: Callable[[_Segment], bool], kind: str, variants: Sequence[str]
    ) -> None:
        taken = 0
        for i in order:
            if taken == count:
                return
            seg = segments[i]
            if (
                seg.plan is None
                and per_chain.get(seg.chain, 0) < _MAX_PLANTED_PER_CHAIN
                and ok(seg)
            ):
                seg.plan = (kind, variants[taken % len(variants)])
                per_chain[seg.chain] = per_chain.get(seg.chain, 0) + 1
                taken += 1

    def kind_of(i: int) -> str | None:
        plan = segments[i].plan
        return plan[0] if plan else None

    missing_chains: set[str] = set()

    def missing_ok(seg: _Segment) -> bool:
        # Some local demand for what the missing segment makes, met from outside;
        # at most one missing segment a chain, and never two missing neighbours.
        ok = (
            bool(seg.downstream)
            and seg.chain not in missing_chains
            and all(kind_of(j) != "missing" for j in seg.downstream + seg.upstream)
            and all(kind_of(j) != "dependent" for j in seg.upstream)
        )
        if ok:
            missing_chains.add(seg.chain)
        return ok

    # SEVERITY ordering: two in-chain source segments of one chain with the same customer
    # segments, both DEPENDENT (external); equal structure (betweenness 0, no articulation,
    # the same downstream revenue), so the one with more local demand (HEAVY) must rank
    # above the other (LIGHT). Planted first, so that a chain always has room for both.
    _plant_pair(segments, order, per_chain)

    take(max(1, round(n * _MISSING_SHARE)), missing_ok, "missing", ("none",))

    def dependent_ok(seg: _Segment) -> bool:
        return (
            bool(seg.downstream)
            and any(kind_of(j) is None for j in seg.downstream)
            and all(kind_of(j) != "missing" for j in seg.upstream)
        )

    take(
        max(2, round(n * _DEPENDENT_SHARE)),
        dependent_ok,
        "dependent",
        ("external", "single_source"),
    )

    def thin_ok(seg: _Segment) -> bool:
        # The customers of a missing or dependent segment's output stay healthy.
        return all(kind_of(j) is None for j in seg.upstream)

    take(max(2, round(n * _THIN_SHARE)), thin_ok, "thin", ("few", "concentrated"))

    def feeding_ok(seg: _Segment) -> bool:
        # Local demand to measure, and customers that stay healthy.
        return (
            bool(seg.downstream)
            and any(kind_of(j) is None for j in seg.downstream)
            and all(kind_of(j) is None for j in seg.upstream)
        )

    # The rules of issue 13, one or two segments each (after the others, so that the
    # segments planted above do not move).
    take(2, feeding_ok, "dependent", ("foreign", "choke"))
    take(1, feeding_ok, "insufficient", ("sparse",))
    take(1, feeding_ok, "thin", ("capacity",))
    take(1, thin_ok, "strength", ("chain_leader",))
    take(1, thin_ok, "unverified", ("inferred",))
    take(1, feeding_ok, "note", ("untagged",))


def _plant_pair(segments: list[_Segment], order: list[int], per_chain: dict[str, int]) -> None:
    """Plan the SEVERITY pair: the first two in-chain sources (shuffled order) of one chain
    that feed exactly the same segments become DEPENDENT heavy and light."""
    sources: dict[tuple[str, tuple[int, ...]], int] = {}
    for i in order:
        seg = segments[i]
        if not seg.downstream or any(segments[j].chain == seg.chain for j in seg.upstream):
            continue
        key = (seg.chain, tuple(sorted(seg.downstream)))
        first = sources.setdefault(key, i)
        if first != i and per_chain.get(seg.chain, 0) + 2 <= _MAX_PLANTED_PER_CHAIN:
            segments[first].plan = ("dependent", "heavy")
            seg.plan = ("dependent", "light")
            per_chain[seg.chain] = per_chain.get(seg.chain, 0) + 2
            return


def _largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` (exact, deterministic)."""
    wsum = sum(weights)
    quotas = [total * w / wsum for w in weights]
    counts = [math.floor(q) for q in quotas]
    rest = total - sum(counts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - quotas[i], i))
    for i in by_remainder[:rest]:
        counts[i] += 1
    return counts


def minimum_scale(templates: Sequence[TemplateLike], seed: int = DEFAULT_SEED) -> int:
    """The smallest ``scale`` the templates allow: one firm per segment that is not MISSING, ..."""
    segments = _segments(templates, _rng(seed, "segments"))
    _plan(segments, _rng(seed, "plan"))
    return _minimum(segments)


def _out_needs(segments: list[_Segment]) -> list[int]:
    return [
        s.index
        for s in segments
        if s.plan in (("missing", "none"), ("dependent", "foreign"), *_EXTERNAL_PLANS)
    ]


def _minimum(segments: list[_Segment]) -> int:
    local = sum(
        0
        if s.plan == ("missing", "none")
        else 2
        if s.plan == ("thin", "few")
        else _FIXED_FIRMS
        if s.plan in (("insufficient", "sparse"), ("dependent", "single_source"))
        else 1
        for s in segments
    )
    return local + 2 * len(_out_needs(segments))


class _Namer:
    """Unique, plausible company names: city + word + industry word + legal form."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self.words2 = [a + b for a in _WORD_FIRST for b in _WORD_SECOND if a != b]
        self.words3 = [w + c for w in self.words2 for c in _WORD_SECOND if c not in w]

    def name(self, city: str, industry: str, revenue: float) -> str:
        rng = self.rng
        for attempt in range(200):
            words = self.words2 if attempt < 40 else self.words3
            word = words[rng.randrange(len(words))]
            if revenue >= 200_000:
                form = rng.choice(("股份有限公司", "股份有限公司", "集团有限公司", "有限公司"))
            else:
                form = rng.choice(
                    (
                        "有限公司",
                        "有限公司",
                        "有限公司",
                        "科技有限公司",
                        "科技有限公司",
                        "股份有限公司",
                        "实业有限公司",
                    )
                )
            name = f"{city}{word}{industry}{form}"
            if name not in self.used:
                self.used.add(name)
                return name
        raise ChainkgError(f"cannot invent another unique name for {city} {industry}")


def _parks(rng: random.Random) -> tuple[list[Row], dict[str, list[int]]]:
    parks: list[Row] = []
    by_city: dict[str, list[int]] = {}
    for city in HENAN_CITIES:
        count = 1 + (city.weight >= 4) + (city.weight >= 7)
        names: list[tuple[str, str, str]] = []
        if city.short == "郑州":
            names.append(("郑州航空港经济综合实验区", "国家级", "航空港区"))
        names += [(f"{city.short}{t}", level, kind) for t, level, kind in _PARK_TYPES[:count]]
        for name, level, kind in names:
            full = f"{name}（示例）"
            by_city.setdefault(city.name, []).append(len(parks))
            parks.append(
                {
                    "id": park_id(full),
                    "name": full,
                    "city": city.name,
                    "level": level,
                    "kind": kind,
                    "area_km2": round(rng.uniform(8.0, 120.0), 1),
                }
            )
    return parks, by_city


def generate_demo(
    templates: Sequence[TemplateLike],
    *,
    scale: int = DEFAULT_SCALE,
    seed: int = DEFAULT_SEED,
    supplies: int | None = None,
) -> DemoData:
    """The demo dataset for ``templates``: ``scale`` enterprises, ~3x supplies, a manifest.

    ``supplies`` is the number of SUPPLIES to aim at (default ``3 * scale``; fewer
    come out when the FEEDS edges do not offer enough distinct supplier pairs).
    Pure and deterministic: the same templates, scale, seed and supplies give
    equal rows. ChainkgError if ``scale`` is below :func:`minimum_scale`.
    """
    segments = _segments(templates, _rng(seed, "segments"))
    _plan(segments, _rng(seed, "plan"))
    minimum = _minimum(segments)
    if scale < minimum:
        raise ChainkgError(
            f"scale {scale} is too small for {len(segments)} segments: the demo needs at "
            f"least {minimum} enterprises",
            hint=f"give a scale of at least {minimum} (default {DEFAULT_SCALE})",
        )
    parks, parks_by_city = _parks(_rng(seed, "parks"))
    needs_out = _out_needs(segments)
    n_out = min(
        max(round(scale * OUT_OF_PROVINCE_SHARE), 2 * len(needs_out)),
        scale - minimum + 2 * len(needs_out),
    )
    n_in = scale - n_out
    firms: list[_Firm] = []
    namer = _Namer(_rng(seed, "names"))
    serial_rng = _rng(seed, "uscc")
    serial_offset, serial_step = serial_rng.randrange(10**8), 48_271
    _local_firms(
        segments, firms, n_in, parks_by_city, namer, _rng(seed, "firms"), serial_offset, serial_step
    )
    _outside_firms(
        segments, firms, n_out, needs_out, namer, _rng(seed, "outside"), serial_offset, serial_step
    )
    _second_segments(segments, firms, _rng(seed, "second"))
    _cap_shares(segments, firms)
    _new_firms(segments, firms, _rng(seed, "years"))
    target = SUPPLIES_PER_ENTERPRISE * scale if supplies is None else supplies
    links = _supplies(segments, firms, target, _rng(seed, "supplies"))
    _set_capacity(segments, firms, links)
    _weigh_pair(segments, links)
    lists = _list_entries(segments, firms, _rng(seed, "lists"))
    manifest = DemoManifest(seed, scale, _evidence(segments, firms, links, lists))
    return DemoData(seed, scale, manifest, parks, firms, segments, links, lists)


def _list_entries(
    segments: list[_Segment], firms: list[_Firm], rng: random.Random
) -> list[tuple[str, str | None, str | None, list[Row]]]:
    """The 技术清单, 招商清单 and 项目清单 entries the plan needs (nodes first).

    A CHOKE segment gets a 卡脖子 technology (攻关中) and, beside it, a solved one (已突破)
    that must not count; every MISSING segment gets a 招商清单 target (its largest
    out-of-province firm, 重点) and an 在建 project in a Henan city.
    """
    techs: list[Row] = []
    targets: list[Row] = []
    projects: list[Row] = []
    in_segment: dict[str, list[Row]] = {"Technology": [], "InvestmentTarget": [], "Project": []}
    concerns: list[Row] = []

    def link(label: str, entry_id: str, seg: _Segment) -> None:
        # IN_SEGMENT only: the demo may sit on templates without Chain nodes (LISTED_FOR).
        in_segment[label].append({"from_id": entry_id, "to_id": seg.id})

    for seg in segments:
        if seg.plan == ("dependent", "choke"):
            for status, choke in (("攻关中", True), ("已突破", True)):
                name = f"{seg.word}关键技术{'攻关' if status == '攻关中' else '示范'}（示例）"
                tid = f"technology:{clean_name(seg.chain)}/{clean_name(name)}"
                techs.append(
                    {
                        "id": tid,
                        "name": name,
                        "choke": choke,
                        "status": status,
                        "description": "卡脖子技术（示例数据）",
                    }
                )
                link("Technology", tid, seg)
        if seg.plan == ("missing", "none") and seg.outside:
            best = max(seg.outside, key=lambda i: (firms[i].revenue, firms[i].id))
            firm = firms[best]
            tid = f"target:{clean_name(seg.chain)}/{clean_name(firm.name)}"
            targets.append(
                {
                    "id": tid,
                    "name": firm.name,
                    "origin": firm.city,
                    "reason": f"补齐{seg.name}环节",
                    "priority": "重点",
                    "status": "洽谈",
                }
            )
            link("InvestmentTarget", tid, seg)
            concerns.append({"from_id": tid, "to_id": firm.id, "role": "target"})
            city = HENAN_CITIES[rng.randrange(len(HENAN_CITIES))]
            name = f"{city.short}{seg.word}产业化项目（示例）"
            pid = f"project:{clean_name(seg.chain)}/{clean_name(name)}"
            projects.append(
                {
                    "id": pid,
                    "name": name,
                    "city": city.name,
                    "investment": float(rng.randrange(20, 200) * 1000),
                    "status": "在建",
                    "start_year": 2024,
                }
            )
            link("Project", pid, seg)
    out: list[tuple[str, str | None, str | None, list[Row]]] = []
    for label, rows in (
        ("Technology", techs),
        ("InvestmentTarget", targets),
        ("Project", projects),
    ):
        if rows:
            out.append((label, None, None, rows))
    for label in ("Technology", "InvestmentTarget", "Project"):
        if in_segment[label]:
            out.append(("IN_SEGMENT", label, "Segment", in_segment[label]))
    if concerns:
        out.append(("CONCERNS", "InvestmentTarget", "Organization", concerns))
    return out


def _local_firms(
    segments: list[_Segment],
    firms: list[_Firm],
    n_in: int,
    parks_by_city: dict[str, list[int]],
    namer: _Namer,
    rng: random.Random,
    serial_offset: int,
    serial_step: int,
) -> None:
    # A THIN (few) segment that sells to local customers has 2 firms (two suppliers, so no
    # single source); an end segment may have 1.
    fixed = {
        s.index: 2 if s.downstream else rng.choice((1, 2))
        for s in segments
        if s.plan == ("thin", "few")
    }
    fixed.update(
        {
            s.index: _FIXED_FIRMS
            for s in segments
            if s.plan in (("insufficient", "sparse"), ("dependent", "single_source"))
        }
    )
    open_ = [s for s in segments if s.plan != ("missing", "none") and s.index not in fixed]
    budget = n_in - sum(fixed.values())
    base = max(1, min(3, budget // max(1, len(open_))))
    extra = _largest_remainder(budget - base * len(open_), [s.weight for s in open_])
    counts = dict(fixed)
    for s, e in zip(open_, extra, strict=True):
        counts[s.index] = base + e
    city_cum = list(itertools.accumulate(c.weight for c in HENAN_CITIES))
    for seg in segments:
        made: list[_Firm] = []
        for _ in range(counts.get(seg.index, 0)):
            city = HENAN_CITIES[bisect.bisect_right(city_cum, rng.random() * city_cum[-1])]
            revenue = round(rng.lognormvariate(math.log(15_000), 1.0), 1)
            parks = parks_by_city[city.name]
            park = parks[rng.randrange(len(parks))] if rng.random() < IN_PARK_SHARE else -1
            name = namer.name(city.short, seg.word, revenue)
            serial = serial_offset + serial_step * len(firms)
            firm = _Firm(
                id=org_id(name),
                name=name,
                uscc=make_uscc(city.code, serial),
                city=city.name,
                in_province=True,
                park=park,
                segment=seg.index,
                revenue=revenue,
                employees=max(8, int(revenue / rng.lognormvariate(math.log(60), 0.5))),
                specialized=revenue < 50_000 and rng.random() < 0.08,
            )
            seg.local.append(len(firms))
            firms.append(firm)
            made.append(firm)
        _mark_leaders(seg, made, rng)
        seg.local_cum = list(itertools.accumulate(firms[i].revenue for i in seg.local))


def _mark_leaders(seg: _Segment, made: list[_Firm], rng: random.Random) -> None:
    if not made or seg.plan == ("thin", "few"):
        return  # a THIN (few) segment has no 龙头
    ranked = sorted(made, key=lambda f: (-f.revenue, f.id))
    if seg.plan in (("thin", "concentrated"), ("strength", "chain_leader")):
        top = ranked[0]
        others = sum(f.revenue for f in ranked[1:])
        top.revenue = round(max(top.revenue, DOMINANT_FACTOR * others), 1)
        top.employees = max(top.employees, int(top.revenue / 60))
        # 链主 when the dominant firm is the 龙头; 弱链 (concentrated) when it is not.
        ranked = [top] if seg.plan[0] == "strength" or len(ranked) < 2 else ranked[1:2]
    leaders = 1 + (len(made) >= 40) + (len(made) >= 150)
    for f in ranked[:leaders]:
        f.leader = True
        f.specialized = False
        f.listed = rng.random() < 0.5
    for f in ranked[leaders:]:
        f.listed = f.revenue >= 100_000 and rng.random() < 0.3


def _outside_firms(
    segments: list[_Segment],
    firms: list[_Firm],
    n_out: int,
    needs_out: list[int],
    namer: _Namer,
    rng: random.Random,
    serial_offset: int,
    serial_step: int,
) -> None:
    counts = dict.fromkeys(needs_out, 2)
    suppliers = [s for s in segments if s.downstream]
    rest = n_out - 2 * len(needs_out)
    for s, e in zip(
        suppliers, _largest_remainder(rest, [s.weight for s in suppliers]), strict=True
    ):
        counts[s.index] = counts.get(s.index, 0) + e
    city_cum = list(itertools.accumulate(c.weight for c in OUT_OF_PROVINCE_CITIES))
    for seg in segments:
        for _ in range(counts.get(seg.index, 0)):
            city = OUT_OF_PROVINCE_CITIES[
                bisect.bisect_right(city_cum, rng.random() * city_cum[-1])
            ]
            revenue = round(rng.lognormvariate(math.log(50_000), 1.2), 1)
            country, place = "中国", city.name
            if seg.plan == ("dependent", "foreign"):
                country, place = FOREIGN_PLACES[len(seg.outside) % len(FOREIGN_PLACES)]
            name = namer.name(city.short if country == "中国" else place[:2], seg.word, revenue)
            serial = serial_offset + serial_step * len(firms)
            seg.outside.append(len(firms))
            firms.append(
                _Firm(
                    id=org_id(name),
                    name=name,
                    uscc=make_uscc(city.code, serial),
                    city=place,
                    in_province=False,
                    park=-1,
                    segment=seg.index,
                    revenue=revenue,
                    employees=max(8, int(revenue / rng.lognormvariate(math.log(70), 0.5))),
                    listed=revenue >= 100_000 and rng.random() < 0.3,
                    country=country,
                )
            )


def _new_firms(segments: list[_Segment], firms: list[_Firm], rng: random.Random) -> None:
    """Mark the in-province firms first listed in the AS_OF year (the rest: a year earlier).

    Per chain a share drawn from NEW_SHARE_RANGE, among the firms of healthy segments that
    are not 龙头, so that the planted weak links and the leaders stand in both years.
    """
    by_chain: dict[str, list[_Segment]] = {}
    for seg in segments:
        by_chain.setdefault(seg.chain, []).append(seg)
    for chain_segments in by_chain.values():
        share = rng.uniform(*NEW_SHARE_RANGE)
        for seg in chain_segments:
            if seg.plan is not None:
                continue
            for i in seg.local:
                if not firms[i].leader and rng.random() < share:
                    firms[i].new = True


def _second_segments(segments: list[_Segment], firms: list[_Firm], rng: random.Random) -> None:
    """Some in-province firms of healthy segments also operate in a neighbouring healthy one."""
    for seg in segments:
        if seg.plan is not None:
            continue
        near = [
            j
            for j in seg.upstream + seg.downstream
            if segments[j].plan is None and segments[j].chain == seg.chain
        ]
        if not near:
            continue
        for i in seg.local:
            if rng.random() < SECOND_SEGMENT_SHARE:
                firms[i].second = near[rng.randrange(len(near))]


def _capped_shares(total: int, weights: list[float], caps: list[int]) -> list[int]:
    """``total`` split in proportion to ``weights``, no share above its cap (water-filling)."""
    counts = [0] * len(weights)
    active = [i for i, c in enumerate(caps) if c > 0]
    left = total
    while left > 0 and active:
        shares = _largest_remainder(left, [weights[i] for i in active])
        still: list[int] = []
        for i, share in zip(active, shares, strict=True):
            give = min(share, caps[i] - counts[i])
            counts[i] += give
            left -= give
            if counts[i] < caps[i]:
                still.append(i)
        if len(still) == len(active):
            break
        active = still
    return counts


def _supplies(
    segments: list[_Segment], firms: list[_Firm], target: int, rng: random.Random
) -> tuple[array, array, array, array]:
    sup, cus, seg_of, val = array("q"), array("q"), array("q"), array("d")
    customers = [i for s in segments if s.upstream for i in s.local]
    if not customers:
        return sup, cus, seg_of, val
    single = {
        s.index: s.local[0]
        for s in segments
        if s.plan == ("dependent", "single_source") and s.local
    }

    def options(seg: _Segment) -> int:
        return 1 if seg.index in single else len(seg.local) + len(seg.outside)

    # At most ~80 % of a customer's possible (supplier, product) pairs, so that
    # drawing them at random stays quick.
    caps = [
        max(1, int(0.8 * sum(options(segments[u]) for u in segments[firms[i].segment].upstream)))
        for i in customers
    ]
    wanted = _capped_shares(target, [math.sqrt(firms[i].revenue) for i in customers], caps)
    book = _SupplyBook(segments, firms, single, (sup, cus, seg_of, val))
    for customer, k in zip(customers, wanted, strict=True):
        firm = firms[customer]
        ups = segments[firm.segment].upstream
        # Each upstream segment once first (every FEEDS edge gets used), then at random.
        first = rng.sample(ups, len(ups))
        added = 0
        for attempt in range(4 * k + 20):
            if added == k:
                break
            u = first[attempt] if attempt < len(first) else ups[rng.randrange(len(ups))]
            value = _value(firm, rng)
            supplier = book.pick(segments[u], value, rng)
            if supplier is not None and book.add(supplier, customer, u, value):
                added += 1
    _top_up(segments, firms, book, rng)
    return sup, cus, seg_of, val


def _value(customer: _Firm, rng: random.Random) -> float:
    return max(1.0, round(customer.revenue * rng.uniform(0.004, 0.05), 1))


class _SupplyBook:
    """The SUPPLIES drawn so far, with the per-segment tallies the plan is kept by.

    The local share of a segment's local demand is steered by value, edge by edge, so the
    planted ratios hold for a handful of edges as for millions: a healthy segment buys at
    most OUTSIDE_VALUE_SHARE from outside, an EXTERNAL one at most DEPENDENT_LOCAL_SHARE
    locally, a FOREIGN one at most 1 - FOREIGN_SHARE locally (the rest from abroad).
    """

    def __init__(
        self,
        segments: list[_Segment],
        firms: list[_Firm],
        single: dict[int, int],
        arrays: tuple[array, array, array, array],
    ) -> None:
        self.segments, self.firms, self.single, self.arrays = segments, firms, single, arrays
        self.seen: set[tuple[int, int, int]] = set()  # (supplier, customer, segment)
        self.local_value: dict[int, float] = {}
        self.total_value: dict[int, float] = {}
        self.edges: dict[int, int] = {}
        self.suppliers: dict[int, set[int]] = {}

    def local_allowed(self, seg: _Segment, value: float) -> bool:
        """Whether a local supplier keeps the segment's planted local share (by value)."""
        local = self.local_value.get(seg.index, 0.0) + value
        total = self.total_value.get(seg.index, 0.0) + value
        if seg.plan in _EXTERNAL_PLANS:
            return local <= DEPENDENT_LOCAL_SHARE * total
        if seg.plan == ("dependent", "foreign"):
            return local <= (1 - FOREIGN_SHARE) * total
        return True

    def outside_allowed(self, seg: _Segment, value: float) -> bool:
        """Whether an out-of-province supplier keeps the segment's planted local share."""
        if seg.plan in (("missing", "none"), ("dependent", "foreign"), *_EXTERNAL_PLANS):
            return True
        total = self.total_value.get(seg.index, 0.0) + value
        outside = total - self.local_value.get(seg.index, 0.0)
        return outside <= OUTSIDE_VALUE_SHARE * total

    def pick(self, seg: _Segment, value: float, rng: random.Random) -> int | None:
        """A supplier for one edge of ``value`` from ``seg`` (None: no edge)."""
        if seg.index in self.single:
            return self.single[seg.index]
        if seg.plan == ("insufficient", "sparse"):
            # One recorded sale for the whole segment: its firms can supply, the lists are thin.
            return seg.local[0] if not self.edges.get(seg.index) and seg.local else None
        if seg.local and (self.local_allowed(seg, value) or not seg.outside):
            at = rng.random() * seg.local_cum[-1]
            return seg.local[min(bisect.bisect_right(seg.local_cum, at), len(seg.local) - 1)]
        if seg.outside and self.outside_allowed(seg, value):
            return seg.outside[rng.randrange(len(seg.outside))]
        return None

    def add(self, supplier: int, customer: int, segment: int, value: float) -> bool:
        """Record the edge unless it exists or supplier and customer are one firm."""
        key = (supplier, customer, segment)
        if supplier == customer or key in self.seen:
            return False
        self.seen.add(key)
        sup, cus, seg_of, val = self.arrays
        sup.append(supplier)
        cus.append(customer)
        seg_of.append(segment)
        val.append(value)
        local = self.firms[supplier].in_province
        self.local_value[segment] = self.local_value.get(segment, 0.0) + (value if local else 0)
        self.total_value[segment] = self.total_value.get(segment, 0.0) + value
        self.edges[segment] = self.edges.get(segment, 0) + 1
        self.suppliers.setdefault(segment, set()).add(supplier)
        return True


def _capable(segments: list[_Segment], firms: list[_Firm]) -> list[list[int]]:
    """Per segment, the in-province firms operating there (primary or second segment)."""
    out = [list(s.local) for s in segments]
    for i, f in enumerate(firms):
        if f.in_province and f.second >= 0:
            out[f.second].append(i)
    return out


def _top_up(
    segments: list[_Segment], firms: list[_Firm], book: _SupplyBook, rng: random.Random
) -> None:
    """Every segment that sells locally gets >= 2 suppliers (1 for SINGLE_SOURCE) and at
    least SPARSE_EDGES_PER_FIRM edges per capable firm, except the SPARSE one: the lists
    look complete enough everywhere else, so 数据不足 and 单一来源 appear only as planted."""
    capable = _capable(segments, firms)
    for seg in segments:
        if seg.plan == ("insufficient", "sparse") or not seg.downstream:
            continue
        enterprises = 0 if seg.plan == ("unverified", "inferred") else len(capable[seg.index])
        need_edges = max(2, math.ceil(SPARSE_EDGES_PER_FIRM * enterprises))
        need_suppliers = 1 if seg.index in book.single else 2
        buyers = [i for j in seg.downstream for i in segments[j].local]
        rng.shuffle(buyers)
        for customer in buyers * 2:
            used = book.suppliers.get(seg.index, set())
            if book.edges.get(seg.index, 0) >= need_edges and len(used) >= need_suppliers:
                break
            value = _value(firms[customer], rng)
            if seg.index in book.single:
                pool = [book.single[seg.index]]
            elif seg.local and (book.local_allowed(seg, value) or not seg.outside):
                pool = seg.local
            elif book.outside_allowed(seg, value):
                pool = seg.outside
            else:
                continue
            fresh = [i for i in pool if i not in used and i != customer]
            choices = fresh if len(used) < need_suppliers and fresh else pool
            book.add(choices[rng.randrange(len(choices))], customer, seg.index, value)


def _cap_shares(segments: list[_Segment], firms: list[_Firm]) -> None:
    """No firm earns more than MAX_SHARE of a segment's revenue unless the plan says so.

    Revenue is log-normal: with ~10 firms a segment, one firm often dominates by chance,
    which the findings would (rightly) call 弱链 or 链主. Lowering the top firm's revenue
    to MAX_SHARE of its segment (firms in two segments count in both; repeated until
    stable) leaves concentration to the segments planted for it.
    """
    capable = _capable(segments, firms)
    spared = {*_CONCENTRATED_PLANS, ("unverified", "inferred")}
    for _ in range(50):
        changed = False
        for seg in segments:
            members = capable[seg.index]
            if seg.plan in spared or len(members) < 3:
                continue
            top = max(members, key=lambda i: (firms[i].revenue, firms[i].id))
            others = sum(firms[i].revenue for i in members) - firms[top].revenue
            limit = math.floor(MAX_SHARE / (1 - MAX_SHARE) * others * 10) / 10
            if firms[top].revenue > limit:
                firms[top].revenue = limit
                changed = True
        if not changed:
            break
    for seg in segments:
        seg.local_cum = list(itertools.accumulate(firms[i].revenue for i in seg.local))


def _local_demand(
    segments: list[_Segment], supplies: tuple[array, array, array, array]
) -> list[float]:
    """Per segment, the value of the supplies tagged with it (all customers are local)."""
    out = [0.0] * len(segments)
    for g, v in zip(supplies[2], supplies[3], strict=True):
        out[g] += v
    return out


def _set_capacity(
    segments: list[_Segment], firms: list[_Firm], supplies: tuple[array, array, array, array]
) -> None:
    """A CAPACITY segment's firms can make CAPACITY_FACTOR of its local demand together."""
    demand = _local_demand(segments, supplies)
    for seg in segments:
        if seg.plan != ("thin", "capacity") or not seg.local:
            continue
        revenue = sum(firms[i].revenue for i in seg.local)
        for i in seg.local:
            share = firms[i].revenue / revenue
            firms[i].capacity = round(CAPACITY_FACTOR * demand[seg.index] * share, 1)


def _weigh_pair(segments: list[_Segment], supplies: tuple[array, array, array, array]) -> None:
    """The HEAVY segment's local demand is at least 10x the LIGHT one's (values scaled)."""
    demand = _local_demand(segments, supplies)
    heavy = [s.index for s in segments if s.plan == ("dependent", "heavy")]
    light = [s.index for s in segments if s.plan == ("dependent", "light")]
    if not heavy or not light or demand[heavy[0]] <= 0:
        return
    # (a little over, so that rounding each value to 0.1 cannot leave it short)
    factor = 1.001 * HEAVY_FACTOR * demand[light[0]] / demand[heavy[0]]
    if factor <= 1:
        return
    values = supplies[3]
    for k, g in enumerate(supplies[2]):
        if g == heavy[0]:
            values[k] = round(values[k] * factor, 1)


def _evidence(
    segments: list[_Segment],
    firms: list[_Firm],
    supplies: tuple[array, array, array, array],
    lists: list[tuple[str, str | None, str | None, list[Row]]] = (),  # type: ignore[assignment]
) -> tuple[PlantedWeakness, ...]:
    planted = [s for s in segments if s.plan is not None]
    wanted = {s.index for s in planted}
    local_sup: dict[int, int] = dict.fromkeys(wanted, 0)
    all_sup: dict[int, int] = dict.fromkeys(wanted, 0)
    suppliers: dict[int, set[int]] = {i: set() for i in wanted}
    for s, g in zip(supplies[0], supplies[2], strict=True):
        if g in wanted:
            all_sup[g] += 1
            local_sup[g] += firms[s].in_province
            suppliers[g].add(s)
    demand = _local_demand(segments, supplies)
    out: list[PlantedWeakness] = []
    for seg in planted:
        kind, variant = seg.plan or ("", "")
        revenues = sorted((firms[i].revenue for i in seg.local), reverse=True)
        evidence: dict[str, Any] = {
            "in_province_enterprises": len(seg.local),
            "leaders": sum(firms[i].leader for i in seg.local),
            "out_of_province_enterprises": len(seg.outside),
            "supplies_to_local_customers": all_sup[seg.index],
            "local_supply_share": round(local_sup[seg.index] / all_sup[seg.index], 4)
            if all_sup[seg.index]
            else None,
            "top_revenue_share": round(revenues[0] / sum(revenues), 4) if revenues else None,
        }
        if variant in ("single_source", "sparse"):
            only = sorted(suppliers[seg.index])
            evidence["suppliers"] = [firms[i].id for i in only]
        if variant == "foreign":
            evidence["foreign_suppliers"] = sorted(
                firms[i].id for i in suppliers[seg.index] if firms[i].country != "中国"
            )
        for name, from_label, _, rows in lists:
            if name == "IN_SEGMENT":
                mine = sorted(r["from_id"] for r in rows if r["to_id"] == seg.id)
                if mine:
                    evidence[from_label or ""] = mine
        if variant in ("heavy", "light"):
            evidence["local_demand_value"] = round(demand[seg.index], 1)
        reasons, status, strengths = _expected(seg, firms)
        out.append(
            PlantedWeakness(
                kind, variant, seg.chain, seg.name, seg.id, evidence, reasons, status, strengths
            )
        )
    return tuple(out)


# What each plan must make the weak-link findings say at their default thresholds
# (docs/weak-links.md): reason codes, status, strengths. A segment that is not planted
# must come out 正常 with no reason, strength or note.
_EXPECTED: dict[tuple[str, str], tuple[tuple[str, ...], str, tuple[str, ...]]] = {
    ("missing", "none"): (("no_enterprise", "low_local_supply"), "missing", ()),
    ("dependent", "external"): (("low_local_supply",), "dependent", ()),
    ("dependent", "heavy"): (("low_local_supply",), "dependent", ()),
    ("dependent", "light"): (("low_local_supply",), "dependent", ()),
    ("dependent", "single_source"): (("single_source",), "dependent", ()),
    ("dependent", "foreign"): (("low_local_supply", "foreign_dependence"), "dependent", ()),
    ("dependent", "choke"): (("choke_technology",), "dependent", ()),
    ("thin", "few"): (("few_enterprises", "no_leader"), "weak", ()),
    ("thin", "concentrated"): (("concentrated",), "weak", ()),
    ("thin", "capacity"): (("capacity_short",), "weak", ()),
    ("unverified", "inferred"): (("only_inferred",), "unverified", ()),
    ("insufficient", "sparse"): (("single_source", "sparse_supply_data"), "insufficient_data", ()),
    ("strength", "chain_leader"): ((), "ok", ("chain_leader",)),
    ("note", "untagged"): ((), "ok", ()),
}


def _expected(seg: _Segment, firms: list[_Firm]) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    reasons, status, strengths = _EXPECTED[seg.plan or ("", "")]
    revenues = {firms[i].revenue for i in seg.local}
    if seg.plan == ("thin", "few") and len(seg.local) == 2 and len(revenues) == 2:
        reasons = (*reasons, "concentrated")  # two firms of unequal revenue: HHI > 0.5
    return reasons, status, strengths
