"""The demo organisation: shape, skip-level pairs, logins, idempotence."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.auth.passwords import verify_password
from planner.demo import DEMO_COORDINATOR, DEMO_PASSWORD
from planner.models import Absence, Person, Team
from planner.org import demo
from planner.org.calendar import get_organisation
from planner.org.chart import skip_level_pairs


def test_demo_organisation_is_realistic_and_idempotent(session: Session) -> None:
    lines = demo.load(session, date(2026, 11, 23))
    session.commit()
    people = session.scalar(select(func.count()).select_from(Person))
    assert 150 <= (people or 0) <= 180
    teams = list(session.scalars(select(Team)))
    assert sum(t.frontline for t in teams) == 16 and sum(not t.frontline for t in teams) == 3
    assert session.scalar(select(func.count()).where(Person.role == "leader")) == 8 + 16
    org = get_organisation(session)
    assert (org.name, org.time_zone, org.country) == (
        "Acme Customer Care",
        "Europe/Amsterdam",
        "NL",
    )
    # staff -> team lead -> leader: one skip-level leader per frontline team.
    pairs = skip_level_pairs(session)
    assert len(pairs) == 16 and {team.frontline for _leader, team in pairs} == {True}
    assert len({leader.id for leader, _team in pairs}) == 8
    names = set(session.scalars(select(Person.name)))
    assert "Žilvinas Kazlauskas" in names and any("Zoë" in n for n in names)
    with_login = {
        p.email for p in session.scalars(select(Person).where(Person.password_hash.isnot(None)))
    }
    assert with_login == {DEMO_COORDINATOR, demo.DEMO_ADMIN, demo.DEMO_LEADER, demo.DEMO_STAFF}
    staff = session.scalar(select(Person).where(Person.email == demo.DEMO_STAFF))
    assert staff is not None and staff.role == "staff" and staff.manager is not None
    assert verify_password(staff.password_hash, DEMO_PASSWORD)
    assert any(demo.DEMO_LEADER in line for line in lines)
    assert all(p.email.isascii() for p in session.scalars(select(Person)))

    snapshot = sorted(
        session.execute(
            select(Person.email, Person.manager_id, Person.team_id, Person.password_hash)
        ).all()
    )
    absences = session.scalar(select(func.count()).select_from(Absence))
    again = demo.load(session, date(2026, 11, 30))
    session.commit()
    assert "(0 added now)" in again[0]
    assert (
        sorted(
            session.execute(
                select(Person.email, Person.manager_id, Person.team_id, Person.password_hash)
            ).all()
        )
        == snapshot
    )
    assert session.scalar(select(func.count()).select_from(Absence)) == absences


def test_email_for_non_ascii_names() -> None:
    assert demo.email_for("Žilvinas Kazlauskas") == "zilvinas.kazlauskas@demo.example"
    assert demo.email_for("Łukasz Øberg") == "lukasz.oberg@demo.example"
    assert demo.email_for("Zoë O'Brien") == "zoe.obrien@demo.example"
