"""``chainkg map``: write an interactive map (one self-contained HTML file)."""

from __future__ import annotations

from pathlib import Path

import typer

from chainkg.cli.common import AS_OF_HELP, console, open_graph
from chainkg.errors import InputError, Problem


def map_command(
    chain: str | None = typer.Argument(None, help="Chain (产业链) to draw, e.g. 电力装备产业链."),
    output: Path = typer.Option(..., "--output", "-o", help="HTML file to write."),
    cluster: str | None = typer.Option(None, "--cluster", help="Draw a cluster (集群) instead."),
    roster: bool = typer.Option(False, "--roster", help="Draw the 双长制 roster instead."),
    org: str | None = typer.Option(
        None, "--org", help="Draw an enterprise's neighbourhood: its 统一社会信用代码 or name."
    ),
    hops: int = typer.Option(
        2, "--hops", help="With --org: supply steps up- and downstream (1-5)."
    ),
    budget: int = typer.Option(
        1_500, "--budget", help="Node budget; beyond it enterprises fold into their segment."
    ),
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
) -> None:
    """Write an interactive map that opens offline in any browser.

    Give exactly one of: CHAIN, --cluster NAME, --roster, --org USCC_OR_NAME.
    """
    from chainkg.viz import maps

    chosen = [x for x in (chain, cluster, org) if x] + (["roster"] if roster else [])
    if len(chosen) != 1:
        raise InputError(
            [Problem("chainkg map", f"give exactly one map to draw, got {len(chosen)}")],
            hint="chainkg map CHAIN -o FILE | --cluster NAME | --roster | --org USCC_OR_NAME",
        )
    if budget < 50:
        raise InputError(
            [Problem("chainkg map --budget", f"{budget} is too small")], hint="give at least 50"
        )
    with open_graph(as_of) as store:
        if chain:
            from chainkg.queries.maps import find_chain

            name = find_chain(store, chain)["name"]
            html = maps.chain_map_html(store, name, maps.findings_statuses(store, name), budget)
        elif cluster:
            html = maps.cluster_map_html(store, cluster)
        elif roster:
            html = maps.roster_map_html(store)
        else:
            html = maps.enterprise_map_html(store, org or "", hops, budget)
    written = maps.write_map(html, output)
    console.print(f"wrote {written} ({written.stat().st_size / 1e6:.1f} MB)", highlight=False)
