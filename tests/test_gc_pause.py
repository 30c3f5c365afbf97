"""core/gc_pause.py: the collector is off inside the block and restored as it was."""

from __future__ import annotations

import gc

import pytest

from chainkg.gc_pause import gc_paused


def test_paused_inside_and_enabled_again_after() -> None:
    assert gc.isenabled() is True
    with gc_paused():
        assert gc.isenabled() is False
        with gc_paused():
            assert gc.isenabled() is False
        assert gc.isenabled() is False  # the inner block does not switch it back on
    assert gc.isenabled() is True


def test_enabled_again_after_an_error() -> None:
    with pytest.raises(RuntimeError, match="boom"), gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled() is True


def test_left_off_when_it_was_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            assert gc.isenabled() is False
        assert gc.isenabled() is False
    finally:
        gc.enable()
