"""Backup, restore and migration (issue 8): `sotay backup | restore | migrate` on real stores.

Round trips compare every document (catalog entry) and every point (id, payload, sparse and dense
vectors); backups taken through a running `sotay serve` while documents are being uploaded must hold
every document whole; damaged files and killed restores must leave the store as it was (or, once a
restore is complete on disk, as the backup). Migration goes to qdrant-client's local mode (the
reference implementation of the server API) here, and to a real Qdrant when SOTAY_QDRANT_URL is set.
"""
from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import uuid
from pathlib import Path

import httpx
import pytest

from conftest import CORPUS, ROOT
from eval.durability import ADMIN_KEY, Checker, Server, child_env, expected_state, make_versions
from service.backup import backup, migrate, restore
from service.store.backup import BackupError, BackupReader, verify_file, write_backup
from service.config import Settings
from service.store import EdgeStore, ServerStore, SparseVec, StorePoint, open_store

SERVER_URL = os.environ.get("SOTAY_QDRANT_URL")
READ_KEY = "backup-test-read-key-0123456789"


def dumps_of(store) -> dict:
    """Every document of a store: doc_id → (catalog entry, {point id: (payload, sparse, dense)})."""
    out = {}

    def sink(d):
        out[d.catalog["doc_id"]] = (
            d.catalog,
            {p.id: (p.payload, {n: (v.indices, v.values) for n, v in p.sparse.items()}, p.dense) for p in d.points},
        )

    store.export_documents(sink)
    return out


def dumps_of_file(path: Path) -> dict:
    out = {}
    with BackupReader(path) as r:
        for d in r.documents():
            out[d.catalog["doc_id"]] = (
                d.catalog,
                {p.id: (p.payload, {n: (v.indices, v.values) for n, v in p.sparse.items()}, p.dense) for p in d.points},
            )
    return out


def assert_same(a: dict, b: dict, *, dense_tol: float = 1e-6) -> None:
    assert sorted(a) == sorted(b)
    for doc_id in a:
        (cat_a, pts_a), (cat_b, pts_b) = a[doc_id], b[doc_id]
        assert cat_a == cat_b, doc_id
        assert sorted(pts_a) == sorted(pts_b), doc_id
        for pid, (pay, sparse, dense) in pts_a.items():
            pay_b, sparse_b, dense_b = pts_b[pid]
            assert pay == pay_b and sparse == sparse_b, (doc_id, pid)
            assert (dense is None) == (dense_b is None)
            if dense is not None:
                assert max(abs(x - y) for x, y in zip(dense, dense_b)) <= dense_tol


def cli(args: list[str], data: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "service.cli", *args], cwd=ROOT, env=child_env(data, **env),
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    """A data dir with the shipped corpus, ingested by the real pipeline (closed: free to open)."""
    from service.knowledge import KnowledgeBase

    d = tmp_path_factory.mktemp("corpus-store") / "data"
    with KnowledgeBase(Settings(data_dir=d)) as kb:
        assert not kb.ingest_paths([CORPUS]).errors
    return d


# --------------------------------------------------------------------------------------------
# round trips
# --------------------------------------------------------------------------------------------


def test_round_trip_every_document_and_point(corpus_dir, tmp_path):
    from service.answers import answer_question
    from service.knowledge import KnowledgeBase

    f = tmp_path / "b.jsonl.gz"
    s = backup(Settings(data_dir=corpus_dir), f)
    assert s.via == "store" and s.documents == 6 and s.points == s.records["chunk"] + s.records["obligation"]
    assert f.stat().st_size == s.bytes and not list(tmp_path.glob(".*part"))
    r = restore(Settings(data_dir=tmp_path / "restored"), f)
    assert (r.documents, r.points) == (s.documents, s.points)
    with EdgeStore(str(corpus_dir)) as a, EdgeStore(str(tmp_path / "restored")) as b:
        assert_same(dumps_of(a), dumps_of(b))
        sa, sb = a.stats(), b.stats()
        assert {k: sa[k] for k in ("documents", "chunks", "obligations", "points")} == {
            k: sb[k] for k in ("documents", "chunks", "obligations", "points")}
    assert_same(dumps_of_file(f), dumps_of(EdgeStore(str(tmp_path / "restored"))))
    # and the restored store serves the same answers
    with KnowledgeBase(Settings(data_dir=corpus_dir)) as ka, KnowledgeBase(Settings(data_dir=tmp_path / "restored")) as kb:
        for q in ("kế hoạch học tập tư tưởng Hồ Chí Minh năm 2024", "chuẩn mực đạo đức của đảng viên"):
            ha, hb = ka.search(q, k=10), kb.search(q, k=10)
            assert [(h.chunk_id, round(h.score, 6)) for h in ha] == [(h.chunk_id, round(h.score, 6)) for h in hb]
        q = "Hạn hoàn thành xây dựng kế hoạch tập thể là khi nào?"
        aa, ab = answer_question(ka, q), answer_question(kb, q)
        assert (aa["answer"], aa["citations"]) == (ab["answer"], ab["citations"]) and aa["citations"]


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
        from service.store import qdrant_client

        with BackupReader(f) as r:
            dst = ServerStore("local", client=qdrant_client(path=str(tmp_path / "local")), dense_dim=r.dense_dim)
            for d in r.documents():
                assert dst.import_document(d)
    try:
        assert dst.dense_dim == 4
        assert_same(dumps_of(src), dumps_of(dst))
        from service.store import StoreFilter

        for q in (dict(sparse={}, dense=[0.1, 0.2, 0.3, 0.4]), dict(sparse={"bm25": SparseVec([1002], [1.0])}, dense=None)):
            ha, hb = (x.search(**q, flt=StoreFilter(), limit=5) for x in (src, dst))
            assert [h.id for h in ha] == [h.id for h in hb] and len(ha) >= 3
            assert [round(h.score, 5) for h in ha] == [round(h.score, 5) for h in hb]
    finally:
        src.close()
        dst.close()


# --------------------------------------------------------------------------------------------
# while the service runs
# --------------------------------------------------------------------------------------------


def _whole_documents(path: Path, checker: Checker) -> dict[str, str]:
    """Every document in the backup file is exactly one known version of itself."""
    versions = {}
    with BackupReader(path) as r:
        for d in r.documents():
            doc_id, version = d.catalog["doc_id"], d.catalog["version"]
            exp = checker.by_version[(doc_id, version)]
            assert frozenset(p.id for p in d.points) == exp.ids, doc_id
            assert {p.payload["version"] for p in d.points} <= {version}
            assert d.counts() == dict(exp.counts)
            assert (d.catalog.get("counts") or {}).get("chunks", 0) == dict(exp.counts).get("chunk", 0)
            versions[doc_id] = version
    return versions


def test_backup_through_running_service_while_uploading(tmp_path):
    """`sotay backup` while `sotay serve` holds the store and an admin uploads new versions: the
    CLI goes through the service; every backup holds every document whole; the last one restores
    (refused onto a non-empty store without --force) to exactly what the file holds."""
    root = tmp_path / "versions"
    a, b = make_versions(root, limit=3)
    checker = Checker({"A": expected_state(a), "B": expected_state(b)})
    data = tmp_path / "data"
    assert cli(["ingest", str(a)], data).returncode == 0
    server = Server(data, env={"SOTAY_API_KEYS": f"{ADMIN_KEY}:admin,{READ_KEY}:read"})
    stop = threading.Event()
    uploads: list[int] = []
    errors: list[BaseException] = []

    def uploader() -> None:
        try:
            while not stop.is_set():
                for folder in (b, a):
                    for path in sorted(folder.iterdir()):
                        r = server.upload(path)
                        assert r.status_code == 200, r.text
                        uploads.append(1)
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    env = {"SOTAY_API_KEYS": f"{ADMIN_KEY}:admin"}
    files = []
    try:
        # the route: admin only
        r = httpx.post(server.url + "/api/admin/backup", timeout=30)
        assert r.status_code in (401, 403) and r.json()["error"]["code"] in ("missing_key", "forbidden")
        r = httpx.post(server.url + "/api/admin/backup", headers={"X-API-Key": READ_KEY}, timeout=30)
        assert r.status_code == 403 and "quản trị" in r.json()["error"]["message"]
        t = threading.Thread(target=uploader)
        t.start()
        try:
            for i in range(3):
                f = tmp_path / f"live-{i}.jsonl.gz"
                res = cli(["backup", str(f)], data, **env)
                assert res.returncode == 0, res.stderr
                assert "qua dịch vụ đang chạy" in res.stdout
                files.append(f)
        finally:
            stop.set()
            t.join()
        assert not errors, errors[0]
        assert uploads, "no upload happened during the backups"
        r = httpx.post(server.url + "/api/admin/backup", headers=server.headers(), timeout=60)
        assert r.status_code == 200 and r.headers["content-type"] == "application/gzip"
        assert "attachment" in r.headers["content-disposition"]
        (tmp_path / "http.jsonl.gz").write_bytes(r.content)
        files.append(tmp_path / "http.jsonl.gz")
    finally:
        server.stop()
    for f in files:
        verify_file(f)
        assert set(_whole_documents(f, checker)) == set(checker.target("A"))
    # the store now vs the last backup through HTTP (nothing was written since)
    with EdgeStore(str(data)) as s:
        assert_same(dumps_of(s), dumps_of_file(files[-1]))
    # restore: refused onto a store with documents, then forced
    res = cli(["restore", str(files[0])], data)
    assert res.returncode == 1 and "--force" in res.stderr and "Traceback" not in res.stderr
    with EdgeStore(str(data)) as s:
        assert_same(dumps_of(s), dumps_of_file(files[-1]))  # untouched
    res = cli(["restore", str(files[0]), "--force"], data)
    assert res.returncode == 0, res.stderr
    with EdgeStore(str(data)) as s:
        assert_same(dumps_of(s), dumps_of_file(files[0]))
    assert sorted(p.name for p in data.iterdir() if p.name.startswith(".")) == [".lock"]  # no leftovers


def test_backup_through_service_without_keys_and_after_it_died(corpus_dir, tmp_path):
    """No API keys configured: `sotay backup` still works through the service with the local token
    `sotay serve` leaves in the data dir (the route refuses callers without it); once the service
    is gone (killed), the stale file is ignored and the store is read directly."""
    data = tmp_path / "data"
    shutil.copytree(corpus_dir, data)
    server = Server(data, admin_key=None)
    try:
        info = json.loads((data / "service.json").read_text())
        assert info["url"] == server.url and (data / "service.json").stat().st_mode & 0o777 == 0o600
        r = httpx.post(server.url + "/api/admin/backup", timeout=30)
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
        r = httpx.post(server.url + "/api/admin/backup", headers={"X-Sotay-Backup-Token": "wrong"}, timeout=30)
        assert r.status_code == 403
        res = cli(["backup", str(tmp_path / "via-service.jsonl.gz"), "--json"], data)
        assert res.returncode == 0, res.stderr
        assert json.loads(res.stdout)["via"] == "service"
        res = cli(["restore", str(tmp_path / "via-service.jsonl.gz"), "--force"], data)
        assert res.returncode == 1 and "sotay serve" in res.stderr  # restore needs the service stopped
        server.proc.send_signal(signal.SIGKILL)
        server.proc.wait()
    finally:
        server.stop()
    assert (data / "service.json").exists()  # a killed service leaves it behind
    res = cli(["backup", str(tmp_path / "direct.jsonl.gz"), "--json"], data)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["via"] == "store"
    assert_same(dumps_of_file(tmp_path / "via-service.jsonl.gz"), dumps_of_file(tmp_path / "direct.jsonl.gz"))


# --------------------------------------------------------------------------------------------
# damaged files, killed restores
# --------------------------------------------------------------------------------------------


def _small_store(path: Path, docs: int = 4, tag: str = "v1") -> EdgeStore:
    """A store of ``docs`` small documents (written in one batch: a document replace fsyncs 3 times)."""
    from service.store import DocumentDump

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


# --------------------------------------------------------------------------------------------
# migrate
# --------------------------------------------------------------------------------------------


def test_migrate_to_server_copies_every_document_and_verifies(corpus_dir, tmp_path):
    from service.store import qdrant_client

    settings = Settings(data_dir=corpus_dir)
    local = str(tmp_path / "local")
    s = migrate(settings, "local", client=qdrant_client(path=local))
    assert s.documents == 6 and s.unchanged == 0
    again = migrate(settings, "local", client=qdrant_client(path=local))  # resumable: nothing left to copy
    assert (again.documents, again.unchanged, again.points) == (6, 6, s.points)
    with EdgeStore(str(corpus_dir)) as src, ServerStore("local", client=qdrant_client(path=local)) as dst:
        assert_same(dumps_of(src), dumps_of(dst))
        assert dst.stats()["points"] == src.stats()["points"] == s.points
    # from a backup file, into another collection
    f = tmp_path / "b.jsonl.gz"
    backup(settings, f)
    s2 = migrate(settings, "local", client=qdrant_client(path=local), collection="from_file", source_file=f)
    assert (s2.documents, s2.points) == (s.documents, s.points)
    with ServerStore("local", client=qdrant_client(path=local), collection="from_file") as dst:
        assert_same(dumps_of_file(f), dumps_of(dst))


def test_migrate_cli_errors_are_clear(corpus_dir, tmp_path):
    res = cli(["migrate", "--to", "http://127.0.0.1:9"], corpus_dir)  # nothing listens on port 9
    assert res.returncode == 1 and "Không kết nối được máy chủ Qdrant" in res.stderr and "Traceback" not in res.stderr
    with EdgeStore(str(corpus_dir)):  # the store in use by another process
        res = subprocess.run([sys.executable, "-m", "service.cli", "migrate", "--to", "http://127.0.0.1:9"], cwd=ROOT,
                             env=child_env(corpus_dir), capture_output=True, text=True, timeout=120)
    assert res.returncode == 1 and "--from" in res.stderr, res.stderr


@pytest.mark.skipif(not SERVER_URL, reason="no Qdrant server: set SOTAY_QDRANT_URL (and SOTAY_QDRANT_API_KEY) "
                                           "to migrate into a real one")
def test_migrate_cli_to_real_server(corpus_dir, tmp_path):
    from service.store import qdrant_client

    collection = f"sotay_migrate_{uuid.uuid4().hex[:10]}"
    env = {"SOTAY_QDRANT_SHARDS": "2", "SOTAY_QDRANT_REPLICAS": "1"}
    res = cli(["migrate", "--to", SERVER_URL, "--collection", collection, "--json"], corpus_dir, **env)
    client = qdrant_client(SERVER_URL, api_key=os.environ.get("SOTAY_QDRANT_API_KEY"))
    try:
        assert res.returncode == 0, res.stderr
        assert json.loads(res.stdout)["documents"] == 6
        assert client.get_collection(collection).config.params.shard_number == 2
        with EdgeStore(str(corpus_dir)) as src, open_store(url=SERVER_URL, api_key=os.environ.get("SOTAY_QDRANT_API_KEY"),
                                                           collection=collection) as dst:
            assert_same(dumps_of(src), dumps_of(dst))
    finally:
        if client.collection_exists(collection):
            client.delete_collection(collection)
        client.close()
