"""A leader's home: what is theirs to do today (read-only; a few small queries)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from planner.dashboard import commitments
from planner.dashboard.calendar import Agenda, led_team_ids, two_weeks
from planner.feedback.followups import ACK_WORKING_DAYS, SOURCE_KIND
from planner.feedback.measures import Measures, compute_measures
from planner.i18n import _
from planner.i18n.formatting import format_day
from planner.models import (
    Award,
    Event,
    FeedbackItem,
    Nomination,
    OutreachTask,
    Person,
    ServiceWeek,
    Team,
    WeekCommitment,
)
from planner.models.feedback import CLOSED
from planner.org import workdays
from planner.org.calendar import closed_dates, get_organisation
from planner.recognition.stars import UNRECOGNISED_WEEKS, pending_for


@dataclass(frozen=True)
class Waiting:
    """A feedback item waiting for this leader, with why and its clock."""

    item: FeedbackItem
    why: str  # "acknowledge" | "overdue" | "escalated"
    day: int  # working day of the 5-day acknowledgement clock (0 when not ticking)

    @property
    def clock(self) -> str:
        """'day 4 of 5', or how late."""
        if self.why == "overdue":
            return _("due %(day)s", day=format_day(self.item.due_date, "daymonth"))
        if self.day > ACK_WORKING_DAYS:
            return _("day %(day)d of %(days)d (overdue)", day=self.day, days=ACK_WORKING_DAYS)
        return _("day %(day)d of %(days)d", day=self.day, days=ACK_WORKING_DAYS)


@dataclass(frozen=True)
class TeamGap:
    """A team that has waited too long for recognition or a skip-level."""

    team: Team
    last_recognised: date | None
    recognition_gap: bool  # no star and no recognition event for 8+ weeks
    no_skip_level: bool  # none this calendar quarter


@dataclass
class LeaderHome:
    """Everything on a leader's home page."""

    agenda: Agenda
    tasks: list[OutreachTask]
    waiting: list[Waiting]
    nominations: list[Nomination]
    gaps: list[TeamGap]
    measures: Measures
    team_ids: list[int] = field(default_factory=list)
    commit_week: ServiceWeek | None = None  # set while commitments can be recorded
    commitments: list[WeekCommitment] = field(default_factory=list)


def outreach_due(session: Session, leader: Person) -> list[OutreachTask]:
    """The leader's open outreach tasks, soonest due first, with the praise loaded."""
    return list(
        session.scalars(
            select(OutreachTask)
            .where(OutreachTask.leader_id == leader.id, OutreachTask.done_at.is_(None))
            .options(selectinload(OutreachTask.praise))
            .order_by(OutreachTask.due_on, OutreachTask.id)
            .limit(20)
        )
    )


def _escalated_ids(session: Session, leader: Person) -> set[int]:
    """Items whose escalation follow-up went to this leader."""
    rows = session.scalars(
        select(Event.source_id).where(
            Event.source_kind == SOURCE_KIND,
            Event.host_id == leader.id,
            Event.uid.like("feedback-%-escalation"),
        )
    )
    return {r for r in rows if r is not None}


def waiting_items(
    session: Session, leader: Person, team_ids: list[int], today: date
) -> list[Waiting]:
    """New items of the leader's teams, their overdue items, and items escalated to them."""
    escalated = _escalated_ids(session, leader)
    rows = list(
        session.scalars(
            select(FeedbackItem)
            .where(
                FeedbackItem.status.not_in(CLOSED),
                or_(
                    and_(FeedbackItem.status == "new", FeedbackItem.team_id.in_(team_ids)),
                    and_(FeedbackItem.owner_id == leader.id, FeedbackItem.due_date < today),
                    FeedbackItem.id.in_(sorted(escalated)),
                ),
            )
            .order_by(FeedbackItem.raised_on, FeedbackItem.id)
            .limit(30)
        )
    )
    if not rows:
        return []
    weekdays = get_organisation(session).working_weekdays
    closed = closed_dates(session, min(r.raised_on for r in rows), today)
    found = []
    for item in rows:
        day = 0
        if item.status == "new":
            first = item.raised_on + timedelta(days=1)
            day = max(1, workdays.working_days_between(first, today, weekdays, closed))
        if item.id in escalated and item.status == "new":
            why = "escalated"
        elif item.status == "new":
            why = "acknowledge"
        else:
            why = "overdue"
        found.append(Waiting(item, why, day))
    return found


def team_gaps(session: Session, team_ids: list[int], today: date, zone: ZoneInfo) -> list[TeamGap]:
    """The leader's teams without recognition for 8+ weeks or without a skip-level this quarter."""
    if not team_ids:
        return []
    now = datetime.now(UTC)
    awarded = dict(
        session.execute(
            select(Award.team_id, func.max(Award.approved_at))
            .where(Award.team_id.in_(team_ids))
            .group_by(Award.team_id)
        ).all()
    )
    recognised = (
        Event.kind.in_(("recognition", "promotion")),
        Event.status != "cancelled",
        Event.team_id.in_(team_ids),
    )
    held_day = dict(
        session.execute(
            select(Event.team_id, func.max(Event.start_date))
            .where(*recognised, Event.start_date <= today)
            .group_by(Event.team_id)
        ).all()
    )
    held_at = dict(
        session.execute(
            select(Event.team_id, func.max(Event.start_at))
            .where(*recognised, Event.start_at <= now)
            .group_by(Event.team_id)
        ).all()
    )
    quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    next_quarter = date(quarter.year + (quarter.month == 10), (quarter.month + 2) % 12 + 1, 1)
    q_start = datetime.combine(quarter, time(), zone).astimezone(UTC)
    q_end = datetime.combine(next_quarter, time(), zone).astimezone(UTC)
    with_skip = set(
        session.scalars(
            select(Event.team_id).where(
                Event.kind == "skip_level",
                Event.status != "cancelled",
                Event.team_id.in_(team_ids),
                or_(
                    and_(Event.start_at >= q_start, Event.start_at < q_end),
                    and_(Event.start_date >= quarter, Event.start_date < next_quarter),
                ),
            )
        )
    )
    cutoff = today - timedelta(weeks=UNRECOGNISED_WEEKS)
    gaps = []
    for team in session.scalars(select(Team).where(Team.id.in_(team_ids)).order_by(Team.name)):
        moments = [awarded.get(team.id), held_day.get(team.id), held_at.get(team.id)]
        days = [m.date() if isinstance(m, datetime) else m for m in moments if m is not None]
        last = max(days) if days else None
        stale = last is None or last <= cutoff
        if stale or team.id not in with_skip:
            gaps.append(TeamGap(team, last, stale, team.id not in with_skip))
    return gaps


def leader_home(session: Session, leader: Person, today: date, zone: ZoneInfo) -> LeaderHome:
    """A leader's home page, from a handful of queries."""
    team_ids = led_team_ids(session, leader)
    week = commitments.open_week(session, today)
    return LeaderHome(
        agenda=two_weeks(session, leader, today, zone),
        tasks=outreach_due(session, leader),
        waiting=waiting_items(session, leader, team_ids, today),
        nominations=pending_for(session, leader),
        gaps=team_gaps(session, team_ids, today, zone),
        measures=compute_measures(session, today, leader_id=leader.id),
        team_ids=team_ids,
        commit_week=week,
        commitments=commitments.commitments_of(session, leader.id, week.year) if week else [],
    )
