"""Which webhook URLs may be called (SSRF guard): https to public addresses only.

Checked when a coordinator saves a URL and again at each delivery, against every address the
host resolves to, and the connection then goes to the address that was checked (no second DNS
answer can slip in). Plain http and loopback addresses are allowed only when the app is told to
(API_NOTIFY_ALLOW_LOOPBACK, for tests against a local receiver).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

MAX_URL = 2000


def address_problem(address: str, *, allow_loopback: bool) -> str | None:
    """Why an IP address may not be called (private, link-local, ...), or None."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return None if allow_loopback else "it points at this server (loopback)"
    if (
        ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    ):
        return "it points at a private or internal address"
    return None


def url_problem(url: str, *, allow_loopback: bool) -> str | None:
    """Why a webhook URL is refused (shape only, no DNS), or None."""
    if len(url) > MAX_URL:
        return f"The URL is longer than {MAX_URL} characters."
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "That is not a valid URL."
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return "Use the https:// URL the product gave you."
    if parts.username or parts.password:
        return "The URL must not contain a user name or password."
    del port
    try:
        literal = ipaddress.ip_address(parts.hostname)
    except ValueError:
        if parts.scheme == "http":
            return "Use an https:// URL."
        if parts.hostname.lower() == "localhost" and not allow_loopback:
            return "The URL points at this server."
        return None
    if parts.scheme == "http" and not (allow_loopback and literal.is_loopback):
        return "Use an https:// URL."
    if problem := address_problem(str(literal), allow_loopback=allow_loopback):
        return f"The URL is refused: {problem}."
    return None


def resolve_checked(host: str, port: int, *, allow_loopback: bool) -> str:
    """The first address of `host` after checking every one; ValueError when any is refused."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ValueError(f"cannot resolve {host}: {exc.strerror}") from None
    addresses = [str(info[4][0]) for info in infos]
    for address in addresses:
        if problem := address_problem(address, allow_loopback=allow_loopback):
            raise ValueError(f"{host} is refused: {problem}")
    if not addresses:
        raise ValueError(f"cannot resolve {host}")
    return addresses[0]
