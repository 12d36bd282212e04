"""One formatting helper for the whole app: dates, times and numbers through Babel, in the
chosen language and the organisation's time zone.

Templates use the filters `day`, `day_time`, `time`, `month` and `number`; Python code calls the
functions. Lithuanian writes dates year first (2026-10-05), as its offices do.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_time as _babel_time
from babel.dates import get_day_names
from babel.numbers import format_decimal
from flask import Flask, g, has_app_context
from flask_babel import get_locale
from sqlalchemy.exc import SQLAlchemyError

# Style -> language -> CLDR pattern. "short": with weekday and year; "long": names written out;
# "noyear": inside one week or one year; "weekday": the day's name; "numeric": compact.
PATTERNS: dict[str, dict[str, str]] = {
    "short": {"en": "EEE d MMM y", "nl": "EEE d MMM y", "lt": "y-MM-dd, EEE"},
    "long": {"en": "EEEE d MMMM y", "nl": "EEEE d MMMM y", "lt": "y 'm.' MMMM d 'd.', EEEE"},
    "noyear": {"en": "EEE d MMM", "nl": "EEE d MMM", "lt": "MMMM d 'd.', EEE"},
    "longnoyear": {"en": "EEEE d MMMM", "nl": "EEEE d MMMM", "lt": "MMMM d 'd.', EEEE"},
    "date": {"en": "d MMM y", "nl": "d MMM y", "lt": "y-MM-dd"},
    "daymonth": {"en": "d MMM", "nl": "d MMM", "lt": "MMMM d 'd.'"},
    "weekday": {"en": "EEEE", "nl": "EEEE", "lt": "EEEE"},
    "month": {"en": "LLLL y", "nl": "LLLL y", "lt": "y 'm.' LLLL"},
    "monthshort": {"en": "LLL y", "nl": "LLL y", "lt": "y-MM"},
}


def language() -> str:
    """The language of the moment (the request's, or one forced by in_language), else en."""
    if not has_app_context():
        return "en"
    locale = get_locale()
    code = locale.language if locale is not None else "en"
    return code if code in PATTERNS["short"] else "en"


def org_zone() -> ZoneInfo:
    """The organisation's time zone (cached per request), else UTC."""
    if has_app_context() and "org_zone" in g:
        return g.org_zone
    zone = ZoneInfo("UTC")
    if has_app_context():
        from planner.i18n import organisation_row

        try:
            name = organisation_row()[1]
            if name:
                zone = ZoneInfo(name)
        except (SQLAlchemyError, ZoneInfoNotFoundError, ValueError):
            pass
        g.org_zone = zone
    return zone


def _local(value: datetime, zone: ZoneInfo | None) -> datetime:
    if value.tzinfo is None:
        return value
    return value.astimezone(zone or org_zone())


def format_day(value: date | datetime | None, style: str = "short", lang: str | None = None) -> str:
    """A day, e.g. "ma 5 okt 2026" (nl), "Mon 5 Oct 2026" (en), "2026-10-05, pr" (lt)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value, None).date()
    code = lang or language()
    pattern = PATTERNS.get(style, PATTERNS["short"])[code]
    return _babel_date(value, pattern, locale=code)


def format_time(value: time | datetime | None, zone: ZoneInfo | None = None) -> str:
    """A time of day on the 24-hour clock, in the organisation's zone ("14:30")."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value, zone).time()
    return _babel_time(value, "HH:mm", locale=language())


def format_day_time(
    value: datetime | None, style: str = "short", zone: ZoneInfo | None = None
) -> str:
    """A day and a time in the organisation's zone: "ma 5 okt 2026, 14:30"."""
    if value is None:
        return ""
    local = _local(value, zone)
    return f"{format_day(local.date(), style)}, {format_time(local.time())}"


def format_month(value: date | None) -> str:
    """A month and its year: "oktober 2026", "2026 m. spalis"."""
    return format_day(value, "month") if value is not None else ""


def format_number(value: float | int | None, digits: int | None = None) -> str:
    """A number with the language's separators: 1,234.5 / 1.234,5 / 1 234,5."""
    if value is None:
        return ""
    if digits is not None:
        value = round(value, digits)
    return format_decimal(value, locale=language())


def weekday_name(weekday: int, width: Literal["wide", "abbreviated"] = "wide") -> str:
    """A weekday's name (0 = Monday) in the language: "Monday", "maandag", "pirmadienis";
    width "abbreviated": "Mon", "ma", "pr"."""
    return str(get_day_names(width, locale=language())[weekday % 7])


def country_name(code: str, english: str) -> str:
    """A country's name in the language (CLDR), else the English name given."""
    return str(Locale.parse(language()).territories.get(code.upper(), english))


def register(app: Flask) -> None:
    """Expose the helpers to every template as filters."""
    from planner.i18n.content import shown

    filters: dict[str, Any] = {
        "day": format_day,
        "day_time": format_day_time,
        "time": format_time,
        "month": format_month,
        "number": format_number,
        "shown": shown,  # the shipped library's text in the reader's language, content as is
    }
    app.jinja_env.filters.update(filters)
