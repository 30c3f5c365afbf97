"""``chainkg map``: write an interactive map (one self-contained HTML file)."""

from __future__ import annotations

from pathlib import Path

import typer

from chainkg.cli.common import AS_OF_HELP, console, open_graph, open_store
from chainkg.errors import InputError, Problem


def map_command(
    chain: str | None = typer.Argument(None, help="Chain (产业链) to draw, e.g. 电力装备产业链."),
    output: Path = typer.Option(
        ..., "--output", "-o", help="HTML file to write (with --all: the folder to write)."
    ),
    cluster: str | None = typer.Option(None, "--cluster", help="Draw a cluster (集群) instead."),
    roster: bool = typer.Option(False, "--roster", help="Draw the 双长制 roster instead."),
    org: str | None = typer.Option(
        None, "--org", help="Draw an enterprise's neighbourhood: its 统一社会信用代码 or name."
    ),
    hops: int = typer.Option(
        2, "--hops", help="With --org: supply steps up- and downstream (1-5)."
    ),
    budget: int | None = typer.Option(
        None,
        "--budget",
        help="Nodes drawn at first (chain maps: 300, beyond it enterprises fold into their "
        "segment and unfold on a click or zoom; --org: 1,500 fetched).",
    ),
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
    all_maps: bool = typer.Option(
        False,
        "--all",
        help="Write every map as a linked set with index.html into the folder -o DIR "
        "(roster -> cluster -> chain -> enterprise; opens from file://).",
    ),
    max_orgs: int = typer.Option(
        100, "--max-orgs", help="With --all: enterprise maps for at most this many firms."
    ),
) -> None:
    """Write an interactive map that opens offline in any browser.

    Give exactly one of: CHAIN, --cluster NAME, --roster, --org USCC_OR_NAME, --all.
    """
    from chainkg.viz import maps

    chosen = [x for x in (chain, cluster, org) if x] + (["roster"] if roster else [])
    chosen += ["all"] if all_maps else []
    if len(chosen) != 1:
        raise InputError(
            [Problem("chainkg map", f"give exactly one map to draw, got {len(chosen)}")],
            hint="chainkg map CHAIN -o FILE | --cluster NAME | --roster | --org USCC_OR_NAME"
            " | --all -o DIR",
        )
    if budget is not None and budget < 50:
        raise InputError(
            [Problem("chainkg map --budget", f"{budget} is too small")], hint="give at least 50"
        )
    if all_maps:
        _write_all(output, budget or maps.DEFAULT_BUDGET, hops, max_orgs)
        return
    with open_graph(as_of) as store:
        if chain:
            from chainkg.queries.maps import find_chain

            name = find_chain(store, chain)["name"]
            found = maps.segment_findings(store, name)
            html = maps.chain_map_html(store, name, found, budget or maps.DEFAULT_BUDGET)
        elif cluster:
            html = maps.cluster_map_html(store, cluster)
        elif roster:
            html = maps.roster_map_html(store)
        else:
            html = maps.enterprise_map_html(store, org or "", hops, budget or maps.ORG_BUDGET)
    written = maps.write_map(html, output)
    console.print(f"wrote {written} ({written.stat().st_size / 1e6:.1f} MB)", highlight=False)


def _write_all(folder: Path, budget: int, hops: int, max_orgs: int) -> None:
    from rich.progress import Progress

    from chainkg.viz.map_set import write_map_set

    if folder.suffix.lower() in (".html", ".htm"):
        raise InputError(
            [Problem("chainkg map --all", f"-o {folder} names a file")],
            hint="give a folder for the linked set, e.g. -o maps/",
        )
    with open_store() as store, Progress(console=console, transient=True) as bar:
        task = bar.add_task("writing maps", total=None)
        written = write_map_set(
            store,
            folder,
            budget=budget,
            hops=hops,
            max_orgs=max_orgs,
            progress=lambda name: bar.update(task, description=f"map: {name[:30]}"),
        )
    size = sum(p.stat().st_size for p in written) / 1e6
    console.print(
        f"wrote {len(written)} maps ({size:.1f} MB) to {folder}; open {folder / 'index.html'}",
        highlight=False,
    )
