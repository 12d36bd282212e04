"""Service standards: the purpose statement, the phrase lexicon, refresher training (modules,
quizzes, attempts, certificates) and peer shout-outs. Named by design: nothing here is anonymous."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.db import Base, UTCDateTime, utcnow
from planner.i18n import lazy_gettext as _l
from planner.models.org import Person, Team

LANGUAGES = {"en": "English", "nl": "Nederlands", "lt": "Lietuvių"}
SITUATIONS = {
    "complaint": _l("Complaint"),
    "refusal": _l("Refusal"),
    "hand-over": _l("Hand-over"),
    "apology": _l("Apology"),
    "waiting": _l("Waiting"),
    "mistake": _l("Our mistake"),
    "thanks": _l("Thanks"),
    "general": _l("General"),
}
ENTRY_STATUSES = ("approved", "suggested", "declined")


class PurposeStatement(Base):
    """One version of the organisation's purpose statement; the highest version is current."""

    __tablename__ = "purpose_statement"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    text: Mapped[str] = mapped_column(Text)
    written_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    written_by: Mapped[Person | None] = relationship(foreign_keys=[written_by_id])


class LexiconEntry(Base):
    """A phrase to avoid and the phrase to use instead, with why and an example."""

    __tablename__ = "lexicon_entry"
    __table_args__ = (
        UniqueConstraint("language", "avoid_key", name="uq_lexicon_entry_phrase"),
        CheckConstraint("status IN ('approved','suggested','declined')", name="status"),
        CheckConstraint("language IN ('en','nl','lt')", name="language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(String(5), index=True)
    avoid: Mapped[str] = mapped_column(String(300))
    # The avoid phrase case- and space-folded: one entry per phrase and language.
    avoid_key: Mapped[str] = mapped_column(String(300))
    use_instead: Mapped[str] = mapped_column(String(300))
    why: Mapped[str] = mapped_column(Text, default="")
    example: Mapped[str] = mapped_column(Text, default="")
    # Situation keys separated by spaces (e.g. "complaint apology").
    situations: Mapped[str] = mapped_column(String(200), default="general")
    status: Mapped[str] = mapped_column(String(20), default="approved", index=True)
    suggested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), default=None
    )
    reviewed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    suggested_by: Mapped[Person | None] = relationship(foreign_keys=[suggested_by_id])

    @property
    def situation_list(self) -> list[str]:
        """The situation keys."""
        return self.situations.split()

    @property
    def situation_labels(self) -> list[str]:
        """The situations in words."""
        return [SITUATIONS.get(s, s) for s in self.situation_list]


module_entry = Table(
    "training_module_entry",
    Base.metadata,
    Column("module_id", ForeignKey("training_module.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "entry_id", ForeignKey("lexicon_entry.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class TrainingModule(Base):
    """A refresher module: a short Markdown lesson, linked phrases and a quiz with a pass mark."""

    __tablename__ = "training_module"
    __table_args__ = (CheckConstraint("pass_mark BETWEEN 1 AND 100", name="pass_mark"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    lesson: Mapped[str] = mapped_column(Text, default="")
    pass_mark: Mapped[int] = mapped_column(Integer, default=80)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    # Module of the month from this month on (until a later module takes over).
    featured_from: Mapped[date | None] = mapped_column(Date, unique=True, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    questions: Mapped[list[TrainingQuestion]] = relationship(
        back_populates="module",
        order_by="TrainingQuestion.position, TrainingQuestion.id",
        cascade="all, delete-orphan",
    )
    entries: Mapped[list[LexiconEntry]] = relationship(
        secondary=module_entry, order_by="LexiconEntry.language, LexiconEntry.avoid"
    )


class TrainingQuestion(Base):
    """A single- or multiple-choice question with an explanation shown after submitting."""

    __tablename__ = "training_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(
        ForeignKey("training_module.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    prompt: Mapped[str] = mapped_column(Text)
    multiple: Mapped[bool] = mapped_column(Boolean, default=False)
    explanation: Mapped[str] = mapped_column(Text, default="")

    module: Mapped[TrainingModule] = relationship(back_populates="questions")
    choices: Mapped[list[TrainingChoice]] = relationship(
        back_populates="question",
        order_by="TrainingChoice.position, TrainingChoice.id",
        cascade="all, delete-orphan",
    )


class TrainingChoice(Base):
    """One answer option of a question."""

    __tablename__ = "training_choice"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("training_question.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(String(500))
    correct: Mapped[bool] = mapped_column(Boolean, default=False)

    question: Mapped[TrainingQuestion] = relationship(back_populates="choices")


class QuizAttempt(Base):
    """One person's attempt at a module's quiz: opened, then submitted exactly once."""

    __tablename__ = "quiz_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(
        ForeignKey("training_module.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    score: Mapped[float | None] = mapped_column(Float, default=None)  # percent
    passed: Mapped[bool] = mapped_column(Boolean, default=False)

    module: Mapped[TrainingModule] = relationship()
    person: Mapped[Person] = relationship()
    answers: Mapped[list[AttemptAnswer]] = relationship(
        back_populates="attempt", order_by="AttemptAnswer.id", cascade="all, delete-orphan"
    )

    @property
    def seconds_taken(self) -> int | None:
        """Seconds from opening to submitting."""
        if self.submitted_at is None:
            return None
        return int((self.submitted_at - self.started_at).total_seconds())


class AttemptAnswer(Base):
    """What a person chose for one question in one attempt, and the points it earned."""

    __tablename__ = "attempt_answer"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id", name="uq_attempt_answer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempt.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("training_question.id", ondelete="CASCADE"), index=True
    )
    chosen: Mapped[str] = mapped_column(String(200), default="")  # choice ids, space-separated
    points: Mapped[float] = mapped_column(Float, default=0.0)

    attempt: Mapped[QuizAttempt] = relationship(back_populates="answers")

    @property
    def chosen_ids(self) -> set[int]:
        """The chosen choice ids."""
        return {int(c) for c in self.chosen.split()}


class Certificate(Base):
    """Issued on passing a module; valid for 12 months."""

    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(
        ForeignKey("training_module.id", ondelete="CASCADE"), index=True
    )
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("quiz_attempt.id", ondelete="CASCADE"), unique=True
    )
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date, index=True)
    score: Mapped[float] = mapped_column(Float)

    person: Mapped[Person] = relationship()
    module: Mapped[TrainingModule] = relationship()


class ShoutOut(Base):
    """A colleague thanks a colleague for something specific, by name."""

    __tablename__ = "shout_out"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    # The recipient's team when thanked: the team wall keeps it if they move on.
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("team.id", ondelete="SET NULL"), index=True, default=None
    )
    message: Mapped[str] = mapped_column(Text)
    entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("lexicon_entry.id", ondelete="SET NULL"), default=None
    )
    module_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_module.id", ondelete="SET NULL"), default=None
    )
    nomination_id: Mapped[int | None] = mapped_column(
        ForeignKey("nomination.id", ondelete="SET NULL"), default=None
    )
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    author: Mapped[Person] = relationship(foreign_keys=[author_id])
    recipient: Mapped[Person] = relationship(foreign_keys=[recipient_id])
    team: Mapped[Team | None] = relationship()
    entry: Mapped[LexiconEntry | None] = relationship()
    module: Mapped[TrainingModule | None] = relationship()
