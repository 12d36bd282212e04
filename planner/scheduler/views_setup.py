"""Setup pages of the year plan: cadences, blackout periods and holiday overrides (organisers)."""

from __future__ import annotations

from datetime import time
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for

from planner.access import ORGANISERS, allow
from planner.db import get_session
from planner.errors import InvalidInput, NotFound
from planner.i18n import _
from planner.models import Cadence
from planner.scheduler import cadences, forms, operations
from planner.scheduler.views import bp


def _values(form: forms.CadenceForm) -> cadences.CadenceInput:
    """The form's data as plain values."""
    return cadences.CadenceInput(
        title=form.title.data or "",
        kind=form.kind.data or "",
        practice=form.practice.data or "",
        expansion=form.expansion.data or "",
        min_gap_weeks=form.min_gap_weeks.data or 0,
        max_gap_weeks=form.max_gap_weeks.data or 0,
        duration_minutes=form.duration_minutes.data,
        window_start=form.window_start.data,
        window_end=form.window_end.data,
        weekdays=frozenset(int(d) for d in form.weekdays.data or ()),
        counts_toward_cap=bool(form.counts_toward_cap.data),
        teams_per_meeting=form.teams_per_meeting.data or 1,
        active=bool(form.active.data),
        description=form.description.data or "",
    )


def _form_data(cadence: Cadence) -> dict[str, Any]:
    """A cadence as form data."""
    return {
        "title": cadence.title, "kind": cadence.kind, "practice": cadence.practice,
        "expansion": cadence.expansion, "min_gap_weeks": cadence.min_gap_weeks,
        "max_gap_weeks": cadence.max_gap_weeks, "duration_minutes": cadence.duration_minutes,
        "window_start": cadence.window_start, "window_end": cadence.window_end,
        "weekdays": [str(d) for d in sorted(cadence.weekday_set)],
        "counts_toward_cap": cadence.counts_toward_cap, "active": cadence.active,
        "teams_per_meeting": cadence.teams_per_meeting,
        "description": cadence.description,
    }  # fmt: skip


@bp.route("/cadences")
@allow(*ORGANISERS)
def cadence_list() -> Any:
    """Every cadence: what recurs, how often, for whom."""
    return render_template(
        "scheduler/cadences.html", cadences=cadences.list_cadences(get_session())
    )


@bp.route("/cadences/seed", methods=["POST"])
@allow(*ORGANISERS)
def seed() -> Any:
    """Add the library's year-round entries as cadences (the product defaults switched on)."""
    db = get_session()
    added = cadences.seed_cadences(db)
    db.commit()
    flash(f"{added} cadences added from the activity library." if added else
          "Every library entry already has a cadence.", "success")  # fmt: skip
    return redirect(url_for("scheduler.cadence_list"))


def _save(cadence_id: int | None) -> Any:
    """Show or save the cadence form (new when cadence_id is None)."""
    db = get_session()
    cadence = None
    if cadence_id is not None:
        try:
            cadence = cadences.get_cadence(db, cadence_id)
        except NotFound:
            abort(404)
    if request.method == "POST":
        form = forms.CadenceForm()
    elif cadence is not None:
        form = forms.CadenceForm(data=_form_data(cadence))
    else:
        form = forms.CadenceForm(data={"min_gap_weeks": 10, "max_gap_weeks": 16,
                                       "duration_minutes": 60, "active": True,
                                       "teams_per_meeting": 1,
                                       "weekdays": ["0", "1", "2", "3", "4"]})  # fmt: skip
        form.window_start.data, form.window_end.data = time(9), time(16)
    if form.validate_on_submit():
        try:
            if cadence is None:
                cadences.add_cadence(db, _values(form))
            else:
                cadences.update_cadence(db, cadence.id, _values(form))
        except InvalidInput as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            flash(_("Cadence saved. Preview the plan to see what it changes."), "success")
            return redirect(url_for("scheduler.cadence_list"))
    status = 400 if request.method == "POST" else 200
    return render_template("scheduler/cadence_form.html", form=form, cadence=cadence), status


@bp.route("/cadences/new", methods=["GET", "POST"])
@allow(*ORGANISERS)
def new_cadence() -> Any:
    """Create a cadence."""
    return _save(None)


@bp.route("/cadences/<int:cadence_id>", methods=["GET", "POST"])
@allow(*ORGANISERS)
def edit_cadence(cadence_id: int) -> Any:
    """Edit a cadence."""
    return _save(cadence_id)


def _closures_page(blackout_form: Any = None, override_form: Any = None, status: int = 200) -> Any:
    db = get_session()
    return render_template(
        "scheduler/closures.html",
        blackouts=operations.blackouts(db),
        overrides=operations.overrides(db),
        blackout_form=blackout_form or forms.BlackoutForm(),
        override_form=override_form or forms.OverrideForm(),
    ), status


@bp.route("/closures")
@allow(*ORGANISERS)
def closures() -> Any:
    """Blackout periods and holiday overrides."""
    return _closures_page()


@bp.route("/closures/blackouts", methods=["POST"])
@allow(*ORGANISERS)
def add_blackout() -> Any:
    """Add a blackout period."""
    form = forms.BlackoutForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            operations.add_blackout(
                db, form.first_day.data, form.last_day.data, form.reason.data or ""
            )
        except InvalidInput as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            flash(_("Blackout added. Preview the plan to move what falls in it."), "success")
            return redirect(url_for("scheduler.closures"))
    return _closures_page(blackout_form=form, status=400)


@bp.route("/closures/blackouts/<int:blackout_id>/remove", methods=["POST"])
@allow(*ORGANISERS)
def remove_blackout(blackout_id: int) -> Any:
    """Remove a blackout period."""
    db = get_session()
    try:
        operations.remove_blackout(db, blackout_id)
    except NotFound:
        abort(404)
    db.commit()
    flash(_("Blackout removed."), "success")
    return redirect(url_for("scheduler.closures"))


@bp.route("/closures/days", methods=["POST"])
@allow(*ORGANISERS)
def set_override() -> Any:
    """Close or open one day."""
    form = forms.OverrideForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            operations.set_override(
                db, form.day.data, form.closed.data == "1", form.name.data or ""
            )
        except InvalidInput as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            flash(_("Day saved. Preview the plan to see what it changes."), "success")
            return redirect(url_for("scheduler.closures"))
    return _closures_page(override_form=form, status=400)


@bp.route("/closures/days/<int:override_id>/remove", methods=["POST"])
@allow(*ORGANISERS)
def remove_override(override_id: int) -> Any:
    """Drop a day's override."""
    db = get_session()
    try:
        operations.remove_override(db, override_id)
    except NotFound:
        abort(404)
    db.commit()
    flash(_("The day follows the public-holiday calendar again."), "success")
    return redirect(url_for("scheduler.closures"))
