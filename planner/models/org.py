"""People, teams, the organisation's settings and its working calendar."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.db import Base, UTCDateTime, utcnow
from planner.i18n import lazy_gettext as _l

ROLES = ("admin", "coordinator", "leader", "staff")
ROLE_LABELS = {
    "admin": _l("Administrator"),
    "coordinator": _l("Event coordinator"),
    "leader": _l("Leader"),
    "staff": _l("Frontline staff"),
}


class Organisation(Base):
    """The single organisation this installation serves (row id 1)."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    country: Mapped[str] = mapped_column(String(2), default="")
    subdivision: Mapped[str] = mapped_column(String(10), default="")
    locale: Mapped[str] = mapped_column(String(20), default="en")
    # ISO weekdays as digits, Monday=0: "01234" is Monday to Friday.
    working_days: Mapped[str] = mapped_column(String(7), default="01234")
    leader_weekly_cap: Mapped[int] = mapped_column(Integer, default=3)
    team_max_gap_weeks: Mapped[int] = mapped_column(Integer, default=4)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def working_weekdays(self) -> frozenset[int]:
        """Working weekdays as Python weekday numbers (Monday=0)."""
        return frozenset(int(c) for c in self.working_days)


class Team(Base):
    """A team; frontline teams serve customers and get skip-levels and recognition."""

    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    frontline: Mapped[bool] = mapped_column(Boolean, default=True)
    # A coordinator may name the team's skip-level leader instead of deriving it from the chart.
    skip_level_override_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL", use_alter=True), default=None
    )
    # A department (not frontline) answers for the feedback routed to it through its head; None
    # derives the head from the chart (planner/feedback/departments.py department_head).
    head_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL", use_alter=True), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list[Person]] = relationship(
        back_populates="team", foreign_keys="Person.team_id", order_by="Person.name"
    )
    skip_level_override: Mapped[Person | None] = relationship(foreign_keys=[skip_level_override_id])
    head: Mapped[Person | None] = relationship(foreign_keys=[head_id])


class Person(Base):
    """Someone in the organisation; may or may not have a login (password)."""

    __tablename__ = "person"
    __table_args__ = (
        CheckConstraint("role IN ('admin','coordinator','leader','staff')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    role: Mapped[str] = mapped_column(String(20), default="staff")
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("team.id", ondelete="SET NULL"), index=True, default=None
    )
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True, default=None
    )
    password_hash: Mapped[str | None] = mapped_column(String(255), default=None)
    # Part of the login id: bumping it ends every session of this person (SECURITY.md item 3).
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Employment dates (inclusive start; the end date is the first day no longer with us).
    # Leaving is recorded, never deleted: from end_date on the person is inactive but their
    # history stays (planner/org/leaving.py).
    start_date: Mapped[date | None] = mapped_column(Date, default=None)
    end_date: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    # The person's own language (en, nl, lt) for pages, e-mails and their calendar; None follows
    # the organisation's locale (planner/i18n select_locale).
    language: Mapped[str | None] = mapped_column(String(8), default=None)
    invite_token_hash: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    invite_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # "Forgot your password?": the hash of the one-time link's token and when it expires.
    reset_token_hash: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    reset_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    team: Mapped[Team | None] = relationship(back_populates="members", foreign_keys=[team_id])
    manager: Mapped[Person | None] = relationship(
        remote_side="Person.id", back_populates="reports", foreign_keys=[manager_id]
    )
    reports: Mapped[list[Person]] = relationship(
        back_populates="manager", foreign_keys=[manager_id], order_by="Person.name"
    )

    # Flask-Login protocol, written out so the model does not depend on Flask.
    @property
    def is_authenticated(self) -> bool:
        """Every loaded person is authenticated; anonymity is Flask-Login's AnonymousUser."""
        return True

    @property
    def is_active(self) -> bool:
        """Only active people with a password may hold a session."""
        return self.active and self.password_hash is not None

    @property
    def is_anonymous(self) -> bool:
        """A Person is never the anonymous user."""
        return False

    def get_id(self) -> str:
        """Login id = person id + session version, so bumping the version ends old sessions."""
        return f"{self.id}:{self.session_version}"

    @property
    def has_login(self) -> bool:
        """Whether this person has set a password."""
        return self.password_hash is not None

    @property
    def role_label(self) -> str:
        """The role in words."""
        return str(ROLE_LABELS.get(self.role, self.role))


class LoginAttempt(Base):
    """One failed sign-in, kept only while the throttle looks at it (planner/auth/throttle.py).

    `email` and `address` hold keyed digests, not the e-mail or the address; successes are not
    stored (SECURITY.md 17a: no more timestamped identifying rows than the feature needs).
    """

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    success: Mapped[bool] = mapped_column(Boolean)


class Absence(Base):
    """A period a person is away (inclusive dates): nothing is planned for them then."""

    __tablename__ = "absence"
    __table_args__ = (CheckConstraint("last_day >= first_day", name="order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")


class Blackout(Base):
    """A period (inclusive dates) in which nothing is planned, e.g. a peak season."""

    __tablename__ = "blackout"
    __table_args__ = (CheckConstraint("last_day >= first_day", name="order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")


class HolidayOverride(Base):
    """A coordinator's correction to the public-holiday list: close or open one date."""

    __tablename__ = "holiday_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    closed: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str] = mapped_column(String(120), default="")


class CycleThreshold(Base):
    """A coordinator's bounds for one cycle-of-success indicator (defaults live in code,
    planner/recognition/cycle.py; a row exists only once someone changed them)."""

    __tablename__ = "cycle_threshold"

    key: Mapped[str] = mapped_column(String(30), primary_key=True)
    failure: Mapped[float] = mapped_column(Float)
    success: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class AuditEntry(Base):
    """Who did what to which object, for administrative changes (role changes, rotations)."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), default=None
    )
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(120), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
