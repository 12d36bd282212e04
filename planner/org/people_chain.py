"""PURE: the reporting chain a people CSV would make once applied over the stored people:
manager loops and chains deeper than the chart allows, one error per loop or chain."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from planner.org.chart import MAX_LEVELS, all_levels

# (line, message): the caller turns them into its own line errors.
Problems = list[tuple[int, str]]


class Row(Protocol):
    """What these checks read of a file's row (people_csv.PersonRow)."""

    @property
    def line(self) -> int: ...
    @property
    def email(self) -> str: ...
    @property
    def manager_email(self) -> str: ...


def chain_errors(rows: Sequence[Row], stored_managers: Mapping[str, str]) -> Problems:
    """Loops, then chains too deep, for the file's rows over the stored managers."""
    return cycle_errors(rows, stored_managers) + depth_errors(rows, stored_managers)


def cycle_errors(rows: Sequence[Row], stored_managers: Mapping[str, str]) -> Problems:
    """Reporting loops once the file is applied over the database, one error per loop.

    Linear time: each person is walked once (a chain of 10,000 managers stays fast).
    """
    managers = dict(stored_managers)
    managers.update({r.email: r.manager_email for r in rows})
    line_of = {r.email: r.line for r in rows}
    done: set[str] = set()
    errors = []
    for row in rows:
        path: list[str] = []
        on_path: dict[str, int] = {}
        current = row.email
        while current and current not in done and current not in on_path:
            on_path[current] = len(path)
            path.append(current)
            current = managers.get(current, "")
        if current in on_path:
            loop = path[on_path[current] :]
            first = min(loop, key=lambda e: line_of.get(e, 0) or len(line_of) + 2)
            errors.append(
                (
                    line_of.get(first, row.line),
                    "manager cycle: "
                    + " → ".join([*loop[loop.index(first) :], *loop[: loop.index(first)], first]),
                )
            )
        done.update(path)
    return errors


def depth_errors(rows: Sequence[Row], stored_managers: Mapping[str, str]) -> Problems:
    """Rows whose reporting chain, once the file is applied, is deeper than MAX_LEVELS: one error
    per chain, on the line of the first person past the limit (iterative; loops are reported
    by cycle_errors)."""
    managers: dict[str, str | None] = {k: v or None for k, v in stored_managers.items()}
    managers.update({r.email: r.manager_email or None for r in rows})
    levels_of = all_levels(managers)
    errors = []
    for row in rows:
        levels = levels_of.get(row.email, 1)
        manager = managers.get(row.email)
        if levels > MAX_LEVELS and manager is not None and levels_of.get(manager) == MAX_LEVELS:
            errors.append(
                (
                    row.line,
                    f"the reporting chain above {row.email} is {levels} levels deep;"
                    f" at most {MAX_LEVELS} are allowed",
                )
            )
    return errors
