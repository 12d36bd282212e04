"""PURE: webhook secrets and signatures (HMAC-SHA256), checked in constant time.

signature = "sha256=" + hex(HMAC-SHA256(secret, "<timestamp>." + raw body)). The timestamp
(Unix seconds, header X-Planner-Timestamp) is inside the signed bytes, so a captured delivery
cannot be replayed with a fresh timestamp; one older or newer than TOLERANCE is refused, and a
replay within it is answered from the idempotency record without being applied again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

SECRET_PREFIX = "swpw_"
TOLERANCE_SECONDS = 300


def derive_secret(secret_key: str, source_id: int, salt: str) -> str:
    """A source's signing secret: derived from the server secret, never stored."""
    mac = hmac.new(secret_key.encode(), f"webhook:{source_id}:{salt}".encode(), hashlib.sha256)
    return SECRET_PREFIX + base64.urlsafe_b64encode(mac.digest()).decode().rstrip("=")


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """The signature header value a sender computes."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def timestamp_problem(raw: str | None, now: float) -> str | None:
    """Why a timestamp header is refused (missing, not a number, too old or new), or None."""
    if not raw or not raw.strip().isdigit() or len(raw.strip()) > 12:
        return "X-Planner-Timestamp must be the Unix time in seconds."
    if abs(now - int(raw.strip())) > TOLERANCE_SECONDS:
        return f"X-Planner-Timestamp is more than {TOLERANCE_SECONDS // 60} minutes off."
    return None


def signature_matches(secret: str, timestamp: str, body: bytes, given: str | None) -> bool:
    """Whether the signature header is right (constant-time comparison)."""
    if not given:
        return False
    expected = sign(secret, timestamp.strip(), body)
    return hmac.compare_digest(expected.encode(), given.strip().encode("utf-8", "replace"))
