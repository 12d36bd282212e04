"""Teams/Slack posts go through the job queue: one job per channel, sent when the triggering
change commits, retried while the channel is down, failed for good on a refusal, and the
monthly update runs on the 1st without being sent twice."""

from __future__ import annotations

import json
import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.api import jobs as api_jobs
from planner.api import notify, operations
from planner.api.payloads import Announcement
from planner.feedback import lifecycle
from planner.jobs import retry
from planner.jobs.periodic import run_periodic
from planner.jobs.registry import PERIODIC
from planner.models import Job, NotifyTarget
from tests import factories
from tests.notify_receiver import receiver

NOTE = Announcement(topic="team_thanks", title="Thank you, Billing!", text="Well done.")


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """Loopback webhook URLs are allowed in these tests (the local receiver)."""
    return {**app_config, "API_NOTIFY_ALLOW_LOOPBACK": True}


def _channel(db: Session, url: str, kind: str = "slack", topic: str = "team_thanks") -> int:
    if db.get(NotifyTarget, 1) is None and not db.scalars(select(NotifyTarget)).first():
        factories.organisation(db)
    actor = factories.person(db, role="coordinator")
    target = operations.add_target(
        db, actor, kind=kind, name=f"#{kind}-{topic}", url=url, topics=[topic],
        allow_loopback=True, now=datetime.now(UTC),
    )  # fmt: skip
    db.commit()
    return target.id


def _posts(db: Session) -> list[Job]:
    db.rollback()
    return list(db.scalars(select(Job).where(Job.kind == "notify-chat").order_by(Job.id)))


def test_nothing_is_posted_until_the_change_commits(app: Flask, db: Session) -> None:
    with receiver() as got:
        _channel(db, got.url("slack"))
        with app.app_context():
            assert notify.announce(db, NOTE, app=app) == 1
            db.rollback()  # the change that was to be announced did not happen
        assert got.received == [] and _posts(db) == []
        with app.app_context():
            notify.announce(db, NOTE, app=app)
            db.commit()
    assert [kind for kind, _p, problems in got.received if not problems] == ["slack"]
    (post,) = _posts(db)
    assert post.status == "done" and post.attempts == 1
    assert json.loads(post.input_json)["payload"]["text"].startswith("Thank you, Billing!")


def test_a_channel_that_is_down_is_tried_again_by_the_queue(app: Flask, db: Session) -> None:
    with receiver() as got:
        target_id = _channel(db, got.url("teams"), kind="teams")
        got.statuses = [503, 429]  # down, then too busy, then it takes it
        with app.app_context():
            notify.announce(db, NOTE, app=app)
            db.commit()
    (post,) = _posts(db)
    assert post.status == "done" and post.attempts == 3 and len(got.received) == 3
    target = db.get(NotifyTarget, target_id)
    assert target is not None and target.last_sent_at is not None and target.failures == 0


def test_a_channel_down_for_good_fails_in_words_and_can_be_retried(app: Flask, db: Session) -> None:
    with receiver() as got:
        target_id = _channel(db, got.url("slack"))
        got.statuses = [503] * (api_jobs.RETRIES + 1)
        with app.app_context():
            notify.announce(db, NOTE, app=app)
            db.commit()
        (post,) = _posts(db)
        assert post.status == "failed" and post.attempts == api_jobs.RETRIES + 1
        assert "#slack-team_thanks did not take the message: HTTP 503" in post.error
        target = db.get(NotifyTarget, target_id)
        assert target is not None
        assert target.last_error == "HTTP 503" and target.failures == api_jobs.RETRIES + 1
        with app.app_context():  # the channel is back: Retry on the Jobs page
            retry(db, post.id, requested_by=None, app=app)
            db.commit()
    again = _posts(db)[-1]
    assert again.status == "done" and again.retry_of_id == post.id
    assert len(got.received) == api_jobs.RETRIES + 2


def test_a_refused_message_is_not_retried(app: Flask, db: Session) -> None:
    with receiver() as got:
        _channel(db, got.url("slack"))
        got.statuses = [400]
        with app.app_context():
            notify.announce(db, NOTE, app=app)
            db.commit()
    (post,) = _posts(db)
    assert post.status == "failed" and post.attempts == 1 and len(got.received) == 1
    assert "HTTP 400" in post.error


def test_a_channel_removed_meanwhile_gets_nothing(app: Flask, db: Session) -> None:
    with receiver() as got:
        target_id = _channel(db, got.url("slack"))
        with app.app_context():
            notify.announce(db, NOTE, app=app)
            target = db.get(NotifyTarget, target_id)
            assert target is not None
            target.active = False
            db.commit()
    (post,) = _posts(db)
    assert post.status == "done" and "nothing was sent" in post.message
    assert got.received == []


def _closed_item(db: Session, month: date) -> None:
    """One item raised and closed with a response in that month."""
    team = factories.team(db, f"Phones {month:%m}")
    owner = factories.person(db, role="leader", team=team)
    author = factories.person(db, name="Sam Staff", team=team, manager=owner)
    day = month.replace(day=10)
    when = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    item = lifecycle.raise_item(
        db, author=author, title="Refunds take three weeks", details="Customers call back.",
        category="tools", team_id=team.id, anonymous=False, idempotency_key=secrets.token_hex(16),
        now=when, today=day,
    ).item  # fmt: skip
    assert item is not None
    steps: list[tuple[str, dict[str, Any]]] = [
        ("acknowledged", {}),
        ("planned", {"owner_id": owner.id, "due_date": day + timedelta(days=7)}),
        ("done", {"response": "Refunds are now paid in 3 days."}),
    ]
    for to_status, extra in steps:
        lifecycle.change_status(
            db, item, actor=owner, to_status=to_status, expected_version=item.version,
            now=when, today=day, **extra,
        )  # fmt: skip
    db.commit()


def test_the_monthly_update_runs_on_the_first_and_only_once(app: Flask, db: Session) -> None:
    with receiver() as got:
        _channel(db, got.url("teams"), kind="teams", topic="monthly_update")
        _channel(db, got.url("slack"), kind="slack", topic="monthly_update")
        _channel(db, got.url("slack"), kind="slack", topic="team_thanks")  # not this one
        _closed_item(db, date(2026, 11, 1))
        first_of_december = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
        entry = PERIODIC["api-announce-month"]
        assert entry.schedule.matches(first_of_december)
        assert not entry.schedule.matches(datetime(2026, 12, 2, 8, 0, tzinfo=UTC))
        assert run_periodic(app, entry, first_of_december) is not None
        assert run_periodic(app, entry, first_of_december) is None  # twice: sent once
    assert sorted(kind for kind, _p, problems in got.received if not problems) == [
        "slack",
        "teams",
    ]
    assert len(got.received) == 2
    texts = [json.dumps(payload) for _k, payload, _p in got.received]
    assert all("Refunds are now paid in 3 days." in text for text in texts)
    assert all("Sam Staff" not in text for text in texts)  # who raised it is never said


def test_the_monthly_update_is_in_the_organisations_language(app: Flask, db: Session) -> None:
    with receiver() as got:
        _channel(db, got.url("slack"), topic="monthly_update")
        factories.organisation(db).locale = "nl-NL"
        db.commit()
        run_periodic(app, PERIODIC["api-announce-month"], datetime(2026, 12, 1, 8, tzinfo=UTC))
    (_kind, payload, problems) = got.received[0]
    assert problems == []
    assert "november 2026" in payload["blocks"][0]["text"]["text"]
    assert "You said" not in json.dumps(payload)


def test_the_command_posts_another_month_now(app: Flask, db: Session, runner: Any) -> None:
    with receiver() as got:
        _channel(db, got.url("teams"), kind="teams", topic="monthly_update")
        _closed_item(db, date(2026, 10, 1))
        result = runner.invoke(args=["api-announce-month", "--month", "2026-10"])
    assert result.exit_code == 0, result.output
    assert "Update for 2026-10: sent to 1 of 1 channel(s)." in result.output
    assert "Refunds are now paid" in json.dumps(got.received[0][1])
