"""Demo recognition data: praise (with outreach tasks), an approved star, three months of
scorecards for a few teams and a four-level career ladder. Running it again changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.db import utcnow
from planner.errors import InvalidInput
from planner.models import Award, CareerLevel, MetricValue, Nomination, Person, Praise, Team
from planner.recognition import careers, praise, scorecards, stars

LADDER = (
    ("Service Associate", "Answers customers well and learns the products.",
     "Completed onboarding; quality score of 80% or more."),
    ("Service Specialist", "Solves the harder cases and helps colleagues.",
     "Six months as associate; first-contact resolution above the team average."),
    ("Service Expert", "Owns a topic, coaches others and improves how we work.",
     "A year as specialist; led one improvement others now use."),
    ("Service Lead", "Leads a team's daily work and grows its people.",
     "Coached two colleagues to their next level; chosen by the team and its leader."),
)  # fmt: skip

QUOTES = (
    ("call", "She stayed on the line until my order was really fixed. Wonderful!"),
    ("email", "Thank you for explaining the invoice so patiently, twice."),
    ("survey", "Best support experience I have had with any company this year."),
    ("chat", "Quick, friendly and he actually solved it. Ten out of ten."),
    ("social", "Shout-out to your support team, they saved my weekend!"),
)

# (metric, value in the oldest month, change per month): believable trends for the charts.
TRENDS = (("nps", 31, 4), ("csat", 84, 1.5), ("handle_time", 420, -15), ("fcr", 71, 2))


def _ladder(session: Session) -> int:
    """The four levels (by name, so a renamed level is left alone)."""
    existing = {lvl.name for lvl in careers.ladder(session)}
    ranks = {lvl.rank for lvl in careers.ladder(session)}
    added = 0
    for rank, (name, meaning, takes) in enumerate(LADDER, start=1):
        if name in existing or rank in ranks:
            continue
        careers.save_level(
            session, level_id=None, name=name, rank=rank, meaning=meaning, requirements=takes
        )
        added += 1
    return added


def _praise(session: Session, staff: list[Person], today: date) -> int:
    """One praise for each of the first few staff members, over the last weeks."""
    added = 0
    for index, person in enumerate(staff[: len(QUOTES)]):
        channel, quote = QUOTES[index]
        received = today - timedelta(days=index)  # recent: tasks due over the next days
        if session.scalar(
            select(Praise.id).where(
                Praise.person_id == person.id, Praise.quote_key == praise.quote_key(quote)
            )
        ):
            continue
        praise.log_praise(
            session,
            person_id=person.id,
            received_on=received,
            channel=channel,
            quote=quote,
            customer_name="A. Customer",
            logged_by_id=None,
            today=today,
            now=utcnow(),
        )
        added += 1
    return added


def _next_month(day: date) -> date:
    """The first of the month after `day`'s: the demo's star is still to be announced, and a
    monthly recognition event (spaced 4-6 weeks) may skip the rest of the current month."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _star(session: Session, staff: list[Person], today: date) -> int:
    """An approved service star for the first team with a led staff member."""
    if session.scalar(select(Award.id).limit(1)) is not None:
        return 0
    for nominee in staff:
        decider = nominee.manager
        nominator = next((p for p in staff if p.id != nominee.id), None)
        if decider is None or nominator is None:
            continue
        existing = session.scalar(select(Nomination).where(Nomination.nominee_id == nominee.id))
        nomination = existing or stars.nominate(
            session,
            nominator=nominator,
            nominee_id=nominee.id,
            reason="Turned an angry customer into a fan and shared how with the whole team.",
            now=utcnow(),
        )
        try:
            stars.decide(
                session,
                nomination.id,
                decider,
                approve=True,
                month=_next_month(stars.default_award_month(session, nominee.team_id, today)),
                now=utcnow(),
            )
        except InvalidInput:
            continue
        return 1
    return 0


def _scorecards(session: Session, teams: list[Team], today: date) -> int:
    """Three months of numbers for up to three teams (existing numbers are kept)."""
    added = 0
    last = scorecards.month_start(today)
    for offset, team in enumerate(teams[:3]):
        for step in range(3):
            month = scorecards.add_months(last, step - 3)
            for metric, start, change in TRENDS:
                exists = session.scalar(
                    select(MetricValue.id).where(
                        MetricValue.team_id == team.id,
                        MetricValue.month == month,
                        MetricValue.metric == metric,
                    )
                )
                if exists is None:
                    value = start + change * step + offset * 3
                    session.add(
                        MetricValue(team_id=team.id, month=month, metric=metric, value=value)
                    )
                    added += 1
    session.flush()
    return added


def load(session: Session, today: date) -> list[str]:
    """Add the recognition demo data; idempotent."""
    staff = list(
        session.scalars(
            select(Person)
            .where(Person.role == "staff", Person.active.is_(True), Person.team_id.is_not(None))
            .order_by(Person.id)
        )
    )
    teams = list(session.scalars(select(Team).where(Team.frontline.is_(True)).order_by(Team.id)))
    levels = _ladder(session)
    if not staff:
        return [f"recognition: {levels} ladder levels (no staff yet for praise and stars)"]
    placed = 0
    first = session.scalar(select(CareerLevel).order_by(CareerLevel.rank).limit(1))
    for person in staff:
        if first is not None and careers.level_of(session, person.id) is None:
            careers.place(session, person.id, first.id, today)
            placed += 1
    return [
        f"recognition: {_praise(session, staff, today)} praise, {_star(session, staff, today)} "
        f"service star, {_scorecards(session, teams, today)} scorecard numbers, "
        f"{levels} ladder levels, {placed} people placed on the ladder"
    ]
