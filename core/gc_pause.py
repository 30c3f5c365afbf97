"""Pausing Python's cyclic garbage collector around bulk work.

A list load builds a few million small dicts and tuples that live until it ends; each
time the young generations fill, the collector walks every tracked object, so at
100,000 rows about a third of the shaping time went to collections that found nothing
(bench/README.md, list load). Reference counting still frees everything as usual; only
cycles wait until the block ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic collector for the block (nested blocks: the outermost re-enables)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
