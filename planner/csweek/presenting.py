"""What the pages show: the week as five columns in local time, and the activity form's lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.csweek.activities import ActivityInput
from planner.csweek.dates import utc_to_local, week_days
from planner.csweek.forms import ActivityForm, LibraryEntryForm, choices, new_idempotency_key
from planner.csweek.library import EntryInput
from planner.i18n import _
from planner.models import Activity, ServiceWeek, Team
from planner.org.calendar import get_organisation


@dataclass(frozen=True)
class Column:
    """One day of the week with its theme and activities."""

    day: date
    theme: str
    activities: list[Activity]


def when_label(activity: Activity, time_zone: str) -> str:
    """ "All day" or "09:00–10:30", read from the calendar event in the organisation's zone."""
    event = activity.event
    if activity.all_day:
        return _("All day")
    if event is not None and event.start_at is not None and event.end_at is not None:
        start = utc_to_local(event.start_at, time_zone)
        end = utc_to_local(event.end_at, time_zone)
        return f"{start:%H:%M}–{end:%H:%M}"
    if activity.start_time and activity.end_time:
        return f"{activity.start_time:%H:%M}–{activity.end_time:%H:%M}"
    return ""


def week_columns(session: Session, plan: ServiceWeek) -> dict[str, Any]:
    """Template values: five columns, activities outside the week, the zone and a time labeller."""
    time_zone = get_organisation(session).time_zone
    days = week_days(plan.first_day)
    columns = [
        Column(day, plan.day_theme(i), [a for a in plan.activities if a.day == day])
        for i, day in enumerate(days)
    ]
    outside = [a for a in plan.activities if a.day not in days]
    return {
        "columns": columns,
        "outside": outside,
        "time_zone": time_zone,
        "when": lambda activity: when_label(activity, time_zone),
    }


def fill_activity_form(
    session: Session,
    form: ActivityForm,
    plan: ServiceWeek,
    activity: Activity | None,
    *,
    day: str | None = None,
) -> None:
    """Set the form's choices (days, hosts, teams) and, on a GET, its current values."""
    days = week_days(plan.first_day)
    day_choices = [(d.isoformat(), f"{d:%A %d %B}") for d in days]
    if activity is not None and activity.day not in days:
        day_choices.append(
            (activity.day.isoformat(), f"{activity.day:%A %d %B} (outside the week)")
        )
    form.day.choices = choices(day_choices)
    teams = session.scalars(select(Team).order_by(Team.name, Team.id))
    form.teams.choices = choices((t.id, t.name) for t in teams)
    if form.is_submitted():
        return
    if activity is None:
        form.idempotency_key.data = new_idempotency_key()
        valid = {d.isoformat() for d in days}
        form.day.data = day if day in valid else days[0].isoformat()
        form.start_time.data, form.end_time.data = time(10, 0), time(11, 0)
        return
    form.title.data = activity.title
    form.description.data = activity.description
    form.practice.data = activity.practice
    form.day.data = activity.day.isoformat()
    form.all_day.data = activity.all_day
    form.start_time.data = activity.start_time
    form.end_time.data = activity.end_time
    form.location.data = activity.location
    form.host.data = activity.host_id
    form.audience.data = "everyone" if activity.for_everyone else "teams"
    form.teams.data = [t.id for t in activity.teams]
    form.status.data = activity.status
    form.version.data = str(activity.version)


def activity_form_values(form: ActivityForm) -> ActivityInput:
    """The validated form as the operation's input."""
    everyone = form.audience.data != "teams"
    return ActivityInput(
        title=form.title.data or "",
        day=date.fromisoformat(form.day.data or ""),
        description=form.description.data or "",
        practice=form.practice.data or "support",
        all_day=bool(form.all_day.data),
        start_time=form.start_time.data,
        end_time=form.end_time.data,
        location=form.location.data or "",
        host_id=form.host.data,
        for_everyone=everyone,
        team_ids=() if everyone else tuple(form.teams.data or ()),
        status=form.status.data or "idea",
    )


def library_entry_input(form: LibraryEntryForm) -> EntryInput:
    """The validated library form as the operation's input."""
    return EntryInput(
        scope=form.scope.data or "week",
        title=form.title.data or "",
        description=form.description.data or "",
        practice=form.practice.data or "support",
        suggested_weekday=int(form.suggested_weekday.data or 0),
        suggested_start=form.suggested_start.data,
        kind=form.kind.data or "recognition",
        min_gap_weeks=form.min_gap_weeks.data,
        max_gap_weeks=form.max_gap_weeks.data,
        duration_minutes=form.duration_minutes.data,
        audience=form.audience.data or "everyone",
        host_hint=form.host_hint.data or "",
    )
