"""Text hygiene for list cells and names: what a spreadsheet adds that a name does not contain.

Cells are NFKC-normalised (full-width letters, digits and spaces, CJK compatibility
ideographs and Kangxi radicals from PDF copies become their ordinary forms), except
characters whose compatibility form changes the meaning (①, ㎡, ², ½ stay as
written). Zero-width characters and the soft hyphen are removed; tabs and line
breaks become spaces; runs of spaces shrink to one and spaces next to a Chinese
character go (``宇通 客车`` is ``宇通客车``). Other control characters (NUL, bidi
overrides) are refused: they are never part of a name and break exports.
Organisation names also take full-width brackets, as registered names do
(``宇通客车(郑州)`` is ``宇通客车（郑州）``).
"""

from __future__ import annotations

import functools
import re
import unicodedata

NAME_LIMIT = 200  # characters in a name (the longest registered names are ~60)
CELL_LIMIT = 10_000  # characters in any cell

_REMOVED = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e]")
_SPACES = re.compile(r"[\t\n\r\f\v\u00a0\u3000 ]+")
# Control and format characters that survive cleaning are refused.
_REFUSED = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_NEEDS_WORK = re.compile(
    "[^\u0020-\u007e\u4e00-\u9fff\uff08\uff09\u3001]"  # anything outside ASCII / common CJK
    r"|\s\s|^\s|\s$"
)
_CJK = r"[\u2e80-\u9fff\uf900-\ufaff\uff08\uff09\u3000-\u303f]"
_SPACE_BY_CJK = re.compile(rf"(?<={_CJK}) | (?={_CJK})")
# Compatibility decompositions whose NFKC form would change what the text says.
_KEEP_TAGS = ("<circle>", "<square>", "<super>", "<sub>", "<fraction>")


class TextError(ValueError):
    """A cell holds characters that are refused (the message names them)."""


def _nfkc(text: str) -> str:
    if unicodedata.is_normalized("NFKC", text):
        return text
    out = []
    for ch in text:
        if unicodedata.decomposition(ch).startswith(_KEEP_TAGS):
            out.append(ch)
        else:
            out.append(unicodedata.normalize("NFKC", ch))
    return "".join(out)


def clean_text(text: str) -> str:
    """``text`` normalised as described above; TextError for refused control characters."""
    if _NEEDS_WORK.search(text) is None:
        return text
    text = _REMOVED.sub("", _nfkc(text))
    text = _SPACES.sub(" ", text).strip()
    text = _SPACE_BY_CJK.sub("", text)
    bad = _REFUSED.search(text)
    if bad is not None:
        code = f"U+{ord(bad.group()):04X}"
        name = unicodedata.name(bad.group(), "control character")
        raise TextError(f"contains the control character {code} ({name}); delete it")
    return text


@functools.lru_cache(maxsize=262_144)  # a list load cleans each name two or three times
def clean_org_name(text: str) -> str:
    """An organisation name: ``clean_text`` plus full-width brackets, as registered names have."""
    return clean_text(text).replace("(", "（").replace(")", "）")


def name_key(text: str) -> str:
    """The key two spellings of one name share: cleaned, no spaces, full-width brackets, lower case."""
    return "".join(clean_org_name(text).split()).lower()
