"""ingest.readers.ocr / pdf: a scanned PDF (pages rendered to images at 300 dpi, no text layer) is
recognised with Tesseract's Vietnamese model and marked as recognised text. Slow (~10 s a page):
one two-page scan. The per-document figures are eval/ocr_quality.py's."""
from __future__ import annotations

from pathlib import Path

import pytest

from support.ocr_metrics import body_start, cer
from ingest.pipeline import build_document
from ingest.readers import ocr, read_bytes
from support.pdf_files import make_pdf, make_scanned_pdf
from support.readers import assert_clean, error

pytestmark = [pytest.mark.slow, pytest.mark.skipif(bool(ocr.missing_tools()), reason="tesseract-ocr-vie missing")]

ROOT = Path(__file__).resolve().parents[3]
MAX_CER = 0.02


@pytest.fixture(scope="module")
def excerpt() -> str:
    """The header and first sections of the shipped plan (two pages)."""
    text = (ROOT / "corpus" / "222-KH-TU-2023-laichau.txt").read_text("utf-8")
    cut = text.index("II- NỘI DUNG")
    return text[:text.index("\n\n", cut + 1500)]


def test_scan_is_recognised_and_marked(excerpt):
    pdf, lines = make_scanned_pdf(excerpt, dpi=300)
    raw = read_bytes(pdf, "quet.pdf")
    assert_clean(raw)
    assert raw.format == "pdf" and raw.provenance.source == "ocr"
    assert 0.8 < raw.provenance.ocr_confidence <= 1 and "tesseract" in raw.provenance.ocr_engine
    reference = read_bytes(excerpt.encode(), "goc.txt")
    got, want = build_document(raw), build_document(reference)
    assert cer(reference.text, raw.text, body_start(want, reference.text)) <= MAX_CER
    assert got.number == want.number == "222-KH/TU" and got.issued == want.issued
    assert [s.path for s in got.sections] == [s.path for s in want.sections]


def test_text_layer_is_preferred_to_ocr():
    raw = read_bytes(make_pdf([["Kế hoạch học tập năm 2024"]]), "co-chu.pdf")
    assert raw.provenance.source == "text" and raw.provenance.ocr_confidence is None


def test_missing_tesseract_is_said(monkeypatch, excerpt):
    monkeypatch.setattr(ocr, "missing_tools", lambda: ["tesseract-ocr-vie"])
    pdf, _ = make_scanned_pdf(excerpt[:300], dpi=150)
    e = error(read_bytes, pdf, "quet.pdf")
    assert e.code == "no_text_layer" and "tesseract-ocr-vie" in e.message


def test_too_many_pages_for_ocr(monkeypatch, excerpt):
    monkeypatch.setattr(ocr, "MAX_OCR_PAGES", 1)
    pdf, _ = make_scanned_pdf(excerpt, dpi=100)
    e = error(read_bytes, pdf, "dai.pdf")
    assert e.code == "too_large" and "nhận dạng" in e.message
