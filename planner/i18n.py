"""Translations: the app's words in English, Dutch and Lithuanian (Flask-Babel).

Groundwork shared by every area: mark strings with `_()` / `ngettext()` (Python) or
`{{ _("...") }}` / `{% trans %}` (templates); `lazy_gettext` for strings defined at import time
(form labels, module-level tables). The language is chosen per request by `select_locale`.
"""

from __future__ import annotations

from flask import Flask, g, has_request_context, request
from flask_babel import Babel, gettext, lazy_gettext, ngettext, pgettext
from sqlalchemy.exc import SQLAlchemyError

__all__ = ["LANGUAGES", "_", "babel", "init_app", "lazy_gettext", "ngettext", "pgettext"]

# Language code -> its own name, as shown in the language switcher.
LANGUAGES: dict[str, str] = {"en": "English", "nl": "Nederlands", "lt": "Lietuvių"}

_ = gettext
babel = Babel()


def language_of(tag: str | None) -> str | None:
    """The supported language of a locale tag such as nl-NL or lt_LT, or None."""
    if not tag:
        return None
    code = tag.replace("_", "-").split("-", 1)[0].lower()
    return code if code in LANGUAGES else None


def _organisation_language() -> str | None:
    from planner.db import get_session
    from planner.models import Organisation

    if "org_language" not in g:
        org = get_session().get(Organisation, 1)
        g.org_language = language_of(org.locale) if org is not None else None
    return g.org_language


def select_locale() -> str:
    """The person's own choice, else the organisation's locale, else the browser's, else English."""
    if not has_request_context():
        return "en"
    from flask_login import current_user

    own = language_of(getattr(current_user, "language", None))
    if own:
        return own
    try:
        org = _organisation_language()
    except SQLAlchemyError:  # a page must still render (in English) while the database is down
        org = None
    if org:
        return org
    return request.accept_languages.best_match(list(LANGUAGES)) or "en"


def init_app(app: Flask) -> None:
    """Install Babel: the locale selector and `_`, `ngettext` in every template."""
    babel.init_app(app, locale_selector=select_locale, default_domain="messages")
