"""Search keys computed when a map is built: pinyin initials of Chinese names.

An analyst types "ytkc" for 宇通客车; the page matches it against these keys, so no
pinyin table has to ship in the page.

pypinyin's phrase-aware conversion costs about a millisecond per name, too slow for a
province's firms. So a character takes the initial of its most common reading (pypinyin's
first) from a per-character table, unless it is one of the polyphones common in names whose
readings start differently (重 zhòng/chóng, 行 xíng/háng, 长 cháng/zhǎng ...): a name with one
of those goes through pypinyin's phrase dictionary (重庆 cq, 银行 yh, 长城 cc).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PINYIN_DICT

_KEEP = re.compile(r"[0-9a-z]+")
_TONES = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm")


# Polyphones frequent in enterprise and place names whose readings start with different letters.
PHRASE_DEPENDENT = frozenset(
    "重长行乐朝厦藏调传都单曾解区查会还便参差降觉露落强曲沈石属宿弹给几系校柏繁任"
)


@lru_cache(maxsize=65_536)
def _char_initial(ch: str) -> str | None:
    """The initial of a character's most common reading (lower case); '' for a character
    that is not Chinese; None when the reading depends on the phrase."""
    if ch in PHRASE_DEPENDENT:
        return None
    readings = PINYIN_DICT.get(ord(ch))
    if readings is None:
        return ""
    return readings.split(",")[0].strip().translate(_TONES)[:1]


def _phrase_initials(name: str) -> str:
    parts = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")
    return "".join("".join(_KEEP.findall(p.lower())) for p in parts)


@lru_cache(maxsize=65_536)
def initials(name: str) -> str:
    """Pinyin initials of ``name``, lower case: 宇通客车股份有限公司 -> ytkcgfyxgs.

    Letters and digits in the name are kept (lower case); punctuation and spaces dropped.
    """
    out = []
    for ch in name:
        letter = _char_initial(ch)
        if letter is None:  # a reading depends on the phrase
            return _phrase_initials(name)
        out.append(letter if letter else ch.lower())
    return "".join(_KEEP.findall("".join(out)))
