"""Static export: every working feed written to <out>/<token>/<name>.ics, as the app serves it.

A web server (nginx, see calendars/README.md) can then serve the folder without the app. Folders
of rotated or disabled tokens are removed, so an old URL dies in the export too.

Nothing changed, nothing done: the export keeps each feed's fingerprint (planner.feeds.marks) in
<out>/.export-state.json and skips feeds whose fingerprint and file are unchanged, and the check
of every event's piece is skipped when the event table's fingerprint is unchanged. A feed's
fingerprint holds the aggregates of the event groups it is made of, so one changed event
rebuilds only the feeds that hold it (or held it).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from planner.feeds import marks, operations
from planner.feeds.tokens import TOKEN_PREFIX, feed_token
from planner.i18n import _
from planner.models import Feed

STATE_FILE = ".export-state.json"
# Keys of the state file besides feed ids: the fingerprint of everything, each feed's events'.
OVERALL, EVENTS = "overall", "events:"


@dataclass
class Exported:
    """What an export did: every feed's file, and how many were rewritten or skipped."""

    files: list[Path] = field(default_factory=list)
    written: int = 0  # files whose bytes changed
    checked: int = 0  # feeds rebuilt or re-checked, bytes unchanged
    skipped: int = 0  # feeds whose fingerprint was unchanged: not even re-checked
    pieces: int | None = None  # pieces re-rendered (None: the check was skipped)


def _write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` in one step, so a web server never serves half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _read_state(out: Path) -> dict[str, str]:
    """Feed id -> fingerprint of the last export to this folder (empty if none or unreadable)."""
    try:
        found = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def _events_fingerprints(
    session: Session,
    settings: operations.FeedSettings,
    feeds: list[Feed],
    world: str,
    before: dict[str, str],
    after: dict[str, str],
) -> dict[int, str]:
    """Each feed's events fingerprint (marks.EventGroups): the last export's when nothing at
    all changed since, else read again (six GROUP BY queries). Both are kept in `after`.

    "Nothing at all" is the world, the event table's aggregates and who each event is for
    (marks.audience_fingerprint): a few aggregate queries instead of the grouped ones."""
    overall = marks.digest(
        world, marks.pieces_fingerprint(session, settings), marks.audience_fingerprint(session)
    )
    after[OVERALL] = overall
    kept = {f.id: before.get(f"{EVENTS}{f.id}") for f in feeds}
    if before.get(OVERALL) == overall and all(kept.values()):
        events = {k: v for k, v in kept.items() if v}
    else:
        events = marks.events_fingerprints(session, feeds)
    after.update({f"{EVENTS}{k}": v for k, v in events.items()})
    return events


def export_calendars(
    session: Session,
    settings: operations.FeedSettings,
    secret_key: str,
    out: Path,
    now: datetime,
    progress: Callable[[int, int, str], None] | None = None,
) -> Exported:
    """Write every working feed below ``out``; remove dead token folders; say what was done."""
    result = Exported(pieces=marks.refresh_changed_pieces(session, settings, progress))
    out.mkdir(parents=True, exist_ok=True)
    before, after = _read_state(out), dict[str, str]()
    world = marks.world_fingerprint(session, settings, now)
    feeds = operations.active_feeds(session)
    events = _events_fingerprints(session, settings, feeds, world, before, after)
    for done, feed in enumerate(feeds):
        if progress is not None:
            progress(done, len(feeds), _("Writing calendar feeds"))
        folder = out / feed_token(secret_key, feed)
        path = folder / f"{feed.slug}.ics"
        fingerprint = marks.feed_fingerprint(world, feed, folder.name, events[feed.id])
        after[str(feed.id)] = fingerprint
        result.files.append(path)
        if before.get(str(feed.id)) == fingerprint and path.is_file():
            result.skipped += 1
            continue
        built = operations.build_feed(session, feed, settings, now)
        folder.mkdir(exist_ok=True)
        if not path.exists() or path.read_bytes() != built.body:
            _write_atomically(path, built.body)
            result.written += 1
        else:
            result.checked += 1
        for other in folder.iterdir():
            if other != path:
                other.unlink()
    if progress is not None:
        progress(len(feeds), len(feeds), _("Writing calendar feeds"))
    alive = {p.parent.name for p in result.files}
    for child in out.iterdir():
        if child.is_dir() and child.name.startswith(TOKEN_PREFIX) and child.name not in alive:
            shutil.rmtree(child)
    _write_atomically(out / STATE_FILE, json.dumps(after, sort_keys=True).encode())
    return result
