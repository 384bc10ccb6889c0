"""Uploads and deletions (service/http/uploads.py and the documents routes): every format, the access
override, the audit lines, display names, hostile files refused with the store left as it was, and
the body limit; on the keyed store of conftest.py."""
from __future__ import annotations

import io
import json
import logging
import zipfile

import pytest

from support.docx_files import docx_with_huge_member, docx_with_many_entries, fake_ole2, make_docx
from support.pdf_files import encrypted_pdf, make_pdf, make_pdf_without_text
from service.config import Settings
from service.http import keys
from service.http.app import create_app
from service.http.uploads import display_name
from support.api import assert_error
from support.keyed import ADMIN, INTERNAL, KEYS, READ, client, store_state
from support.serving import serve_in_thread as served


UPLOAD_TXT = """KẾ HOẠCH
Thực hiện chuyên đề Zuvelmor năm 2024

1. Các chi bộ phải tổ chức học tập chuyên đề Zuvelmor trước ngày 31/05/2024.
2. Đảng viên viết bản thu hoạch Zuvelmor.
"""


def test_upload_formats_access_override_delete_and_audit(keyed_url, keyed_kb, caplog):
    caplog.set_level(logging.INFO, logger="sotay.audit")
    lines = [ln for ln in UPLOAD_TXT.splitlines() if ln.strip()]
    files = {
        "ke-hoach.txt": UPLOAD_TXT.encode(),
        "ke-hoach.md": ("---\nnumber: 31-KH/ĐU\nissued: 2024-04-01\n---\n" + UPLOAD_TXT).encode(),
        "ke-hoach.docx": make_docx(lines),
        "ke-hoach.pdf": make_pdf([lines]),
    }
    with client(keyed_url, ADMIN) as admin, client(keyed_url, READ) as reader, client(keyed_url, INTERNAL) as insider:
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
        assert admin.delete(f"/api/documents/{doc_id}").status_code == 204
        marked = "---\naccess: internal\n---\n" + UPLOAD_TXT
        r = admin.post("/api/documents", files={"file": ("mat.md", marked.encode())}, data={"access": "public"})
        doc_id = r.json()["items"][0]["doc_id"]
        assert r.json()["counts"] == {"added": 1}
        assert reader.get(f"/api/documents/{doc_id}").status_code == 200
        # The same file again with its own `access: internal` changes the access: only with replace=true.
        err = assert_error(admin.post("/api/documents", files={"file": ("mat.md", marked.encode())}), 409,
                           "replace_required")
        assert "replace=true" in err["message"]
        assert reader.get(f"/api/documents/{doc_id}").status_code == 200
        r = admin.post("/api/documents", files={"file": ("mat.md", marked.encode())}, data={"replace": "true"})
        assert r.json()["items"][0]["replaced"] == {"before": {"source": "mat.md", "access": "public"},
                                                    "after": {"source": "mat.md", "access": "internal"}}
        assert_error(reader.get(f"/api/documents/{doc_id}"), 404, "not_found")
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
    assert [a["result"] for a in audit if a["action"] == "delete"].count("deleted") == 7
    # A refused replacement and a done one are audited with what they replace, before and after.
    swaps = [a for a in audit if a.get("replaced") and a["replaced"]["before"]["access"] != a["replaced"]["after"]["access"]]
    assert [(a["result"], a["replace"]) for a in swaps] == [("refused:replace_required", False), ("updated", True)]
    assert any(a["result"] == "not_found" for a in audit)
    assert any(a["result"].startswith("refused:") for a in audit)
    with client(keyed_url, READ) as reader:
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
        ("an old Office file that is no Word document", "cu.doc", fake_ole2(), 422, "corrupt"),
        ("a password-protected .docx", "mat-khau.docx", fake_ole2(encrypted=True), 422, "encrypted"),
        ("a password-protected PDF", "mat-khau.pdf", encrypted_pdf([["Kế hoạch"]], "mat-khau"), 422, "encrypted"),
        ("a program", "x.txt", b"\x7fELF" + bytes(500), 415, "unsupported"),
        ("NUL-filled binary", "nul.txt", b"\x00\x01\x02" * 500, 415, "binary"),
        ("legacy bytes of no certain encoding", "cu.txt", b"Noi dung \x8f\x81qx \xa4\xa4\xa4x zz\xfe\xfe " * 20,
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
def small_limits_url(keyed_kb):
    """The same store behind an app with small limits (1 MB uploads, 3 PDF pages), and no rate limit."""
    settings = Settings(data_dir=keyed_kb.settings.data_dir, api_keys=KEYS, upload_max_mb=1, upload_max_pages=3)
    with served(create_app(settings, kb=keyed_kb)) as url:
        yield url


@pytest.mark.parametrize("case", _refusals(), ids=[c[0] for c in _refusals()])
def test_refused_upload_leaves_the_store_as_it_was(small_limits_url, keyed_kb, case):
    _, name, data, status, code = case
    before = store_state(keyed_kb)
    with client(small_limits_url, ADMIN) as admin:
        r = admin.post("/api/documents", files={"file": (name, data, "application/octet-stream")})
    assert_error(r, status, code)
    assert store_state(keyed_kb) == before


def test_body_limit(small_limits_url, keyed_kb, caplog):
    caplog.set_level(logging.INFO, logger="sotay.audit")
    before = store_state(keyed_kb)
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
    assert store_state(keyed_kb) == before
