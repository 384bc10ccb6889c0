"""Uploads are parsed away from the answers (service/index/worker.py, issue 16 item 2, serving side),
over real HTTP: the red team's 4 MB one-paragraph document is refused within 30 s by the size
budget; a parse that outlives its time budget is stopped — in both cases with a Vietnamese message and
the store as it was — and questions are answered meanwhile, the parse running in a process of its own.
The latencies themselves are measured by eval/hostile_figures.py."""
from __future__ import annotations

import json
import threading
import time

import pytest

from conftest import ROOT
from service.config import Settings
from service.http.app import create_app
from service.knowledge import KnowledgeBase
from support.api import assert_error
from support.kb import ingested
from support.keyed import ADMIN, KEYS, READ, client
from support.serving import serve_in_thread as served

DUTIES = ["Các chi bộ tổ chức quán triệt Kế hoạch số 12-KH/TU đến đảng viên, hoàn thành trước ngày 15/4/2025.",
          "Ban Tuyên giáo Huyện ủy hướng dẫn việc học tập chuyên đề năm 2025 trong quý II/2025.",
          "Văn phòng Huyện ủy theo dõi, đôn đốc và báo cáo kết quả hằng quý.",
          "Ủy ban Kiểm tra Huyện ủy kiểm tra việc thực hiện tại các đảng bộ cơ sở trước ngày 30/11/2025."]


def one_paragraph(size: int) -> bytes:
    parts, n = [], 0
    while n < size:
        parts.append(DUTIES[len(parts) % len(DUTIES)])
        n += len(parts[-1]) + 1
    return ("HUYỆN ỦY PHONG THẠNH\nSố 5-KH/HU\nPhong Thạnh, ngày 02 tháng 01 năm 2025\n\nKẾ HOẠCH\nvề thử\n\n"
            "1. Nhiệm vụ\n\n" + " ".join(parts) + "\n").encode()


def state(kb) -> str:
    return json.dumps([kb.store.catalog(with_fields=["version", "access"]), kb.stats()], sort_keys=True, default=str)


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    with ingested(tmp_path_factory.mktemp("isolation") / "data", [ROOT / "corpus"]) as the_kb:
        yield the_kb


@pytest.fixture
def unbounded_kb(tmp_path):
    """A knowledge base whose size budget lets the red team's paragraph through to the parser."""
    kb = KnowledgeBase(Settings(data_dir=tmp_path / "data", max_document_chars=10_000_000))
    try:
        assert not kb.ingest_paths([ROOT / "corpus"]).errors
        yield kb
    finally:
        kb.close()


def test_the_red_team_paragraph_is_refused_within_30_seconds(kb):
    with served(create_app(Settings(data_dir=kb.settings.data_dir, api_keys=KEYS), kb=kb)) as url, \
            client(url, ADMIN) as admin:
        before = state(kb)
        started = time.monotonic()
        r = admin.post("/api/documents", files={"file": ("mot-doan.txt", one_paragraph(4_000_000))}, timeout=60)
        took = time.monotonic() - started
        err = assert_error(r, 413, "too_large")
        assert "ký tự" in err["message"], err
        assert took < 30, took
        assert state(kb) == before


def test_a_parse_past_its_budget_is_stopped_while_answers_go_on(unbounded_kb):
    from multiprocessing import forkserver

    kb = unbounded_kb
    settings = Settings(data_dir=kb.settings.data_dir, api_keys=KEYS, parse_timeout=6)
    with served(create_app(settings, kb=kb)) as url, client(url, ADMIN) as admin, client(url, READ) as reader:
        before = state(kb)
        result: dict = {}
        upload = threading.Thread(target=lambda: result.update(r=admin.post(
            "/api/documents", files={"file": ("mot-doan.txt", one_paragraph(1_500_000))}, timeout=120)))
        upload.start()
        answered, parsing_elsewhere = 0, False
        while upload.is_alive():
            r = reader.post("/api/ask", json={"question": "Hạn hoàn thành xây dựng kế hoạch tập thể là khi nào?"})
            assert r.status_code == 200 and r.json()["citations"], r.text
            answered += 1
            server = getattr(forkserver._forkserver, "_forkserver_pid", None)
            parsing_elsewhere |= bool(server) and _has_children(server)
        upload.join()
        err = assert_error(result["r"], 422, "too_slow")
        assert "6 giây" in err["message"] and "mot-doan.txt" in err["message"], err
        assert answered >= 3 and parsing_elsewhere
        assert state(kb) == before


def _has_children(pid: int) -> bool:
    import os

    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/stat") as f:
                if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                    return True
        except OSError:
            continue
    return False
