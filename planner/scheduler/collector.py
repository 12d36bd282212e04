"""Pausing Python's cyclic garbage collector over one large computation of the year plan.

At 10,000 people a preview builds and reads back a few million objects that stay alive until it
ends (series, placements, rows, sentences). Each time enough of them survive, the collector
walks every tracked object of the process, and it did so about a dozen times per preview: a
third of its CPU time (2.4 s of 7), finding nothing, since none of it is garbage yet. Paused,
the work is the same and the objects are freed as always by their reference counts when the
plan goes; cycles made meanwhile wait for the collector's next run after the pause.

The collector is one per process: a pause inside a pause (or while someone else has it off)
leaves it as it is, and only the pause that turned it off turns it on again.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block (or, as a decorator, the function) with the cyclic collector off."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
