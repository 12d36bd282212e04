"""A small plan with every kind of feed item, and what each feed's query holds (FEEDS.md 8, 18).

``build_plan`` is shared by the other tests/test_feeds_*.py modules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from planner.events.operations import AllDay, Timed, cancel_event, create_event
from planner.feeds import queries
from planner.models import Event, Person, Team
from tests import factories

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
AMS = ZoneInfo("Europe/Amsterdam")
SECRET_TEXT = "Canary feedback text: my manager ignores the queue"


@dataclass
class Plan:
    """The people, teams and events of the sample plan."""

    coordinator: Person
    leader: Person
    staff_a: Person
    staff_b: Person
    team_a: Team
    team_b: Team
    events: dict[str, Event]


def _at(day: date, hour: int, minutes: int = 60) -> Timed:
    """A timed slot in Amsterdam."""
    start = datetime(day.year, day.month, day.day, hour, tzinfo=AMS)
    return Timed(start, start + timedelta(minutes=minutes))


def build_plan(session: Session, now: datetime = NOW, password: str | None = None) -> Plan:
    """Organisation in Amsterdam, two teams, four people, one event of every feed-relevant kind."""
    factories.organisation(session, time_zone="Europe/Amsterdam")
    team_a, team_b = factories.team(session, "Support A"), factories.team(session, "Support B")
    kw = {"password": password or factories.PASSWORD}
    coordinator = factories.person(session, role="coordinator", name="Cora Coordinator", **kw)
    leader = factories.person(session, role="leader", name="Lea Léader", **kw)
    staff_a = factories.person(session, role="staff", team=team_a, manager=leader, **kw)
    staff_b = factories.person(session, role="staff", team=team_b, **kw)
    today = now.date()
    e: dict[str, Event] = {}

    def add(name: str, **values: object) -> None:
        e[name] = create_event(session, now=now - timedelta(days=30), **values)  # type: ignore[arg-type]

    add(
        "week",
        kind="activity",
        title="Customer Service Week, kickoff",
        practice="P1",
        when=AllDay(date(2026, 10, 5), date(2026, 10, 10)),
        for_everyone=True,
        host_id=coordinator.id,
        link_path="/csweek",
    )
    add(
        "milestone",
        kind="milestone",
        title="Book the venue",
        when=AllDay(today, today + timedelta(days=1)),
        host_id=coordinator.id,
    )
    add(
        "skip",
        kind="skip_level",
        practice="P4",
        title="Skip-level; Support A",
        when=_at(today + timedelta(days=3), 9),
        host_id=leader.id,
        team_id=team_a.id,
        attendee_ids=[staff_a.id],
        location="Room 4.12",
        link_path="/scheduler/skip/1",
    )
    add(
        "recognition",
        kind="recognition",
        practice="P1",
        title="Service star of November",
        when=_at(today + timedelta(days=10), 15),
        team_id=team_a.id,
        host_id=leader.id,
    )
    add(
        "outreach",
        kind="outreach",
        practice="P2",
        title="Thank a praised colleague",
        when=AllDay(today + timedelta(days=2), today + timedelta(days=3)),
        host_id=leader.id,
        team_id=team_a.id,
        transparent=True,
        description="Customer praised them by name",
    )
    add(
        "follow_up",
        kind="follow_up",
        practice="P4",
        title="Follow up: queue tooling",
        when=AllDay(today + timedelta(days=5), today + timedelta(days=6)),
        host_id=leader.id,
        team_id=team_a.id,
        audience_team_ids=[team_a.id],
        transparent=True,
        description=SECRET_TEXT,
        link_path="/feedback/1",
    )
    add(
        "career",
        kind="career_conversation",
        practice="P5",
        title="Career talk",
        when=_at(today + timedelta(days=20), 11),
        host_id=leader.id,
        team_id=team_a.id,
        attendee_ids=[staff_a.id],
    )
    add(
        "training",
        kind="training",
        practice="P5",
        title="Refresher training B",
        when=_at(today + timedelta(days=40), 13, 120),
        team_id=team_b.id,
        attendee_ids=[leader.id],
    )
    add(
        "cancelled",
        kind="recognition",
        practice="P1",
        title="Lunch (cancelled)",
        when=_at(today + timedelta(days=12), 12),
        team_id=team_a.id,
        host_id=leader.id,
    )
    cancel_event(session, e["cancelled"], now=now - timedelta(days=2))
    add(
        "old",
        kind="skip_level",
        practice="P4",
        title="Long ago",
        when=_at(today - timedelta(days=120), 9),
        host_id=leader.id,
    )
    add(
        "far",
        kind="skip_level",
        practice="P4",
        title="Too far ahead",
        when=_at(today + timedelta(days=500), 9),
        host_id=leader.id,
    )
    session.flush()
    return Plan(coordinator, leader, staff_a, staff_b, team_a, team_b, e)  # fmt: skip


def titles(session: Session, audience: queries.Audience, now: datetime = NOW) -> set[str]:
    """Titles of the events a feed of ``audience`` holds at ``now``."""
    return {e.title for e in session.scalars(queries.feed_events(session, audience, now, AMS))}


def test_leader_feed_holds_what_they_host_or_attend_and_the_week(session: Session) -> None:
    plan = build_plan(session)
    assert titles(session, queries.person_audience(plan.leader)) == {
        "Customer Service Week, kickoff",
        "Skip-level; Support A",
        "Service star of November",
        "Thank a praised colleague",
        "Follow up: queue tooling",
        "Career talk",
        "Refresher training B",
        "Lunch (cancelled)",
    }


def test_staff_feed_holds_their_teams_items_but_not_a_colleagues_private_ones(
    session: Session,
) -> None:
    plan = build_plan(session)
    assert titles(session, queries.person_audience(plan.staff_a)) == {
        "Customer Service Week, kickoff",
        "Skip-level; Support A",
        "Service star of November",
        "Follow up: queue tooling",
        "Career talk",  # they attend it
        "Lunch (cancelled)",
    }
    assert titles(session, queries.person_audience(plan.staff_b)) == {
        "Customer Service Week, kickoff",
        "Refresher training B",
    }


def test_coordinator_feed_is_what_they_organise_plus_everything_for_everyone(
    session: Session,
) -> None:
    plan = build_plan(session)
    assert titles(session, queries.person_audience(plan.coordinator)) == {
        "Customer Service Week, kickoff",
        "Book the venue",
    }


def test_team_and_org_feeds_carry_no_items_about_one_person(session: Session) -> None:
    plan = build_plan(session)
    team = titles(session, queries.Audience("team", team_id=plan.team_a.id))
    assert team == {
        "Customer Service Week, kickoff",
        "Skip-level; Support A",
        "Service star of November",
        "Follow up: queue tooling",
        "Lunch (cancelled)",
    }
    org = titles(session, queries.Audience("org"))
    assert org == {"Customer Service Week, kickoff", "Book the venue"}


def test_a_feed_can_be_narrowed_to_practices(session: Session) -> None:
    plan = build_plan(session)
    p4 = queries.Audience("person", plan.leader.id, "leader", None, ("P4",))
    assert titles(session, p4) == {"Skip-level; Support A", "Follow up: queue tooling"}
    p1_p5 = queries.Audience("person", plan.leader.id, "leader", None, ("P1", "P5"))
    assert "Career talk" in titles(session, p1_p5)
    assert "Skip-level; Support A" not in titles(session, p1_p5)


def test_window_is_90_days_back_to_15_months_ahead(session: Session) -> None:
    plan = build_plan(session)
    leader = queries.person_audience(plan.leader)
    assert "Long ago" not in titles(session, leader)
    assert "Too far ahead" not in titles(session, leader)
    # 120 days ago falls inside the window seen from 31 days earlier; 500 days ahead doesn't.
    assert "Long ago" in titles(session, leader, NOW - timedelta(days=31))
    assert "Too far ahead" in titles(session, leader, NOW + timedelta(days=60))


def test_cancellation_stays_seven_days_then_drops(session: Session) -> None:
    plan = build_plan(session)
    cancelled_at = plan.events["cancelled"].cancelled_at
    assert cancelled_at is not None
    team = queries.Audience("team", team_id=plan.team_a.id)
    assert "Lunch (cancelled)" in titles(session, team, cancelled_at + timedelta(days=7))
    later = cancelled_at + timedelta(days=7, seconds=1)
    assert "Lunch (cancelled)" not in titles(session, team, later)


def test_category_labels_lose_commas_that_the_strict_parser_would_split(session: Session) -> None:
    from planner.feeds.operations import FeedSettings, feed_event, refresh_piece
    from tests.feedcheck import check_feed
    from tests.test_feeds_ical_parsers import by_ical

    plan = build_plan(session)
    event = plan.events["skip"]
    event.kind = "feedback_update"  # labelled '"You said, we did" update'
    settings = FeedSettings("http://planner.test", "planner.test", "Europe/Amsterdam")
    assert feed_event(event, settings).categories == ("P4 Skip-levels", '"You said we did" update')
    refresh_piece(event, settings)
    from planner.feeds.ical import assemble_calendar, render_vtimezone

    data = assemble_calendar(
        [event.ics_piece or ""], name="t", description="t", tzid="Europe/Amsterdam",
        version="0", vtimezone=render_vtimezone("Europe/Amsterdam", range(2025, 2029)),
    )  # fmt: skip
    assert check_feed(data) == []
    assert by_ical(data)[0]["categories"] == ["P4 Skip-levels", '"You said we did" update']
