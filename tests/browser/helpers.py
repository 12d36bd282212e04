"""Steps several browser tests share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests import factories


def sign_in(page: Any, base_url: str, email: str) -> None:
    """Sign in through the form, as a person would, and wait for the home page."""
    page.goto(base_url + "/sign-in")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Generous: on a loaded CI machine the password hash and the first /home took over 15 s.
    page.wait_for_url("**/home", timeout=60000)


AXE = Path(__file__).resolve().parents[1] / "js" / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


def axe_problems(page: Any) -> list[str]:
    """Serious and critical axe-core violations of the open page, one line per element."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` in tests/js")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{page.url} {v['id']} ({v['impact']}): {node['target']}"
        for v in result["violations"]
        if v["impact"] in SERIOUS
        for node in v["nodes"]
    ]


def sideways_scroll(page: Any) -> int:
    """How many pixels the page is wider than the window (0 = no sideways scrolling)."""
    page.wait_for_load_state("load")  # not mid-navigation: body exists
    width: int = page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - window.innerWidth"
    )
    return max(0, width)
