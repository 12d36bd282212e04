"""Customer Service Week pages: year plans, activities, the library, the week at a glance and
the printable agenda. Everyone signed in reads; coordinators and admins edit."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from planner.access import ORGANISERS, SIGNED_IN, allow
from planner.csweek import activities, forms, library, operations
from planner.csweek.conflicts import plan_warnings
from planner.csweek.dates import service_week_dates
from planner.csweek.presenting import (
    activity_form_values,
    fill_activity_form,
    library_entry_input,
    week_columns,
)
from planner.db import get_session, utcnow
from planner.errors import ChangedMeanwhile, InvalidInput, NotFound
from planner.i18n import _
from planner.models import ServiceWeek

bp = Blueprint("csweek", __name__, url_prefix="/csweek")


def _plan_or_404(year: int) -> ServiceWeek:
    """The plan of a year, or a 404 page."""
    try:
        return operations.get_plan(get_session(), year)
    except NotFound:
        abort(404)


def _can_edit() -> bool:
    """Whether the current person may change plans."""
    return current_user.role in ORGANISERS


def _create_form(*, prefill: bool) -> forms.PlanCreateForm:
    """The new-plan form; on a page, it suggests the next year without a plan."""
    plans = operations.list_plans(get_session())
    today = date.today()
    upcoming = today.year if today <= service_week_dates(today.year)[1] else today.year + 1
    taken = {p.year for p in plans}
    while upcoming in taken:
        upcoming += 1
    data = {"year": upcoming, "theme": operations.SUGGESTED_THEME} if prefill else None
    form = forms.PlanCreateForm(data=data)
    form.copy_from.choices = forms.choices(
        [("", _("Nothing: start from the suggestions"))]
        + [(p.year, _("Customer Service Week %(year)s", year=p.year)) for p in plans]
    )
    return form


@bp.route("/")
@allow(*SIGNED_IN)
def index() -> Any:
    """The list of year plans; organisers also get the form to start one."""
    plans = operations.list_plans(get_session())
    form = _create_form(prefill=True) if _can_edit() else None
    return render_template("csweek/index.html", plans=plans, form=form)


@bp.route("/plans", methods=["POST"])
@allow(*ORGANISERS)
def create_plan() -> Any:
    """Create a year's plan (optionally copying another year's activities)."""
    form = _create_form(prefill=False)
    if form.validate_on_submit():
        db = get_session()
        try:
            plan = operations.create_plan(
                db,
                year=form.year.data or 0,
                created_by_id=current_user.id,
                now=utcnow(),
                first_day=form.first_day.data,
                theme=form.theme.data or "",
                copy_from_year=int(form.copy_from.data) if form.copy_from.data else None,
            )
        except InvalidInput as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            flash(_("The plan for %(year)s is ready.", year=plan.year), "success")
            return redirect(url_for("csweek.plan", year=plan.year))
    plans = operations.list_plans(get_session())
    return render_template("csweek/index.html", plans=plans, form=form), 400


@bp.route("/<int:year>")
@allow(*SIGNED_IN)
def plan(year: int) -> Any:
    """One year's plan: theme, days, activities, warnings."""
    week = _plan_or_404(year)
    warnings = plan_warnings(get_session(), week) if _can_edit() else []
    return render_template(
        "csweek/plan.html",
        plan=week,
        warnings=warnings,
        can_edit=_can_edit(),
        **week_columns(get_session(), week),
    )


@bp.route("/<int:year>/edit", methods=["GET", "POST"])
@allow(*ORGANISERS)
def edit_plan(year: int) -> Any:
    """Edit the theme, the day themes and the dates."""
    week = _plan_or_404(year)
    data = {"theme": week.theme, "first_day": week.first_day, "move_activities": True}
    data["version"] = str(week.version)
    data |= {f"day_{i}": week.day_theme(i) for i in range(5)}
    form = forms.PlanEditForm(data=None if request.method == "POST" else data)
    if form.validate_on_submit():
        db = get_session()
        try:
            operations.update_plan(
                db,
                week,
                theme=form.theme.data or "",
                day_themes=form.day_themes(),
                first_day=form.first_day.data,
                move_activities=bool(form.move_activities.data),
                now=utcnow(),
                expected_version=int(form.version.data) if form.version.data else None,
            )
        except (InvalidInput, ChangedMeanwhile) as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            flash(_("The plan is saved."), "success")
            return redirect(url_for("csweek.plan", year=year))
    status = 400 if request.method == "POST" else 200
    return render_template("csweek/plan_form.html", plan=week, form=form), status


def _activity_page(week: ServiceWeek, activity: Any = None) -> Response | tuple[str, int]:
    """Show and handle the activity form (new when `activity` is None)."""
    db = get_session()
    form = forms.ActivityForm(data=None if request.method == "POST" else {})
    fill_activity_form(db, form, week, activity, day=request.args.get("day"))
    if form.validate_on_submit():
        values = activity_form_values(form)
        try:
            if activity is None:
                saved = activities.add_activity(
                    db, week, values, now=utcnow(), idempotency_key=form.idempotency_key.data
                )
            else:
                version = int(form.version.data) if form.version.data else None
                saved = activities.update_activity(
                    db, activity, values, now=utcnow(), expected_version=version
                )
        except activities.AlreadySaved as exc:
            db.rollback()
            return redirect(
                url_for("csweek.plan", year=week.year, _anchor=f"activity-{exc.activity_id}")
            )
        except (InvalidInput, ChangedMeanwhile) as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            flash(_("“%(title)s” is saved.", title=saved.title), "success")
            return redirect(url_for("csweek.plan", year=week.year, _anchor=f"activity-{saved.id}"))
    status = 400 if request.method == "POST" else 200
    page = render_template("csweek/activity_form.html", plan=week, form=form, activity=activity)
    return page, status


@bp.route("/<int:year>/activities/new", methods=["GET", "POST"])
@allow(*ORGANISERS)
def new_activity(year: int) -> Any:
    """Add an activity of one's own."""
    return _activity_page(_plan_or_404(year))


@bp.route("/<int:year>/activities/<int:activity_id>", methods=["GET", "POST"])
@allow(*ORGANISERS)
def edit_activity(year: int, activity_id: int) -> Any:
    """Edit an activity (its calendar event follows, same UID)."""
    week = _plan_or_404(year)
    try:
        activity = activities.get_activity(get_session(), week, activity_id)
    except NotFound:
        abort(404)
    return _activity_page(week, activity)


@bp.route("/<int:year>/glance")
@allow(*SIGNED_IN)
def glance(year: int) -> Any:
    """The week at a glance: five columns (stacked on a phone)."""
    week = _plan_or_404(year)
    return render_template("csweek/glance.html", plan=week, **week_columns(get_session(), week))


@bp.route("/<int:year>/agenda")
@allow(*SIGNED_IN)
def agenda(year: int) -> Any:
    """The printable agenda of the week."""
    week = _plan_or_404(year)
    return render_template("csweek/agenda.html", plan=week, **week_columns(get_session(), week))


@bp.route("/library")
@allow(*SIGNED_IN)
def library_page() -> Any:
    """The activity library; with ?year= organisers add entries to that year's plan."""
    db = get_session()
    year = request.args.get("year", type=int)
    plans = operations.list_plans(db)
    target = next((p for p in plans if p.year == year), plans[0] if plans else None)
    return render_template(
        "csweek/library.html",
        week_entries=library.entries_for_page(db, "week"),
        year_entries=library.entries_for_page(db, "year"),
        new_key=forms.new_idempotency_key,
        target=target if _can_edit() else None,
        can_edit=_can_edit(),
    )


@bp.route("/<int:year>/library/<int:entry_id>", methods=["POST"])
@allow(*ORGANISERS)
def add_from_library(year: int, entry_id: int) -> Any:
    """One click: the library entry becomes an activity on its suggested day; then edit it."""
    week = _plan_or_404(year)
    db = get_session()
    form = forms.AddFromLibraryForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        entry = library.get_entry(db, entry_id)
        activity = activities.add_from_library(
            db,
            week,
            entry,
            host_id=current_user.id,
            now=utcnow(),
            idempotency_key=form.idempotency_key.data,
        )
    except NotFound:
        abort(404)
    except activities.AlreadySaved as exc:
        db.rollback()
        return redirect(url_for("csweek.edit_activity", year=year, activity_id=exc.activity_id))
    except InvalidInput as exc:
        db.rollback()
        flash(str(exc), "error")
        return redirect(url_for("csweek.library_page", year=year))
    db.commit()
    flash(
        _("“%(title)s” was added as an idea. Adjust it and save.", title=activity.title), "success"
    )
    return redirect(url_for("csweek.edit_activity", year=year, activity_id=activity.id))


@bp.route("/library/new", methods=["GET", "POST"])
@allow(*ORGANISERS)
def new_library_entry() -> Any:
    """Add an own idea to the library."""
    form = forms.LibraryEntryForm()
    if not form.is_submitted():
        form.idempotency_key.data = forms.new_idempotency_key()
    if form.validate_on_submit():
        db = get_session()
        try:
            library.add_library_entry(
                db,
                library_entry_input(form),
                created_by_id=current_user.id,
                now=utcnow(),
                idempotency_key=form.idempotency_key.data,
            )
        except InvalidInput as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            flash(_("The idea is in the library."), "success")
            return redirect(url_for("csweek.library_page"))
    status = 400 if request.method == "POST" else 200
    return render_template("csweek/library_form.html", form=form), status
