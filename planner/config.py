"""Configuration: defaults, then instance/config.py, then PLANNER_* environment variables."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from typing import Any

DEFAULT_SECRET_KEY = "dev-only-change-me"
MIN_SECRET_KEY_LENGTH = 32


class ConfigError(RuntimeError):
    """The configuration is unsafe or invalid for the chosen mode."""


DEFAULTS: dict[str, Any] = {
    "ENV": "development",  # development | production | testing
    "SECRET_KEY": DEFAULT_SECRET_KEY,
    "DATABASE_URL": None,  # default: sqlite:///<instance>/planner.sqlite3
    "BASE_URL": "http://127.0.0.1:5000",  # used in feed URLs and e-mails
    "UID_DOMAIN": "planner.invalid",  # the right-hand side of every calendar UID
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_DURATION": timedelta(days=30),
    "SESSION_IDLE_MINUTES": 120,
    "SESSION_ABSOLUTE_HOURS": 24,
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=24),
    "WTF_CSRF_ENABLED": True,
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,  # uploads (CSV, ICS) are capped here
    "LOGIN_MAX_FAILURES": 10,
    "LOGIN_WINDOW_MINUTES": 15,
    "INVITE_VALID_DAYS": 14,
    "SMTP_HOST": None,
    "SMTP_PORT": 25,
    "SMTP_TLS": False,
    "SMTP_USERNAME": None,
    "SMTP_PASSWORD": None,
    "MAIL_FROM": "planner@localhost",
}


def _coerce(raw: str, default: Any) -> Any:
    """Turn an environment string into the type of its default."""
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, timedelta):
        return timedelta(seconds=int(raw))
    if raw.startswith(("{", "[")):
        return json.loads(raw)
    return raw


def from_environment(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Read PLANNER_<KEY> variables for every known key (and any other PLANNER_* as strings)."""
    environ = dict(os.environ if environ is None else environ)
    found: dict[str, Any] = {}
    for name, raw in environ.items():
        if not name.startswith("PLANNER_") or name == "PLANNER_TEST_DATABASE_URL":
            continue
        key = name.removeprefix("PLANNER_")
        found[key] = _coerce(raw, DEFAULTS.get(key, ""))
    return found


def check_production(config: dict[str, Any]) -> None:
    """Refuse to run production with a default or short secret key (SECURITY.md item 1)."""
    if config.get("ENV") != "production":
        return
    key = config.get("SECRET_KEY") or ""
    if key == DEFAULT_SECRET_KEY or len(key) < MIN_SECRET_KEY_LENGTH:
        raise ConfigError(
            "PLANNER_SECRET_KEY must be set to a random value of at least "
            f"{MIN_SECRET_KEY_LENGTH} characters in production "
            "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))')."
        )
    if config.get("DEBUG"):
        raise ConfigError("DEBUG must be off in production.")


def load(app: Any, test_config: dict[str, Any] | None) -> None:
    """Fill app.config: defaults, instance/config.py, PLANNER_* variables, then test overrides."""
    app.config.update(DEFAULTS)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.update(from_environment())
    else:
        app.config.update(test_config)
    if not app.config.get("DATABASE_URL"):
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["DATABASE_URL"] = (
            f"sqlite:///{os.path.join(app.instance_path, 'planner.sqlite3')}"
        )
    production = app.config["ENV"] == "production"
    app.config["SESSION_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"] or production
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] or production
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=app.config["SESSION_ABSOLUTE_HOURS"])
    check_production(app.config)
