"""Query concurrency (service/http/concurrency.py): a few query requests inside the app at once, first
come first served; everything else never waits."""
from __future__ import annotations

import asyncio

from service.config import Settings
from service.http.concurrency import QueryLimiter, is_query, query_concurrency


def test_query_limiter_admits_a_few_in_arrival_order():
    """At most `limit` query requests inside the app at once, admitted first come first served;
    uploads, deletions, admin calls and pages pass without waiting."""
    inside, peak, order = 0, 0, []

    async def app(scope, receive, send):  # stands for the routes: reads the body, holds its turn a moment
        nonlocal inside, peak
        inside += 1
        peak = max(peak, inside)
        order.append(scope["path"])
        if scope["method"] == "POST":
            await receive()
        await asyncio.sleep(0.01)
        inside -= 1

    async def main() -> None:
        limiter = QueryLimiter(app, limit=2)

        async def whole_body():
            return {"type": "http.request", "body": b"{}", "more_body": False}

        def call(method, path, receive=whole_body):
            return limiter({"type": "http", "method": method, "path": path}, receive, None)

        tasks = []
        for i in range(10):
            tasks.append(asyncio.create_task(call("GET", f"/api/search/{i}")))
            await asyncio.sleep(0)  # arrive one after another
        await asyncio.gather(*tasks)
        assert peak == 2
        assert order == [f"/api/search/{i}" for i in range(10)]
        # not queries: never wait, even with every turn taken
        held = [asyncio.create_task(call("POST", "/api/ask")) for _ in range(4)]
        await asyncio.sleep(0)
        for method, path in (("POST", "/api/documents"), ("DELETE", "/api/documents/x"), ("POST", "/api/admin/backup"),
                             ("GET", "/healthz"), ("GET", "/metrics"), ("GET", "/")):
            await asyncio.wait_for(call(method, path), timeout=0.5)
        await asyncio.gather(*held)
        # A client sending its body slowly holds no turn: two stalled POSTs, and a search still gets in.
        stalled = asyncio.Event()

        async def never_finishes():
            await stalled.wait()
            return {"type": "http.disconnect"}

        slow = [asyncio.create_task(call("POST", "/api/ask", never_finishes)) for _ in range(2)]
        await asyncio.sleep(0)
        await asyncio.wait_for(call("GET", "/api/search/after-slow"), timeout=0.5)
        stalled.set()
        await asyncio.gather(*slow)

    asyncio.run(main())
    assert is_query("GET", "/api/documents") and is_query("GET", "/api/documents/abc") and is_query("POST", "/api/ask")
    assert query_concurrency(Settings()) == 2 and query_concurrency(Settings(qdrant_url="http://q:6333")) == 8
    assert query_concurrency(Settings(query_concurrency=5)) == 5
    assert Settings.from_env({"SOTAY_QUERY_CONCURRENCY": "3"}).query_concurrency == 3
