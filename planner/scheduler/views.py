"""Year plan pages: the year at a glance (coordinators' home; leaders read it), the preview and
publish of a new plan, and one planned event. Cadences and closures: views_setup.py."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from planner.access import LEADERS, ORGANISERS, SIGNED_IN, allow
from planner.db import get_session, utcnow
from planner.errors import InvalidInput, NotFound
from planner.i18n import _
from planner.jobs import enqueue, progress_of, stalled
from planner.jobs.views import error_of, job_page
from planner.models import Person
from planner.org.calendar import get_organisation
from planner.recognition import surprise
from planner.scheduler import (
    forms,
    glance,
    moving,
    operations,
    planning,
    previews,
    publishing,
    summary,
    wording,
)

bp = Blueprint("scheduler", __name__, url_prefix="/scheduler")
# The engine's sentences (codes + parameters) in the reader's words: `{{ note|said }}`.
bp.add_app_template_filter(wording.said, "said")


def _year_arg() -> int:
    """The plan year asked for (?year=), else the one running today."""
    db = get_session()
    year = request.args.get("year", type=int)
    if year is None:
        return planning.running_plan_year(db, operations.local_today(db))
    if not 2000 <= year <= 2200:
        abort(404)
    return year


def _names(ids: set[int | None]) -> dict[int, str]:
    """Person names by id, for loads and hosts."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = get_session().query(Person.id, Person.name).filter(Person.id.in_(wanted))
    return dict(rows.all())


@bp.route("/")
@allow(*LEADERS)
def year() -> Any:
    """The year at a glance: the published plan's weeks, counts per practice, gaps."""
    db = get_session()
    week, part = request.args.get("week", type=int), request.args.get("part", 1, type=int)
    today = operations.local_today(db)
    shown = glance.published_year(db, _year_arg(), week, part, viewer=current_user, today=today)
    return render_template(
        "scheduler/year.html",
        year=shown.year,
        first=shown.first,
        last=shown.last,
        weeks=shown.weeks,
        total=shown.total,
        open_week=shown.open_week,
        open_part=shown.open_part,
        open_parts=shown.open_parts,
        today=today,
        service_mondays=shown.service_mondays,
        years=glance.year_range(db, planning.running_plan_year(db, today)),
        can_edit=current_user.role in ORGANISERS,
        nothing_to_plan=not operations.anything_to_plan(db),
    )


LIST_LIMIT = 100  # lines per list on the preview page unless every line is asked for


@bp.route("/preview")
@allow(*ORGANISERS)
def preview() -> Any:
    """The year's stored preview and what publishing it would change (nothing is saved), with
    the progress of a preview job while one runs; the plan itself is computed by that job."""
    db = get_session()
    plan_year = _year_arg()
    running = previews.running_preview(db, plan_year)
    died = running if running is not None and stalled(running) else None
    if died is not None:  # its worker was killed: say so and offer the button again
        running = None
    stored = previews.stored_plan(db, plan_year)
    again = forms.PreviewForm(data={"year": str(plan_year)})
    page: dict[str, Any] = {
        "year": plan_year, "again": again, "stored": None, "running": running,
        "progress": progress_of(running) if running else None,
        "died": died, "died_words": error_of(died, True) if died else "",
    }  # fmt: skip
    if stored is None:
        return render_template("scheduler/preview.html", **page)
    row, plan = stored
    items = glance.plan_items(plan)  # in no order: the page lists one week (counts_only sorts it)
    weeks = glance.weeks_of(*plan.period, glance.open_days_of(plan), items, ordered=False)
    loads = glance.loads(weeks)
    form = forms.PublishForm(data={"year": str(plan_year), "inputs": plan.input_hash})
    diff = publishing.plan_diff(plan)
    words = summary.plan_words(plan, weeks=weeks, diff=diff)
    # A large plan's lists are cut to LIST_LIMIT lines (?all=1 shows every line) and its weeks
    # to counts, one opened week listing its events (?week=N).
    every = request.args.get("all") == "1"
    shown, open_week, part, parts = glance.counts_only(
        weeks, request.args.get("week", type=int), request.args.get("part", 1, type=int)
    )
    limit = None if every else LIST_LIMIT
    return render_template(
        "scheduler/preview.html",
        **{**page, "stored": row},
        plan=plan,
        weeks=shown,
        open_week=open_week,
        open_part=part,
        open_parts=parts,
        loads=loads[:limit],
        hosts=len(loads),
        names=_names({load.host_id for load in loads[:limit]}),
        diff=diff,
        limit=limit,
        zone=ZoneInfo(plan.tz),
        form=form,
        nothing_to_plan=not planning.any_planned(plan),
        words=words,
    )


def _plan_year_of(form: Any) -> int:
    """The year a posted form names (a tampered one is a bad request, not a 500)."""
    if not form.validate_on_submit() or not (form.year.data or "").isdigit():
        abort(400)
    plan_year = int(form.year.data or 0)
    if not 2000 <= plan_year <= 2099:
        abort(400)
    return plan_year


@bp.route("/preview", methods=["POST"])
@allow(*ORGANISERS)
def generate_preview() -> Any:
    """Compute the year's preview in a background job; the preview page shows its progress (a
    second click while one runs shows the running one)."""
    plan_year = _plan_year_of(forms.PreviewForm())
    db = get_session()
    data = {"year": plan_year, "today": operations.local_today(db).isoformat()}
    job, created = enqueue(db, previews.PREVIEW_JOB, data, requested_by=current_user.id)
    db.commit()
    db.refresh(job)
    if job.status == "failed":
        return redirect(url_for("jobs.show", job_id=job.id))
    if not created:
        flash(_("This is already running: here is its progress."), "info")
    return redirect(url_for("scheduler.preview", year=plan_year))


@bp.route("/publish", methods=["POST"])
@allow(*ORGANISERS)
def publish() -> Any:
    """Publish the previewed plan in a background job (applied only if its inputs are still the
    same); the job's page shows its progress."""
    form = forms.PublishForm()
    plan_year = _plan_year_of(form)
    db = get_session()
    data = {"year": plan_year, "inputs": form.inputs.data or "",
            "today": operations.local_today(db).isoformat()}  # fmt: skip
    job, created = enqueue(db, "publish-plan", data, requested_by=current_user.id)
    db.commit()  # the worker takes it from here; the page shows its progress
    return job_page(job, created)


def _event_or_404(event_id: int) -> Any:
    """A planned event the current person may see, or a 404 page."""
    try:
        return operations.planned_event(get_session(), event_id, current_user)
    except NotFound:
        abort(404)


def _event_page(event: Any, form: Any = None, status: int = 200, may_insist: bool = False) -> Any:
    """The event page with its move form (for organisers)."""
    zone = ZoneInfo(get_organisation(get_session()).time_zone)
    can_edit = current_user.role in ORGANISERS and event.status != "cancelled"
    if can_edit and form is None:
        start = event.start_at.astimezone(zone) if event.start_at else None
        data = {
            "day": start.date() if start else event.start_date,
            "start": start.time() if start else None,
        }
        form = forms.MoveForm(data=data)
    today = operations.local_today(get_session())
    description = surprise.shown_description(event, today, zone)
    return render_template(
        "scheduler/event.html",
        event=event,
        description=description,
        zone=zone,
        form=form,
        can_edit=can_edit,
        may_insist=may_insist,
    ), status


@bp.route("/events/<int:event_id>")
@allow(*SIGNED_IN)
def event(event_id: int) -> Any:
    """One planned event: when, who, why."""
    return _event_page(_event_or_404(event_id))


@bp.route("/events/<int:event_id>/move", methods=["POST"])
@allow(*ORGANISERS)
def move(event_id: int) -> Any:
    """Move one event by hand; re-planning keeps it where it is put."""
    ev = _event_or_404(event_id)
    form = forms.MoveForm()
    may_insist = False
    if form.validate_on_submit():
        db = get_session()
        insisted = bool(form.pin_anyway.data)
        try:
            warnings = operations.move_event(
                db, ev, day=form.day.data, start=form.start.data, actor_id=current_user.id,
                now=utcnow(), pin_anyway=insisted,
            )  # fmt: skip
        except moving.MoveRefused as exc:
            db.rollback()
            form.form_errors.append(str(exc))
            may_insist = exc.can_pin_anyway
        except InvalidInput as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            if warnings:
                flash(_("Moved and pinned anyway, although %(problems)s.",
                        problems="; ".join(warnings)), "warning")  # fmt: skip
            else:
                flash(_("The event is moved and pinned: re-planning leaves it there."), "success")
            return redirect(url_for("scheduler.event", event_id=event_id))
    form.pin_anyway.data = False
    return _event_page(ev, form, 400, may_insist=may_insist)


@bp.route("/events/<int:event_id>/cancel", methods=["POST"])
@allow(*ORGANISERS)
def cancel(event_id: int) -> Any:
    """Cancel one event by hand; re-planning does not bring it back."""
    ev = _event_or_404(event_id)
    db = get_session()
    operations.cancel_planned_event(db, ev, actor_id=current_user.id, now=utcnow())
    db.commit()
    flash(_("The event is cancelled."), "success")
    return redirect(url_for("scheduler.event", event_id=event_id))


from planner.scheduler import views_setup  # noqa: E402,F401  (registers the setup pages on bp)
