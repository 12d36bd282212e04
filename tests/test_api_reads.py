"""Praise and scorecard writes, and the reads for BI: events by date and kind, scorecard values,
the plan's status; all through the same rules as the pages and the CSV imports."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.events.operations import AllDay, Timed, create_event
from planner.models import MetricValue, OutreachTask, Praise
from tests import factories
from tests.api_helpers import bearer, call, token_for


def _count(db: Session, model: Any) -> int:
    value = db.scalar(select(func.count()).select_from(model)) or 0
    db.rollback()
    return value


def test_praise_intake_is_the_csv_import(client: Any, db: Session) -> None:
    token = token_for(db, ("recognition:write",))
    manager = factories.person(db, role="leader", manager=factories.person(db, role="leader"))
    factories.person(db, email="pat@acme.test", manager=manager)
    db.commit()
    today = date.today() - timedelta(days=1)
    item = {
        "email": "pat@acme.test",
        "received_on": today.isoformat(),
        "channel": "E-mail",
        "quote": "Kind and quick,\nthank you!",
        "customer_name": "R. Customer",
    }
    first = call(client, "POST", "/api/v1/praise", token, {"praise": [item]})
    assert first.status_code == 201, first.get_json()
    assert first.get_json() == {"created": 1, "already_there": 0, "without_leader": []}
    again = call(
        client, "POST", "/api/v1/praise", token, {"praise": [item, {**item, "quote": "Again"}]}
    )
    assert again.get_json() == {"created": 1, "already_there": 1, "without_leader": []}
    assert _count(db, Praise) == 2 and _count(db, OutreachTask) == 2
    bad = call(
        client,
        "POST",
        "/api/v1/praise",
        token,
        {
            "praise": [
                item,
                {**item, "email": "ghost@acme.test"},
                {**item, "channel": "pigeon"},
                {**item, "received_on": "2099-01-01", "quote": "x"},
            ]
        },
    )
    assert bad.status_code == 422
    assert [p["index"] for p in bad.get_json()["errors"]] == [1, 2, 3]
    assert _count(db, Praise) == 2


def test_scorecard_values_write_and_read(client: Any, db: Session) -> None:
    token = token_for(db, ("recognition:write",))
    factories.team(db, "Billing")
    db.commit()
    month = date.today().replace(day=1) - timedelta(days=1)
    values = [
        {"team": "billing", "month": f"{month:%Y-%m}", "metric": "CSAT", "value": 91.5},
        {"team": "Billing", "month": f"{month:%Y-%m}", "metric": "aht", "value": 300},
    ]
    written = call(client, "POST", "/api/v1/scorecard-values", token, {"values": values})
    assert written.status_code == 200 and written.get_json() == {"written": 2}
    read = call(client, "GET", f"/api/v1/scorecard-values?since={month:%Y-%m}", token).get_json()
    assert {(i["metric"], i["value"]) for i in read["items"]} == {
        ("csat", 91.5),
        ("handle_time", 300),
    }
    bad = call(
        client,
        "POST",
        "/api/v1/scorecard-values",
        token,
        {
            "values": [
                {**values[0], "value": 101},
                {**values[0], "team": "Nowhere"},
                values[1],
                values[1],
            ]
        },
    )
    assert bad.status_code == 422
    assert [p["index"] for p in bad.get_json()["errors"]] == [0, 1, 3]
    assert _count(db, MetricValue) == 2


def test_events_filter_by_date_and_kind(client: Any, db: Session) -> None:
    token = token_for(db, ("events:read",))
    now = datetime.now(UTC)
    create_event(
        db,
        kind="training",
        title="Refresher",
        now=now,
        when=Timed(datetime(2026, 3, 2, 9, tzinfo=UTC), datetime(2026, 3, 2, 10, tzinfo=UTC)),
    )
    create_event(
        db,
        kind="recognition",
        title="Star of March",
        now=now,
        when=AllDay(date(2026, 3, 20), date(2026, 3, 21)),
    )
    create_event(
        db, kind="training", title="Later", now=now, when=AllDay(date(2026, 6, 1), date(2026, 6, 2))
    )
    db.commit()
    march = call(client, "GET", "/api/v1/events?since=2026-03-01&until=2026-03-31", token)
    assert [e["title"] for e in march.get_json()["items"]] == ["Refresher", "Star of March"]
    trainings = call(client, "GET", "/api/v1/events?kind=training", token).get_json()
    assert [e["title"] for e in trainings["items"]] == ["Refresher", "Later"]
    assert trainings["items"][0]["start"].startswith("2026-03-02T09:00")
    assert all("description" not in e for e in trainings["items"])


def test_plan_status_answers_for_a_year_without_a_plan(client: Any, db: Session) -> None:
    token = token_for(db, ("plan:read",))
    status = call(client, "GET", "/api/v1/plan?year=2026", token)
    assert status.status_code == 200
    body = status.get_json()
    assert body["year"] == 2026 and body["events"] == 0
    assert body["working_weeks"] > 40 and body["weeks_covered"] == 0
    assert len(body["gap_weeks"]) == body["working_weeks"]
    assert call(client, "GET", "/api/v1/plan?year=1999", token).status_code == 422
    etag = status.headers["ETag"]
    same = client.get("/api/v1/plan?year=2026", headers={**bearer(token), "If-None-Match": etag})
    assert same.status_code == 304
