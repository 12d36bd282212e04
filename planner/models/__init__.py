"""All ORM classes, one module per area; importing this package registers every table."""

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
from planner.models.home import (
    HomeVisit,
    MeetingAgenda,
    MeetingNote,
    PlanOutcome,
    WeekCommitment,
)
from planner.models.i18n import EventPiece
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
from planner.models.scheduler import Cadence, PlanYear

__all__ = [
    "CLIENT_KINDS",
    "EVENT_KINDS",
    "FEED_SCOPES",
    "PRACTICES",
    "REMINDER_CHOICES",
    "ROLES",
    "Absence",
    "Activity",
    "AuditEntry",
    "Award",
    "Blackout",
    "Cadence",
    "CareerLevel",
    "Event",
    "EventPiece",
    "Feed",
    "FeedFetch",
    "FeedRotation",
    "FeedbackChange",
    "FeedbackItem",
    "FeedbackUnsubscription",
    "FeedbackVote",
    "HolidayOverride",
    "HomeVisit",
    "LibraryEntry",
    "LoginAttempt",
    "MailPreference",
    "MeetingAgenda",
    "MeetingNote",
    "MetricValue",
    "Nomination",
    "Organisation",
    "OutreachTask",
    "PendingFeedback",
    "Person",
    "PersonLevel",
    "PlanOutcome",
    "PlanYear",
    "Praise",
    "Promotion",
    "PublicationSchedule",
    "ServiceWeek",
    "ServiceWeekDay",
    "Team",
    "WeekCommitment",
    "activity_team",
    "event_attendee",
    "event_team",
]
