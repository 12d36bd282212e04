"""All ORM classes, one module per area; importing this package registers every table."""

from planner.models.events import EVENT_KINDS, PRACTICES, Event, event_attendee, event_team
from planner.models.feedback import (
    FeedbackChange,
    FeedbackItem,
    FeedbackUnsubscription,
    FeedbackVote,
    MailPreference,
)
from planner.models.feeds import FEED_SCOPES, Feed, FeedRotation
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
from planner.models.recognition import (
    Award,
    CareerLevel,
    MetricValue,
    Nomination,
    OutreachTask,
    PersonLevel,
    Praise,
    Promotion,
)

__all__ = [
    "EVENT_KINDS",
    "FEED_SCOPES",
    "PRACTICES",
    "ROLES",
    "Absence",
    "AuditEntry",
    "Award",
    "Blackout",
    "CareerLevel",
    "Event",
    "Feed",
    "FeedRotation",
    "FeedbackChange",
    "FeedbackItem",
    "FeedbackUnsubscription",
    "FeedbackVote",
    "HolidayOverride",
    "LoginAttempt",
    "MailPreference",
    "MetricValue",
    "Nomination",
    "Organisation",
    "OutreachTask",
    "Person",
    "PersonLevel",
    "Praise",
    "Promotion",
    "Team",
    "event_attendee",
    "event_team",
]
