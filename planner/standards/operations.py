"""Service standards, database side: the purpose statement (with its history) and the phrase
lexicon (curated by coordinators, suggested by anyone, searched by everyone, imported from CSV).

Training lives in training.py, shout-outs in shoutouts.py, the measures in measures.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from planner.csweek.activities import sync_event
from planner.errors import InvalidInput, NotFound
from planner.i18n import _
from planner.models import Activity, LexiconEntry, LibraryEntry, Person, PurposeStatement
from planner.models.standards import LANGUAGES, SITUATIONS
from planner.standards.lexicon_csv import check_entry, parse_lexicon, phrase_key, write_lexicon
from planner.standards.purpose import KICKOFF_KEY, PURPOSE_MAX_CHARS, current_purpose

ORGANISERS = ("admin", "coordinator")


def save_purpose(session: Session, text: str, *, author_id: int | None, now: datetime) -> bool:
    """Write a new version (unchanged text: nothing happens); refresh the kickoff's calendar."""
    text = " ".join(text.split())
    if not text:
        raise InvalidInput(_("Write the purpose statement."))
    if len(text) > PURPOSE_MAX_CHARS:
        raise InvalidInput(
            _(
                "Keep the purpose statement under %(PURPOSE_MAX_CHARS)s characters.",
                PURPOSE_MAX_CHARS=PURPOSE_MAX_CHARS,
            )
        )
    current = current_purpose(session)
    if current is not None and current.text == text:
        return False
    session.add(
        PurposeStatement(
            version=(current.version + 1) if current else 1,
            text=text,
            written_by_id=author_id,
            created_at=now,
        )
    )
    session.flush()
    for activity in kickoff_activities(session):
        sync_event(session, activity, now=now)
    return True


def kickoff_activities(session: Session) -> list[Activity]:
    """The week's kickoff activities (made from the kickoff library entry)."""
    return list(
        session.scalars(
            select(Activity)
            .join(LibraryEntry, Activity.library_entry_id == LibraryEntry.id)
            .where(LibraryEntry.key == KICKOFF_KEY)
            .order_by(Activity.id)
        )
    )


@dataclass(frozen=True)
class EntryValues:
    """What a person enters for a lexicon entry."""

    language: str
    avoid: str
    use_instead: str
    situations: str = "general"
    why: str = ""
    example: str = ""


def _checked(values: EntryValues) -> tuple[str, str, str, str, str, str]:
    """The values normalised, or InvalidInput naming every problem."""
    row, problems = check_entry(
        values.language,
        values.avoid,
        values.use_instead,
        values.situations,
        values.why,
        values.example,
    )
    if row is None:
        raise InvalidInput("; ".join(p[0].upper() + p[1:] for p in problems) + ".")
    return row.language, row.avoid, row.use_instead, " ".join(row.situations), row.why, row.example


def _entry_for(session: Session, language: str, avoid: str) -> LexiconEntry | None:
    """The stored entry of this phrase and language, if any."""
    return session.scalar(
        select(LexiconEntry).where(
            LexiconEntry.language == language, LexiconEntry.avoid_key == phrase_key(avoid)
        )
    )


def add_entry(session: Session, values: EntryValues, author: Person, now: datetime) -> LexiconEntry:
    """Add an entry: approved when a coordinator adds it, a suggestion from anyone else."""
    language, avoid, use, situations, why, example = _checked(values)
    entry = _entry_for(session, language, avoid)
    if entry is not None and entry.status != "declined":
        waiting = " (a suggestion waiting for review)" if entry.status == "suggested" else ""
        raise InvalidInput(
            _(
                "“%(avoid)s” is already in the %(LANGUAGES)s lexicon%(waiting)s.",
                avoid=avoid,
                LANGUAGES=LANGUAGES[language],
                waiting=waiting,
            )
        )
    if entry is None:  # else a declined or withdrawn phrase comes back with the new words
        entry = LexiconEntry(language=language, avoid_key=phrase_key(avoid), created_at=now)
        session.add(entry)
    organiser = author.role in ORGANISERS
    entry.avoid, entry.use_instead, entry.situations = avoid, use, situations
    entry.why, entry.example, entry.updated_at = why, example, now
    entry.status = "approved" if organiser else "suggested"
    entry.suggested_by_id, entry.reviewed_by_id = author.id, author.id if organiser else None
    session.flush()
    return entry


def get_entry(session: Session, entry_id: int) -> LexiconEntry:
    """One entry, or NotFound."""
    entry = session.get(LexiconEntry, entry_id)
    if entry is None:
        raise NotFound(_("No such lexicon entry."))
    return entry


def update_entry(
    session: Session, entry_id: int, values: EntryValues, now: datetime
) -> LexiconEntry:
    """A coordinator corrects an entry."""
    entry = get_entry(session, entry_id)
    language, avoid, use, situations, why, example = _checked(values)
    other = _entry_for(session, language, avoid)
    if other is not None and other.id != entry.id:
        raise InvalidInput(
            _(
                "“%(avoid)s” is already in the %(LANGUAGES)s lexicon.",
                avoid=avoid,
                LANGUAGES=LANGUAGES[language],
            )
        )
    entry.language, entry.avoid, entry.avoid_key = language, avoid, phrase_key(avoid)
    entry.use_instead, entry.situations, entry.why, entry.example = use, situations, why, example
    entry.updated_at = now
    session.flush()
    return entry


def review_entry(
    session: Session, entry_id: int, reviewer: Person, *, approve: bool, now: datetime
) -> LexiconEntry:
    """A coordinator approves or declines a suggestion."""
    entry = get_entry(session, entry_id)
    if entry.status != "suggested":
        raise InvalidInput(_("This entry was already %(status)s.", status=entry.status))
    entry.status = "approved" if approve else "declined"
    entry.reviewed_by_id, entry.updated_at = reviewer.id, now
    session.flush()
    return entry


def withdraw_entry(session: Session, entry_id: int, reviewer: Person, now: datetime) -> None:
    """A coordinator takes an approved entry out of the lexicon (kept, marked declined)."""
    entry = get_entry(session, entry_id)
    if entry.status != "approved":
        raise InvalidInput(_("Only entries in the lexicon can be withdrawn."))
    entry.status, entry.reviewed_by_id, entry.updated_at = "declined", reviewer.id, now
    session.flush()


def search_entries(
    session: Session,
    *,
    text: str = "",
    language: str = "",
    situation: str = "",
    status: str = "approved",
) -> list[LexiconEntry]:
    """Entries matching words in either phrase, why or example; by language and situation."""
    query = select(LexiconEntry).where(LexiconEntry.status == status)
    if language in LANGUAGES:
        query = query.where(LexiconEntry.language == language)
    if situation in SITUATIONS:
        query = query.where(
            (" " + LexiconEntry.situations + " ").contains(f" {situation} ", autoescape=True)
        )
    for word in text.split()[:8]:
        columns = (
            LexiconEntry.avoid,
            LexiconEntry.use_instead,
            LexiconEntry.why,
            LexiconEntry.example,
        )
        query = query.where(
            or_(*(func.lower(c).contains(word.casefold(), autoescape=True) for c in columns))
        )
    return list(session.scalars(query.order_by(LexiconEntry.language, LexiconEntry.avoid_key)))


@dataclass(frozen=True)
class ImportResult:
    """What a lexicon import did."""

    created: int
    updated: int
    unchanged: int


def import_lexicon(session: Session, data: bytes, actor: Person, now: datetime) -> ImportResult:
    """Import entries (all or nothing): new phrases are added, known ones brought up to date."""
    rows = parse_lexicon(data)
    created = updated = unchanged = 0
    stored = {(e.language, e.avoid_key): e for e in session.scalars(select(LexiconEntry))}
    for row in rows:
        situations = " ".join(row.situations)
        entry = stored.get((row.language, phrase_key(row.avoid)))
        if entry is None:
            session.add(
                LexiconEntry(
                    language=row.language,
                    avoid=row.avoid,
                    avoid_key=phrase_key(row.avoid),
                    use_instead=row.use_instead,
                    situations=situations,
                    why=row.why,
                    example=row.example,
                    status="approved",
                    suggested_by_id=actor.id,
                    reviewed_by_id=actor.id,
                    created_at=now,
                    updated_at=now,
                )
            )
            created += 1
            continue
        new = (row.avoid, row.use_instead, situations, row.why, row.example, "approved")
        old = (entry.avoid, entry.use_instead, entry.situations, entry.why, entry.example)
        if (*old, entry.status) == new:
            unchanged += 1
            continue
        entry.avoid, entry.use_instead, entry.situations = row.avoid, row.use_instead, situations
        entry.why, entry.example, entry.status = row.why, row.example, "approved"
        entry.reviewed_by_id, entry.updated_at = actor.id, now
        updated += 1
    session.flush()
    return ImportResult(created, updated, unchanged)


def export_lexicon(session: Session) -> str:
    """The approved lexicon as CSV (re-imports unchanged)."""
    return write_lexicon(
        (e.language, e.avoid, e.use_instead, e.situations, e.why, e.example)
        for e in search_entries(session)
    )
