"""The activity library: built-in entries shipped in planner/data/library.json, plus the
coordinators' own. The year planner reads the year-round entries to seed its cadences."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, time
from functools import lru_cache
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import InvalidInput, NotFound
from planner.i18n import _
from planner.models import EVENT_KINDS, PRACTICES, LibraryEntry
from planner.models.csweek import LIBRARY_AUDIENCES


@lru_cache(maxsize=1)
def builtin_entries() -> tuple[dict[str, Any], ...]:
    """The shipped library entries, as plain dictionaries (read once)."""
    text = resources.files("planner.data").joinpath("library.json").read_text(encoding="utf-8")
    return tuple(json.loads(text)["entries"])


def _entry_from_data(data: dict[str, Any]) -> LibraryEntry:
    """A built-in LibraryEntry row from one shipped dictionary."""
    start = data.get("suggested_start")
    return LibraryEntry(
        key=data["key"],
        scope=data["scope"],
        title=data["title"],
        description=data.get("description", ""),
        practice=data.get("practice", "support"),
        suggested_weekday=data.get("suggested_weekday"),
        suggested_start=time.fromisoformat(start) if start else None,
        kind=data.get("kind", "activity"),
        min_gap_weeks=data.get("min_gap_weeks"),
        max_gap_weeks=data.get("max_gap_weeks"),
        duration_minutes=data.get("duration_minutes"),
        audience=data.get("audience", "everyone"),
        host_hint=data.get("host_hint", ""),
        builtin=True,
    )


def ensure_library(session: Session) -> int:
    """Add the built-in entries that are not in the database yet; returns how many were added."""
    present = set(session.scalars(select(LibraryEntry.key).where(LibraryEntry.key.is_not(None))))
    added = 0
    for data in builtin_entries():
        if data["key"] not in present:
            session.add(_entry_from_data(data))
            added += 1
    if added:
        session.flush()
    return added


def library_entries(session: Session, scope: str | None = None) -> list[LibraryEntry]:
    """Library entries (optionally of one scope), week ones by suggested day, then by title."""
    query = select(LibraryEntry)
    if scope is not None:
        query = query.where(LibraryEntry.scope == scope)
    return list(
        session.scalars(
            query.order_by(
                LibraryEntry.scope,
                LibraryEntry.suggested_weekday,
                LibraryEntry.suggested_start,
                LibraryEntry.title,
                LibraryEntry.id,
            )
        )
    )


def entries_for_page(session: Session, scope: str) -> list[LibraryEntry]:
    """The stored entries plus (unsaved, id None) any built-in ones not seeded yet: a page can
    show the whole library without writing on a GET (SECURITY.md 12)."""
    stored = library_entries(session, scope)
    keys = {e.key for e in stored}
    missing = [
        _entry_from_data(d)
        for d in builtin_entries()
        if d["scope"] == scope and d["key"] not in keys
    ]
    return stored + missing


def get_entry(session: Session, entry_id: int) -> LibraryEntry:
    """One library entry, or NotFound."""
    entry = session.get(LibraryEntry, entry_id)
    if entry is None:
        raise NotFound(_("No such library entry."))
    return entry


@dataclass(frozen=True)
class EntryInput:
    """What a coordinator enters for an own library entry."""

    scope: str
    title: str
    description: str = ""
    practice: str = "support"
    suggested_weekday: int | None = None
    suggested_start: time | None = None
    kind: str = "activity"
    min_gap_weeks: int | None = None
    max_gap_weeks: int | None = None
    duration_minutes: int | None = None
    audience: str = "everyone"
    host_hint: str = ""


def _check_entry(values: EntryInput) -> None:
    """Refuse values the library cannot use, with a reason a person understands."""
    if not values.title.strip() or len(values.title.strip()) > 200:
        raise InvalidInput(_("Give a title of at most 200 characters."))
    if values.scope not in ("week", "year"):
        raise InvalidInput(
            _("Choose whether the idea is for the week or for the rest of the year.")
        )
    if values.practice not in PRACTICES or values.kind not in EVENT_KINDS:
        raise InvalidInput(_("Choose a practice and a kind from the lists."))
    if values.audience not in LIBRARY_AUDIENCES:
        raise InvalidInput(_("Choose who attends from the list."))
    if values.scope == "week" and values.suggested_weekday not in range(5):
        raise InvalidInput(_("A week activity needs a suggested day (Monday to Friday)."))
    if values.scope == "year":
        low, high = values.min_gap_weeks, values.max_gap_weeks
        if low is None or high is None or not 1 <= low <= high <= 52:
            raise InvalidInput(
                _("A year-round idea needs a spacing of 1 to 52 weeks (lowest first).")
            )
    if values.duration_minutes is not None and not 1 <= values.duration_minutes <= 24 * 60:
        raise InvalidInput(
            _("A duration is between 1 minute and a day; leave it empty for all-day.")
        )


def add_library_entry(
    session: Session,
    values: EntryInput,
    *,
    created_by_id: int | None,
    now: datetime,
    idempotency_key: str | None = None,
) -> LibraryEntry:
    """Add a coordinator's own idea to the library (once per form, even if sent twice)."""
    key = (idempotency_key or "").strip()[:64] or None
    if key is not None:
        existing = session.scalar(select(LibraryEntry).where(LibraryEntry.idempotency_key == key))
        if existing is not None:
            return existing
    _check_entry(values)
    week = values.scope == "week"
    entry = LibraryEntry(
        scope=values.scope,
        title=values.title.strip(),
        description=values.description.strip(),
        practice=values.practice,
        suggested_weekday=values.suggested_weekday if week else None,
        suggested_start=values.suggested_start if week else None,
        kind=values.kind if not week else "activity",
        min_gap_weeks=None if week else values.min_gap_weeks,
        max_gap_weeks=None if week else values.max_gap_weeks,
        duration_minutes=values.duration_minutes,
        audience=values.audience,
        host_hint=values.host_hint.strip()[:200],
        builtin=False,
        created_by_id=created_by_id,
        created_at=now,
        idempotency_key=key,
    )
    session.add(entry)
    session.flush()
    return entry
