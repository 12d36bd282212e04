"""Who may open which route: every view declares its roles (SECURITY.md item 10).

`@allow("leader", "coordinator")` records the roles on the view (the route x role test reads
them from the url_map) and enforces them: anonymous visitors are sent to sign in, signed-in
people without the role get 403. `@public` marks routes anyone may open, including feed and
receipt URLs whose secret token is the credential. An undecorated route fails the test suite.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from planner.extensions import login_manager

F = TypeVar("F", bound=Callable[..., Any])

ANONYMOUS = "anonymous"
SIGNED_IN = ("admin", "coordinator", "leader", "staff")
ALL = (ANONYMOUS, *SIGNED_IN)
LEADERS = ("admin", "coordinator", "leader")
ORGANISERS = ("admin", "coordinator")


def allow(*roles: str) -> Callable[[F], F]:
    """Restrict a view to the given roles and record them for the route x role table."""
    unknown = set(roles) - set(ALL)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if ANONYMOUS not in roles:
                if not current_user.is_authenticated:
                    return login_manager.unauthorized()
                if current_user.role not in roles:
                    abort(403)
            return view(*args, **kwargs)

        wrapper.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def public(view: F) -> F:
    """Open to everyone, signed in or not."""
    return allow(*ALL)(view)


def allowed_roles(view: Callable[..., Any]) -> frozenset[str] | None:
    """The roles a view declared, or None when it declared nothing."""
    return getattr(view, "allowed_roles", None)


def role_of_current_user() -> str:
    """The current person's role, or 'anonymous'."""
    return current_user.role if current_user.is_authenticated else ANONYMOUS
