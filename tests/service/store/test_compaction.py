"""Compaction (service/store/backup.py `compact`, `sotay compact`, issue 16 item 4): a deleted or
replaced document's text is in the engine's files (its write-ahead log, its segments) until the
store is rebuilt from its live documents; after `sotay compact` no file of the data directory holds
it, every live document is whole, and a compaction killed at any point leaves the store whole."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import httpx

from conftest import ROOT
from service.config import Settings
from service.knowledge import KnowledgeBase
from support.cli import child_env, run_cli
from support.crash import Checker, Server, _ops, child_cmd, expected_state

MARKER = "Zentrivol"  # a word no shipped document uses
SECRET = f"""---
number: 808-KH/TU
type: Kế hoạch
title: Kế hoạch {MARKER}
issued: 2024-03-01
access: internal
---
KẾ HOẠCH
về công tác {MARKER}

1. Các chi bộ phải hoàn thành báo cáo {MARKER} trước ngày 15/04/2024.
2. Đảng viên phải học tập chuyên đề {MARKER} hằng tháng.
"""
KILLS = 6


def files_with(root: Path, word: str) -> list[str]:
    needle = word.encode("utf-8")
    out = []
    for dirpath, _, files in os.walk(root):
        for name in files:
            path = Path(dirpath) / name
            try:
                with open(path, "rb") as f:
                    if needle in f.read():
                        out.append(str(path.relative_to(root)))
            except FileNotFoundError:  # removed meanwhile (a compaction at work)
                continue
    return out


def _store_with_a_deleted_secret(tmp: Path) -> tuple[Path, Path]:
    """A data directory with four shipped documents, and a fifth (with the marker) ingested then
    deleted; returns it and the folder of the four."""
    folder = tmp / "docs"
    folder.mkdir()
    for p in sorted((ROOT / "corpus").iterdir(), key=lambda p: -p.stat().st_size)[:4]:
        (folder / p.name).write_text(p.read_text("utf-8"), "utf-8")
    (tmp / "secret").mkdir()
    (tmp / "secret" / "808-noi-bo.md").write_text(SECRET, "utf-8")
    data = tmp / "data"
    assert run_cli(["ingest", str(folder), str(tmp / "secret")], data).returncode == 0
    with KnowledgeBase(Settings(data_dir=data)) as kb:
        secret = [e["doc_id"] for e in kb.store.catalog(with_fields=["number"]) if e.get("number") == "808-KH/TU"]
        assert kb.delete(secret[0]) and kb.garbage_since is not None
    return data, folder


def test_compact_purges_a_deleted_document_from_every_file(tmp_path):
    data, folder = _store_with_a_deleted_secret(tmp_path)
    assert files_with(data, MARKER), "the deleted text should still be in the engine's files"
    checker = Checker({"A": expected_state(folder)})
    state, _ = checker.check(data, {}, checker.target("A"))
    r = run_cli(["compact", "--json"], data)
    assert r.returncode == 0, r.stderr
    assert '"documents": 4' in r.stdout
    assert files_with(data, MARKER) == []
    assert sorted(os.listdir(data)) == [".lock", "shard"]  # no copy, no staging left behind
    assert checker.check(data, state, state)[0] == state  # every document whole, and answering


def test_compact_through_the_running_service(tmp_path):
    data, folder = _store_with_a_deleted_secret(tmp_path)
    server = Server(data, env={"SOTAY_COMPACT_AFTER": "0"})
    try:
        before = server.ask()
        r = run_cli(["compact"], data, SOTAY_API_KEYS=f"{server.key}:admin")
        assert r.returncode == 0, r.stderr
        assert "qua dịch vụ đang chạy" in r.stdout
        assert files_with(data, MARKER) == []
        after = server.ask()  # the service goes on answering from the new shard, the same answer
        assert [c["quote"] for c in after["citations"]] == [c["quote"] for c in before["citations"]]
    finally:
        server.stop()


def test_scheduled_compaction_after_a_deletion_over_http(tmp_path):
    data, _ = _store_with_a_deleted_secret(tmp_path)
    server = Server(data, env={"SOTAY_COMPACT_AFTER": "1"})
    try:
        # The deletion before the start left the text in the files; a deletion now starts the clock.
        doc_id = httpx.get(server.url + "/api/documents", headers=server.headers()).json()["documents"][0]["doc_id"]
        r = httpx.delete(f"{server.url}/api/documents/{doc_id}", headers=server.headers())
        assert r.status_code == 204
        deadline = time.monotonic() + 90
        while files_with(data, MARKER) and time.monotonic() < deadline:
            time.sleep(1)
        assert files_with(data, MARKER) == []
        assert server.ask()["citations"]
    finally:
        server.stop()


def test_compaction_killed_anywhere_leaves_the_store_whole(tmp_path):
    """SIGKILL `sotay compact` at a random engine write (of the new shard) or at a random moment:
    reopened, every document is whole at its version, with its points and counts, and answers."""
    data, folder = _store_with_a_deleted_secret(tmp_path)
    checker = Checker({"A": expected_state(folder)})
    state, _ = checker.check(data, {}, checker.target("A"))
    rng = random.Random(int(os.environ.get("SOTAY_CRASH_SEED") or time.time_ns() % 1_000_000))
    t0 = time.monotonic()
    r = subprocess.run(child_cmd(["compact"], kill_at=10**9), cwd=ROOT, env=child_env(data), capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    full, ops = time.monotonic() - t0, _ops(r.stderr) or 20
    kills = 0
    for i in range(KILLS * 2):
        if kills >= KILLS:
            break
        if i % 2 == 0:
            n, when = rng.randint(1, ops), rng.choice(("before", "after"))
            r = subprocess.run(child_cmd(["compact"], n, when), cwd=ROOT, env=child_env(data), capture_output=True,
                               text=True, timeout=600)
            killed = r.returncode == -signal.SIGKILL
            assert killed or r.returncode == 0, r.stderr
        else:
            p = subprocess.Popen(child_cmd(["compact"]), cwd=ROOT, env=child_env(data), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, text=True)
            try:
                _, err = p.communicate(timeout=rng.uniform(0.2, 1.0) * full)
                killed = False
                assert p.returncode == 0, err
            except subprocess.TimeoutExpired:
                p.kill()
                p.communicate()
                killed = True
        kills += killed
        assert checker.check(data, state, state)[0] == state, f"after run {i} (seed in SOTAY_CRASH_SEED)"
    assert kills >= KILLS // 2


def test_a_large_rebuilt_store_is_optimized_in_a_child_before_the_swap(tmp_path, monkeypatch):
    """A compaction (or a restore) of a store past OPTIMIZE_FROM_POINTS has the rebuilt shard optimized
    by a child process (store/optimize.py: EdgeStore.optimize holds the interpreter lock, never in a
    serving process) and checked again before the swap: indexed, memory-mapped segments, the same
    answers, and still no trace of the deleted document."""
    import json as json_

    from service.store import backup

    data, _ = _store_with_a_deleted_secret(tmp_path)
    monkeypatch.setattr(backup, "OPTIMIZE_FROM_POINTS", 1)
    with KnowledgeBase(Settings(data_dir=data)) as kb:
        questions = ["trách nhiệm nêu gương của người đứng đầu", "Hạn hoàn thành kế hoạch cá nhân là khi nào?"]
        before = [[h.to_json() for h in kb.search(q, k=10)] for q in questions], kb.store.catalog()
        summary = kb.compact()
        assert summary is not None and summary.documents == 4
        assert ([[h.to_json() for h in kb.search(q, k=10)] for q in questions], kb.store.catalog()) == before
    segments = [json_.loads((d / "segment.json").read_text("utf-8")) for d in (data / "shard" / "segments").iterdir()]
    indexes = {v["index"]["index_type"] for s in segments for v in s["config"]["sparse_vector_data"].values()}
    assert "Mmap" in indexes
    assert files_with(data, MARKER) == []
    assert sorted(os.listdir(data)) == [".lock", "shard"]
