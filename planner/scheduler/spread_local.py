"""Local search: single-event moves, then ejection chains for the busiest week.

A pass visits every movable event and moves it to the best week its series' spacing allows, if
that lowers the objective; passes repeat until none moves anything.

A single move from the busiest week often has nowhere to go: its series' spacing only reaches
weeks that are just as full. A chain moves one event out of the busiest week into a neighbour,
one event of that neighbour into the next, and so on, until a week with room takes the last one.
Every week on the way keeps its load; only the first loses one and the last gains one. Links never
make coverage, team gaps, spacing or leader spreading worse.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from planner.scheduler.spread_board import K_BAL, K_COVER, K_GAP, K_LEAD, K_TEAM, Board, Ev
from planner.scheduler.spread_search import weeks_between
from planner.scheduler.spread_series import SeriesInfo

MAX_PASSES = 12
MAX_CHAINS = 400
EPS = 1e-9

Link = tuple[int, Ev, int]  # (from week, event, to week)


def _range(board: Board, ev: Ev) -> tuple[int, int, float, float]:
    """Hard week range of a booked event between its series neighbours, and soft anchors."""
    prev, nxt = board.neighbours(ev)
    si, last = ev.si, board.cal.weeks - 1
    lo = prev.week + si.min_gap if prev else 0
    hi = nxt.week - si.min_gap if nxt else last
    return lo, hi, (prev.week if prev else si.anchor), (nxt.week if nxt else last + 1)


def _side_cost(board: Board, ev: Ev, b: int, prev: float, nxt: float) -> float:
    """Objective change of a move apart from balance."""
    return board.move_cost(ev, b, prev, nxt) - board.balance_cost(ev.week, b)


Span = tuple[int, float, float, list[int]]  # weeks as bits, prev and next anchor, the weeks


def _span(ev: Ev, last: int) -> Span:
    """The weeks a booked event may move to between its series neighbours (as _range gives
    them, intersected with its series' allowed weeks), as a bit set and a list, and its soft
    anchors."""
    si = ev.si
    events = si.events
    i = events.index(ev)
    gap = si.min_gap
    prev: float
    nxt: float
    if i:
        prev = events[i - 1].week
        lo = int(prev) + gap
    else:
        prev, lo = si.anchor, 0
    if i + 1 < len(events):
        nxt = events[i + 1].week
        hi = int(nxt) - gap
    else:
        nxt, hi = last + 1, last
    allowed = si.weeks
    weeks = allowed[bisect_left(allowed, lo) : bisect_right(allowed, hi)]
    mask = 0
    for v in weeks:
        mask |= 1 << v
    return mask, prev, nxt, weeks


def _find_chain(
    board: Board, source: int, targets: set[int], spans: dict[Ev, Span] | None = None
) -> list[Link] | None:
    """Breadth-first search from the source week to any target week over feasible links.

    The search visits every movable event of every week it reaches (~600,000 at 10,000 people
    over a rebalancing), so it is built for that: each event's possible weeks are kept as a bit
    set across searches (`spans`, dropped for a series when one of its events moves), an event
    whose weeks are all visited already costs one AND, and the link test is move_cost minus
    balance_cost inlined, in the same arithmetic order (the same links pass the same test)."""
    spans = {} if spans is None else spans
    parent: dict[int, Link | None] = {source: None}
    visited = 1 << source
    queue = [source]
    cnt, wd, lead_cnt, team_weeks = board.cnt, board.wd, board.lead_cnt, board.team_weeks
    cap_evs, cap, team_add = board.cap_evs, board.cap, board._team_add
    last = board.cal.weeks - 1
    for a in queue:
        leave = (2 * cnt[a] - 1) / wd[a]
        lone = cnt[a] == 1
        for ev in board.week_evs[a]:
            if ev.fixed:
                continue
            span = spans.get(ev)
            if span is None:
                span = spans[ev] = _span(ev, last)
            if not span[0] & ~visited:
                continue
            _mask, prev, nxt, weeks = span
            si = ev.si
            leader, team, mx, capped = si.leader, si.team, si.max_gap, si.capped
            here = lead_cnt[(leader, a)] if leader is not None else 0
            old_gap = max(0.0, a - prev - mx)  # subtracted as move_cost does, below
            old_next = max(0.0, nxt - a - mx)
            tw: list[int] | None = None
            j = team_here = 0
            if team is not None:
                tw = team_weeks[team]
                j = bisect_left(tw, a)
                del tw[j]
                team_here = team_add(tw, a)
            try:
                for v in weeks:
                    if visited >> v & 1:
                        continue
                    if capped and len(cap_evs.get((leader, v), ())) >= cap:  # type: ignore[arg-type]
                        continue
                    cb = cnt[v]
                    bal = K_BAL * ((2 * cb + 1) / wd[v] - leave)
                    d = bal
                    if lone:
                        d += K_COVER
                    if cb == 0:
                        d -= K_COVER
                    if leader is not None:
                        d += K_LEAD * (lead_cnt.get((leader, v), 0) - here + 1)
                    d += K_GAP * (
                        max(0.0, v - prev - mx) + max(0.0, nxt - v - mx) - old_gap - old_next
                    )
                    if tw is not None:
                        d += K_TEAM * (team_add(tw, v) - team_here)
                    if d - bal > EPS:
                        continue
                    parent[v] = (a, ev, v)
                    visited |= 1 << v
                    if v in targets:
                        chain = []
                        link = parent[v]
                        while link is not None:
                            chain.append(link)
                            link = parent[link[0]]
                        return chain  # last link first: execute in this order
                    queue.append(v)
            finally:
                if tw is not None:
                    tw.insert(j, a)
    return None


def _execute(board: Board, chain: list[Link], spans: dict[Ev, Span] | None = None) -> bool:
    """Apply the links, last first, rechecking each; stops at the first that no longer fits.
    The moved events' series lose their cached spans."""
    for u, ev, v in chain:
        lo, hi, prev, nxt = _range(board, ev)
        if ev.week != u or not lo <= v <= hi or board.cap_full(ev.si, v):
            return False
        if _side_cost(board, ev, v, prev, nxt) > EPS:
            return False
        spot = board.find_spot(ev.si, v)
        if spot is None:
            return False
        board.remove(ev)
        board.place(ev, spot)
        if spans is not None:
            for e in ev.si.events:
                spans.pop(e, None)
    return True


def rebalance(board: Board) -> int:
    """Run chains out of the busiest week while one exists; returns how many were applied."""
    cnt, wd = board.cnt, board.wd
    plannable = [w for w in range(len(cnt)) if wd[w]]
    spans: dict[Ev, Span] = {}  # valid while the board changes only by _execute
    done = 0
    for _ in range(MAX_CHAINS):
        if not plannable:
            break
        source = max(plannable, key=lambda w: (cnt[w] / wd[w], -w))
        leaving = (2 * cnt[source] - 1) / wd[source]
        targets = {w for w in plannable if (2 * cnt[w] + 1) / wd[w] < leaving - EPS}
        chain = _find_chain(board, source, targets, spans) if targets else None
        if chain is None or not _execute(board, chain, spans):
            break
        done += 1
    return done


def improve(board: Board, series: list[SeriesInfo]) -> int:
    """Local search: move single events to better weeks until nothing improves; returns moves."""
    last = board.cal.weeks - 1
    cnt, wd = board.cnt, board.wd
    total = 0
    # Kept events never move, so series without a movable event (most of a re-plan) are skipped;
    # `short` is only read for the series that remain.
    series = [si for si in series if any(not e.fixed for e in si.events)]
    for _ in range(MAX_PASSES):
        moved = 0
        teams = {si.team for si in series if si.team is not None}
        short = {t for t in teams if board.team_excess(t)}
        for si in series:
            for ev in [e for e in si.events if not e.fixed]:
                a = ev.week
                prev, nxt = board.neighbours(ev)
                lo = prev.week + si.min_gap if prev else 0
                hi = nxt.week - si.min_gap if nxt else last
                pv = prev.week if prev else si.anchor
                nv = nxt.week if nxt else last + 1
                # Most of the objective can only get better where it is bad now: unless this
                # event's team has a gap, a week is empty, or its leader/spacing terms are
                # positive, a move helps only if balance alone says so. Skip the rest cheaply.
                slack = K_GAP * (max(0, a - pv - si.max_gap) + max(0, nv - a - si.max_gap))
                if si.leader is not None:
                    slack += K_LEAD * (board.lead_cnt[(si.leader, a)] - 1)
                exact = si.team in short
                leave = (2 * cnt[a] - 1) / wd[a]
                better = []
                for w in weeks_between(si, lo, hi):
                    if w == a:
                        continue
                    if not exact and cnt[w] and K_BAL * ((2 * cnt[w] + 1) / wd[w] - leave) >= slack:
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
