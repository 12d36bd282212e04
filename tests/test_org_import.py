"""CSV import and export through the page and the CLI: all or nothing, re-import, no 500s."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from planner.models import AuditEntry, Person, Team
from tests import factories

HEADER = "name,email,role,team,manager_email\n"


def org_csv(count: int, *, delimiter: str = ",") -> str:
    """A realistic file: leaders, team leads and staff, managers referenced later in the file."""
    lines = []
    for i in range(count):
        if i % 50 == 0:
            role, team, manager = "leader", "Leadership", ""
        elif i % 10 == 0:
            role, team, manager = "leader", f"Team {i // 10}", f"p{(i // 50) * 50}@example.com"
        else:
            role, team, manager = "staff", f"Team {i // 10}", f"p{(i // 10) * 10}@example.com"
        lines.append(delimiter.join([f"Person {i}", f"p{i}@example.com", role, team, manager]))
    # Staff first, so most managers appear later in the file than their reports.
    lines.sort(key=lambda line: "leader" in line)
    return HEADER.replace(",", delimiter) + "\n".join(lines) + "\n"


def upload(client: Any, text: str | bytes, name: str = "people.csv") -> Any:
    """Post a file to the import page, as a browser does."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    # Encoded in memory: the test client's own encoder leaks a temp file for large bodies.
    boundary, body = encode_multipart(MultiDict({"file": FileStorage(io.BytesIO(data), name)}))
    return client.post(
        "/org/import", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def count_people(db: Session) -> int:
    """How many people are stored; ends the read so the app can write (SQLite locks)."""
    db.rollback()
    count = db.scalar(select(func.count()).select_from(Person)) or 0
    db.rollback()
    return count


def test_coordinator_imports_500_people_and_browses_the_chart(
    client: Any, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    login_as("coordinator")
    response = upload(client, org_csv(500))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Imported: 500 added, 0 updated, 0 unchanged." in page
    assert count_people(db) == 501
    chart = client.get("/org/chart").get_data(as_text=True)
    assert "Team 1" in chart and "Leadership" in chart
    # Staff -> team lead -> leader: Team 1's skip-level leader is the leader above its lead.
    team_1 = db.scalar(select(Team).where(Team.name == "Team 1"))
    assert team_1 is not None and team_1.frontline
    db.rollback()
    team_page = client.get(f"/org/teams/{team_1.id}").get_data(as_text=True)
    assert "Person 0" in team_page.split("Skip-level leader")[1].split("</dd>")[0]
    leadership = db.scalar(select(Team).where(Team.name == "Leadership"))
    assert leadership is not None and not leadership.frontline  # mostly leaders
    db.rollback()
    people = client.get("/org/people").get_data(as_text=True)
    assert "501 people found, page 1 of 11" in people
    assert people.count("<tr>") == 51  # a header and 50 rows, not 501


def test_reimport_updates_by_email_and_never_duplicates(
    client: Any, db: Session, login_as: Any
) -> None:
    login_as("coordinator")
    assert upload(client, org_csv(60)).status_code == 302
    changed = org_csv(60).replace("Person 7,p7@example.com", "Person Seven,P7@Example.com")
    changed = changed.replace("p12@example.com,staff,Team 1,", "p12@example.com,leader,Team 1,")
    response = upload(client, changed)
    assert response.status_code == 302
    assert "0 added, 2 updated, 58 unchanged" in client.get("/org/people").get_data(as_text=True)
    assert count_people(db) == 61
    seven = db.scalar(select(Person).where(Person.email == "p7@example.com"))
    assert seven is not None and seven.name == "Person Seven"
    audit = db.scalar(select(AuditEntry).where(AuditEntry.action == "role_change"))
    assert audit is not None and "staff -> leader" in audit.detail


def test_semicolon_and_bom_files_import(client: Any, db: Session, login_as: Any) -> None:
    login_as("coordinator")
    text = "\ufeff" + org_csv(20, delimiter=";")
    assert upload(client, text.encode("utf-8")).status_code == 302
    assert count_people(db) == 21


DEFECTIVE = {
    "missing name": HEADER + ",a@example.com,staff,,\n",
    "bad e-mail": HEADER + "A,a@,staff,,\n",
    "unknown role": HEADER + "A,a@example.com,manager,,\n",
    "duplicate e-mail": HEADER + "A,a@example.com,staff,,\nB,a@example.com,staff,,\n",
    "manager not found": HEADER + "A,a@example.com,staff,,x@example.com\n",
    "manager cycle": HEADER
    + "A,a@example.com,staff,,b@example.com\nB,b@example.com,staff,,a@example.com\n",
    "wrong columns": "name,email,team\nA,a@example.com,T\n",
    "missing columns": "name,email\n",
    "not utf-8": (HEADER + "Jos\xe9,j@example.com,staff,,\n").encode("cp1252"),
    "empty": b"",
    "binary": b"\x00\x01\x02PK\x03\x04",
    "oversize": HEADER + "A,a@example.com,staff,,\n" * 100_000,
}


@pytest.mark.parametrize("defect", sorted(DEFECTIVE))
def test_a_defective_file_writes_nothing_and_says_why(
    client: Any, db: Session, login_as: Any, defect: str
) -> None:
    login_as("coordinator")
    before = count_people(db)
    good_rows = org_csv(5).split("\n", 1)[1]
    text = DEFECTIVE[defect]
    if isinstance(text, str) and text.startswith(HEADER) and defect != "oversize":
        text = HEADER + good_rows + text.removeprefix(HEADER)  # good rows first: still nothing
    response = upload(client, text)
    body = response.get_data(as_text=True)
    assert response.status_code == 422, body[:400]
    assert "Nothing was imported" in body
    assert count_people(db) == before
    assert db.scalar(select(func.count()).select_from(Team)) == 0
    db.rollback()


def test_import_needs_a_file(client: Any, login_as: Any) -> None:
    login_as("coordinator")
    response = client.post("/org/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose a CSV file to import." in response.get_data(as_text=True)


def test_coordinator_cannot_grant_admin_by_import(client: Any, db: Session, login_as: Any) -> None:
    me = login_as("coordinator")
    response = upload(client, HEADER + f"Me,{me.email},admin,,\n")
    assert response.status_code == 422
    assert "only an administrator can give the admin role" in response.get_data(as_text=True)
    db.refresh(me)
    assert me.role == "coordinator"
    db.rollback()


def test_export_neutralises_formulas_and_round_trips(
    client: Any, db: Session, login_as: Any
) -> None:
    login_as("admin")
    factories.person(db, name="=HYPERLINK(evil)", email="eve@example.com")
    db.commit()
    response = client.get("/org/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.data.decode("utf-8-sig")
    assert text.startswith(HEADER.strip())
    assert "'=HYPERLINK(evil),eve@example.com,staff,," in text
    again = upload(client, response.data)
    assert again.status_code == 302
    assert "0 added, 0 updated, 2 unchanged" in client.get("/org/people").get_data(as_text=True)


def test_cli_import_export_and_errors(runner: Any, db: Session, tmp_path: Path) -> None:
    good = tmp_path / "people.csv"
    good.write_text(org_csv(30, delimiter=";"), encoding="utf-8-sig")
    result = runner.invoke(args=["import-people", str(good)])
    assert result.exit_code == 0, result.output
    assert "Imported: 30 added" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "A,a@example.com,chief,,\n,b@example.com,staff,,\n", encoding="utf-8")
    result = runner.invoke(args=["import-people", str(bad)])
    assert result.exit_code == 1
    assert "Line 2: role is “chief”" in result.output and "Line 3: name is missing" in result.output
    assert count_people(db) == 30
    out = tmp_path / "out.csv"
    result = runner.invoke(args=["export-people", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").count("@example.com") >= 30
    result = runner.invoke(args=["export-people"])
    assert result.output.startswith("name,email,role,team,manager_email")


def test_cli_org_settings_are_validated(runner: Any, db: Session) -> None:
    result = runner.invoke(
        args=["org", "--name", "Acme", "--time-zone", "Europe/Vilnius", "--country", "LT"]
    )
    assert result.exit_code == 0, result.output
    assert "Acme: time zone Europe/Vilnius, country LT" in result.output
    bad_zone = runner.invoke(args=["org", "--time-zone", "Mars/Olympus"])
    assert bad_zone.exit_code == 1 and "is not an IANA time zone" in bad_zone.output
    bad_country = runner.invoke(args=["org", "--country", "XX"])
    assert bad_country.exit_code == 1 and "“XX” is not a country" in bad_country.output
    bad_region = runner.invoke(args=["org", "--country", "DE", "--subdivision", "ZZ"])
    assert bad_region.exit_code == 1 and "known: BB, BE, BW, BY" in bad_region.output
    region = runner.invoke(args=["org", "--country", "de", "--subdivision", "by"])
    assert region.exit_code == 0 and "country DE (BY)" in region.output
    days = runner.invoke(args=["org", "--working-days", "mon,tue,sat"])
    assert "working days Monday, Tuesday, Saturday" in days.output


def test_deep_chain_and_large_file_link_every_manager(session: Session) -> None:
    from planner.org.people_io import MAX_LEVELS, import_people

    outsider = factories.person(session, email="outsider@example.com")
    depth = MAX_LEVELS + 10  # deeper than the level-by-level insert: the rest is linked later
    rows = [
        f"P{i},p{i}@example.com,staff,,{f'p{i - 1}@example.com' if i else ''}" for i in range(depth)
    ]
    rows += [f"S{i},s{i}@example.com,staff,Big,p{i % depth}@example.com" for i in range(600)]
    result = import_people(session, (HEADER + "\n".join(reversed(rows))).encode(), actor=None)
    assert (result.created, result.updated, result.unchanged) == (depth + 600, 0, 0)
    managers = dict(session.execute(select(Person.email, Person.manager_id)).all())
    ids = dict(session.execute(select(Person.email, Person.id)).all())
    assert all(
        managers[f"p{i}@example.com"] == ids[f"p{i - 1}@example.com"] for i in range(1, depth)
    )
    assert managers["s7@example.com"] == ids["p7@example.com"]
    # A large re-import (all people loaded at once) counts only the people in the file.
    again = import_people(session, (HEADER + "\n".join(rows)).encode(), actor=None)
    assert (again.created, again.updated, again.unchanged) == (0, 0, depth + 600)
    assert session.get(Person, outsider.id) is not None


def test_role_change_by_import_ends_sessions(session: Session) -> None:
    from planner.org.people_io import import_people

    person = factories.person(session, email="lea@example.com", role="staff")
    version = person.session_version
    import_people(session, (HEADER + "Lea,LEA@example.com,leader,,\n").encode(), actor=None)
    session.refresh(person)
    assert person.role == "leader" and person.session_version == version + 1
    audit = session.scalar(select(AuditEntry).where(AuditEntry.subject == f"person:{person.id}"))
    assert audit is not None and audit.detail == "staff -> leader (import)"
