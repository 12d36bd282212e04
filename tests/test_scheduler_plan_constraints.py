"""The year plan built from the database keeps every hard rule (checked by the independent
validator and directly): clock changes, a 53-week year, other countries' holidays, absences,
other areas' timed events, one team, and bad cadences that cannot be placed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from planner.events.operations import Timed, create_event
from planner.models import Absence, Event
from planner.org.calendar import closed_dates
from planner.scheduler import glance
from planner.scheduler.planning import compute_plan, plan_period
from planner.scheduler.publishing import apply_plan
from planner.scheduler.validate import find_violations
from tests.scheduler_helpers import cadence, planned, small_org

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


def _publish(session: Any, year: int) -> Any:
    """Plan and publish a year; the plan must pass the validator."""
    plan = compute_plan(session, year, TODAY)
    assert find_violations(plan.plan_input, plan.result) == []
    apply_plan(session, plan, NOW)
    return plan


def _local(event: Event, zone: ZoneInfo) -> tuple[date, time | None]:
    if event.start_at is not None:
        local = event.start_at.astimezone(zone)
        return local.date(), local.time()
    assert event.start_date is not None
    return event.start_date, None


def test_local_times_stay_inside_the_window_across_clock_changes(session: Any) -> None:
    small_org(session)
    cadence(session, window_start=time(9), window_end=time(10), min_gap_weeks=1, max_gap_weeks=2)
    _publish(session, 2027)  # Oct 2027 - Oct 2028: clocks change 31 Oct 2027 and 26 Mar 2028
    zone = ZoneInfo("Europe/Amsterdam")
    events = planned(session, 2027)
    days = {_local(e, zone)[0] for e in events}
    assert any(d < date(2027, 10, 31) for d in days) and any(d > date(2028, 3, 26) for d in days)
    for e in events:
        assert _local(e, zone)[1] == time(9), e.title
        assert e.end_at - e.start_at == timedelta(hours=1)
    # Re-planning after publishing keeps everything (same instants, no moves).
    again = compute_plan(session, 2027, TODAY)
    assert {p.status for p in again.result.placements} == {"kept"}


def test_a_53_week_year_between_two_service_weeks(session: Any) -> None:
    small_org(session)
    cadence(session, min_gap_weeks=1, max_gap_weeks=2)
    first, end = plan_period(session, 2023)
    assert (first, end) == (date(2023, 10, 7), date(2024, 10, 7))
    plan = compute_plan(session, 2023, date(2023, 9, 1))
    assert find_violations(plan.plan_input, plan.result) == []
    weeks = glance.weeks_of(first, end, glance.open_days_of(plan), glance.plan_items(plan))
    assert len(weeks) == 53
    assert not [w.monday for w in weeks if w.gap]
    starts = [glance.plan_items(plan)]
    assert all(first <= i.day < end for i in starts[0])


def test_other_countries_public_holidays_are_closed(session: Any) -> None:
    small_org(session, country="US", time_zone="America/New_York")
    cadence(session, min_gap_weeks=1, max_gap_weeks=1, weekdays="3")  # Thursdays, weekly
    _publish(session, 2027)
    closed = closed_dates(session, date(2027, 10, 9), date(2028, 10, 1))
    assert date(2027, 11, 25) in closed  # Thanksgiving
    zone = ZoneInfo("America/New_York")
    days = {_local(e, zone)[0] for e in planned(session, 2027)}
    assert days and not days & closed
    assert date(2027, 11, 25) not in days


def test_absences_and_other_areas_timed_events_are_respected(session: Any) -> None:
    org = small_org(session, teams=1)
    lead = org.leads[0]
    session.add(
        Absence(person_id=lead.id, first_day=date(2027, 10, 11), last_day=date(2027, 12, 31))
    )
    zone = ZoneInfo("Europe/Amsterdam")
    # The lead is busy 09:00-10:00 every working day of the period except Wednesdays.
    day = date(2028, 1, 3)
    while day < date(2028, 10, 1):
        if day.weekday() in (0, 1, 3, 4):
            start = datetime.combine(day, time(9), zone)
            create_event(session, kind="follow_up", title="Busy", now=NOW, host_id=lead.id,
                         when=Timed(start, start + timedelta(hours=1)))  # fmt: skip
        day += timedelta(days=1)
    cadence(session, window_start=time(9), window_end=time(10))
    _publish(session, 2027)
    for e in planned(session, 2027):
        local_day, _start = _local(e, zone)
        assert local_day > date(2027, 12, 31), "planned while the host is away"
        assert local_day.weekday() == 2, "double-booked against another area's event"


def test_an_organisation_of_one_team(session: Any) -> None:
    small_org(session, teams=1, staff_per_team=1)
    cadence(session)
    cadence(session, title="Skip", kind="skip_level", practice="P4", expansion="skip_level",
            counts_toward_cap=True, min_gap_weeks=10, max_gap_weeks=16)  # fmt: skip
    plan = _publish(session, 2027)
    assert plan.result.unplaced == ()
    assert {e.kind for e in planned(session, 2027)} == {"recognition", "skip_level"}


def test_impossible_cadences_are_named_and_the_rest_is_planned(session: Any) -> None:
    org = small_org(session)
    # Stored rows the forms would refuse: a window that ends before it starts, and a 9-hour
    # meeting in an 8-hour window; plus a leader who is away all year.
    cadence(session, title="Backwards", window_start=time(18), window_end=time(17))
    cadence(session, title="Marathon", duration_minutes=540, window_start=time(9),
            window_end=time(17))  # fmt: skip
    cadence(session, title="Skip", kind="skip_level", practice="P4", expansion="skip_level",
            counts_toward_cap=True, min_gap_weeks=10, max_gap_weeks=16)  # fmt: skip
    good = cadence(session, title="Fine")
    session.add(
        Absence(person_id=org.head.id, first_day=date(2027, 1, 1), last_day=date(2028, 12, 31))
    )
    plan = _publish(session, 2027)
    titles = {plan.meta[u.series_key].title.split(":")[0] for u in plan.result.unplaced}
    assert titles == {"Backwards", "Marathon", "Skip"}
    reasons = " ".join(u.reason for u in plan.result.unplaced)
    assert "away" in reasons
    kinds = {e.source_id for e in planned(session, 2027)}
    assert kinds == {good.id}


def test_nothing_is_planned_for_people_before_their_start_or_from_their_end_date(
    session: Any,
) -> None:
    org = small_org(session, teams=1)
    lead = org.leads[0]
    # The host joins on 1 Feb 2028 and leaves on 1 Jun 2028 (the plan year runs Oct to Oct).
    lead.start_date, lead.end_date = date(2028, 2, 1), date(2028, 6, 1)
    cadence(session)
    _publish(session, 2027)
    zone = ZoneInfo("Europe/Amsterdam")
    hosted = [e for e in planned(session, 2027) if e.host_id == lead.id]
    assert hosted, "the host is planned while employed"
    for e in hosted:
        local_day, _start = _local(e, zone)
        assert date(2028, 2, 1) <= local_day < date(2028, 6, 1), local_day
