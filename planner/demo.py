"""The demo organisation: each area adds its part, in order, idempotently.

Each step is `planner.<area>.demo.load(session, today) -> list[str]` (lines to print).
"""

from __future__ import annotations

from datetime import date
from importlib import import_module
from importlib.util import find_spec

from sqlalchemy.orm import Session

STEPS = ("org", "csweek", "recognition", "feedback", "standards", "scheduler", "feeds")

DEMO_PASSWORD = "service-week-demo"
DEMO_COORDINATOR = "coordinator@demo.example"


def load_demo(session: Session, today: date | None = None) -> list[str]:
    """Load every area's demo data; running it again changes nothing that exists."""
    today = today or date.today()
    lines: list[str] = []
    for area in STEPS:
        if find_spec(f"planner.{area}.demo") is not None:
            lines.extend(import_module(f"planner.{area}.demo").load(session, today))
            session.flush()
    return lines
