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


def test_counts_in_plural_texts_are_written_as_the_language_writes_numbers(app: Flask) -> None:
    from flask import render_template_string

    from planner.i18n import in_language, ngettext

    template = '{{ ngettext("%(num)d event", "%(num)d events", n) }}'
    for language, count in (("en", "56,580"), ("nl", "56.580"), ("lt", "56\u00a0580")):
        with app.test_request_context(), in_language(language):
            said = ngettext("%(num)d event", "%(num)d events", 56580)
            assert said.startswith(count + " ") and said != "56580 events"
            assert render_template_string(template, n=56580) == said  # templates alike
            assert ngettext("%(num)d event", "%(num)d events", 3).startswith("3 ")
    with app.app_context():  # outside a request (a job's words): English by default
        assert ngettext("%(num)d event", "%(num)d events", 1200) == "1,200 events"
