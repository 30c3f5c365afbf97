"""``chainkg weak-links``, ``chainkg what-if`` and ``chainkg recommend``: 短板弱项 and 补链."""

from __future__ import annotations

import csv
import sys
from enum import StrEnum
from typing import Any

import typer
from rich.table import Table

from chainkg.cells import safe_rows
from chainkg.cli.common import (
    AS_OF_HELP,
    NO_PROJECTION,
    console,
    echo_json,
    fail,
    live_projection,
    open_graph,
    open_store,
)
from chainkg.errors import ChainkgError

STATUS_STYLE = {
    "missing": "bold red",
    "dependent": "red",
    "weak": "yellow",
    "unverified": "magenta",
    "insufficient_data": "cyan",
    "ok": "green",
}


class WeakFormat(StrEnum):
    """Output formats of the weak-link commands."""

    table = "table"
    json = "json"
    csv = "csv"


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def _num(x: float | None, digits: int = 2) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def _print_csv(rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(safe_rows(rows))  # names from data must not become formulas


def _print_recommendations(chain: str, recs: list[dict[str, Any]]) -> None:
    if not recs:
        return
    table = Table("环节", "状态", "排名", "候选", "来源", "理由", title=f"{chain} 补链建议")
    from chainkg.queries.findings import STATUS_LABELS

    for rec in recs:
        if not rec["candidates"]:
            table.add_row(rec["segment"], STATUS_LABELS[rec["status"]], "", "", "", rec["note"])
        for i, c in enumerate(rec["candidates"]):
            table.add_row(
                rec["segment"] if i == 0 else "",
                STATUS_LABELS[rec["status"]] if i == 0 else "",
                str(c["rank"]),
                c["name"] or c["id"],
                c["source_label"],
                c["reason"],
            )
        subs = rec.get("substitutes") or {}
        for c in subs.get("shown") or []:
            table.add_row("", "", str(c["rank"]), c["name"] or c["id"], "国产替代", c["reason"])
        if rec["candidates_total"] > len(rec["candidates"]):
            more = rec["candidates_total"] - len(rec["candidates"])
            table.add_row("", "", "", f"…另有{more}家", "", "")
    console.print(table)


def _print_critical(chain: str, critical: list[dict[str, Any]] | None) -> None:
    if not critical:
        return
    table = Table(
        "企业", "省内", "营业收入（万元）", "介数中心性", "关节点", title=f"{chain} 关键企业"
    )
    for c in critical:
        table.add_row(
            c["name"] or c["id"],
            "是" if c["in_province"] else "否",
            _num(c["revenue"], 0),
            f"{c['betweenness']:.4f}",
            "是" if c["articulation"] else "",
        )
    console.print(table)


def _print_report(report: dict[str, Any]) -> None:
    from chainkg.queries.findings import STAGE_LABELS, STATUS_LABELS

    for ch in report["chains"]:
        counts = ch["summary"]["by_status"]
        # A chain of the chains registry is marked: it is not one the notice lists.
        mark = "〔登记：产业链登记表，非通知所列〕" if ch.get("origin") == "registry" else ""
        title = f"{ch['chain']}{mark}（{ch['cluster'] or '未归集群'}）短板弱项：" + "，".join(
            f"{STATUS_LABELS[s]}{n}" for s, n in counts.items()
        )
        table = Table(
            "排名",
            "环节",
            "阶段",
            "状态",
            "严重度",
            "省内企业",
            "龙头",
            "HHI",
            "本地配套率",
            "境外占比",
            "原因",
            title=title,
        )
        # Findings ranked by severity score first; ok segments after them, in chain order.
        order = sorted(ch["segments"], key=lambda seg: seg["rank"] or 10_000)
        for seg in order:
            m = seg["metrics"]
            style = STATUS_STYLE[seg["status"]]
            firms = str(m["enterprises"])
            if m["inferred_enterprises"]:
                firms += f"（+{m['inferred_enterprises']}推断）"
            text = [r["text"] for r in seg["reasons"]]
            text += [f"【优势】{r['text']}" for r in seg["strengths"]]
            text += [f"【说明】{r['text']}" for r in seg["notes"]]
            table.add_row(
                str(seg["rank"] or ""),
                seg["name"],
                STAGE_LABELS.get(seg["stage"] or "", seg["stage"] or ""),
                f"[{style}]{STATUS_LABELS[seg['status']]}[/]",
                _num(seg["severity"]["score"]),
                firms,
                str(m["leaders"]),
                _num(m["hhi"]),
                _pct(m["local_supply_ratio"]),
                _pct(m["foreign_supply_ratio"]),
                "；".join(text),
            )
        if not ch["segments"]:
            table.add_row("", "（该产业链尚无环节，请先加载产业链图谱模板）", *[""] * 9)
        console.print(table)
        _print_critical(ch["chain"], ch["summary"].get("critical_enterprises"))
        _print_recommendations(ch["chain"], ch["recommendations"])


def weak_links(
    chain: str | None = typer.Argument(None, help="Chain name (产业链), e.g. 动力电池产业链."),
    cluster: str | None = typer.Option(
        None, "--cluster", help="All chains of a cluster (重大集群)."
    ),
    all_chains: bool = typer.Option(False, "--all", help="All chains of the province."),
    format: WeakFormat = typer.Option(
        WeakFormat.table, "--format", "-f", help="table, json or csv."
    ),
    min_enterprises: int | None = typer.Option(
        None, "--min-enterprises", help="弱链 below this many in-province enterprises [3]."
    ),
    hhi: float | None = typer.Option(
        None, "--hhi", help="弱链 when revenue HHI (0..1) is above this [0.5]."
    ),
    local_ratio: float | None = typer.Option(
        None, "--local-ratio", help="断链 when the local supply ratio is below this [0.5]."
    ),
    single_source_suppliers: int | None = typer.Option(
        None,
        "--single-source-suppliers",
        help="断链 when all local demand comes from at most this many suppliers [1]; 0: off.",
    ),
    cap: int | None = typer.Option(None, "--cap", help="Enterprises listed per evidence [10]."),
    leader_rule: str | None = typer.Option(
        None,
        "--leader-rule",
        help="Who is a 龙头: flag (list flag), revenue (top --leader-rank by revenue with at "
        "least --leader-min-revenue 万元) or either [flag].",
    ),
    leader_min_revenue: float | None = typer.Option(
        None,
        "--leader-min-revenue",
        help="Revenue rule: a 龙头 earns at least this, 万元 [100000].",
    ),
    criticality: bool = typer.Option(
        False,
        "--criticality",
        help="Also rank each chain's most critical enterprises (betweenness, articulation "
        "points on its supply network; slower).",
    ),
    as_of: str | None = typer.Option(None, "--as-of", help=AS_OF_HELP),
    no_projection: bool = NO_PROJECTION,
) -> None:
    """Weak links (短板弱项) per segment: missing 缺链, dependent 断链, weak 弱链, with evidence.

    On the embedded store the answer comes from the read projection saved beside the graph
    when the graph is unchanged since it was saved; --all builds and saves it when it is
    missing or out of date (about one Cypher all-chains run; later runs then take a tenth).
    """
    from chainkg.queries.findings import resolve_chains, segment_rows
    from chainkg.queries.findings import weak_links as run
    from chainkg.queries.thresholds import load_thresholds

    chosen = sum(x is not None and x is not False for x in (chain, cluster, all_chains or None))
    try:
        if chosen != 1:
            from chainkg.errors import InputError, Problem

            raise InputError(
                [Problem("command line", "name exactly one of: CHAIN, --cluster NAME, --all")]
            )
        thresholds = load_thresholds(
            min_enterprises=min_enterprises,
            hhi=hhi,
            local_ratio=local_ratio,
            single_source_suppliers=single_source_suppliers,
            evidence_cap=cap,
            leader_rule=leader_rule,
            leader_min_revenue=leader_min_revenue,
        )
        with open_graph(as_of) as store:
            chains = resolve_chains(store, chain, cluster=cluster, all_chains=all_chains)
            # An as-of graph is a temporary copy: read it by Cypher.
            p = None if no_projection or as_of else live_projection(store, build=all_chains)
            report = run(store, chains, thresholds, criticality=criticality, projection=p)
    except ChainkgError as error:
        raise fail(error) from None
    if format is WeakFormat.json:
        echo_json(report)
    elif format is WeakFormat.csv:
        _print_csv(segment_rows(report))
    else:
        _print_report(report)


def what_if(
    remove: str = typer.Option(..., "--remove", help="Organisation name, or segment name (环节)."),
    chain: str | None = typer.Option(
        None,
        "--chain",
        help="Only customers operating in this chain; also picks the segment among chains.",
    ),
    format: WeakFormat = typer.Option(
        WeakFormat.table, "--format", "-f", help="table, json or csv."
    ),
) -> None:
    """What-if disruption (断供推演): who loses ALL supply of a product if ORG or SEGMENT goes."""
    from chainkg.queries.criticality import what_if as run
    from chainkg.queries.findings import resolve_chains

    try:
        with open_store() as store:
            chain_name = resolve_chains(store, chain)[0].name if chain else None
            result = run(store, remove, chain_name)
    except ChainkgError as error:
        raise fail(error) from None
    if format is WeakFormat.json:
        echo_json(result)
        return
    rows = [
        {
            "customer": c["name"],
            "city": c["city"],
            "in_province": c["in_province"],
            "revenue": c["revenue"],
            "products": "、".join(c["products"]),
        }
        for c in result["customers"]
    ]
    if format is WeakFormat.csv:
        _print_csv(rows)
        return
    removed = result["removed"]
    where = removed["chain"] or "未布局任何产业链"
    kind = f"企业（{where}）" if removed["kind"] == "organization" else f"环节（{where}）"
    if removed.get("customers_in_chain"):
        kind += f"，仅统计{removed['customers_in_chain']}的客户"
    table = Table(
        "受影响企业",
        "城市",
        "省内",
        "营业收入（万元）",
        "断供产品",
        title=f"断供推演：移除{kind}「{removed['name']}」（{removed['organizations']}家供应商）",
    )
    for r in rows:
        table.add_row(
            r["customer"] or "",
            r["city"] or "",
            "是" if r["in_province"] else "否",
            _num(r["revenue"], 0),
            r["products"],
        )
    console.print(table)
    console.print(
        f"{result['count']}家企业将失去某项投入的全部供应；涉及营业收入"
        f"{result['revenue_at_risk']:,.0f}万元（省内{result['in_province_revenue_at_risk']:,.0f}万元"
        + (f"，另有{result['unknown_revenue']}家营业收入未知" if result["unknown_revenue"] else "")
        + "）",
        highlight=False,
    )


def recommend(
    chain: str = typer.Argument(..., help="Chain name (产业链)."),
    format: WeakFormat = typer.Option(
        WeakFormat.table, "--format", "-f", help="table, json or csv."
    ),
    top: int | None = typer.Option(None, "--top", help="Candidates per segment [5]."),
) -> None:
    """补链 recommendations: out-of-province enterprises for missing and dependent segments."""
    from chainkg.queries.findings import resolve_chains
    from chainkg.queries.findings import weak_links as run
    from chainkg.queries.thresholds import load_thresholds

    try:
        thresholds = load_thresholds(recommend_top=top)
        with open_store() as store:
            report = run(store, resolve_chains(store, chain), thresholds)
    except ChainkgError as error:
        raise fail(error) from None
    ch = report["chains"][0]
    if format is WeakFormat.json:
        echo_json({"chain": ch["chain"], "recommendations": ch["recommendations"]})
    elif format is WeakFormat.csv:
        _print_csv(
            [
                {
                    "chain": ch["chain"],
                    "segment": rec["segment"],
                    "status": rec["status"],
                    "rank": c["rank"],
                    "source": c["source"],
                    "id": c["id"],
                    "name": c["name"],
                    "city": c.get("city"),
                    "revenue": c.get("revenue"),
                    "investment": c.get("investment"),
                    "ties": c.get("ties"),
                    "tie_value": c.get("tie_value"),
                    "reason": c["reason"],
                }
                for rec in ch["recommendations"]
                for c in rec["candidates"]
            ]
        )
    elif not ch["recommendations"]:
        console.print(f"{ch['chain']}：无缺链、断链环节，暂无补链建议。", highlight=False)
    else:
        _print_recommendations(ch["chain"], ch["recommendations"])
