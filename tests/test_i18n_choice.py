"""Choosing the language: the person's own, the visitor's cookie, the organisation's, the
browser's; the switcher on every page; dates, numbers and holidays in the language."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from flask_babel import force_locale
from sqlalchemy.orm import Session

from planner import create_app
from planner.db import database
from planner.i18n import COOKIE, catalogue
from planner.i18n.formatting import format_day, format_day_time, format_number
from planner.models import Person
from planner.org.workdays import public_holidays
from tests import factories


def test_a_persons_own_language_wins_over_the_organisations(
    client: Any, db: Session, login_as: Any
) -> None:
    factories.organisation(db, locale="nl-NL")
    person = factories.person(db, password=factories.PASSWORD)
    person.language = "lt"
    db.commit()
    login_as(person=person)
    page = client.get("/home").get_data(as_text=True)
    assert '<html lang="lt">' in page
    assert "Atsijungti" in page  # "Sign out"


def test_without_a_choice_the_organisations_language(client: Any, db: Session) -> None:
    factories.organisation(db, locale="nl-NL")
    db.commit()
    page = client.get("/sign-in", headers={"Accept-Language": "lt"}).get_data(as_text=True)
    assert '<html lang="nl">' in page


def test_an_anonymous_visitor_switches_with_a_cookie(client: Any, db: Session) -> None:
    factories.organisation(db, locale="nl-NL")
    db.commit()
    assert client.get("/language").status_code == 200
    assert client.get_cookie(COOKIE) is None  # GET changes nothing
    response = client.post("/language", data={"language": "lt", "next": "/sign-in"})
    assert response.status_code == 302 and response.headers["Location"] == "/sign-in"
    page = client.get("/sign-in").get_data(as_text=True)
    assert '<html lang="lt">' in page and "Kalba išsaugota." in page


def test_the_switcher_goes_back_only_to_this_site(client: Any, db: Session) -> None:
    factories.organisation(db)
    db.commit()
    response = client.post("/language", data={"language": "nl", "next": "//evil.example/x"})
    assert response.headers["Location"] == "/"
    response = client.post("/language", data={"language": "xx", "next": "/sign-in"})
    cookie = client.get_cookie(COOKIE)
    assert response.status_code == 302 and cookie is not None and cookie.value == "nl"


def test_a_signed_in_person_keeps_the_choice_on_their_profile(
    client: Any, db: Session, login_as: Any
) -> None:
    factories.organisation(db, locale="en")
    person = login_as("leader")
    client.post("/language", data={"language": "nl", "next": "/home"})
    db.expire_all()
    assert db.get(Person, person.id).language == "nl"
    db.rollback()
    assert '<html lang="nl">' in client.get("/home").get_data(as_text=True)
    client.post("/language", data={"language": "", "next": "/home"})  # back to the organisation's
    db.expire_all()
    assert db.get(Person, person.id).language is None
    db.rollback()
    assert '<html lang="en">' in client.get("/home").get_data(as_text=True)


def test_the_switcher_needs_a_csrf_token(app_config: dict[str, Any], db: Session) -> None:
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    factories.organisation(db)
    db.commit()
    try:
        response = app.test_client().post("/language", data={"language": "nl"})
    finally:
        database(app).engine.dispose()  # a second app: close its pool (psycopg warns otherwise)
    assert response.status_code == 400


def test_dates_times_and_numbers_in_the_language(app: Flask, db: Session) -> None:
    factories.organisation(db, time_zone="Europe/Vilnius")
    db.commit()
    day = date(2026, 10, 5)
    instant = datetime(2026, 10, 5, 12, 30, tzinfo=ZoneInfo("UTC"))
    with app.test_request_context("/"):
        assert format_day(day) == "Mon 5 Oct 2026"
        with force_locale("nl"):
            assert format_day(day) == "ma 5 okt 2026"
            assert format_day(day, "long") == "maandag 5 oktober 2026"
            assert format_number(1234.5) == "1.234,5"
        with force_locale("lt"):
            assert format_day(day) == "2026-10-05, pr"
            assert format_day_time(instant) == "2026-10-05, pr, 15:30"  # the organisation's zone
            assert format_number(1234.5) == "1\xa0234,5"


def test_holiday_names_in_the_language() -> None:
    assert public_holidays("NL", "", [2026], "nl")[date(2026, 4, 27)] == "Koningsdag"
    assert public_holidays("NL", "", [2026], "en")[date(2026, 4, 27)] == "King's Day"
    assert "Valstybės" in public_holidays("LT", "", [2026], "lt")[date(2026, 7, 6)]
    assert public_holidays("DE", "", [2026], "lt")[date(2026, 1, 1)] == "New Year's Day"


def test_holidays_on_the_settings_page_are_dutch(client: Any, db: Session, login_as: Any) -> None:
    factories.organisation(db, locale="nl-NL", country="NL")
    login_as("coordinator")
    assert "Koningsdag" in client.get("/org/settings").get_data(as_text=True)


def test_every_marked_string_is_translated_and_the_catalogues_are_fresh() -> None:
    """CI: a new _() without a Dutch and Lithuanian translation, or a stale .po/.mo, fails here.
    Fix with `python -m planner.i18n.catalogue update`, translate, then `... compile`."""
    assert catalogue.problems() == []
