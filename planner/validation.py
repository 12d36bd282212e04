"""PURE checks shared by every form and every CSV parser: text without control characters,
dates within the range the planner handles, numbers that fit the database.

One home for these rules (issue 13 item 11), so a form and a CSV column that hold the same
kind of value refuse the same things with the same words.
"""

from __future__ import annotations

import math
import re
from datetime import date

# C0 controls, DEL and C1 controls. Tab, newline and carriage return are allowed only in
# multi-line text. NUL in particular is refused: PostgreSQL cannot store it in text at all.
_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_MULTI_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
MAX_INTEGER = 2**31 - 1  # a PostgreSQL INTEGER column
MAX_NUMBER = 1e12


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """Why this text cannot be stored (a control character and where), or None."""
    found = (_MULTI_LINE if multiline else _SINGLE_LINE).search(value)
    if found is None:
        return None
    code = f"U+{ord(found.group()):04X}"
    if found.group() in "\t\n\r":
        return (
            f"must be on one line (it contains a tab or line break at position {found.start() + 1})"
        )
    return (
        f"contains an invisible control character ({code} at position {found.start() + 1});"
        " remove it and try again"
    )


def date_problem(value: date) -> str | None:
    """Why this date is refused (outside 2000-01-01 to 2100-12-31), or None."""
    day = value.date() if hasattr(value, "date") and callable(value.date) else value
    if FIRST_DAY <= day <= LAST_DAY:
        return None
    return (
        f"{day.isoformat()} is outside the dates this planner handles"
        f" ({FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()})"
    )


def number_problem(value: float) -> str | None:
    """Why this number cannot be stored (too large, infinite, not a number), or None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return None if abs(value) <= MAX_INTEGER else f"{value} is too large"
    if not math.isfinite(value):
        return "is not a number"
    return None if abs(value) <= MAX_NUMBER else f"{value:g} is too large"


def cell_problems(cells: list[str], *, multiline: bool) -> list[str]:
    """The problems of a CSV row's cells, naming the column by number."""
    problems = []
    for number, cell in enumerate(cells, start=1):
        if problem := text_problem(cell, multiline=multiline):
            problems.append(f"column {number} {problem}")
    return problems
