"""Capacity in words: each capped leader's demand against cap x open weeks, before planning.

When a leader's skip-level meetings cannot fit, the plan says so with names and numbers and
offers the fixes a coordinator would choose: one roundtable covering several teams, a longer
spacing, a higher weekly cap, or another host for some of the teams.
"""

from __future__ import annotations

import math

from planner.scheduler.spread_board import Board
from planner.scheduler.spread_series import SeriesInfo
from planner.scheduler.spread_words import Said, listing, say


def leader_capacity(board: Board, infos: list[SeriesInfo]) -> list[Said]:
    """Warnings for leaders whose capped meetings exceed cap x open weeks; remedies are kept on
    the board (board.remedies) so unplaced slots of those leaders can name them too."""
    by_leader: dict[int, list[SeriesInfo]] = {}
    for si in infos:
        if si.capped and si.error is None and si.leader is not None and si.count:
            by_leader.setdefault(si.leader, []).append(si)
    cal, cap, found = board.cal, board.cap, list[Said]()
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
        fixes = [say("fix-roundtable", teams=math.ceil(demand / max(capacity, 1)))]
        per_series = capacity // n
        if per_series >= 1:
            spacing = math.ceil(len(weeks) / per_series)
            fixes.append(say("fix-spacing", weeks=spacing))
        if weeks:
            fixes.append(say("fix-cap", cap=math.ceil(demand / len(weeks))))
        others = math.ceil((demand - capacity) / (demand / n))
        fixes.append(say("fix-host", others=others, teams=n))
        remedy = say("fixes", fixes=listing(fixes, "; "))
        board.remedies[leader] = remedy
        found.append(
            say(
                "cannot-hold",
                person=name,
                demand=demand,
                teams=n,
                weeks=len(weeks),
                cap=cap,
                capacity=capacity,
                remedy=remedy,
            )
        )
    return found
