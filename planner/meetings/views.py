"""Skip-level meeting pages: who is invited, the agenda, obstacles logged, items carried over,
the leader's private notes; and the coordinators' agenda template."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from planner.access import ORGANISERS, SIGNED_IN, allow
from planner.db import get_session, utcnow
from planner.errors import NotFound, PlannerError
from planner.i18n import _
from planner.meetings import forms, operations
from planner.org.calendar import get_organisation

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


def _zone() -> ZoneInfo:
    """The organisation's zone."""
    return ZoneInfo(get_organisation(get_session()).time_zone or "UTC")


def _meeting_or_404(event_id: int) -> Any:
    """A skip-level event the current person may see, or a 404."""
    try:
        return operations.get_meeting_event(get_session(), event_id, current_user)
    except NotFound:
        abort(404)


def _page(event: Any, form: Any = None, status: int = 200) -> Any:
    """The meeting page."""
    zone = _zone()
    meeting = operations.load_meeting(get_session(), event, current_user, zone)
    if form is None and meeting.notes is not None:
        form = forms.NotesForm(notes=meeting.notes)
    page = render_template(
        "meetings/meeting.html",
        meeting=meeting,
        event=event,
        zone=zone,
        form=form,
        can_log=current_user.role in operations.LEADER_ROLES,
        can_edit=current_user.role in ORGANISERS,
    )
    return page, status


@bp.route("/<int:event_id>")
@allow(*SIGNED_IN)
def page(event_id: int) -> Any:
    """One skip-level meeting."""
    return _page(_meeting_or_404(event_id))


@bp.route("/<int:event_id>/notes", methods=["POST"])
@allow(*SIGNED_IN)
def notes(event_id: int) -> Any:
    """The hosting leader saves their private notes."""
    event = _meeting_or_404(event_id)
    form = forms.NotesForm()
    if not operations.may_read_notes(event, current_user):
        abort(403)
    if not form.validate_on_submit():
        return _page(event, form, 400)
    db = get_session()
    try:
        operations.save_notes(db, event, current_user, form.notes.data or "", utcnow())
    except PlannerError as exc:
        db.rollback()
        form.form_errors.append(str(exc))
        return _page(event, form, 400)
    db.commit()
    flash(_("Your notes are saved."), "success")
    return redirect(url_for("meetings.page", event_id=event.id))


@bp.route("/agenda", methods=["GET", "POST"])
@allow(*ORGANISERS)
def agenda() -> Any:
    """The default agenda of every skip-level meeting."""
    db = get_session()
    form = forms.AgendaForm()
    if form.validate_on_submit():
        try:
            operations.set_agenda(db, current_user, form.text.data or "", utcnow())
        except PlannerError as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            flash(_("The agenda template is saved."), "success")
            return redirect(url_for("meetings.agenda"))
    elif not form.is_submitted():
        form.text.data = operations.agenda_text(db)
    status = 400 if form.errors or form.form_errors else 200
    return render_template("meetings/agenda.html", form=form), status
