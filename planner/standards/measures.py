"""Training and shout-out measures: completion per team (share certified, median score), the
questions most people get wrong, and the monthly series the scorecard shows beside its other
measures. Named by design: these are counts over named people, no pooling rule applies."""

from __future__ import annotations

from calendar import monthrange
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Select, distinct, func, select
from sqlalchemy.orm import Session

from planner.models import (
    AttemptAnswer,
    Certificate,
    Person,
    QuizAttempt,
    ShoutOut,
    Team,
    TrainingQuestion,
)
from planner.standards.scoring import median

# Scorecard keys computed here (recognition/scorecards.py lists them beside the entered ones).
CERTIFIED, QUIZ_MEDIAN, SHOUTOUTS = "certified", "quiz_median", "shoutouts"


@dataclass(frozen=True)
class Completion:
    """A group's refresher training today."""

    members: int
    certified: int
    median_score: float | None

    @property
    def share(self) -> float | None:
        """Percent of members holding a valid certificate."""
        return round(100 * self.certified / self.members, 1) if self.members else None


@dataclass(frozen=True)
class _Group:
    """A group's members as a subquery (no id lists: fine for any organisation size)."""

    ids: Select[int]
    size: int


def _members(session: Session, team_id: int | None) -> _Group:
    """Active people of a team (None: everyone active in a team)."""
    query = select(Person.id).where(Person.active.is_(True))
    query = query.where(
        Person.team_id == team_id if team_id is not None else Person.team_id.is_not(None)
    )
    size = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    return _Group(query, size)


def _certified_on(session: Session, group: _Group, day: date) -> int:
    """How many of the group hold a certificate valid on that day."""
    if not group.size:
        return 0
    count = session.scalar(
        select(func.count(distinct(Certificate.person_id))).where(
            Certificate.person_id.in_(group.ids),
            Certificate.issued_on <= day,
            Certificate.expires_on >= day,
        )
    )
    return count or 0


def _best_scores(session: Session, group: _Group, start: datetime, end: datetime) -> list[float]:
    """Each member's best quiz score among attempts submitted in [start, end)."""
    if not group.size:
        return []
    best = session.scalars(
        select(func.max(QuizAttempt.score))
        .where(
            QuizAttempt.person_id.in_(group.ids),
            QuizAttempt.submitted_at >= start,
            QuizAttempt.submitted_at < end,
            QuizAttempt.score.is_not(None),
        )
        .group_by(QuizAttempt.person_id)
    )
    return [score for score in best if score is not None]


def completion(session: Session, team_id: int | None, today: date) -> Completion:
    """Members, how many are certified today, and the median of their best scores (12 months)."""
    people = _members(session, team_id)
    start = datetime(today.year - 1, today.month, 1, tzinfo=UTC)
    end = datetime(today.year + 1, 1, 1, tzinfo=UTC)
    return Completion(
        members=people.size,
        certified=_certified_on(session, people, today),
        median_score=median(_best_scores(session, people, start, end)),
    )


def completion_by_team(session: Session, today: date) -> list[tuple[Team, Completion]]:
    """Every team with members, by name (three grouped queries, whatever the number of teams)."""
    active = (Person.active.is_(True), Person.team_id.is_not(None))
    sizes = dict(
        session.execute(
            select(Person.team_id, func.count()).where(*active).group_by(Person.team_id)
        ).all()
    )
    certified = dict(
        session.execute(
            select(Person.team_id, func.count(distinct(Certificate.person_id)))
            .join(Person, Certificate.person_id == Person.id)
            .where(*active, Certificate.issued_on <= today, Certificate.expires_on >= today)
            .group_by(Person.team_id)
        ).all()
    )
    start = datetime(today.year - 1, today.month, 1, tzinfo=UTC)
    scores: dict[int, list[float]] = defaultdict(list)
    for team_id, best in session.execute(
        select(Person.team_id, func.max(QuizAttempt.score))
        .join(Person, QuizAttempt.person_id == Person.id)
        .where(*active, QuizAttempt.submitted_at >= start, QuizAttempt.score.is_not(None))
        .group_by(Person.team_id, QuizAttempt.person_id)
    ).all():
        if team_id is not None and best is not None:
            scores[team_id].append(best)
    return [
        (team, Completion(sizes[team.id], certified.get(team.id, 0), median(scores[team.id])))
        for team in session.scalars(select(Team).order_by(Team.name))
        if sizes.get(team.id)
    ]


@dataclass(frozen=True)
class QuestionTrouble:
    """How often a question was answered wrongly (anything short of full points)."""

    question: TrainingQuestion
    answered: int
    wrong: int

    @property
    def share_wrong(self) -> float:
        """Percent of answers that were not fully right."""
        return round(100 * self.wrong / self.answered, 1) if self.answered else 0.0


def hardest_questions(session: Session, module_id: int) -> list[QuestionTrouble]:
    """The module's questions, most often wrong first."""
    questions = session.scalars(
        select(TrainingQuestion)
        .where(TrainingQuestion.module_id == module_id)
        .order_by(TrainingQuestion.position, TrainingQuestion.id)
    )
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for question_id, points in session.execute(
        select(AttemptAnswer.question_id, AttemptAnswer.points)
        .join(QuizAttempt, AttemptAnswer.attempt_id == QuizAttempt.id)
        .where(QuizAttempt.module_id == module_id)
    ):
        counts[question_id][0] += 1
        counts[question_id][1] += 1 if points < 1 else 0
    found = [QuestionTrouble(q, *counts[q.id]) for q in questions]
    return sorted(found, key=lambda t: (-t.share_wrong, t.question.position))


def _month_end(month: date, today: date) -> date:
    """The month's last day, or today for the running month."""
    return min(date(month.year, month.month, monthrange(month.year, month.month)[1]), today)


def _instant(day: date) -> datetime:
    """Midnight UTC of a day."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def months_with_data(session: Session, team_id: int | None, first: date) -> set[date]:
    """Months since `first` in which the team took quizzes or received shout-outs."""
    people = _members(session, team_id)
    found: set[date] = set()
    if people.size:
        for submitted in session.scalars(
            select(QuizAttempt.submitted_at).where(
                QuizAttempt.person_id.in_(people.ids), QuizAttempt.submitted_at >= _instant(first)
            )
        ):
            if submitted is not None:
                found.add(submitted.date().replace(day=1))
    query = select(ShoutOut.created_at).where(ShoutOut.created_at >= _instant(first))
    if team_id is not None:
        query = query.where(ShoutOut.team_id == team_id)
    found.update(created.date().replace(day=1) for created in session.scalars(query))
    return found


def monthly_values(
    session: Session, team_id: int | None, months: list[date], today: date
) -> dict[str, list[float | None]]:
    """Per month: percent certified at the month's end, median best score, shout-outs."""
    people = _members(session, team_id)
    # Before the first certificate anyone earned there was no training to complete: no number.
    first_issued = session.scalar(select(func.min(Certificate.issued_on)))
    series: dict[str, list[float | None]] = {CERTIFIED: [], QUIZ_MEDIAN: [], SHOUTOUTS: []}
    for month in months:
        end = _month_end(month, today)
        after = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        if people.size and first_issued is not None and first_issued <= end:
            share = round(100 * _certified_on(session, people, end) / people.size, 1)
            series[CERTIFIED].append(share)
        else:
            series[CERTIFIED].append(None)
        best = median(_best_scores(session, people, _instant(month), _instant(after)))
        series[QUIZ_MEDIAN].append(round(best, 1) if best is not None else None)
        query = select(ShoutOut.id).where(
            ShoutOut.created_at >= _instant(month), ShoutOut.created_at < _instant(after)
        )
        if team_id is not None:
            query = query.where(ShoutOut.team_id == team_id)
        series[SHOUTOUTS].append(float(len(list(session.scalars(query)))))
    return series
