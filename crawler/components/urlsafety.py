"""Where a crawl may go: http(s) only, no private networks unless configured, no XML bombs.

Pure functions, used by the spiders (links, sitemaps, feeds) and by SafeTargetMiddleware
(every request, redirects included).
"""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import urlsplit

SAFE_SCHEMES = ("http", "https")
# A DTD that declares entities is how "billion laughs" and XXE documents begin; sitemaps
# and feeds never need one.
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)


class RefusedTarget(Exception):
    """A URL the crawl must not fetch; the message says why in one readable line."""


def is_public_address(address: str) -> bool:
    """Return True for a globally routable IP address (not private, loopback, link-local...)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def ip_literal(host: str) -> str | None:
    """Return `host` when it is an IP address literal (brackets stripped), else None."""
    host = host.strip("[]")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return None
    return host


def resolve(host: str) -> list[str]:
    """Return the addresses `host` resolves to (empty when it does not resolve)."""
    try:
        return sorted(
            {info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)}
        )
    except (OSError, UnicodeError):
        return []


def check_scheme(url: str) -> None:
    """Raise RefusedTarget for anything but an http(s) URL with a host."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in SAFE_SCHEMES:
        raise RefusedTarget(
            f"refused: {parts.scheme or 'relative'}: URL, only http and https are fetched"
        )
    if not parts.hostname:
        raise RefusedTarget("refused: URL without a host")


def check_addresses(host: str, addresses: list[str]) -> None:
    """Raise RefusedTarget when `host` is, or resolves to, a non-public address."""
    private = [a for a in addresses if not is_public_address(a)]
    if private:
        shown = host if ip_literal(host) else f"{host} ({private[0]})"
        raise RefusedTarget(
            f"refused: {shown} is a private, loopback or link-local address "
            "and not a configured site host"
        )


def declares_entities(body: bytes) -> bool:
    """Return True for an XML document whose DTD declares entities (entity expansion)."""
    head, _, _ = body.partition(b"]>")  # the internal subset ends at the first "]>"
    return b"<!DOCTYPE" in head.upper() and bool(_ENTITY_DECL.search(head))
