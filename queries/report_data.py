"""Everything the annual 蓝皮书 shows, read from the graph once: ``report_data``.

The evaluation of the year (with the weak links of the year per chain), the 双长制 roster
(who leads and who is responsible for each chain) and each chain's FEEDS edges (for the
map picture). Drawing and writing the documents is ``chainkg.viz.report``'s job.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chainkg.errors import NotFoundError
from chainkg.graph.catalog import query
from chainkg.graph.projection_cache import cached_projection
from chainkg.graph.store import GraphStore
from chainkg.queries.evaluation import evaluate
from chainkg.queries.indicators import IndicatorSet
from chainkg.queries.roster import read_roster

Progress = Callable[[str], None]


def report_data(
    store: GraphStore,
    year: int,
    *,
    indicators: IndicatorSet | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The report's data: ``evaluation``, ``roster`` (None if not loaded) and ``feeds``.

    ``feeds`` maps each chain to its FEEDS edges [(from segment id, to segment id)].

    On the embedded store the queries over every enterprise of the current year are answered
    from the read projection saved beside the graph (graph/projection_cache.py: built and
    saved by the first report after a change, mapped by the next ones), and the previous
    year's reading is kept beside it (queries/year_cache.py): a second report reads neither
    from scratch. The answers are those of the Cypher queries (tested on both stores).
    """
    tell = progress or (lambda _what: None)
    projection = cached_projection(store, progress=lambda _m: tell("读取投影（首次建立并保存）"))
    tell("综合评价与短板弱项")
    ev = evaluate(store, year, indicators=indicators, with_findings=True, projection=projection)
    tell("双长制名单")
    try:
        roster: dict[str, Any] | None = read_roster(store)
    except NotFoundError:
        roster = None
    tell("产业链图谱")
    names = [c["chain"] for c in ev["chains"]]
    feeds: dict[str, list[tuple[str, str]]] = {n: [] for n in names}
    for r in store.read(query("chain_feeds"), {"chains": names}):
        edge = (r["from_id"], r["to_id"])
        if edge not in feeds[r["chain"]]:
            feeds[r["chain"]].append(edge)
    tell("问题台账")
    problems = {n: year_problems(store, n, year) for n in names}
    return {"evaluation": ev, "roster": roster, "feeds": feeds, "problems": problems}


PROBLEMS_SHOWN = 15


def year_problems(store: GraphStore, chain: str, year: int) -> dict[str, Any]:
    """The chain's problems (台账) registered in ``year``: how many, and the first ones shown.

    Empty when the ledger is not installed or holds none for the chain.
    """
    try:
        from chainkg.queries.ledger import list_problems
    except ImportError:
        return {"count": 0, "shown": []}
    mine = [
        p
        for p in list_problems(store, chain=chain, limit=100_000)
        if p.get("registered") is not None and p["registered"].year == year
    ]
    return {"count": len(mine), "shown": mine[:PROBLEMS_SHOWN]}
