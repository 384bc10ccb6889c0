"""ingest.readers.pdf: the text layer, page limits, encryption, damage."""
from __future__ import annotations

import io
import os
import re
import unicodedata
import zipfile
from pathlib import Path

import pytest

from ingest.readers import SUPPORTED_SUFFIXES, RawDocument, ReadError, read_bytes, read_path
from support.readers import assert_clean, error

import support.docx_files as gen
from support.legacy import SAMPLE_VI
from support.pdf_files import encrypted_pdf, make_pdf, make_pdf_without_text


# --------------------------------------------------------------------------------------------
# .pdf

PDF_PAGES = [
    ["TỈNH ỦY LAI CHÂU", "ĐẢNG CỘNG SẢN VIỆT NAM", "Kế hoạch thực hiện Kết luận số 01-KL/TW của Ban"],
    ["Thường vụ Tỉnh ủy về học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh."],
]


def test_pdf_text_layer_round_trips_vietnamese(tmp_path):
    f = tmp_path / "ke-hoach.pdf"
    f.write_bytes(make_pdf(PDF_PAGES))
    doc = read_path(f)
    assert_clean(doc)
    assert doc.format == "pdf"
    assert doc.text == "\n".join(PDF_PAGES[0]) + "\n\n" + "\n".join(PDF_PAGES[1])


def test_pdf_nfd_text_layer_comes_out_nfc():
    nfd = unicodedata.normalize("NFD", "Nghị quyết về công tác")
    text = read_bytes(make_pdf([[nfd]]), "a.pdf").text
    assert unicodedata.is_normalized("NFC", text)


def test_pdf_without_text_layer(tmp_path):
    f = tmp_path / "scan.pdf"
    f.write_bytes(make_pdf_without_text(2))
    e = error(read_path, f, ocr=False)
    assert e.code == "no_text_layer"
    assert e.message == (
        "Tệp 'scan.pdf' không có lớp văn bản (PDF quét ảnh) — hãy dùng bản có văn bản hoặc chạy OCR trước."
    )
    # with OCR (the default), pages without any writing are still refused, after recognition
    e = error(read_path, f)
    assert e.code == "no_text_layer" and "không nhận dạng được chữ nào" in e.message


def test_pdf_too_many_pages():
    data = make_pdf(PDF_PAGES)
    e = error(read_bytes, data, "a.pdf", max_pdf_pages=1)
    assert e.code == "too_large" and "2 trang" in e.message
    assert read_bytes(data, "a.pdf", max_pdf_pages=2).text


def test_pdf_encrypted():
    e = error(read_bytes, encrypted_pdf([["Mật"]], user_password="bi-mat"), "khoa.pdf")
    assert e.code == "encrypted"
    # owner password only (print/copy restrictions): opens with the empty password
    assert read_bytes(encrypted_pdf([["Mở được"]], user_password=""), "mo.pdf").text == "Mở được"


def test_pdf_corrupt_and_wrong_content():
    data = make_pdf(PDF_PAGES)
    assert error(read_bytes, b"%PDF-1.4\n" + bytes(range(256)) * 8, "a.pdf").code == "corrupt"
    e = error(read_bytes, data[5:], "khong-dau.pdf")
    assert e.code == "corrupt" and "%PDF-" in e.message
    e = error(read_bytes, b"\x89PNG\r\n\x1a\n" + bytes(64), "anh.pdf")
    assert e.code == "corrupt" and "PNG" in e.message and "OCR" in e.message
    e = error(read_bytes, b"<!DOCTYPE html><html><body>Trang</body></html>", "web.pdf")
    assert e.code == "corrupt" and "HTML" in e.message
    e = error(read_bytes, gen.make_docx(["x"]), "word.pdf")
    assert e.code == "corrupt" and ".docx" in e.message


def test_pdf_truncated_never_crashes():
    data = make_pdf(PDF_PAGES)
    for cut in (20, len(data) // 3, len(data) // 2, len(data) - 10):
        try:
            doc = read_bytes(data[:cut], "cut.pdf", ocr=False)
        except ReadError as e:
            assert e.code in ("corrupt", "no_text_layer", "empty")
        else:
            assert_clean(doc)


