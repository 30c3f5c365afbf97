"""How map elements look: colours, legend entries, Chinese labels, fonts.

Kept apart from the layout and the page so the look can change in one place.
"""

from __future__ import annotations

from typing import Any

FONT_FAMILY = (
    '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif'
)

STAGES: dict[str, str] = {"upstream": "上游", "midstream": "中游", "downstream": "下游"}

# Weak-link findings (短板) per segment, as queries/findings.py reports them.
STATUSES: dict[str, tuple[str, str]] = {
    "missing": ("缺链", "#d6336c"),
    "weak": ("弱链", "#f08c00"),
    "dependent": ("断链（依赖省外）", "#7048e8"),
    "unverified": ("待核实", "#c2255c"),
    "insufficient_data": ("数据不足", "#1098ad"),
    "ok": ("基本完整", "#2b8a3e"),
    "unknown": ("未评估", "#868e96"),
}

FLAGS: dict[str, str] = {
    "leader": "龙头",
    "specialized": "专精特新",
    "listed": "上市",
    "outside": "省外",
}

LOCAL = "#1c7ed6"
OUTSIDE = "#adb5bd"
LEADER_BORDER = "#e8590c"
FOCUS = "#c92a2a"
EDGE = "#868e96"
CROSS_EDGE = "#5f3dc4"
DIM = "#e9ecef"


def color(background: str, border: str | None = None) -> dict[str, Any]:
    """A vis-network colour object with the same look when selected or hovered."""
    border = border or background
    return {
        "background": background,
        "border": border,
        "highlight": {"background": background, "border": "#212529"},
        "hover": {"background": background, "border": "#212529"},
    }


def status_of(statuses: dict[str, str], segment_id: str) -> str:
    """The segment's finding, 'unknown' when none (or an unknown word) was given."""
    status = statuses.get(segment_id, "unknown")
    return status if status in STATUSES else "unknown"


def legend_entry(cat: str, label: str, background: str, shape: str = "dot", **extra: Any) -> dict:
    """One legend row: the category it toggles, its text and its swatch."""
    return {"cat": cat, "label": label, "color": background, "shape": shape, **extra}


ENTERPRISE_LEGEND = [
    legend_entry("local", "省内企业", LOCAL),
    legend_entry("outside", "省外企业", OUTSIDE),
    legend_entry("leader", "龙头企业", LOCAL, "star", border=LEADER_BORDER),
]


def yes_no(value: Any) -> str:
    """是 / 否 / 未知 for a boolean fact."""
    if value is None:
        return "未知"
    return "是" if value else "否"


def number(value: Any, digits: int = 0) -> str:
    """A number with thousands separators, or 未知."""
    if value is None:
        return "未知"
    return f"{value:,.{digits}f}"


COMPANY_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司")


def short_name(name: str) -> str:
    """A label-length name: without the company-form suffix (有限公司 ...), which says little."""
    for suffix in COMPANY_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def truncate(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis (labels only; details keep it all)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
