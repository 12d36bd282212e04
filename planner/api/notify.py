"""Outgoing notifications to Teams and Slack: `deliver` (one POST, optionally with bounded
retries) and `announce` (one `notify-chat` job per active target subscribed to a topic).

`announce` only queues the jobs, in the caller's transaction: they are sent when it commits,
so a service star and its announcement are kept or dropped together, no page waits for a slow
channel, and the queue's retries (planner/api/jobs.py) take over when a channel is down.
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.api.payloads import Announcement, message_for
from planner.api.urls import resolve_checked, url_problem
from planner.models import NotifyTarget

log = logging.getLogger("planner.api.notify")
ATTEMPTS = 3
TIMEOUT_SECONDS = 5.0
BACKOFF_SECONDS = (0.5, 2.0)  # before the 2nd and the 3rd try
RETRY_AFTER_MAX = 10.0


@dataclass(frozen=True)
class Outcome:
    """How a delivery went."""

    ok: bool
    status: int | None
    attempts: int
    error: str = ""
    retryable: bool = True  # False for a refused URL or a 4xx answer: trying again cannot help


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to an address checked beforehand, verifying the certificate for the host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        """Connect to the checked address, TLS with SNI and verification for the host."""
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Plain HTTP to a checked (loopback, tests only) address."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        """Connect to the checked address."""
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def _post_once(url: str, body: bytes, *, allow_loopback: bool, timeout: float) -> tuple[int, str]:
    """One POST; (status, Retry-After). ValueError for a refused URL, OSError for the network."""
    if problem := url_problem(url, allow_loopback=allow_loopback):
        raise ValueError(problem)
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = resolve_checked(host, port, allow_loopback=allow_loopback)
    if parts.scheme == "http" and address not in ("127.0.0.1", "::1"):
        raise ValueError("plain http is allowed to loopback only")
    kind = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = kind(host, port, address, timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={"Content-Type": "application/json", "User-Agent": "service-week-planner"},
        )
        response = connection.getresponse()
        response.read(65536)
        return response.status, response.getheader("Retry-After") or ""
    finally:
        connection.close()


def deliver(
    url: str,
    payload: dict[str, Any],
    *,
    allow_loopback: bool = False,
    attempts: int = ATTEMPTS,
    timeout: float = TIMEOUT_SECONDS,
    sleep: Callable[[float], None] = time.sleep,
) -> Outcome:
    """POST JSON to an incoming-webhook URL; retry network errors, 429 and 5xx, at most
    `attempts` times (redirects are not followed: a webhook URL answers itself)."""
    body = json.dumps(payload).encode()
    status: int | None = None
    error = ""
    for attempt in range(1, attempts + 1):
        retry_after = ""
        try:
            status, retry_after = _post_once(
                url, body, allow_loopback=allow_loopback, timeout=timeout
            )
        except ValueError as exc:
            return Outcome(False, None, attempt, str(exc), retryable=False)
        except OSError as exc:
            status, error = None, f"network error: {type(exc).__name__}"
        else:
            if 200 <= status < 300:
                return Outcome(True, status, attempt)
            error = f"HTTP {status}"
            if status != 429 and status < 500:
                return Outcome(False, status, attempt, error, retryable=False)
        if attempt < attempts:
            wait = BACKOFF_SECONDS[min(attempt - 1, len(BACKOFF_SECONDS) - 1)]
            if retry_after.strip().isdigit():
                wait = min(float(retry_after.strip()), RETRY_AFTER_MAX)
            sleep(wait)
    return Outcome(False, status, attempts, error)


@dataclass(frozen=True)
class Target:
    """A target as plain values, so no transaction stays open while the network is slow."""

    id: int
    kind: str
    url: str


def targets_for(session: Session, topic: str) -> list[Target]:
    """The active targets subscribed to a topic."""
    rows = session.scalars(select(NotifyTarget).where(NotifyTarget.active.is_(True)))
    return [Target(t.id, t.kind, t.url) for t in rows if topic in t.topic_set]


def record(session: Session, results: list[tuple[Target, Outcome]], now: datetime) -> None:
    """Keep each target's last success or error."""
    for target, outcome in results:
        row = session.get(NotifyTarget, target.id)
        if row is None:
            continue
        if outcome.ok:
            row.last_sent_at, row.last_error, row.failures = now, "", 0
        else:
            row.last_error, row.failures = outcome.error[:300], row.failures + 1
            log.warning("notification to target %s failed: %s", target.id, outcome.error)
    session.flush()


def announce(
    session: Session,
    note: Announcement,
    *,
    requested_by: int | None = None,
    app: Flask | None = None,
) -> int:
    """Queue one `notify-chat` job per active target subscribed to the note's topic (sent when
    the session commits). Returns how many channels will get it."""
    from planner.jobs import enqueue

    targets = targets_for(session, note.topic)
    for target in targets:
        enqueue(
            session, "notify-chat",
            {"target_id": target.id, "topic": note.topic,
             "payload": message_for(target.kind, note)},
            requested_by=requested_by, app=app,
        )  # fmt: skip
    return len(targets)
