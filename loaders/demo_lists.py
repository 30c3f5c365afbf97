"""Synthetic list entries (示例数据) for the demo: platforms, technologies, talent, projects.

The enterprise demo (``demo_data``) fills the segments with firms; the evaluation also
needs the other lists of "一个图谱、十项清单" (平台、技术、人才、项目). This module invents,
per chain, a handful of each, hosted by the chain's demo firms, over two years: entries
first listed in the year before (``PREVIOUS_AS_OF``) and entries new in the demo's year
(``AS_OF``); the LISTED_FOR fact of each entry carries the date of the list it first
appears in, so the evaluation's year view sees both years.

Deterministic like the rest of the demo: a pure function of the demo data and the seed.
Ids follow the list loaders (``project:<chain>/<name>``, ``platform:<name>`` ...), and every
name ends in （示例）.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable, Collection, Iterator
from typing import Any

from chainkg.graph.ids import chain_id, city_id, clean_name
from chainkg.loaders.demo_data import AS_OF, PREVIOUS_AS_OF, SOURCE, DemoData, DemoTable

Row = dict[str, Any]
LIST_KINDS = ("Platform", "Technology", "Talent", "Project")
_PLATFORM_KINDS = (
    "重点实验室",
    "技术创新中心",
    "工程技术研究中心",
    "企业技术中心",
    "制造业创新中心",
    "中试基地",
)
_TECH_WORDS = (
    "关键材料制备技术",
    "高精度加工工艺",
    "智能控制系统",
    "核心零部件设计",
    "检测认证技术",
    "绿色低碳工艺",
    "高可靠封装技术",
    "数字孪生仿真",
)
_TALENT = (("领军人才", 1, 1), ("创新团队", 5, 30), ("急需紧缺人才", 10, 120))
_PROJECT_WORDS = ("扩产项目", "智能化改造项目", "产业园项目", "研发中心建设项目", "技改项目")
SHARE_NEW = 0.22
"""Share of each chain's entries first listed in the demo's year (the rest a year earlier)."""


def _rng(seed: int, phase: str) -> random.Random:
    digest = hashlib.sha256(f"chainkg-demo-lists/{seed}/{phase}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _short(city: str) -> str:
    return city.removesuffix("市").removesuffix("示范区")


def _unique(name: str, used: set[str]) -> str:
    out, n = name, 2
    while out in used:
        out = name.replace("（示例）", f"{n}（示例）")
        n += 1
    used.add(out)
    return out


class DemoLists:
    """The generated entries: rows per node label and per (relationship, from, to)."""

    def __init__(self, data: DemoData) -> None:
        self.nodes: dict[str, list[Row]] = {k: [] for k in LIST_KINDS}
        self.rels: dict[tuple[str, str, str], list[Row]] = {}
        self.seed = data.seed
        self.scale = data.scale

    def provenance(self, new: bool) -> Row:
        """Synthetic provenance, dated by the year the entry is first listed."""
        return {
            "source": SOURCE,
            "source_ref": f"lists seed={self.seed}, scale={self.scale}",
            "as_of": AS_OF if new else PREVIOUS_AS_OF,
            "synthetic": True,
        }

    def rel(self, type_: str, from_label: str, to_label: str, row: Row) -> None:
        """Add one relationship row."""
        self.rels.setdefault((type_, from_label, to_label), []).append(row)

    def tables(self) -> list[DemoTable]:
        """Node tables first, then relationships, as the demo loader writes them."""
        out = [
            DemoTable(label, len(rows), _iter(rows)) for label, rows in self.nodes.items() if rows
        ]
        for (type_, a, b), rows in self.rels.items():
            out.append(DemoTable(type_, len(rows), _iter(rows), a, b))
        return out


def _iter(rows: list[Row]) -> Callable[[], Iterator[Row]]:
    def make() -> Iterator[Row]:
        return iter(rows)

    return make


def generate_demo_lists(data: DemoData, chains: Collection[str] | None = None) -> DemoLists:
    """Platforms, technologies, talent and projects for the chains of ``data`` (pure).

    ``chains``: only these chain names (the Chain nodes the graph has; entries are listed
    for a chain). None: every chain of the templates.
    """
    out = DemoLists(data)
    firms_of = data.chain_firms()
    used: set[str] = set()
    for chain, segments in data.segments_by_chain().items():
        if chains is not None and chain not in chains:
            continue
        rng = _rng(data.seed, f"chain/{chain}")
        firms = firms_of.get(chain) or []
        if not firms:
            continue
        _platforms(out, rng, chain, segments, firms, used)
        _technologies(out, rng, chain, segments, firms)
        _talent(out, rng, chain, segments, firms)
        _projects(out, rng, chain, segments, firms)
    return out


def _link(
    out: DemoLists, label: str, node: Row, chain: str, segment_id: str, firm: Row, role: str
) -> None:
    prov = {k: node[k] for k in ("source", "source_ref", "as_of", "synthetic")}
    out.nodes[label].append(node)
    out.rel("LISTED_FOR", label, "Chain", {"from_id": node["id"], "to_id": chain_id(chain), **prov})
    out.rel("IN_SEGMENT", label, "Segment", {"from_id": node["id"], "to_id": segment_id, **prov})
    out.rel(
        "CONCERNS",
        label,
        "Organization",
        {"from_id": node["id"], "to_id": firm["id"], "role": role, **prov},
    )
    if label in ("Platform", "Project"):
        out.rel(
            "LOCATED_IN",
            label,
            "City",
            {"from_id": node["id"], "to_id": city_id(firm["city"]), **prov},
        )


def _pick(
    rng: random.Random, segments: list[tuple[str, str, str]], firms: list[Row]
) -> tuple[Row, str]:
    firm = firms[rng.randrange(len(firms))]
    word = next((w for sid, _, w in segments if sid == firm["segment_id"]), segments[0][2])
    return firm, word


def _platforms(
    out: DemoLists,
    rng: random.Random,
    chain: str,
    segments: list[tuple[str, str, str]],
    firms: list[Row],
    used: set[str],
) -> None:
    for _ in range(2 + rng.randrange(7)):
        firm, word = _pick(rng, segments, firms)
        new = rng.random() < SHARE_NEW or firm["new"]
        kind = rng.choice(_PLATFORM_KINDS)
        level = "国家级" if rng.random() < 0.25 else "省级"
        name = _unique(
            f"河南省{word}{kind}（示例）" if level == "省级" else f"国家{word}{kind}（示例）", used
        )
        node = {
            "id": f"platform:{clean_name(name)}",
            "name": name,
            "kind": kind,
            "level": level,
            "city": firm["city"],
            "host": firm["name"],
            **out.provenance(new),
        }
        _link(out, "Platform", node, chain, firm["segment_id"], firm, "host")


def _technologies(
    out: DemoLists,
    rng: random.Random,
    chain: str,
    segments: list[tuple[str, str, str]],
    firms: list[Row],
) -> None:
    names: set[str] = set()
    for _ in range(3 + rng.randrange(8)):
        firm, word = _pick(rng, segments, firms)
        new = rng.random() < SHARE_NEW or firm["new"]
        choke = rng.random() < 0.35
        if choke:
            # Solved (已突破) only: an unsolved 卡脖子 item makes its segment 断链, and the
            # demo plants those on purpose (demo_data, DEPENDENT choke), never by chance.
            rng.random()  # the draw that chose the status once: later entries stay as they were
            status = "已突破"
        else:
            status = rng.choice(("已应用", "攻关中", "引进"))
        name = _unique(f"{word}{rng.choice(_TECH_WORDS)}（示例）", names)
        node = {
            "id": f"technology:{clean_name(chain)}/{clean_name(name)}",
            "name": name,
            "choke": choke,
            "status": status,
            "holder": firm["name"],
            "description": "示例数据",
            **out.provenance(new),
        }
        _link(out, "Technology", node, chain, firm["segment_id"], firm, "holder")


def _talent(
    out: DemoLists,
    rng: random.Random,
    chain: str,
    segments: list[tuple[str, str, str]],
    firms: list[Row],
) -> None:
    names: set[str] = set()
    for _ in range(2 + rng.randrange(5)):
        firm, word = _pick(rng, segments, firms)
        new = rng.random() < SHARE_NEW or firm["new"]
        kind, lo, hi = rng.choice(_TALENT)
        name = _unique(f"{word}{kind}（示例）", names)
        node = {
            "id": f"talent:{clean_name(chain)}/{clean_name(name)}/{clean_name(firm['name'])}",
            "name": name,
            "kind": kind,
            "field": word,
            "employer": firm["name"],
            "count": rng.randint(lo, hi),
            **out.provenance(new),
        }
        _link(out, "Talent", node, chain, firm["segment_id"], firm, "employer")


def _projects(
    out: DemoLists,
    rng: random.Random,
    chain: str,
    segments: list[tuple[str, str, str]],
    firms: list[Row],
) -> None:
    names: set[str] = set()
    for _ in range(3 + rng.randrange(10)):
        firm, word = _pick(rng, segments, firms)
        new = rng.random() < SHARE_NEW or firm["new"]
        if new:
            status, start = rng.choice(("签约", "在建", "在建")), AS_OF.year
        else:
            status = rng.choice(("在建", "投产", "投产"))
            start = rng.choice((PREVIOUS_AS_OF.year - 1, PREVIOUS_AS_OF.year))
        name = _unique(f"{_short(firm['city'])}{word}{rng.choice(_PROJECT_WORDS)}（示例）", names)
        node = {
            "id": f"project:{clean_name(chain)}/{clean_name(name)}",
            "name": name,
            "city": firm["city"],
            "investment": round(rng.lognormvariate(math.log(50_000), 0.9), 1),
            "status": status,
            "start_year": start,
            "owner": firm["name"],
            **out.provenance(new),
        }
        _link(out, "Project", node, chain, firm["segment_id"], firm, "owner")
