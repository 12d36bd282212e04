"""The thin query layer of the cycle-of-success indicators: plain values out of the database,
measured by the pure functions of planner/recognition/cycle.py, read by cycle_reading.py.

Everything is loaded once for the whole span (4 quarters plus the 12 months before the
oldest), then measured per quarter in memory.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from planner.errors import InvalidInput
from planner.feedback.anonymity import MIN_GROUP
from planner.models import (
    Award,
    CareerLevel,
    Certificate,
    CycleThreshold,
    FeedbackItem,
    HolidayOverride,
    MetricValue,
    OutreachTask,
    Person,
    Praise,
    Promotion,
    QuizAttempt,
    ShoutOut,
    Team,
    TrainingModule,
)
from planner.org import workdays
from planner.org.calendar import get_organisation
from planner.recognition import cycle
from planner.recognition.cycle import Period, Stint
from planner.recognition.cycle_reading import (
    BY_KEY,
    INDICATORS,
    Bounds,
    Reading,
    check_bounds,
    default_bounds,
    read_cycle,
)

QUARTERS = 4


@dataclass(frozen=True)
class TeamPeople:
    """Turnover and tenure of one team (only teams of at least MIN_GROUP people)."""

    name: str
    headcount: int
    turnover: float | None
    tenure: float | None


@dataclass
class CycleCard:
    """The indicators per quarter (oldest first), the latest values, the reading, the teams."""

    quarters: list[Period]
    series: dict[str, list[float | None]]
    bounds: dict[str, Bounds]
    reading: Reading
    teams: list[TeamPeople] = field(default_factory=list)
    small_teams: int = 0

    @property
    def latest(self) -> dict[str, float | None]:
        """Each indicator's value in the running quarter."""
        return {key: values[-1] for key, values in self.series.items()}


def stints(session: Session) -> list[Stint]:
    """Everyone's time with the organisation. Inactive people without an end date (switched off
    before leaving was recorded) are left out: when they left is not known."""
    rows = session.execute(
        select(
            Person.id, Person.start_date, Person.end_date, Person.team_id, Person.role,
            Team.frontline,
        )
        .outerjoin(Team, Person.team_id == Team.id)
        .where(or_(Person.active.is_(True), Person.end_date.is_not(None)))
    )  # fmt: skip
    return [
        Stint(pid, start, end, team_id, role == "staff" and bool(frontline))
        for pid, start, end, team_id, role, frontline in rows
    ]


def thresholds(session: Session) -> dict[str, Bounds]:
    """The organisation's thresholds: stored ones over the defaults."""
    found = default_bounds()
    for row in session.scalars(select(CycleThreshold)):
        if row.key in found:
            found[row.key] = Bounds(row.failure, row.success)
    return found


def save_thresholds(session: Session, values: dict[str, Bounds]) -> None:
    """Store the thresholds (all checked first; nothing is stored when one is wrong)."""
    for key, bounds in values.items():
        if key not in BY_KEY:
            raise InvalidInput(f"Unknown indicator {key!r}.")
        check_bounds(key, bounds)
    for key, bounds in values.items():
        row = session.get(CycleThreshold, key)
        if row is None:
            session.add(CycleThreshold(key=key, failure=bounds.failure, success=bounds.success))
        else:
            row.failure, row.success = bounds.failure, bounds.success
    session.flush()


def _instant(day: date) -> datetime:
    """Midnight UTC of a day."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _calendar(session: Session, first: date, last: date) -> cycle.WorkCalendar:
    """Working weekdays and closed days (public holidays with the coordinator's overrides;
    blackouts stop planning, not work, so they do not count here)."""
    org = get_organisation(session)
    overrides = {o.day: o.closed for o in session.scalars(select(HolidayOverride))}
    closed = workdays.closed_dates(
        first, last, country=org.country, subdivision=org.subdivision, overrides=overrides
    )
    return cycle.WorkCalendar(org.working_weekdays, closed)


@dataclass
class _Facts:
    """Dated facts of the whole span, as plain values."""

    promotions: list[tuple[date, int]] = field(default_factory=list)
    quizzes: list[tuple[date, int]] = field(default_factory=list)
    certificates: list[tuple[date, date, int]] = field(default_factory=list)
    recognitions: list[tuple[date, int]] = field(default_factory=list)
    outreach: list[tuple[date, date | None]] = field(default_factory=list)
    obstacles: list[tuple[date, date | None]] = field(default_factory=list)
    metrics: dict[str, list[tuple[date, float]]] = field(default_factory=lambda: defaultdict(list))
    # An area not in use has nothing to measure ("not enough data", never 0 %).
    uses_training: bool = False
    uses_ladder: bool = False


def _facts(session: Session, first: date) -> _Facts:
    """Load every dated fact from `first` on."""
    facts = _Facts()
    facts.uses_training = session.scalar(select(TrainingModule.id).limit(1)) is not None
    facts.uses_ladder = session.scalar(select(CareerLevel.id).limit(1)) is not None
    facts.promotions = list(
        session.execute(
            select(Promotion.promoted_on, Promotion.person_id).where(Promotion.promoted_on >= first)
        )
    )
    for submitted, pid in session.execute(
        select(QuizAttempt.submitted_at, QuizAttempt.person_id).where(
            QuizAttempt.submitted_at >= _instant(first)
        )
    ):
        if submitted is not None:
            facts.quizzes.append((submitted.date(), pid))
    facts.certificates = list(
        session.execute(
            select(Certificate.issued_on, Certificate.expires_on, Certificate.person_id).where(
                Certificate.expires_on >= first
            )
        )
    )
    facts.recognitions = list(
        session.execute(
            select(Praise.received_on, Praise.person_id).where(Praise.received_on >= first)
        )
    )
    for year, month, pid in session.execute(
        select(Award.year, Award.month, Award.person_id).where(Award.year >= first.year)
    ):
        facts.recognitions.append((date(year, month, 1), pid))
    for created, pid in session.execute(
        select(ShoutOut.created_at, ShoutOut.recipient_id).where(
            ShoutOut.created_at >= _instant(first)
        )
    ):
        facts.recognitions.append((created.date(), pid))
    for received, done_at in session.execute(
        select(Praise.received_on, OutreachTask.done_at)
        .join(OutreachTask, OutreachTask.praise_id == Praise.id)
        .where(OutreachTask.done_at.is_not(None), OutreachTask.done_at >= _instant(first))
    ):
        facts.outreach.append((received, done_at.date() if done_at else None))
    facts.obstacles = list(
        session.execute(
            select(FeedbackItem.raised_on, FeedbackItem.acknowledged_on).where(
                FeedbackItem.raised_on >= first
            )
        )
    )
    for entered_month, metric, value in session.execute(
        select(MetricValue.month, MetricValue.metric, MetricValue.value).where(
            MetricValue.month >= first, MetricValue.metric.in_(("nps", "csat"))
        )
    ):
        facts.metrics[metric].append((entered_month, value))
    return facts


def _measure(
    people: list[Stint], facts: _Facts, quarter: Period, calendar: cycle.WorkCalendar, today: date
) -> dict[str, float | None]:
    """Every indicator for one quarter."""
    year = cycle.year_ending(quarter.last)
    ids = {s.person_id for s in people}
    on_last = Period(quarter.last, quarter.last)
    promoted = {p for d, p in facts.promotions if d in year and p in ids}
    trained = {p for d, p in facts.quizzes if d in year}
    certified = {p for i, e, p in facts.certificates if i <= quarter.last <= e}
    return {
        "turnover": cycle.turnover(people, year),
        "tenure": cycle.median_tenure(people, quarter.last),
        "promotions": cycle.promoted_share(people, year, promoted) if facts.uses_ladder else None,
        "training": cycle.covered(people, year, trained) if facts.uses_training else None,
        "certified": cycle.covered(people, on_last, certified) if facts.uses_training else None,
        "recognition": cycle.covered(
            people, quarter, {p for d, p in facts.recognitions if d in quarter}
        ),
        "outreach": cycle.median_days(facts.outreach, quarter),
        "acknowledged": cycle.acknowledged_in_time(facts.obstacles, quarter, calendar, today),
        "nps": cycle.mean(v for m, v in facts.metrics["nps"] if m in quarter),
        "csat": cycle.mean(v for m, v in facts.metrics["csat"] if m in quarter),
    }


def team_people(session: Session, people: list[Stint], today: date) -> tuple[list[TeamPeople], int]:
    """Turnover and tenure per team with at least MIN_GROUP people today (the feedback pooling
    rule), and how many smaller teams were left out."""
    by_team: dict[int, list[Stint]] = defaultdict(list)
    for stint in people:
        if stint.team_id is not None:
            by_team[stint.team_id].append(stint)
    shown: list[TeamPeople] = []
    small = 0
    for team in session.scalars(select(Team).order_by(Team.name)):
        members = by_team.get(team.id, [])
        size = cycle.headcount(members, today)
        if size < MIN_GROUP:
            small += 1
            continue
        year = cycle.year_ending(today)
        shown.append(
            TeamPeople(
                team.name, size, cycle.turnover(members, year), cycle.median_tenure(members, today)
            )
        )
    return shown, small


def cycle_card(session: Session, today: date) -> CycleCard:
    """The organisation's cycle-of-success indicators for the last four quarters."""
    quarters = cycle.last_quarters(today, QUARTERS)
    first = cycle.year_ending(quarters[0].last).first
    people = stints(session)
    facts = _facts(session, first)
    calendar = _calendar(session, first, today + timedelta(days=31))
    measured = [_measure(people, facts, q, calendar, today) for q in quarters]
    series = {i.key: [m[i.key] for m in measured] for i in INDICATORS}
    bounds = thresholds(session)
    card = CycleCard(quarters, series, bounds, read_cycle(measured[-1], bounds))
    card.teams, card.small_teams = team_people(session, people, today)
    return card
