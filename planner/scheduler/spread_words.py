"""The engine's sentences as codes with parameters (pure: no Flask, no translation here).

Every reason, warning, note and violation the engine writes is a `Said`: a code and its
parameters (names, numbers, dates, other Saids), and, as a `str`, its English words (logs,
tests and the benchmark read it as before). The words a person reads are made at display time
from the code, in the reader's language: `planner.scheduler.wording.said()`. A text that is a
plain `str` (a preview stored by an older version, a holiday's name) is shown as it is.

TEXTS holds the English templates; they are the catalogue's msgids (marked with N_ so the
extractor finds them; planner/i18n/catalogue.py lists N_ as a keyword).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

DEFAULT_DATE = "%a %d %b %Y"
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def N_(text: str) -> str:  # gettext's name for "mark, translate later"
    """Mark a template for the catalogue; it is translated where it is shown."""
    return text


TEXTS: dict[str, str] = {
    # Names and words inside other sentences.
    "person-id": N_("person %(id)s"),
    "team-id": N_("team %(id)s"),
    "role-leader": N_("leader"),
    "role-host": N_("host"),
    "role-attendee": N_("attendee"),
    "closed-blackout": N_("blackout “%(name)s”"),
    "closed-a-blackout": N_("a blackout"),
    "closed-by-coordinator": N_("closed by a coordinator"),
    "its-day": N_("its day"),
    "the-one-on": N_("the one on %(day)s"),
    "period-start": N_("the start of the period"),
    "period-end": N_("the end of the period"),
    "other-occurrences": N_("the other occurrences"),
    "week-of": N_("the week of %(day)s"),
    "all-day": N_("all-day"),
    "timed": N_("timed"),
    "and": N_("%(first)s and %(second)s"),
    # Why a day cannot be used (spread_calendar).
    "day-outside-period": N_("%(day)s is outside the plan period"),
    "day-not-working": N_("%(day)s is not a working day"),
    "day-closed-because": N_("%(day)s is closed: %(reason)s"),
    "day-closed": N_("%(day)s is closed"),
    "days-between": N_("%(first)s and %(last)s"),
    # Why a published event cannot stay (spread_existing).
    "naive-start": N_("its start is a naive datetime"),
    "zone-unknown": N_("the organisation's time zone is unknown"),
    "start-not-date": N_("its start is not a date"),
    "series-now": N_("the series is now %(kind)s"),
    "not-series-weekday": N_("%(weekday)s is not one of the series' weekdays"),
    "starts-later": N_("it now starts on %(day)s"),
    "person-away": N_("%(person)s (%(role)s) is away on %(day)s"),
    "time-no-longer-fits": N_("%(start)s-%(end)s no longer fits the series' time and length"),
    "clock-change": N_("a clock change cuts through it"),
    "would-exceed-cap": N_("%(person)s would exceed the weekly cap of %(cap)s"),
    "person-busy": N_("%(person)s is busy then"),
    "overlaps": N_("it overlaps %(title)s for %(person)s"),
    "within-gap": N_("it is within %(gap)s weeks of the one on %(day)s"),
    "busy-not-datetimes": N_("busy time %(index)s ignored: start and end must be datetimes"),
    "busy-not-aware": N_("busy time %(index)s ignored: needs aware datetimes, end after start"),
    "an-event": N_("an event"),
    "published-twice": N_("%(title)s appears twice among the published events"),
    "pinned-stays": N_("%(title)s on %(when)s is pinned and stays although %(problem)s"),
    "frozen-stays": N_("%(title)s on %(day)s is too close to move and stays although %(problem)s"),
    # Why a slot found no place (spread_search, spread_displaced, spread).
    "no-day-left": N_(
        "no working day left between %(span)s that keeps the %(gap)s-week minimum spacing and "
        "avoids absences"
    ),
    "at-cap-in": N_("%(person)s at the weekly cap of %(cap)s in %(weeks)s"),
    "no-free-hour-in": N_("the people taking part have no free hour in %(weeks)s"),
    "no-day-fits": N_("no day between %(span)s fits: %(why)s of the weeks"),
    "with-remedy": N_("%(text)s. %(remedy)s"),
    "no-room": N_("no room for another occurrence at the %(gap)s-week minimum spacing"),
    "no-open-week": N_(
        "no open week left between %(before)s and %(after)s at the %(gap)s-week minimum "
        "spacing (closures and absences counted). Fixes: move one of those by hand (Move and "
        "pin), or shorten the cadence's shortest gap"
    ),
    "no-day-near": N_(
        "no allowed day within %(weeks)s weeks of %(day)s keeps the %(gap)s-week spacing from "
        "%(around)s. Fixes: move one of those by hand (Move and pin), or shorten the cadence's "
        "shortest gap"
    ),
    "had-to-move": N_("%(why)s (it had to move: %(note)s)"),
    "zone-unknown-timed": N_("unknown time zone %(zone)s: timed series cannot be placed"),
    "period-empty": N_("the period is empty"),
    "series-ignored": N_("series %(key)s ignored: %(error)s"),
    # A leader's capacity (spread_capacity).
    "fix-roundtable": N_(
        'let one roundtable cover up to %(teams)s teams (the cadence\'s "teams per meeting")'
    ),
    "fix-spacing": N_("space the meetings at least %(weeks)s weeks apart"),
    "fix-cap": N_("raise the weekly cap to %(cap)s"),
    "fix-host": N_("choose another host for %(others)s of the %(teams)s teams (team page)"),
    "fixes": N_("Fixes: %(fixes)s."),
    "cannot-hold": N_(
        "%(person)s cannot hold all their meetings: %(demand)s needed for %(teams)s teams, but "
        "%(weeks)s open weeks at most %(cap)s a week give room for %(capacity)s. %(remedy)s"
    ),
    # Why a series can never be placed (spread_series, spread_input).
    "spacing-not-weeks": N_("spacing must be whole weeks"),
    "spacing-invalid": N_("spacing %(min)s-%(max)s weeks is invalid"),
    "no-host": N_("series has no host"),
    "no-weekday": N_("series allows no weekday"),
    "weekdays-not-working": N_("none of its weekdays (%(days)s) is a working day"),
    "cap-is": N_("leader weekly cap is %(cap)s"),
    "window-not-times": N_("preferred window is not a pair of times"),
    "duration-invalid": N_("duration %(minutes)s minutes is invalid"),
    "window-empty": N_("window %(window)s is empty"),
    "window-short": N_("window %(window)s is shorter than %(minutes)s minutes"),
    "zone-unknown-named": N_("unknown time zone %(zone)s"),
    "no-open-day": N_("no open working day on its weekdays in the period"),
    "no-open-day-after-frozen": N_(
        "no open working day on its weekdays in the period after the frozen horizon"
    ),
    "away-every-day": N_("%(person)s (%(role)s) is away on every allowed day of the period"),
    "absences-leave-none": N_("the participants' absences together leave no allowed day"),
    "duplicate-key": N_("duplicate or empty series key %(key)s"),
    "attendees-not-ids": N_("attendees are not a list of person ids"),
    "weekdays-not-days": N_("weekdays are not a set of day numbers"),
    "starts-on-not-date": N_("starts_on %(value)s is not a date"),
    "field-not-id": N_("%(name)s %(value)s is not a person or team id"),
    "period-not-dates": N_("the period is not a pair of dates"),
    "working-weekdays-unreadable": N_("working weekdays unreadable: Monday to Friday assumed"),
    "closed-unreadable": N_("closed dates unreadable: only readable dates are kept"),
    "absences-unreadable": N_("absences unreadable: ignored"),
    "absences-of-unreadable": N_("absences of %(people)s unreadable: ignored"),
    "value-invalid": N_("%(name)s %(value)s is invalid: %(default)s used"),
    "frontline-unreadable": N_("frontline teams unreadable: team coverage not planned"),
    "frozen-not-date": N_("frozen_until %(value)s is not a date: ignored"),
    "names-unreadable": N_("%(name)s unreadable: ids are shown instead"),
    "entries-wrong-kind": N_("%(count)s %(name)s entries are not %(kind)s"),
    # Objectives the plan could not meet (spread_stats).
    "more-like-above": N_("... and %(count)s more like the above"),
    "no-touchpoint-week": N_("no touchpoint in the week of %(day)s"),
    "team-gap": N_("%(team)s goes %(gap)s weeks without a touchpoint until %(when)s"),
    "spacing-wide": N_(
        "%(title)s: %(weeks)s weeks between %(first)s and %(last)s (at most %(gap)s wanted)"
    ),
    # Cadences that cannot be expanded (planning).
    "team-no-leader": N_("%(title)s: team %(team)s has no leader to host it."),
    "nobody-hosts": N_("%(title)s: nobody can host it."),
    # Publishing: why a published event is cancelled.
    "cannot-stay": N_("cannot stay where it is: %(reason)s"),
    "no-longer-planned": N_("its cadence, person or team is no longer planned"),
    # The independent validator (validate).
    "v-all-day-start": N_("%(slot)s: all-day series but start is %(value)s"),
    "v-all-day-end": N_("%(slot)s: all-day end %(value)s is not the next day"),
    "v-timed-not-datetimes": N_("%(slot)s: timed series but start/end are not datetimes"),
    "v-not-utc": N_("%(slot)s: start/end are not aware UTC datetimes"),
    "v-no-local-time": N_("%(slot)s: cannot read its local time"),
    "v-length": N_("%(slot)s: lasts %(length)s, not %(minutes)s minutes"),
    "v-midnight": N_("%(slot)s: crosses midnight"),
    "v-outside-window": N_("%(slot)s: %(start)s-%(end)s outside window"),
    "v-ambiguous": N_("%(slot)s: starts at an ambiguous local time"),
    "v-outside-period": N_("%(slot)s: %(day)s outside the period"),
    "v-not-working": N_("%(slot)s: %(day)s is not a working day"),
    "v-closed": N_("%(slot)s: %(day)s is closed"),
    "v-weekday": N_("%(slot)s: %(day)s is not an allowed weekday of the series"),
    "v-absent": N_("%(slot)s: person %(person)s is absent on %(day)s"),
    "v-before-start": N_("%(slot)s: %(day)s is before the series starts on %(starts)s"),
    "v-frozen": N_("%(slot)s: %(status)s placement on %(day)s, inside the frozen period"),
    "v-pinned-moved": N_("%(slot)s: pinned placement moved or vanished"),
    "v-kept-moved": N_("%(slot)s: marked kept but not at its existing start"),
    "v-moved-new": N_("%(slot)s: marked moved but was never placed"),
    "v-new-existed": N_("%(slot)s: marked new but existed"),
    "v-placed-and-cancelled": N_("%(slot)s: both placed and cancelled/unplaced"),
    "v-placed-twice": N_("%(slot)s: placed more than once"),
    "v-unknown-series": N_("%(slot)s: unknown series or wrong index"),
    "v-busy-time": N_("busy time %(index)s"),
    "v-double-booked": N_("person %(person)s double-booked: %(first)s and %(second)s"),
    "v-over-cap": N_("leader %(leader)s: %(count)s capped events in week of %(monday)s"),
    "v-too-close": N_("%(first)s and %(second)s: %(weeks)s weeks apart, minimum %(gap)s"),
}

# Codes said without a template of their own: a list joined by a separator, a list joined with
# "and" (TEXTS["and"], pair by pair), and a weekday's short name.
LIST, BOTH, WEEKDAY = "list", "both", "weekday"


class Said(str):
    """A sentence as code + parameters; its str value is the English sentence."""

    code: str
    params: Mapping[str, Any]

    def __new__(cls, code: str, params: Mapping[str, Any], english: str) -> Said:
        self = super().__new__(cls, english)
        self.code, self.params = code, params
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Said, (self.code, dict(self.params), str(self)))


def _english(value: Any, date_format: str) -> str:
    if isinstance(value, date):
        try:
            return value.strftime(date_format)
        except ValueError:
            return value.isoformat()
    return str(value)


def say(code: str, date_format: str = DEFAULT_DATE, **params: Any) -> Said:
    """The sentence `code` with its parameters (dates in English as `date_format`)."""
    words = {name: _english(value, date_format) for name, value in params.items()}
    return Said(code, params, TEXTS[code] % words)


def listing(items: Iterable[Any], sep: str) -> Said:
    """Items joined by a separator that needs no translation ("; ", ", ")."""
    items = tuple(items)
    return Said(LIST, {"items": items, "sep": sep}, sep.join(map(str, items)))


def both(items: Iterable[Any]) -> Said:
    """Items joined with "and" ("a and b and c"), in the reader's language when shown."""
    items = tuple(items)
    english = " and ".join(map(str, items))
    return Said(BOTH, {"items": items}, english)


def weekday(day: int) -> Said:
    """A weekday's short name (0 = Monday)."""
    return Said(WEEKDAY, {"day": day}, DAY_NAMES[day % 7])
