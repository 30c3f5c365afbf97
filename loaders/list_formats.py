"""The documented file formats of the ten lists (十项清单) and the supply relations (供应关系).

Each format names its columns: the Chinese header users write, English aliases,
the value type, whether it is required, and an example value (used by
``chainkg template``). Headers are matched leniently: spaces, a ``*`` marking
required columns and a trailing unit in brackets (``营业收入(万元)``) are ignored,
English aliases are case-insensitive. docs/lists.md describes the same formats
for users; tests keep the two in step.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from chainkg.errors import InputError, Problem


class ColType(StrEnum):
    """How a cell is read."""

    TEXT = "text"
    NUMBER = "number"  # a non-negative decimal number
    INT = "int"  # a non-negative whole number
    YEAR = "year"  # a four-digit year
    FLAG = "flag"  # 是/否/Y/N/true/false/1/0/√/×
    USCC = "uscc"  # 统一社会信用代码, check character verified
    INDUSTRY_CODE = "industry_code"  # GB/T 4754-2017, e.g. C3841 or 3841
    PROVINCE = "province"  # 省内 / 省外 (or a flag: 是 = 省内)


@dataclass(frozen=True)
class Column:
    """One column of a list format."""

    key: str  # the English alias, also the key in shaped rows
    header: str  # the Chinese header
    type: ColType = ColType.TEXT
    required: bool = False
    unit: str = ""
    example: str = ""
    doc: str = ""
    aliases: tuple[str, ...] = ()
    # A merged cell of this column spanning several data rows may be copied to each of
    # them (a supplier, chain or city shared by the rows); other columns refuse such merges.
    fill_down: bool = False

    @property
    def template_header(self) -> str:
        """The header a template writes: Chinese name, unit in brackets, ``*`` if required."""
        unit = f"({self.unit})" if self.unit else ""
        return f"{self.header}{unit}{'*' if self.required else ''}"

    def names(self) -> tuple[str, ...]:
        """Every normalised header that means this column."""
        return tuple(normalize_header(n) for n in (self.header, self.key, *self.aliases))


@dataclass(frozen=True)
class ListFormat:
    """A list kind: its CLI name, Chinese title, schema label and columns."""

    kind: str
    title: str  # e.g. 企业清单
    label: str  # schema node label of its entries
    columns: tuple[Column, ...]
    # Columns whose values identify a row: two rows with the same values are duplicates.
    identity: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    doc: str = ""

    def column(self, key: str) -> Column:
        """The column ``key``."""
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)

    @property
    def required(self) -> tuple[Column, ...]:
        """The columns a file must have."""
        return tuple(c for c in self.columns if c.required)


_HEADER_NOISE = re.compile(r"[\s*＊\u200b-\u200d\u2060\ufeff]+")
_HEADER_UNIT = re.compile(r"[（(【\[]([^）)】\]]*)[）)】\]]$")
_UNIT_WORD = re.compile(r"^(?:单位|计量单位)?[:：]?")


def normalize_header(text: str) -> str:
    """A header without spaces, ``*`` marks and a trailing bracketed unit, lower-cased."""
    text = _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", str(text)))
    text = _HEADER_UNIT.sub("", text)
    return _HEADER_NOISE.sub("", text).lower()


def header_unit(text: str) -> str | None:
    """The unit a header names in trailing brackets (``营业收入（亿元）`` -> ``亿元``), if any."""
    text = _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", str(text)))
    found = _HEADER_UNIT.search(text)
    if found is None:
        return None
    unit = _UNIT_WORD.sub("", found.group(1))
    return unit or None


def header_index(fmt: ListFormat) -> dict[str, Column]:
    """Every normalised header that names a column of ``fmt``, to its column."""
    by_name: dict[str, Column] = {}
    for col in fmt.columns:
        for n in col.names():
            by_name.setdefault(n, col)
    return by_name


# The 17 省辖市 and 济源示范区 (Henan's 18 city-level units).
HENAN_CITIES = (
    "郑州市",
    "开封市",
    "洛阳市",
    "平顶山市",
    "安阳市",
    "鹤壁市",
    "新乡市",
    "焦作市",
    "濮阳市",
    "许昌市",
    "漯河市",
    "三门峡市",
    "南阳市",
    "商丘市",
    "信阳市",
    "周口市",
    "驻马店市",
    "济源示范区",
)

NEED_KINDS = {"融资": "financing", "用地": "land", "环保": "environment"}
NEED_UNITS = {"financing": "万元", "land": "亩", "environment": ""}

_CHAIN = Column(
    "chain", "产业链", required=True, example="尼龙新材料产业链", doc="chain 产业链", fill_down=True
)
_SEGMENT = Column(
    "segment",
    "环节",
    example="尼龙6与尼龙66切片",
    doc="segment 环节 of that chain; several separated by 、 or ;",
    fill_down=True,
)
_CITY = Column(
    "city",
    "地市",
    example="平顶山市",
    doc="省辖市, county (县/县级市/区), development zone or address; out of province: 省 or country",
    aliases=("所在地", "所在地市", "所属地市", "地区"),
    fill_down=True,
)
_PARK = Column(
    "park", "园区", example="平顶山高新技术产业开发区", doc="park 园区 name", fill_down=True
)

ENTERPRISES = ListFormat(
    "enterprises",
    "企业清单",
    "Organization",
    (
        Column(
            "uscc",
            "统一社会信用代码",
            ColType.USCC,
            example="91410400MA44TEXT0B",
            aliases=("信用代码",),
        ),
        Column(
            "name",
            "名称",
            required=True,
            example="平顶山示例尼龙科技有限公司",
            aliases=("企业名称",),
        ),
        _CITY,
        _PARK,
        _CHAIN,
        _SEGMENT,
        Column(
            "industry_code",
            "行业代码",
            ColType.INDUSTRY_CODE,
            example="C2651",
            doc="GB/T 4754-2017 code; places the enterprise when 环节 is empty",
        ),
        Column(
            "main_products",
            "主营产品",
            example="尼龙66切片",
            doc="what the firm makes; a second signal where 行业代码 fits several segments",
            aliases=("主要产品", "产品"),
        ),
        Column("revenue", "营业收入", ColType.NUMBER, unit="万元", example="52000"),
        Column(
            "capacity",
            "产能",
            ColType.NUMBER,
            unit="万元",
            example="60000",
            doc="annual output value the firm can make in this chain (compared with local demand)",
        ),
        Column("employees", "从业人数", ColType.INT, unit="人", example="860"),
        Column("leader", "龙头", ColType.FLAG, example="是", aliases=("龙头企业",)),
        Column("specialized", "专精特新", ColType.FLAG, example="否"),
        Column("listed", "上市", ColType.FLAG, example="否"),
        Column("in_province", "省内/省外", ColType.PROVINCE, example="省内", aliases=("省内外",)),
    ),
    identity=("name", "chain"),
    aliases=("企业", "enterprise"),
)

SUPPLIES = ListFormat(
    "supplies",
    "供应关系",
    "Organization",
    (
        Column(
            "supplier",
            "供方",
            required=True,
            example="平顶山示例尼龙科技有限公司",
            doc="supplier 供方: name or 统一社会信用代码",
            aliases=("供应商", "供应方", "供货方", "供应单位"),
            fill_down=True,
        ),
        Column(
            "customer",
            "需方",
            required=True,
            example="河南示例汽车零部件有限公司",
            doc="customer 需方: name or 统一社会信用代码",
            aliases=("客户", "需求方", "采购方", "客户名称"),
            fill_down=True,
        ),
        Column("product", "产品", example="尼龙66切片"),
        Column("value", "年供货额", ColType.NUMBER, unit="万元", example="3600"),
        Column(
            "chain",
            "产业链",
            example="尼龙新材料产业链",
            doc="chain of the 环节 below (needed only with 环节)",
        ),
        Column(
            "segment",
            "环节",
            example="尼龙6与尼龙66切片",
            doc="segment 环节 the product comes from (the supplier's segment); its sales then "
            "count as demand there only",
        ),
    ),
    identity=("supplier", "customer", "product"),
    aliases=("供应关系", "供应", "supply"),
)

PARKS = ListFormat(
    "parks",
    "园区清单",
    "Park",
    (
        Column(
            "name",
            "园区名称",
            required=True,
            example="平顶山高新技术产业开发区",
            aliases=("名称", "园区"),
        ),
        _CHAIN,
        _CITY,
        Column("level", "级别", example="国家级", doc="国家级 | 省级 | 市级 | 县级"),
        Column("kind", "类型", example="高新区", doc="e.g. 高新区, 经开区, 产业集聚区"),
        Column("area_km2", "规划面积", ColType.NUMBER, unit="平方公里", example="32.5"),
    ),
    identity=("name", "chain"),
    aliases=("园区", "park"),
)

PROJECTS = ListFormat(
    "projects",
    "项目清单",
    "Project",
    (
        Column(
            "name",
            "项目名称",
            required=True,
            example="年产10万吨尼龙66切片项目",
            aliases=("名称", "项目"),
        ),
        _CHAIN,
        _SEGMENT,
        _CITY,
        _PARK,
        Column("investment", "总投资", ColType.NUMBER, unit="万元", example="150000"),
        Column("status", "状态", example="在建", doc="签约 | 在建 | 投产 ..."),
        Column("start_year", "开工年份", ColType.YEAR, example="2023"),
        Column("owner", "建设单位", example="平顶山示例尼龙科技有限公司"),
    ),
    identity=("name", "chain"),
    aliases=("项目", "project"),
)

PLATFORMS = ListFormat(
    "platforms",
    "平台清单",
    "Platform",
    (
        Column(
            "name",
            "平台名称",
            required=True,
            example="河南省尼龙新材料技术创新中心",
            aliases=("名称", "平台"),
        ),
        _CHAIN,
        _SEGMENT,
        Column("kind", "类型", example="技术创新中心"),
        Column("level", "级别", example="省级", doc="国家级 | 省级 | 市级"),
        _CITY,
        Column("host", "依托单位", example="平顶山示例尼龙科技有限公司"),
    ),
    identity=("name", "chain"),
    aliases=("平台", "platform"),
)

TECHNOLOGIES = ListFormat(
    "technologies",
    "技术清单",
    "Technology",
    (
        Column(
            "name",
            "技术名称",
            required=True,
            example="己二腈连续化生产技术",
            aliases=("名称", "技术"),
        ),
        _CHAIN,
        _SEGMENT,
        Column("choke", "卡脖子", ColType.FLAG, example="是", doc="a bottleneck technology"),
        Column("status", "状态", example="攻关中", doc="攻关中 | 已突破 | 引进 ..."),
        Column("holder", "承担单位", example="平顶山示例尼龙科技有限公司"),
        Column("description", "说明", example="打破国外垄断", aliases=("描述", "备注")),
    ),
    identity=("name", "chain"),
    aliases=("技术", "technology"),
)

TALENT = ListFormat(
    "talent",
    "人才清单",
    "Talent",
    (
        Column(
            "name",
            "姓名/团队",
            required=True,
            example="尼龙新材料创新团队",
            aliases=("姓名", "团队", "名称"),
        ),
        _CHAIN,
        _SEGMENT,
        Column("kind", "类别", example="创新团队", doc="领军人才 | 创新团队 | 急需紧缺 ..."),
        Column("field", "领域", example="高分子材料"),
        Column("employer", "单位", example="平顶山示例尼龙科技有限公司", aliases=("工作单位",)),
        Column("count", "人数", ColType.INT, unit="人", example="12"),
    ),
    identity=("name", "chain", "employer"),
    aliases=("人才", "talents"),
)

TARGETS = ListFormat(
    "targets",
    "招商清单",
    "InvestmentTarget",
    (
        Column(
            "name",
            "目标企业",
            required=True,
            example="江苏示例新材料股份有限公司",
            aliases=("企业名称", "名称"),
        ),
        _CHAIN,
        _SEGMENT,
        Column("origin", "所在地", example="江苏省苏州市"),
        Column("reason", "招商理由", example="补齐己二腈环节", aliases=("理由",)),
        Column("priority", "优先级", example="重点", doc="重点 | 一般"),
        Column("status", "进展", example="洽谈", doc="洽谈 | 签约 | 落地 ...", aliases=("状态",)),
    ),
    identity=("name", "chain"),
    aliases=("招商", "investment", "investment-targets"),
)

NEEDS = ListFormat(
    "needs",
    "融资/用地/环保需求清单",
    "Need",
    (
        Column(
            "kind", "类型", required=True, example="融资", doc="融资 | 用地 | 环保", fill_down=True
        ),
        Column("title", "事项", required=True, example="扩产流动资金贷款", aliases=("名称",)),
        _CHAIN,
        _SEGMENT,
        Column(
            "raised_by",
            "提出单位",
            example="平顶山示例尼龙科技有限公司",
            aliases=("企业名称", "单位"),
        ),
        Column(
            "amount",
            "数量",
            ColType.NUMBER,
            example="5000",
            aliases=("金额",),
            doc="amount in 计量单位 (default 万元 for 融资, 亩 for 用地)",
        ),
        Column("unit", "计量单位", example="万元"),
        Column("status", "状态", example="对接中"),
        Column("description", "说明", example="用于二期产能", aliases=("描述", "备注")),
    ),
    identity=("kind", "title", "chain", "raised_by"),
    aliases=("需求", "融资", "用地", "环保", "need"),
)

FORMATS: tuple[ListFormat, ...] = (
    ENTERPRISES,
    SUPPLIES,
    PARKS,
    PROJECTS,
    PLATFORMS,
    TECHNOLOGIES,
    TALENT,
    TARGETS,
    NEEDS,
)
# Loading order within one file set: what others point to comes first.
LOAD_ORDER = (
    "parks",
    "enterprises",
    "supplies",
    "projects",
    "platforms",
    "technologies",
    "talent",
    "targets",
    "needs",
)


def list_format(kind: str) -> ListFormat:
    """The format called ``kind`` (English name or Chinese alias); InputError listing them otherwise."""
    wanted = kind.strip().lower()
    for f in FORMATS:
        if wanted == f.kind or wanted in (a.lower() for a in f.aliases) or kind == f.title:
            return f
    known = ", ".join(f"{f.kind} ({f.title})" for f in FORMATS)
    raise InputError(
        [Problem(kind, f"unknown list kind {kind!r}; known kinds: {known}")],
        hint="run `chainkg template KIND` to get a file with the right headers",
    )
