"""Personal API tokens: every scoped operation x every scope, revocation, owners who lost the
role, the session cookie never counting, last use recorded, the page that shows a token once."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.api import auth
from planner.api.framework import token_scope
from planner.models import ApiToken
from tests import factories
from tests.api_helpers import bearer, token_for

# A body that passes the schema for each write (the operation may still refuse its content).
BODIES = {
    "/api/v1/people/upsert": {"people": [{"name": "N", "email": "n@acme.test", "role": "staff"}]},
    "/api/v1/praise": {
        "praise": [
            {
                "email": "x@acme.test",
                "received_on": "2026-11-02",
                "channel": "email",
                "quote": "Great",
            }
        ]
    },
    "/api/v1/scorecard-values": {
        "values": [{"team": "T", "month": "2026-10", "metric": "csat", "value": 90}]
    },
}


def _scoped(app: Flask) -> list[tuple[str, str, tuple[str, str]]]:
    found = []
    for rule in app.url_map.iter_rules():
        scope = token_scope(app.view_functions[rule.endpoint])
        if scope is not None:
            for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
                found.append((rule.rule, method, scope))
    return sorted(found)


def test_every_scoped_operation_against_every_scope(app: Flask, client: Any, db: Session) -> None:
    operations = _scoped(app)
    assert len(operations) >= 9
    tokens = {scope: token_for(db, (scope,)) for scope in auth.ALL_SCOPES}
    wrong = []
    for path, method, (area, access) in operations:
        for scope, token in tokens.items():
            response = client.open(
                path, method=method, headers=bearer(token), json=BODIES.get(path)
            )
            allowed = auth.grants(frozenset({scope}), area, access)
            if allowed and response.status_code in (401, 403):
                wrong.append((method, path, scope, response.status_code, "should pass"))
            if not allowed and response.status_code != 403:
                wrong.append((method, path, scope, response.status_code, "should be 403"))
            if response.status_code >= 500:
                wrong.append((method, path, scope, response.status_code, "5xx"))
    assert wrong == []


def test_write_includes_read_of_the_same_area_only() -> None:
    scopes = frozenset({"people:write"})
    assert auth.grants(scopes, "people", "read") and auth.grants(scopes, "people", "write")
    assert not auth.grants(scopes, "recognition", "read")
    assert not auth.grants(frozenset({"people:read"}), "people", "write")


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Basic dXNlcjpwYXNz", "Bearer swpa_short", "Bearer " + "swpa_" + "A" * 43],
)
def test_missing_or_unknown_tokens_are_401(client: Any, db: Session, header: str) -> None:
    token_for(db)
    response = client.get("/api/v1/people", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_session_cookie_never_counts(client: Any, db: Session, login_as: Any) -> None:
    login_as("admin")
    assert client.get("/integrations/").status_code == 200  # signed in for pages
    response = client.get("/api/v1/people")
    assert response.status_code == 401
    assert "Set-Cookie" not in response.headers  # the API does not even renew the session


def test_revoked_tokens_and_demoted_owners_stop_at_once(client: Any, db: Session) -> None:
    factories.organisation(db)
    owner = factories.person(db, role="coordinator")
    token = token_for(db, ("people:read",), owner=owner)
    assert client.get("/api/v1/teams", headers=bearer(token)).status_code == 200
    owner.role = "leader"
    db.commit()
    assert client.get("/api/v1/teams", headers=bearer(token)).status_code == 401
    owner.role = "coordinator"
    db.commit()
    db.expire_all()
    stored = db.scalar(select(ApiToken).where(ApiToken.owner_id == owner.id))
    assert stored is not None and stored.last_used_at is not None  # recorded
    stored.revoked_at = datetime.now(UTC)
    db.commit()
    assert client.get("/api/v1/teams", headers=bearer(token)).status_code == 401


def test_the_page_shows_a_new_token_once_and_stores_only_its_hash(
    client: Any, db: Session, login_as: Any
) -> None:
    me = login_as("coordinator")
    page = client.post("/integrations/tokens", data={"name": "HR sync", "scopes": ["people:write"]})
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    secret = re.search(r"swpa_[A-Za-z0-9_-]{43}", page.get_data(as_text=True))
    assert secret is not None
    stored = db.scalar(select(ApiToken).where(ApiToken.owner_id == me.id))
    assert stored is not None and stored.token_hash == auth.hash_token(secret.group())
    assert secret.group() not in str([stored.token_hash, stored.hint, stored.name])
    db.rollback()
    again = client.get("/integrations/").get_data(as_text=True)
    assert secret.group() not in again and "HR sync" in again
    assert client.get("/api/v1/teams", headers=bearer(secret.group())).status_code == 200
    revoke = client.post(f"/integrations/tokens/{stored.id}/revoke")
    assert revoke.status_code == 302
    assert client.get("/api/v1/teams", headers=bearer(secret.group())).status_code == 401


def test_the_page_refuses_unknown_scopes_and_empty_names(client: Any, login_as: Any) -> None:
    login_as("admin")
    assert (
        client.post("/integrations/tokens", data={"name": "x", "scopes": ["root"]}).status_code
        == 400
    )
    assert (
        client.post("/integrations/tokens", data={"name": "", "scopes": ["plan:read"]}).status_code
        == 400
    )
    assert client.post("/integrations/tokens", data={"name": "x"}).status_code == 400
