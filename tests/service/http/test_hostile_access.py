"""What the red-team pass of issue 16 found at the HTTP surface, against the real service (uvicorn on
loopback, httpx, real embedded stores): an internal document that changes what a read key is told
(item 3), the admin routes' 401, HEAD, the 413 message, a 5,000-character file name, refused uploads
in the metrics, /healthz for readers (item 8), and the work done for an internal id (item 7)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest

from conftest import ROOT, SHARED_EVAL
from service.config import Settings
from service.http.app import create_app
from support.api import assert_error
from support.kb import ingested
from support.keyed import ADMIN, INTERNAL, KEYS, READ, client
from support.serving import serve_in_thread as served

CORPUS = ROOT / "corpus"
MARKER = "Quvandrel"  # a word no shipped document uses

_144 = (CORPUS / "144-QD-TW-2024-chuan-muc-dao-duc.md").read_text(encoding="utf-8")
# An internal regulation sharing the public one's number but the issuer's code (144-QĐ/TU beside
# 144-QĐ/TW), its date, its text, and an article the public extract does not have (Điều 5).
INTERNAL_144 = (_144.replace("number: 144-QĐ/TW", "number: 144-QĐ/TU")
                .replace("issuer: Bộ Chính trị", "issuer: Ban Thường vụ Tỉnh ủy")
                .replace("completeness: partial", "completeness: partial\naccess: internal")
                .replace("Điều 1.", f"Điều 5. Giữ gìn {MARKER}\n\n1. Cán bộ, đảng viên phải giữ gìn {MARKER} "
                                    "trước ngày 30/06/2024.\n\nĐiều 1.", 1))
_222 = (CORPUS / "222-KH-TU-2023-laichau.txt").read_text(encoding="utf-8")
# An internal copy of a public plan, under another number, with the marker word in it.
COPY_222 = ("---\nnumber: 223-KH/TU\nissued: 2023-12-19\naccess: internal\n---\n"
            + _222.replace("222-KH/TU", "223-KH/TU").replace("học tập", f"học tập {MARKER}", 3))

TARGETED = [
    "Điều 5 Quy định 144 nói gì?",
    "Điều 2 Quy định 144 quy định gì?",
    "Quy định 144 có những điều nào?",
    "Điều thứ hai của Quy định 144 là gì?",
    "Quy định 144-QĐ/TU nói gì?",
    "Quy định 144 do ai ban hành, ngày nào?",
    "Văn bản nào được dẫn chiếu nhưng còn thiếu?",
    "Hạn hoàn thành xây dựng kế hoạch cá nhân theo Kế hoạch 222 là khi nào?",
    f"{MARKER} là gì?",
]


def _questions() -> list[str]:
    dev = [json.loads(line)["question"] for line in (SHARED_EVAL / "questions-dev.jsonl").read_text("utf-8").splitlines()
           if line.strip()]
    return TARGETED + dev[::3]  # every third dev question: every kind, in a test-sized set


def _untimed(obj):
    """An answer without its timings (the only part that may differ between two runs)."""
    if isinstance(obj, dict):
        return {k: _untimed(v) for k, v in obj.items() if k != "took_ms"}
    if isinstance(obj, list):
        return [_untimed(v) for v in obj]
    return obj


def _said(r: httpx.Response) -> str:
    if r.headers.get("content-type", "").startswith("application/json"):
        body = json.dumps(_untimed(r.json()), ensure_ascii=False, sort_keys=True)
    elif r.headers.get("content-type", "").startswith("text/calendar"):
        body = re.sub(r"(?m)^DTSTAMP:.*$", "", r.text)  # the time of the export
    else:
        body = r.text
    return f"{r.status_code} {body}"


def _reader_requests(internal_id: str) -> list[tuple[str, str, dict]]:
    out: list[tuple[str, str, dict]] = [("POST", "/api/ask", {"json": {"question": q}}) for q in _questions()]
    out.append(("POST", "/api/ask", {"json": {"question": "Điều 5 của quy định đó nói gì?", "history": []}}))
    for q in ("chuẩn mực đạo đức", "kế hoạch học tập lý luận chính trị", "144", "Điều 2", "nêu gương"):
        out.append(("GET", "/api/search", {"params": {"q": q}}))
    out += [
        ("GET", "/api/search", {"params": {"q": "đạo đức", "doc": "144-QĐ/TW"}}),
        ("GET", "/api/search", {"params": {"q": "đạo đức", "doc": "144-QĐ/TU"}}),
        ("GET", "/api/search", {"params": {"q": "kế hoạch", "type": "Kế hoạch"}}),
        ("GET", "/api/obligations", {}),
        ("GET", "/api/obligations", {"params": {"role": "bí thư chi bộ"}}),
        ("GET", "/api/obligations", {"params": {"doc": "222-KH/TU"}}),
        ("GET", "/api/obligations.ics", {}),
        ("GET", "/api/documents", {}),
        ("GET", "/api/documents/144-qd-tw-2024-05-09", {}),
        ("GET", f"/api/documents/{internal_id}", {}),
        ("POST", "/api/lessons", {"json": {"topic": "chuẩn mực đạo đức cách mạng"}}),
        ("POST", "/api/lessons", {"json": {"topic": "học tập lý luận chính trị", "documents": ["222-KH/TU"]}}),
        ("POST", "/api/lessons.md", {"json": {"topic": "nêu gương"}}),
        ("GET", "/healthz", {}),
    ]
    return out


@pytest.fixture(scope="module")
def twin_urls(tmp_path_factory):
    """The same public documents served twice with the same keys: alone, and beside internal ones."""
    extra = tmp_path_factory.mktemp("internal")
    (extra / "144-QD-TU-noi-bo.md").write_text(INTERNAL_144, encoding="utf-8")
    (extra / "223-KH-TU-ban-sao.txt").write_text(COPY_222, encoding="utf-8")
    with ingested(tmp_path_factory.mktemp("plain") / "data", [CORPUS]) as plain, \
            ingested(tmp_path_factory.mktemp("mixed") / "data", [CORPUS, extra]) as mixed:
        internal = [e["doc_id"] for e in mixed.store.catalog(with_fields=["access"]) if e.get("access") == "internal"]
        assert len(internal) == 2
        with served(create_app(Settings(data_dir=plain.settings.data_dir, api_keys=KEYS), kb=plain)) as a, \
                served(create_app(Settings(data_dir=mixed.settings.data_dir, api_keys=KEYS), kb=mixed)) as b:
            yield a, b, internal, mixed


def test_internal_documents_change_nothing_a_reader_is_told(twin_urls):
    """Item 3: with an internal 144-QĐ/TU beside the public 144-QĐ/TW and an internal copy of a public
    plan, every answer to a read key — ask, search, obligations, calendar, documents, lessons, health —
    is byte for byte the answer of the store without them (timings aside)."""
    plain_url, mixed_url, internal, _ = twin_urls
    differ = []
    with client(plain_url, READ) as plain, client(mixed_url, READ) as mixed:
        for method, path, kw in _reader_requests(internal[0]):
            a, b = _said(plain.request(method, path, **kw)), _said(mixed.request(method, path, **kw))
            assert not a.startswith("5"), (path, kw, a[:300])
            if a != b:
                differ.append((path, kw, a[:200], b[:200]))
    assert not differ, differ[:3]
    # The test could fail: an internal key is told about the internal documents.
    with client(mixed_url, INTERNAL) as insider:
        ans = insider.post("/api/ask", json={"question": f"{MARKER} là gì?"}).json()
        assert any(c["doc_id"] in internal for c in ans["citations"]), ans
        assert insider.get("/healthz").json()["documents"] == 8


def test_a_reader_asking_for_an_internal_id_costs_what_a_missing_id_costs(twin_urls):
    """Item 7: the internal document's entry is not loaded for a reader (its size would show in the
    time of the 404); only for a key that may read it. eval/hostile_timing.py prints the medians."""
    _, mixed_url, internal, kb = twin_urls
    loaded = lambda doc_id: ("entry", doc_id) in kb._cache  # noqa: E731 - the knowledge base's own cache
    with client(mixed_url, READ) as reader, client(mixed_url, INTERNAL) as insider:
        for doc_id in (internal[0], "khong-co-van-ban-nay"):
            r = reader.get(f"/api/documents/{doc_id}")
            assert_error(r, 404, "not_found")
            assert r.json()["error"]["message"] == f"Không có văn bản '{doc_id}' trong kho."
            assert not loaded(doc_id)
        assert insider.get(f"/api/documents/{internal[0]}").status_code == 200
        assert loaded(internal[0])


def test_health_shows_a_reader_only_what_it_may_read(twin_urls):
    plain_url, mixed_url, _, kb = twin_urls
    with client(mixed_url, READ) as reader, client(mixed_url, ADMIN) as admin, client(plain_url, READ) as alone:
        seen = reader.get("/healthz").json()
        assert seen == alone.get("/healthz").json()
        assert "path" not in seen["store"] and str(kb.settings.data_dir) not in json.dumps(seen)
        full = admin.get("/healthz").json()
        assert full["store"]["path"] == str(Path(kb.settings.data_dir).resolve())
        assert full["documents"] == 8 and full["store"]["chunks"] > seen["store"]["chunks"]


def test_admin_routes_answer_401_without_a_key(twin_urls, tmp_path):
    """/api/admin/backup and /api/admin/compact check access themselves (they also take the local
    token of `sotay serve`): 401 without a key or with an unknown one, 403 for a key that is not an
    admin's — as the guard answers everywhere else — and, without any key configured, 403."""
    _, mixed_url, _, _ = twin_urls
    for route in ("/api/admin/backup", "/api/admin/compact"):
        with client(mixed_url) as anon:
            r = anon.post(route)
            assert_error(r, 401, "missing_key")
            assert r.headers["www-authenticate"] == "Bearer"
            assert_error(anon.post(route, headers={"X-API-Key": READ + "x"}), 401, "invalid_key")
        for key in (READ, INTERNAL):
            with client(mixed_url, key) as c:
                assert_error(c.post(route), 403, "forbidden")
    with client(mixed_url, ADMIN) as admin:
        r = admin.post("/api/admin/compact")
        assert r.status_code == 200, r.text
        assert r.json()["documents"] == 8
    with ingested(tmp_path / "data", [CORPUS / "14-KL-TW-2021-bao-ve-can-bo-sang-tao.md"]) as kb, \
            served(create_app(Settings(data_dir=kb.settings.data_dir), kb=kb)) as open_url:
        with client(open_url) as local:
            assert_error(local.post("/api/admin/backup"), 403, "writes_disabled")
            assert_error(local.post("/api/admin/compact"), 403, "writes_disabled")


def test_head_wherever_get(twin_urls):
    """HEAD is answered wherever GET is, with GET's status and headers and no body; the guard treats
    it as the GET (a HEAD without a key is refused like a GET)."""
    _, mixed_url, _, _ = twin_urls
    with client(mixed_url, READ) as reader, client(mixed_url) as anon:
        spec = reader.get("/openapi.json").json()
        gets = [p for p, ops in spec["paths"].items() if "get" in ops and "{" not in p]
        gets += ["/api/documents/144-qd-tw-2024-05-09", "/", "/static/app.js", "/api/search?q=đạo+đức"]
        answered = 0
        for path in gets:
            g, h = reader.get(path), reader.head(path)
            assert h.status_code == g.status_code != 405, (path, h.status_code, g.status_code)
            assert h.content == b"", path
            assert h.headers["content-type"] == g.headers["content-type"], path
            if "content-length" in g.headers and path not in ("/healthz",):
                assert h.headers["content-length"] == g.headers["content-length"], path
            answered += g.status_code == 200
        assert answered >= 8, answered
        assert anon.head("/api/documents").status_code == 401
        assert reader.head("/api/ask").status_code == 405  # POST only
        assert "head" not in json.dumps(spec["paths"]).lower().replace("heading", "")


def test_upload_refusals_name_the_limit_and_the_name_and_are_counted(tmp_path):
    """The 413 states the configured limit; a 5,000-character file name is refused about the name;
    every refused upload — by the guard, the form parser or the checks — counts as an ingest error."""
    with ingested(tmp_path / "data", [CORPUS / "14-KL-TW-2021-bao-ve-can-bo-sang-tao.md"]) as kb, \
            served(create_app(Settings(data_dir=kb.settings.data_dir, api_keys=KEYS, upload_max_mb=1), kb=kb)) as url:
        def errors() -> float:
            text = httpx.get(url + "/metrics").text
            return float(re.search(r'sotay_ingest_documents_total\{status="error"\} (\S+)', text).group(1))

        before = errors()
        with client(url, ADMIN) as admin:
            r = admin.post("/api/documents", files={"file": ("lon.txt", b"van ban " * 400_000)})
            err = assert_error(r, 413, "too_large")
            assert "1 MB" in err["message"] and "2 MB" not in err["message"], err
            err = assert_error(admin.post("/api/documents", files={"file": ("x" * 5000 + ".txt", b"KE HOACH")}),
                               400, "name_too_long")
            assert "tên tệp" in err["message"].lower()
            assert_error(admin.post("/api/documents", files={"file": ("anh.txt", b"\x89PNG\r\n\x1a\n" + bytes(99))}),
                         415)
            assert_error(admin.post("/api/documents", files={"file": ("trong.txt", b"  \n")}), 422, "empty")
            ok = admin.post("/api/documents", files={"file": ("ten-vua.txt", b"KE HOACH\n1. Chi bo hop.\n")})
            assert ok.status_code == 200, ok.text
        assert errors() - before == 4
