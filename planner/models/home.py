"""Home pages and skip-level meetings: when a person last looked, meeting notes, the agenda
template, and the commitments leaders make after Customer Service Week."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.db import Base, UTCDateTime, utcnow
from planner.models.feedback import FeedbackItem
from planner.models.org import Person

DEFAULT_AGENDA = (
    "1. Recognition first: customer praise and this month's stars.\n"
    '2. "What gets in your way?": obstacles to good service.\n'
    "3. Open items from last time: what happened since."
)


class HomeVisit(Base):
    """When a person last opened their home page (changes since then are marked new)."""

    __tablename__ = "home_visit"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MeetingNote(Base):
    """The leader's private notes of one skip-level meeting (one row per meeting event)."""

    __tablename__ = "meeting_note"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), default=None
    )


class MeetingAgenda(Base):
    """The organisation's default skip-level agenda (one row, id 1), edited by coordinators."""

    __tablename__ = "meeting_agenda"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    text: Mapped[str] = mapped_column(Text, default=DEFAULT_AGENDA)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WeekCommitment(Base):
    """A leader's "our commitment after the week": a board item the leader owns."""

    __tablename__ = "week_commitment"
    __table_args__ = (UniqueConstraint("item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("feedback_item.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    leader: Mapped[Person] = relationship(foreign_keys=[leader_id])
    item: Mapped[FeedbackItem] = relationship(foreign_keys=[item_id])


class PlanOutcome(Base):
    """What the last publish of a plan year left unplaced (the coordinators' home shows it)."""

    __tablename__ = "plan_outcome"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    unplaced: Mapped[int] = mapped_column(Integer, default=0)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
