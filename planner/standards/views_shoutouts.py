"""Shout-out pages: the organisation's wall, a team's wall, thanking a colleague, and turning a
shout-out into a service-star nomination in one click."""

from __future__ import annotations

import secrets
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from planner.access import SIGNED_IN, allow
from planner.db import get_session, utcnow
from planner.errors import InvalidInput
from planner.i18n import _
from planner.models import LexiconEntry, Team
from planner.standards import forms, shoutouts, training
from planner.standards.blueprint import bp, me, posted


@bp.route("/shoutouts")
@bp.route("/shoutouts/team/<int:team_id>")
@allow(*SIGNED_IN)
def wall(team_id: int | None = None) -> Any:
    """The newest shout-outs, of the organisation or of one team."""
    db = get_session()
    team = db.get(Team, team_id) if team_id is not None else None
    if team_id is not None and team is None:
        abort(404)
    return render_template(
        "standards/wall.html",
        shouts=shoutouts.wall(db, team_id),
        team=team,
        teams=list(db.scalars(select(Team).order_by(Team.name))),
    )


def _choices(form: forms.ShoutOutForm) -> None:
    """Colleagues, phrases and standards as options."""
    db = get_session()
    entries = db.scalars(
        select(LexiconEntry)
        .where(LexiconEntry.status == "approved")
        .order_by(LexiconEntry.language, LexiconEntry.avoid_key)
    )
    form.entry.choices = [("", "—")] + [(str(e.id), f"“{e.use_instead}”") for e in entries]
    form.module.choices = [("", "—")] + [
        (str(m.id), m.title) for m in training.list_modules(db, drafts=False)
    ]


def _optional_id(raw: str | None) -> int | None:
    """An id from an optional select, or None."""
    return int(raw) if raw and raw.isdigit() else None


@bp.route("/shoutouts/new", methods=["GET", "POST"])
@allow(*SIGNED_IN)
def new_shout_out() -> Any:
    """Thank a colleague for something specific."""
    db = get_session()
    form = forms.ShoutOutForm()
    _choices(form)
    if request.method == "GET":
        form.recipient.data = request.args.get("person", type=int)
        form.idempotency_key.data = secrets.token_urlsafe(24)
    if form.validate_on_submit():
        try:
            shout = shoutouts.give_shout_out(
                db,
                author=me(),
                recipient_id=form.recipient.person_id,
                message=form.message.data or "",
                entry_id=_optional_id(form.entry.data),
                module_id=_optional_id(form.module.data),
                now=utcnow(),
                idempotency_key=form.idempotency_key.data,
            )
        except InvalidInput as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            flash(
                _("Thank you: %(name)s will see your shout-out.", name=shout.recipient.name),
                "success",
            )
            return redirect(url_for("standards.wall"))
    return render_template("standards/shoutout_form.html", form=form)


@bp.route("/shoutouts/<int:shout_id>/nominate", methods=["POST"])
@allow(*SIGNED_IN)
def nominate(shout_id: int) -> Any:
    """One click: nominate the thanked colleague as service star, citing the shout-out."""
    db = get_session()
    posted(
        db,
        lambda: shoutouts.nominate_from(db, shout_id, me(), utcnow()),
        lambda nomination: _(
            "%(name)s is nominated as service star: their leaders decide.",
            name=nomination.nominee.name,
        ),
    )
    return redirect(url_for("standards.wall"))
