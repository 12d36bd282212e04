"""Refresher training: modules and their quizzes, attempts (opened once, submitted once),
certificates valid for 12 months and the calendar reminder before a certification expires."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from planner.errors import InvalidInput, NotFound, PlannerError
from planner.events.operations import AllDay, cancel_event, create_event, update_event
from planner.models import (
    AttemptAnswer,
    Certificate,
    Event,
    LexiconEntry,
    Person,
    QuizAttempt,
    TrainingChoice,
    TrainingModule,
    TrainingQuestion,
)
from planner.standards import scoring

ORGANISERS = ("admin", "coordinator")
MAX_CHOICES = 6
REMINDER_SOURCE = "certification"


class AlreadySubmitted(PlannerError):
    """The attempt was submitted before; its first answers stand."""

    def __init__(self, attempt_id: int) -> None:
        super().__init__("This attempt was already submitted: your first answers count.")
        self.attempt_id = attempt_id


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
        raise NotFound("No such module.")
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
        raise InvalidInput("Give the module a title of at most 200 characters.")
    if not 1 <= values.pass_mark <= 100:
        raise InvalidInput("The pass mark is between 1 and 100 percent.")
    if len(values.lesson) > 20000:
        raise InvalidInput("Keep the lesson under 20,000 characters.")
    module = session.get(TrainingModule, module_id) if module_id is not None else None
    if module_id is not None and module is None:
        raise NotFound("No such module.")
    if module is None:
        module = TrainingModule(created_at=now)
        session.add(module)
    featured = values.featured_from.replace(day=1) if values.featured_from else None
    if featured is not None:
        other = session.scalar(
            select(TrainingModule).where(TrainingModule.featured_from == featured)
        )
        if other is not None and other is not module:
            raise InvalidInput(f"“{other.title}” is already the module of {featured:%B %Y}.")
    if values.published and not module.questions:
        raise InvalidInput("Add at least one question before publishing the module.")
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
        raise InvalidInput("Write the question (at most 2,000 characters).")
    choices = [(text.strip(), right) for text, right in values.choices if text.strip()]
    if len(choices) < 2:
        raise InvalidInput("Give at least two options.")
    if any(len(text) > 500 for text, _ in choices):
        raise InvalidInput("Keep each option under 500 characters.")
    right = sum(1 for _, ok in choices if ok)
    if right == 0:
        raise InvalidInput("Tick the right option(s).")
    if not values.multiple and right != 1:
        raise InvalidInput("A single-choice question has exactly one right option.")
    return choices


def save_question(
    session: Session, module_id: int, question_id: int | None, values: QuestionValues
) -> TrainingQuestion:
    """Add or change a question (not once the quiz was taken)."""
    module = session.get(TrainingModule, module_id)
    if module is None:
        raise NotFound("No such module.")
    if questions_locked(session, module_id):
        raise InvalidInput("People have taken this quiz: its questions can no longer change.")
    choices = _check_question(values)
    question = session.get(TrainingQuestion, question_id) if question_id is not None else None
    if question_id is not None and (question is None or question.module_id != module_id):
        raise NotFound("No such question.")
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
        raise NotFound("No such question.")
    if questions_locked(session, module_id):
        raise InvalidInput("People have taken this quiz: its questions can no longer change.")
    module = question.module
    module.questions.remove(question)  # delete-orphan removes the row
    session.flush()
    if not module.questions:
        module.published = False
        session.flush()


def keys_of(module: TrainingModule) -> list[scoring.QuestionKey]:
    """The scoring view of a module's questions."""
    return [
        scoring.QuestionKey(
            id=q.id,
            multiple=q.multiple,
            options=frozenset(c.id for c in q.choices),
            correct=frozenset(c.id for c in q.choices if c.correct),
        )
        for q in module.questions
    ]


def start_attempt(session: Session, module_id: int, person: Person, now: datetime) -> QuizAttempt:
    """Open an attempt (the person's open one, if any: pressing Start twice opens one)."""
    module = get_module(session, module_id, person)
    if not module.published or not module.questions:
        raise InvalidInput("This quiz is not open yet.")
    open_attempt = session.scalar(
        select(QuizAttempt).where(
            QuizAttempt.module_id == module.id,
            QuizAttempt.person_id == person.id,
            QuizAttempt.submitted_at.is_(None),
        )
    )
    if open_attempt is not None:
        return open_attempt
    attempt = QuizAttempt(module_id=module.id, person_id=person.id, started_at=now)
    session.add(attempt)
    session.flush()
    return attempt


def get_attempt(session: Session, attempt_id: int, viewer: Person) -> QuizAttempt:
    """One's own attempt (coordinators may look at anyone's result)."""
    attempt = session.get(QuizAttempt, attempt_id)
    if attempt is None or (attempt.person_id != viewer.id and viewer.role not in ORGANISERS):
        raise NotFound("No such attempt.")
    return attempt


def submit_attempt(
    session: Session,
    attempt_id: int,
    person: Person,
    answers: dict[int, frozenset[int]],
    *,
    now: datetime,
    today: date,
) -> QuizAttempt:
    """Score and close an open attempt once; on a pass issue a certificate (12 months)."""
    attempt = session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.person_id != person.id:
        raise NotFound("No such attempt.")
    if attempt.submitted_at is not None:
        raise AlreadySubmitted(attempt.id)
    keys = keys_of(attempt.module)
    missing = scoring.unanswered(keys, answers)
    if missing:
        raise InvalidInput(
            "Answer every question: question "
            + ", ".join(str(n) for n in missing)
            + (" has" if len(missing) == 1 else " have")
            + " no answer yet."
        )
    # The guarded UPDATE makes a double submit (two tabs, a re-sent POST) save once.
    claimed = session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None))
        .values(submitted_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise AlreadySubmitted(attempt.id)
    session.refresh(attempt)
    result = scoring.score_quiz(keys, answers, attempt.module.pass_mark)
    attempt.score, attempt.passed = result.score, result.passed
    for key in keys:
        chosen = sorted(answers.get(key.id, frozenset()) & key.options)
        session.add(
            AttemptAnswer(
                attempt=attempt,
                question_id=key.id,
                chosen=" ".join(str(c) for c in chosen),
                points=result.points[key.id],
            )
        )
    if result.passed:
        session.add(
            Certificate(
                person_id=person.id,
                module_id=attempt.module_id,
                attempt_id=attempt.id,
                issued_on=today,
                expires_on=scoring.expiry(today),
                score=result.score,
            )
        )
        session.flush()
        refresh_reminder(session, person, now)
    session.flush()
    return attempt


def attempts_of(
    session: Session, person_id: int, module_id: int | None = None
) -> list[QuizAttempt]:
    """A person's submitted attempts, newest first."""
    query = select(QuizAttempt).where(
        QuizAttempt.person_id == person_id, QuizAttempt.submitted_at.is_not(None)
    )
    if module_id is not None:
        query = query.where(QuizAttempt.module_id == module_id)
    return list(session.scalars(query.order_by(QuizAttempt.submitted_at.desc())))


def certificates_of(session: Session, person_id: int) -> list[Certificate]:
    """A person's certificates, newest first."""
    return list(
        session.scalars(
            select(Certificate)
            .where(Certificate.person_id == person_id)
            .order_by(Certificate.issued_on.desc(), Certificate.id.desc())
        )
    )


def certificate_for(session: Session, attempt_id: int) -> Certificate | None:
    """The certificate an attempt earned, if it passed."""
    return session.scalar(select(Certificate).where(Certificate.attempt_id == attempt_id))


def certified_until(session: Session, person_id: int) -> date | None:
    """The last day the person's refresher certification is valid (any module), if ever."""
    return session.scalar(
        select(func.max(Certificate.expires_on)).where(Certificate.person_id == person_id)
    )


def _reminder(session: Session, person_id: int) -> Event | None:
    """The person's certification reminder event, if one was made."""
    return session.scalar(
        select(Event).where(Event.source_kind == REMINDER_SOURCE, Event.source_id == person_id)
    )


def refresh_reminder(session: Session, person: Person, now: datetime) -> Event | None:
    """Put 'certification expires' in the person's calendar 30 days before it does (moved, same
    UID, when they pass again)."""
    until = certified_until(session, person.id)
    event = _reminder(session, person.id)
    if until is None:
        if event is not None:
            cancel_event(session, event, now=now)
        return event
    day = until - timedelta(days=scoring.REMINDER_DAYS)
    values: dict[str, Any] = {
        "title": f"Your refresher certification expires on {until:%d %b %Y}",
        "description": (
            f"Your service-standards certification is valid until {until:%d %b %Y}. "
            "Take this month's refresher module to renew it for 12 months."
        ),
        "link_path": "/standards/training",
    }
    when = AllDay(day, day + timedelta(days=1))
    if event is None:
        return create_event(
            session,
            kind="training",
            when=when,
            now=now,
            attendee_ids=[person.id],
            transparent=True,
            source_kind=REMINDER_SOURCE,
            source_id=person.id,
            **values,
        )
    update_event(session, event, now=now, when=when, status="confirmed", **values)
    return event
