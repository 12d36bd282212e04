"""Shared helpers of the feedback tests (no tests here): an organisation with people, sign-in,
raising an item through the pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.db import database
from planner.models import FeedbackItem, Person, Team
from tests import factories


@dataclass
class Org:
    """A small organisation: a big team (6 people), a small one (3), their leaders."""

    big: Team
    small: Team
    director: Person
    leader: Person
    other_leader: Person
    staff: Person
    coordinator: Person
    admin: Person


def build_org(db: Session) -> Org:
    """Create the organisation (committed), with logins for everyone named in Org."""
    factories.organisation(db, time_zone="Europe/Amsterdam", country="NL")
    big, small = factories.team(db, "Billing"), factories.team(db, "Night shift")
    pw = factories.PASSWORD
    director = factories.person(db, role="leader", name="Dana Director", password=pw)
    leader = factories.person(
        db, role="leader", name="Lee Leader", manager=director, team=None, password=pw
    )
    other = factories.person(db, role="leader", name="Olly Other", manager=director, password=pw)
    staff = factories.person(
        db, role="staff", name="Sam Staff", team=big, manager=leader, password=pw
    )
    for n in range(5):
        factories.person(db, role="staff", name=f"Big Member {n}", team=big, manager=leader)
    for n in range(3):
        factories.person(db, role="staff", name=f"Small Member {n}", team=small, manager=other)
    coordinator = factories.person(db, role="coordinator", name="Cora Coordinator", password=pw)
    admin = factories.person(db, role="admin", name="Ada Admin", password=pw)
    db.commit()
    return Org(big, small, director, leader, other, staff, coordinator, admin)


def client_for(app: Flask, person: Person) -> FlaskClient:
    """A separate browser session signed in as this person."""
    client = app.test_client()
    response = client.post("/sign-in", data={"email": person.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    return client


def form_key(client: FlaskClient, path: str = "/feedback/new") -> str:
    """The idempotency key of a freshly loaded raise form."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="idempotency_key"', html
    )
    assert match, html[:2000]
    return match.group(1)


def publish_now(app: Flask) -> int:
    """Publish the pool of pending anonymous raises at once (`planner feedback-publish --now`)."""
    from planner.db import utcnow
    from planner.feedback.publishing import publish_pending

    with look(app) as session:
        published = publish_pending(session, now=utcnow(), today=date.today(), force=True)
        session.commit()
    return published


def raise_via_form(
    client: FlaskClient, team_id: int, *, publish: bool = True, **fields: Any
) -> Any:
    """Load the form, fill it in and send it; returns the response. An anonymous raise is
    followed to its receipt page (the response returned) and, with `publish`, published."""
    data = {
        "title": "Refund tool times out",
        "details": "The refund screen spins for minutes.",
        "category": "tools",
        "team": str(team_id),
        "idempotency_key": form_key(client),
        **fields,
    }
    response = client.post("/feedback/new", data=data)
    if response.status_code == 303 and response.location.endswith("/feedback/received"):
        response = client.get("/feedback/received")
        if publish:
            publish_now(client.application)
    return response


def receipt_path(html: str) -> str:
    """The receipt link shown once after an anonymous raise."""
    match = re.search(r'href="(/feedback/receipt/[^"]+)"', html)
    assert match, html[:2000]
    return match.group(1)


@contextmanager
def look(app: Flask) -> Iterator[Session]:
    """A short-lived session for checking what the app committed; closing it releases SQLite's
    lock (a long-lived read transaction would block the app's writes)."""
    session = database(app).sessions()
    try:
        yield session
    finally:
        session.close()


def only_item(app: Flask) -> FeedbackItem:
    """The single feedback item in the database (detached, fresh)."""
    with look(app) as session:
        items = list(session.scalars(select(FeedbackItem)))
    assert len(items) == 1
    return items[0]
