"""Helpers for the untranslated-text checks: the English phrases of the catalogue and the text a
visitor sees on a page."""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape
from html.parser import HTMLParser

from planner.i18n import catalogue
from planner.i18n.content import shipped_texts

# data-label: a table cell's column name, which the phone layout shows before the cell (CSS).
SHOWN_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder", "data-label")
BUTTON_INPUTS = ("submit", "button", "reset")
_PIECES = re.compile(r"%\(\w+\)[sd]|%%|<[^>]+>")


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "title"):
            self._hidden += 1
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value:
                self.parts.append(value)
        if tag == "input" and dict(attrs).get("type") in BUTTON_INPUTS:
            self.parts.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(page: str) -> str:
    """The words a visitor sees (and hears from a screen reader), whitespace folded."""
    parser = _Visible()
    parser.feed(page)
    return " ".join(unescape(" ".join(parser.parts)).split())


@lru_cache(maxsize=4)
def english_phrases(locale: str) -> tuple[str, ...]:
    """Literal English pieces of the app's own strings whose translation differs (the shipped
    library is content once stored, so it is left out)."""
    catalog = catalogue.read(locale)
    library = shipped_texts()
    translated = " ".join(
        " ".join(m.string) if isinstance(m.string, tuple) else m.string for m in catalog if m.id
    )
    found: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            if msgid in strings or msgid in library:
                continue
            pieces = [" ".join(p.split()) for p in _PIECES.split(msgid)]
            piece = max(pieces, key=len)
            if len(piece) >= 12 and " " in piece.strip() and piece not in translated:
                found.add(piece.strip(" .,:;"))
    return tuple(sorted(found))


def untranslated(page: str, locale: str) -> list[str]:
    """English phrases of the catalogue left in the visible text of a page."""
    text = visible_text(page)
    return [phrase for phrase in english_phrases(locale) if phrase in text]
