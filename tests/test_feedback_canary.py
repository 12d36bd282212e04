"""SECURITY.md 13-17: a canary author raises anonymously; their id (as author), name and e-mail
must appear nowhere tied to the item: no page for any role, no export, feed, e-mail, log line,
audit row or database row of the feedback tables or its events.

Pages outside the feedback area may list the person anyway (the people list, say): for those the
count of hits must not grow once the anonymous item exists. Feedback pages must have zero hits.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import inspect, select, text

from planner.db import database
from planner.feeds.tokens import create_feed, feed_path
from planner.models import AuditEntry, Event, FeedbackItem
from tests import factories
from tests.test_feedback_support import (
    build_org,
    client_for,
    look,
    raise_via_form,
    receipt_path,
)

NAME = "Zebulon Canarywhistle"
EMAIL = "zebulon.canary@acme.test"
FEEDBACK_TABLES = (
    "feedback_item",
    "feedback_change",
    "feedback_vote",
    "feedback_unsubscription",
    "mail_preference",
)


def _hits(text_: str) -> int:
    lowered = text_.lower()
    return lowered.count(NAME.lower()) + lowered.count(EMAIL) + lowered.count("canarywhistle")


def _get_paths(app: Flask, values: dict[str, Any]) -> list[str]:
    """Every GET route that needs no unknown id, with feedback ids filled in."""
    paths = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "GET" not in (rule.methods or ()):
            continue
        if not set(rule.arguments) <= set(values.get(rule.endpoint, {})):
            continue
        with app.test_request_context():
            from flask import url_for

            paths.append(url_for(rule.endpoint, **values.get(rule.endpoint, {})))
    return sorted(set(paths))


def _crawl(app: Flask, viewers: dict[str, Any], paths: list[str]) -> dict[tuple[str, str], int]:
    """Hits per (viewer, path)."""
    counts = {}
    for role, client in viewers.items():
        for path in paths:
            response = client.get(path)
            if path.startswith("/feedback"):
                assert response.status_code < 500, (role, path)
            counts[(role, path)] = _hits(response.get_data(as_text=True))
    return counts


def test_canary_author_leaves_no_trace(app: Any, db: Any, caplog: Any, runner: Any) -> None:
    caplog.set_level(logging.DEBUG)
    org = build_org(db)
    canary = factories.person(
        db,
        role="staff",
        name=NAME,
        email=EMAIL,
        team=org.big,
        manager=org.leader,
        password=factories.PASSWORD,
    )
    voter = factories.person(db, role="staff", team=org.big, password=factories.PASSWORD)
    db.commit()
    # Feeds of everyone who might see the follow-ups (made before the first look around).
    with database(app).sessions() as s:
        now = datetime.now(UTC)
        feeds = [create_feed(s, app.config["SECRET_KEY"], scope="org", now=now, actor_id=None)]
        feeds.append(
            create_feed(
                s,
                app.config["SECRET_KEY"],
                scope="team",
                team_id=org.big.id,
                now=now,
                actor_id=None,
            )
        )
        for person in (org.leader, org.director, org.other_leader, canary):
            feeds.append(
                create_feed(
                    s,
                    app.config["SECRET_KEY"],
                    scope="person",
                    person_id=person.id,
                    now=now,
                    actor_id=None,
                )
            )
        feed_paths = [feed_path(app.config["SECRET_KEY"], f) for f in feeds]
        s.commit()
    viewers = {
        "anonymous": app.test_client(),
        "staff": client_for(app, org.staff),
        "leader": client_for(app, org.leader),
        "coordinator": client_for(app, org.coordinator),
        "admin": client_for(app, org.admin),
    }
    month = f"{date.today():%Y-%m}"
    base_values: dict[str, Any] = {
        "feedback.updates": {"month": month},
        "feedback.leader": {"person_id": org.leader.id},
    }
    before = _crawl(app, viewers, _get_paths(app, base_values))

    # The canary raises anonymously (and a second item that will be escalated).
    author = client_for(app, canary)
    raised = raise_via_form(author, org.big.id, anonymous="y", title="Scripts are outdated")
    receipt = receipt_path(raised.get_data(as_text=True))
    second = raise_via_form(author, org.small.id, anonymous="y", title="Night queue unstaffed")
    assert second.status_code == 200
    with look(app) as s:
        items = {i.title: i for i in s.scalars(select(FeedbackItem))}
    item, other = items["Scripts are outdated"], items["Night queue unstaffed"]

    # Life goes on: a vote, acknowledge, plan, escalate, close; mail goes to the log.
    client_for(app, voter).post(f"/feedback/{item.id}/vote")
    leader = viewers["leader"]
    due = (date.today() + timedelta(days=7)).isoformat()
    leader.post(f"/feedback/{item.id}/status", data={"to_status": "acknowledged", "version": "1"})
    leader.post(
        f"/feedback/{item.id}/status",
        data={"to_status": "planned", "version": "2", "owner": str(org.leader.id), "due_date": due},
    )
    later = (date.today() + timedelta(days=30)).isoformat()
    assert runner.invoke(args=["feedback-escalate", "--today", later]).exit_code == 0
    assert runner.invoke(args=["feedback-digest", "--month", month]).exit_code == 0

    # Their feeds, and the static export.
    for path in feed_paths:
        response = viewers["anonymous"].get(path)
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        assert "Scripts are outdated" not in body and "Night queue" not in body
        if "canarywhistle" in path:
            # The canary's own calendar carries their name, but nothing of the item.
            assert "/feedback/" not in body and "Follow up feedback" not in body
        else:
            assert _hits(body) == 0, path
    out = Path(app.config["CALENDAR_EXPORT_DIR"])
    assert runner.invoke(args=["export-calendars", "--out", str(out)]).exit_code == 0
    exported = list(out.rglob("*.ics"))
    assert len(exported) == len(feed_paths)
    for file in exported:
        body = file.read_text("utf-8")
        assert "Scripts are outdated" not in body
        assert _hits(body) == 0 or "/feedback/" not in body, file.name
    # The leader's feed shows the follow-up, neutrally titled.
    leader_feed = next(p for p in feed_paths if "lee-leader" in p)
    leader_body = viewers["anonymous"].get(leader_feed).get_data(as_text=True)
    assert f"Follow up feedback #{item.id}" in leader_body

    leader.post(
        f"/feedback/{item.id}/status",
        data={"to_status": "done", "version": "3", "response": "New scripts are live."},
    )

    # Every page, for every role: feedback pages zero hits, other pages no more than before.
    values = {
        **base_values,
        "feedback.item": {"item_id": item.id},
        "feedback.receipt": {"token": receipt.rsplit("/", 1)[1]},
    }
    extra = [f"/feedback/{other.id}", "/feedback/export.csv", "/feedback/?team=pool"]
    paths = [*_get_paths(app, values), *extra, f"/feedback/?team={org.big.id}"]
    after = _crawl(app, viewers, sorted(set(paths)))
    for (role, path), hits in after.items():
        if path.startswith("/feedback"):
            assert hits == 0, (role, path)
        else:
            assert hits <= before.get((role, path), 0), (role, path)
    assert any(p.startswith("/feedback/receipt/") for _, p in after)

    # Every log line (e-mail included, as SMTP_HOST is unset) and every e-mail.
    mails = [r.getMessage() for r in caplog.records if r.name == "planner.mail"]
    assert mails, "status changes and the digest should have produced e-mail"
    for record in caplog.records:
        message = record.getMessage()
        if record.name == "planner.mail" and 'subject="You said, we did"' in message:
            continue  # the digest to every staff member, the canary included, is not about the item
        if "digest" in message.lower() or "You said, we did" in message:
            continue
        assert _hits(message) == 0, message

    # Database: no author id, name or e-mail in any feedback row; nothing in events or audit.
    with look(app) as s:
        for table in FEEDBACK_TABLES:
            columns = [c["name"] for c in inspect(s.connection()).get_columns(table)]
            for row in s.execute(text(f"SELECT * FROM {table}")).mappings():
                for column in columns:
                    value = row[column]
                    if column.endswith("person_id") and table == "mail_preference":
                        continue  # a digest opt-out is about mail, not about an item
                    assert _hits(str(value)) == 0, (table, column)
                    if column.endswith("_id") and column not in (
                        "item_id",
                        "team_id",
                        "meeting_event_id",
                    ):
                        assert value != canary.id, (table, column, row)
        for anonymous_item in (s.get(FeedbackItem, item.id), s.get(FeedbackItem, other.id)):
            assert anonymous_item.author_id is None and anonymous_item.raised_at is None
            first = anonymous_item.history[0]
            assert first.actor_id is None and first.at is None
        events = list(s.scalars(select(Event).where(Event.source_kind == "feedback")))
        assert len(events) == 2  # the owner's follow-up and the escalation
        for event in events:
            assert event.host_id != canary.id
            assert _hits(event.title + event.description + (event.ics_piece or "")) == 0
            assert "Scripts" not in event.title + event.description
            assert "Night queue" not in event.title + event.description
        for entry in s.scalars(select(AuditEntry)):
            tied = str(item.id) in entry.subject + entry.detail
            assert not tied or (entry.actor_id != canary.id and _hits(entry.detail) == 0)


def test_request_logs_skip_anonymous_raises_and_receipts(app: Any) -> None:
    """An access-log line (address + time) of an anonymous raise could be matched to sign-ins."""
    werkzeug = logging.getLogger("werkzeug")
    kept = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            kept.append(record.getMessage())

    handler, level = Keep(), werkzeug.level
    werkzeug.addHandler(handler)
    werkzeug.setLevel(logging.INFO)
    try:
        for line in (
            '"POST /feedback/new HTTP/1.1" 200 -',
            '"GET /feedback/receipt/rcpt_x HTTP/1.1" 200 -',
            '"GET /feedback/ HTTP/1.1" 200 -',
        ):
            werkzeug.info("%s - - [23/Nov/2026 10:00:00] %s", "10.0.0.7", line)
    finally:
        werkzeug.removeHandler(handler)
        werkzeug.setLevel(level)
    assert kept == ['10.0.0.7 - - [23/Nov/2026 10:00:00] "GET /feedback/ HTTP/1.1" 200 -']


def test_receipt_pages_are_not_cached_or_referred(app: Any, db: Any) -> None:
    org = build_org(db)
    staff = client_for(app, org.staff)
    issued = raise_via_form(staff, org.big.id, anonymous="y")
    assert issued.headers["Cache-Control"] == "no-store"
    page = app.test_client().get(receipt_path(issued.get_data(as_text=True)))
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"


def test_sqlite_history_has_no_hidden_insertion_order(app: Any, db: Any) -> None:
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("SQLite rowids only")
    with pytest.raises(Exception, match="rowid"):
        db.execute(text("SELECT rowid FROM feedback_change")).all()
    db.rollback()


def _wal_commits(wal: bytes) -> list[bytes]:
    """The WAL's frames grouped by transaction (a commit frame ends each group)."""
    if len(wal) < 32:
        return []
    page_size = int.from_bytes(wal[8:12], "big")
    commits, current, offset = [], b"", 32
    while offset + 24 + page_size <= len(wal):
        header, page = wal[offset : offset + 24], wal[offset + 24 : offset + 24 + page_size]
        current += page
        if int.from_bytes(header[4:8], "big"):  # database size after commit: a commit frame
            commits.append(current)
            current = b""
        offset += 24 + page_size
    return commits


def _pg_dump(app: Flask) -> str | None:
    """pg_dump's data-only output of the test schema, if pg_dump is installed."""
    import shutil
    import subprocess
    from urllib.parse import unquote

    binary = shutil.which("pg_dump")
    if binary is None:
        return None
    url = app.config["DATABASE_URL"]
    schema = unquote(url).rsplit("search_path=", 1)[1]
    base = url.split("?", 1)[0].replace("postgresql+psycopg://", "postgresql://")
    done = subprocess.run(
        [binary, "--data-only", "--schema", schema, "--dbname", base],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    return done.stdout if done.returncode == 0 else None


def test_storage_order_does_not_place_anonymous_items_among_identifiable_rows(
    app: Any, db: Any, runner: Any
) -> None:
    """SECURITY.md 17a: the adversary holds the database, its WAL and dumps. Raisers sign in,
    raise anonymously and vote, interleaved with named raises (timestamped) by others; the
    anonymous items must not be placeable between those rows in any storage order."""
    org = build_org(db)
    raisers = [
        factories.person(db, role="staff", team=org.big, password=factories.PASSWORD)
        for _ in range(4)
    ]
    db.commit()
    named_client = client_for(app, org.leader)
    raise_via_form(named_client, org.big.id, title="Named zero")
    with look(app) as s:
        target = s.scalars(select(FeedbackItem)).one().id
    titles = []
    for n, raiser in enumerate(raisers):
        client = client_for(app, raiser)  # a timestamped login_attempt row
        title = f"Qzanon{n}marker"
        titles.append(title)
        raise_via_form(client, org.big.id, anonymous="y", publish=False, title=title)
        client.post(f"/feedback/{target}/vote")  # the raiser's vote, right after
        raise_via_form(named_client, org.big.id, title=f"Named {n + 1}")  # raised_at kept
    assert runner.invoke(args=["feedback-publish", "--now"]).exit_code == 0
    for raiser in raisers:  # life goes on: more sign-ins
        client_for(app, raiser)

    with look(app) as s:
        anonymous = list(s.scalars(select(FeedbackItem).where(FeedbackItem.anonymous)))
        assert sorted(i.title for i in anonymous) == titles
        dialect = s.get_bind().dialect.name
        if dialect == "postgresql":
            rows = s.execute(
                text("SELECT title, anonymous, xmin::text FROM feedback_item ORDER BY ctid")
            ).all()
            # One transaction wrote every anonymous item: one xmin, contiguous in ctid order, so
            # no timestamped named item (nor any login or vote) sits between two of them.
            assert len({xmin for _t, anon, xmin in rows if anon}) == 1
            flags = [anon for _t, anon, _x in rows]
            first, last = flags.index(True), len(flags) - 1 - flags[::-1].index(True)
            assert all(flags[first : last + 1]), [t for t, _a, _x in rows]
            assert s.execute(text("SELECT count(*) FROM feedback_pending")).scalar() == 0
    if dialect == "postgresql":
        dump = _pg_dump(app)
        if dump is not None:
            section = next(b for b in dump.split("COPY ")[1:] if b.startswith(_table(dump)))
            lines = [ln for ln in section.splitlines()[1:] if ln and ln != "\\."]
            marks = ["Qzanon" in ln for ln in lines]
            first, last = marks.index(True), len(marks) - 1 - marks[::-1].index(True)
            assert all(marks[first : last + 1]), "named rows between anonymous ones in pg_dump"
            assert all(dump.count(t) == 1 for t in titles)
        return

    # SQLite: the file itself, its WAL and an iterdump.
    import sqlite3

    path = Path(app.config["DATABASE_URL"].split("sqlite:///", 1)[1])
    wal = path.with_name(path.name + "-wal")
    raw = path.read_bytes()
    wal_bytes = wal.read_bytes() if wal.exists() else b""
    for title in titles:
        # Exactly one copy: the published row; the pending row was zeroed (secure_delete).
        assert raw.count(title.encode()) + wal_bytes.count(title.encode()) <= 2, title
        assert raw.count(title.encode()) <= 1, title
    # In the WAL, every anonymous title first appears in the same transaction (or not at all).
    commits = _wal_commits(wal_bytes)
    firsts = {next((i for i, c in enumerate(commits) if t.encode() in c), None) for t in titles}
    assert len(firsts) == 1, firsts
    with sqlite3.connect(path) as connection:
        dump_lines = list(connection.iterdump())
    connection.close()
    assert not any('INSERT INTO "feedback_pending"' in ln for ln in dump_lines)
    item_lines = [ln for ln in dump_lines if ln.startswith('INSERT INTO "feedback_item"')]
    positions = [i for i, ln in enumerate(item_lines) if "Qzanon" in ln]
    ids = [int(item_lines[i].split("VALUES(", 1)[1].split(",", 1)[0]) for i in positions]
    assert ids == sorted(ids)  # dump order is the random number, not the order of writes
    assert all(sum(t in ln for ln in dump_lines) == 1 for t in titles)


def _table(dump: str) -> str:
    """The COPY line prefix of the feedback_item table in a pg_dump output."""
    for block in dump.split("COPY ")[1:]:
        head = block.split("(", 1)[0].strip()
        if head.endswith("feedback_item"):
            return head
    raise AssertionError("feedback_item not in pg_dump output")
