"""Organisation settings: validation against the IANA zone database and the `holidays` package,
the update itself, and the coming public holidays shown on the settings page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

import holidays
from holidays.registry import COUNTRIES
from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import InvalidInput, NotAllowed
from planner.i18n import _
from planner.i18n.formatting import language
from planner.models import AuditEntry, HolidayOverride, Person
from planner.org import workdays
from planner.org.calendar import get_organisation

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# A BCP 47 language tag of the common shapes: "en", "nl-NL", "pt-BR", "zh-Hant-TW".
LOCALE = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")


@lru_cache(maxsize=1)
def time_zones() -> tuple[str, ...]:
    """Every IANA time zone name, sorted."""
    return tuple(sorted(available_timezones()))


@lru_cache(maxsize=1)
def countries() -> dict[str, str]:
    """Countries the holidays package supports: ISO code -> English name, sorted by name."""
    names = {
        entry[1]: re.sub(r"(?<=[a-z])(?=[A-Z])", " ", entry[0]) for entry in COUNTRIES.values()
    }
    return dict(sorted(names.items(), key=lambda item: item[1]))


def subdivisions(country: str) -> tuple[str, ...]:
    """The subdivision codes the holidays package knows for a country."""
    return tuple(holidays.list_supported_countries(include_aliases=False).get(country, ()))


@dataclass(frozen=True)
class Settings:
    """The editable settings, as plain values."""

    name: str
    time_zone: str
    country: str
    subdivision: str = ""
    locale: str = "en"
    working_days: str = "01234"


def validate_settings(values: Settings) -> Settings:
    """Check every setting and return them normalised, or raise InvalidInput naming the problem."""
    name = values.name.strip()
    if not name or len(name) > 200:
        raise InvalidInput(_("The organisation needs a name of at most 200 characters."))
    if values.time_zone not in available_timezones():
        raise InvalidInput(
            _(
                "“%(time_zone)s” is not an IANA time zone; use a name like Europe/Amsterdam.",
                time_zone=values.time_zone,
            )
        )
    country = values.country.strip().upper()
    if country and country not in countries():
        raise InvalidInput(
            f"“{values.country}” is not a country with public holidays we know; "
            "use a two-letter ISO code like NL, LT or US."
        )
    subdivision = values.subdivision.strip()
    if subdivision:
        known = {s.upper(): s for s in subdivisions(country)}
        if not country or subdivision.upper() not in known:
            choices = ", ".join(subdivisions(country)) or "none"
            raise InvalidInput(
                f"“{subdivision}” is not a subdivision of {country or 'the country'}; "
                f"known: {choices}."
            )
        subdivision = known[subdivision.upper()]
    locale = values.locale.strip() or "en"
    if not LOCALE.match(locale):
        raise InvalidInput(
            _("“%(locale)s” is not a locale; use a tag like en, nl-NL or lt-LT.", locale=locale)
        )
    days = "".join(sorted(set(values.working_days)))
    if not days or any(c not in "0123456" for c in days):
        raise InvalidInput(_("Choose at least one working day."))
    return Settings(name, values.time_zone, country, subdivision, locale, days)


def update_settings(session: Session, values: Settings, *, actor: Person | None) -> None:
    """Validate and save the organisation's settings (actor None: the command line)."""
    if actor is not None and actor.role not in {"admin", "coordinator"}:
        raise NotAllowed("Only coordinators and admins can change the organisation's settings.")
    clean = validate_settings(values)
    org = get_organisation(session)
    org.name, org.time_zone, org.country = clean.name, clean.time_zone, clean.country
    org.subdivision, org.locale, org.working_days = (
        clean.subdivision,
        clean.locale,
        clean.working_days,
    )
    session.add(
        AuditEntry(
            actor_id=actor.id if actor else None,
            action="org_settings",
            subject="organisation:1",
            detail=f"{clean.time_zone} {clean.country} {clean.subdivision}".strip(),
        )
    )
    session.flush()


def local_today(session: Session) -> date:
    """Today's date in the organisation's time zone."""
    from planner.db import utcnow

    return utcnow().astimezone(ZoneInfo(get_organisation(session).time_zone)).date()


@dataclass(frozen=True)
class Holiday:
    """A public holiday as shown on the settings page."""

    day: date
    name: str
    open: bool  # a coordinator re-opened it with an override


def coming_holidays(session: Session, today: date, *, days: int = 365) -> list[Holiday]:
    """Public holidays from today for the next year, with the coordinator's overrides marked."""
    org = get_organisation(session)
    last = today + timedelta(days=days)
    found = workdays.public_holidays(
        org.country, org.subdivision, range(today.year, last.year + 1), language()
    )
    reopened = {
        o.day
        for o in session.scalars(select(HolidayOverride).where(HolidayOverride.closed.is_(False)))
    }
    return [
        Holiday(day, name, day in reopened) for day, name in found.items() if today <= day <= last
    ]
