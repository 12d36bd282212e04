"""Customer praise (P2): log it, import it in bulk, and turn each into a leader's outreach task.

Rules chosen here (see README):
- The outreach goes to the praised person's skip-level leader (team override, else the manager's
  manager); when there is none (or they are inactive), to the manager. When there is no manager
  either, the praise is still saved (it is the person's, and shows on the wall) but no task is
  created; the caller is told so it can ask a coordinator to fix the org chart.
- Due: two working days after the praise was received, skipping weekends, public holidays,
  blackouts and the leader's absences. Praise logged so late that this date has passed is due one
  working day after logging instead: a task due in the past would never show in a calendar.
- Gesture by channel: spoken praise (call) is answered with a phone call; written praise (e-mail,
  survey) with a handwritten note; chat and social praise with an unannounced visit in person.
- A completed task keeps its calendar item, confirmed, titled "Done: ...", with what was done.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import InvalidInput, NotFound
from planner.events.operations import AllDay, create_event, update_event
from planner.i18n import N_, _, in_language
from planner.models import OutreachTask, Person, Praise
from planner.models.recognition import PRAISE_CHANNELS, QUOTE_MAX
from planner.org.calendar import WorkingCalendar
from planner.org.chart import skip_level_leader
from planner.recognition.praise_csv import ImportFailed, read_csv
from planner.validation import date_problem, text_problem

# Stored in English (OutreachTask.gesture); shown in the reader's language (`|shown`).
GESTURES = (N_("Phone call"), N_("Handwritten note"), N_("Unannounced visit"))
GESTURE_BY_CHANNEL = {
    "call": GESTURES[0],
    "email": GESTURES[1],
    "survey": GESTURES[1],
    "chat": GESTURES[2],
    "social": GESTURES[2],
}
CHANNEL_ALIASES = {"e-mail": "email", "mail": "email", "phone": "call", "social media": "social"}
CUSTOMER_NAME_MAX = 200
# Each row becomes a calendar event (~10 ms each on SQLite): 1000 rows stay around 10 seconds.
MAX_IMPORT_ROWS = 1000
# Who may see customer names and every praise detail.
PRAISE_READERS = ("admin", "coordinator", "leader")
TASK_MANAGERS = ("admin", "coordinator")


def quote_key(quote: str) -> str:
    """PURE: identity of a quote, ignoring case and runs of whitespace."""
    return hashlib.sha256(" ".join(quote.split()).casefold().encode()).hexdigest()


def outreach_leader(person: Person) -> Person | None:
    """Who reaches out: the active skip-level leader, else the active manager, else nobody."""
    for candidate in (skip_level_leader(person), person.manager):
        if candidate is not None and candidate.active and candidate.id != person.id:
            return candidate
    return None


def normalise_channel(raw: str) -> str:
    """A channel key from what a person typed ('E-mail' -> 'email'); InvalidInput if unknown."""
    key = raw.strip().lower()
    key = CHANNEL_ALIASES.get(key, key)
    if key not in PRAISE_CHANNELS:
        raise InvalidInput(
            _(
                "Unknown channel '%(raw)s'. Use one of: %(join)s.",
                raw=raw,
                join=", ".join(PRAISE_CHANNELS),
            )
        )
    return key


def check_praise(received_on: date, quote: str, customer_name: str, today: date) -> None:
    """Validate the values of one praise (InvalidInput with the reason)."""
    if problem := date_problem(received_on):
        raise InvalidInput(_("The date %(problem)s.", problem=problem))
    for what, text in (("quote", quote), ("customer's name", customer_name)):
        if problem := text_problem(text, multiline=what == "quote"):
            raise InvalidInput(_("The %(what)s %(problem)s.", what=what, problem=problem))
    if received_on > today:
        raise InvalidInput(
            _("The date %(isoformat)s is in the future.", isoformat=received_on.isoformat())
        )
    if not quote.strip():
        raise InvalidInput(_("The customer's words are empty."))
    if len(quote) > QUOTE_MAX:
        raise InvalidInput(
            _(
                "The quote is %(count)s characters; at most %(QUOTE_MAX)s.",
                count=len(quote),
                QUOTE_MAX=QUOTE_MAX,
            )
        )
    if len(customer_name) > CUSTOMER_NAME_MAX:
        raise InvalidInput(
            _(
                "The customer's name is longer than %(CUSTOMER_NAME_MAX)s characters.",
                CUSTOMER_NAME_MAX=CUSTOMER_NAME_MAX,
            )
        )


def _is_logged(session: Session, person_id: int, received_on: date, key: str) -> bool:
    """Whether this exact praise exists already."""
    return (
        session.scalar(
            select(Praise.id).where(
                Praise.person_id == person_id,
                Praise.received_on == received_on,
                Praise.quote_key == key,
            )
        )
        is not None
    )


def due_date(calendar: WorkingCalendar, received_on: date, leader_id: int, today: date) -> date:
    """Two working days after receipt for this leader; one working day after today if later.

    One `calendar` serves a whole import: the working calendar (holidays, blackouts, absences)
    is costly to compute and is read once per year and leader, not once per row."""
    due = calendar.add_working_days(received_on, 2, person_id=leader_id)
    if due < today:
        due = calendar.add_working_days(today, 1, person_id=leader_id)
    return due


def _new_task(
    session: Session, praise: Praise, today: date, calendar: WorkingCalendar
) -> OutreachTask | None:
    """The leader's outreach task (not flushed), or None when nobody leads the person."""
    leader = outreach_leader(praise.person)
    if leader is None:
        return None
    due = due_date(calendar, praise.received_on, leader.id, today)
    task = OutreachTask(
        praise=praise, leader=leader, due_on=due, gesture=GESTURE_BY_CHANNEL[praise.channel]
    )
    session.add(task)
    return task


def _add_event(session: Session, task: OutreachTask, now: datetime) -> None:
    """The task's all-day, non-blocking item in the leader's calendar (task and praise flushed)."""
    praise = task.praise
    with in_language("en"):  # stored in English, shown in each reader's (i18n/content.py)
        channel = str(praise.channel_label).lower()
    # No customer name here: calendar feeds leave the app (SECURITY: leaders-only detail).
    task.event = create_event(
        session,
        kind="outreach",
        practice="P2",
        title=f"Thank {praise.person.name} for customer praise",
        description=(
            f"A customer praised {praise.person.name} ({channel}, "
            f"{praise.received_on.isoformat()}): \u201c{_shorten(praise.quote)}\u201d\n"
            f"Suggested gesture: {task.gesture}."
        ),
        when=AllDay(task.due_on, task.due_on + timedelta(days=1)),
        now=now,
        host_id=task.leader_id,
        transparent=True,
        source_kind="praise",
        source_id=praise.id,
        link_path=f"/recognition/outreach/{task.id}",
    )


def _shorten(text: str, limit: int = 300) -> str:
    """PURE: at most `limit` characters, cut at a word."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def log_praise(
    session: Session,
    *,
    person_id: int,
    received_on: date,
    channel: str,
    quote: str,
    customer_name: str = "",
    logged_by_id: int | None,
    today: date,
    now: datetime,
) -> Praise:
    """Save one praise and create its outreach task (praise.task is None when nobody leads)."""
    person = session.get(Person, person_id)
    if person is None or not person.active:
        raise InvalidInput(_("Choose an active person."))
    channel = normalise_channel(channel)
    quote, customer_name = quote.strip(), customer_name.strip()
    check_praise(received_on, quote, customer_name, today)
    key = quote_key(quote)
    if _is_logged(session, person_id, received_on, key):
        raise InvalidInput(_("This praise is already logged for this person and date."))
    praise = Praise(
        person=person,
        received_on=received_on,
        channel=channel,
        quote=quote,
        quote_key=key,
        customer_name=customer_name,
        logged_by_id=logged_by_id,
        created_at=now,
    )
    session.add(praise)
    task = _new_task(session, praise, today, WorkingCalendar(session))
    session.flush()
    if task is not None:
        _add_event(session, task, now)
        session.flush()
    return praise


@dataclass
class PraiseImport:
    """What an import did."""

    created: int = 0
    already_there: int = 0
    without_leader: list[str] = field(default_factory=list)


def import_praise(
    session: Session,
    data: bytes,
    *,
    logged_by_id: int | None,
    today: date,
    now: datetime,
    progress: Callable[[int, int, str], None] | None = None,
) -> PraiseImport:
    """Import `email,received_on,channel,quote[,customer_name]` rows: all or nothing;
    `progress(done, total, words)` hears how many rows are saved."""
    rows, errors = read_csv(
        data, columns=("email", "received_on", "channel", "quote", "customer_name"), optional=1
    )
    if len(rows) > MAX_IMPORT_ROWS:
        raise ImportFailed(
            [(0, f"The file has {len(rows)} rows; import at most {MAX_IMPORT_ROWS} at a time "
                 "(each becomes a calendar item). Split the file.")]
        )  # fmt: skip
    people = {p.email: p for p in session.scalars(select(Person).where(Person.active.is_(True)))}
    valid: list[tuple[Person, date, str, str, str]] = []
    for line, (email, received, channel, quote, customer) in rows:
        person = people.get(email.lower())
        try:
            if person is None:
                raise InvalidInput(_("No active person has the e-mail '%(email)s'.", email=email))
            try:
                received_on = date.fromisoformat(received)
            except ValueError:
                raise InvalidInput(
                    _("'%(received)s' is not a date (use YYYY-MM-DD).", received=received)
                ) from None
            channel = normalise_channel(channel)
            check_praise(received_on, quote, customer, today)
        except InvalidInput as exc:
            errors.append((line, str(exc)))
            continue
        valid.append((person, received_on, channel, quote, customer))
    if errors:
        raise ImportFailed(sorted(errors))
    return _save_rows(
        session, valid, logged_by_id=logged_by_id, today=today, now=now, progress=progress
    )


def _save_rows(
    session: Session,
    valid: list[tuple[Person, date, str, str, str]],
    *,
    logged_by_id: int | None,
    today: date,
    now: datetime,
    progress: Callable[[int, int, str], None] | None = None,
) -> PraiseImport:
    """Save checked rows in three batches (praise, tasks, events), skipping known praise.

    Batching keeps an import of hundreds of rows to one flush per calendar event."""
    ids = {person.id for person, *_rest in valid}
    seen: set[tuple[int, date, str]] = {
        (row[0], row[1], row[2])
        for row in session.execute(
            select(Praise.person_id, Praise.received_on, Praise.quote_key).where(
                Praise.person_id.in_(ids)
            )
        )
    }
    result = PraiseImport()
    added: list[Praise] = []
    for person, received_on, channel, quote, customer in valid:
        key = (person.id, received_on, quote_key(quote.strip()))
        if key in seen:
            result.already_there += 1
            continue
        seen.add(key)
        added.append(
            Praise(
                person=person,
                received_on=received_on,
                channel=channel,
                quote=quote.strip(),
                quote_key=key[2],
                customer_name=customer.strip(),
                logged_by_id=logged_by_id,
                created_at=now,
            )
        )
    session.add_all(added)
    calendar = WorkingCalendar(session)  # read once for the whole import
    with session.no_autoflush:  # the working-calendar reads need none of the new rows
        tasks = [(p, _new_task(session, p, today, calendar)) for p in added]
    session.flush()
    words = _("Adding outreach tasks")
    for done, (praise, task) in enumerate(tasks, 1):
        if task is None:
            result.without_leader.append(praise.person.name)
        else:
            _add_event(session, task, now)
        if progress is not None and (done % 25 == 0 or done == len(tasks)):
            progress(done, len(tasks), words)
    session.flush()
    result.created = len(added)
    return result


def get_praise(session: Session, praise_id: int, viewer: Person) -> Praise:
    """One praise, if the viewer may see its details (staff: only their own)."""
    praise = session.get(Praise, praise_id)
    if praise is None or (viewer.role not in PRAISE_READERS and praise.person_id != viewer.id):
        raise NotFound(_("No such praise."))
    return praise


def recent_praise(session: Session, limit: int = 30) -> list[Praise]:
    """The praise wall: newest first."""
    return list(
        session.scalars(
            select(Praise).order_by(Praise.received_on.desc(), Praise.id.desc()).limit(limit)
        )
    )


def praise_for(session: Session, person_id: int) -> list[Praise]:
    """All praise of one person, newest first."""
    return list(
        session.scalars(
            select(Praise)
            .where(Praise.person_id == person_id)
            .order_by(Praise.received_on.desc(), Praise.id.desc())
        )
    )


def get_task(session: Session, task_id: int, viewer: Person) -> OutreachTask:
    """One outreach task: its leader's, or any for coordinators and admins."""
    task = session.get(OutreachTask, task_id)
    if task is None or (viewer.role not in TASK_MANAGERS and task.leader_id != viewer.id):
        raise NotFound(_("No such outreach task."))
    return task


def tasks_for(
    session: Session, viewer: Person, *, include_done: bool = False
) -> list[OutreachTask]:
    """The viewer's outreach tasks (coordinators and admins: everyone's), soonest due first."""
    query = select(OutreachTask).order_by(OutreachTask.due_on, OutreachTask.id)
    if viewer.role not in TASK_MANAGERS:
        query = query.where(OutreachTask.leader_id == viewer.id)
    if not include_done:
        query = query.where(OutreachTask.done_at.is_(None))
    return list(session.scalars(query))


def complete_outreach(
    session: Session, task_id: int, actor: Person, what_was_done: str, now: datetime
) -> OutreachTask:
    """Mark a task done with what the leader did; its calendar item stays, titled 'Done: ...'."""
    task = get_task(session, task_id, actor)
    what_was_done = what_was_done.strip()
    if task.done:
        raise InvalidInput(_("This outreach is already marked done."))
    if not what_was_done:
        raise InvalidInput(_("Say what you did, e.g. 'Called her on Tuesday'."))
    if len(what_was_done) > 2000:
        raise InvalidInput(_("Keep it under 2000 characters."))
    task.done_at, task.done_by_id, task.done_note = now, actor.id, what_was_done
    if task.event is not None and task.event.status != "cancelled":
        update_event(
            session,
            task.event,
            now=now,
            title=f"Done: {task.event.title}"[:200],
            description=f"{task.event.description}\nDone by {actor.name}: {what_was_done}",
        )
    session.flush()
    return task
