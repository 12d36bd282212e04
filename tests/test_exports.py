"""Exports as jobs and work skipped when nothing changed: the people CSV download, the static
calendar export and the night re-render, the cheap 304 of a feed, and CLI progress lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.db import utcnow
from planner.events.operations import update_event
from planner.feeds.tokens import create_feed, feed_path, rotate_feed
from planner.jobs import enqueue
from planner.jobs.operations import INLINE_ROWS
from planner.models import Event, FeedFetch, Job
from tests import factories
from tests.conftest import SECRET
from tests.test_feeds_plan import build_plan
from tests.test_org_import import org_csv


def test_people_export_runs_as_a_job_and_offers_the_download(
    client: FlaskClient, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    factories.person(db, name="Ona Exported", email="ona@example.com", role="leader")
    db.commit()
    coordinator = login_as("coordinator")
    response = client.post("/org/export")
    assert response.status_code == 302
    job = db.scalar(select(Job).where(Job.kind == "export-people"))
    db.rollback()
    assert job is not None and job.status == "done" and job.requested_by_id == coordinator.id
    assert response.headers["Location"] == f"/jobs/{job.id}/download"
    assert "2 people exported." in job.message
    download = client.get(response.headers["Location"])
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == 'attachment; filename="people.csv"'
    text = download.data.decode("utf-8")
    assert text.startswith("\ufeffname,email,role,team,manager_email")
    assert "Ona Exported,ona@example.com,leader" in text
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert f'href="/jobs/{job.id}/download"' in page
    # Another signed-in person cannot fetch someone else's export.
    other = client.application.test_client()
    staff = factories.person(db, role="staff", password=factories.PASSWORD)
    db.commit()
    other.post("/sign-in", data={"email": staff.email, "password": factories.PASSWORD})
    assert other.get(f"/jobs/{job.id}/download").status_code == 404


def _export(runner: FlaskCliRunner, out: Path) -> str:
    result = runner.invoke(args=["export-calendars", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return result.output


def test_export_calendars_skips_feeds_when_nothing_changed(
    runner: FlaskCliRunner, db: Session, tmp_path: Path
) -> None:
    plan = build_plan(db, now=utcnow())
    create_feed(db, SECRET, scope="org", now=utcnow(), actor_id=None)
    leader = create_feed(db, SECRET, scope="person", person_id=plan.leader.id, now=utcnow(),
                         actor_id=None)  # fmt: skip
    db.commit()
    out = tmp_path / "calendars"
    first = _export(runner, out)
    assert "Wrote 2 calendar feeds" in first and "2 file(s) changed" in first
    files = sorted(out.rglob("*.ics"))
    stamps = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in files}
    again = _export(runner, out)
    assert "0 file(s) changed, 0 re-checked and unchanged, 2 skipped" in again
    assert "event pieces unchanged since the last check" in again
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in files} == stamps  # untouched
    # A change to the leader's skip-level rewrites the feeds that show it, and only those.
    event = db.scalar(select(Event).where(Event.host_id == plan.leader.id).limit(1))
    assert event is not None
    update_event(db, event, title="Skip-level in room 7", now=utcnow())
    db.commit()
    changed = _export(runner, out)
    assert "1 event piece(s) re-rendered" in changed
    leader_file = out / feed_path(SECRET, leader).removeprefix("/calendars/")
    assert b"Skip-level in room 7" in leader_file.read_bytes()
    assert leader_file.stat().st_mtime_ns != stamps[leader_file][0]


def test_the_night_render_job_skips_when_no_event_changed(app: Flask, db: Session) -> None:
    build_plan(db, now=utcnow())
    db.commit()
    messages = []
    for day in ("2026-12-01", "2026-12-02"):
        with app.app_context():
            job, _ = enqueue(db, "feeds-render", {"day": day})
            db.commit()
        db.refresh(job)
        assert job.status == "done", job.error
        messages.append(job.message)
    assert "re-rendered" in messages[0] and "Nothing changed" not in messages[0]
    assert messages[1].startswith("Nothing changed since the last check")


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """Feeds re-validated at most every minute (the fast 304 needs a fresh memo)."""
    app_config["FEED_RECHECK_SECONDS"] = 60
    app_config["FEED_FETCH_WRITE_SECONDS"] = 0
    return app_config


def test_a_matching_conditional_feed_get_is_a_cheap_304_until_the_token_rotates(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    plan = build_plan(db, now=utcnow())
    feed = create_feed(db, SECRET, scope="person", person_id=plan.leader.id, now=utcnow(),
                       actor_id=None)  # fmt: skip
    db.commit()
    path = feed_path(SECRET, feed)
    calls: list[str] = []
    app.before_request(lambda: calls.append("flask"))  # the app's own path counts here
    first = client.get(path)
    assert first.status_code == 200 and calls == ["flask"]
    etag = first.headers["ETag"]
    calls.clear()
    cheap = client.get(path, headers={"If-None-Match": etag, "User-Agent": "Google-Calendar"})
    assert cheap.status_code == 304 and cheap.data == b"" and calls == []
    assert cheap.headers["ETag"] == etag and cheap.headers["Referrer-Policy"] == "no-referrer"
    assert cheap.headers["Cache-Control"] == first.headers["Cache-Control"]
    assert "Set-Cookie" not in cheap.headers
    fetch = db.get(FeedFetch, (feed.id, "google"))
    assert fetch is not None and fetch.not_modified == 1
    db.rollback()
    # Another ETag: the app answers with the bytes.
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    assert calls == ["flask"]
    rotate_feed(db, SECRET, plan.leader, feed.id, now=utcnow())  # the owner rotates it
    db.commit()
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 404


def test_cli_import_prints_progress_lines_when_not_on_a_terminal(
    runner: FlaskCliRunner, db: Session, tmp_path: Path
) -> None:
    factories.organisation(db)
    db.commit()
    rows = INLINE_ROWS + 20
    file = tmp_path / "people.csv"
    file.write_text(org_csv(rows), encoding="utf-8")
    result = runner.invoke(args=["import-people", str(file)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Checking the file:"
    assert f"Writing people: 0/{rows}" in lines and f"Writing people: {rows}/{rows}" in lines
    assert "\r" not in result.output  # no bar redraws off a terminal
    assert lines[-1].startswith(f"Imported: {rows} added")
