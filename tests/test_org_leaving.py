"""Leaving is recorded, not deleted: end dates on the person page, the hourly job, pickers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import InvalidInput, NotAllowed
from planner.jobs.operations import enqueue
from planner.models import AuditEntry, Job, Person, Praise
from planner.org import operations
from planner.org.leaving import record_leavers
from planner.org.settings import local_today
from tests import factories


def _change(person: Person, **values: Any) -> operations.PersonChange:
    base = {"name": person.name, "email": person.email, "role": person.role,
            "team_id": person.team_id, "manager_email": "", "active": person.active}  # fmt: skip
    return operations.PersonChange(**{**base, **values})


def test_an_end_date_that_has_come_deactivates_and_keeps_history(session: Session) -> None:
    coordinator = factories.person(session, role="coordinator")
    staff = factories.person(session, name="Dee")
    session.add(Praise(person_id=staff.id, received_on=date(2026, 3, 2), channel="email",
                       quote="Great help", quote_key="q1"))  # fmt: skip
    today = local_today(session)
    operations.update_person(session, staff.id, _change(staff, end_date=today), actor=coordinator)
    assert not staff.active and staff.end_date == today
    assert session.scalars(select(Praise.quote).where(Praise.person_id == staff.id)).all() == [
        "Great help"
    ]
    assert session.scalar(select(AuditEntry.action).where(AuditEntry.action == "left")) == "left"
    later = factories.person(session, name="Kim")
    operations.update_person(
        session, later.id, _change(later, end_date=today + timedelta(days=30)), actor=coordinator
    )
    assert later.active  # still here until then


def test_bad_employment_dates_are_refused(session: Session) -> None:
    coordinator = factories.person(session, role="coordinator")
    staff = factories.person(session)
    with pytest.raises(InvalidInput, match="must come after the start date"):
        operations.update_person(
            session,
            staff.id,
            _change(staff, start_date=date(2026, 5, 1), end_date=date(2026, 5, 1)),
            actor=coordinator,
        )
    with pytest.raises(NotAllowed, match="your own leaving"):
        operations.update_person(
            session,
            coordinator.id,
            _change(coordinator, end_date=local_today(session)),
            actor=coordinator,
        )


def test_the_job_records_leavers_on_their_end_date(app: Flask, db: Session) -> None:
    gone = factories.person(db, name="Gus")
    gone.end_date = date(2026, 8, 15)
    stays = factories.person(db, name="Ana")
    stays.end_date = date(2099, 1, 1)
    db.commit()
    with app.app_context():
        job, _created = enqueue(db, "org-record-leavers", {"day": "2026-08-15"})
        db.commit()
    db.refresh(job)
    assert (job.status, job.message) == ("done", "1 person recorded as having left.")
    db.refresh(gone)
    db.refresh(stays)
    assert not gone.active and stays.active
    assert record_leavers(db, date(2026, 8, 16)) == []  # nothing twice
    db.rollback()
    assert db.query(Job).count() == 1


def test_the_person_page_records_leaving_and_pickers_drop_them(
    client: Any, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    login_as("coordinator")
    staff = factories.person(db, name="Dee Parting")
    db.commit()
    page = client.get(f"/org/people/{staff.id}").get_data(as_text=True)
    assert 'name="end_date"' in page and 'name="start_date"' in page
    search = "/people/search?pool=people&q=Dee"  # what the praise form's person picker asks
    assert "Dee Parting" in client.get(search).get_data(as_text=True)
    today = date.today()
    response = client.post(
        f"/org/people/{staff.id}/edit",
        data={"name": staff.name, "email": staff.email, "role": "staff", "team_id": "",
              "manager_email": "", "active": "y", "start_date": "2020-01-06",
              "end_date": (today - timedelta(days=1)).isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(f"/org/people/{staff.id}").get_data(as_text=True)
    assert "Left the organisation (history kept)" in page
    assert "Dee Parting" not in client.get(search).get_data(as_text=True)
    bad = client.post(
        f"/org/people/{staff.id}/edit",
        data={"name": staff.name, "email": staff.email, "role": "staff", "team_id": "",
              "manager_email": "", "start_date": "2020-01-06", "end_date": "2019-01-01"},
    )  # fmt: skip
    assert bad.status_code == 422
    assert "must come after the start date" in bad.get_data(as_text=True)
