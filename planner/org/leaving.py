"""Leaving is recorded, never deleted: from a person's end date on they are inactive (no
sign-in, not in pickers, plans, feeds or counts) while their history (praise, items,
promotions, events) stays. Runs after an import or edit and every morning as a job.

Employment dates also bound the year plan: days before a start date and from an end date on
count as absent days (planner/scheduler/plan_inputs.py absences_of)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.auth.operations import end_all_sessions, forget_links
from planner.models import AuditEntry, Person


def record_leavers(session: Session, today: date, *, actor: Person | None = None) -> list[Person]:
    """Deactivate every active person whose end date has come; returns them (audited, their
    sessions and invitation links ended)."""
    gone = list(
        session.scalars(
            select(Person).where(
                Person.active.is_(True), Person.end_date.is_not(None), Person.end_date <= today
            )
        )
    )
    for person in gone:
        person.active = False
        forget_links(person)
        end_all_sessions(session, person)
        session.add(
            AuditEntry(
                actor_id=actor.id if actor else None,
                action="left",
                subject=f"person:{person.id}",
                detail=f"end date {person.end_date}",
            )
        )
    session.flush()
    return gone


def employed_absences(
    start: date | None, end: date | None, first: date, last: date
) -> frozenset[date]:
    """PURE: the days in [first, last] before a start date or from an end date on."""
    days: set[date] = set()
    day = first
    while day <= last:
        if (start is not None and day < start) or (end is not None and day >= end):
            days.add(day)
        day += timedelta(days=1)
    return frozenset(days)
