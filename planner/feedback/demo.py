"""Demo feedback: a few items in every state, so the board, receipts and follow-ups have content.

Idempotent: items are found by their fixed idempotency keys and created only once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.feedback import lifecycle
from planner.feedback.followups import escalate_unacknowledged
from planner.feedback.publishing import publish_pending
from planner.models import FeedbackItem, Person

LEADERS = ("admin", "coordinator", "leader")

# (key, title, details, category, anonymous, days ago, steps)
ITEMS = (
    ("demo-feedback-0001-refund", "Refund tool times out during calls",
     "Customers wait on hold while the refund screen spins; we end up calling them back.",
     "tools", True, 12, ("acknowledged", "planned")),
    ("demo-feedback-0002-kbase", "Knowledge base articles are out of date",
     "Half the billing articles still describe last year's plans.",
     "training", False, 40, ("acknowledged", "planned", "done")),
    ("demo-feedback-0003-rota", "Weekend rota is announced too late",
     "Raised at the team's skip-level: people cannot plan family time.",
     "workload", False, 20, ("acknowledged", "declined")),
    ("demo-feedback-0004-script", "Escalation script sends customers in circles",
     "", "process", True, 10, ()),
)  # fmt: skip

RESPONSES = {
    "done": "We rewrote the billing articles and now review them every quarter.",
    "declined": "A fixed rota needs a contract change; instead we publish it 4 weeks ahead.",
}


def _noon(day: date) -> datetime:
    """A fixed instant on a day, so reloading the demo is deterministic."""
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def load(session: Session, today: date) -> list[str]:
    """Create the demo items once; escalate what is overdue for acknowledgement."""
    staff = session.scalars(
        select(Person).where(Person.role == "staff", Person.active.is_(True)).order_by(Person.id)
    ).first()
    leader = session.scalars(
        select(Person).where(Person.role.in_(LEADERS), Person.active.is_(True)).order_by(Person.id)
    ).first()
    if staff is None or leader is None:
        return ["feedback: no demo staff or leader yet, skipped"]
    created = 0
    for key, title, details, category, anonymous, age, steps in ITEMS:
        if session.scalar(select(FeedbackItem.id).where(FeedbackItem.idempotency_key == key)):
            continue
        raised_on = today - timedelta(days=age)
        from_meeting = key.endswith("rota")
        item = lifecycle.raise_item(
            session, author=leader if from_meeting else staff, title=title, details=details,
            category=category, team_id=staff.team_id, anonymous=anonymous, idempotency_key=key,
            now=_noon(raised_on), today=raised_on, from_meeting=from_meeting,
        ).item  # fmt: skip
        if item is None:  # anonymous: demo data is published at once, not batched
            publish_pending(session, now=_noon(raised_on), today=raised_on, force=True)
            item = session.scalars(
                select(FeedbackItem).where(FeedbackItem.idempotency_key == key)
            ).one()
        day = raised_on
        for step in steps:
            day = min(day + timedelta(days=2), today)
            lifecycle.change_status(
                session, item, actor=leader, to_status=step, expected_version=None,
                now=_noon(day), today=day, owner_id=leader.id, due_date=today + timedelta(days=14),
                response=RESPONSES.get(step, ""),
            )  # fmt: skip
        created += 1
    escalated = escalate_unacknowledged(session, today, _noon(today))
    return [f"feedback: {created} demo item(s) created, {len(escalated)} escalated"]
