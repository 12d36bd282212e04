"""Sign-in throttling by progressive delays (SECURITY.md items 5, 6 and 17a).

No lock-out: after a few free failures each further failure doubles the wait before the next
try, up to a cap. Two counters, both in the database so every worker sees them:

- per address (every account): slows one machine spraying guesses;
- per account (every address): slows guessing one account, but only for the addresses that
  failed on it. A clean address always gets its password checked, so attacks from elsewhere
  never keep the real owner out.

Rows hold keyed digests of the e-mail and address (not the values), only failures, and only
for the window the throttle looks at: older rows are deleted on every attempt.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from planner.errors import PlannerError
from planner.models import LoginAttempt


class Throttled(PlannerError):
    """Too many recent failures: wait before the next try."""

    def __init__(self, seconds: int) -> None:
        wait = f"{seconds} seconds" if seconds < 120 else f"{(seconds + 59) // 60} minutes"
        super().__init__(f"Too many failed attempts. Try again in {wait}.")
        self.seconds = seconds


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failures are free, how the delay grows, and how long failures are kept."""

    window_minutes: int = 15
    free_per_account: int = 5
    free_per_address: int = 20
    first_delay_seconds: int = 1
    max_delay_seconds: int = 300


def digest(secret: str, kind: str, value: str) -> str:
    """A keyed digest of an e-mail or address: equal inputs match, the value is not stored."""
    message = f"{kind}:{value}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def delay_after(failures: int, free: int, policy: ThrottlePolicy) -> int:
    """PURE: seconds to wait after the last of `failures` failures (0 while still free)."""
    if failures <= free:
        return 0
    return min(policy.first_delay_seconds * 2 ** min(failures - free - 1, 30),
               policy.max_delay_seconds)  # fmt: skip


def _count_and_last(session: Session, *conditions: object) -> tuple[int, datetime | None]:
    """How many failures match, and when the latest was."""
    count, last = session.execute(
        select(func.count(), func.max(LoginAttempt.at)).where(*conditions)  # type: ignore[arg-type]
    ).one()
    return int(count or 0), last


def _remaining(last: datetime | None, wait: int, now: datetime) -> int:
    """Whole seconds left of a wait that started at `last`."""
    if last is None or wait <= 0:
        return 0
    left = (last + timedelta(seconds=wait) - now).total_seconds()
    return max(0, int(left + 0.999))


def check(
    session: Session, account: str, address: str, *, now: datetime, policy: ThrottlePolicy
) -> None:
    """Forget old failures, then raise Throttled when this attempt comes too soon."""
    session.execute(
        delete(LoginAttempt).where(LoginAttempt.at < now - timedelta(minutes=policy.window_minutes))
    )
    by_address, address_last = _count_and_last(session, LoginAttempt.address == address)
    wait = _remaining(address_last, delay_after(by_address, policy.free_per_address, policy), now)
    if wait:
        raise Throttled(wait)
    by_account, account_last = _count_and_last(session, LoginAttempt.email == account)
    wait = _remaining(account_last, delay_after(by_account, policy.free_per_account, policy), now)
    if (
        wait
        and _count_and_last(
            session, LoginAttempt.email == account, LoginAttempt.address == address
        )[0]
    ):
        raise Throttled(wait)


def record_failure(session: Session, account: str, address: str, *, now: datetime) -> None:
    """Remember one failed attempt (digests only)."""
    session.add(LoginAttempt(at=now, email=account, address=address, success=False))
    session.flush()


def forget_pair(session: Session, account: str, address: str) -> None:
    """After a success, this address's own failures on this account no longer count."""
    session.execute(
        delete(LoginAttempt).where(LoginAttempt.email == account, LoginAttempt.address == address)
    )
