"""`sotay backup | restore | migrate` (service/backup.py) on real stores.

Round trips compare every document (catalog entry) and every point (id, payload, sparse and dense
vectors); backups taken through a running `sotay serve` while documents are being uploaded must hold
every document whole. Migration goes to qdrant-client's local mode (the reference implementation of
the server API) here, and to a real Qdrant when SOTAY_QDRANT_URL is set. The file format and restores
killed midway: tests/service/store/test_backup.py.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import httpx
import pytest

from conftest import CORPUS, ROOT
from service.answers import answer_question
from service.backup import backup, migrate, restore
from service.config import Settings
from service.knowledge import KnowledgeBase
from service.store import EdgeStore, ServerStore, open_store, qdrant_client
from service.store.backup import BackupReader, verify_file
from support.cli import child_env
from support.cli import run_cli as cli
from support.crash import ADMIN_KEY, Checker, Server, expected_state, make_versions
from support.dumps import assert_same, dumps_of, dumps_of_file


SERVER_URL = os.environ.get("SOTAY_QDRANT_URL")


READ_KEY = "backup-test-read-key-0123456789"


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    """A data dir with the shipped corpus, ingested by the real pipeline (closed: free to open)."""
    d = tmp_path_factory.mktemp("corpus-store") / "data"
    with KnowledgeBase(Settings(data_dir=d)) as kb:
        assert not kb.ingest_paths([CORPUS]).errors
    return d


def test_round_trip_every_document_and_point(corpus_dir, tmp_path):
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
        assert r.status_code == 403 and r.json()["error"]["code"] == "writes_disabled"
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


def test_migrate_to_server_copies_every_document_and_verifies(corpus_dir, tmp_path):
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
