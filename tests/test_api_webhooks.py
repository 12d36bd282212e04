"""Signed praise webhooks: a good delivery becomes praise and an outreach task; a repeat of the
same id is answered, not applied; replayed (old), future, tampered, unsigned and wrongly signed
deliveries are refused; sources can be turned off."""

from __future__ import annotations

import json
import time
from datetime import date, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.api import signing
from planner.models import OutreachTask, Praise
from tests import factories
from tests.api_helpers import new_source, signed


def _people(db: Session) -> Any:
    leader = factories.person(db, role="leader", name="Lena Leader")
    manager = factories.person(db, role="leader", name="Max Manager", manager=leader)
    team = factories.team(db, "Billing")
    return factories.person(
        db, name="Pat Praised", email="pat@acme.test", team=team, manager=manager
    )


def _payload(**values: Any) -> dict[str, Any]:
    return {
        "id": "resp-1",
        "email": "PAT@acme.test",
        "comment": "Pat fixed my invoice in minutes!",
        "channel": "survey",
        **values,
    }


def _praise_count(db: Session) -> int:
    count = db.scalar(select(func.count()).select_from(Praise)) or 0
    db.rollback()
    return count


def test_a_signed_delivery_becomes_praise_once(app: Flask, client: Any, db: Session) -> None:
    source_id, secret = new_source(app, db)
    _people(db)
    db.commit()
    first = signed(client, source_id, secret, _payload())
    assert first.status_code == 201, first.get_json()
    praise_id = first.get_json()["praise_id"]
    assert first.get_json()["status"] == "created"
    praise = db.get(Praise, praise_id)
    assert praise is not None and praise.person.email == "pat@acme.test"
    assert praise.channel == "survey" and praise.received_on <= date.today() + timedelta(days=1)
    task = db.scalar(select(OutreachTask).where(OutreachTask.praise_id == praise_id))
    assert task is not None and task.leader.name == "Lena Leader"
    db.rollback()
    # The sender retries (same id, even with a new signature): answered, nothing applied twice.
    again = signed(client, source_id, secret, _payload(comment="Pat fixed it!"))
    assert again.status_code == 200
    assert again.get_json() == {"status": "duplicate", "praise_id": praise_id}
    assert _praise_count(db) == 1


def test_replayed_and_tampered_deliveries_are_refused(app: Flask, client: Any, db: Session) -> None:
    source_id, secret = new_source(app, db)
    _people(db)
    db.commit()
    body = json.dumps(_payload(id="resp-2")).encode()
    old = int(time.time()) - signing.TOLERANCE_SECONDS - 5
    cases = {
        "replayed later": signed(client, source_id, secret, None, raw=body, timestamp=old),
        "from the future": signed(
            client, source_id, secret, None, raw=body, timestamp=int(time.time()) + 3600
        ),
        "wrong secret": signed(client, source_id, secret + "x", None, raw=body),
        "other source": signed(client, source_id + 1, secret, None, raw=body),
    }
    stamp = str(int(time.time()))
    good = signing.sign(secret, stamp, body)
    tampered = body.replace(b"resp-2", b"resp-3")
    cases["tampered body"] = client.post(
        f"/api/v1/webhooks/praise/{source_id}",
        data=tampered,
        content_type="application/json",
        headers={"X-Planner-Timestamp": stamp, "X-Planner-Signature": good},
    )
    cases["timestamp changed"] = client.post(
        f"/api/v1/webhooks/praise/{source_id}",
        data=body,
        content_type="application/json",
        headers={"X-Planner-Timestamp": str(int(stamp) + 1), "X-Planner-Signature": good},
    )
    cases["unsigned"] = client.post(
        f"/api/v1/webhooks/praise/{source_id}", data=body, content_type="application/json"
    )
    for what, response in cases.items():
        assert response.status_code == 401, what
        assert response.mimetype == "application/problem+json", what
    assert _praise_count(db) == 0


def test_bad_content_is_a_problem_not_praise(app: Flask, client: Any, db: Session) -> None:
    source_id, secret = new_source(app, db)
    _people(db)
    db.commit()
    unknown = signed(client, source_id, secret, _payload(email="nobody@acme.test"))
    assert unknown.status_code == 422 and "nobody@acme.test" in unknown.get_json()["detail"]
    future = signed(client, source_id, secret, _payload(id="f", received_on="2099-01-01"))
    assert future.status_code == 422
    missing = signed(client, source_id, secret, {"id": "x"})
    assert missing.status_code == 422 and missing.get_json()["errors"]
    broken = signed(client, source_id, secret, None, raw=b"{oops")
    assert broken.status_code == 400
    assert _praise_count(db) == 0


def test_a_source_turned_off_is_refused_and_comes_back_with_a_new_secret(
    app: Flask, client: Any, db: Session, login_as: Any
) -> None:
    login_as("coordinator")
    page = client.post("/integrations/sources", data={"name": "CSAT tool"})
    assert page.status_code == 200
    secret = page.get_data(as_text=True).split("swpw_", 1)[1][:43]
    secret = "swpw_" + secret
    _people(db)
    db.commit()
    from planner.models import WebhookSource

    source = db.scalar(select(WebhookSource).where(WebhookSource.name == "CSAT tool"))
    assert source is not None
    source_id = source.id
    db.rollback()
    assert signed(client, source_id, secret, _payload(id="a")).status_code == 201
    assert client.post(f"/integrations/sources/{source_id}/toggle").status_code == 302
    assert signed(client, source_id, secret, _payload(id="b")).status_code == 401
    back = client.post(f"/integrations/sources/{source_id}/toggle")
    assert back.status_code == 200 and "swpw_" in back.get_data(as_text=True)
    assert signed(client, source_id, secret, _payload(id="c")).status_code == 401  # old secret
