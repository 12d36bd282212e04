"""The engine's reasons, warnings and violations are codes with parameters, worded at display
time in the reader's language (issue 12): the preview page and `planner plan` in Dutch and
Lithuanian carry none of the engine's English sentences, English reads as before, and previews
stored before the sentences had codes (plain English strings) are shown as they are."""

from __future__ import annotations

import pickle
import re
import zlib
from dataclasses import replace
from datetime import date, time
from typing import Any

import pytest
from flask_babel import force_locale

from planner.models import Absence, PlanPreview
from planner.scheduler.spread_words import TEXTS, Said, both, listing, say, weekday
from planner.scheduler.wording import one_reading, said
from tests import factories
from tests.scheduler_helpers import cadence, generate_preview, small_org

YEAR = 2027


def english_fragments() -> set[str]:
    """The fixed words of every engine sentence (between its placeholders), long enough to be
    unmistakably English and not a name ("%(slot)s: " leaves ": ")."""
    found = set()
    for template in TEXTS.values():
        for part in re.split(r"%\(\w+\)s", template):
            part = part.strip(" .:;,()")
            if len(part) >= 12 and " " in part:  # words, not a field name (frozen_until)
                found.add(part)
    return found


def _dummy(name: str) -> Any:
    """A parameter value of the right kind for a placeholder's name."""
    if name in {"day", "last", "monday", "starts"}:
        return date(2027, 3, 1)
    return {"weekday": weekday(2), "role": say("role-leader")}.get(name, "X")


@pytest.mark.parametrize("language", ["nl", "lt"])
def test_every_engine_sentence_has_its_own_words_in_each_language(app: Any, language: str) -> None:
    english = english_fragments()
    with app.test_request_context(), force_locale(language):
        for code, template in TEXTS.items():
            names = re.findall(r"%\((\w+)\)s", template)
            text = said(say(code, **{n: _dummy(n) for n in names}))
            left = [e for e in english if e in text]
            assert not left, (code, text, left)


def test_english_reads_as_the_engine_wrote_it(app: Any) -> None:
    reason = say("window-short", window="09:00-09:30", minutes=60)
    assert reason == "window 09:00-09:30 is shorter than 60 minutes"
    nested = say("had-to-move", why=say("period-empty"), note=both([say("clock-change")] * 2))
    with app.test_request_context(), force_locale("en"):
        assert said(reason) == str(reason)
        assert said(nested) == str(nested)
        assert said(listing([weekday(5), weekday(6)], ", ")) == "Sat, Sun"
    with app.test_request_context(), force_locale("nl"):
        assert said(listing([weekday(5), weekday(6)], ", ")) == "za, zo"
        assert said(both(["a", "b", "c"])) == "a en b en c"


@pytest.mark.parametrize("language", ["en", "nl", "lt"])
def test_one_reading_words_every_sentence_as_said_alone_does(app: Any, language: str) -> None:
    """Looking translations, days and titles up once (a page of thousands of sentences) changes
    no word, the same sentence said twice included."""
    sentences = [
        say(code, **{n: _dummy(n) for n in re.findall(r"%\((\w+)\)s", template)})
        for code, template in TEXTS.items()
    ]
    sentences += [say("had-to-move", why=say("period-empty"), note=both(["a", "b", "c"])),
                  listing([weekday(5), weekday(6)], ", "), "plain text"]  # fmt: skip
    with app.test_request_context(), force_locale(language):
        alone = [said(s) for s in sentences]
        with one_reading():
            once = [said(s) for s in sentences + sentences]
    assert once == alone + alone


def test_a_said_survives_pickling_as_stored_previews_do() -> None:
    reason = say("the-one-on", day=date(2027, 3, 1))
    again = pickle.loads(pickle.dumps(reason, pickle.HIGHEST_PROTOCOL))
    assert isinstance(again, Said) and again.code == "the-one-on"
    assert again.params == {"day": date(2027, 3, 1)} and again == reason


def test_text_without_a_code_is_shown_as_it_is(app: Any) -> None:
    with app.test_request_context(), force_locale("lt"):
        assert said("an old preview's English reason") == "an old preview's English reason"
        assert said(Said("a-code-from-a-newer-version", {}, "its English")) == "its English"
        assert said(Said("window-short", {"bad": 1}, "English as stored")) == "English as stored"


def _unplaceable_year(db: Any) -> None:
    """A year whose preview has unplaced events, with reasons of several kinds."""
    org = small_org(db)
    cadence(db)  # places fine
    cadence(db, title="Too long for its window", window_start=time(9), window_end=time(9, 30))
    db.add(Absence(person_id=org.leads[0].id, first_day=date(2026, 1, 1),
                   last_day=date(2029, 12, 31), note="Sabbatical"))  # fmt: skip
    db.commit()


def _sign_in(db: Any, login_as: Any, language: str) -> None:
    person = factories.person(db, role="coordinator", password=factories.PASSWORD)
    person.language = language
    db.commit()
    login_as(person=person)


def _warnings(html: str) -> str:
    start = html.index('role="alert"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["window 09:00-09:30 is shorter than 60 minutes", "is away on every allowed day"]),
        ("nl", ["tijdvak 09:00-09:30 is korter dan 60 minuten", "is afwezig op elke toegestane"]),
        ("lt", ["laiko langas 09:00-09:30 trumpesnis nei 60 min.", "nedirba nė vieną leistiną"]),
    ],
)
def test_the_preview_page_gives_the_reasons_in_the_readers_language(
    client: Any, db: Any, login_as: Any, language: str, expected: list[str]
) -> None:
    _unplaceable_year(db)
    _sign_in(db, login_as, language)
    generate_preview(client, YEAR)
    html = client.get(f"/scheduler/preview?year={YEAR}").get_data(as_text=True)
    shown = _warnings(html)
    for words in expected:
        assert words in shown, shown
    if language != "en":
        left = [e for e in english_fragments() if e in shown]
        assert not left, left


def test_a_preview_stored_with_english_sentences_is_shown_as_it_was(
    client: Any, db: Any, login_as: Any
) -> None:
    _unplaceable_year(db)
    _sign_in(db, login_as, "nl")
    generate_preview(client, YEAR)
    row = db.get(PlanPreview, YEAR)
    plan = pickle.loads(zlib.decompress(row.data))
    old = replace(
        plan.result,
        unplaced=tuple(replace(u, reason=str(u.reason)) for u in plan.result.unplaced),
        warnings=tuple(str(w) for w in plan.result.warnings),
    )
    assert old.unplaced and not any(isinstance(u.reason, Said) for u in old.unplaced)
    plan = replace(plan, result=old, warnings=[str(w) for w in plan.warnings])
    row.data = zlib.compress(pickle.dumps(plan, pickle.HIGHEST_PROTOCOL))
    db.commit()
    page = client.get(f"/scheduler/preview?year={YEAR}")
    assert page.status_code == 200
    assert "window 09:00-09:30 is shorter than 60 minutes" in _warnings(page.get_data(as_text=True))


@pytest.mark.parametrize("language", ["nl", "lt"])
def test_planner_plan_prints_the_reasons_in_the_terminals_language(
    runner: Any, db: Any, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    _unplaceable_year(db)
    monkeypatch.setenv("PLANNER_LANGUAGE", language)
    result = runner.invoke(args=["plan", "--year", str(YEAR), "--today", "2026-11-23"])
    assert result.exit_code == 0, result.output
    words = {"nl": "is korter dan 60 minuten", "lt": "trumpesnis nei 60 min."}[language]
    assert words in result.output
    left = [e for e in english_fragments() if e in result.output]
    assert not left, left
