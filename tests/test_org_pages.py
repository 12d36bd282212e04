"""Org pages through the client: who sees and edits what, people, teams, absences, invites,
settings."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.models import Absence, AuditEntry, Person, Team
from tests import factories

READ_ONLY_PAGES = ["/org/people", "/org/chart", "/org/people/{person}", "/org/teams/{team}"]
EDIT_PAGES = ["/org/settings", "/org/import", "/org/export.csv", "/org/people/new"]


@pytest.fixture
def chart(db: Session) -> dict[str, Any]:
    """Leader -> team lead -> two staff in a frontline team."""
    factories.organisation(db)
    team = factories.team(db, "Billing")
    leader = factories.person(db, role="leader", name="Lea Leader", email="lea@example.com")
    lead = factories.person(
        db, role="leader", name="Tom Lead", email="tom@example.com", team=team, manager=leader
    )
    staff = [
        factories.person(db, name=f"Zoë {i}", email=f"zoe{i}@example.com", team=team, manager=lead)
        for i in range(2)
    ]
    db.commit()
    ids = {"team": team.id, "leader": leader.id, "lead": lead.id, "staff": staff[0].id}
    db.rollback()
    return ids


def url(template: str, chart: dict[str, Any]) -> str:
    return template.format(person=chart["staff"], team=chart["team"])


def fresh(db: Session, model: Any, id_: int) -> Any:
    """Reload a row and end the read, so the app can write next (SQLite locks)."""
    db.rollback()
    db.expire_all()
    found = db.get(model, id_)
    db.expunge_all()
    db.rollback()
    return found


def test_staff_get_403_on_every_org_page(client: Any, login_as: Any, chart: Any) -> None:
    login_as("staff")
    for page in READ_ONLY_PAGES + EDIT_PAGES:
        assert client.get(url(page, chart)).status_code == 403, page
    response = client.post(f"/org/people/{chart['staff']}/edit", data={"name": "X"})
    assert response.status_code == 403
    assert "Organisation" not in client.get("/home").get_data(as_text=True)


def test_leaders_browse_read_only(client: Any, db: Session, login_as: Any, chart: Any) -> None:
    login_as("leader")
    for page in READ_ONLY_PAGES:
        body = client.get(url(page, chart)).get_data(as_text=True)
        assert "Save" not in body and "Create invite link" not in body, page
    for page in EDIT_PAGES:
        assert client.get(url(page, chart)).status_code == 403, page
    person = f"/org/people/{chart['staff']}"
    for action, data in [
        ("/edit", {"name": "Hacked", "email": "zoe0@example.com", "role": "admin"}),
        ("/invite", {}),
        ("/absences", {"absence-first_day": "2026-12-01", "absence-last_day": "2026-12-02"}),
    ]:
        assert client.post(person + action, data=data).status_code == 403
    assert client.post(f"/org/teams/{chart['team']}/edit", data={"name": "X"}).status_code == 403
    assert fresh(db, Person, chart["staff"]).name == "Zoë 0"


def test_chart_shows_teams_skip_level_and_reporting_lines(
    client: Any, login_as: Any, chart: Any
) -> None:
    login_as("leader")
    body = client.get("/org/chart").get_data(as_text=True)
    billing_row = body.split("Billing</a>")[1].split("</tr>")[0]
    assert "Lea Leader" in billing_row  # staff -> Tom -> Lea
    why = "manager&#39;s manager of 2 of the team&#39;s 2 frontline staff"
    assert why in billing_row and "team leads attend, but add no second leader" in billing_row
    team_page = client.get(f"/org/teams/{chart['team']}").get_data(as_text=True)
    assert why in team_page.split("Skip-level leader")[1].split("</dd>")[0]
    tree = body.split('id="reporting"')[1]
    assert tree.index("Lea Leader") < tree.index("Tom Lead")
    # The reason is worded in the reader's language, with Lithuanian's plural forms.
    client.set_cookie("planner_language", "lt")
    body = client.get("/org/chart").get_data(as_text=True)
    billing_row = body.split("Billing</a>")[1].split("</tr>")[0]
    assert "2 iš 2 komandos klientų aptarnavimo darbuotojų vadovo vadovas" in billing_row
    assert "komandų vadovai dalyvauja, bet antru vadovu netampa" in billing_row
    client.set_cookie("planner_language", "en")
    assert "2 other direct reports" in tree
    person = client.get(f"/org/people/{chart['staff']}").get_data(as_text=True)
    assert "Lea Leader" in person.split("Skip-level leader")[1].split("</dd>")[0]
    # The team lead (a member of Billing) has the team's skip-level leader, not a second one.
    lead = client.get(f"/org/people/{chart['lead']}").get_data(as_text=True)
    shown = lead.split("Skip-level leader")[1].split("</dd>")[0]
    assert "Lea Leader" in shown and "manager&#39;s manager of 2 of the team" in shown


def test_people_list_filters_and_paginates(client: Any, db: Session, login_as: Any) -> None:
    team = factories.team(db, "Chat")
    for i in range(120):
        factories.person(db, name=f"Chatter {i:03}", team=team if i % 2 else None)
    db.commit()
    team_id = team.id
    db.rollback()
    login_as("coordinator")
    body = client.get(f"/org/people?team={team_id}").get_data(as_text=True)
    assert "60 people found, page 1 of 2" in body
    assert body.count("<tr>") == 51
    page_2 = client.get(f"/org/people?team={team_id}&page=2").get_data(as_text=True)
    assert "Chatter 119" in page_2 and "Chatter 001" not in page_2
    assert 'rel="prev"' in page_2 and f"team={team_id}" in page_2.split('rel="prev"')[1][:80]
    search = client.get("/org/people?q=chatter 10&role=staff").get_data(as_text=True)
    assert "10 people found" in search  # Chatter 100 to 109
    assert client.get("/org/people?q=%25&page=999&team=bogus").status_code == 200
    assert "1 person found" in client.get("/org/people?team=none&role=coordinator").get_data(
        as_text=True
    )


def test_edit_person_role_change_ends_sessions_and_is_audited(
    app: Any, client: Any, db: Session, login_as: Any, chart: Any
) -> None:
    victim = fresh(db, Person, chart["staff"])
    victim_client = app.test_client()
    victim_db = db.get(Person, chart["staff"])
    assert victim_db is not None
    victim_db.password_hash = factories._password_hash()
    db.commit()
    db.rollback()
    assert (
        victim_client.post(
            "/sign-in", data={"email": victim.email, "password": factories.PASSWORD}
        ).status_code
        == 302
    )
    assert victim_client.get("/home").status_code == 200
    login_as("coordinator")
    response = client.post(
        f"/org/people/{chart['staff']}/edit",
        data={"name": "Zoë Nul", "email": "ZOE0@example.com", "role": "leader",
              "team_id": str(chart["team"]), "manager_email": "lea@example.com", "active": "y"},
    )  # fmt: skip
    assert response.status_code == 302, response.headers
    person = fresh(db, Person, chart["staff"])
    assert (person.name, person.role, person.manager_id) == ("Zoë Nul", "leader", chart["leader"])
    assert victim_client.get("/home").status_code == 302  # signed out
    db.rollback()
    audit = db.scalar(select(AuditEntry).where(AuditEntry.action == "role_change"))
    assert audit is not None and audit.detail == "staff -> leader"
    db.rollback()


def test_manager_cycle_is_refused_with_a_clear_message(
    client: Any, db: Session, login_as: Any, chart: Any
) -> None:
    login_as("coordinator")
    response = client.post(
        f"/org/people/{chart['leader']}/edit",
        data={"name": "Lea Leader", "email": "lea@example.com", "role": "leader",
              "team_id": "", "manager_email": "zoe0@example.com", "active": "y"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "would make a reporting loop" in response.get_data(as_text=True)
    assert fresh(db, Person, chart["leader"]).manager_id is None


def test_deactivation_and_admin_rules(client: Any, db: Session, login_as: Any, chart: Any) -> None:
    me = login_as("coordinator")
    admin = factories.person(db, role="admin", email="root@example.com")
    db.commit()
    admin_id = admin.id
    db.rollback()
    own = {"name": me.name, "email": me.email, "role": "admin", "team_id": "", "active": "y"}
    response = client.post(f"/org/people/{me.id}/edit", data=own)
    assert "You cannot change your own role" in response.get_data(as_text=True)
    demote = {"name": "Root", "email": "root@example.com", "role": "staff", "team_id": ""}
    response = client.post(f"/org/people/{admin_id}/edit", data=demote)
    assert "Only an administrator can change an administrator" in response.get_data(as_text=True)
    deactivate = {"name": "Zoë 0", "email": "zoe0@example.com", "role": "staff",
                  "team_id": str(chart["team"]), "manager_email": "tom@example.com"}  # fmt: skip
    assert client.post(f"/org/people/{chart['staff']}/edit", data=deactivate).status_code == 302
    assert fresh(db, Person, chart["staff"]).active is False


def test_edit_conflicts_are_reported(client: Any, db: Session, login_as: Any, chart: Any) -> None:
    login_as("admin")
    data = {"name": "Zoë 0", "email": "zoe1@example.com", "role": "staff", "team_id": "",
            "active": "y"}  # fmt: skip
    response = client.post(f"/org/people/{chart['staff']}/edit", data=data)
    assert "zoe1@example.com already belongs to Zoë 1" in response.get_data(as_text=True)
    stale = {**data, "email": "zoe0@example.com", "loaded_at": "2000-01-01T00:00:00+00:00"}
    response = client.post(f"/org/people/{chart['staff']}/edit", data=stale)
    assert "changed by someone else meanwhile" in response.get_data(as_text=True)
    nobody = {**data, "email": "zoe0@example.com", "manager_email": "ghost@example.com"}
    response = client.post(f"/org/people/{chart['staff']}/edit", data=nobody)
    assert "Nobody has the e-mail address ghost@example.com" in response.get_data(as_text=True)
    assert client.post("/org/people/999999/edit", data=data).status_code == 404


def test_add_person_by_hand(client: Any, db: Session, login_as: Any, chart: Any) -> None:
    login_as("coordinator")
    response = client.post(
        "/org/people/new",
        data={"name": "Gintarė Butkutė", "email": "gintare@example.lt", "role": "staff",
              "team_id": str(chart["team"]), "manager_email": "tom@example.com", "active": "y"},
    )  # fmt: skip
    assert response.status_code == 302
    assert "Gintarė Butkutė was added." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_team_override_and_frontline_flag(
    client: Any, db: Session, login_as: Any, chart: Any
) -> None:
    login_as("coordinator")
    other = factories.person(db, role="leader", name="Olga Override", email="olga@example.com")
    db.commit()
    db.rollback()
    response = client.post(
        f"/org/teams/{chart['team']}/edit",
        data={"name": "Billing", "frontline": "y", "skip_level_email": "OLGA@example.com"},
    )
    assert response.status_code == 302
    page = client.get(f"/org/teams/{chart['team']}").get_data(as_text=True)
    assert "Olga Override" in page and "set by a coordinator" in page
    assert other.name in client.get("/org/chart").get_data(as_text=True)
    response = client.post(
        f"/org/teams/{chart['team']}/edit",
        data={"name": "Billing", "skip_level_email": "nobody@example.com"},
    )
    assert response.status_code == 422
    assert "No active person has the e-mail address" in response.get_data(as_text=True)
    client.post(f"/org/teams/{chart['team']}/edit", data={"name": "Billing back office"})
    team = fresh(db, Team, chart["team"])
    assert (team.name, team.frontline, team.skip_level_override_id) == (
        "Billing back office", False, None
    )  # fmt: skip
    assert "not frontline" in client.get("/org/chart").get_data(as_text=True)


def test_new_team_and_duplicate_name(client: Any, login_as: Any, chart: Any) -> None:
    login_as("coordinator")
    response = client.post("/org/teams", data={"name": "Social Media", "frontline": "y"})
    assert response.status_code == 302 and "/org/teams/" in response.headers["Location"]
    response = client.post("/org/teams", data={"name": "billing"}, follow_redirects=True)
    assert "There is already a team called Billing" in response.get_data(as_text=True)


def test_absences_add_and_remove(client: Any, db: Session, login_as: Any, chart: Any) -> None:
    login_as("coordinator")
    person = f"/org/people/{chart['staff']}"
    bad = {"absence-first_day": "2026-12-10", "absence-last_day": "2026-12-01"}
    response = client.post(person + "/absences", data=bad)
    assert response.status_code == 422
    assert "The last day is before the first day." in response.get_data(as_text=True)
    good = {**bad, "absence-last_day": "2026-12-18", "absence-note": "Parental leave"}
    assert client.post(person + "/absences", data=good).status_code == 302
    assert "10 Dec 2026 to 18 Dec 2026 — Parental leave" in client.get(person).get_data(
        as_text=True
    )
    db.rollback()
    absence = db.scalar(select(Absence))
    assert absence is not None and absence.first_day == date(2026, 12, 10)
    absence_id = absence.id
    db.rollback()
    other = f"/org/people/{chart['lead']}/absences/{absence_id}/remove"
    assert client.post(other).status_code == 404  # not this person's absence
    assert client.post(f"{person}/absences/{absence_id}/remove").status_code == 302
    db.rollback()
    assert db.scalar(select(Absence)) is None
    db.rollback()


def test_invite_link_is_shown_to_the_coordinator_and_works(
    app: Any, client: Any, login_as: Any, chart: Any
) -> None:
    login_as("coordinator")
    response = client.post(f"/org/people/{chart['staff']}/invite")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "Invite link for Zoë 0" in body
    link = body.split('id="invite-link" type="text" readonly value="')[1].split('"')[0]
    assert "/invite/inv_" in link
    path = link[link.index("/invite/") :]
    newcomer = app.test_client()
    assert newcomer.get(path).status_code == 200
    response = newcomer.post(
        path, data={"password": "a long new passphrase", "confirm": "a long new passphrase"}
    )
    assert response.status_code == 302
    assert client.post("/org/people/999999/invite").status_code == 404


def test_settings_are_validated_and_show_coming_holidays(
    client: Any, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    coordinator = factories.person(db, role="coordinator", password=factories.PASSWORD)
    coordinator.language = "en"  # stays English after the organisation switches to lt-LT
    db.commit()
    login_as(person=coordinator)
    page = client.get("/org/settings").get_data(as_text=True)
    assert "Coming public holidays" in page and "Christmas Day" in page
    base = {"name": "Acme", "time_zone": "Europe/Vilnius", "country": "LT", "locale": "lt-LT",
            "working_days": ["0", "1", "2", "3", "4"]}  # fmt: skip
    response = client.post("/org/settings", data={**base, "subdivision": "XX"})
    assert response.status_code == 422
    assert "“XX” is not a subdivision of LT" in response.get_data(as_text=True)
    response = client.post("/org/settings", data={**base, "time_zone": "Europe/Atlantis"})
    assert response.status_code == 422
    response = client.post("/org/settings", data={**base, "working_days": []})
    assert "Choose at least one working day." in response.get_data(as_text=True)
    response = client.post("/org/settings", data={**base, "locale": "lithuanian please"})
    assert "is not a locale" in response.get_data(as_text=True)
    assert client.post("/org/settings", data=base).status_code == 302
    page = client.get("/org/settings").get_data(as_text=True)
    assert '<option selected value="Europe/Vilnius">' in page
    assert "LT, the next twelve months" in page and "Christmas Day" in page
