"""The pseudo-locale run: the demo organisation browsed link by link (coordinator, leader,
frontline colleague) with a catalogue whose every message is written in full-width letters. Any
plain English word left on a page never went through the catalogue: built in Python without
`_()`, or a template string left unmarked. Content from the database, dates and the short list
below are not the app's own words."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from planner.access import ALL, ANONYMOUS, allowed_roles
from planner.demo import load_demo
from planner.i18n import COOKIE, LANGUAGES
from tests import factories
from tests.demo_crawl import SKIP, crawl_demo_people, report
from tests.i18n_pages import visible_text
from tests.pseudo_locale import (
    PSEUDO_CODE,
    date_words,
    plain_words,
    pseudo,
    stored_texts,
    write_catalogue,
)
from tests.test_access_routes import _routes, _url

pytestmark = pytest.mark.slow

# Commands, file columns and job kinds in <code>, and API scopes, are code; the time zone and
# country lists hold IANA identifiers and CLDR's names, holiday names come from `holidays`, both
# already in the language.
CODE = re.compile(
    r"<(code|kbd|samp)\b[^>]*>.*?</\1>|<select[^>]*name=\"(time_zone|country)\".*?</select>"
    r"|\b[a-z]+:(read|write)\b|<span class=\"holiday-name\">[^<]*",
    re.S,
)
# Not the app's words: names of products and standards people know by these names, and the
# abbreviations of the practices' metrics (the same in every language of the organisation).
ALLOWED = (
    frozenset(
        {
            "Google",
            "Outlook",
            "Apple",
            "Thunderbird",
            "Microsoft",
            "Teams",
            "Slack",
            "iCalendar",
            "CSV",
            "NPS",
            "CSAT",
            "UTC",
            "URL",
            "Markdown",
            "JavaScript",
            "ICS",
            "HTTPS",
        }
    )
    # The language switcher names each language in itself; the lexicon shows language codes.
    | {w for name in LANGUAGES.values() for w in re.findall(r"[A-Za-z]+", name)}
    | set(LANGUAGES)
)


@pytest.fixture
def app_config(app_config: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    """The app reads the pseudo catalogue instead of the Dutch one."""
    app_config["BABEL_TRANSLATION_DIRECTORIES"] = str(write_catalogue(tmp_path / "pseudo"))
    return app_config


def test_the_pseudo_catalogue_marks_words_and_keeps_placeholders() -> None:
    assert pseudo("Due %(day)s <b>now</b>") == "Ｄｕｅ %(day)s <b>ｎｏｗ</b>"
    found = plain_words("Ｄｕｅ ma 5 okt Sam Staff said hi", ["Sam Staff"], date_words())
    assert [w.split()[0] for w in found] == ["said", "hi"]


def test_every_demo_page_speaks_only_through_the_catalogue(app: Flask, db: Any) -> None:
    load_demo(db, date(2026, 11, 23))
    db.commit()
    stored = stored_texts(db)
    allowed = ALLOWED | date_words()

    def check(page: str) -> list[str]:
        return plain_words(visible_text(CODE.sub(" ", page)), stored, allowed)

    left = crawl_demo_people(app, db, PSEUDO_CODE, check, skip=(*SKIP, "/api/"))
    assert left == {}, report(left)


@pytest.mark.parametrize("role", ALL)
def test_every_route_speaks_only_through_the_catalogue(app: Flask, db: Any, role: str) -> None:
    """Every GET route × role (as the access test builds them), on a small organisation."""
    factories.organisation(db)
    team = factories.team(db)
    client = app.test_client()
    if role == ANONYMOUS:
        client.set_cookie(COOKIE, PSEUDO_CODE)
    else:
        person = factories.person(db, role=role, password=factories.PASSWORD)
        person.language, person.team_id = PSEUDO_CODE, team.id
        db.commit()
        client.post("/sign-in", data={"email": person.email, "password": factories.PASSWORD})
    db.commit()
    stored, allowed = stored_texts(db), ALLOWED | date_words()
    left: dict[str, list[str]] = {}
    for rule in _routes(app):
        roles = allowed_roles(app.view_functions[rule.endpoint]) or frozenset()
        if "GET" not in (rule.methods or ()) or role not in roles or "/api/" in rule.rule:
            continue
        response = client.get(_url(rule))
        if response.status_code in (301, 302, 303, 503) or not response.content_type.startswith(
            "text/html"
        ):
            continue
        page = CODE.sub(" ", response.get_data(as_text=True))
        if words := plain_words(visible_text(page), stored, allowed):
            left[rule.rule] = words
    assert left == {}, "\n".join(f"{k}: {v}" for k, v in left.items())
