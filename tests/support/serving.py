"""Serving the real app for tests and for eval/ (which imports this; tests import nothing from eval/):
an ASGI app with uvicorn in a background thread on a free 127.0.0.1 port; a free port and a health
wait for `sotay serve` started in a subprocess."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import threading
import time
from typing import Callable, Iterator


def free_port() -> int:
    """A loopback port free right now (for a server started in a subprocess): any, or the first free
    one of ``SOTAY_PORTS`` ("8720-8729") on a machine where only those may be used."""
    lo, _, hi = (os.environ.get("SOTAY_PORTS") or "").partition("-")
    candidates = range(int(lo), int(hi or lo) + 1) if lo.strip().isdigit() else [0]
    for port in candidates:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            # As the server will bind it (uvicorn sets SO_REUSEADDR): a port whose last connections
            # linger in TIME_WAIT is free to listen on; one a process listens on is not. Without it a
            # narrow SOTAY_PORTS range runs out during the kill loops (every killed server's port waits).
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError(f"no free port in SOTAY_PORTS={os.environ.get('SOTAY_PORTS')}")


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float, *, log_tail: Callable[[], str] = lambda: "",
                 poll: float = 0.1) -> None:
    """Wait until the `sotay serve` running as `proc` answers `url`/healthz with 200. RuntimeError
    (with `log_tail()`) when it exits first, or when `timeout` seconds pass."""
    import httpx

    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"sotay serve exited with {proc.returncode}: {log_tail()}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"sotay serve did not answer within {timeout:.0f} s")
        try:
            if httpx.get(url + "/healthz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(poll)


@contextlib.contextmanager
def serve_in_thread(app, host: str = "127.0.0.1", startup_timeout: float = 60.0) -> Iterator[str]:
    """Start `app` (lifespan on) and yield its base URL; stop the server on exit.

    The listening socket is bound here (port 0: the kernel picks a free port) and handed to uvicorn,
    so no other process can take the port between choosing and serving."""
    import uvicorn

    # proto must be IPPROTO_TCP (not the default 0): asyncio only sets TCP_NODELAY on accepted sockets
    # whose proto says TCP, and without it every keep-alive response waits ~40 ms on a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    # proxy_headers=False as `sotay serve` runs it: X-Forwarded-For is the app's to read (http/proxies.py).
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False, lifespan="on",
                            proxy_headers=False)
    server = uvicorn.Server(config)
    failure: list[BaseException] = []

    def run() -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # noqa: BLE001 - reported to the caller below
            failure.append(exc)

    thread = threading.Thread(target=run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if failure or not thread.is_alive():
            sock.close()
            raise RuntimeError(f"the server did not start: {failure[0]!r}" if failure else "the server did not start")
        if time.monotonic() > deadline:
            server.should_exit = True
            thread.join(10)
            sock.close()
            raise RuntimeError(f"the server did not start within {startup_timeout:.0f} s")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()
