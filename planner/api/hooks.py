"""Calls other areas make inside their transaction, to announce what happened (one line each):
the announcement is queued with the change and sent when it commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.api import announcements, notify
from planner.i18n import in_language, organisation_language
from planner.models import Award


def star_approved(session: Session, nomination_id: int, base_url: str, by: int | None) -> int:
    """Queue the announcement of an approved nomination's service star; returns channels."""
    award = session.scalar(select(Award).where(Award.nomination_id == nomination_id))
    if award is None:
        return 0
    with in_language(organisation_language()):
        note = announcements.star_approved(award, base_url)
    return notify.announce(session, note, requested_by=by)
