"""Outgoing notifications: Teams and Slack payloads as the products document them, checked by a
local receiver; bounded retries; webhook URLs limited to https and public addresses (SSRF)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.api import notify, operations
from planner.api.payloads import Announcement, slack_message, teams_message
from planner.api.urls import resolve_checked, url_problem
from planner.models import NotifyTarget
from planner.recognition import stars
from tests import factories
from tests.notify_receiver import receiver, slack_problems, teams_problems

NOTE = Announcement(
    topic="team_thanks",
    title="Thank you, Billing <team>!",
    text="You & me: <!channel> *great*",
    facts=(("From", "Cora"),) * 12,
    link="https://planner.example/recognition",
)


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """Loopback webhook URLs are allowed in these tests (the local receiver)."""
    return {**app_config, "API_NOTIFY_ALLOW_LOOPBACK": True}


def test_payloads_follow_each_products_format() -> None:
    assert teams_problems(teams_message(NOTE)) == []
    slack = slack_message(NOTE)
    assert slack_problems(slack) == []
    assert "&lt;!channel&gt;" in slack["blocks"][1]["text"]["text"]  # no channel-wide ping
    assert len(slack["blocks"][2]["fields"]) == 10
    long_title = Announcement(topic="t", title="x" * 400, text="y" * 5000)
    assert slack_problems(slack_message(long_title)) == []


def test_the_receiver_refuses_what_the_products_would(app: Flask) -> None:
    assert teams_problems(slack_message(NOTE)) and slack_problems(teams_message(NOTE))
    with receiver() as got:
        outcome = notify.deliver(
            got.url("teams"), {"text": "legacy"}, allow_loopback=True, sleep=lambda _s: None
        )
    assert not outcome.ok and outcome.status == 400 and outcome.attempts == 1


def test_deliver_retries_server_errors_and_429_a_bounded_number_of_times() -> None:
    waits: list[float] = []
    with receiver() as got:
        got.statuses = [500, 429]
        ok = notify.deliver(
            got.url("slack"), slack_message(NOTE), allow_loopback=True, sleep=waits.append
        )
        got.statuses = [503, 503, 503, 503]
        failed = notify.deliver(
            got.url("slack"), slack_message(NOTE), allow_loopback=True, sleep=waits.append
        )
    assert ok.ok and ok.attempts == 3
    assert waits[:2] == [0.5, 1.0]  # backoff, then the receiver's Retry-After
    assert not failed.ok and failed.attempts == notify.ATTEMPTS and failed.error == "HTTP 503"
    assert len(got.received) == 3 + notify.ATTEMPTS


def test_network_errors_are_retried_then_reported() -> None:
    with receiver() as got:
        url = got.url("teams")
    outcome = notify.deliver(url, teams_message(NOTE), allow_loopback=True, sleep=lambda _s: None)
    assert not outcome.ok and outcome.attempts == notify.ATTEMPTS
    assert outcome.error.startswith("network error")


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://hooks.slack.com/services/x", False),
        ("http://hooks.slack.com/services/x", True),  # http only to loopback, even in tests
        ("https://10.0.0.7/hook", False),
        ("https://192.168.1.1/hook", True),
        ("https://169.254.169.254/latest/meta-data", True),
        ("https://[fe80::1]/hook", True),
        ("https://[::ffff:10.0.0.1]/hook", True),
        ("https://127.0.0.1/hook", False),
        ("https://localhost/hook", False),
        ("http://127.0.0.1:9/hook", False),
        ("https://user:pw@example.com/hook", False),
        ("ftp://example.com/hook", False),
        ("https://" + "a" * 2000 + ".com", False),
    ],
)
def test_webhook_urls_must_be_https_to_public_addresses(url: str, loopback: bool) -> None:
    assert url_problem(url, allow_loopback=loopback) is not None
    outcome = notify.deliver(url, {}, allow_loopback=loopback, sleep=lambda _s: None)
    assert not outcome.ok and outcome.status is None and outcome.attempts == 1


def test_names_that_resolve_to_internal_addresses_are_refused() -> None:
    assert url_problem("https://localhost/hook", allow_loopback=True) is None
    with pytest.raises(ValueError, match="loopback"):
        resolve_checked("localhost", 443, allow_loopback=False)
    assert resolve_checked("localhost", 443, allow_loopback=True) in ("127.0.0.1", "::1")


def _targets(db: Session, got: Any, topic: str) -> None:
    factories.organisation(db)
    actor = factories.person(db, role="coordinator")
    now = datetime.now(UTC)
    for kind in ("teams", "slack"):
        operations.add_target(
            db,
            actor,
            kind=kind,
            name=f"#{kind}",
            url=got.url(kind),
            topics=[topic],
            allow_loopback=True,
            now=now,
        )
    db.commit()


def test_a_thank_you_from_the_page_reaches_teams_and_slack(
    app: Flask, client: Any, db: Session, login_as: Any
) -> None:
    with receiver() as got:
        _targets(db, got, "team_thanks")
        team = factories.team(db, "Billing")
        db.commit()
        login_as("coordinator")
        response = client.post(
            "/integrations/thanks",
            data={"team": str(team.id), "message": "You <3 customers & it shows"},
        )
        assert response.status_code == 302
    assert sorted(kind for kind, _p, _e in got.received) == ["slack", "teams"]
    assert all(problems == [] for _k, _p, problems in got.received)
    db.expire_all()
    assert all(t.last_sent_at is not None for t in db.scalars(select(NotifyTarget)))
    db.rollback()


def test_an_approved_service_star_is_announced(
    app: Flask, client: Any, db: Session, login_as: Any
) -> None:
    with receiver() as got:
        _targets(db, got, "star_approved")
        team = factories.team(db, "Phones")
        manager = factories.person(db, role="leader", password=factories.PASSWORD)
        nominee = factories.person(db, name="Sky Star", team=team, manager=manager)
        nomination = stars.nominate(
            db,
            nominee_id=nominee.id,
            nominator=manager,
            reason="Saved the day for a customer.",
            now=datetime.now(UTC),
        )
        db.commit()
        login_as(person=manager)
        month = date.today().replace(day=1)
        response = client.post(
            f"/recognition/stars/nominations/{nomination.id}",
            data={"approve": "Approve", "month": f"{month:%Y-%m}"},
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:400]
    assert len(got.received) == 2
    assert all(
        "Sky Star" in str(payload) and not problems for _k, payload, problems in got.received
    )


def test_the_page_refuses_unsafe_urls(client: Any, login_as: Any) -> None:
    login_as("coordinator")
    page = client.post(
        "/integrations/targets",
        data={
            "kind": "slack",
            "name": "#x",
            "url": "https://10.1.2.3/hook",
            "topics": ["team_thanks"],
        },
    )
    assert page.status_code == 400 and "private" in page.get_data(as_text=True)
