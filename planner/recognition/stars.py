"""Service stars (P1): nominations, approval by the nominee's leaders, one star per team per
month shown on that month's recognition event, the hall of fame, and teams left unrecognised."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from planner.errors import InvalidInput, NotFound
from planner.events.operations import update_event
from planner.i18n import _
from planner.models import Award, Event, Nomination, Person, Praise, Team
from planner.org.chart import skip_level_leader
from planner.recognition.surprise import STAR_LINE

REASON_MAX = 2000
UNRECOGNISED_WEEKS = 8
ORGANISERS = ("admin", "coordinator")


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """PURE: first day of the month and first day of the next."""
    first = date(year, month, 1)
    return first, date(year + month // 12, month % 12 + 1, 1)


def nominate(
    session: Session,
    *,
    nominator: Person,
    nominee_id: int,
    reason: str,
    praise_id: int | None = None,
    now: datetime,
) -> Nomination:
    """Propose a colleague (not yourself) as service star, optionally citing their praise."""
    nominee = session.get(Person, nominee_id)
    if nominee is None or not nominee.active:
        raise InvalidInput(_("Choose an active colleague."))
    if nominee.id == nominator.id:
        raise InvalidInput(_("Nominate a colleague, not yourself."))
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("Say why they deserve it."))
    if len(reason) > REASON_MAX:
        raise InvalidInput(
            _("Keep the reason under %(REASON_MAX)s characters.", REASON_MAX=REASON_MAX)
        )
    if praise_id is not None:
        praise = session.get(Praise, praise_id)
        if praise is None or praise.person_id != nominee.id:
            raise InvalidInput(_("That praise is not about this colleague."))
    pending = session.scalar(
        select(Nomination.id).where(
            Nomination.nominee_id == nominee.id,
            Nomination.nominator_id == nominator.id,
            Nomination.status == "pending",
        )
    )
    if pending is not None:
        raise InvalidInput(
            _("You already have a pending nomination for %(name)s.", name=nominee.name)
        )
    nomination = Nomination(
        nominee=nominee,
        nominator_id=nominator.id,
        reason=reason,
        praise_id=praise_id,
        created_at=now,
    )
    session.add(nomination)
    session.flush()
    return nomination


def may_decide(person: Person, nominee: Person) -> bool:
    """The nominee's manager or skip-level leader decides; coordinators and admins may too."""
    if person.role in ORGANISERS:
        return True
    if person.id == nominee.id:
        return False
    leader = skip_level_leader(nominee)
    return person.id in {nominee.manager_id, leader.id if leader else None}


def get_nomination(session: Session, nomination_id: int, viewer: Person) -> Nomination:
    """A nomination the viewer may decide on (404 otherwise)."""
    nomination = session.get(Nomination, nomination_id)
    if nomination is None or not may_decide(viewer, nomination.nominee):
        raise NotFound(_("No such nomination."))
    return nomination


def pending_for(session: Session, viewer: Person) -> list[Nomination]:
    """Pending nominations this person may decide on, oldest first."""
    pending = session.scalars(
        select(Nomination).where(Nomination.status == "pending").order_by(Nomination.id)
    )
    return [n for n in pending if may_decide(viewer, n.nominee)]


def nominations_by(session: Session, nominator_id: int, limit: int = 20) -> list[Nomination]:
    """A person's own latest nominations, newest first."""
    return list(
        session.scalars(
            select(Nomination)
            .where(Nomination.nominator_id == nominator_id)
            .order_by(Nomination.id.desc())
            .limit(limit)
        )
    )


def recognition_event(session: Session, team_id: int, year: int, month: int) -> Event | None:
    """The team's (not cancelled) recognition event in that month, all-day or timed."""
    first, after = month_bounds(year, month)
    start = datetime(first.year, first.month, 1, tzinfo=UTC)
    end = datetime(after.year, after.month, 1, tzinfo=UTC)
    return session.scalar(
        select(Event)
        .where(
            Event.kind == "recognition",
            Event.team_id == team_id,
            Event.status != "cancelled",
            or_(
                and_(Event.start_date >= first, Event.start_date < after),
                and_(Event.start_at >= start, Event.start_at < end),
            ),
        )
        .order_by(Event.start_date, Event.start_at, Event.id)
        .limit(1)
    )


def default_award_month(session: Session, team_id: int | None, today: date) -> date:
    """The first month without a star of the team: that of its next recognition event that is
    still free (today or later), else the first free month from this one on."""
    this_month = today.replace(day=1)
    if team_id is None:
        return this_month
    taken = {
        date(y, m, 1)
        for y, m in session.execute(
            select(Award.year, Award.month).where(Award.team_id == team_id)
        ).all()
    }
    upcoming = (Event.kind == "recognition", Event.team_id == team_id, Event.status != "cancelled")
    days = session.scalars(select(Event.start_date).where(*upcoming, Event.start_date >= today))
    instants = session.scalars(
        select(Event.start_at).where(
            *upcoming, Event.start_at >= datetime(today.year, today.month, today.day, tzinfo=UTC)
        )
    )
    months = sorted(
        {d.replace(day=1) for d in days if d is not None}
        | {i.date().replace(day=1) for i in instants if i is not None}
    )
    for month in months:
        if month not in taken:
            return month
    month = this_month
    for _attempt in range(36):
        if month not in taken:
            return month
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return this_month


def star_line(award: Award) -> str:
    """PURE: the line a recognition event's description carries for its star."""
    return f"{STAR_LINE}{award.person.name} \u2014 {' '.join(award.nomination.reason.split())}"


def show_star_on_event(session: Session, award: Award, now: datetime) -> Event | None:
    """Put (or replace) the star line in that month's recognition event of the team."""
    event = recognition_event(session, award.team_id, award.year, award.month)
    if event is None:
        return None
    kept = [line for line in event.description.splitlines() if not line.startswith(STAR_LINE)]
    update_event(session, event, now=now, description="\n".join([*kept, star_line(award)]).strip())
    return event


def show_stars_on_events(session: Session, now: datetime) -> int:
    """Make every recognition event show its month's star (for events planned after approval).

    Idempotent: an event that already shows its star is left alone (its SEQUENCE stays)."""
    changed = 0
    for award in hall_of_fame(session):
        event = recognition_event(session, award.team_id, award.year, award.month)
        if event is not None and star_line(award) not in event.description.splitlines():
            show_star_on_event(session, award, now)
            changed += 1
    return changed


def decide(
    session: Session,
    nomination_id: int,
    decider: Person,
    *,
    approve: bool,
    month: date | None,
    note: str = "",
    now: datetime,
) -> Nomination:
    """Approve (making the nominee the team's star of `month`) or decline a pending nomination."""
    nomination = get_nomination(session, nomination_id, decider)
    if nomination.status != "pending":
        raise InvalidInput(_("This nomination was already %(status)s.", status=nomination.status))
    if len(note) > REASON_MAX:
        raise InvalidInput(
            _("Keep the note under %(REASON_MAX)s characters.", REASON_MAX=REASON_MAX)
        )
    nominee = nomination.nominee
    if approve:
        if nominee.team_id is None:
            raise InvalidInput(
                _("%(name)s has no team: a service star belongs to a team.", name=nominee.name)
            )
        if month is None:
            raise InvalidInput(_("Choose the month this service star is celebrated in."))
        taken = star_for(session, nominee.team_id, month.year, month.month)
        if taken is not None:
            raise InvalidInput(
                f"{taken.team.name} already has a service star for {month:%B %Y} "
                f"({taken.person.name}). Choose another month."
            )
    nomination.decided_by_id, nomination.decided_at = decider.id, now
    nomination.decision_note = note.strip()
    if not approve or nominee.team_id is None or month is None:
        nomination.status = "declined"
        session.flush()
        return nomination
    nomination.status = "approved"
    award = Award(
        nomination=nomination,
        person_id=nominee.id,
        team_id=nominee.team_id,
        year=month.year,
        month=month.month,
        approved_by_id=decider.id,
        approved_at=now,
    )
    session.add(award)
    session.flush()
    show_star_on_event(session, award, now)
    return nomination


def star_for(session: Session, team_id: int, year: int, month: int) -> Award | None:
    """The team's approved service star of that month, if any (for the year plan's events)."""
    return session.scalar(
        select(Award).where(Award.team_id == team_id, Award.year == year, Award.month == month)
    )


def hall_of_fame(session: Session) -> list[Award]:
    """Every star, newest month first."""
    return list(
        session.scalars(
            select(Award).order_by(Award.year.desc(), Award.month.desc(), Award.team_id)
        )
    )


def _team_recognitions(team_id: int) -> tuple[Any, ...]:
    """Conditions for a team's held recognition or promotion events."""
    return (
        Event.kind.in_(("recognition", "promotion")),
        Event.team_id == team_id,
        Event.status != "cancelled",
    )


def unrecognised_teams(
    session: Session, today: date, now: datetime
) -> list[tuple[Team, date | None]]:
    """Frontline teams with no approved star and no past recognition event for 8+ weeks."""
    cutoff = today - timedelta(weeks=UNRECOGNISED_WEEKS)
    found = []
    for team in session.scalars(select(Team).where(Team.frontline.is_(True)).order_by(Team.name)):
        awarded = session.scalar(
            select(func.max(Award.approved_at)).where(Award.team_id == team.id)
        )
        held_day = session.scalar(
            select(func.max(Event.start_date)).where(
                *_team_recognitions(team.id), Event.start_date <= today
            )
        )
        held_at = session.scalar(
            select(func.max(Event.start_at)).where(
                *_team_recognitions(team.id), Event.start_at <= now
            )
        )
        candidates = (awarded, held_day, held_at)
        dates = [d for d in map(_as_date, candidates) if d is not None]
        last = max(dates) if dates else None
        if last is None or last <= cutoff:
            found.append((team, last))
    return found


def _as_date(value: date | datetime | None) -> date | None:
    """PURE: the day of a date or instant."""
    return value.date() if isinstance(value, datetime) else value
