"""The append-only history of feedback items: rows are added, never changed or deleted."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.models import FeedbackChange, FeedbackItem


def record_change(
    session: Session,
    item: FeedbackItem,
    *,
    to_status: str,
    from_status: str,
    actor_id: int | None,
    now: datetime | None,
    on_day: date,
    note: str = "",
    department_id: int | None = None,
) -> FeedbackChange:
    """Append one history row, numbered per item (no global order that could date it)."""
    number = 1 + (
        session.scalar(
            select(func.max(FeedbackChange.number)).where(FeedbackChange.item_id == item.id)
        )
        or 0
    )
    change = FeedbackChange(
        item_id=item.id,
        number=number,
        on_day=on_day,
        at=now,
        actor_id=actor_id,
        from_status=from_status,
        to_status=to_status,
        note=note,
        department_id=department_id,
    )
    session.add(change)
    return change
