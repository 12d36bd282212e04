"""Refresher training, authoring side: modules (lesson, linked phrases, pass mark, module of the
month) and their questions. Taking a quiz lives in attempts.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import InvalidInput, NotFound
from planner.i18n import _
from planner.i18n.formatting import format_month
from planner.models import (
    LexiconEntry,
    Person,
    QuizAttempt,
    TrainingChoice,
    TrainingModule,
    TrainingQuestion,
)

ORGANISERS = ("admin", "coordinator")
MAX_CHOICES = 6


@dataclass(frozen=True)
class ModuleValues:
    """What a coordinator enters for a module."""

    title: str
    lesson: str = ""
    pass_mark: int = 80
    published: bool = False
    featured_from: date | None = None
    entry_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class QuestionValues:
    """A question with its options: (text, right?) in order; empty texts are left out."""

    prompt: str
    multiple: bool
    explanation: str
    choices: tuple[tuple[str, bool], ...]


def list_modules(session: Session, *, drafts: bool) -> list[TrainingModule]:
    """Modules, newest featured first (drafts only for coordinators)."""
    query = select(TrainingModule)
    if not drafts:
        query = query.where(TrainingModule.published.is_(True))
    return list(
        session.scalars(query.order_by(TrainingModule.featured_from.desc(), TrainingModule.title))
    )


def get_module(session: Session, module_id: int, viewer: Person) -> TrainingModule:
    """A module the viewer may see (a draft only for coordinators)."""
    module = session.get(TrainingModule, module_id)
    if module is None or (not module.published and viewer.role not in ORGANISERS):
        raise NotFound(_("No such module."))
    return module


def module_of_month(session: Session, month: date) -> TrainingModule | None:
    """The published module featured in that month (the latest one featured up to it)."""
    return session.scalar(
        select(TrainingModule)
        .where(
            TrainingModule.published.is_(True),
            TrainingModule.featured_from.is_not(None),
            TrainingModule.featured_from <= month.replace(day=1),
        )
        .order_by(TrainingModule.featured_from.desc())
        .limit(1)
    )


def save_module(
    session: Session, module_id: int | None, values: ModuleValues, now: datetime
) -> TrainingModule:
    """Create or change a module; a published module needs at least one question."""
    title = " ".join(values.title.split())
    if not title or len(title) > 200:
        raise InvalidInput(_("Give the module a title of at most 200 characters."))
    if not 1 <= values.pass_mark <= 100:
        raise InvalidInput(_("The pass mark is between 1 and 100 percent."))
    if len(values.lesson) > 20000:
        raise InvalidInput(_("Keep the lesson under 20,000 characters."))
    module = session.get(TrainingModule, module_id) if module_id is not None else None
    if module_id is not None and module is None:
        raise NotFound(_("No such module."))
    if module is None:
        module = TrainingModule(created_at=now)
        session.add(module)
    featured = values.featured_from.replace(day=1) if values.featured_from else None
    if featured is not None:
        other = session.scalar(
            select(TrainingModule).where(TrainingModule.featured_from == featured)
        )
        if other is not None and other is not module:
            raise InvalidInput(
                _(
                    "“%(title)s” is already the module of %(format)s.",
                    title=other.title,
                    format=format_month(featured),
                )
            )
    if values.published and not module.questions:
        raise InvalidInput(_("Add at least one question before publishing the module."))
    module.title, module.lesson, module.pass_mark = title, values.lesson.strip(), values.pass_mark
    module.published, module.featured_from, module.updated_at = values.published, featured, now
    ids = sorted(set(values.entry_ids))
    module.entries = (
        list(session.scalars(select(LexiconEntry).where(LexiconEntry.id.in_(ids)))) if ids else []
    )
    session.flush()
    return module


def questions_locked(session: Session, module_id: int) -> bool:
    """Questions are fixed once someone has submitted the quiz (their answers refer to them)."""
    return (
        session.scalar(
            select(QuizAttempt.id)
            .where(QuizAttempt.module_id == module_id, QuizAttempt.submitted_at.is_not(None))
            .limit(1)
        )
        is not None
    )


def _check_question(values: QuestionValues) -> list[tuple[str, bool]]:
    """The kept options, or InvalidInput saying what a question needs."""
    prompt = values.prompt.strip()
    if not prompt or len(prompt) > 2000:
        raise InvalidInput(_("Write the question (at most 2,000 characters)."))
    choices = [(text.strip(), right) for text, right in values.choices if text.strip()]
    if len(choices) < 2:
        raise InvalidInput(_("Give at least two options."))
    if any(len(text) > 500 for text, _ in choices):
        raise InvalidInput(_("Keep each option under 500 characters."))
    right = sum(1 for _, ok in choices if ok)
    if right == 0:
        raise InvalidInput(_("Tick the right option(s)."))
    if not values.multiple and right != 1:
        raise InvalidInput(_("A single-choice question has exactly one right option."))
    return choices


def save_question(
    session: Session, module_id: int, question_id: int | None, values: QuestionValues
) -> TrainingQuestion:
    """Add or change a question (not once the quiz was taken)."""
    module = session.get(TrainingModule, module_id)
    if module is None:
        raise NotFound(_("No such module."))
    if questions_locked(session, module_id):
        raise InvalidInput(_("People have taken this quiz: its questions can no longer change."))
    choices = _check_question(values)
    question = session.get(TrainingQuestion, question_id) if question_id is not None else None
    if question_id is not None and (question is None or question.module_id != module_id):
        raise NotFound(_("No such question."))
    if question is None:
        question = TrainingQuestion(module=module, position=len(module.questions) + 1)
        session.add(question)
    question.prompt, question.multiple = values.prompt.strip(), values.multiple
    question.explanation = values.explanation.strip()
    question.choices = [
        TrainingChoice(position=n, text=text, correct=right)
        for n, (text, right) in enumerate(choices, start=1)
    ]
    session.flush()
    return question


def delete_question(session: Session, module_id: int, question_id: int) -> None:
    """Remove a question (not once the quiz was taken)."""
    question = session.get(TrainingQuestion, question_id)
    if question is None or question.module_id != module_id:
        raise NotFound(_("No such question."))
    if questions_locked(session, module_id):
        raise InvalidInput(_("People have taken this quiz: its questions can no longer change."))
    module = question.module
    module.questions.remove(question)  # delete-orphan removes the row
    session.flush()
    if not module.questions:
        module.published = False
        session.flush()
