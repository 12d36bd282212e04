"""The engine's sentences in the reader's language (display time: pages and the CLI).

The engine (spread*.py, validate.py) and the planning around it write `Said`s: a code and its
parameters (planner/scheduler/spread_words.py). `said()` turns one into words in the language
of the moment, through the catalogue and the one formatting helper: dates as the reader writes
them, weekdays by their names, series titles from the shipped library translated. A plain
`str` is shown as it is: a preview stored before the sentences had codes, or a holiday's name.

A page that words many sentences does it inside `one_reading()`: each template's translation,
day, weekday and title is looked up once there, not once per sentence (a 10,000-person preview
words ~1,600 sentences holding ~15,000 templates and days, and Flask-Babel finds the request's
catalogue anew for every lookup: half a second).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import reduce
from typing import Any

from planner.i18n import _
from planner.i18n.content import shown
from planner.i18n.formatting import format_day, weekday_name
from planner.scheduler.spread_words import BOTH, LIST, TEXTS, WEEKDAY, Said

# Parameters that hold a series' (cadence's) title: the shipped library's are translated.
TITLES = frozenset({"title"})

# What one_reading() has looked up: (what, value) -> its words in the reader's language.
_looked_up: ContextVar[dict[tuple[str, Any], str] | None] = ContextVar(
    "said_looked_up", default=None
)


@contextmanager
def one_reading() -> Iterator[None]:
    """Word sentences for one reader (one language): inside, said() looks up each translation,
    day, weekday and title once."""
    token = _looked_up.set({})
    try:
        yield
    finally:
        _looked_up.reset(token)


def _once(what: str, value: Any, look_up: Callable[[Any], str]) -> str:
    """look_up(value), remembered inside one_reading()."""
    memo = _looked_up.get()
    if memo is None:
        return look_up(value)
    key = (what, value)
    found = memo.get(key)
    if found is None:
        found = memo[key] = look_up(value)
    return found


def _translated(template: str, **params: str) -> str:
    """gettext's `_(template, **params)`, the translation looked up once in one_reading()."""
    words = _once("text", template, _)
    return words % params if params else words


def _param(name: str, value: Any) -> str:
    if isinstance(value, Said):
        return said(value)
    if isinstance(value, date):
        return _once("day", value, format_day)
    if isinstance(value, str) and name in TITLES:
        return _once("title", value, shown)
    return str(value)


def said(text: object) -> str:
    """A sentence of the engine in the reader's language; any other text as it is."""
    if not isinstance(text, Said):
        return str(text) if text is not None else ""
    code, params = text.code, getattr(text, "params", {})
    if code == LIST:
        return str(params["sep"]).join(said(item) for item in params["items"])
    if code == WEEKDAY:
        return _once("weekday", int(params["day"]), lambda day: weekday_name(day, "abbreviated"))
    if code == BOTH:
        items = [said(item) for item in params["items"]]
        if not items:
            return ""
        return reduce(
            lambda first, second: _translated(TEXTS["and"], first=first, second=second), items
        )
    template = TEXTS.get(code)
    if template is None:  # a code this version does not know (a newer preview): its English
        return str(text)
    try:
        return _translated(
            template, **{name: _param(name, value) for name, value in params.items()}
        )
    except (KeyError, TypeError, ValueError):  # parameters that do not fit: its English
        return str(text)


def said_all(texts: object) -> list[str]:
    """Several sentences (warnings, violations) in the reader's language."""
    return [said(t) for t in texts] if isinstance(texts, list | tuple) else []
