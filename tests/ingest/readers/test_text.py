"""ingest.readers.text: .txt and .md, Unicode and legacy bytes, YAML front matter, the shipped corpus."""
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
from support.legacy import SAMPLE_VI, tcvn3_mojibake, to_cp1258, to_tcvn3
from support.pdf_files import make_pdf

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "corpus"
CORPUS_FILES = sorted(p for p in CORPUS.iterdir() if p.suffix in SUPPORTED_SUFFIXES)


# --------------------------------------------------------------------------------------------
# the shipped corpus


def test_corpus_is_there():
    assert len(CORPUS_FILES) == 6
    assert sum(p.suffix == ".md" for p in CORPUS_FILES) == 5


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_corpus_file_reads(path: Path):
    doc = read_path(path)
    assert_clean(doc)
    assert doc.source == path.name
    assert doc.format == path.suffix[1:]
    raw = path.read_text("utf-8")
    if doc.format == "md":
        fm = doc.front_matter
        for key in ("number", "type", "title", "issued", "issuer", "completeness"):
            assert isinstance(fm.get(key), str) and fm[key], key
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", fm["issued"])
        assert fm["completeness"] in ("full", "partial")
        assert not doc.text.startswith("---")
        assert "number:" not in doc.text[:200]
        # body verbatim: everything after the closing '---' line
        assert raw.endswith(doc.text)
        assert raw[: len(raw) - len(doc.text)].rstrip("\n").endswith("---")
    else:
        assert doc.front_matter == {}
        assert doc.text == raw


def test_corpus_front_matter_values():
    docs = {p.name: read_path(p) for p in CORPUS_FILES}
    kl14 = docs["14-KL-TW-2021-bao-ve-can-bo-sang-tao.md"].front_matter
    assert kl14["number"] == "14-KL/TW"
    assert kl14["type"] == "Kết luận"
    assert kl14["issued"] == "2021-09-22"
    assert kl14["issuer"] == "Bộ Chính trị"
    qd55 = docs["55-QD-TW-2016-viec-can-lam-ngay.md"].front_matter
    assert (qd55["number"], qd55["issued"]) == ("55-QĐ/TW", "2016-12-19")
    hd121 = docs["121-HD-BTGTW-2023-ly-luan-chinh-tri.md"].front_matter
    assert hd121["type"] == "Hướng dẫn" and hd121["issuer"] == "Ban Tuyên giáo Trung ương"
    kh = docs["222-KH-TU-2023-laichau.txt"]
    assert "Số 222-KH/TU" in kh.text and "Lai Châu, ngày 18 tháng 12 năm 2023" in kh.text


def test_corpus_through_read_bytes_same_as_read_path():
    for p in CORPUS_FILES:
        assert read_bytes(p.read_bytes(), p.name) == read_path(p)


# --------------------------------------------------------------------------------------------
# .txt / .md decoding and normalisation


def test_txt_nfd_comes_out_nfc(tmp_path):
    nfd = unicodedata.normalize("NFD", SAMPLE_VI)
    assert nfd != SAMPLE_VI
    f = tmp_path / "nfd.txt"
    f.write_bytes(nfd.encode("utf-8"))
    assert read_path(f).text == SAMPLE_VI


def test_crlf_bom_and_invisible_characters():
    text = "\ufeffĐẢNG CỘNG\u200b SẢN\r\nVIỆT\u202e NAM\r\n\u2066Số 222\u2069-KH/TU\rcuối\u2028dòng\x00"
    doc = read_bytes(text.encode("utf-8"), "a.txt")
    assert doc.text == "ĐẢNG CỘNG SẢN\nVIỆT NAM\nSố 222-KH/TU\ncuối\ndòng"
    assert_clean(doc)


def test_ordinary_text_is_kept_verbatim():
    text = "I- MỤC ĐÍCH, YÊU CẦU\n\n\t- *Tiếp tục* cụ thể hóa…  “Kết luận 01”  \n\n\n2.1. a) b)\n"
    assert read_bytes(text.encode(), "a.txt").text == text


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_unicode_with_bom(codec):
    data = SAMPLE_VI.encode(codec)
    if codec in ("utf-16-le", "utf-16-be"):
        data = "\ufeff".encode(codec) + data
    assert read_bytes(data, "a.txt").text == SAMPLE_VI


def test_utf16_without_bom_is_refused_with_advice():
    e = error(read_bytes, SAMPLE_VI.encode("utf-16-le"), "a.txt")
    assert e.code == "binary" and "UTF-16" in e.message


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "viscii", "cp1258"])
def test_legacy_text_is_converted_and_marked(tmp_path, encoding):
    from support.legacy import ENCODERS

    f = tmp_path / "cu.txt"
    f.write_bytes(ENCODERS[encoding](SAMPLE_VI))
    doc = read_path(f)
    assert doc.text == SAMPLE_VI and doc.provenance.legacy_encodings == (encoding,)
    assert_clean(doc)


def test_legacy_md_keeps_its_front_matter():
    md = "---\nnumber: 12-KH/TU\ntitle: Kế hoạch học tập\n---\n" + SAMPLE_VI
    doc = read_bytes(to_tcvn3(md), "cu.md")
    assert doc.front_matter == {"number": "12-KH/TU", "title": "Kế hoạch học tập"} and doc.text == SAMPLE_VI


def test_legacy_bytes_of_no_certain_encoding_are_refused(tmp_path):
    f = tmp_path / "cu.txt"
    f.write_bytes(b"Noi dung \x8f\x81qx \xa4\xa4\xa4x zz\xfe\xfe " * 20)
    e = error(read_path, f)
    assert e.code == "legacy_encoding"
    assert "'cu.txt'" in e.message and "TCVN3" in e.message and "UTF-8" in e.message


def test_tcvn3_mojibake_saved_as_utf8_is_repaired():
    bad = tcvn3_mojibake(SAMPLE_VI)
    assert "TØnh ñy" in bad
    doc = read_bytes(bad.encode("utf-8"), "loi-ma.txt")
    assert doc.text == SAMPLE_VI and doc.provenance.legacy_encodings == ("tcvn3",)


def test_mojibake_no_table_explains_is_refused():
    bad = "Kết luận: " + "Øþ×ßÞ ÆÇ¸ ÐÑÒ ½¼»" * 6
    e = error(read_bytes, bad.encode("utf-8"), "loi-ma.txt")
    assert e.code == "legacy_encoding" and "lỗi mã" in e.message


def test_foreign_names_are_not_mojibake():
    text = SAMPLE_VI + " Trích dẫn: Müller, Gößling, Françoise, Ørsted, São Paulo, Zürich, Besançon."
    assert read_bytes(text.encode(), "a.txt").text == text


@pytest.mark.parametrize(
    "data, hint",
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG"),
        (b"abc\x00\x00\x01\x02\x03" * 50, None),
        (bytes(200), None),
        (b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n", "PDF"),
        (b"\xff\xd8\xff\xe0" + bytes(100), "JPEG"),
        ("{\\rtf1\\ansi Việt Nam}".encode(), "RTF"),
    ],
)
def test_binary_renamed_txt(data, hint):
    for name in ("x.txt", "x.md"):
        e = error(read_bytes, data, name)
        assert e.code == "binary"
        assert "không phải tệp văn bản" in e.message
        if hint:
            assert hint in e.message


def test_docx_renamed_txt_says_so():
    e = error(read_bytes, gen.make_docx(["Xin chào"]), "x.txt")
    assert e.code == "binary" and ".docx" in e.message


@pytest.mark.parametrize("suffix", SUPPORTED_SUFFIXES)
@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  "])
def test_empty(tmp_path, suffix, data):
    f = tmp_path / f"rong{suffix}"
    f.write_bytes(data)
    e = error(read_path, f)
    assert e.code == "empty" and f"'rong{suffix}'" in e.message


def test_whitespace_only_after_decoding_is_empty():
    assert error(read_bytes, "\ufeff \u200b\n".encode("utf-16"), "a.txt").code == "empty"
    assert error(read_bytes, gen.make_docx(["", "   "]), "a.docx").code == "empty"


# --------------------------------------------------------------------------------------------
# .md front matter


def test_front_matter_keys_lowercased_dates_iso_values_nfc():
    md = (
        "---\r\nNumber: 01-KL/TW\r\nIssued: 2021-05-18\r\nUpdated: 2024-01-02 10:30:00\r\n"
        "Title: " + unicodedata.normalize("NFD", "Kết luận") + "\r\ntags: [a, 2021-01-01]\r\n---\r\n"
        "Nội dung *chính*.\r\n"
    )
    doc = read_bytes(("\ufeff" + md).encode("utf-8"), "kl.md")
    assert doc.front_matter == {
        "number": "01-KL/TW",
        "issued": "2021-05-18",
        "updated": "2024-01-02T10:30:00",
        "title": "Kết luận",
        "tags": ["a", "2021-01-01"],
    }
    assert doc.text == "Nội dung *chính*.\n"


def test_txt_front_matter_is_parsed_like_md():
    body = "KẾ HOẠCH\n\n1. Nội dung.\n"
    md = "---\nnumber: 102-KH/ĐU\ntitle: Kế hoạch thực hiện\nissued: 2025-03-24\n---\n\n" + body
    txt, as_md = read_bytes(md.encode(), "kh.txt"), read_bytes(md.encode(), "kh.md")
    assert txt.format == "txt" and as_md.format == "md"
    assert txt.front_matter == as_md.front_matter == {
        "number": "102-KH/ĐU", "title": "Kế hoạch thực hiện", "issued": "2025-03-24"}
    assert txt.text == as_md.text == "\n" + body
    assert error(read_bytes, b"---\nnumber: [x\n---\nB\n", "a.txt").code == "front_matter"
    # a rule line that opens a plain text is body, as in .md
    assert read_bytes(b"---\n\nQUY \xc4\x90\xe1\xbb\x8aNH\n", "a.txt").text == "---\n\nQUY ĐỊNH\n"


def test_dev_corpus_txt_with_front_matter_keeps_number_title_issuer():
    shared = next((p for p in (ROOT.parent / "shared", Path("/work/shared")) if p.is_dir()), None)
    if shared is None:
        pytest.skip("../shared is not beside the clone")
    doc = read_path(shared / "eval" / "corpus-dev" / "102-KH-DU-2025-khoi-co-quan.txt")
    fm = doc.front_matter
    assert fm["number"] == "102-KH/ĐU" and fm["issued"] == "2025-03-24"
    assert fm["issuer"].startswith("Ban Thường vụ Đảng ủy Khối") and fm["title"].startswith("Kế hoạch thực hiện")
    assert not doc.text.lstrip().startswith("---") and "synthetic:" not in doc.text
    from ingest.pipeline import build_document

    built = build_document(doc)
    assert built.number == "102-KH/ĐU" and built.title == fm["title"] and built.issuer == fm["issuer"]


def test_md_without_front_matter():
    text = "QUY ĐỊNH\n\n-------\nĐiều 1. Yêu nước\n"
    doc = read_bytes(text.encode(), "a.md")
    assert doc.front_matter == {} and doc.text == text


def test_md_leading_rule_without_closing_is_body():
    text = "---\n\nQUY ĐỊNH về chuẩn mực\n"
    doc = read_bytes(text.encode(), "a.md")
    assert doc.front_matter == {} and doc.text == text


def test_md_empty_front_matter_block():
    doc = read_bytes(b"---\n---\nBody\n", "a.md")
    assert doc.front_matter == {} and doc.text == "Body\n"


@pytest.mark.parametrize(
    "md",
    [
        "---\nnumber: [unclosed\ntitle: x\n---\nBody\n",
        "---\ntitle: a: b: c\n---\nBody\n",
        "---\n- just\n- a list\n---\nBody\n",
        "---\nnumber: 1\ntitle: no closing line\n\nBody\n",
        "---\n!!python/object:os.system {}\n---\nBody\n",
        "---\na: &a [*a, *a]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\nB\n",
    ],
    ids=["unclosed-list", "bad-mapping", "not-a-mapping", "no-closing", "python-tag", "alias-cycle"],
)
def test_bad_front_matter(md):
    e = error(read_bytes, md.encode(), "hong.md")
    assert e.code == "front_matter" and "'hong.md'" in e.message


def test_bad_front_matter_names_the_line():
    e = error(read_bytes, b"---\nnumber: 1\ntitle: [x\n---\nB\n", "a.md")
    assert "dòng" in e.message


def test_md_front_matter_only_is_empty():
    e = error(read_bytes, b"---\nnumber: 1-KL/TW\n---\n\n", "a.md")
    assert e.code == "empty"


