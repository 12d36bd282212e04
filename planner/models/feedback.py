"""Feedback ("You said, we did"): items, their append-only history, votes, mail preferences.

Anonymity is structural (SECURITY.md 13-15): an anonymous item has no author column value (the
database refuses one), only the day it was raised (no instant), and a primary key drawn at random
so that its position among other rows says nothing about when it was made. History rows are keyed
per item (item id, number), never by a global counter, for the same reason.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from planner.db import Base, UTCDateTime
from planner.i18n import lazy_gettext as _l
from planner.models.org import Person, Team

CATEGORIES = {
    "tools": _l("Tools"),
    "process": _l("Process"),
    "policy": _l("Policy"),
    "training": _l("Training"),
    "workload": _l("Workload"),
    "other": _l("Other"),
}

STATUSES = {
    "new": _l("New"),
    "acknowledged": _l("Acknowledged"),
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "declined": _l("Declined"),
}
CLOSED = frozenset({"done", "declined"})

# What an obstacle does to customers (issue 17): a fixed list, so that monthly signal reports
# compare like with like and every label is translated.
CUSTOMER_IMPACTS = {
    "call_back": _l("Customers call back"),
    "refund_delayed": _l("Refund delayed"),
    "delivery_late": _l("Delivery late"),
    "wrong_invoice": _l("Wrong invoice"),
    "wrong_information": _l("Customers get wrong information"),
    "long_wait": _l("Customers wait too long"),
    "product_fault": _l("Product does not work"),
    "website_down": _l("Website or app not working"),
    "other": _l("Other customer impact"),
}
IMPACT_MAX = 30

TITLE_MAX = 200
DETAILS_MAX = 5000
RESPONSE_MAX = 5000
NOTE_MAX = 1000


class FeedbackItem(Base):
    """An obstacle to good service raised by a person, anonymously, or at a skip-level meeting."""

    __tablename__ = "feedback_item"
    __table_args__ = (
        CheckConstraint("NOT anonymous OR author_id IS NULL", name="anonymous_no_author"),
        CheckConstraint("NOT anonymous OR raised_at IS NULL", name="anonymous_day_only"),
        CheckConstraint("NOT pooled OR team_id IS NULL", name="pooled_no_team"),
        CheckConstraint(
            "status IN ('new','acknowledged','planned','in_progress','done','declined')",
            name="status",
        ),
        CheckConstraint(
            "category IN ('tools','process','policy','training','workload','other')",
            name="category",
        ),
        CheckConstraint(
            "status NOT IN ('planned','in_progress') OR (owner_id IS NOT NULL"
            " AND due_date IS NOT NULL)",
            name="planned_owner_due",
        ),
        CheckConstraint(
            "status NOT IN ('done','declined') OR response <> ''", name="closed_response"
        ),
    )

    # Drawn at random by the raise operation (not autoincrement): shown as the public "#number".
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    details: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(20))
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("team.id", ondelete="SET NULL"), index=True, default=None
    )
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    # An anonymous item of a team under MIN_GROUP people stores the pooled group, not the team.
    pooled: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True, default=None
    )
    # Raised at a skip-level meeting on behalf of the group: no personal author.
    from_meeting: Mapped[bool] = mapped_column(Boolean, default=False)
    meeting_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="SET NULL"), default=None
    )
    raised_on: Mapped[date] = mapped_column(Date, index=True)
    raised_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Only the SHA-256 of the receipt token; the token itself was shown once to the author.
    receipt_hash: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)

    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True, default=None
    )
    due_date: Mapped[date | None] = mapped_column(Date, default=None)
    response: Mapped[str] = mapped_column(Text, default="")
    acknowledged_on: Mapped[date | None] = mapped_column(Date, default=None)
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), default=None
    )
    closed_on: Mapped[date | None] = mapped_column(Date, default=None)
    escalated_on: Mapped[date | None] = mapped_column(Date, default=None)
    # The department (a team that is not frontline) the item was routed to; its head owns it.
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("team.id", ondelete="SET NULL"), index=True, default=None
    )
    # A key of CUSTOMER_IMPACTS, or "" when nobody said what it does to customers.
    customer_impact: Mapped[str] = mapped_column(String(IMPACT_MAX), default="", server_default="")

    team: Mapped[Team | None] = relationship(foreign_keys=[team_id])
    department: Mapped[Team | None] = relationship(foreign_keys=[department_id])
    author: Mapped[Person | None] = relationship(foreign_keys=[author_id])
    owner: Mapped[Person | None] = relationship(foreign_keys=[owner_id])
    history: Mapped[list[FeedbackChange]] = relationship(
        back_populates="item", order_by="FeedbackChange.number", cascade="all, delete-orphan"
    )
    votes: Mapped[list[FeedbackVote]] = relationship(cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @validates("anonymous", "author_id")
    def _anonymity_is_final(self, key: str, value: object) -> object:
        """Anonymity cannot be switched off, nor an author attached, once an item is anonymous."""
        undoing = (key == "anonymous" and not value) or (key == "author_id" and value is not None)
        if self.anonymous is True and undoing:
            raise ValueError("an anonymous item stays anonymous")
        return value

    @property
    def public_id(self) -> str:
        """The number people quote, e.g. '#482913'."""
        return f"#{self.id}"

    @property
    def status_label(self) -> str:
        """The status in words."""
        return STATUSES.get(self.status, self.status)

    @property
    def category_label(self) -> str:
        """The category in words."""
        return CATEGORIES.get(self.category, self.category)

    @property
    def is_closed(self) -> bool:
        """Done or declined."""
        return self.status in CLOSED

    @property
    def impact_label(self) -> str:
        """The customer impact in words ("" when none was given)."""
        return str(CUSTOMER_IMPACTS.get(self.customer_impact, "")) if self.customer_impact else ""


class FeedbackChange(Base):
    """One entry of an item's append-only history, written in the same transaction as the change.

    Keyed by (item, number) so rows carry no global order. The first row of an anonymous item has
    no actor and no instant, only the day.
    """

    __tablename__ = "feedback_change"
    # SQLite would otherwise keep a hidden, ever-growing rowid: an insertion order that could
    # place an anonymous item's first row between timestamped rows of other items.
    __table_args__ = {"sqlite_with_rowid": False}

    item_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_item.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    on_day: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), default=None
    )
    from_status: Mapped[str] = mapped_column(String(20), default="")
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    # Set on a routing entry: the department (team id) the item was routed to, status unchanged.
    # No foreign key: adding one would rebuild this WITHOUT ROWID table on SQLite.
    department_id: Mapped[int | None] = mapped_column(Integer, default=None)

    item: Mapped[FeedbackItem] = relationship(back_populates="history")
    actor: Mapped[Person | None] = relationship(foreign_keys=[actor_id])
    department: Mapped[Team | None] = relationship(
        primaryjoin="foreign(FeedbackChange.department_id) == Team.id", viewonly=True
    )


class FeedbackVote(Base):
    """A "me too": one per person per item (the primary key enforces it); no timestamp kept."""

    __tablename__ = "feedback_vote"
    __table_args__ = {"sqlite_with_rowid": False}  # no hidden insertion order (see above)

    item_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_item.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class FeedbackUnsubscription(Base):
    """A person who asked for no more e-mail about one item."""

    __tablename__ = "feedback_unsubscription"

    item_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_item.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )


class MailPreference(Base):
    """A person's e-mail choices that are not about one item (the monthly digest)."""

    __tablename__ = "mail_preference"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    digest_opt_out: Mapped[bool] = mapped_column(Boolean, default=False)


class SignalReportSent(Base):
    """A department's monthly signal report that was e-mailed: sending again skips it."""

    __tablename__ = "feedback_signal_report_sent"

    department_id: Mapped[int] = mapped_column(
        ForeignKey("team.id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    recipient_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), default=None
    )
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
