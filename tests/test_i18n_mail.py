"""E-mails in the reader's language (their own choice, else the organisation's locale), subject
and body, with the right plural forms; and the system's own stored titles shown in the reader's
language while text a coordinator wrote stays as written."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask

from planner.feedback import notify
from planner.i18n import in_language
from planner.i18n.content import shown, system_text
from planner.models import FeedbackChange, FeedbackItem, Person
from tests import factories
from tests.test_auth_attacks import outbox  # noqa: F401  (fixture)
from tests.test_feedback_support import build_org, client_for, only_item, raise_via_form

NOW = datetime(2026, 10, 1, 9, tzinfo=UTC)


def _mail_settings() -> dict[str, str]:
    return {"base_url": "http://planner.test", "secret_key": "k" * 32}


def test_a_dutch_person_gets_a_dutch_reset_mail(
    client: Any,
    db: Any,
    outbox: list[Any],  # noqa: F811
) -> None:
    person = factories.person(db, name="Daan de Vries", password=factories.PASSWORD)
    person.language = "nl"
    english = factories.person(db, name="Erin English", password=factories.PASSWORD)
    db.commit()
    client.post("/forgot-password", data={"email": person.email})
    client.post("/forgot-password", data={"email": english.email})
    dutch, plain = outbox
    assert dutch.subject == "Stel je wachtwoord opnieuw in"
    assert dutch.body.startswith("Hallo Daan de Vries,")
    assert "60 minuten lang" in dutch.body and "/reset/" in dutch.body
    assert "password" not in dutch.body.replace(person.email, "")
    assert plain.subject == "Reset your password" and "for 60 minutes" in plain.body


def test_reset_mail_follows_the_organisation_when_the_person_chose_nothing(
    app: Flask, db: Any
) -> None:
    from planner.auth.reset import reset_message

    factories.organisation(db, locale="lt-LT")
    person = factories.person(db, name="Ona")
    with app.test_request_context("/", headers={"Accept-Language": "nl"}):
        one = reset_message(db, person, "http://planner.test/reset/x", 1)
        many = reset_message(db, person, "http://planner.test/reset/x", 21)
        few = reset_message(db, person, "http://planner.test/reset/x", 5)
        ten = reset_message(db, person, "http://planner.test/reset/x", 10)
    assert one.subject == "Atkurkite slaptažodį"
    assert "1 minutę" in one.body and "21 minutę" in many.body
    assert "5 minutes" in few.body and "10 minučių" in ten.body


def _status_change(db: Any, item: FeedbackItem, to: str, response: str = "") -> FeedbackChange:
    change = FeedbackChange(item_id=item.id, from_status=item.status, to_status=to, at=NOW)
    item.status = to
    item.response = response or item.response
    return change


def test_a_lithuanian_person_gets_a_lithuanian_feedback_notification(app: Flask, db: Any) -> None:
    org = build_org(db)
    factories.organisation(db, locale="nl-NL")
    staff = db.get(Person, org.staff.id)
    staff.language = "lt"
    db.commit()
    raise_via_form(client_for(app, org.staff), org.big.id, title="Kasos ekranas stringa")
    item = db.get(FeedbackItem, only_item(app).id)
    item.due_date, item.owner_id = date(2026, 10, 5), org.leader.id
    change = _status_change(db, item, "planned")
    with app.test_request_context("/"):
        (message,) = notify.status_change_messages(
            db, item, change, actor_id=org.leader.id, **_mail_settings()
        )
        with in_language("lt"):
            planned = str(item.status_label).lower()
    assert message.to == staff.email
    assert message.subject == f"Kliūtis {item.public_id}: {planned}"
    assert f"Kliūtis {item.public_id} „Kasos ekranas stringa“ dabar: {planned}" in message.body
    assert "Iki: 2026 m. spalio 5 d., pirmadienis" in message.body
    assert "Peržiūrėti: http://planner.test/feedback/" in message.body
    assert "is now" not in message.body and "Due" not in message.body


def test_the_digest_speaks_each_readers_language_with_plural_forms(app: Flask, db: Any) -> None:
    org = build_org(db)
    factories.organisation(db, locale="nl-NL")
    db.get(Person, org.staff.id).language = "lt"
    db.get(Person, org.leader.id).language = "en"
    db.commit()
    client = client_for(app, org.staff)
    for n in range(3):
        raise_via_form(client, org.big.id, title=f"Knelpunt {n}")
    with app.test_request_context("/"):
        messages = notify.digest_messages(db, date.today().replace(day=1), **_mail_settings())
    by_address = {m.to: m for m in messages}
    lithuanian, english = by_address[org.staff.email], by_address[org.leader.email]
    dutch = by_address[org.coordinator.email]
    assert lithuanian.subject.startswith("„Jūs sakėte – mes padarėme“: ")
    assert "šį mėnesį pranešta apie 3 kliūtis; 3 tebėra neišspręstos." in lithuanian.body
    assert "Nebegauti mėnesio apžvalgos" in lithuanian.body
    assert "3 knelpunten gemeld deze maand; 3 staan nog open." in dutch.body
    assert "3 items raised this month; 3 still open." in english.body


@pytest.mark.parametrize(
    ("count", "form"), [(1, "kliūtį"), (2, "kliūtis"), (11, "kliūčių"), (21, "kliūtį")]
)
def test_lithuanian_digest_counts_use_three_plural_forms(app: Flask, count: int, form: str) -> None:
    from planner.feedback.board import MonthlyUpdate
    from planner.feedback.notify import _digest_lines

    update = MonthlyUpdate(date(2026, 10, 1), [], count, 0)
    with app.app_context(), in_language("lt"):
        lines = _digest_lines(update, date(2026, 10, 1), "http://planner.test/x")
    assert f"šį mėnesį pranešta apie {count} {form};" in "\n".join(lines)


def test_milestone_titles_are_the_readers_and_edited_ones_stay(app: Flask, db: Any) -> None:
    from planner.csweek.operations import create_plan

    factories.organisation(db)
    plan = create_plan(db, year=2026, created_by_id=None, now=NOW)
    kickoff, retro = plan.kickoff_event, plan.retro_event
    assert kickoff is not None and retro is not None
    with app.test_request_context("/"), in_language("nl"):
        assert shown(kickoff.title) == "Aftrap van de planning: Klantenserviceweek 2026"
        assert shown(retro.title) == "Terugblik: Klantenserviceweek 2026"
        assert shown(kickoff.description) == (
            "Klantenserviceweek 2026: 5 okt tot en met 9 okt 2026."
        )
        # A coordinator's own words stay as written.
        assert shown("Planning kickoff: Customer Service Week 2026 (room 4)") == (
            "Planning kickoff: Customer Service Week 2026 (room 4)"
        )
        assert system_text("Customer Service Week 2026: 31 Feb to 02 Mar 2026.") is None
        assert shown("Follow up: Kassa loopt vast") == "Opvolgen: Kassa loopt vast"
        assert shown("Follow up feedback #42") == "Knelpunt #42 opvolgen"
        # A one-to-one meeting of a shipped cadence; a coordinator's own cadence stays as is.
        assert shown("Our own chat: Ana with Ben") == "Our own chat: Ana with Ben"
    with app.test_request_context("/"), in_language("lt"):
        assert shown(retro.title) == "Retrospektyva: Klientų aptarnavimo savaitė 2026"
    with app.test_request_context("/"), in_language("en"):
        assert shown(kickoff.title) == kickoff.title


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"PLANNER_LANGUAGE": "nl"}, "Nog geen ritmes: voer `planner cadences seed` uit."),
        ({"LANG": "lt_LT.UTF-8"}, "Periodiškumų dar nėra: paleiskite `planner cadences seed`."),
        ({"LANGUAGE": "fr:nl", "LANG": "C.UTF-8"}, "Nog geen ritmes"),
        ({"LANG": "C.UTF-8"}, "No cadences yet: run `planner cadences seed`."),
    ],
)
def test_commands_speak_the_terminals_language(
    runner: Any, monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], expected: str
) -> None:
    for name in ("PLANNER_LANGUAGE", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    result = runner.invoke(args=["cadences", "list"])
    assert result.exit_code == 0 and expected in result.output


def test_machine_readable_output_stays_as_is(runner: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_LANGUAGE", "lt")
    lithuanian = runner.invoke(args=["export-lexicon"]).output
    monkeypatch.setenv("PLANNER_LANGUAGE", "en")
    assert lithuanian == runner.invoke(args=["export-lexicon"]).output
    assert lithuanian.startswith("language,avoid,use_instead")
