"""Browser fixtures: a live app in a background thread and a Playwright page on Debian's Chromium.

Tests skip, with the reason, when Chromium or Playwright is missing; CI installs both.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from planner import create_app
from planner.db import database

CHROMIUM = os.environ.get("PLANNER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@dataclass
class LiveServer:
    """A running app: its base URL and the Flask app (for arranging data with its database)."""

    url: str
    app: Flask


@pytest.fixture
def live_server(app_config: dict[str, Any]) -> Iterator[LiveServer]:
    """Serve a fresh app (CSRF on, as in production) on a free local port."""
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True, "TESTING": False})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = url
    yield LiveServer(url=url, app=app)
    server.shutdown()
    thread.join(timeout=5)
    database(app).engine.dispose()


@pytest.fixture(scope="session")
def _browser() -> Iterator[Any]:
    """One headless Chromium for the whole run."""
    # CI sets PLANNER_REQUIRE_BROWSER=1 so a missing browser fails instead of skipping.
    give_up = pytest.fail if os.environ.get("PLANNER_REQUIRE_BROWSER") else pytest.skip
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        give_up(f"Chromium not found at {CHROMIUM} (install Debian's 'chromium' package)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        give_up("playwright is not installed (pip install -e '.[test]')")
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(_browser: Any) -> Iterator[Any]:
    """A fresh browser context and page (no cookies shared between tests)."""
    context = _browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    pg = context.new_page()
    yield pg
    context.close()
