"""PURE CSV import/export of the phrase lexicon: bytes in, validated rows or per-line errors out.

Reads with the shared reader of the other imports (size cap, UTF-8 with or without BOM, comma
or semicolon, header skipped) and writes with the people export's formula guard, so an exported
file re-imports unchanged. Nothing here writes to the database: an import is all or nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

from planner.models.standards import LANGUAGES, SITUATIONS
from planner.org.people_csv import _unneutralise, neutralise
from planner.recognition.praise_csv import ImportFailed, read_csv
from planner.validation import text_problem

COLUMNS = ("language", "avoid", "use_instead", "situations", "why", "example")
MAX_PHRASE = 300
MAX_TEXT = 2000
MAX_ROWS = 2000
_SITUATION_SPLIT = re.compile(r"[\s,;|/]+")
_BY_LABEL = {str(label).casefold(): key for key, label in SITUATIONS.items()}  # English


@dataclass(frozen=True)
class LexiconRow:
    """One valid line of a lexicon file."""

    line: int
    language: str
    avoid: str
    use_instead: str
    situations: tuple[str, ...]
    why: str
    example: str


def phrase_key(phrase: str) -> str:
    """PURE: a phrase case- and space-folded (one entry per phrase and language)."""
    return " ".join(phrase.split()).casefold()


def parse_situations(raw: str) -> tuple[tuple[str, ...], list[str]]:
    """PURE: situation keys from 'complaint apology' or 'Complaint, Hand-over'; unknown ones."""
    found: list[str] = []
    unknown: list[str] = []
    for word in _SITUATION_SPLIT.split(raw.strip()):
        if not word:
            continue
        key = word.lower() if word.lower() in SITUATIONS else _BY_LABEL.get(word.casefold())
        if key is None and word.lower() in ("handover", "hand_over"):
            key = "hand-over"
        if key is None:
            unknown.append(word)
        elif key not in found:
            found.append(key)
    return tuple(found) or ("general",), unknown


def check_entry(
    language: str, avoid: str, use_instead: str, situations: str, why: str, example: str
) -> tuple[LexiconRow | None, list[str]]:
    """PURE: one entry's values checked; the row (line 0) or the problems in words."""
    problems = []
    language = language.strip().lower()
    if language not in LANGUAGES:
        shown = f"“{language}”" if language else "nothing"
        problems.append(f"language is {shown}; use one of {', '.join(LANGUAGES)}")
    avoid, use_instead = " ".join(avoid.split()), " ".join(use_instead.split())
    for label, value in (("the phrase to avoid", avoid), ("the phrase to use", use_instead)):
        if not value:
            problems.append(f"{label} is missing")
        elif len(value) > MAX_PHRASE:
            problems.append(f"{label} is longer than {MAX_PHRASE} characters")
        elif problem := text_problem(value):
            problems.append(f"{label} {problem}")
    if avoid and phrase_key(avoid) == phrase_key(use_instead):
        problems.append("the phrase to use is the same as the phrase to avoid")
    keys, unknown = parse_situations(situations)
    if unknown:
        problems.append(f"unknown situation(s) {', '.join(unknown)}; use {', '.join(SITUATIONS)}")
    for label, value in (("why", why), ("example", example)):
        if len(value) > MAX_TEXT:
            problems.append(f"{label} is longer than {MAX_TEXT} characters")
    if problems:
        return None, problems
    return LexiconRow(0, language, avoid, use_instead, keys, why.strip(), example.strip()), []


def parse_lexicon(data: bytes) -> list[LexiconRow]:
    """PURE: every row of a lexicon file, or ImportFailed listing every problem with its line."""
    rows, errors = read_csv(data, columns=COLUMNS, optional=3)
    if len(rows) > MAX_ROWS:
        raise ImportFailed([(0, f"The file has {len(rows)} entries; the limit is {MAX_ROWS}.")])
    valid: list[LexiconRow] = []
    first_seen: dict[tuple[str, str], int] = {}
    for line, cells in rows:
        values = [_unneutralise(c) for c in cells]
        row, problems = check_entry(*values)
        errors.extend((line, p[0].upper() + p[1:] + ".") for p in problems)
        if row is None:
            continue
        identity = (row.language, phrase_key(row.avoid))
        if identity in first_seen:
            errors.append(
                (line, f"“{row.avoid}” ({row.language}) is already on line {first_seen[identity]}.")
            )
            continue
        first_seen[identity] = line
        valid.append(LexiconRow(line, *(getattr(row, f) for f in _FIELDS)))
    if errors:
        raise ImportFailed(sorted(errors))
    return valid


_FIELDS = ("language", "avoid", "use_instead", "situations", "why", "example")


def write_lexicon(rows: Iterable[tuple[str, str, str, str, str, str]]) -> str:
    """PURE: CSV text of (language, avoid, use_instead, situations, why, example), with a header."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    return out.getvalue()
