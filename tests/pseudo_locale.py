"""A pseudo-locale for finding unmarked text: every message of the catalogue "translated" into
full-width letters (ａｂｃ), placeholders and markup kept, compiled on the fly under the code "nl"
(so dates and numbers still format). On a page rendered with it, any plain ASCII word left is
text that never went through the catalogue, or content from the database, or a date."""

from __future__ import annotations

import re
from pathlib import Path

from babel.dates import get_day_names, get_month_names
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from sqlalchemy import String, Text, select
from sqlalchemy.orm import Session

import planner.models  # noqa: F401  (every table on the metadata)
from planner.db import Base
from planner.i18n import catalogue

PSEUDO_CODE = "nl"  # Babel's Dutch dates; every message replaced
# Kept as is: placeholders, markup, entities, template braces.
_KEEP = re.compile(r"%\(\w+\)[sdif]|%[sdif%]|<[^>]*>|&#?\w+;|\{[^}]*\}")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
_ADDRESS = re.compile(r"\S+@\S+|https?://\S+")
_MARKDOWN = re.compile(r"[*_`#>]+|^\s*[-+]\s+|^\s*\d+\.\s+")


def pseudo(text: str) -> str:
    """The text with its ASCII letters made full-width, placeholders and markup untouched."""
    out, last = [], 0
    for match in _KEEP.finditer(text):
        out.append(_widen(text[last : match.start()]))
        out.append(match.group())
        last = match.end()
    out.append(_widen(text[last:]))
    return "".join(out)


def _widen(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalpha() else c for c in text)


def write_catalogue(directory: Path) -> Path:
    """Compile the pseudo catalogue into directory/<code>/LC_MESSAGES/messages.mo."""
    source = catalogue.read("nl")
    pseudo_catalogue = Catalog(locale=PSEUDO_CODE, domain="messages")
    for message in source:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            forms = tuple(pseudo(message.id[0] if i == 0 else message.id[1]) for i in range(2))
            pseudo_catalogue.add(message.id, forms, context=message.context)
        else:
            pseudo_catalogue.add(message.id, pseudo(message.id), context=message.context)
    target = directory / PSEUDO_CODE / "LC_MESSAGES"
    target.mkdir(parents=True)
    with open(target / "messages.mo", "wb") as handle:
        write_mo(handle, pseudo_catalogue)
    return directory


def stored_texts(session: Session) -> list[str]:
    """Every text stored in the database that reads as words (names, titles, what people
    wrote), longest first; bare codes such as "in_progress" or "staff" are not content."""
    found: set[str] = set()
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text)]
        if not columns:
            continue
        for row in session.execute(select(*columns)):
            for value in row:
                if (isinstance(value, str) and len(value) >= 2 and not value.islower()) or (
                    isinstance(value, str) and " " in value
                ):
                    lines = [line.strip() for line in value.splitlines() if line.strip()]
                    found.update(lines)
                    # Markdown (training modules) is shown without its markers, its pieces
                    # in separate elements: the pieces between markers count as content.
                    for line in lines:
                        found.update(p.strip() for p in _MARKDOWN.split(line) if p.strip())
    return sorted(found, key=len, reverse=True)


def date_words() -> frozenset[str]:
    """Dutch day and month names as the formatting helpers write them."""
    words: set[str] = set()
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for names in (
                get_day_names(width, context, "nl"),
                get_month_names(width, context, "nl"),
            ):
                words.update(str(n).rstrip(".") for n in names.values())
    return frozenset(words)


def plain_words(text: str, stored: list[str], allowed: frozenset[str]) -> list[str]:
    """The ASCII words of a visible text outside the catalogue, content, addresses and dates,
    each with a little of its surroundings."""
    for value in stored:
        if value in text:
            text = text.replace(value, " ")
    text = " ".join(_ADDRESS.sub(" ", text).split())
    return [
        f"{m.group()} (…{text[max(0, m.start() - 30) : m.end() + 30]}…)"
        for m in _WORD.finditer(text)
        if m.group() not in allowed
    ]
