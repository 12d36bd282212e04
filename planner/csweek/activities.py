"""Activities of the week and their calendar events (DESIGN rule 8: one event per activity).

Times are entered as wall-clock times in the organisation's zone and stored twice: as entered on
the activity (so editing and copying keep 09:00 as 09:00) and as UTC instants on the event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from planner.csweek.dates import local_to_utc
from planner.errors import ChangedMeanwhile, InvalidInput, NotFound, PlannerError
from planner.events.operations import AllDay, Timed, When, cancel_event, create_event, update_event
from planner.i18n import _
from planner.i18n.formatting import format_day
from planner.models import PRACTICES, Activity, LibraryEntry, Person, ServiceWeek, Team
from planner.models.csweek import ACTIVITY_STATUSES
from planner.org.calendar import get_organisation
from planner.standards.purpose import kickoff_description

SOURCE_KIND = "csweek_activity"
DEFAULT_START = time(10, 0)
DEFAULT_MINUTES = 60
# The activity's status as the calendar sees it; "cancelled" goes through cancel_event.
EVENT_STATUS = {
    "idea": "tentative",
    "planned": "tentative",
    "confirmed": "confirmed",
    "done": "confirmed",
}


@dataclass(frozen=True)
class ActivityInput:
    """Everything a coordinator enters for an activity."""

    title: str
    day: date
    description: str = ""
    practice: str = "support"
    all_day: bool = False
    start_time: time | None = None
    end_time: time | None = None
    location: str = ""
    host_id: int | None = None
    for_everyone: bool = True
    team_ids: tuple[int, ...] = field(default_factory=tuple)
    status: str = "idea"


def get_activity(session: Session, plan: ServiceWeek, activity_id: int) -> Activity:
    """One activity of this plan, or NotFound (an id from another year is not found)."""
    activity = session.get(Activity, activity_id)
    if activity is None or activity.week_id != plan.id:
        raise NotFound(_("No such activity in this plan."))
    return activity


def _check(
    session: Session, plan: ServiceWeek, values: ActivityInput, *, kept_day: date | None
) -> list[Team]:
    """Refuse unusable values with a clear reason; returns the audience teams."""
    title = values.title.strip()
    if not title:
        raise InvalidInput(_("Give the activity a title."))
    if len(title) > 200:
        raise InvalidInput(_("The title is too long (at most 200 characters)."))
    if len(values.description) > 5000 or len(values.location) > 300:
        raise InvalidInput(_("The description or place is too long."))
    if values.practice not in PRACTICES:
        raise InvalidInput(_("Choose a practice from the list."))
    if values.status not in ACTIVITY_STATUSES:
        raise InvalidInput(_("Choose a status from the list."))
    # An activity left outside a moved week may keep its day; new days must be in the week.
    if not plan.first_day <= values.day <= plan.last_day and values.day != kept_day:
        raise InvalidInput(
            _(
                "Choose a day of the week: %(format)s to %(format2)s.",
                format=format_day(plan.first_day, "noyear"),
                format2=format_day(plan.last_day, "short"),
            )
        )
    if not values.all_day:
        if values.start_time is None or values.end_time is None:
            raise InvalidInput(_("Give a start and an end time, or mark the activity all-day."))
        if values.end_time <= values.start_time:
            raise InvalidInput(_("The end time must be after the start time."))
    if values.host_id is not None:
        host = session.get(Person, values.host_id)
        if host is None or not host.active:
            raise InvalidInput(_("Choose a host from the list."))
    teams: list[Team] = []
    if not values.for_everyone:
        ids = sorted(set(values.team_ids))
        if not ids:
            raise InvalidInput(_("Choose at least one team, or invite everyone."))
        teams = list(session.scalars(select(Team).where(Team.id.in_(ids)).order_by(Team.id)))
        if len(teams) != len(ids):
            raise InvalidInput(_("One of the chosen teams does not exist."))
    return teams


def _when(activity: Activity, time_zone: str) -> When:
    """The event's slot: the day (all-day) or the wall-clock times converted to UTC."""
    if activity.all_day or activity.start_time is None or activity.end_time is None:
        return AllDay(activity.day, activity.day + timedelta(days=1))
    return Timed(
        local_to_utc(activity.day, activity.start_time, time_zone),
        local_to_utc(activity.day, activity.end_time, time_zone),
    )


def _assign(activity: Activity, values: ActivityInput, teams: list[Team]) -> None:
    """Copy the checked values onto the activity."""
    activity.title = values.title.strip()
    activity.description = values.description.strip()
    activity.practice = values.practice
    activity.day = values.day
    activity.all_day = values.all_day
    activity.start_time = None if values.all_day else values.start_time
    activity.end_time = None if values.all_day else values.end_time
    activity.location = values.location.strip()
    activity.host_id = values.host_id
    activity.for_everyone = values.for_everyone
    activity.teams = teams
    activity.status = values.status


def sync_event(session: Session, activity: Activity, *, now: datetime) -> None:
    """Create or update the activity's calendar event (same UID; SEQUENCE grows on change)."""
    time_zone = get_organisation(session).time_zone
    common: dict[str, Any] = {
        "title": activity.title,
        "description": kickoff_description(session, activity),
        "location": activity.location,
        "practice": activity.practice,
        "host_id": activity.host_id,
        "for_everyone": activity.for_everyone,
    }
    team_ids = [] if activity.for_everyone else [t.id for t in activity.teams]
    cancelled = activity.status == "cancelled"
    status: dict[str, Any] = {} if cancelled else {"status": EVENT_STATUS[activity.status]}
    if activity.event is None:
        activity.event = create_event(
            session,
            kind="activity",
            when=_when(activity, time_zone),
            now=now,
            audience_team_ids=team_ids,
            link_path=f"/csweek/{activity.week.year}#activity-{activity.id}",
            source_kind=SOURCE_KIND,
            source_id=activity.id,
            status=EVENT_STATUS.get(activity.status, "tentative"),
            **common,
        )
    else:
        update_event(
            session,
            activity.event,
            now=now,
            when=_when(activity, time_zone),
            audience_team_ids=team_ids,
            **common,
            **status,
        )
    if cancelled:
        cancel_event(session, activity.event, now=now)
    session.flush()


class AlreadySaved(PlannerError):
    """The same form was sent twice at the same moment; the first one was saved."""

    def __init__(self, activity_id: int) -> None:
        super().__init__("This activity was already saved.")
        self.activity_id = activity_id


def _by_key(session: Session, key: str | None) -> Activity | None:
    """The activity a form with this idempotency key created, if any."""
    if not key:
        return None
    return session.scalar(select(Activity).where(Activity.idempotency_key == key))


def add_activity(
    session: Session,
    plan: ServiceWeek,
    values: ActivityInput,
    *,
    now: datetime,
    library_entry_id: int | None = None,
    idempotency_key: str | None = None,
) -> Activity:
    """Add an activity to the plan and put it in the calendar; sending the same form again
    (same idempotency key) returns the activity it created instead of a second one."""
    key = (idempotency_key or "").strip()[:64] or None
    existing = _by_key(session, key)
    if existing is not None:
        return existing
    teams = _check(session, plan, values, kept_day=None)
    activity = Activity(
        week=plan, library_entry_id=library_entry_id, created_at=now, idempotency_key=key
    )
    _assign(activity, values, teams)
    session.add(activity)
    try:
        session.flush()
    except IntegrityError as exc:
        # A concurrent copy of the same form won the race for the key.
        session.rollback()
        winner = _by_key(session, key)
        if winner is None:
            raise
        raise AlreadySaved(winner.id) from exc
    sync_event(session, activity, now=now)
    return activity


def update_activity(
    session: Session,
    activity: Activity,
    values: ActivityInput,
    *,
    now: datetime,
    expected_version: int | None = None,
) -> Activity:
    """Change an activity; its event keeps its UID and its SEQUENCE goes up. With
    `expected_version`, refuse if someone else saved it since that version was shown."""
    if expected_version is not None and expected_version != activity.version:
        raise ChangedMeanwhile("This activity")
    teams = _check(session, activity.week, values, kept_day=activity.day)
    _assign(activity, values, teams)
    activity.version += 1
    activity.updated_at = now
    session.flush()
    sync_event(session, activity, now=now)
    return activity


def values_from_entry(
    plan: ServiceWeek, entry: LibraryEntry, *, host_id: int | None
) -> ActivityInput:
    """An activity on the entry's suggested day and time (an idea, for everyone)."""
    weekday = entry.suggested_weekday if entry.suggested_weekday in range(5) else 0
    day = plan.first_day + timedelta(days=weekday or 0)
    all_day = entry.duration_minutes is None
    start = entry.suggested_start or DEFAULT_START
    end_at = datetime.combine(day, start) + timedelta(minutes=entry.duration_minutes or 0)
    if not all_day and end_at.date() != day:
        all_day = True  # too long to end the same day: plan it as an all-day activity
    return ActivityInput(
        title=entry.title,
        description=entry.description,
        practice=entry.practice,
        day=day,
        all_day=all_day,
        start_time=None if all_day else start,
        end_time=None if all_day else end_at.time(),
        host_id=host_id,
        status="idea",
    )


def add_from_library(
    session: Session,
    plan: ServiceWeek,
    entry: LibraryEntry,
    *,
    host_id: int | None,
    now: datetime,
    idempotency_key: str | None = None,
) -> Activity:
    """One click: the library entry becomes an activity on its suggested day."""
    values = values_from_entry(plan, entry, host_id=host_id)
    return add_activity(
        session, plan, values, now=now, library_entry_id=entry.id, idempotency_key=idempotency_key
    )


def activity_input(
    activity: Activity, *, day: date | None = None, status: str | None = None
) -> ActivityInput:
    """The values of an existing activity (optionally on another day or with another status)."""
    return ActivityInput(
        title=activity.title,
        day=day or activity.day,
        description=activity.description,
        practice=activity.practice,
        all_day=activity.all_day,
        start_time=activity.start_time,
        end_time=activity.end_time,
        location=activity.location,
        host_id=activity.host_id,
        for_everyone=activity.for_everyone,
        team_ids=tuple(t.id for t in activity.teams),
        status=status or activity.status,
    )
