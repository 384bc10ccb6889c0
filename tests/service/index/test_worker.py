"""The upload worker (service/index/worker.py): a document read and parsed in a child process, with the
same result as in this one; past its time budget the child is killed, past its memory budget it
dies, a text over the size budget is refused before parsing — each an error result with a Vietnamese
message, never an exception, and no child left behind."""
from __future__ import annotations

import os
import time
from multiprocessing import forkserver

import pytest

from conftest import ROOT
from service.index.prepare import Job, prepare
from service.index.worker import ParseWorker

DUTY = "Các chi bộ tổ chức quán triệt kế hoạch đến đảng viên, hoàn thành trước ngày 15/4/2025."


def one_paragraph(n: int) -> bytes:
    return ("KẾ HOẠCH\nvề thử nghiệm\n\n1. Nhiệm vụ\n\n" + " ".join([DUTY] * n) + "\n").encode()


def children_of_the_fork_server() -> list[int]:
    server = getattr(forkserver._forkserver, "_forkserver_pid", None)
    if not server:
        return []
    out = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == server and fields[0] != "Z":
            out.append(int(pid))
    return out


@pytest.fixture(scope="module")
def worker():
    w = ParseWorker(timeout=60)
    w.start()
    yield w
    w.close()


def test_same_records_as_in_process(worker):
    data = (ROOT / "corpus" / "222-KH-TU-2023-laichau.txt").read_bytes()
    here, there = prepare(Job("222.txt", data=data)), worker.run(Job("222.txt", data=data))
    assert there.code is None and there.doc_id == here.doc_id == "222-kh-tu-2023-12-18"
    assert there.records.catalog == here.records.catalog
    assert [(p.id, p.payload, p.sparse) for p in there.records.points] == \
           [(p.id, p.payload, p.sparse) for p in here.records.points]
    assert there.records.texts == here.records.texts


def test_reader_errors_come_back_as_results(worker):
    broken = worker.run(Job("hong.docx", data=b"PK\x03\x04" + bytes(200)))
    assert broken.records is None and broken.code and "hong.docx" in broken.error


def test_size_budget(worker):
    p = worker.run(Job("dai.txt", data=one_paragraph(400), max_chars=10_000))
    assert p.code == "too_large" and "10.000 ký tự" in p.error and p.records is None


def test_time_budget_kills_the_child():
    w = ParseWorker(timeout=2)
    try:
        w.start()
        w.run(Job("nho.txt", data=one_paragraph(1)))  # warm: the budget counts from the child's start
        started = time.monotonic()
        p = w.run(Job("dai.txt", data=one_paragraph(3000)))
        took = time.monotonic() - started
        assert p.code == "too_slow" and "2 giây" in p.error, p
        assert took < 2 + 10, took  # stopped at the budget, not when the parse would have ended
        assert children_of_the_fork_server() == []
    finally:
        w.close()


def test_memory_budget_ends_the_child_not_the_service():
    w = ParseWorker(timeout=120, memory_mb=8)
    try:
        p = w.run(Job("dai.txt", data=one_paragraph(3000)))
        assert p.records is None and p.code in ("too_large", "parse_failed"), p
        assert "bộ nhớ" in p.error
        assert children_of_the_fork_server() == []
        ok = w.run(Job("nho.txt", data=one_paragraph(2)))  # the next document is served as usual
        assert ok.code is None and ok.obligations >= 1
    finally:
        w.close()
