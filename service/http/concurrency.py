"""How many query requests run at once; the others wait their turn, first come first served.

The query routes are synchronous and run in the server's thread pool (40 threads). On the embedded
store a query is CPU work under one interpreter lock, and the engine serializes its calls besides:
32 queries running in 32 threads do not finish sooner, they share the CPU in slices, so each takes
about as long as all of them together, and the event loop that reads requests and writes answers
waits for its slice too. Measured with `eval.load` (32 clients, 2-core machine, README): p95 fell
from 335–447 ms to 158–193 ms and p99 from 465–848 ms to 173–444 ms with 1, 2 or 4 at a time, at the
same or a higher throughput; 2 was best. A Qdrant server is different: a query mostly waits on the
network, with the interpreter free, so more may run at once.

Limited: every ``/api/`` request except uploads, deletions and ``/api/admin/…`` (long writes must not
hold a query's turn, nor wait behind queries). The limiter sits inside the security guard, so refused
requests never queue, and a POST body is read in full before its request takes a turn.
"""
from __future__ import annotations

import asyncio
import weakref

from starlette.types import ASGIApp, Receive, Scope, Send

from ..config import Settings

EMBEDDED_DEFAULT = 2
SERVER_DEFAULT = 8


def query_concurrency(settings: Settings) -> int:
    """`SOTAY_QUERY_CONCURRENCY`, else 2 on the embedded store and 8 on a Qdrant server."""
    if settings.query_concurrency:
        return settings.query_concurrency
    return SERVER_DEFAULT if settings.qdrant_url else EMBEDDED_DEFAULT


def is_query(method: str, path: str) -> bool:
    if not path.startswith("/api/") or path.startswith("/api/admin/"):
        return False
    return not (method in ("POST", "DELETE") and (path == "/api/documents" or path.startswith("/api/documents/")))


class Activity:
    """How many query requests are inside the service now (queued or running): the start-up warm-up
    gives way to them (http/app.py). Changed on the event loop only; read from any thread."""

    def __init__(self) -> None:
        self.inside = 0

    def busy(self) -> bool:
        return self.inside > 0


class QueryLimiter:
    """Pure ASGI middleware: at most `limit` query requests inside at once, the rest wait (FIFO)."""

    def __init__(self, app: ASGIApp, *, limit: int, activity: Activity | None = None):
        if limit < 1:
            raise ValueError("the query concurrency must be at least 1")
        self.app, self.limit = app, limit
        self.activity = activity or Activity()
        # One semaphore per event loop: an asyncio primitive belongs to the loop it first waits on.
        self._sems: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = \
            weakref.WeakKeyDictionary()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_query(scope.get("method", "GET"), scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        if scope.get("method") == "POST":
            # Read the body before taking a turn: a client that sends it slowly must not hold one of
            # the few turns meanwhile (the security guard outside has already bounded its size).
            receive = await _buffered(receive)
        loop = asyncio.get_running_loop()
        sem = self._sems.get(loop)
        if sem is None:
            sem = self._sems[loop] = asyncio.Semaphore(self.limit)
        self.activity.inside += 1
        try:
            async with sem:
                await self.app(scope, receive, send)
        finally:
            self.activity.inside -= 1


async def _buffered(receive: Receive) -> Receive:
    """Receive the whole request body now; hand it on as one message, then pass through."""
    return (await read_body(receive))[0]


async def read_body(receive: Receive) -> tuple[Receive, bytes | None]:
    """Receive the whole request body now: a receive that hands it on as one message (then passes
    through), and the body — None when it could not be read (the client left, or the body limit:
    raised where the app reads, whose handlers answer it)."""
    chunks: list[bytes] = []
    first: dict = {}
    error: Exception | None = None
    try:
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away: let the app see it
                first = message
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                first = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
                break
    except Exception as exc:  # e.g. the body limit: raised where the app reads, whose handlers answer it
        error = exc
    sent = False

    async def replay() -> dict:
        nonlocal sent
        if error is not None:
            raise error
        if not sent:
            sent = True
            return first
        return await receive()

    return replay, (first.get("body", b"") if error is None and first.get("type") == "http.request" else None)


__all__ = ["Activity", "QueryLimiter", "is_query", "read_body", "query_concurrency", "EMBEDDED_DEFAULT", "SERVER_DEFAULT"]
