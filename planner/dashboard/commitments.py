"""'Our commitment after the week': during Customer Service Week (and up to the first working
day after it) each leader records what they will do for the year; it becomes a board item the
leader owns, so staff can follow it like any other."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.dashboard.calendar import led_team_ids
from planner.errors import InvalidInput, NotAllowed
from planner.feedback import lifecycle
from planner.i18n import _
from planner.models import Person, ServiceWeek, WeekCommitment
from planner.org.calendar import add_working_days

PREFIX = "Our commitment after the week: "
TEXT_MAX = 500


def open_week(session: Session, today: date) -> ServiceWeek | None:
    """The Customer Service Week whose commitments are open today (the week and the day after)."""
    for week in session.scalars(
        select(ServiceWeek).where(ServiceWeek.first_day <= today).order_by(ServiceWeek.year)
    ):
        if today <= window_end(session, week):
            return week
    return None


def commitments_of(session: Session, leader_id: int, year: int) -> list[WeekCommitment]:
    """A leader's commitments of one year."""
    return list(
        session.scalars(
            select(WeekCommitment)
            .where(WeekCommitment.leader_id == leader_id, WeekCommitment.year == year)
            .order_by(WeekCommitment.id)
        )
    )


def record_commitment(
    session: Session,
    leader: Person,
    text: str,
    *,
    idempotency_key: str,
    today: date,
    now: datetime,
) -> WeekCommitment:
    """Put a leader's commitment on the board, owned and acknowledged by them."""
    if leader.role not in lifecycle.LEADER_ROLES:
        raise NotAllowed("Only leaders make commitments for their teams.")
    week = open_week(session, today)
    if week is None:
        raise InvalidInput(_("Commitments are recorded during Customer Service Week."))
    text = " ".join((text or "").split())
    if not text:
        raise InvalidInput(_("Say what you commit to."))
    if len(text) > TEXT_MAX:
        raise InvalidInput(_("Keep it under %(TEXT_MAX)s characters.", TEXT_MAX=TEXT_MAX))
    teams = led_team_ids(session, leader)
    team_id = leader.team_id if leader.team_id is not None else (teams[0] if teams else None)
    raised = lifecycle.raise_item(
        session, author=leader, title=(PREFIX + text)[:200], details=text, category="other",
        team_id=team_id, anonymous=False, idempotency_key=idempotency_key, now=now, today=today,
    )  # fmt: skip
    item = raised.item
    assert item is not None  # only anonymous raises wait in the pending pool
    item.owner_id = leader.id
    lifecycle.change_status(
        session, item, actor=leader, to_status="acknowledged", expected_version=None, now=now,
        today=today, note="Commitment after Customer Service Week",
    )  # fmt: skip
    commitment = WeekCommitment(year=week.year, leader_id=leader.id, item_id=item.id)
    session.add(commitment)
    session.flush()
    return commitment


def window_end(session: Session, week: ServiceWeek) -> date:
    """The last day commitments of this week can be recorded."""
    return add_working_days(session, week.last_day, 1)
