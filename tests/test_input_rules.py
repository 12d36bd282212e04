"""Issue 13 item 11: control characters, far-off dates and duplicate scorecard keys are refused
with a clear message, in forms and CSV files alike (one shared validator, planner/validation.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from planner.models import Absence, FeedbackItem, MetricValue, Team
from planner.org.people_csv import parse_people
from planner.recognition import clock
from planner.recognition.praise_csv import read_csv
from planner.scheduler.forms import MoveForm
from planner.validation import date_problem, text_problem
from tests import factories
from tests.test_feedback_support import build_org, client_for, form_key, look
from tests.test_recognition_import import upload

HEADER = "name,email,role,team,manager_email\n"


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b[31m", "\x7f", "\x85"])
def test_the_shared_rule_refuses_control_characters(bad: str) -> None:
    assert "control character" in (text_problem(f"a{bad}b") or "")
    assert "control character" in (text_problem(f"a{bad}b", multiline=True) or "")


def test_tabs_and_line_breaks_only_in_multi_line_text() -> None:
    assert text_problem("two\nlines", multiline=True) is None
    assert text_problem("tab\there", multiline=True) is None
    assert "one line" in (text_problem("two\nlines") or "")
    assert text_problem("Ünïcode — fine ✓") is None


@pytest.mark.parametrize("day", [date(1, 1, 1), date(1970, 1, 1), date(9999, 12, 31)])
def test_far_off_dates_are_refused(day: date) -> None:
    assert "outside the dates" in (date_problem(day) or "")
    assert date_problem(date(2026, 10, 5)) is None


def test_a_nul_in_a_feedback_title_is_a_form_error_and_nothing_is_saved(app: Any, db: Any) -> None:
    org = build_org(db)
    staff = client_for(app, org.staff)
    data = {"title": "Broken\x00title", "details": "ok\nmultiline", "category": "tools",
            "team": str(org.big.id), "idempotency_key": form_key(staff)}  # fmt: skip
    response = staff.post("/feedback/new", data=data)
    assert response.status_code == 400
    assert "invisible control character (U+0000 at position 7)" in response.get_data(as_text=True)
    with look(app) as s:
        assert s.scalar(select(func.count()).select_from(FeedbackItem)) == 0


def test_a_control_character_in_a_team_name_and_a_year_one_absence_are_refused(
    client: Any, db: Any, login_as: Any
) -> None:
    person = factories.person(db, role="staff", name="Abe Absent")
    db.commit()
    login_as("coordinator")
    client.post("/org/teams", data={"name": "Night\x1bshift", "frontline": "y"})
    response = client.post(
        f"/org/people/{person.id}/absences",
        data={"absence-first_day": "0001-01-01", "absence-last_day": "0001-01-02"},
    )
    assert "outside the dates this planner handles" in response.get_data(as_text=True)
    db.rollback()
    assert db.scalars(select(Team).where(Team.name.like("Night%"))).all() == []
    assert db.scalars(select(Absence)).all() == []


def test_an_event_cannot_be_moved_to_1970(app: Any) -> None:
    with app.test_request_context(method="POST"):
        form = MoveForm(formdata=MultiDict({"day": "1970-01-01"}), meta={"csrf": False})
        assert not form.validate()
        assert "1970-01-01 is outside the dates" in form.day.errors[-1]


def test_csv_files_refuse_control_characters_with_their_line() -> None:
    text = HEADER + "Ann,ann@example.com,staff,T,\nB\x00b,b@example.com,staff,T,\n"
    people = parse_people(text.encode(), {})
    assert [(e.line, "U+0000" in e.message) for e in people.errors] == [(3, True)]
    rows, errors = read_csv(
        b'email,received,channel,quote\na@example.com,2026-10-01,email,"Two\nlines"\n'
        b"b@example.com,2026-10-01,email,bell\x07\n",
        columns=("email", "received", "channel", "quote"),
    )
    assert [line for line, _cells in rows] == [3] and errors[0][0] == 4
    assert "U+0007" in errors[0][1]


def test_duplicate_keys_in_one_scorecard_file_are_refused_with_their_lines(
    client: Any, db: Any, login_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "today", lambda _s: date(2026, 11, 23))
    factories.team(db, "Team North")
    db.commit()
    login_as("coordinator")
    body = b"Team North,2026-09,nps,42\nTeam North,2026-10,nps,40\nteam north,2026-09,nps,45\n"
    page = upload(client, "/recognition/scorecards/import", body).get_data(as_text=True)
    assert "Line 3: Team North, 2026-09, nps is already given on line 1" in page
    old = upload(client, "/recognition/scorecards/import", b"Team North,1999-12,nps,1\n")
    assert "outside the dates" in old.get_data(as_text=True)
    db.rollback()
    assert db.scalar(select(func.count()).select_from(MetricValue)) == 0
