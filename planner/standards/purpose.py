"""The purpose statement as other areas read it (no imports from other areas: csweek uses it
to add the purpose to the kickoff's calendar description)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.models import Activity, LibraryEntry, PurposeStatement

PURPOSE_MIN_WORDS = 10
PURPOSE_MAX_WORDS = 35
PURPOSE_MAX_CHARS = 600
KICKOFF_KEY = "week-kickoff-purpose"


def word_count(text: str) -> int:
    """PURE: the words in a text."""
    return len(text.split())


def length_advice(text: str) -> str | None:
    """PURE: a gentle word on the length (10-35 words is memorable and meaningful), or None."""
    words = word_count(text)
    if words < PURPOSE_MIN_WORDS:
        return (
            f"{words} words: a purpose of {PURPOSE_MIN_WORDS}–{PURPOSE_MAX_WORDS} words tends "
            "to mean more. Saved anyway."
        )
    if words > PURPOSE_MAX_WORDS:
        return (
            f"{words} words: people remember {PURPOSE_MAX_WORDS} words or fewer. Consider "
            "shortening it. Saved anyway."
        )
    return None


def current_purpose(session: Session) -> PurposeStatement | None:
    """The current purpose statement (the newest version), if one was written."""
    return session.scalar(
        select(PurposeStatement).order_by(PurposeStatement.version.desc()).limit(1)
    )


def purpose_history(session: Session) -> list[PurposeStatement]:
    """Every version, newest first."""
    return list(session.scalars(select(PurposeStatement).order_by(PurposeStatement.version.desc())))


def purpose_of_kickoff(session: Session, activity: Activity) -> str | None:
    """The purpose statement if the activity is the week's kickoff, else None."""
    if activity.library_entry_id is None:
        return None
    entry = session.get(LibraryEntry, activity.library_entry_id)
    purpose = current_purpose(session) if entry is not None and entry.key == KICKOFF_KEY else None
    return purpose.text if purpose is not None else None


def kickoff_description(session: Session, activity: Activity) -> str:
    """The calendar description of an activity: the kickoff's ends with the purpose statement."""
    purpose = purpose_of_kickoff(session, activity)
    if purpose is None:
        return activity.description
    return f"{activity.description}\n\nOur purpose: {purpose}".strip()
