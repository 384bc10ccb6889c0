"""Bounded load test on loopback (issue 8 part 3). Figures are printed, never asserted.

    python -m eval.load [--clients 32] [--duration 60] [--quick] [--profile] [--url URL]

A real `sotay serve` runs in a subprocess on a free 127.0.0.1 port over an embedded store with the
shipped corpus ingested (a temporary data directory; `--data-dir` reuses one), and `--clients`
asyncio workers share one connection pool (aiohttp: its client costs ~15× less CPU per request than
httpx's async one, CPU the server would lose on a 2-core machine; `--client httpx` to compare, as the
first figures were taken). Each worker is a closed loop with no think time:
send, wait for the answer, send the next — so the server is saturated and the latency measured is
service time plus queueing behind the other clients (by Little's law, mean latency ≈ clients /
throughput). The mix is `--mix` (default ask 50 %, search 35 %, obligations 15 %), drawn from fixed
question lists with a seeded generator, so two runs send the same sequence.

An error is a transport failure, a timeout or any status other than 200 (every request sent is
valid). Printed: throughput, p50/p95/p99/max overall and per operation, the error count, the
server's CPU use (psutil) and its own view of request time (its /metrics histogram sums).

`--profile` attaches `py-spy record` to the server for the measured window (`--gil`: it samples the
thread that holds the GIL, i.e. what the one interpreter is busy with) and prints the functions with
the most samples, by own time and including callees; the raw stacks go to eval/out/load-profile.txt.
`--url` loads a server that is already running (`--pid` gives its CPU figures and the profile).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from eval.serve import free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "eval" / "out"

ASK = [
    "Hạn hoàn thành xây dựng kế hoạch tập thể thực hiện Kết luận 01 năm 2024 là khi nào?",
    "Cá nhân phải hoàn thành kế hoạch học tập và làm theo Bác trong thời gian nào?",
    "Khi nào toàn tỉnh phải hoàn thành việc học tập, quán triệt chuyên đề năm 2024?",
    "Bình xét, ghi danh các tập thể, cá nhân tiêu biểu phải xong trước ngày nào?",
    "Lãnh đạo chủ chốt phải đăng ký nêu gương những việc gì?",
    "Chuyên đề năm 2024 của Tỉnh ủy Lai Châu có nội dung gì?",
    "Kết luận 14-KL/TW của Bộ Chính trị bàn về vấn đề gì?",
    "Chuẩn mực đạo đức cách mạng đầu tiên theo Quy định 144 là gì?",
    "Mặt trận Tổ quốc giám sát việc tu dưỡng, rèn luyện đạo đức của người đứng đầu theo quy định nào?",
    "Việc tổ chức cưới hỏi, ma chay của cán bộ, đảng viên phải thực hiện như thế nào?",
    "Tôi là bí thư chi bộ, tôi phải làm gì?",
    "Tôi là bí thư đảng ủy xã, năm 2024 tôi phải làm gì?",
    "Những việc cần làm ngay để chấn chỉnh lề lối làm việc là gì?",
    "Ai chịu trách nhiệm tổ chức học tập lý luận chính trị?",
    "Công thức nấu phở bò Hà Nội gồm những gì?",
    "Mức lương cơ sở năm 2024 là bao nhiêu?",
    "han chot xay dung ke hoach ca nhan la khi nao",
    "trach nhiem neu guong cua can bo dang vien la gi",
    "KL 14 của BCT khuyến khích cán bộ như thế nào?",
    "Bảo vệ cán bộ dám nghĩ, dám làm được quy định ra sao?",
]
ROLES = ["bí thư chi bộ", "bí thư đảng ủy xã", "đảng viên", "cán bộ Ban Tuyên giáo Tỉnh ủy", "bí thư huyện ủy", None]
DUE = [(None, None), ("2024-01-01", "2024-12-31"), ("2024-01-01", "2024-03-31"), (None, "2024-06-30")]
DEFAULT_MIX = "ask=0.5,search=0.35,obligations=0.15"


def _search_queries() -> list[str]:
    from eval.bench import QUERIES  # the ~50 benchmark queries, a quarter without diacritics

    return QUERIES


# --------------------------------------------------------------------------------------------
# requests
# --------------------------------------------------------------------------------------------


@dataclass
class Request:
    op: str
    method: str
    path: str
    params: dict[str, Any] | None = None
    body: dict[str, Any] | None = None


class Workload:
    """Seeded request generator: the same sequence of requests on every run with the same seed."""

    def __init__(self, mix: dict[str, float], seed: int):
        self.ops, self.weights = list(mix), list(mix.values())
        self.rng = random.Random(seed)
        self.queries = _search_queries()

    def next(self) -> Request:
        r = self.rng
        op = r.choices(self.ops, self.weights)[0]
        if op == "ask":
            return Request(op, "POST", "/api/ask", body={"question": r.choice(ASK)})
        if op == "search":
            return Request(op, "GET", "/api/search", params={"q": r.choice(self.queries), "k": r.choice((5, 10, 20))})
        role = r.choice(ROLES)
        due_from, due_to = r.choice(DUE)
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


async def _worker_aiohttp(session, work: Workload, deadline: float, out: list[Sample]) -> None:
    import aiohttp

    while time.perf_counter() < deadline:
        req = work.next()
        t0 = time.perf_counter()
        try:
            async with session.request(req.method, req.path, params=req.params, json=req.body) as r:
                body = await r.json() if r.content_type == "application/json" else await r.read()
                err = _check(req, r.status, body)
        except asyncio.TimeoutError:
            err = "timeout"
        except aiohttp.ClientError as e:
            err = type(e).__name__
        except ValueError:
            err = "bad_json"
        out.append(Sample(req.op, time.perf_counter() - t0, err))


async def _worker_httpx(client, work: Workload, deadline: float, out: list[Sample]) -> None:
    import httpx

    while time.perf_counter() < deadline:
        req = work.next()
        t0 = time.perf_counter()
        try:
            r = await client.request(req.method, req.path, params=req.params, json=req.body)
            body = r.json() if r.headers.get("content-type", "").startswith("application/json") else None
            err = _check(req, r.status_code, body)
        except httpx.TimeoutException:
            err = "timeout"
        except httpx.HTTPError as e:
            err = type(e).__name__
        except ValueError:
            err = "bad_json"
        out.append(Sample(req.op, time.perf_counter() - t0, err))


async def _load(url: str, clients: int, duration: float, mix: dict[str, float], seed: int,
                timeout: float, warmup: float, on_start=None, client: str = "aiohttp") -> Run:
    """`clients` closed-loop workers on one connection pool (one connection each)."""
    async with _session(url, clients, timeout, client) as session:
        worker = _worker_aiohttp if client == "aiohttp" else _worker_httpx
        if warmup > 0:  # connections opened, caches warm; not counted
            await asyncio.gather(*(worker(session, Workload(mix, seed + 1000 + i), time.perf_counter() + warmup, [])
                                   for i in range(clients)))
        if on_start is not None:
            on_start()
        samples: list[Sample] = []
        t0 = time.perf_counter()
        deadline = t0 + duration
        await asyncio.gather(*(worker(session, Workload(mix, seed + i), deadline, samples) for i in range(clients)))
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


# --------------------------------------------------------------------------------------------
# the server
# --------------------------------------------------------------------------------------------


def _env(data_dir: str) -> dict[str, str]:
    env = dict(os.environ, SOTAY_DATA_DIR=data_dir)
    for k in ("SOTAY_QDRANT_URL", "SOTAY_API_KEYS", "SOTAY_EMBED_MODEL", "SOTAY_LLM_URL"):
        env.pop(k, None)  # the embedded store, sparse only, open reading on loopback
    env["SOTAY_RATE_LIMIT"] = "off"  # one client address sends everything: a per-client limit would refuse it
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def _sotay() -> list[str]:
    exe = Path(sys.executable).parent / "sotay"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "service.cli"]


def ingest_corpus(data_dir: str) -> None:
    p = subprocess.run(_sotay() + ["ingest", str(ROOT / "corpus"), "--json"], cwd=ROOT, env=_env(data_dir),
                       capture_output=True, text=True, timeout=600)
    if p.returncode != 0:
        raise RuntimeError(f"sotay ingest failed: {p.stderr[-1000:]}")


def _py_spy() -> str | None:
    exe = Path(sys.executable).parent / "py-spy"
    return str(exe) if exe.exists() else shutil.which("py-spy")


@contextmanager
def server(data_dir: str, log_path: Path, *, extra_args: list[str], env_extra: dict[str, str] | None = None,
           timeout: float = 180) -> Iterator[tuple[str, int]]:
    """`sotay serve` in a subprocess; yields (url, pid)."""
    port = free_port()
    cmd = _sotay() + ["serve", "--host", "127.0.0.1", "--port", str(port)] + extra_args
    env = _env(data_dir) | (env_extra or {})
    with open(log_path, "wb") as logf:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=logf, stderr=subprocess.STDOUT,
                                start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, timeout, log_tail=lambda: log_path.read_text("utf-8", "replace")[-1500:])
        yield url, proc.pid
    finally:
        # SIGINT: uvicorn shuts down cleanly (the store is flushed and unlocked).
        try:
            os.killpg(proc.pid, signal.SIGINT)
        except ProcessLookupError:
            pass
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def start_profiler(pid: int, out: Path, seconds: float) -> subprocess.Popen:
    """py-spy attached to the server for the measured window only: `--gil` samples the thread that
    holds the GIL (what the one interpreter is busy with), `--nonblocking` does not pause it."""
    spy = _py_spy()
    if spy is None:
        raise RuntimeError("py-spy is not installed (pip install py-spy)")
    cmd = [spy, "record", "--pid", str(pid), "--gil", "--nonblocking", "-r", "250", "-f", "raw", "-o", str(out),
           "--duration", str(max(1, int(seconds)))]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def server_view(url: str) -> dict:
    """The server's own request time per route from its /metrics (if it has one)."""
    import httpx

    try:
        r = httpx.get(url + "/metrics", timeout=10)
    except httpx.HTTPError:
        return {}
    if r.status_code != 200:
        return {}
    sums: dict[str, float] = {}
    counts: dict[str, float] = {}
    for m in re.finditer(r'^sotay_http_request_duration_seconds_(sum|count)\{[^}]*route="([^"]+)"[^}]*\} (\S+)$',
                         r.text, re.M):
        d = sums if m.group(1) == "sum" else counts
        d[m.group(2)] = d.get(m.group(2), 0.0) + float(m.group(3))
    return {route: {"requests": int(counts[route]), "mean_ms": round(sums[route] / counts[route] * 1000, 1)}
            for route in counts if counts[route] and route.startswith("/api/")}


# --------------------------------------------------------------------------------------------
# the profile
# --------------------------------------------------------------------------------------------


_FRAME = re.compile(r"^(?P<func>.+?) \((?P<file>[^()]*?)(?::\d+)?\)$")


def _short(frame: str) -> str:
    m = _FRAME.match(frame.strip())
    if not m:
        return frame.strip()
    f = m.group("file")
    for marker in ("site-packages/", "/lib/python3.11/"):
        if marker in f:
            f = f.split(marker, 1)[1]
            break
    else:
        f = os.path.relpath(f, ROOT) if f.startswith(str(ROOT)) else f
    return f"{m.group('func')} ({f})"


def summarize_profile(raw: Path, top: int = 20) -> dict:
    """py-spy's raw (collapsed) stacks → the functions with the most samples, own and inclusive."""
    own: Counter[str] = Counter()
    incl: Counter[str] = Counter()
    total = 0
    for line in raw.read_text("utf-8", "replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if not stack or not n.isdigit():
            continue
        count = int(n)
        frames = [_short(f) for f in stack.split(";")[1:]]  # the first entry names the thread
        if not frames:
            continue
        total += count
        own[frames[-1]] += count
        for f in set(frames):
            incl[f] += count
    def rows(c: Counter[str]) -> list[list]:
        return [[f, n, round(100 * n / total, 1)] for f, n in c.most_common(top)] if total else []
    ours = Counter({f: n for f, n in incl.items() if "(service/" in f or "(ingest/" in f})
    return {"samples": total, "own": rows(own), "inclusive": rows(incl), "inclusive_ours": rows(ours)}


# --------------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------------


def measure(url: str, pid: int | None, *, clients: int, duration: float, mix: dict[str, float], seed: int,
            timeout: float, warmup: float, profile: Path | None, client: str = "aiohttp") -> dict:
    """Load `url` after a warm-up; with the server's `pid`, also its CPU use, RSS and a py-spy profile."""
    import psutil

    proc = psutil.Process(pid) if pid else None
    me = psutil.Process()
    spy: list[subprocess.Popen] = []
    cpu: dict[str, Any] = {}

    def on_start() -> None:  # after the warm-up: the figures and the profile cover the run only
        if profile is not None and pid:
            spy.append(start_profiler(pid, profile, duration))
        cpu["me"] = me.cpu_times()
        cpu["server"] = proc.cpu_times() if proc else None

    run_ = asyncio.run(_load(url, clients, duration, mix, seed, timeout, warmup, on_start, client))
    me1, srv1 = me.cpu_times(), (proc.cpu_times() if proc else None)
    res = {"params": {"clients": clients, "duration_s": duration, "mix": mix, "seed": seed, "client": client},
           **summarize(run_.samples, run_.wall_s)}
    wall = run_.wall_s or 1.0
    res["client_cpu_pct"] = round(100 * (me1.user + me1.system - cpu["me"].user - cpu["me"].system) / wall)
    if proc is not None:
        busy = srv1.user + srv1.system - cpu["server"].user - cpu["server"].system
        res["server_cpu_pct"] = round(100 * busy / wall)
        # CPU per request: less sensitive than latency to what else runs on a shared machine
        res["server_cpu_ms_per_request"] = round(1000 * busy / max(1, res["requests"]), 2)
        res["server_rss_mb"] = round(proc.memory_info().rss / 2**20)
    res["server"] = server_view(url)
    for p in spy:
        _, err = p.communicate(timeout=120)
        if p.returncode != 0:
            print(f"py-spy failed: {err.decode('utf-8', 'replace')[-500:]}", file=sys.stderr)
    if profile is not None and profile.exists() and spy:
        res["profile"] = {"raw": str(profile), **summarize_profile(profile)}
    return res


def run(*, clients: int = 32, duration: float = 60.0, mix: str = DEFAULT_MIX, seed: int = 11,
        timeout: float = 30.0, warmup: float = 3.0, url: str | None = None, pid: int | None = None,
        data_dir: str | None = None, profile: Path | None = None, server_args: list[str] | None = None,
        server_env: dict[str, str] | None = None, client: str = "aiohttp") -> dict:
    """One load run against `url` (a running server, `pid` for its CPU figures) or a `sotay serve`
    started here on `data_dir` (default: a temporary one with the shipped corpus)."""
    kw = dict(clients=clients, duration=duration, mix=parse_mix(mix), seed=seed, timeout=timeout, warmup=warmup,
              profile=profile, client=client)
    if url:
        return measure(url, pid, **kw)
    work = Path(tempfile.mkdtemp(prefix="sotay-load-"))
    try:
        if data_dir is None:
            data_dir = str(work / "data")
            ingest_corpus(data_dir)
        args = server_args if server_args is not None else ["--log-format", "json"]
        with server(data_dir, work / "server.log", extra_args=args, env_extra=server_env) as (u, spid):
            res = measure(u, spid, **kw)
        log_text = (work / "server.log").read_text("utf-8", "replace")
        res["server_log_errors"] = sum(1 for line in log_text.splitlines()
                                       if '"level": "ERROR"' in line or "Traceback" in line)
        return res
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(res: dict) -> str:
    p = res["params"]
    lines = [f"load: {p['clients']} clients × {p['duration_s']:g} s, mix {p['mix']}, loopback, embedded store, "
             "shipped corpus",
             f"  {res['requests']} requests in {res['seconds']} s → {res['throughput_rps']} req/s, "
             f"errors {res['errors']}" + (f" {res['error_kinds']}" if res["errors"] else "")
             + (f"; CPU: server {res['server_cpu_pct']} % of a core "
                f"({res['server_cpu_ms_per_request']} ms per request), "
                f"load client {res['client_cpu_pct']} %; server RSS {res['server_rss_mb']} MB"
                if res.get("server_cpu_pct") is not None else f"; load client CPU {res['client_cpu_pct']} %")]
    lines.append(f"  {'':12} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'server mean ms':>15}")
    routes = {"ask": "/api/ask", "search": "/api/search", "obligations": "/api/obligations"}
    for op in ("all", "ask", "search", "obligations"):
        x = res.get(op)
        if not x:
            continue
        sv = (res.get("server") or {}).get(routes.get(op, ""), {})
        lines.append(f"  {op:12} {x['n']:>6} {x['p50_ms']:>8} {x['p95_ms']:>8} {x['p99_ms']:>8} {x['max_ms']:>8} "
                     f"{sv.get('mean_ms', ''):>15}")
    prof = res.get("profile")
    if prof:
        lines.append(f"  profile (py-spy --gil, {prof['samples']} samples; raw stacks in {prof['raw']}):")
        lines.append("    own time:")
        lines += [f"      {pc:5.1f} %  {f}" for f, _, pc in prof["own"][:12]]
        lines.append("    including callees (service/ and ingest/ only):")
        lines += [f"      {pc:5.1f} %  {f}" for f, _, pc in prof["inclusive_ours"][:16]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, default=None, help="concurrent clients (default 32; quick 8)")
    ap.add_argument("--duration", type=float, default=None, help="seconds of load (default 60; quick 10)")
    ap.add_argument("--quick", action="store_true", help="8 clients × 10 s")
    ap.add_argument("--mix", default=DEFAULT_MIX)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--timeout", type=float, default=30.0, help="per-request timeout, s")
    ap.add_argument("--url", help="load this running server instead of starting one")
    ap.add_argument("--pid", type=int, help="with --url: the server's pid, for its CPU figures and --profile")
    ap.add_argument("--data-dir", help="serve this (already ingested) data directory")
    ap.add_argument("--profile", action="store_true", help="run the server under py-spy and print the hot functions")
    ap.add_argument("--server-args", default=None, help="extra `sotay serve` arguments (default: --log-format json)")
    ap.add_argument("--client", choices=("aiohttp", "httpx"), default="aiohttp", help="the HTTP client library")
    ap.add_argument("--json", default=None, help="also write the result here")
    args = ap.parse_args(argv)
    clients = args.clients or (8 if args.quick else 32)
    duration = args.duration or (10.0 if args.quick else 60.0)
    profile = None
    if args.profile:
        OUT.mkdir(parents=True, exist_ok=True)
        profile = OUT / "load-profile.txt"
    res = run(clients=clients, duration=duration, mix=args.mix, seed=args.seed, timeout=args.timeout, url=args.url,
              pid=args.pid, data_dir=args.data_dir, profile=profile,
              server_args=args.server_args.split() if args.server_args is not None else None, client=args.client)
    print(report(res))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(res, ensure_ascii=False, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
