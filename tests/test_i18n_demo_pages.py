"""The demo organisation browsed in Dutch and Lithuanian, link by link, as a coordinator, a
leader and a frontline colleague: no English catalogue text is left on any page they reach."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from flask import Flask

from planner.demo import load_demo
from tests.demo_crawl import crawl_demo_people, report
from tests.i18n_pages import untranslated, visible_text

pytestmark = pytest.mark.slow

# Stored before anyone chose a language: the demo's certification reminder was written in English
# (it is rewritten in its owner's language the next time it moves).
STORED_ENGLISH = ("Your refresher certification expires on",)


def _english_left(locale: str) -> Callable[[str], list[str]]:
    """What of a page is the catalogue's English, with a little text around it."""

    def check(page: str) -> list[str]:
        found = [p for p in untranslated(page, locale) if p not in STORED_ENGLISH]
        if not found:
            return []
        text = visible_text(page)
        return [f"{p} in …{text[max(0, text.find(p) - 50) : text.find(p) + 70]}…" for p in found]

    return check


@pytest.mark.parametrize("locale", ["nl", "lt"])
def test_the_demo_in_dutch_and_lithuanian(app: Flask, db: Any, locale: str) -> None:
    load_demo(db, date(2026, 11, 23))
    db.commit()
    left = crawl_demo_people(app, db, locale, _english_left(locale))
    assert left == {}, report(left)
