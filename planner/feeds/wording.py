"""How an item looks in a calendar: title, description, free/busy (FEEDS.md 17, 18a, 18b).

- **Free/busy rule** (``is_transparent``): a timed event blocks its time (OPAQUE) unless it was
  made transparent; every all-day item is TRANSPARENT — the week's wall of fame, thank-you cards,
  dress-up day, kickoff and retrospective milestones, outreach tasks, follow-ups, spotlights,
  promotions — because none of them takes the whole day away from someone. The exception is an
  item that really is a day away from one's own work: an all-day training (job-shadowing day).
  A cancelled item is always TRANSPARENT.
- **Cancelled** items keep STATUS:CANCELLED and get a "Cancelled: " prefix in the reader's language.
- **DESCRIPTION** ends with the link to the item's page (Google and Outlook do not show URL).

The reader's language is a language code (``"en"``, ``"nl"``, ``"lt"``): the words come from the
app's catalogues (planner/translations), unknown codes fall back to English.
"""

from __future__ import annotations

from planner.feeds.ical import render_valarm
from planner.i18n import _, in_language

# All-day kinds that really take someone's day (they are away from their own work).
WHOLE_DAY_KINDS = frozenset({"training"})

# All-day items that are something to do: they get the morning reminder when asked for.
TASK_KINDS = ("follow_up", "outreach")


def cancelled_title(title: str, language: str = "en") -> str:
    """The title of a cancelled item as the reader sees it: "Cancelled: <title>"."""
    with in_language(language):
        return _("Cancelled: %(title)s", title=title)


def reminder_text(language: str = "en") -> str:
    """The DESCRIPTION of a reminder (clients show the event's title beside it)."""
    with in_language(language):
        return _("Reminder")


def link_line(url: str, language: str = "en") -> str:
    """The last line of every DESCRIPTION: the way back to the item in the app."""
    with in_language(language):
        return _("Open in Service Week Planner: %(url)s", url=url)


def description_with_link(description: str, url: str, language: str = "en") -> str:
    """The description (may be empty) followed by the link line."""
    line = link_line(url, language)
    return f"{description.rstrip()}\n\n{line}" if description.strip() else line


def alarms_for(reminders: str, language: str = "en") -> dict[tuple[bool, str], str]:
    """VALARM text by (all-day?, kind; "" = any kind) for a feed's reminder choice."""
    found: dict[tuple[bool, str], str] = {}
    text = reminder_text(language)
    if reminders in ("timed", "both"):
        found[(False, "")] = render_valarm("-PT15M", text)
    if reminders in ("tasks", "both"):
        for kind in TASK_KINDS:
            found[(True, kind)] = render_valarm("PT9H", text)
    return found


def is_transparent(*, kind: str, all_day: bool, transparent: bool, cancelled: bool) -> bool:
    """Whether an item shows as free (TRANSP:TRANSPARENT): see the rule in the module doc."""
    if cancelled:
        return True
    if all_day:
        return kind not in WHOLE_DAY_KINDS
    return transparent
