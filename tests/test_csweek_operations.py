"""Plans, activities and their calendar events, copying, moving, conflicts (operations layer)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.csweek import activities, library, operations
from planner.csweek.activities import ActivityInput
from planner.csweek.conflicts import plan_warnings
from planner.errors import ChangedMeanwhile, InvalidInput
from planner.models import Activity, Event, HolidayOverride, LibraryEntry, Person, ServiceWeek
from tests import factories

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def coordinator(session: Session) -> Person:
    factories.organisation(session, time_zone="Europe/Amsterdam", country="NL")
    return factories.person(session, role="coordinator", name="Cora Coordinator")


def _plan(session: Session, coordinator: Person, year: int = 2026, **kw: Any) -> ServiceWeek:
    return operations.create_plan(session, year=year, created_by_id=coordinator.id, now=NOW, **kw)


def test_new_plan_has_default_dates_day_themes_and_milestones(
    session: Session, coordinator: Person
) -> None:
    plan = _plan(session, coordinator)
    assert (plan.first_day, plan.last_day) == (date(2026, 10, 5), date(2026, 10, 9))
    assert [plan.day_theme(i) for i in range(5)] == list(operations.SUGGESTED_DAY_THEMES)
    milestones = list(
        session.scalars(select(Event).where(Event.kind == "milestone").order_by(Event.start_date))
    )
    assert [(m.start_date, m.host_id) for m in milestones] == [
        (date(2026, 8, 10), coordinator.id),
        (date(2026, 10, 23), coordinator.id),
    ]
    assert all(m.all_day and m.source_kind == "csweek_plan" for m in milestones)


def test_one_plan_per_year_and_sane_years(session: Session, coordinator: Person) -> None:
    _plan(session, coordinator)
    with pytest.raises(InvalidInput, match="already a plan"):
        _plan(session, coordinator)
    with pytest.raises(InvalidInput, match="between"):
        _plan(session, coordinator, year=999999)
    with pytest.raises(InvalidInput, match="Monday"):
        _plan(session, coordinator, year=2027, first_day=date(2027, 10, 5))
    assert session.scalar(select(func.count(ServiceWeek.id))) == 1


def _timed(day: date, start: time, end: time, **kw: Any) -> ActivityInput:
    return ActivityInput(
        title=kw.pop("title", "Kickoff"), day=day, start_time=start, end_time=end, **kw
    )


def test_timed_activity_becomes_a_utc_event(session: Session, coordinator: Person) -> None:
    plan = _plan(session, coordinator)
    a = activities.add_activity(
        session, plan, _timed(date(2026, 10, 5), time(9), time(10), host_id=coordinator.id), now=NOW
    )
    event = a.event
    assert event is not None and event.kind == "activity" and event.status == "tentative"
    assert event.start_at == datetime(2026, 10, 5, 7, 0, tzinfo=UTC)  # CEST is UTC+2
    assert event.end_at == datetime(2026, 10, 5, 8, 0, tzinfo=UTC)
    assert event.host_id == coordinator.id and event.for_everyone
    assert event.source_kind == "csweek_activity" and event.source_id == a.id


def test_week_moved_past_the_dst_change_keeps_local_time(
    session: Session, coordinator: Person
) -> None:
    plan = _plan(session, coordinator)
    a = activities.add_activity(
        session, plan, _timed(date(2026, 10, 5), time(9), time(10)), now=NOW
    )
    uid = a.event.uid
    operations.update_plan(
        session, plan, theme="", day_themes=[""] * 5, first_day=date(2026, 10, 26),
        move_activities=True, now=NOW,
    )  # fmt: skip
    assert a.day == date(2026, 10, 26)
    assert a.event.uid == uid and a.event.sequence == 1
    assert a.event.start_at == datetime(2026, 10, 26, 8, 0, tzinfo=UTC)  # CET is UTC+1
    kickoff = plan.kickoff_event
    assert kickoff is not None and kickoff.start_date == date(2026, 8, 31)


def test_moving_without_activities_warns_they_are_outside(
    session: Session, coordinator: Person
) -> None:
    plan = _plan(session, coordinator)
    a = activities.add_activity(
        session, plan, _timed(date(2026, 10, 6), time(9), time(10)), now=NOW
    )
    operations.update_plan(
        session, plan, theme="T", day_themes=["a", "b", "c", "d", "e"],
        first_day=date(2026, 10, 12), move_activities=False, now=NOW,
    )  # fmt: skip
    assert a.day == date(2026, 10, 6)
    assert any(
        "outside the week" in w.message and w.activity_id == a.id
        for w in plan_warnings(session, plan)
    )
    # Editing it may keep its day, but not pick another day outside the week.
    activities.update_activity(
        session, a, replace(activities.activity_input(a), title="Kept"), now=NOW
    )
    with pytest.raises(InvalidInput, match="Choose a day of the week"):
        activities.update_activity(
            session, a, replace(activities.activity_input(a), day=date(2026, 10, 7)), now=NOW
        )


def test_status_maps_to_event_and_edit_keeps_uid(session: Session, coordinator: Person) -> None:
    plan = _plan(session, coordinator)
    a = activities.add_activity(
        session, plan, _timed(date(2026, 10, 7), time(12), time(13)), now=NOW
    )
    uid, event = a.event.uid, a.event
    activities.update_activity(
        session, a, replace(activities.activity_input(a), status="confirmed"), now=NOW
    )
    assert (event.status, event.sequence) == ("confirmed", 1)
    activities.update_activity(
        session, a, replace(activities.activity_input(a), status="cancelled"), now=NOW
    )
    assert event.status == "cancelled" and event.cancelled_at is not None and event.sequence == 2
    activities.update_activity(
        session, a, replace(activities.activity_input(a), status="planned"), now=NOW
    )
    assert event.status == "tentative" and event.cancelled_at is None and event.sequence == 3
    assert a.event.uid == uid


def test_all_day_and_team_audience(session: Session, coordinator: Person) -> None:
    plan = _plan(session, coordinator)
    team = factories.team(session, "Night Shift")
    a = activities.add_activity(
        session,
        plan,
        ActivityInput(title="Wall of fame", day=date(2026, 10, 8), all_day=True,
                      for_everyone=False, team_ids=(team.id,)),
        now=NOW,
    )  # fmt: skip
    assert a.event.all_day and a.event.start_date == date(2026, 10, 8)
    assert a.event.end_date == date(2026, 10, 9)
    assert [t.name for t in a.event.audience_teams] == ["Night Shift"] and not a.event.for_everyone


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"start_time": time(11), "end_time": time(10)}, "end time must be after"),
        ({"day": date(2026, 10, 12)}, "Choose a day of the week"),
        ({"title": "x" * 10_000}, "too long"),
        ({"title": "   "}, "title"),
        ({"for_everyone": False, "team_ids": (987654,)}, "does not exist"),
        ({"for_everyone": False}, "at least one team"),
        ({"host_id": 987654}, "host"),
        ({"status": "maybe"}, "status"),
    ],
)
def test_bad_activity_input_is_refused(
    session: Session, coordinator: Person, values: dict[str, Any], message: str
) -> None:
    plan = _plan(session, coordinator)
    good = _timed(date(2026, 10, 6), time(10), time(11))
    with pytest.raises(InvalidInput, match=message):
        activities.add_activity(session, plan, replace(good, **values), now=NOW)
    assert session.scalar(select(func.count(Activity.id))) == 0


def test_copy_to_next_year_keeps_weekday_with_new_events(
    session: Session, coordinator: Person
) -> None:
    plan = _plan(session, coordinator, theme="Heroes")
    wed = activities.add_activity(
        session, plan, _timed(date(2026, 10, 7), time(9), time(10), status="done"), now=NOW
    )
    dropped = activities.add_activity(
        session,
        plan,
        _timed(date(2026, 10, 8), time(9), time(10), title="Gone", status="cancelled"),
        now=NOW,
    )
    copy = _plan(session, coordinator, year=2027, copy_from_year=2026)
    assert copy.theme == "Heroes"
    assert [(a.title, a.day, a.status) for a in copy.activities] == [
        ("Kickoff", date(2027, 10, 6), "planned")
    ]
    new = copy.activities[0]
    assert new.day.weekday() == wed.day.weekday() == 2
    assert new.event.uid != wed.event.uid and new.event.start_at == datetime(
        2027, 10, 6, 7, 0, tzinfo=UTC
    )
    assert dropped.title not in [a.title for a in copy.activities]


def test_conflicts_host_overlap_and_public_holiday(session: Session, coordinator: Person) -> None:
    plan = _plan(session, coordinator)
    session.add(HolidayOverride(day=date(2026, 10, 9), closed=True, name="Company day"))
    session.flush()
    first = activities.add_activity(
        session, plan, _timed(date(2026, 10, 6), time(9), time(11), host_id=coordinator.id), now=NOW
    )
    second = activities.add_activity(
        session,
        plan,
        _timed(date(2026, 10, 6), time(10), time(12), title="Lunch", host_id=coordinator.id),
        now=NOW,
    )
    later = activities.add_activity(
        session, plan, _timed(date(2026, 10, 6), time(11), time(12), title="Later"), now=NOW
    )
    friday = activities.add_activity(
        session, plan, _timed(date(2026, 10, 9), time(9), time(10), title="Awards"), now=NOW
    )
    warnings = plan_warnings(session, plan)
    by_activity = {w.activity_id for w in warnings if "also hosts" in w.message}
    assert by_activity == {first.id, second.id}
    assert later.id not in {w.activity_id for w in warnings}
    assert any(w.activity_id == friday.id and "closed day" in w.message for w in warnings)
    assert any(w.activity_id is None and "Friday 9 October" in w.message for w in warnings)


def test_library_seeds_once_and_has_enough_entries(session: Session) -> None:
    assert library.ensure_library(session) >= 35
    assert library.ensure_library(session) == 0
    week = library.library_entries(session, "week")
    year = library.library_entries(session, "year")
    assert len(week) >= 15 and len(year) >= 20
    assert {e.suggested_weekday for e in week} == {0, 1, 2, 3, 4}
    assert all(
        e.min_gap_weeks and e.max_gap_weeks and e.min_gap_weeks <= e.max_gap_weeks for e in year
    )
    assert {"skip_level", "recognition", "training", "scorecard_review", "feedback_update",
            "career_conversation", "hall_of_fame"} <= {e.kind for e in year}  # fmt: skip
    assert {e.practice for e in week + year} >= {"P1", "P2", "P3", "P4", "P5"}


def test_add_from_library_uses_suggested_day_and_time(
    session: Session, coordinator: Person
) -> None:
    library.ensure_library(session)
    plan = _plan(session, coordinator)
    entry = session.scalar(
        select(LibraryEntry).where(LibraryEntry.key == "week-leaders-serve-lunch")
    )
    a = activities.add_from_library(session, plan, entry, host_id=coordinator.id, now=NOW)
    assert (a.day, a.start_time, a.end_time) == (date(2026, 10, 7), time(12), time(13, 30))
    assert a.status == "idea" and a.event.status == "tentative" and a.library_entry_id == entry.id
    all_day = session.scalar(select(LibraryEntry).where(LibraryEntry.key == "week-thank-you-cards"))
    b = activities.add_from_library(session, plan, all_day, host_id=None, now=NOW)
    assert b.all_day and b.day == date(2026, 10, 8) and b.event.all_day


def test_own_library_entry_validation(session: Session, coordinator: Person) -> None:
    with pytest.raises(InvalidInput, match="spacing"):
        library.add_library_entry(
            session, library.EntryInput(scope="year", title="Pizza", kind="recognition",
                                        min_gap_weeks=8, max_gap_weeks=4),
            created_by_id=coordinator.id, now=NOW,
        )  # fmt: skip
    entry = library.add_library_entry(
        session, library.EntryInput(scope="year", title="Pizza Friday", kind="recognition",
                                    min_gap_weeks=4, max_gap_weeks=6, audience="team"),
        created_by_id=coordinator.id, now=NOW,
    )  # fmt: skip
    assert not entry.builtin and entry.cadence_label == "every 4–6 weeks"


def test_same_form_twice_saves_once_and_stale_versions_are_refused(
    session: Session, coordinator: Person
) -> None:
    plan = _plan(session, coordinator)
    values = _timed(date(2026, 10, 6), time(9), time(10))
    first = activities.add_activity(session, plan, values, now=NOW, idempotency_key="k" * 20)
    again = activities.add_activity(session, plan, values, now=NOW, idempotency_key="k" * 20)
    assert first is again and session.scalar(select(func.count(Activity.id))) == 1
    activities.update_activity(session, first, values, now=NOW, expected_version=1)
    with pytest.raises(ChangedMeanwhile):
        activities.update_activity(session, first, values, now=NOW, expected_version=1)
    operations.update_plan(
        session, plan, theme="", day_themes=[""] * 5, first_day=plan.first_day,
        move_activities=True, now=NOW, expected_version=1,
    )  # fmt: skip
    with pytest.raises(ChangedMeanwhile):
        operations.update_plan(
            session, plan, theme="x", day_themes=[""] * 5, first_day=plan.first_day,
            move_activities=True, now=NOW, expected_version=1,
        )  # fmt: skip
    idea = library.EntryInput(scope="week", title="Cake", suggested_weekday=2)
    one = library.add_library_entry(
        session, idea, created_by_id=None, now=NOW, idempotency_key="x" * 20
    )
    two = library.add_library_entry(
        session, idea, created_by_id=None, now=NOW, idempotency_key="x" * 20
    )
    assert one is two
