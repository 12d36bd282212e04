"""Every standards page opens with real content for the roles that may see it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy.orm import Session

from planner.recognition import clock
from planner.standards import attempts, operations, shoutouts, training
from tests import factories

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)


@pytest.fixture
def content(db: Session, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """A purpose, a phrase, a suggestion, a module with a submitted attempt, a shout-out."""
    monkeypatch.setattr(clock, "today", lambda _s: date(2026, 11, 23))
    factories.organisation(db)
    team = factories.team(db, "North")
    coordinator = factories.person(db, role="coordinator")
    staff = factories.person(db, team=team, password=factories.PASSWORD)
    other = factories.person(db, team=team)
    operations.save_purpose(
        db, "We make every customer's problem our own.", author_id=None, now=NOW
    )
    entry = operations.add_entry(
        db, operations.EntryValues("nl", "Dat kan niet.", "Dat lukt helaas niet, maar…"),
        coordinator, NOW,
    )  # fmt: skip
    operations.add_entry(db, operations.EntryValues("lt", "Nežinau.", "Išsiaiškinsiu."), staff, NOW)
    module = training.save_module(db, None, training.ModuleValues(title="Saying yes"), NOW)
    question = training.save_question(
        db,
        module.id,
        None,
        training.QuestionValues("Q?", False, "Why.", (("a", True), ("b", False))),
    )
    training.save_module(
        db, module.id,
        training.ModuleValues("Saying yes", "**Own it**", 80, True, date(2026, 11, 1), (entry.id,)),
        NOW,
    )  # fmt: skip
    attempt = attempts.start_attempt(db, module.id, staff, NOW)
    attempts.submit_attempt(
        db, attempt.id, staff, {question.id: frozenset({question.choices[0].id})}, now=NOW,
        today=date(2026, 11, 23),
    )  # fmt: skip
    shout = shoutouts.give_shout_out(
        db, author=other, recipient_id=staff.id, message="Thanks for covering my shift today.",
        entry_id=entry.id, module_id=module.id, now=NOW,
    )  # fmt: skip
    cert = attempts.certificates_of(db, staff.id)[0]
    db.commit()
    return {
        "module": module.id, "question": question.id, "entry": entry.id, "attempt": attempt.id,
        "shout": shout.id, "team": team.id, "cert": cert.id, "staff": staff.id,
    }  # fmt: skip


def test_coordinator_pages(client: Any, login_as: Any, content: dict[str, int]) -> None:
    login_as("coordinator")
    for url in (
        "/standards/",
        "/standards/purpose",
        "/standards/lexicon",
        "/standards/lexicon/card?language=lt",
        "/standards/lexicon/new",
        f"/standards/lexicon/{content['entry']}",
        "/standards/lexicon/import",
        "/standards/training",
        "/standards/training/new",
        f"/standards/training/{content['module']}",
        f"/standards/training/{content['module']}/edit",
        f"/standards/training/{content['module']}/questions/new",
        f"/standards/training/{content['module']}/questions/{content['question']}",
        f"/standards/training/{content['module']}/report",
        f"/standards/attempts/{content['attempt']}",
        f"/standards/certificates/{content['cert']}",
        "/standards/shoutouts",
        f"/standards/shoutouts/team/{content['team']}",
        "/standards/shoutouts/new",
        "/recognition/scorecards",
        "/home",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    report = client.get(f"/standards/training/{content['module']}/report").get_data(as_text=True)
    assert "North" in report and "Q?" in report
    edit = client.get(f"/standards/training/{content['module']}/edit").get_data(as_text=True)
    assert 'value="2026-11"' in edit and "selected" in edit  # month and linked phrase kept


def test_staff_pages(client: Any, db: Session, content: dict[str, int], login_as: Any) -> None:
    from planner.models import Person

    staff = db.get(Person, content["staff"])
    login_as(person=staff)
    overview = client.get("/standards/").get_data(as_text=True)
    assert "This month:" in overview and "certified until" in overview.lower()
    module = client.get(f"/standards/training/{content['module']}").get_data(as_text=True)
    assert "<strong>Own it</strong>" in module and "Dat lukt helaas niet" in module
    assert "Edit module" not in module
    wall = client.get("/standards/shoutouts").get_data(as_text=True)
    assert "Thanks for covering my shift today." in wall and "Saying yes" in wall
    assert "Nominate" not in wall  # not for your own shout-out
    assert client.get(f"/standards/certificates/{content['cert']}").status_code == 200
    assert client.get(f"/standards/training/{content['module']}/report").status_code == 403
    nav = client.get("/home").get_data(as_text=True)
    assert 'href="/standards/"' in nav


def test_every_standards_post_needs_a_csrf_token(
    app_config: dict[str, Any], content: dict[str, int]
) -> None:
    from flask import Flask

    from planner import create_app
    from planner.db import database

    app: Flask = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    with database(app).sessions() as db:
        coordinator = factories.person(db, role="coordinator", password=factories.PASSWORD)
        db.commit()
        email = coordinator.email
    page = client.get("/sign-in").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(
        "/sign-in", data={"email": email, "password": factories.PASSWORD, "csrf_token": token}
    )
    values = {
        "module_id": content["module"], "question_id": content["question"],
        "entry_id": content["entry"], "attempt_id": content["attempt"],
        "shout_id": content["shout"],
    }  # fmt: skip
    posts = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("standards.") and "POST" in (rule.methods or ())
    ]
    assert len(posts) >= 10
    for rule in posts:
        url = rule.build({k: v for k, v in values.items() if k in rule.arguments})[1]
        assert client.post(url, data={"text": "x"}).status_code == 400, url
    database(app).engine.dispose()
