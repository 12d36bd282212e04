"""Anonymity over the API (SECURITY.md 13-17): a canary author raises anonymously (and in their
own name); their name and e-mail never appear in any answer of the feedback, events, plan or
scorecard operations, before or after the pool is published and the item is planned with a
follow-up. The people operations list the canary as a person, as the people page does: there the
number of hits must not grow once the items exist."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.feedback import lifecycle, publishing
from planner.models import FeedbackItem
from tests import factories
from tests.api_helpers import bearer, token_for
from tests.test_feedback_support import build_org

NAME = "Zebulon Canarywhistle"
EMAIL = "zebulon.canary@acme.test"
PEOPLE_PATHS = ("/api/v1/people", "/api/v1/people?limit=200", "/api/v1/teams")


def _hits(text: str) -> int:
    lowered = text.lower()
    return lowered.count(NAME.lower()) + lowered.count(EMAIL) + lowered.count("canarywhistle")


def _get_paths(app: Flask) -> list[str]:
    """Every GET operation of the API (with a few filters), from the OpenAPI document."""
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    paths = [p for p, ops in document["paths"].items() if "get" in ops and "{" not in p]
    extra = [
        "/api/v1/feedback?status=new",
        "/api/v1/feedback?status=open&limit=1",
        "/api/v1/feedback?status=planned",
        "/api/v1/events?kind=follow_up",
    ]
    return sorted({*paths, *extra, *PEOPLE_PATHS, "/api/v1/openapi.json", "/api/v1/docs"})


def _crawl(client: Any, token: str, paths: list[str]) -> dict[str, int]:
    found = {}
    for path in paths:
        response = client.get(path, headers=bearer(token))
        assert response.status_code == 200, (path, response.get_data(as_text=True)[:300])
        found[path] = _hits(response.get_data(as_text=True))
    return found


def test_the_canary_never_appears_in_any_api_answer(app: Flask, client: Any, db: Session) -> None:
    org = build_org(db)
    canary = factories.person(
        db, role="staff", name=NAME, email=EMAIL, team=org.big, manager=org.leader
    )
    db.commit()
    token = token_for(db, owner=org.coordinator)
    paths = _get_paths(app)
    before = _crawl(client, token, paths)
    assert all(before[p] == 0 for p in paths if p not in PEOPLE_PATHS)
    assert before["/api/v1/people?limit=200"] > 0  # listed as a person, as on the people page

    now, today = datetime.now(UTC), date.today()
    for anonymous in (True, True, True, False):
        lifecycle.raise_item(
            db,
            author=canary,
            title="The queue tool freezes at noon",
            details="Every day.",
            category="tools",
            team_id=org.big.id,
            anonymous=anonymous,
            idempotency_key=secrets.token_hex(16),
            now=now,
            today=today,
        )
    db.commit()
    pending = _crawl(client, token, paths)
    publishing.publish_pending(db, now=now, today=today, force=True)
    db.commit()
    items = list(db.scalars(select(FeedbackItem)))
    assert len(items) == 4 and sum(i.anonymous for i in items) == 3
    item = next(i for i in items if i.anonymous)
    for to_status, extra in (
        ("acknowledged", {}),
        ("planned", {"owner_id": org.leader.id, "due_date": today + timedelta(days=14)}),
    ):
        lifecycle.change_status(
            db,
            item,
            actor=org.leader,
            to_status=to_status,
            expected_version=item.version,
            now=now,
            today=today,
            **extra,
        )
        db.commit()
    published = _crawl(client, token, paths)
    board = client.get("/api/v1/feedback?limit=200", headers=bearer(token)).get_json()
    assert board["total"] == 4 and all("author" not in i for i in board["items"])
    for crawl in (pending, published):
        assert {p: n for p, n in crawl.items() if p not in PEOPLE_PATHS and n} == {}
        assert all(crawl[p] == before[p] for p in PEOPLE_PATHS)
