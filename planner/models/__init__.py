"""All ORM classes, one module per area; importing this package registers every table."""

from planner.models.events import EVENT_KINDS, PRACTICES, Event, event_attendee, event_team
from planner.models.org import (
    ROLES,
    Absence,
    AuditEntry,
    Blackout,
    HolidayOverride,
    LoginAttempt,
    Organisation,
    Person,
    Team,
)

__all__ = [
    "EVENT_KINDS",
    "PRACTICES",
    "ROLES",
    "Absence",
    "AuditEntry",
    "Blackout",
    "Event",
    "HolidayOverride",
    "LoginAttempt",
    "Organisation",
    "Person",
    "Team",
    "event_attendee",
    "event_team",
]
