"""Calls other areas make after their commit, to announce what happened (one line each)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from planner.api import announcements, notify
from planner.db import session_scope, utcnow
from planner.models import Award


def star_approved(app: Flask, nomination_id: int) -> int:
    """Announce the service star of an approved nomination; returns channels reached."""
    with session_scope(app) as session:
        award = session.scalar(select(Award).where(Award.nomination_id == nomination_id))
        if award is None:
            return 0
        note = announcements.star_approved(award, app.config["BASE_URL"])
    return sum(1 for outcome in notify.announce(app, note, now=utcnow()) if outcome.ok)
