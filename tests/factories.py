"""Small builders for test data; they flush, the test commits when the app must see the data."""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session

from planner.auth.passwords import hash_password
from planner.models import Organisation, Person, Team

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


@lru_cache(maxsize=1)
def _password_hash() -> str:
    """One argon2id hash of PASSWORD, reused: hashing costs ~50 ms each time."""
    return hash_password(PASSWORD)


def organisation(session: Session, **values: Any) -> Organisation:
    """The organisation row (created once, updated with the given values)."""
    org = session.get(Organisation, 1)
    if org is None:
        org = Organisation(id=1, name="Acme Support", time_zone="Europe/Amsterdam", country="NL")
        session.add(org)
    for key, value in values.items():
        setattr(org, key, value)
    session.flush()
    return org


def team(session: Session, name: str | None = None, *, frontline: bool = True) -> Team:
    """A team with a unique name."""
    created = Team(name=name or f"Team {next(_counter)}", frontline=frontline)
    session.add(created)
    session.flush()
    return created


def person(
    session: Session,
    *,
    role: str = "staff",
    name: str | None = None,
    email: str | None = None,
    team: Team | None = None,
    manager: Person | None = None,
    password: str | None = None,
    active: bool = True,
) -> Person:
    """A person; with a password they can sign in (the shared test password only)."""
    n = next(_counter)
    created = Person(
        name=name or f"{role.title()} Person {n}",
        email=(email or f"{role}{n}@example.test").lower(),
        role=role,
        team=team,
        manager=manager,
        active=active,
        password_hash=_password_hash() if password == PASSWORD else None,
    )
    if password is not None and password != PASSWORD:
        created.password_hash = hash_password(password)
    session.add(created)
    session.flush()
    return created
