"""Observability: structured logs with request ids, and Prometheus metrics at ``/metrics``.

- Logs: :func:`configure_logging` makes every log line one JSON object (``--log-format json``, the
  default of ``sotay serve``): ``ts``, ``level``, ``logger``, ``msg``, ``request_id``, and on the access
  line (logger ``sotay.access``, one per request) ``method``, ``path`` (no query string: questions stay
  out of the logs), ``status``, ``ms``, ``client``. Lines logged while a request is handled carry its id,
  also from the worker threads that run the routes (the id lives in a context variable).
- Request ids: an incoming ``X-Request-ID`` is kept when it is sane (1–128 characters of
  ``A-Z a-z 0-9 . _ : -``), otherwise a new one is made; it is echoed in the response header.
- Metrics (``prometheus-client``, one registry per app): request counts by method, route template
  (``/api/documents/{doc_id}``, never the raw path, so the label set stays bounded) and status class;
  latency histograms by method and route; requests in progress; documents ingested by status
  (added, updated = replaced, unchanged, error) and their chunks and obligations; the store's size
  (documents, chunks, obligations, points), read from ``KnowledgeBase.stats()`` at scrape time; and the
  usual process figures (CPU, memory, open files, GC).
- Who may read ``/metrics``: loopback clients without a key (a Prometheus or an agent on the same host),
  as long as the request was not forwarded by a proxy (no ``X-Forwarded-For``/``Forwarded``/``X-Real-IP``:
  a proxy on the same host would otherwise make every outside client look local); anyone else needs
  an ``admin`` key (``Authorization: Bearer KEY`` or ``X-API-Key``), whether or not other keys exist.
  The metrics name routes and counts, never documents or questions, but they do show how the service
  is used, so they are not public.

The middleware is pure ASGI and must be the outermost one (added last), so requests that the
security guard refuses (401, 403, 429, 413) are logged and counted like the others.
"""
from __future__ import annotations

import json
import logging
import re
import time
import uuid
from contextlib import asynccontextmanager
from contextvars import ContextVar
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable, Iterable

from prometheus_client import (CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram,
                               disable_created_metrics, generate_latest)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector
from starlette.datastructures import Headers
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    from fastapi import FastAPI

    from ..config import Settings
    from ..knowledge import KnowledgeBase
    from ..records import IngestItem

# No `*_created` series: they double the series count and say only when the process started.
disable_created_metrics()

log = logging.getLogger("sotay.observability")
access_log = logging.getLogger("sotay.access")

REQUEST_ID_HEADER = "x-request-id"
METRICS_PATH = "/metrics"
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_FORWARDED = ("x-forwarded-for", "forwarded", "x-real-ip")
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "<unmatched>"
# Seconds. 0.2 is the load target (p95 ≤ 200 ms), so it is a bucket edge.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1.0, 2.5, 5.0, 10.0)

request_id_var: ContextVar[str | None] = ContextVar("sotay_request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request being handled in this context (None outside a request)."""
    return request_id_var.get()


def request_id_from(headers: Headers) -> str:
    """The caller's X-Request-ID when it is sane, else a new one."""
    incoming = (headers.get(REQUEST_ID_HEADER) or "").strip()
    return incoming if _SANE_ID.fullmatch(incoming) else uuid.uuid4().hex


# --------------------------------------------------------------------------------------------
# logs
# --------------------------------------------------------------------------------------------

_ACCESS_FIELDS = ("method", "path", "status", "ms", "client")


class _RequestIdFilter(logging.Filter):
    """Gives every record a `request_id` (the current request's, unless the caller set one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, msg, request_id, then the access fields when
    the record has them, and the traceback as `exc`."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for key in _ACCESS_FIELDS:
            value = getattr(record, key, None)
            if value is not None:
                out[key] = value
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        if record.stack_info:
            out["stack"] = self.formatStack(record.stack_info)
        return json.dumps(out, ensure_ascii=False, default=str)


TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(request_id)s] %(message)s"


def configure_logging(fmt: str = "json", level: str | int = "INFO", stream: Any = None) -> logging.Handler:
    """Route every logger through one handler on stderr (or `stream`): JSON lines or plain text.
    Our loggers and uvicorn's log at `level`; other libraries only from WARNING up. Returns the handler."""
    if fmt not in ("json", "text"):
        raise ValueError(f"log format must be 'json' or 'text', not {fmt!r}")
    handler = logging.StreamHandler(stream)
    handler.addFilter(_RequestIdFilter())
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    lvl = logging.getLevelName(level.upper()) if isinstance(level, str) else level
    for name in ("sotay", "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.setLevel(lvl)
        for h in list(logger.handlers):  # uvicorn's own config, if it ran first
            logger.removeHandler(h)
        logger.propagate = True
    # Each request is logged once, by the middleware below, with its id and timing.
    logging.getLogger("uvicorn.access").disabled = True
    return handler


# --------------------------------------------------------------------------------------------
# metrics
# --------------------------------------------------------------------------------------------


class _StoreCollector:
    """Store size at scrape time, from the app's knowledge base (nothing while it is not open)."""

    def __init__(self, kb_of: Callable[[], "KnowledgeBase | None"]):
        self.kb_of = kb_of

    def describe(self) -> list:
        return []  # collected lazily: do not touch the store at registration

    def collect(self) -> Iterable[GaugeMetricFamily]:
        kb = self.kb_of()
        up = GaugeMetricFamily("sotay_store_up", "1 when the store answered the size query of this scrape")
        if kb is None:
            up.add_metric([], 0)
            yield up
            return
        try:
            stats = kb.stats()
        except Exception:  # a scrape must not fail because the store is down; say so instead
            log.warning("store stats failed during a metrics scrape", exc_info=True)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        for key, help_ in (("documents", "documents in the store"), ("chunks", "retrieval chunks in the store"),
                           ("obligations", "obligations in the store"),
                           ("points", "points in the store (chunks, obligations and other records)")):
            if isinstance(stats.get(key), (int, float)):
                g = GaugeMetricFamily(f"sotay_store_{key}", help_)
                g.add_metric([], stats[key])
                yield g


class _CacheCollector:
    """The kept responses (service/http/cache.py) at scrape time: hits, misses, entries, bytes."""

    def __init__(self, cache_of: Callable[[], Any]):
        self.cache_of = cache_of

    def describe(self) -> list:
        return []

    def collect(self) -> Iterable[CounterMetricFamily | GaugeMetricFamily]:
        cache = self.cache_of()
        if cache is None:
            return
        st = cache.stats()
        looked = CounterMetricFamily("sotay_response_cache_lookups", "query responses looked up among the kept ones, "
                                     "by result: hit (served as kept) or miss (computed)", labels=["result"])
        looked.add_metric(["hit"], st["hits"])
        looked.add_metric(["miss"], st["misses"])
        yield looked
        for key, help_ in (("entries", "responses kept"), ("bytes", "bytes of the responses kept")):
            g = GaugeMetricFamily(f"sotay_response_cache_{key}", help_)
            g.add_metric([], st[key])
            yield g


class Metrics:
    """The app's Prometheus registry and the instruments the middleware and ingest update."""

    def __init__(self, kb_of: Callable[[], "KnowledgeBase | None"] = lambda: None,
                 cache_of: Callable[[], Any] = lambda: None):
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter("sotay_http_requests", "HTTP requests by method, route template and status class",
                                ["method", "route", "status"], registry=r)
        self.latency = Histogram("sotay_http_request_duration_seconds",
                                 "time from request to the end of the response, by method and route template",
                                 ["method", "route"], buckets=LATENCY_BUCKETS, registry=r)
        self.in_progress = Gauge("sotay_http_requests_in_progress", "requests being handled", registry=r)
        self.ingested = Counter("sotay_ingest_documents",
                                "documents ingested by this process, by outcome: added, updated (replaced), "
                                "unchanged, error", ["status"], registry=r)
        self.ingested_chunks = Counter("sotay_ingest_chunks", "chunks written by ingests that changed a document",
                                       registry=r)
        self.ingested_obligations = Counter("sotay_ingest_obligations",
                                            "obligations written by ingests that changed a document", registry=r)
        for status in ("added", "updated", "unchanged", "error"):
            self.ingested.labels(status)  # present (at 0) before the first ingest
        r.register(_StoreCollector(kb_of))
        r.register(_CacheCollector(cache_of))
        ProcessCollector(registry=r)
        PlatformCollector(registry=r)
        GCCollector(registry=r)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        method = method if method in _METHODS else "OTHER"
        self.requests.labels(method, route, f"{status // 100}xx").inc()
        self.latency.labels(method, route).observe(seconds)

    def count_ingest(self, item: "IngestItem") -> None:
        status = item.status if item.status in ("added", "updated", "unchanged") else "error"
        self.ingested.labels(status).inc()
        if status in ("added", "updated"):
            self.ingested_chunks.inc(item.chunks or 0)
            self.ingested_obligations.inc(item.obligations or 0)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


def route_template(routes: list[BaseRoute], scope: Scope) -> str:
    """The route that handled (or would have handled) the request, as its template."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return path
    # Not routed: refused by a middleware before the router (401, 403, 429, 413), or unknown.
    partial = None
    for r in routes:
        try:
            match, _ = r.matches(scope)
        except Exception:  # a route that cannot judge this scope does not match it
            continue
        if match == Match.FULL:
            return getattr(r, "path", UNMATCHED)
        if match == Match.PARTIAL and partial is None:
            partial = getattr(r, "path", None)
    return partial or UNMATCHED


# --------------------------------------------------------------------------------------------
# the middleware
# --------------------------------------------------------------------------------------------


UPLOAD_ROUTE = "/api/documents"
INGEST_REPORTED = "ingest_reported"  # set in the request state by the upload route once it has counted


def _refused_before_ingest(method: str, route: str, status: int, scope: Scope) -> bool:
    """An upload refused before the route could count it (a body over the limit, a form that cannot
    be read): it is an ingest error too. Not: requests refused for their key (401, 403)."""
    return (method == "POST" and route == UPLOAD_ROUTE and 400 <= status < 500 and status not in (401, 403)
            and not (scope.get("state") or {}).get(INGEST_REPORTED))


class Observe:
    """Pure ASGI middleware: request id in, header out; access log line; request metrics; and the
    ``/metrics`` endpoint itself (answered here, before the guard, with its own access rule)."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics, routes: list[BaseRoute],
                 metrics_allowed: Callable[[Scope, Headers], tuple[int, str, str] | None]):
        self.app, self.metrics, self.routes, self.metrics_allowed = app, metrics, routes, metrics_allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        rid = request_id_from(headers)
        token = request_id_var.set(rid)
        scope.setdefault("state", {})["request_id"] = rid
        t0 = time.perf_counter()
        status = 500  # if the app fails before it answers
        raw_id = rid.encode("ascii")

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", []), (b"x-request-id", raw_id)]}
            await send(message)

        self.metrics.in_progress.inc()
        try:
            if scope.get("path") == METRICS_PATH:
                await self._serve_metrics(scope, headers, receive, send_with_id)
            else:
                await self.app(scope, receive, send_with_id)
        finally:
            self.metrics.in_progress.dec()
            seconds = time.perf_counter() - t0
            route = METRICS_PATH if scope.get("path") == METRICS_PATH else route_template(self.routes, scope)
            method = scope.get("method", "GET")
            self.metrics.observe(method, route, status, seconds)
            if _refused_before_ingest(method, route, status, scope):
                self.metrics.ingested.labels("error").inc()
            client = (scope.get("client") or ("-", 0))[0]
            access_log.log(logging.ERROR if status >= 500 else logging.INFO, "%s %s %d", method, scope.get("path", ""),
                           status, extra={"request_id": rid, "method": method, "path": scope.get("path", ""),
                                          "status": status, "ms": round(seconds * 1000, 2), "client": client})
            request_id_var.reset(token)

    async def _serve_metrics(self, scope: Scope, headers: Headers, receive: Receive, send: Send) -> None:
        from anyio import to_thread
        from starlette.responses import JSONResponse, Response

        refusal = self.metrics_allowed(scope, headers)
        if refusal is not None:
            status, code, message = refusal
            extra = {"WWW-Authenticate": "Bearer"} if status == 401 else None
            await JSONResponse({"error": {"code": code, "message": message}}, status_code=status,
                               headers=extra)(scope, receive, send)
            return
        if scope.get("method") not in ("GET", "HEAD"):
            await JSONResponse({"error": {"code": "method_not_allowed",
                                          "message": f"Phương thức {scope.get('method')} không được hỗ trợ cho "
                                                     f"đường dẫn '{METRICS_PATH}'."}},
                               status_code=405, headers={"Allow": "GET, HEAD"})(scope, receive, send)
            return
        # The store size query may wait for the engine lock: not on the event loop.
        body = await to_thread.run_sync(self.metrics.exposition)
        response = Response(body, media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})
        await response(scope, receive, send)


def metrics_access(settings: "Settings") -> Callable[[Scope, Headers], tuple[int, str, str] | None]:
    """The rule for /metrics (see the module docstring): None = allowed, else (status, code, message)."""
    from .keys import KeyRing, is_loopback, presented_key

    keys = KeyRing(settings.api_keys)

    def allowed(scope: Scope, headers: Headers) -> tuple[int, str, str] | None:
        host = (scope.get("client") or (None, None))[0]
        if is_loopback(host) and not any(h in headers for h in _FORWARDED):
            return None
        key = presented_key(headers)
        if key is None:
            return 401, "missing_key", ("Số liệu vận hành (/metrics) chỉ mở cho truy cập từ chính máy chủ; "
                                        "từ nơi khác cần khóa API quản trị (Authorization: Bearer <khóa>).")
        scope_name = keys.scope_of(key)
        if scope_name is None:
            return 401, "invalid_key", "Khóa API không hợp lệ."
        if scope_name != "admin":
            return 403, "forbidden", "Khóa API này không có quyền xem số liệu vận hành (cần quyền quản trị)."
        return None

    return allowed


# --------------------------------------------------------------------------------------------
# wiring
# --------------------------------------------------------------------------------------------


def install(app: "FastAPI", settings: "Settings") -> Metrics:
    """Add the middleware (call this after every other `add_middleware`: it must be outermost), the
    /metrics endpoint, and the ingest counters of the app's knowledge base once it is open."""
    metrics = Metrics(lambda: getattr(app.state, "kb", None), lambda: getattr(app.state, "response_cache", None))
    app.state.metrics = metrics
    app.add_middleware(Observe, metrics=metrics, routes=app.router.routes, metrics_allowed=metrics_access(settings))
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(a: Any):
        async with inner(a) as state:
            kb = getattr(app.state, "kb", None)
            listeners = getattr(kb, "ingest_listeners", None)
            if listeners is not None:
                listeners.append(metrics.count_ingest)
            try:
                yield state
            finally:
                if listeners is not None and metrics.count_ingest in listeners:
                    listeners.remove(metrics.count_ingest)

    app.router.lifespan_context = lifespan
    return metrics


__all__ = ["JsonFormatter", "Metrics", "Observe", "configure_logging", "current_request_id", "install",
           "metrics_access", "request_id_from", "route_template", "REQUEST_ID_HEADER", "LATENCY_BUCKETS"]
