"""Summary figures and objective warnings of a finished plan, and a lower bound on its balance."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter
from itertools import pairwise

from planner.scheduler.spread_board import Board, Ev
from planner.scheduler.spread_series import SeriesInfo
from planner.scheduler.spread_types import LeaderLoad, PlanStats
from planner.scheduler.spread_words import Said, say

WARNINGS_PER_KIND = 20


def _capped(messages: list[Said]) -> list[Said]:
    if len(messages) <= WARNINGS_PER_KIND:
        return messages
    extra = len(messages) - WARNINGS_PER_KIND
    return [*messages[:WARNINGS_PER_KIND], say("more-like-above", count=extra)]


def _integer_density(wds: list[int], events: int) -> float:
    """Smallest events-per-working-day d with sum(floor(d * wd)) >= events: whole events only."""
    if events <= 0:
        return 0.0
    low = events / sum(wds)
    candidates = sorted(
        {
            k / v
            for v in set(wds)
            for k in range(math.floor(low * v), math.ceil((low + 1) * v) + 1)
            if k / v >= low
        }
    )
    for d in candidates:
        if sum(math.floor(d * v + 1e-9) for v in wds) >= events:
            return d
    return low + 1


def _envelopes(si: SeriesInfo, last: int) -> list[tuple[int, int]]:
    """Earliest/latest week each event of the series could take, keeping min spacing and kept
    events fixed (absences and closures respected through the series' allowed weeks)."""
    events, weeks, gap = si.events, si.weeks, si.min_gap
    if not weeks or all(e.fixed for e in events):
        return [(e.week, e.week) for e in events]  # what the passes below give: nothing can move
    lo: list[int] = []
    for e in events:
        if e.fixed or not weeks:
            lo.append(e.week)
            continue
        floor_week = lo[-1] + gap if lo else 0
        i = bisect_left(weeks, floor_week)
        lo.append(weeks[i] if i < len(weeks) else e.week)
    hi: list[int] = []
    for e in reversed(events):
        if e.fixed or not weeks:
            hi.append(e.week)
            continue
        ceil_week = hi[-1] - gap if hi else last
        i = bisect_right(weeks, ceil_week)
        hi.append(weeks[i - 1] if i else e.week)
    hi.reverse()
    _keep_max_spacing(si, lo, hi, last)
    return [(min(a, e.week), max(b, e.week)) for a, b, e in zip(lo, hi, events, strict=True)]


def _keep_max_spacing(si: SeriesInfo, lo: list[int], hi: list[int], last: int) -> None:
    """Narrow the windows to what max spacing allows (each event within max_gap of the one
    before, the first of the touchpoint before the period, the last of the service week after
    it), when that is possible at all: the plan keeps max spacing wherever it can, so the bound
    is the best balance of plans without spacing warnings."""
    events, mx = si.events, si.max_gap
    new_lo, new_hi = list(lo), list(hi)
    reach = si.anchor
    for i, e in enumerate(events):
        reach = e.week if e.fixed else min(new_hi[i], reach + mx)
        new_hi[i] = e.week if e.fixed else reach
    reach = last + 1
    for i in range(len(events) - 1, -1, -1):
        e = events[i]
        reach = e.week if e.fixed else max(new_lo[i], reach - mx)
        new_lo[i] = e.week if e.fixed else reach
    if all(a <= b for a, b in zip(new_lo, new_hi, strict=True)):
        lo[:], hi[:] = new_lo, new_hi


def density_bound(board: Board, series: list[SeriesInfo]) -> float:
    """Lower bound on the busiest week's events per working day that the windows allow."""
    wd, weeks = board.wd, board.cal.weeks
    inside = [[0] * weeks for _ in range(weeks)]
    for si in series:
        for (a, b), e in zip(_envelopes(si, weeks - 1), si.events, strict=True):
            if 0 <= a <= b < weeks and 0 <= e.week < weeks and wd[e.week]:
                inside[a][b] += 1
    # contained[a][b]: events whose whole envelope lies within weeks a..b (Hall's condition).
    best, best_span = 0.0, (0, weeks - 1)
    below = [0] * weeks
    for a in range(weeks - 1, -1, -1):
        row, running = [0] * weeks, 0
        for b in range(a, weeks):
            running += inside[a][b]
            row[b] = below[b] + running
        below = row
        days = 0
        for b in range(a, weeks):
            days += wd[b]
            if days and row[b] / days > best:
                best, best_span = row[b] / days, (a, b)
    a, b = best_span
    span_wds = [v for v in wd[a : b + 1] if v]
    whole = [v for v in wd if v]
    total = sum(board.cnt[w] for w in range(weeks) if wd[w])
    return max(
        best,
        _integer_density(span_wds, round(best * sum(span_wds))) if span_wds else 0.0,
        _integer_density(whole, total) if whole else 0.0,
    )


def team_gaps(board: Board, team: int) -> list[tuple[int, int]]:
    """(gap in plannable weeks, week where it ends) for a team, the period's edges included."""
    pidx, plannable = board.pidx, board.cal.plannable
    weeks = sorted(set(board.team_weeks.get(team, [])))
    marks = [(-1, 0), *((pidx[w], w) for w in weeks), (plannable, board.cal.weeks)]
    return [(b[0] - a[0], b[1]) for a, b in pairwise(marks)]


def summarise(
    board: Board, series: list[SeriesInfo], frontline: list[int], unforced: int
) -> tuple[PlanStats, list[Said]]:
    """Compute the plan's figures and the warnings for objectives it could not meet."""
    cal, wd, cnt = board.cal, board.wd, board.cnt
    events: list[Ev] = [e for si in series for e in si.events]
    plannable = [w for w in range(cal.weeks) if wd[w]]
    warnings: list[Said] = []
    uncovered = [w for w in plannable if not cnt[w]]
    warnings += _capped([cal.say("no-touchpoint-week", day=cal.week_monday(w)) for w in uncovered])
    gap_msgs: list[Said] = []
    max_gap = 0
    for team in frontline:
        for gap, end in team_gaps(board, team):
            max_gap = max(max_gap, gap)
            if gap > board.team_gap:
                when = (
                    cal.say("week-of", day=cal.week_monday(end))
                    if end < cal.weeks
                    else say("period-end")
                )
                gap_msgs.append(cal.say("team-gap", team=cal.team(team), gap=gap, when=when))
    warnings += _capped(gap_msgs)
    spacing: list[Said] = []
    for si in series:
        for a, b in pairwise(si.events):
            if b.week - a.week > si.max_gap:
                spacing.append(
                    cal.say(
                        "spacing-wide",
                        title=si.spec.title,
                        weeks=b.week - a.week,
                        first=cal.day(a.day),
                        last=cal.day(b.day),
                        gap=si.max_gap,
                    )
                )
    warnings += _capped(spacing)
    load_events = sum(cnt[w] for w in plannable)
    mean = load_events / len(plannable) if plannable else 0.0
    mean_wd = sum(wd) / len(plannable) if plannable else 0.0
    busiest = max((cnt[w] * mean_wd / wd[w] for w in plannable), default=0.0)
    bound = density_bound(board, series) * mean_wd if plannable else 0.0
    leaders: dict[int, list[int]] = {}
    for e in events:
        if e.si.leader is not None:
            leaders.setdefault(e.si.leader, []).append(e.week)
    loads = tuple(
        LeaderLoad(lid, len(ws), max(ws.count(w) for w in set(ws)))
        for lid, ws in sorted(leaders.items())
    )
    statuses = Counter(e.status for e in events)
    stats = PlanStats(
        events=len(events),
        weeks_total=cal.weeks,
        weeks_plannable=len(plannable),
        weeks_covered=len(plannable) - len(uncovered),
        mean_week_load=round(mean, 3),
        busiest_week_load=round(busiest, 3),
        balance_ratio=round(busiest / mean, 4) if mean else 0.0,
        balance_bound_ratio=round(bound / mean, 4) if mean else 0.0,
        busiest_minus_quietest=(
            max(cnt[w] for w in plannable) - min(cnt[w] for w in plannable) if plannable else 0
        ),
        max_team_gap_weeks=max_gap,
        leader_loads=loads,
        kept=statuses["kept"],
        new=statuses["new"],
        moved_forced=statuses["moved"],
        moved_unforced=unforced,
        repaired=board.repairs,
    )
    return stats, warnings
