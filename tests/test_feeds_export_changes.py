"""The static export after one event changed: only the feeds that hold the event (before or
after the change) are rebuilt, and every file is still what the app would serve (issue 11)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.events.operations import update_event
from planner.feeds import export, marks, operations
from planner.feeds.tokens import create_feed
from planner.models import Event, Feed
from tests.conftest import SECRET
from tests.test_feeds_plan import NOW, Plan, build_plan

SETTINGS = operations.FeedSettings("https://planner.example", "planner.example", "Europe/Amsterdam")


@pytest.fixture
def rebuilt(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ids of the feeds the export builds, in order (cleared by each `_export`)."""
    built: list[int] = []
    real = operations.build_feed

    def recording(session: Session, feed: Feed, *args: Any) -> Any:
        built.append(feed.id)
        return real(session, feed, *args)

    monkeypatch.setattr(operations, "build_feed", recording)
    return built


def _feeds(db: Session, plan: Plan) -> dict[str, Feed]:
    """The organisation's feed, both teams' (and team A's narrowed to one practice) and four
    people's."""
    made = {"org": create_feed(db, SECRET, scope="org", now=NOW, actor_id=None)}
    for name, team in (("team A", plan.team_a), ("team B", plan.team_b)):
        made[name] = create_feed(db, SECRET, scope="team", team_id=team.id, now=NOW, actor_id=None)
    made["team A, skip-levels only"] = create_feed(
        db, SECRET, scope="team", team_id=plan.team_a.id, practices=["P4"], now=NOW, actor_id=None
    )
    for name, person in (("leader", plan.leader), ("staff A", plan.staff_a),
                         ("staff B", plan.staff_b), ("coordinator", plan.coordinator)):  # fmt: skip
        made[name] = create_feed(
            db, SECRET, scope="person", person_id=person.id, now=NOW, actor_id=None
        )
    db.flush()
    return made


def _export(db: Session, out: Path, rebuilt: list[int]) -> export.Exported:
    rebuilt.clear()
    done = export.export_calendars(db, SETTINGS, SECRET, out, NOW)
    db.flush()
    return done


def _exported_once(
    db: Session, tmp_path: Path, rebuilt: list[int]
) -> tuple[Plan, dict[str, Feed], Path]:
    """The sample plan, its feeds, and the folder they were all exported to."""
    plan = build_plan(db, now=NOW)
    feeds = _feeds(db, plan)
    out = tmp_path / "calendars"
    assert _export(db, out, rebuilt).written == len(feeds)
    return plan, feeds, out


def _holding(db: Session, feeds: dict[str, Feed], event: Event) -> set[str]:
    """The feeds whose query holds the event now."""
    return {
        name
        for name, feed in feeds.items()
        if event.id in operations.feed_plan(db, feed, SETTINGS, NOW)[0]
    }


def _names(feeds: dict[str, Feed], ids: list[int]) -> set[str]:
    return {name for name, feed in feeds.items() if feed.id in ids}


def _as_served(db: Session, feeds: dict[str, Feed], files: list[Path]) -> None:
    """Every exported file holds the bytes the app serves for its feed."""
    by_slug = {path.name: path for path in files}
    for feed in feeds.values():
        body = operations.build_feed(db, feed, SETTINGS, NOW).body
        assert by_slug[f"{feed.slug}.ics"].read_bytes() == body, feed.slug


def test_one_changed_event_rebuilds_only_the_feeds_that_hold_it(
    db: Session, tmp_path: Path, rebuilt: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    plan, feeds, out = _exported_once(db, tmp_path, rebuilt)
    assert _names(feeds, rebuilt) == set(feeds)
    reads: list[int] = []
    real_read = marks.EventGroups.read
    monkeypatch.setattr(marks.EventGroups, "read", lambda db: reads.append(1) or real_read(db))
    assert _export(db, out, rebuilt).skipped == len(feeds) and rebuilt == []
    assert reads == []  # nothing changed at all: the last export's event fingerprints serve
    # The team B training, which the leader attends: team B's feeds and the leader's only.
    training = plan.events["training"]
    update_event(db, training, title="Refresher training B, room 2", now=NOW)
    db.flush()
    holding = _holding(db, feeds, training)
    assert holding == {"team B", "staff B", "leader"}
    done = _export(db, out, rebuilt)
    assert reads == [1] and _names(feeds, rebuilt) == holding
    assert (done.written, done.skipped) == (3, len(feeds) - 3)
    _as_served(db, feeds, done.files)
    # Team A's recognition (P1): not in team A's feed narrowed to skip-levels (P4).
    star = plan.events["recognition"]
    update_event(db, star, title="Service star of November, on stage", now=NOW)
    db.flush()
    holding = _holding(db, feeds, star)
    assert "team A" in holding and "team A, skip-levels only" not in holding
    done = _export(db, out, rebuilt)
    assert _names(feeds, rebuilt) == holding
    _as_served(db, feeds, done.files)


def test_an_event_moved_to_another_team_rebuilds_both_teams_feeds(
    db: Session, tmp_path: Path, rebuilt: list[int]
) -> None:
    plan, feeds, out = _exported_once(db, tmp_path, rebuilt)
    training = plan.events["training"]
    before = _holding(db, feeds, training)
    # The team is not shown in the item: no new SEQUENCE, yet the event changes feeds.
    assert update_event(db, training, team_id=plan.team_a.id, now=NOW) is False
    db.flush()
    after = _holding(db, feeds, training)
    assert before - after == {"team B", "staff B"} and after - before == {"team A", "staff A"}
    done = _export(db, out, rebuilt)
    assert _names(feeds, rebuilt) == before ^ after
    _as_served(db, feeds, done.files)
    team_b = next(p for p in done.files if p.name == f"{feeds['team B'].slug}.ics")
    assert b"Refresher training B" not in team_b.read_bytes()


def test_the_pieces_check_reads_only_the_id_range_of_a_changed_event(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(marks, "CHUNK", 2)  # a dozen events: six ranges
    plan = build_plan(db, now=NOW)
    checked: list[list[int]] = []
    real = marks.refresh_pieces

    def recording(session: Session, ids: list[int], *args: Any, **kwargs: Any) -> int:
        checked.append(sorted(ids))
        return real(session, ids, *args, **kwargs)

    monkeypatch.setattr(marks, "refresh_pieces", recording)
    every = sorted(db.scalars(select(Event.id)))
    assert marks.refresh_changed_pieces(db, SETTINGS) == len(every)  # first: all of them
    assert checked == [every]
    assert marks.refresh_changed_pieces(db, SETTINGS) is None  # nothing changed: skipped
    training = plan.events["training"]
    update_event(db, training, title="Refresher training B, room 2", now=NOW)
    db.flush()
    assert marks.refresh_changed_pieces(db, SETTINGS) == 1
    assert checked[-1] == [i for i in every if i // 2 == training.id // 2]
    assert training.ics_piece is not None and "room 2" in training.ics_piece
    assert marks.refresh_changed_pieces(db, SETTINGS) is None
