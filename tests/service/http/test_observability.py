"""Observability over real HTTP (service/http/observability.py): request ids, JSON log lines,
Prometheus /metrics, ingest counters, and a short bounded load run (tests/support/load.py).

Two real servers: `sotay serve --log-format json` in a subprocess (its stderr is the log under test)
over an embedded store with the shipped corpus, and the app in a uvicorn thread with API keys (upload
through the API, /metrics access rules, ids in lines logged from the route threads). A client whose
request carries `X-Forwarded-For` looks remote: uvicorn trusts that header from 127.0.0.1.
"""
from __future__ import annotations

import io
import json
import logging
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import CORPUS, ROOT, SHARED_EVAL
from ingest.actors import role_names
from service.config import Settings
from service.http.app import create_app
from service.http.observability import LATENCY_BUCKETS, JsonFormatter, _RequestIdFilter
from service.knowledge import KnowledgeBase
from support.load import DEFAULT_MIX, Queries, load, parse_mix
from support.serving import free_port, wait_healthy
from support.serving import serve_in_thread as served


ADMIN = "quan-tri-" + "a" * 24


READER = "chi-doc-" + "b" * 24


HEX_ID = re.compile(r"[0-9a-f]{32}")


REMOTE = {"X-Forwarded-For": "203.0.113.9"}  # uvicorn takes the client address from it (trusted loopback proxy)


def scrape(client: httpx.Client, **kw) -> dict[tuple[str, tuple], float]:
    """/metrics → {(sample name, sorted labels): value}, parsed by prometheus-client's own parser."""
    r = client.get("/metrics", **kw)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain"), r.headers
    out = {}
    for family in text_string_to_metric_families(r.text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def sample(metrics: dict, name: str, **labels: str) -> float:
    return metrics.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture(scope="module")
def serve(tmp_path_factory):
    """(base URL, log file) of `sotay serve --log-format json` over the shipped corpus."""
    tmp = tmp_path_factory.mktemp("observe")
    data = tmp / "data"
    with KnowledgeBase(Settings(data_dir=data)) as kb:
        assert not kb.ingest_paths([CORPUS]).errors
    port = free_port()
    log_path = tmp / "serve.log"
    env = dict(os.environ, SOTAY_DATA_DIR=str(data), SOTAY_RATE_LIMIT="off")
    for k in ("SOTAY_QDRANT_URL", "SOTAY_API_KEYS", "SOTAY_EMBED_MODEL", "SOTAY_LLM_URL"):
        env.pop(k, None)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    with open(log_path, "wb") as logf:
        cmd = [sys.executable, "-m", "service.cli", "serve", "--port", str(port), "--log-format", "json"]
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=logf, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, 120, log_tail=lambda: log_path.read_text("utf-8", "replace")[-2000:])
        yield url, log_path
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


@pytest.fixture(scope="module")
def http(serve):
    with httpx.Client(base_url=serve[0], timeout=60, trust_env=False) as client:
        yield client


def log_lines(log_path: Path, wait_for: str | None = None, timeout: float = 10) -> list[dict]:
    """Every line of the server log parsed as JSON (a line that is not JSON fails the test)."""
    deadline = time.monotonic() + timeout
    while True:
        text = log_path.read_text("utf-8")
        if wait_for is None or wait_for in text or time.monotonic() > deadline:
            break
        time.sleep(0.05)  # the access line is written just after the response
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert lines
    out = []
    for ln in lines:
        try:
            out.append(json.loads(ln))
        except json.JSONDecodeError:
            pytest.fail(f"log line is not JSON: {ln[:300]!r}")
    return out


def test_request_id_is_echoed_or_made(http):
    r = http.get("/api/search", params={"q": "kế hoạch học tập", "k": 1}, headers={"X-Request-ID": "trace-42.a:b_c"})
    assert r.status_code == 200 and r.headers["x-request-id"] == "trace-42.a:b_c"

    made = [http.get("/healthz").headers["x-request-id"] for _ in range(3)]
    assert all(HEX_ID.fullmatch(m) for m in made) and len(set(made)) == 3

    for bad in ("có dấu", "a b", "x" * 129, "<script>", "id\tid"):
        r = http.get("/healthz", headers={"X-Request-ID": bad.encode("utf-8")})
        assert r.status_code == 200
        assert HEX_ID.fullmatch(r.headers["x-request-id"]), (bad, r.headers["x-request-id"])

    # errors carry it too: a 404, a 400 from validation, a 405
    for r in (http.get("/api/documents/khong-co", headers={"X-Request-ID": "req-404"}),
              http.get("/api/search", params={"q": ""}, headers={"X-Request-ID": "req-400"}),
              http.delete("/api/ask", headers={"X-Request-ID": "req-405"})):
        assert 400 <= r.status_code < 500 and r.headers["x-request-id"].startswith("req-"), (r.status_code, r.headers)


def test_json_log_lines(http, serve):
    _, log_path = serve
    r = http.post("/api/ask", json={"question": "Hạn hoàn thành xây dựng kế hoạch tập thể là khi nào?"},
                  headers={"X-Request-ID": "log-check-1"})
    assert r.status_code == 200
    missing = http.get("/api/documents/khong-co-van-ban")
    assert missing.status_code == 404
    lines = log_lines(log_path, wait_for=missing.headers["x-request-id"])
    for line in lines:
        assert {"ts", "level", "logger", "msg", "request_id"} <= set(line), line
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", line["ts"]), line
    # uvicorn's own lines are JSON too, without a request
    assert any(ln["logger"].startswith("uvicorn") and ln["request_id"] is None for ln in lines)

    access = [ln for ln in lines if ln["logger"] == "sotay.access"]
    ask = [ln for ln in access if ln["request_id"] == "log-check-1"]
    assert len(ask) == 1, access[-5:]
    a = ask[0]
    assert (a["method"], a["path"], a["status"], a["client"], a["level"]) == \
        ("POST", "/api/ask", 200, "127.0.0.1", "INFO")
    assert isinstance(a["ms"], (int, float)) and a["ms"] > 0
    # the question is in the body, never in the log
    assert "kế hoạch tập thể" not in log_path.read_text("utf-8")

    nf = [ln for ln in access if ln["request_id"] == missing.headers["x-request-id"]]
    assert len(nf) == 1 and nf[0]["status"] == 404 and nf[0]["path"] == "/api/documents/khong-co-van-ban"

    # a query string stays out of the logged path
    r = http.get("/api/search", params={"q": "bí mật quốc gia", "k": 2}, headers={"X-Request-ID": "log-check-q"})
    assert r.status_code == 200
    line = [ln for ln in log_lines(log_path, wait_for="log-check-q") if ln.get("request_id") == "log-check-q"]
    assert line and line[0]["path"] == "/api/search" and "bí mật" not in json.dumps(line, ensure_ascii=False)


def test_metrics_count_requests_per_route_with_buckets(http):
    before = scrape(http)
    for q in ("kế hoạch học tập", "nêu gương", "chuyen doi so"):
        assert http.get("/api/search", params={"q": q}).status_code == 200
    assert http.post("/api/ask", json={"question": "Kết luận 14-KL/TW bàn về vấn đề gì?"}).status_code == 200
    for doc in ("khong-co-1", "khong-co-2"):
        assert http.get(f"/api/documents/{doc}").status_code == 404
    assert http.get("/khong-co-duong-dan-nay").status_code == 404
    after = scrape(http)

    def grew(name, **labels):
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert grew("sotay_http_requests_total", method="GET", route="/api/search", status="2xx") == 3
    assert grew("sotay_http_requests_total", method="POST", route="/api/ask", status="2xx") == 1
    # the route template, never the raw path: one series for every document id
    assert grew("sotay_http_requests_total", method="GET", route="/api/documents/{doc_id}", status="4xx") == 2
    assert not any("khong-co" in str(labels) for _, labels in after)
    assert grew("sotay_http_requests_total", method="GET", route="<unmatched>", status="4xx") == 1
    # histograms per route, with the 200 ms edge of the load target
    for method, route, n in (("GET", "/api/search", 3), ("POST", "/api/ask", 1)):
        assert grew("sotay_http_request_duration_seconds_count", method=method, route=route) == n
        assert grew("sotay_http_request_duration_seconds_bucket", method=method, route=route, le="+Inf") == n
        assert grew("sotay_http_request_duration_seconds_sum", method=method, route=route) > 0
        les = sorted(float(dict(labels)["le"]) for name, labels in after
                     if name == "sotay_http_request_duration_seconds_bucket" and dict(labels).get("route") == route
                     and dict(labels).get("method") == method)
        assert les == sorted([*LATENCY_BUCKETS, float("inf")]) and 0.2 in les
    # store size from the store itself
    assert sample(after, "sotay_store_up") == 1
    stats = http.get("/healthz").json()["store"]
    for key in ("documents", "chunks", "obligations", "points"):
        assert sample(after, f"sotay_store_{key}") == stats[key] > 0, key
    assert sample(after, "process_resident_memory_bytes") > 0


def _workload() -> Queries:
    """Real users' questions (the shared dev set) for ask and search; the gazetteer's roles."""
    rows = [json.loads(line) for line in (SHARED_EVAL / "questions-dev.jsonl").read_text("utf-8").splitlines() if line.strip()]
    questions = [r["question"] for r in rows]
    return Queries(ask=questions, search=questions, roles=[*role_names()[:5], None],
                   due=[(None, None), ("2024-01-01", "2024-12-31"), (None, "2024-06-30")])


def test_bounded_load_run_has_no_errors(serve):
    """A short load run (8 clients × 5 s of ask/search/obligations) answers every request with a 200."""
    res, _ = load(serve[0], clients=8, duration=5.0, mix=parse_mix(DEFAULT_MIX), seed=11, queries=_workload(),
                  warmup=0.5, timeout=60)
    assert res["requests"] > 8, res
    assert res["errors"] == 0, res["error_kinds"]
    assert {"ask", "search", "obligations"} <= set(res), res.keys()
    assert res["all"]["p50_ms"] <= res["all"]["p95_ms"] <= res["all"]["p99_ms"] <= res["all"]["max_ms"]


@pytest.fixture(scope="module")
def keyed(tmp_path_factory):
    """(base URL, knowledge base) of an app with an admin and a read key, over an empty store."""
    kb = KnowledgeBase(Settings(data_dir=tmp_path_factory.mktemp("observe-keyed") / "data"))
    try:
        with served(create_app(Settings(data_dir=kb.settings.data_dir, api_keys={ADMIN: "admin", READER: "read"}),
                               kb=kb)) as url:
            yield url, kb
    finally:
        kb.close()


def test_ingest_counters_move(keyed, tmp_path):
    url, kb = keyed
    source = next(p for p in sorted(CORPUS.iterdir()) if p.suffix == ".md")
    with httpx.Client(base_url=url, timeout=120, trust_env=False) as c:
        before = scrape(c)
        r = c.post("/api/documents", headers={"X-API-Key": ADMIN},
                   files={"file": (source.name, source.read_bytes(), "text/markdown")})
        assert r.status_code == 200, r.text
        item = r.json()["items"][0]
        assert item["status"] == "added" and item["chunks"] > 0
        mid = scrape(c)
        assert sample(mid, "sotay_ingest_documents_total", status="added") - \
            sample(before, "sotay_ingest_documents_total", status="added") == 1
        assert sample(mid, "sotay_ingest_chunks_total") - sample(before, "sotay_ingest_chunks_total") == item["chunks"]
        assert sample(mid, "sotay_ingest_obligations_total") - sample(before, "sotay_ingest_obligations_total") \
            == item["obligations"]
        assert sample(mid, "sotay_store_documents") == sample(before, "sotay_store_documents") + 1

        # the same file again (through the knowledge base, as `sotay ingest` would), and a path that is not there
        report = kb.ingest_paths([source, tmp_path / "khong-co.md"])
        assert [i.status for i in report.items] == ["error", "unchanged"]
        after = scrape(c)
        for status, n in (("unchanged", 1), ("error", 1), ("added", 0), ("updated", 0)):
            assert sample(after, "sotay_ingest_documents_total", status=status) - \
                sample(mid, "sotay_ingest_documents_total", status=status) == n, status
        assert sample(after, "sotay_ingest_chunks_total") == sample(mid, "sotay_ingest_chunks_total")

        # a changed version replaces the old one: "updated"
        changed = tmp_path / source.name
        changed.write_text(source.read_text("utf-8") + "\n\nĐoạn bổ sung để thay phiên bản cũ.\n", "utf-8")
        assert kb.ingest_paths([changed]).items[0].status == "updated"
        last = scrape(c)
        assert sample(last, "sotay_ingest_documents_total", status="updated") - \
            sample(after, "sotay_ingest_documents_total", status="updated") == 1


def test_metrics_access(keyed):
    url, _ = keyed
    with httpx.Client(base_url=url, timeout=30, trust_env=False) as c:
        # keys are configured, yet loopback scrapes need none
        assert c.get("/metrics").status_code == 200
        # from elsewhere: an admin key, and only an admin key
        r = c.get("/metrics", headers=REMOTE)
        assert r.status_code == 401 and r.json()["error"]["code"] == "missing_key"
        r = c.get("/metrics", headers={**REMOTE, "X-API-Key": READER})
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
        r = c.get("/metrics", headers={**REMOTE, "Authorization": "Bearer sai-khoa-" + "c" * 20})
        assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_key"
        assert c.get("/metrics", headers={**REMOTE, "Authorization": f"Bearer {ADMIN}"}).status_code == 200
        assert c.post("/metrics").status_code == 405

        # requests the security guard refuses are counted under their route, not as unknown paths
        before = scrape(c)
        assert c.get("/api/search", params={"q": "kế hoạch"}).status_code == 401
        after = scrape(c)
        assert sample(after, "sotay_http_requests_total", method="GET", route="/api/search", status="4xx") - \
            sample(before, "sotay_http_requests_total", method="GET", route="/api/search", status="4xx") == 1


def test_request_id_reaches_lines_logged_in_route_threads(keyed):
    """The upload route runs in a worker thread and writes an audit line: it carries the request's id."""
    url, _ = keyed
    buf = io.StringIO()
    handler = logging.StreamHandler(buf)
    handler.addFilter(_RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    audit = logging.getLogger("sotay.audit")
    old_level = audit.level
    audit.addHandler(handler)
    audit.setLevel(logging.INFO)
    try:
        with httpx.Client(base_url=url, timeout=60, trust_env=False) as c:
            r = c.post("/api/documents", headers={"X-API-Key": ADMIN, "X-Request-ID": "upload-77"},
                       files={"file": ("ghi-chu.txt", b"\x00\x01\x02 nhi phan", "text/plain")})
            assert 400 <= r.status_code < 500 and r.headers["x-request-id"] == "upload-77"
    finally:
        audit.removeHandler(handler)
        audit.setLevel(old_level)
    lines = [json.loads(ln) for ln in buf.getvalue().splitlines() if ln.strip()]
    assert lines and all(ln["request_id"] == "upload-77" for ln in lines), lines


def test_obligation_lists_follow_writes(keyed):
    """The obligations a role question or /api/obligations filters are kept between requests (the
    scroll of all of them dominated those requests under load): a write must show at once."""
    url, _ = keyed
    source = CORPUS / "222-KH-TU-2023-laichau.txt"
    reader = {"X-API-Key": READER}
    with httpx.Client(base_url=url, timeout=120, trust_env=False) as c:
        def listed() -> list[dict]:
            r = c.get("/api/obligations", headers=reader)
            assert r.status_code == 200, r.text
            return r.json()["obligations"]

        def role_answer() -> dict:
            r = c.post("/api/ask", headers=reader, json={"question": "Tôi là bí thư chi bộ, tôi phải làm gì?"})
            assert r.status_code == 200, r.text
            return r.json()

        listed(), role_answer()  # both kept now
        r = c.post("/api/documents", headers={"X-API-Key": ADMIN},
                   files={"file": (source.name, source.read_bytes(), "text/plain")})
        assert r.status_code == 200, r.text
        item = r.json()["items"][0]
        assert item["obligations"] > 0
        mine = [o for o in listed() if o["citation"]["doc_id"] == item["doc_id"]]
        assert len(mine) == item["obligations"]
        assert any(c_["doc_id"] == item["doc_id"] for c_ in role_answer()["citations"])

        assert c.delete(f"/api/documents/{item['doc_id']}", headers={"X-API-Key": ADMIN}).status_code == 204
        assert not [o for o in listed() if o["citation"]["doc_id"] == item["doc_id"]]
        assert not any(c_["doc_id"] == item["doc_id"] for c_ in role_answer()["citations"])
