"""Customer Service Week as a coordinator, a leader and staff use it (through the client)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.models import Activity, Event, LibraryEntry, ServiceWeek
from tests import factories


@pytest.fixture
def org(db: Session) -> dict[str, Any]:
    factories.organisation(db, time_zone="Europe/Amsterdam", country="NL")
    night, chat = factories.team(db, "Night Shift"), factories.team(db, "Chat Team")
    db.commit()
    return {"night": night.id, "chat": chat.id}


def _activity(**values: Any) -> dict[str, Any]:
    data = {
        "title": "Coffee with the CEO",
        "description": "",
        "practice": "P1",
        "day": "2026-10-06",
        "start_time": "09:00",
        "end_time": "10:00",
        "location": "Canteen",
        "host": "",
        "audience": "everyone",
        "status": "planned",
    }
    data.update(values)
    return data


def _count(db: Session, model: Any) -> int:
    """Count rows, then end the read so the app's next write is not blocked (SQLite)."""
    db.rollback()  # a fresh snapshot: see what the app committed
    count = db.scalar(select(func.count()).select_from(model)) or 0
    db.rollback()
    return count


def _activity_events(db: Session) -> int:
    db.rollback()
    count = db.scalar(select(func.count()).where(Event.kind == "activity")) or 0
    db.rollback()
    return count


def test_coordinator_plans_a_whole_week(
    client: FlaskClient, db: Session, login_as: Callable[..., Any], org: dict[str, Any]
) -> None:
    me_id = login_as("coordinator", name="Cora Coordinator").id
    page = client.get("/csweek/").get_data(as_text=True)
    assert "Plan a year" in page and "Customer Service Week" in page

    response = client.post("/csweek/plans", data={"year": "2026", "theme": "Heroes every day"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/csweek/2026")
    page = client.get("/csweek/2026").get_data(as_text=True)
    assert "Heroes every day" in page and "Monday 5 October" in page
    assert "Trading places: leaders on the front line" in page  # a suggested day theme

    # Four from the library in one click each, then adjusted.
    library_page = client.get("/csweek/library?year=2026").get_data(as_text=True)
    assert "Skip-level roundtable" in library_page  # year-round entries are listed too
    keys = ["week-kickoff-purpose", "week-trading-places", "week-thank-you-cards", "week-awards"]
    for key in keys:
        db.rollback()
        entry_id = db.scalar(select(LibraryEntry.id).where(LibraryEntry.key == key))
        db.rollback()
        response = client.post(f"/csweek/2026/library/{entry_id}")
        assert (
            response.status_code == 302
            and "/csweek/2026/activities/" in response.headers["Location"]
        )
    db.rollback()
    activity_id = db.scalar(select(Activity.id).order_by(Activity.id.desc()))
    db.rollback()
    edit = client.get(f"/csweek/2026/activities/{activity_id}").get_data(as_text=True)
    assert "Service awards with a people" in edit and 'value="15:00"' in edit
    # Six of one's own: timed, all-day, for chosen teams.
    own = [
        _activity(title="Breakfast for the night shift", day="2026-10-07", start_time="06:30",
                  end_time="07:30", audience="teams", teams=[str(org["night"])]),
        _activity(title="Balloon day", day="2026-10-08", all_day="y", start_time="", end_time=""),
        _activity(title="Chat team quiz", day="2026-10-09", start_time="11:00", end_time="11:30",
                  audience="teams", teams=[str(org["chat"]), str(org["night"])]),
        _activity(title="Wall of thanks", day="2026-10-05", all_day="y", host=str(me_id)),
        _activity(title="Coffee with the CEO", day="2026-10-06"),
        _activity(title="Online shout-outs", day="2026-10-07", start_time="16:00", end_time="16:30",
                  location="https://meet.example/shout"),
    ]  # fmt: skip
    for data in own:
        response = client.post("/csweek/2026/activities/new", data=data)
        assert response.status_code == 302, re.findall(
            r"errors\S*>(.*?)</ul>", response.get_data(as_text=True), re.S
        )
    assert _count(db, Activity) == 10
    assert _activity_events(db) == 10

    db.rollback()
    quiz = db.scalar(select(Activity).where(Activity.title == "Chat team quiz"))
    assert quiz is not None and not quiz.for_everyone
    assert {t.name for t in quiz.event.audience_teams} == {"Chat Team", "Night Shift"}
    coffee = db.scalar(select(Activity).where(Activity.title == "Coffee with the CEO"))
    assert coffee is not None and coffee.event.start_at == datetime(2026, 10, 6, 7, tzinfo=UTC)

    glance = client.get("/csweek/2026/glance").get_data(as_text=True)
    assert glance.count('class="csw-column"') == 5
    assert "09:00–10:00" in glance and "Balloon day" in glance and "All day" in glance
    assert "For Chat Team, Night Shift" in glance
    agenda = client.get("/csweek/2026/agenda")
    text = agenda.get_data(as_text=True)
    assert agenda.status_code == 200 and "print.css" in text and 'media="print"' in text
    assert "06:30–07:30" in text and "Breakfast for the night shift" in text
    assert "https://meet.example/shout" in text
    db.rollback()

    # Copy to 2027: same weekday, new events with new UIDs.
    response = client.post("/csweek/plans", data={"year": "2027", "copy_from": "2026"})
    assert response.status_code == 302
    db.rollback()
    old = {
        a.title: a
        for a in db.scalar(select(ServiceWeek).where(ServiceWeek.year == 2026)).activities
    }
    new = {
        a.title: a
        for a in db.scalar(select(ServiceWeek).where(ServiceWeek.year == 2027)).activities
    }
    assert set(new) == set(old)
    for title, copy in new.items():
        assert copy.day.weekday() == old[title].day.weekday()
        assert date(2027, 10, 4) <= copy.day <= date(2027, 10, 8)
        assert copy.event.uid != old[title].event.uid
    db.rollback()
    assert _activity_events(db) == 20
    assert "Heroes every day" in client.get("/csweek/2027").get_data(as_text=True)


def test_editing_an_activity_updates_its_event(
    client: FlaskClient, db: Session, login_as: Callable[..., Any], org: dict[str, Any]
) -> None:
    login_as("admin")
    client.post("/csweek/plans", data={"year": "2026"})
    client.post("/csweek/2026/activities/new", data=_activity())
    db.rollback()
    activity = db.scalar(select(Activity))
    assert activity is not None
    uid, sequence, event_id = activity.event.uid, activity.event.sequence, activity.event_id
    db.rollback()
    activity_id = activity.id
    db.rollback()
    response = client.post(
        f"/csweek/2026/activities/{activity_id}",
        data=_activity(start_time="14:00", end_time="15:00", status="confirmed"),
    )
    assert response.status_code == 302
    db.rollback()
    event = db.get(Event, event_id)
    assert event is not None and event.uid == uid and event.sequence == sequence + 1
    assert event.status == "confirmed" and event.start_at == datetime(2026, 10, 6, 12, tzinfo=UTC)
    assert "14:00–15:00" in client.get("/csweek/2026").get_data(as_text=True)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"start_time": "11:00", "end_time": "10:00"}, "The end must be after the start."),
        ({"day": "2026-10-12"}, "Choose one of the week&#39;s days."),
        ({"audience": "teams", "teams": ["999999"]}, "one of them does not exist"),
        ({"title": "x" * 10_000}, "At most 200 characters."),
        ({"title": ""}, "Give the activity a title."),
        ({"start_time": "", "end_time": ""}, "Give a start time."),
        ({"audience": "teams"}, "Choose at least one team."),
        ({"host": "999999"}, "That person is unknown or no longer here."),
    ],
)
def test_bad_activity_input_shows_errors_and_saves_nothing(
    client: FlaskClient,
    db: Session,
    login_as: Callable[..., Any],
    org: dict[str, Any],
    values: dict[str, Any],
    message: str,
) -> None:
    login_as("coordinator")
    client.post("/csweek/plans", data={"year": "2026"})
    response = client.post("/csweek/2026/activities/new", data=_activity(**values))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(db, Activity) == 0
    assert _activity_events(db) == 0


def test_bad_plan_input(
    client: FlaskClient, db: Session, login_as: Callable[..., Any], org: dict[str, Any]
) -> None:
    login_as("coordinator")
    assert client.post("/csweek/plans", data={}).status_code == 400
    response = client.post("/csweek/plans", data={"year": "2026", "first_day": "2026-10-06"})
    assert response.status_code == 400 and "choose a Monday" in response.get_data(as_text=True)
    response = client.post("/csweek/plans", data={"year": "2026", "theme": "t" * 10_000})
    assert response.status_code == 400
    assert _count(db, ServiceWeek) == 0
    assert client.post("/csweek/plans", data={"year": "2026"}).status_code == 302
    response = client.post("/csweek/plans", data={"year": "2026"})
    assert "There is already a plan for 2026." in response.get_data(as_text=True)
    assert _count(db, ServiceWeek) == 1


def test_moving_the_week_and_warnings(
    client: FlaskClient, db: Session, login_as: Callable[..., Any], org: dict[str, Any]
) -> None:
    me_id = login_as("coordinator").id
    client.post("/csweek/plans", data={"year": "2026"})
    for title in ("Kickoff", "Quiz"):
        client.post("/csweek/2026/activities/new", data=_activity(title=title, host=str(me_id)))
    page = client.get("/csweek/2026").get_data(as_text=True)
    assert "also hosts “Quiz” at the same time" in page
    form = {"theme": "Moved", "first_day": "2026-10-26", "move_activities": "y"}
    form |= {f"day_{i}": f"Day {i}" for i in range(5)}
    assert client.post("/csweek/2026/edit", data=form).status_code == 302
    page = client.get("/csweek/2026").get_data(as_text=True)
    assert "Monday 26 October" in page and "Day 4" in page and "09:00–10:00" in page
    db.rollback()
    event = db.scalar(select(Event).where(Event.kind == "activity").limit(1))
    assert event is not None and event.start_at == datetime(2026, 10, 27, 8, tzinfo=UTC)
    db.rollback()
    bad = client.post("/csweek/2026/edit", data=form | {"first_day": "2026-10-27"})
    assert bad.status_code == 400 and "choose a Monday" in bad.get_data(as_text=True)


def test_us_holiday_warning_and_dst_in_new_york(
    client: FlaskClient, db: Session, login_as: Callable[..., Any]
) -> None:
    factories.organisation(db, time_zone="America/New_York", country="US")
    db.commit()
    login_as("coordinator")
    client.post("/csweek/plans", data={"year": "2026"})
    # Moved to start on Columbus Day (Monday 12 October 2026): a warning, not a refusal.
    client.post("/csweek/2026/edit", data={"first_day": "2026-10-12", "move_activities": "y"})
    response = client.post("/csweek/2026/activities/new", data=_activity(day="2026-10-12"))
    assert response.status_code == 302
    page = client.get("/csweek/2026").get_data(as_text=True)
    assert "nothing is blocked" in page and "falls on Columbus Day" in page
    # Moved past the US clock change (1 November): 09:00 stays 09:00, one hour later in UTC.
    client.post("/csweek/2026/edit", data={"first_day": "2026-11-02", "move_activities": "y"})
    assert "09:00–10:00" in client.get("/csweek/2026/glance").get_data(as_text=True)
    db.rollback()
    event = db.scalar(select(Event).where(Event.kind == "activity"))
    assert event is not None and event.start_at == datetime(2026, 11, 2, 14, tzinfo=UTC)
    db.rollback()
    # Moving the week without its activities leaves them outside it: a warning.
    client.post("/csweek/2026/edit", data={"first_day": "2026-11-09"})
    assert "outside the week" in client.get("/csweek/2026").get_data(as_text=True)


@pytest.mark.parametrize("role", ["staff", "leader"])
def test_staff_and_leaders_read_only(
    client: FlaskClient, db: Session, login_as: Callable[..., Any], org: dict[str, Any], role: str
) -> None:
    coordinator = factories.person(db, role="coordinator")
    db.commit()
    from planner.csweek import operations

    operations.create_plan(db, year=2026, created_by_id=coordinator.id, now=datetime.now(UTC))
    db.commit()
    login_as(role)
    page = client.get("/csweek/2026").get_data(as_text=True)
    assert "Customer Service Week 2026" in page and "Add an activity" not in page
    assert "Plan a year" not in client.get("/csweek/").get_data(as_text=True)
    assert client.get("/csweek/2026/glance").status_code == 200
    assert client.post("/csweek/2026/activities/new", data=_activity()).status_code == 403
    assert client.post("/csweek/plans", data={"year": "2027"}).status_code == 403
    assert "Add “" not in client.get("/csweek/library").get_data(as_text=True)
    assert _count(db, Activity) == 0


def test_activity_of_another_year_is_not_found(
    client: FlaskClient, db: Session, login_as: Callable[..., Any], org: dict[str, Any]
) -> None:
    login_as("coordinator")
    client.post("/csweek/plans", data={"year": "2026"})
    client.post("/csweek/plans", data={"year": "2027"})
    client.post("/csweek/2026/activities/new", data=_activity())
    db.rollback()
    activity_id = db.scalar(select(Activity.id))
    db.rollback()
    assert client.get(f"/csweek/2027/activities/{activity_id}").status_code == 404
    assert client.get("/csweek/2031").status_code == 404
    assert client.post("/csweek/2026/library/999999").status_code == 404


def test_own_library_entry(
    client: FlaskClient, db: Session, login_as: Callable[..., Any], org: dict[str, Any]
) -> None:
    login_as("coordinator")
    data = {"scope": "year", "title": "Pizza Friday", "practice": "P1", "kind": "recognition",
            "min_gap_weeks": "4", "max_gap_weeks": "6", "audience": "team"}  # fmt: skip
    response = client.post("/csweek/library/new", data=data | {"min_gap_weeks": "9"})
    assert response.status_code == 400 and "lowest first" in response.get_data(as_text=True)
    assert client.post("/csweek/library/new", data=data).status_code == 302
    page = client.get("/csweek/library").get_data(as_text=True)
    assert "Pizza Friday" in page and "every 4–6 weeks" in page and "own idea" in page


def test_double_submission_saves_once(
    client: FlaskClient, db: Session, login_as: Callable[..., Any], org: dict[str, Any]
) -> None:
    login_as("coordinator")
    client.post("/csweek/plans", data={"year": "2026"})
    form = client.get("/csweek/2026/activities/new").get_data(as_text=True)
    key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', form)
    assert key is not None
    data = _activity(idempotency_key=key.group(1))
    first = client.post("/csweek/2026/activities/new", data=data)
    second = client.post("/csweek/2026/activities/new", data=data)
    assert first.status_code == second.status_code == 302
    assert _count(db, Activity) == 1
    # The one-click library button carries its own key too.
    library_page = client.get("/csweek/library?year=2026").get_data(as_text=True)
    button = re.search(
        r'action="(/csweek/2026/library/\d+)"[^>]*>\s*<input[^>]*>\s*'
        r'<input type="hidden" name="idempotency_key" value="([^"]+)"',
        library_page,
    )
    assert button is not None
    for _ in range(2):
        response = client.post(button.group(1), data={"idempotency_key": button.group(2)})
        assert response.status_code == 302
    assert _count(db, Activity) == 2


def test_stale_edit_is_refused(
    client: FlaskClient, db: Session, login_as: Callable[..., Any], org: dict[str, Any]
) -> None:
    login_as("coordinator")
    client.post("/csweek/plans", data={"year": "2026"})
    client.post("/csweek/2026/activities/new", data=_activity())
    db.rollback()
    activity_id = db.scalar(select(Activity.id))
    db.rollback()
    url = f"/csweek/2026/activities/{activity_id}"
    assert 'name="version" type="hidden" value="1"' in client.get(url).get_data(as_text=True)
    assert client.post(url, data=_activity(title="Mine", version="1")).status_code == 302
    late = client.post(url, data=_activity(title="Theirs", version="1"))
    assert late.status_code == 400
    assert "changed by someone else meanwhile" in late.get_data(as_text=True)
    db.rollback()
    assert db.scalar(select(Activity.title)) == "Mine"
    db.rollback()
    plan_form = {"first_day": "2026-10-05", "version": "1", "theme": "A"}
    assert client.post("/csweek/2026/edit", data=plan_form).status_code == 302
    stale = client.post("/csweek/2026/edit", data=plan_form | {"theme": "B"})
    assert stale.status_code == 400 and "meanwhile" in stale.get_data(as_text=True)


def test_library_page_shows_everything_without_writing(
    client: FlaskClient, db: Session, login_as: Callable[..., Any]
) -> None:
    login_as("staff")
    page = client.get("/csweek/library").get_data(as_text=True)
    assert "Leaders serve lunch, every shift" in page and "Career conversation" in page
    assert page.count("<h3>") >= 35
    assert _count(db, LibraryEntry) == 0
