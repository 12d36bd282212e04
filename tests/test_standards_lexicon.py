"""The phrase lexicon: CSV import (all or nothing, every problem with its line) and export,
search, the printable card, and suggestions that a coordinator approves."""

from __future__ import annotations

import io
from importlib import resources
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.models import LexiconEntry
from planner.recognition.praise_csv import ImportFailed
from planner.standards.lexicon_csv import parse_lexicon
from tests import factories

HEADER = "language,avoid,use_instead,situations,why,example\n"
GOOD = "en,Calm down.,I can hear how frustrating this is.,complaint,Names the feeling,\n"


def thirty_entries() -> bytes:
    """A file of 30 valid entries in three languages, semicolon-separated as Dutch Excel does."""
    lines = ["\ufefflanguage;avoid;use_instead;situations;why;example"]
    for n in range(30):
        language = ("en", "nl", "lt")[n % 3]
        lines.append(f"{language};Avoid phrase {n};Use phrase {n};complaint refusal;Why {n};")
    return ("\n".join(lines) + "\n").encode("utf-8")


# (name, file contents, expected problem lines): every file imports nothing.
BAD_FILES = [
    ("empty", b"", ["The file is empty."]),
    ("header only", HEADER.encode(), ["The file has no data rows."]),
    ("not utf-8", (HEADER + "nl,Dat kan niet,Dat lukt helaas niet\n").encode("cp1252")
     + b"en,caf\xe9,cafe\n", ["Line 3: The file is not UTF-8 text. Save it as CSV UTF-8."]),
    ("unknown language", (HEADER + "de,Nein,Ja\n").encode(),
     ["Line 2: Language is “de”; use one of en, nl, lt."]),
    ("missing phrase", (HEADER + "en,,Say this\n").encode(),
     ["Line 2: The phrase to avoid is missing."]),
    ("same phrase", (HEADER + "en,No problem,no  PROBLEM\n").encode(),
     ["Line 2: The phrase to use is the same as the phrase to avoid."]),
    ("unknown situation", (HEADER + "en,No problem,My pleasure,thanks party\n").encode(),
     ["Line 2: Unknown situation(s) party; use complaint, refusal, hand-over, apology, "
      "waiting, mistake, thanks, general."]),
    ("too few columns", (HEADER + "en,No problem\n").encode(),
     ["Line 2: Expected language,avoid,use_instead[,situations][,why][,example] (3-6 columns), "
      "found 2."]),
    ("duplicate", (HEADER + GOOD + "en,calm   DOWN.,Let's sort it out.\n").encode(),
     ["Line 3: “calm DOWN.” (en) is already on line 2."]),
    ("too long", (HEADER + f"en,{'x' * 301},Fine\n").encode(),
     ["Line 2: The phrase to avoid is longer than 300 characters."]),
    ("two problems on one line, no header", (GOOD + "xx,,\n" + GOOD.replace("Calm", "Relax")
     + "en,A,B,,,\n").encode(), ["Line 2: Language is “xx”; use one of en, nl, lt.",
     "Line 2: The phrase to avoid is missing.", "Line 2: The phrase to use is missing."]),
    ("two bad lines", (HEADER + "fr,Non,Oui,general\n" + GOOD + "en,,Yes,general\n").encode(),
     ["Line 2: Language is “fr”; use one of en, nl, lt.",
      "Line 4: The phrase to avoid is missing."]),
    ("too large", b"x" * (2 * 1024 * 1024 + 1),
     ["The file is larger than 2 MB. Split it into smaller files."]),
]  # fmt: skip


@pytest.mark.parametrize(("name", "data", "expected"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_file_reports_every_problem_with_its_line(
    name: str, data: bytes, expected: list[str]
) -> None:
    with pytest.raises(ImportFailed) as caught:
        parse_lexicon(data)
    assert caught.value.lines() == expected


def test_situations_accept_labels_and_separators() -> None:
    rows = parse_lexicon(
        (HEADER + 'nl,Dat kan niet,Dat lukt helaas niet,"Refusal, Hand-over|apology"\n').encode()
    )
    assert rows[0].situations == ("refusal", "hand-over", "apology")
    assert parse_lexicon((HEADER + "lt,Palaukite.,Ar galėtumėte palaukti?,\n").encode())[
        0
    ].situations == ("general",)


def test_coordinator_imports_thirty_entries_and_a_bad_file_changes_nothing(
    client: Any, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    login_as("coordinator")
    response = client.post(
        "/standards/lexicon/import",
        data={"file": (io.BytesIO(thirty_entries()), "lexicon.csv")},
        follow_redirects=True,
    )
    assert "Imported: 30 added, 0 updated, 0 unchanged." in response.get_data(as_text=True)
    bad = (HEADER + "en,Avoid phrase 0,Changed,complaint\nen,,x,general\n").encode()
    response = client.post("/standards/lexicon/import", data={"file": (io.BytesIO(bad), "bad.csv")})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nothing was imported" in page and "Line 3: The phrase to avoid is missing." in page
    db.rollback()
    assert db.scalar(select(func.count(LexiconEntry.id))) == 30
    assert (
        db.scalar(select(LexiconEntry.use_instead).where(LexiconEntry.avoid == "Avoid phrase 0"))
        == "Use phrase 0"
    )


def test_export_re_imports_unchanged_including_formula_like_cells(
    client: Any, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    login_as("coordinator")
    data = (HEADER + 'en,=HYPERLINK("x"),"-1, really",complaint,@why,+example\n').encode()
    client.post("/standards/lexicon/import", data={"file": (io.BytesIO(data), "a.csv")})
    exported = client.get("/standards/lexicon/export.csv")
    assert exported.mimetype == "text/csv"
    text = exported.get_data(as_text=True)
    assert "'=HYPERLINK" in text and "'-1, really" in text  # spreadsheets will not run them
    again = client.post(
        "/standards/lexicon/import",
        data={"file": (io.BytesIO(exported.get_data()), "lexicon.csv")},
        follow_redirects=True,
    )
    assert "0 added, 0 updated, 1 unchanged" in again.get_data(as_text=True)


def test_demo_starting_set_is_valid_in_three_languages() -> None:
    data = resources.files("planner.data").joinpath("lexicon_demo.csv").read_bytes()
    rows = parse_lexicon(data)
    assert {r.language for r in rows} == {"en", "nl", "lt"}
    assert all(sum(1 for r in rows if r.language == lang) >= 10 for lang in ("en", "nl", "lt"))
    assert all(r.why and r.example for r in rows)


def test_search_by_words_language_and_situation(client: Any, db: Session, login_as: Any) -> None:
    factories.organisation(db)
    coordinator = login_as("coordinator")
    data = (
        HEADER + "en,Calm down.,I can hear how frustrating this is.,complaint,,\n"
        'nl,Dat kan niet.,"Dat lukt helaas niet, maar…",refusal,,\n'
        "en,That's impossible.,Here's what we can do.,refusal,,\n"
    )
    client.post("/standards/lexicon/import", data={"file": (io.BytesIO(data.encode()), "a.csv")})
    assert coordinator is not None
    page = client.get("/standards/lexicon?situation=refusal").get_data(as_text=True)
    assert "Dat kan niet." in page and "impossible" in page and "Calm down." not in page
    page = client.get("/standards/lexicon?q=frustrating").get_data(as_text=True)
    assert "Calm down." in page and "Dat kan niet." not in page
    page = client.get("/standards/lexicon?language=nl&q=%25").get_data(as_text=True)
    assert "No phrases match." in page  # a % is a character, not a wildcard
    card = client.get("/standards/lexicon/card?language=nl").get_data(as_text=True)
    assert "Dat kan niet." in card and "Calm down." not in card
    assert "standards-print.css" in card and 'media="print"' in card


def test_staff_suggest_and_a_coordinator_approves(client: Any, db: Session, login_as: Any) -> None:
    factories.organisation(db)
    coordinator = factories.person(db, role="coordinator", password=factories.PASSWORD)
    db.commit()
    login_as("staff")
    response = client.post(
        "/standards/lexicon/new",
        data={
            "language": "lt",
            "avoid": "Nežinau.",
            "use_instead": "Geras klausimas – tuoj išsiaiškinsiu.",
            "situations": ["general"],
        },
        follow_redirects=True,
    )
    assert "a coordinator will review your suggestion" in response.get_data(as_text=True)
    assert "Nežinau." not in client.get("/standards/lexicon").get_data(as_text=True)
    entry = db.scalars(select(LexiconEntry)).one()
    assert entry.status == "suggested"
    assert client.post(f"/standards/lexicon/{entry.id}/review").status_code == 403

    client.post("/sign-out")
    login_as(person=coordinator)
    page = client.get("/standards/lexicon").get_data(as_text=True)
    assert "Suggestions waiting for review (1)" in page
    client.post(f"/standards/lexicon/{entry.id}/review", data={"decision": "approve"})
    assert "Nežinau." in client.get("/standards/lexicon").get_data(as_text=True)
    again = client.post(
        f"/standards/lexicon/{entry.id}/review", data={"decision": "decline"}, follow_redirects=True
    )
    assert "already approved" in again.get_data(as_text=True)


def test_a_phrase_already_in_the_lexicon_is_refused_on_the_form(
    client: Any, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    login_as("coordinator")
    form = {"language": "en", "avoid": "No problem", "use_instead": "My pleasure"}
    client.post("/standards/lexicon/new", data=form)
    response = client.post("/standards/lexicon/new", data={**form, "avoid": " no PROBLEM "})
    assert "is already in the English lexicon" in response.get_data(as_text=True)
    db.rollback()
    assert db.scalar(select(func.count(LexiconEntry.id))) == 1


def test_cli_imports_all_or_nothing_and_exports(runner: Any, db: Session, tmp_path: Any) -> None:
    factories.organisation(db)
    coordinator = factories.person(db, role="coordinator")
    db.commit()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + GOOD + "de,Nein,Ja\n", encoding="utf-8")
    result = runner.invoke(args=["import-lexicon", str(bad), "--as", coordinator.email])
    assert result.exit_code != 0 and "Line 3: Language is “de”" in result.output
    good = tmp_path / "good.csv"
    good.write_bytes(thirty_entries())
    result = runner.invoke(args=["import-lexicon", str(good), "--as", coordinator.email])
    assert "Imported: 30 added, 0 updated, 0 unchanged." in result.output
    exported = runner.invoke(args=["export-lexicon"])
    assert exported.output.startswith("language,avoid,use_instead,situations,why,example")
    assert exported.output.count("\n") == 31


def test_a_withdrawn_phrase_leaves_the_lexicon_and_can_be_suggested_again(
    client: Any, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    login_as("coordinator")
    form = {"language": "en", "avoid": "No problem", "use_instead": "My pleasure"}
    client.post("/standards/lexicon/new", data=form)
    entry = db.scalars(select(LexiconEntry)).one()
    db.commit()  # end the read so the app can write
    assert "Withdraw this phrase" in client.get(f"/standards/lexicon/{entry.id}").get_data(
        as_text=True
    )
    client.post(f"/standards/lexicon/{entry.id}/withdraw")
    assert "No problem" not in client.get("/standards/lexicon").get_data(as_text=True)
    again = client.post(
        "/standards/lexicon/new",
        data={**form, "use_instead": "Happy to help"},
        follow_redirects=True,
    )
    assert "The phrase is in the lexicon." in again.get_data(as_text=True)
    db.expire_all()
    entry = db.scalars(select(LexiconEntry)).one()
    assert (entry.status, entry.use_instead) == ("approved", "Happy to help")
