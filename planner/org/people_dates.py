"""PURE: the optional date columns of a people CSV (start_date, end_date): read and checked.

A file without them leaves stored dates alone; an empty cell clears a date.
"""

from __future__ import annotations

from datetime import date

from planner.validation import date_problem

DATE_COLUMNS = ("start_date", "end_date")


def parse_day(raw: str) -> tuple[date | None, str | None]:
    """An ISO date (YYYY-MM-DD) or nothing; the problem in words otherwise."""
    if not raw:
        return None, None
    try:
        day = date.fromisoformat(raw) if len(raw) == 10 else None  # not 20260331 (Python reads it)
    except ValueError:
        day = None
    if day is None:
        return None, f"“{raw}” is not a date; use YYYY-MM-DD, e.g. 2026-03-31"
    return day, date_problem(day)


def row_dates(cells: dict[str, str]) -> tuple[date | None, date | None, list[str]]:
    """The optional start and end dates of a row, checked for form and order."""
    problems = []
    start, problem = parse_day(cells.get("start_date", ""))
    if problem:
        problems.append(f"start_date: {problem}")
    end, problem = parse_day(cells.get("end_date", ""))
    if problem:
        problems.append(f"end_date: {problem}")
    if start and end and end <= start:
        problems.append("end_date must be after start_date (the end date is the first day gone)")
    return start, end, problems
