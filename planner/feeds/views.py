"""Feeds: the .ics URLs (token = credential), "My calendar" and the coordinators' feed page."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.globals import request_ctx
from flask_login import current_user

from planner.access import ORGANISERS, SIGNED_IN, allow, public
from planner.db import get_session, utcnow
from planner.errors import InvalidInput, NotAllowed, NotFound
from planner.feeds import fetches, pages, serving, tokens
from planner.feeds.forms import ManagedFeedForm, PersonalFeedForm, ReminderForm, choices
from planner.i18n import _

bp = Blueprint("feeds", __name__)


@bp.route("/calendars/<token>/<name>.ics")
@public
def calendar(token: str, name: str) -> Response:
    """A feed: read-only, no session, no cookie; 404 for unknown, rotated or disabled tokens."""
    now = utcnow()
    found = serving.find_feed(current_app, token)
    memo = found and serving.current_bytes(current_app, found, now)
    if not found or not memo:
        return serving.not_found()
    response = serving.feed_response(request, memo)
    fetches.record(current_app, found.id, request.headers.get("User-Agent"),
                   not_modified=response.status_code == 304, now=now)  # fmt: skip
    return response


@bp.after_request
def _never_a_session_on_feeds(response: Response) -> Response:
    """A feed URL never reads into or writes a session: drop it before Flask saves it."""
    if request.endpoint == "feeds.calendar":
        # Flask saves (and sets a cookie for) any session that was opened and modified, e.g. by
        # the idle-limit stamp; a null session is never saved.
        request_ctx._session = current_app.session_interface.make_null_session(current_app)
    return response


@bp.route("/feeds/")
@allow(*SIGNED_IN)
def agenda() -> str:
    """My calendar: upcoming items grouped by week and the subscribe panel."""
    context = pages.agenda_context(
        get_session(), current_user, request.args.get("page", 1, type=int)
    )
    return render_template("feeds/agenda.html", **context)


def _done(action: Any, message: str, target: str) -> Any:
    """Run an operation, commit, flash, redirect; domain errors become flashes or 404."""
    session = get_session()
    try:
        action(session)
    except NotFound:
        session.rollback()
        abort(404)
    except (InvalidInput, NotAllowed) as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(target)
    session.commit()
    flash(message, "success")
    return redirect(target)


@bp.route("/feeds/new", methods=["POST"])
@allow(*SIGNED_IN)
def create_mine() -> Any:
    """Add a personal feed (optionally narrowed to practices)."""
    form = PersonalFeedForm()
    if not form.validate_on_submit():
        flash(_("Choose practices from the list."), "error")
        return redirect(url_for("feeds.agenda"))
    return _done(
        lambda s: tokens.create_feed(
            s, current_app.config["SECRET_KEY"], scope="person", now=utcnow(),
            actor_id=current_user.id, person_id=current_user.id,
            practices=form.practices.data or [],
        ),
        "Your feed is ready. Subscribe to it below.",
        url_for("feeds.agenda"),
    )  # fmt: skip


def _back() -> str:
    """Where a feed action returns to: the manage page for organisers' team/org feeds."""
    return url_for("feeds.manage" if request.form.get("back") == "manage" else "feeds.agenda")


@bp.route("/feeds/<int:feed_id>/rotate", methods=["POST"])
@allow(*SIGNED_IN)
def rotate(feed_id: int) -> Any:
    """New secret link for a feed: the old link stops working at once."""
    return _done(
        lambda s: tokens.rotate_feed(
            s, current_app.config["SECRET_KEY"], current_user, feed_id, now=utcnow()
        ),
        "New link created. The old link no longer works: subscribe again with the new one.",
        _back(),
    )


@bp.route("/feeds/<int:feed_id>/reminders", methods=["POST"])
@allow(*SIGNED_IN)
def reminders(feed_id: int) -> Any:
    """Choose a feed's reminders (none; 15 minutes before timed events; tasks' morning)."""
    form = ReminderForm()
    if not form.validate_on_submit():
        flash(_("Choose one of the reminder options."), "error")
        return redirect(_back())
    return _done(
        lambda s: tokens.set_reminders(s, current_user, feed_id, form.reminders.data or "none"),
        "Reminders saved. Your calendar app shows them after its next refresh.",
        _back(),
    )


@bp.route("/feeds/<int:feed_id>/delete", methods=["POST"])
@allow(*SIGNED_IN)
def delete(feed_id: int) -> Any:
    """Remove a feed."""
    return _done(
        lambda s: tokens.delete_feed(s, current_user, feed_id, now=utcnow()),
        "Feed removed.",
        _back(),
    )


@bp.route("/feeds/manage")
@allow(*ORGANISERS)
def manage() -> str:
    """Team and organisation feeds; people's feeds can be disabled here."""
    return render_template("feeds/manage.html", **pages.manage_context(get_session()))


@bp.route("/feeds/manage/new", methods=["POST"])
@allow(*ORGANISERS)
def create_managed() -> Any:
    """Add a team or organisation feed."""
    form = ManagedFeedForm()
    form.owner.choices = choices(pages.owner_choices(get_session()))
    if not form.validate_on_submit():
        flash(_("Choose a team or the organisation, and practices from the list."), "error")
        return redirect(url_for("feeds.manage"))
    owner = form.owner.data or "org"
    team_id = int(owner.removeprefix("team-")) if owner.startswith("team-") else None
    return _done(
        lambda s: tokens.create_feed(
            s, current_app.config["SECRET_KEY"], scope="team" if team_id else "org",
            now=utcnow(), actor_id=current_user.id, team_id=team_id,
            practices=form.practices.data or [],
        ),
        "Feed created.",
        url_for("feeds.manage"),
    )  # fmt: skip


def _person_feeds(person_id: int, *, enabled: bool) -> Any:
    """Disable (or re-enable with new links) every feed of a person."""
    return _done(
        lambda s: tokens.set_person_feeds_enabled(
            s, current_app.config["SECRET_KEY"], current_user, person_id,
            enabled=enabled, now=utcnow(),
        ),
        "Feeds enabled with new links." if enabled else "All feeds of this person are disabled.",
        url_for("feeds.manage"),
    )  # fmt: skip


@bp.route("/feeds/people/<int:person_id>/disable", methods=["POST"])
@allow(*ORGANISERS)
def disable_person(person_id: int) -> Any:
    """Disable every feed of a person (their links answer 404)."""
    return _person_feeds(person_id, enabled=False)


@bp.route("/feeds/people/<int:person_id>/enable", methods=["POST"])
@allow(*ORGANISERS)
def enable_person(person_id: int) -> Any:
    """Re-enable a person's feeds, with new links."""
    return _person_feeds(person_id, enabled=True)
