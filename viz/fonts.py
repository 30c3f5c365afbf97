"""Find a Chinese (CJK) font for the report's charts, or say clearly how to get one.

matplotlib's default font has no Chinese glyphs: a chart drawn with it shows boxes
(豆腐块) and a warning. ``cjk_font`` finds Noto Sans CJK (Debian/Ubuntu package
``fonts-noto-cjk``, which CI installs) or another CJK font the system has, in this order:
the file in ``CHAINKG_CJK_FONT``, the fonts matplotlib knows, ``fc-match``, the usual paths.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

from chainkg.errors import ConfigError

ENV = "CHAINKG_CJK_FONT"
PREFERRED = ("Noto Sans CJK SC", "Noto Sans CJK", "Source Han Sans", "WenQuanYi", "SimHei")
PATTERNS = (
    "/usr/share/fonts/**/NotoSansCJK*-Regular.tt[cf]",
    "/usr/share/fonts/**/NotoSansCJK*.otf",
    "/usr/share/fonts/**/SourceHanSans*.tt[cf]",
    "/usr/share/fonts/**/wqy-*.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
HINT = (
    "install Noto Sans CJK (Debian/Ubuntu: apt-get install -y fonts-noto-cjk) or set "
    f"{ENV} to a .ttf/.ttc/.otf font file with Chinese glyphs"
)


def _from_matplotlib() -> str | None:
    from matplotlib import font_manager

    fonts = font_manager.fontManager.ttflist
    for wanted in PREFERRED:
        for f in fonts:
            if f.name.startswith(wanted) and "Bold" not in Path(f.fname).name:
                return f.fname
    return None


def _from_fc_match() -> str | None:
    exe = shutil.which("fc-match")
    if exe is None:
        return None
    try:
        out = subprocess.run(
            [exe, "-f", "%{file}", "Noto Sans CJK SC:lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out if out and "CJK" in out and Path(out).exists() else None


@cache
def cjk_font() -> Path:
    """The path of a font with Chinese glyphs; ConfigError saying how to install one."""
    given = os.environ.get(ENV)
    if given:
        if not Path(given).is_file():
            raise ConfigError(f"{ENV}={given!r} is not a font file", hint=HINT)
        return Path(given)
    found = _from_matplotlib() or _from_fc_match()
    if found is None:
        for pattern in PATTERNS:
            hits = sorted(glob.glob(pattern, recursive=True))
            if hits:
                found = hits[0]
                break
    if found is None:
        raise ConfigError("no Chinese font found for the report's charts", hint=HINT)
    return Path(found)
