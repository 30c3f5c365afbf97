"""``chainkg roster`` and ``chainkg stats``: read the graph back."""

from __future__ import annotations

import typer
from rich.table import Table

from chainkg.cli.common import AS_OF_HELP, OutputFormat, console, echo_json, open_graph

REGISTRY_MARK = "〔登记〕"


def chain_mark(chain: dict) -> str:
    """The mark of a chain not from the notice (产业链登记表), with its status and city."""
    if chain.get("origin") != "registry":
        return ""
    extra = "，".join(x for x in (chain.get("city"), chain.get("status")) if x)
    return f" {REGISTRY_MARK}" + (f"（{extra}）" if extra else "")


NOTE_KIND = {"correction": "勘误", "gap": "缺漏", "normalisation": "规整", "discrepancy": "矛盾"}


def roster(
    format: OutputFormat = typer.Option(
        OutputFormat.table, "--format", "-f", help="table or json."
    ),
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        help="The roster edition in force on this date, YYYY-MM-DD (default: today), "
        "with the list versions in force then.",
    ),
) -> None:
    """Print the 双长制 roster in force: edition (文号, date in force), clusters, chiefs,
    chains (registry chains marked), units, chairs, notes; chains no longer in force apart."""
    import datetime as dt

    from chainkg.queries.roster import read_roster

    with open_graph(as_of) as store:
        on = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
        data = read_roster(store, on=on)
    if format is OutputFormat.json:
        echo_json(data)
        return
    doc = data["document"]
    chief = data["general_chief"]
    in_force = f"，{doc['in_force']} 起施行" if doc.get("in_force") else ""
    console.print(
        f"{doc['number']} {doc['title']}（{doc['issued']} 印发{in_force}）",
        highlight=False,
        markup=False,
    )
    if doc.get("superseded_on"):
        console.print(f"（{doc['superseded_on']} 起被新版名单替代）", highlight=False)
    console.print(f"总群链长：{chief['name'] if chief else '（文件未给出）'}", highlight=False)
    table = Table(
        "序号", "重大集群", "重点产业链", "群链长", "群链长责任单位", "盟会长单位", show_lines=True
    )
    for c in data["clusters"]:
        chiefs = "、".join(p["name"] for p in c["chiefs"]) or "（空缺）"
        for i, ch in enumerate(c["chains"]):
            table.add_row(
                str(c["seq"]) if i == 0 else "",
                c["name"] if i == 0 else "",
                ch["name"] + ("*" if ch["future"] else "") + chain_mark(ch),
                chiefs if i == 0 else "",
                "\n".join(u["name"] for u in ch["responsible_units"]),
                "\n".join(u["name"] for u in ch["alliance_chairs"]),
            )
    console.print(table)
    console.print("* 拟培育的未来产业链", highlight=False)
    if any(ch.get("origin") == "registry" for c in data["clusters"] for ch in c["chains"]):
        console.print(f"{REGISTRY_MARK} 产业链登记表登记（非通知所列）", highlight=False)
    for ch in data.get("retired", []):
        console.print(
            f"不再列入：{ch['name']}（自 {ch['in_force_until']} 起；{ch['source']}）",
            highlight=False,
            markup=False,
        )
    for n in data["notes"]:
        console.print(
            f"[{NOTE_KIND.get(n['kind'], n['kind'])}] {n['text']}（{n['source']}）",
            highlight=False,
            markup=False,
        )


def stats(
    format: OutputFormat = typer.Option(
        OutputFormat.table, "--format", "-f", help="table or json."
    ),
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
) -> None:
    """Count the nodes per label and relationships per type in the graph."""
    with open_graph(as_of) as graph:
        data = graph.counts().to_dict()
        location = graph.location + (f" as of {as_of}" if as_of else "")
    if format is OutputFormat.json:
        echo_json(data)
        return
    table = Table("kind", "name", "count", title=f"graph at {location}")
    for label, n in data["nodes"].items():
        table.add_row("node", label, f"{n:,}")
    for rel, n in data["relationships"].items():
        table.add_row("relationship", rel, f"{n:,}")
    console.print(table)
