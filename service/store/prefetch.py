"""Read the embedded store's files into the page cache ahead of the engine, in a background thread.

Why: Qdrant Edge memory-maps its segments and faults them in a page at a time, holding the interpreter
lock while it waits for the disk. Worse, `EdgeShard.load` first drops most of a segment's files from
the cache (posix_fadvise DONTNEED on its payload, keyword-index, inverted-index and vector files: seen
with strace), then reads some back 4 KB at a time (the keyword indexes' flags and value maps: 12,000
major faults, 1.6-2.2 s at 200,013 chunks on disk), and the first query faults in the inverted indexes
it dropped (another 0.5-0.9 s). So a restart on a warm machine reads them again, and a server's first
answer waited seconds on the disk with the interpreter stopped.

What this does (`hold`, started by `sotay serve` before its imports): asks the kernel to read, in large
requests (WILLNEED: the disk reads them sequentially, ~500-600 MB/s here, in the background), the files
the open and the first queries read, in that order; and keeps the segment files' pages mapped in this
process until the engine has opened the shard (`release`, from EdgeStore): the kernel does not drop
mapped pages on DONTNEED, so the open and the first queries find them in memory (open 0.3-0.45 s, 50
major faults). Not the payload pages and stored vectors: a query reads a few pages of them (2 MB of 660
at 200k chunks). The imports take ~1.3 s, the reading ~0.9 s for ~740 MB at 200k chunks.

Plain file-system work: no engine import, so it starts before the heavy imports do.
"""
from __future__ import annotations

import glob
import mmap
import os
import threading

# What is read, relative to the shard directory, in order (the engine's layout, qdrant-edge 0.9): what
# opening the shard reads, then what every query reads, then our own files beside it.
OPENING = (
    "wal/*",
    "segments/*/id_tracker*",
    "segments/*/payload_index/*/*/*",  # the keyword indexes' null flags, read whole by the open
    "segments/*/payload_index/*/*",  # the keyword indexes (the filters on access, record, version read them)
)
QUERYING = (
    "segments/*/vector_index-*/*",  # the sparse inverted indexes: every query reads its terms' postings
    "segments/*/payload_storage/tracker.dat",
    "segments/*/payload_storage/bitmask.dat",
)
OURS = ("*.json", "*.npz", "*.npy")  # the catalog, term statistics and counts, the duty index
# At most this much is asked for (MB), and at most this share of the memory the system has available:
# beyond it a store's files would push out pages other processes use, for queries that may not come.
# 1 GB covers the files above at ~1M chunks (~450 MB at 200k).
MAX_MB = 1024
MAX_SHARE_OF_AVAILABLE = 0.25
# A hold lets go by itself after this long (seconds) if the store never says it has opened.
HOLD_MAX_S = 120.0
_POPULATE = getattr(mmap, "MAP_POPULATE", 0)  # Linux: map the pages as they are read
# One request to the kernel: large enough to be read sequentially, small enough that the thread lets go
# between requests.
_CHUNK = 8 << 20


def files(shard_dir: str, patterns: tuple[str, ...]) -> list[str]:
    """The files of `shard_dir` that `patterns` name, in order, each once."""
    seen: set[str] = set()
    out: list[str] = []
    for pattern in patterns:
        for path in sorted(glob.glob(os.path.join(shard_dir, pattern))):
            if path not in seen and os.path.isfile(path):
                seen.add(path)
                out.append(path)
    return out


def _available_bytes() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def budget_bytes() -> int:
    budget = MAX_MB << 20
    available = _available_bytes()
    if available is not None:
        budget = min(budget, int(available * MAX_SHARE_OF_AVAILABLE))
    return budget


def read_ahead(paths: list[str], budget: int) -> list[tuple[str, int]]:
    """Ask the kernel to read `paths` (in order, up to `budget` bytes); the (path, bytes) asked for."""
    asked: list[tuple[str, int]] = []
    left = budget
    for path in paths:
        if left <= 0:
            break
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:  # gone meanwhile (a write's temporary file): nothing to read
            continue
        try:
            size = min(os.fstat(fd).st_size, left)
            for offset in range(0, size, _CHUNK):
                os.posix_fadvise(fd, offset, min(_CHUNK, size - offset), os.POSIX_FADV_WILLNEED)
            if size:
                asked.append((path, size))
                left -= size
        except OSError:
            pass
        finally:
            os.close(fd)
    return asked


def dropped_by_open(relpath: str) -> bool:
    """Whether the engine drops this shard file from the cache as it opens the shard: a segment's
    files but its point-id trackers (not the write-ahead log, not our own files)."""
    parts = relpath.split(os.sep)
    return len(parts) > 2 and parts[0] == "segments" and not parts[2].startswith("id_tracker")


class Hold:
    """A shard's files read ahead and their pages mapped into this process until `release()` (or
    HOLD_MAX_S). Mapped, the engine's open cannot drop them from the cache (the kernel keeps mapped
    pages on POSIX_FADV_DONTNEED), so it and the first queries find them in memory."""

    def __init__(self, shard_dir: str, patterns: tuple[str, ...]):
        self.shard_dir = shard_dir
        self.patterns = patterns
        self._released = threading.Event()
        self.holding = threading.Event()  # set once every file asked for is read and mapped (or released)
        self._maps: list[mmap.mmap] = []
        self.thread = threading.Thread(target=self._run, name="sotay-read-ahead", daemon=True)

    def _run(self) -> None:
        try:
            for path, size in read_ahead(files(self.shard_dir, self.patterns), budget_bytes()):
                if self._released.is_set():
                    break
                if not dropped_by_open(os.path.relpath(path, self.shard_dir)):
                    continue  # read ahead and left cached by the open: mapping it would cost for nothing
                try:
                    with open(path, "rb") as f:  # MAP_POPULATE: waits for the pages, which the read above asked for
                        self._maps.append(mmap.mmap(f.fileno(), size, flags=mmap.MAP_SHARED | _POPULATE,
                                                    prot=mmap.PROT_READ))
                except (OSError, ValueError):  # gone or shrunk meanwhile: its pages are read or not needed
                    continue
            self.holding.set()
            self._released.wait(HOLD_MAX_S)
        finally:
            self.holding.set()
            for m in self._maps:
                m.close()
            self._maps.clear()

    def release(self) -> None:
        self._released.set()


_holds: dict[str, Hold] = {}
_holds_lock = threading.Lock()


def hold(shard_dir: str | os.PathLike[str], patterns: tuple[str, ...] = OPENING + QUERYING + OURS) -> Hold | None:
    """Start holding the files `patterns` name under `shard_dir` (see Hold), until `release(shard_dir)`:
    for a process that opens the store after a while (its imports). None when there is nothing to read
    or no way to ask."""
    shard = os.path.abspath(os.fspath(shard_dir))
    if not hasattr(os, "posix_fadvise") or not os.path.isdir(shard):
        return None
    h = Hold(shard, patterns)
    with _holds_lock:
        old = _holds.pop(shard, None)
        _holds[shard] = h
    if old is not None:
        old.release()
    h.thread.start()
    return h


def release(shard_dir: str | os.PathLike[str]) -> None:
    """The engine has opened the shard: let go of its files' pages (they stay cached while memory allows)."""
    with _holds_lock:
        h = _holds.pop(os.path.abspath(os.fspath(shard_dir)), None)
    if h is not None:
        h.release()
