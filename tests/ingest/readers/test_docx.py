"""ingest.readers.docx: paragraphs, tables, footnotes, numbering, legacy fonts, broken packages."""
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
from ingest.readers import archive
from support.legacy import SAMPLE_VI, tcvn3_mojibake
from support.pdf_files import make_pdf


# --------------------------------------------------------------------------------------------
# .docx

HEADER_TABLE = (
    "table",
    [["TỈNH ỦY LAI CHÂU", "ĐẢNG CỘNG SẢN VIỆT NAM"], ["Số 222-KH/TU", "Lai Châu, ngày 18 tháng 12 năm 2023"]],
)


def test_docx_paragraphs_table_footnotes(tmp_path):
    data = gen.make_docx(
        [
            HEADER_TABLE,
            "KẾ HOẠCH",
            "Thực hiện Kết luận số 01-KL/TW{fn:1}, ngày 18/5/2021 của Bộ Chính trị.",
            "",
            "I- MỤC ĐÍCH, YÊU CẦU",
            "- Gắn với thực hiện Quy định số 144-QĐ/TW{fn:2} và Chỉ thị 05{fn:1}.",
        ],
        {1: "Kết luận số 01-KL/TW về tiếp tục thực hiện Chỉ thị số 05-CT/TW.", 2: "Quy định chuẩn mực đạo đức."},
    )
    f = tmp_path / "ke-hoach.docx"
    f.write_bytes(data)
    doc = read_path(f)
    assert_clean(doc)
    assert doc.format == "docx" and doc.front_matter == {}
    assert doc.text == (
        "TỈNH ỦY LAI CHÂU\nĐẢNG CỘNG SẢN VIỆT NAM\nSố 222-KH/TU\nLai Châu, ngày 18 tháng 12 năm 2023\n"
        "KẾ HOẠCH\n"
        "Thực hiện Kết luận số 01-KL/TW¹, ngày 18/5/2021 của Bộ Chính trị.\n"
        "\n"
        "I- MỤC ĐÍCH, YÊU CẦU\n"
        "- Gắn với thực hiện Quy định số 144-QĐ/TW² và Chỉ thị 05¹.\n"
        "\n"
        "(1) Kết luận số 01-KL/TW về tiếp tục thực hiện Chỉ thị số 05-CT/TW.\n"
        "(2) Quy định chuẩn mực đạo đức."
    )


def test_docx_footnotes_numbered_by_first_reference_and_multi_digit():
    ids = list(range(12, 0, -1))  # referenced in reverse id order
    para = "Văn bản " + " ".join(f"ý{n}{{fn:{n}}}" for n in ids)
    data = gen.make_docx([para], {n: f"Chú thích số hiệu {n}" for n in ids})
    text = read_bytes(data, "a.docx").text
    body, notes = text.split("\n\n")
    assert body.startswith("Văn bản ý12¹ ý11² ý10³") and body.endswith("ý2¹¹ ý1¹²")
    lines = notes.split("\n")
    assert lines[0] == "(1) Chú thích số hiệu 12" and lines[9] == "(10) Chú thích số hiệu 3"
    assert len(lines) == 12


def test_docx_footnote_with_two_paragraphs_is_one_line():
    data = gen.make_docx(["A{fn:1}"], {1: ["Đoạn một.", "Đoạn hai."]})
    assert read_bytes(data, "a.docx").text == "A¹\n\n(1) Đoạn một. Đoạn hai."


def test_docx_reference_to_missing_footnote_is_dropped():
    data = gen.make_docx(["A{fn:7}B"], {1: "không được dẫn"})
    assert read_bytes(data, "a.docx").text == "AB"


def test_docx_auto_numbering_is_rendered():
    data = gen.make_docx(
        ["Căn cứ", ("style", "List Number", "Mục đích"), ("style", "List Number", "Yêu cầu"), "Hết"]
    )
    assert read_bytes(data, "a.docx").text == "Căn cứ\n1. Mục đích\n2. Yêu cầu\nHết"


def test_docx_nfd_comes_out_nfc():
    nfd = unicodedata.normalize("NFD", SAMPLE_VI)
    data = gen.make_docx([nfd, ("table", [[nfd]])])
    assert read_bytes(data, "a.docx").text == SAMPLE_VI + "\n" + SAMPLE_VI


def test_docx_tcvn3_text_without_its_font_name_is_repaired_by_content():
    data = gen.make_docx([tcvn3_mojibake(SAMPLE_VI)])
    doc = read_bytes(data, "vntime.docx")
    assert doc.text == SAMPLE_VI and doc.provenance.legacy_encodings == ("tcvn3",)


def test_docx_truncated(tmp_path):
    data = gen.make_docx([SAMPLE_VI])
    for cut in (len(data) // 2, len(data) - 30, 100):
        f = tmp_path / "cut.docx"
        f.write_bytes(data[:cut])
        e = error(read_path, f)
        assert e.code == "corrupt" and "'cut.docx'" in e.message


def test_docx_that_is_not_a_zip():
    assert error(read_bytes, SAMPLE_VI.encode(), "a.docx").code == "corrupt"
    e = error(read_bytes, make_pdf([["abc"]]), "a.docx")
    assert e.code == "corrupt" and "PDF" in e.message and ".pdf" in e.message
    e = error(read_bytes, gen.fake_ole2(), "cu.docx")
    assert e.code == "corrupt" and ".doc" in e.message
    e = error(read_bytes, gen.fake_ole2(encrypted=True), "mat-khau.docx")
    assert e.code == "encrypted" and "mật khẩu" in e.message


def test_docx_zip_without_word_document():
    data = gen.rezip(gen.make_docx(["x"]), drop=["word/document.xml"])
    assert error(read_bytes, data, "a.docx").code == "corrupt"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("[Content_Types].xml", "<Types/>")
    e = error(read_bytes, buf.getvalue(), "bang.docx")
    assert e.code == "corrupt" and "Excel" in e.message


def test_docx_with_many_entries_is_refused():
    data = gen.docx_with_many_entries(gen.make_docx(["x"]), archive.MAX_ENTRIES + 1)
    e = error(read_bytes, data, "bom.docx")
    assert e.code == "too_large"


def test_docx_zip_bomb_is_refused():
    data = gen.docx_with_huge_member(gen.make_docx(["x"]), 201)
    assert len(data) < 2 * 1024 * 1024
    e = error(read_bytes, data, "bom.docx")
    assert e.code == "too_large" and "MB" in e.message


def test_docx_xml_entities_are_not_expanded():
    data = gen.make_docx(["A{fn:1}"], {1: "x"})
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        notes = z.read("word/footnotes.xml").decode()
    evil = notes.replace(
        "<w:footnotes", '<!DOCTYPE w:footnotes [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w:footnotes', 1
    ).replace("> x<", ">&xxe;<")
    data = gen.rezip(data, [("word/footnotes.xml", evil.encode())], drop=["word/footnotes.xml"])
    try:
        text = read_bytes(data, "a.docx").text
    except ReadError as e:
        assert e.code == "corrupt"
    else:
        assert "root:" not in text


