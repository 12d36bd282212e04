"""Periodic jobs: the schedule, runs recorded on the Jobs page, each safe to run twice."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Flask

from planner.jobs import schedule
from planner.jobs.periodic import run_periodic
from planner.jobs.registry import PERIODIC, load_all
from planner.models import Job
from tests import factories


def test_schedules_match_and_find_the_next_run() -> None:
    morning = schedule.daily(6, 0, (0, 1, 2, 3, 4))
    friday = datetime(2026, 12, 4, 7, 0, tzinfo=UTC)
    assert morning.next_after(friday) == datetime(2026, 12, 7, 6, 0, tzinfo=UTC)  # Monday
    assert morning.matches(datetime(2026, 12, 7, 6, 0)) and not morning.matches(friday)
    first = schedule.monthly(1, 7)
    assert first.next_after(friday) == datetime(2027, 1, 1, 7, 0, tzinfo=UTC)
    tens = schedule.every_minutes(10)
    assert tens.next_after(datetime(2026, 12, 4, 7, 3, tzinfo=UTC)).minute == 10
    assert tens.words() == "every 10 minutes"
    assert morning.words() == "Mon–Fri at 06:00 UTC"


def test_the_schedule_replaces_cron() -> None:
    load_all()
    assert {
        "feedback-escalate", "feedback-digest", "feedback-publish", "feeds-render", "feeds-expire"
    } <= set(PERIODIC)  # fmt: skip


def test_a_periodic_job_for_the_same_period_runs_once(app: Flask, db: Any) -> None:
    factories.organisation(db)
    db.commit()
    load_all()
    monday = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
    first = run_periodic(app, PERIODIC["feedback-escalate"], monday)
    assert first is not None
    assert run_periodic(app, PERIODIC["feedback-escalate"], monday) is None  # twice: once
    jobs = db.query(Job).all()
    assert [(j.kind, j.status, j.periodic) for j in jobs] == [("feedback-escalate", "done", True)]
    assert jobs[0].message == "Escalated 0 item(s)."
    db.commit()
    saturday = datetime(2026, 12, 5, 6, 0, tzinfo=UTC)
    weekend = run_periodic(app, PERIODIC["feedback-escalate"], saturday)
    assert weekend is not None
    assert db.get(Job, weekend.id).message == "2026-12-05 is not a working day: nothing escalated."


def test_the_jobs_page_shows_last_run_next_run_and_failures(
    app: Flask, db: Any, client: Any, login_as: Any
) -> None:
    factories.organisation(db)
    db.commit()
    load_all()
    run_periodic(app, PERIODIC["feedback-digest"], datetime(2026, 12, 1, 7, 0, tzinfo=UTC))
    db.add(Job(kind="feeds-render", dedupe_key="x", status="failed", periodic=True,
               error="The disk is full."))  # fmt: skip
    db.commit()
    login_as("coordinator")
    page = client.get("/jobs/").get_data(as_text=True)
    assert "Monthly &#34;you said, we did&#34; digest" in page
    assert "Digest for 2026-11: 0 of 0 e-mail(s) sent." in page
    assert "on day 1 of each month at 07:00 UTC" in page
    assert "Failed:</strong> The disk is full." in page
    assert "every 10 minutes" in page


def test_job_messages_are_written_in_the_requesters_language(app: Flask, db: Any) -> None:
    from planner.jobs import enqueue

    factories.organisation(db, locale="nl-NL")
    lithuanian = factories.person(db, role="coordinator")
    lithuanian.language = "lt"
    db.commit()
    load_all()
    periodic = run_periodic(
        app, PERIODIC["feedback-escalate"], datetime(2026, 12, 7, 6, tzinfo=UTC)
    )
    assert periodic is not None
    with app.app_context():
        asked, _created = enqueue(
            db, "feedback-escalate", {"day": "2026-12-08"}, requested_by=lithuanian.id
        )
        db.commit()
    db.expire_all()
    assert (
        db.get(Job, periodic.id).message == "Aantal geëscaleerde punten: 0."
    )  # the organisation's
    assert db.get(Job, asked.id).message == "Perduota klausimų: 0."  # the requester's own
