"""Input hygiene: replace malformed plan fields by safe values and say so, instead of raising."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date

from planner.scheduler.spread_types import (
    WORKWEEK,
    BusyTime,
    ExistingPlacement,
    PlanInput,
    SeriesSpec,
)
from planner.scheduler.spread_words import Said, say

_COLLECTIONS = (tuple, list, set, frozenset)


def _dates(values: object) -> frozenset[date] | None:
    """The dates in a collection, or None when it is not a collection of dates."""
    if not isinstance(values, _COLLECTIONS) or not all(isinstance(v, date) for v in values):
        return None
    return frozenset(values)


def _ints(values: object, lo: int | None = None, hi: int | None = None) -> frozenset[int] | None:
    if not isinstance(values, _COLLECTIONS):
        return None
    picked = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    if len(picked) != len(values):
        return None
    return frozenset(v for v in picked if (lo is None or v >= lo) and (hi is None or v <= hi))


def _all_ints(values: object) -> bool:
    """Whether _ints would accept the values, without building the set (runs for every series)."""
    if not isinstance(values, _COLLECTIONS):
        return False
    if set(map(type, values)) <= {int}:
        return True  # plain ints, the usual case, checked at C speed
    return all(isinstance(v, int) and not isinstance(v, bool) for v in values)


def series_problem(spec: SeriesSpec) -> Said | None:
    """A field of a series that is not even the right kind of value; None if all are."""
    if not _all_ints(spec.attendee_ids):
        return say("attendees-not-ids")
    if not _all_ints(spec.weekdays):
        return say("weekdays-not-days")
    if spec.starts_on is not None and not isinstance(spec.starts_on, date):
        return say("starts-on-not-date", value=repr(spec.starts_on))
    for name in ("leader_id", "team_id"):
        value = getattr(spec, name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            return say("field-not-id", name=name, value=repr(value))
    return None


def sanitise(plan: PlanInput) -> tuple[PlanInput | None, list[Said]]:
    """The plan with unusable fields replaced (None if there is no usable period) + warnings."""
    warnings: list[Said] = []
    if not isinstance(plan.period_start, date) or not isinstance(plan.period_end, date):
        return None, [say("period-not-dates")]
    changes: dict[str, object] = {}
    weekdays = _ints(plan.working_weekdays, 0, 6)
    if weekdays is None:
        warnings.append(say("working-weekdays-unreadable"))
        changes["working_weekdays"] = WORKWEEK
    closed = _dates(plan.closed_dates)
    if closed is None:
        warnings.append(say("closed-unreadable"))
        given = plan.closed_dates if isinstance(plan.closed_dates, Iterable) else ()
        changes["closed_dates"] = frozenset(d for d in given if isinstance(d, date))
    if not isinstance(plan.absences, Mapping):
        warnings.append(say("absences-unreadable"))
        changes["absences"] = {}
    else:
        bad = sorted(str(p) for p, days in plan.absences.items() if _dates(days) is None)
        if bad:
            warnings.append(say("absences-of-unreadable", people=", ".join(bad)))
            changes["absences"] = {
                p: days for p, days in plan.absences.items() if _dates(days) is not None
            }
    for name, default, low in (("leader_weekly_cap", 3, 0), ("team_max_gap_weeks", 4, 1)):
        value = getattr(plan, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < low:
            warnings.append(say("value-invalid", name=name, value=repr(value), default=default))
            changes[name] = default
    if _ints(plan.frontline_team_ids) is None:
        warnings.append(say("frontline-unreadable"))
        changes["frontline_team_ids"] = frozenset()
    if plan.frozen_until is not None and not isinstance(plan.frozen_until, date):
        warnings.append(say("frozen-not-date", value=repr(plan.frozen_until)))
        changes["frozen_until"] = None
    if plan.today is not None and not isinstance(plan.today, date):
        changes["today"] = None
    for name in ("person_names", "team_names", "closed_reasons"):
        if not isinstance(getattr(plan, name), Mapping):
            warnings.append(say("names-unreadable", name=name))
            changes[name] = {}
    if not isinstance(plan.date_format, str) or not plan.date_format:
        changes["date_format"] = "%a %d %b %Y"
    for name, kind in (("series", SeriesSpec), ("existing", ExistingPlacement), ("busy", BusyTime)):
        raw = getattr(plan, name)
        items: tuple[object, ...] = tuple(raw) if isinstance(raw, _COLLECTIONS) else ()
        good = tuple(item for item in items if isinstance(item, kind))
        if len(good) != len(items) or not isinstance(getattr(plan, name), tuple):
            if len(good) != len(items):
                bad_count = len(items) - len(good)
                warnings.append(
                    say("entries-wrong-kind", count=bad_count, name=name, kind=kind.__name__)
                )
            changes[name] = good
    return (replace(plan, **changes) if changes else plan), warnings  # type: ignore[arg-type]
