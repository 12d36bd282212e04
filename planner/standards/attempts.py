"""Taking a quiz: attempts (opened once, submitted once), certificates valid for 12 months and
the calendar reminder 30 days before a person's certification expires."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from planner.errors import InvalidInput, NotFound, PlannerError
from planner.events.operations import AllDay, cancel_event, create_event, update_event
from planner.i18n import _, in_language
from planner.i18n.formatting import format_day
from planner.models import AttemptAnswer, Certificate, Event, Person, QuizAttempt, TrainingModule
from planner.standards import scoring
from planner.standards.training import ORGANISERS, get_module

REMINDER_SOURCE = "certification"


class AlreadySubmitted(PlannerError):
    """The attempt was submitted before; its first answers stand."""

    def __init__(self, attempt_id: int) -> None:
        super().__init__("This attempt was already submitted: your first answers count.")
        self.attempt_id = attempt_id


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
        raise InvalidInput(_("This quiz is not open yet."))
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
        raise NotFound(_("No such attempt."))
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
        raise NotFound(_("No such attempt."))
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
    with in_language(person.language):  # a personal item: in its owner's language
        shown_until = format_day(until, "date")
        values: dict[str, Any] = {
            "title": _("Your refresher certification expires on %(day)s", day=shown_until),
            "description": _(
                "Your service-standards certification is valid until %(day)s. Take this"
                " month's refresher module to renew it for 12 months.",
                day=shown_until,
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
