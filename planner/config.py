"""Configuration: defaults, then instance/config.py, then PLANNER_* environment variables."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from typing import Any

from planner import secret_key
from planner.secret_key import DEFAULT_SECRET_KEY, KNOWN_WEAK

__all__ = ["DEFAULT_SECRET_KEY", "ConfigError", "load", "parse_bool", "parse_env"]


class ConfigError(RuntimeError):
    """The configuration is unsafe or invalid for the chosen mode."""


# Accepted spellings of each mode, compared case-insensitively; unset means production.
ENV_NAMES = {
    "production": "production",
    "prod": "production",
    "development": "development",
    "dev": "development",
    "testing": "testing",
    "test": "testing",
}
TRUE_WORDS = frozenset({"1", "true", "yes", "on", "y", "t"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", "n", "f", ""})
# Flask's own switches, read from PLANNER_* like ours (PLANNER_DEBUG=0 means off).
BOOLEAN_KEYS = frozenset({"DEBUG", "TESTING", "PROPAGATE_EXCEPTIONS"})
# Read by create_app() itself, not a setting.
NOT_SETTINGS = frozenset({"PLANNER_TEST_DATABASE_URL", "PLANNER_INSTANCE_PATH"})

DEFAULTS: dict[str, Any] = {
    "ENV": None,  # production (unset) | development | testing
    "SECRET_KEY": None,  # PLANNER_SECRET_KEY, instance/config.py or instance/secret_key
    "TRUSTED_PROXIES": 0,  # how many reverse proxies in front set X-Forwarded-For/-Proto
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
    # Sign-in throttle (planner/auth/throttle.py): free failures, then doubling delays.
    "LOGIN_FREE_FAILURES": 5,  # per account
    "LOGIN_ADDRESS_FREE_FAILURES": 20,  # per address, over every account
    "LOGIN_FIRST_DELAY_SECONDS": 1,
    "LOGIN_MAX_DELAY_SECONDS": 300,
    "LOGIN_WINDOW_MINUTES": 15,  # failures are forgotten (deleted) after this
    "INVITE_VALID_DAYS": 14,
    "PASSWORD_RESET_MINUTES": 60,
    "SMTP_HOST": None,
    "SMTP_PORT": 25,
    "SMTP_TLS": False,
    "SMTP_USERNAME": None,
    "SMTP_PASSWORD": None,
    "MAIL_FROM": "planner@localhost",
    # Background jobs: sqlite:///<file> (default: instance/jobs.sqlite3), redis://host:port/db,
    # or "immediate" (run in the web process; the test default).
    "JOBS_URL": None,
    "JOBS_NAME": "planner",  # the queue's name (several installations may share a Redis)
}


def parse_bool(raw: str, name: str = "value") -> bool:
    """One reading of yes/no for every boolean setting; an unknown word is an error."""
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name} must be true or false (1/0, yes/no, on/off), not {raw!r}.")


def parse_env(raw: Any) -> str:
    """The mode from PLANNER_ENV, case-insensitively; unset is production."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return "production"
    name = ENV_NAMES.get(str(raw).strip().lower())
    if name is None:
        raise ConfigError(
            f"PLANNER_ENV must be production, development or testing, not {str(raw)!r}."
        )
    return name


def _coerce(name: str, raw: str, default: Any) -> Any:
    """Turn an environment string into the type of its default."""
    key = name.removeprefix("PLANNER_")
    if isinstance(default, bool) or key in BOOLEAN_KEYS:
        return parse_bool(raw, name)
    try:
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, timedelta):
            return timedelta(seconds=int(raw))
        if raw.startswith(("{", "[")):
            return json.loads(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} has a value that cannot be read: {raw!r}.") from exc
    return raw


def from_environment(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Read PLANNER_<KEY> variables for every known key (and any other PLANNER_* as strings)."""
    environ = dict(os.environ if environ is None else environ)
    found: dict[str, Any] = {}
    for name, raw in environ.items():
        if not name.startswith("PLANNER_") or name in NOT_SETTINGS:
            continue
        key = name.removeprefix("PLANNER_")
        found[key] = _coerce(name, raw, DEFAULTS.get(key, ""))
    return found


def _resolve_secret_key(config: dict[str, Any], instance_path: str, generate: bool) -> None:
    """Take the configured key, else instance/secret_key, else (init/up only) a new one."""
    if config.get("SECRET_KEY"):
        return
    config["SECRET_KEY"] = secret_key.read_key_file(instance_path)
    if not config["SECRET_KEY"] and generate:
        try:
            config["SECRET_KEY"] = secret_key.generate_key_file(instance_path)
        except OSError as exc:
            raise ConfigError(f"Cannot write a secret key into {instance_path}: {exc}") from exc
    if not config["SECRET_KEY"]:
        raise ConfigError(f"No secret key is configured. {secret_key.ADVICE}")


def check_production(config: dict[str, Any]) -> None:
    """Refuse a public or (in production) weak secret key, and debug in production."""
    key = config.get("SECRET_KEY") or ""
    if key.strip().lower() in KNOWN_WEAK:
        raise ConfigError(
            f"The secret key is a well-known default and signs nothing safely. {secret_key.ADVICE}"
        )
    if config.get("ENV") != "production":
        return
    if problem := secret_key.key_problem(key):
        raise ConfigError(f"In production {problem}. {secret_key.ADVICE}")
    if config.get("DEBUG"):
        raise ConfigError("DEBUG must be off in production.")


def load(
    app: Any,
    test_config: dict[str, Any] | None,
    *,
    generate_secret_key: bool = False,
    default_env: str = "production",
) -> None:
    """Fill app.config: defaults, instance/config.py, PLANNER_* variables, then test overrides."""
    app.config.update({k: v for k, v in DEFAULTS.items() if k != "BASE_URL"})
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.update(from_environment())
    else:
        app.config.update(test_config)
    # Whether BASE_URL was configured (config file, PLANNER_BASE_URL or test config): when it
    # was not, `planner up/run/serve --port N` make links with that port (planner/cli.py).
    app.config["BASE_URL_EXPLICIT"] = bool(app.config.get("BASE_URL"))
    if not app.config["BASE_URL_EXPLICIT"]:
        app.config["BASE_URL"] = DEFAULTS["BASE_URL"]
    if not app.config.get("DATABASE_URL"):
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["DATABASE_URL"] = (
            f"sqlite:///{os.path.join(app.instance_path, 'planner.sqlite3')}"
        )
    app.config["ENV"] = parse_env(app.config.get("ENV") or default_env)
    _resolve_secret_key(app.config, app.instance_path, generate_secret_key)
    production = app.config["ENV"] == "production"
    app.config["SESSION_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"] or production
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] or production
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=app.config["SESSION_ABSOLUTE_HOURS"])
    check_production(app.config)
