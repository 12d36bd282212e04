"""When a service star is revealed: on the day of the team's recognition event of the star's
month (or on the 1st of that month when no event is planned). Before that the star is known to
the coordinators and the leader who approved it, and to nobody else: not on the hall of fame,
not on the star's own page, not in Teams or Slack (calendars already say "to be announced",
surprise.py). Announcing waits for the day: `stars-announce` runs every morning."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.models import Award, Person
from planner.org.calendar import get_organisation
from planner.recognition.stars import recognition_event
from planner.recognition.surprise import event_day

ORGANISERS = ("admin", "coordinator")


def _zone(session: Session) -> ZoneInfo:
    return ZoneInfo(get_organisation(session).time_zone or "UTC")


def reveal_day(session: Session, award: Award, zone: ZoneInfo | None = None) -> date:
    """The day the award's star may be named: its recognition event's day, else the 1st."""
    event = recognition_event(session, award.team_id, award.year, award.month)
    day = event_day(event, zone or _zone(session)) if event is not None else None
    return day or date(award.year, award.month, 1)


def is_revealed(session: Session, award: Award, today: date) -> bool:
    """Whether the star may be named to everyone today (a past month's always may)."""
    if (award.year, award.month) < (today.year, today.month):
        return True
    return reveal_day(session, award) <= today


def may_see_early(viewer: Person, award: Award) -> bool:
    """Coordinators and the approving leader know a star before the reveal."""
    return viewer.role in ORGANISERS or award.approved_by_id == viewer.id


def split_revealed(
    session: Session, awards: list[Award], viewer: Person, today: date
) -> tuple[list[Award], list[tuple[Award, date]]]:
    """(awards anyone may see, awards this viewer may see early with their reveal day)."""
    shown: list[Award] = []
    early: list[tuple[Award, date]] = []
    zone = _zone(session)
    for award in awards:
        if (award.year, award.month) < (today.year, today.month):
            shown.append(award)  # only this month's and later ones need a look at events
            continue
        day = reveal_day(session, award, zone)
        if day <= today:
            shown.append(award)
        elif may_see_early(viewer, award):
            early.append((award, day))
    return shown, early


def revealed_on(session: Session, day: date) -> list[Award]:
    """Stars whose reveal day is `day` (for the morning announcement): always of that month."""
    zone = _zone(session)
    candidates = session.scalars(
        select(Award).where(Award.year == day.year, Award.month == day.month).order_by(Award.id)
    )
    return [award for award in candidates if reveal_day(session, award, zone) == day]


def award_of(session: Session, nomination_id: int) -> Award | None:
    """The award an approved nomination made."""
    return session.scalar(select(Award).where(Award.nomination_id == nomination_id))
