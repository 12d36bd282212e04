"""Career ladder (P5), promotions as team events, the demo data and the recognition pages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.errors import InvalidInput
from planner.models import (
    Award,
    CareerLevel,
    Event,
    MetricValue,
    OutreachTask,
    PersonLevel,
    Praise,
    Promotion,
)
from planner.recognition import careers, demo
from tests import factories
from tests.test_recognition_praise import build_chart, fresh

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)


def test_coordinator_describes_the_ladder_and_records_a_promotion(
    client: Any, db: Session, login_as: Any
) -> None:
    chart = build_chart(db, team_name="Team North")
    db.commit()
    # Plain values: touching an expired object would open a transaction the app then waits on.
    staff_id, staff_name, team_id = chart.staff.id, chart.staff.name, chart.team.id
    login_as("coordinator")
    for rank, name in enumerate(["Associate", "Specialist", "Expert", "Lead"], start=1):
        response = client.post(
            "/recognition/careers/levels/new",
            data={"name": name, "rank": rank, "meaning": f"{name} work", "requirements": "Time"},
            follow_redirects=True,
        )
        assert "The level is saved." in response.get_data(as_text=True)
    clash = client.post("/recognition/careers/levels/new", data={"name": "Guru", "rank": 2})
    assert "Specialist already has order 2" in clash.get_data(as_text=True)
    levels = {lvl.name: lvl.id for lvl in db.scalars(select(CareerLevel))}
    assert len(levels) == 4
    db.rollback()  # end the read so the app can write

    response = client.post(
        "/recognition/careers/place",
        data={"person": staff_id, "level": levels["Associate"]},
        follow_redirects=True,
    )
    assert "Placed on the ladder." in response.get_data(as_text=True)
    response = client.post(
        "/recognition/careers/promote",
        data={
            "person": staff_id,
            "level": levels["Specialist"],
            "promoted_on": "2026-12-01",
            "note": "Well deserved.",
        },
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert f"{staff_name} is now Specialist" in page
    assert "became Specialist" in page

    fresh(db)
    event = db.scalar(select(Event).where(Event.kind == "promotion"))
    assert event is not None
    assert (event.practice, event.team_id, event.all_day) == ("P5", team_id, True)
    assert (event.start_date, event.end_date) == (date(2026, 12, 1), date(2026, 12, 2))
    assert [t.id for t in event.audience_teams] == [team_id]
    assert db.get(PersonLevel, staff_id).level.name == "Specialist"  # type: ignore[union-attr]
    db.rollback()

    backwards = client.post(
        "/recognition/careers/promote",
        data={"person": staff_id, "level": levels["Associate"], "promoted_on": "2026-12-02"},
    )
    assert "a promotion goes to a higher level" in backwards.get_data(as_text=True)
    fresh(db)
    assert db.scalar(select(func.count(Promotion.id))) == 1


def test_staff_read_the_ladder_but_cannot_change_it(
    client: Any, db: Session, login_as: Any
) -> None:
    careers.save_level(
        db, level_id=None, name="Associate", rank=1, meaning="Serves", requirements="Onboarding"
    )
    db.commit()
    login_as("staff")
    page = client.get("/recognition/careers").get_data(as_text=True)
    assert "Associate" in page and "Onboarding" in page and "Add a level" not in page
    assert client.get("/recognition/careers/levels/new").status_code == 403
    assert client.post("/recognition/careers/promote").status_code == 403


def test_a_person_without_a_team_is_promoted_without_an_event(session: Session) -> None:
    factories.organisation(session)
    level = careers.save_level(
        session, level_id=None, name="Expert", rank=3, meaning="", requirements=""
    )
    loner = factories.person(session, role="staff")
    coordinator = factories.person(session, role="coordinator")
    promotion = careers.promote(
        session,
        person_id=loner.id,
        level_id=level.id,
        promoted_on=date(2026, 11, 23),
        note="",
        recorded_by=coordinator,
        now=NOW,
    )
    assert promotion.event_id is None
    with pytest.raises(InvalidInput, match="already at Expert"):
        careers.promote(
            session,
            person_id=loner.id,
            level_id=level.id,
            promoted_on=date(2026, 11, 24),
            note="",
            recorded_by=coordinator,
            now=NOW,
        )


def _counts(session: Session) -> tuple[int, ...]:
    """Rows of every recognition table plus events."""
    return tuple(
        session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Praise, OutreachTask, Award, MetricValue, CareerLevel, PersonLevel, Event)
    )


def test_demo_loads_every_part_and_is_idempotent(session: Session) -> None:
    today = date(2026, 11, 23)
    first = build_chart(session, team_name="Team North")
    second = build_chart(session, team_name="Team South")
    for chart in (first, second):
        for _ in range(2):
            factories.person(session, role="staff", team=chart.team, manager=chart.manager)

    lines = demo.load(session, today)
    counts = _counts(session)
    praise_rows, tasks, awards, metrics, levels, placed, events = counts
    assert praise_rows == 5 and tasks == 5 and awards == 1 and levels == 4
    assert metrics == 2 * 3 * 4  # two teams, three months, four metrics
    assert placed == 6 and events == 5
    assert lines and "5 praise" in lines[0]

    demo.load(session, today)
    assert _counts(session) == counts


def test_demo_without_people_only_describes_the_ladder(session: Session) -> None:
    lines = demo.load(session, date(2026, 11, 23))
    assert "4 ladder levels" in lines[0]
    assert session.scalar(select(func.count(CareerLevel.id))) == 4


@pytest.mark.parametrize("role", ["staff", "leader", "coordinator", "admin"])
def test_every_role_sees_the_recognition_pages(client: Any, login_as: Any, role: str) -> None:
    login_as(role)
    for url in ["/recognition/", "/recognition/stars", "/recognition/scorecards",
                "/recognition/careers", "/recognition/stars/nominate"]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
    home = client.get("/recognition/").get_data(as_text=True)
    assert "Praise wall" in home
    assert ("Log customer praise" in home) == (role != "staff")


@pytest.fixture
def csrf_on(app_config: dict[str, Any]) -> None:
    """Turn CSRF protection on for this test's app."""
    app_config["WTF_CSRF_ENABLED"] = True


@pytest.mark.usefixtures("csrf_on")
def test_recognition_posts_need_a_csrf_token(client: Any, db: Session) -> None:
    person = factories.person(db, role="coordinator", password=factories.PASSWORD)
    db.commit()
    page = client.get("/sign-in").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    signed_in = client.post(
        "/sign-in",
        data={"email": person.email, "password": factories.PASSWORD, "csrf_token": token},
    )
    assert signed_in.status_code == 302
    response = client.post("/recognition/careers/levels/new", data={"name": "X", "rank": 1})
    assert response.status_code == 400
    fresh(db)
    assert db.scalar(select(func.count(CareerLevel.id))) == 0
