"""统一社会信用代码 check character (GB 32100-2015)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chainkg.loaders.uscc import (
    CHARSET,
    is_valid_uscc,
    normalize_uscc,
    uscc_check_char,
    uscc_problem,
)

body = st.text(alphabet=CHARSET, min_size=17, max_size=17)


def test_published_example_is_valid() -> None:
    assert uscc_check_char("91350100M000100Y4") == "3"
    assert is_valid_uscc("91350100M000100Y43")


def test_normalising_accepts_lower_case_full_width_and_spaces() -> None:
    assert normalize_uscc(" ９１３５0100m000100y43 ") == "91350100M000100Y43"
    assert is_valid_uscc("9135 0100-m000 100y43")


def test_messages_name_the_expected_check_character() -> None:
    assert uscc_problem("91350100M000100Y44") == (
        "统一社会信用代码 '91350100M000100Y44' has check character '4', but the first 17 "
        "characters give '3'; check the code for a mistyped character"
    )
    assert uscc_problem("91350100M000100Y4") == (
        "统一社会信用代码 '91350100M000100Y4' has 17 characters; a code has 18"
    )
    assert uscc_problem("91350100M000I00Y43") == (
        "统一社会信用代码 '91350100M000I00Y43' contains 'I'; only 0-9 and the letters "
        "A-H J-N P Q R T U W X Y are used (I, O, S, V, Z never occur)"
    )


@given(body)
def test_a_code_with_its_check_character_is_valid(first17: str) -> None:
    assert uscc_problem(first17 + uscc_check_char(first17)) is None


@given(body, st.integers(0, 17), st.integers(1, len(CHARSET) - 1))
def test_changing_one_character_is_detected(first17: str, position: int, shift: int) -> None:
    code = first17 + uscc_check_char(first17)
    changed_char = CHARSET[(CHARSET.index(code[position]) + shift) % len(CHARSET)]
    changed = code[:position] + changed_char + code[position + 1 :]
    assert changed != code
    assert uscc_problem(changed) is not None
