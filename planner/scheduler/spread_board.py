"""The engine's working state: placed events, loads, who is busy when, and the objective deltas.

Objective (minimised), heaviest first: uncovered plannable weeks, frontline-team gaps beyond the
limit, series gaps beyond max spacing, then balance (sum of count**2 / working days, which is
minimal when every week carries load in proportion to its working days) and a penalty for a
leader's second, third... event in one week.
"""

from __future__ import annotations

from bisect import bisect_left, insort

from planner.scheduler.spread_calendar import Calendar
from planner.scheduler.spread_series import SeriesInfo

K_COVER = 1000.0
K_TEAM = 200.0
K_GAP = 300.0
K_BAL = 10.0
K_LEAD = 3.0
K_TARGET = 0.5


class Ev:
    """One placed occurrence. `start`/`end` are local minutes of `day`, or -1 for all-day."""

    __slots__ = (
        "day",
        "end",
        "end_day",
        "fixed",
        "index",
        "note",
        "orig",
        "pinned",
        "si",
        "start",
        "status",
        "week",
    )

    def __init__(self, si: SeriesInfo, index: int) -> None:
        self.si = si
        self.index = index
        self.week = -1
        self.day = -1
        self.start = -1
        self.end = -1
        self.end_day = -1  # exclusive end ordinal, all-day events only
        self.fixed = False
        self.pinned = False
        self.status = "new"
        self.note = ""
        self.orig: tuple | None = None  # (start, end) exactly as the caller gave a kept placement

    def sort_key(self) -> tuple[int, int, int, int]:
        """Chronological order, ties broken by series and index."""
        return (self.day, self.start, self.si.order, self.index)


class Board:
    """Loads and bookings of everything placed so far."""

    def __init__(self, cal: Calendar, cap: int, team_gap: int) -> None:
        self.cal = cal
        self.cap = cap
        self.team_gap = team_gap
        self.wd = cal.working_days
        self.pidx = cal.plannable_index
        self.cnt = [0] * cal.weeks
        # Insertion-ordered sets (dicts): iteration order as a list's, but removal in O(1) (a
        # list.remove on weeks of ~1,600 events dominated repairs at 10,000 people).
        self.week_evs: list[dict[Ev, None]] = [{} for _ in range(cal.weeks)]
        self.day_cnt: dict[int, int] = {}
        self.lead_cnt: dict[tuple[int, int], int] = {}
        self.cap_evs: dict[tuple[int, int], list[Ev]] = {}
        # The same counts as lists by week, for the search's loops over candidate weeks: a
        # leader's events (lead_cnt) and capped events (len of cap_evs) in weeks 0..weeks-1.
        self.lead_weeks: dict[int, list[int]] = {}
        self.no_weeks = [0] * cal.weeks  # (read only) the counts of a leader with no events
        self.cap_weeks: dict[int, list[int]] = {}
        self.team_weeks: dict[int, list[int]] = {}
        # (person, day) -> (start, end, event), local minutes; event None for outside busy time
        self.busy: dict[tuple[int, int], list[tuple[int, int, Ev | None]]] = {}
        self.repairs = 0  # slots placed only after moving an event out of their way
        self.remedies: dict[int, str] = {}  # leader -> fixes, when their demand exceeds capacity
        # leader -> every week any of their capped series may use (set by leader_capacity)
        self.leader_weeks: dict[int, tuple[int, ...]] = {}

    # --- bookkeeping -------------------------------------------------------------------------
    def add(self, ev: Ev) -> None:
        """Book an event whose day/week/times are set."""
        # Called once per kept placement on every re-plan: lookups are hoisted, keys built once.
        si, w, day = ev.si, ev.week, ev.day
        cnt = self.cnt
        if 0 <= w < len(cnt):
            cnt[w] += 1
            self.week_evs[w][ev] = None
            if si.team is not None:
                insort(self.team_weeks.setdefault(si.team, []), w)
        day_cnt = self.day_cnt
        day_cnt[day] = day_cnt.get(day, 0) + 1
        if si.leader is not None:
            lead_key = (si.leader, w)
            self.lead_cnt[lead_key] = self.lead_cnt.get(lead_key, 0) + 1
            if si.capped:
                self.cap_evs.setdefault(lead_key, []).append(ev)
            if 0 <= w < len(cnt):
                by_week = self.lead_weeks.get(si.leader)
                if by_week is None:
                    by_week = self.lead_weeks[si.leader] = [0] * len(cnt)
                by_week[w] += 1
                if si.capped:
                    by_week = self.cap_weeks.get(si.leader)
                    if by_week is None:
                        by_week = self.cap_weeks[si.leader] = [0] * len(cnt)
                    by_week[w] += 1
        if ev.start >= 0:
            busy = self.busy
            booking: tuple[int, int, Ev | None] = (ev.start, ev.end, ev)
            for p in si.people:
                booked = busy.get((p, day))
                if booked is None:
                    busy[(p, day)] = [booking]
                else:
                    booked.append(booking)
        events = si.events
        # The usual case is booking in date order; an earlier day settles it without sort keys.
        if not events or events[-1].day < day or events[-1].sort_key() <= ev.sort_key():
            events.append(ev)
        else:
            events.insert(bisect_left([e.sort_key() for e in events], ev.sort_key()), ev)

    def block(self, person: int, day: int, start: int, end: int) -> None:
        """Mark a person busy on a local day from start to end (minutes) for something else."""
        self.busy.setdefault((person, day), []).append((start, end, None))

    def remove(self, ev: Ev) -> None:
        """Undo `add`."""
        si, w = ev.si, ev.week
        if 0 <= w < len(self.cnt):
            self.cnt[w] -= 1
            del self.week_evs[w][ev]
            if si.team is not None:
                weeks = self.team_weeks[si.team]
                del weeks[bisect_left(weeks, w)]
        self.day_cnt[ev.day] -= 1
        if si.leader is not None:
            self.lead_cnt[(si.leader, w)] -= 1
            if si.capped:
                self.cap_evs[(si.leader, w)].remove(ev)
            if 0 <= w < len(self.cnt):
                self.lead_weeks[si.leader][w] -= 1
                if si.capped:
                    self.cap_weeks[si.leader][w] -= 1
        if ev.start >= 0:
            for p in si.people:
                self.busy[(p, ev.day)].remove((ev.start, ev.end, ev))
        si.events.remove(ev)

    def place(self, ev: Ev, spot: tuple[int, int, int]) -> None:
        """Set an event's day and times from a spot and book it."""
        ev.day, ev.start, ev.end = spot
        ev.week = self.cal.week_of(ev.day)
        ev.end_day = ev.day + 1 if ev.start < 0 else -1
        self.add(ev)

    # --- feasibility -------------------------------------------------------------------------
    def cap_full(self, si: SeriesInfo, week: int) -> bool:
        """True when one more capped event would break the leader's weekly cap."""
        if not si.capped:
            return False
        return len(self.cap_evs.get((si.leader, week), ())) >= self.cap  # type: ignore[arg-type]

    def leader_full(self, leader: int | None) -> bool:
        """True when the leader is at the weekly cap in every week their capped series may use:
        then no capped event of theirs can move to another week, so no repair can make room."""
        if leader is None or leader not in self.leader_weeks:
            return False
        cap_evs, cap = self.cap_evs, self.cap
        return all(len(cap_evs.get((leader, w), ())) >= cap for w in self.leader_weeks[leader])

    def find_spot(self, si: SeriesInfo, week: int) -> tuple[int, int, int] | None:
        """First free (day, start, end) for the series in a week: quietest day, preferred time."""
        days = si.days_by_week.get(week)
        if not days:
            return None
        if len(days) > 1:
            # The quietest day first; most slots fit on it, so the rest is only sorted then.
            day_cnt = self.day_cnt
            first = min([(day_cnt.get(o, 0), o) for o in days])[1]
            if si.duration is None:
                return (first, -1, -1)
            spot = self.spot_on(si, first)
            if spot is not None:
                return spot
            days = tuple(sorted(days, key=lambda o: (day_cnt.get(o, 0), o)))[1:]
        elif si.duration is None:
            return (days[0], -1, -1)
        for o in days:
            spot = self.spot_on(si, o)
            if spot is not None:
                return spot
        return None

    def spot_on(self, si: SeriesInfo, o: int) -> tuple[int, int, int] | None:
        """The first free start time for the series on one (allowed) day, preferred time first."""
        if si.duration is None:
            return (o, -1, -1)
        taken = self.taken(si.people, o)
        for s in si.starts:
            e = s + si.duration
            if any(bs < e and s < be for bs, be, _ in taken):
                continue
            if self.cal.day_offset(o) is None and self.cal.utc_span(o, s, e) is None:
                continue
            return (o, s, e)
        return None

    def taken(self, people: tuple[int, ...], day: int) -> list[tuple[int, int, Ev | None]]:
        """Every booked interval of these people on a day."""
        out: list[tuple[int, int, Ev | None]] = []
        for p in people:
            booked = self.busy.get((p, day))
            if booked:
                out.extend(booked)
        return out

    # --- objective ---------------------------------------------------------------------------
    def add_cost(self, si: SeriesInfo, w: int) -> float:
        """Objective change of adding one event of the series in week w (spacing excluded)."""
        c = self.cnt[w]
        cost = K_BAL * (2 * c + 1) / self.wd[w]
        if c == 0:
            cost -= K_COVER
        if si.leader is not None:
            cost += K_LEAD * self.lead_cnt.get((si.leader, w), 0)
        if si.team is not None:
            cost += K_TEAM * self._team_add(self.team_weeks.get(si.team, []), w)
        return cost

    def balance_cost(self, a: int, b: int) -> float:
        """Balance part of the objective change when one event moves from week a to week b."""
        return K_BAL * ((2 * self.cnt[b] + 1) / self.wd[b] - (2 * self.cnt[a] - 1) / self.wd[a])

    def move_cost(self, ev: Ev, b: int, prev: float, nxt: float) -> float:
        """Objective change of moving a placed event to week b, given its series neighbours."""
        si, a = ev.si, ev.week
        ca, cb = self.cnt[a], self.cnt[b]
        d = self.balance_cost(a, b)
        if ca == 1:
            d += K_COVER
        if cb == 0:
            d -= K_COVER
        if si.leader is not None:
            lc = self.lead_cnt
            d += K_LEAD * (lc.get((si.leader, b), 0) - lc[(si.leader, a)] + 1)
        mx = si.max_gap
        d += K_GAP * (
            max(0.0, b - prev - mx)
            + max(0.0, nxt - b - mx)
            - max(0.0, a - prev - mx)
            - max(0.0, nxt - a - mx)
        )
        if si.team is not None:
            weeks = self.team_weeks[si.team]
            i = bisect_left(weeks, a)
            del weeks[i]
            d += K_TEAM * (self._team_add(weeks, b) - self._team_add(weeks, a))
            weeks.insert(i, a)
        return d

    def team_excess(self, team: int) -> int:
        """Plannable weeks beyond the limit summed over the team's gaps (0 = always covered)."""
        pidx, limit = self.pidx, self.team_gap
        prev, total = -1, 0
        for w in self.team_weeks.get(team, ()):
            here = pidx[w]
            total += max(0, here - prev - limit)
            prev = here
        return total + max(0, self.cal.plannable - prev - limit)

    def _team_add(self, weeks: list[int], w: int) -> int:
        """Change in the team's gap excess (plannable weeks beyond the limit) if w gains a touch."""
        i = bisect_left(weeks, w)
        if i < len(weeks) and weeks[i] == w:
            return 0
        pidx, limit = self.pidx, self.team_gap
        prev = pidx[weeks[i - 1]] if i else -1
        nxt = pidx[weeks[i]] if i < len(weeks) else self.cal.plannable
        here = pidx[w]
        # max(0, x) spelt out: this runs over a million times in a 10,000-person plan.
        before, after, whole = here - prev - limit, nxt - here - limit, nxt - prev - limit
        return (
            (before if before > 0 else 0)
            + (after if after > 0 else 0)
            - (whole if whole > 0 else 0)
        )

    def neighbours(self, ev: Ev) -> tuple[Ev | None, Ev | None]:
        """The series' events just before and after this one in date order."""
        events = ev.si.events
        i = events.index(ev)
        return (events[i - 1] if i else None, events[i + 1] if i + 1 < len(events) else None)
