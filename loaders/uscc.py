"""统一社会信用代码 (unified social credit code, GB 32100-2015): normalising and the check character.

A code is 18 characters from ``0-9A-HJ-NPQRTUWXY`` (no I, O, Z, S, V); the last
is a check character computed from the first 17 with weights 3^i mod 31.
"""

from __future__ import annotations

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18
_VALUE = {c: i for i, c in enumerate(CHARSET)}
# Full-width letters and digits, as typed with a Chinese IME, are their ASCII twins.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def normalize_uscc(text: str) -> str:
    """``text`` upper-cased, full-width characters made ASCII, spaces and dashes removed."""
    ascii_text = text.translate(_FULL_WIDTH)
    return "".join(c for c in ascii_text if not c.isspace() and c != "-").upper()


def uscc_check_char(first17: str) -> str:
    """The check character for the first 17 characters of a code (ValueError if not valid)."""
    if len(first17) != LENGTH - 1 or any(c not in _VALUE for c in first17):
        raise ValueError(f"{first17!r} is not 17 characters from {CHARSET}")
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """What is wrong with a normalised code, or None when it is a valid USCC."""
    if len(code) != LENGTH:
        return f"统一社会信用代码 {code!r} has {len(code)} characters; a code has 18"
    bad = sorted({c for c in code if c not in _VALUE})
    if bad:
        shown = ", ".join(repr(c) for c in bad)
        return (
            f"统一社会信用代码 {code!r} contains {shown}; only 0-9 and the letters "
            "A-H J-N P Q R T U W X Y are used (I, O, S, V, Z never occur)"
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return (
            f"统一社会信用代码 {code!r} has check character {code[17]!r}, but the first 17 "
            f"characters give {expected!r}; check the code for a mistyped character"
        )
    return None


def is_valid_uscc(code: str) -> bool:
    """Whether ``code`` (normalised first) is a valid USCC."""
    return uscc_problem(normalize_uscc(code)) is None
