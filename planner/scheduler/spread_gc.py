"""A pause of Python's cycle collector around big pure computations (engine and validator).

Planning 10,000 people builds a few hundred thousand small container objects that all live until
the computation returns. Each of them counts towards the collector's thresholds, so it runs many
full collections that trace the whole heap (the caller's ORM objects included) and free nothing;
at 10,000 people that was about a third of a re-plan, and it grows with the caller's heap.
Reference counting still frees everything that is not in a cycle while the collector is paused.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cycle collector for the block (re-enabled after it only if it was enabled)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
