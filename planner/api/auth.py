"""Bearer-token authentication for /api/v1: personal tokens, scopes per area, never cookies.

token = "swpa_" + 43 url-safe characters (256 random bits); only its SHA-256 is stored. A
"write" scope includes "read" of the same area. A token works only while its owner is an
active admin or coordinator, and until it is revoked.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.access import ORGANISERS
from planner.api.problems import ApiProblem
from planner.models import ApiToken

TOKEN_PREFIX = "swpa_"
_TOKEN_SHAPE = re.compile(r"^swpa_[A-Za-z0-9_-]{43}$")
# Area -> what its scopes cover (shown on the token page and in the OpenAPI document).
SCOPE_AREAS = {
    "people": "People and teams",
    "recognition": "Praise and scorecard values",
    "events": "Calendar events (read only)",
    "feedback": "The feedback board (read only)",
    "plan": "The year plan's status (read only)",
}
WRITABLE = ("people", "recognition")
ALL_SCOPES = tuple(
    f"{area}:{access}"
    for area in SCOPE_AREAS
    for access in (("read", "write") if area in WRITABLE else ("read",))
)
# last_used_at is written at most this often per token (one small write, not one per request).
LAST_USED_EVERY = timedelta(minutes=1)


def new_token() -> str:
    """A fresh token, shown once."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """What the database keeps of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def grants(scopes: frozenset[str], area: str, access: str) -> bool:
    """Whether these scopes allow `access` (read/write) on `area`; write includes read."""
    return f"{area}:{access}" in scopes or (access == "read" and f"{area}:write" in scopes)


def bearer_of(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None."""
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _refused(detail: str) -> ApiProblem:
    return ApiProblem(401, detail, headers={"WWW-Authenticate": 'Bearer realm="planner"'})


def authenticate(session: Session, header: str | None, now: datetime) -> ApiToken:
    """The live token of an Authorization header (ApiProblem 401 otherwise)."""
    token = bearer_of(header)
    if token is None:
        raise _refused("Send a personal API token: Authorization: Bearer swpa_...")
    if not _TOKEN_SHAPE.match(token):
        raise _refused("That is not a valid API token.")
    found = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if found is None or found.revoked_at is not None:
        raise _refused("That API token is unknown or revoked.")
    owner = found.owner
    if not owner.active or owner.role not in ORGANISERS:
        raise _refused("The owner of this token may no longer use the API.")
    return found


def use_due(token: ApiToken, now: datetime) -> bool:
    """Whether last_used_at should be written now (at most once per LAST_USED_EVERY)."""
    return token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY


def require_scope(token: ApiToken, area: str, access: str) -> None:
    """ApiProblem 403 unless the token has the scope."""
    if not grants(token.scope_set, area, access):
        scope = f"{area}:{access}"
        raise ApiProblem(
            403,
            f"This token lacks the scope {scope}.",
            headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{scope}"'},
        )
