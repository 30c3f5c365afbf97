"""How map elements look: colours, legend entries, Chinese labels, fonts.

Kept apart from the layout and the page so the look can change in one place.
"""

from __future__ import annotations

from typing import Any

FONT_FAMILY = (
    '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif'
)

STAGES: dict[str, str] = {"upstream": "上游", "midstream": "中游", "downstream": "下游"}

# A colour-blind-safe palette (Okabe & Ito, "Color Universal Design"): every colour that
# carries meaning differs in hue and lightness, and each legend entry has its own fill and
# border, so 断链 is not mistaken for other chains' segments nor 省外 for 未评估.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}

# Weak-link findings (短板) per segment, as queries/findings.py reports them:
# status -> (label, fill, border, text colour).
STATUS_LOOK: dict[str, tuple[str, str, str, str]] = {
    "missing": ("缺链", "#D55E00", "#8A3B00", "#ffffff"),
    "weak": ("弱链", "#E69F00", "#8F6300", "#000000"),
    "dependent": ("断链（依赖省外）", "#CC79A7", "#7D3A66", "#000000"),
    "ok": ("基本完整", "#009E73", "#005C43", "#ffffff"),
    "unknown": ("未评估", "#FFFFFF", "#000000", "#000000"),
}
STATUSES: dict[str, tuple[str, str]] = {k: (v[0], v[1]) for k, v in STATUS_LOOK.items()}

FLAGS: dict[str, str] = {
    "leader": "龙头",
    "specialized": "专精特新",
    "listed": "上市",
    "outside": "省外",
}

# Organisation kinds as the graph stores them, in Chinese for the page.
ORG_KINDS: dict[str, str] = {
    "enterprise": "企业",
    "government": "政府部门",
    "association": "协会",
    "alliance": "产业联盟",
    "university": "高校",
    "institute": "科研院所",
}

LOCAL = "#0072B2"
OUTSIDE = "#BBBBBB"
OUTSIDE_BORDER = "#555555"
LEADER_BORDER = "#000000"
FOCUS = "#D55E00"
EDGE = "#868e96"
CROSS_EDGE = "#56B4E9"
OTHER_FILL = "#DDF0FB"
OTHER_BORDER = "#1B6A9A"
DIM = "#e9ecef"
STAGE_BANDS = {"upstream": "#F2F7FB", "midstream": "#F7F4FA", "downstream": "#F3F9F5"}


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
    legend_entry("outside", "省外企业", OUTSIDE, border=OUTSIDE_BORDER),
    legend_entry("leader", "龙头企业", OKABE_ITO["yellow"], "star", border=LEADER_BORDER),
]


def org_kind(kind: str | None) -> str | None:
    """An organisation kind in Chinese (企业, 政府部门 ...); unknown words stay as they are."""
    return ORG_KINDS.get(kind, kind) if kind else kind


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
