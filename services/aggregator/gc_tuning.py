"""Garbage collection tuned for replaying pages of thousands of events."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Pages of thousands of dicts that live through a batch make the cyclic garbage collector
    scan them again and again (decoding a page slows several times over): collect less often
    while replaying, and never the objects made before it. Memory stays bounded by the batch."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(100_000, 10, 10)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
