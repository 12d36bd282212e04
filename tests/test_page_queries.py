"""The pages' bulk reads give what the object-by-object code gave (issue 11, pages that stay
small): the opened week's plain rows and their career-conversation privacy, the chart's
reporting tree from the managers alone, the skip-level leaders of one page of teams, and the
home page's two weeks read from the feed's candidate events.

The old code is kept here as the oracle; random organisations cover reporting loops, people who
left (with and without reports), teams without a lead or without members, and overrides."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from planner.models import Event, Person, Team
from planner.org import queries
from planner.org.chart import skip_leaders_with_reasons
from planner.scheduler import glance
from planner.scheduler.operations import LEADING_ROLES, may_see, year_events
from tests import factories

YEAR = 2027
MONDAY = date(2028, 3, 6)
TZ = "Europe/Amsterdam"


def _old_manages(leader: Person, person: Person | None) -> bool:
    seen: set[int] = set()
    current = person.manager if person is not None else None
    while current is not None and current.id not in seen:
        if current.id == leader.id:
            return True
        seen.add(current.id)
        current = current.manager
    return False


def _old_may_see(event: Event, person: Person) -> bool:
    """may_see() as it was before its rule became the pure sees()."""
    if person.role in ("admin", "coordinator"):
        return True
    if event.host_id == person.id or any(p.id == person.id for p in event.attendees):
        return True
    if event.kind == "career_conversation":
        people = [event.host, *event.attendees]
        return person.role in LEADING_ROLES and any(_old_manages(person, p) for p in people)
    if person.role in LEADING_ROLES:
        return True
    return event.for_everyone or (event.team_id is not None and event.team_id == person.team_id)


def _org(
    db: Session, rng: random.Random, size: int, tag: str = ""
) -> tuple[list[Person], list[Team]]:
    """A random organisation: managers among earlier people (so chains), a reporting loop of
    three, some people who left, teams frontline or not, some without members, overrides
    (one to someone who left), names that repeat."""
    factories.organisation(db, time_zone=TZ)
    teams = [
        factories.team(db, f"Team {tag}{n:02d}", frontline=rng.random() < 0.7) for n in range(8)
    ]
    people: list[Person] = []
    roles = ["admin", "coordinator", "leader", "leader", "staff", "staff", "staff"]
    for _ in range(size):
        manager = rng.choice(people) if people and rng.random() < 0.85 else None
        team = rng.choice(teams[:6]) if rng.random() < 0.8 else None  # teams 6, 7: nobody
        people.append(
            factories.person(
                db,
                role=rng.choice(roles),
                name=f"Person {rng.randrange(max(1, size // 2))}",  # repeats: ties by id
                team=team,
                manager=manager,
                active=rng.random() < 0.85,
            )
        )
    if size >= 6:  # a loop of three on its own, and one of two (with people below it)
        loops = [(-3, -2), (-2, -1), (-1, -3), (-4, -5), (-5, -4)]
        for who, boss in loops:
            db.execute(
                update(Person).where(Person.id == people[who].id).values(manager_id=people[boss].id)
            )
        db.expire_all()
    teams[0].skip_level_override_id = people[0].id if people else None
    if len(people) > 2:
        people[1].active = False
        teams[1].skip_level_override_id = people[1].id
    db.flush()
    return people, teams


def _events(db: Session, rng: random.Random, people: list[Person], teams: list[Team]) -> None:
    """Planned events around MONDAY's week (margin days too), half career conversations."""
    kinds = ["career_conversation", "career_conversation", "skip_level", "recognition"]
    for n in range(80):
        day = MONDAY + timedelta(days=rng.randrange(-2, 10))
        kind = rng.choice(kinds)
        all_day = rng.random() < 0.15
        when: dict[str, Any]
        if all_day:
            when = {"all_day": True, "start_date": day, "end_date": day + timedelta(days=1)}
        else:
            start = datetime.combine(day, time(rng.choice([0, 8, 9, 15, 23])), UTC)
            when = {"start_at": start, "end_at": start + timedelta(hours=1)}
        event = Event(
            uid=f"t-{n}", kind=kind, practice=rng.choice(["P1", "P5"]),
            title=rng.choice(["Talk", "Meeting", "Praise"]) + f" {n % 7}",
            host=rng.choice(people) if rng.random() < 0.9 else None,
            team=rng.choice(teams) if rng.random() < 0.5 else None,
            for_everyone=rng.random() < 0.1, pinned=rng.random() < 0.1,
            status="cancelled" if rng.random() < 0.1 else "confirmed",
            source_kind="cadence", slot_key=f"{YEAR}:t:{n}", **when,
        )  # fmt: skip
        event.attendees = rng.sample(people, k=min(len(people), rng.randrange(0, 3)))
        db.add(event)
    db.flush()


def test_an_opened_week_as_plain_rows_equals_the_orm_events_for_every_viewer(db: Session) -> None:
    rng = random.Random(11)
    people, teams = _org(db, rng, 40)
    _events(db, rng, people, teams)
    events = year_events(db, YEAR, MONDAY, MONDAY + timedelta(days=7))
    assert any(e.kind == "career_conversation" for e in events)
    hidden = 0
    for viewer in [None, *people]:
        old = glance.event_items(events, TZ, viewer)
        assert glance.week_items(db, YEAR, MONDAY, TZ, viewer) == old
        hidden += sum(i.title == "Career conversation (private)" for i in old)
        if viewer is not None:
            for event in events:
                assert may_see(event, viewer) is _old_may_see(event, viewer), (event.id, viewer.id)
    assert hidden > 0  # some viewer was refused some conversation


def test_the_opened_week_of_the_page_is_unchanged(client: Any, db: Session, login_as: Any) -> None:
    """Through the page: a leader sees their people's conversations named, others' private."""
    rng = random.Random(5)
    people, teams = _org(db, rng, 30)
    _events(db, rng, people, teams)
    db.commit()
    leader = next(p for p in people if p.role == "leader" and p.active)
    leader.password_hash = factories._password_hash()
    weeks = glance.published_year(db, YEAR).weeks
    number = next(w.number for w in weeks if w.monday == MONDAY)
    db.commit()
    login_as(person=leader)
    page = client.get(f"/scheduler/?year={YEAR}&week={number}").get_data(as_text=True)
    shown = glance.published_year(db, YEAR, number, viewer=leader).weeks[number - 1].items
    assert shown and all(i.title in page for i in shown)
    old = glance.event_items(year_events(db, YEAR, MONDAY, MONDAY + timedelta(7)), TZ, leader)
    listed = sorted((i for i in old if MONDAY <= i.day < MONDAY + timedelta(7)),
                    key=lambda i: (i.day, i.start is not None, i.start, i.title))  # fmt: skip
    assert shown == listed[: glance.WEEK_PAGE]


def _old_reporting_tree(session: Session) -> tuple[list[queries.Node], int]:
    """reporting_tree() as it was: every active person read, the tree built in Python (ties of
    names by id, which the old ORDER BY name left to the database)."""
    rows = session.execute(
        select(Person.id, Person.name, Person.role, Person.manager_id)
        .where(Person.active.is_(True))
        .order_by(Person.name, Person.id)
    ).all()
    people = {pid: (name, role, manager) for pid, name, role, manager in rows}
    reports: dict[int, list[int]] = {}
    for pid, (_name, _role, manager) in people.items():
        if manager in people:
            reports.setdefault(manager, []).append(pid)

    def build(root: int) -> queries.Node:
        top = queries.Node(root, *people[root][:2])
        stack: list[tuple[queries.Node, frozenset[int]]] = [(top, frozenset({root}))]
        while stack:
            node, seen = stack.pop()
            for child in reports.get(node.id, []):
                if child in reports and child not in seen:
                    sub = queries.Node(child, *people[child][:2])
                    node.children.append(sub)
                    stack.append((sub, seen | {child}))
                else:
                    node.other_reports += 1
        return top

    roots = [build(p) for p, (_n, _r, m) in people.items() if p in reports and m not in people]
    loose = sum(1 for pid, (_n, _r, m) in people.items() if pid not in reports and m not in people)
    return roots, loose


def test_the_reporting_tree_from_the_managers_equals_the_whole_tree(db: Session) -> None:
    assert queries.reporting_tree(db) == ([], 0)  # an empty organisation
    for seed, size in ((1, 1), (2, 5), (3, 30), (4, 60), (5, 120)):
        rng = random.Random(seed)
        _org(db, rng, size, tag=str(seed))
        db.flush()
        old = _old_reporting_tree(db)
        assert queries.reporting_tree(db) == old, seed
        assert queries.tree_rows(queries.reporting_tree(db)[0], queries.CHART_LEVELS) == (
            queries.tree_rows(old[0], queries.CHART_LEVELS)
        )
    assert any(n.other_reports for n in old[0]) and old[1] > 0


def test_a_manager_who_left_and_their_reports(db: Session) -> None:
    """A manager who left is not on the chart; their active reports are roots or loose."""
    factories.organisation(db)
    left = factories.person(db, role="leader", name="Gone Boss", active=False)
    lead = factories.person(db, role="leader", name="Lead", manager=left)
    factories.person(db, name="Staff A", manager=lead)
    factories.person(db, name="Staff B", manager=lead, active=False)
    factories.person(db, name="Loose", manager=left)
    factories.person(db, name="Alone")
    roots, loose = queries.reporting_tree(db)
    assert [(r.name, r.other_reports, r.children) for r in roots] == [("Lead", 1, [])]
    assert loose == 2  # Loose (their manager left) and Alone
    assert (roots, loose) == _old_reporting_tree(db)


def test_skip_leaders_of_some_teams_equal_those_of_all_teams(db: Session) -> None:
    assert skip_leaders_with_reasons(db, []) == {} == skip_leaders_with_reasons(db)
    for seed in (7, 8, 9):
        rng = random.Random(seed)
        _, teams = _org(db, rng, 50, tag=str(seed))
        db.flush()
        everyone = skip_leaders_with_reasons(db)
        assert everyone  # some team has a skip-level leader
        for team in db.scalars(select(Team)):
            found = skip_leaders_with_reasons(db, [team.id])
            assert found == {k: v for k, v in everyone.items() if k == team.id}
        ids = [t.id for t in teams[:5]]
        assert skip_leaders_with_reasons(db, ids) == {k: everyone[k] for k in ids if k in everyone}


def test_a_page_of_the_teams_table_counts_as_before(db: Session) -> None:
    empty = queries.teams_overview(db, 1)
    assert (empty.teams, empty.total, empty.page, empty.pages) == ([], 0, 1, 1)
    rng = random.Random(3)
    _org(db, rng, 80)
    for n in range(queries.PER_PAGE + 5):  # two pages; these teams have no lead and no members
        factories.team(db, f"Extra {n:03d}")
    db.flush()
    everyone = skip_leaders_with_reasons(db)
    members = Counter(
        dict(
            db.execute(
                select(Person.team_id, func.count())
                .where(Person.active.is_(True))
                .group_by(Person.team_id)
            ).all()
        )
    )
    shown = []
    for page in (1, 2, 3):  # 3 is past the end: the last page
        found = queries.teams_overview(db, page)
        assert (found.total, found.pages, found.page) == (63, 2, min(page, 2))
        for t in found.teams:
            expected = everyone.get(t.team.id)
            assert t.members == members.get(t.team.id, 0)
            assert [p.id for p in t.skip_leaders] == ([expected.leader_id] if expected else [])
            assert t.skip_why == (expected.why if expected else "")
        shown += [t.team.id for t in found.teams] if page < 3 else []
    all_teams = queries.teams_overview(db)
    assert [t.team.id for t in all_teams.teams] == shown
    lead_team = next(t for t in all_teams.teams if t.skip_leaders)
    assert queries.team_skip_leaders(db, lead_team.team.id) == (
        lead_team.skip_leaders,
        lead_team.skip_why,
    )


def _old_two_weeks(session: Session, person: Person, today: date, zone: ZoneInfo) -> Any:
    """dashboard.calendar.two_weeks() as it was: the feed's filter over every event."""
    from planner.feeds import queries as feeds

    monday = today - timedelta(days=today.weekday())
    end_day = monday + timedelta(days=14)
    start = datetime.combine(today, time(), zone).astimezone(UTC)
    end = datetime.combine(end_day, time(), zone).astimezone(UTC)
    stmt = feeds.feed_events(session, feeds.person_audience(person), datetime.now(UTC), zone)
    stmt = stmt.where(
        Event.status != "cancelled",
        or_(
            and_(Event.all_day.is_(False), Event.end_at > start, Event.start_at < end),
            and_(Event.all_day.is_(True), Event.end_date > today, Event.start_date < end_day),
        ),
    )
    return sorted(e.id for e in session.scalars(stmt))


def test_the_home_pages_two_weeks_from_the_candidates_equal_the_feed_filter(db: Session) -> None:
    from planner.dashboard.calendar import two_weeks

    rng = random.Random(2)
    people, teams = _org(db, rng, 40)
    zone = ZoneInfo(TZ)
    today = datetime.now(zone).date()
    kinds = ["career_conversation", "outreach", "skip_level", "recognition", "activity"]
    for n in range(120):
        day = today + timedelta(days=rng.randrange(-3, 16))
        start = datetime.combine(day, time(rng.choice([7, 9, 14])), UTC)
        event = Event(
            uid=f"h-{n}", kind=rng.choice(kinds), title=f"Item {n}", start_at=start,
            end_at=start + timedelta(hours=1), host=rng.choice(people) if n % 3 else None,
            team=rng.choice(teams) if rng.random() < 0.4 else None,
            for_everyone=rng.random() < 0.1,
            status="cancelled" if rng.random() < 0.1 else "confirmed",
        )  # fmt: skip
        event.attendees = rng.sample(people, k=rng.randrange(0, 3))
        event.audience_teams = rng.sample(teams, k=rng.choice([0, 0, 1, 2]))
        db.add(event)
    db.flush()
    shown = 0
    for person in people:
        agenda = two_weeks(db, person, today, zone)
        ids = sorted(e.id for _week, items in agenda for e, _when in items)
        assert ids == _old_two_weeks(db, person, today, zone), person.id
        shown += len(ids)
    assert shown > 0


def test_folding_skips_translate_for_ascii_with_the_same_result(db: Session) -> None:
    """PostgreSQL's fold() lowers all-ASCII text without translate(); same values as before."""
    import pytest
    from sqlalchemy import literal

    from planner.people.folding import ACCENTED, PLAIN, fold

    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("the CASE is PostgreSQL's (SQLite folds in Python)")
    names = ["Jan de Vries", "ŠARŪNAS Žemaitė", "Ærø Øster", "", "O'Brien-Smith", "ÀÉÎÕÜ ÿ", "Zoë"]
    for name in names:
        before = db.scalar(select(func.lower(func.translate(literal(name), ACCENTED, PLAIN))))
        assert db.scalar(select(fold(literal(name)))) == before, name
