"""The files of a folder prepared (read, parsed, points built) on every core, handed back in order.

Why processes: preparing a document is Python CPU work under the interpreter lock (word segmentation
is about half of it), so threads would share one core; ``sotay ingest`` of a folder ran at about a
quarter of what two cores can do. The store is written by the calling process only (Edge allows one
writer; the group writes and their crash guarantees stay where they were: ``Store.replace_documents``).

How: a ``concurrent.futures.ProcessPoolExecutor`` on the "forkserver" context whose server preloads
the parser and the word segmenter's model (``_warm``, the same server as the upload worker's), so each
worker starts warm. A worker is handed a run of consecutive files at a time (``TASK_BYTES``): the
pool's own thread, which hands out work and takes results, waits for the interpreter lock while the
store writes (the engine's calls hold it, up to a third of a second here), and with one file at a
time each worker sat idle a sixth of the time (500 files on this machine, busy), with runs 2.5 %. Results come back in file order; at most
``IN_FLIGHT_PER_WORKER`` runs per worker are queued, so memory stays bounded whatever the folder's size.

What a worker decides from the store — which id a file takes (``identity.id_chooser``) and the access
a file that does not say keeps — it decides against a snapshot of the catalog's identities taken when
the ingest began. Each result says which ids it looked up and what it saw (``consulted``); the caller
checks them against the store as it is when the result is written (earlier files of the same folder may
have changed it) and prepares the file again in-process when they differ, so the records are exactly
those of the one-file-at-a-time path.
"""
from __future__ import annotations

import atexit
import multiprocessing
import os
import select
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Mapping

from ingest.readers import ReadError, read_path
from ingest.tokenize import share_pieces

from .identity import Stored
from .prepare import Job, Prepared, prepare

IN_FLIGHT_PER_WORKER = 4  # runs of files queued per worker: enough to hide a slow file, little held in memory
# A run of files handed to a worker at once: this many bytes of files (≈ half a second of one core's
# work), or fewer files when one is larger; at most TASK_FILES files. Longer runs hold more results in
# memory and make the first write wait longer; shorter ones leave workers idle while the store writes.
TASK_BYTES = 64 * 1024
TASK_FILES = 16
# Starting the workers costs ≈ 2.5 s here (a fresh interpreter that imports the parser and loads the
# word segmenter, then forks them), about what one core prepares from 100 KB of text; below this many
# bytes to read the files are prepared in-process, where the whole folder takes a few seconds anyway.
PARALLEL_MIN_BYTES = 256 * 1024
WATCH_S = 0.5  # where a process cannot be watched by pidfd: how often a worker checks its owner lives


@dataclass(frozen=True)
class Params:
    """What every file of one ingest is prepared with (see prepare.Job)."""
    max_chars: int
    dense_model: str | None = None


@dataclass
class FileResult:
    """One file's outcome: ``prepared`` (records, or a parse error), or a read error (``code``,
    ``error``); ``chars``: the length of its text; ``consulted``: the catalog ids its preparation
    looked up and what it found (None: not stored)."""
    path: Path
    source: str
    prepared: Prepared | None = None
    code: str | None = None
    error: str | None = None
    chars: int = 0
    consulted: dict[str, Stored | None] = field(default_factory=dict)
    cpu_s: float = 0.0  # CPU seconds the preparation took in its process (the benchmark adds them up)


class Recording(Mapping[str, Stored]):
    """A catalog of identities that remembers every id looked up in it, and what it held."""

    def __init__(self, stored: Mapping[str, Stored]):
        self.stored = stored
        self.consulted: dict[str, Stored | None] = {}

    def __getitem__(self, doc_id: str) -> Stored:
        found = self.stored.get(doc_id)
        self.consulted[doc_id] = found
        if found is None:
            raise KeyError(doc_id)
        return found

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and self.get(doc_id) is not None

    def __iter__(self) -> Iterator[str]:  # a Mapping must have it; the lookups never iterate
        return iter(self.stored)

    def __len__(self) -> int:
        return len(self.stored)


def prepare_file(path: Path, params: Params, stored: Mapping[str, Stored]) -> FileResult:
    """Read and prepare one file against ``stored`` (recording what it looked up)."""
    cpu = time.process_time()
    try:
        raw = read_path(path)
    except ReadError as e:
        return FileResult(path, e.source, code=e.code, error=e.message, cpu_s=time.process_time() - cpu)
    seen = Recording(stored)
    job = Job(raw.source, raw=raw, stored=seen, max_chars=params.max_chars, dense_model=params.dense_model)
    p = prepare(job)
    return FileResult(path, p.source, prepared=p, chars=len(raw.text), consulted=seen.consulted,
                      cpu_s=time.process_time() - cpu)


# -- the worker processes ------------------------------------------------------------------------

_snapshot: Mapping[str, Stored] = {}
_params: Params | None = None


def _init_worker(snapshot: Mapping[str, Stored], params: Params, owner: int) -> None:
    global _snapshot, _params
    _snapshot, _params = snapshot, params
    _die_with(owner)
    share_pieces()  # a worker segments many documents: what recurs among them is segmented once
    # A pool worker ends with os._exit: run what the readers registered at exit (LibreOffice's
    # per-process profile directory) from multiprocessing's own exit hook.
    from multiprocessing import util

    util.Finalize(None, atexit._run_exitfuncs, exitpriority=0)


def _die_with(owner: int) -> None:
    """End this worker when the ingesting process ``owner`` ends, however it ends (SIGKILL too).
    Nothing else would: a worker's parent is the fork server, which waits for its children, and a
    worker waiting for its next file holds both ends of the pool's queue, so it never reads EOF —
    the orphans kept the killed command's output pipes open (the kill-loop test waited on them)."""
    try:
        fd = os.pidfd_open(owner)  # Linux ≥ 5.3: readable when the process ends; no pid reuse race
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):
        fd = None

    def watch() -> None:
        if fd is not None:
            select.select([fd], [], [])
        else:
            while True:
                time.sleep(WATCH_S)
                try:
                    os.kill(owner, 0)
                except ProcessLookupError:
                    break
        os._exit(1)

    threading.Thread(target=watch, name="sotay-ingest-owner", daemon=True).start()


def _work(paths: list[Path]) -> list[FileResult]:
    assert _params is not None
    return [prepare_file(path, _params, _snapshot) for path in paths]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # the reader says why
        return 0


def runs(paths: list[Path]) -> Iterator[list[Path]]:
    """Consecutive files of ``TASK_BYTES`` bytes or more together (at most ``TASK_FILES``), in order."""
    run: list[Path] = []
    size = 0
    for path in paths:
        run.append(path)
        size += _size(path)
        if size >= TASK_BYTES or len(run) >= TASK_FILES:
            yield run
            run, size = [], 0
    if run:
        yield run


def workers_for(n_files: int, wanted: int | None, nbytes: int = PARALLEL_MIN_BYTES) -> int:
    """Worker processes for ``n_files`` files of ``nbytes`` bytes: ``wanted``, or (None) one per
    core when there is enough to read to pay for starting them; never more than the files, and 1
    (in-process) for a single file."""
    if wanted is None and nbytes < PARALLEL_MIN_BYTES:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(wanted or cores, n_files))


def prepared_in_order(paths: list[Path], params: Params, snapshot: Mapping[str, Stored],
                      workers: int) -> Iterator[FileResult]:
    """``prepare_file`` of each path against ``snapshot``, in the order given: in ``workers``
    processes, or here when ``workers`` is 1. If a worker dies (a crash in a C extension, the
    kernel's OOM killer), the files not yet done are prepared here, as before there were workers."""
    if workers <= 1:
        for path in paths:
            yield prepare_file(path, params, snapshot)
        return
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["service.index._warm"])
    pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                               initargs=(snapshot, params, os.getpid()))
    queue: deque[tuple[list[Path], Future]] = deque()
    todo = runs(paths)
    broken = False
    try:
        while True:
            while not broken and len(queue) < workers * IN_FLIGHT_PER_WORKER:
                run = next(todo, None)
                if run is None:
                    break
                queue.append((run, pool.submit(_work, run)))
            if not queue:
                break
            run, fut = queue.popleft()
            try:
                results = fut.result()
            except BrokenProcessPool:
                broken = True
                results = (prepare_file(path, params, snapshot) for path in run)
            yield from results
        for run in todo:  # only after the pool broke
            for path in run:
                yield prepare_file(path, params, snapshot)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


__all__ = ["FileResult", "Params", "Recording", "prepare_file", "prepared_in_order", "runs", "workers_for"]
