"""People and teams over the API: the upsert follows the CSV import's rules exactly (same result
as importing the same rows as a file; all or nothing; every problem with its index), reads page
with links and ETags, and errors are problem details."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.db import Base, make_engine
from planner.models import Person
from planner.org.people_csv import write_people
from planner.org.people_io import export_people, import_people
from tests import factories
from tests.api_helpers import bearer, call, token_for

ROWS = [
    ("Ada Lovelace", "ada@acme.test", "leader", "", ""),
    ("Grace Hopper", "Grace@Acme.test", "Leader", "Billing", "ada@acme.test"),
    ("=SUM(A1)", "formula@acme.test", "staff", "Billing", "grace@acme.test"),
    ("Line Break", "tab@acme.test", "staff", "Billing ", "grace@acme.test"),
    ("Ünïcødé Name", "uni@acme.test", "staff", "Support; EU", "grace@acme.test"),
]


def _body(rows: list[tuple[str, str, str, str, str]]) -> dict[str, Any]:
    keys = ("name", "email", "role", "team", "manager_email")
    return {"people": [dict(zip(keys, row, strict=True)) for row in rows]}


def test_upsert_round_trip_equals_the_csv_import(client: Any, db: Session) -> None:
    token = token_for(db, ("people:write",))
    response = call(client, "POST", "/api/v1/people/upsert", token, _body(ROWS))
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {
        "created": 5,
        "updated": 0,
        "unchanged": 0,
        "teams_created": ["Billing", "Support; EU"],
    }
    db.expire_all()
    through_api = [line for line in export_people(db).splitlines() if ",coordinator," not in line]
    db.rollback()

    # The same rows as a CSV file, imported by the CSV import into a second, empty database.
    engine = make_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as other:
        import_people(other, write_people(ROWS).encode(), actor=None)
        other.flush()
        via_csv = export_people(other).splitlines()
    engine.dispose()
    assert through_api == via_csv
    assert any(line.startswith("'=SUM(A1)") for line in via_csv)  # the formula guard, both ways

    again = call(client, "POST", "/api/v1/people/upsert", token, _body(ROWS))
    assert again.get_json()["unchanged"] == 5


def test_a_bad_batch_writes_nothing_and_lists_every_problem_with_its_index(
    client: Any, db: Session
) -> None:
    token = token_for(db, ("people:write",))
    before = db.scalar(select(func.count()).select_from(Person))
    db.rollback()
    rows = [
        ("Ok Person", "ok@acme.test", "staff", "", ""),
        ("No Role", "norole@acme.test", "boss", "", ""),
        ("", "not-an-email", "staff", "", ""),
        ("Loop A", "a@acme.test", "staff", "", "b@acme.test"),
        ("Loop B", "b@acme.test", "staff", "", "a@acme.test"),
        ("Multi\nLine", "multi@acme.test", "staff", "", ""),
        ("Unknown Manager", "um@acme.test", "staff", "", "ghost@acme.test"),
    ]
    response = call(client, "POST", "/api/v1/people/upsert", token, _body(rows))
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    problems = response.get_json()["errors"]
    indexes = {p["index"] for p in problems}
    assert {1, 2, 3, 5, 6} <= indexes and 0 not in indexes
    assert any("role" in p["message"] for p in problems if p["index"] == 1)
    assert any("manager cycle" in p["message"] for p in problems)
    assert any("ghost@acme.test" in p["message"] for p in problems if p["index"] == 6)
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Person)) == before
    db.rollback()


def test_a_coordinator_token_cannot_grant_admin(client: Any, db: Session) -> None:
    token = token_for(db, ("people:write",))
    rows = [("New Admin", "boss@acme.test", "admin", "", "")]
    response = call(client, "POST", "/api/v1/people/upsert", token, _body(rows))
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["index"] == 0


def test_people_pages_with_links_and_etags(client: Any, db: Session) -> None:
    token = token_for(db, ("people:read",))
    team = factories.team(db, "Night shift")
    for n in range(5):
        factories.person(db, name=f"Night {n}", team=team)
    db.commit()
    first = call(client, "GET", "/api/v1/people?limit=2&team=night%20shift", token)
    body = first.get_json()
    assert first.status_code == 200 and body["total"] == 5 and len(body["items"]) == 2
    assert body["links"]["prev"] is None and "page=2" in body["links"]["next"]
    assert 'rel="next"' in first.headers["Link"]
    last = client.get(body["links"]["next"].replace("page=2", "page=3"), headers=bearer(token))
    assert last.get_json()["links"]["next"] is None and len(last.get_json()["items"]) == 1
    etag = first.headers["ETag"]
    cached = client.get(
        "/api/v1/people?limit=2&team=night%20shift",
        headers={**bearer(token), "If-None-Match": etag},
    )
    assert cached.status_code == 304 and cached.data == b""
    factories.person(db, name="Night 0a", team=team)
    db.commit()
    changed = client.get(
        "/api/v1/people?limit=2&team=night%20shift",
        headers={**bearer(token), "If-None-Match": etag},
    )
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_teams_list_counts_active_members(client: Any, db: Session) -> None:
    token = token_for(db, ("people:read",))
    team = factories.team(db, "Phones")
    factories.person(db, team=team)
    factories.person(db, team=team, active=False)
    db.commit()
    items = call(client, "GET", "/api/v1/teams", token).get_json()["items"]
    phones = next(t for t in items if t["name"] == "Phones")
    assert (phones["name"], phones["members"]) == ("Phones", 1)


def test_bad_requests_answer_problem_details_never_html(client: Any, db: Session) -> None:
    token = token_for(db, ("people:write",))
    cases = [
        client.get("/api/v1/nowhere", headers=bearer(token)),
        client.get("/api/", headers=bearer(token)),
        client.delete("/api/v1/people", headers=bearer(token)),
        client.post(
            "/api/v1/people/upsert",
            data=b"{not json",
            content_type="application/json",
            headers=bearer(token),
        ),
        client.post("/api/v1/people/upsert", data=b"name=x", headers=bearer(token)),
        client.post(
            "/api/v1/people/upsert", json={"people": [], "extra": 1}, headers=bearer(token)
        ),
        client.get("/api/v1/people?page=0", headers=bearer(token)),
        client.get("/api/v1/people?limit=abc", headers=bearer(token)),
    ]
    assert [c.status_code for c in cases] == [404, 404, 405, 400, 415, 422, 422, 422]
    for response in cases:
        assert response.mimetype == "application/problem+json"
        problem = response.get_json()
        assert problem["status"] == response.status_code and problem["title"] and problem["detail"]
    assert "GET" in cases[2].headers["Allow"]
