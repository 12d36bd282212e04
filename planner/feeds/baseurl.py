"""Can calendar services reach the feed URLs? A check of BASE_URL (issue 14 item 8). Pure.

Google and Outlook fetch subscribed calendars from their own servers, so a BASE_URL naming this
machine (the default ``http://127.0.0.1:5000``), a private network or a ``.local`` name gives
links they can never open; Apple Calendar and Thunderbird on the same network may still work.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

DEFAULT_BASE_URL = "http://127.0.0.1:5000"
HOW_TO_SET = (
    "Set PLANNER_BASE_URL to the public https address of this app "
    '(e.g. export PLANNER_BASE_URL=https://planner.example.org, or BASE_URL = "..." in '
    "instance/config.py) and restart it."
)
_LOCAL_SUFFIXES = (".local", ".localhost", ".internal", ".lan", ".home.arpa")


def unreachable_reason(base_url: str) -> str | None:
    """Why Google and Outlook cannot fetch feeds under ``base_url``; None when they can."""
    parts = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return f"BASE_URL {base_url!r} is not a web address."
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if host == "localhost" or host.endswith(_LOCAL_SUFFIXES) or "." not in host:
            return f"{host} is a name only this network knows."
        return None
    if address.is_loopback or address.is_unspecified:
        return f"{host} is this computer itself."
    if address.is_private or address.is_link_local or address.is_reserved:
        return f"{host} is a private network address."
    return None


def warning(base_url: str) -> str | None:
    """One plain sentence for pages and the serve command, or None when the URL is public."""
    reason = unreachable_reason(base_url)
    if reason is None:
        return None
    return (
        f"Google Calendar and Outlook cannot reach {base_url}: {reason} "
        f"Calendar links made now will not work there. {HOW_TO_SET}"
    )


def serve_warnings(base_url: str, port: int) -> list[str]:
    """What `planner serve` says at start about BASE_URL (nothing when it is public)."""
    found = []
    text = warning(base_url)
    if text:
        found.append(text)
        local_port = urlsplit(base_url).port
        if local_port is not None and local_port != port:
            found.append(
                f"Calendar and e-mail links use BASE_URL ({base_url}), not this server's port "
                f"{port}: set BASE_URL to the address people and calendar services open."
            )
    return found
