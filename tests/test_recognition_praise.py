"""Customer praise -> outreach tasks (P2): due dates, fallbacks, privacy, completion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.errors import InvalidInput, NotFound
from planner.models import Absence, Event, OutreachTask, Person, Praise, Team
from planner.recognition import clock, praise
from tests import factories

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@dataclass
class Chart:
    """A small org chart: director -> manager -> staff in one team."""

    team: Team
    director: Person
    manager: Person
    staff: Person


def build_chart(session: Session, *, team_name: str | None = None, password: bool = False) -> Chart:
    """Director (leader) over a manager (leader) over one staff member, NL calendar."""
    factories.organisation(session)
    team = factories.team(session, team_name)
    pw = factories.PASSWORD if password else None
    director = factories.person(session, role="leader", password=pw)
    manager = factories.person(session, role="leader", manager=director, team=team, password=pw)
    staff = factories.person(session, role="staff", manager=manager, team=team, password=pw)
    return Chart(team, director, manager, staff)


def log(session: Session, person: Person, received: date, today: date, **kw: Any) -> Praise:
    """Log a praise with defaults."""
    return praise.log_praise(
        session,
        person_id=person.id,
        received_on=received,
        channel=kw.pop("channel", "email"),
        quote=kw.pop("quote", f"Great help on {received}"),
        customer_name=kw.pop("customer_name", "Carla Customer"),
        logged_by_id=None,
        today=today,
        now=NOW,
    )


def fresh(db: Session) -> None:
    """See what the app committed: end this session's transaction and reload every object."""
    db.rollback()
    db.expire_all()


def sign_out(client: Any) -> None:
    """End the current session so login_as can sign in someone else."""
    client.post("/sign-out")


# --- due dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "expected", "why"),
    [
        (date(2026, 4, 24), date(2026, 4, 29), "Fri; weekend and King's Day (Mon 27 Apr) skipped"),
        (date(2026, 12, 23), date(2026, 12, 28), "Wed; Christmas (Fri 25) and weekend skipped"),
        (date(2026, 11, 20), date(2026, 11, 24), "Fri; the weekend is skipped"),
        (date(2026, 11, 23), date(2026, 11, 25), "Mon; two plain working days"),
    ],
)
def test_due_date_skips_weekends_and_public_holidays(
    session: Session, received: date, expected: date, why: str
) -> None:
    chart = build_chart(session)
    logged = log(session, chart.staff, received, today=received)
    assert logged.task is not None
    assert logged.task.due_on == expected, why
    assert logged.task.leader_id == chart.director.id


def test_due_date_skips_the_leaders_absence(session: Session) -> None:
    chart = build_chart(session)
    session.add(
        Absence(
            person_id=chart.director.id, first_day=date(2026, 11, 24), last_day=date(2026, 11, 25)
        )
    )
    session.flush()
    logged = log(session, chart.staff, date(2026, 11, 23), today=date(2026, 11, 23))
    assert logged.task is not None
    assert logged.task.due_on == date(2026, 11, 27)  # Tue+Wed away: Thu, Fri


def test_praise_logged_late_is_due_one_working_day_after_logging(session: Session) -> None:
    chart = build_chart(session)
    logged = log(session, chart.staff, date(2026, 11, 2), today=date(2026, 11, 20))
    assert logged.task is not None
    assert logged.task.due_on == date(2026, 11, 23)  # Fri 20 + 1 working day = Mon 23


def test_outreach_event_is_an_all_day_transparent_item_in_the_leaders_feed(
    session: Session,
) -> None:
    chart = build_chart(session)
    logged = log(session, chart.staff, date(2026, 11, 23), today=date(2026, 11, 23), channel="call")
    task = logged.task
    assert task is not None and task.event is not None
    event = task.event
    assert (event.kind, event.practice, event.host_id) == ("outreach", "P2", chart.director.id)
    assert event.all_day and event.transparent and event.status == "confirmed"
    assert (event.start_date, event.end_date) == (date(2026, 11, 25), date(2026, 11, 26))
    assert (event.source_kind, event.source_id) == ("praise", logged.id)
    assert event.link_path == f"/recognition/outreach/{task.id}"
    assert "Carla" not in event.title + event.description
    assert task.gesture == "Phone call"
    assert "Phone call" in event.description


@pytest.mark.parametrize(
    ("channel", "gesture"),
    [("call", "Phone call"), ("email", "Handwritten note"), ("survey", "Handwritten note"),
     ("chat", "Unannounced visit"), ("social", "Unannounced visit")],
)  # fmt: skip
def test_gesture_follows_the_channel(session: Session, channel: str, gesture: str) -> None:
    chart = build_chart(session)
    logged = log(session, chart.staff, date(2026, 11, 23), date(2026, 11, 23), channel=channel)
    assert logged.task is not None and logged.task.gesture == gesture


# --- who reaches out ------------------------------------------------------------------------


def test_without_a_skip_level_leader_the_manager_reaches_out(session: Session) -> None:
    chart = build_chart(session)
    chart.manager.manager = None
    session.flush()
    logged = log(session, chart.staff, date(2026, 11, 23), date(2026, 11, 23))
    assert logged.task is not None and logged.task.leader_id == chart.manager.id


def test_inactive_skip_level_leader_falls_back_to_the_manager(session: Session) -> None:
    chart = build_chart(session)
    chart.director.active = False
    session.flush()
    logged = log(session, chart.staff, date(2026, 11, 23), date(2026, 11, 23))
    assert logged.task is not None and logged.task.leader_id == chart.manager.id


def test_without_any_manager_the_praise_is_kept_but_no_task(session: Session) -> None:
    chart = build_chart(session)
    chart.staff.manager = None
    session.flush()
    logged = log(session, chart.staff, date(2026, 11, 23), date(2026, 11, 23))
    assert logged.id is not None and logged.task is None
    assert session.scalar(select(func.count(Event.id))) == 0


def test_no_manager_gives_a_clear_message_in_the_browser(
    client: Any, db: Session, login_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "today", lambda _s: date(2026, 11, 23))
    factories.organisation(db)
    lonely = factories.person(db, role="staff", name="Lonely Lou")
    db.commit()
    login_as("coordinator")
    response = client.post(
        "/recognition/praise/new",
        data={"person": lonely.id, "received_on": "2026-11-20", "channel": "chat", "quote": "Ace"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "no manager or skip-level leader" in page
    assert db.scalar(select(func.count(Praise.id))) == 1


# --- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"received": date(2026, 11, 24)}, "in the future"),
        ({"quote": "   "}, "empty"),
        ({"quote": "x" * 2001}, "at most 2000"),
        ({"channel": "fax"}, "Unknown channel"),
    ],
)
def test_bad_praise_is_refused_and_nothing_saved(
    session: Session, changes: dict[str, Any], message: str
) -> None:
    chart = build_chart(session)
    received = changes.pop("received", date(2026, 11, 23))
    with pytest.raises(InvalidInput, match=message):
        log(session, chart.staff, received, date(2026, 11, 23), **changes)
    assert session.scalar(select(func.count(Praise.id))) == 0


def test_the_same_praise_twice_is_refused(session: Session) -> None:
    chart = build_chart(session)
    log(session, chart.staff, date(2026, 11, 23), date(2026, 11, 23), quote="Very  kind")
    with pytest.raises(InvalidInput, match="already logged"):
        log(session, chart.staff, date(2026, 11, 23), date(2026, 11, 23), quote="very kind")


# --- completing outreach, privacy -------------------------------------------------------------


def test_leader_completes_own_task_and_the_calendar_shows_it_done(
    client: Any, db: Session, login_as: Any
) -> None:
    chart = build_chart(db, password=True)
    logged = log(db, chart.staff, date(2026, 11, 23), date(2026, 11, 23))
    db.commit()
    task_id = logged.task.id  # type: ignore[union-attr]
    other = factories.person(db, role="leader", password=factories.PASSWORD)
    db.commit()

    login_as(person=other)
    assert client.get(f"/recognition/outreach/{task_id}").status_code == 404
    response = client.post(f"/recognition/outreach/{task_id}", data={"what_was_done": "x"})
    assert response.status_code == 404
    sign_out(client)

    login_as(person=chart.director)
    page = client.get(f"/recognition/outreach/{task_id}").get_data(as_text=True)
    assert "Carla Customer" in page and "Handwritten note" in page
    response = client.post(
        f"/recognition/outreach/{task_id}",
        data={"what_was_done": "Wrote a card and left it on her desk."},
        follow_redirects=True,
    )
    assert "The task is done" in response.get_data(as_text=True)
    fresh(db)
    task = db.get(OutreachTask, task_id)
    assert task is not None and task.done and task.done_by_id == chart.director.id
    assert task.event is not None
    assert task.event.title.startswith("Done: Thank")
    assert task.event.status == "confirmed" and task.event.sequence == 1
    assert "Wrote a card" in task.event.description
    again = client.post(f"/recognition/outreach/{task_id}", data={"what_was_done": "again"})
    assert again.status_code == 200  # the page, no second completion
    fresh(db)
    assert db.get(OutreachTask, task_id).event.sequence == 1  # type: ignore[union-attr]


def test_staff_see_praise_without_customer_names_and_only_their_own_details(
    client: Any, db: Session, login_as: Any
) -> None:
    chart = build_chart(db, password=True)
    colleague = factories.person(db, role="staff", team=chart.team, manager=chart.manager)
    own = log(db, chart.staff, date(2026, 11, 20), date(2026, 11, 23), quote="Lovely service")
    theirs = log(db, colleague, date(2026, 11, 20), date(2026, 11, 23), quote="Super helpful")
    db.commit()

    login_as(person=chart.staff)
    wall = client.get("/recognition/").get_data(as_text=True)
    assert "Lovely service" in wall and "Super helpful" in wall
    assert "Carla Customer" not in wall
    detail = client.get(f"/recognition/praise/{own.id}")
    assert detail.status_code == 200 and "Carla Customer" not in detail.get_data(as_text=True)
    assert client.get(f"/recognition/praise/{theirs.id}").status_code == 404
    assert client.get(f"/recognition/people/{colleague.id}").status_code == 404
    mine = client.get(f"/recognition/people/{chart.staff.id}").get_data(as_text=True)
    assert "Lovely service" in mine and "Super helpful" not in mine
    sign_out(client)

    login_as(person=chart.manager)
    wall = client.get("/recognition/").get_data(as_text=True)
    assert "Carla Customer" in wall
    assert client.get(f"/recognition/praise/{theirs.id}").status_code == 200


def test_get_task_refuses_other_leaders(session: Session) -> None:
    chart = build_chart(session)
    logged = log(session, chart.staff, date(2026, 11, 23), date(2026, 11, 23))
    with pytest.raises(NotFound):
        praise.get_task(session, logged.task.id, chart.manager)  # type: ignore[union-attr]
    coordinator = factories.person(session, role="coordinator")
    assert praise.get_task(session, logged.task.id, coordinator) is logged.task  # type: ignore[union-attr]
