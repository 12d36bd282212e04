"""Checks before a planned event is moved by hand: the plan's rules, in words.

A move onto a day outside the plan period is refused. A move onto a non-working day, a closed
day (holiday or blackout, named), a day someone taking part is away, or over another event of
the same people is refused with the reasons, unless the coordinator explicitly pins it anyway.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.errors import InvalidInput
from planner.i18n import _, ngettext
from planner.i18n.content import shown
from planner.i18n.formatting import format_day
from planner.models import Absence, Event, Person
from planner.org.calendar import get_organisation
from planner.scheduler.plan_inputs import closed_reasons, plan_period
from planner.scheduler.wording import said


class MoveRefused(InvalidInput):
    """The move breaks a rule of the plan; `can_pin_anyway` says whether insisting is allowed."""

    def __init__(self, problems: list[str], can_pin_anyway: bool) -> None:
        self.problems = problems
        self.can_pin_anyway = can_pin_anyway
        super().__init__(_("This move breaks the plan's rules: %(problems)s.",
                           problems="; ".join(problems)))  # fmt: skip


def _people(event: Event) -> set[int]:
    """Who takes part in an event (host and attendees)."""
    return ({event.host_id} if event.host_id is not None else set()) | {
        p.id for p in event.attendees
    }


def _year_of(event: Event) -> int | None:
    prefix = (event.slot_key or "").split(":", 1)[0]
    return int(prefix) if prefix.isdigit() else None


def period_problem(session: Session, event: Event, day: date) -> str | None:
    """Why a day is outside the event's plan period; None when it is inside."""
    year = _year_of(event)
    if year is None:
        return None
    first, end = plan_period(session, year)
    if first <= day < end:
        return None
    last = end - timedelta(days=1)
    return _(
        "%(day)s is outside the %(year)s\u2013%(next)s plan (%(first)s to %(last)s)",
        day=format_day(day), year=year, next=year + 1, first=format_day(first),
        last=format_day(last),
    )  # fmt: skip


def move_problems(
    session: Session, event: Event, day: date, span: tuple[datetime, datetime] | None
) -> list[str]:
    """Every rule the move breaks, in words (empty when the move is fine)."""
    found: list[str] = []
    org = get_organisation(session)
    if day.weekday() not in org.working_weekdays:
        found.append(_("%(day)s is not a working day", day=format_day(day, "long")))
    reason = closed_reasons(session, day, day).get(day)
    if reason:
        found.append(_("%(day)s is closed: %(reason)s", day=format_day(day), reason=said(reason)))
    people = _people(event)
    names = dict(session.execute(select(Person.id, Person.name).where(Person.id.in_(people))).all())
    for absence in session.scalars(
        select(Absence)
        .where(Absence.person_id.in_(people), Absence.first_day <= day, Absence.last_day >= day)
        .order_by(Absence.person_id)
    ):
        who = names.get(absence.person_id) or _("someone")
        found.append(_("%(person)s is away on %(day)s", person=who, day=format_day(day)))
    if span is not None:
        found += _overlaps(session, event, people, names, span)
    return found


def _overlaps(
    session: Session,
    event: Event,
    people: set[int],
    names: dict[int, str],
    span: tuple[datetime, datetime],
) -> list[str]:
    """Other timed events at that time with the same people (events for everyone included)."""
    zone_name = get_organisation(session).time_zone
    found = []
    rows = session.scalars(
        select(Event)
        .where(
            Event.id != event.id,
            Event.status != "cancelled",
            Event.all_day.is_(False),
            Event.transparent.is_(False),
            Event.start_at < span[1],
            Event.end_at > span[0],
        )
        .options(selectinload(Event.attendees))
        .order_by(Event.start_at, Event.id)
    )
    zone = ZoneInfo(zone_name)
    for other in rows:
        shared = people & _people(other)
        if not shared and not other.for_everyone and not event.for_everyone:
            continue
        assert other.start_at is not None and other.end_at is not None
        when = f"{other.start_at.astimezone(zone):%H:%M}\u2013{other.end_at.astimezone(zone):%H:%M}"
        who = ", ".join(sorted(names.get(p) or _("someone") for p in shared))
        title = shown(other.title)
        if not who:
            found.append(_("everyone already has \u201c%(title)s\u201d at %(when)s",
                           title=title, when=when))  # fmt: skip
        else:
            found.append(ngettext("%(who)s already has \u201c%(title)s\u201d at %(when)s",
                                  "%(who)s already have \u201c%(title)s\u201d at %(when)s",
                                  len(shared), who=who, title=title, when=when))  # fmt: skip
    return found
