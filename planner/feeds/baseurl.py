"""Can calendar services reach the feed URLs? A check of BASE_URL (issue 14 item 8).
Pure but for the wording, which is in the reader's language.

Google and Outlook fetch subscribed calendars from their own servers, so a BASE_URL naming this
machine (the default ``http://127.0.0.1:5000``), a private network or a ``.local`` name gives
links they can never open; Apple Calendar and Thunderbird on the same network may still work.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

DEFAULT_BASE_URL = "http://127.0.0.1:5000"
_LOCAL_SUFFIXES = (".local", ".localhost", ".internal", ".lan", ".home.arpa")


def server_base_url(host: str, port: int, scheme: str = "http") -> str:
    """The address of a server started with --host/--port, for links when BASE_URL is not set:
    a server listening on every interface (0.0.0.0, ::) is named by this machine's 127.0.0.1."""
    host = host.strip().strip("[]")
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"


def how_to_set() -> str:
    """What an administrator does about it, in the reader's language."""
    from planner.i18n import _

    return _(
        "Set PLANNER_BASE_URL to the public https address of this app (e.g. export "
        'PLANNER_BASE_URL=https://planner.example.org, or BASE_URL = "..." in '
        "instance/config.py) and restart it."
    )


def unreachable_reason(base_url: str) -> str | None:
    """Why Google and Outlook cannot fetch feeds under ``base_url``; None when they can."""
    from planner.i18n import _

    parts = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return _("BASE_URL %(url)s is not a web address.", url=repr(base_url))
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if host == "localhost" or host.endswith(_LOCAL_SUFFIXES) or "." not in host:
            return _("%(host)s is a name only this network knows.", host=host)
        return None
    if address.is_loopback or address.is_unspecified:
        return _("%(host)s is this computer itself.", host=host)
    if address.is_private or address.is_link_local or address.is_reserved:
        return _("%(host)s is a private network address.", host=host)
    return None


def warning(base_url: str, *, for_admin: bool = True) -> str | None:
    """One plain sentence for pages and the serve command, or None when the URL is public.
    People who cannot change the setting read what it means for them and whom to ask."""
    from planner.i18n import _

    reason = unreachable_reason(base_url)
    if reason is None:
        return None
    if not for_admin:
        return _(
            "Google Calendar and Outlook cannot open calendar links of this app yet (its "
            "address is only reachable inside your network). Apple Calendar and Thunderbird "
            "on the same network may work; ask your coordinator or administrator to fix it."
        )
    return _(
        "Google Calendar and Outlook cannot reach %(url)s: %(reason)s Calendar links made now "
        "will not work there. %(how)s",
        url=base_url,
        reason=reason,
        how=how_to_set(),
    )


def serve_warnings(base_url: str, port: int) -> list[str]:
    """What `planner serve` says at start about BASE_URL (nothing when it is public)."""
    from planner.i18n import _

    found = []
    text = warning(base_url)
    if text:
        found.append(text)
        local_port = urlsplit(base_url).port
        if local_port is not None and local_port != port:
            found.append(
                _(
                    "Calendar and e-mail links use BASE_URL (%(url)s), not this server's port "
                    "%(port)s: set BASE_URL to the address people and calendar services open.",
                    url=base_url,
                    port=port,
                )
            )
    return found
