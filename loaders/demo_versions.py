"""The demo's second year as reissued lists (示例数据): versions with changed values.

The enterprise demo (``demo_data``) dates its memberships in two years, but nothing in it
changes value between the years. Real lists do: a responsible unit reissues its chain's
lists each year, correcting values, completing projects, adding firms. This module writes
such lists for two chains of the demo as CSV files (the enterprise lists in UTF-8 with a BOM,
the project lists in GB18030, as offices save them) and loads them through the normal list
loader (``list_load.load_lists``), once as of the year before (``PREVIOUS_AS_OF``) and once
reissued as of the demo's year (``AS_OF``). Between the two versions:

- chain A (``closed``): a segment the demo leaves thin (few firms, 弱链) gets three new firms
  in year two, one of them a new 龙头: the finding is closed, and A has a new leader;
- chain B (``opened``): year one lists three firms in a thin segment (so it is not weak
  then, one of them its 龙头); the reissued list corrects their 环节 to another segment, so the thin one is a new
  finding in year two;
- both chains' project lists: two projects completed (在建 -> 投产), one investment
  corrected, one project new; every firm's revenue moves (growth) and one is corrected.

What each version holds is ``plan_versions``; the numbers the evaluation must show follow
from it (tests/test_demo_versions.py). Loading twice changes nothing (same keys replaced).
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chainkg.graph.store import GraphStore
from chainkg.loaders.demo_data import AS_OF, PREVIOUS_AS_OF, DemoManifest, PlantedWeakness
from chainkg.loaders.list_load import ListFile, load_lists

Row = dict[str, Any]
ENTERPRISE_HEADER = (
    "名称",
    "所在地市",
    "产业链",
    "环节",
    "营业收入（万元）",
    "龙头",
    "专精特新",
    "上市",
    "省内/省外",
)
PROJECT_HEADER = ("项目名称", "产业链", "环节", "所在地市", "总投资（万元）", "状态", "开工年份")
CITY = "洛阳市"
LOADED_AT = {PREVIOUS_AS_OF: "2024-01-20T08:00:00+00:00", AS_OF: "2025-01-20T08:00:00+00:00"}


@dataclass(frozen=True)
class ChainPlan:
    """The two versions of one chain's lists: rows per (kind, as_of)."""

    chain: str
    role: str  # closed | opened
    thin_segment: str
    other_segment: str
    rows: Mapping[tuple[str, dt.date], Sequence[Row]] = field(default_factory=dict)


def _firm(chain_short: str, n: int) -> str:
    return f"洛阳{chain_short}版本示例{n}号有限公司（示例）"


def _enterprise(name: str, chain: str, segment: str, revenue: float, leader: bool) -> Row:
    return {
        "名称": name,
        "所在地市": CITY,
        "产业链": chain,
        "环节": segment,
        "营业收入（万元）": f"{revenue:g}",
        "龙头": "是" if leader else "否",
        "专精特新": "否",
        "上市": "否",
        "省内/省外": "省内",
    }


def _project(
    name: str, chain: str, segment: str, investment: float, status: str, start: int
) -> Row:
    return {
        "项目名称": name,
        "产业链": chain,
        "环节": segment,
        "所在地市": CITY,
        "总投资（万元）": f"{investment:g}",
        "状态": status,
        "开工年份": str(start),
    }


def _short(chain: str) -> str:
    return chain.removesuffix("产业链")[:4]


def plan_chain(role: str, thin: PlantedWeakness, other_segment: str) -> ChainPlan:
    """The two versions of ``thin.chain``'s enterprise and project lists (pure).

    ``role`` closed: the thin segment gets three firms in year two (one a new 龙头);
    opened: three firms listed in it in year one are moved to ``other_segment`` in year two.
    """
    chain, seg, short = thin.chain, thin.segment, _short(thin.chain)
    f1, f2, f3, f4 = (_firm(short, n) for n in range(1, 5))
    if role == "closed":
        before = [_enterprise(f4, chain, other_segment, 60000, False)]
        now = [
            _enterprise(f1, chain, seg, 52000, True),  # the new 龙头
            _enterprise(f2, chain, seg, 48000, False),
            _enterprise(f3, chain, seg, 45000, False),
            _enterprise(f4, chain, other_segment, 66000, False),  # +10%
        ]
    else:
        before = [
            _enterprise(f1, chain, seg, 40000, True),
            _enterprise(f2, chain, seg, 38000, False),
            _enterprise(f3, chain, seg, 36000, False),
        ]
        # the reissue corrects their 环节 and f1's revenue (40000 was a typo for 44000)
        now = [
            _enterprise(f1, chain, other_segment, 44000, True),
            _enterprise(f2, chain, other_segment, 38000, False),
            _enterprise(f3, chain, other_segment, 36000, False),
        ]
    p = [f"洛阳{short}版本示例项目{n}（示例）" for n in range(1, 5)]
    projects_before = [
        _project(p[0], chain, other_segment, 120000, "在建", 2022),
        _project(p[1], chain, other_segment, 80000, "在建", 2023),
        _project(p[2], chain, seg, 30000, "签约", 2023),
    ]
    projects_now = [
        _project(p[0], chain, other_segment, 120000, "投产", 2022),
        _project(p[1], chain, other_segment, 85000, "投产", 2023),  # investment corrected
        _project(p[2], chain, seg, 30000, "在建", 2023),
        _project(p[3], chain, seg, 50000, "签约", 2024),
    ]
    return ChainPlan(
        chain,
        role,
        seg,
        other_segment,
        {
            ("enterprises", PREVIOUS_AS_OF): before,
            ("enterprises", AS_OF): now,
            ("projects", PREVIOUS_AS_OF): projects_before,
            ("projects", AS_OF): projects_now,
        },
    )


def plan_versions(manifest: DemoManifest, segments: Mapping[str, Sequence[str]]) -> list[ChainPlan]:
    """The two chains the second demo year changes, and how (pure).

    The first two chains (manifest order) in ``segments`` (chain -> its segment names in
    template order) with a segment planted thin by having few firms: the first closes it,
    the second opens it. The firms' other segment is the chain's first segment not planted.
    """
    planted = {p.segment for p in manifest.planted}
    chosen: list[PlantedWeakness] = []
    for p in manifest.planted:
        if (p.kind, p.variant) != ("thin", "few") or p.chain not in segments:
            continue
        if all(c.chain != p.chain for c in chosen):
            chosen.append(p)
        if len(chosen) == 2:
            break
    out = []
    for role, thin in zip(("closed", "opened"), chosen, strict=False):
        other = next(s for s in segments[thin.chain] if s not in planted and s != thin.segment)
        out.append(plan_chain(role, thin, other))
    return out


HEADERS = {"enterprises": ENTERPRISE_HEADER, "projects": PROJECT_HEADER}
ENCODINGS = {"enterprises": "utf-8-sig", "projects": "gb18030"}


def write_files(plans: Sequence[ChainPlan], folder: Path, as_of: dt.date) -> list[ListFile]:
    """The lists of ``as_of`` as CSV files in ``folder``, one per kind (all chains)."""
    files = []
    for kind, header in HEADERS.items():
        path = folder / f"示例{kind}-{as_of.year}.csv"
        with path.open("w", encoding=ENCODINGS[kind], newline="") as fh:
            out = csv.DictWriter(fh, fieldnames=header)
            out.writeheader()
            for plan in plans:
                out.writerows(plan.rows[(kind, as_of)])
        files.append(ListFile(kind, path))
    return files


def load_demo_versions(store: GraphStore, manifest: DemoManifest) -> list[ChainPlan]:
    """Load the demo's reissued lists (both years) into ``store``; returns what they hold."""
    from chainkg.graph.catalog import query

    segments: dict[str, list[str]] = {}
    for r in store.read(query("chain_segments_in_template_order")):
        segments.setdefault(r["chain"], []).append(r["segment"])
    plans = plan_versions(manifest, segments)
    if not plans:
        return []
    with tempfile.TemporaryDirectory(prefix="chainkg-demo-lists-") as tmp:
        for as_of in (PREVIOUS_AS_OF, AS_OF):
            files = write_files(plans, Path(tmp), as_of)
            load_lists(store, files, as_of=as_of, loaded_at=LOADED_AT[as_of], synthetic=True)
    return plans
