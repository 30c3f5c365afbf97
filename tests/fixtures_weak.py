"""Hand-built fixture chains for the weak-link (短板弱项) tests, with their known answers.

Chain 测试甲链 (cluster 测试集群), segments S1 -> S2 -> S3 -> S4 and S5 <-> S6 (a FEEDS cycle):

| segment | in-province firms (revenue 万元) | expected status, reasons |
|---|---|---|
| S1 原料 (up) | E1 leader 100, E2 100, E3 100 | ok: exactly 3 firms (min 3), local supply ratio exactly 0.5 by value (E1->F1 30, E2->F2 20 local; O1->F1 50 outside), 3 suppliers; F2 has one supplier (E2) |
| S2 部件 (mid) | F1 leader 400, F2 100, F3 unknown | dependent: low_local_supply 0.25 (F1->G1 10 vs O2->G1 30), concentrated HHI 0.68 over F1, F2 (F3 excluded) |
| S3 整机 (mid) | G1 50, G2 50 | weak: few_enterprises 2 < 3, no_leader; HHI exactly 0.5 (not above) |
| S4 集成 (down) | none (a university and a firm of unknown province only) | missing; candidates O5 (2 ties), O3 (1 tie, 20), O4 (0 ties, revenue 5000) |
| S5 回收 (down) | H1 leader 100, H2 100, H3 100 | dependent: single_source, all of K1, K2, K3 buy from H1 only (exactly 1 supplier, the threshold); ratio 1.0 by count (2 of 3 edges lack a value) |
| S6 再制造 (down) | K1, K2, K3 leader, 100 each | ok; fed by S5 and by 测试乙链's T2; feeds S5 back (cycle) |

Chain 测试乙链: T1 电芯 (P1 leader, P2, P3; 200 each) ok -> T2 模组 (P4 leader 100) dependent:
low_local_supply 0.1 (P4->K1 10, Q1->K1 90; T2 feeds 甲's S6 across chains) and few_enterprises.
Chain 测试空链 has no segments.

Chain 测试丙链 covers the rules of issue 13; every segment FEEDS 丙7 整机 (Y1 leader, Y2-Y4;
100 each, so each feeder's downstream revenue is 400; 丙7 is the only articulation point):

| segment | firms | expected |
|---|---|---|
| 丙1 推断 | I1 placed by industry code only (inferred) | unverified: only_inferred |
| 丙2 稀疏 | W1 leader, W2, W3, W4 (100 each); one edge W1->Y1 | insufficient_data: single_source (downgraded), sparse_supply_data (1 edge < 0.5 x 4) |
| 丙3 进口 | V1 leader, V2, V3 (100), N1 (also in 丙5); V1->Y1 60, JP1 (日本)->Y2 40 | dependent: foreign_dependence 0.4 > 0.3; N1's 100 to Y3 is tagged 丙5 and does not count here |
| 丙4 卡脖 | L1 leader, L2, L3; technology 卡脖子 攻关中 (one 已突破 and one not 卡脖子 ignored) | dependent: choke_technology |
| 丙5 产能 | N1 leader, N2, N3 (100 each, capacity 10 each); N1->Y3 60, N2->Y4 40 (tagged) | weak: capacity_short 30 < 100 |
| 丙6 集中 | Z1 900 (not 龙头), Z2 50 leader, Z3 50 | weak: concentrated HHI 0.815 |
| 丙7 整机 | Y1 leader, Y2, Y3, Y4 | ok |

Severity (score): 丙3 3.064 > 丙4 3.051 > 丙5 2.042 > 丙6 2.034 (weak) = 丙1 2.034
(unverified: less severe status) > 丙2 1.017. 测试甲链 部件 (F1 400 is a 龙头) is a 链主
strength, not concentrated. 集成 has a 招商清单 target and an 在建 project before the
out-of-province firms, which rank by supply value: O3 (1 tie, 20) before O5 (2 ties, no value).
"""

from __future__ import annotations

from typing import Any

from chainkg.graph import ids
from chainkg.graph.store import GraphStore

CLUSTER = "测试集群"
CHAIN_A = "测试甲链"
CHAIN_B = "测试乙链"
CHAIN_EMPTY = "测试空链"
CHAIN_C = "测试丙链"

# name, stage, position
SEGMENTS_A = [
    ("原料", "upstream", 1),
    ("部件", "midstream", 2),
    ("整机", "midstream", 3),
    ("集成", "downstream", 4),
    ("回收", "downstream", 5),
    ("再制造", "downstream", 6),
]
SEGMENTS_B = [("电芯", "upstream", 1), ("模组", "downstream", 2)]
SEGMENTS_C = [
    ("推断", "upstream", 1),
    ("稀疏", "upstream", 2),
    ("进口", "upstream", 3),
    ("卡脖", "midstream", 4),
    ("产能", "upstream", 5),
    ("集中", "midstream", 6),
    ("整机", "downstream", 7),
]
RANK = {"upstream": 1, "midstream": 2, "downstream": 3}

# name: (in_province, revenue, leader, kind, segments as (chain, segment))
ORGS: dict[str, tuple[bool | None, float | None, bool, str, list[tuple[str, str]]]] = {
    "E1": (True, 100, True, "enterprise", [(CHAIN_A, "原料")]),
    "E2": (True, 100, False, "enterprise", [(CHAIN_A, "原料")]),
    "E3": (True, 100, False, "enterprise", [(CHAIN_A, "原料")]),
    "O1": (False, 300, False, "enterprise", [(CHAIN_A, "原料")]),
    "F1": (True, 400, True, "enterprise", [(CHAIN_A, "部件")]),
    "F2": (True, 100, False, "enterprise", [(CHAIN_A, "部件")]),
    "F3": (True, None, False, "enterprise", [(CHAIN_A, "部件")]),
    "O2": (False, 800, False, "enterprise", [(CHAIN_A, "部件")]),
    "G1": (True, 50, False, "enterprise", [(CHAIN_A, "整机")]),
    "G2": (True, 50, False, "enterprise", [(CHAIN_A, "整机")]),
    "U1": (True, None, False, "university", [(CHAIN_A, "集成")]),
    "X1": (None, 70, False, "enterprise", [(CHAIN_A, "集成")]),
    "O3": (False, 1000, False, "enterprise", [(CHAIN_A, "集成")]),
    "O4": (False, 5000, True, "enterprise", [(CHAIN_A, "集成")]),
    "O5": (False, None, False, "enterprise", [(CHAIN_A, "集成")]),
    "H1": (True, 100, True, "enterprise", [(CHAIN_A, "回收")]),
    "H2": (True, 100, False, "enterprise", [(CHAIN_A, "回收")]),
    "H3": (True, 100, False, "enterprise", [(CHAIN_A, "回收")]),
    "K1": (True, 100, False, "enterprise", [(CHAIN_A, "再制造")]),
    "K2": (True, 100, False, "enterprise", [(CHAIN_A, "再制造")]),
    "K3": (True, 100, True, "enterprise", [(CHAIN_A, "再制造")]),
    "P1": (True, 200, True, "enterprise", [(CHAIN_B, "电芯")]),
    "P2": (True, 200, False, "enterprise", [(CHAIN_B, "电芯")]),
    "P3": (True, 200, False, "enterprise", [(CHAIN_B, "电芯")]),
    "P4": (True, 100, True, "enterprise", [(CHAIN_B, "模组")]),
    "Q1": (False, 600, False, "enterprise", [(CHAIN_B, "模组")]),
    "W1": (True, 100, True, "enterprise", [(CHAIN_C, "稀疏")]),
    "W2": (True, 100, False, "enterprise", [(CHAIN_C, "稀疏")]),
    "W3": (True, 100, False, "enterprise", [(CHAIN_C, "稀疏")]),
    "W4": (True, 100, False, "enterprise", [(CHAIN_C, "稀疏")]),
    "V1": (True, 100, True, "enterprise", [(CHAIN_C, "进口")]),
    "V2": (True, 100, False, "enterprise", [(CHAIN_C, "进口")]),
    "V3": (True, 100, False, "enterprise", [(CHAIN_C, "进口")]),
    "JP1": (False, 5000, False, "enterprise", [(CHAIN_C, "进口")]),
    "L1": (True, 100, True, "enterprise", [(CHAIN_C, "卡脖")]),
    "L2": (True, 100, False, "enterprise", [(CHAIN_C, "卡脖")]),
    "L3": (True, 100, False, "enterprise", [(CHAIN_C, "卡脖")]),
    "N1": (True, 100, True, "enterprise", [(CHAIN_C, "产能"), (CHAIN_C, "进口")]),
    "N2": (True, 100, False, "enterprise", [(CHAIN_C, "产能")]),
    "N3": (True, 100, False, "enterprise", [(CHAIN_C, "产能")]),
    "Z1": (True, 900, False, "enterprise", [(CHAIN_C, "集中")]),
    "Z2": (True, 50, True, "enterprise", [(CHAIN_C, "集中")]),
    "Z3": (True, 50, False, "enterprise", [(CHAIN_C, "集中")]),
    "Y1": (True, 100, True, "enterprise", [(CHAIN_C, "整机")]),
    "Y2": (True, 100, False, "enterprise", [(CHAIN_C, "整机")]),
    "Y3": (True, 100, False, "enterprise", [(CHAIN_C, "整机")]),
    "Y4": (True, 100, False, "enterprise", [(CHAIN_C, "整机")]),
}
INFERRED = {"I1": (CHAIN_C, "推断")}  # placed by industry code only (OPERATES_IN.inferred)
COUNTRY = {"JP1": "日本"}
CAPACITY = {"N1": 10.0, "N2": 10.0, "N3": 10.0}

# supplier, customer, product, value
SUPPLIES: list[tuple[str, str, str, float | None]] = [
    ("E1", "F1", "矿石", 30),
    ("O1", "F1", "矿石", 50),
    ("E2", "F2", "矿石", 20),
    ("F1", "G1", "部件", 10),
    ("O2", "G1", "部件", 30),
    ("O3", "G1", "控制器", 20),
    ("O5", "E1", "系统", None),
    ("O5", "F2", "系统", None),
    ("H1", "K1", "回收料", None),
    ("H1", "K2", "回收料", None),
    ("H1", "K3", "回收料", 5),
    ("P1", "P4", "电芯", 10),
    ("P2", "P4", "电芯", 10),
    ("P4", "K1", "模组", 10),
    ("Q1", "K1", "模组", 90),
]
# supplier, customer, product, value, segment the product comes from (SUPPLIES.segment)
TAGGED_SUPPLIES: list[tuple[str, str, str, float | None, tuple[str, str]]] = [
    ("W1", "Y1", "稀疏件", None, (CHAIN_C, "稀疏")),
    ("V1", "Y1", "进口件", 60, (CHAIN_C, "进口")),
    ("JP1", "Y2", "进口件", 40, (CHAIN_C, "进口")),
    ("N1", "Y3", "产能件", 60, (CHAIN_C, "产能")),
    ("N2", "Y4", "产能件", 40, (CHAIN_C, "产能")),
]
# label, name, properties, (chain, segment)
LIST_ENTRIES: list[tuple[str, str, dict[str, Any], tuple[str, str]]] = [
    ("Technology", "测试卡脖子技术甲", {"choke": True, "status": "攻关中"}, (CHAIN_C, "卡脖")),
    ("Technology", "测试卡脖子技术乙", {"choke": True, "status": "已突破"}, (CHAIN_C, "卡脖")),
    ("Technology", "测试一般技术", {"choke": False, "status": "攻关中"}, (CHAIN_C, "卡脖")),
    (
        "InvestmentTarget",
        "测试招商目标甲",
        {"priority": "重点", "origin": "江苏省苏州市", "reason": "补齐集成环节", "status": "洽谈"},
        (CHAIN_A, "集成"),
    ),
    (
        "Project",
        "测试集成项目",
        {"status": "在建", "investment": 5000.0, "city": "郑州市"},
        (CHAIN_A, "集成"),
    ),
    ("Project", "测试投产项目", {"status": "投产", "investment": 9000.0}, (CHAIN_A, "集成")),
]

# (from chain, from segment, to chain, to segment)
FEEDS = [
    (CHAIN_A, "原料", CHAIN_A, "部件"),
    (CHAIN_A, "部件", CHAIN_A, "整机"),
    (CHAIN_A, "整机", CHAIN_A, "集成"),
    (CHAIN_A, "回收", CHAIN_A, "再制造"),
    (CHAIN_A, "再制造", CHAIN_A, "回收"),
    (CHAIN_B, "电芯", CHAIN_B, "模组"),
    (CHAIN_B, "模组", CHAIN_A, "再制造"),
    *((CHAIN_C, name, CHAIN_C, "整机") for name, _, _ in SEGMENTS_C if name != "整机"),
]

EXPECTED_STATUS = {
    CHAIN_A: {
        "原料": ("ok", []),
        "部件": ("dependent", ["low_local_supply"]),
        "整机": ("weak", ["few_enterprises", "no_leader"]),
        "集成": ("missing", ["no_enterprise"]),
        "回收": ("dependent", ["single_source"]),
        "再制造": ("ok", []),
    },
    CHAIN_B: {
        "电芯": ("ok", []),
        "模组": ("dependent", ["low_local_supply", "few_enterprises"]),
    },
    CHAIN_EMPTY: {},
    CHAIN_C: {
        "推断": ("unverified", ["only_inferred"]),
        "稀疏": ("insufficient_data", ["single_source", "sparse_supply_data"]),
        "进口": ("dependent", ["foreign_dependence"]),
        "卡脖": ("dependent", ["choke_technology"]),
        "产能": ("weak", ["capacity_short"]),
        "集中": ("weak", ["concentrated"]),
        "整机": ("ok", []),
    },
}
EXPECTED_RANKING_C = ["进口", "卡脖", "产能", "集中", "推断", "稀疏"]


def org_name(key: str) -> str:
    """The registered name of fixture organisation ``key`` (e.g. 测试企业E1)."""
    return f"测试{'大学' if key.startswith('U') else '企业'}{key}"


def entry_id(label: str, name: str) -> str:
    """The id of a fixture list entry."""
    return f"{label.lower()}:{name}"


def oid(key: str) -> str:
    """The id of fixture organisation ``key``."""
    return ids.org_id(org_name(key))


def sid(chain: str, segment: str) -> str:
    """The id of a fixture segment."""
    return ids.segment_id(chain, segment)


def org_row(key: str, in_province: bool | None, revenue: float | None, leader: bool, kind: str):
    """An Organization row for fixture organisation ``key``."""
    extra: dict[str, Any] = {}
    if key in COUNTRY:
        extra["country"] = COUNTRY[key]
    if key in CAPACITY:
        extra["capacity"] = CAPACITY[key]
    return {
        **extra,
        "id": oid(key),
        "name": org_name(key),
        "kind": kind,
        "city": "郑州市" if in_province else None,
        "in_province": in_province,
        "revenue": revenue,
        "leader": leader,
        "synthetic": True,
    }


def segment_rows(chain: str, segments: list[tuple[str, str, int]]) -> list[dict[str, Any]]:
    """Segment rows of a fixture chain."""
    return [
        {
            "id": sid(chain, name),
            "name": name,
            "chain": chain,
            "stage": stage,
            "stage_rank": RANK[stage],
            "position": pos,
        }
        for name, stage, pos in segments
    ]


def load_weak_fixture(store: GraphStore) -> None:
    """Write the fixture chains into ``store`` through upserts."""
    chains = [(CHAIN_A, 1), (CHAIN_B, 2), (CHAIN_EMPTY, 3), (CHAIN_C, 4)]
    with store.transaction() as tx:
        tx.upsert_nodes("Cluster", [{"id": ids.cluster_id(CLUSTER), "name": CLUSTER, "seq": 1}])
        tx.upsert_nodes(
            "Chain",
            [{"id": ids.chain_id(n), "name": n, "seq": s, "future": False} for n, s in chains],
        )
        tx.upsert_rels(
            "HAS_CHAIN",
            "Cluster",
            "Chain",
            [{"from_id": ids.cluster_id(CLUSTER), "to_id": ids.chain_id(n)} for n, _ in chains],
        )
        tx.upsert_nodes(
            "Segment",
            segment_rows(CHAIN_A, SEGMENTS_A)
            + segment_rows(CHAIN_B, SEGMENTS_B)
            + segment_rows(CHAIN_C, SEGMENTS_C),
        )
        tx.upsert_rels(
            "HAS_SEGMENT",
            "Chain",
            "Segment",
            [{"from_id": ids.chain_id(CHAIN_A), "to_id": sid(CHAIN_A, n)} for n, _, _ in SEGMENTS_A]
            + [
                {"from_id": ids.chain_id(CHAIN_B), "to_id": sid(CHAIN_B, n)}
                for n, _, _ in SEGMENTS_B
            ]
            + [
                {"from_id": ids.chain_id(CHAIN_C), "to_id": sid(CHAIN_C, n)}
                for n, _, _ in SEGMENTS_C
            ],
        )
        tx.upsert_rels(
            "FEEDS",
            "Segment",
            "Segment",
            [
                {
                    "from_id": sid(fc, fs),
                    "to_id": sid(tc, ts),
                    "product": fs,
                    "cross_chain": fc != tc,
                }
                for fc, fs, tc, ts in FEEDS
            ],
        )
        tx.upsert_nodes(
            "Organization",
            [org_row(k, inp, rev, lead, kind) for k, (inp, rev, lead, kind, _) in ORGS.items()]
            + [org_row(k, True, 80, False, "enterprise") for k in INFERRED],
        )
        tx.upsert_rels(
            "OPERATES_IN",
            "Organization",
            "Segment",
            [
                {"from_id": oid(k), "to_id": sid(c, s), "inferred": False}
                for k, (*_, segs) in ORGS.items()
                for c, s in segs
            ]
            + [
                {"from_id": oid(k), "to_id": sid(*cs), "inferred": True}
                for k, cs in INFERRED.items()
            ],
        )
        tx.upsert_rels(
            "SUPPLIES",
            "Organization",
            "Organization",
            [
                {"from_id": oid(a), "to_id": oid(b), "product": p, "value": v}
                for a, b, p, v in SUPPLIES
            ]
            + [
                {"from_id": oid(a), "to_id": oid(b), "product": p, "value": v, "segment": sid(*cs)}
                for a, b, p, v, cs in TAGGED_SUPPLIES
            ],
        )
        for label in ("Technology", "InvestmentTarget", "Project"):
            mine = [e for e in LIST_ENTRIES if e[0] == label]
            tx.upsert_nodes(
                label, [{"id": entry_id(label, n), "name": n, **props} for _, n, props, _ in mine]
            )
            tx.upsert_rels(
                "IN_SEGMENT",
                label,
                "Segment",
                [{"from_id": entry_id(label, n), "to_id": sid(*cs)} for _, n, _, cs in mine],
            )


def add_enterprise(
    store: GraphStore,
    key: str,
    chain: str,
    segment: str,
    *,
    in_province: bool | None = True,
    revenue: float | None = None,
    leader: bool = False,
) -> None:
    """Add one more organisation operating in a segment (for property tests)."""
    with store.transaction() as tx:
        tx.upsert_nodes("Organization", [org_row(key, in_province, revenue, leader, "enterprise")])
        tx.upsert_rels(
            "OPERATES_IN",
            "Organization",
            "Segment",
            [{"from_id": oid(key), "to_id": sid(chain, segment), "inferred": False}],
        )
