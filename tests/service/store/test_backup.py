"""The backup file and the copies between stores (service/store/backup.py): exact round trips of
sparse and dense vectors into either engine, damaged files refused with the store kept, and a restore
killed at any step leaving the old store or the new one, never a mix (the swap is datadir.py's)."""
from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from conftest import ROOT
from service.backup import restore
from service.config import Settings
from service.store import DocumentDump, EdgeStore, ServerStore, SparseVec, StoreFilter, StorePoint, qdrant_client
from service.store.backup import BackupError, BackupReader, verify_file, write_backup
from support.cli import run_cli as cli
from support.dumps import assert_same, dumps_of


@pytest.mark.parametrize("backend", ["edge", "local"])
def test_backup_restore_exact_with_dense_vectors(backend, tmp_path):
    """Sparse and dense vectors, obligations and catalog-only documents survive a round trip into
    either engine (Edge through restore(); the server adapter through import_document)."""
    def pid(doc, i):
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"bk/{doc}/{i}"))

    src = EdgeStore(str(tmp_path / "src"), dense_dim=4)
    for d in range(3):
        pts = [StorePoint(pid(d, i), {"record": "chunk", "text": f"đoạn {d}.{i} — “trích”", "n": i, "nested": {"a": [1, 2.5]}},
                          {"bm25": SparseVec([7, 1000 + i], [0.5, 1.25]), "bm25_folded": SparseVec([9], [2.0])},
                          [0.1 * (i + 1), 0.2, 0.3, 0.4 + d]) for i in range(5)]
        pts.append(StorePoint(pid(d, "o"), {"record": "obligation", "action": "báo cáo"}, {}))
        src.replace_document({"doc_id": f"D{d}", "version": f"v{d}", "title": f"Văn bản {d}", "counts": {"chunks": 5}}, pts)
    src.replace_document({"doc_id": "EMPTY", "version": "e1", "title": "chỉ có mục lục"}, [])
    f = tmp_path / "b.jsonl.gz"
    with open(f, "wb") as out:
        write_backup(src, out)
    verify_file(f)
    if backend == "edge":
        restore(Settings(data_dir=tmp_path / "dst"), f)
        dst = EdgeStore(str(tmp_path / "dst"))
    else:
        with BackupReader(f) as r:
            dst = ServerStore("local", client=qdrant_client(path=str(tmp_path / "local")), dense_dim=r.dense_dim)
            for d in r.documents():
                assert dst.import_document(d)
    try:
        assert dst.dense_dim == 4
        assert_same(dumps_of(src), dumps_of(dst))
        for q in (dict(sparse={}, dense=[0.1, 0.2, 0.3, 0.4]), dict(sparse={"bm25": SparseVec([1002], [1.0])}, dense=None)):
            ha, hb = (x.search(**q, flt=StoreFilter(), limit=5) for x in (src, dst))
            assert [h.id for h in ha] == [h.id for h in hb] and len(ha) >= 3
            assert [round(h.score, 5) for h in ha] == [round(h.score, 5) for h in hb]
    finally:
        src.close()
        dst.close()


def _small_store(path: Path, docs: int = 4, tag: str = "v1") -> EdgeStore:
    """A store of ``docs`` small documents (written in one batch: a document replace fsyncs 3 times)."""
    s = EdgeStore(str(path))
    s.load_documents(
        DocumentDump({"doc_id": f"doc{d}", "version": f"{tag}-{d}"},
                     [StorePoint(str(uuid.uuid5(uuid.NAMESPACE_URL, f"{tag}/{d}/{i}")), {"record": "chunk", "i": i},
                                 {"bm25": SparseVec([d, 100 + i], [1.0, 0.5])}) for i in range(3 + d)])
        for d in range(docs))
    return s


def test_damaged_backups_are_refused_and_the_store_kept(tmp_path):
    with _small_store(tmp_path / "src", tag="new") as s:
        good = tmp_path / "good.jsonl.gz"
        with open(good, "wb") as out:
            write_backup(s, out)
    raw = gzip.decompress(good.read_bytes()).decode().splitlines(keepends=True)
    bad = {
        "cut.jsonl.gz": good.read_bytes()[: len(good.read_bytes()) // 2],
        "no-end.jsonl.gz": gzip.compress("".join(raw[:-1]).encode()),
        "not-gzip.jsonl.gz": b"hello, this is not a backup\n",
        "other.jsonl.gz": gzip.compress(b'{"format": "something-else"}\n'),
        "future.jsonl.gz": gzip.compress(raw[0].replace('"version":1', '"version":99').encode() + "".join(raw[1:]).encode()),
        "lying-end.jsonl.gz": gzip.compress("".join(raw[:-1]).encode() + b'{"end": {"documents": 99, "points": 1}}\n'),
    }
    target = tmp_path / "target"
    _small_store(target, docs=2, tag="old").close()
    with EdgeStore(str(target)) as s:
        before = dumps_of(s)
    for name, content in bad.items():
        f = tmp_path / name
        f.write_bytes(content)
        with pytest.raises(BackupError) as e:
            restore(Settings(data_dir=target), f, force=True)
        assert e.value.code == "bad_backup", (name, e.value.code)
        assert "Tệp" in e.value.message, name
        with EdgeStore(str(target)) as s:
            assert_same(dumps_of(s), before)
        assert not (target / ".restore").exists() and not (target / ".replaced").exists(), name
    res = cli(["restore", str(tmp_path / "cut.jsonl.gz"), "--force"], target)
    assert res.returncode == 1 and res.stderr.startswith("sotay: Tệp sao lưu") and "Traceback" not in res.stderr
    res = cli(["restore", str(tmp_path / "missing.jsonl.gz")], target)
    assert res.returncode == 1 and "Không mở được tệp sao lưu" in res.stderr
    res = cli(["backup", str(tmp_path / "x.jsonl.gz")], tmp_path / "nothing-here")
    assert res.returncode == 1 and "Không có kho dữ liệu" in res.stderr


_RESTORE_CHILD = """
import os, signal, shutil
from service.store import EdgeStore
from service.backup import restore
from service.config import Settings

step = {step!r}
calls = {{"rename": 0}}
real_rename = os.rename
def rename(a, b):
    calls["rename"] += 1
    if step == "before-first-rename" and calls["rename"] == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    real_rename(a, b)
    if step == "between-renames" and calls["rename"] == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    if step == "after-renames" and calls["rename"] == 2:
        os.kill(os.getpid(), signal.SIGKILL)
os.rename = rename
real_upsert = EdgeStore._upsert
def upsert(self, pts):
    if step == "while-filling" and self.data_dir.endswith(".restore"):
        real_upsert(self, pts)
        os.kill(os.getpid(), signal.SIGKILL)
    return real_upsert(self, pts)
EdgeStore._upsert = upsert
restore(Settings(data_dir={data!r}), {file!r}, force=True)
print("NOT KILLED")
"""


@pytest.mark.parametrize("step, expect", [
    ("while-filling", "old"),
    ("before-first-rename", "new"),  # the new shard is complete and marked ready: the next open finishes
    ("between-renames", "new"),
    ("after-renames", "new"),
])
def test_restore_killed_midway_leaves_old_or_new(tmp_path, step, expect):
    with _small_store(tmp_path / "src", docs=5, tag="new") as s:
        f = tmp_path / "b.jsonl.gz"
        with open(f, "wb") as out:
            write_backup(s, out)
        new = dumps_of(s)
    data = tmp_path / "data"
    with _small_store(data, docs=2, tag="old") as s:
        old = dumps_of(s)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-c", textwrap.dedent(_RESTORE_CHILD.format(step=step, data=str(data), file=str(f)))],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == -signal.SIGKILL, (r.stdout, r.stderr)
    with EdgeStore(str(data)) as s:
        assert_same(dumps_of(s), new if expect == "new" else old)
        assert s.stats()["documents"] == len(new if expect == "new" else old)
    assert sorted(p.name for p in data.iterdir()) == [".lock", "shard"]
