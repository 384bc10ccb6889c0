"""Hostile input (issue 7): the API fuzzed from its own OpenAPI schema, the parsers fuzzed with
hypothesis, and a corpus of nasty files uploaded to the real service.

- schemathesis against /openapi.json over real HTTP (uvicorn on loopback, an admin key so every
  operation is reachable, uploads and deletions included): a bounded number of examples per
  operation; zero 5xx and every response matching the schema (status code, content type, body).
  The counts are printed.
- hypothesis on the readers (`read_bytes`), the structure parser (the whole `build_document`
  pipeline: repair, header, sections, sentences, chunks, references, obligations) and the deadline
  parser: nothing raises except the documented `ReadError`, and the spans they return are in bounds.
- nasty files, each either ingested correctly or refused with a documented Vietnamese error.
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fixtures_gen import make_docx, make_pdf, make_pdf_without_text
from ingest.deadlines import find_deadlines, parse_deadline
from ingest.pipeline import build_document
from ingest.readers import RawDocument, ReadError, read_bytes
from service.http.app import create_app
from service.config import Settings
from service.knowledge import KnowledgeBase
from eval.serve import serve_in_thread as served
from test_security import VIETNAMESE, assert_error

ROOT = Path(__file__).resolve().parents[1]
ADMIN = "quantri-hostile-0123456789"
READ_CODES = {"unsupported", "unreadable", "empty", "too_large", "binary", "legacy_encoding", "front_matter",
              "corrupt", "encrypted", "no_text_layer"}
EXAMPLES_POSITIVE, EXAMPLES_NEGATIVE = 20, 15  # per operation


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    the_kb = KnowledgeBase(Settings(data_dir=tmp_path_factory.mktemp("hostile")))
    report = the_kb.ingest_paths([ROOT / "corpus"])
    assert not report.errors, report.to_json()
    yield the_kb
    the_kb.close()


@pytest.fixture(scope="module")
def base_url(kb):
    settings = Settings(data_dir=kb.settings.data_dir, api_keys={ADMIN: "admin"})  # no rate limit
    with served(create_app(settings, kb=kb)) as url:
        yield url


@pytest.fixture(scope="module")
def admin(base_url):
    with httpx.Client(base_url=base_url, headers={"X-API-Key": ADMIN}, timeout=120, trust_env=False) as c:
        yield c


# --------------------------------------------------------------------------------------------
# schemathesis
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# hypothesis: readers, structure parser, deadline parser
# --------------------------------------------------------------------------------------------

SUFFIXES = [".txt", ".md", ".docx", ".pdf", ".TXT", ".doc", ".png", "", ".md.", "../x.txt"]
MAGIC = [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"PK\x05\x06", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
         b"---\n", b"---\ntitle: [\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\x89PNG\r\n\x1a\n", b"<html>", b"{\\rtf1"]
NASTY_CHARS = "\x00\x07\x1b\x7f\x85\u200b\u200e\u200f\u202a\u202e\u2066\u2069\ufeff\ufffd\u0301\u0309\u0323\r\n\t\u2028"


def _texts(max_size: int = 400) -> st.SearchStrategy[str]:
    alphabet = st.one_of(st.characters(codec="utf-8", exclude_categories=("Cs",)), st.sampled_from(NASTY_CHARS),
                         st.sampled_from("ăâđêôơưạếịọụĐI.-:/()*#0123456789 "))
    return st.text(alphabet, max_size=max_size)


def _check_raw(raw: RawDocument) -> None:
    assert raw.text.strip()
    assert unicodedata.is_normalized("NFC", raw.text)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\r]", raw.text)


def _read(data: bytes, name: str) -> None:
    try:
        raw = read_bytes(data, name)
    except ReadError as e:
        assert e.code in READ_CODES, e.code
        assert VIETNAMESE.search(e.message) and "/" not in e.source, (e.code, e.message, e.source)
        return
    _check_raw(raw)
    assert "/" not in raw.source and "\\" not in raw.source


@settings(max_examples=500, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(MAGIC), st.binary(max_size=600), st.sampled_from(SUFFIXES))
def test_read_bytes_on_random_bytes(magic: bytes, data: bytes, suffix: str) -> None:
    _read(magic + data, "van-ban" + suffix)


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(_texts(), st.sampled_from(["utf-8", "utf-16", "utf-8-sig", "cp1258", "latin-1"]),
       st.sampled_from([".txt", ".md"]), st.booleans())
def test_read_bytes_on_random_text(text: str, encoding: str, suffix: str, front: bool) -> None:
    if front:
        text = f"---\nnumber: 1-KH/TU\ntitle: {text[:40]!r}\n---\n{text}"
    _read(text.encode(encoding, "replace"), "van-ban" + suffix)


@st.composite
def _zips(draw) -> bytes:
    """ZIP packages that look more or less like .docx files, with hostile members."""
    members = {"[Content_Types].xml": draw(st.sampled_from([b"", b"<Types/>", b"<x", b"\x00"]))}
    if draw(st.booleans()):
        body = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>"
                       for t in draw(st.lists(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)),
                                                      max_size=30), max_size=5)))
        body = re.sub(r"[<>&]", "", body) if draw(st.booleans()) else body
        members["word/document.xml"] = (f'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
                                        f'2006/main"><w:body>{body}</w:body></w:document>').encode("utf-8", "replace")
    for name in draw(st.lists(st.sampled_from(["word/numbering.xml", "word/footnotes.xml", "word/styles.xml",
                                                "../evil.txt", "/etc/passwd", "word/_rels/document.xml.rels"]),
                              max_size=3)):
        members[name] = draw(st.binary(max_size=200))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in members.items():
            z.writestr(name, blob)
    data = out.getvalue()
    cut = draw(st.integers(0, 3))
    return data[: len(data) * cut // 3] if cut else data


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(_zips())
def test_read_bytes_on_hostile_zip_packages(data: bytes) -> None:
    _read(data, "van-ban.docx")


LINE_STARTS = ["", "I. ", "II- ", "1. ", "2.1. ", "a) ", "- ", "+ ", "* ", "Điều 3. ", "Chương II ", "Mục 1 ",
               "1.1.1.1.1. ", "(1) ", "¹ ", "Số 12-KH/TU ", "Nơi nhận:", "T/M BAN THƯỜNG VỤ", "KẾ HOẠCH", "---"]
WORDS = ["Các", "cấp ủy", "phải", "hoàn thành", "báo cáo", "trước ngày 15/01/2024", "trong Quý I/2024", "hằng năm",
         "chi bộ", "đảng viên", "Kết luận 01-KL/TW", "theo Quy định số 144-QĐ/TW", "ngày 18 tháng 12 năm 2023",
         "Ban Tuyên giáo Tỉnh ủy", "chậm nhất 20 ngày làm việc, kể từ ngày nhận được báo cáo", ".", ",", ";", ":",
         "ĐẢNG CỘNG SẢN VIỆT NAM", "Lai Châu,", "\u200f", "ho\u0301a", "\u00a0", "**", "*", "1", "II", "a)"]


@st.composite
def _documents(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 30))):
        start = draw(st.sampled_from(LINE_STARTS))
        body = " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=12)))
        lines.append(start + body + draw(st.sampled_from(["", ".", " ", ":"])))
    if draw(st.booleans()):
        lines.insert(draw(st.integers(0, len(lines))), draw(_texts(120)))
    return "\n".join(lines)


@settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents(), st.sampled_from(["txt", "md", "pdf", "docx"]))
def test_structure_parser_never_raises(text: str, fmt: str) -> None:
    try:
        raw = read_bytes(text.encode("utf-8"), "van-ban.txt")  # the reader's cleaning, as in real use
    except ReadError as e:
        assert e.code in READ_CODES
        return
    doc = build_document(RawDocument(raw.source, fmt, raw.text, {}))
    n = len(doc.text)
    for s in doc.sections:
        assert 0 <= s.start <= s.end <= n
    for c in doc.chunks:
        assert 0 <= c.start <= c.end <= n and doc.text[c.start:c.end] in c.index_text
    for s in doc.sentences:
        assert 0 <= s.start <= s.end <= n
    for o in doc.obligations:
        assert 0 <= o.start <= o.end <= n


@settings(max_examples=500, deadline=None, database=None)
@given(st.one_of(_texts(200), st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join),
                 st.tuples(st.sampled_from(WORDS), st.integers(1, 300)).map(lambda t: " ".join([t[0]] * t[1]))),
       st.sampled_from([None, 2024, 1, 9999]))
def test_deadline_parser_never_raises(text: str, year: int | None) -> None:
    for d in find_deadlines(text, default_year=year):
        assert text[d.span.start:d.span.end] == d.text
        assert d.start is None or d.end is None or d.start <= d.end
    parse_deadline(text, default_year=year)
    parse_deadline(unicodedata.normalize("NFD", text), default_year=year)


# --------------------------------------------------------------------------------------------
# a corpus of nasty files, uploaded to the real service
# --------------------------------------------------------------------------------------------


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
    _check_raw(RawDocument("x", "txt", doc["text"]))
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
