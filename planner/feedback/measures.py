"""Measures of acting on feedback: are items acknowledged quickly and closed with a response?

Items are judged only once the measure can be decided: an item counts towards "acknowledged
within 5 working days" when it was acknowledged or its deadline has passed, and towards "closed
within 90 days" when it was closed or is older than 90 days. Days are calendar days between dates
(anonymous items keep only their day, so no finer measure exists).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from planner.feedback.followups import ACK_WORKING_DAYS
from planner.models import FeedbackItem, Person
from planner.org import workdays
from planner.org.calendar import closed_dates, get_organisation

CLOSE_WITHIN_DAYS = 90


@dataclass
class Measures:
    """The figures shown on the board and on each leader's page."""

    items: int = 0
    open_items: int = 0
    ack_judged: int = 0
    ack_in_time: int = 0
    close_judged: int = 0
    close_in_time: int = 0
    median_days_to_ack: float | None = None
    median_days_to_close: float | None = None
    overdue_by_owner: list[tuple[Person, int]] = field(default_factory=list)

    @property
    def ack_share(self) -> float | None:
        """Share acknowledged within 5 working days (None when nothing can be judged yet)."""
        return self.ack_in_time / self.ack_judged if self.ack_judged else None

    @property
    def close_share(self) -> float | None:
        """Share closed with a response within 90 days (None when nothing can be judged yet)."""
        return self.close_in_time / self.close_judged if self.close_judged else None

    @property
    def overdue(self) -> int:
        """All overdue items."""
        return sum(n for _, n in self.overdue_by_owner)


def compute_measures(
    session: Session,
    today: date,
    *,
    leader_id: int | None = None,
    department_id: int | None = None,
) -> Measures:
    """Measures over all items, over the items a leader owns or acknowledged, or over the items
    routed to a department."""
    query = select(FeedbackItem)
    if department_id is not None:
        query = query.where(FeedbackItem.department_id == department_id)
    if leader_id is not None:
        query = query.where(
            or_(FeedbackItem.owner_id == leader_id, FeedbackItem.acknowledged_by_id == leader_id)
        )
    items = list(session.scalars(query.order_by(FeedbackItem.id)))
    result = Measures(items=len(items), open_items=sum(not i.is_closed for i in items))
    if not items:
        return result
    weekdays = get_organisation(session).working_weekdays
    first = min(i.raised_on for i in items)
    closed = closed_dates(session, first, today + timedelta(days=60))
    ack_days, close_days = [], []
    overdue: dict[int, int] = {}
    for item in items:
        deadline = workdays.add_working_days(item.raised_on, ACK_WORKING_DAYS, weekdays, closed)
        if item.acknowledged_on is not None:
            result.ack_judged += 1
            result.ack_in_time += item.acknowledged_on <= deadline
            ack_days.append((item.acknowledged_on - item.raised_on).days)
        elif deadline < today:
            result.ack_judged += 1
        if item.closed_on is not None:
            days = (item.closed_on - item.raised_on).days
            close_days.append(days)
            result.close_judged += 1
            result.close_in_time += days <= CLOSE_WITHIN_DAYS
        elif (today - item.raised_on).days > CLOSE_WITHIN_DAYS:
            result.close_judged += 1
        late = item.status in {"planned", "in_progress"} and item.due_date is not None
        if late and item.due_date < today and item.owner_id is not None:  # type: ignore[operator]
            overdue[item.owner_id] = overdue.get(item.owner_id, 0) + 1
    result.median_days_to_ack = statistics.median(ack_days) if ack_days else None
    result.median_days_to_close = statistics.median(close_days) if close_days else None
    if overdue:
        owners = session.scalars(select(Person).where(Person.id.in_(overdue)))
        result.overdue_by_owner = sorted(
            ((p, overdue[p.id]) for p in owners), key=lambda r: (-r[1], r[0].name)
        )
    return result
