"""Cadences tied to a day rather than spread: "a week to remember" falls on the first working
day after Customer Service Week for every frontline team. The engine is not changed: each such
series has one occurrence (52-week spacing) whose slot is handed to it as a pinned placement,
which the engine keeps where it is (database side, like planning.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.models import Cadence
from planner.scheduler.spread import ExistingPlacement, SeriesSpec

if TYPE_CHECKING:
    from planner.scheduler.planning import SeriesMeta

DAY_AFTER_KEYS = frozenset({"year-day-after"})


def anchored_cadence_ids(session: Session) -> frozenset[int]:
    """Active cadences seeded from a day-after library entry."""
    rows = session.scalars(
        select(Cadence.id).where(Cadence.library_key.in_(DAY_AFTER_KEYS), Cadence.active)
    )
    return frozenset(rows)


def first_open_day(
    first: date, end: date, working_weekdays: frozenset[int], closed: frozenset[date]
) -> date | None:
    """PURE: the first working, not closed day in [first, end)."""
    day = first
    while day < end:
        if day.weekday() in working_weekdays and day not in closed:
            return day
        day += timedelta(days=1)
    return None


def pin_day_after(
    specs: list[SeriesSpec],
    meta: dict[str, SeriesMeta],
    cadence_ids: frozenset[int],
    published: set[str],
    day: date | None,
    frozen_until: date,
) -> tuple[list[SeriesSpec], list[ExistingPlacement]]:
    """PURE: the series with anchored ones pinned on `day`; an anchored series whose day is gone
    (or frozen) and that was never published is left out, so it is not planned elsewhere."""
    kept: list[SeriesSpec] = []
    pinned: list[ExistingPlacement] = []
    for spec in specs:
        if meta[spec.key].cadence_id not in cadence_ids:
            kept.append(spec)
            continue
        spec = replace(spec, duration_minutes=None)  # all-day: it blocks nobody's time
        slot = f"{spec.key}#0"
        if slot in published:
            kept.append(spec)  # planned before: re-planning keeps or repairs it as usual
        elif day is not None and day > frozen_until:
            kept.append(spec)
            pinned.append(ExistingPlacement(slot, day, pinned=True, end=day + timedelta(days=1)))
    return kept, pinned
