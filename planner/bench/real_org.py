"""A real-shaped organisation for the planning benchmark and the engine tests (pure, stdlib +
holidays): a chief over senior leaders, team leads inside their frontline teams, a split team,
a team lead reporting straight to the chief, staff reporting to their senior leader, a back
office, part-time working days, holidays, and people joining mid-year.

`real_chart()` builds the people; `real_plan()` expands them into the product's default
cadences the way planning.py does (skip-level leaders from chart.derive_team_skip_leaders), as a
first plan made on `today`: the period starts on the first working day after it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, time, timedelta

import holidays

from planner.org.chart import derive_team_skip_leaders
from planner.scheduler.spread import PlanInput, SeriesSpec

TZ = "Europe/Amsterdam"
FIRST = ("Ana", "Bram", "Chloé", "Daan", "Eva", "Femke", "Gijs", "Hana", "Ivo", "Jana", "Kees",
         "Lotte", "Milan", "Noor", "Olaf", "Pia", "Ruben", "Sanne", "Tim", "Umut", "Vera", "Wout",
         "Xena", "Yara", "Zoë")  # fmt: skip
LAST = ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Bos", "Vos",
        "Peters", "Hendriks", "Dekker", "Kazlauskas", "Silva", "Yılmaz", "Nowak")  # fmt: skip


@dataclass
class Member:
    """One person of the chart."""

    id: int
    name: str
    role: str
    team: int | None
    manager: int | None
    workdays: frozenset[int] = frozenset(range(5))
    joined: date | None = None  # None: there before the plan year started


@dataclass
class Chart:
    """People, teams (id -> (name, frontline)), the chief and the senior leaders."""

    people: list[Member] = field(default_factory=list)
    teams: dict[int, tuple[str, bool]] = field(default_factory=dict)
    chief: int = 1
    seniors: list[int] = field(default_factory=list)


def service_week_monday(year: int) -> date:
    """Monday of Customer Service Week: the first Monday on or after 1 October."""
    first = date(year, 10, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def real_chart(size: int = 922, *, seed: int = 10, joiners_from: date | None = None) -> Chart:
    """A chart of about `size` people; with `joiners_from`, ~4 % of staff join after that day."""
    rnd = random.Random(seed)
    chart = Chart()
    ids = iter(range(1, 10**7))

    def add(role: str, team: int | None, manager: int | None, **extra: object) -> Member:
        pid = next(ids)
        name = f"{FIRST[pid % len(FIRST)]} {LAST[(pid // len(FIRST)) % len(LAST)]} {pid}"
        person = Member(pid, name, role, team, manager, **extra)  # type: ignore[arg-type]
        chart.people.append(person)
        return person

    def team(name: str, frontline: bool = True) -> int:
        tid = len(chart.teams) + 1
        chart.teams[tid] = (name, frontline)
        return tid

    chart.chief = add("leader", None, None).id
    office = team("People & Culture", frontline=False)
    add("coordinator", office, chart.chief)
    chart.seniors = [add("leader", None, chart.chief).id for _ in range(6)]
    for _ in range(12):
        add("staff", office, chart.seniors[0])
    sites = ("Amsterdam", "Rotterdam", "Utrecht", "Eindhoven", "Groningen", "Lisbon")
    n = 0
    while len(chart.people) < size:
        senior = chart.seniors[n % len(chart.seniors)]
        tid = team(f"{sites[n % len(sites)]} {('Care', 'Billing', 'Sales', 'Tech')[n % 4]} {n + 1}")
        shape = n % 11
        lead_manager = chart.chief if shape == 5 else senior  # one team lead under the chief
        lead = add("leader", tid, lead_manager)
        second = add("leader", tid, senior) if shape == 3 else None  # a team split over two
        crew = rnd.randint(4, 21) if shape != 7 else 2  # and a tiny team
        for i in range(min(crew, size - len(chart.people))):
            manager = (second.id if second and i % 2 else lead.id) if shape != 9 or i else senior
            days = frozenset(range(5))
            if rnd.random() < 0.15:  # part time
                days = rnd.choice(
                    (frozenset({0, 1, 2}), frozenset({0, 1, 2, 3}), frozenset({1, 3}))
                )
            joined = None
            if joiners_from is not None and rnd.random() < 0.04:
                joined = joiners_from + timedelta(days=rnd.randint(0, 120))
            add("staff", tid, manager, workdays=days, joined=joined)
        n += 1
    return chart


def _series(
    key: str, title: str, kind: str, host: int, people: list[int], gaps: tuple[int, int],
    minutes: int, window: tuple[int, int], *, team: int | None = None, capped: bool = False,
    starts_on: date | None = None,
) -> SeriesSpec:  # fmt: skip
    return SeriesSpec(
        key, kind, "P4", title, host, tuple(sorted(set(people) - {host})),
        host if capped else None, team, capped, gaps[0], gaps[1], minutes, time(window[0]),
        time(window[1]), starts_on=starts_on,
    )  # fmt: skip


def real_plan(chart: Chart, today: date, *, on: date | None = None, cap: int = 3) -> PlanInput:
    """The chart's first plan made on `today`; with `on`, as re-planned that day: people who
    joined after `today` (and by `on`) are added then and their own series start that day."""
    on = on or today
    cs = service_week_monday(today.year)
    year = today.year if today >= cs else today.year - 1
    year_start, end = service_week_monday(year) + timedelta(days=7), service_week_monday(year + 1)
    closed = {
        d for y in (year, year + 1) for d in holidays.country_holidays("NL", years=y)
    }  # fmt: skip
    start = max(today + timedelta(days=1), year_start)
    while start.weekday() > 4 or start in closed:
        start += timedelta(days=1)
    here = [p for p in chart.people if p.joined is None or p.joined <= on]
    present = {p.id for p in here}
    frontline = {t for t, (_n, f) in chart.teams.items() if f}
    members: dict[int, list[int]] = {}
    for p in here:
        if p.team in frontline:
            members.setdefault(p.team, []).append(p.id)
    rows = [(p.id, p.team, p.manager, True) for p in here]
    skip = derive_team_skip_leaders(rows, frontline, {})
    by_id = {p.id: p for p in here}
    series: list[SeriesSpec] = []
    for tid, crew in sorted(members.items()):
        host = next((p for p in crew if by_id[p].role == "leader"), crew[0])
        name = chart.teams[tid][0]
        if tid in skip:
            leader = skip[tid].leader_id
            series.append(_series(f"skip:l{leader}:t{tid}", f"Skip-level roundtable: {name}",
                                  "skip_level", leader, crew, (10, 16), 60, (10, 16), team=tid,
                                  capped=True))  # fmt: skip
        series += [
            _series(f"star:t{tid}", f"Service star: {name}", "recognition", host, crew, (4, 5),
                    15, (9, 12), team=tid),
            _series(f"ysd:t{tid}", f"You said, we did: {name}", "feedback_update", host, crew,
                    (3, 5), 30, (9, 16), team=tid),
            _series(f"train:t{tid}", f"Refresher training: {name}", "training", host, crew,
                    (4, 6), 60, (9, 16), team=tid),
            _series(f"score:t{tid}", f"Scorecard review: {name}", "scorecard_review", host, crew,
                    (10, 16), 45, (9, 16), team=tid),
        ]  # fmt: skip
        for pid in crew:
            manager, joined = by_id[pid].manager, by_id[pid].joined
            if manager in present and manager != pid:
                # Someone who joined after the first plan is added (and planned) on `on`.
                late = on if joined and joined > today and on > start else None
                series.append(_series(f"career:p{pid}", f"Career conversation: {by_id[pid].name}",
                                      "career_conversation", manager, [pid], (10, 16), 45,
                                      (9, 16), team=tid, starts_on=late))  # fmt: skip
    series.append(_series("hof", "Hall of fame", "hall_of_fame", chart.chief, sorted(present),
                          (12, 14), 60, (14, 17)))  # fmt: skip
    absences: dict[int, frozenset[date]] = {}
    days = [start + timedelta(days=d) for d in range((end - start).days)]
    for p in here:
        off = {d for d in days if d.weekday() < 5 and d.weekday() not in p.workdays}
        if p.id % 9 == 0:  # a two-week holiday somewhere in the year
            first = start + timedelta(weeks=(p.id * 5) % 36 + 3)
            off |= {first + timedelta(days=d) for d in range(14)}
        if off:
            absences[p.id] = frozenset(off)
    return PlanInput(
        period_start=start,
        period_end=end,
        tz=TZ,
        closed_dates=frozenset(d for d in closed if start <= d < end),
        absences=absences,
        leader_weekly_cap=cap,
        frontline_team_ids=frozenset(members),
        series=tuple(series),
        person_names={p.id: p.name for p in here},
        team_names={t: n for t, (n, _f) in chart.teams.items()},
    )
