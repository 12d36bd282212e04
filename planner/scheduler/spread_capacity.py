"""Capacity in words: each capped leader's demand against cap x open weeks, before planning.

When a leader's skip-level meetings cannot fit, the plan says so with names and numbers and
offers the fixes a coordinator would choose: one roundtable covering several teams, a longer
spacing, a higher weekly cap, or another host for some of the teams.
"""

from __future__ import annotations

import math

from planner.scheduler.spread_board import Board
from planner.scheduler.spread_series import SeriesInfo


def leader_capacity(board: Board, infos: list[SeriesInfo]) -> list[str]:
    """Warnings for leaders whose capped meetings exceed cap x open weeks; remedies are kept on
    the board (board.remedies) so unplaced slots of those leaders can name them too."""
    by_leader: dict[int, list[SeriesInfo]] = {}
    for si in infos:
        if si.capped and si.error is None and si.leader is not None and si.count:
            by_leader.setdefault(si.leader, []).append(si)
    cal, cap, found = board.cal, board.cap, []
    for leader, series in sorted(by_leader.items()):
        demand = sum(si.count for si in series)
        weeks: set[int] = set()
        for si in series:
            weeks.update(si.weeks)
            weeks.update(e.week for e in si.events)
        board.leader_weeks[leader] = tuple(sorted(weeks))
        capacity = cap * len(weeks)
        if demand <= capacity:
            continue
        name, n = cal.person(leader), len(series)
        fixes = [f"let one roundtable cover up to {math.ceil(demand / max(capacity, 1))} teams "
                 "(the cadence's \"teams per meeting\")"]  # fmt: skip
        per_series = capacity // n
        if per_series >= 1:
            spacing = math.ceil(len(weeks) / per_series)
            fixes.append(f"space the meetings at least {spacing} weeks apart")
        if weeks:
            fixes.append(f"raise the weekly cap to {math.ceil(demand / len(weeks))}")
        others = math.ceil((demand - capacity) / (demand / n))
        fixes.append(f"choose another host for {others} of the {n} teams (team page)")
        remedy = "Fixes: " + "; ".join(fixes) + "."
        board.remedies[leader] = remedy
        found.append(
            f"{name} cannot hold all their meetings: {demand} needed for {n} teams, but "
            f"{len(weeks)} open weeks at most {cap} a week give room for {capacity}. {remedy}"
        )
    return found
