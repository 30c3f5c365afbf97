"""A small graph over two years for the evaluation and report tests, values worked out by hand.

Clusters 装备制造 (chains 甲, 乙) and 新材料 (chain 丙). Memberships (OPERATES_IN, LISTED_FOR)
are dated 2023-12-31 or 2024-12-31; see EXPECTED for what each query must count.
"""

from __future__ import annotations

import datetime as dt

from chainkg.graph import ids
from chainkg.graph.store import GraphStore

Y23, Y24 = dt.date(2023, 12, 31), dt.date(2024, 12, 31)
JIA, YI, BING = "甲产业链", "乙产业链", "丙产业链"
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>&amp;"
DOC = "豫政办〔2021〕61号"
PROV = {"source": "测试夹具", "source_ref": "第1行"}


def _seg(chain: str, name: str) -> str:
    return ids.segment_id(chain, name)


def _org(name: str) -> str:
    return ids.org_id(name)


def build_eval_graph(store: GraphStore) -> None:
    """Write the two-year fixture into an empty store."""
    clusters = [("装备制造", 1, "周一"), ("新材料", 2, "吴二")]
    chains = [(JIA, 1, "装备制造"), (YI, 2, "装备制造"), (BING, 3, "新材料")]
    segments = [
        (JIA, "甲上", "upstream", 1, 1),
        (JIA, "甲下", "downstream", 3, 2),
        (YI, "乙一", "midstream", 2, 1),
        (BING, "丙一", "midstream", 2, 1),
    ]
    # name, revenue, leader, specialized, listed, in_province, [(chain, segment, as_of)]
    orgs = [
        ("甲一公司", 2_000_000.0, True, False, True, True, [(JIA, "甲上", Y23)]),
        ("甲二公司", 150_000.0, False, True, False, True, [(JIA, "甲上", Y23), (JIA, "甲下", Y23)]),
        ("甲三公司", 50_000.0, True, False, False, True, [(JIA, "甲下", Y24)]),
        ("甲四公司", None, False, False, None, True, [(JIA, "甲下", Y23)]),
        ("乙一公司", 80_000.0, True, False, False, True, [(YI, "乙一", Y23)]),
        ("省外客户公司", 90_000.0, False, False, False, False, []),
        (HOSTILE, 300_000.0, False, False, True, False, [(BING, "丙一", Y23)]),
    ]
    with store.transaction() as tx:
        tx.upsert_nodes(
            "Document",
            [
                {
                    "id": ids.document_id(DOC),
                    "number": DOC,
                    "title": "通知",
                    "issuer": "省政府办公厅",
                    **PROV,
                }
            ],
        )
        tx.upsert_nodes("Province", [{"id": ids.province_id("河南省"), "name": "河南省", **PROV}])
        tx.upsert_nodes(
            "Cluster",
            [{"id": ids.cluster_id(n), "name": n, "seq": s, **PROV} for n, s, _ in clusters],
        )
        tx.upsert_nodes(
            "Person",
            [
                {"id": ids.person_id(p), "name": p, "title": "副省长", **PROV}
                for _, _, p in clusters
            ],
        )
        tx.upsert_nodes(
            "Chain",
            [
                {"id": ids.chain_id(n), "name": n, "seq": s, "future": False, **PROV}
                for n, s, _ in chains
            ],
        )
        tx.upsert_nodes(
            "Segment",
            [
                {
                    "id": _seg(c, n),
                    "name": n,
                    "chain": c,
                    "stage": st,
                    "stage_rank": r,
                    "position": p,
                    **PROV,
                }
                for c, n, st, r, p in segments
            ],
        )
        tx.upsert_nodes(
            "Organization",
            [
                {
                    "id": _org(n),
                    "name": n,
                    "kind": "enterprise",
                    "revenue": rev,
                    "leader": lead,
                    "specialized": spec,
                    "listed": lst,
                    "in_province": inp,
                    "city": "郑州市" if inp else "江苏省苏州市",
                    "as_of": Y24,
                    "synthetic": False,
                    **PROV,
                }
                for n, rev, lead, spec, lst, inp, _ in orgs
            ]
            + [
                {
                    "id": _org("省工业和信息化厅"),
                    "name": "省工业和信息化厅",
                    "kind": "government",
                    **PROV,
                }
            ],
        )
        tx.upsert_rels(
            "HAS_CLUSTER",
            "Province",
            "Cluster",
            [
                {"from_id": ids.province_id("河南省"), "to_id": ids.cluster_id(n)}
                for n, _, _ in clusters
            ],
        )
        tx.upsert_rels(
            "CHIEF_OF",
            "Person",
            "Cluster",
            [
                {"from_id": ids.person_id(p), "to_id": ids.cluster_id(n), "position": 1}
                for n, _, p in clusters
            ],
        )
        tx.upsert_rels(
            "HAS_CHAIN",
            "Cluster",
            "Chain",
            [{"from_id": ids.cluster_id(cl), "to_id": ids.chain_id(n)} for n, _, cl in chains],
        )
        tx.upsert_rels(
            "RESPONSIBLE_FOR",
            "Organization",
            "Chain",
            [
                {"from_id": _org("省工业和信息化厅"), "to_id": ids.chain_id(n), "position": 1}
                for n, _, _ in chains
            ],
        )
        tx.upsert_rels(
            "HAS_SEGMENT",
            "Chain",
            "Segment",
            [{"from_id": ids.chain_id(c), "to_id": _seg(c, n)} for c, n, *_ in segments],
        )
        tx.upsert_rels(
            "FEEDS",
            "Segment",
            "Segment",
            [{"from_id": _seg(JIA, "甲上"), "to_id": _seg(JIA, "甲下")}],
        )
        tx.upsert_rels(
            "OPERATES_IN",
            "Organization",
            "Segment",
            [
                {"from_id": _org(n), "to_id": _seg(c, s), "as_of": d, **PROV}
                for n, *_, places in orgs
                for c, s, d in places
            ],
        )
        tx.upsert_rels(
            "SUPPLIES",
            "Organization",
            "Organization",
            [
                {"from_id": _org(a), "to_id": _org(b), "product": p, "value": v, **PROV}
                for a, b, p, v in [
                    ("甲一公司", "甲三公司", "甲上", 100.0),
                    ("甲一公司", "省外客户公司", "甲上", 200.0),
                    ("甲二公司", "省外客户公司", "甲上", 50.0),
                ]
            ],
        )
        _lists(tx)
        tx.upsert_nodes(
            "Problem",
            [
                {
                    "id": f"problem:{i}",
                    "title": f"问题{i}",
                    "chain": c,
                    "status": st,
                    "registered": r,
                    "resolved_on": done,
                    "satisfaction": sat,
                    **PROV,
                }
                for i, c, st, r, done, sat in [
                    (1, JIA, "已反馈", dt.date(2024, 3, 4), dt.date(2024, 3, 20), "满意"),
                    (2, JIA, "办理中", dt.date(2024, 5, 6), None, None),
                    (3, JIA, "办结", dt.date(2024, 6, 3), dt.date(2024, 6, 20), "不满意"),
                    (4, YI, "已反馈", dt.date(2023, 4, 3), dt.date(2023, 4, 10), "基本满意"),
                ]
            ],
        )


def _lists(tx) -> None:
    chain = ids.chain_id(JIA)
    entries = {
        "Platform": [
            ({"id": "platform:p1", "name": "国家甲平台", "level": "国家级"}, Y23),
            ({"id": "platform:p2", "name": "省甲平台", "level": "省级"}, Y24),
        ],
        "Technology": [
            ({"id": "technology:t1", "name": "技术一", "choke": True, "status": "已突破"}, Y23),
            ({"id": "technology:t2", "name": "技术二", "choke": True, "status": "攻关中"}, Y24),
            ({"id": "technology:t3", "name": "技术三", "choke": False, "status": "已应用"}, Y24),
        ],
        "Talent": [
            ({"id": "talent:tl1", "name": "团队一", "count": 10}, Y23),
            ({"id": "talent:tl2", "name": "人才二"}, Y24),
        ],
        "Project": [
            (
                {"id": "project:pr1", "name": "项目一", "investment": 100_000.0, "status": "投产"},
                Y23,
            ),
            (
                {"id": "project:pr2", "name": "项目二", "investment": 300_000.0, "status": "在建"},
                Y24,
            ),
        ],
    }
    for label, rows in entries.items():
        tx.upsert_nodes(label, [{**r, **PROV, "as_of": d} for r, d in rows])
        tx.upsert_rels(
            "LISTED_FOR",
            label,
            "Chain",
            [{"from_id": r["id"], "to_id": chain, "as_of": d, **PROV} for r, d in rows],
        )


# What the eval queries must give (chain -> column -> (2024, 2023)); None: no row.
EXPECTED = {
    JIA: {
        "enterprises": (4, 3),
        "revenue": (2_200_000.0, 2_150_000.0),
        "leaders": (2, 1),
        "specialized": (1, 1),
        "listed": (1, 1),
        "revenue_10bn": (1, 1),
        "revenue_1bn": (2, 2),
        "platforms_national": (1, 1),
        "platforms_provincial": (1, 0),
        "technologies": (3, 1),
        "choke_addressed": (1, 1),
        "talent": (11, 10),
        "projects": (2, 1),
        "investment": (400_000.0, 100_000.0),
        "projects_done_share": (50.0, 100.0),
        "outside_customers": (1, 1),
        "national_platforms": (1, 1),
    },
    YI: {
        "enterprises": (1, 1),
        "revenue": (80_000.0, 80_000.0),
        "leaders": (1, 1),
        "specialized": (0, 0),
        "listed": (0, 0),
        "revenue_10bn": (0, 0),
        "revenue_1bn": (0, 0),
    },
}
