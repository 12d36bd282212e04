"""Surprises stay surprises: a service star's name shows in calendars and on event pages only
from the day of the recognition event; before that it reads "to be announced". PURE."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from planner.models import Event

STAR_LINE = "Service star: "
TO_BE_ANNOUNCED = "Service star of the month: to be announced"


def event_day(event: Event, zone: ZoneInfo) -> date | None:
    """The local day an event starts."""
    if event.start_at is not None:
        return event.start_at.astimezone(zone).date()
    return event.start_date


def keeps_secret(event: Event, today: date, zone: ZoneInfo) -> bool:
    """A recognition event naming its star before its day has come."""
    if event.kind != "recognition" or STAR_LINE not in event.description:
        return False
    day = event_day(event, zone)
    return day is not None and day > today


def sealed(description: str) -> str:
    """The description with every star line replaced by "to be announced"."""
    lines = description.splitlines()
    return "\n".join(TO_BE_ANNOUNCED if line.startswith(STAR_LINE) else line for line in lines)


def shown_description(event: Event, today: date, zone: ZoneInfo) -> str:
    """What a calendar or page may show of the event's description today."""
    return sealed(event.description) if keeps_secret(event, today, zone) else event.description
