"""Flask-Login wiring: the login id carries the session version; idle and absolute limits."""

from __future__ import annotations

from flask import Flask, current_app, session
from flask_login import logout_user

from planner.auth.operations import load_session_person
from planner.db import get_session, utcnow
from planner.extensions import login_manager
from planner.models import Person


@login_manager.user_loader
def _load_person(login_id: str) -> Person | None:
    """Flask-Login's loader: None when the session version moved on (session ended)."""
    return load_session_person(get_session(), login_id)


def _enforce_session_limits() -> None:
    """Sign out a session idle too long or older than the absolute limit (SECURITY.md item 2)."""
    if "_user_id" not in session:
        return
    now = utcnow().timestamp()
    config = current_app.config
    started = session.setdefault("signed_in_at", now)
    last_seen = session.get("last_seen", now)
    remembered = session.get("_remember_seconds") is not None or session.get("_fresh") is False
    idle_limit = config["SESSION_IDLE_MINUTES"] * 60
    absolute_limit = config["SESSION_ABSOLUTE_HOURS"] * 3600
    # A remember-me session is renewed from its cookie (itself capped at 30 days).
    if not remembered and (now - last_seen > idle_limit or now - started > absolute_limit):
        logout_user()
        session.clear()
        return
    session["last_seen"] = now


def init_app(app: Flask) -> None:
    """Bind Flask-Login and the session limits to the app."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Please sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(_enforce_session_limits)
