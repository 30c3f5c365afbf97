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
  in-province enterprise), THIN ones (弱链: 1-2 in-province firms and no 龙头,
  or one firm with most of the revenue) and DEPENDENT ones (断链: local
  customers buy the segment's output mostly from outside the province, or all
  from a single supplier).

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

    kind: str  # missing | thin | dependent
    variant: str  # missing: none; thin: few | concentrated; dependent: external | single_source
    chain: str
    segment: str
    segment_id: str
    evidence: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON shape."""
        return {
            "kind": self.kind,
            "variant": self.variant,
            "chain": self.chain,
            "segment": self.segment,
            "segment_id": self.segment_id,
            "evidence": dict(self.evidence),
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
            prov = new if f.new else old
            yield {"from_id": f.id, "to_id": segments[f.segment].id, **prov}
            if f.second >= 0:
                yield {"from_id": f.id, "to_id": segments[f.second].id, **prov}

    def _supply_rows(self) -> Iterator[Row]:
        old, new = self._dated()
        firms, segments = self._firms, self._segments
        for s, c, g, v in zip(*self._supplies, strict=True):
            yield {
                "from_id": firms[s].id,
                "to_id": firms[c].id,
                "product": segments[g].name,
                "value": v,
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
        )
        if ok:
            missing_chains.add(seg.chain)
        return ok

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
    return [s.index for s in segments if s.plan in (("missing", "none"), ("dependent", "external"))]


def _minimum(segments: list[_Segment]) -> int:
    local = sum(
        0 if s.plan == ("missing", "none") else 2 if s.plan == ("thin", "few") else 1
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
    _new_firms(segments, firms, _rng(seed, "years"))
    target = SUPPLIES_PER_ENTERPRISE * scale if supplies is None else supplies
    links = _supplies(segments, firms, target, _rng(seed, "supplies"))
    manifest = DemoManifest(seed, scale, _evidence(segments, firms, links))
    return DemoData(seed, scale, manifest, parks, firms, segments, links)


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
    fixed = {s.index: rng.choice((1, 2)) for s in segments if s.plan == ("thin", "few")}
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
    if seg.plan == ("thin", "concentrated"):
        top = ranked[0]
        others = sum(f.revenue for f in ranked[1:])
        top.revenue = round(max(top.revenue, DOMINANT_FACTOR * others), 1)
        top.employees = max(top.employees, int(top.revenue / 60))
        ranked = [top]
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
            name = namer.name(city.short, seg.word, revenue)
            serial = serial_offset + serial_step * len(firms)
            seg.outside.append(len(firms))
            firms.append(
                _Firm(
                    id=org_id(name),
                    name=name,
                    uscc=make_uscc(city.code, serial),
                    city=city.name,
                    in_province=False,
                    park=-1,
                    segment=seg.index,
                    revenue=revenue,
                    employees=max(8, int(revenue / rng.lognormvariate(math.log(70), 0.5))),
                    listed=revenue >= 100_000 and rng.random() < 0.3,
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
    tally: dict[int, list[int]] = {}  # dependent (external) segment -> [local, all] supplies
    for customer, k in zip(customers, wanted, strict=True):
        firm = firms[customer]
        ups = segments[firm.segment].upstream
        # Each upstream segment once first (every FEEDS edge gets used), then at random.
        first = rng.sample(ups, len(ups))
        seen: set[tuple[int, int]] = set()
        for attempt in range(4 * k + 20):
            if len(seen) == k:
                break
            u = first[attempt] if attempt < len(first) else ups[rng.randrange(len(ups))]
            seg = segments[u]
            supplier = _pick_supplier(seg, single, tally, rng)
            if supplier is None or supplier == customer or (supplier, seg.index) in seen:
                continue
            seen.add((supplier, seg.index))
            if seg.index in tally:
                tally[seg.index][0] += firms[supplier].in_province
                tally[seg.index][1] += 1
            sup.append(supplier)
            cus.append(customer)
            seg_of.append(seg.index)
            val.append(max(1.0, round(firm.revenue * rng.uniform(0.004, 0.05), 1)))
    return sup, cus, seg_of, val


def _pick_supplier(
    seg: _Segment, single: dict[int, int], tally: dict[int, list[int]], rng: random.Random
) -> int | None:
    if seg.index in single:
        return single[seg.index]
    if seg.plan == ("dependent", "external"):
        # Counted, not drawn: the local share stays at DEPENDENT_LOCAL_SHARE even for a
        # handful of supplies, so the planted dependency is never lost to chance.
        local_n, total_n = tally.setdefault(seg.index, [0, 0])
        use_local = local_n < DEPENDENT_LOCAL_SHARE * (total_n + 1) - 1e-9
    else:
        use_local = rng.random() < LOCAL_SUPPLY_SHARE
    if (use_local and seg.local) or not seg.outside:
        if not seg.local:
            return None
        at = rng.random() * seg.local_cum[-1]
        return seg.local[min(bisect.bisect_right(seg.local_cum, at), len(seg.local) - 1)]
    return seg.outside[rng.randrange(len(seg.outside))]


def _evidence(
    segments: list[_Segment], firms: list[_Firm], supplies: tuple[array, array, array, array]
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
        if variant == "single_source":
            only = sorted(suppliers[seg.index])
            evidence["suppliers"] = [firms[i].id for i in only]
        out.append(PlantedWeakness(kind, variant, seg.chain, seg.name, seg.id, evidence))
    return tuple(out)
