"""View helpers of the feedback area: form choices, page contexts, the CSV export.

They read; they never change anything (the operations do that).
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app, flash, redirect, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from planner.db import database, utcnow, write_session
from planner.errors import ChangedMeanwhile
from planner.feedback import board as boards
from planner.feedback import departments, followups, publishing, thanks
from planner.feedback.anonymity import team_grouping
from planner.feedback.forms import (
    RouteForm,
    StatusForm,
    ThankForm,
    VoteForm,
    new_idempotency_key,
    options,
)
from planner.feedback.lifecycle import LEADER_ROLES, TRANSITIONS
from planner.i18n import _
from planner.i18n.content import shown
from planner.meetings.operations import meeting_choices
from planner.models import Event, FeedbackItem, Person, Team
from planner.models.feedback import CATEGORIES, STATUSES
from planner.org.calendar import get_organisation

FILTER_KEYS = ("status", "category", "team", "age", "department")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def zone(session: Session) -> ZoneInfo:
    """The organisation's time zone."""
    return ZoneInfo(get_organisation(session).time_zone or "UTC")


def changed_meanwhile(session: Session, item_id: int) -> Response:
    """After a save lost to someone else's (stale version, or a duplicate row): say so and show
    the item again as it is now."""
    session.rollback()
    flash(str(ChangedMeanwhile(f"Feedback #{item_id}")), "error")
    return redirect(url_for("feedback.item", item_id=item_id))


def today(session: Session) -> date:
    """Today where the organisation is."""
    return datetime.now(zone(session)).date()


def publish_if_due(session: Session, app: Flask) -> int:
    """Opportunistic publication of the anonymous pool on a board request (there is no job
    queue; `planner feedback-publish` from cron is the reliable caller). Returns items published."""
    now = utcnow()
    if not publishing.publication_due(session, now):
        return 0
    day = today(session)
    session.rollback()  # end this request's read snapshot: the board must see the new items
    with write_session(app) as writer:
        try:
            published = publishing.publish_pending(writer, now=now, today=day)
            writer.commit()
        except IntegrityError:
            writer.rollback()  # another worker drew the first moment at the same time
            return 0
    if published:
        publishing.scrub_storage(database(app).engine)
    return published


def choices() -> dict[str, Any]:
    """Filter choices for the board."""
    return {"statuses": STATUSES, "categories": CATEGORIES, "ages": boards.AGES}


def raise_form(session: Session, form_class: type[Any], person: Person) -> Any:
    """A raise form with team choices, the person's team preselected and a fresh idempotency key."""

    teams = list(session.scalars(select(Team).order_by(Team.name)))
    # Only a freshly loaded form gets a key: a POST without one is refused, not silently keyed.
    key = new_idempotency_key() if request.method == "GET" else None
    form = form_class(team=person.team_id, idempotency_key=key)
    form.team.choices = options([(t.id, t.name) for t in teams])
    if hasattr(form, "meeting"):
        events = meeting_choices(session, person, today(session), zone(session))
        form.meeting.choices = options(
            [(0, _("(not linked to a calendar item)"))]
            + [(e.id, f"{e.title} ({_event_day(e, session)})") for e in events]
        )
        wanted = request.args.get("meeting", type=int)
        if request.method == "GET" and wanted in {e.id for e in events}:
            form.meeting.data = wanted
    return form


def _event_day(event: Event, session: Session) -> str:
    """An event's first day, local."""
    if event.start_date is not None:
        return event.start_date.isoformat()
    if event.start_at is not None:
        return event.start_at.astimezone(zone(session)).date().isoformat()
    return ""


def raise_values(session: Session, form: Any) -> dict[str, Any]:
    """The operation's arguments from a validated raise form."""
    meeting = getattr(form, "meeting", None)
    anonymous = getattr(form, "anonymous", None)
    values = {
        "title": form.title.data or "",
        "details": form.details.data or "",
        "category": form.category.data,
        "team_id": form.team.data,
        "anonymous": bool(anonymous.data) if anonymous is not None else False,
        "idempotency_key": form.idempotency_key.data or "",
        "customer_impact": form.customer_impact.data or "",
        "now": utcnow(),
        "today": today(session),
    }
    if meeting is not None:
        values["meeting_event_id"] = meeting.data or None
    return values


def status_values(session: Session, form: Any) -> dict[str, Any]:
    """The operation's arguments from a validated status form."""
    return {
        "to_status": form.to_status.data,
        "expected_version": int(form.version.data),
        "owner_id": form.owner.data or None,
        "due_date": form.due_date.data,
        "response": form.response.data or "",
        "note": form.note.data or "",
        "now": utcnow(),
        "today": today(session),
    }


def mail_settings() -> dict[str, str]:
    """What e-mails need from the configuration to build links."""
    return {
        "base_url": current_app.config["BASE_URL"].rstrip("/"),
        "secret_key": current_app.config["SECRET_KEY"],
    }


def history_rows(session: Session, item: FeedbackItem) -> list[dict[str, str]]:
    """The item's history for display: when (local), who, from, to, note."""
    tz = zone(session)
    rows = []
    for change in item.history:
        if change.actor is not None:
            who = change.actor.name
        elif change.number == 1 and item.anonymous:
            who = _("Anonymous")
        else:
            who = _("Planner (automatic)")
        when = (
            change.at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
            if change.at is not None
            else change.on_day.isoformat()
        )
        note = shown(change.note)  # the planner's own notes in the reader's language
        if change.department_id is not None:
            # A routing entry: the status stays, the department is named (never the author).
            name = change.department.name if change.department is not None else "—"
            routed = _("Routed to %(department)s", department=name)
            note = f"{routed} — {note}" if note else routed
        rows.append(
            {
                "when": when,
                "who": who,
                "from": STATUSES.get(change.from_status, "—"),
                "to": STATUSES.get(change.to_status, change.to_status),
                "note": note,
            }
        )
    return rows


def raised_by(item: FeedbackItem) -> str:
    """Who raised it, as shown publicly."""
    if item.anonymous:
        return _("Anonymous")
    if item.from_meeting:
        return _("A skip-level meeting (on behalf of the group)")
    return item.author.name if item.author is not None else _("A former colleague")


def route_form(session: Session, item: FeedbackItem, form: Any = None) -> Any:
    """The routing form with the departments to choose from and the item's version."""
    form = form or RouteForm(
        formdata=None, department=item.department_id or 0, customer_impact=item.customer_impact
    )
    form.department.choices = options(
        [(0, _("(choose a department)"))]
        + [(t.id, t.name) for t in departments.departments(session)]
    )
    form.version.data = str(item.version)
    return form


def route_values(session: Session, form: Any) -> dict[str, Any]:
    """The routing operation's arguments from a validated form."""
    return {
        "department_id": form.department.data or None,
        "customer_impact": form.customer_impact.data or "",
        "expected_version": int(form.version.data),
        "note": form.note.data or "",
        "now": utcnow(),
        "today": today(session),
    }


def item_context(
    session: Session,
    item: FeedbackItem,
    viewer: Person,
    status_form: Any = None,
    routing_form: Any = None,
) -> dict[str, Any]:
    """Everything the item page shows."""
    grouping = team_grouping(session)
    is_leader = viewer.role in LEADER_ROLES
    if is_leader and status_form is None:
        status_form = StatusForm(
            version=str(item.version), owner=item.owner_id, due_date=item.due_date
        )
    if status_form is not None:
        status_form.version.data = str(item.version)
        allowed = TRANSITIONS.get(item.status, frozenset())
        status_form.to_status.choices = [
            c for c in status_form.to_status.choices if c.value in allowed
        ]
    return {
        "item": item,
        "team_label": grouping.label(item.team_id, anonymous=item.anonymous, pooled=item.pooled),
        "raised_by": raised_by(item),
        "history": history_rows(session, item),
        "votes": boards.vote_count(session, item.id),
        "voted": boards.has_voted(session, item.id, viewer.id),
        "vote_form": VoteForm(),
        "status_form": status_form if is_leader and not item.is_closed else None,
        "follow_ups": followups.events_of(session, item) if is_leader else [],
        "route_form": (
            route_form(session, item, routing_form)
            if not item.is_closed and departments.may_route(viewer, item)
            else None
        ),
        "thanks_event": thanks.thanks_event(session, item),
        "thank_form": ThankForm() if thanks.can_thank(viewer, item) else None,
    }


def receipt_context(session: Session, item: FeedbackItem) -> dict[str, Any]:
    """What the receipt page shows: the item, its status, history and public response."""
    return {
        "item": item,
        "history": history_rows(session, item),
        "votes": boards.vote_count(session, item.id),
    }


def month_links(first: date) -> dict[str, str]:
    """The previous and next months, as yyyy-mm."""
    previous = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    return {"previous": f"{previous:%Y-%m}", "following": f"{boards.next_month(first):%Y-%m}"}


def leader_or_none(session: Session, person_id: int) -> Person | None:
    """The person if they are a leader (or organiser), else None."""
    person = session.get(Person, person_id)
    return person if person is not None and person.role in LEADER_ROLES else None


def owned_items(session: Session, person_id: int) -> list[FeedbackItem]:
    """The items a leader owns, open ones first by due date."""
    return list(
        session.scalars(
            select(FeedbackItem)
            .where(FeedbackItem.owner_id == person_id)
            .order_by(FeedbackItem.closed_on.is_not(None), FeedbackItem.due_date, FeedbackItem.id)
        )
    )


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (SECURITY.md 25)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def board_csv(session: Session, day: date) -> str:
    """Every item's public fields as CSV (anonymous items: no author, small teams pooled)."""
    loaded = boards.load_board(session, boards.BoardFilters(), today=day, viewer_id=None)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["number", "title", "category", "team", "raised by", "raised on", "status", "owner",
         "due", "votes", "response", "department", "customer impact"]
    )  # fmt: skip
    for row in loaded.rows:
        item = row.item
        writer.writerow(
            _cell(v)
            for v in (
                item.public_id, item.title, item.category_label, row.team_label, raised_by(item),
                item.raised_on, item.status_label, item.owner.name if item.owner else "",
                item.due_date or "", row.votes, item.response,
                item.department.name if item.department else "", item.impact_label,
            )
        )  # fmt: skip
    return out.getvalue()
