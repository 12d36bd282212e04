"""The product's shipped content in the reader's language: the activity library and the default
cadences seeded from it (planner/data/library.json, extracted into the catalogue), and the
titles and descriptions the system itself writes (the week's milestones).

A stored title or description is translated only when it is exactly the shipped English text, or
exactly what the system writes (recognised by its English pattern, its values re-rendered);
anything a coordinator wrote or changed is content and stays as written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from importlib import resources

from planner.i18n import _
from planner.i18n.formatting import format_day

FIELDS = ("title", "description", "host_hint")


@lru_cache(maxsize=1)
def shipped_texts() -> frozenset[str]:
    """Every title, description and host hint of the shipped library."""
    text = resources.files("planner.data").joinpath("library.json").read_text(encoding="utf-8")
    entries = json.loads(text)["entries"]
    return frozenset(e[f] for e in entries for f in FIELDS if e.get(f))


def _milestone_week(match: re.Match[str]) -> str:
    """The week's dates in a milestone's description, in the reader's language."""
    last = datetime.strptime(match["last"], "%d %b %Y").date()
    first = datetime.strptime(f"{match['first']} {last.year}", "%d %b %Y").date()
    return _(
        "Customer Service Week %(year)s: %(first)s to %(last)s.",
        year=match["year"],
        first=format_day(first, "daymonth"),
        last=format_day(last, "date"),
    )


def _meeting(match: re.Match[str]) -> str:
    """A cadence's one-to-one meeting ("Career conversation: Ana with Ben"), when the cadence's
    title is the shipped one; else ValueError (a coordinator's own title stays as written)."""
    if match["title"] not in shipped_texts():
        raise ValueError(match["title"])
    return _(
        "%(title)s: %(person)s with %(host)s",
        title=_(match["title"]),
        person=match["person"],
        host=match["host"],
    )


# What the system writes in English (csweek/operations.py, recognition/praise.py,
# scheduler/planning.py, feedback/followups.py), as a pattern, and how to say it in the reader's
# language. The English text stays stored; each language renders from it.
SYSTEM_TEXTS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(r"Planning kickoff: Customer Service Week (?P<year>\d{4})"),
        lambda m: _("Planning kickoff: Customer Service Week %(year)s", year=m["year"]),
    ),
    (
        re.compile(r"Retrospective: Customer Service Week (?P<year>\d{4})"),
        lambda m: _("Retrospective: Customer Service Week %(year)s", year=m["year"]),
    ),
    (
        re.compile(
            r"Customer Service Week (?P<year>\d{4}): (?P<first>\d{2} [A-Z][a-z]{2}) to "
            r"(?P<last>\d{2} [A-Z][a-z]{2} \d{4})\."
        ),
        _milestone_week,
    ),
    (  # planner/scheduler/planning.py: a cadence's meeting of one person with a leader
        re.compile(r"(?P<title>.+): (?P<person>[^:]+) with (?P<host>[^:]+)"),
        lambda m: _meeting(m),
    ),
    (  # planner/feedback/followups.py: a follow-up of an anonymous item (no text shown)
        re.compile(r"Follow up feedback (?P<id>#\d+)"),
        lambda m: _("Follow up feedback %(public_id)s", public_id=m["id"]),
    ),
    (  # planner/feedback/followups.py: a follow-up of a named item (its title as written)
        re.compile(r"Follow up: (?P<title>.+)", re.S),
        lambda m: _("Follow up: %(title)s", title=m["title"]),
    ),
    (  # planner/recognition/praise.py: a leader's outreach task
        re.compile(r"Thank (?P<name>.+) for customer praise"),
        lambda m: _("Thank %(name)s for customer praise", name=m["name"]),
    ),
)


def system_text(text: str) -> str | None:
    """The reader's words for a text the system wrote (exactly), else None."""
    for pattern, say in SYSTEM_TEXTS:
        match = pattern.fullmatch(text)
        if match is not None:
            try:
                return say(match)
            except ValueError:  # not what the system wrote after all (a date that is no date)
                continue
    return None


def shown(text: str) -> str:
    """The shipped text in the reader's language; any other text as written. A title the planner
    made from a shipped one ("Service star of the month: Team North") keeps its own part."""
    if not text:
        return text
    if text in shipped_texts():
        return _(text)
    said = system_text(text)
    if said is not None:
        return said
    head, colon, rest = text.rpartition(": ")
    if colon and head in shipped_texts():
        return f"{_(head)}: {rest}"
    return text
