"""Org views for coordinators and admins: organisation settings, CSV import and export.

Routes are added to the org blueprint defined in planner.org.views.
"""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from planner.access import ORGANISERS, allow
from planner.db import get_session
from planner.errors import PlannerError
from planner.i18n import _
from planner.jobs import enqueue
from planner.jobs.operations import INLINE_ROWS, active_job, file_input, line_count
from planner.jobs.views import job_page
from planner.org import forms
from planner.org.calendar import get_organisation
from planner.org.people_csv import MAX_BYTES
from planner.org.people_io import ImportRejected, export_people, import_people
from planner.org.settings import Settings, coming_holidays, local_today, update_settings
from planner.org.views import bp


@bp.route("/settings", methods=["GET", "POST"])
@allow(*ORGANISERS)
def settings() -> Any:
    """The organisation's name, time zone, public holidays, working days and locale."""
    db = get_session()
    org = get_organisation(db)
    form = forms.SettingsForm(obj=org, working_days=list(org.working_days))
    status = 200
    if form.validate_on_submit():
        values = Settings(
            name=form.name.data or "",
            time_zone=form.time_zone.data or "",
            country=form.country.data or "",
            subdivision=form.subdivision.data or "",
            locale=form.locale.data or "",
            working_days="".join(form.working_days.data or []),
        )
        try:
            update_settings(db, values, actor=current_user._get_current_object())
        except PlannerError as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            flash(_("The settings were saved."), "success")
            return redirect(url_for("org.settings"))
    if form.errors or form.form_errors:
        status = 422
    holidays = coming_holidays(db, local_today(db))
    return render_template("org/settings.html", form=form, holidays=holidays, org=org), status


@bp.route("/import", methods=["GET", "POST"])
@allow(*ORGANISERS)
def import_page() -> Any:
    """Upload a people CSV: all rows are applied, or none and every problem is listed. A large
    file (or any file while an import runs) goes to a job, whose page shows its progress."""
    form = forms.ImportForm()
    errors: list[Any] = []
    status = 200
    if form.validate_on_submit():
        db = get_session()
        data = form.file.data.read()
        big = len(data) <= MAX_BYTES and line_count(data) > INLINE_ROWS  # too big: refused now
        if big or active_job(db, "import-people"):
            return _import_in_background(db, data)
        try:
            result = import_people(db, data, actor=current_user._get_current_object())
        except ImportRejected as exc:
            db.rollback()
            errors, status = exc.errors, 422
            form.form_errors.append(str(exc))
        except PlannerError as exc:
            db.rollback()
            form.form_errors.append(str(exc))
            status = 422
        else:
            db.commit()
            flash(result.summary(), "success")
            return redirect(url_for("org.people"))
    elif request.method == "POST":
        status = 422
    return render_template("org/import.html", form=form, errors=errors), status


def _import_in_background(db: Any, data: bytes) -> Any:
    """Hand the file to an import job (or show the one already running)."""
    job, created = enqueue(
        db, "import-people", file_input(data), requested_by=current_user.id, exclusive=True
    )
    db.commit()
    return job_page(job, created)


@bp.route("/export", methods=["POST"])
@allow(*ORGANISERS)
def export_job() -> Any:
    """Export everyone as CSV in a background job; its page offers the download when done."""
    db = get_session()
    job, created = enqueue(db, "export-people", {}, requested_by=current_user.id)
    db.commit()
    return job_page(job, created)


@bp.route("/export.csv")
@allow(*ORGANISERS)
def export() -> Any:
    """Download everyone as CSV (UTF-8 with a byte order mark, so Excel reads accents)."""
    body = "\ufeff" + export_people(get_session())
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="people.csv"'},
    )
