"""The product's shipped content in the reader's language: the activity library and the default
cadences seeded from it (planner/data/library.json, extracted into the catalogue).

A stored title or description is translated only when it is exactly the shipped English text;
anything a coordinator wrote or changed is content and stays as written.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from planner.i18n import _

FIELDS = ("title", "description", "host_hint")


@lru_cache(maxsize=1)
def shipped_texts() -> frozenset[str]:
    """Every title, description and host hint of the shipped library."""
    text = resources.files("planner.data").joinpath("library.json").read_text(encoding="utf-8")
    entries = json.loads(text)["entries"]
    return frozenset(e[f] for e in entries for f in FIELDS if e.get(f))


def shown(text: str) -> str:
    """The shipped text in the reader's language; any other text as written. A title the planner
    made from a shipped one ("Service star of the month: Team North") keeps its own part."""
    if not text:
        return text
    if text in shipped_texts():
        return _(text)
    head, colon, rest = text.rpartition(": ")
    if colon and head in shipped_texts():
        return f"{_(head)}: {rest}"
    return text
