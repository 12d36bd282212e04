"""Service-standards pages: the overview and the purpose statement.

The lexicon, training and shout-out pages live in views_lexicon.py, views_training.py and
views_shoutouts.py; each adds its routes to the blueprint of blueprint.py."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for

from planner.access import ORGANISERS, SIGNED_IN, allow
from planner.db import get_session, utcnow
from planner.errors import InvalidInput
from planner.recognition import clock
from planner.standards import attempts, forms, purpose, shoutouts, training
from planner.standards.blueprint import bp, me
from planner.standards.operations import save_purpose


@bp.route("/")
@allow(*SIGNED_IN)
def index() -> Any:
    """The purpose, this month's module, one's certification and the latest shout-outs."""
    db = get_session()
    today = clock.today(db)
    return render_template(
        "standards/index.html",
        purpose=purpose.current_purpose(db),
        module=training.module_of_month(db, today),
        certified_until=attempts.certified_until(db, me().id),
        today=today,
        shouts=shoutouts.wall(db)[:5],
    )


@bp.route("/purpose", methods=["GET", "POST"])
@allow(*ORGANISERS)
def edit_purpose() -> Any:
    """Write a new version of the purpose statement; earlier versions stay in the history."""
    db = get_session()
    current = purpose.current_purpose(db)
    form = forms.PurposeForm(data={"text": current.text if current else ""})
    if form.validate_on_submit():
        text = form.text.data or ""
        try:
            changed = save_purpose(db, text, author_id=me().id, now=utcnow())
        except InvalidInput as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            flash("The purpose statement is saved." if changed else "Nothing changed.", "success")
            if advice := purpose.length_advice(text):
                flash(advice, "warning")
            return redirect(url_for("standards.edit_purpose"))
    return render_template(
        "standards/purpose.html",
        form=form,
        history=purpose.purpose_history(db),
        low=purpose.PURPOSE_MIN_WORDS,
        high=purpose.PURPOSE_MAX_WORDS,
    )


# The other pages add their routes to `bp`.
from planner.standards import views_lexicon, views_shoutouts, views_training  # noqa: E402

__all__ = ["bp", "views_lexicon", "views_shoutouts", "views_training"]
