"""EdgeStore only (service/store/edge.py and the data directory, datadir.py): layout, the dense
vector added later, the lock against a second store in this process or another, crashes at every
write step, a write error at the commit, payloads that are not JSON."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT
from service.store import EdgeStore, StoreError, StoreFilter, StoreLocked, open_store
from support.stores import cat, chunk, doc_points, pid, sv


def test_edge_layout_and_dense_upgrade(tmp_path):
    d = str(tmp_path / "data")
    with open_store(data_dir=d) as s:
        assert isinstance(s, EdgeStore) and s.dense_dim is None
        s.replace_document(cat("A", "a1"), doc_points("A", "a1", 2))
        st = s.stats()
        assert st["backend"] == "edge" and st["path"] == os.path.abspath(d)
    assert (Path(d) / "shard").is_dir() and (Path(d) / ".lock").exists()
    with open_store(data_dir=d, dense_dim=4) as s:  # adds the dense vector to the existing shard
        assert s.dense_dim == 4
        s.replace_document(cat("E", "e1"), [chunk("E", "e1", 0, bm25=sv(1), dense=[0.0, 1.0, 0.0, 0.0])])
        assert s.search(sparse={}, dense=[0.0, 1.0, 0.0, 0.0], flt=StoreFilter(), limit=5)[0].id == pid("E", "e1", 0)
        assert len(s.search(sparse={"bm25": sv(1000)}, dense=None, flt=StoreFilter(), limit=5)) == 2
    with open_store(data_dir=d) as s:  # the size is remembered
        assert s.dense_dim == 4
    with pytest.raises(StoreError) as e:
        open_store(data_dir=d, dense_dim=8)
    assert e.value.code == "dense_dim_mismatch" and "thư mục dữ liệu mới" in e.value.message
    with open_store(data_dir=d, dense_dim=4) as s:  # the failed open released the lock
        assert [c["doc_id"] for c in s.catalog()] == ["A", "E"]


def _run_child(code: str, timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_edge_lock_same_process(tmp_path):
    d = str(tmp_path / "data")
    first = open_store(data_dir=d)
    first.replace_document(cat("A", "a1"), doc_points("A", "a1", 2))
    with pytest.raises(StoreLocked) as e:
        open_store(data_dir=d)
    assert e.value.code == "store_locked"
    assert os.path.abspath(d) in e.value.message and "đang được một tiến trình khác sử dụng" in e.value.message
    # the first store is unharmed
    assert len(first.search(sparse={"bm25": sv(1000)}, dense=None, flt=StoreFilter(), limit=5)) == 2
    assert first.replace_document(cat("A", "a2"), doc_points("A", "a2", 3)) is True
    first.close()
    with open_store(data_dir=d) as again:
        assert again.catalog_entry("A")["version"] == "a2"


def test_edge_lock_other_process(tmp_path):
    d = str(tmp_path / "data")
    first = open_store(data_dir=d)
    first.replace_document(cat("A", "a1"), doc_points("A", "a1", 2))
    child = _run_child(
        f"""
        from service.store import open_store, StoreLocked
        try:
            open_store(data_dir={d!r})
        except StoreLocked as e:
            print("LOCKED", e.code, e.message)
        else:
            print("OPENED")
        """
    )
    assert child.returncode == 0, child.stderr
    assert child.stdout.startswith("LOCKED store_locked") and os.path.abspath(d) in child.stdout
    # the live shard is intact and still writable
    assert first.replace_document(cat("A", "a2"), doc_points("A", "a2", 3)) is True
    assert len(first.search(sparse={"bm25": sv(1000)}, dense=None, flt=StoreFilter(), limit=10)) == 3
    first.close()
    with open_store(data_dir=d) as again:
        assert again.catalog_entry("A")["version"] == "a2"
        assert len(again.scroll(StoreFilter())) == 3


_CRASH_CHILD = """
import os, signal, uuid
from service.store import open_store, StorePoint, SparseVec

def pid(doc, version, i):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"sotay-test/{{doc}}/{{version}}/{{i}}"))

s = open_store(data_dir={data_dir!r})
real = getattr(s, {hook!r})
def die(*a, **k):
    if {after!r}:
        real(*a, **k)
    os.kill(os.getpid(), signal.SIGKILL)
setattr(s, {hook!r}, die)
pts = [StorePoint(pid("A", "a2", i), {{"record": "chunk", "n": i}}, {{"bm25": SparseVec([1000, 7000 + i], [1.0, 1.0])}})
       for i in range(700)]
s.replace_document({{"doc_id": "A", "version": "a2", "title": "new"}}, pts)
print("NOT KILLED")
"""


@pytest.mark.parametrize(
    "hook, after, expect",
    [
        ("_put_catalog", False, "a1"),  # killed after the new points are flushed, before the commit
        ("_put_catalog", True, "a2"),  # killed right after the commit point is written (not flushed)
        ("_delete_where", False, "a2"),  # killed after the commit, before the old points go
    ],
)
def test_edge_crash_consistency(tmp_path, hook, after, expect):
    d = str(tmp_path / "data")
    with open_store(data_dir=d) as s:
        s.replace_document(cat("A", "a1"), doc_points("A", "a1", 3))
        s.replace_document(cat("B", "b1"), doc_points("B", "b1", 2))
    child = _run_child(_CRASH_CHILD.format(data_dir=d, hook=hook, after=after))
    assert child.returncode == -signal.SIGKILL, (child.stdout, child.stderr)

    with open_store(data_dir=d) as s:
        n = {"a1": 3, "a2": 700}[expect]
        assert s.catalog_entry("A")["version"] == expect
        assert s.orphans_deleted == {"a1": 700, "a2": 3}[expect]
        hits = s.search(sparse={"bm25": sv(1000)}, dense=None, flt=StoreFilter(doc_ids=["A"]), limit=1000)
        assert len(hits) == n and {h.payload["version"] for h in hits} == {expect}
        st = s.stats()
        assert (st["documents"], st["points"]) == (2, n + 2)  # the orphans are gone, not just hidden
        assert len(s.scroll(StoreFilter(doc_ids=["B"]))) == 2
    with open_store(data_dir=d) as s:
        assert s.orphans_deleted == 0


@pytest.mark.parametrize("written", [False, True], ids=["catalog-not-written", "catalog-written"])
def test_edge_write_error_at_commit(tmp_path, monkeypatch, written):
    """An exception around the commit: the document is the old or the new version, whole, and
    the store stays usable."""
    with open_store(data_dir=str(tmp_path / "data")) as s:
        s.replace_document(cat("A", "a1"), doc_points("A", "a1", 3))
        real = s._put_catalog

        def boom(*a, **k):
            if written:
                real(*a, **k)
            raise OSError("disk full")

        monkeypatch.setattr(s, "_put_catalog", boom)
        with pytest.raises(OSError):
            s.replace_document(cat("A", "a2"), doc_points("A", "a2", 5))
        monkeypatch.undo()
        expect, n = ("a2", 5) if written else ("a1", 3)
        assert s.catalog_entry("A")["version"] == expect
        hits = s.search(sparse={"bm25": sv(1000)}, dense=None, flt=StoreFilter(), limit=20)
        assert len(hits) == n and {h.payload["version"] for h in hits} == {expect}
        if not written:
            assert s.stats()["points"] == 3  # the new points were removed
        assert s.replace_document(cat("A", "a3"), doc_points("A", "a3", 2)) is True
        assert s.stats()["points"] == 2
    with open_store(data_dir=str(tmp_path / "data")) as s:
        assert s.catalog_entry("A")["version"] == "a3" and s.stats()["points"] == 2


def test_edge_payload_must_be_json(tmp_path):
    import datetime

    with open_store(data_dir=str(tmp_path / "data")) as s:
        with pytest.raises(ValueError):
            s.replace_document(cat("A", "a1"), [chunk("A", "a1", 0, bm25=sv(1), issued=datetime.date(2024, 1, 1))])
        with pytest.raises(ValueError):
            s.replace_document(cat("A", "a1", issued=datetime.date(2024, 1, 1)), [])
        assert s.catalog() == [] and s.stats()["points"] == 0


def test_a_clean_close_spares_the_next_open_the_catalog_and_a_stale_record_is_ignored(tmp_path):
    """datadir.CLEAN_FILE: written by a close with nothing pending, deleted by the open, and used
    only when the shard's files are as that close left them."""
    from service.store import datadir

    d = str(tmp_path / "data")
    record = Path(d) / "shard" / datadir.CLEAN_FILE
    with open_store(data_dir=d) as s:
        s.replace_document(cat("A", "a1"), doc_points("A", "a1", 3))
    assert record.is_file()
    kept = record.read_bytes()
    with open_store(data_dir=d) as s:
        assert not record.exists()  # an open store has no clean record
        assert s.catalog_entry("A")["version"] == "a1" and s._active == {"A": "a1"}
        s.replace_document(cat("B", "b1"), doc_points("B", "b1", 2))
        s.replace_document(cat("A", "a2"), doc_points("A", "a2", 4))
    # a record left over from before those writes (as if the process had died before closing)
    record.write_bytes(kept)
    with open_store(data_dir=d) as s:
        assert s._active == {"A": "a2", "B": "b1"}  # read from the catalog, not the stale record
        hits = s.search(sparse={"bm25": sv(1000)}, dense=None, flt=StoreFilter(), limit=100)
        assert sorted(h.payload["doc_id"] for h in hits) == ["A"] * 4 + ["B"] * 2
    with open_store(data_dir=d) as s:  # from the fresh record: the same store
        assert s._active == {"A": "a2", "B": "b1"} and s.orphans_deleted == 0
        assert len(s.search(sparse={"bm25": sv(1000)}, dense=None, flt=StoreFilter(), limit=100)) == 6


def test_a_close_with_a_hidden_version_records_nothing(tmp_path):
    """A write whose clean-up failed leaves points of a version that is not live: the next open
    must count and delete them, so the close does not record a clean state."""
    from service.store import datadir

    d = str(tmp_path / "data")
    with open_store(data_dir=d) as s:
        s.replace_document(cat("A", "a1"), doc_points("A", "a1", 3))
        s._hide("A@stale")  # what a failed write leaves in memory
    assert not (Path(d) / "shard" / datadir.CLEAN_FILE).exists()
