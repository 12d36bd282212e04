"""E-mail about feedback: status changes to the named raiser and voters, the monthly digest,
and signed one-click unsubscribe tokens.

Anonymous authors get no e-mail at all (there is no address to send it to): they follow their
item through the receipt page. Messages never name an anonymous item's author (there is none to
name) and carry only public fields: title, status, the public response.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.feedback import board
from planner.mail import Message
from planner.models import (
    FeedbackChange,
    FeedbackItem,
    FeedbackUnsubscription,
    FeedbackVote,
    MailPreference,
    Person,
)
from planner.models.feedback import STATUSES

SALT = "feedback-unsubscribe"


def unsubscribe_token(secret_key: str, person_id: int, item_id: int | None) -> str:
    """A signed token: unsubscribe this person from this item (or, with None, the digest)."""
    payload: dict[str, Any] = {"p": person_id}
    if item_id is None:
        payload["d"] = 1
    else:
        payload["i"] = item_id
    return str(URLSafeSerializer(secret_key, salt=SALT).dumps(payload))


def read_unsubscribe_token(secret_key: str, token: str) -> tuple[int, int | None] | None:
    """(person id, item id or None for the digest), or None for a forged or damaged token."""
    try:
        payload = URLSafeSerializer(secret_key, salt=SALT).loads(token)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("p"), int):
        return None
    item_id = payload.get("i")
    if item_id is None and payload.get("d") != 1:
        return None
    return payload["p"], item_id if isinstance(item_id, int) else None


def unsubscribe(session: Session, person_id: int, item_id: int | None) -> bool:
    """Stop item mail (or the digest) for a person; idempotent. False if nothing matches."""
    if session.get(Person, person_id) is None:
        return False
    if item_id is None:
        preference = session.get(MailPreference, person_id) or MailPreference(person_id=person_id)
        preference.digest_opt_out = True
        session.add(preference)
    else:
        if session.get(FeedbackItem, item_id) is None:
            return False
        if session.get(FeedbackUnsubscription, (item_id, person_id)) is None:
            session.add(FeedbackUnsubscription(item_id=item_id, person_id=person_id))
    session.flush()
    return True


def subscribers(session: Session, item: FeedbackItem) -> list[Person]:
    """Who hears about an item: its named author and its voters, minus those who unsubscribed."""
    ids = set(
        session.scalars(select(FeedbackVote.person_id).where(FeedbackVote.item_id == item.id))
    )
    if item.author_id is not None and not item.anonymous:
        ids.add(item.author_id)
    ids -= set(
        session.scalars(
            select(FeedbackUnsubscription.person_id).where(
                FeedbackUnsubscription.item_id == item.id
            )
        )
    )
    if not ids:
        return []
    return list(
        session.scalars(
            select(Person).where(Person.id.in_(ids), Person.active.is_(True)).order_by(Person.id)
        )
    )


def status_change_messages(
    session: Session,
    item: FeedbackItem,
    change: FeedbackChange,
    *,
    base_url: str,
    secret_key: str,
    actor_id: int | None,
) -> list[Message]:
    """One e-mail per subscriber (not the person who made the change) about a status change."""
    messages = []
    link = f"{base_url}/feedback/{item.id}"
    for person in subscribers(session, item):
        if person.id == actor_id:
            continue
        unsubscribe_url = (
            f"{base_url}/feedback/unsubscribe/{unsubscribe_token(secret_key, person.id, item.id)}"
        )
        lines = [
            f'Feedback {item.public_id} "{item.title}" is now {item.status_label.lower()}'
            f" (was {STATUSES.get(change.from_status, change.from_status).lower()}).",
        ]
        if item.due_date and item.status in {"planned", "in_progress"}:
            lines.append(f"Due: {item.due_date.isoformat()}")
        if item.response:
            heading = "What we did" if item.status == "done" else "Why not"
            lines += ["", f"{heading}:", item.response]
        lines += [
            "",
            f"See it: {link}",
            f"No more e-mail about this item (one click): {unsubscribe_url}",
        ]
        messages.append(
            Message(
                to=person.email,
                subject=f"Feedback {item.public_id} is {item.status_label.lower()}",
                body="\n".join(lines),
                unsubscribe_url=unsubscribe_url,
            )
        )
    return messages


def digest_messages(
    session: Session, month: date, *, base_url: str, secret_key: str
) -> list[Message]:
    """The monthly "you said, we did" digest for every active person who did not opt out."""
    update = board.monthly_update(session, month)
    opted_out = set(
        session.scalars(
            select(MailPreference.person_id).where(MailPreference.digest_opt_out.is_(True))
        )
    )
    people = session.scalars(select(Person).where(Person.active.is_(True)).order_by(Person.id))
    label = month.strftime("%B %Y")
    page = f"{base_url}/feedback/updates/{month:%Y-%m}"
    lines = [f'"You said, we did" — {label}', ""]
    if update.closed:
        for item in update.closed:
            lines.append(f"{item.public_id} {item.title} — {item.status_label}")
            lines.append(f"  {item.response}")
    else:
        lines.append("No items were closed this month.")
    lines += ["", f"Raised this month: {update.raised}; still open: {update.open_now}", ""]
    lines.append(f"Read it online: {page}")
    messages = []
    for person in people:
        if person.id in opted_out:
            continue
        url = f"{base_url}/feedback/unsubscribe/{unsubscribe_token(secret_key, person.id, None)}"
        body = "\n".join([*lines, f"Stop the monthly digest (one click): {url}"])
        messages.append(
            Message(
                to=person.email,
                subject=f'"You said, we did": {label}',
                body=body,
                unsubscribe_url=url,
            )
        )
    return messages


def routed_messages(
    session: Session, item: FeedbackItem, *, base_url: str, actor_id: int | None
) -> list[Message]:
    """Tell a department's head that an item was routed to them (never who raised it)."""
    from planner.feedback.departments import department_head
    from planner.i18n import _, in_language

    department = item.department
    head = department_head(session, department) if department is not None else None
    if department is None or head is None or head.id == actor_id or not head.email:
        return []
    from planner.org.calendar import get_organisation

    link = f"{base_url}/feedback/{item.id}"
    with in_language(head.language or get_organisation(session).locale):
        body = "\n".join(
            [
                _('Feedback %(id)s "%(title)s" was routed to %(department)s: you own it now.',
                  id=item.public_id, title=item.title, department=department.name),
                _("Please acknowledge it, plan it and say what was done, like any owner."),
                "",
                _("See it: %(link)s", link=link),
            ]
        )  # fmt: skip
        subject = _("Feedback %(id)s was routed to %(department)s",
                    id=item.public_id, department=department.name)  # fmt: skip
    return [Message(to=head.email, subject=subject, body=body)]
