"""Today's date in the organisation's time zone: one place, so tests can set the day."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from planner.org.calendar import get_organisation


def today(session: Session) -> date:
    """The current date where the organisation is (a praise 'received today' is local)."""
    return datetime.now(ZoneInfo(get_organisation(session).time_zone or "UTC")).date()
