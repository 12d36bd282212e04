"""Every page (route × role, as the access test builds them) in Dutch and Lithuanian: no string
of the English catalogue is left untranslated in what a visitor sees."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from planner.access import ALL, ANONYMOUS, allowed_roles
from planner.i18n import COOKIE
from tests import factories
from tests.i18n_pages import english_phrases, untranslated, visible_text
from tests.test_access_routes import _routes, _url


def test_the_check_finds_english_text() -> None:
    page = "<p>Raise an obstacle to good service</p><p>Klantenserviceweek</p>"
    assert "Raise an obstacle to good service" in untranslated(page, "nl")
    assert len(english_phrases("lt")) > 300
    assert visible_text('<p title="Hi there">a <b>b</b></p><script>x()</script>') == "Hi there a b"


# The API reference is developer documentation generated from the OpenAPI document, which is in
# English like every API reference the organisation's integrators read; it is the one exception.
ENGLISH_ONLY = frozenset({"/api/v1/docs"})


@pytest.mark.parametrize("locale", ["nl", "lt"])
@pytest.mark.parametrize("role", ALL)
def test_every_page_is_translated(app: Flask, db: Any, role: str, locale: str) -> None:
    factories.organisation(db)
    team = factories.team(db)
    client = app.test_client()
    if role == ANONYMOUS:
        client.set_cookie(COOKIE, locale)
    else:
        person = factories.person(db, role=role, password=factories.PASSWORD)
        person.language, person.team_id = locale, team.id
        db.commit()
        signed_in = client.post(
            "/sign-in", data={"email": person.email, "password": factories.PASSWORD}
        )
        assert signed_in.status_code == 302
    db.commit()
    left: dict[str, list[str]] = {}
    seen = 0
    for rule in _routes(app):
        roles = allowed_roles(app.view_functions[rule.endpoint]) or frozenset()
        if "GET" not in (rule.methods or ()) or role not in roles or rule.rule in ENGLISH_ONLY:
            continue
        response = client.get(_url(rule))
        if response.status_code in (301, 302, 303) or not response.content_type.startswith(
            "text/html"
        ):
            continue
        seen += 1
        page = response.get_data(as_text=True)
        assert f'<html lang="{locale}">' in page, rule.rule
        if found := untranslated(page, locale):
            left[rule.rule] = found
    assert seen > 3
    assert left == {}, "\n".join(f"{k}: {v}" for k, v in left.items())
