"""All ORM classes, one module per area; importing this package registers every table."""

from planner.models.api import ApiToken, NotifyTarget, WebhookReceipt, WebhookSource
from planner.models.csweek import (
    Activity,
    LibraryEntry,
    ServiceWeek,
    ServiceWeekDay,
    activity_team,
)
from planner.models.events import EVENT_KINDS, PRACTICES, Event, event_attendee, event_team
from planner.models.feedback import (
    FeedbackChange,
    FeedbackItem,
    FeedbackUnsubscription,
    FeedbackVote,
    MailPreference,
)
from planner.models.feedback_pending import PendingFeedback, PublicationSchedule
from planner.models.feeds import (
    CLIENT_KINDS,
    FEED_SCOPES,
    REMINDER_CHOICES,
    Feed,
    FeedFetch,
    FeedRotation,
)
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
from planner.models.scheduler import Cadence

__all__ = [
    "CLIENT_KINDS",
    "EVENT_KINDS",
    "FEED_SCOPES",
    "PRACTICES",
    "REMINDER_CHOICES",
    "ROLES",
    "Absence",
    "Activity",
    "ApiToken",
    "AuditEntry",
    "Award",
    "Blackout",
    "Cadence",
    "CareerLevel",
    "Event",
    "Feed",
    "FeedFetch",
    "FeedRotation",
    "FeedbackChange",
    "FeedbackItem",
    "FeedbackUnsubscription",
    "FeedbackVote",
    "HolidayOverride",
    "LibraryEntry",
    "LoginAttempt",
    "MailPreference",
    "MetricValue",
    "Nomination",
    "NotifyTarget",
    "Organisation",
    "OutreachTask",
    "PendingFeedback",
    "Person",
    "PersonLevel",
    "Praise",
    "Promotion",
    "PublicationSchedule",
    "ServiceWeek",
    "ServiceWeekDay",
    "Team",
    "WebhookReceipt",
    "WebhookSource",
    "activity_team",
    "event_attendee",
    "event_team",
]
