"""The upload worker: ``prepare`` (read, parse, build points) in a child process, one document each.

Why a process: parsing is Python CPU work under the interpreter lock. In a thread of the service a
4 MB upload held a core for minutes and every answer waited for its slices of the lock (ask p50 went
from 8 to 59 ms, max 2.3 s); in its own process it shares nothing with the queries but the machine.
A process can also be stopped, which a thread cannot: the time budget and the memory budget are
real limits, not checks between steps.

How: a fork server (``multiprocessing``'s "forkserver": a clean process started once, which has
imported the parser and loaded the word segmenter's model, see ``_warm``) forks one child per
document. The child lowers its CPU priority, caps its address space (RLIMIT_AS), asks to be killed
if its parent dies, runs ``prepare`` and sends the result back. Past the time budget it is killed
(SIGKILL); a child that dies (out of memory, a crash in a C extension) is an error like any other,
and so is one found at its address-space cap (the allocator can spin there until the time budget).
At most ``concurrency`` documents are prepared at once; the others wait their turn.
"""
from __future__ import annotations

import atexit
import multiprocessing
import os
import resource
import signal
import threading
import time
from multiprocessing.connection import Connection

from ..config import DEFAULT_PARSE_MEMORY_MB, DEFAULT_PARSE_TIMEOUT
from .prepare import Job, Prepared, prepare

DEFAULT_TIMEOUT = float(DEFAULT_PARSE_TIMEOUT)  # the budgets: config.py says why these
DEFAULT_MEMORY_MB = DEFAULT_PARSE_MEMORY_MB
CONCURRENCY = 1  # documents prepared at once: one core for uploads, the other for answers (2-core target)
NICENESS = 5  # the child's CPU priority below the service's, so answers win a contended core
CLEANUP_GRACE = 10.0  # seconds a child that sent its result may take to exit (temporary files removed)
_PR_SET_PDEATHSIG = 1
CAP_POLL = 0.25  # seconds between looks at a running child's address space
CAP_MARGIN = 2 * 1024 * 1024  # within this of its RLIMIT_AS, a child is at its cap


def _die_with_parent() -> None:
    """Linux: be killed when the fork server exits (it exits when the service does)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except Exception:  # not Linux: the child still ends with its document
        pass


def _vm_bytes(pid: int | str = "self") -> int:
    """A process's address space now (Linux), else 0."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _at_address_cap(pid: int) -> bool:
    """The process's address space is at its RLIMIT_AS (Linux /proc), else False."""
    try:
        with open(f"/proc/{pid}/limits") as f:
            cap = next((line.split()[3] for line in f if line.startswith("Max address space")), "unlimited")
    except (OSError, IndexError):
        return False
    return cap.isdigit() and _vm_bytes(pid) >= int(cap) - CAP_MARGIN


def _child(conn: Connection, job: Job, memory_bytes: int) -> None:
    _die_with_parent()
    try:
        os.nice(NICENESS)
    except OSError:
        pass
    base = _vm_bytes()
    if base and memory_bytes > 0:
        try:
            resource.setrlimit(resource.RLIMIT_AS, (base + memory_bytes, base + memory_bytes))
        except (ValueError, OSError):
            pass
    try:
        result = prepare(job)
        try:
            conn.send(result)
        except MemoryError:  # the result itself did not fit: say so in a small message
            conn.send(Prepared(job.source, code="too_large",
                               error=f"Tệp '{job.source}' cần quá nhiều bộ nhớ để phân tích; không nạp."))
        conn.close()
    finally:
        # A multiprocessing child ends with os._exit: run what the readers registered to clean up
        # at exit (LibreOffice's per-process profile directory) ourselves.
        atexit._run_exitfuncs()


class ParseWorker:
    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT, memory_mb: int = DEFAULT_MEMORY_MB,
                 concurrency: int = CONCURRENCY):
        self.timeout, self.memory_bytes = timeout, memory_mb * 1024 * 1024
        self._turns = threading.BoundedSemaphore(concurrency)
        self._ctx = multiprocessing.get_context("forkserver")
        # The fork server imports these once; each child starts from them (and a warm segmenter).
        self._ctx.set_forkserver_preload(["service.index._warm"])
        self._children: set[multiprocessing.process.BaseProcess] = set()
        self._mu = threading.Lock()

    def start(self) -> None:
        """Start the fork server now (it takes a few seconds to warm up) rather than at the first upload."""
        from multiprocessing import forkserver

        forkserver.ensure_running()

    def run(self, job: Job) -> Prepared:
        """Prepare ``job`` in a child process; an error result past the time budget or if it dies."""
        with self._turns:
            reader, writer = self._ctx.Pipe(duplex=False)
            child = self._ctx.Process(target=_child, args=(writer, job, self.memory_bytes), daemon=True,
                                      name="sotay-parse")
            try:
                child.start()  # the first start waits for the fork server to warm up: not in the budget
            finally:
                writer.close()  # the child holds the only writer: its death reads as EOF here
            started = time.monotonic()
            with self._mu:
                self._children.add(child)
            try:
                at_cap = 0
                while (left := self.timeout - (time.monotonic() - started)) > 0:
                    if reader.poll(min(left, CAP_POLL)):
                        try:
                            result = reader.recv()
                        except (EOFError, OSError):
                            return self._died(job, child)
                        child.join(CLEANUP_GRACE)  # let it clean up after itself before it is killed
                        return result
                    # A child that reached its address-space cap can spin in the allocator (every
                    # exception it would raise needs memory too): seen there twice, it is over budget.
                    at_cap = at_cap + 1 if child.pid and _at_address_cap(child.pid) else 0
                    if at_cap >= 2:
                        return Prepared(job.source, code="too_large",
                                        error=f"Tệp '{job.source}' cần quá nhiều bộ nhớ để phân tích; không nạp. "
                                              "Hãy chia văn bản thành các tệp nhỏ hơn.")
                return self._timed_out(job)
            finally:
                if child.is_alive():
                    child.kill()
                child.join(5)
                reader.close()
                with self._mu:
                    self._children.discard(child)

    def _timed_out(self, job: Job) -> Prepared:
        return Prepared(job.source, code="too_slow",
                        error=f"Phân tích tệp '{job.source}' vượt quá {self.timeout:.0f} giây cho mỗi văn bản nên "
                              "đã dừng; không nạp. Hãy chia văn bản thành các tệp nhỏ hơn hoặc chia đoạn hợp lý.")

    @staticmethod
    def _died(job: Job, child: multiprocessing.process.BaseProcess) -> Prepared:
        child.join(5)
        return Prepared(job.source, code="parse_failed",
                        error=f"Tiến trình phân tích tệp '{job.source}' dừng bất thường (mã {child.exitcode}), có thể "
                              "vì vượt giới hạn bộ nhớ; không nạp.")

    def close(self) -> None:
        """Stop the children still running (the fork server ends with this process)."""
        with self._mu:
            children = list(self._children)
        for child in children:
            if child.is_alive():
                child.kill()


__all__ = ["ParseWorker", "DEFAULT_TIMEOUT", "DEFAULT_MEMORY_MB", "CONCURRENCY"]
