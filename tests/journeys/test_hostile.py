"""Hostile input (issue 7) against the real service: the API fuzzed from its own OpenAPI schema, and a
corpus of nasty files uploaded to it. (The parsers fuzzed with hypothesis: tests/ingest/test_fuzz.py.)

- schemathesis against /openapi.json over real HTTP (uvicorn on loopback, an admin key so every
  operation is reachable, uploads and deletions included): a bounded number of examples per
  operation; zero 5xx and every response matching the schema (status code, content type, body).
  The counts are printed.
- nasty files, each either ingested correctly or refused with a documented Vietnamese error.
"""
from __future__ import annotations

import unicodedata
import zipfile
from collections import Counter

import httpx
import pytest
from hypothesis import HealthCheck, given, settings

from conftest import ROOT
from support.docx_files import make_docx
from support.pdf_files import make_pdf, make_pdf_without_text
from ingest.readers import RawDocument
from service.config import Settings
from service.http.app import create_app
from support.api import VIETNAMESE, assert_error
from support.kb import ingested
from support.raw import check_raw
from support.serving import serve_in_thread as served


ADMIN = "quantri-hostile-0123456789"


EXAMPLES_POSITIVE, EXAMPLES_NEGATIVE = 20, 15  # per operation


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    with ingested(tmp_path_factory.mktemp("hostile"), [ROOT / "corpus"]) as the_kb:
        yield the_kb


@pytest.fixture(scope="module")
def base_url(kb):
    settings = Settings(data_dir=kb.settings.data_dir, api_keys={ADMIN: "admin"})  # no rate limit
    with served(create_app(settings, kb=kb)) as url:
        yield url


@pytest.fixture(scope="module")
def admin(base_url):
    with httpx.Client(base_url=base_url, headers={"X-API-Key": ADMIN}, timeout=120, trust_env=False) as c:
        yield c


def test_openapi_fuzzing_no_5xx_and_responses_match_the_schema(base_url, capsys):
    import schemathesis
    from hypothesis.errors import Unsatisfiable
    from schemathesis.checks import (content_type_conformance, not_a_server_error, response_schema_conformance,
                                     status_code_conformance)

    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    headers = {"X-API-Key": ADMIN}
    calls: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        # Valid requests, then invalid ones (wrong types, missing fields, out-of-range values) where
        # the operation has anything to get wrong.
        for mode, examples in ((schemathesis.GenerationMode.POSITIVE, EXAMPLES_POSITIVE),
                               (schemathesis.GenerationMode.NEGATIVE, EXAMPLES_NEGATIVE)):
            @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(mode))
            def run(case) -> None:
                response = case.call(base_url=base_url, headers=headers, timeout=120)
                calls[f"{operation.label} ({mode.value})"] += 1
                statuses[response.status_code] += 1
                try:
                    case.validate_response(response, checks=checks, headers=headers)
                except (Exception, BaseExceptionGroup) as e:  # schemathesis raises a group: collect them all
                    failures.append(f"{operation.label} {case.path_parameters or ''} {case.query or ''} "
                                    f"{str(case.body)[:200]!r} → {response.status_code}: {str(e)[:500]}")

            try:
                run()
            except Unsatisfiable:  # nothing to make invalid (no parameters, or a free-form string)
                assert mode is schemathesis.GenerationMode.NEGATIVE, operation.label
    with capsys.disabled():
        print(f"\nschemathesis: {operations} operations, {sum(calls.values())} requests, statuses "
              f"{dict(sorted(statuses.items()))}, failures {len(failures)}")
        for label, n in sorted(calls.items()):
            print(f"  {n:4d}  {label}")
    assert operations >= 10 and all(calls[label] > 0 for label in calls)
    assert not [s for s in statuses if s >= 500], statuses
    assert not failures, "\n".join(failures[:20])


def _upload(admin: httpx.Client, name: str, data: bytes) -> httpx.Response:
    return admin.post("/api/documents", files={"file": (name, data, "application/octet-stream")})


def _refused(r: httpx.Response, status: int, code: str) -> None:
    err = assert_error(r, status, code)
    assert VIETNAMESE.search(err["message"])


def _stored_text(admin: httpx.Client, r: httpx.Response) -> dict:
    assert r.status_code == 200, r.text[:500]
    item = r.json()["items"][0]
    assert item["status"] in ("added", "updated") and item["chunks"] >= 1, item
    doc = admin.get(f"/api/documents/{item['doc_id']}").json()
    check_raw(RawDocument("x", "txt", doc["text"]))
    return doc


def _search_finds(admin: httpx.Client, query: str, doc_id: str) -> bool:
    return any(h["doc_id"] == doc_id for h in admin.get("/api/search", params={"q": query, "k": 5}).json()["hits"])


def test_nasty_files(admin, kb):
    # A .docx cut in half, and one whose document part is gone.
    docx = make_docx(["KẾ HOẠCH", "1. Các chi bộ phải học tập chuyên đề."])
    _refused(_upload(admin, "cut.docx", docx[: len(docx) // 2]), 422, "corrupt")
    # A scanned PDF: pages without a text layer.
    _refused(_upload(admin, "scan.pdf", make_pdf_without_text(3)), 422, "no_text_layer")
    # A PDF that ends halfway.
    pdf = make_pdf([["Kế hoạch học tập"]])
    r = _upload(admin, "half.pdf", pdf[: len(pdf) // 2])
    assert r.status_code == 200 or r.json()["error"]["code"] in ("corrupt", "empty", "no_text_layer"), r.text

    # 50 MB on one line: over the upload limit, refused before the body is read.
    line = ("Các cấp ủy phải hoàn thành báo cáo trước ngày 15/01/2024 và tổ chức học tập " * 700_000)[: 50_000_000]
    _refused(_upload(admin, "mot-dong.txt", line.encode()[: 50_000_000]), 413, "too_large")
    # …and 300 KB on one line is ingested, in bounded chunks, every one quoting the text verbatim.
    doc = _stored_text(admin, _upload(admin, "mot-dong-ngan.txt", line[:300_000].encode()))
    chunks = [p for p in kb.store.scroll(_chunk_filter(doc["doc_id"]))]
    assert len(chunks) >= 100 and max(p["end"] - p["start"] for p in chunks) <= 2_000
    assert all(doc["text"][p["start"]:p["end"]] == p["text"] for p in chunks)

    # NUL bytes: a few are dropped, a file full of them is binary.
    text = "KẾ HOẠCH\n\n1. Các chi bộ phải tổ chức học tập chuyên đề Quvarnet năm 2024.\n"
    doc = _stored_text(admin, _upload(admin, "nul.txt", text.replace("chuyên", "chu\x00yên").encode()))
    assert "\x00" not in doc["text"] and "chuyên đề Quvarnet" in doc["text"]
    _refused(_upload(admin, "nuls.txt", b"\x00" * 5000 + text.encode()), 415, "binary")

    # Mixed NFD and NFC: stored NFC, found by either form.
    nfd = unicodedata.normalize("NFD", "Đảng viên phải gương mẫu thực hiện chuyên đề Ploxivar")
    doc = _stored_text(admin, _upload(admin, "nfd.txt", f"KẾ HOẠCH\n\n1. {nfd}.\n2. Chi bộ họp hằng tháng.\n".encode()))
    assert "Đảng viên phải gương mẫu" in doc["text"]
    assert _search_finds(admin, "gương mẫu Ploxivar", doc["doc_id"])
    assert _search_finds(admin, unicodedata.normalize("NFD", "gương mẫu Ploxivar"), doc["doc_id"])

    # Right-to-left marks and overrides inside words (a classic spoofing trick): removed.
    rtl = "KẾ HOẠCH\n\n1. Các chi\u200f bộ phải \u202ebáo cáo\u202c chuyên đề Wextrano\u200e trước ngày 01/06/2024.\n"
    doc = _stored_text(admin, _upload(admin, "rtl\u202etxt.md", rtl.encode()))
    assert "Các chi bộ phải báo cáo chuyên đề Wextrano" in doc["text"]
    assert _search_finds(admin, "Wextrano", doc["doc_id"]) and _search_finds(admin, "wextrano", doc["doc_id"])

    # 10,000 list items nested ever deeper: bullets indented up to 40 levels, with numbered sub-items
    # ("1.1.1.1.") among them. Each item is a passage of its own.
    items = []
    for i in range(10_000):
        depth = i % 40
        mark = f"{'.'.join(['1'] * (depth % 6 + 1))}. " if i % 100 == 0 else ("- " if i % 3 else "+ ")
        items.append("  " * depth + mark + f"Mục {i} Brumaxel.")
    r = _upload(admin, "long-list.md", ("KẾ HOẠCH\n\n" + "\n".join(items) + "\n").encode())
    doc = _stored_text(admin, r)
    assert r.json()["items"][0]["chunks"] >= 10_000
    assert doc["text"].count("Brumaxel") == 10_000 and "Mục 9999 Brumaxel." in doc["text"]
    assert _search_finds(admin, "Mục 9999 Brumaxel", doc["doc_id"])


def _chunk_filter(doc_id: str):
    from service.store import StoreFilter

    return StoreFilter(records=["chunk"], doc_ids=[doc_id], access=["public", "internal"])


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2], ids=["deflate", "bzip2"])
def test_lying_zip_bomb_upload_is_refused_with_flat_server_memory(admin, kb, method):
    """Issue 16: a .docx whose document.xml declares ~1 KB but inflates to 1 GiB (the server runs in
    this process, so its memory is ours to measure)."""
    import gc

    from support.docx_files import PeakRss, lying_bomb

    bomb = lying_bomb(make_docx(["KẾ HOẠCH", "1. Các chi bộ phải học tập."]), method, n_mib=1024)
    before = kb.store.catalog(with_fields=["doc_id"])
    gc.collect()
    with PeakRss() as rss:
        r = _upload(admin, "bom.docx", bomb)
    _refused(r, 413, "too_large")
    assert rss.growth_mb < 200, rss.growth_mb
    assert kb.store.catalog(with_fields=["doc_id"]) == before


def test_zip_of_documents_upload_reports_every_file(admin, kb):
    """A folder sent as one .zip: the same per-file report as `sotay ingest DIR`; what cannot be
    read is listed with its reason (a lying bomb member included) and nothing of it is stored."""
    import zlib

    from support.docx_files import _zip, deflate_spaces
    from support.legacy import to_tcvn3

    members = {
        "ke-hoach/01-unicode.txt": "KẾ HOẠCH\n\n1. Các chi bộ phải học tập chuyên đề Zorvanet trước ngày 15/3/2026.\n".encode(),
        "ke-hoach/02-tcvn3.txt": to_tcvn3("KẾ HOẠCH\n\n1. Các chi bộ phải báo cáo chuyên đề Qelmarit trước ngày "
                                          "20/4/2026 về Ban Tuyên giáo Tỉnh ủy.\n"),
        "ke-hoach/03.docx": make_docx(["KẾ HOẠCH", "1. Đảng viên phải đăng ký nêu gương Wintrapol."]),
        "ke-hoach/anh.png": b"\x89PNG\r\n\x1a\n" + bytes(64),
        "ke-hoach/long-nhau.zip": _zip([("a.txt", 0, b"abc", zlib.crc32(b"abc"), 3)]),
        ".DS_Store": b"x",
    }
    entries = [(n, 0, d, zlib.crc32(d), len(d)) for n, d in members.items()]
    entries.append(("ke-hoach/bom.docx", zipfile.ZIP_DEFLATED, deflate_spaces(256), 0, 1000))
    before = kb.store.catalog(with_fields=["doc_id"])
    r = _upload(admin, "thu-muc.zip", _zip(entries))
    assert r.status_code == 200, r.text
    report = r.json()
    by_source = {i["source"]: i for i in report["items"]}
    assert report["counts"] == {"added": 3, "error": 3}, report
    assert [i["status"] for i in report["items"]] == ["added", "added", "added", "error", "error", "error"]
    assert by_source["ke-hoach - anh.png"]["code"] == "unsupported"
    assert by_source["ke-hoach - bom.docx"]["code"] == "too_large"
    assert by_source["ke-hoach - long-nhau.zip"]["code"] == "unsupported"
    for item in report["items"]:
        assert item["status"] == "added" or VIETNAMESE.search(item["error"])
    assert _search_finds(admin, "Qelmarit", by_source["ke-hoach - 02-tcvn3.txt"]["doc_id"])
    assert _search_finds(admin, "Wintrapol", by_source["ke-hoach - 03.docx"]["doc_id"])
    after = kb.store.catalog(with_fields=["doc_id"])
    assert len(after) == len(before) + 3
    for item in report["items"]:
        if item["doc_id"]:
            assert admin.delete(f"/api/documents/{item['doc_id']}").status_code == 204


def test_zip_that_cannot_be_opened_is_refused_whole(admin, kb):
    before = kb.store.catalog(with_fields=["doc_id"])
    _refused(_upload(admin, "hong.zip", b"PK\x03\x04" + bytes(100)), 422, "corrupt")
    assert kb.store.catalog(with_fields=["doc_id"]) == before
