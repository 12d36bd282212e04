"""The standards blueprint, defined where no views module needs to import back, plus what every
page may use: the lesson Markdown filter and the home-page summary (purpose, certification)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from flask import Blueprint, abort, flash
from flask_login import current_user
from sqlalchemy.orm import Session

from planner.db import get_session
from planner.errors import InvalidInput, NotFound
from planner.models import Person, PurposeStatement, TrainingModule
from planner.recognition import clock
from planner.standards import attempts, scoring, training
from planner.standards.markdown import render_markdown
from planner.standards.purpose import current_purpose, purpose_of_kickoff

bp = Blueprint("standards", __name__, url_prefix="/standards")
bp.add_app_template_filter(render_markdown, "markdown")


def me() -> Person:
    """The signed-in person as a model object."""
    return current_user._get_current_object()


T = TypeVar("T")


def posted(db: Session, step: Callable[[], T], done: Callable[[T], str]) -> None:
    """Run a button's operation: NotFound is a 404; a refusal (InvalidInput) is rolled back and
    flashed as a warning; else the change is committed and `done(result)` flashed as success."""
    try:
        result = step()
    except NotFound:
        abort(404)
    except InvalidInput as exc:
        db.rollback()
        flash(str(exc), "warning")
    else:
        db.commit()
        flash(done(result), "success")


@dataclass(frozen=True)
class HomeSummary:
    """What the home page shows of the standards: the purpose and one's certification."""

    purpose: PurposeStatement | None
    certified_until: date | None
    expiring: bool
    expired: bool
    module: TrainingModule | None


def home_summary() -> HomeSummary | None:
    """The signed-in person's summary (None for visitors); read only when a page asks."""
    if not current_user.is_authenticated:
        return None
    db = get_session()
    today = clock.today(db)
    until = attempts.certified_until(db, current_user.id)
    soon = until is not None and scoring.expiring_soon(until, today)
    return HomeSummary(
        purpose=current_purpose(db),
        certified_until=until,
        expiring=soon and scoring.is_valid(until, today) if until else False,
        expired=soon and not scoring.is_valid(until, today) if until else False,
        module=training.module_of_month(db, today) if soon else None,
    )


@bp.app_template_global("purpose_of_kickoff")
def _purpose_of_kickoff(activity: Any) -> str | None:
    """The purpose statement beside the week's kickoff activity (csweek/_activity.html)."""
    return purpose_of_kickoff(get_session(), activity)


@bp.app_context_processor
def _standards_helpers() -> dict[str, Any]:
    """`standards_home()` for templates/standards/_purpose.html (included on the home page)."""
    return {"standards_home": home_summary}
