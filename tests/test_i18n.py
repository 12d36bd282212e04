"""The language of a request: the organisation's locale, else the browser's, else English."""

from __future__ import annotations

from flask import Flask
from sqlalchemy.orm import Session

from planner.i18n import language_of, select_locale
from tests import factories


def test_language_of_locale_tags() -> None:
    assert language_of("nl-NL") == "nl"
    assert language_of("lt_LT") == "lt"
    assert language_of("EN") == "en"
    assert language_of("de-DE") is None
    assert language_of(None) is None


def test_browser_language_when_the_organisation_has_none_we_speak(app: Flask, db: Session) -> None:
    factories.organisation(db, locale="de-DE")
    db.commit()
    with app.test_request_context("/", headers={"Accept-Language": "lt,en;q=0.5"}):
        assert select_locale() == "lt"
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert select_locale() == "en"


def test_organisation_locale_wins_over_the_browser(app: Flask, db: Session) -> None:
    factories.organisation(db, locale="nl-NL")
    db.commit()
    with app.test_request_context("/", headers={"Accept-Language": "lt"}):
        assert select_locale() == "nl"
