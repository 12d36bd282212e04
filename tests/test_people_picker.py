"""The person picker: the search endpoint (access per role, accents, limit, namesakes told
apart) and a converted form chosen with and without JavaScript (the server resolves text)."""

from __future__ import annotations

from typing import Any

from flask_login import login_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from planner.forms import PlannerForm
from planner.models import Nomination, Praise
from planner.people.fields import PersonField
from planner.people.folding import fold_text
from planner.people.search import LIMIT
from tests import factories


def _search(client: Any, q: str, pool: str = "people") -> Any:
    return client.get("/people/search", query_string={"pool": pool, "q": q})


def test_fold_text_ignores_case_and_accents() -> None:
    assert fold_text("Šarūnas Žemaitė") == "sarunas zemaite"
    assert fold_text("VAN DER Berg") == "van der berg"
    assert fold_text(None) == ""


def test_search_finds_lithuanian_and_dutch_names_whatever_the_accents(
    client: Any, db: Any, login_as: Any
) -> None:
    team = factories.team(db, "Vilnius desk")
    factories.person(db, name="Šarūnas Kazlauskas", email="sarunas@example.test", team=team)
    factories.person(db, name="Pieter van der Berg", email="pieter@example.test")
    factories.person(db, name="Anna Jansen", email="anna@example.test")
    db.commit()
    login_as("coordinator")
    for typed in ("sarunas", "ŠARŪNAS", "šarū", "kazlausk"):
        found = _search(client, typed).get_json()["results"]
        assert [r["name"] for r in found] == ["Šarūnas Kazlauskas"], typed
    assert [r["name"] for r in _search(client, "Van der berg").get_json()["results"]] == [
        "Pieter van der Berg"
    ]
    assert [r["name"] for r in _search(client, "jansen").get_json()["results"]] == ["Anna Jansen"]
    # every word must match somewhere: name, team or e-mail
    assert [r["name"] for r in _search(client, "vilnius sarunas").get_json()["results"]] == [
        "Šarūnas Kazlauskas"
    ]
    assert _search(client, "vilnius anna").get_json()["results"] == []
    # a LIKE wildcard typed by someone is a character, not "anything"
    assert _search(client, "%").get_json()["results"] == []


def test_two_people_with_the_same_name_are_told_apart_by_team_and_email(
    client: Any, db: Any, login_as: Any
) -> None:
    north, south = factories.team(db, "North"), factories.team(db, "South")
    factories.person(db, name="Jan Jansen", email="jan.north@example.test", team=north)
    factories.person(db, name="Jan Jansen", email="jan.south@example.test", team=south)
    db.commit()
    login_as("coordinator")
    found = _search(client, "jan jansen").get_json()["results"]
    assert {(r["team"], r["email"]) for r in found} == {
        ("North", "jan.north@example.test"),
        ("South", "jan.south@example.test"),
    }
    assert {r["label"] for r in found} == {
        "Jan Jansen · North · jan.north@example.test",
        "Jan Jansen · South · jan.south@example.test",
    }


def test_search_is_limited_and_says_there_are_more(client: Any, db: Any, login_as: Any) -> None:
    for n in range(LIMIT + 5):
        # own addresses: the factory's numbered ones would match "07" too (person1007@…)
        factories.person(db, name=f"Lina Petraitė {n:02d}", email=f"lina-{n:02d}@example.test")
    db.commit()
    login_as("staff")
    body = _search(client, "petraite").get_json()
    assert len(body["results"]) == LIMIT and body["more"] is True
    narrowed = _search(client, "petraite 07").get_json()
    assert [r["name"] for r in narrowed["results"]] == ["Lina Petraitė 07"]
    assert narrowed["more"] is False


def test_search_access_per_role_and_pool(client: Any, db: Any, login_as: Any) -> None:
    factories.person(db, name="Left Person", active=False)
    db.commit()
    assert _search(client, "person").status_code == 302  # anonymous: sign in first
    me = login_as("staff", name="Staff Searcher")
    assert _search(client, "person").status_code == 200
    assert _search(client, "x", pool="leaders").status_code == 403
    assert _search(client, "x", pool="nobody").status_code == 404
    names = [r["name"] for r in _search(client, "searcher").get_json()["results"]]
    assert names == ["Staff Searcher"]  # "people" includes me
    assert _search(client, "searcher", pool="colleagues").get_json()["results"] == []
    assert _search(client, "left person").get_json()["results"] == []  # left: not offered
    assert me is not None


def test_leaders_pool_offers_only_leaders(client: Any, db: Any, login_as: Any) -> None:
    factories.person(db, role="leader", name="Lea Leader")
    factories.person(db, role="staff", name="Lea Staff")
    db.commit()
    login_as("coordinator")
    found = _search(client, "lea", pool="leaders").get_json()["results"]
    assert [r["name"] for r in found] == ["Lea Leader"]


def _praise_form(**values: str) -> dict[str, str]:
    return {"received_on": "2026-11-02", "channel": "call", "quote": "Great help", **values}


def test_praise_form_without_javascript_resolves_typed_text(
    client: Any, db: Any, login_as: Any
) -> None:
    north, south = factories.team(db, "North"), factories.team(db, "South")
    unique = factories.person(db, name="Šarūnas Kazlauskas", team=north)
    a = factories.person(db, name="Jan Jansen", email="jan.north@example.test", team=north)
    factories.person(db, name="Jan Jansen", email="jan.south@example.test", team=south)
    db.commit()
    unique_id, a_id = unique.id, a.id
    login_as("leader")
    form = client.get("/recognition/praise/new").get_data(as_text=True)
    assert 'name="person-q"' in form and "<option" not in form.split('name="person-q"')[1][:300]
    # a unique match is taken as it is
    client.post("/recognition/praise/new", data=_praise_form(**{"person-q": "sarunas"}))
    # several matches: the form lists them (team and e-mail) and saves nothing
    page = client.post("/recognition/praise/new", data=_praise_form(**{"person-q": "jan jansen"}))
    text = page.get_data(as_text=True)
    assert "2 people match “jan jansen”: choose one below." in text
    assert "jan.north@example.test" in text and "jan.south@example.test" in text
    # choosing one of the listed matches saves it
    client.post(
        "/recognition/praise/new",
        data=_praise_form(**{"person-q": "jan jansen", "person-pick": str(a_id)}),
    )
    db.expire_all()
    assert sorted(p.person_id for p in db.scalars(select(Praise))) == sorted([unique_id, a_id])
    db.commit()
    nobody = client.post("/recognition/praise/new", data=_praise_form(**{"person-q": "zzz"}))
    assert "Nobody here matches “zzz”." in nobody.get_data(as_text=True)
    empty = client.post("/recognition/praise/new", data=_praise_form(**{"person-q": ""}))
    assert "Choose a person: type part of a name, team or e-mail." in empty.get_data(as_text=True)


def test_the_chosen_id_is_checked_on_the_server(client: Any, db: Any, login_as: Any) -> None:
    gone = factories.person(db, name="Former Colleague", active=False)
    here = factories.person(db, name="Current Colleague")
    db.commit()
    gone_id, here_id = gone.id, here.id
    me = login_as("staff")
    label = f"Current Colleague · {here.email}"
    ok = client.post(
        "/recognition/stars/nominate",
        data={"nominee": str(here_id), "nominee-q": label, "reason": "Always helps"},
    )
    assert ok.status_code == 302
    for bad in (str(gone_id), "999999", str(me.id)):  # left, unknown, myself (not offered)
        page = client.post(
            "/recognition/stars/nominate", data={"nominee": bad, "reason": "Always helps"}
        )
        assert "That person is unknown or no longer here." in page.get_data(as_text=True)
    db.expire_all()
    assert [n.nominee_id for n in db.scalars(select(Nomination))] == [here_id]


def test_a_stale_id_with_changed_text_searches_the_text(
    client: Any, db: Any, login_as: Any
) -> None:
    """Without JavaScript the hidden id keeps the person the page was drawn with: typing a
    different name in the box must choose that one, and emptying an optional box clears it."""
    old = factories.person(db, role="leader", name="Old Owner")
    new = factories.person(db, role="leader", name="New Owner")
    db.commit()
    login_as("coordinator")

    class OwnerForm(PlannerForm):
        class Meta:
            csrf = False

        owner = PersonField("Owner", pool="leaders", required=False)

    with client.application.test_request_context():
        login_user(new)
        typed = OwnerForm(MultiDict({"owner": str(old.id), "owner-q": "new owner"}))
        assert typed.validate() and typed.owner.data == new.id
        emptied = OwnerForm(MultiDict({"owner": str(old.id), "owner-q": ""}))
        assert emptied.validate() and emptied.owner.data is None
        kept = OwnerForm(MultiDict({"owner": str(old.id), "owner-q": "Old Owner · " + old.email}))
        assert kept.validate() and kept.owner.data == old.id
