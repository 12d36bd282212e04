"""Ejection chains out of the busiest week (the last step of the local search in spread_local).

A single move from the busiest week often has nowhere to go: its series' spacing only reaches
weeks that are just as full. A chain moves one event out of the busiest week into a neighbour,
one event of that neighbour into the next, and so on, until a week with room takes the last one.
Every week on the way keeps its load; only the first loses one and the last gains one. Links never
make coverage, team gaps, spacing or leader spreading worse.

The searches of one rebalancing share a `Links` table (below): which weeks each event may move to
in one link hardly changes between searches, since a chain moves only a handful of events.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from planner.scheduler.spread_board import K_COVER, K_GAP, K_LEAD, K_TEAM, Board, Ev

MAX_CHAINS = 400
EPS = 1e-9

Link = tuple[int, Ev, int]  # (from week, event, to week)


class Links:
    """For each movable booked event, the weeks it may move to in one link, as a bit set.

    A link of event e from its week a to week v is allowed when v is among the weeks e's series
    may use between e's neighbours (min spacing), e's leader is below the weekly cap in v, and
    the move changes the objective by nothing but balance: coverage, leader spreading, max
    spacing and team gaps together do not get worse. Those terms are whole multiples of their
    weights, so "not worse" is exact (`side <= EPS`, the test the links always had).

    What a link's test reads, and so what makes a stored bit set stale when a chain runs:
    the series' neighbours (any event of the series moved), the leader's counts and capped
    events per week (an event of the leader moved), the team's weeks (an event of the team
    moved), and whether a week is empty or holds exactly one event (rare during rebalancing:
    the whole table is dropped). `forget` drops exactly those after each applied link.
    """

    def __init__(self, board: Board) -> None:
        self.board = board
        self.masks: dict[Ev, int] = {}
        self._by_leader: dict[int, set[Ev]] = {}
        self._by_team: dict[int, set[Ev]] = {}

    def mask(self, ev: Ev) -> int:
        """The weeks (bits) this booked, movable event may move to in one link."""
        found = self.masks.get(ev)
        if found is None:
            found = self.masks[ev] = self._compute(ev)
            si = ev.si
            if si.leader is not None:
                self._by_leader.setdefault(si.leader, set()).add(ev)
            if si.team is not None:
                self._by_team.setdefault(si.team, set()).add(ev)
        return found

    def forget(self, ev: Ev, counts_before: dict[int, int]) -> None:
        """Drop what a move of `ev` may have changed; `counts_before` holds the event counts of
        the weeks it left and joined from before the move."""
        board, masks = self.board, self.masks
        for week, before in counts_before.items():
            now = board.cnt[week]
            if (before == 0) != (now == 0) or (before == 1) != (now == 1):
                self.masks.clear()
                self._by_leader.clear()
                self._by_team.clear()
                return
        si = ev.si
        for e in si.events:
            masks.pop(e, None)
        if si.leader is not None:
            for e in self._by_leader.pop(si.leader, ()):
                masks.pop(e, None)
        if si.team is not None:
            for e in self._by_team.pop(si.team, ()):
                masks.pop(e, None)

    def _compute(self, ev: Ev) -> int:
        """The bit set of `mask`, from the board as it is."""
        board = self.board
        cnt, lead_cnt, team_weeks = board.cnt, board.lead_cnt, board.team_weeks
        cap, team_add = board.cap, board._team_add
        pidx, limit, plannable = board.pidx, board.team_gap, board.cal.plannable
        si, a = ev.si, ev.week
        prev, nxt, weeks = _neighbourhood(ev, board.cal.weeks - 1)
        leader, team, mx, capped = si.leader, si.team, si.max_gap, si.capped
        here = lead_cnt[(leader, a)] if leader is not None else 0
        # lead_cnt.get((leader, v), 0) and len(cap_evs.get((leader, v), ())) as lists by week
        none = board.no_weeks
        lead_w = board.lead_weeks.get(leader, none) if leader is not None else none
        cap_w = board.cap_weeks.get(leader, none) if leader is not None else none
        lone = cnt[a] == 1
        # max(0.0, x) spelt out (the same value and type): this runs for every candidate week.
        x = a - prev - mx
        old_gap = x if x > 0.0 else 0.0
        x = nxt - a - mx
        old_next = x if x > 0.0 else 0.0
        tw: list[int] | None = None
        j = team_here = 0
        if team is not None:
            tw = team_weeks[team]
            j = bisect_left(tw, a)
            del tw[j]  # the team's weeks without this event, as after the move
            team_here = team_add(tw, a)
        found = 0
        ntw = len(tw) if tw is not None else 0
        k = bisect_left(tw, weeks[0]) if tw and weeks else 0  # walks tw along the sorted weeks
        try:
            for v in weeks:
                if v == a:
                    continue
                if capped and cap_w[v] >= cap:
                    continue
                side = 0.0
                if lone:
                    side += K_COVER
                if cnt[v] == 0:
                    side -= K_COVER
                if leader is not None:
                    side += K_LEAD * (lead_w[v] - here + 1)
                early, late = v - prev - mx, nxt - v - mx
                side += K_GAP * (
                    (early if early > 0.0 else 0.0)
                    + (late if late > 0.0 else 0.0)
                    - old_gap
                    - old_next
                )
                if tw is not None:
                    # Board._team_add(tw, v) spelt out, tw walked along the ascending weeks.
                    while k < ntw and tw[k] < v:
                        k += 1
                    add = 0
                    if k == ntw or tw[k] != v:
                        prev_p = pidx[tw[k - 1]] if k else -1
                        nxt_p = pidx[tw[k]] if k < ntw else plannable
                        whole = nxt_p - prev_p - limit
                        if whole > 0:
                            there = pidx[v]
                            before, after = there - prev_p - limit, nxt_p - there - limit
                            add = before if before > 0 else 0
                            add += (after if after > 0 else 0) - whole
                    side += K_TEAM * (add - team_here)
                if side <= EPS:
                    found |= 1 << v
        finally:
            if tw is not None:
                tw.insert(j, a)
        return found


def _neighbourhood(ev: Ev, last: int) -> tuple[float, float, list[int]]:
    """A booked event's soft anchors (its series neighbours' weeks, or the period's edges) and
    the allowed weeks of its series between the neighbours' min-spacing limits."""
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
    return prev, nxt, allowed[bisect_left(allowed, lo) : bisect_right(allowed, hi)]


def _find_chain(board: Board, source: int, targets: set[int], links: Links) -> list[Link] | None:
    """Breadth-first search from the source week to any target week over allowed links.

    Weeks are reached in the order of the week's events (booking order), then of the weeks each
    event may move to: the first link found into a week is the one kept. The search reaches
    nearly every event (~28,000 per search at 10,000 people), so that costs one lookup and one
    AND per event; the links themselves come from `links`."""
    parent: dict[int, Link | None] = {source: None}
    visited = 1 << source
    queue = [source]
    masks, mask, week_evs = links.masks, links.mask, board.week_evs
    for a in queue:
        for ev in week_evs[a]:
            if ev.fixed:
                continue
            fresh = masks.get(ev)
            if fresh is None:
                fresh = mask(ev)
            fresh &= ~visited
            while fresh:
                low = fresh & -fresh
                fresh ^= low
                v = low.bit_length() - 1
                parent[v] = (a, ev, v)
                visited |= low
                if v in targets:
                    chain = []
                    link = parent[v]
                    while link is not None:
                        chain.append(link)
                        link = parent[link[0]]
                    return chain  # last link first: execute in this order
                queue.append(v)
    return None


def _execute(board: Board, chain: list[Link], links: Links) -> bool:
    """Apply the links, last first, rechecking each; stops at the first that no longer fits."""
    for u, ev, v in chain:
        if ev.week != u or not links.mask(ev) >> v & 1:
            return False
        spot = board.find_spot(ev.si, v)
        if spot is None:
            return False
        counts_before = {u: board.cnt[u], v: board.cnt[v]}
        board.remove(ev)
        board.place(ev, spot)
        links.forget(ev, counts_before)
    return True


def rebalance(board: Board) -> int:
    """Run chains out of the busiest week while one exists; returns how many were applied."""
    cnt, wd = board.cnt, board.wd
    plannable = [w for w in range(len(cnt)) if wd[w]]
    links = Links(board)  # valid while the board changes only by _execute
    done = 0
    for _ in range(MAX_CHAINS):
        if not plannable:
            break
        source = max(plannable, key=lambda w: (cnt[w] / wd[w], -w))
        leaving = (2 * cnt[source] - 1) / wd[source]
        targets = {w for w in plannable if (2 * cnt[w] + 1) / wd[w] < leaving - EPS}
        chain = _find_chain(board, source, targets, links) if targets else None
        if chain is None or not _execute(board, chain, links):
            break
        done += 1
    return done
