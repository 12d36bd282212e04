"""Options that several commands share, so that they read and fail alike."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import click

from planner.errors import PlannerError
from planner.feedback.board import parse_month
from planner.feedback.jobs import previous_month


def month_option() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--month yyyy-mm`, read with `chosen_month` (None when not given)."""
    return click.option("--month", default=None, help="yyyy-mm; default: the previous month.")


def chosen_month(month: str | None, today: Callable[[], date]) -> date:
    """The first day of the `--month` given, else of the month before `today()` (only asked
    when no month is given). A bad month ("2026-13", "soon") is click's usage error with the
    pages' message: "Months look like 2026-11."."""
    if not month:
        return previous_month(today())
    try:
        return parse_month(month)
    except PlannerError as exc:
        raise click.BadParameter(str(exc)) from exc
