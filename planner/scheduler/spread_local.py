"""Local search: single-event moves, and shift chains that fill empty weeks (the ejection
chains out of the busiest week are in spread_chains).

A pass visits every movable event and moves it to the best week its series' spacing allows, if
that lowers the objective; passes repeat until none moves anything.
"""

from __future__ import annotations

import math

from planner.scheduler.spread_board import K_BAL, K_COVER, K_GAP, K_LEAD, Board, Ev
from planner.scheduler.spread_search import weeks_between
from planner.scheduler.spread_series import SeriesInfo

MAX_PASSES = 12
EPS = 1e-9


def _range(board: Board, ev: Ev) -> tuple[int, int, float, float]:
    """Hard week range of a booked event between its series neighbours, and soft anchors."""
    prev, nxt = board.neighbours(ev)
    si, last = ev.si, board.cal.weeks - 1
    lo = prev.week + si.min_gap if prev else 0
    hi = nxt.week - si.min_gap if nxt else last
    return lo, hi, (prev.week if prev else si.anchor), (nxt.week if nxt else last + 1)


def improve(board: Board, series: list[SeriesInfo]) -> int:
    """Local search: move single events to better weeks until nothing improves; returns moves."""
    last = board.cal.weeks - 1
    cnt, wd = board.cnt, board.wd
    total = 0
    # Kept events never move, so series without a movable event (most of a re-plan) are skipped;
    # `short` is only read for the series that remain.
    series = [si for si in series if any(not e.fixed for e in si.events)]
    # Balance of one more event per week, (2 * count + 1) / working days, kept up to date as
    # events move (the same division as before, done once per week instead of per candidate);
    # an empty week is never skipped by the balance test below, so it gets -inf.
    bal = [(2 * c + 1) / d if c and d else -math.inf for c, d in zip(cnt, wd, strict=True)]
    for _ in range(MAX_PASSES):
        moved = 0
        teams = {si.team for si in series if si.team is not None}
        short = {t for t in teams if board.team_excess(t)}
        for si in series:
            events = si.events
            for guess, ev in [(i, e) for i, e in enumerate(events) if not e.fixed]:
                a = ev.week
                # board.neighbours(ev) without its list.index while nothing has moved around it
                i = guess if guess < len(events) and events[guess] is ev else events.index(ev)
                prev = events[i - 1] if i else None
                nxt = events[i + 1] if i + 1 < len(events) else None
                lo = prev.week + si.min_gap if prev else 0
                hi = nxt.week - si.min_gap if nxt else last
                pv = prev.week if prev else si.anchor
                nv = nxt.week if nxt else last + 1
                # Most of the objective can only get better where it is bad now: unless this
                # event's team has a gap, a week is empty, or its leader/spacing terms are
                # positive, a move helps only if balance alone says so. Skip the rest cheaply.
                early, late = a - pv - si.max_gap, nv - a - si.max_gap  # max(0, x) spelt out
                slack = K_GAP * ((early if early > 0 else 0) + (late if late > 0 else 0))
                if si.leader is not None:
                    slack += K_LEAD * (board.lead_cnt[(si.leader, a)] - 1)
                exact = si.team in short
                leave = (2 * cnt[a] - 1) / wd[a]
                better = []
                weeks = weeks_between(si, lo, hi)
                if not exact:
                    weeks = [w for w in weeks if K_BAL * (bal[w] - leave) < slack]
                for w in weeks:
                    if w == a:
                        continue
                    d = board.move_cost(ev, w, pv, nv)
                    if d < -1e-9:
                        better.append((d, w))
                better.sort()
                for _, w in better:
                    if board.cap_full(si, w):
                        continue
                    spot = board.find_spot(si, w)
                    if spot is not None:
                        board.remove(ev)
                        board.place(ev, spot)
                        for x in (a, ev.week):
                            c, d = cnt[x], wd[x]
                            bal[x] = (2 * c + 1) / d if c and d else -math.inf
                        moved += 1
                        if si.team is not None and board.team_excess(si.team):
                            short.add(si.team)
                        break
        total += moved
        if not moved:
            break
    return total


COVER_DEPTH = 30
COVER_BUDGET = 3000  # candidate moves tried per empty week
COVER_SLACK = K_COVER + 3 * K_GAP  # how much worse a chain may get before it fills a week


def cover_gaps(board: Board) -> int:
    """Fill plannable weeks left empty by a chain of one-week shifts: an event moves into the
    empty week, an event of a neighbouring week into the week it left, and so on until a week
    with two events gives one up. The chain is kept only if the whole objective improves;
    returns how many empty weeks were filled."""
    wd, cnt = board.wd, board.cnt
    filled = 0
    for week in range(len(cnt)):
        if wd[week] and not cnt[week]:
            filled += _fill(board, week, COVER_DEPTH, {week}, [COVER_BUDGET], 0.0) is not None
    return filled


def _fill(
    board: Board, week: int, depth: int, seen: set[int], budget: list[int], cost: float
) -> float | None:
    """Move one event into `week` (and refill the week it leaves); the chain's total objective
    change when it ends better than it started, else None with everything put back."""
    cnt, last = board.cnt, len(board.cnt) - 1
    near = sorted(
        (w for w in range(max(0, week - 2), min(last, week + 2) + 1) if w not in seen),
        key=lambda w: (-(cnt[w] > 1), abs(w - week)),
    )
    for source in near:
        for ev in list(board.week_evs[source]):
            budget[0] -= 1
            if budget[0] < 0:
                return None
            si = ev.si
            if ev.fixed or week not in si.days_by_week or board.cap_full(si, week):
                continue
            lo, hi, prev, nxt = _range(board, ev)
            if not lo <= week <= hi:
                continue
            total = cost + board.move_cost(ev, week, prev, nxt)
            if total > COVER_SLACK:
                continue
            spot = board.find_spot(si, week)
            if spot is None:
                continue
            old = (ev.day, ev.start, ev.end)
            board.remove(ev)
            board.place(ev, spot)
            if total < -EPS:
                return total
            if depth and cnt[source] == 0:
                done = _fill(board, source, depth - 1, seen | {source}, budget, total)
                if done is not None:
                    return done
            board.remove(ev)
            board.place(ev, old)
    return None
