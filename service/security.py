"""Access control and web hardening for the HTTP API (CONTRACT "Security").

- Keys: ``SOTAY_API_KEYS`` holds ``key:scope`` pairs; scopes ``read`` < ``internal`` < ``admin`` (each
  implies the ones before it). A key is sent as ``Authorization: Bearer KEY`` or ``X-API-Key: KEY`` and
  compared in constant time against every configured key (SHA-256 digests, so neither the length nor
  the position of a match shows in the timing). Logs name a key only by a digest prefix (``key_id``).
- Who may call what: ``/``, ``/static/…``, ``/docs``, ``/redoc``, ``/openapi.json`` and ``/healthz`` are
  open (no store data; ``/healthz`` shows store figures only to callers who may read). Uploading and
  deleting documents needs ``admin``; routes in SELF_CHECKED check for themselves; every other path
  needs ``read`` (deny by default). 401 = no key or an unknown key; 403 = a known key without the
  scope. With no keys configured, reads are served to loopback clients only (127.0.0.0/8, ::1, and
  not relayed by a proxy) and writes are refused — the start-up log says so.
- What a caller sees: ``access: internal`` documents only with the ``internal`` scope
  (``knowledge.access_levels``); the routes read the caller's scopes with :func:`caller_scopes`.
- Hardening: a Content-Security-Policy the web chat satisfies (no inline script or style), nosniff,
  no framing, no referrer, ``Cache-Control: no-store`` on API answers; CORS only for the origins in
  ``SOTAY_CORS_ORIGINS``; a request body limit (the upload limit plus multipart overhead, 413); a
  rate limit per key (or client address without a key) on ``/api/ask``, ``/api/search`` and the lesson routes with the
  `limits` library (429 with ``Retry-After``); one audit line (logger ``sotay.audit``) per admin action.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import math
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .config import Settings
from .knowledge import UserError

log = logging.getLogger("sotay.security")
audit_log = logging.getLogger("sotay.audit")

SCOPES = ("read", "internal", "admin")
_IMPLIED = {"read": ("read",), "internal": ("read", "internal"), "admin": ("read", "internal", "admin")}
_MB = 1024 * 1024
MULTIPART_OVERHEAD = 1 * _MB  # headers, boundaries and the small form fields around an upload

OPEN_PATHS = frozenset({"/", "/healthz", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json", "/favicon.ico"})
# Routes that check access themselves: the backup also takes the local token `sotay serve` leaves
# for `sotay backup` (service/backup.py), so the guard lets them through with the caller's scopes.
SELF_CHECKED = frozenset({"/api/admin/backup"})
# A request relayed by a proxy on this host arrives from loopback: it is not a local client.
FORWARDING_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip")
RATE_LIMITED = {("POST", "/api/ask"): "ask", ("GET", "/api/search"): "search",
                # a lesson reads up to 40 passages and renders a file: the costliest reads
                ("POST", "/api/lessons"): "lessons", ("POST", "/api/lessons.docx"): "lessons",
                ("POST", "/api/lessons.md"): "lessons"}

# The web chat loads only its own files and talks only to this origin: no inline script or style,
# no plugins, no framing, no <base> tricks, forms post only here.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# FastAPI's /docs and /redoc pages load Swagger UI / ReDoc from a CDN with an inline start-up script.
# They show no document text, so they get a looser policy of their own.
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
            "font-src 'self' https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com "
            "https://cdn.redoc.ly; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; "
            "base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


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


def required_scope(method: str, path: str) -> str | None:
    """The scope a request needs; None for the open pages. Unknown paths need `read` (deny by default)."""
    if path in OPEN_PATHS or path in SELF_CHECKED or path.startswith("/static/"):
        return None
    if (method == "POST" and path == "/api/documents") or (method == "DELETE" and path.startswith("/api/documents/")):
        return "admin"
    return "read"


def presented_key(headers: Headers) -> str | None:
    key = headers.get("x-api-key")
    if key:
        return key.strip()
    auth = headers.get("authorization") or ""
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def caller_scopes(request: Request) -> tuple[str, ...]:
    """The scopes of the request's caller, as established by the Guard middleware."""
    caller = getattr(request.state, "caller", None)
    return caller.scopes if caller is not None else ()


def audit(request: Request, action: str | None = None, *, doc_id: str | None = None, result: str,
          **extra: Any) -> None:
    """Record what an admin action did. On the routes the guard knows as admin routes (upload,
    delete) the note is kept and the guard writes the line when the response is sent — so every such
    request gets exactly one line, refusals and errors included; elsewhere the line is written now."""
    state = request.scope.setdefault("state", {})
    if state.get("audit_by_guard"):
        state["audit"] = {"doc_id": doc_id, "result": result, **extra}
        return
    caller = state.get("caller") or Caller((), None, (request.client.host if request.client else None) or "-")
    _audit_line(caller, action or request.method.lower(), doc_id, result, None, **extra)


def _audit_line(caller: Caller, action: str, doc_id: str | None, result: str, status: int | None,
                **extra: Any) -> None:
    """One JSON line: time, key id (never the key), client, action, doc_id, result, HTTP status."""
    record = {
        "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "key": caller.key_id,
        "client": caller.client,
        "action": action,
        "doc_id": doc_id,
        "result": result,
        "status": status,
        **extra,
    }
    audit_log.info(json.dumps(record, ensure_ascii=False, default=str))


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


class BodyTooLarge(StarletteHTTPException):
    """Raised from the request stream when a body without Content-Length grows past the limit."""

    def __init__(self, limit: int):
        super().__init__(status_code=413)
        self.limit = limit


def too_large_response(limit: int) -> JSONResponse:
    return _error(413, "too_large", f"Nội dung yêu cầu quá lớn (giới hạn {max(1, limit // _MB)} MB).")


async def _on_body_too_large(request: Request, exc: BodyTooLarge) -> JSONResponse:
    return too_large_response(exc.limit)


class RateLimiter:
    """Per-identity limits on the expensive read routes, with the `limits` library (moving window)."""

    def __init__(self, spec: str, storage_uri: str = "memory://"):
        from limits import parse_many
        from limits.storage import storage_from_string
        from limits.strategies import MovingWindowRateLimiter

        try:
            self.limits = parse_many(spec)
        except ValueError as e:
            raise SecurityConfigError(f"SOTAY_RATE_LIMIT không hợp lệ: '{spec}' (ví dụ hợp lệ: 60/minute).") from e
        self.spec = "; ".join(_vi_limit(x) for x in self.limits)
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))

    def retry_after(self, bucket: str, identity: str) -> int | None:
        """Count one request; None if allowed, else the seconds until one is allowed again."""
        for limit in self.limits:
            if not self._limiter.hit(limit, bucket, identity):
                reset = self._limiter.get_window_stats(limit, bucket, identity).reset_time
                return max(1, math.ceil(reset - time.time()))
        return None


_UNITS = {"second": "giây", "minute": "phút", "hour": "giờ", "day": "ngày", "month": "tháng", "year": "năm"}


def _vi_limit(limit: Any) -> str:
    """`60 per 1 minute` → "60 yêu cầu mỗi phút"; `100 per 5 minute` → "100 yêu cầu mỗi 5 phút"."""
    unit = _UNITS.get(limit.GRANULARITY.name, limit.GRANULARITY.name)
    every = f"{limit.multiples} {unit}" if limit.multiples != 1 else unit
    return f"{limit.amount} yêu cầu mỗi {every}"


class Guard:
    """Pure ASGI middleware: who is calling and may they, rate limits, the body limit, and the
    security headers on every response (errors included)."""

    def __init__(self, app: ASGIApp, *, keys: KeyRing, limiter: RateLimiter | None, max_body: int):
        self.app, self.keys, self.limiter, self.max_body = app, keys, limiter, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, method = scope.get("path", ""), scope.get("method", "GET")
        send = self._with_headers(send, path)
        headers = Headers(scope=scope)
        host = (scope.get("client") or (None, None))[0]

        # 1. who is calling; 2. may they
        need = required_scope(method, path)
        caller, bad_key = self._identify(headers, host)
        state = scope.setdefault("state", {})
        state["caller"] = caller
        state["audit_by_guard"] = need == "admin"
        if need is not None and need not in caller.scopes:
            refusal = (_error(401, "invalid_key", "Khóa API không hợp lệ.", {"WWW-Authenticate": "Bearer"})
                       if bad_key else self._refusal(need, caller))
            return await self._deny(refusal, need, caller, method, path, scope, receive, send)

        # 3. how often
        bucket = RATE_LIMITED.get((method, path))
        if bucket and self.limiter is not None:
            wait = self.limiter.retry_after(bucket, caller.identity)
            if wait is not None:
                response = _error(429, "rate_limited",
                                  f"Quá nhiều yêu cầu (giới hạn {self.limiter.spec}). Hãy thử lại sau {wait} giây.",
                                  {"Retry-After": str(wait)})
                return await response(scope, receive, send)

        status = 0
        audited = need != "admin"

        def write_audit(code: int) -> None:
            # When the response starts (the client has not seen it yet): exactly one line per request.
            nonlocal audited
            if audited:
                return
            audited = True
            note = dict(state.get("audit") or {})
            result = note.pop("result", None) or (f"refused:http_{code}" if code >= 400 else f"http_{code}")
            doc_id = note.pop("doc_id", None) or self._path_doc_id(method, path)
            _audit_line(caller, _ADMIN_ACTIONS.get(method, method.lower()), doc_id, result, code, **note)

        # 4. how much
        length = headers.get("content-length")
        if length is not None:
            try:
                too_big = int(length) > self.max_body
            except ValueError:
                write_audit(400)
                return await _error(400, "bad_request", "Tiêu đề Content-Length không hợp lệ.")(scope, receive, send)
            if too_big:
                write_audit(413)
                return await too_large_response(self.max_body)(scope, receive, send)
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise BodyTooLarge(self.max_body)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                write_audit(status)
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if status:
                raise
            write_audit(413)
            await too_large_response(self.max_body)(scope, receive, send)
        except Exception:
            write_audit(status or 500)
            raise

    def _identify(self, headers: Headers, host: str | None) -> tuple[Caller, bool]:
        """The caller, and whether they presented a key that is not configured."""
        client = host or "-"
        key = presented_key(headers)
        if key is not None:
            scope_name = self.keys.scope_of(key)
            return Caller(_IMPLIED[scope_name] if scope_name else (), key_id(key), client), scope_name is None
        if self.keys:
            return Caller((), None, client), False
        local = is_loopback(host) and not any(h in headers for h in FORWARDING_HEADERS)
        return Caller(("read",) if local else (), None, client), False

    def _refusal(self, need: str, caller: Caller) -> JSONResponse:
        if caller.key_id is not None:
            return _error(403, "forbidden", "Khóa API này không có quyền thực hiện thao tác này"
                          + (" (cần quyền quản trị)." if need == "admin" else "."))
        if self.keys:
            return _error(401, "missing_key", "Cần khóa API: gửi tiêu đề 'Authorization: Bearer <khóa>' "
                                              "hoặc 'X-API-Key: <khóa>'.", {"WWW-Authenticate": "Bearer"})
        if need == "admin":
            return _error(403, "writes_disabled", "Dịch vụ chưa cấu hình khóa API (SOTAY_API_KEYS) nên không "
                                                  "nhận thao tác ghi.")
        return _error(403, "local_only", "Dịch vụ chưa cấu hình khóa API (SOTAY_API_KEYS) nên chỉ phục vụ "
                                         "truy cập từ chính máy chủ (127.0.0.1).")

    async def _deny(self, response: JSONResponse, need: str, caller: Caller, method: str, path: str,
                    scope: Scope, receive: Receive, send: Send) -> None:
        if need == "admin":
            code = json.loads(response.body)["error"]["code"]
            _audit_line(caller, _ADMIN_ACTIONS.get(method, method.lower()), self._path_doc_id(method, path),
                        f"denied:{code}", response.status_code)
        await response(scope, receive, send)

    @staticmethod
    def _path_doc_id(method: str, path: str) -> str | None:
        return path.rsplit("/", 1)[-1] if method == "DELETE" else None

    @staticmethod
    def _with_headers(send: Send, path: str) -> Send:
        csp = DOCS_CSP if path in ("/docs", "/redoc") else CSP
        api = path.startswith("/api/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                have = {k.lower() for k, _ in raw}
                extra = {"content-security-policy": csp, **SECURITY_HEADERS}
                if api:
                    extra["cache-control"] = "no-store"  # internal documents must not sit in shared caches
                raw += [(k.encode(), v.encode()) for k, v in extra.items() if k.encode() not in have]
                message = {**message, "headers": raw}
            await send(message)

        return send_with_headers


_ADMIN_ACTIONS = {"POST": "upload", "DELETE": "delete"}


def install(app: FastAPI, settings: Settings) -> None:
    """Wire the guard (and CORS when origins are configured) into the app. Raises
    SecurityConfigError for settings that cannot work."""
    keys = KeyRing(settings.api_keys)
    limiter = RateLimiter(settings.rate_limit, settings.rate_limit_storage) if settings.rate_limit else None
    max_body = settings.upload_max_mb * _MB + MULTIPART_OVERHEAD
    app.add_exception_handler(BodyTooLarge, _on_body_too_large)
    app.add_middleware(Guard, keys=keys, limiter=limiter, max_body=max_body)
    if settings.cors_origins:  # outermost: preflight requests carry no key
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST", "DELETE"],
                           allow_headers=["Authorization", "X-API-Key", "Content-Type"], max_age=600)
    app.state.security = {"keys": keys.counts(), "rate_limit": settings.rate_limit, "max_body": max_body,
                          "cors_origins": list(settings.cors_origins)}


def announce(app: FastAPI) -> None:
    """The start-up line that says how the service is protected."""
    info = getattr(app.state, "security", None)
    if info is None:
        return
    if not info["keys"]:
        log.warning("no API keys configured (SOTAY_API_KEYS): reads are served to loopback clients only "
                    "(127.0.0.0/8, ::1), writes are refused")
    else:
        log.info("API keys: %s", ", ".join(f"{n} {s}" for s, n in sorted(info["keys"].items())))
    log.info("rate limit on /api/ask, /api/search and /api/lessons: %s; request body limit %d MB; CORS: %s",
             info["rate_limit"] or "off", info["max_body"] // _MB, ", ".join(info["cors_origins"]) or "off")


__all__ = ["SCOPES", "Caller", "KeyRing", "RateLimiter", "Guard", "SecurityConfigError", "audit", "announce",
           "caller_scopes", "install", "is_loopback", "key_id", "required_scope"]
