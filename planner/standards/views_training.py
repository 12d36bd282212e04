"""Training pages: modules, building their quizzes, taking a quiz (plain form POST, no
JavaScript), results, certificates and the coordinators' report."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from planner.access import ORGANISERS, SIGNED_IN, allow
from planner.db import get_session, utcnow
from planner.errors import InvalidInput, NotFound
from planner.i18n import _
from planner.i18n.formatting import format_month
from planner.models import Certificate, LexiconEntry, TrainingQuestion
from planner.recognition import clock
from planner.standards import attempts, forms, measures, training
from planner.standards.blueprint import bp, me, posted


@bp.route("/training")
@allow(*SIGNED_IN)
def training_index() -> Any:
    """The modules, this month's first; one's own certificates and attempts."""
    db = get_session()
    today = clock.today(db)
    return render_template(
        "standards/training.html",
        modules=training.list_modules(db, drafts=me().role in ORGANISERS),
        of_month=training.module_of_month(db, today),
        certificates=attempts.certificates_of(db, me().id),
        attempts=attempts.attempts_of(db, me().id)[:10],
        certified_until=attempts.certified_until(db, me().id),
        today=today,
    )


@bp.route("/training/month/<month>")
@allow(*SIGNED_IN)
def module_of_month(month: str) -> Any:
    """The stable link of a month's refresher training events: that month's module."""
    try:
        year, number = (int(part) for part in month.split("-"))
        first = date(year, number, 1)
    except ValueError:
        abort(404)
    module = training.module_of_month(get_session(), first)
    if module is None:
        flash(
            _("No refresher module is set for %(format)s yet.", format=format_month(first)),
            "warning",
        )
        return redirect(url_for("standards.training_index"))
    return redirect(url_for("standards.module", module_id=module.id))


def _entry_choices() -> list[tuple[int, str]]:
    """Approved phrases as options."""
    entries = get_session().scalars(
        select(LexiconEntry)
        .where(LexiconEntry.status == "approved")
        .order_by(LexiconEntry.language, LexiconEntry.avoid_key)
    )
    return [(e.id, f"[{e.language}] {e.avoid} → {e.use_instead}") for e in entries]


@bp.route("/training/new", methods=["GET", "POST"])
@bp.route("/training/<int:module_id>/edit", methods=["GET", "POST"])
@allow(*ORGANISERS)
def edit_module(module_id: int | None = None) -> Any:
    """Create or change a module."""
    db = get_session()
    module = None
    if module_id is not None:
        try:
            module = training.get_module(db, module_id, me())
        except NotFound:
            abort(404)
    form = forms.ModuleForm(obj=module)
    form.entries.choices = _entry_choices()
    if request.method == "GET" and module is not None:
        form.entries.data = [e.id for e in module.entries]
    if form.validate_on_submit():
        values = training.ModuleValues(
            title=form.title.data or "",
            lesson=form.lesson.data or "",
            pass_mark=form.pass_mark.data or 80,
            published=bool(form.published.data),
            featured_from=form.featured_from.data,
            entry_ids=tuple(form.entries.data or ()),
        )
        try:
            saved = training.save_module(db, module_id, values, utcnow())
        except (InvalidInput, NotFound) as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            flash(_("The module is saved."), "success")
            return redirect(url_for("standards.module", module_id=saved.id))
    return render_template("standards/module_form.html", form=form, module=module)


@bp.route("/training/<int:module_id>")
@allow(*SIGNED_IN)
def module(module_id: int) -> Any:
    """A module: the lesson, its phrases, and the quiz's start button (or its questions)."""
    db = get_session()
    try:
        found = training.get_module(db, module_id, me())
    except NotFound:
        abort(404)
    return render_template(
        "standards/module.html",
        module=found,
        attempts=attempts.attempts_of(db, me().id, found.id),
        locked=training.questions_locked(db, found.id),
    )


@bp.route("/training/<int:module_id>/start", methods=["POST"])
@allow(*SIGNED_IN)
def start_quiz(module_id: int) -> Any:
    """Open an attempt and show its questions."""
    db = get_session()
    try:
        attempt = attempts.start_attempt(db, module_id, me(), utcnow())
    except NotFound:
        abort(404)
    except InvalidInput as exc:
        db.rollback()
        flash(str(exc), "warning")
        return redirect(url_for("standards.module", module_id=module_id))
    db.commit()
    return redirect(url_for("standards.attempt", attempt_id=attempt.id))


def _posted_answers(questions: list[TrainingQuestion]) -> dict[int, frozenset[int]]:
    """The options ticked per question, from the posted form (anything else is ignored)."""
    return {
        q.id: frozenset(int(v) for v in request.form.getlist(f"q{q.id}") if v.isdigit())
        for q in questions
    }


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
@allow(*SIGNED_IN)
def attempt(attempt_id: int) -> Any:
    """An open attempt's questions (answers never shown), or a submitted one's result."""
    db = get_session()
    try:
        found = attempts.get_attempt(db, attempt_id, me())
    except NotFound:
        abort(404)
    form = forms.QuizForm()
    chosen: dict[int, frozenset[int]] = {}
    if request.method == "POST" and found.person_id == me().id and form.validate_on_submit():
        chosen = _posted_answers(found.module.questions)
        try:
            attempts.submit_attempt(db, found.id, me(), chosen, now=utcnow(), today=clock.today(db))
        except attempts.AlreadySubmitted as exc:
            db.rollback()
            flash(str(exc), "warning")
            return redirect(url_for("standards.attempt", attempt_id=found.id))
        except InvalidInput as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            return redirect(url_for("standards.attempt", attempt_id=found.id))
    if found.submitted_at is None:
        status = 400 if form.form_errors else 200
        return render_template(
            "standards/quiz.html", attempt=found, form=form, chosen=chosen
        ), status
    return render_template(
        "standards/result.html",
        attempt=found,
        answers={a.question_id: a for a in found.answers},
        certificate=attempts.certificate_for(db, found.id),
    )


@bp.route("/certificates/<int:certificate_id>")
@allow(*SIGNED_IN)
def certificate(certificate_id: int) -> Any:
    """A certificate to show or print (one's own; coordinators may open anyone's)."""
    db = get_session()
    found = db.get(Certificate, certificate_id)
    if found is None or (found.person_id != me().id and me().role not in ORGANISERS):
        abort(404)
    return render_template("standards/certificate.html", cert=found, today=clock.today(db))


def _question_values(form: forms.QuestionForm) -> training.QuestionValues:
    """The form's question and options."""
    return training.QuestionValues(
        prompt=form.prompt.data or "",
        multiple=bool(form.multiple.data),
        explanation=form.explanation.data or "",
        choices=tuple(
            (getattr(form, f"choice_{n}").data or "", bool(getattr(form, f"right_{n}").data))
            for n in range(1, training.MAX_CHOICES + 1)
        ),
    )


@bp.route("/training/<int:module_id>/questions/new", methods=["GET", "POST"])
@bp.route("/training/<int:module_id>/questions/<int:question_id>", methods=["GET", "POST"])
@allow(*ORGANISERS)
def edit_question(module_id: int, question_id: int | None = None) -> Any:
    """Add or change a question with up to six options."""
    db = get_session()
    question = db.get(TrainingQuestion, question_id) if question_id is not None else None
    found = db.get(training.TrainingModule, module_id)
    if found is None or (
        question_id is not None and (question is None or question.module_id != module_id)
    ):
        abort(404)
    form = forms.QuestionForm(obj=question)
    if request.method == "GET" and question is not None:
        for n, choice in enumerate(question.choices, start=1):
            getattr(form, f"choice_{n}").data = choice.text
            getattr(form, f"right_{n}").data = choice.correct
    if form.validate_on_submit():
        try:
            training.save_question(db, module_id, question_id, _question_values(form))
        except (InvalidInput, NotFound) as exc:
            db.rollback()
            form.form_errors.append(str(exc))
        else:
            db.commit()
            flash(_("The question is saved."), "success")
            return redirect(url_for("standards.module", module_id=module_id))
    return render_template(
        "standards/question_form.html", form=form, module=found, question=question,
        count=training.MAX_CHOICES,
    )  # fmt: skip


@bp.route("/training/<int:module_id>/questions/<int:question_id>/delete", methods=["POST"])
@allow(*ORGANISERS)
def delete_question(module_id: int, question_id: int) -> Any:
    """Remove a question."""
    db = get_session()
    posted(
        db,
        lambda: training.delete_question(db, module_id, question_id),
        lambda _done: _("The question is removed."),
    )
    return redirect(url_for("standards.module", module_id=module_id))


@bp.route("/training/<int:module_id>/report")
@allow(*ORGANISERS)
def report(module_id: int) -> Any:
    """Which questions most people get wrong, and completion per team."""
    db = get_session()
    try:
        found = training.get_module(db, module_id, me())
    except NotFound:
        abort(404)
    return render_template(
        "standards/report.html",
        module=found,
        troubles=measures.hardest_questions(db, found.id),
        teams=measures.completion_by_team(db, clock.today(db)),
    )
