"""HEAD wherever GET is allowed (RFC 9110 §9.3.2): FastAPI registers a GET route for GET only, so a
HEAD request got 405. This middleware hands such a request on as a GET and sends the headers of its
answer without the body. It sits outside the security guard, so the guard, the rate limit and the
query limiter treat it exactly as the GET it stands for; the access log still says HEAD. The
OpenAPI document is unchanged (HEAD is implied by GET, not a separate operation)."""
from __future__ import annotations

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    def __init__(self, app: ASGIApp, *, routes: list[BaseRoute]):
        self.app, self.routes = app, routes

    def _has_get_only(self, scope: Scope) -> bool:
        """Some route answers GET on this path, and none answers HEAD itself (static files do)."""
        as_get = {**scope, "method": "GET"}
        for route in self.routes:
            try:
                if route.matches(scope)[0] == Match.FULL:
                    return False
                if route.matches(as_get)[0] == Match.FULL:
                    return True
            except Exception:  # a route that cannot judge this scope does not match it
                continue
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "HEAD" or not self._has_get_only(scope):
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        # A new scope: the server keeps its own (HEAD), and suppresses a body by itself too.
        await self.app({**scope, "method": "GET"}, receive, headers_only)


__all__ = ["HeadAsGet"]
