"""The engine's sentences in the reader's language (display time: pages and the CLI).

The engine (spread*.py, validate.py) and the planning around it write `Said`s: a code and its
parameters (planner/scheduler/spread_words.py). `said()` turns one into words in the language
of the moment, through the catalogue and the one formatting helper: dates as the reader writes
them, weekdays by their names, series titles from the shipped library translated. A plain
`str` is shown as it is: a preview stored before the sentences had codes, or a holiday's name.
"""

from __future__ import annotations

from datetime import date
from functools import reduce
from typing import Any

from planner.i18n import _
from planner.i18n.content import shown
from planner.i18n.formatting import format_day, weekday_name
from planner.scheduler.spread_words import BOTH, LIST, TEXTS, WEEKDAY, Said

# Parameters that hold a series' (cadence's) title: the shipped library's are translated.
TITLES = frozenset({"title"})


def _param(name: str, value: Any) -> str:
    if isinstance(value, Said):
        return said(value)
    if isinstance(value, date):
        return format_day(value)
    if isinstance(value, str) and name in TITLES:
        return shown(value)
    return str(value)


def said(text: object) -> str:
    """A sentence of the engine in the reader's language; any other text as it is."""
    if not isinstance(text, Said):
        return str(text) if text is not None else ""
    code, params = text.code, getattr(text, "params", {})
    if code == LIST:
        return str(params["sep"]).join(said(item) for item in params["items"])
    if code == WEEKDAY:
        return weekday_name(int(params["day"]), "abbreviated")
    if code == BOTH:
        items = [said(item) for item in params["items"]]
        if not items:
            return ""
        return reduce(lambda first, second: _(TEXTS["and"], first=first, second=second), items)
    template = TEXTS.get(code)
    if template is None:  # a code this version does not know (a newer preview): its English
        return str(text)
    try:
        return _(template, **{name: _param(name, value) for name, value in params.items()})
    except (KeyError, TypeError, ValueError):  # parameters that do not fit: its English
        return str(text)


def said_all(texts: object) -> list[str]:
    """Several sentences (warnings, violations) in the reader's language."""
    return [said(t) for t in texts] if isinstance(texts, list | tuple) else []
