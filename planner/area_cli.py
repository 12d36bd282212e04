"""Collects each area's click commands (defined in planner/<area>/commands.py as COMMANDS)."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

import click

AREAS = ("org", "csweek", "scheduler", "feeds", "feedback", "recognition", "standards")


def commands() -> list[click.Command]:
    """Every area's commands, in area order."""
    found: list[click.Command] = []
    for area in AREAS:
        if find_spec(f"planner.{area}.commands") is not None:
            found.extend(import_module(f"planner.{area}.commands").COMMANDS)
    return found
