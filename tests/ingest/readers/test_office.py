"""ingest.readers.office: .doc / .rtf / .odt through LibreOffice headless read like the .docx they
were made from (tables, footnotes, list numbering, legacy fonts). Slow: each conversion starts
LibreOffice (~2–5 s), so the fixtures are converted once per module."""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest

import support.docx_files as gen
from ingest.pipeline import build_document
from ingest.readers import office, read_bytes, read_path
from support.legacy import SAMPLE_VI
from support.readers import assert_clean, error

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(office.soffice() is None, reason="LibreOffice (libreoffice-writer-nogui) not installed")]

ROOT = Path(__file__).resolve().parents[3]
CELLS = [["TT", "Nội dung", "Thời gian"], ["1", "Quán triệt Kết luận 01", "Quý I/2024"],
         ["2", "Sơ kết việc học tập", "trước ngày 15/6/2024"]]
BLOCKS = ["KẾ HOẠCH", "Thực hiện Kết luận số 01-KL/TW{fn:1}, các cấp ủy phải báo cáo trước ngày 15/01/2024.",
          ("style", "List Number", "Mục đích"), ("style", "List Number", "Yêu cầu"), ("table", CELLS),
          ("runs", [("Ban Th\xadêng vô TØnh ñy", ".VnTime")])]
NOTES = {1: "Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị."}


def _convert(docx: bytes, fmt: str, tmp: Path) -> bytes:
    src = tmp / "src.docx"
    src.write_bytes(docx)
    filt = {"doc": "doc:MS Word 97", "odt": "odt", "rtf": "rtf"}[fmt]
    subprocess.run([office.soffice(), f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless",
                    "--convert-to", filt, "--outdir", str(tmp), str(src)], check=True, capture_output=True, timeout=300)
    return (tmp / f"src.{fmt}").read_bytes()


@pytest.fixture(scope="module")
def made() -> dict[str, bytes]:
    docx = gen.make_docx(BLOCKS, NOTES)
    corpus = (ROOT / "corpus" / "222-KH-TU-2023-laichau.txt").read_text("utf-8")
    corpus_docx = gen.make_docx(corpus.split("\n"))
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        out = {"docx": docx, "corpus.docx": corpus_docx}
        for fmt in ("doc", "odt", "rtf"):
            out[fmt] = _convert(docx, fmt, tmp)
        out["corpus.doc"] = _convert(corpus_docx, "doc", tmp)
    return out


@pytest.mark.parametrize("fmt", ["doc", "odt", "rtf"])
def test_converted_formats_read_like_their_docx(made, fmt):
    want = read_bytes(made["docx"], "ke-hoach.docx")
    got = read_bytes(made[fmt], f"ke-hoach.{fmt}")
    assert_clean(got)
    assert got.format == fmt and got.provenance.converted_from == fmt
    assert "1. Mục đích\n2. Yêu cầu" in got.text and "Quý I/2024" in got.text
    assert "Kết luận số 01-KL/TW¹" in got.text and got.text.endswith("(1) " + NOTES[1])
    assert "Ban Thường vụ Tỉnh ủy" in got.text and got.provenance.legacy_encodings == ("tcvn3",)  # font kept
    if fmt != "rtf":  # RTF keeps a different paragraph spacing; the lines are the same
        assert got.text == want.text
    assert [ln for ln in got.text.split("\n") if ln.strip()] == [ln for ln in want.text.split("\n") if ln.strip()]


def test_corpus_document_as_doc_has_the_same_structure(made):
    want = build_document(read_bytes(made["corpus.docx"], "222.docx"))
    got = build_document(read_bytes(made["corpus.doc"], "222.doc"))
    assert got.text == want.text
    assert [s.path for s in got.sections] == [s.path for s in want.sections]
    assert [(o.deadline.start, o.deadline.end) if o.deadline else None for o in got.obligations] == \
        [(o.deadline.start, o.deadline.end) if o.deadline else None for o in want.obligations]


def test_a_doc_that_is_really_rtf_or_docx_is_read(made, tmp_path):
    assert read_bytes(made["rtf"], "that-ra-rtf.doc").provenance.converted_from == "rtf"
    doc = read_bytes(made["docx"], "that-ra-docx.doc")
    assert doc.provenance.converted_from is None and "KẾ HOẠCH" in doc.text
    f = tmp_path / "cu.doc"
    f.write_bytes(made["doc"])
    assert read_path(f).text == read_bytes(made["doc"], "cu.doc").text


def test_bad_old_files_are_refused_before_libreoffice():
    assert error(read_bytes, gen.fake_ole2(), "gia.doc").code == "corrupt"  # OLE2 without a Word stream
    assert error(read_bytes, gen.fake_ole2(encrypted=True), "khoa.doc").code == "encrypted"
    assert error(read_bytes, SAMPLE_VI.encode(), "van-ban.odt").code == "corrupt"
    e = error(read_bytes, gen.make_docx(["x"]), "sai.odt")
    assert e.code == "corrupt" and ".docx" in e.message
    bomb = gen.lying_bomb(gen.make_docx(["x"]), 8, n_mib=256, member="word/document.xml")
    assert error(read_bytes, bomb, "bom.odt").code == "corrupt"  # not an OpenDocument: never reaches LibreOffice


def test_missing_libreoffice_is_said(made, monkeypatch):
    monkeypatch.setattr(office, "soffice", lambda: None)
    e = error(read_bytes, made["doc"], "cu.doc")
    assert e.code == "unavailable" and "libreoffice-writer-nogui" in e.message
