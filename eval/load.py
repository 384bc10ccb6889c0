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
question lists (eval/queries.py) with a seeded generator, so two runs send the same sequence.
The load generator itself is tests/support/load.py (the test suite runs it briefly).

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
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from eval.queries import ASK, DUE, QUERIES, ROLES
from tests.support.load import DEFAULT_MIX, Queries, load, parse_mix
from tests.support.serving import free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "eval" / "out"
WORKLOAD = Queries(ask=ASK, search=QUERIES, roles=ROLES, due=DUE)

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

    summary, run_ = load(url, clients=clients, duration=duration, mix=mix, seed=seed, queries=WORKLOAD,
                         timeout=timeout, warmup=warmup, on_start=on_start, client=client)
    me1, srv1 = me.cpu_times(), (proc.cpu_times() if proc else None)
    res = {"params": {"clients": clients, "duration_s": duration, "mix": mix, "seed": seed, "client": client},
           **summary}
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
