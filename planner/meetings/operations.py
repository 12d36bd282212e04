"""Skip-level meetings: the page's facts, the carried-over items, private notes, the agenda.

Items logged at a meeting are feedback items with ``meeting_event_id``; an item stays on the
pages of the team's later meetings until it is closed, so none is lost when a meeting moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from planner.errors import InvalidInput, NotAllowed, NotFound
from planner.i18n import _
from planner.models import Event, FeedbackItem, MeetingAgenda, MeetingNote, Person
from planner.models.feedback import CLOSED
from planner.models.home import DEFAULT_AGENDA
from planner.scheduler.operations import may_see

NOTES_MAX = 10_000
AGENDA_MAX = 2_000
ORGANISER_ROLES = frozenset({"admin", "coordinator"})
LEADER_ROLES = frozenset({"admin", "coordinator", "leader"})
RECENT_DAYS = 60


@dataclass(frozen=True)
class Meeting:
    """What a meeting page shows."""

    event: Event
    day: date
    logged: list[FeedbackItem]
    carried: list[FeedbackItem]
    notes: str | None  # None: this viewer may not read them
    agenda: str


def meeting_day(event: Event, zone: ZoneInfo) -> date:
    """The local day a meeting starts."""
    if event.start_at is not None:
        return event.start_at.astimezone(zone).date()
    assert event.start_date is not None
    return event.start_date


def _start(event: Event) -> datetime:
    """A comparable start instant (all-day meetings start at UTC midnight)."""
    if event.start_at is not None:
        return event.start_at.astimezone(UTC)
    assert event.start_date is not None
    return datetime.combine(event.start_date, time(), UTC)


def get_meeting_event(session: Session, event_id: int, viewer: Person) -> Event:
    """A skip-level event this person may see, else NotFound (never reveal that it exists)."""
    event = session.get(Event, event_id)
    if event is None or event.kind != "skip_level" or not may_see(event, viewer):
        raise NotFound(_("No such skip-level meeting."))
    return event


def may_read_notes(event: Event, viewer: Person) -> bool:
    """Private notes are the hosting leader's."""
    return event.host_id == viewer.id


def agenda_text(session: Session) -> str:
    """The organisation's skip-level agenda template."""
    row = session.get(MeetingAgenda, 1)
    text = row.text if row is not None and row.text.strip() else DEFAULT_AGENDA
    if text != DEFAULT_AGENDA:
        return text  # the coordinator's own words
    return _(
        "1. Recognition first: customer praise and this month's stars.\n"
        '2. "What gets in your way?": obstacles to good service.\n'
        "3. Open items from last time: what happened since."
    )


def set_agenda(session: Session, actor: Person, text: str, now: datetime) -> MeetingAgenda:
    """Coordinators edit the default agenda of every skip-level meeting."""
    if actor.role not in ORGANISER_ROLES:
        raise NotAllowed("Only coordinators edit the agenda template.")
    text = (text or "").strip().replace("\r\n", "\n")
    if len(text) > AGENDA_MAX:
        raise InvalidInput(
            _("Keep the agenda under %(AGENDA_MAX)s characters.", AGENDA_MAX=AGENDA_MAX)
        )
    row = session.get(MeetingAgenda, 1)
    if row is None:
        row = MeetingAgenda(id=1)
        session.add(row)
    row.text, row.updated_at = text or DEFAULT_AGENDA, now
    session.flush()
    return row


def save_notes(session: Session, event: Event, actor: Person, notes: str, now: datetime) -> None:
    """Keep the hosting leader's private notes of a meeting."""
    if not may_read_notes(event, actor):
        raise NotAllowed("Only the leader who hosts the meeting keeps its notes.")
    notes = (notes or "").replace("\r\n", "\n").strip()
    if len(notes) > NOTES_MAX:
        raise InvalidInput(_("Keep the notes under %(NOTES_MAX)s characters.", NOTES_MAX=NOTES_MAX))
    row = session.get(MeetingNote, event.id)
    if row is None:
        row = MeetingNote(event_id=event.id)
        session.add(row)
    row.notes, row.updated_at, row.updated_by_id = notes, now, actor.id
    session.flush()


def carried_over(session: Session, event: Event, zone: ZoneInfo) -> list[FeedbackItem]:
    """The team's open meeting items from its earlier meetings (or whose meeting is gone)."""
    if event.team_id is None:
        return []
    rows = session.scalars(
        select(FeedbackItem)
        .where(
            FeedbackItem.team_id == event.team_id,
            FeedbackItem.from_meeting.is_(True),
            FeedbackItem.status.not_in(CLOSED),
            or_(FeedbackItem.meeting_event_id.is_(None), FeedbackItem.meeting_event_id != event.id),
        )
        .order_by(FeedbackItem.raised_on, FeedbackItem.id)
    )
    day, start = meeting_day(event, zone), _start(event)
    found = []
    for item in rows:
        source = session.get(Event, item.meeting_event_id) if item.meeting_event_id else None
        earlier = _start(source) < start if source is not None else item.raised_on < day
        if earlier:
            found.append(item)
    return found


def load_meeting(session: Session, event: Event, viewer: Person, zone: ZoneInfo) -> Meeting:
    """Everything the meeting page shows to this viewer."""
    logged = list(
        session.scalars(
            select(FeedbackItem)
            .where(FeedbackItem.meeting_event_id == event.id)
            .order_by(FeedbackItem.raised_on, FeedbackItem.id)
        )
    )
    notes = None
    if may_read_notes(event, viewer):
        row = session.get(MeetingNote, event.id)
        notes = row.notes if row is not None else ""
    return Meeting(
        event,
        meeting_day(event, zone),
        logged,
        carried_over(session, event, zone),
        notes,
        agenda_text(session),
    )


def meeting_choices(
    session: Session, leader: Person, today: date, zone: ZoneInfo, limit: int = 40
) -> list[Event]:
    """A leader's own skip-level meetings: the last 60 days (latest first), then upcoming ones.

    Coordinators, who host none themselves, choose from every leader's meetings."""
    mine = (
        select(Event)
        .where(Event.kind == "skip_level", Event.status != "cancelled")
        .options(selectinload(Event.team))
    )
    if leader.role not in ORGANISER_ROLES:
        mine = mine.where(Event.host_id == leader.id)
    since = datetime.combine(today - timedelta(days=RECENT_DAYS), time(), zone)
    until = datetime.combine(today + timedelta(days=1), time(), zone)
    past = session.scalars(
        mine.where(Event.start_at >= since, Event.start_at < until)
        .order_by(Event.start_at.desc())
        .limit(limit)
    )
    future = session.scalars(
        mine.where(Event.start_at >= until).order_by(Event.start_at).limit(limit)
    )
    return [*past, *future][:limit]
