"""The demo organisation browsed link by link, as its coordinator, a leader and a frontline
colleague in one language: the walk behind the untranslated-text tests (Dutch, Lithuanian and
the pseudo-locale)."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import select

from planner.demo import DEMO_COORDINATOR, DEMO_PASSWORD
from planner.models import Person

LINK = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/static", "/feeds/c/", ".ics", ".csv", "/export", "/sign-out", "/language")
MAX_PAGES = 90

# What is wrong on one page (its HTML): the words to report, none when it is fine.
PageCheck = Callable[[str], list[str]]


def crawl(client: Any, check: PageCheck, skip: tuple[str, ...] = SKIP) -> dict[str, list[str]]:
    """From /home, breadth first, up to MAX_PAGES pages: what `check` found, by path."""
    left: dict[str, list[str]] = {}
    queue, seen = deque(["/home"]), {"/home"}
    while queue and len(seen) <= MAX_PAGES:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or not response.content_type.startswith("text/html"):
            continue
        page = response.get_data(as_text=True)
        if found := check(page):
            left[path] = found
        for link in LINK.findall(page):
            link = link.replace("&amp;", "&")
            if link not in seen and not any(s in link for s in skip):
                seen.add(link)
                queue.append(link)
    return left


def crawl_demo_people(
    app: Flask, db: Any, language: str, check: PageCheck, skip: tuple[str, ...] = SKIP
) -> dict[str, list[str]]:
    """Sign in as the demo's coordinator, first leader and a frontline colleague who has a
    password, each set to `language`, and crawl: what `check` found, by "role path" (the demo
    is loaded and committed by the caller)."""
    coordinator = db.scalar(select(Person).where(Person.email == DEMO_COORDINATOR))
    leader = db.scalar(select(Person).where(Person.role == "leader").order_by(Person.id))
    staff = db.scalar(
        select(Person).where(Person.role == "staff", Person.password_hash.is_not(None))
    )
    left: dict[str, list[str]] = {}
    for person in (coordinator, leader, staff):
        if person is None or not person.password_hash:
            continue
        person.language = language
        db.commit()
        client = app.test_client()
        signed_in = client.post("/sign-in", data={"email": person.email, "password": DEMO_PASSWORD})
        assert signed_in.status_code == 302
        for path, found in crawl(client, check, skip).items():
            left.setdefault(f"{person.role} {path}", found)
    return left


def report(left: dict[str, list[str]]) -> str:
    """The failure message: one line per page."""
    return "\n".join(f"{k}: {v}" for k, v in sorted(left.items()))
