"""E-mail against a real SMTP server started by the test (aiosmtpd): right recipients, a working
one-click unsubscribe, nothing to an anonymous author, the monthly digest and its opt-out."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from planner.models import FeedbackUnsubscription
from tests import factories
from tests.test_feedback_support import build_org, client_for, look, only_item, raise_via_form


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        return sorted(r for rcpts, _ in self.messages for r in rcpts)

    def to(self, address: str) -> list[Message]:
        return [m for rcpts, m in self.messages if address in rcpts]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def inbox(app_config: dict[str, Any]) -> Iterator[Inbox]:
    """A real SMTP server on 127.0.0.1 and an app configured to use it."""
    handler = Inbox()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    app_config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, MAIL_FROM="planner@acme.test")
    yield handler
    controller.stop()


def _body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode("utf-8")


def test_status_change_mails_author_and_voters_not_actor_and_unsubscribe_works(
    inbox: Inbox, app: Any, db: Any
) -> None:
    org = build_org(db)
    voter = factories.person(db, role="staff", name="Vic Voter", email="vic@acme.test",
                             team=org.big, password=factories.PASSWORD)  # fmt: skip
    db.commit()
    staff = client_for(app, org.staff)
    raise_via_form(staff, org.big.id, title="Queue screen freezes")
    item = only_item(app)
    client_for(app, voter).post(f"/feedback/{item.id}/vote")
    leader = client_for(app, org.leader)
    leader.post(f"/feedback/{item.id}/status", data={"to_status": "acknowledged", "version": "1"})

    assert inbox.recipients() == sorted([org.staff.email, voter.email])
    message = inbox.to(voter.email)[0]
    assert message["Subject"] == f"Feedback #{item.id} is acknowledged"
    assert message["From"] == "planner@acme.test"
    body = _body(message)
    assert "Queue screen freezes" in body and f"http://planner.test/feedback/{item.id}" in body
    link = re.search(r"http://planner\.test(/feedback/unsubscribe/\S+)", body)
    assert link and message["List-Unsubscribe"] == f"<http://planner.test{link.group(1)}>"

    # One click, no sign-in: GET only asks, POST unsubscribes.
    visitor = app.test_client()
    page = visitor.get(link.group(1))
    assert page.status_code == 200 and "Unsubscribe" in page.get_data(as_text=True)
    with look(app) as s:
        assert s.scalar(select(func.count()).select_from(FeedbackUnsubscription)) == 0
    done = visitor.post(link.group(1))
    assert "You are unsubscribed" in done.get_data(as_text=True)

    inbox.messages.clear()
    leader.post(
        f"/feedback/{item.id}/status",
        data={"to_status": "declined", "version": "2", "response": "Vendor ends support."},
    )
    assert inbox.recipients() == [org.staff.email]
    assert "Vendor ends support." in _body(inbox.to(org.staff.email)[0])


def test_anonymous_author_gets_no_mail(inbox: Inbox, app: Any, db: Any) -> None:
    org = build_org(db)
    staff = client_for(app, org.staff)
    raise_via_form(staff, org.big.id, anonymous="y")
    item = only_item(app)
    leader = client_for(app, org.leader)
    leader.post(f"/feedback/{item.id}/status", data={"to_status": "acknowledged", "version": "1"})
    leader.post(
        f"/feedback/{item.id}/status",
        data={"to_status": "declined", "version": "2", "response": "Out of scope."},
    )
    assert org.staff.email not in inbox.recipients()
    assert inbox.messages == []  # nobody else subscribed either


def test_monthly_digest_reaches_everyone_who_did_not_opt_out(
    inbox: Inbox, app: Any, db: Any, runner: Any
) -> None:
    org = build_org(db)
    inactive = factories.person(db, role="staff", email="gone@acme.test", active=False)
    db.commit()
    result = runner.invoke(args=["feedback-digest", "--month", "2026-11"])
    assert result.exit_code == 0, result.output
    everyone = inbox.recipients()
    assert org.staff.email in everyone and org.leader.email in everyone
    assert inactive.email not in everyone
    assert len(everyone) == len(set(everyone))
    body = _body(inbox.to(org.staff.email)[0])
    assert "http://planner.test/feedback/updates/2026-11" in body
    link = re.search(r"http://planner\.test(/feedback/unsubscribe/\S+)", body)
    assert link
    app.test_client().post(link.group(1))
    inbox.messages.clear()
    runner.invoke(args=["feedback-digest", "--month", "2026-11"])
    assert org.staff.email not in inbox.recipients()
    assert len(inbox.recipients()) == len(everyone) - 1


def test_without_smtp_host_mail_goes_to_the_log(app: Any, db: Any, caplog: Any) -> None:
    org = build_org(db)
    staff = client_for(app, org.staff)
    raise_via_form(staff, org.big.id)
    item = only_item(app)
    leader = client_for(app, org.leader)
    with caplog.at_level("INFO", logger="planner.mail"):
        leader.post(
            f"/feedback/{item.id}/status", data={"to_status": "acknowledged", "version": "1"}
        )
    lines = [r.getMessage() for r in caplog.records if r.name == "planner.mail"]
    assert len(lines) == 1 and org.staff.email in lines[0]
    assert "/feedback/unsubscribe/[redacted]" in lines[0]  # tokens never reach logs


def test_unsubscribe_token_cannot_be_forged_or_reused_for_another_item(app: Any) -> None:
    from planner.feedback.notify import read_unsubscribe_token, unsubscribe_token

    token = unsubscribe_token(app.config["SECRET_KEY"], 5, 123456)
    assert read_unsubscribe_token(app.config["SECRET_KEY"], token) == (5, 123456)
    assert read_unsubscribe_token("another-secret-that-is-long-enough-12345", token) is None
    assert read_unsubscribe_token(app.config["SECRET_KEY"], token[:-2] + "xx") is None
