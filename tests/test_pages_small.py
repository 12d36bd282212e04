"""Pages that stay small at scale: the year page lists counts and one part of an opened week,
the chart pages its teams, My calendar pages its weeks (behaviour, not timings: the figures
come from `python -m planner.bench scale`)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from planner.db import utcnow
from planner.events.operations import Timed, create_event
from planner.feeds.pages import WEEKS_PER_PAGE
from planner.org.queries import PER_PAGE
from planner.scheduler import glance
from tests import factories

AMS = ZoneInfo("Europe/Amsterdam")
YEAR = 2027


def _timed(day: Any, hour: int) -> Timed:
    start = datetime.combine(day, time(hour, 0), AMS).astimezone(UTC)
    return Timed(start, start + timedelta(minutes=30))


def test_the_year_page_counts_weeks_and_lists_an_opened_week_in_parts(
    client: Any, db: Any, login_as: Any
) -> None:
    factories.organisation(db, time_zone="Europe/Amsterdam")
    weeks = glance.published_year(db, YEAR).weeks
    busy, other = weeks[9], weeks[20]
    many = glance.WEEK_PAGE + 30
    for n in range(many):
        create_event(db, kind="recognition", title=f"Busy thanks {n:03d}",
                     when=_timed(busy.monday + timedelta(days=n % 5), 8 + n % 9),
                     now=utcnow(), slot_key=f"{YEAR}:busy:{n}")  # fmt: skip
    create_event(db, kind="recognition", title="Quiet thanks", when=_timed(other.monday, 10),
                 now=utcnow(), slot_key=f"{YEAR}:quiet:0")  # fmt: skip
    db.commit()
    login_as("coordinator")
    year = client.get(f"/scheduler/?year={YEAR}").get_data(as_text=True)
    assert f">{many} events<span" in year and ">1 event<span" in year
    assert "Busy thanks" not in year and "Quiet thanks" not in year  # counts only
    opened = client.get(f"/scheduler/?year={YEAR}&week={busy.number}").get_data(as_text=True)
    listed = re.findall(r"Busy thanks \d{3}", opened)
    assert len(listed) == glance.WEEK_PAGE
    assert "Quiet thanks" not in opened  # only the opened week's events
    assert "part 1 of 2" in opened and "Later events of this week" in opened
    rest = client.get(f"/scheduler/?year={YEAR}&week={busy.number}&part=2").get_data(as_text=True)
    assert len(re.findall(r"Busy thanks \d{3}", rest)) == many - glance.WEEK_PAGE
    assert set(re.findall(r"Busy thanks \d{3}", rest)).isdisjoint(listed)
    assert "Earlier events of this week" in rest
    quiet = client.get(f"/scheduler/?year={YEAR}&week={other.number}").get_data(as_text=True)
    assert "Quiet thanks" in quiet and "Busy thanks" not in quiet


def test_the_chart_lists_teams_a_page_at_a_time(client: Any, db: Any, login_as: Any) -> None:
    for n in range(PER_PAGE + 7):
        factories.team(db, f"Desk {n:03d}")
    db.commit()
    login_as("coordinator")
    first = client.get("/org/chart").get_data(as_text=True)
    assert len(re.findall(r">Desk \d{3}</a>", first)) == PER_PAGE
    assert f"{PER_PAGE + 7} teams, page 1 of 2." in first and "Next page" in first
    second = client.get("/org/chart?page=2").get_data(as_text=True)
    assert re.findall(r">(Desk \d{3})</a>", second) == [f"Desk {n:03d}" for n in range(50, 57)]
    assert "Previous page" in second


def test_my_calendar_shows_a_few_weeks_per_page(client: Any, db: Any, login_as: Any) -> None:
    factories.organisation(db, time_zone="Europe/Amsterdam")
    me = login_as("leader")
    today = utcnow().astimezone(AMS).date()
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    total = WEEKS_PER_PAGE + 3
    for n in range(total):
        create_event(db, kind="recognition", title=f"Thank-you round {n:02d}",
                     when=_timed(monday + timedelta(weeks=n, days=1), 10), now=utcnow(),
                     host_id=me.id)  # fmt: skip
    db.commit()
    first = client.get("/feeds/").get_data(as_text=True)
    assert re.findall(r"Thank-you round (\d\d)", first) == [f"{n:02d}" for n in range(8)]
    assert "Later weeks" in first
    second = client.get("/feeds/?page=2").get_data(as_text=True)
    assert re.findall(r"Thank-you round (\d\d)", second) == [f"{n:02d}" for n in range(8, total)]
    assert "Earlier weeks" in second
