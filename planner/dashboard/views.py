"""The home page: what each role needs first."""

from typing import Any

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from planner.access import ORGANISERS, SIGNED_IN, allow, public
from planner.db import get_session
from planner.scheduler import glance, operations, planning

bp = Blueprint("dashboard", __name__)


@bp.route("/")
@public
def index() -> Any:
    """Send visitors to sign in and people to their home page."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    return redirect(url_for("auth.sign_in"))


@bp.route("/home")
@allow(*SIGNED_IN)
def home() -> Any:
    """A role-aware home page; for coordinators and admins it is the year at a glance."""
    year_plan = None
    if current_user.role in ORGANISERS:
        db = get_session()
        running = planning.running_plan_year(db, operations.local_today(db))
        year_plan = glance.published_year(db, running)
    return render_template("dashboard/home.html", year_plan=year_plan)
