"""Answers kept until the store changes: the JSON bytes of ``/api/ask``, ``/api/search`` and
``/api/obligations`` responses, by what the response depends on, served again without recomputing.

A response of these routes is a function of the request (path, query string, body), the caller's
scopes, the day (``as_of`` defaults to today) and the stored documents. The key holds the first
four, and the knowledge base's write generation (``KnowledgeBase.generation``, bumped by every
ingest, deletion and compaction through it) the last: a write makes every kept response unreachable,
so an answer never outlives a document it cites, nor misses one added since. A response computed
while a write landed is not kept (its reads may predate the write). Only the embedded store has one
writer, this process; on a Qdrant server other replicas write, so nothing is kept there.

Why: the same questions come back (the chat's suggested questions, a topic of the week, a role's
duties), and an answer costs 2-10 ms of CPU under one interpreter lock (retrieval, rescoring,
composition), a kept one ~0.1 ms; under load every request that is not recomputed leaves the
interpreter to the ones that are. A hit is answered by the middleware `KeptResponses`, inside the
security guard (keys, rate limits, body limit) and before routing, validation and the query limiter's
queue: ~0.1 ms, on the event loop. A miss runs in the thread pool as before, its response validated
and serialized there (FastAPI would do it in a second hand-off).

Bounded by bytes (``SOTAY_RESPONSE_CACHE_MB``, 0 = off), least recently used first out. The bytes
are what FastAPI's response model would have produced (the route's model validates and serializes
them), so a kept answer is byte-identical to a computed one except ``took_ms``, which is this
request's time.
"""
from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from fastapi import Request
from fastapi.responses import Response
from pydantic import TypeAdapter
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from .concurrency import read_body
from .deps import kb as kb_of

# What one kept entry costs besides its bytes (key, list node, bookkeeping), for the byte budget.
ENTRY_OVERHEAD = 200
TOOK = b'"took_ms":'
_FLOAT = TypeAdapter(float)


@dataclass(frozen=True)
class _Kept:
    head: bytes  # the body up to the took_ms value (the whole body when it has none)
    tail: bytes  # the body after it
    timed: bool

    @property
    def size(self) -> int:
        return len(self.head) + len(self.tail) + ENTRY_OVERHEAD


class ResponseCache:
    """A byte-bounded LRU of response bodies; thread-safe (hits are read on the event loop, misses
    are kept from the thread pool)."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple, _Kept] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple) -> _Kept | None:
        with self._lock:
            kept = self._entries.get(key)
            if kept is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return kept

    def put(self, key: tuple, kept: _Kept) -> None:
        if kept.size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._entries[key] = kept
            self._bytes += kept.size
            while self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.size

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {"hits": self.hits, "misses": self.misses, "entries": len(self._entries), "bytes": self._bytes}


def _split(body: bytes, took: float) -> _Kept | None:
    """The body around its took_ms value; None when it cannot be told apart (then it is not kept).
    A JSON string escapes its quotes, so the bytes '"took_ms":' occur only as a key."""
    mark = TOOK + _FLOAT.dump_json(took)
    if body.count(mark) != 1:
        return None
    i = body.index(mark) + len(TOOK)
    return _Kept(body[:i], body[i + len(mark) - len(TOOK):], True)


# The routes whose responses are kept, and whether theirs carry a top-level took_ms.
KEPT_ROUTES = {("POST", "/api/ask"): True, ("GET", "/api/search"): False, ("GET", "/api/obligations"): False}
_SCOPE_KEY = "sotay.kept"  # what the middleware looked up, for the route to keep its response under


def _key(scope: Scope, body: bytes) -> tuple:
    """What a response of these routes depends on, besides the store: the route, the request as sent
    (hashed: a body carries up to ten earlier answers), the caller's scopes and the day."""
    digest = hashlib.blake2b(scope.get("query_string", b""), digest_size=16)
    digest.update(b"\0")
    digest.update(body)
    state = scope.get("state") or {}
    scopes = getattr(state.get("caller"), "scopes", ())  # as the security guard established them
    return scope["method"], scope["path"], digest.digest(), tuple(sorted(scopes)), date.today().toordinal()


class KeptResponses:
    """Pure ASGI middleware inside the security guard (keys, rate limits and the body limit apply to
    every request) and outside the query limiter (a kept response does not queue behind the queries
    being computed): answers the request from the cache when it can, else marks it for its route to
    keep what it computes (:func:`respond`). Nothing in the request is parsed here: equal bytes, equal
    response."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        timed = KEPT_ROUTES.get((scope.get("method", ""), scope.get("path", ""))) if scope["type"] == "http" else None
        state = getattr(scope.get("app"), "state", None)
        cache = getattr(state, "response_cache", None)
        kb = getattr(state, "kb", None)
        if timed is None or cache is None or getattr(getattr(kb, "store", None), "backend", None) != "edge":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        body: bytes | None = b""
        if scope["method"] == "POST":
            receive, body = await read_body(receive)
            if body is None:  # the client left, or the body is over the limit: the route says so
                await self.app(scope, receive, send)
                return
        generation = kb.generation
        key = _key(scope, body) + (generation,)
        kept = cache.get(key)
        if kept is None:
            scope[_SCOPE_KEY] = (cache, key, generation)
            await self.app(scope, receive, send)
            return
        content = kept.head
        if kept.timed:
            content += _FLOAT.dump_json(round((time.perf_counter() - t0) * 1000, 2)) + kept.tail
        await _json(content)(scope, receive, send)


async def respond(request: Request, compute: Callable[[], Any], model: TypeAdapter, *,
                  timed: bool = False) -> Response:
    """The route's JSON response: `compute()` run in the thread pool, validated and serialized with
    `model` as FastAPI would, and kept when the middleware looked for it (see KeptResponses). `timed`:
    the response has a top-level ``took_ms`` (the answer's), set to each hit's own time."""
    looked = request.scope.get(_SCOPE_KEY)
    if looked is None:  # not kept: the cache is off, or this store has other writers
        return _json(await run_in_threadpool(_render, compute, model))
    cache, key, generation = looked
    kb = kb_of(request)

    def miss() -> bytes:
        value = compute()
        body = _render(lambda: value, model)
        if kb.generation == generation:  # else a write landed meanwhile: what was read may predate it
            entry = _split(body, value.get("took_ms")) if timed and isinstance(value, dict) else \
                None if timed else _Kept(body, b"", False)
            if entry is not None:
                cache.put(key, entry)
        return body

    return _json(await run_in_threadpool(miss))


def _render(compute: Callable[[], Any], model: TypeAdapter) -> bytes:
    """What FastAPI does with a route's return value and its response model (fastapi.routing
    serialize_response: validate, then dump JSON by alias)."""
    return model.dump_json(model.validate_python(compute(), from_attributes=True), by_alias=True)


def _json(body: bytes) -> Response:
    return Response(content=body, media_type="application/json")


def response_cache(max_mb: int) -> ResponseCache | None:
    return ResponseCache(max_mb * 1024 * 1024) if max_mb > 0 else None


__all__ = ["KeptResponses", "KEPT_ROUTES", "ResponseCache", "respond", "response_cache"]
