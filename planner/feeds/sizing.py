"""Every feed stays under 1 MB by design (FEEDS.md 18): a narrower window when it would not. Pure.

Google Calendar ignores a subscribed feed past about 1 MB. A large organisation feed keeps every
event only while it fits in ``TARGET_BYTES`` (900,000, leaving room below Google's limit). Past
that, ``fit`` drops, in this order, until it fits:

1. past items that started more than ``KEEP_PAST`` (14 days) ago, oldest first;
2. future items, furthest first (the window ahead shrinks from 15 months);
3. the remaining past items, oldest first.

What stays is one unbroken stretch of time around now, so a subscriber sees a shorter window,
never gaps. Pages warn from ``WARN_BYTES`` (800,000) on and offer practice filters, which give
smaller feeds with the full window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

LIMIT_BYTES = 1_000_000  # Google's limit
TARGET_BYTES = 900_000  # what fit() keeps a feed under
WARN_BYTES = 800_000  # pages warn from here on
KEEP_PAST = timedelta(days=14)


@dataclass(frozen=True)
class Fitted:
    """Which items a feed keeps, and where its window was cut (None: not cut on that side)."""

    keep: list[int]  # indexes into the items given, in their order
    cut_after: datetime | None  # first dropped future start
    cut_before: datetime | None  # last dropped past start


def fit(
    starts: Sequence[datetime], sizes: Sequence[int], overhead: int, now: datetime,
    target: int | None = None,
) -> Fitted:  # fmt: skip
    """Indexes of the items to keep so that ``overhead + sum(sizes kept) <= target``.

    ``starts`` are aware instants (an all-day item at its local midnight), ``sizes`` the bytes of
    each rendered piece, ``overhead`` the bytes of the calendar without events.
    """
    target = TARGET_BYTES if target is None else target
    total = overhead + sum(sizes)
    count = len(starts)
    if total <= target:
        return Fitted(list(range(count)), None, None)
    old = sorted((i for i in range(count) if starts[i] < now - KEEP_PAST), key=lambda i: starts[i])
    ahead = sorted((i for i in range(count) if starts[i] >= now), key=lambda i: starts[i])
    recent = sorted(
        (i for i in range(count) if now - KEEP_PAST <= starts[i] < now), key=lambda i: starts[i]
    )
    dropped: set[int] = set()
    cut_after: datetime | None = None
    cut_before: datetime | None = None
    for index in [*old, *reversed(ahead), *recent]:
        if total <= target:
            break
        dropped.add(index)
        total -= sizes[index]
        if starts[index] >= now:
            cut_after = starts[index]
        else:
            cut_before = starts[index] if cut_before is None else max(cut_before, starts[index])
    # Items sharing the cut's start go too, so the window ends cleanly between two instants.
    for index in ahead:
        if cut_after is not None and starts[index] >= cut_after:
            dropped.add(index)
    return Fitted([i for i in range(count) if i not in dropped], cut_after, cut_before)
