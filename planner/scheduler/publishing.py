"""Engine -> DB: the difference between a computed plan and the published one, and applying it.

kept -> untouched (only a changed title, host, team or attendee list is brought up to date);
moved -> update_event(when=...) (same UID, SEQUENCE+1); new -> create_event(slot_key=...)
(or a cancelled event of that slot comes back); cancelled slots and slots that are no longer
valid where they are and could not be moved -> cancel_event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from planner.errors import PlannerError
from planner.events.operations import AllDay, Timed, _time_values
from planner.i18n import _
from planner.models import PlanOutcome, PlanYear
from planner.recognition.stars import show_stars_on_events
from planner.scheduler.collector import collector_paused
from planner.scheduler.planned_rows import PlannedRow
from planner.scheduler.planning import BUSY_PREFIX, Plan, SeriesMeta, compute_plan
from planner.scheduler.publish_bulk import (
    changed_values,
    insert_new_events,
    replace_attendees,
    update_events,
)
from planner.scheduler.spread import Placement
from planner.scheduler.spread_words import say


class PlanChanged(PlannerError):
    """The inputs changed between the preview and the publish."""

    def __init__(self) -> None:
        super().__init__("The plan changed meanwhile, review the new preview.")


@dataclass(frozen=True)
class Move:
    """One published event that the plan moves."""

    event: PlannedRow
    placement: Placement


@dataclass
class PlanDiff:
    """What publishing a plan changes in the published plan."""

    added: list[Placement] = field(default_factory=list)
    moved: list[Move] = field(default_factory=list)
    cancelled: list[tuple[PlannedRow, str]] = field(default_factory=list)  # event, why
    kept: int = 0

    @property
    def changes(self) -> int:
        """How many events publishing touches."""
        return len(self.added) + len(self.moved) + len(self.cancelled)


def own_placements(plan: Plan) -> list[Placement]:
    """The plan's placements without the busy placeholders of other areas' events and without
    slots a coordinator cancelled by hand (those stay cancelled)."""
    by_hand = {key for key, ev in plan.events.items() if _cancelled_by_hand(ev)}
    return [
        p
        for p in plan.result.placements
        if not p.slot_key.startswith(BUSY_PREFIX) and (not by_hand or p.slot_key not in by_hand)
    ]


def _cancelled_by_hand(event: PlannedRow | None) -> bool:
    return event is not None and event.status == "cancelled" and event.pinned


@collector_paused()
def plan_diff(plan: Plan) -> PlanDiff:
    """Compare a computed plan with the published events of its year."""
    diff = PlanDiff()
    for p in own_placements(plan):
        ev = plan.events.get(p.slot_key)
        if ev is None or ev.status == "cancelled":
            diff.added.append(p)
        elif p.status == "moved" or not _at_its_time(p, ev):
            diff.moved.append(Move(ev, p))
        else:
            diff.kept += 1
    reasons: dict[str, str] = {
        u.slot_key: say("cannot-stay", reason=u.reason) for u in plan.result.unplaced
    }
    for key in plan.result.cancelled_slot_keys:
        reasons.setdefault(key, say("no-longer-planned"))
    for key, why in sorted(reasons.items()):
        ev = plan.events.get(key)
        if ev is not None and ev.status != "cancelled":
            diff.cancelled.append((ev, why))
    return diff


def _at_its_time(p: Placement, ev: PlannedRow) -> bool:
    """Whether a placement is where its published event is: `_when(p) == _when_of(ev)`
    without building the two (60,000 placements at 10,000 people)."""
    if ev.all_day:
        return not isinstance(p.start, datetime) and (p.start, p.end) == (
            ev.start_date,
            ev.end_date,
        )
    return isinstance(p.start, datetime) and (p.start, p.end) == (ev.start_at, ev.end_at)


def _when(p: Placement) -> Timed | AllDay:
    """The event time of a placement."""
    if isinstance(p.start, datetime) and isinstance(p.end, datetime):
        return Timed(p.start, p.end)
    assert isinstance(p.start, date) and isinstance(p.end, date)
    return AllDay(p.start, p.end)


def _when_of(ev: PlannedRow) -> Timed | AllDay:
    """The current time of an event, in the same shape."""
    if ev.all_day:
        assert ev.start_date is not None and ev.end_date is not None
        return AllDay(ev.start_date, ev.end_date)
    assert ev.start_at is not None and ev.end_at is not None
    return Timed(ev.start_at, ev.end_at)


def link_for(meta: SeriesMeta, when: Timed | AllDay, event_id: int) -> str:
    """The page an event links to: the scorecard, the month's update, the meeting page, else its
    own page."""
    if meta.kind == "scorecard_review" and meta.team_id is not None:
        return f"/recognition/scorecards/team/{meta.team_id}"
    if meta.kind == "feedback_update":
        day = when.start if isinstance(when, Timed) else when.first_day
        return f"/feedback/updates/{day:%Y-%m}"
    if meta.kind == "skip_level":
        return f"/meetings/{event_id}"
    if meta.library_key == "year-refresher-training":  # the module of the month (standards)
        day = when.start if isinstance(when, Timed) else when.first_day
        return f"/standards/training/month/{day:%Y-%m}"
    return f"/scheduler/events/{event_id}"


def _details(meta: SeriesMeta) -> dict[str, Any]:
    """The fields of a planned event that come from its series."""
    return {
        "title": meta.title,
        "kind": meta.kind,
        "practice": meta.practice,
        "host_id": meta.host_id,
        "team_id": meta.team_id,
        "for_everyone": meta.for_everyone,
    }


@dataclass
class Published:
    """Counts of what a publish did."""

    created: int = 0
    moved: int = 0
    cancelled: int = 0
    kept: int = 0


Progress = Callable[[int, int, str], None]
REPORT_EVERY = 250  # events between two progress reports


def _no_progress(_done: int, _total: int, _message: str) -> None:
    """The default progress reporter: says nothing."""


def apply_plan(
    session: Session, plan: Plan, now: datetime, progress: Progress = _no_progress
) -> Published:
    """Write a computed plan into the events table (see the module docstring); `progress` hears
    (done, total, words) every few hundred events."""
    done = Published()
    diff = plan_diff(plan)
    _apply_diff(session, plan, diff, now, done, progress)
    done.kept = diff.kept
    # The plan period's first day stays what it was published with (a plan first made in
    # December starts in December on every re-plan), so occurrences and slot keys are stable.
    stored = session.get(PlanYear, plan.year)
    if stored is None:
        session.add(PlanYear(year=plan.year, first_day=plan.period[0]))
    else:
        stored.first_day = plan.period[0]
    # A star approved before its month's recognition event existed shows on it now (P1).
    show_stars_on_events(session, now)
    outcome = session.get(PlanOutcome, plan.year) or PlanOutcome(year=plan.year)
    outcome.unplaced, outcome.published_at = len(plan.result.unplaced), now
    session.add(outcome)
    session.flush()
    return done


def _apply_diff(
    session: Session, plan: Plan, diff: PlanDiff, now: datetime, done: Published,
    progress: Progress,
) -> None:  # fmt: skip
    """Create, revive, move, refresh and cancel events as the diff says, in bulk."""
    kept = [
        (row, plan.meta[p.series_key])
        for p in own_placements(plan)
        if (row := plan.events.get(p.slot_key)) is not None and row.status != "cancelled"
    ]
    total = diff.changes + len(kept)
    reported = [0]

    def tick(count: int, words: str) -> None:
        before, reported[0] = reported[0], reported[0] + count
        if reported[0] // REPORT_EVERY > before // REPORT_EVERY or reported[0] == total:
            progress(reported[0], total, words)

    progress(0, total, _("Writing the plan"))
    fresh = [p for p in diff.added if p.slot_key not in plan.events]
    done.created += insert_new_events(
        session, plan, fresh, now, _when, link_for, lambda n: tick(n, _("Adding events"))
    )
    changes: list[dict[str, Any]] = []
    people: dict[int, tuple[int, ...]] = {}
    for p in diff.added:
        row = plan.events.get(p.slot_key)
        if row is None:
            continue
        # The slot comes back (e.g. a leader returned): same UID, higher SEQUENCE.
        meta, when = plan.meta[p.series_key], _when(p)
        values = {**_time_values(when), "status": "confirmed", "pinned": False,
                  "link_path": link_for(meta, when, row.id), **_details(meta)}  # fmt: skip
        _collect(changes, changed_values(row, values, now))
        if row.attendee_ids != meta.attendee_ids:
            people[row.id] = meta.attendee_ids
        done.created += 1
    tick(len(diff.added) - len(fresh), _("Adding events"))
    moved: dict[int, dict[str, Any]] = {}
    for move in diff.moved:
        meta, when = plan.meta[move.placement.series_key], _when(move.placement)
        moved[move.event.id] = {
            **_time_values(when),
            "link_path": link_for(meta, when, move.event.id),
        }
        done.moved += 1
    for row, meta in kept:  # a team member joined, a host changed, a title was renamed
        values = {**_details(meta), **moved.get(row.id, {})}
        values.setdefault("link_path", link_for(meta, _when_of(row), row.id))
        _collect(changes, changed_values(row, values, now))
        if row.attendee_ids != meta.attendee_ids:
            people[row.id] = meta.attendee_ids
    update_events(session, changes)
    replace_attendees(session, people)
    tick(len(diff.moved) + len(kept), _("Moving events"))
    cancels = []
    for row, _why in diff.cancelled:
        change = changed_values(row, {"status": "cancelled"}, now)
        if change is not None:
            change["cancelled_at"] = now
            cancels.append(change)
        done.cancelled += 1
    update_events(session, cancels)
    tick(len(diff.cancelled), _("Cancelling events"))


def _collect(changes: list[dict[str, Any]], change: dict[str, Any] | None) -> None:
    if change is not None:
        changes.append(change)


def publish_plan(
    session: Session, year: int, today: date, now: datetime, expected_hash: str | None
) -> tuple[Plan, Published]:
    """Recompute the year's plan and apply it, if it is still the plan that was previewed."""
    plan = compute_plan(session, year, today)
    if expected_hash is not None and expected_hash != plan.input_hash:
        raise PlanChanged()
    return plan, apply_plan(session, plan, now)
