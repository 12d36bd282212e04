"""The area's blueprints: `bp` (registered by the app) holds /api/v1 and the /integrations pages.

/api/v1 ignores cookies entirely: its requests run with a null session (no Flask-Login user, no
session refresh, no Set-Cookie), authenticate with Bearer tokens only, and are CSRF-exempt for
that reason alone. The /integrations pages are ordinary session pages with CSRF protection.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, current_app, request
from flask.globals import request_ctx

from planner.api.schemas import Links
from planner.extensions import csrf

bp = Blueprint("api", __name__)
v1 = Blueprint("v1", __name__, url_prefix="/api/v1")
integrations = Blueprint("integrations", __name__, url_prefix="/integrations")
csrf.exempt(v1)


@v1.before_request
def _ignore_cookies() -> None:
    """Drop whatever session the cookie carried: the API never acts on it nor renews it."""
    request_ctx._session = current_app.session_interface.make_null_session(current_app)


def page_links(page: int, limit: int, total: int) -> tuple[Links, str]:
    """Links to this page and its neighbours, and the same as an RFC 8288 Link header."""

    def url(number: int) -> str:
        args = {k: v for k, v in request.args.items() if k not in ("page", "limit")}
        return f"{request.path}?{urlencode({**args, 'page': number, 'limit': limit})}"

    last = max(1, -(-total // limit))
    links = Links(
        self=url(page),
        next=url(page + 1) if page < last else None,
        prev=url(min(page - 1, last)) if page > 1 else None,
    )
    header = ", ".join(
        f'<{target}>; rel="{rel}"'
        for rel, target in (("next", links.next), ("prev", links.prev))
        if target is not None
    )
    return links, header
