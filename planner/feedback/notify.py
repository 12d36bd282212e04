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
from planner.i18n import _, in_language, ngettext, recipient_language
from planner.i18n.formatting import format_day, format_month
from planner.mail import Message
from planner.models import (
    FeedbackChange,
    FeedbackItem,
    FeedbackUnsubscription,
    FeedbackVote,
    MailPreference,
    Organisation,
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


def _organisation_locale(session: Session) -> str | None:
    org = session.get(Organisation, 1)
    return org.locale if org is not None else None


def _status_change_body(
    item: FeedbackItem, change: FeedbackChange, link: str, unsubscribe_url: str
) -> tuple[str, str]:
    """(subject, body) of a status change, in the language of the moment."""
    was = STATUSES.get(change.from_status, change.from_status)
    lines = [
        _(
            'Feedback %(public_id)s "%(title)s" is now %(status)s (was %(was)s).',
            public_id=item.public_id,
            title=item.title,
            status=str(item.status_label).lower(),
            was=str(was).lower(),
        )
    ]
    if item.due_date and item.status in {"planned", "in_progress"}:
        lines.append(_("Due: %(day)s", day=format_day(item.due_date, "long")))
    if item.response:
        heading = _("What we did") if item.status == "done" else _("Why not")
        lines += ["", _("%(heading)s:", heading=heading), item.response]
    lines += [
        "",
        _("See it: %(link)s", link=link),
        _("No more e-mail about this item (one click): %(url)s", url=unsubscribe_url),
    ]
    subject = _(
        "Feedback %(public_id)s is %(status)s",
        public_id=item.public_id,
        status=str(item.status_label).lower(),
    )
    return subject, "\n".join(lines)


def status_change_messages(
    session: Session,
    item: FeedbackItem,
    change: FeedbackChange,
    *,
    base_url: str,
    secret_key: str,
    actor_id: int | None,
) -> list[Message]:
    """One e-mail per subscriber (not the person who made the change) about a status change,
    each in its reader's language (their own choice, else the organisation's)."""
    messages = []
    link = f"{base_url}/feedback/{item.id}"
    locale = _organisation_locale(session)
    for person in subscribers(session, item):
        if person.id == actor_id:
            continue
        unsubscribe_url = (
            f"{base_url}/feedback/unsubscribe/{unsubscribe_token(secret_key, person.id, item.id)}"
        )
        with in_language(recipient_language(person.language, locale)):
            subject, body = _status_change_body(item, change, link, unsubscribe_url)
        messages.append(
            Message(to=person.email, subject=subject, body=body, unsubscribe_url=unsubscribe_url)
        )
    return messages


def _digest_lines(update: board.MonthlyUpdate, month: date, page: str) -> list[str]:
    """The digest's text shared by every reader of one language."""
    label = format_month(month)
    lines = [_('"You said, we did" — %(month)s', month=label), ""]
    if update.closed:
        for item in update.closed:
            lines.append(f"{item.public_id} {item.title} — {item.status_label}")
            lines.append(f"  {item.response}")
    else:
        lines.append(_("No items were closed this month."))
    raised = ngettext(
        "%(num)d item raised this month", "%(num)d items raised this month", update.raised
    )
    still = ngettext("%(num)d still open", "%(num)d still open", update.open_now)
    lines += ["", f"{raised}; {still}.", ""]
    lines.append(_("Read it online: %(page)s", page=page))
    return lines


def digest_messages(
    session: Session, month: date, *, base_url: str, secret_key: str
) -> list[Message]:
    """The monthly "you said, we did" digest for every active person who did not opt out, each
    in its reader's language."""
    update = board.monthly_update(session, month)
    opted_out = set(
        session.scalars(
            select(MailPreference.person_id).where(MailPreference.digest_opt_out.is_(True))
        )
    )
    people = session.scalars(select(Person).where(Person.active.is_(True)).order_by(Person.id))
    page = f"{base_url}/feedback/updates/{month:%Y-%m}"
    locale = _organisation_locale(session)
    texts: dict[str, tuple[str, list[str]]] = {}
    messages = []
    for person in people:
        if person.id in opted_out:
            continue
        url = f"{base_url}/feedback/unsubscribe/{unsubscribe_token(secret_key, person.id, None)}"
        code = recipient_language(person.language, locale)
        with in_language(code):
            if code not in texts:
                subject = _('"You said, we did": %(month)s', month=format_month(month))
                texts[code] = (subject, _digest_lines(update, month, page))
            subject, lines = texts[code]
            stop = _("Stop the monthly digest (one click): %(url)s", url=url)
        messages.append(
            Message(
                to=person.email,
                subject=subject,
                body="\n".join([*lines, stop]),
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
