"""Integrations set-up and webhook intake: API tokens, webhook sources, notification targets.

Session first, plain values after; flush, never commit. The acting person is an argument.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.access import ORGANISERS
from planner.api import auth, signing
from planner.api.urls import url_problem
from planner.errors import InvalidInput, NotAllowed, NotFound
from planner.models import (
    ApiToken,
    AuditEntry,
    NotifyTarget,
    Person,
    Praise,
    WebhookReceipt,
    WebhookSource,
)
from planner.models.api import NOTIFY_KINDS, NOTIFY_TOPICS
from planner.recognition.praise import log_praise, quote_key
from planner.validation import text_problem

NAME_MAX = 100


def _organiser(actor: Person) -> None:
    if actor.role not in ORGANISERS:
        raise NotAllowed("Only coordinators and admins manage integrations.")


def _name(name: str) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput("Give it a name.")
    if len(name) > NAME_MAX:
        raise InvalidInput(f"Keep the name under {NAME_MAX} characters.")
    if problem := text_problem(name):
        raise InvalidInput(f"The name {problem}.")
    return name


def _audit(session: Session, actor: Person, action: str, subject: str, now: datetime) -> None:
    session.add(AuditEntry(at=now, actor_id=actor.id, action=action, subject=subject, detail=""))


# Tokens ---------------------------------------------------------------------------------------


def create_token(
    session: Session, actor: Person, *, name: str, scopes: list[str], now: datetime
) -> tuple[ApiToken, str]:
    """A new personal token of `actor` with these scopes; returns it and its secret (shown once)."""
    _organiser(actor)
    unknown = sorted(set(scopes) - set(auth.ALL_SCOPES))
    if unknown:
        raise InvalidInput(f"Unknown scope: {', '.join(unknown)}.")
    if not scopes:
        raise InvalidInput("Choose at least one scope.")
    secret = auth.new_token()
    token = ApiToken(
        owner_id=actor.id,
        name=_name(name),
        scopes=" ".join(sorted(set(scopes))),
        token_hash=auth.hash_token(secret),
        hint=secret[5:11],
        created_at=now,
    )
    session.add(token)
    session.flush()
    _audit(session, actor, "api_token.created", f"api_token:{token.id}", now)
    return token, secret


def tokens_for(session: Session, actor: Person) -> list[ApiToken]:
    """The tokens an actor sees: admins every token, coordinators their own."""
    query = select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    if actor.role != "admin":
        query = query.where(ApiToken.owner_id == actor.id)
    return list(session.scalars(query))


def revoke_token(session: Session, actor: Person, token_id: int, *, now: datetime) -> ApiToken:
    """Revoke a token at once (its owner's, or any for admins)."""
    token = session.get(ApiToken, token_id)
    if token is None or (actor.role != "admin" and token.owner_id != actor.id):
        raise NotFound("No such token.")
    if token.revoked_at is None:
        token.revoked_at = now
        _audit(session, actor, "api_token.revoked", f"api_token:{token.id}", now)
    session.flush()
    return token


# Webhook sources ------------------------------------------------------------------------------


def create_source(
    session: Session, secret_key: str, actor: Person, *, name: str, now: datetime
) -> tuple[WebhookSource, str]:
    """A new praise source; returns it and its signing secret (shown once)."""
    _organiser(actor)
    clean = _name(name)
    if session.scalar(select(WebhookSource.id).where(WebhookSource.name == clean)):
        raise InvalidInput("A source with that name exists already.")
    source = WebhookSource(
        name=clean, salt=secrets.token_hex(16), created_by_id=actor.id, created_at=now
    )
    session.add(source)
    session.flush()
    _audit(session, actor, "webhook_source.created", f"webhook_source:{source.id}", now)
    return source, signing.derive_secret(secret_key, source.id, source.salt)


def sources(session: Session) -> list[WebhookSource]:
    """Every praise source, by name."""
    return list(session.scalars(select(WebhookSource).order_by(WebhookSource.name)))


def set_source_active(
    session: Session, actor: Person, source_id: int, *, active: bool, now: datetime
) -> WebhookSource:
    """Turn a source off (its deliveries are refused) or on again with a new secret."""
    _organiser(actor)
    source = session.get(WebhookSource, source_id)
    if source is None:
        raise NotFound("No such source.")
    if active and not source.active:
        source.salt = secrets.token_hex(16)  # a source turned back on never takes the old secret
    source.active = active
    _audit(
        session,
        actor,
        f"webhook_source.{'on' if active else 'off'}",
        f"webhook_source:{source.id}",
        now,
    )
    session.flush()
    return source


@dataclass(frozen=True)
class Delivery:
    """The outcome of a webhook delivery."""

    status: str  # created | duplicate
    praise_id: int | None


def receive_praise(
    session: Session,
    source: WebhookSource,
    *,
    external_id: str,
    email: str,
    comment: str,
    received_on: date,
    channel: str,
    customer_name: str,
    today: date,
    now: datetime,
) -> Delivery:
    """Turn a signed delivery into praise for the person it names; a repeated id is a no-op."""
    done = session.scalar(
        select(WebhookReceipt).where(
            WebhookReceipt.source_id == source.id, WebhookReceipt.external_id == external_id
        )
    )
    if done is not None:
        return Delivery("duplicate", done.praise_id)
    person = session.scalar(select(Person).where(Person.email == email.strip().lower()))
    if person is None or not person.active:
        raise InvalidInput(f"No active person has the e-mail '{email.strip()[:254]}'.")
    same = session.scalar(
        select(Praise.id).where(
            Praise.person_id == person.id,
            Praise.received_on == received_on,
            Praise.quote_key == quote_key(comment.strip()),
        )
    )
    if same is None:
        praise = log_praise(
            session,
            person_id=person.id,
            received_on=received_on,
            channel=channel,
            quote=comment,
            customer_name=customer_name,
            logged_by_id=None,
            today=today,
            now=now,
        )
        same = praise.id
    session.add(
        WebhookReceipt(
            source_id=source.id, external_id=external_id, praise_id=same, received_at=now
        )
    )
    source.last_received_at = now
    session.flush()
    return Delivery("created", same)


# Notification targets -------------------------------------------------------------------------


def add_target(
    session: Session,
    actor: Person,
    *,
    kind: str,
    name: str,
    url: str,
    topics: list[str],
    allow_loopback: bool,
    now: datetime,
) -> NotifyTarget:
    """A Teams or Slack incoming-webhook URL and what to announce there."""
    _organiser(actor)
    if kind not in NOTIFY_KINDS:
        raise InvalidInput("Choose Microsoft Teams or Slack.")
    if unknown := sorted(set(topics) - set(NOTIFY_TOPICS)):
        raise InvalidInput(f"Unknown topic: {', '.join(unknown)}.")
    if not topics:
        raise InvalidInput("Choose at least one thing to announce.")
    if problem := url_problem(url.strip(), allow_loopback=allow_loopback):
        raise InvalidInput(problem)
    target = NotifyTarget(
        kind=kind,
        name=_name(name),
        url=url.strip(),
        topics=" ".join(sorted(set(topics))),
        created_at=now,
    )
    session.add(target)
    session.flush()
    _audit(session, actor, "notify_target.created", f"notify_target:{target.id}", now)
    return target


def targets(session: Session) -> list[NotifyTarget]:
    """Every notification target, by name."""
    return list(session.scalars(select(NotifyTarget).order_by(NotifyTarget.name, NotifyTarget.id)))


def remove_target(session: Session, actor: Person, target_id: int, *, now: datetime) -> None:
    """Delete a target."""
    _organiser(actor)
    target = session.get(NotifyTarget, target_id)
    if target is None:
        raise NotFound("No such target.")
    _audit(session, actor, "notify_target.deleted", f"notify_target:{target.id}", now)
    session.delete(target)
    session.flush()
