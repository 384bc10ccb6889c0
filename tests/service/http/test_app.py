"""The app (service/http/app.py): its OpenAPI document, concurrent requests on the one shared
KnowledgeBase, start-up and shutdown. The OpenAPI document's schemas are service/http/schemas.py's."""
from __future__ import annotations

import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from service.config import Settings
from service.http.app import create_app
from service.knowledge import KnowledgeBase
from service.store import StoreLocked
from support.api import PASSAGE_QUESTIONS, UNANSWERABLE, strip_timing


def test_openapi_is_real(http):
    r = http.get("/openapi.json")
    assert r.status_code == 200
    spec = r.json()
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    for p, method in [("/api/ask", "post"), ("/api/search", "get"), ("/api/obligations", "get"),
                      ("/api/obligations.ics", "get"), ("/api/documents", "get"),
                      ("/api/documents/{doc_id}", "get"), ("/api/roles", "get"), ("/healthz", "get")]:
        assert method in paths[p], p
    schemas = spec["components"]["schemas"]
    for name in ("Answer", "Citation", "Passage", "Obligation", "Deadline", "DocumentMeta", "Reference",
                 "Document", "ErrorBody"):
        assert name in schemas, name
    assert set(schemas["Citation"]["required"]) >= {"n", "doc_id", "quote", "start", "end"}
    assert set(schemas["Answer"]["properties"]) >= {"question", "kind", "answer", "citations", "obligations", "took_ms"}
    assert set(schemas["Answer"]["properties"]["kind"]["enum"]) == {"obligations", "passages", "none"}
    ask_ok = paths["/api/ask"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ask_ok["$ref"].endswith("/Answer")
    assert "text/calendar" in paths["/api/obligations.ics"]["get"]["responses"]["200"]["content"]
    # Errors are documented in the error shape; FastAPI's 422 body is never sent, so never advertised.
    assert "HTTPValidationError" not in schemas
    for p, ops in paths.items():
        for op in ops.values():
            assert "422" not in op["responses"], p
            if "400" in op["responses"]:
                assert op["responses"]["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
    # Every $ref resolves.
    for ref in re.findall(r'"\$ref":\s*"#/components/schemas/([^"]+)"', json.dumps(spec)):
        assert ref in schemas, ref
    docs = http.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def _freeze(status: int, body) -> str:
    return json.dumps([status, strip_timing(body)], sort_keys=True, ensure_ascii=False)


def test_concurrent_requests_match_sequential(http):
    """32 simultaneous requests (ask, search, obligations) through uvicorn's thread pool against the
    one shared KnowledgeBase, twice; every response must equal the sequential call's."""
    questions = PASSAGE_QUESTIONS + [UNANSWERABLE, "han chot nop ke hoach ca nhan hoc tap lam theo Bac"]
    jobs: list[tuple[str, str, dict]] = []
    for q in questions:
        jobs.append(("POST", "/api/ask", {"json": {"question": q}}))
        jobs.append(("GET", "/api/search", {"params": {"q": q, "k": 5}}))
    for params in ({}, {"doc": "222-KH/TU"}, {"due_from": "2024-01-01"}, {"role": "bí thư chi bộ"}):
        jobs.append(("GET", "/api/obligations", {"params": params}))
    base = list(jobs)
    while len(jobs) < 32:
        jobs.append(base[len(jobs) % len(base)])
    assert len(jobs) == 32

    def run(job) -> str:
        method, path, kwargs = job
        r = http.request(method, path, **kwargs)
        return _freeze(r.status_code, r.json())

    sequential = [run(j) for j in jobs]
    statuses = [json.loads(o)[0] for o in sequential]
    assert all(s == 200 for s in statuses), statuses
    assert sum(s == 200 for s in statuses) >= 24

    for _ in range(2):
        barrier = threading.Barrier(len(jobs))

        def at_once(job) -> str:
            barrier.wait(timeout=30)
            return run(job)

        with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
            concurrent = list(pool.map(at_once, jobs))
        for i, got in enumerate(concurrent):
            assert got == sequential[i], (jobs[i], got[:300], sequential[i][:300])


def test_same_request_same_response(http):
    """Repeating a request gives the same response (this query has RRF ties among its candidates:
    the store must order them the same way every time)."""
    q = "Kết luận 14-KL/TW của Bộ Chính trị bàn về vấn đề gì?"
    seen = {json.dumps(http.get("/api/search", params={"q": q, "k": 5}).json(), sort_keys=True) for _ in range(20)}
    assert len(seen) == 1
    seen = {json.dumps(strip_timing(http.post("/api/ask", json={"question": q}).json()), sort_keys=True)
            for _ in range(10)}
    assert len(seen) == 1


def test_app_opens_and_closes_its_own_knowledge_base(tmp_path):
    key = "cle-de-lecture-0123456789"  # TestClient is not a loopback client: it reads with a key
    settings = Settings(data_dir=tmp_path / "own", api_keys={key: "read"})
    with TestClient(create_app(settings), headers={"X-API-Key": key}) as client:
        r = client.get("/healthz")
        assert r.status_code == 200 and r.json()["documents"] == 0
        r = client.get("/api/search", params={"q": "kế hoạch"})
        assert r.status_code == 200 and r.json() == {"hits": []}
    # Closed at shutdown: the data dir can be opened again.
    KnowledgeBase(settings).close()


def test_second_app_on_a_held_data_dir_fails_at_startup(kb):
    with pytest.raises(StoreLocked):
        with TestClient(create_app(kb.settings)):
            pass


def test_the_warm_up_gives_way_to_queries_inside(kb):
    """The start-up warm-up (app._warm_up) starts none of its steps while queries are inside the
    service: the first questions get the interpreter to themselves; it goes on once they are done."""
    import time

    from service.http.app import _warm_up

    release = time.monotonic() + 0.5
    done: list[float] = []
    busy_checks: list[float] = []

    def busy() -> bool:
        busy_checks.append(time.monotonic())
        return time.monotonic() < release

    t = threading.Thread(target=_warm_up, args=(kb, lambda: done.append(time.monotonic()), busy))
    t.start()
    time.sleep(0.2)
    assert not done and len(busy_checks) > 3  # still waiting for the queries to leave
    t.join(120)
    assert done and done[0] >= release


def _kept_indexes(data) -> list:
    from service.dutyindex import SIDECAR

    return list((data / "shard").glob(f"{SIDECAR[:-4]}-*.npz"))


def test_the_warm_up_builds_the_duty_index_a_store_keeps_none_of(tmp_path):
    """A store without a kept duty index (written by an older version) gets one from the server's
    warm-up, not from its first role or time question; a warm-up stopped (shutdown) builds none, and
    a build asked to stop ends between pages."""
    from pathlib import Path

    from service.dutyindex import DutyIndex, Stopped
    from service.http.app import _warm_up

    corpus = Path(__file__).resolve().parents[3] / "corpus"
    with KnowledgeBase(Settings(data_dir=tmp_path)) as kb:
        assert not kb.ingest_paths([corpus]).errors
    for f in _kept_indexes(tmp_path):
        f.unlink()
    stop = threading.Event()
    stop.set()
    with KnowledgeBase(Settings(data_dir=tmp_path)) as kb:
        _warm_up(kb, stop=stop)
        assert _kept_indexes(tmp_path) == []
        with pytest.raises(Stopped):
            DutyIndex.of_store(kb.store, stop)
        assert _kept_indexes(tmp_path) == []
        _warm_up(kb)
        assert len(_kept_indexes(tmp_path)) == 1
        assert kb.duty_index().n == kb.store.stats()["obligations"] > 0
