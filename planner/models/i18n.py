"""Feed pieces in a language other than the organisation's (planner/feeds/operations.py).

The organisation's language keeps its pieces on the Event row (ics_key, ics_piece); a personal
feed whose owner chose another language reads and writes its pieces here, one per (event,
language), so every language stays fast and byte-stable.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from planner.db import Base


class EventPiece(Base):
    """An event's rendered VEVENT in one language; stale when the event's sequence moved on."""

    __tablename__ = "event_piece"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer)
    ics_key: Mapped[str] = mapped_column(String(64))
    ics_piece: Mapped[str] = mapped_column(Text)
