"""Access control, uploads and web hardening (issue 7, CONTRACT "Security"), against the real service:
uvicorn on loopback (or TestClient where the client must not be local), httpx, a real embedded store
with the shipped corpus plus one `access: internal` document carrying a marker word, and headless
Chromium for the Content-Security-Policy.
"""
from __future__ import annotations

import io
import json
import logging
import re
import zipfile
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from fixtures_gen import (docx_with_huge_member, docx_with_many_entries, encrypted_pdf, fake_ole2, make_docx, make_pdf,
                          make_pdf_without_text, to_tcvn3)
from ingest.normalize import fold
from eval.serve import serve_in_thread as served
from service.http import keys
from service.http.app import create_app
from service.config import Settings
from service.knowledge import KnowledgeBase
from service.http.uploads import display_name

ROOT = Path(__file__).resolve().parents[1]
VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)

READ, INTERNAL, ADMIN = "doc-0123456789abcdef", "noibo-0123456789abcdef", "quantri-0123456789abcdef"
KEYS = {READ: "read", INTERNAL: "internal", ADMIN: "admin"}

MARKER = "Xkorbanit"  # a word no public document uses
INTERNAL_NUMBER, CITED_ONLY_BY_INTERNAL = "777-KH/TU", "987-CT/TW"
INTERNAL_DOC = f"""---
number: {INTERNAL_NUMBER}
type: Kế hoạch
title: Kế hoạch về công tác {MARKER} trong học tập lý luận chính trị
issued: 2024-02-20
issuer: Ban Thường vụ Tỉnh ủy
access: internal
---
KẾ HOẠCH
về công tác {MARKER} trong học tập lý luận chính trị

Thực hiện Chỉ thị số {CITED_ONLY_BY_INTERNAL} ngày 01/02/2024 của Ban Bí thư về công tác {MARKER}, Ban Thường vụ Tỉnh ủy ban hành kế hoạch {MARKER} như sau:

I. MỤC ĐÍCH, YÊU CẦU
1. Các cấp ủy, tổ chức đảng phải hoàn thành báo cáo {MARKER} về học tập lý luận chính trị trước ngày 15/03/2024.
2. Chi bộ phải tổ chức sinh hoạt chuyên đề {MARKER} về nêu gương đạo đức cách mạng hằng tháng.

II. TỔ CHỨC THỰC HIỆN
1. Bí thư chi bộ phải xây dựng kế hoạch cá nhân {MARKER} về tu dưỡng, rèn luyện đạo đức chậm nhất ngày 30/04/2024.
2. Ban Tuyên giáo Tỉnh ủy chủ trì hướng dẫn học tập {MARKER}, báo cáo kết quả {MARKER} trong Quý II/2024.
"""


def assert_error(r: httpx.Response, status: int, code: str | None = None) -> dict:
    assert r.status_code == status, (r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith("application/json"), r.headers
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    assert VIETNAMESE.search(body["error"]["message"]), body
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]


def bare_health(r: httpx.Response) -> bool:
    """/healthz for a caller who may not read: up, and nothing about the store."""
    body = r.json()
    return r.status_code == 200 and body["status"] == "ok" and body.get("store") is None and body.get("documents") is None


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("security")
    (tmp / "extra").mkdir()
    (tmp / "extra" / "777-KH-TU-noi-bo.md").write_text(INTERNAL_DOC, encoding="utf-8")
    the_kb = KnowledgeBase(Settings(data_dir=tmp / "data"))
    report = the_kb.ingest_paths([ROOT / "corpus", tmp / "extra"])
    assert not report.errors, report.to_json()
    yield the_kb
    the_kb.close()


@pytest.fixture(scope="module")
def internal_id(kb) -> str:
    ids = [e["doc_id"] for e in kb.store.catalog(with_fields=["number", "access"])
           if e.get("number") == INTERNAL_NUMBER]
    assert len(ids) == 1 and kb.store.catalog_entry(ids[0])["access"] == "internal"
    return ids[0]


@pytest.fixture(scope="module")
def base_url(kb):
    with served(create_app(Settings(data_dir=kb.settings.data_dir, api_keys=KEYS), kb=kb)) as url:
        yield url


def client(base_url: str, key: str | None = None, how: str = "x-api-key") -> httpx.Client:
    headers = {}
    if key is not None:
        headers = {"X-API-Key": key} if how == "x-api-key" else {"Authorization": f"{how} {key}"}
    return httpx.Client(base_url=base_url, headers=headers, timeout=60, trust_env=False)


def store_state(kb: KnowledgeBase) -> tuple:
    """Everything a refused upload must leave as it was: the catalog and the point counts."""
    return (json.dumps(kb.store.catalog(), sort_keys=True, ensure_ascii=False, default=str), kb.stats())


# --------------------------------------------------------------------------------------------
# keys and scopes
# --------------------------------------------------------------------------------------------


def test_keys_scopes_401_and_403(base_url):
    with client(base_url) as anon:
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
        with client(base_url, READ, how) as reader:
            assert reader.get("/api/documents").status_code == 200, how
    with client(base_url, READ) as reader:
        assert reader.get("/healthz").json()["documents"] == 6  # the internal one is not counted
        assert_error(reader.post("/api/documents", files={"file": ("a.txt", b"x")}), 403, "forbidden")
        assert_error(reader.delete("/api/documents/x"), 403, "forbidden")
    with client(base_url, INTERNAL) as insider:
        assert insider.get("/healthz").json()["documents"] == 7
        assert_error(insider.delete("/api/documents/x"), 403, "forbidden")
    with client(base_url, ADMIN) as admin:
        assert admin.get("/api/documents").status_code == 200  # admin implies internal implies read
        assert_error(admin.delete("/api/documents/khong-co"), 404, "not_found")


def test_keyring_and_scopes():
    ring = keys.KeyRing({"a" * 20: "read", "b" * 20: "admin", "c" * 20: " Internal "})
    assert ring.scope_of("a" * 20) == "read" and ring.scope_of("b" * 20) == "admin"
    assert ring.scope_of("c" * 20) == "internal"
    assert ring.scope_of("a" * 19) is None and ring.scope_of("") is None and ring.scope_of("\udcff") is None
    assert not keys.KeyRing({}) and ring.counts() == {"read": 1, "admin": 1, "internal": 1}
    kid = keys.key_id("a" * 20)
    assert kid.startswith("sha256:") and "a" * 8 not in kid
    with pytest.raises(keys.SecurityConfigError) as e:
        create_app(Settings(api_keys={"k" * 20: "superuser"}))
    assert "superuser" in e.value.message and "k" * 20 not in e.value.message  # the key is not echoed
    with pytest.raises(keys.SecurityConfigError):
        create_app(Settings(rate_limit="nhanh lắm"))
    # Configuration from the environment
    env = Settings.from_env({"SOTAY_API_KEYS": f"{READ}:read, {ADMIN}:admin", "SOTAY_UPLOAD_MAX_MB": "5",
                             "SOTAY_CORS_ORIGINS": "https://a.vn, https://b.vn", "SOTAY_RATE_LIMIT": "off"})
    assert env.api_keys == {READ: "read", ADMIN: "admin"} and READ not in repr(env)
    assert env.upload_max_mb == 5 and env.cors_origins == ("https://a.vn", "https://b.vn") and env.rate_limit is None
    assert Settings.from_env({}).rate_limit == "60/minute"
    with pytest.raises(ValueError):
        Settings.from_env({"SOTAY_UPLOAD_MAX_PAGES": "-3"})


def test_loopback_rule():
    for host in ("127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"):
        assert keys.is_loopback(host), host
    for host in ("10.0.0.1", "192.168.1.5", "::ffff:10.0.0.1", "2001:db8::1", "testclient", "localhost", "", None):
        assert not keys.is_loopback(host), host


def test_without_keys_reads_on_loopback_only_and_no_writes(kb, caplog):
    caplog.set_level(logging.INFO, logger="sotay.security")
    app = create_app(kb=kb)  # kb.settings: no keys
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
    with TestClient(create_app(kb=kb)) as remote:
        assert_error(remote.get("/api/documents"), 403, "local_only")
        assert_error(remote.post("/api/ask", json={"question": "kế hoạch"}), 403, "local_only")
        assert bare_health(remote.get("/healthz"))
        assert remote.get("/").status_code == 200


# --------------------------------------------------------------------------------------------
# access levels: nothing of an internal document reaches a read key
# --------------------------------------------------------------------------------------------


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


def test_no_route_leaks_an_internal_document_to_a_read_key(base_url, internal_id, kb):
    reqs = _requests(internal_id)
    seen_by_insider: set[str] = set()
    with client(base_url, READ) as reader, client(base_url, INTERNAL) as insider:
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


def test_related_passages_are_filtered_too(base_url, internal_id):
    """An unanswerable question's "may be related" passages: the internal key's include the internal
    document, the read key's never do."""
    q = {"question": f"{MARKER} {MARKER} {MARKER} phi hành gia"}
    with client(base_url, READ) as reader, client(base_url, INTERNAL) as insider:
        ri, rr = insider.post("/api/ask", json=q).json(), reader.post("/api/ask", json=q).json()
    assert ri["kind"] == "none" and any(p["doc_id"] == internal_id for p in ri["related"]), ri
    assert rr["kind"] == "none" and all(p["doc_id"] != internal_id for p in rr["related"]), rr


# --------------------------------------------------------------------------------------------
# uploads and deletions
# --------------------------------------------------------------------------------------------


UPLOAD_TXT = """KẾ HOẠCH
Thực hiện chuyên đề Zuvelmor năm 2024

1. Các chi bộ phải tổ chức học tập chuyên đề Zuvelmor trước ngày 31/05/2024.
2. Đảng viên viết bản thu hoạch Zuvelmor.
"""


def test_upload_formats_access_override_delete_and_audit(base_url, kb, caplog):
    caplog.set_level(logging.INFO, logger="sotay.audit")
    lines = [ln for ln in UPLOAD_TXT.splitlines() if ln.strip()]
    files = {
        "ke-hoach.txt": UPLOAD_TXT.encode(),
        "ke-hoach.md": ("---\nnumber: 31-KH/ĐU\nissued: 2024-04-01\n---\n" + UPLOAD_TXT).encode(),
        "ke-hoach.docx": make_docx(lines),
        "ke-hoach.pdf": make_pdf([lines]),
    }
    with client(base_url, ADMIN) as admin, client(base_url, READ) as reader, client(base_url, INTERNAL) as insider:
        for name, data in files.items():
            before = len(reader.get("/api/documents").json()["documents"])
            r = admin.post("/api/documents", files={"file": (name, data, "application/octet-stream")})
            assert r.status_code == 200, (name, r.text)
            summary = r.json()
            assert summary["counts"] == {"added": 1}, summary
            item = summary["items"][0]
            assert item["source"] == name and item["chunks"] >= 1 and item["status"] == "added"
            hits = reader.get("/api/search", params={"q": "Zuvelmor"}).json()["hits"]
            assert hits and all(h["doc_id"] == item["doc_id"] for h in hits)
            assert len(reader.get("/api/documents").json()["documents"]) == before + 1
            # The same upload again changes nothing.
            again = admin.post("/api/documents", files={"file": (name, data)}).json()
            assert again["counts"] == {"unchanged": 1}
            r = admin.delete(f"/api/documents/{item['doc_id']}")
            assert r.status_code == 204 and r.content == b""
            assert reader.get("/api/search", params={"q": "Zuvelmor"}).json()["hits"] == []
            assert_error(admin.delete(f"/api/documents/{item['doc_id']}"), 404, "not_found")

        # The form's access overrides the front matter, both ways.
        r = admin.post("/api/documents", files={"file": ("mat.txt", UPLOAD_TXT.encode())}, data={"access": "internal"})
        doc_id = r.json()["items"][0]["doc_id"]
        assert reader.get("/api/search", params={"q": "Zuvelmor"}).json()["hits"] == []
        assert_error(reader.get(f"/api/documents/{doc_id}"), 404, "not_found")
        assert insider.get(f"/api/documents/{doc_id}").status_code == 200
        public = "---\naccess: internal\n---\n" + UPLOAD_TXT
        r = admin.post("/api/documents", files={"file": ("mat.md", public.encode())}, data={"access": "public"})
        assert r.json()["items"][0]["doc_id"] == doc_id and r.json()["counts"] == {"updated": 1}
        assert reader.get(f"/api/documents/{doc_id}").status_code == 200
        assert admin.delete(f"/api/documents/{doc_id}").status_code == 204
        assert_error(admin.post("/api/documents", files={"file": ("a.txt", UPLOAD_TXT.encode())},
                                data={"access": "secret"}), 400)
        assert_error(admin.post("/api/documents", data={"access": "public"}), 400, "missing_field")
        assert_error(admin.post("/api/documents", files={"file": ("anh.txt", b"\x89PNG\r\n\x1a\n" + bytes(99))}), 415)
        # A name is a label, never a path.
        r = admin.post("/api/documents", files={"file": ("../../etc/\u202egnp.txt\u200b", UPLOAD_TXT.encode())})
        item = r.json()["items"][0]
        assert item["source"] == "gnp.txt", item
        assert admin.delete(f"/api/documents/{item['doc_id']}").status_code == 204

    audit = [json.loads(r.getMessage()) for r in caplog.records if r.name == "sotay.audit"]
    assert {a["action"] for a in audit} == {"upload", "delete"}
    for a in audit:
        assert set(a) >= {"time", "key", "client", "action", "doc_id", "result"}
        assert a["key"] == keys.key_id(ADMIN) and a["client"] == "127.0.0.1"
        assert ADMIN not in json.dumps(a)
    assert [a["result"] for a in audit if a["action"] == "delete"].count("deleted") == 6
    assert any(a["result"] == "not_found" for a in audit)
    assert any(a["result"].startswith("refused:") for a in audit)
    with client(base_url, READ) as reader:
        reader.delete("/api/documents/x")
    denied = [json.loads(r.getMessage()) for r in caplog.records if r.name == "sotay.audit"][-1]
    assert denied["result"] == "denied:forbidden" and denied["key"] == keys.key_id(READ)


def test_display_names():
    cases = {"../../etc/passwd": "passwd", "C:\\Users\\a\\ke hoach.docx": "ke hoach.docx", "\u202egnp.txt": "gnp.txt",
             "...": "tai-lieu", "": "tai-lieu", None: "tai-lieu", ".bashrc.md": "bashrc.md", "a\nb\x00c.txt": "a bc.txt",
             "Kết luận 01.md": "Kết luận 01.md", "Ke\u0302\u0301 hoa\u0323ch.txt": "Kế hoạch.txt", "x.pdf. . ": "x.pdf"}
    for raw, want in cases.items():
        assert display_name(raw) == want, (raw, display_name(raw))
    long = display_name("đ" * 500 + ".docx")
    assert len(long) <= 120 and long.endswith(".docx")


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def _refusals() -> list[tuple[str, str, bytes, int, str]]:
    docx = make_docx(["KẾ HOẠCH", "1. Các chi bộ phải học tập."])
    png = b"\x89PNG\r\n\x1a\n" + bytes(200)
    return [
        ("too big for the upload limit", "lon.txt", ("Văn bản " * 140_000).encode(), 413, "too_large"),
        ("empty", "trong.txt", b"  \n\t ", 422, "empty"),
        ("an image named .pdf", "anh.pdf", png, 415, "unsupported"),
        ("an image named .txt", "anh.txt", png, 415, "unsupported"),
        ("a spreadsheet named .docx", "bang.docx", _zip({"xl/workbook.xml": b"<x/>", "[Content_Types].xml": b"<x/>"}),
         415, "unsupported"),
        ("an old .doc", "cu.doc", fake_ole2(), 415, "unsupported"),
        ("a password-protected .docx", "mat-khau.docx", fake_ole2(encrypted=True), 422, "encrypted"),
        ("a password-protected PDF", "mat-khau.pdf", encrypted_pdf([["Kế hoạch"]], "mat-khau"), 422, "encrypted"),
        ("a program", "x.txt", b"\x7fELF" + bytes(500), 415, "unsupported"),
        ("NUL-filled binary", "nul.txt", b"\x00\x01\x02" * 500, 415, "binary"),
        ("legacy TCVN3 bytes", "cu.txt", to_tcvn3("Kế hoạch học tập của các chi bộ trong tỉnh năm 2024. " * 20),
         422, "legacy_encoding"),
        ("truncated docx", "cut.docx", docx[: len(docx) // 2], 422, "corrupt"),
        ("docx zip bomb (ratio)", "bom.docx", docx_with_huge_member(docx, 60), 413, "too_large"),
        ("docx with too many entries", "nhieu.docx", docx_with_many_entries(docx, 2_100), 413, "too_large"),
        ("PDF over the page limit", "dai.pdf", make_pdf([["Trang"]] * 4), 413, "too_large"),
        ("PDF without a text layer", "quet.pdf", make_pdf_without_text(2), 422, "no_text_layer"),
        ("PDF cut short", "hong.pdf", make_pdf([["Kế hoạch"]])[:300], 422, "corrupt"),
        ("front matter never closed", "fm.md", b"---\nnumber: 1-KH/TU\ntitle: x\nVan ban", 422, "front_matter"),
    ]


@pytest.fixture(scope="module")
def small_limits_url(kb):
    """The same store behind an app with small limits (1 MB uploads, 3 PDF pages), and no rate limit."""
    settings = Settings(data_dir=kb.settings.data_dir, api_keys=KEYS, upload_max_mb=1, upload_max_pages=3)
    with served(create_app(settings, kb=kb)) as url:
        yield url


@pytest.mark.parametrize("case", _refusals(), ids=[c[0] for c in _refusals()])
def test_refused_upload_leaves_the_store_as_it_was(small_limits_url, kb, case):
    _, name, data, status, code = case
    before = store_state(kb)
    with client(small_limits_url, ADMIN) as admin:
        r = admin.post("/api/documents", files={"file": (name, data, "application/octet-stream")})
    assert_error(r, status, code)
    assert store_state(kb) == before


def test_body_limit(small_limits_url, kb, caplog):
    caplog.set_level(logging.INFO, logger="sotay.audit")
    before = store_state(kb)
    with client(small_limits_url, ADMIN) as admin:
        big = b"a" * (3 * 1024 * 1024)
        # Declared too big: refused before the body is read (and audited: it is an admin request).
        assert_error(admin.post("/api/documents", files={"file": ("a.txt", big)}), 413, "too_large")
        line = json.loads([r for r in caplog.records if r.name == "sotay.audit"][-1].getMessage())
        assert line["action"] == "upload" and line["status"] == 413 and line["result"] == "refused:http_413"
        assert_error(admin.post("/api/ask", content=big, headers={"content-type": "application/json"}), 413,
                     "too_large")

        # Streamed without a length (chunked): cut off once it passes the limit.
        def chunks():
            for _ in range(48):
                yield b"b" * 65536

        r = admin.post("/api/ask", content=chunks(), headers={"content-type": "application/json"})
        assert "content-length" not in r.request.headers
        assert_error(r, 413, "too_large")
        # Under the body limit but over the upload limit: the upload check says so.
        assert_error(admin.post("/api/documents", files={"file": ("b.txt", b"c" * (1024 * 1024 + 10))}), 413,
                     "too_large")
    assert store_state(kb) == before


# --------------------------------------------------------------------------------------------
# headers, CORS, rate limits
# --------------------------------------------------------------------------------------------


def test_security_headers(base_url):
    with client(base_url, READ) as c:
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
        docs_csp = c.get("/docs").headers["content-security-policy"]  # offline docs: no other origin, no inline script
        assert "http" not in docs_csp and "script-src 'self';" in docs_csp
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


def test_cors_only_for_configured_origins(kb):
    settings = Settings(data_dir=kb.settings.data_dir, api_keys=KEYS, cors_origins=("https://so-tay.example",))
    with TestClient(create_app(settings, kb=kb)) as c:
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


def test_rate_limit_per_key_and_per_address(kb):
    settings = Settings(data_dir=kb.settings.data_dir, api_keys=KEYS, rate_limit="3/minute")
    with TestClient(create_app(settings, kb=kb)) as c:
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
    app = create_app(Settings(data_dir=kb.settings.data_dir, rate_limit="2/minute"), kb=kb)
    with served(app) as url, client(url) as local:
        codes = [local.get("/api/search", params={"q": "kế hoạch"}).status_code for _ in range(3)]
        assert codes == [200, 200, 429]


# --------------------------------------------------------------------------------------------
# the web chat under its Content-Security-Policy, in a real browser
# --------------------------------------------------------------------------------------------

def test_web_chat_runs_under_the_csp(kb, browser):
    app = create_app(kb=kb)  # no keys: the page works on loopback
    with served(app) as url:
        page = browser.new_page()
        page.set_default_timeout(20_000)
        violations: list[str] = []
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        page.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation', "
                             "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
        r = page.goto(url + "/")
        assert "default-src 'self'" in r.headers["content-security-policy"]
        page.wait_for_selector(".example")
        page.fill("#question", "Hạn hoàn thành xây dựng kế hoạch tập thể là khi nào?")
        page.press("#question", "Enter")
        page.wait_for_selector(".turn .bubble.bot .chip")
        page.locator(".turn .bubble.bot .chip").first.click()
        page.wait_for_selector("mark.hl")
        page.click("a[data-view=deadlines]")
        page.click("#refdate-2024")
        page.wait_for_selector(".tl-item")
        page.click("a[data-view=documents]")
        page.wait_for_selector("#doc-list li")
        if page.locator("a[data-view=lesson]").count():  # the lesson builder, when the page has it
            page.click("a[data-view=lesson]")
            page.fill("#lesson-topic", "nêu gương")
            with page.expect_response(lambda r: r.url.endswith("/api/lessons")):
                page.press("#lesson-topic", "Enter")
            page.wait_for_timeout(300)
        assert page.evaluate("window.__csp") == [] and not violations, (page.evaluate("window.__csp"), violations)
        # The policy is live: an inline script injected now is blocked and reported.
        page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
                      " document.body.append(s); }")
        page.wait_for_function("window.__csp.length > 0")
        assert page.evaluate("typeof window.__ran") == "undefined"
        page.close()
