"""Helpers for the API tests: a token with given scopes, signed webhook deliveries."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from planner.api import operations, signing
from planner.api.auth import ALL_SCOPES
from planner.models import Person
from tests import factories

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def token_for(
    db: Session, scopes: tuple[str, ...] = ALL_SCOPES, *, owner: Person | None = None
) -> str:
    """A committed personal token of a coordinator (or `owner`) with these scopes."""
    if owner is None:
        factories.organisation(db)
        owner = factories.person(db, role="coordinator")
    _token, secret = operations.create_token(
        db, owner, name="test", scopes=list(scopes), now=datetime.now(UTC)
    )
    db.commit()
    return secret


def bearer(token: str) -> dict[str, str]:
    """The Authorization header of a token."""
    return {"Authorization": f"Bearer {token}"}


def call(client: FlaskClient, method: str, path: str, token: str, body: Any = None) -> Any:
    """An API request with a token (and a JSON body)."""
    kwargs: dict[str, Any] = {"headers": bearer(token)}
    if body is not None:
        kwargs["json"] = body
    return client.open(path, method=method, **kwargs)


def new_source(app: Flask, db: Session, name: str = "Survey tool") -> tuple[int, str]:
    """A webhook source and its secret."""
    factories.organisation(db)
    actor = factories.person(db, role="coordinator")
    source, secret = operations.create_source(
        db, app.config["SECRET_KEY"], actor, name=name, now=datetime.now(UTC)
    )
    db.commit()
    return source.id, secret


def signed(
    client: FlaskClient,
    source_id: int,
    secret: str,
    payload: Any,
    *,
    timestamp: int | None = None,
    raw: bytes | None = None,
) -> Any:
    """POST a delivery signed as a sender would sign it."""
    body = raw if raw is not None else json.dumps(payload).encode()
    stamp = int(time.time()) if timestamp is None else timestamp
    return client.post(
        f"/api/v1/webhooks/praise/{source_id}",
        data=body,
        content_type="application/json",
        headers={
            "X-Planner-Timestamp": str(stamp),
            "X-Planner-Signature": signing.sign(secret, stamp, body),
        },
    )
