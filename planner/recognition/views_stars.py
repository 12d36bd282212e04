"""Service-star pages: hall of fame, nominating, and approving or declining."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for

from planner.access import LEADERS, ORGANISERS, SIGNED_IN, allow
from planner.api import hooks
from planner.db import get_session, utcnow
from planner.errors import InvalidInput, NotFound
from planner.i18n import _
from planner.i18n.formatting import format_day
from planner.recognition import clock, forms, reveal, stars
from planner.recognition.views import bp, me


@bp.route("/stars")
@allow(*SIGNED_IN)
def hall_of_fame() -> Any:
    """The hall of fame, pending decisions and (for coordinators) teams left unrecognised."""
    db = get_session()
    person = me()
    shown, upcoming = reveal.split_revealed(db, stars.hall_of_fame(db), person, clock.today(db))
    return render_template(
        "recognition/stars.html",
        awards=shown,
        upcoming=upcoming,
        decisions=stars.pending_for(db, person) if person.role in LEADERS else [],
        mine=stars.nominations_by(db, person.id),
        unrecognised=(
            stars.unrecognised_teams(db, clock.today(db), utcnow())
            if person.role in ORGANISERS
            else []
        ),
        weeks=stars.UNRECOGNISED_WEEKS,
    )


@bp.route("/stars/nominate", methods=["GET", "POST"])
@allow(*SIGNED_IN)
def nominate() -> Any:
    """Nominate a colleague (optionally from one of their praise)."""
    db = get_session()
    form = forms.NominationForm()
    if request.method == "GET":
        form.nominee.data = request.args.get("person", type=int)
        form.praise_id.data = request.args.get("praise", default="")
    if form.validate_on_submit():
        praise_id = int(form.praise_id.data) if (form.praise_id.data or "").isdigit() else None
        try:
            stars.nominate(
                db,
                nominator=me(),
                nominee_id=form.nominee.person_id,
                reason=form.reason.data or "",
                praise_id=praise_id,
                now=utcnow(),
            )
        except InvalidInput as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            flash(_("Thank you: the nomination goes to their leaders."), "success")
            return redirect(url_for("recognition.hall_of_fame"))
    return render_template("recognition/nominate.html", form=form)


@bp.route("/stars/nominations/<int:nomination_id>", methods=["GET", "POST"])
@allow(*LEADERS)
def decide(nomination_id: int) -> Any:
    """The nominee's manager or skip-level leader approves (for a month) or declines."""
    db = get_session()
    try:
        nomination = stars.get_nomination(db, nomination_id, me())
    except NotFound:
        abort(404)
    form = forms.DecisionForm()
    if request.method == "GET":
        form.month.data = stars.default_award_month(db, nomination.nominee.team_id, clock.today(db))
    if nomination.status == "pending" and form.validate_on_submit():
        approve = bool(form.approve.data)
        try:
            stars.decide(
                db,
                nomination.id,
                me(),
                approve=approve,
                month=form.month.data,
                note=form.note.data or "",
                now=utcnow(),
            )
        except InvalidInput as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            award = reveal.award_of(db, nomination.id) if approve else None
            today = clock.today(db)
            if award is not None and reveal.is_revealed(db, award, today):
                # Teams/Slack channels that announce service stars (sent on commit); a star of a
                # later day is announced on that morning (recognition/jobs.py).
                hooks.star_approved(db, nomination.id, current_app.config["BASE_URL"], me().id)
            db.commit()
            name = nomination.nominee.name
            if award is None:
                flash(_("The nomination is declined."), "success")
            elif reveal.is_revealed(db, award, today):
                flash(_("%(name)s is a service star.", name=name), "success")
            else:
                flash(
                    _(
                        "%(name)s is a service star. Keep it a surprise: the name is shown "
                        "to everyone from %(day)s.",
                        name=name,
                        day=format_day(reveal.reveal_day(db, award)),
                    ),
                    "success",
                )
            return redirect(url_for("recognition.hall_of_fame"))
    return render_template("recognition/decide.html", nomination=nomination, form=form)
