"""Translations: the app's words in English, Dutch and Lithuanian (Flask-Babel).

Groundwork shared by every area: mark strings with `_()` / `ngettext()` (Python) or
`{{ _("...") }}` / `{% trans %}` (templates); `lazy_gettext` for strings defined at import time
(form labels, module-level tables). The language is chosen per request by `select_locale`:
the person's own choice, else the visitor's cookie, else the organisation's locale, else the
browser's Accept-Language, else English. Dates and numbers: planner/i18n/formatting.py.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import click
from babel import support
from flask import Flask, g, has_app_context, has_request_context, request
from flask_babel import Babel, Domain, LazyString, force_locale
from flask_babel import gettext as _app_gettext
from flask_babel import pgettext as _app_pgettext
from sqlalchemy.exc import SQLAlchemyError

__all__ = [
    "COOKIE",
    "LANGUAGES",
    "N_",
    "_",
    "babel",
    "in_language",
    "init_app",
    "language_of",
    "lazy_gettext",
    "ngettext",
    "pgettext",
    "recipient_language",
    "terminal_language",
]

# Language code -> its own name, as shown in the language switcher.
LANGUAGES: dict[str, str] = {"en": "English", "nl": "Nederlands", "lt": "Lietuvių"}
# The cookie that keeps an anonymous visitor's choice (sign-in, receipts, unsubscribe).
COOKIE = "planner_language"

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


@lru_cache(maxsize=len(LANGUAGES))
def _shipped_catalogue(code: str) -> support.NullTranslations:
    """A language's compiled catalogue as shipped, read once (English: none)."""
    if code == "en":
        return support.NullTranslations()
    return support.Translations.load(str(TRANSLATIONS), [code])


def _without_app() -> support.NullTranslations:
    """Translations where there is no app yet: a command line before its app is loaded
    (`planner --help`, a usage error) speaks the terminal's language; anything else English."""
    on_a_command_line = click.get_current_context(silent=True) is not None
    return _shipped_catalogue(terminal_language() if on_a_command_line else "en")


def gettext(string: str, **variables: Any) -> str:
    """Flask-Babel's gettext, and the terminal's language where no app context exists yet."""
    if has_app_context():
        return _app_gettext(string, **variables)
    said = _without_app().gettext(string)
    return said % variables if variables else said


def counted(text: str, num: int) -> str:
    """A translated plural text with its count written as the language writes numbers: the
    `%(num)d` of "%(num)d events" becomes "56 580" in Lithuanian, "56.580" in Dutch, "56,580" in
    English (plain `%d` gave 56580 in every language). Python and templates alike."""
    if "%(num)d" not in text:
        return text
    from planner.i18n.formatting import format_number

    return text.replace("%(num)d", format_number(num).replace("%", "%%"))


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """Flask-Babel's ngettext (num is a variable too, its count formatted: `counted`), also
    where no app context exists yet."""
    variables.setdefault("num", num)
    if has_app_context():
        said = babel.domain_instance.get_translations().ungettext(singular, plural, num)
        return counted(said, num) % variables
    return _without_app().ngettext(singular, plural, num) % variables


def pgettext(context: str, string: str, **variables: Any) -> str:
    """Flask-Babel's pgettext, also where no app context exists yet."""
    if has_app_context():
        return _app_pgettext(context, string, **variables)
    said = str(_without_app().pgettext(context, string))
    return said % variables if variables else said


def lazy_gettext(string: str, **variables: Any) -> LazyString:
    """A string translated when it is used (form labels, tables and help texts defined at
    import time), in the language of that moment."""
    return LazyString(gettext, string, **variables)


def terminal_gettext(string: str) -> str:
    """The terminal's words for a text, without %-formatting: for what only a command line shows
    (help texts; click's own words, which click formats with str.format)."""
    return str(_shipped_catalogue(terminal_language()).gettext(string))


def terminal_ngettext(singular: str, plural: str, num: int) -> str:
    """terminal_gettext for a text with plural forms (click's ngettext)."""
    return str(_shipped_catalogue(terminal_language()).ngettext(singular, plural, num))


_ = gettext


def N_(text: str) -> str:  # gettext's name for "mark, translate later"
    """Mark a text for the catalogue where it is stored or shown later (`_(text)` then)."""
    return text


class _PerDirectoryDomain(Domain):
    """Flask-Babel keeps one translations cache per process, keyed by locale only, so two apps
    reading different catalogues (BABEL_TRANSLATION_DIRECTORIES; the tests' pseudo-locale app)
    would share whichever loaded first: key the cache by the directories too."""

    def __init__(self) -> None:
        super().__init__()
        self._caches: dict[tuple[str, ...], dict[Any, Any]] = {}

    def get_translations_cache(self, ctx: Any) -> dict[Any, Any]:
        """The cache of the current app's translation directories."""
        return self._caches.setdefault(tuple(self.translation_directories), {})


babel = Babel()
babel.domain_instance = _PerDirectoryDomain()


def language_of(tag: str | None) -> str | None:
    """The supported language of a locale tag such as nl-NL or lt_LT, or None."""
    if not tag or not isinstance(tag, str):
        return None
    code = tag.replace("_", "-").split("-", 1)[0].lower()
    return code if code in LANGUAGES else None


def organisation_row() -> tuple[str | None, str | None]:
    """(locale, time zone) of the organisation, read once per request on a connection of its
    own: a request's session (which may have just committed) never starts a transaction here."""
    if "org_row" not in g:
        from planner.db import _write_intent, database
        from planner.models import Organisation

        intent = _write_intent.set(False)
        try:
            with database().sessions() as session:
                org = session.get(Organisation, 1)
                g.org_row = (org.locale, org.time_zone) if org is not None else (None, None)
        finally:
            _write_intent.reset(intent)
    return g.org_row


def _organisation_language() -> str | None:
    return language_of(organisation_row()[0])


def organisation_language() -> str:
    """The organisation's language (team and organisation feeds, e-mails to many), else English."""
    try:
        return _organisation_language() or "en"
    except SQLAlchemyError:
        return "en"


# Where a command line's language comes from, first match wins: the app's own variable, then the
# terminal's, as gettext reads them (LANGUAGE may list several, "nl:en"). C/POSIX mean English.
TERMINAL_VARIABLES = ("PLANNER_LANGUAGE", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def terminal_language() -> str:
    """The language of `planner` commands: PLANNER_LANGUAGE, else the terminal's locale
    (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), else English."""
    for name in TERMINAL_VARIABLES:
        for tag in (os.environ.get(name) or "").split(":"):
            code = language_of(tag.split(".", 1)[0])
            if code:
                return code
    return "en"


def select_locale() -> str:
    """The person's own choice, else the visitor's cookie, else the organisation's locale,
    else the browser's, else English. A command line speaks the terminal's language; background
    work outside both (jobs in a worker thread) speaks English."""
    if not has_request_context():
        return terminal_language() if click.get_current_context(silent=True) else "en"
    from flask_login import current_user

    own = language_of(getattr(current_user, "language", None))
    if own:
        return own
    chosen = language_of(request.cookies.get(COOKIE))
    if chosen:
        return chosen
    try:
        org = _organisation_language()
    except SQLAlchemyError:  # a page must still render (in English) while the database is down
        org = None
    if org:
        return org
    return request.accept_languages.best_match(list(LANGUAGES)) or "en"


def recipient_language(person_language: str | None, organisation_locale: str | None) -> str:
    """The language of an e-mail or a message to one person: their own choice, else the
    organisation's locale, else English (never the request's: the reader is someone else)."""
    return language_of(person_language) or language_of(organisation_locale) or "en"


@contextmanager
def in_language(code: str | None) -> Iterator[None]:
    """Translate and format in `code` (an e-mail to one person, their calendar) for a while."""
    with force_locale(language_of(code) or "en"):
        yield


def init_app(app: Flask) -> None:
    """Install Babel: the locale selector, `_`/`ngettext` and the date filters in templates."""
    from planner.i18n import formatting

    babel.init_app(app, locale_selector=select_locale, default_domain="messages")
    domain = babel.domain_instance
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # Flask-Babel's, counted
        gettext=lambda s: domain.get_translations().ugettext(s),
        ngettext=lambda s, p, n: counted(domain.get_translations().ungettext(s, p, n), n),
        newstyle=True,
        pgettext=lambda c, s: domain.get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: counted(domain.get_translations().unpgettext(c, s, p, n), n),
    )
    formatting.register(app)
    app.jinja_env.globals.update(languages=LANGUAGES, current_language=formatting.language)
