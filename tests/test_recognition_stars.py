"""Service stars (P1): nominate, approve, the star on the team's recognition event, hall of fame."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import InvalidInput, NotFound
from planner.events.operations import AllDay, Timed, create_event
from planner.models import Award, Event, Nomination
from planner.recognition import clock, stars
from tests import factories
from tests.test_recognition_praise import build_chart, fresh, sign_out

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)


def recognition_event(session: Session, team_id: int, day: date, **kw: Any) -> Event:
    """A team's monthly recognition, as the year plan creates it."""
    return create_event(
        session,
        kind="recognition",
        practice="P1",
        title="Service-star recognition",
        description=kw.pop("description", "Celebrate this month's service star."),
        when=kw.pop("when", AllDay(day, day + timedelta(days=1))),
        now=NOW,
        team_id=team_id,
        audience_team_ids=[team_id],
        slot_key=kw.pop("slot_key", f"recognition-{team_id}-{day:%Y-%m}"),
    )


def test_nominate_approve_and_see_the_star_on_the_next_recognition_event(
    client: Any, db: Session, login_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "today", lambda _s: TODAY)
    chart = build_chart(db, password=True)
    colleague = factories.person(
        db, role="staff", team=chart.team, manager=chart.manager, password=factories.PASSWORD
    )
    event = recognition_event(db, chart.team.id, date(2026, 12, 3))
    db.commit()

    login_as(person=colleague)
    response = client.post(
        "/recognition/stars/nominate",
        data={"nominee": chart.staff.id, "reason": "Calmed a furious customer and fixed it."},
        follow_redirects=True,
    )
    assert "the nomination goes to their leaders" in response.get_data(as_text=True)
    nomination = db.scalar(select(Nomination))
    assert nomination is not None and nomination.status == "pending"
    assert client.get(f"/recognition/stars/nominations/{nomination.id}").status_code == 403
    sign_out(client)

    login_as(person=chart.manager)
    assert "Nominations waiting for you (1)" in client.get("/recognition/").get_data(as_text=True)
    form = client.get(f"/recognition/stars/nominations/{nomination.id}").get_data(as_text=True)
    assert 'value="2026-12"' in form  # the month of the team's next recognition event
    response = client.post(
        f"/recognition/stars/nominations/{nomination.id}",
        data={"month": "2026-12", "approve": "Approve"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "is a service star" in page
    assert "December 2026" in page and chart.staff.name in page  # the hall of fame

    fresh(db)
    award = stars.star_for(db, chart.team.id, 2026, 12)
    assert award is not None and award.person_id == chart.staff.id
    refreshed = db.get(Event, event.id)
    assert refreshed is not None
    assert f"Service star: {chart.staff.name} — Calmed a furious customer" in refreshed.description
    assert "Celebrate this month's service star." in refreshed.description
    assert refreshed.sequence == 1


def test_a_timed_recognition_event_gets_the_star_too(session: Session) -> None:
    chart = build_chart(session)
    start = datetime(2026, 12, 10, 14, tzinfo=UTC)
    event = recognition_event(
        session, chart.team.id, date(2026, 12, 10), when=Timed(start, start + timedelta(hours=1))
    )
    nomination = stars.nominate(
        session, nominator=chart.director, nominee_id=chart.staff.id, reason="Star", now=NOW
    )
    stars.decide(
        session, nomination.id, chart.director, approve=True, month=date(2026, 12, 1), now=NOW
    )
    assert "Service star: " in event.description


def test_one_star_per_team_and_month(session: Session) -> None:
    chart = build_chart(session)
    other = factories.person(session, role="staff", team=chart.team, manager=chart.manager)
    first = stars.nominate(
        session, nominator=other, nominee_id=chart.staff.id, reason="Great", now=NOW
    )
    second = stars.nominate(
        session, nominator=chart.staff, nominee_id=other.id, reason="Also great", now=NOW
    )
    stars.decide(session, first.id, chart.manager, approve=True, month=date(2026, 11, 1), now=NOW)
    with pytest.raises(InvalidInput, match="already has a service star for November 2026"):
        stars.decide(
            session, second.id, chart.manager, approve=True, month=date(2026, 11, 1), now=NOW
        )
    assert second.status == "pending"
    stars.decide(session, second.id, chart.manager, approve=True, month=date(2027, 1, 1), now=NOW)
    assert [a.month for a in stars.hall_of_fame(session)] == [1, 11]


def test_only_the_nominees_leaders_decide(session: Session) -> None:
    chart = build_chart(session)
    stranger = factories.person(session, role="leader")
    coordinator = factories.person(session, role="coordinator")
    nomination = stars.nominate(
        session, nominator=chart.director, nominee_id=chart.staff.id, reason="Star", now=NOW
    )
    with pytest.raises(NotFound):
        stars.decide(session, nomination.id, stranger, approve=True, month=TODAY, now=NOW)
    assert [n.id for n in stars.pending_for(session, chart.director)] == [nomination.id]
    assert stars.pending_for(session, stranger) == []
    assert [n.id for n in stars.pending_for(session, coordinator)] == [nomination.id]
    stars.decide(session, nomination.id, chart.director, approve=False, month=None, now=NOW)
    assert nomination.status == "declined"
    assert session.scalar(select(Award)) is None
    with pytest.raises(InvalidInput, match="already declined"):
        stars.decide(session, nomination.id, chart.director, approve=True, month=TODAY, now=NOW)


@pytest.mark.parametrize(
    ("who", "reason", "message"),
    [("self", "Me!", "not yourself"), ("other", "  ", "Say why")],
)
def test_bad_nominations_are_refused(session: Session, who: str, reason: str, message: str) -> None:
    chart = build_chart(session)
    nominee = chart.staff if who == "self" else chart.manager
    with pytest.raises(InvalidInput, match=message):
        stars.nominate(
            session, nominator=chart.staff, nominee_id=nominee.id, reason=reason, now=NOW
        )


def test_a_nominee_without_a_team_cannot_be_approved(session: Session) -> None:
    chart = build_chart(session)
    loner = factories.person(session, role="staff", manager=chart.manager)
    nomination = stars.nominate(
        session, nominator=chart.staff, nominee_id=loner.id, reason="Kind", now=NOW
    )
    with pytest.raises(InvalidInput, match="has no team"):
        stars.decide(session, nomination.id, chart.manager, approve=True, month=TODAY, now=NOW)
    assert nomination.status == "pending"


def test_coordinators_see_teams_without_recognition_for_eight_weeks(session: Session) -> None:
    factories.organisation(session)
    awarded = build_chart(session, team_name="Awarded")
    old = factories.team(session, "Old event")
    recent = factories.team(session, "Recent event")
    factories.team(session, "Never")
    factories.team(session, "Back office", frontline=False)
    recognition_event(session, old.id, TODAY - timedelta(weeks=10))
    recognition_event(session, recent.id, TODAY - timedelta(weeks=3))
    recognition_event(session, recent.id, TODAY + timedelta(weeks=12), slot_key="future")
    nomination = stars.nominate(
        session, nominator=awarded.manager, nominee_id=awarded.staff.id, reason="Yes", now=NOW
    )
    stars.decide(session, nomination.id, awarded.manager, approve=True, month=TODAY, now=NOW)

    found = {team.name: last for team, last in stars.unrecognised_teams(session, TODAY, NOW)}

    assert found == {"Old event": TODAY - timedelta(weeks=10), "Never": None}


def test_a_recognition_event_planned_after_approval_gets_the_star_once(session: Session) -> None:
    chart = build_chart(session)
    nomination = stars.nominate(
        session, nominator=chart.director, nominee_id=chart.staff.id, reason="Star", now=NOW
    )
    stars.decide(
        session, nomination.id, chart.director, approve=True, month=date(2027, 2, 1), now=NOW
    )
    event = recognition_event(session, chart.team.id, date(2027, 2, 4))  # the year plan, later
    assert "Service star" not in event.description

    assert stars.show_stars_on_events(session, NOW) == 1
    assert f"Service star: {chart.staff.name} — Star" in event.description
    assert event.sequence == 1
    assert stars.show_stars_on_events(session, NOW) == 0
    assert event.sequence == 1


def test_the_default_month_is_that_of_the_next_recognition_even_when_timed(
    session: Session,
) -> None:
    chart = build_chart(session)
    assert stars.default_award_month(session, chart.team.id, TODAY) == date(2026, 11, 1)
    start = datetime(2027, 1, 19, 9, tzinfo=UTC)
    recognition_event(
        session, chart.team.id, start.date(), when=Timed(start, start + timedelta(hours=1))
    )
    recognition_event(session, chart.team.id, date(2026, 11, 2), slot_key="past")
    assert stars.default_award_month(session, chart.team.id, TODAY) == date(2027, 1, 1)
    recognition_event(session, chart.team.id, date(2026, 12, 8), slot_key="december")
    assert stars.default_award_month(session, chart.team.id, TODAY) == date(2026, 12, 1)


def test_the_default_month_skips_months_that_already_have_a_star(session: Session) -> None:
    chart = build_chart(session)
    recognition_event(session, chart.team.id, date(2026, 12, 8), slot_key="december")
    recognition_event(session, chart.team.id, date(2027, 1, 12), slot_key="january")
    assert stars.default_award_month(session, chart.team.id, TODAY) == date(2026, 12, 1)
    first = stars.nominate(
        session, nominator=chart.manager, nominee_id=chart.staff.id, reason="Great", now=NOW
    )
    stars.decide(session, first.id, chart.manager, approve=True, month=date(2026, 12, 1), now=NOW)
    assert stars.default_award_month(session, chart.team.id, TODAY) == date(2027, 1, 1)
