"""Access control and web hardening (service/http/security.py, CONTRACT "Security") against the real
service: uvicorn on loopback (or TestClient where the client must not be local), httpx, a real
embedded store with the shipped corpus plus one `access: internal` document carrying a marker word
(tests/service/http/conftest.py). Keys and the loopback rule on their own: test_keys.py; uploads:
test_uploads.py; the web chat under its CSP in a browser: tests/journeys/test_web.py.
"""
from __future__ import annotations

import io
import json
import logging
import re
import zipfile

import httpx
from fastapi.testclient import TestClient

from conftest import ROOT
from ingest.normalize import fold
from service.config import Settings
from service.http.app import create_app
from support.api import assert_error
from support.keyed import (ADMIN, CITED_ONLY_BY_INTERNAL, INTERNAL, INTERNAL_NUMBER, KEYS, MARKER, READ, bare_health,
                           client)
from support.serving import serve_in_thread as served


def test_keys_scopes_401_and_403(keyed_url):
    with client(keyed_url) as anon:
        err = assert_error(anon.get("/api/documents"), 401, "missing_key")
        assert "Bearer" in err["message"]
        assert anon.get("/api/documents").headers["www-authenticate"] == "Bearer"
        assert_error(anon.get("/api/search", params={"q": "kế hoạch"}), 401, "missing_key")
        assert_error(anon.post("/api/ask", json={"question": "kế hoạch"}), 401, "missing_key")
        assert_error(anon.delete("/api/documents/x"), 401, "missing_key")
        assert_error(anon.get("/api/khong-co"), 401, "missing_key")  # unknown routes are not open either
        # A key is never matched by a prefix, an extension, a case change or the wrong scheme.
        for wrong in (READ[:-1], READ + "x", READ.upper(), ADMIN[:8], "0", "' OR 1=1 --"):
            r = anon.get("/api/documents", headers={"X-API-Key": wrong})
            assert r.status_code == 401, (wrong, r.text)
        assert_error(anon.get("/api/documents", headers={"Authorization": f"Bearer {READ}x"}), 401, "invalid_key")
        assert_error(anon.get("/api/documents", headers={"Authorization": f"Basic {READ}"}), 401, "missing_key")
        # The open pages need no key; /healthz says only that the service is up.
        assert anon.get("/").status_code == 200
        assert anon.get("/static/app.js").status_code == 200
        assert anon.get("/openapi.json").status_code == 200
        assert bare_health(anon.get("/healthz"))

    for how in ("x-api-key", "Bearer", "bearer"):
        with client(keyed_url, READ, how) as reader:
            assert reader.get("/api/documents").status_code == 200, how
    with client(keyed_url, READ) as reader:
        assert reader.get("/healthz").json()["documents"] == 6  # the internal one is not counted
        assert_error(reader.post("/api/documents", files={"file": ("a.txt", b"x")}), 403, "forbidden")
        assert_error(reader.delete("/api/documents/x"), 403, "forbidden")
    with client(keyed_url, INTERNAL) as insider:
        assert insider.get("/healthz").json()["documents"] == 7
        assert_error(insider.delete("/api/documents/x"), 403, "forbidden")
    with client(keyed_url, ADMIN) as admin:
        assert admin.get("/api/documents").status_code == 200  # admin implies internal implies read
        assert_error(admin.delete("/api/documents/khong-co"), 404, "not_found")


def test_without_keys_reads_on_loopback_only_and_no_writes(keyed_kb, caplog):
    caplog.set_level(logging.INFO, logger="sotay.security")
    app = create_app(kb=keyed_kb)  # keyed_kb.settings: no keys
    with served(app) as url, client(url) as local:
        assert local.get("/api/documents").status_code == 200
        assert local.get("/api/search", params={"q": "kế hoạch"}).status_code == 200
        assert local.get("/healthz").json()["documents"] == 6  # loopback reads see public documents only
        assert_error(local.post("/api/documents", files={"file": ("a.txt", "Văn bản".encode())}), 403,
                     "writes_disabled")
        assert_error(local.delete("/api/documents/x"), 403, "writes_disabled")
        assert_error(local.get("/api/documents", headers={"X-API-Key": READ}), 401, "invalid_key")
        # Relayed by a proxy on this host: the real client is elsewhere.
        for relayed in ({"X-Forwarded-For": "203.0.113.9"}, {"Forwarded": "for=203.0.113.9"},
                        {"X-Real-IP": "203.0.113.9"}):
            assert_error(local.get("/api/documents", headers=relayed), 403, "local_only")
    assert any("no API keys configured" in r.getMessage() and "loopback" in r.getMessage() for r in caplog.records)
    # TestClient's peer ("testclient") is not a loopback address: refused, as any remote client would be.
    with TestClient(create_app(kb=keyed_kb)) as remote:
        assert_error(remote.get("/api/documents"), 403, "local_only")
        assert_error(remote.post("/api/ask", json={"question": "kế hoạch"}), 403, "local_only")
        assert bare_health(remote.get("/healthz"))
        assert remote.get("/").status_code == 200


def _requests(internal_id: str) -> list[tuple[str, str, dict]]:
    asks = [f"{MARKER} là gì?", f"Hạn hoàn thành báo cáo {MARKER} là khi nào?",
            "Hạn hoàn thành báo cáo học tập lý luận chính trị là khi nào?",
            "Chi bộ phải tổ chức sinh hoạt chuyên đề về nêu gương đạo đức cách mạng thế nào?",
            "Bí thư chi bộ phải xây dựng kế hoạch cá nhân về tu dưỡng, rèn luyện đạo đức khi nào?",
            "Kế hoạch 777 của Tỉnh ủy nói gì?", "Chỉ thị 987-CT/TW của Ban Bí thư", "mèo vũ trụ bay lượn trên sao Hỏa"]
    reqs: list[tuple[str, str, dict]] = [("POST", "/api/ask", {"json": {"question": q}}) for q in asks]
    reqs += [("POST", "/api/ask", {"json": {"question": "Tôi phải làm gì?", "role": "bí thư chi bộ", "k": 20}}),
             ("POST", "/api/ask", {"json": {"question": "Việc phải làm trong năm 2024", "role": "bí thư đảng ủy xã"}})]
    for q in (MARKER, MARKER.lower(), "báo cáo học tập lý luận chính trị", "sinh hoạt chuyên đề nêu gương",
              "kế hoạch cá nhân tu dưỡng rèn luyện đạo đức", "Chỉ thị 987", "777-KH/TU"):
        reqs.append(("GET", "/api/search", {"params": {"q": q, "k": 100}}))
    reqs.append(("GET", "/api/search", {"params": {"q": "kế hoạch", "k": 100, "type": "Kế hoạch"}}))
    for params in ({}, {"role": "bí thư chi bộ"}, {"due_from": "2024-03-01", "due_to": "2024-06-30"}):
        reqs += [("GET", "/api/obligations", {"params": params}), ("GET", "/api/obligations.ics", {"params": params})]
    reqs += [("GET", "/api/documents", {}), ("GET", "/api/roles", {}), ("GET", "/healthz", {})]
    # The lesson builder and its exports (topics without the marker: a lesson's title repeats its topic).
    for path in ("/api/lessons", "/api/lessons.md", "/api/lessons.docx"):
        for topic in ("học tập lý luận chính trị", "nêu gương đạo đức cách mạng", "kế hoạch cá nhân tu dưỡng",
                      "báo cáo kết quả trong Quý II/2024"):
            reqs.append(("POST", path, {"json": {"topic": topic}}))
    return reqs


def _echo_free(r: httpx.Response) -> str:
    """The response as text, without what merely echoes the request (an answer repeats the question);
    a .docx is unzipped."""
    ctype = r.headers.get("content-type", "")
    if ctype.startswith("application/json"):
        body = r.json()
        if isinstance(body, dict):
            body.pop("question", None)
        return json.dumps(body, ensure_ascii=False)
    if "wordprocessingml" in ctype:
        with zipfile.ZipFile(io.BytesIO(r.content)) as z:
            return " ".join(re.sub(r"<[^>]+>", "", z.read(n).decode("utf-8", "replace")) for n in z.namelist()
                            if n.endswith(".xml"))
    return r.text


def _leaks(text: str, internal_id: str) -> list[str]:
    folded = fold(text).lower()
    found = [w for w in (MARKER, INTERNAL_NUMBER, CITED_ONLY_BY_INTERNAL) if fold(w).lower() in folded]
    return found + ([internal_id] if internal_id in text else [])


def test_no_route_leaks_an_internal_document_to_a_read_key(keyed_url, internal_id, keyed_kb):
    reqs = _requests(internal_id)
    seen_by_insider: set[str] = set()
    with client(keyed_url, READ) as reader, client(keyed_url, INTERNAL) as insider:
        for method, path, kw in reqs:
            r = reader.request(method, path, **kw)
            assert r.status_code < 500, (path, kw, r.text[:300])
            leaked = _leaks(_echo_free(r), internal_id)
            assert not leaked, (method, path, kw, leaked, r.text[:1500])
            if _leaks(_echo_free(insider.request(method, path, **kw)), internal_id):
                seen_by_insider.add(path)
        # Naming the internal document (by doc_id or number) is answered exactly as naming one that is
        # not there; the internal key gets it.
        absent_id = internal_id.replace("777", "778")
        by_name = [("GET", "/api/documents/{}", None, (internal_id, absent_id))]
        for ident, absent in ((internal_id, absent_id), (INTERNAL_NUMBER, "778-KH/TU")):
            by_name += [("GET", "/api/search", {"q": "kế hoạch", "doc": "{}"}, (ident, absent)),
                        ("GET", "/api/obligations", {"doc": "{}"}, (ident, absent)),
                        ("GET", "/api/obligations.ics", {"doc": "{}"}, (ident, absent))]
        for method, path, params, (ident, absent) in by_name:
            def call(c: httpx.Client, name: str) -> httpx.Response:
                filled = {k: v.format(name) for k, v in params.items()} if params else None
                return c.request(method, path.format(name), params=filled)

            got, none = call(reader, ident), call(reader, absent)
            assert got.status_code == none.status_code == 404, (path, ident, got.text)
            assert got.text.replace(ident, "X") == none.text.replace(absent, "X"), (got.text, none.text)
            mine = call(insider, ident)
            assert mine.status_code == 200 and _leaks(_echo_free(mine), internal_id), (path, ident, mine.text[:300])
        for topic_doc in ([INTERNAL_NUMBER], [internal_id]):
            body = {"topic": "học tập lý luận chính trị", "documents": topic_doc}
            got = reader.post("/api/lessons", json=body)
            none = reader.post("/api/lessons", json={**body, "documents": [topic_doc[0].replace("777", "778")]})
            assert got.status_code == none.status_code and got.status_code >= 400, got.text
            assert not _leaks(_echo_free(got).replace(topic_doc[0], ""), internal_id)
        # The read key's missing-reference list does not carry the reference only the internal one cites.
        missing = {m["number"] for m in reader.get("/api/documents").json()["missing"]}
        insider_missing = {m["number"]: m for m in insider.get("/api/documents").json()["missing"]}
        assert CITED_ONLY_BY_INTERNAL not in missing
        assert insider_missing[CITED_ONLY_BY_INTERNAL]["cited_by"] == [internal_id]
        doc = insider.get(f"/api/documents/{internal_id}").json()
        assert MARKER in doc["text"] and doc["number"] == INTERNAL_NUMBER
    # The same requests do show the document to an internal key: the test could fail.
    for path in ("/api/ask", "/api/search", "/api/obligations", "/api/obligations.ics", "/api/documents",
                 "/api/lessons", "/api/lessons.md", "/api/lessons.docx"):
        assert path in seen_by_insider, (path, seen_by_insider)


def test_related_passages_are_filtered_too(keyed_url, internal_id):
    """An unanswerable question's "may be related" passages: the internal key's include the internal
    document, the read key's never do."""
    q = {"question": f"{MARKER} {MARKER} {MARKER} phi hành gia"}
    with client(keyed_url, READ) as reader, client(keyed_url, INTERNAL) as insider:
        ri, rr = insider.post("/api/ask", json=q).json(), reader.post("/api/ask", json=q).json()
    assert ri["kind"] == "none" and any(p["doc_id"] == internal_id for p in ri["related"]), ri
    assert rr["kind"] == "none" and all(p["doc_id"] != internal_id for p in rr["related"]), rr


def test_security_headers(keyed_url):
    with client(keyed_url, READ) as c:
        for path in ("/", "/static/app.js", "/static/app.css", "/api/documents", "/api/khong-co", "/healthz"):
            r = c.get(path)
            csp = r.headers["content-security-policy"]
            assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
            assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
            assert r.headers["x-content-type-options"] == "nosniff"
            assert r.headers["x-frame-options"] == "DENY"
            assert r.headers["referrer-policy"] == "no-referrer"
            assert "access-control-allow-origin" not in r.headers
        assert c.get("/api/documents").headers["cache-control"] == "no-store"
        # the API docs are served from the service itself (offline): no external origin is allowed
        assert "http" not in c.get("/docs").headers["content-security-policy"]
        # No CORS unless configured: a preflight from another origin gets no permission.
        r = c.options("/api/ask", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
        assert "access-control-allow-origin" not in r.headers
        r = c.get("/api/documents", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in r.headers


def test_web_page_has_nothing_inline():
    """What the CSP forbids is absent from the page's own files (the browser test below checks the
    behaviour; this names the culprit when it fails)."""
    web = ROOT / "service" / "web"
    html = (web / "index.html").read_text("utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert "<style" not in html and not re.search(r"\sstyle\s*=", html), "inline style"
    assert not re.search(r"\son[a-z]+\s*=", html), "event-handler attribute"
    for js in web.glob("*.js"):
        src = js.read_text("utf-8")
        assert not re.search(r"\beval\(|new Function\(|\.innerHTML\s*=|\.style\.cssText|setAttribute\(\s*['\"]style",
                             src), js.name


def test_cors_only_for_configured_origins(keyed_kb):
    settings = Settings(data_dir=keyed_kb.settings.data_dir, api_keys=KEYS, cors_origins=("https://so-tay.example",))
    with TestClient(create_app(settings, kb=keyed_kb)) as c:
        pre = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-api-key, content-type"}
        r = c.options("/api/ask", headers={"Origin": "https://so-tay.example", **pre})
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "https://so-tay.example"
        assert "x-api-key" in r.headers["access-control-allow-headers"].lower()
        r = c.options("/api/ask", headers={"Origin": "https://evil.example", **pre})
        assert r.status_code == 400 and "access-control-allow-origin" not in r.headers
        r = c.get("/api/documents", headers={"Origin": "https://so-tay.example", "X-API-Key": READ})
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "https://so-tay.example"
        r = c.get("/api/documents", headers={"Origin": "https://so-tay.example"})
        assert r.status_code == 401  # CORS lets the browser in; the key is still needed


def test_rate_limit_per_key_and_per_address(keyed_kb):
    settings = Settings(data_dir=keyed_kb.settings.data_dir, api_keys=KEYS, rate_limit="3/minute")
    with TestClient(create_app(settings, kb=keyed_kb)) as c:
        a, b = {"X-API-Key": READ}, {"X-API-Key": INTERNAL}
        for _ in range(3):
            assert c.get("/api/search", params={"q": "kế hoạch"}, headers=a).status_code == 200
        r = c.get("/api/search", params={"q": "kế hoạch"}, headers=a)
        err = assert_error(r, 429, "rate_limited")
        wait = int(r.headers["retry-after"])
        assert 1 <= wait <= 60 and str(wait) in err["message"]
        assert c.get("/api/search", params={"q": "kế hoạch"}, headers=b).status_code == 200  # another key
        assert c.post("/api/ask", json={"question": "kế hoạch"}, headers=a).status_code == 200  # another route
        assert c.get("/api/documents", headers=a).status_code == 200  # not a limited route
        lessons = [c.post("/api/lessons", json={"topic": "nêu gương"}, headers=a).status_code for _ in range(4)]
        assert lessons == [200, 200, 200, 429]  # lessons have their own bucket
    # Without a key the client address is counted.
    app = create_app(Settings(data_dir=keyed_kb.settings.data_dir, rate_limit="2/minute"), kb=keyed_kb)
    with served(app) as url, client(url) as local:
        codes = [local.get("/api/search", params={"q": "kế hoạch"}).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
