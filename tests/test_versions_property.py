"""Property (hypothesis): loading v2 and then v1's file again under v1's key gives back
v1's state, whatever the two lists hold (docs/versions.md: a key's reload replaces it)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from list_fixtures import AS_OF, AUTO, LOADED_AT, NYLON, SEGMENTS, build_graph

from chainkg.graph.store import ExportedGraph, GraphStore
from chainkg.loaders.list_load import ListFile, load_lists

NAMES = ["甲示例科技有限公司", "乙示例材料有限公司", "丙示例汽车有限公司", "丁示例工程有限公司"]
CITIES = ["郑州市", "洛阳市", "新乡市", ""]
PARKS = ["郑州高新区", "洛阳高新区", ""]

row = st.tuples(
    st.sampled_from(NAMES),
    st.integers(0, 2),
    st.sampled_from(CITIES),
    st.sampled_from(PARKS),
    st.one_of(st.none(), st.integers(1, 5)),
    st.booleans(),
)
lists = st.lists(row, min_size=1, max_size=4, unique_by=lambda r: r[0])


def write(folder: Path, name: str, chain: str, rows: list[tuple]) -> Path:
    lines = ["名称,产业链,环节,地市,园区,营业收入(万元),龙头"]
    for n, seg, city, park, revenue, leader in rows:
        segments = SEGMENTS[chain]
        lines.append(
            f"{n},{chain},{segments[seg % len(segments)][0]},{city},{park},"
            f"{'' if revenue is None else revenue * 1000},{'是' if leader else '否'}"
        )
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


_STUB_PROVENANCE = ("source", "source_ref", "version")


def state(store: GraphStore) -> ExportedGraph:
    """The graph without the trail of when loads ran (audit, version update times), and
    without which row (re)created a city or park stub that no list claims: the stub's
    provenance names the load that last created it, which depends on the order of loads."""
    out = store.export()
    out.nodes.pop("AuditEntry")
    for label in ("City", "Park"):
        out.nodes[label] = [
            {k: v for k, v in r.items() if not (k in _STUB_PROVENANCE and not r.get("claimed_by"))}
            for r in out.nodes[label]
        ]
    out.nodes["ListVersion"] = [
        {k: v for k, v in r.items() if k not in ("updated_at", "loaded_at")}
        for r in out.nodes["ListVersion"]
    ]
    return out


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(chain=st.sampled_from([NYLON, AUTO]), v1=lists, v2=lists)
def test_reloading_v1_after_v2_gives_v1(embedded_store: GraphStore, chain, v1, v2) -> None:
    if not embedded_store.read("MATCH (c:Chain) RETURN count(c) AS n")[0]["n"]:
        build_graph(embedded_store)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        f1, f2 = write(folder, "v1.csv", chain, v1), write(folder, "v2.csv", chain, v2)
        load = lambda f: load_lists(  # noqa: E731
            embedded_store, [ListFile("enterprises", f)], as_of=AS_OF, loaded_at=LOADED_AT
        )
        load(f1)
        first = state(embedded_store)
        load(f2)
        load(f1)
        assert state(embedded_store) == first
