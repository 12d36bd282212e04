"""Year plans of Customer Service Week: create (optionally copying last year's), edit, move.

Each plan carries two milestones for its coordinator: a planning kickoff eight weeks before the
week and a retrospective two weeks after it (events of kind "milestone").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.csweek.activities import activity_input, add_activity, sync_event
from planner.csweek.dates import (
    kickoff_day,
    retrospective_day,
    same_weekday_in,
    service_week_dates,
)
from planner.csweek.library import ensure_library
from planner.errors import ChangedMeanwhile, InvalidInput, NotFound
from planner.events.operations import AllDay, create_event, update_event
from planner.i18n import _
from planner.models import Event, ServiceWeek, ServiceWeekDay

PLAN_SOURCE = "csweek_plan"
FIRST_YEAR, LAST_YEAR = 2000, 2100
SUGGESTED_THEME = "Service heroes, every day of the year"
SUGGESTED_DAY_THEMES = (
    "Kickoff: why our service matters",
    "Trading places: leaders on the front line",
    "Leaders serve lunch",
    "Dress-up and games day",
    "Awards and thanks",
)
# Copying keeps ideas and plans; confirmed or done ones must be confirmed again next year.
STATUS_WHEN_COPIED = {
    "idea": "idea",
    "planned": "planned",
    "confirmed": "planned",
    "done": "planned",
}


def get_plan(session: Session, year: int) -> ServiceWeek:
    """The plan of a year, or NotFound."""
    plan = session.scalar(select(ServiceWeek).where(ServiceWeek.year == year))
    if plan is None:
        raise NotFound(_("There is no Customer Service Week plan for %(year)s.", year=year))
    return plan


def list_plans(session: Session) -> list[ServiceWeek]:
    """Every year's plan, newest first."""
    return list(session.scalars(select(ServiceWeek).order_by(ServiceWeek.year.desc())))


def week_bounds(session: Session, year: int) -> tuple[date, date]:
    """The week's Monday and Friday: the stored plan's dates if a plan exists, else the default."""
    plan = session.scalar(select(ServiceWeek).where(ServiceWeek.year == year))
    if plan is None:
        return service_week_dates(year)
    return plan.first_day, plan.last_day


def _check_first_day(year: int, first_day: date) -> None:
    """The week starts on a Monday in its own year."""
    if first_day.weekday() != 0:
        raise InvalidInput(_("The week starts on a Monday; choose a Monday."))
    if first_day.year != year or (first_day + timedelta(days=4)).year != year:
        raise InvalidInput(
            _("Choose a Monday in %(year)s (the week must end in %(year)s too).", year=year)
        )


def _milestone(session: Session, plan: ServiceWeek, title: str, day: date, now: datetime) -> Event:
    """An all-day milestone event for the plan's coordinator."""
    return create_event(
        session,
        kind="milestone",
        title=title,
        when=AllDay(day, day + timedelta(days=1)),
        now=now,
        description=f"Customer Service Week {plan.year}: {plan.first_day:%d %b} to "
        f"{plan.last_day:%d %b %Y}.",
        host_id=plan.created_by_id,
        link_path=f"/csweek/{plan.year}",
        source_kind=PLAN_SOURCE,
        source_id=plan.id,
    )


def create_plan(
    session: Session,
    *,
    year: int,
    created_by_id: int | None,
    now: datetime,
    first_day: date | None = None,
    theme: str = "",
    copy_from_year: int | None = None,
) -> ServiceWeek:
    """Create a year's plan with suggested day themes and its milestones; optionally copy the
    theme and activities of another year (each activity on the same weekday)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(
            _(
                "Choose a year between %(FIRST_YEAR)s and %(LAST_YEAR)s.",
                FIRST_YEAR=FIRST_YEAR,
                LAST_YEAR=LAST_YEAR,
            )
        )
    if session.scalar(select(ServiceWeek.id).where(ServiceWeek.year == year)) is not None:
        raise InvalidInput(_("There is already a plan for %(year)s.", year=year))
    if len(theme.strip()) > 200:
        raise InvalidInput(_("The theme is too long (at most 200 characters)."))
    source = get_plan(session, copy_from_year) if copy_from_year is not None else None
    monday = first_day or service_week_dates(year)[0]
    _check_first_day(year, monday)
    day_themes = [source.day_theme(i) for i in range(5)] if source else SUGGESTED_DAY_THEMES
    plan = ServiceWeek(
        year=year,
        first_day=monday,
        last_day=monday + timedelta(days=4),
        theme=theme.strip() or (source.theme if source else ""),
        created_by_id=created_by_id,
        created_at=now,
        updated_at=now,
        days=[ServiceWeekDay(weekday=i, theme=t) for i, t in enumerate(day_themes)],
    )
    session.add(plan)
    session.flush()
    # Seed the shipped library here (a POST), so pages never write on a GET.
    ensure_library(session)
    plan.kickoff_event = _milestone(
        session, plan, f"Planning kickoff: Customer Service Week {year}", kickoff_day(monday), now
    )
    plan.retro_event = _milestone(
        session,
        plan,
        f"Retrospective: Customer Service Week {year}",
        retrospective_day(plan.last_day),
        now,
    )
    if source is not None:
        for old in source.activities:
            if old.status == "cancelled":
                continue
            day = same_weekday_in(old.day, source.first_day, plan.first_day)
            if not plan.first_day <= day <= plan.last_day:
                continue  # was outside its own week; nothing sensible to copy it to
            values = activity_input(old, day=day, status=STATUS_WHEN_COPIED[old.status])
            add_activity(session, plan, values, now=now, library_entry_id=old.library_entry_id)
    session.flush()
    return plan


def update_plan(
    session: Session,
    plan: ServiceWeek,
    *,
    theme: str,
    day_themes: Sequence[str],
    first_day: date,
    move_activities: bool,
    now: datetime,
    expected_version: int | None = None,
) -> ServiceWeek:
    """Change the theme, the day themes or the dates; moving the week moves its milestones and
    (when asked) its activities, each to the same weekday. With `expected_version`, refuse if
    someone else saved the plan since that version was shown."""
    if expected_version is not None and expected_version != plan.version:
        raise ChangedMeanwhile(f"The {plan.year} plan")
    if len(theme.strip()) > 200 or any(len(t.strip()) > 200 for t in day_themes):
        raise InvalidInput(_("A theme is at most 200 characters."))
    if len(day_themes) != 5:
        raise InvalidInput(_("Give a theme for each of the five days (or leave it empty)."))
    _check_first_day(plan.year, first_day)
    plan.theme = theme.strip()
    by_weekday = {d.weekday: d for d in plan.days}
    for weekday, text in enumerate(day_themes):
        if weekday in by_weekday:
            by_weekday[weekday].theme = text.strip()
        else:
            plan.days.append(ServiceWeekDay(weekday=weekday, theme=text.strip()))
    old_monday = plan.first_day
    if first_day != old_monday:
        plan.first_day, plan.last_day = first_day, first_day + timedelta(days=4)
        for event, day in (
            (plan.kickoff_event, kickoff_day(first_day)),
            (plan.retro_event, retrospective_day(plan.last_day)),
        ):
            if event is not None and event.status != "cancelled":
                update_event(session, event, now=now, when=AllDay(day, day + timedelta(days=1)))
        if move_activities:
            for activity in plan.activities:
                activity.day = same_weekday_in(activity.day, old_monday, first_day)
                activity.updated_at = now
                sync_event(session, activity, now=now)
    plan.version += 1
    plan.updated_at = now
    session.flush()
    return plan
