"""The graph schema, declared once.

Both stores derive everything from here: the embedded store its node and rel
tables, the Neo4j store its constraints and indexes, the loaders their upsert
statements and the exporters their column order. Every node kind has the string
key ``id``; ids are stable and derived from the source (see ``ids``), so that
loading the same input twice meets the same nodes.

Every node and relationship also carries the provenance properties of
``PROVENANCE``: where the fact came from (``source``: a document number or a file
name; ``source_ref``: the section, table row or file row), when it was first
loaded, the date the source describes (``as_of``) and whether it is synthetic
demo data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from chainkg.errors import SchemaError


class PropType(StrEnum):
    """Property types both stores can hold."""

    STRING = "STRING"
    INT = "INT64"
    FLOAT = "DOUBLE"
    BOOL = "BOOLEAN"
    DATE = "DATE"
    STRING_LIST = "STRING[]"


@dataclass(frozen=True)
class Prop:
    """A typed property of a node or relationship kind."""

    name: str
    type: PropType = PropType.STRING
    doc: str = ""
    indexed: bool = False


@dataclass(frozen=True)
class NodeKind:
    """A node label with its key (always ``id``) and properties."""

    label: str
    doc: str
    props: tuple[Prop, ...]
    # Properties searched by name (full-text on Neo4j, CONTAINS on the embedded store).
    search: tuple[str, ...] = ()

    @property
    def all_props(self) -> tuple[Prop, ...]:
        """The key, the kind's own properties and the provenance properties, in that order."""
        return (KEY, *self.props, *PROVENANCE)

    def prop(self, name: str) -> Prop:
        """The property called ``name``; SchemaError if the kind has none."""
        for p in self.all_props:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.all_props)
        raise SchemaError(f"{self.label} has no property {name!r}; known: {known}")


@dataclass(frozen=True)
class RelKind:
    """A relationship type, the (from label, to label) pairs it may join, and its properties.

    At most one relationship of a type joins two given nodes, unless ``key``
    names properties that tell several apart (e.g. the product supplied).
    """

    type: str
    doc: str
    endpoints: tuple[tuple[str, str], ...]
    props: tuple[Prop, ...] = ()
    key: tuple[str, ...] = ()

    @property
    def all_props(self) -> tuple[Prop, ...]:
        """The kind's own properties followed by the provenance properties."""
        return (*self.props, *PROVENANCE)

    def prop(self, name: str) -> Prop:
        """The property called ``name``; SchemaError if the kind has none."""
        for p in self.all_props:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.all_props)
        raise SchemaError(f"{self.type} has no property {name!r}; known: {known}")

    def joins(self, from_label: str, to_label: str) -> bool:
        """Whether this type may run from ``from_label`` to ``to_label``."""
        return (from_label, to_label) in self.endpoints


KEY = Prop("id", PropType.STRING, "stable key, derived from the source")

PROVENANCE: tuple[Prop, ...] = (
    Prop("source", doc="document number or file name the fact comes from"),
    Prop("source_ref", doc="section, table row or file row within the source"),
    Prop("loaded_at", doc="ISO timestamp of the first load of this fact"),
    Prop("as_of", PropType.DATE, "the date the source describes (lists: their as-of date)"),
    Prop("synthetic", PropType.BOOL, "true for generated demo data (示例数据)"),
    Prop(
        "version",
        doc="the list version (清单版本, ListVersion id) that asserted the fact; "
        "null for roster, template and demo facts (docs/versions.md)",
    ),
)

S, INT, F, B, D, SL = (
    PropType.STRING,
    PropType.INT,
    PropType.FLOAT,
    PropType.BOOL,
    PropType.DATE,
    PropType.STRING_LIST,
)


def _p(name: str, type_: PropType = S, doc: str = "", indexed: bool = False) -> Prop:
    return Prop(name, type_, doc, indexed)


# Entities that several owners may name (docs/versions.md, "Claims"): who claims them, the
# values they had from the roster before a list named them, and the fields owners disagree on.
CLAIM_PROPS: tuple[Prop, ...] = (
    _p("claimed_by", SL, "ids of the list versions in force that name this entity"),
    _p("base_claim", doc="JSON: values from the roster (or another non-list source); they win"),
    _p("conflicts", SL, "fields on which the claims disagree (chainkg conflicts)"),
)


NODES: tuple[NodeKind, ...] = (
    NodeKind(
        "Document",
        "a source document, e.g. the notice 豫政办〔2021〕61号",
        (
            _p("number", doc="文号"),
            _p("title"),
            _p("issuer"),
            _p("issued", D, "印发 date"),
            _p("in_force", D, "roster edition: the date it takes effect (docs/roster.md)"),
            _p("superseded_on", D, "roster edition: the in-force date of the edition after it"),
            _p("current", B, "roster edition: the one the graph holds (latest in force)"),
            _p("snapshot", doc="roster edition: its roster as compressed JSON (graph/editions.py)"),
        ),
    ),
    NodeKind("Province", "省", (_p("name", indexed=True),)),
    NodeKind(
        "City",
        "省辖市 or 济源示范区",
        (_p("name", indexed=True), _p("code", doc="administrative division code")),
        search=("name",),
    ),
    NodeKind(
        "Person",
        "a leader in the 双长制: 总群链长, 群链长, 副群链长",
        (_p("name", indexed=True), _p("title", doc="office, e.g. 省长, 副省长")),
        search=("name",),
    ),
    NodeKind(
        "Cluster",
        "重大集群, a major advanced-manufacturing cluster",
        (_p("name", indexed=True), _p("seq", INT, "序号 in the roster table")),
        search=("name",),
    ),
    NodeKind(
        "Chain",
        "重点产业链, a key industrial chain",
        (
            _p("name", indexed=True),
            _p("seq", INT, "order in the roster table"),
            _p("future", B, "拟培育的未来产业链 (marked * in the notice)"),
            _p("origin", doc="notice (a roster edition lists it) | registry (chains registry)"),
            _p("status", doc="registry chains: 特色产业链, 新认定, 培育中 ... as declared"),
            _p("city", doc="registry chains: the city whose own chain it is, if any"),
            _p("basis", doc="registry chains: 认定依据, the decision that designates the chain"),
            _p("in_force_from", D, "first day a roster edition or the registry lists it"),
            _p("in_force_until", D, "first day it is no longer listed (null: in force)"),
            _p("former_names", SL, "names earlier editions gave it (renames keep the id)"),
            _p("edition", doc="文号 of the latest roster edition that lists it"),
        ),
        search=("name",),
    ),
    NodeKind(
        "Segment",
        "环节 of a chain, from upstream to downstream",
        (
            _p("name", indexed=True),
            _p("chain", indexed=True, doc="name of the chain it belongs to"),
            _p("stage", doc="upstream | midstream | downstream (上游/中游/下游)"),
            _p("stage_rank", INT, "1 upstream, 2 midstream, 3 downstream"),
            _p("position", INT, "order within the chain"),
            _p("description"),
            _p("industry_codes", SL, "GB/T 4754-2017 小类 codes"),
        ),
        search=("name",),
    ),
    NodeKind(
        "Organization",
        "government unit, enterprise, association, alliance, university or institute",
        (
            _p("name", indexed=True),
            _p("kind", doc="government|enterprise|association|alliance|university|institute"),
            _p("uscc", indexed=True, doc="统一社会信用代码 (GB 32100-2015)"),
            _p("city", doc="地市: the 省辖市 in Henan, the prefecture elsewhere in China"),
            _p("county", doc="区县: county, county-level city or district, when the list gives it"),
            _p("province", doc="省份 of the place (河南省 for 省内); empty when unknown or abroad"),
            _p("country", doc="国家/地区: 中国, or the country of a foreign (境外) organisation"),
            _p("capacity", F, "产能: annual output value the firm can make, 万元"),
            _p("in_province", B, "省内 (true) or 省外 (false)"),
            _p("revenue", F, "营业收入, 万元"),
            _p("employees", INT, "从业人数"),
            _p("leader", B, "龙头企业"),
            _p("specialized", B, "专精特新"),
            _p("listed", B, "上市"),
            _p("industry_code", doc="GB/T 4754-2017 code given by the source"),
            *CLAIM_PROPS,
        ),
        search=("name", "uscc"),
    ),
    NodeKind(
        "Park",
        "园区: development zone or industrial park",
        (
            _p("name", indexed=True),
            _p("city"),
            _p("level", doc="国家级 | 省级 | 市级"),
            _p("kind", doc="e.g. 高新区, 经开区, 产业集聚区"),
            _p("area_km2", F, "规划面积, km²"),
            *CLAIM_PROPS,
        ),
        search=("name",),
    ),
    NodeKind(
        "Project",
        "项目清单: an investment or construction project",
        (
            _p("name", indexed=True),
            _p("city"),
            _p("investment", F, "总投资, 万元"),
            _p("status", doc="签约 | 在建 | 投产 ..."),
            _p("start_year", INT),
            _p("owner", doc="建设单位 name"),
            *CLAIM_PROPS,
        ),
        search=("name",),
    ),
    NodeKind(
        "Platform",
        "平台清单: innovation platform (重点实验室, 技术创新中心, 中试基地 ...)",
        (
            _p("name", indexed=True),
            _p("kind"),
            _p("level", doc="国家级 | 省级"),
            _p("city"),
            _p("host", doc="依托单位 name"),
            *CLAIM_PROPS,
        ),
        search=("name",),
    ),
    NodeKind(
        "Technology",
        "技术清单: a key technology, 卡脖子 or not",
        (
            _p("name", indexed=True),
            _p("choke", B, "卡脖子 (a bottleneck technology)"),
            _p("status", doc="攻关中 | 已突破 | 引进 ..."),
            _p("holder", doc="承担单位 name"),
            _p("description"),
            *CLAIM_PROPS,
        ),
        search=("name",),
    ),
    NodeKind(
        "Talent",
        "人才清单: a person or team the chain has or needs",
        (
            _p("name", indexed=True),
            _p("kind", doc="领军人才 | 创新团队 | 急需紧缺 ..."),
            _p("field"),
            _p("employer", doc="单位 name"),
            _p("count", INT, "人数 (for a team or a need)"),
            *CLAIM_PROPS,
        ),
        search=("name",),
    ),
    NodeKind(
        "InvestmentTarget",
        "招商清单: an enterprise the chain wants to attract",
        (
            _p("name", indexed=True),
            _p("origin", doc="where the target is now (省外 city or country)"),
            _p("reason"),
            _p("priority", doc="重点 | 一般"),
            _p("status", doc="洽谈 | 签约 | 落地 ..."),
            *CLAIM_PROPS,
        ),
        search=("name",),
    ),
    NodeKind(
        "Need",
        "融资/用地/环保 needs of enterprises and projects",
        (
            _p("kind", doc="financing | land | environment (融资/用地/环保)"),
            _p("title"),
            _p("raised_by", doc="name of the enterprise or project that raised it"),
            _p("amount", F, "amount in ``unit``"),
            _p("unit", doc="万元 | 亩 | 吨/年 ..."),
            _p("status"),
            _p("description"),
            *CLAIM_PROPS,
        ),
    ),
    NodeKind(
        "Problem",
        "问题台账: a problem of a chain, tracked through the 13710 stages (loaders/ledger_model.py)",
        (
            _p("title"),
            _p("description"),
            _p("category", doc="个性重大 | 共性 | 一般"),
            _p("status", indexed=True, doc="登记 | 交办 | 办理中 | 办结 | 已反馈 | 退回 | 转共性"),
            _p("owner", indexed=True, doc="responsible unit (群链长责任单位) name"),
            _p("chain", indexed=True, doc="chain (产业链) name"),
            _p("segment", doc="segment (环节) name, optional"),
            _p("enterprise", doc="enterprise name, optional"),
            _p("city", doc="city (地市), optional: a city's own problem"),
            _p("origin", doc="来源: 企业反映 (万人助万企) | 调研 | 短板弱项 | 会议"),
            _p("meeting", doc="id of the meeting it is routed to"),
            _p("evidence", doc="JSON: the weak-link finding that opened it"),
            _p("satisfaction", doc="满意 | 基本满意 | 不满意"),
            _p("reason", doc="why it was 退回 or 转共性"),
            _p("registered", D, "登记 day"),
            _p("assigned_on", D, "交办 day"),
            _p("started_on", D, "办理中 day (plan replied)"),
            _p("resolved_on", D, "办结 day"),
            _p("reported_on", D, "已反馈 day"),
            _p("closed_on", D, "day it was closed (已反馈, 退回 or 转共性)"),
            _p("is_open", B, "not 已反馈, 退回 or 转共性"),
            _p("stage", doc="key of the current 13710 stage"),
            _p("due", D, "due day of the current stage", indexed=True),
            _p("final_due", D, "due day of the last stage"),
            _p("created_by"),
            _p("updated_at", doc="ISO timestamp of the last change"),
            _p("events", INT, "number of recorded changes"),
        ),
        search=("title",),
    ),
    NodeKind(
        "ProblemEvent",
        "one recorded change of a problem: who, when, what",
        (
            _p("problem", indexed=True),
            _p("seq", INT),
            _p("at_time", doc="ISO timestamp"),
            _p("actor", doc="who made the change (user or API key)"),
            _p("action"),
            _p("from_status"),
            _p("to_status"),
            _p("reason"),
            _p("changes", doc="JSON of the fields changed"),
        ),
    ),
    NodeKind(
        "Meeting",
        "a meeting of the 双长制 (二、工作机制(一)): regular or ad hoc",
        (
            _p("kind", indexed=True, doc="mechanism key, e.g. chief_meeting"),
            _p("name"),
            _p("held_on", D, "the day it is (or was) held", indexed=True),
            _p("convener"),
            _p("attendees", SL),
            _p("chains", SL, "names of the chains it covers"),
            _p("scope", doc="province | cluster name | unit name | city"),
            _p("city", doc="a city's own meeting"),
            _p("ad_hoc", B),
            _p("status", doc="计划 | 已召开 | 取消"),
            _p("minutes"),
        ),
    ),
    NodeKind(
        "Decision",
        "a decision recorded in a meeting's minutes, tracked like a problem",
        (
            _p("meeting", indexed=True),
            _p("title"),
            _p("owner", indexed=True, doc="unit that carries it out"),
            _p("chain"),
            _p("due", D),
            _p("status", doc="未完成 | 已完成"),
            _p("done_on", D),
        ),
    ),
    NodeKind(
        "Role",
        "a role of the 双长制 with its duties (一、工作职责)",
        (_p("key"), _p("name"), _p("held_by", doc="who holds it, as the notice says")),
    ),
    NodeKind(
        "Duty",
        "one numbered duty of a role",
        (_p("role"), _p("number"), _p("title"), _p("text"), _p("position", INT)),
    ),
    NodeKind(
        "Mechanism",
        "a working mechanism (二、工作机制), e.g. a regular meeting and its cadence",
        (
            _p("key"),
            _p("name"),
            _p("convener"),
            _p("cadence", doc="semiannual|quarterly|monthly|as_needed"),
            _p("cadence_text", doc="the notice's own words"),
            _p("position", INT),
        ),
    ),
    NodeKind(
        "SourceNote",
        "a correction applied to a source, or a gap in it (a value the source does not give)",
        (_p("kind", doc="correction|gap|normalisation"), _p("text"), _p("position", INT)),
    ),
    NodeKind(
        "ListVersion",
        "a list version (清单版本) keyed by (kind, chain, as_of) (docs/versions.md)",
        (
            _p("kind", indexed=True, doc="list kind: enterprises, parks, projects ..."),
            _p("chain", indexed=True, doc="chain name as the graph spells it; * for supplies"),
            _p("owner", doc="API key id, or cli"),
            _p("owner_org", doc="the organisation of a unit key"),
            _p("updated_at", doc="ISO timestamp of the last (re)load of this key"),
            _p("rows", INT, "entries in the version"),
            _p("files", SL, "the files loaded"),
            _p("snapshot", doc="the version's content: compressed JSON (graph/versions.py)"),
        ),
    ),
    NodeKind(
        "ClaimResolution",
        "an admin's choice of value where claims disagree (chainkg conflicts resolve)",
        (
            _p("entity", indexed=True, doc="id of the node"),
            _p("field"),
            _p("value", doc="JSON of the chosen value"),
            _p("by", doc="who resolved it"),
            _p("at", doc="ISO timestamp"),
        ),
    ),
    NodeKind(
        "OrgAlias",
        "another name of an organisation (alias table, chainkg orgs alias|merge|unmerge)",
        (
            _p("alias", doc="the other name, cleaned as list names are"),
            _p("alias_id", indexed=True, doc="the organisation id that name gives (org:...)"),
            _p("target", indexed=True, doc="id of the organisation it resolves to"),
            _p("target_name"),
            _p("merged", B, "true when an organisation of that name was merged into the target"),
            _p("note", doc="why (who said they are one)"),
            _p("by", doc="who recorded it (API key id, or cli)"),
            _p("at", doc="ISO timestamp"),
            _p("state", doc="compressed JSON: what the merge changed, for unmerge"),
        ),
    ),
    NodeKind(
        "AuditEntry",
        "one write to the graph: who, when, what (chainkg audit)",
        (
            _p("at", indexed=True, doc="ISO timestamp (microseconds)"),
            _p("who", doc="API key id, or cli"),
            _p("action", doc="load_list | put_entry | delete_entry | drop_version | ..."),
            _p("target", doc="version id, entity id or chain the write concerns"),
            _p("details", doc="JSON: what changed (counts, entry ids)"),
        ),
    ),
)

_DOC = "Document"
LIST_KINDS = (
    "Park",
    "Project",
    "Platform",
    "Technology",
    "Talent",
    "InvestmentTarget",
    "Need",
    "Problem",
)
RELS: tuple[RelKind, ...] = (
    RelKind("ISSUED_BY", "the document's issuer", ((_DOC, "Organization"),)),
    RelKind("HAS_NOTE", "a correction or gap recorded for a source", ((_DOC, "SourceNote"),)),
    RelKind("DEFINES", "a role the document defines", ((_DOC, "Role"),)),
    RelKind("HAS_DUTY", "a duty of a role", (("Role", "Duty"),)),
    RelKind("ESTABLISHES", "a mechanism the document establishes", ((_DOC, "Mechanism"),)),
    RelKind("GENERAL_CHIEF_OF", "总群链长 of the province", (("Person", "Province"),)),
    RelKind("CHIEF_OF", "群链长 of a cluster", (("Person", "Cluster"),), (_p("position", INT),)),
    RelKind(
        "DEPUTY_CHIEF_OF",
        "副群链长 of a chain in a city",
        (("Person", "Chain"),),
        (_p("city"),),
        key=("city",),
    ),
    RelKind("HAS_CLUSTER", "a province's cluster", (("Province", "Cluster"),)),
    RelKind("HAS_CHAIN", "a cluster's chain", (("Cluster", "Chain"),)),
    RelKind(
        "RESPONSIBLE_FOR",
        "群链长责任单位 of a chain",
        (("Organization", "Chain"),),
        (_p("position", INT, "order in the roster cell"),),
    ),
    RelKind(
        "ALLIANCE_CHAIR_OF",
        "盟会长单位 of a chain",
        (("Organization", "Chain"),),
        (_p("position", INT, "order in the roster cell"),),
    ),
    RelKind("HAS_SEGMENT", "a chain's segment", (("Chain", "Segment"),)),
    RelKind(
        "FEEDS",
        "upstream segment feeds downstream segment (also across chains)",
        (("Segment", "Segment"),),
        (
            _p("product"),
            _p("cross_chain", B),
            _p(
                "loop_back", B, "a declared loop back upstream (e.g. 回收利用); not part of the DAG"
            ),
        ),
    ),
    RelKind(
        "OPERATES_IN",
        "an organisation operates in a segment",
        (("Organization", "Segment"),),
        (_p("inferred", B, "placed by industry code, not named by the source"),),
    ),
    RelKind(
        "SUPPLIES",
        "supplier -> customer",
        (("Organization", "Organization"),),
        (
            _p("product"),
            _p("value", F, "annual value, 万元"),
            _p("segment", doc="id of the segment (环节) the product comes from, when known"),
        ),
        key=("product",),
    ),
    RelKind(
        "LOCATED_IN",
        "where an organisation, park, project or platform is",
        (
            ("Organization", "City"),
            ("Park", "City"),
            ("Project", "City"),
            ("Platform", "City"),
        ),
    ),
    RelKind("IN_PARK", "in a park (园区)", (("Organization", "Park"), ("Project", "Park"))),
    RelKind(
        "LISTED_FOR",
        "a list entry (清单) kept for a chain",
        tuple((k, "Chain") for k in LIST_KINDS),
    ),
    RelKind(
        "IN_SEGMENT",
        "a list entry concerning one segment of its chain",
        tuple((k, "Segment") for k in LIST_KINDS),
    ),
    RelKind(
        "CONCERNS",
        "a list entry concerning an organisation (project owner, platform host, needing firm ...)",
        tuple((k, "Organization") for k in LIST_KINDS),
        (_p("role", doc="owner | host | holder | employer | target | raised_by"),),
    ),
    RelKind("HAS_EVENT", "a problem's recorded change", (("Problem", "ProblemEvent"),)),
    RelKind("ROUTED_TO", "a problem routed to a meeting", (("Problem", "Meeting"),)),
    RelKind("COVERS", "a meeting covers a chain", (("Meeting", "Chain"),)),
    RelKind("DECIDED", "a decision taken at a meeting", (("Meeting", "Decision"),)),
)


@dataclass(frozen=True)
class Schema:
    """Node and relationship kinds, looked up by label or type."""

    nodes: tuple[NodeKind, ...]
    rels: tuple[RelKind, ...]
    _by_label: dict[str, NodeKind] = field(init=False, repr=False, compare=False)
    _by_type: dict[str, RelKind] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_label", {n.label: n for n in self.nodes})
        object.__setattr__(self, "_by_type", {r.type: r for r in self.rels})
        for rel in self.rels:
            for a, b in rel.endpoints:
                if a not in self._by_label or b not in self._by_label:
                    raise SchemaError(f"{rel.type} joins unknown label {a!r} or {b!r}")

    def node(self, label: str) -> NodeKind:
        """The node kind ``label``; SchemaError naming the known labels otherwise."""
        try:
            return self._by_label[label]
        except KeyError:
            known = ", ".join(self._by_label)
            raise SchemaError(f"unknown node label {label!r}; known: {known}") from None

    def rel(self, type_: str) -> RelKind:
        """The relationship kind ``type_``; SchemaError naming the known types otherwise."""
        try:
            return self._by_type[type_]
        except KeyError:
            known = ", ".join(self._by_type)
            raise SchemaError(f"unknown relationship type {type_!r}; known: {known}") from None


SCHEMA = Schema(NODES, RELS)
