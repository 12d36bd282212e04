"""A small shared e-mail sender: SMTP when SMTP_HOST is set, else the "planner.mail" log.

Callers build `Message`s and hand them over AFTER their transaction committed, so a rolled-back
change never sends mail. A failing server is logged (without recipients) and reported back as a
count; it never breaks the page that caused the mail.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

log = logging.getLogger("planner.mail")


@dataclass(frozen=True)
class Message:
    """One plain-text e-mail to one recipient (no CC/BCC: recipients never see each other)."""

    to: str
    subject: str
    body: str
    unsubscribe_url: str | None = None


def _build(message: Message, sender: str) -> EmailMessage:
    """The MIME message, with List-Unsubscribe when the message offers it."""
    # Long unfolded headers: a folded or encoded List-Unsubscribe URL breaks mail clients.
    mime = EmailMessage(policy=policy.SMTP.clone(max_line_length=998))
    mime["From"] = sender
    mime["To"] = message.to
    # Header injection: a newline in a subject would start a new header.
    mime["Subject"] = " ".join(message.subject.split())
    mime["Date"] = formatdate(localtime=False)
    mime["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    if message.unsubscribe_url:
        mime["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
    mime.set_content(message.body, cte="quoted-printable")
    return mime


def send_all(config: Mapping[str, Any], messages: Iterable[Message]) -> int:
    """Send each message; returns how many were handed to the server (or written to the log)."""
    batch = list(messages)
    if not batch:
        return 0
    sender = config.get("MAIL_FROM") or "planner@localhost"
    host = config.get("SMTP_HOST")
    if not host:
        for message in batch:
            log.info(
                "e-mail (SMTP_HOST unset) to=%s subject=%s\n%s",
                message.to,
                message.subject,
                message.body,
            )
        return len(batch)
    sent = 0
    try:
        with smtplib.SMTP(host, int(config.get("SMTP_PORT") or 25), timeout=10) as smtp:
            if config.get("SMTP_TLS"):
                smtp.starttls()
            if config.get("SMTP_USERNAME"):
                smtp.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD") or "")
            for message in batch:
                try:
                    smtp.send_message(_build(message, sender))
                    sent += 1
                except smtplib.SMTPRecipientsRefused:
                    log.warning("e-mail refused by the server for one recipient")
    except (OSError, smtplib.SMTPException) as exc:
        log.error(
            "e-mail server unavailable (%s); %d of %d sent", type(exc).__name__, sent, len(batch)
        )
    return sent
