"""Greedy construction and repair (the local search is in spread_local).

Series are planned one at a time, most constrained first. A series' free slots are shared out
over the gaps between its kept events and the period's ends, then placed in
date order into the cheapest allowed week near an evenly spaced target. When no week works, a
repair step moves a blocking event (a leader's other capped event, or the one meeting that holds
the only free time). A local search then moves single events between weeks while that lowers the
objective (spread_local), and slots that failed get a second try in any gap of their series.
"""

from __future__ import annotations

import math
import zlib
from bisect import bisect_left, bisect_right
from itertools import pairwise

from planner.scheduler.spread_board import (
    K_BAL,
    K_COVER,
    K_GAP,
    K_LEAD,
    K_TARGET,
    K_TEAM,
    Board,
    Ev,
)
from planner.scheduler.spread_series import SeriesInfo
from planner.scheduler.spread_words import Said, both, say

REPAIR_WEEKS = 6  # how many candidate weeks a failing slot tries to repair, cheapest first


class Failure:
    """Why the weeks tried for one slot did not work, for an honest message."""

    def __init__(self) -> None:
        self.capped = 0
        self.busy = 0

    def reason(self, board: Board, si: SeriesInfo, lo: int, hi: int) -> Said:
        """The message for an unplaced slot whose candidate weeks were lo..hi."""
        span = board.cal.week_span(lo, hi)
        if not self.capped and not self.busy:
            return say("no-day-left", span=span, gap=si.min_gap)
        parts = []
        if self.capped:
            who = board.cal.person(si.leader)
            parts.append(say("at-cap-in", person=who, cap=board.cap, weeks=self.capped))
        if self.busy:
            parts.append(say("no-free-hour-in", weeks=self.busy))
        text = say("no-day-fits", span=span, why=both(parts))
        remedy = board.remedies.get(si.leader) if self.capped and si.leader is not None else None
        return say("with-remedy", text=text, remedy=remedy) if remedy else text


def weeks_between(si: SeriesInfo, lo: int, hi: int) -> list[int]:
    """The series' allowed weeks within lo..hi."""
    return si.weeks[bisect_left(si.weeks, lo) : bisect_right(si.weeks, hi)]


def _gap_cost(si: SeriesInfo, w: int, prev: float, nxt: float, gaps_after: int) -> float:
    """Soft max-spacing cost of w after prev, with `gaps_after` gaps left to reach nxt."""
    return K_GAP * (max(0.0, w - prev - si.max_gap) + max(0.0, nxt - w - gaps_after * si.max_gap))


def insert(
    board: Board,
    ev: Ev,
    lo: int,
    hi: int,
    prev: float,
    nxt: float,
    gaps_after: int = 1,
    target: float | None = None,
    skip_week: int | None = None,
    failure: Failure | None = None,
) -> bool:
    """Book an unbooked event in the cheapest workable week of lo..hi; False if none works."""
    si = ev.si
    # board.add_cost + _gap_cost inlined, in the same arithmetic order (the same costs): this
    # loop runs for every candidate week of every slot (~800,000 at 10,000 people).
    cnt, wd = board.cnt, board.wd
    leader, team, mx = si.leader, si.team, si.max_gap
    lead_w = board.lead_weeks.get(leader) if leader is not None else None  # None: no event yet
    reach = gaps_after * si.max_gap
    ws = weeks_between(si, lo, hi)
    # The team's touched weeks are walked alongside the (sorted) candidate weeks instead of a
    # bisect per week (Board._team_add spelt out): a week's gap-excess change is nonzero only
    # inside a gap longer than the limit, so the others add nothing (adding 0.0 changes no cost).
    tw: list[int] = board.team_weeks.get(team, []) if team is not None else []
    ntw = len(tw)
    j = bisect_left(tw, ws[0]) if ntw and ws else 0
    pidx, limit, plannable = board.pidx, board.team_gap, board.cal.plannable
    costs: list[float] = []
    best_cost, best_w = math.inf, -1
    for w in ws:
        if w == skip_week:
            costs.append(math.nan)  # never tried; keeps costs aligned with ws
            continue
        c = cnt[w]
        add = K_BAL * (2 * c + 1) / wd[w]
        if c == 0:
            add -= K_COVER
        if lead_w is not None:  # (no event of the leader: K_LEAD * 0 adds nothing)
            add += K_LEAD * lead_w[w]
        if team is not None:
            while j < ntw and tw[j] < w:
                j += 1
            if j == ntw or tw[j] != w:
                prev_p = pidx[tw[j - 1]] if j else -1
                nxt_p = pidx[tw[j]] if j < ntw else plannable
                whole = nxt_p - prev_p - limit
                if whole > 0:
                    here = pidx[w]
                    before, after = here - prev_p - limit, nxt_p - here - limit
                    add += K_TEAM * (
                        (before if before > 0 else 0) + (after if after > 0 else 0) - whole
                    )
        early, late = w - prev - mx, nxt - w - reach
        cost = add + K_GAP * ((early if early > 0.0 else 0.0) + (late if late > 0.0 else 0.0))
        if target is not None:
            cost += K_TARGET * abs(w - target)
        costs.append(cost)
        if cost < best_cost:  # weeks ascend: the first of equal costs stays, as in a sort
            best_cost, best_w = cost, w
    if best_w < 0:
        return False  # no candidate week: nothing to try, count or repair
    # Most slots fit in their cheapest week: try it before sorting the rest.
    tried = _try_week(board, si, ev, best_w, failure)
    if tried:
        return True
    capped = int(tried is None)
    order = sorted((cost, w) for cost, w in zip(costs, ws, strict=True) if w != skip_week)
    for _, w in order[1:]:
        tried = _try_week(board, si, ev, w, failure)
        if tried:
            return True
        capped += tried is None
    if failure is None:
        return False
    return _give_up(board, si, ev, order, capped, failure)


def _try_week(board: Board, si: SeriesInfo, ev: Ev, w: int, failure: Failure | None) -> bool | None:
    """Book the event in week w if a time fits: True; None if the week is at the leader's cap;
    False if no time is free (counted in `failure`)."""
    if board.cap_full(si, w):
        return None
    spot = board.find_spot(si, w)
    if spot is not None:
        board.place(ev, spot)
        return True
    if failure:
        failure.busy += 1
    return False


def _give_up(
    board: Board, si: SeriesInfo, ev: Ev, order: list, capped: int, failure: Failure
) -> bool:
    """After no tried week worked: count the capped ones, then try repairs in the cheapest."""
    failure.capped += capped
    if capped == len(order) and board.leader_full(si.leader):
        return False  # every week is at the cap and no capped event can go elsewhere
    return any(_repair(board, ev, w) for _, w in order[:REPAIR_WEEKS])


def bounds(board: Board, ev: Ev) -> tuple[int, int, float, float]:
    """Hard week range and soft anchors for an unbooked event among its series' booked ones."""
    si, events = ev.si, ev.si.events
    i = bisect_left([e.sort_key() for e in events], ev.sort_key())
    prev, nxt = (events[i - 1] if i else None), (events[i] if i < len(events) else None)
    last = board.cal.weeks - 1
    lo = prev.week + si.min_gap if prev else 0
    hi = nxt.week - si.min_gap if nxt else last
    return lo, hi, (prev.week if prev else si.anchor), (nxt.week if nxt else last + 1)


def relocate(board: Board, ev: Ev, leave_week: bool) -> bool:
    """Move a booked, movable event elsewhere in its spacing range; False leaves it untouched."""
    old = (ev.day, ev.start, ev.end)
    board.remove(ev)
    lo, hi, prev, nxt = bounds(board, ev)
    if insert(board, ev, lo, hi, prev, nxt, skip_week=ev.week if leave_week else None):
        return True
    board.place(ev, old)
    return False


def _repair(board: Board, ev: Ev, week: int) -> bool:
    """Make room for ev in a week by moving one movable event out of its way."""
    si = ev.si
    if board.cap_full(si, week):
        blockers = [e for e in board.cap_evs[(si.leader, week)] if not e.fixed]  # type: ignore[index]
        for blocker in sorted(blockers, key=Ev.sort_key):
            if relocate(board, blocker, leave_week=True):
                spot = board.find_spot(si, week)
                if spot is not None:
                    board.place(ev, spot)
                    board.repairs += 1
                    return True
                return False
        return False
    if si.duration is None:
        return False
    for day in si.days_by_week.get(week, ()):
        taken = board.taken(si.people, day)
        for start in si.starts:
            end = start + si.duration
            found = {id(x): x for bs, be, x in taken if bs < end and start < be}
            if len(found) != 1:
                continue
            (other,) = found.values()  # None: an outside busy time, which cannot move
            if other is None or other.fixed or board.cal.utc_span(day, start, end) is None:
                continue
            old = (other.day, other.start, other.end)
            board.remove(other)
            board.place(ev, (day, start, end))
            lo, hi, prev, nxt = bounds(board, other)
            if insert(board, other, lo, hi, prev, nxt):
                board.repairs += 1
                return True
            board.remove(ev)
            board.place(other, old)
    return False


def _allocate(si: SeriesInfo, weeks: int, free: int) -> tuple[list[tuple[float, bool]], list[int]]:
    """Share `free` slots over the gaps between kept events: first what max spacing needs, then
    wherever the resulting gap is largest. Returns the anchors and the count per gap."""
    # The Customer Service Weeks just before and after the period count as touchpoints.
    anchors = [(float(si.anchor), False)]
    anchors += [(float(e.week), True) for e in si.events]
    anchors.append((float(weeks), False))
    caps, needs, lengths = [], [], []
    for (a, a_real), (b, b_real) in pairwise(anchors):
        lo = max(0, math.ceil(a) + si.min_gap) if a_real else 0
        hi = min(weeks - 1, math.floor(b) - si.min_gap) if b_real else weeks - 1
        caps.append((hi - lo) // si.min_gap + 1 if hi >= lo else 0)
        needs.append(max(0, math.ceil((b - a) / si.max_gap) - 1))
        lengths.append(b - a)
    alloc = [0] * len(caps)
    for j in sorted(range(len(caps)), key=lambda j: (-lengths[j], j)):
        give = min(needs[j], caps[j], free)
        alloc[j] += give
        free -= give
    while free > 0:
        open_gaps = [j for j in range(len(caps)) if alloc[j] < caps[j]]
        if not open_gaps:
            break
        best = max(open_gaps, key=lambda j: (lengths[j] / (alloc[j] + 1), -j))
        alloc[best] += 1
        free -= 1
    return anchors, alloc


def _latest_weeks(si: SeriesInfo, end: int, count: int) -> list[int | None]:
    """Latest allowed week for each of `count` events so all the later ones still fit by `end`."""
    latest: list[int | None] = [None] * count
    for t in range(count - 1, -1, -1):
        i = bisect_right(si.weeks, end) - 1
        if i < 0:
            break
        latest[t] = si.weeks[i]
        end = si.weeks[i] - si.min_gap
    return latest


def plan_series(board: Board, si: SeriesInfo, slots: list[Ev], old_weeks: dict[int, int]) -> list:
    """Place the free slots of one series; returns [(Ev, reason)] for those that did not fit."""
    weeks = board.cal.weeks
    anchors, alloc = _allocate(si, weeks, len(slots))
    # Forced moves go back into the gap they came from when it has room; the rest fill up in
    # index order, so a fresh series gets #0, #1, ... in date order.
    remaining = list(alloc)
    per_gap: list[list[Ev]] = [[] for _ in alloc]
    rest = []
    for ev in sorted(slots, key=lambda e: e.index):
        old = old_weeks.get(ev.index)
        gap = None
        if old is not None:
            inside = (j for j in range(len(alloc)) if anchors[j][0] < old < anchors[j + 1][0])
            gap = next(inside, None)
        if gap is not None and remaining[gap] > 0:
            per_gap[gap].append(ev)
            remaining[gap] -= 1
        else:
            rest.append(ev)
    failed: list[tuple[Ev, Said]] = []
    for j in range(len(alloc)):
        while remaining[j] > 0 and rest:
            per_gap[j].append(rest.pop(0))
            remaining[j] -= 1
    failed += [(ev, say("no-room", gap=si.min_gap)) for ev in rest]
    fixed: list[Ev | None] = [None, *si.events, None]
    for j, group in enumerate(per_gap):
        group.sort(key=lambda e: e.index)
        (a, a_real), (b, b_real) = anchors[j], anchors[j + 1]
        before = fixed[j]
        end = int(b) - si.min_gap if b_real else weeks - 1
        latest = _latest_weeks(si, end, len(group))
        prev, prev_real = a, a_real
        fresh = not a_real and not b_real and bool(si.weeks)
        first = max(-si.half, si.weeks[0] - si.half) if fresh else 0.0
        shift = (zlib.crc32(si.key.encode("utf-8")) % 997) / 997 - 0.5 if fresh else 0.0
        for t, ev in enumerate(group):
            gaps_after = len(group) - t
            lo = int(prev) + si.min_gap if prev_real else 0
            # Leave room (in allowed weeks) for the rest of the group; if there is none, place
            # this one anyway and let the later ones fail with a reason.
            limit = latest[t]
            hi = limit if limit is not None else end
            # Even spacing, with half an ideal gap (not a whole one) at the period's ends; a
            # fresh series starts from its first allowed week and is shifted by its own phase
            # (as far as max spacing leaves room), so series do not all start together.
            ta = a if a_real else (first if fresh else -si.half)
            tb = b if b_real else weeks - 1 + si.half
            step = (tb - ta) / (len(group) + 1)
            target = ta + step * (t + 1) + shift * min(2 * max(0.0, si.max_gap - step), step)
            failure = Failure()
            if lo > hi:
                failed.append((ev, _no_room(board, si, before, fixed[j + 1])))
            elif insert(board, ev, lo, hi, prev, b, gaps_after, target, failure=failure):
                prev, prev_real, before = float(ev.week), True, ev
            else:
                failed.append((ev, failure.reason(board, si, lo, hi)))
    return failed


def _no_room(board: Board, si: SeriesInfo, before: Ev | None, after: Ev | None) -> Said:
    """Message for a slot squeezed between occurrences that must not move."""

    def name(ev: Ev | None, edge: str) -> Said:
        if ev is None:
            return say(edge)
        return board.cal.say("the-one-on", day=board.cal.day(ev.day))

    before_name, after_name = name(before, "period-start"), name(after, "period-end")
    return say("no-open-week", before=before_name, after=after_name, gap=si.min_gap)


def retry(board: Board, ev: Ev) -> bool:
    """Second chance for a failed slot: any gap of its series wide enough, cheapest first."""
    si = ev.si
    if si.capped and board.leader_full(si.leader):
        return False  # at the cap in every week the leader's capped series may use
    options = []
    booked = [e.week for e in si.events]
    last = board.cal.weeks - 1
    for w in si.weeks:
        i = bisect_left(booked, w)
        prev = booked[i - 1] if i else None
        nxt = booked[i] if i < len(booked) else None
        too_close_before = prev is not None and w - prev < si.min_gap
        if too_close_before or (nxt is not None and nxt - w < si.min_gap):
            continue
        pv = prev if prev is not None else si.anchor
        nv = nxt if nxt is not None else last + 1
        options.append((board.add_cost(si, w) + _gap_cost(si, w, pv, nv, 1), w, pv, nv))
    options.sort()
    return any(insert(board, ev, w, w, pv, nv, failure=Failure()) for _, w, pv, nv in options)
