"""The demo organisation browsed in Dutch and Lithuanian, link by link, as a coordinator, a
leader and a frontline colleague: no English catalogue text is left on any page they reach."""

from __future__ import annotations

import re
from collections import deque
from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from planner.demo import DEMO_COORDINATOR, DEMO_PASSWORD, load_demo
from planner.models import Person
from tests.i18n_pages import untranslated, visible_text

pytestmark = pytest.mark.slow

LINK = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/static", "/feeds/c/", ".ics", ".csv", "/export", "/sign-out", "/language")
MAX_PAGES = 90
# Stored before anyone chose a language: the demo's certification reminder was written in English
# (it is rewritten in its owner's language the next time it moves).
STORED_ENGLISH = ("Your refresher certification expires on",)


def _crawl(client: Any, locale: str) -> dict[str, list[str]]:
    left: dict[str, list[str]] = {}
    queue, seen = deque(["/home"]), {"/home"}
    while queue and len(seen) <= MAX_PAGES:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or not response.content_type.startswith("text/html"):
            continue
        page = response.get_data(as_text=True)
        found = [p for p in untranslated(page, locale) if p not in STORED_ENGLISH]
        if found:
            text = visible_text(page)
            left[path] = [f"{p} in …{text[max(0, text.find(p) - 50) : text.find(p) + 70]}…"
                          for p in found]  # fmt: skip
        for link in LINK.findall(page):
            link = link.replace("&amp;", "&")
            if link not in seen and not any(s in link for s in SKIP):
                seen.add(link)
                queue.append(link)
    return left


@pytest.mark.parametrize("locale", ["nl", "lt"])
def test_the_demo_in_dutch_and_lithuanian(app: Flask, db: Any, locale: str) -> None:
    load_demo(db, date(2026, 11, 23))
    db.commit()
    coordinator = db.scalar(select(Person).where(Person.email == DEMO_COORDINATOR))
    leader = db.scalar(select(Person).where(Person.role == "leader").order_by(Person.id))
    staff = db.scalar(
        select(Person).where(Person.role == "staff", Person.password_hash.is_not(None))
    )
    left: dict[str, list[str]] = {}
    for person in (coordinator, leader, staff):
        if person is None or not person.password_hash:
            continue
        person.language = locale
        db.commit()
        client = app.test_client()
        signed_in = client.post("/sign-in", data={"email": person.email, "password": DEMO_PASSWORD})
        assert signed_in.status_code == 302
        for path, found in _crawl(client, locale).items():
            left.setdefault(f"{person.role} {path}", found)
    assert left == {}, "\n".join(f"{k}: {v}" for k, v in sorted(left.items()))
