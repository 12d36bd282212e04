"""Org operations without Flask: settings validation, admin rule, skip-level derivation, tree."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from planner.errors import InvalidInput, NotAllowed
from planner.org import operations, queries
from planner.org.chart import (
    derive_skip_leaders,
    derive_team_skip_leaders,
    skip_leaders_by_team,
    skip_level_pairs,
)
from planner.org.settings import Settings, validate_settings
from tests import factories

GOOD = Settings(name="Acme", time_zone="Europe/Amsterdam", country="NL")


def test_settings_are_normalised() -> None:
    clean = validate_settings(Settings(" Acme ", "America/New_York", "us", "ca", "en-US", "4310"))
    assert clean == Settings("Acme", "America/New_York", "US", "CA", "en-US", "0134")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": " "}, "needs a name"),
        ({"time_zone": "CET+1"}, "not an IANA time zone"),
        ({"time_zone": "europe/amsterdam"}, "not an IANA time zone"),
        ({"country": "NLD"}, "not a country"),
        ({"subdivision": "BY"}, "not a subdivision of NL"),
        ({"country": "", "subdivision": "BY"}, "not a subdivision"),
        ({"locale": "english"}, "not a locale"),
        ({"working_days": ""}, "at least one working day"),
        ({"working_days": "07"}, "at least one working day"),
    ],
)
def test_bad_settings_are_refused(change: dict[str, str], message: str) -> None:
    values = {**GOOD.__dict__, **change}
    with pytest.raises(InvalidInput, match=message):
        validate_settings(Settings(**values))


@pytest.mark.parametrize(
    ("actor", "old", "new", "allowed"),
    [
        ("coordinator", None, "staff", True),
        ("coordinator", "staff", "leader", True),
        ("coordinator", None, "admin", False),
        ("coordinator", "staff", "admin", False),
        ("coordinator", "admin", "staff", False),
        ("coordinator", "admin", "admin", True),
        ("admin", "admin", "staff", True),
        ("admin", None, "admin", True),
    ],
)
def test_only_admins_grant_or_remove_admin(
    actor: str, old: str | None, new: str, allowed: bool
) -> None:
    assert (operations.check_admin_rule(actor, old, new) is None) is allowed


def test_bulk_skip_level_derivation_matches_the_object_one(session: Session) -> None:
    frontline, back_office = factories.team(session), factories.team(session, frontline=False)
    head = factories.person(session, role="leader")
    lead = factories.person(session, role="leader", team=frontline, manager=head)
    for _ in range(3):
        factories.person(session, team=frontline, manager=lead)
    factories.person(session, team=back_office, manager=lead)
    gone = factories.person(session, role="leader", active=False)
    lead_2 = factories.person(session, role="leader", manager=gone)
    factories.person(session, team=frontline, manager=lead_2)  # skip-level inactive: no pair
    pairs = {(leader.id, team.id) for leader, team in skip_level_pairs(session)}
    bulk = {
        (leader, team)
        for team, leaders in skip_leaders_by_team(session).items()
        for leader in leaders
    }
    assert pairs == bulk == {(head.id, frontline.id)}
    override = factories.person(session, role="leader")
    frontline.skip_level_override_id = override.id
    session.flush()
    session.expire_all()
    assert skip_leaders_by_team(session) == {frontline.id: {override.id}}
    assert {(p.id, t.id) for p, t in skip_level_pairs(session)} == {(override.id, frontline.id)}


def test_team_leads_inside_their_team_add_no_second_leader_and_the_chief_stays_out() -> None:
    # chief 1 -> senior 2 -> lead 3 (member of team 10) -> staff 4, 5, 6; staff 7 reports to the
    # senior directly (a minority); team 11's lead reports to the chief himself.
    rows = [(1, None, None, True), (2, None, 1, True), (3, 10, 2, True), (4, 10, 3, True),
            (5, 10, 3, True), (6, 10, 3, True), (7, 10, 2, True), (8, 11, 1, True),
            (9, 11, 8, True)]  # fmt: skip
    found = derive_team_skip_leaders(rows, {10, 11}, {})
    assert {team: s.leader_id for team, s in found.items()} == {10: 2, 11: 1}
    assert found[10].why == (
        "manager's manager of 3 of the team's 4 frontline staff "
        "(team leads attend, but add no second leader)"
    )
    overridden = derive_team_skip_leaders(rows, {10, 11}, {10: 9})
    assert (overridden[10].leader_id, overridden[10].why) == (9, "set by a coordinator")


def test_derive_skip_leaders_is_pure() -> None:
    rows = [(1, None, None, True), (2, 10, 1, True), (3, 10, 2, True), (4, 11, 2, True)]
    assert derive_skip_leaders(rows, {10}, {}) == {10: {1}}
    assert derive_skip_leaders(rows, {10, 11}, {11: 3}) == {10: {1}, 11: {3}}


def test_reporting_tree_lists_managers_and_counts_the_rest(session: Session) -> None:
    head = factories.person(session, role="leader", name="Head")
    lead = factories.person(session, role="leader", name="Lead", manager=head)
    for _ in range(4):
        factories.person(session, manager=lead)
    factories.person(session, name="Loner")
    roots, loose = queries.reporting_tree(session)
    assert [(r.name, r.other_reports) for r in roots] == [("Head", 0)]
    assert [(c.name, c.other_reports) for c in roots[0].children] == [("Lead", 4)]
    assert loose == 1


def test_person_operations_refuse_bad_changes(session: Session) -> None:
    coordinator = factories.person(session, role="coordinator")
    staff = factories.person(session)
    change = operations.PersonChange("New", "new@example.com", "staff", None, "", True)
    with pytest.raises(NotAllowed):
        operations.create_person(session, change, actor=staff)
    person = operations.create_person(session, change, actor=coordinator)
    with pytest.raises(InvalidInput, match="already belongs to New"):
        operations.create_person(session, change, actor=coordinator)
    self_managed = operations.PersonChange(
        "New", "new@example.com", "staff", None, "NEW@example.com"
    )
    with pytest.raises(InvalidInput, match="cannot be their own manager"):
        operations.update_person(session, person.id, self_managed, actor=coordinator)
    with pytest.raises(InvalidInput, match="That team does not exist"):
        operations.update_person(
            session, person.id, operations.PersonChange("New", "new@example.com", "staff", 999, ""),
            actor=coordinator,
        )  # fmt: skip
