"""Spread appreciation events over the weeks between two Customer Service Weeks. PURE: no Flask,
no database, stdlib only; dataclasses in, dataclasses out; same input -> same output, byte for byte.

API (all importable from here)::

    SeriesSpec(key, kind, practice, title, host_id, attendee_ids=(), leader_id=None,
               team_id=None, counts_toward_cap=False, min_gap_weeks=10, max_gap_weeks=16,
               duration_minutes=60 (None = all-day), window_start=time(9), window_end=time(16),
               weekdays=frozenset({0..4}), starts_on=None)  # starts_on: joined mid-period
    ExistingPlacement(slot_key, start: aware datetime | date, pinned=False,
                      end: datetime | date | None = None)   # end is honoured for pinned only
    PlanInput(period_start, period_end (exclusive), tz (IANA name),
              working_weekdays=Mon-Fri, closed_dates=frozenset(), absences={person: dates},
              leader_weekly_cap=3, team_max_gap_weeks=4, frontline_team_ids=frozenset(),
              series=(), existing=(), frozen_until=None, busy=(), today=None,
              person_names={}, team_names={}, closed_reasons={date: why},
              date_format="%a %d %b %Y")   # the words messages use instead of ids
    BusyTime(person_ids, start: aware datetime, end: aware datetime)  # blocks, is not planned
    spread_over_year(plan) -> PlanResult(placements, unplaced, cancelled_slot_keys, warnings, stats)
    Placement(slot_key, series_key, index, start, end, status "kept"|"moved"|"new",
              move_reason "forced"|"unforced"|None, note, pinned)
    Unplaced(slot_key, series_key, reason)
    PlanStats(events, weeks_total, weeks_plannable, weeks_covered, mean_week_load,
              busiest_week_load, balance_ratio, balance_bound_ratio, busiest_minus_quietest,
              max_team_gap_weeks, leader_loads, kept, new, moved_forced, moved_unforced, repaired)
    LeaderLoad(leader_id, events, busiest_week)
    occurrence_count(min_gap, max_gap, period_start, period_end) -> int
    slot_key(series_key, index) -> "key#index";  parse_slot_key(text) -> (key, index) | None

Meaning:
* Weeks are Monday-based calendar weeks, counted from the Monday on/before period_start. Spacing
  is measured in such weeks between consecutive occurrences of a series in date order: at least
  min_gap_weeks (hard), at most max_gap_weeks (strong objective, where the weeks just before and
  after the period count as occurrences: they are the Customer Service Weeks). A series gets
  occurrence_count(...) occurrences, about period / ideal gap, where ideal = (min + max) / 2;
  it depends only on the period and the gaps, so slot keys ("series#index") stay stable when
  anything else changes.
* Hard constraints: open days only (working weekday, not in closed_dates, inside the period);
  no participant (host + attendees) absent; timed events of one person never overlap each other
  or the person's BusyTime (all-day events block nobody); at most leader_weekly_cap events per
  leader and week among series with counts_toward_cap; min spacing; new and moved events land
  after frozen_until.
* Objectives, in order: every week with an open day has a touchpoint; every frontline team has
  one in every run of team_max_gap_weeks plannable weeks; max spacing; even load per working day
  across weeks; a leader's events spread over weeks.
* Timed events are planned in local wall-clock time of `tz` inside [window_start, window_end)
  and returned as aware UTC datetimes (never across a clock change); all-day events as dates with
  an exclusive end date.
* Re-planning: still-valid existing placements are kept exactly; pinned ones and those on or
  before frozen_until are kept even when invalid (with a warning, from `today` on); other
  invalid ones move (status "moved", move_reason "forced", note says why, naming the closed
  day's reason or the person away) to the quietest allowed week within 7 days of their old day,
  else the nearest allowed day up to 5 weeks away, else they are unplaced with the fixes a
  coordinator has (never sent months away); slots of unknown series and indices beyond the
  count are listed in cancelled_slot_keys (pinned or not). New and moved events never land on
  or before frozen_until. The engine never moves a valid placement: unforced moves are 0.
* A series with starts_on (someone who joined mid-period) gets its occurrences counted and
  planned from that day, with max spacing counted from it.
* Before planning, each capped leader's demand is compared with cap x open weeks; when it does
  not fit, a warning names the leader, the numbers and the fixes (teams per meeting, spacing,
  cap, another host), and that leader's unplaced slots repeat the fixes.
* Bad input never raises: what cannot be placed is listed in `unplaced` with a reason, and plan
  problems are listed in `warnings`.
* Stats: week loads are events per week scaled to the average number of working days
  (busiest_week_load / mean_week_load = balance_ratio); balance_bound_ratio is a lower bound on
  that ratio given the windows, so equal figures mean the balance is provably optimal;
  busiest_minus_quietest counts raw events over plannable weeks; max_team_gap_weeks is in
  plannable weeks, the period's edges included.
* Placements are sorted by local start; unplaced by series key and index; all lists are
  deterministic.

How: displaced events first (spread_displaced); then series, most constrained first (events for
many people first), each slot into the cheapest week near an evenly spaced target, fresh
series at their own phase (spread_search), with a repair step that moves one blocking event;
then a local search over single-event moves, shift chains that fill empty weeks, and ejection
chains out of the busiest week (spread_local, spread_chains). Messages are in words (names, dates).
"""

from __future__ import annotations

from datetime import date, datetime

from planner.scheduler.collector import collector_paused
from planner.scheduler.spread_board import Board, Ev
from planner.scheduler.spread_calendar import Calendar, load_zone, occurrence_count
from planner.scheduler.spread_capacity import leader_capacity
from planner.scheduler.spread_chains import rebalance
from planner.scheduler.spread_displaced import place_near
from planner.scheduler.spread_existing import Forced, book_busy, take_existing
from planner.scheduler.spread_input import sanitise
from planner.scheduler.spread_local import cover_gaps, improve
from planner.scheduler.spread_search import plan_series, retry
from planner.scheduler.spread_series import SeriesInfo, describe_series
from planner.scheduler.spread_stats import summarise
from planner.scheduler.spread_types import (
    BusyTime,
    ExistingPlacement,
    LeaderLoad,
    Placement,
    PlanInput,
    PlanResult,
    PlanStats,
    SeriesSpec,
    Unplaced,
    parse_slot_key,
    slot_key,
)
from planner.scheduler.spread_words import Said, say

__all__ = [
    "BusyTime",
    "ExistingPlacement",
    "LeaderLoad",
    "Placement",
    "PlanInput",
    "PlanResult",
    "PlanStats",
    "SeriesSpec",
    "Unplaced",
    "occurrence_count",
    "parse_slot_key",
    "slot_key",
    "spread_over_year",
]


BIG_SERIES = 100  # people; an event for (nearly) everyone blocks them all, so it goes first


def _difficulty(si: SeriesInfo) -> tuple[bool, float, bool, int, int]:
    """Most constrained first: events for many people, then fewest allowed weeks per
    occurrence, capped, most people."""
    return (
        len(si.people) < BIG_SERIES,
        round(len(si.weeks) / max(si.count, 1), 6),
        not si.capped,
        -len(si.people),
        si.order,
    )


def _placements(board: Board, events: list[Ev]) -> tuple[Placement, ...]:
    """The caller-facing records of booked events, in the given order."""
    # One loop instead of a call per event: on a re-plan nearly all events are kept ones.
    out: list[Placement] = []
    append, utc_span = out.append, board.cal.utc_span
    for ev in events:
        si = ev.si
        start: datetime | date
        end: datetime | date
        if ev.orig is not None:
            start, end = ev.orig
        elif ev.start >= 0:
            span = utc_span(ev.day, ev.start, ev.end)
            assert span is not None  # find_spot only returns spots a clock change does not cut
            start, end = span
        else:
            start, end = date.fromordinal(ev.day), date.fromordinal(ev.end_day)
        status = ev.status
        append(
            Placement(
                slot_key=f"{si.key}#{ev.index}",  # slot_key(), inlined
                series_key=si.key,
                index=ev.index,
                start=start,
                end=end,
                status=status,  # type: ignore[arg-type]
                move_reason="forced" if status == "moved" else None,
                note=ev.note,
                pinned=ev.pinned,
            )
        )
    return tuple(out)


def _move_displaced(
    board: Board, by_key: dict[str, SeriesInfo], forced: Forced
) -> list[tuple[Ev, Said]]:
    """Put each event that cannot stay on an allowed day near its old one, in date order,
    before anything new is planned; it then stays there like a kept one. Returns those with
    no such day (they are not moved months away: the reason says what would help)."""
    displaced, stuck = [], []
    for key, moved in forced.items():
        si = by_key[key]
        if si.error is None:
            displaced += [
                (day, si.order, index, si, why) for index, (_w, why, day) in moved.items()
            ]
    for day, _order, index, si, why in sorted(displaced, key=lambda d: d[:3]):
        if day <= 0:
            continue
        ev = Ev(si, index)
        ev.status, ev.note = "moved", why
        trouble = place_near(board, ev, day)
        if trouble is None:
            ev.fixed = True
        else:
            stuck.append((ev, trouble))
    return stuck


def _retry_failed(board: Board, failed: list[tuple[Ev, Said]]) -> list[tuple[Ev, Said]]:
    """Give every failed slot its second try; returns those that failed again.

    A failed try leaves the board as it was, so once a slot of a series fails, the series' other
    slots fail too until some retry succeeds and changes the board: they are not tried again
    (an unplaceable slot costs about as much as a placeable one)."""
    second: list[tuple[Ev, Said]] = []
    successes = 0
    hopeless: dict[str, int] = {}  # series key -> successes when one of its slots failed
    for ev, why in failed:
        key = ev.si.key
        if ev.si.error is not None or hopeless.get(key) == successes:
            second.append((ev, why))
        elif retry(board, ev):
            successes += 1
        else:
            hopeless[key] = successes
            second.append((ev, why))
    return second


def spread_over_year(plan: PlanInput) -> PlanResult:
    """Plan every series of the period (keeping what is still valid) and report the outcome."""
    with collector_paused():
        return _spread(plan)


def _spread(given: PlanInput) -> PlanResult:
    """spread_over_year without the GC pause."""
    plan, warnings = sanitise(given)
    if plan is None:
        return PlanResult((), (), (), tuple(warnings), PlanStats())
    zone = load_zone(plan.tz)
    if zone is None:
        warnings.append(say("zone-unknown-timed", zone=repr(plan.tz)))
    if plan.period_end <= plan.period_start:
        warnings.append(say("period-empty"))
    cal = Calendar(plan, zone)
    seen: set[str] = set()
    infos = [describe_series(spec, i, plan, cal, seen) for i, spec in enumerate(plan.series)]
    by_key: dict[str, SeriesInfo] = {}
    for si in infos:
        if si.error is not None and si.error.code == "duplicate-key":
            warnings.append(say("series-ignored", key=repr(si.spec.key), error=si.error))
        else:
            by_key[si.key] = si
    board = Board(cal, plan.leader_weekly_cap, plan.team_max_gap_weeks)
    warnings += book_busy(plan, board)
    forced, cancelled, existing_warnings = take_existing(plan, board, by_key)
    warnings += existing_warnings
    order = sorted(by_key.values(), key=_difficulty)
    warnings += leader_capacity(board, order)
    stuck = _move_displaced(board, by_key, forced)
    failed: list[tuple[Ev, Said]] = []
    unplaced: list[Unplaced] = []
    stuck_slots: dict[str, set[int]] = {}  # by series (a scan per series was quadratic)
    for ev, _why in stuck:
        stuck_slots.setdefault(ev.si.key, set()).add(ev.index)
    for si in order:
        moved = forced.get(si.key, {})
        kept = {e.index for e in si.events} | stuck_slots.get(si.key, set())
        slots = []
        for index in range(si.count):
            if index in kept:
                continue
            ev = Ev(si, index)
            if index in moved:
                ev.status, ev.note = "moved", moved[index][1]
            slots.append(ev)
        if si.error:
            failed += [(ev, si.error) for ev in slots]
        elif slots:
            failed += plan_series(board, si, slots, {i: m[0] for i, m in moved.items()})
    improve(board, order)
    if cover_gaps(board):
        improve(board, order)
    rebalance(board)
    second = _retry_failed(board, failed)
    if len(second) < len(failed):
        improve(board, order)
        rebalance(board)
    for ev, why in second + stuck:
        had_to_move = ev.status == "moved" and ev.note != why
        reason = say("had-to-move", why=why, note=ev.note) if had_to_move else why
        unplaced.append(Unplaced(slot_key(ev.si.key, ev.index), ev.si.key, reason))
    unplaced.sort(key=lambda u: (u.series_key, parse_slot_key(u.slot_key) or ("", 0)))
    events = sorted(
        (e for si in order for e in si.events), key=lambda e: (e.day, e.start, e.si.key, e.index)
    )
    frontline = sorted(t for t in plan.frontline_team_ids if isinstance(t, int))
    stats, objective_warnings = summarise(board, order, frontline, unforced=0)
    result = PlanResult(
        placements=_placements(board, events),
        unplaced=tuple(unplaced),
        cancelled_slot_keys=tuple(cancelled),
        warnings=tuple(warnings + objective_warnings),
        stats=stats,
    )
    # Series and their events point at each other; cutting the link lets reference counting free
    # them now instead of leaving ~10 objects per event for a full cycle collection to trace.
    for si in infos:
        si.events = []
    return result
