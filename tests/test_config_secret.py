"""Issue 13 part A: no default secret key, strict environment parsing, the mail log, and a
database outage answered without the database (SECURITY.md 1, 17b, 26)."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import sessionmaker

from planner import create_app
from planner.config import ConfigError, from_environment, parse_bool, parse_env
from planner.db import Database, database, make_engine, utcnow
from tests import factories

STRONG = "Vq3-x8PzL1mK0rTn5sYw7bUc2dEf9gHa4jKl6QzXy"


@pytest.fixture
def environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str
) -> dict[str, str]:
    """A clean PLANNER_* environment over the test database and an empty instance folder."""
    for name in list(os.environ):
        if name.startswith("PLANNER_") and name != "PLANNER_TEST_DATABASE_URL":
            monkeypatch.delenv(name)
    values = {
        "PLANNER_INSTANCE_PATH": str(tmp_path / "instance"),
        "PLANNER_DATABASE_URL": database_url,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def _app(**kwargs: Any) -> Flask:
    app = create_app(**kwargs)
    database(app).engine.dispose()
    return app


def test_without_a_key_the_app_refuses_to_start(environment: dict[str, str]) -> None:
    with pytest.raises(ConfigError, match="No secret key"):
        create_app()


@pytest.mark.parametrize("env", ["", "development", "testing", "production"])
def test_the_old_default_key_is_refused_in_every_mode(
    environment: dict[str, str], monkeypatch: pytest.MonkeyPatch, env: str
) -> None:
    monkeypatch.setenv("PLANNER_SECRET_KEY", "dev-only-change-me")
    monkeypatch.setenv("PLANNER_ENV", env)
    with pytest.raises(ConfigError, match="well-known default"):
        create_app()


@pytest.mark.parametrize("env", ["", "Production", "prod", "PRODUCTION"])
@pytest.mark.parametrize("key", ["a" * 32, "ab" * 20, "short", "0123456789" * 3 + "01"])
def test_weak_keys_are_refused_in_production(
    environment: dict[str, str], monkeypatch: pytest.MonkeyPatch, env: str, key: str
) -> None:
    monkeypatch.setenv("PLANNER_SECRET_KEY", key)
    monkeypatch.setenv("PLANNER_ENV", env)
    with pytest.raises(ConfigError, match="In production"):
        create_app()


def test_environment_names_are_read_case_insensitively_and_unknown_ones_refused() -> None:
    assert [parse_env(v) for v in ("Production", "PROD", None, "", " Dev ", "Testing", "test")] == [
        "production", "production", "production", "production", "development", "testing",
        "testing",
    ]  # fmt: skip
    with pytest.raises(ConfigError, match="production, development or testing"):
        parse_env("staging")


def test_first_run_generates_a_random_key_into_the_instance_folder_and_reuses_it(
    environment: dict[str, str],
) -> None:
    first = _app(generate_secret_key=True)
    key_file = Path(environment["PLANNER_INSTANCE_PATH"]) / "secret_key"
    assert key_file.read_text().strip() == first.secret_key
    assert len(first.secret_key) >= 60 and first.config["ENV"] == "production"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert _app().secret_key == first.secret_key  # every later start uses the same key
    assert _app(generate_secret_key=True).secret_key == first.secret_key


def test_a_cookie_signed_with_the_old_default_is_refused(
    environment: dict[str, str], db: Any
) -> None:
    person = factories.person(db, role="admin", password=factories.PASSWORD)
    db.commit()
    app = create_app(generate_secret_key=True)

    def cookie(key: str) -> str:
        signer = Flask("forger")
        signer.secret_key = key
        serializer = signer.session_interface.get_signing_serializer(signer)  # type: ignore[attr-defined]
        now = utcnow().timestamp()
        value = {"_user_id": person.get_id(), "_fresh": True, "signed_in_at": now, "last_seen": now}
        return str(serializer.dumps(value))

    def home(key: str) -> int:
        client = app.test_client(use_cookies=False)
        headers = {"Cookie": f"session={cookie(key)}"}
        return client.get("/home", headers=headers, base_url="https://localhost").status_code

    assert home(app.secret_key) == 200  # the forgery works with the real key...
    assert home("dev-only-change-me") == 302  # ...and the old default opens nothing
    database(app).engine.dispose()


def test_booleans_are_parsed_properly_and_unknown_words_refused(
    environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    read = from_environment
    assert read({"PLANNER_DEBUG": "0"})["DEBUG"] is False
    assert read({"PLANNER_DEBUG": "false"})["DEBUG"] is False
    assert read({"PLANNER_DEBUG": "Off"})["DEBUG"] is False
    assert read({"PLANNER_DEBUG": "1"})["DEBUG"] is True
    assert read({"PLANNER_SMTP_TLS": "no"})["SMTP_TLS"] is False
    assert read({"PLANNER_SMTP_TLS": "YES"})["SMTP_TLS"] is True
    assert parse_bool("on") and not parse_bool("n")
    with pytest.raises(ConfigError, match="PLANNER_DEBUG must be true or false"):
        read({"PLANNER_DEBUG": "maybe"})
    with pytest.raises(ConfigError, match="PLANNER_SMTP_PORT"):
        read({"PLANNER_SMTP_PORT": "twenty-five"})
    # Production with PLANNER_DEBUG=0 starts (debug is off), with =1 it refuses.
    monkeypatch.setenv("PLANNER_SECRET_KEY", STRONG)
    monkeypatch.setenv("PLANNER_DEBUG", "0")
    assert _app().debug is False
    monkeypatch.setenv("PLANNER_DEBUG", "true")
    with pytest.raises(ConfigError, match="DEBUG must be off"):
        create_app()


def test_mail_log_is_visible_without_logging_set_up(app: Flask) -> None:
    """Under gunicorn nobody configures logging: the outbox log must still be written."""
    assert logging.getLogger("planner.mail").isEnabledFor(logging.INFO)


def test_trusted_proxies_is_a_number(
    environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANNER_SECRET_KEY", STRONG)
    monkeypatch.setenv("PLANNER_TRUSTED_PROXIES", "one")
    with pytest.raises(ConfigError, match="PLANNER_TRUSTED_PROXIES"):
        create_app()
    monkeypatch.setenv("PLANNER_TRUSTED_PROXIES", "1")
    assert _app().config["TRUSTED_PROXIES"] == 1


# --- 8. PostgreSQL down ------------------------------------------------------------------------


def test_database_down_gives_the_503_page_to_signed_in_people_too(
    app: Flask, client: Any, db: Any, tmp_path: Path
) -> None:
    person = factories.person(db, role="coordinator", password=factories.PASSWORD)
    db.commit()
    data = {"email": person.email, "password": factories.PASSWORD}
    assert client.post("/sign-in", data=data).status_code == 302
    working = app.extensions["planner_db"]
    broken = make_engine(f"sqlite:///{tmp_path / 'no-such-folder' / 'gone.sqlite3'}")
    app.extensions["planner_db"] = Database(broken, sessionmaker(bind=broken))
    try:
        for method, path in [
            ("GET", "/home"),
            ("GET", "/org/people"),
            ("GET", "/no-such-page"),
            ("POST", "/account/password"),
            ("POST", "/org/people/new"),
            ("POST", "/sign-out"),
        ]:
            response = client.open(path, method=method, data={"name": "x"})
            assert response.status_code == 503, (method, path)
            assert response.headers["Retry-After"] == "60"
            body = response.get_data(as_text=True)
            assert "not reachable" in body and "Traceback" not in body
            assert "Content-Security-Policy" in response.headers
    finally:
        app.extensions["planner_db"] = working
        broken.dispose()


def test_failed_statements_keep_their_parameters_out_of_errors_and_logs(
    database_url: str,
) -> None:
    engine = make_engine(database_url)
    insert = text("INSERT INTO team (id, name, frontline, created_at) VALUES (:id, :n, true, :at)")
    values = {"id": 7, "n": "canary-parameter-value", "at": utcnow()}
    with engine.begin() as conn:
        conn.execute(insert, values)
    with pytest.raises(DBAPIError) as caught, engine.begin() as conn:
        conn.execute(insert, values)  # the same id again
    assert "canary-parameter-value" not in str(caught.value)
    assert "parameters hidden" in str(caught.value)
    engine.dispose()
