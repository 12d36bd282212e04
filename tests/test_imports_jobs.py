"""Large people and praise imports run as jobs, on a real queue (SQLite file and Redis): the
upload shows the job's progress page, a second upload shows the running job, the result (or
every bad line) appears when it ends, and a failed import is retried from the kept file."""

from __future__ import annotations

import io
import json
import os
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from huey import RedisHuey
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from planner.jobs.commands import consumer_beside
from planner.jobs.operations import INLINE_ROWS
from planner.models import Job, Praise
from tests import factories
from tests.jobs_helpers import wait_for_status
from tests.test_jobs_queue import REDIS_URL, _redis_up
from tests.test_org_import import count_people, org_csv


@pytest.fixture(params=["sqlite", "redis"])
def app_config(app_config: dict[str, Any], tmp_path: Path, request: Any) -> Iterator[dict]:
    """The test configuration with a real queue (no consumer until a test starts one)."""
    name = f"planner-test-{uuid.uuid4().hex[:8]}"
    if request.param == "sqlite":
        app_config["JOBS_URL"] = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    else:
        if not _redis_up():
            give_up = pytest.fail if os.environ.get("PLANNER_REQUIRE_REDIS") else pytest.skip
            give_up(f"Redis is not reachable at {REDIS_URL}")
        app_config["JOBS_URL"], app_config["JOBS_NAME"] = REDIS_URL, name
    yield app_config
    if request.param == "redis":
        RedisHuey(name, url=REDIS_URL).storage.flush_all()


def post_file(client: Any, url: str, data: bytes) -> Any:
    """Post a file as a browser does."""
    boundary, body = encode_multipart(MultiDict({"file": FileStorage(io.BytesIO(data), "f.csv")}))
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def job_id_of(response: Any) -> int:
    """The job a redirect points at."""
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    location = response.headers["Location"]
    assert location.startswith("/jobs/"), location
    return int(location.removeprefix("/jobs/"))


def test_a_large_people_file_is_imported_by_a_job_with_a_progress_page(
    app: Flask, client: Any, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    db.commit()
    login_as("coordinator")
    rows = INLINE_ROWS + 50
    job_id = job_id_of(post_file(client, "/org/import", org_csv(rows).encode()))
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "<progress" in page and 'http-equiv="refresh"' in page and "jobs.js" in page
    assert "Waiting for a worker" in page
    # A second upload (another file) while the first waits shows the first one.
    again = post_file(client, "/org/import", org_csv(5).encode())
    assert job_id_of(again) == job_id
    assert "already running" in client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert count_people(db) == 1  # nothing imported yet
    with consumer_beside(app, periodic=False):
        done = wait_for_status(db, job_id, {"done", "failed"})
    assert done.status == "done", done.error
    assert (done.progress_done, done.progress_total) == (rows, rows)
    assert count_people(db) == rows + 1
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert f"Imported: {rows} added, 0 updated, 0 unchanged." in page
    assert "http-equiv" not in page and 'href="/org/people"' in page
    assert "file" not in json.loads(done.input_json)  # done: the upload is not kept twice


def test_a_failed_import_lists_every_bad_line_and_retries_from_the_kept_file(
    app: Flask, client: Any, db: Session, login_as: Any
) -> None:
    login_as("coordinator")
    text = org_csv(INLINE_ROWS + 10)
    lines = text.splitlines()
    lines[3] = lines[3].replace("staff", "boss")
    lines[7] = ",".join([*lines[7].split(",")[:4], "late.manager@example.com"])
    job_id = job_id_of(post_file(client, "/org/import", ("\n".join(lines) + "\n").encode()))
    with consumer_beside(app, periodic=False):
        failed = wait_for_status(db, job_id, {"done", "failed"})
        assert failed.status == "failed"
        page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
        assert "2 problems found" in page
        assert "Line 4: role is “boss”" in page
        assert "Line 8: manager late.manager@example.com is neither" in page
        assert count_people(db) == 1  # all or nothing
        # Fix one problem in the database; the other stays: the retry fails again, same file.
        factories.person(db, role="leader", email="late.manager@example.com")
        db.commit()
        assert client.post(f"/jobs/{job_id}/retry").status_code == 302
        retried = db.scalar(select(Job.id).where(Job.retry_of_id == job_id))
        db.rollback()
        assert retried is not None
        again = wait_for_status(db, retried, {"done", "failed"})
        assert again.status == "failed" and "1 problem found" in again.error
        assert again.input_json == failed.input_json  # the upload was kept, not re-sent
    assert count_people(db) == 2


def test_a_large_praise_file_is_imported_by_a_job(
    app: Flask, client: Any, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    leader = factories.person(db, role="leader")
    staff = [factories.person(db, role="staff", manager=leader) for _ in range(3)]
    db.commit()
    login_as("coordinator")
    day = date.today() - timedelta(days=3)
    rows = [f"{staff[i % 3].email},{day},email,Thanks for call {i},C{i}" for i in range(320)]
    data = ("email,received_on,channel,quote,customer_name\n" + "\n".join(rows)).encode()
    job_id = job_id_of(post_file(client, "/recognition/praise/import", data))
    assert "<progress" in client.get(f"/jobs/{job_id}").get_data(as_text=True)
    db.rollback()
    with consumer_beside(app, periodic=False):
        done = wait_for_status(db, job_id, {"done", "failed"})
    assert done.status == "done", done.error
    assert "Imported 320 praise; 0 were already there." in done.message
    assert db.scalar(select(func.count(Praise.id))) == 320
    db.rollback()
