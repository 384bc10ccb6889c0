"""The client's address behind a reverse proxy — believed only from proxies the configuration trusts.

``SOTAY_TRUSTED_PROXIES`` lists networks (``10.0.0.5/32,fd00::/8``). When the peer of a request is
in one of them, the client is the right-most address of ``X-Forwarded-For`` that is not itself a
trusted proxy: each proxy appends the address it received the request from, so the entries left of
the last trusted hop are whatever the client wrote (``X-Forwarded-For: 203.0.113.66`` sent to nginx
arrives as ``203.0.113.66, <real address>``). From any other peer the header is ignored, and the
address is the peer's. The result replaces ``scope["client"]``, so the access log, the audit lines
and the rate limit all see it; this middleware is the outermost. `sotay serve` runs uvicorn without
its own proxy-header handling (which took the left-most entry from any peer it was told to trust).

A forwarded request is never a loopback client for the rules that favour the local machine (reads
without keys, /metrics), whatever address it carries: keys.FORWARDING_HEADERS.
"""
from __future__ import annotations

import ipaddress
from typing import Iterable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from .keys import SecurityConfigError

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(specs: Iterable[str]) -> list[Network]:
    out = []
    for spec in specs:
        try:
            out.append(ipaddress.ip_network(spec.strip(), strict=False))
        except ValueError:
            raise SecurityConfigError(f"SOTAY_TRUSTED_PROXIES: '{spec}' không phải địa chỉ hay dải mạng hợp lệ "
                                      "(ví dụ 10.0.0.5/32 hoặc 172.28.0.0/16).") from None
    return out


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address as proxies write it: bare, or with a port ("1.2.3.4:5678", "[2001:db8::1]:80")."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1:text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        addr = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    return addr


def client_address(peer: str | None, forwarded_for: list[str], trusted: list[Network]) -> str | None:
    """The client of a request that came from ``peer`` with these X-Forwarded-For headers."""
    peer_addr = _address(peer or "")
    if peer_addr is None or not any(peer_addr in net for net in trusted):
        return peer
    hops = [h for header in forwarded_for for h in header.split(",") if h.strip()]
    for hop in reversed(hops):
        addr = _address(hop)
        if addr is None:  # not an address: no proxy of ours wrote that; stop at the last one we believe
            return peer
        if not any(addr in net for net in trusted):
            return str(addr)
        peer = str(addr)
    return peer  # every hop is a trusted proxy: the left-most one is the closest we know


class ClientAddress:
    """Pure ASGI middleware, outermost: ``scope["client"]`` becomes the client behind trusted proxies."""

    def __init__(self, app: ASGIApp, *, trusted: list[Network]):
        self.app, self.trusted = app, trusted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and self.trusted:
            peer, port = scope.get("client") or (None, 0)
            forwarded = Headers(scope=scope).getlist("x-forwarded-for")
            if forwarded:
                client = client_address(peer, forwarded, self.trusted)
                if client != peer:
                    scope = {**scope, "client": (client, 0)}
        await self.app(scope, receive, send)


__all__ = ["ClientAddress", "client_address", "parse_networks"]
