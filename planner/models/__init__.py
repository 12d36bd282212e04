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
from planner.models.scheduler import Cadence

__all__ = [
    "EVENT_KINDS",
    "FEED_SCOPES",
    "PRACTICES",
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
