"""The 蓝皮书 as one self-contained HTML page: the same blocks as the Word document.

Like the maps (``viz.page``): nothing is fetched (pictures are ``data:`` URIs, styles are
inline), the template autoescapes every text from the data, and a Content-Security-Policy
allows no script and no request at all.
"""

from __future__ import annotations

import base64
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from chainkg.errors import ChainkgError
from chainkg.viz import style
from chainkg.viz.report_content import (
    SYNTHETIC_NOTE,
    TITLE,
    Contents,
    Cover,
    Heading,
    PageBreak,
    Para,
    Picture,
    Report,
    Table,
)

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'none'",
        "style-src 'unsafe-inline'",
        "img-src data:",
        "font-src data:",
        "connect-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ]
)


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("chainkg.viz", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def _block(b: object) -> dict[str, Any]:
    if isinstance(b, Picture):
        src = "data:image/png;base64," + base64.b64encode(b.png).decode("ascii")
        return {"type": "picture", "src": src, "caption": b.caption}
    kinds = {
        Cover: "cover",
        Contents: "contents",
        Heading: "heading",
        Para: "para",
        Table: "table",
        PageBreak: "pagebreak",
    }
    return {"type": kinds[type(b)], **asdict(b)}  # type: ignore[call-overload]


def render_html(report: Report) -> str:
    """The report as one HTML string: no request leaves it, no data string is HTML."""
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            csp=CSP,
            title=f"{TITLE}（{report.year}年度）",
            synthetic=report.synthetic,
            synthetic_note=SYNTHETIC_NOTE,
            font_family=style.FONT_FAMILY,
            contents=[asdict(h) for h in report.headings() if h.level <= 2],
            blocks=[_block(b) for b in report.blocks],
        )
    )


def write_html(report: Report, path: Path | str) -> Path:
    """Write the report page as UTF-8, creating the folder; returns the path."""
    out = Path(path)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(render_html(report), encoding="utf-8", newline="\n")
    except OSError as exc:
        raise ChainkgError(
            f"cannot write the report to {out}: {exc.strerror}",
            hint="choose a file in a folder you can write to",
        ) from None
    return out
