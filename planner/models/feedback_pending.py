"""Anonymous raises waiting to be published (SECURITY.md 17a).

A pending row is written at the moment of the raise, so it is the one row whose place in storage
could follow its author's sign-in or vote. It therefore holds only what publication needs: no
author, no instant (the day only), a random key (no rowid: WITHOUT ROWID on SQLite, so cells sit
in key order, not insertion order). Publication moves a whole batch into `feedback_item` in
random order in one transaction and deletes these rows (SQLite `secure_delete` zeroes them).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from planner.db import Base, UTCDateTime
from planner.models.feedback import TITLE_MAX


class PendingFeedback(Base):
    """An anonymous item received but not yet on the board."""

    __tablename__ = "feedback_pending"
    __table_args__ = {"sqlite_with_rowid": False}

    # 128 random bits as hex: says nothing about when or in which order rows arrived.
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    received_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    details: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(20))
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("team.id", ondelete="SET NULL"), default=None
    )
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    customer_impact: Mapped[str] = mapped_column(String(30), default="", server_default="")


class PublicationSchedule(Base):
    """The next moment anonymous raises may be published (one row, id 1).

    Drawn at random when the previous moment is used or missed, never when someone raises an
    item, so it carries nothing about any raiser.
    """

    __tablename__ = "feedback_publication"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    next_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_published_on: Mapped[date | None] = mapped_column(Date, default=None)
