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

import json
import logging
import math
import time
from datetime import datetime, timezone
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..config import Settings
from .errors import error_response
from .keys import Caller, KeyRing, SecurityConfigError, identify

log = logging.getLogger("sotay.security")
audit_log = logging.getLogger("sotay.audit")

_MB = 1024 * 1024
MULTIPART_OVERHEAD = 1 * _MB  # headers, boundaries and the small form fields around an upload

OPEN_PATHS = frozenset({"/", "/healthz", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json", "/favicon.ico"})
# Routes that check access themselves: the backup and the compaction also take the local token
# `sotay serve` leaves for `sotay backup` / `sotay compact` (service/backup.py), so the guard lets them
# through with the caller's scopes (routes/admin.py answers 401 / 403 as the guard would).
SELF_CHECKED = frozenset({"/api/admin/backup", "/api/admin/compact"})
RATE_LIMITED = {("POST", "/api/ask"): "ask", ("GET", "/api/search"): "search",
                # a lesson reads up to 40 passages and renders a file: the costliest reads
                ("POST", "/api/lessons"): "lessons", ("POST", "/api/lessons.docx"): "lessons",
                ("POST", "/api/lessons.md"): "lessons",
                ("POST", "/api/feedback"): "feedback"}
# JSON routes whose bodies are a question and a few earlier answers: a tighter body limit than uploads'.
JSON_BODY_MAX = 1 * _MB
SMALL_BODIES = frozenset({("POST", "/api/ask"), ("POST", "/api/feedback")})

# The web chat loads only its own files and talks only to this origin: no inline script or style,
# no plugins, no framing, no <base> tricks, forms post only here.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# /docs and /redoc (routes/docs.py) load Swagger UI / ReDoc from this service, started by a script file,
# never inline; both libraries set inline styles (ReDoc writes <style> elements), and ReDoc's search runs
# in a blob: worker. They show no document text. No other origin anywhere.
DOCS_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; "
            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
DOCS_PAGES = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def required_scope(method: str, path: str) -> str | None:
    """The scope a request needs; None for the open pages. Unknown paths need `read` (deny by default)."""
    if path in OPEN_PATHS or path in SELF_CHECKED or path.startswith("/static/"):
        return None
    if (method == "POST" and path == "/api/documents") or (method == "DELETE" and path.startswith("/api/documents/")):
        return "admin"
    if path.startswith("/api/admin/"):  # the feedback export; the backup checks for itself (SELF_CHECKED)
        return "admin"
    return "read"


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
        state["audit"] = {"action": action, "doc_id": doc_id, "result": result, **extra}
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


class BodyTooLarge(StarletteHTTPException):
    """Raised from the request stream when a body without Content-Length grows past the limit."""

    def __init__(self, limit: int):
        super().__init__(status_code=413)
        self.limit = limit


def too_large_response(limit: int) -> JSONResponse:
    """`limit` is the body limit: for a route that takes a file, the upload limit plus the form's
    overhead, and the message states the upload limit (SOTAY_UPLOAD_MAX_MB), the figure the user chose
    a file against; for a JSON body, its own limit."""
    if limit > MULTIPART_OVERHEAD:  # a body that may carry an upload
        message = f"Nội dung yêu cầu quá lớn: tệp tải lên tối đa {max(1, (limit - MULTIPART_OVERHEAD) // _MB)} MB."
    else:  # a JSON body (JSON_BODY_MAX)
        message = f"Nội dung yêu cầu quá lớn (tối đa {max(1, limit // _MB)} MB)."
    return error_response(413, "too_large", message)


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


class _AuditOnce:
    """The audit line of an admin request, written when its response starts (the client has not seen
    it yet): exactly one line per request, with the note the route left (see :func:`audit`)."""

    def __init__(self, caller: Caller, method: str, path: str, state: dict, *, pending: bool):
        self.caller, self.method, self.path, self.state, self.pending = caller, method, path, state, pending

    def __call__(self, code: int) -> None:
        if not self.pending:
            return
        self.pending = False
        note = dict(self.state.get("audit") or {})
        result = note.pop("result", None) or (f"refused:http_{code}" if code >= 400 else f"http_{code}")
        doc_id = note.pop("doc_id", None) or Guard._path_doc_id(self.method, self.path)
        action = note.pop("action", None) or _ADMIN_ACTIONS.get(self.method, self.method.lower())
        _audit_line(self.caller, action, doc_id, result, code, **note)


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
        caller, bad_key = identify(self.keys, headers, host)
        state = scope.setdefault("state", {})
        state["caller"] = caller
        state["audit_by_guard"] = need == "admin"
        if need is not None and need not in caller.scopes:
            refusal = (error_response(401, "invalid_key", "Khóa API không hợp lệ.", {"WWW-Authenticate": "Bearer"})
                       if bad_key else self._refusal(need, caller))
            return await self._deny(refusal, need, caller, method, path, scope, receive, send)

        # 3. how often
        refusal = self._rate_refusal(method, path, caller)
        if refusal is not None:
            return await refusal(scope, receive, send)

        write_audit = _AuditOnce(caller, method, path, state, pending=need == "admin")
        limit = min(self.max_body, JSON_BODY_MAX) if (method, path) in SMALL_BODIES else self.max_body
        await self._forward(headers, write_audit, limit, scope, receive, send)

    async def _forward(self, headers: Headers, write_audit: "_AuditOnce", limit: int, scope: Scope,
                       receive: Receive, send: Send) -> None:
        """4. how much: the declared length first, then the bytes as they arrive; then the app."""
        refusal = self._length_refusal(headers.get("content-length"), limit)
        if refusal is not None:
            write_audit(refusal.status_code)
            return await refusal(scope, receive, send)
        received = 0
        status = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
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
            await too_large_response(limit)(scope, receive, send)
        except Exception:
            write_audit(status or 500)
            raise

    def _rate_refusal(self, method: str, path: str, caller: Caller) -> JSONResponse | None:
        bucket = RATE_LIMITED.get((method, path))
        if not bucket or self.limiter is None:
            return None
        wait = self.limiter.retry_after(bucket, caller.identity)
        if wait is None:
            return None
        return error_response(429, "rate_limited",
                              f"Quá nhiều yêu cầu (giới hạn {self.limiter.spec}). Hãy thử lại sau {wait} giây.",
                              {"Retry-After": str(wait)})

    @staticmethod
    def _length_refusal(length: str | None, limit: int) -> JSONResponse | None:
        """A declared Content-Length that is not a number (400) or over the limit (413)."""
        if length is None:
            return None
        try:
            too_big = int(length) > limit
        except ValueError:
            return error_response(400, "bad_request", "Tiêu đề Content-Length không hợp lệ.")
        return too_large_response(limit) if too_big else None

    def _refusal(self, need: str, caller: Caller) -> JSONResponse:
        if caller.key_id is not None:
            return error_response(403, "forbidden", "Khóa API này không có quyền thực hiện thao tác này"
                          + (" (cần quyền quản trị)." if need == "admin" else "."))
        if self.keys:
            return error_response(401, "missing_key", "Cần khóa API: gửi tiêu đề 'Authorization: Bearer <khóa>' "
                                              "hoặc 'X-API-Key: <khóa>'.", {"WWW-Authenticate": "Bearer"})
        if need == "admin":
            return error_response(403, "writes_disabled", "Dịch vụ chưa cấu hình khóa API (SOTAY_API_KEYS) nên không "
                                                  "nhận thao tác ghi.")
        return error_response(403, "local_only", "Dịch vụ chưa cấu hình khóa API (SOTAY_API_KEYS) nên chỉ phục vụ "
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
        csp = DOCS_CSP if path in DOCS_PAGES else CSP
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
    log.info("rate limit on /api/ask, /api/search, /api/lessons and /api/feedback: %s; request body limit %d MB; CORS: %s",
             info["rate_limit"] or "off", info["max_body"] // _MB, ", ".join(info["cors_origins"]) or "off")


__all__ = ["RateLimiter", "Guard", "audit", "announce", "caller_scopes", "install", "required_scope"]
