"""The language switcher: a page (GET, changes nothing) and the form on every page (POST).

Signed in, the choice is stored on the person (their profile, e-mails and calendar follow it);
anonymous visitors keep it in a cookie. "" means "the organisation's language".
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_login import current_user

from planner.access import public
from planner.db import get_session
from planner.i18n import COOKIE, LANGUAGES, _, organisation_language, select_locale
from planner.models import Person

bp = Blueprint("i18n", __name__)

COOKIE_AGE = 365 * 24 * 3600


def _next_page(target: str | None) -> str:
    from planner.auth.views import safe_next

    return safe_next(target) or url_for("dashboard.index")


@bp.route("/language", methods=["GET"])
@public
def choose() -> Any:
    """The languages to choose from, with the current one marked."""
    return render_template(
        "i18n/language.html",
        languages=LANGUAGES,
        current=select_locale(),
        own=getattr(current_user, "language", None),
        organisation=LANGUAGES[organisation_language()],
        next_page=_next_page(request.args.get("next")),
    )


@bp.route("/language", methods=["POST"])
@public
def change() -> Any:
    """Store the choice (on the person, or in a cookie) and go back to the page."""
    code = (request.form.get("language") or "").strip()
    target = _next_page(request.form.get("next"))
    response = redirect(target)
    if code and code not in LANGUAGES:
        return response  # a tampered choice changes nothing
    if current_user.is_authenticated:
        person = get_session().get(Person, current_user.id)
        if person is not None:
            person.language = code or None
            get_session().commit()
    if code:
        response.set_cookie(COOKIE, code, max_age=COOKIE_AGE, samesite="Lax", httponly=True)
    else:
        response.delete_cookie(COOKIE)
    with force_locale(code or organisation_language()):
        flash(_("Language saved."), "success")
    return response
