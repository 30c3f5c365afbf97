"""A small graph for the list-loader tests: chains, segments, one organisation, one city.

Written directly with upsert (the roster and template loaders are not needed).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from chainkg.graph.ids import chain_id, city_id, org_id, segment_id
from chainkg.graph.store import GraphStore

LISTS = Path(__file__).parent / "data" / "lists"
AS_OF = dt.date(2024, 12, 31)
LOADED_AT = "2025-01-15T08:00:00+00:00"
NYLON = "尼龙新材料产业链"
AUTO = "整车及零部件产业链"
SENSOR = "智能传感器产业链"  # a chain without segments (templates not loaded)
SEGMENTS = {
    NYLON: [
        ("己二腈与己二胺", ["2614"]),
        ("尼龙6与尼龙66切片", ["2651"]),
        ("尼龙工程塑料", ["2651", "2929"]),
    ],
    AUTO: [("汽车零部件", ["3670"]), ("整车制造", ["3611"])],
}
KNOWN_ORG = "河南示例汽车零部件有限公司"
KNOWN_USCC = "91410100MA44ABCD1F"

_PROV = {
    "source": "fixture",
    "source_ref": "test",
    "loaded_at": LOADED_AT,
    "as_of": AS_OF,
    "synthetic": False,
}


def build_graph(store: GraphStore) -> None:
    """Chains, their segments, 郑州市 and one known organisation."""
    chains = [
        {"id": chain_id(n), "name": n, "seq": i, "future": False, **_PROV}
        for i, n in enumerate((NYLON, AUTO, SENSOR), 1)
    ]
    segments = []
    has = []
    for chain, segs in SEGMENTS.items():
        for pos, (name, codes) in enumerate(segs, 1):
            sid = segment_id(chain, name)
            segments.append(
                {
                    "id": sid,
                    "name": name,
                    "chain": chain,
                    "position": pos,
                    "industry_codes": codes,
                    **_PROV,
                }
            )
            has.append({"from_id": chain_id(chain), "to_id": sid, **_PROV})
    with store.transaction() as tx:
        tx.upsert_nodes("Chain", chains)
        tx.upsert_nodes("Segment", segments)
        tx.upsert_rels("HAS_SEGMENT", "Chain", "Segment", has)
        tx.upsert_nodes("City", [{"id": city_id("郑州市"), "name": "郑州市", **_PROV}])
        tx.upsert_nodes(
            "Organization",
            [
                {
                    "id": org_id(KNOWN_ORG),
                    "name": KNOWN_ORG,
                    "kind": "enterprise",
                    "uscc": KNOWN_USCC,
                    **_PROV,
                }
            ],
        )
