"""The cycle of success as a new user meets it: import people with start and end dates, read
turnover, tenure and the cycle reading on the scorecard (en, nl, lt), change the thresholds."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from planner.i18n import COOKIE
from planner.models import AuditEntry, CycleThreshold, Person, Praise
from planner.recognition import cycle_data
from tests import factories

TODAY = date(2026, 11, 30)
# A real organisation's year: Support (6 now; Dee and Gus left, Eli and Fay joined, Kim leaves
# next year), Billing (a team of 3), Management (a leader), Logistics (empty, made beforehand).
PEOPLE = """name,email,role,team,manager_email,start_date,end_date
Lea Leader,lea@example.com,leader,Management,,2012-01-09,
Ana,ana@example.com,staff,Support,lea@example.com,2019-03-01,
Ben,ben@example.com,staff,Support,lea@example.com,2021-06-01,
Cas,cas@example.com,staff,Support,lea@example.com,2024-01-15,
Dee,dee@example.com,staff,Support,lea@example.com,2025-02-01,2026-04-01
Eli,eli@example.com,staff,Support,lea@example.com,2026-03-01,
Fay,fay@example.com,staff,Support,lea@example.com,2026-05-01,
Gus,gus@example.com,staff,Support,lea@example.com,2023-09-01,2026-08-15
Kim,kim@example.com,staff,Support,lea@example.com,2020-01-01,2027-01-31
Hal,hal@example.com,staff,Billing,lea@example.com,2022-01-01,
Ivy,ivy@example.com,staff,Billing,lea@example.com,2023-01-01,
Jo,jo@example.com,staff,Billing,lea@example.com,2025-06-01,
"""


def upload(client: Any, text: str) -> Any:
    """Post a people file to the import page, as a browser does."""
    files = MultiDict({"file": FileStorage(io.BytesIO(text.encode()), "people.csv")})
    boundary, body = encode_multipart(files)
    return client.post(
        "/org/import", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


@pytest.fixture
def imported(client: Any, db: Session, login_as: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The organisation above, imported by a coordinator, on TODAY; Ana, Ben and Hal praised."""
    monkeypatch.setattr("planner.recognition.clock.today", lambda _session: TODAY)
    monkeypatch.setattr("planner.org.people_io.local_today", lambda _session: TODAY)
    factories.organisation(db)
    factories.team(db, "Logistics")
    db.commit()
    coordinator = login_as("coordinator")
    assert upload(client, PEOPLE).status_code == 302
    db.rollback()
    for email in ("ana@example.com", "ben@example.com", "hal@example.com"):
        person = db.scalar(select(Person).where(Person.email == email))
        assert person is not None
        db.add(
            Praise(person_id=person.id, received_on=date(2026, 10, 20), channel="email",
                   quote=f"Thanks {person.name}", quote_key=email)
        )  # fmt: skip
    db.commit()
    return coordinator


def test_people_who_left_are_recorded_not_deleted(imported: Any, db: Session) -> None:
    db.rollback()
    people = {p.email: p for p in db.scalars(select(Person))}
    assert not people["dee@example.com"].active and not people["gus@example.com"].active
    assert people["dee@example.com"].end_date == date(2026, 4, 1)
    assert people["kim@example.com"].active  # leaves next year
    assert people["ana@example.com"].start_date == date(2019, 3, 1)
    left = db.scalars(select(AuditEntry.subject).where(AuditEntry.action == "left")).all()
    assert sorted(left) == sorted(
        f"person:{people[e].id}" for e in ("dee@example.com", "gus@example.com")
    )
    db.rollback()


def test_the_measures_against_hand_computed_values(imported: Any, db: Session) -> None:
    db.rollback()
    card = cycle_data.cycle_card(db, TODAY)
    db.rollback()
    # Headcount 1 Dec 2025: Support 6 (Ana Ben Cas Dee Gus Kim) + Billing 3 + Lea + the
    # coordinator = 11; on 30 Nov 2026: Support 6 (Ana Ben Cas Eli Fay Kim) + 3 + 1 + 1 = 11.
    # Leavers: Dee and Gus. 2 / 11 = 18.2 %.
    assert card.latest["turnover"] == 18.2
    # Days with us on 30 Nov 2026 of the 10 people with a start date; the middle two are Cas
    # (1050) and... sorted: 213 274 547 1050 1429 | 1794 2008 2525 2831 5439 -> (1429 + 1794) / 2
    # = 1611.5 days = 4.4 years (the coordinator has no start date).
    assert card.latest["tenure"] == 4.4
    # Frontline staff here on 30 Nov: Support 6 + Billing 3 = 9; Ana, Ben, Hal praised in Q4.
    assert card.latest["recognition"] == 33.3
    # No ladder, no training, no obstacles, no NPS: not enough data, not 0 %.
    for key in ("promotions", "training", "certified", "outreach", "acknowledged", "nps"):
        assert card.latest[key] is None
    assert card.reading.cycle == "mediocrity"
    # Support (6 today): 2 leavers / 6 = 33.3 %; tenure (1050 + 2008) / 2 days = 4.2 years.
    # Billing (3) and Logistics (0) are under 5 people and Management (1) too: not shown.
    assert [(t.name, t.headcount, t.turnover, t.tenure) for t in card.teams] == [
        ("Support", 6, 33.3, 4.2)
    ]
    assert card.small_teams == 3


@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        (
            "en",
            [
                "Staff turnover 18.2 % and Recognition coverage 33.3 %: signs of the cycle of "
                "mediocrity.",
                "not enough data",
                "3 teams with fewer than 5 people",
            ],
        ),
        (
            "nl",
            [
                "Personeelsverloop 18,2 % en Bereik van waardering 33,3 %: tekenen van de "
                "cirkel van middelmatigheid.",
                "te weinig gegevens",
                "3 teams met minder dan 5 mensen",
            ],
        ),
        (
            "lt",
            [
                "Darbuotojų kaita 18,2 % ir Pripažinimo aprėptis 33,3 %: "
                "vidutiniškumo ciklo požymiai.",
                "nepakanka duomenų",
                "3 komandos, kuriose mažiau nei 5 žmonės",
            ],
        ),
    ],
)
def test_the_scorecard_reads_the_cycle_in_each_language(
    imported: Any, client: Any, language: str, phrases: list[str]
) -> None:
    client.set_cookie(COOKIE, language)
    page = client.get("/recognition/scorecards").get_data(as_text=True)
    for phrase in phrases:
        assert phrase in page, phrase
    assert "Support" in page and "Billing</th>" not in page


def test_team_of_three_gets_no_turnover_of_its_own_on_its_scorecard(
    imported: Any, client: Any, db: Session
) -> None:
    db.rollback()
    billing = db.scalar(select(Person.team_id).where(Person.email == "hal@example.com"))
    db.rollback()
    page = client.get(f"/recognition/scorecards/team/{billing}").get_data(as_text=True)
    assert "Staff turnover" not in page


def test_thresholds_form_refuses_bad_input_and_saves_good(
    imported: Any, client: Any, db: Session
) -> None:
    page = client.get("/recognition/scorecards/cycle")
    assert page.status_code == 200 and 'value="30"' in page.get_data(as_text=True)
    good = {
        f"{k}_{w}": str(getattr(b, w))
        for k, b in cycle_data.default_bounds().items()
        for w in ("failure", "success")
    }
    for bad, message in [
        ({"turnover_failure": "5"}, "success threshold must be below"),
        ({"csat_success": "150"}, "Between 0 and 100."),
        ({"nps_failure": "lots"}, "Not a valid float value."),
        ({"tenure_success": ""}, "This field is required."),
    ]:
        response = client.post("/recognition/scorecards/cycle", data={**good, **bad})
        assert response.status_code == 400, bad
        assert message in response.get_data(as_text=True), bad
    db.rollback()
    assert db.scalars(select(CycleThreshold)).all() == []
    db.rollback()
    response = client.post("/recognition/scorecards/cycle", data={**good, "turnover_failure": "15"})
    assert response.status_code == 302
    # Turnover 18.2 % is now past the failure line: one failure, one success, one mediocrity.
    page = client.get("/recognition/scorecards").get_data(as_text=True)
    assert "Staff turnover 18.2 %: signs of the cycle of failure." in page


def test_staff_cannot_change_thresholds(client: Any, login_as: Any) -> None:
    login_as("staff")
    assert client.get("/recognition/scorecards/cycle").status_code == 403


def test_export_and_reimport_keep_the_dates(imported: Any, client: Any, db: Session) -> None:
    exported = client.get("/org/export.csv").data.decode("utf-8-sig")
    assert exported.splitlines()[0] == "name,email,role,team,manager_email,start_date,end_date"
    assert "Dee,dee@example.com,staff,Support,lea@example.com,2025-02-01,2026-04-01" in exported
    again = upload(client, exported)
    assert again.status_code == 302
    assert "0 added, 0 updated" in client.get("/org/people").get_data(as_text=True)


def test_bad_dates_are_refused_with_their_line_and_nothing_is_written(
    imported: Any, client: Any, db: Session
) -> None:
    bad = PEOPLE.replace("2019-03-01,", "01/03/2019,").replace(
        "2026-03-01,", "2026-03-01,2026-02-01"
    )
    response = upload(client, bad + "New,new@example.com,staff,Support,,,\n")
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Line 3: start_date: “01/03/2019” is not a date; use YYYY-MM-DD" in body
    assert "Line 7: end_date must be after start_date" in body
    db.rollback()
    assert db.scalar(select(Person).where(Person.email == "new@example.com")) is None
    db.rollback()
