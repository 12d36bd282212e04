"""The server secret (SECURITY.md item 1): never a default, never weak, generated on first run.

`planner init` and `planner up` write a random key to `instance/secret_key` when none is
configured and reuse it afterwards; every other start refuses to run without a key.
"""

from __future__ import annotations

import math
import os
import secrets
import tempfile
from collections import Counter
from contextlib import suppress
from pathlib import Path

# The value this app once shipped as its default: public, so it is refused in every mode.
DEFAULT_SECRET_KEY = "dev-only-change-me"
MIN_SECRET_KEY_LENGTH = 32
# Shannon estimate of the key's information, in bits: 32 x "a" has 0, a token_urlsafe(48) ~350.
MIN_SECRET_KEY_BITS = 128
KEY_FILE = "secret_key"
KNOWN_WEAK = frozenset(
    {DEFAULT_SECRET_KEY, "changeme", "change-me", "secret", "dev", "development"}
)


def key_problem(key: str | None) -> str | None:
    """PURE: why this key is too weak for a server that others can reach, or None."""
    if not key:
        return "no secret key is set"
    if key.strip().lower() in KNOWN_WEAK:
        return "the secret key is a well-known default"
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return f"the secret key is shorter than {MIN_SECRET_KEY_LENGTH} characters"
    counts = Counter(key)
    bits = -sum(n * math.log2(n / len(key)) for n in counts.values())
    if bits < MIN_SECRET_KEY_BITS or len(counts) < 10:
        return "the secret key is not random enough (too few different characters)"
    return None


ADVICE = (
    "Run `planner init` once (it writes a random key to instance/secret_key) or set "
    "PLANNER_SECRET_KEY to a random value, e.g. "
    "python -c 'import secrets; print(secrets.token_urlsafe(48))'."
)


def read_key_file(instance_path: str) -> str | None:
    """The key stored in the instance folder, if any."""
    path = Path(instance_path) / KEY_FILE
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def generate_key_file(instance_path: str) -> str:
    """Write a random key into the instance folder unless one is there; returns the key in use.

    The file appears atomically (written aside, then hard-linked into place), so two processes
    starting at once agree on one key instead of each keeping its own.
    """
    folder = Path(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / KEY_FILE
    existing = read_key_file(instance_path)
    if existing:
        return existing
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".secret_key.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(48) + "\n")
        os.chmod(temporary, 0o600)
        with suppress(FileExistsError):  # another process won the race: use its key
            os.link(temporary, target)
    finally:
        os.unlink(temporary)
    key = read_key_file(instance_path)
    if not key:
        raise OSError(f"could not write {target}")
    return key
