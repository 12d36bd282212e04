"""Re-planning around a change: where an event that cannot stay goes (near where it was)."""

from __future__ import annotations

from planner.scheduler.spread_board import Board, Ev
from planner.scheduler.spread_search import bounds, weeks_between
from planner.scheduler.spread_words import Said, both, say

NEAR_DAYS = 7  # a displaced event prefers the quietest allowed week within this many days
FAR_DAYS = 35  # and never lands further than this from where it was


def place_near(board: Board, ev: Ev, old_day: int) -> Said | None:
    """Put a displaced event on an allowed day near where it was: within a week, the quietest
    week first (then the nearer day, later on ties); else the nearest day up to five weeks
    away (from the first day after the frozen weeks, for an event inside them). Returns None
    when placed, else why not (with the fixes a coordinator has)."""
    si, cal = ev.si, board.cal
    ev.day, ev.start = old_day, -1
    lo, hi, _, _ = bounds(board, ev)
    ev.day = -1
    cnt, wd = board.cnt, board.wd
    # Inside the frozen weeks nothing new may land: count the distance from the first free day.
    old_day = max(old_day, cal.frozen_ord + 1)

    def rank(o: int) -> tuple[float, int, bool]:
        w, far = cal.week_of(o), abs(o - old_day)
        load = (cnt[w] + 1) / wd[w] if far <= NEAR_DAYS and 0 <= w < len(wd) and wd[w] else 1e9
        return (load if far <= NEAR_DAYS else 1e9 + far, far, o < old_day)

    days = [
        o
        for w in weeks_between(si, lo, hi)
        for o in si.days_by_week[w]
        if abs(o - old_day) <= FAR_DAYS
    ]
    for o in sorted(days, key=rank):
        if board.cap_full(si, cal.week_of(o)):
            continue
        spot = board.spot_on(si, o)
        if spot is not None:
            board.place(ev, spot)
            return None
    events = si.events
    before = [e for e in events if e.day < old_day]
    after = [e for e in events if e.day > old_day]
    neighbours = [cal.say("the-one-on", day=cal.day(e.day)) for e in (before[-1:] + after[:1])]
    around = both(neighbours) if neighbours else say("other-occurrences")
    return cal.say(
        "no-day-near", weeks=FAR_DAYS // 7, day=cal.day(old_day), gap=si.min_gap, around=around
    )
