"""The embedded store's files read ahead and held for the engine's open (service/store/prefetch.py):
which files, in which order, and that held pages survive the engine's cache drop as it opens them."""
from __future__ import annotations

import ctypes
import mmap
import os
import sys

import pytest

from service.store import EdgeStore, open_store, prefetch
from support.stores import cat, doc_points

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux") or not hasattr(os, "posix_fadvise"),
                                reason="page-cache residency is read with Linux's mincore")


def _store(tmp_path) -> str:
    d = str(tmp_path / "data")
    with open_store(data_dir=d) as s:
        for i in range(6):
            s.replace_document(cat(f"D{i}", "v1"), doc_points(f"D{i}", "v1", 40))
        s.optimize()  # as `sotay ingest` leaves a large store: memory-mapped segment files
    return d


def _resident(path: str) -> float:
    """Share of the file's pages in the page cache."""
    size = os.path.getsize(path)
    if size == 0:
        return 1.0
    import numpy as np

    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    page = os.sysconf("SC_PAGE_SIZE")
    with open(path, "rb") as f:
        m = mmap.mmap(f.fileno(), size, prot=mmap.PROT_READ)
        a = np.frombuffer(m, dtype=np.uint8)
        vec = (ctypes.c_ubyte * ((size + page - 1) // page))()
        assert libc.mincore(ctypes.c_void_p(a.ctypes.data), ctypes.c_size_t(size), vec) == 0
        del a
        m.close()
    return sum(v & 1 for v in vec) / len(vec)


def _evict(root: str) -> None:
    for dirpath, _, names in os.walk(root):
        for name in names:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def test_files_come_in_the_order_they_are_read_each_once(tmp_path):
    shard = os.path.join(_store(tmp_path), "shard")
    got = prefetch.files(shard, prefetch.OPENING + prefetch.QUERYING + prefetch.OURS)
    rel = [os.path.relpath(p, shard) for p in got]
    assert len(rel) == len(set(rel)) and all(os.path.isfile(p) for p in got)
    assert rel[0].startswith("wal" + os.sep)  # what the open reads first …
    first_query = next(i for i, r in enumerate(rel) if os.sep + "vector_index-" in r)
    assert any("payload_index" in r for r in rel[:first_query])  # … then what queries read
    assert all("payload_storage" + os.sep + "page_" not in r and "vector_storage" not in r for r in rel)
    assert prefetch.files(shard, ("nothing/*",)) == []
    assert prefetch.read_ahead(got, 0) == []  # nothing asked beyond the budget
    asked = prefetch.read_ahead(got, 1 << 40)
    assert [p for p, _ in asked] == [p for p in got if os.path.getsize(p)]


@linux_only
def test_held_files_stay_in_memory_through_the_engine_open(tmp_path):
    d = _store(tmp_path)
    shard = os.path.join(d, "shard")
    # The keyword indexes' flag files: the engine drops them from the cache as it opens them (its
    # DONTNEED on the files it maps) and, in a store this small, reads none of them back.
    flags = [p for p in prefetch.files(shard, prefetch.OPENING) if p.endswith("flags_a.dat")]
    assert flags
    with EdgeStore(d):
        pass
    _evict(d)
    for p in flags:
        with open(p, "rb") as f:
            f.read()
    assert all(_resident(p) == 1.0 for p in flags)
    with EdgeStore(d):
        assert all(_resident(p) < 1.0 for p in flags)
    # Held, they are read ahead and stay; the open lets go of the hold.
    _evict(d)
    h = prefetch.hold(shard)
    assert h is not None and h.holding.wait(30)
    assert all(_resident(p) == 1.0 for p in flags)
    with EdgeStore(d) as s:
        assert all(_resident(p) == 1.0 for p in flags)
        h.thread.join(10)
        assert not h.thread.is_alive() and not h._maps
        assert s.catalog()  # the store is whole


def test_a_hold_nobody_releases_ends_by_itself(tmp_path, monkeypatch):
    shard = os.path.join(_store(tmp_path), "shard")
    monkeypatch.setattr(prefetch, "HOLD_MAX_S", 0.2)
    h = prefetch.hold(shard)
    assert h is not None
    h.thread.join(10)
    assert not h.thread.is_alive() and not h._maps
    assert prefetch.hold(str(tmp_path / "none")) is None
