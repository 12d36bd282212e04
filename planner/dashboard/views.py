"""The home page: what each role needs first (leaders, staff, coordinators)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from planner.access import LEADERS, ORGANISERS, SIGNED_IN, allow, public
from planner.dashboard import commitments, coordinator, leader, staff
from planner.db import get_session, utcnow
from planner.errors import InvalidInput, NotFound, PlannerError
from planner.feedback import lifecycle
from planner.feedback.forms import new_idempotency_key
from planner.i18n import _
from planner.org.calendar import get_organisation
from planner.recognition import praise
from planner.scheduler import glance, operations, planning

bp = Blueprint("dashboard", __name__)


@bp.route("/")
@public
def index() -> Any:
    """Send visitors to sign in and people to their home page."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    return redirect(url_for("auth.sign_in"))


@bp.route("/favicon.ico")
@public
def favicon() -> Any:
    """Browsers that ask for /favicon.ico get the SVG icon."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.route("/home")
@allow(*SIGNED_IN)
def home() -> Any:
    """A role-aware home page: what is theirs, today."""
    db = get_session()
    today = operations.local_today(db)
    zone = ZoneInfo(get_organisation(db).time_zone or "UTC")
    context: dict[str, Any] = {"today": today, "form_key": new_idempotency_key()}
    if current_user.role in ORGANISERS:
        running = planning.running_plan_year(db, today)
        context["year_plan"] = glance.published_year(db, running, today=today)
        context["decisions"] = coordinator.decisions(db, today, running)
    elif current_user.role == "leader":
        context["mine"] = leader.leader_home(db, current_user, today, zone)
    else:
        context["mine"] = staff.staff_home(db, current_user, today, zone)
        staff.mark_seen(db, current_user.id, utcnow())
        db.commit()
    return render_template("dashboard/home.html", **context)


@bp.route("/home/outreach/<int:task_id>/done", methods=["POST"])
@allow(*LEADERS)
def outreach_done(task_id: int) -> Any:
    """Mark an outreach task done from the home page (one click: the gesture is prefilled)."""
    db = get_session()
    what = (request.form.get("what_was_done") or "").strip()
    try:
        task = praise.complete_outreach(db, task_id, current_user, what, utcnow())
    except NotFound:
        abort(404)
    except InvalidInput as exc:
        db.rollback()
        flash(str(exc), "error")
        return redirect(url_for("dashboard.home"))
    db.commit()
    flash(_("Done: you thanked %(name)s.", name=task.praise.person.name), "success")
    return redirect(url_for("dashboard.home"))


@bp.route("/home/commitment", methods=["POST"])
@allow(*LEADERS)
def commitment() -> Any:
    """A leader records "our commitment after the week" (a board item they own)."""
    db = get_session()
    try:
        made = commitments.record_commitment(
            db,
            current_user,
            request.form.get("commitment", ""),
            idempotency_key=request.form.get("idempotency_key", ""),
            today=operations.local_today(db),
            now=utcnow(),
        )
    except lifecycle.DuplicateSubmission:
        db.rollback()
        flash(_("This commitment was already recorded."), "success")
    except PlannerError as exc:
        db.rollback()
        flash(str(exc), "error")
    else:
        db.commit()
        flash(
            _("Your commitment is on the board as %(public_id)s.", public_id=made.item.public_id),
            "success",
        )
    return redirect(url_for("dashboard.home"))
