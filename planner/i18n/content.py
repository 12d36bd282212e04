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

from planner.i18n import _, in_language
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


def _label(labels: dict[str, object], english: str) -> str:
    """The reader's word for an English label of a table of lazy labels (a status, a channel);
    ValueError when it is none of them."""
    with in_language("en"):
        keys = {str(label).lower(): key for key, label in labels.items()}
    if english not in keys:
        raise ValueError(english)
    return str(labels[keys[english]]).lower()


def _follow_up(match: re.Match[str]) -> str:
    """A follow-up's description (feedback/followups.py): its status and why it is there."""
    from planner.models.feedback import STATUSES

    said = _(
        "Feedback %(public_id)s is %(status)s.",
        public_id=match["id"],
        status=_label(dict(STATUSES), match["status"]),
    )
    if match["due"] is not None:
        due = datetime.strptime(match["due"], "%Y-%m-%d").date() if match["due"] else None
        why = _("Due %(day)s.", day=format_day(due, "date")) if due else _("Due.")
    else:
        why = _("Not acknowledged within 5 working days: please make sure someone responds.")
    return f"{said} {why}"


def _praised(match: re.Match[str]) -> str:
    """The first line of a praise outreach's description (recognition/praise.py)."""
    from planner.models.recognition import PRAISE_CHANNELS

    day = datetime.strptime(match["day"], "%Y-%m-%d").date()
    return _(
        "A customer praised %(name)s (%(channel)s, %(day)s): “%(quote)s”",
        name=match["name"],
        channel=_label(dict(PRAISE_CHANNELS), match["channel"]),
        day=format_day(day, "date"),
        quote=match["quote"],
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
    (  # planner/recognition/praise.py: an outreach marked done keeps its item, retitled
        re.compile(r"Done: (?P<title>.+)", re.S),
        lambda m: _("Done: %(title)s", title=shown(m["title"])),
    ),
    (  # planner/feedback/followups.py: a follow-up's description
        re.compile(
            r"Feedback (?P<id>#\d+) is (?P<status>[a-z ]+)\. (?:Due (?P<due>\d{4}-\d{2}-\d{2}|)\."
            r"|Not acknowledged within 5 working days: please make sure someone responds\.)"
        ),
        _follow_up,
    ),
    (  # planner/recognition/praise.py: an outreach's description, line by line
        re.compile(
            r"A customer praised (?P<name>.+) \((?P<channel>[a-z -]+), "
            r"(?P<day>\d{4}-\d{2}-\d{2})\): \u201c(?P<quote>.*)\u201d"
        ),
        _praised,
    ),
    (
        re.compile(r"Suggested gesture: (?P<gesture>.+)\."),
        lambda m: _("Suggested gesture: %(gesture)s.", gesture=shown(m["gesture"])),
    ),
    (
        re.compile(r"Done by (?P<name>[^:\n]+): (?P<what>.*)", re.S),
        lambda m: _("Done by %(name)s: %(what)s", name=m["name"], what=m["what"]),
    ),
    (  # planner/feedback/followups.py: the history note of an escalation
        re.compile(r"Not acknowledged in (?P<days>\d+) working days: sent to (?P<name>.+)\."),
        lambda m: _(
            "Not acknowledged in %(days)s working days: sent to %(name)s.",
            days=m["days"],
            name=m["name"],
        ),
    ),
    (  # planner/feedback/lifecycle.py: the history note of an item raised at a meeting
        re.compile(r"Raised at a skip-level meeting"),
        lambda m: _(m[0]),
    ),
    (  # planner/recognition/praise.py GESTURES: a stored gesture
        re.compile(r"Phone call|Handwritten note|Unannounced visit"),
        lambda m: _(m[0]),
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


def _shown_line(text: str) -> str:
    if text in shipped_texts():
        return _(text)
    said = system_text(text)
    if said is not None:
        return said
    head, colon, rest = text.rpartition(": ")
    if colon and head in shipped_texts():
        return f"{_(head)}: {rest}"
    return text


def shown(text: str) -> str:
    """The shipped text in the reader's language; any other text as written. A title the planner
    made from a shipped one ("Service star of the month: Team North") keeps its own part. A text
    of several lines (a description the system wrote, a coordinator's note added below it) is
    read line by line when it is not one system text as a whole."""
    if not text:
        return text
    said = _shown_line(text)
    if said != text or "\n" not in text:
        return said
    return "\n".join(_shown_line(line) for line in text.split("\n"))
