"""Issue 13 part A: account takeover, sign-in timing, throttling that cannot lock the owner out,
and "Forgot your password?" (SECURITY.md 5, 6, 6a, 17a)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from sqlalchemy import select

from planner import create_app
from planner.auth import passwords, throttle
from planner.auth.operations import BadCredentials, authenticate, create_invite
from planner.auth.throttle import Throttled, ThrottlePolicy
from planner.db import database, utcnow
from planner.errors import InvalidInput, NotAllowed
from planner.models import LoginAttempt, Person
from tests import factories
from tests.conftest import SECRET


def sign_in(client: Any, email: str, password: str = factories.PASSWORD, **extra: Any) -> Any:
    return client.post("/sign-in", data={"email": email, "password": password, **extra})


def client_from(app: Flask, address: str) -> Any:
    """A test client whose requests come from this address."""
    return with_environ(app.test_client(), REMOTE_ADDR=address)


def with_environ(client: Any, **environ: str) -> Any:
    """The client, sending these WSGI environ values with every request."""
    client.environ_base.update(environ)
    return client


# --- 1. Account takeover by a coordinator (SECURITY.md 6a) -------------------------------------


def test_coordinator_cannot_take_over_the_admin_by_invite(
    client: Any, db: Any, login_as: Any
) -> None:
    factories.organisation(db)
    admin = factories.person(db, role="admin", password=factories.PASSWORD)
    db.commit()
    login_as("coordinator")
    page = client.post(f"/org/people/{admin.id}/invite", follow_redirects=True)
    assert "/invite/" not in page.get_data(as_text=True)
    assert "already has a password" in page.get_data(as_text=True)
    assert "Create invite link" not in page.get_data(as_text=True)  # not even offered
    db.expire_all()
    assert db.get(Person, admin.id).invite_token_hash is None


def test_invites_are_for_people_without_a_password_and_admins_are_invited_by_admins(
    db: Any,
) -> None:
    admin = factories.person(db, role="admin", password=factories.PASSWORD)
    coordinator = factories.person(db, role="coordinator", password=factories.PASSWORD)
    leader = factories.person(db, role="leader", password=factories.PASSWORD)
    new_admin = factories.person(db, role="admin")  # no password yet
    now = utcnow()
    for actor in (admin, coordinator):
        with pytest.raises(InvalidInput, match="already has a password"):
            create_invite(db, leader.id, actor=actor, now=now)
    with pytest.raises(NotAllowed, match="administrator"):
        create_invite(db, new_admin.id, actor=coordinator, now=now)
    assert create_invite(db, new_admin.id, actor=admin, now=now).startswith("inv_")


def test_an_invite_stops_working_once_a_password_is_set_or_the_role_changes(
    client: Any, db: Any
) -> None:
    coordinator = factories.person(db, role="coordinator")
    staff = factories.person(db)
    token = create_invite(db, staff.id, actor=coordinator, now=utcnow())
    staff.password_hash = passwords.hash_password("set some other way")
    db.commit()
    assert client.get(f"/invite/{token}").status_code == 404
    leader = factories.person(db, role="staff")
    token = create_invite(db, leader.id, actor=coordinator, now=utcnow())
    db.commit()
    from planner.org.operations import PersonChange, update_person

    admin = factories.person(db, role="admin")
    update_person(
        db,
        leader.id,
        PersonChange(leader.name, leader.email, "admin", None, ""),
        actor=admin,
    )
    db.commit()
    assert client.get(f"/invite/{token}").status_code == 404


def _edit(client: Any, person: Person, **changes: Any) -> Any:
    data = {
        "name": person.name,
        "email": person.email,
        "role": person.role,
        "team_id": "",
        "manager_email": "",
        "active": "y",
        **changes,
    }
    return client.post(f"/org/people/{person.id}/edit", data=data)


def test_only_an_admin_changes_the_e_mail_of_an_admin_or_of_someone_with_a_password(
    app: Flask, db: Any
) -> None:
    factories.organisation(db)
    admin = factories.person(db, role="admin", password=factories.PASSWORD)
    coordinator = factories.person(db, role="coordinator", password=factories.PASSWORD)
    leader = factories.person(db, role="leader", password=factories.PASSWORD)
    staff = factories.person(db)  # a staff record without a login
    db.commit()
    as_coordinator = app.test_client()
    sign_in(as_coordinator, coordinator.email)
    for target in (admin, leader):
        response = _edit(as_coordinator, target, email="attacker@evil.example")
        assert response.status_code == 422
        assert "Only an administrator can change the e-mail" in response.get_data(as_text=True)
    assert _edit(as_coordinator, staff, email="new.staff@example.test").status_code == 302
    assert _edit(as_coordinator, leader, name="Renamed Leader").status_code == 302
    as_admin = app.test_client()
    sign_in(as_admin, admin.email)
    assert _edit(as_admin, leader, email="leader.new@example.test").status_code == 302
    db.expire_all()
    assert db.get(Person, admin.id).email == admin.email
    assert db.get(Person, leader.id).email == "leader.new@example.test"
    assert db.get(Person, staff.id).email == "new.staff@example.test"


# --- 6. Sign-in timing --------------------------------------------------------------------------


class CountingHasher(PasswordHasher):
    """The real hasher, counting the argon2 verifications."""

    verified = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        type(self).verified += 1
        return super().verify(hash, password)


def test_every_sign_in_costs_one_argon2_verification(
    client: Any, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    hasher = CountingHasher(time_cost=2, memory_cost=19456, parallelism=1)
    monkeypatch.setattr(passwords, "HASHER", hasher)
    known = factories.person(db, password=factories.PASSWORD)
    no_login = factories.person(db)
    db.commit()
    for email in (known.email, "nobody@example.test", no_login.email):
        CountingHasher.verified = 0
        assert sign_in(client, email, "a wrong password").status_code == 401
        assert CountingHasher.verified == 1, email


# --- 7. Throttling: progressive delays, never a lock-out of the owner ---------------------------


def test_delays_grow_and_are_capped() -> None:
    policy = ThrottlePolicy(free_per_account=5, first_delay_seconds=1, max_delay_seconds=300)
    waits = [throttle.delay_after(n, 5, policy) for n in range(4, 16)]
    assert waits == [0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300]


def test_attacks_from_elsewhere_never_keep_the_owner_out(session: Any) -> None:
    owner = factories.person(session, password=factories.PASSWORD)
    session.commit()
    policy = ThrottlePolicy(free_per_account=3, free_per_address=5)
    now = utcnow()
    refused = 0
    for attempt in range(60):  # one attacker address, then many, over ten minutes
        address = "198.51.100.7" if attempt < 30 else f"203.0.113.{attempt}"
        try:
            at = now + timedelta(seconds=10 * attempt)
            authenticate(
                session, owner.email, "guess", address=address, now=at, secret=SECRET, policy=policy
            )
        except Throttled:
            refused += 1
        except BadCredentials:
            pass
    assert refused >= 15  # the attacker is slowed down
    signed_in = authenticate(
        session, owner.email, factories.PASSWORD, address="192.0.2.10",
        now=now + timedelta(minutes=10), secret=SECRET, policy=policy,
    )  # fmt: skip
    assert signed_in.id == owner.id


def test_the_owner_signs_in_from_their_address_after_an_attack_on_the_site(
    app_config: dict[str, Any], db: Any
) -> None:
    app = create_app({**app_config, "LOGIN_FREE_FAILURES": 3, "LOGIN_FIRST_DELAY_SECONDS": 600})
    owner = factories.person(db, password=factories.PASSWORD)
    db.commit()
    attacker = client_from(app, "198.51.100.7")
    statuses = [sign_in(attacker, owner.email, "guess number one").status_code for _ in range(12)]
    assert statuses[:4] == [401] * 4 and set(statuses[4:]) == {429}
    assert sign_in(attacker, owner.email).status_code == 429  # even the right password
    response = sign_in(client_from(app, "192.0.2.10"), owner.email)
    assert response.status_code == 302 and response.headers["Location"].endswith("/home")
    database(app).engine.dispose()


def test_throttle_is_shared_between_workers(app_config: dict[str, Any], db: Any) -> None:
    config = {**app_config, "LOGIN_FREE_FAILURES": 4, "LOGIN_FIRST_DELAY_SECONDS": 600}
    person = factories.person(db, password=factories.PASSWORD)
    db.commit()
    workers = [create_app(config), create_app(config)]
    statuses = [
        sign_in(workers[n % 2].test_client(), person.email, "wrong password!").status_code
        for n in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    response = sign_in(workers[0].test_client(), person.email, "wrong password!")
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    for worker in workers:
        database(worker).engine.dispose()


def test_behind_a_trusted_proxy_each_client_has_its_own_address(
    app_config: dict[str, Any], db: Any
) -> None:
    config = {**app_config, "LOGIN_ADDRESS_FREE_FAILURES": 3, "LOGIN_FIRST_DELAY_SECONDS": 600}
    victims = [factories.person(db, password=factories.PASSWORD) for _ in range(8)]
    db.commit()
    behind_proxy = create_app({**config, "TRUSTED_PROXIES": 1})
    proxy = "10.0.0.2"  # every request reaches the app from the proxy
    attacker = with_environ(
        behind_proxy.test_client(), REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7"
    )
    statuses = [sign_in(attacker, v.email, "guess number one").status_code for v in victims]
    assert statuses[-1] == 429  # the sprayer's own address is slowed down...
    colleague = with_environ(
        behind_proxy.test_client(), REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="192.0.2.10"
    )
    assert sign_in(colleague, victims[0].email).status_code == 302  # ...not everyone behind it
    # Without trusted proxies the header is ignored: rotating it does not escape the throttle.
    direct = create_app(config)
    statuses = [
        sign_in(
            with_environ(
                direct.test_client(),
                REMOTE_ADDR="198.51.100.8",
                HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
            ),
            victims[n].email,
            "guess number two",
        ).status_code
        for n in range(8)
    ]
    assert statuses[-1] == 429
    for app in (behind_proxy, direct):
        database(app).engine.dispose()


def test_login_attempts_store_digests_only_failures_and_not_for_long(client: Any, db: Any) -> None:
    person = factories.person(db, password=factories.PASSWORD)
    db.add(LoginAttempt(at=utcnow() - timedelta(days=2), email="x", address="y", success=False))
    db.commit()
    sign_in(client, person.email, "a wrong password")
    sign_in(client, person.email)  # success: not stored, and forgives this address's failures
    client.post("/sign-out")
    sign_in(client, "someone@example.test", "a wrong password")
    db.expire_all()
    rows = db.scalars(select(LoginAttempt)).all()
    assert len(rows) == 1  # the two-day-old row is gone, the success left nothing
    stored = f"{rows[0].email} {rows[0].address}"
    assert "someone" not in stored and "127.0.0.1" not in stored and "example" not in stored
    assert rows[0].success is False


# --- 5. Forgot password ------------------------------------------------------------------------


@pytest.fixture
def outbox(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Messages handed to the mail module by the auth views (which still logs them)."""
    from planner import mail
    from planner.auth import views

    sent: list[Any] = []

    def capture(config: Any, messages: Any) -> int:
        batch = list(messages)
        sent.extend(batch)
        return mail.send_all(config, batch)

    monkeypatch.setattr(views, "send_all", capture)
    return sent


def _link_path(message: Any) -> str:
    line = next(line for line in message.body.splitlines() if "/reset/" in line)
    return line.strip().removeprefix("http://planner.test")


def test_forgot_password_answers_the_same_for_any_address(
    client: Any, db: Any, outbox: list[Any], caplog: pytest.LogCaptureFixture
) -> None:
    person = factories.person(db, password=factories.PASSWORD)
    no_login = factories.person(db)
    db.commit()
    assert b"Forgot your password?" in client.get("/sign-in").data
    answers = []
    with caplog.at_level("INFO", logger="planner.mail"):
        for email in (person.email, "nobody@example.test", no_login.email):
            response = client.post("/forgot-password", data={"email": email})
            page = response.get_data(as_text=True).replace(email, "")
            answers.append((response.status_code, page))
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == 200 and "is on its way" in answers[0][1]
    assert [m.to for m in outbox] == [person.email]
    assert any(r.name == "planner.mail" and "Reset your password" in r.getMessage()
               for r in caplog.records)  # fmt: skip
    # Asking again straight away sends nothing new (no flooding a mailbox).
    client.post("/forgot-password", data={"email": person.email})
    assert len(outbox) == 1


def test_a_reset_link_works_once_and_ends_every_session(
    app: Flask, db: Any, outbox: list[Any]
) -> None:
    person = factories.person(db, password=factories.PASSWORD)
    db.commit()
    laptop = app.test_client()
    sign_in(laptop, person.email, remember="y")
    assert laptop.get("/home").status_code == 200
    phone = app.test_client()
    phone.post("/forgot-password", data={"email": person.email.upper()})
    path = _link_path(outbox[0])
    assert path.startswith("/reset/pwr_")
    from planner.web import redact

    assert "pwr_" not in redact(f"GET {path} HTTP/1.1")  # kept out of access logs
    page = phone.get(path)
    assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
    new = "a brand new passphrase"
    assert phone.post(path, data={"password": new, "confirm": new}).status_code == 302
    assert phone.get("/home").status_code == 200
    assert laptop.get("/home").status_code == 302  # the other session ended
    assert app.test_client().get(path).status_code == 404  # used up
    assert sign_in(app.test_client(), person.email, new).status_code == 302
    assert sign_in(app.test_client(), person.email).status_code == 401


def test_a_reset_link_expires_and_a_weak_password_is_refused(
    db: Any, client: Any, outbox: list[Any]
) -> None:
    from planner.auth.reset import request_reset

    person = factories.person(db, password=factories.PASSWORD)
    found = request_reset(db, person.email, now=utcnow() - timedelta(minutes=61), valid_minutes=60)
    assert found is not None
    db.commit()
    assert client.get(f"/reset/{found[1]}").status_code == 404
    client.post("/forgot-password", data={"email": person.email})
    path = _link_path(outbox[0])
    response = client.post(path, data={"password": "password123", "confirm": "password123"})
    assert response.status_code == 200 and "commonly used" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Person, person.id).password_hash == person.password_hash
