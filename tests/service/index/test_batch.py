"""index/batch.py: a folder's files prepared in worker processes, in order, against a snapshot of
the catalog; the workers end with the process that started them, even when it is SIGKILLed."""
from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from service.index import batch
from service.index.batch import Params, Recording, prepare_file, prepared_in_order, runs, workers_for
from service.index.identity import Stored
from support.folders import plan

ROOT = Path(__file__).resolve().parents[3]


def _files(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(1, n + 1):
        p = folder / f"{i:02d}.txt"
        p.write_text(plan(i), encoding="utf-8")
        out.append(p)
    (folder / "99.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(32))
    return out + [folder / "99.png"]


@pytest.mark.parametrize("task_bytes", [1, batch.TASK_BYTES])  # a file at a time, and runs of files
def test_workers_prepare_in_order_what_this_process_prepares(tmp_path, monkeypatch, task_bytes):
    monkeypatch.setattr(batch, "TASK_BYTES", task_bytes)
    files = _files(tmp_path / "in", 6)
    params = Params(max_chars=1_000_000)
    here = list(prepared_in_order(files, params, {}, 1))
    there = list(prepared_in_order(files, params, {}, 2))
    assert [r.path for r in there] == files
    for a, b in zip(here, there):
        assert (a.source, a.code, a.chars, a.consulted) == (b.source, b.code, b.chars, b.consulted)
        if a.prepared is not None:
            assert a.prepared.records.catalog == b.prepared.records.catalog
            assert [(p.id, p.payload, p.sparse) for p in a.prepared.records.points] == \
                   [(p.id, p.payload, p.sparse) for p in b.prepared.records.points]
    assert here[-1].code == "unsupported" and here[-1].prepared is None
    assert all(r.prepared.doc_id in r.consulted for r in here[:-1])  # its own id was looked up


def test_a_snapshot_decides_the_access_and_says_so(tmp_path):
    path = _files(tmp_path / "in", 1)[0]
    params = Params(max_chars=1_000_000)
    plain = prepare_file(path, params, {})
    doc_id = plain.prepared.doc_id
    held = Stored(doc_id, plain.prepared.number, path.name, "internal", "old")
    kept = prepare_file(path, params, {doc_id: held})
    assert plain.prepared.access == "public" and kept.prepared.access == "internal"
    assert plain.consulted[doc_id] is None and kept.consulted[doc_id] == held


def test_recording_remembers_what_was_missing():
    rec = Recording({"a": Stored("a", None, "a.txt", "public", "v")})
    assert "a" in rec and "b" not in rec and rec.get("c") is None
    assert set(rec.consulted) == {"a", "b", "c"} and rec.consulted["b"] is None


def test_runs_keep_the_order_and_bound_each_run(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "TASK_BYTES", 1000)
    monkeypatch.setattr(batch, "TASK_FILES", 3)
    folder = tmp_path / "in"
    folder.mkdir()
    sizes = [10, 10, 10, 10, 5000, 400, 400, 400, 10]
    files = []
    for i, n in enumerate(sizes):
        (p := folder / f"{i}.txt").write_bytes(b"x" * n)
        files.append(p)
    files.append(folder / "missing.txt")  # unreadable: counts as empty, the reader says why
    got = list(runs(files))
    assert [p for run in got for p in run] == files
    assert [[p.name for p in run] for run in got] == [
        ["0.txt", "1.txt", "2.txt"],  # TASK_FILES
        ["3.txt", "4.txt"],  # past TASK_BYTES with a large file
        ["5.txt", "6.txt", "7.txt"],  # 1200 bytes ≥ TASK_BYTES
        ["8.txt", "missing.txt"],  # the rest
    ]


def test_workers_for():
    assert workers_for(1, None) == 1
    assert workers_for(0, 4) == 1
    assert workers_for(3, 8) == 3
    assert workers_for(100, 2) == 2
    assert workers_for(100, None, nbytes=1000) == 1  # not worth starting processes for
    assert workers_for(100, 2, nbytes=1000) == 2  # unless asked


_KILLED_CHILD = """
import os, signal, sys
from pathlib import Path
from service.index.batch import Params, prepared_in_order
files = sorted(Path(sys.argv[1]).iterdir())
for result in prepared_in_order(files, Params(max_chars=1_000_000), {}, 2):
    print("first", result.source, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_workers_end_when_the_ingesting_process_is_killed(tmp_path):
    """subprocess.run returns once every process holding the child's output has ended: the killed
    child, and its fork server and workers (which inherit that output)."""
    _files(tmp_path / "in", 12)
    script = tmp_path / "child.py"
    script.write_text(_KILLED_CHILD, encoding="utf-8")
    t0 = time.monotonic()
    r = subprocess.run([sys.executable, str(script), str(tmp_path / "in")], cwd=ROOT, capture_output=True,
                       text=True, timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert r.returncode == -signal.SIGKILL, r.stderr[-2000:]
    assert r.stdout.startswith("first 01.txt")
    assert time.monotonic() - t0 < 120
