"""The home page: what each role needs first."""

from typing import Any

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from planner.access import SIGNED_IN, allow, public

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
    """A role-aware home page with the next steps for this person."""
    return render_template("dashboard/home.html")
