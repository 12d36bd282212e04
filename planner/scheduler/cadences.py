"""Cadences: seeded from the year-round library entries, edited by coordinators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.csweek.library import ensure_library, library_entries
from planner.errors import InvalidInput, NotFound
from planner.i18n import _
from planner.models import EVENT_KINDS, PRACTICES, Cadence
from planner.models.scheduler import EXPANSIONS

# The library entries switched on when cadences are first seeded, with the spacing the
# product asks for (library defaults otherwise): (min gap, max gap, expansion, window).
DEFAULT_ACTIVE: dict[str, tuple[int, int, str, tuple[time, time]]] = {
    "year-skip-level-roundtable": (10, 16, "skip_level", (time(10), time(16))),
    "year-service-star": (4, 5, "team", (time(9), time(12))),
    "year-hall-of-fame": (12, 14, "everyone", (time(14), time(17))),
    "year-you-said-we-did": (3, 5, "team", (time(9), time(16))),
    "year-refresher-training": (4, 6, "team", (time(9), time(16))),
    "year-scorecard-review": (10, 16, "team", (time(9), time(16))),
    "year-career-conversation": (10, 16, "person", (time(9), time(16))),
    # One all-day touchpoint per team, pinned to the first working day after the week
    # (planner/scheduler/anchored.py): the spacing only makes it one occurrence a year.
    "year-day-after": (52, 52, "team", (time(9), time(16))),
}
_EXPANSION_OF_AUDIENCE = {"leader_team": "skip_level", "team": "team", "person": "person"}


@dataclass(frozen=True)
class CadenceInput:
    """The editable fields of a cadence, as plain values."""

    title: str
    kind: str
    practice: str
    expansion: str
    min_gap_weeks: int
    max_gap_weeks: int
    duration_minutes: int | None
    window_start: time
    window_end: time
    weekdays: frozenset[int]
    counts_toward_cap: bool = False
    active: bool = True
    description: str = ""
    teams_per_meeting: int = 1


def check_cadence(values: CadenceInput) -> None:
    """Raise InvalidInput with a plain message if the values cannot make a cadence."""
    if not values.title.strip() or len(values.title.strip()) > 200:
        raise InvalidInput(_("Give the cadence a title of at most 200 characters."))
    if values.kind not in EVENT_KINDS or values.practice not in PRACTICES:
        raise InvalidInput(_("Choose a kind and a practice from the lists."))
    if values.expansion not in EXPANSIONS:
        raise InvalidInput(_("Choose who takes part from the list."))
    if not (1 <= values.min_gap_weeks <= 52 and 1 <= values.max_gap_weeks <= 52):
        raise InvalidInput(_("Gaps are between 1 and 52 weeks."))
    if values.min_gap_weeks > values.max_gap_weeks:
        raise InvalidInput(_("The shortest gap cannot be longer than the longest gap."))
    if values.window_end <= values.window_start:
        raise InvalidInput(_("The window must end after it starts, on the same day."))
    if values.duration_minutes is not None:
        if not 15 <= values.duration_minutes <= 480:
            raise InvalidInput(_("A timed cadence lasts between 15 and 480 minutes."))
        window = (values.window_end.hour * 60 + values.window_end.minute) - (
            values.window_start.hour * 60 + values.window_start.minute
        )
        if values.duration_minutes > window:
            raise InvalidInput(
                f"A {values.duration_minutes}-minute meeting does not fit in a "
                f"{window}-minute window."
            )
    if not values.weekdays or not values.weekdays <= set(range(7)):
        raise InvalidInput(_("Choose at least one weekday."))
    if not 1 <= values.teams_per_meeting <= 10:
        raise InvalidInput(_("A meeting covers between 1 and 10 teams."))


def _apply(cadence: Cadence, values: CadenceInput) -> None:
    """Copy checked values onto a cadence row."""
    cadence.title = values.title.strip()
    cadence.kind, cadence.practice, cadence.expansion = (
        values.kind,
        values.practice,
        values.expansion,
    )
    cadence.min_gap_weeks, cadence.max_gap_weeks = values.min_gap_weeks, values.max_gap_weeks
    cadence.duration_minutes = values.duration_minutes
    cadence.window_start, cadence.window_end = values.window_start, values.window_end
    cadence.weekdays = "".join(str(d) for d in sorted(values.weekdays))
    cadence.counts_toward_cap, cadence.active = values.counts_toward_cap, values.active
    cadence.teams_per_meeting = values.teams_per_meeting
    cadence.description = values.description.strip()


def list_cadences(session: Session) -> list[Cadence]:
    """Every cadence, active first, then by practice and title."""
    return list(
        session.scalars(
            select(Cadence).order_by(
                Cadence.active.desc(), Cadence.practice, Cadence.title, Cadence.id
            )
        )
    )


def get_cadence(session: Session, cadence_id: int) -> Cadence:
    """One cadence, or NotFound."""
    cadence = session.get(Cadence, cadence_id)
    if cadence is None:
        raise NotFound(_("No such cadence."))
    return cadence


def add_cadence(session: Session, values: CadenceInput) -> Cadence:
    """Create a cadence from checked values."""
    check_cadence(values)
    cadence = Cadence()
    _apply(cadence, values)
    session.add(cadence)
    session.flush()
    return cadence


def update_cadence(session: Session, cadence_id: int, values: CadenceInput) -> Cadence:
    """Change a cadence; the next plan preview shows what that does to the published plan."""
    check_cadence(values)
    cadence = get_cadence(session, cadence_id)
    _apply(cadence, values)
    session.flush()
    return cadence


def seed_cadences(session: Session) -> int:
    """One cadence per year-round library entry not seeded yet (the product's defaults switched
    on, the rest off for coordinators to enable); returns how many were added."""
    ensure_library(session)
    present = set(
        session.scalars(select(Cadence.library_key).where(Cadence.library_key.is_not(None)))
    )
    added = 0
    for entry in library_entries(session, scope="year"):
        key = entry.key or f"library-{entry.id}"
        if key in present or entry.kind not in EVENT_KINDS:
            continue
        default = DEFAULT_ACTIVE.get(key)
        low, high = entry.min_gap_weeks or 10, entry.max_gap_weeks or entry.min_gap_weeks or 16
        expansion = _EXPANSION_OF_AUDIENCE.get(entry.audience, "everyone")
        window = (time(9), time(16))
        if default is not None:
            low, high, expansion, window = default
        duration = entry.duration_minutes
        if duration is not None:
            duration = min(max(duration, 15), 420)
        session.add(
            Cadence(
                library_key=key,
                title=entry.title,
                description=entry.description,
                kind=entry.kind,
                practice=entry.practice if entry.practice in PRACTICES else "support",
                expansion=expansion,
                min_gap_weeks=max(1, min(low, 52)),
                max_gap_weeks=max(1, min(max(low, high), 52)),
                duration_minutes=duration,
                window_start=window[0],
                window_end=window[1],
                weekdays="01234",
                counts_toward_cap=expansion == "skip_level",
                teams_per_meeting=1,
                active=default is not None,
            )
        )
        added += 1
    session.flush()
    return added
