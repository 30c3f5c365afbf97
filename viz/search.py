"""Search keys computed when a map is built: pinyin initials of Chinese names.

An analyst types "ytkc" for 宇通客车; the page matches it against these keys, so no
pinyin table has to ship in the page.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

_KEEP = re.compile(r"[0-9a-z]+")


@lru_cache(maxsize=65_536)
def initials(name: str) -> str:
    """Pinyin initials of ``name``, lower case: 宇通客车股份有限公司 -> ytkcgfyxgs.

    Letters and digits in the name are kept (lower case); punctuation and spaces dropped.
    """
    parts = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")
    return "".join("".join(_KEEP.findall(p.lower())) for p in parts)
