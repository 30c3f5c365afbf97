"""The 蓝皮书's content as a list of blocks, written once and rendered twice (Word and HTML).

``build_report(data)`` turns ``queries.report_data.report_data`` into blocks: a cover, the
contents, the province overview (全省概况), one section per cluster (集群) and per chain
(产业链: its roster, its map as a picture, its indicators with the year before, its weak links
with reasons, problems from the ledger when there is one, recommendations), and an appendix
on the method. ``report_docx`` and ``report_html`` render the same blocks, so the two
documents say the same thing. Numbers are formatted here (``fmt_value``), once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from chainkg.viz import report_charts as charts

TITLE = "河南省先进制造业集群重点产业链发展报告蓝皮书"
BASIS = "依据《河南省人民政府办公厅关于建立省级先进制造业集群重点产业链“双长制”的通知》（豫政办〔2021〕61号）"
SYNTHETIC_NOTE = (
    "示例数据：本报告由合成的演示数据生成，企业、项目、平台等均为虚构，不代表真实情况。"
)
MISSING = "缺失"
STATUS_LABELS = {
    "missing": "缺链",
    "dependent": "断链",
    "weak": "弱链",
    "unverified": "待核实",
    "insufficient_data": "数据不足",
    "ok": "正常",
}
STAGE_LABELS = {"upstream": "上游", "midstream": "中游", "downstream": "下游"}
DIMENSION_ADVICE = {
    "scale": "扩大产业规模：以链招商、以商招商，推动在建项目尽快投产达效，培育规上企业梯队。",
    "innovation": "提升创新能力：围绕卡脖子技术组织攻关，争创国家级创新平台，培育专精特新企业，引育领军人才与创新团队。",
    "leaders": "培育龙头企业：支持链主企业做大做强，推动百亿级、十亿级企业梯次成长，带动上下游配套。",
    "projects": "强化项目支撑：谋划储备一批补链延链强链项目，加快签约项目开工、在建项目投产。",
    "influence": "扩大影响力：支持企业上市融资、拓展省外国际市场，提升国家级平台数量与品牌影响。",
    "weak_links": "攻坚短板弱项：建立短板环节清单，逐项明确责任单位与完成时限，年度跟踪销号。",
    "service": "提升服务质效：落实“13710”工作要求，提高问题解决率和企业满意度。",
}


@dataclass(frozen=True)
class Heading:
    """A numbered heading (level 1..3); ``key`` is a stable anchor."""

    level: int
    text: str
    key: str


@dataclass(frozen=True)
class Para:
    """A paragraph; ``kind``: body | note | synthetic | bullet."""

    text: str
    kind: str = "body"


@dataclass(frozen=True)
class Table:
    """An editable table: a caption, column headers and rows of text cells."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    key: str = ""


@dataclass(frozen=True)
class Picture:
    """A chart or map picture (PNG) with its caption."""

    png: bytes
    caption: str
    width_cm: float = 15.0


@dataclass(frozen=True)
class Cover:
    """The cover page."""

    title: str
    year: int
    basis: str
    synthetic: bool
    date: str


@dataclass(frozen=True)
class Contents:
    """The table of contents (a Word TOC field; a list of links in HTML)."""


@dataclass(frozen=True)
class PageBreak:
    """A new page (Word); a rule in HTML."""


Block = Heading | Para | Table | Picture | Cover | Contents | PageBreak


@dataclass
class Report:
    """The blocks of one report, and what it is about."""

    year: int
    synthetic: bool
    blocks: list[Block] = field(default_factory=list)

    def headings(self, level: int | None = None) -> list[Heading]:
        """The headings, of one level or all."""
        return [
            b for b in self.blocks if isinstance(b, Heading) and (level is None or b.level == level)
        ]


def fmt_value(value: float | None, unit: str) -> str:
    """A value as the report prints it: 缺失 when missing, grouped digits, 1 decimal for %/万元."""
    if value is None:
        return MISSING
    if unit in ("%", "万元") or value != int(value):
        return f"{value:,.1f}"
    return f"{int(value):,}"


def fmt_change(change: float | None, unit: str) -> str:
    """A change over the previous year with its sign (+/-), or — when not comparable."""
    if change is None:
        return "—"
    text = fmt_value(abs(change), unit)
    return ("+" if change > 0 else "-" if change < 0 else "±") + text


def fmt_score(score: float | None) -> str:
    """A 0..100 score with one decimal, or 缺失."""
    return MISSING if score is None else f"{score:.1f}"


def _rank(r: int | None) -> str:
    return "—" if r is None else str(r)


def indicator_rows(ev: Mapping[str, Any], entry: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """Rows (维度, 指标, 单位, 本年, 上年, 变化, 得分) of one unit's indicators (pure)."""
    dims = {d["key"]: d["name"] for d in ev["dimensions"]}
    rows = []
    for ind in ev["indicators"]:
        v = entry["indicators"][ind["key"]]
        now = fmt_value(v["value"], ind["unit"])
        if v["value"] is None and v.get("missing_text"):
            now = f"{MISSING}（{v['missing_text']}）"
        rows.append(
            (
                dims[ind["dimension"]],
                ind["name"],
                ind["unit"],
                now,
                fmt_value(v["previous"], ind["unit"]) if ev["previous_year"] else "—",
                fmt_change(v["change"], ind["unit"]),
                fmt_score(v["score"]),
            )
        )
    return rows


INDICATOR_COLUMNS = ("维度", "指标", "单位", "本年", "上年", "变化", "得分")


def _order(e: Mapping[str, Any]) -> tuple:
    """Ranked first by rank; then the unranked by score (missing last), then by name."""
    score = e["score"]
    return (e["rank"] is None, e["rank"] or 0, score is None, -(score or 0.0), e.get("chain", ""))


def _cover(ev: Mapping[str, Any], today: str) -> list[Block]:
    return [
        Cover(f"{TITLE}（{ev['year']}年度）", ev["year"], BASIS, ev["synthetic"], today),
        Contents(),
    ]


def _overview(
    ev: Mapping[str, Any], data: Mapping[str, Any], chart: Callable[..., bytes]
) -> list[Block]:
    year, prev = ev["year"], ev["previous_year"]
    p = ev["province"]["indicators"]
    units = {i["key"]: i["unit"] for i in ev["indicators"]}

    def v(key: str) -> str:
        return fmt_value(p[key]["value"], units[key]) if key in p else MISSING

    roster = data.get("roster")
    n_clusters = len(ev["clusters"]) if roster is None else len(roster["clusters"])
    out: list[Block] = [
        PageBreak(),
        Heading(1, "一、全省概况", "overview"),
        Para(
            f"{year}年度，全省{n_clusters}个重大集群、{len(ev['chains'])}条重点产业链纳入评价。"
            f"省内链上企业{v('enterprises')}家，营业收入{v('revenue')}万元，龙头企业{v('leaders')}家，"
            f"国家级创新平台{v('platforms_national')}个、省级{v('platforms_provincial')}个，"
            f"重点项目{v('projects')}个、总投资{v('investment')}万元。"
            + (f"与{prev}年相比的变化见下表。" if prev else "暂无上年数据可比。")
        ),
        Table(
            f"表1 {year}年度全省主要指标",
            ("指标", "单位", "本年", "上年", "变化"),
            tuple(
                (
                    i["name"],
                    i["unit"],
                    fmt_value(p[i["key"]]["value"], i["unit"]),
                    fmt_value(p[i["key"]]["previous"], i["unit"]) if prev else "—",
                    fmt_change(p[i["key"]]["change"], i["unit"]),
                )
                for i in ev["indicators"]
                if i["dimension"] not in ("weak_links", "service")
                and not i["measure"].startswith("growth:")
            ),
            "province",
        ),
    ]
    chains = ev["chains"]
    ordered = sorted(chains, key=_order)
    out.append(
        Picture(
            chart(
                charts.ranking_chart,
                [e["chain"] for e in ordered],
                [e["score"] for e in ordered],
                [(e.get("previous") or {}).get("score") for e in ordered] if prev else None,
                f"{year}年度重点产业链综合得分",
            ),
            f"图1 {year}年度重点产业链综合得分" + ("（含上年对比）" if prev else ""),
        )
    )
    out.append(
        Table(
            f"表2 {year}年度重点产业链综合评价排名",
            ("排名", "产业链", "所属集群", "综合得分", "覆盖率", "上年得分", "上年排名"),
            tuple(
                (
                    _rank(e["rank"]),
                    e["chain"],
                    e["cluster"] or "—",
                    fmt_score(e["score"]),
                    f"{e['coverage']:.0%}",
                    fmt_score((e.get("previous") or {}).get("score")) if prev else "—",
                    _rank((e.get("previous") or {}).get("rank")),
                )
                for e in ordered
            ),
            "ranking",
        )
    )
    out.append(Para(ev["method"]["text"], "note"))
    changed = ev["province"].get("changes")
    if prev and changed:
        closed = changed["findings_closed"]
        out.append(
            Para(
                f"与{prev}年末相比，全省"
                + (
                    f"上年短板弱项已消除{closed}个、新增{changed['findings_new']}个，"
                    if closed is not None
                    else ""
                )
                + f"新增龙头企业{changed['new_leaders']}家，"
                f"本年投产项目{changed['projects_completed']}个。"
            )
        )
        out.append(
            Table(
                f"表3 {year}年度与{prev}年相比的主要变化",
                CHANGE_COLUMNS,
                tuple(
                    (
                        e["chain"],
                        _count(e["changes"]["findings_closed"]),
                        _count(e["changes"]["findings_new"]),
                        str(len(e["changes"]["new_leaders"])),
                        str(len(e["changes"]["projects_completed"])),
                    )
                    for e in chains
                    if e.get("changes")
                ),
                "changes",
            )
        )
    return out


def _clusters(
    ev: Mapping[str, Any], data: Mapping[str, Any], chart: Callable[..., bytes]
) -> list[Block]:
    roster = data.get("roster") or {"clusters": []}
    chiefs = {c["name"]: "、".join(x["name"] for x in c["chiefs"]) for c in roster["clusters"]}
    prev = ev["previous_year"]
    out: list[Block] = [PageBreak(), Heading(1, "二、重大集群评价", "clusters")]
    ordered = sorted(ev["clusters"], key=_order)
    out.append(
        Picture(
            chart(
                charts.ranking_chart,
                [e["cluster"] for e in ordered],
                [e["score"] for e in ordered],
                [(e.get("previous") or {}).get("score") for e in ordered] if prev else None,
                f"{ev['year']}年度重大集群综合得分",
            ),
            f"图2 {ev['year']}年度重大集群综合得分",
        )
    )
    for n, e in enumerate(ev["clusters"], start=1):
        name = e["cluster"]
        out.append(Heading(2, f"（{_cn(n)}）{name}", f"cluster-{n}"))
        out.append(
            Para(
                f"群链长：{chiefs.get(name) or '—'}。包含产业链：{'、'.join(e['chains'])}。"
                f"综合得分{fmt_score(e['score'])}（覆盖率{e['coverage']:.0%}），"
                f"在{len(ev['clusters'])}个集群中排名{_rank(e['rank'])}。"
            )
        )
        out.append(
            Table(
                f"{name}集群指标", INDICATOR_COLUMNS, tuple(indicator_rows(ev, e)), f"cluster-{n}"
            )
        )
    return out


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n <= 10:
        return "十" if n == 10 else digits[n]
    if n < 20:
        return "十" + digits[n - 10]
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


def _roster_rows(data: Mapping[str, Any], chain: str) -> tuple[tuple[str, ...], ...]:
    roster = data.get("roster")
    if roster is None:
        return (("双长制名单", "未导入（chainkg load roster）"),)
    for c in roster["clusters"]:
        for ch in c["chains"]:
            if ch["name"] == chain:
                return (
                    ("重大集群", c["name"]),
                    (
                        "群链长",
                        "、".join(
                            f"{x['name']}（{x['title']}）" if x.get("title") else x["name"]
                            for x in c["chiefs"]
                        )
                        or "—",
                    ),
                    (
                        "群链长责任单位",
                        "、".join(u["name"] for u in ch["responsible_units"]) or "—",
                    ),
                    ("盟会长单位", "、".join(u["name"] for u in ch["alliance_chairs"]) or "—"),
                    ("来源", f"豫政办〔2021〕61号 {ch.get('source') or ''}".strip()),
                )
    return (("双长制名单", "名单中无此产业链"),)


def _weak_rows(
    found: Mapping[str, Any] | None, changes: Mapping[str, Any] | None
) -> tuple[tuple[str, ...], ...]:
    """Rows (环节, 阶段, 判定, 省内企业, 原因, 进展) of the flagged segments, then last year's
    findings closed this year (pure). 进展 compares with the findings at last year's end."""
    if not found:
        return ()
    closed = (changes or {}).get("findings_closed")
    new = {f["segment_id"] for f in (changes or {}).get("findings_new") or []}
    rows = []
    for s in found["segments"]:
        if s["status"] == "ok":
            continue
        if closed is None:
            progress = "上年无评估可比"
        elif s["segment_id"] in new:
            progress = "本年新增"
        else:
            progress = "上年已列，尚未消除"
        rows.append(
            (
                s["segment"],
                STAGE_LABELS.get(s["stage"] or "", s["stage"] or "—"),
                STATUS_LABELS[s["status"]],
                str(s["enterprises"]),
                "；".join(s["reasons"]),
                progress,
            )
        )
    by_id = {s["segment_id"]: s for s in found["segments"]}
    for c in closed or []:
        s = by_id.get(c["segment_id"], {})
        rows.append(
            (
                c["segment"],
                STAGE_LABELS.get(s.get("stage") or "", s.get("stage") or "—"),
                STATUS_LABELS.get(c["status"] or "", "—"),
                str(s.get("enterprises", "—")),
                "—",
                f"已消除（上年{STATUS_LABELS.get(c['status_before'], c['status_before'])}）",
            )
        )
    return tuple(rows)


def _names(items: Sequence[Mapping[str, Any]] | None, key: str = "name") -> str:
    return "、".join(str(x[key]) for x in items or []) or "无"


def change_text(changes: Mapping[str, Any] | None, prev: int | None) -> str | None:
    """One paragraph on a chain's changes since last year beyond its indicators (pure)."""
    if not changes or prev is None:
        return None
    closed, new = changes["findings_closed"], changes["findings_new"]
    parts = []
    if closed is not None:
        parts.append(
            f"上年短板弱项已消除{len(closed)}个（{_names(closed, 'segment')}），"
            f"本年新增{len(new or [])}个（{_names(new, 'segment')}）"
        )
    parts.append(f"新增龙头企业{len(changes['new_leaders'])}家（{_names(changes['new_leaders'])}）")
    parts.append(
        f"本年投产项目{len(changes['projects_completed'])}个"
        f"（{_names(changes['projects_completed'])}）"
    )
    return f"与{prev}年末相比：" + "；".join(parts) + "。"


CHANGE_COLUMNS = ("产业链", "上年短板已消除", "本年新增短板", "新增龙头企业", "本年投产项目")


def _count(items: Sequence[Any] | None) -> str:
    return "—" if items is None else str(len(items))


def _advice(ev: Mapping[str, Any], e: Mapping[str, Any]) -> list[Block]:
    scored = [(v["score"], k) for k, v in e["dimensions"].items() if v["score"] is not None]
    out: list[Block] = []
    for _score, key in sorted(scored)[:2]:
        if key in DIMENSION_ADVICE:
            out.append(Para(DIMENSION_ADVICE[key], "bullet"))
    missing = [i["name"] for i in ev["indicators"] if e["indicators"][i["key"]]["value"] is None]
    if missing:
        out.append(
            Para(
                f"补齐数据：{'、'.join(missing)}等指标缺少数据，请责任单位在相关清单中补报。",
                "bullet",
            )
        )
    found = e.get("findings") or {}
    for rec in found.get("recommendations") or []:
        names = "、".join(c["name"] for c in (rec.get("candidates") or [])[:3])
        action = rec.get("action") or "补链强链"
        text = f"{rec.get('segment')}：{action}"
        if names:
            text += f"；可对接{names}等省外企业"
        out.append(Para(text + "。", "bullet"))
    return out


def _chains(
    ev: Mapping[str, Any], data: Mapping[str, Any], chart: Callable[..., bytes]
) -> list[Block]:
    year, prev = ev["year"], ev["previous_year"]
    out: list[Block] = [PageBreak(), Heading(1, "三、重点产业链评价", "chains")]
    dims = [d["name"] for d in ev["dimensions"]]
    for n, e in enumerate(ev["chains"], start=1):
        chain = e["chain"]
        key = f"chain-{n}"
        out.append(Heading(2, f"（{_cn(n)}）{chain}", key))
        out.append(
            Para(
                f"{chain}属{e['cluster'] or '—'}集群，{year}年度综合得分{fmt_score(e['score'])}"
                f"（覆盖率{e['coverage']:.0%}），在{len(ev['chains'])}条产业链中排名{_rank(e['rank'])}"
                + (
                    f"；上年得分{fmt_score(e['previous']['score'])}、排名{_rank(e['previous']['rank'])}。"
                    if prev and e.get("previous")
                    else "。"
                )
            )
        )
        out.append(Heading(3, "1. 双长制分工", f"{key}-roster"))
        out.append(
            Table(
                f"{chain}双长制分工", ("项目", "内容"), _roster_rows(data, chain), f"{key}-roster"
            )
        )
        found = e.get("findings")
        out.append(Heading(3, "2. 产业链图谱", f"{key}-map"))
        if found:
            out.append(
                Picture(
                    chart(
                        charts.chain_map_picture,
                        chain,
                        found["segments"],
                        data["feeds"].get(chain, []),
                    ),
                    f"{chain}图谱：环节按上中下游排列，颜色表示短板弱项评估结果，括号内为省内企业数",
                )
            )
        else:
            out.append(Para(f"{year}年度的环节评估不可得（仅最新年度可评估）。", "note"))
        out.append(Heading(3, "3. 评价指标与年度变化", f"{key}-indicators"))
        out.append(
            Picture(
                chart(
                    charts.dimension_chart,
                    dims,
                    [e["dimensions"][d["key"]]["score"] for d in ev["dimensions"]],
                    [
                        (e.get("previous") or {}).get("dimensions", {}).get(d["key"])
                        for d in ev["dimensions"]
                    ]
                    if prev and e.get("previous")
                    else None,
                    f"{chain}分维度得分",
                ),
                f"{chain}分维度得分",
                13.0,
            )
        )
        out.append(
            Table(
                f"{chain}评价指标",
                INDICATOR_COLUMNS,
                tuple(indicator_rows(ev, e)),
                f"{key}-indicators",
            )
        )
        text = change_text(e.get("changes"), prev)
        if text:
            out.append(Para(text))
        out.append(Heading(3, "4. 短板弱项", f"{key}-weak"))
        weak = _weak_rows(found, e.get("changes"))
        if found is None:
            out.append(Para("本年度短板弱项不可得。", "note"))
        elif weak:
            counts = {
                s: sum(1 for x in found["segments"] if x["status"] == s) for s in STATUS_LABELS
            }
            out.append(
                Para(
                    f"共{len(found['segments'])}个环节，其中缺链{counts['missing']}个、断链{counts['dependent']}个、"
                    f"弱链{counts['weak']}个、正常{counts['ok']}个。"
                )
            )
            out.append(
                Table(
                    f"{chain}短板弱项",
                    ("环节", "阶段", "判定", "省内企业", "原因", "进展"),
                    weak,
                    f"{key}-weak",
                )
            )
        else:
            out.append(Para(f"共{len(found['segments'])}个环节，未发现短板弱项。"))
        out.append(Heading(3, "5. 问题台账", f"{key}-problems"))
        out.extend(_problems(e, (data.get("problems") or {}).get(chain), year, key))
        out.append(Heading(3, "6. 发展建议", f"{key}-advice"))
        out.extend(_advice(ev, e) or [Para("各项指标均衡，保持现有工作力度。")])
    return out


def _problems(
    e: Mapping[str, Any], problems: Mapping[str, Any] | None, year: int, key: str
) -> list[Block]:
    solve = e["indicators"].get("solve_rate") or {}
    sat = e["indicators"].get("satisfaction") or {}
    count = (problems or {}).get("count") or 0
    if not count:
        return [Para(f"问题台账中无本链{year}年度登记的问题，问题解决率、企业满意度暂缺。", "note")]
    out: list[Block] = [
        Para(
            f"{year}年度登记问题{count}件，问题解决率{fmt_value(solve.get('value'), '%')}%，"
            f"企业满意度{fmt_value(sat.get('value'), '%')}%"
            + (
                f"（上年分别为{fmt_value(solve.get('previous'), '%')}%、"
                f"{fmt_value(sat.get('previous'), '%')}%）"
                if solve.get("previous") is not None
                else ""
            )
            + "。"
        )
    ]
    rows = tuple(
        (
            str(p.get("title") or "—"),
            str(p.get("category") or "—"),
            str(p.get("status") or "—"),
            str(p.get("registered") or "—"),
            str(p.get("resolved_on") or "—"),
            str(p.get("satisfaction") or "—"),
        )
        for p in problems["shown"]  # type: ignore[index]
    )
    out.append(
        Table(
            f"{e['chain']}问题台账（{year}年度，前{len(rows)}件）",
            ("问题", "类别", "状态", "登记日期", "办结日期", "企业评价"),
            rows,
            f"{key}-problems",
        )
    )
    return out


def _appendix(ev: Mapping[str, Any]) -> list[Block]:
    dims = {d["key"]: d for d in ev["dimensions"]}
    return [
        PageBreak(),
        Heading(1, "附录 评价方法与数据来源", "appendix"),
        Para(
            "评价依据豫政办〔2021〕61号“建立综合评价机制，根据集群产业链规模能级、创新能力、龙头企业培育、"
            "项目支撑、国内外影响力等情况开展综合评价”。指标体系由数据文件定义（"
            f"{ev['indicator_file']}），可由主管部门调整。"
        ),
        Para(ev["method"]["text"]),
        Para(
            f"数据口径：{ev['year']}年度读取截至{ev['as_of']}的清单事实；企业按产业链环节归属计数，"
            "同一企业在一条链的多个环节只计一次；集群与全省数值为所属产业链之和。"
        ),
        Table(
            "评价指标体系",
            ("维度", "维度权重", "指标", "单位", "方向", "折算方法", "指标权重", "计算来源"),
            tuple(
                (
                    dims[i["dimension"]]["name"],
                    f"{dims[i['dimension']]['weight']:g}",
                    i["name"],
                    i["unit"],
                    "越高越好" if i["direction"] == "higher" else "越低越好",
                    {
                        "max": "与最优值之比",
                        "log_max": "对数后与最优值之比",
                        "minmax": "极差标准化",
                    }[i["normalise"]],
                    f"{i['weight']:g}",
                    i["measure"],
                )
                for i in ev["indicators"]
            ),
            "indicators",
        ),
    ]


def build_report(
    data: Mapping[str, Any],
    today: str,
    *,
    chart_fn: Callable[..., bytes] | None = None,
    workers: int | None = None,
    chart_cache: Path | None = None,
) -> Report:
    """The report's blocks from ``report_data`` output; ``today`` goes on the cover.

    Charts are drawn after the blocks are laid out, all at once (``charts.draw_all``: in
    ``workers`` processes, default one per core; charts drawn before with the same
    arguments are read back from ``chart_cache`` when given); ``chart_fn(fn, *args)`` draws
    each one instead, inline (tests).
    """
    ev = data["evaluation"]
    synthetic = bool(ev["synthetic"])
    jobs: list[tuple[Callable[..., bytes], tuple[Any, ...]]] = []

    def later(fn: Callable[..., bytes], *args: Any) -> bytes:
        jobs.append((fn, args))
        return _Job(len(jobs) - 1)

    draw = chart_fn or later
    report = Report(ev["year"], synthetic)
    report.blocks += _cover(ev, today)
    if synthetic:
        report.blocks.append(Para(SYNTHETIC_NOTE, "synthetic"))
    report.blocks += _overview(ev, data, draw)
    report.blocks += _clusters(ev, data, draw)
    report.blocks += _chains(ev, data, draw)
    report.blocks += _appendix(ev)
    if jobs:
        pngs = charts.draw_all(jobs, synthetic=synthetic, workers=workers, cache=chart_cache)
        report.blocks = [
            replace(b, png=pngs[b.png.index])
            if isinstance(b, Picture) and isinstance(b.png, _Job)
            else b
            for b in report.blocks
        ]
    return report


class _Job(bytes):
    """Stands for a chart's PNG until it is drawn: the index of its job."""

    index: int

    def __new__(cls, index: int) -> _Job:
        obj = super().__new__(cls, b"")
        obj.index = index
        return obj


def table_by_key(report: Report, key: str) -> Table:
    """The table with ``key`` (for tests and callers that pick one)."""
    for b in report.blocks:
        if isinstance(b, Table) and b.key == key:
            return b
    raise KeyError(key)


def all_tables(report: Report) -> Sequence[Table]:
    """Every table, in order."""
    return [b for b in report.blocks if isinstance(b, Table)]
