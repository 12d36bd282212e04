"""Static export: every working feed written to <out>/<token>/<name>.ics, as the app serves it.

A web server (nginx, see calendars/README.md) can then serve the folder without the app. Folders
of rotated or disabled tokens are removed, so an old URL dies in the export too.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from planner.feeds import operations
from planner.feeds.tokens import TOKEN_PREFIX, feed_token


def _write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` in one step, so a web server never serves half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def export_calendars(
    session: Session,
    settings: operations.FeedSettings,
    secret_key: str,
    out: Path,
    now: datetime,
) -> list[Path]:
    """Write every working feed below ``out``; remove dead token folders; return the files."""
    operations.refresh_all_pieces(session, settings)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for feed in operations.active_feeds(session):
        built = operations.build_feed(session, feed, settings, now)
        folder = out / feed_token(secret_key, feed)
        folder.mkdir(exist_ok=True)
        path = folder / f"{feed.slug}.ics"
        if not path.exists() or path.read_bytes() != built.body:
            _write_atomically(path, built.body)
        for other in folder.iterdir():
            if other != path:
                other.unlink()
        written.append(path)
    alive = {p.parent.name for p in written}
    for child in out.iterdir():
        if child.is_dir() and child.name.startswith(TOKEN_PREFIX) and child.name not in alive:
            shutil.rmtree(child)
    return written
