"""Sign-in, sessions, passwords, throttling, invites, headers (SECURITY.md 1-9, 12, 26, 27)."""

from __future__ import annotations

from datetime import timedelta
from http.cookies import SimpleCookie
from typing import Any

import pytest
from flask import Flask

from planner import create_app
from planner.auth.operations import create_invite
from planner.config import ConfigError
from planner.db import database, utcnow
from planner.models import Person
from tests import factories


def sign_in(client: Any, email: str, password: str = factories.PASSWORD, **extra: Any) -> Any:
    return client.post("/sign-in", data={"email": email, "password": password, **extra})


def test_sign_in_and_out(client: Any, db: Any) -> None:
    person = factories.person(
        db, role="coordinator", name="Cora Ordinator", password=factories.PASSWORD
    )
    db.commit()
    response = sign_in(client, person.email.upper())  # e-mail is case-insensitive
    assert response.status_code == 302 and response.headers["Location"].endswith("/home")
    assert "Cora Ordinator" in client.get("/home").get_data(as_text=True)
    response = client.post("/sign-out")
    assert response.status_code == 302
    assert client.get("/home").status_code == 302  # back to sign-in


def test_unknown_user_and_wrong_password_get_the_same_answer(client: Any, db: Any) -> None:
    person = factories.person(db, password=factories.PASSWORD)
    db.commit()
    wrong = sign_in(client, person.email, "not the password")
    unknown = sign_in(client, "nobody@example.test", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    message = "do not match an account"
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_person_without_login_cannot_sign_in(client: Any, db: Any) -> None:
    person = factories.person(db)  # a staff record, no password
    db.commit()
    assert sign_in(client, person.email, "").status_code == 200  # form error: required
    assert sign_in(client, person.email, "anything at all").status_code == 401


def test_next_only_to_this_site(client: Any, db: Any) -> None:
    person = factories.person(db, password=factories.PASSWORD)
    db.commit()
    response = sign_in(client, person.email, next="https://evil.example/phish")
    assert response.headers["Location"].endswith("/home")
    client.post("/sign-out")
    response = sign_in(client, person.email, next="//evil.example/")
    assert response.headers["Location"].endswith("/home")
    client.post("/sign-out")
    response = sign_in(client, person.email, next="/account/password")
    assert response.headers["Location"].endswith("/account/password")


def test_remember_me_cookie_flags(client: Any, db: Any) -> None:
    person = factories.person(db, password=factories.PASSWORD)
    db.commit()
    response = sign_in(client, person.email, remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    remember = next(c for c in cookies if c.startswith("remember_token="))
    session_cookie = next(c for c in cookies if c.startswith("session="))
    for cookie in (remember, session_cookie):
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    parsed = SimpleCookie()
    parsed.load(remember)
    expires = parsed["remember_token"]["expires"]
    from email.utils import parsedate_to_datetime

    lifetime = parsedate_to_datetime(expires) - utcnow()
    assert timedelta(days=29) < lifetime <= timedelta(days=30, minutes=1)


def test_production_cookies_are_secure(app_config: dict[str, Any]) -> None:
    app = create_app({**app_config, "ENV": "production"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    database(app).engine.dispose()


@pytest.mark.parametrize("key", ["dev-only-change-me", "short", ""])
def test_production_refuses_weak_secret_key(app_config: dict[str, Any], key: str) -> None:
    with pytest.raises(ConfigError):
        create_app({**app_config, "ENV": "production", "SECRET_KEY": key})


def test_old_cookie_is_rejected_after_sign_out(app: Flask, db: Any) -> None:
    person = factories.person(db, password=factories.PASSWORD)
    db.commit()
    first = app.test_client()
    sign_in(first, person.email, remember="y")
    stolen = {c.key: c.value for c in first._cookies.values()}
    first.post("/sign-out")
    replay = app.test_client()
    for key, value in stolen.items():
        replay.set_cookie(key, value)
    assert replay.get("/home").status_code == 302  # session ended on the server


def test_password_change_ends_other_sessions(app: Flask, db: Any) -> None:
    person = factories.person(db, password=factories.PASSWORD)
    db.commit()
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, person.email)
    sign_in(phone, person.email)
    response = laptop.post(
        "/account/password",
        data={
            "current": factories.PASSWORD,
            "password": "a new long passphrase",
            "confirm": "a new long passphrase",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/home").status_code == 200  # the device that changed it stays in
    assert phone.get("/home").status_code == 302


def test_deactivation_ends_sessions(app: Flask, db: Any) -> None:
    person = factories.person(db, password=factories.PASSWORD)
    db.commit()
    client = app.test_client()
    sign_in(client, person.email)
    person.active = False
    db.commit()
    assert client.get("/home").status_code == 302


def test_password_is_argon2id_and_common_passwords_are_refused(
    client: Any, db: Any, app: Flask
) -> None:
    person = factories.person(db, password=factories.PASSWORD)
    db.commit()
    assert person.password_hash.startswith("$argon2id$v=19$m=19456,t=2")
    sign_in(client, person.email)
    for weak in ("password123", "short", "x" * 200):
        response = client.post(
            "/account/password",
            data={"current": factories.PASSWORD, "password": weak, "confirm": weak},
        )
        assert response.status_code == 200
        assert b"errors" in response.data or b"alert" in response.data
    db.expire_all()
    assert db.get(Person, person.id).password_hash == person.password_hash


def test_invite_link_sets_password_once(client: Any, db: Any) -> None:
    admin = factories.person(db, role="coordinator")
    staff = factories.person(db, name="Sam Staff")
    token = create_invite(db, staff.id, actor=admin, now=utcnow())
    db.commit()
    assert staff.invite_token_hash and token not in staff.invite_token_hash
    page = client.get(f"/invite/{token}")
    assert b"Sam Staff" in page.data
    new = "my own good passphrase"
    response = client.post(f"/invite/{token}", data={"password": new, "confirm": new})
    assert response.status_code == 302
    assert client.get("/home").status_code == 200
    assert client.get(f"/invite/{token}").status_code == 404  # used up
    client.post("/sign-out")
    assert sign_in(client, staff.email, new).status_code == 302


def test_expired_invite_is_refused(client: Any, db: Any) -> None:
    admin = factories.person(db, role="admin")
    staff = factories.person(db)
    token = create_invite(db, staff.id, actor=admin, now=utcnow() - timedelta(days=30))
    db.commit()
    assert client.get(f"/invite/{token}").status_code == 404


def test_csrf_is_enforced(app_config: dict[str, Any], db: Any) -> None:
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    person = factories.person(db, password=factories.PASSWORD)
    db.commit()
    response = client.post("/sign-in", data={"email": person.email, "password": factories.PASSWORD})
    assert response.status_code == 400
    assert b"form expired" in response.data
    database(app).engine.dispose()


def test_security_headers_on_pages_and_errors(client: Any) -> None:
    for path in ("/sign-in", "/no-such-page", "/healthz"):
        headers = client.get(path).headers
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]


def test_hsts_in_production(app_config: dict[str, Any]) -> None:
    app = create_app({**app_config, "ENV": "production"})
    assert "max-age" in app.test_client().get("/sign-in").headers["Strict-Transport-Security"]
    database(app).engine.dispose()


def test_healthz_reports_database_state(app_config: dict[str, Any], client: Any) -> None:
    assert client.get("/healthz").get_json() == {
        "status": "ok",
        "database": "up",
        "version": "0.1.0",
    }
    broken = create_app({**app_config, "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json()["database"] == "down"


def test_database_down_gives_503_page_not_traceback(app_config: dict[str, Any]) -> None:
    broken = create_app({**app_config, "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    response = broken.test_client().post(
        "/sign-in", data={"email": "a@b.c", "password": "whatever1"}
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    assert b"Traceback" not in response.data and b"not reachable" in response.data


def test_tokens_are_redacted_from_logs(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    from planner.web import redact

    assert redact("GET /calendars/swp_secret123/leader.ics HTTP/1.1") == (
        "GET /calendars/[redacted]/leader.ics HTTP/1.1"
    )
    assert "inv_abc" not in redact("/invite/inv_abc")
    import logging

    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logging.getLogger("werkzeug").info('"%s" 200', "GET /calendars/swp_zzz/x.ics HTTP/1.1")
    assert "swp_zzz" not in caplog.text


def test_stylesheets_are_served(client: Any) -> None:
    for path in ("/static/css/app.css", "/static/css/print.css"):
        with client.get(path) as response:  # a file response must be closed
            assert response.status_code == 200 and b"{" in response.data


def test_idle_and_absolute_session_limits(client: Any, db: Any) -> None:
    person = factories.person(db, password=factories.PASSWORD)
    db.commit()
    sign_in(client, person.email)
    assert client.get("/home").status_code == 200
    with client.session_transaction() as stored:
        stored["last_seen"] -= 121 * 60  # idle for longer than 120 minutes
    assert client.get("/home").status_code == 302
    sign_in(client, person.email)
    with client.session_transaction() as stored:
        stored["signed_in_at"] -= 25 * 3600  # older than the 24-hour absolute limit
    assert client.get("/home").status_code == 302
