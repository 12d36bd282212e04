"""Password hashing (argon2id, SECURITY.md item 4) and the password policy."""

from __future__ import annotations

from contextlib import suppress
from functools import lru_cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from planner.errors import InvalidInput
from planner.i18n import _

MIN_LENGTH = 8
MAX_LENGTH = 128

# OWASP's argon2id minimum: 19 MiB memory, 2 iterations, 1 lane.
HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped blocklist of common passwords, lower-cased."""
    text = files("planner.data").joinpath("common-passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def check_policy(password: str, *, email: str = "", name: str = "") -> None:
    """Raise InvalidInput when a new password is too short, too long or too guessable."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(_("Use at least %(MIN_LENGTH)s characters.", MIN_LENGTH=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        raise InvalidInput(_("Use at most %(MAX_LENGTH)s characters.", MAX_LENGTH=MAX_LENGTH))
    lowered = password.lower()
    local_part = email.split("@", 1)[0].lower()
    if lowered in common_passwords() or lowered.strip() in common_passwords():
        raise InvalidInput(
            _("This password is on the list of commonly used passwords; pick another.")
        )
    if (local_part and lowered == local_part) or (
        name and lowered == name.lower().replace(" ", "")
    ):
        raise InvalidInput(_("Do not use your name or e-mail address as your password."))


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return HASHER.hash(password)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash of nothing anyone types, made with today's parameters."""
    return HASHER.hash("no account has this password " + "x" * 16)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether the password matches; False for a missing or malformed hash.

    Without a hash (unknown e-mail, no password yet) a dummy hash is verified, so the answer
    takes as long as for a real account and its timing does not reveal who has one.
    """
    if not stored_hash:
        with suppress(VerifyMismatchError, VerificationError, InvalidHashError):
            HASHER.verify(_dummy_hash(), password)
        return False
    try:
        return HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether the stored hash was made with other parameters than today's."""
    return HASHER.check_needs_rehash(stored_hash)
