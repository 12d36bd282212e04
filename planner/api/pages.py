"""The integrations page (coordinators and admins): API tokens, praise webhook sources, Teams and
Slack channels, a team's thank-you. Secrets are shown once, on the answer to the POST."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from planner.access import ORGANISERS, allow
from planner.api import announcements, forms, notify, operations
from planner.api.auth import SCOPE_AREAS
from planner.api.blueprint import integrations
from planner.db import get_session, utcnow
from planner.errors import InvalidInput, NotAllowed, NotFound
from planner.i18n import _, in_language, ngettext, organisation_language
from planner.i18n import lazy_gettext as _l
from planner.models import Person, Team

NO_STORE = {"Cache-Control": "no-store"}
# The scope areas in the reader's language on the token page (the OpenAPI document, read by
# integrators, keeps SCOPE_AREAS in English).
SCOPE_LABELS = {
    "people": _l("People and teams"),
    "recognition": _l("Praise and scorecard values"),
    "events": _l("Calendar events (read only)"),
    "feedback": _l("The feedback board (read only)"),
    "plan": _l("The year plan's status (read only)"),
}
assert set(SCOPE_LABELS) == set(SCOPE_AREAS)


def _me() -> Person:
    return current_user._get_current_object()


def _team_choices(db: Any) -> list[SelectChoice]:
    return [SelectChoice(str(t.id), t.name) for t in db.scalars(select(Team).order_by(Team.name))]


def _loopback() -> bool:
    return bool(current_app.config.get("API_NOTIFY_ALLOW_LOOPBACK", False))


def _page(status: int = 200, **shown: Any) -> Any:
    """The page with its lists and forms (fresh ones unless given)."""
    db = get_session()
    thanks = shown.pop("thanks_form", None) or forms.ThanksForm()
    thanks.team.choices = _team_choices(db)
    body = render_template(
        "api/integrations.html",
        tokens=operations.tokens_for(db, _me()),
        sources=operations.sources(db),
        targets=operations.targets(db),
        areas=SCOPE_LABELS,
        token_form=shown.pop("token_form", None) or forms.TokenForm(),
        source_form=shown.pop("source_form", None) or forms.SourceForm(),
        target_form=shown.pop("target_form", None) or forms.TargetForm(),
        thanks_form=thanks,
        topic_labels=forms.TOPIC_LABELS,
        **shown,
    )
    return body, status, NO_STORE


@integrations.route("/")
@allow(*ORGANISERS)
def index() -> Any:
    """Everything configured, with the forms to add more."""
    return _page()


@integrations.route("/tokens", methods=["POST"])
@allow(*ORGANISERS)
def create_token() -> Any:
    """Create a token and show it once."""
    form = forms.TokenForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            _token, secret = operations.create_token(
                db, _me(), name=form.name.data or "", scopes=form.scopes.data or [], now=utcnow()
            )
        except InvalidInput as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            return _page(new_secret=secret, new_secret_label=_("Your new API token"))
    return _page(400, token_form=form)


@integrations.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@allow(*ORGANISERS)
def revoke_token(token_id: int) -> Any:
    """Revoke a token at once."""
    db = get_session()
    try:
        operations.revoke_token(db, _me(), token_id, now=utcnow())
    except NotFound:
        abort(404)
    db.commit()
    flash(_("The token is revoked: it stops working at once."), "success")
    return redirect(url_for("api.integrations.index"))


@integrations.route("/sources", methods=["POST"])
@allow(*ORGANISERS)
def create_source() -> Any:
    """Add a praise webhook source and show its secret once."""
    form = forms.SourceForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            source, secret = operations.create_source(
                db, current_app.config["SECRET_KEY"], _me(), name=form.name.data or "", now=utcnow()
            )
        except (InvalidInput, NotAllowed) as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            url = url_for("api.v1.praise_webhook", source_id=source.id, _external=True)
            return _page(
                new_secret=secret,
                new_secret_label=_(
                    "Signing secret for %(name)s; send deliveries to %(url)s",
                    name=source.name,
                    url=url,
                ),
            )
    return _page(400, source_form=form)


@integrations.route("/sources/<int:source_id>/toggle", methods=["POST"])
@allow(*ORGANISERS)
def toggle_source(source_id: int) -> Any:
    """Turn a source off, or on again (with a new secret, shown once)."""
    db = get_session()
    try:
        source = db.get(operations.WebhookSource, source_id)
        if source is None:
            raise NotFound("No such source.")
        source = operations.set_source_active(
            db, _me(), source_id, active=not source.active, now=utcnow()
        )
    except NotFound:
        abort(404)
    db.commit()
    if source.active:
        from planner.api.signing import derive_secret

        secret = derive_secret(current_app.config["SECRET_KEY"], source.id, source.salt)
        return _page(
            new_secret=secret,
            new_secret_label=_("New signing secret for %(name)s", name=source.name),
        )
    flash(_("The source is off: its deliveries are refused."), "success")
    return redirect(url_for("api.integrations.index"))


@integrations.route("/targets", methods=["POST"])
@allow(*ORGANISERS)
def create_target() -> Any:
    """Add a Teams or Slack channel."""
    form = forms.TargetForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            operations.add_target(
                db,
                _me(),
                kind=form.kind.data or "",
                name=form.name.data or "",
                url=form.url.data or "",
                topics=form.topics.data or [],
                allow_loopback=_loopback(),
                now=utcnow(),
            )
        except InvalidInput as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            flash(_("The channel is added."), "success")
            return redirect(url_for("api.integrations.index"))
    return _page(400, target_form=form)


@integrations.route("/targets/<int:target_id>/delete", methods=["POST"])
@allow(*ORGANISERS)
def delete_target(target_id: int) -> Any:
    """Remove a channel."""
    db = get_session()
    try:
        operations.remove_target(db, _me(), target_id, now=utcnow())
    except NotFound:
        abort(404)
    db.commit()
    flash(_("The channel is removed."), "success")
    return redirect(url_for("api.integrations.index"))


@integrations.route("/thanks", methods=["POST"])
@allow(*ORGANISERS)
def thank_team() -> Any:
    """Announce a thank-you to a team in the channels that take thank-yous."""
    db = get_session()
    form = forms.ThanksForm()
    form.team.choices = _team_choices(db)
    if not form.validate_on_submit():
        return _page(400, thanks_form=form)
    team = db.get(Team, int(form.team.data or 0))
    if team is None:
        abort(404)
    with in_language(organisation_language()):
        note = announcements.team_thanks(team, form.message.data or "", _me().name)
    queued = notify.announce(db, note, requested_by=_me().id)
    db.commit()
    flash(
        ngettext(
            "Sending to %(num)d channel; the list below shows how it went.",
            "Sending to %(num)d channels; the list below shows how it went.",
            queued,
        )
        if queued
        else _("No channel takes thank-yous yet: tick it on a channel first."),
        "success" if queued else "warning",
    )
    return redirect(url_for("api.integrations.index"))
