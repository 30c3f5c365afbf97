"""The year walked in docs/versions-scenario.md, on both stores, with the exact graph at each
step: 2024 lists, a correction, 2025 lists, a segment renamed with a rename map, the diff
2024 -> 2025, weak links as of 2024 and now."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from chainkg.errors import InputError
from chainkg.graph.diff import diff_entries
from chainkg.graph.store import GraphStore
from chainkg.graph.versions import graph_as_of, in_force, list_versions, read_content
from chainkg.loaders.chain_templates import default_template_dir
from chainkg.loaders.list_load import ListFile, load_lists
from chainkg.loaders.roster_load import load_roster
from chainkg.loaders.template_load import load_chain_templates
from chainkg.queries.findings import resolve_chains, weak_links

CHAIN = "电力装备产业链"
HEADER = "名称,产业链,环节,地市,营业收入(万元),龙头"
Y2024, Y2025 = dt.date(2024, 12, 31), dt.date(2025, 12, 31)
STEEL, TRAFO, CABLE = "电工钢与铜铝导体材料", "变压器与电抗器", "电线电缆"
TRAFO2 = "变压器"  # the 2025 template's name for 变压器与电抗器


def write(tmp: Path, name: str, *rows: str) -> Path:
    path = tmp / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def placements(store: GraphStore) -> list[tuple[str, str]]:
    rows = store.read(
        "MATCH (o:Organization)-[:OPERATES_IN]->(s:Segment) WHERE s.chain = $c "
        "RETURN o.name AS o, s.name AS s",
        {"c": CHAIN},
    )
    return sorted((r["o"], r["s"]) for r in rows)


def firms(store: GraphStore) -> list[tuple[str, str | None, float | None, bool | None]]:
    rows = store.read(
        "MATCH (o:Organization) WHERE size(o.claimed_by) > 0 "
        "RETURN o.name AS n, o.city AS c, o.revenue AS r, o.leader AS l"
    )
    return sorted((r["n"], r["c"], r["r"], r["l"]) for r in rows)


def statuses(store: GraphStore) -> dict[str, str]:
    """Weak-link status per segment of the chain that has one of the three firms' segments."""
    report = weak_links(store, resolve_chains(store, CHAIN))
    segs = report["chains"][0]["segments"]
    return {s["name"]: s["status"] for s in segs if s["name"] in (STEEL, TRAFO, TRAFO2, CABLE)}


def test_a_year_of_lists(store: GraphStore, tmp_path: Path) -> None:
    load_roster(store)
    load_chain_templates(store)
    a, b, c = "许继示例电气有限公司", "平高示例开关有限公司", "安阳示例钢铁有限公司"
    # 1. the 2024 lists
    v2024 = write(tmp_path, "电力装备企业2024.csv", f"{a},{CHAIN},{TRAFO},许昌市,80000,是",
                  f"{b},{CHAIN},{CABLE},平顶山市,30000,否")  # fmt: skip
    load_lists(store, [ListFile("enterprises", v2024)], as_of=Y2024)
    assert placements(store) == [(b, CABLE), (a, TRAFO)]
    # 2. the 2024 list corrected: b was wrong (removed), c added, a's revenue fixed
    fixed = write(tmp_path, "电力装备企业2024-更正.csv", f"{a},{CHAIN},{TRAFO},许昌市,85000,是",
                  f"{c},{CHAIN},{STEEL},安阳市,120000,是")  # fmt: skip
    load_lists(store, [ListFile("enterprises", fixed)], as_of=Y2024)
    assert placements(store) == [(c, STEEL), (a, TRAFO)]
    assert firms(store) == [(c, "安阳市", 120000.0, True), (a, "许昌市", 85000.0, True)]
    # 3. the 2025 list: a grows and also makes cables; c is gone; b is back
    v2025 = write(tmp_path, "电力装备企业2025.csv", f"{a},{CHAIN},{TRAFO}、{CABLE},许昌市,90000,是",
                  f"{b},{CHAIN},{CABLE},平顶山市,32000,否")  # fmt: skip
    load_lists(store, [ListFile("enterprises", v2025)], as_of=Y2025)
    assert placements(store) == [(b, CABLE), (a, TRAFO), (a, CABLE)]
    # 4. the template renames 变压器与电抗器 -> 变压器: refused without a rename map ...
    folder = tmp_path / "templates"
    shutil.copytree(default_template_dir(), folder)
    power = folder / "01-power-equipment.toml"
    power.write_text(power.read_text(encoding="utf-8").replace(TRAFO, TRAFO2), encoding="utf-8")
    before = store.export()
    with pytest.raises(InputError) as refused:
        load_chain_templates(store, folder)
    assert [str(p) for p in refused.value.problems] == [
        f"电力装备产业链/{TRAFO}: {a} (Organization) is placed in this segment, which the "
        "templates no longer have"
    ]
    assert store.export() == before
    # ... and moves a's placements with one
    power.write_text(
        power.read_text(encoding="utf-8") + f'\n[renames]\n"{TRAFO}" = "{TRAFO2}"\n',
        encoding="utf-8",
    )
    report = load_chain_templates(store, folder)
    assert (report.moved, report.dropped) == (1, 0)
    assert placements(store) == [(b, CABLE), (a, TRAFO2), (a, CABLE)]
    # 5. the diff 2024 -> 2025 (entries by organisation id)
    versions = list_versions(store.read)
    old = read_content(store.read, in_force(versions, Y2024)[("enterprises", CHAIN)].id)
    new = read_content(store.read, in_force(versions, Y2025)[("enterprises", CHAIN)].id)
    assert old is not None and new is not None
    change = diff_entries(old.entries, new.entries)
    assert change.added == [f"org:{b}"]
    assert change.removed == [f"org:{c}"]
    assert change.changed == {
        f"org:{a}": {
            "revenue": (85000.0, 90000.0),
            "segments": (
                [f"segment:{CHAIN}/{TRAFO2}"],
                [f"segment:{CHAIN}/{TRAFO2}", f"segment:{CHAIN}/{CABLE}"],
            ),
        }
    }
    # 6. weak links as of 2024 and now
    now = statuses(store)
    with graph_as_of(store, Y2024) as then:
        assert placements(then) == [(c, STEEL), (a, TRAFO2)]
        assert firms(then) == [(c, "安阳市", 120000.0, True), (a, "许昌市", 85000.0, True)]
        past = statuses(then)
    assert past == {STEEL: "weak", TRAFO2: "weak", CABLE: "missing"}
    assert now == {STEEL: "missing", TRAFO2: "weak", CABLE: "weak"}
