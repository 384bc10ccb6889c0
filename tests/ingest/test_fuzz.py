"""Hostile text for the parsers, with hypothesis: the readers (`read_bytes`), the structure parser (the
whole `build_document` pipeline: repair, header, sections, sentences, chunks, references,
obligations) and the deadline parser: nothing raises except the documented `ReadError`, and the spans
they return are in bounds. (The API fuzzed over HTTP and nasty uploads: tests/journeys/test_hostile.py.)
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.deadlines import find_deadlines, parse_deadline
from ingest.pipeline import build_document
from ingest.readers import RawDocument, ReadError, read_bytes
from support.api import VIETNAMESE
from support.raw import READ_CODES, check_raw


SUFFIXES = [".txt", ".md", ".docx", ".pdf", ".TXT", ".doc", ".png", "", ".md.", "../x.txt"]


MAGIC = [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"PK\x05\x06", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
         b"---\n", b"---\ntitle: [\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\x89PNG\r\n\x1a\n", b"<html>", b"{\\rtf1"]


NASTY_CHARS = "\x00\x07\x1b\x7f\x85\u200b\u200e\u200f\u202a\u202e\u2066\u2069\ufeff\ufffd\u0301\u0309\u0323\r\n\t\u2028"


def _texts(max_size: int = 400) -> st.SearchStrategy[str]:
    alphabet = st.one_of(st.characters(codec="utf-8", exclude_categories=("Cs",)), st.sampled_from(NASTY_CHARS),
                         st.sampled_from("ăâđêôơưạếịọụĐI.-:/()*#0123456789 "))
    return st.text(alphabet, max_size=max_size)


def _read(data: bytes, name: str) -> None:
    try:
        raw = read_bytes(data, name, ocr=False)  # OCR of scanned PDFs: tests/ingest/readers/test_ocr.py
    except ReadError as e:
        assert e.code in READ_CODES, e.code
        assert VIETNAMESE.search(e.message) and "/" not in e.source, (e.code, e.message, e.source)
        return
    check_raw(raw)
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
