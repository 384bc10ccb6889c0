"""A closed-loop HTTP load generator for the API (tests/ run it briefly and assert no errors;
eval/load.py runs it long and prints figures).

`clients` asyncio workers share one connection pool (aiohttp: its client costs ~15x less CPU per
request than httpx's async one, CPU the server would lose on a 2-core machine; ``client="httpx"`` to
compare). Each worker is a closed loop with no think time: send, wait for the answer, send the next.
The mix (ask / search / obligations weights) is drawn from the given :class:`Queries` with a seeded
generator, so two runs send the same sequence. An error is a transport failure, a timeout or any
status other than 200 with the expected body.
"""
from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable

DEFAULT_MIX = "ask=0.5,search=0.35,obligations=0.15"


@dataclass
class Request:
    op: str
    method: str
    path: str
    params: dict[str, Any] | None = None
    body: dict[str, Any] | None = None


@dataclass(frozen=True)
class Queries:
    """What the requests are drawn from."""

    ask: list[str]  # questions for /api/ask
    search: list[str]  # queries for /api/search
    roles: list[str | None]  # roles for /api/obligations (None: no role)
    due: list[tuple[str | None, str | None]]  # (due_from, due_to) windows for /api/obligations


class Workload:
    """Seeded request generator: the same sequence of requests on every run with the same seed."""

    def __init__(self, mix: dict[str, float], seed: int, queries: Queries):
        self.ops, self.weights = list(mix), list(mix.values())
        self.rng = random.Random(seed)
        self.queries = queries

    def next(self) -> Request:
        r, q = self.rng, self.queries
        op = r.choices(self.ops, self.weights)[0]
        if op == "ask":
            return Request(op, "POST", "/api/ask", body={"question": r.choice(q.ask)})
        if op == "search":
            return Request(op, "GET", "/api/search", params={"q": r.choice(q.search), "k": r.choice((5, 10, 20))})
        role = r.choice(q.roles)
        due_from, due_to = r.choice(q.due)
        params = {k: v for k, v in (("role", role), ("due_from", due_from), ("due_to", due_to)) if v}
        return Request(op, "GET", "/api/obligations", params=params)


def parse_mix(text: str) -> dict[str, float]:
    mix: dict[str, float] = {}
    for part in text.split(","):
        name, _, w = part.partition("=")
        if name.strip() not in ("ask", "search", "obligations") or not w:
            raise SystemExit(f"--mix: expected ask=W,search=W,obligations=W, got {text!r}")
        mix[name.strip()] = float(w)
    return mix


# --------------------------------------------------------------------------------------------
# the load
# --------------------------------------------------------------------------------------------


@dataclass
class Sample:
    op: str
    seconds: float
    error: str | None  # None = a 200 with the expected body


@dataclass
class Run:
    samples: list[Sample] = field(default_factory=list)
    wall_s: float = 0.0


def _check(req: Request, status: int, body: Any) -> str | None:
    if status != 200:
        return f"http_{status}"
    key = {"ask": "answer", "search": "hits", "obligations": "obligations"}[req.op]
    if not isinstance(body, dict) or key not in body:
        return "bad_body"
    return None


async def _send_aiohttp(session, req: Request) -> tuple[int, Any]:
    async with session.request(req.method, req.path, params=req.params, json=req.body) as r:
        return r.status, (await r.json() if r.content_type == "application/json" else await r.read())


async def _send_httpx(client, req: Request) -> tuple[int, Any]:
    r = await client.request(req.method, req.path, params=req.params, json=req.body)
    return r.status_code, (r.json() if r.headers.get("content-type", "").startswith("application/json") else None)


def _transport(client: str) -> tuple[Callable, type[BaseException], type[BaseException]]:
    """How a client library sends a request, and its timeout and transport error types."""
    if client == "aiohttp":
        import aiohttp

        return _send_aiohttp, asyncio.TimeoutError, aiohttp.ClientError
    import httpx

    return _send_httpx, httpx.TimeoutException, httpx.HTTPError


async def _worker(session, client: str, work: Workload, deadline: float, out: list[Sample]) -> None:
    send, timeout_error, transport_error = _transport(client)
    while time.perf_counter() < deadline:
        req = work.next()
        t0 = time.perf_counter()
        try:
            status, body = await send(session, req)
            err = _check(req, status, body)
        except timeout_error:
            err = "timeout"
        except transport_error as e:
            err = type(e).__name__
        except ValueError:
            err = "bad_json"
        out.append(Sample(req.op, time.perf_counter() - t0, err))


async def _load(url: str, clients: int, duration: float, mix: dict[str, float], seed: int, queries: Queries,
                timeout: float, warmup: float, on_start=None, client: str = "aiohttp") -> Run:
    """`clients` closed-loop workers on one connection pool (one connection each)."""
    async with _session(url, clients, timeout, client) as session:
        if warmup > 0:  # connections opened, caches warm; not counted
            until = time.perf_counter() + warmup
            await asyncio.gather(*(_worker(session, client, Workload(mix, seed + 1000 + i, queries), until, [])
                                   for i in range(clients)))
        if on_start is not None:
            on_start()
        samples: list[Sample] = []
        t0 = time.perf_counter()
        deadline = t0 + duration
        await asyncio.gather(*(_worker(session, client, Workload(mix, seed + i, queries), deadline, samples)
                               for i in range(clients)))
        return Run(samples, time.perf_counter() - t0)


def _session(url: str, clients: int, timeout: float, client: str):
    """aiohttp by default: its async client costs ~0.15 ms of CPU per request here, httpx's ~2 ms,
    and on a 2-core machine the load generator's CPU is taken from the server it measures."""
    if client == "aiohttp":
        import aiohttp

        return aiohttp.ClientSession(url, connector=aiohttp.TCPConnector(limit=clients, force_close=False),
                                     timeout=aiohttp.ClientTimeout(total=timeout), trust_env=False)
    import httpx

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    return httpx.AsyncClient(base_url=url, limits=limits, timeout=timeout, trust_env=False)


def pct(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    s = sorted(xs)
    pos = (len(s) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def summarize(samples: list[Sample], wall_s: float) -> dict:
    def lat(xs: list[float]) -> dict:
        ms = [x * 1000 for x in xs]
        return {"n": len(ms), "p50_ms": round(pct(ms, .5), 1), "p95_ms": round(pct(ms, .95), 1),
                "p99_ms": round(pct(ms, .99), 1), "max_ms": round(max(ms), 1) if ms else None,
                "mean_ms": round(statistics.fmean(ms), 1) if ms else None}

    out = {"requests": len(samples), "seconds": round(wall_s, 1),
           "throughput_rps": round(len(samples) / wall_s, 1) if wall_s else 0.0,
           "errors": sum(1 for s in samples if s.error),
           "error_kinds": dict(Counter(s.error for s in samples if s.error)),
           "all": lat([s.seconds for s in samples])}
    for op in ("ask", "search", "obligations"):
        xs = [s.seconds for s in samples if s.op == op]
        if xs:
            out[op] = lat(xs)
    return out


def load(url: str, *, clients: int, duration: float, mix: dict[str, float], seed: int, queries: Queries,
         timeout: float = 30.0, warmup: float = 3.0, on_start: Callable[[], None] | None = None,
         client: str = "aiohttp") -> tuple[dict, Run]:
    """Load ``url`` after a warm-up (not counted); ``on_start`` runs when the measured window opens.
    Returns the summary and the raw run."""
    run_ = asyncio.run(_load(url, clients, duration, mix, seed, queries, timeout, warmup, on_start, client))
    return summarize(run_.samples, run_.wall_s), run_
