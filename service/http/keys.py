"""Who is calling: the configured API keys (compared as SHA-256 digests, in constant time), the key a
request presents, the loopback rule for a service without keys, and the scopes that follow."""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
from dataclasses import dataclass

from starlette.datastructures import Headers

from ..errors import UserError

log = logging.getLogger("sotay.security")

SCOPES = ("read", "internal", "admin")
IMPLIED = {"read": ("read",), "internal": ("read", "internal"), "admin": ("read", "internal", "admin")}
# A request relayed by a proxy on this host arrives from loopback: it is not a local client.
FORWARDING_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip")


class SecurityConfigError(UserError):
    """The security settings cannot work (an unknown scope, a bad rate limit): refuse to start."""

    def __init__(self, message: str):
        super().__init__("bad_config", message, 500)


def key_id(key: str) -> str:
    """How logs name a key: a SHA-256 prefix, never the key."""
    return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


class KeyRing:
    """The configured keys, as digests. `scope_of` compares against all of them, always."""

    def __init__(self, keys: dict[str, str]):
        self._keys: list[tuple[bytes, str]] = []
        for key, scope in keys.items():
            scope = scope.strip().lower()
            if scope not in SCOPES:
                raise SecurityConfigError(
                    f"SOTAY_API_KEYS: phạm vi '{scope}' của khóa {key_id(key)} không hợp lệ; "
                    f"chỉ nhận {', '.join(SCOPES)}.")
            if len(key) < 16:
                log.warning("API key %s is shorter than 16 characters: easy to guess", key_id(key))
            self._keys.append((hashlib.sha256(key.encode("utf-8")).digest(), scope))

    def __bool__(self) -> bool:
        return bool(self._keys)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for _, scope in self._keys:
            out[scope] = out.get(scope, 0) + 1
        return out

    def scope_of(self, presented: str) -> str | None:
        digest = hashlib.sha256(presented.encode("utf-8", "surrogatepass")).digest()
        found = None
        for stored, scope in self._keys:  # no early exit: every key is compared
            if hmac.compare_digest(stored, digest) and found is None:
                found = scope
        return found


@dataclass(frozen=True)
class Caller:
    scopes: tuple[str, ...]  # () = may not read anything
    key_id: str | None  # None without a key
    client: str  # client address, "-" when unknown (e.g. a Unix socket)

    @property
    def identity(self) -> str:
        """Whom the rate limit counts: the key, else the client address."""
        return self.key_id or f"ip:{self.client}"


def is_loopback(host: str | None) -> bool:
    """127.0.0.0/8 and ::1 (also as an IPv4-mapped IPv6 address). Names ("localhost", Starlette's
    "testclient") are not addresses and do not count."""
    if not host:
        return False
    try:
        addr = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return addr.is_loopback


def presented_key(headers: Headers) -> str | None:
    key = headers.get("x-api-key")
    if key:
        return key.strip()
    auth = headers.get("authorization") or ""
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def identify(keys: KeyRing, headers: Headers, host: str | None) -> tuple[Caller, bool]:
    """The caller, and whether they presented a key that is not configured."""
    client = host or "-"
    key = presented_key(headers)
    if key is not None:
        scope_name = keys.scope_of(key)
        return Caller(IMPLIED[scope_name] if scope_name else (), key_id(key), client), scope_name is None
    if keys:
        return Caller((), None, client), False
    local = is_loopback(host) and not any(h in headers for h in FORWARDING_HEADERS)
    return Caller(("read",) if local else (), None, client), False
