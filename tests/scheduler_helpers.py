"""Shared builders for the year-plan integration tests (a small organisation, a cadence)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.models import Cadence, Event, Person, Team
from tests import factories


@dataclass
class SmallOrg:
    """A head of service, team leads reporting to them, staff reporting to the leads."""

    head: Person
    teams: list[Team]
    leads: list[Person]
    staff: list[Person]


def small_org(
    session: Session, *, teams: int = 2, staff_per_team: int = 3, country: str = "NL",
    time_zone: str = "Europe/Amsterdam",
) -> SmallOrg:  # fmt: skip
    """An organisation with `teams` frontline teams."""
    factories.organisation(session, time_zone=time_zone, country=country)
    head = factories.person(session, role="leader", name="Hana Head")
    made = SmallOrg(head, [], [], [])
    for n in range(teams):
        team = factories.team(session, f"Front {n + 1}")
        lead = factories.person(
            session, role="leader", team=team, manager=head, name=f"Lead {n + 1}"
        )
        made.teams.append(team)
        made.leads.append(lead)
        for _ in range(staff_per_team):
            made.staff.append(factories.person(session, team=team, manager=lead))
    return made


def cadence(session: Session, **values: Any) -> Cadence:
    """An active cadence (defaults: a monthly one-hour team touchpoint, 09:00-16:00)."""
    fields: dict[str, Any] = {
        "title": "Team touchpoint", "kind": "recognition", "practice": "P1",
        "expansion": "team", "min_gap_weeks": 3, "max_gap_weeks": 5, "duration_minutes": 60,
        "window_start": time(9), "window_end": time(16), "weekdays": "01234", "active": True,
    }  # fmt: skip
    fields.update(values)
    row = Cadence(**fields)
    session.add(row)
    session.flush()
    return row


def planned(session: Session, year: int) -> list[Event]:
    """The year's live planned events (read, then the transaction ends so the app can write)."""
    session.commit()
    found = list(
        session.scalars(
            select(Event)
            .where(Event.slot_key.like(f"{year}:%"), Event.status != "cancelled")
            .options(selectinload(Event.attendees))
            .order_by(Event.id)
            .execution_options(populate_existing=True)
        )
    )
    session.commit()
    return found


def hidden(html: str, name: str) -> str:
    """The value of a hidden input on a page."""
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    assert found, f"no hidden field {name}"
    return found.group(1)


def preview_and_publish(client: Any, year: int) -> str:
    """Generate the preview as a coordinator (a job, immediate in tests), open it and press
    Publish; returns the preview page."""
    generate_preview(client, year)
    page = client.get(f"/scheduler/preview?year={year}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    response = client.post(
        "/scheduler/publish", data={"year": hidden(html, "year"), "inputs": hidden(html, "inputs")}
    )
    assert response.status_code == 302
    assert f"/scheduler/?year={year}" in response.headers["Location"]
    return html


def generate_preview(client: Any, year: int) -> None:
    """Press "Generate the preview" on the preview page (the job runs at once in tests)."""
    response = client.post("/scheduler/preview", data={"year": str(year)})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert f"/scheduler/preview?year={year}" in response.headers["Location"]


def fresh(session: Session, model: Any, ident: int) -> Any:
    """A row as the database has it now (then the read transaction ends)."""
    session.expire_all()
    row = session.get(model, ident)
    session.commit()
    return row


def under_hash_seeds(script: str, seeds: tuple[str, ...] = ("1", "2", "3")) -> set[str]:
    """What a Python snippet prints in fresh interpreters with different PYTHONHASHSEEDs (one
    distinct output: the result does not depend on the seed)."""
    import subprocess
    import sys
    from pathlib import Path

    return {
        subprocess.run(
            [sys.executable, "-c", script],
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            cwd=Path(__file__).resolve().parents[1],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in seeds
    }
