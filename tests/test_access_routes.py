"""SECURITY.md item 10: every route x every role, classified from the app's url_map.

The table is generated: each view declares its roles with @allow/@public; an undeclared route
fails. Then every route is requested as every role and the answer must match the declaration:
anonymous visitors outside the list are sent to sign in, signed-in people outside it get 403.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from werkzeug.routing import Rule

from planner.access import ALL, ANONYMOUS, allowed_roles
from planner.api.framework import token_scope
from tests import factories

SAMPLE_ARGS = {
    "int": 999999,
    "integer": 999999,
    "boundedint": 999999,  # planner.web.BoundedIntConverter, the app's `int`
    "default": "x",
    "string": "x",
    "path": "x",
    "any": "x",
}


def _routes(app: Flask) -> list[Rule]:
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint != "static"), key=lambda r: r.rule
    )


def _asks_to_sign_in(response: Any) -> bool:
    """Flask-Login's refusal: a redirect to the sign-in page that remembers where to go next."""
    location = response.headers.get("Location", "")
    return response.status_code == 302 and "/sign-in" in location and "next=" in location


def _url(rule: Rule) -> str:
    values: dict[str, Any] = {}
    for arg in rule.arguments:
        converter = rule._converters[arg].__class__.__name__.lower().removesuffix("converter")
        values[arg] = SAMPLE_ARGS.get(converter, "x")
    path = rule.rule
    for arg, value in values.items():
        path = path.replace(f"<{arg}>", str(value))
        for prefix in ("int", "string", "path", "any"):
            path = path.replace(f"<{prefix}:{arg}>", str(value))
    return path


def test_every_route_declares_its_roles(app: Flask) -> None:
    undeclared = [
        r.rule for r in _routes(app) if allowed_roles(app.view_functions[r.endpoint]) is None
    ]
    assert undeclared == [], f"routes without @allow/@public: {undeclared}"


def test_route_role_table_is_printed_and_complete(
    app: Flask, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = []
    for rule in _routes(app):
        roles = allowed_roles(app.view_functions[rule.endpoint]) or frozenset()
        scope = token_scope(app.view_functions[rule.endpoint])
        rows.append(
            f"{rule.rule:55} "
            + " ".join(("yes" if r in roles else "-").ljust(11) for r in ALL)
            + (f" token {':'.join(scope)}" if scope else "")
        )
    print("route".ljust(55), " ".join(r.ljust(11) for r in ALL), "(token: API scope)")
    print("\n".join(rows))
    assert len(rows) == len(_routes(app))


@pytest.mark.parametrize("role", ALL)
def test_each_role_gets_what_the_table_says(app: Flask, db: Any, role: str) -> None:
    factories.organisation(db)
    client = app.test_client()
    if role != ANONYMOUS:
        person = factories.person(db, role=role, password=factories.PASSWORD)
        db.commit()
        assert (
            client.post(
                "/sign-in", data={"email": person.email, "password": factories.PASSWORD}
            ).status_code
            == 302
        )
    wrong = []
    for rule in _routes(app):
        if rule.endpoint == "auth.sign_out":
            continue  # would end the session the loop relies on; covered in test_auth
        roles = allowed_roles(app.view_functions[rule.endpoint]) or frozenset()
        method = "GET" if "GET" in (rule.methods or ()) else "POST"
        response = client.open(_url(rule), method=method)
        if token_scope(app.view_functions[rule.endpoint]) is not None:
            # @endpoint(scope=...): no session role opens it, the cookie is ignored entirely.
            if response.status_code != 401 or response.mimetype != "application/problem+json":
                wrong.append((rule.rule, method, response.status_code, "should be 401 (token)"))
            continue
        if role in roles:
            denied = response.status_code == 403 or _asks_to_sign_in(response)
            if denied or response.status_code >= 500:
                wrong.append((rule.rule, method, response.status_code, "should be allowed"))
        elif role == ANONYMOUS:
            if not _asks_to_sign_in(response):
                wrong.append((rule.rule, method, response.status_code, "should ask to sign in"))
        elif response.status_code != 403:
            wrong.append((rule.rule, method, response.status_code, "should be 403"))
    assert wrong == []


@pytest.mark.parametrize("role", ALL)
def test_each_role_posting_to_every_post_route_gets_what_the_table_says(
    app: Flask, db: Any, role: str
) -> None:
    """Every route that takes a POST, posted (empty form) as every role: anonymous visitors are
    asked to sign in, outsiders get 403, and nobody ever gets a 5xx."""
    factories.organisation(db)
    db.commit()  # an open write transaction here would make SQLite writers wait
    client = app.test_client()
    if role != ANONYMOUS:
        person = factories.person(db, role=role, password=factories.PASSWORD)
        db.commit()
        signed_in = client.post(
            "/sign-in", data={"email": person.email, "password": factories.PASSWORD}
        )
        assert signed_in.status_code == 302
    wrong = []
    posted = 0
    for rule in _routes(app):
        if "POST" not in (rule.methods or ()) or rule.endpoint == "auth.sign_out":
            continue
        posted += 1
        roles = allowed_roles(app.view_functions[rule.endpoint]) or frozenset()
        response = client.post(_url(rule), data={})
        if response.status_code >= 500:
            wrong.append((rule.rule, response.status_code, "server error"))
        elif token_scope(app.view_functions[rule.endpoint]) is not None:
            if response.status_code != 401:  # the API ignores the session: a token is needed
                wrong.append((rule.rule, response.status_code, "should be 401 (token)"))
        elif role in roles:
            if response.status_code == 403 or _asks_to_sign_in(response):
                wrong.append((rule.rule, response.status_code, "should be allowed"))
        elif role == ANONYMOUS:
            if not _asks_to_sign_in(response):
                wrong.append((rule.rule, response.status_code, "should ask to sign in"))
        elif response.status_code != 403:
            wrong.append((rule.rule, response.status_code, "should be 403"))
    assert posted > 20 and wrong == []
