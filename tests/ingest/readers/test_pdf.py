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




# --------------------------------------------------------------------------------------------
# A word processor's PDF (LibreOffice "export as PDF" of a .docx): wrapped lines, footnote markers in a
# small font, footnotes at the foot of their pages, a header and a signature block of short lines.

_FILLER = ("Các cấp ủy rà soát danh sách đảng viên; cập nhật hồ sơ còn thiếu; bổ sung lý lịch của người mới "
           "chuyển đến; đối chiếu số thẻ đảng viên với sổ danh sách; kịp thời báo cáo những trường hợp chưa "
           "thống nhất giữa các nguồn số liệu và đề xuất hướng xử lý phù hợp với điều kiện thực tế của địa phương.")
CT_HEADER = ["TỈNH ỦY BÌNH NGUYÊN", "*", "Số 08-CT/TU", "ĐẢNG CỘNG SẢN VIỆT NAM",
             "Bình Nguyên, ngày 14 tháng 3 năm 2027", "CHỈ THỊ",
             "về tăng cường công tác quản lý đảng viên và sinh hoạt chi bộ ở cơ sở trên địa bàn tỉnh "
             "Bình Nguyên trong giai đoạn mới", "-----"]
CT_BODY = [
    "Thời gian qua, công tác quản lý đảng viên trên địa bàn tỉnh có nhiều chuyển biến; tỷ lệ chi bộ sinh hoạt "
    "đúng định kỳ đạt 96,4%{fn:1}, cao hơn năm trước; việc chuyển sinh hoạt đảng được thực hiện đúng quy định; "
    "tuy vậy, còn một số chi bộ ghi biên bản sơ sài; một số đảng viên đi làm ăn xa chưa giữ liên hệ với chi bộ; "
    "việc nhận xét đảng viên nơi cư trú có nơi còn hình thức. Tỷ lệ chi bộ xếp loại hoàn thành tốt nhiệm vụ "
    "của các năm từ 2015 đến 2026 lần lượt là (%): 81,2; 82,5; 83,1; 84,0; 84,6; 85,3; 86,2; 87,0; 87,9; "
    "88,4; 89,1; 90,3; số đảng viên mới kết nạp lần lượt là: 1.204; 1.187; 1.256; 1.302; 1.275; 1.318; "
    "1.344; 1.296; 1.351; 1.402; 1.387; 1.425.",
    "1. Nâng cao chất lượng sinh hoạt chi bộ. " + _FILLER,
    "2. Quản lý chặt chẽ đảng viên đi làm ăn xa. " + _FILLER,
    "3. Rà soát hồ sơ đảng viên. " + " ".join([_FILLER] * 3),
    "4. Kiểm tra, giám sát. " + " ".join([_FILLER] * 2),
    "5. Bồi dưỡng bí thư chi bộ. Các huyện ủy tổ chức bồi dưỡng cho 100% bí thư chi bộ thuộc nhóm 3{fn:2} "
    "trong năm 2027; nội dung bồi dưỡng gồm nghiệp vụ công tác đảng, kỹ năng điều hành sinh hoạt chi bộ và "
    "cách ghi biên bản; kết thúc mỗi lớp có bài kiểm tra; kết quả được báo cáo về Ban Tổ chức Tỉnh ủy trước "
    "ngày 30/11/2027. " + _FILLER,
    "6. Tổ chức thực hiện. " + " ".join([_FILLER] * 3) + " Chỉ thị này được phổ biến đến chi bộ.",
]
CT_CLOSING = ["Nơi nhận:", "- Các huyện ủy, thị ủy,", "- Lưu Văn phòng Tỉnh ủy.", "T/M BAN THƯỜNG VỤ", "BÍ THƯ",
              "(đã ký)", "Trần Văn Khải"]
CT_NOTES = {1: "Số liệu do Ban Tổ chức Tỉnh ủy tổng hợp tại hội nghị sơ kết năm 2026.",
            2: "Nhóm 3 gồm bí thư chi bộ thôn, bản, tổ dân phố mới được bầu lần đầu trong nhiệm kỳ."}


@pytest.fixture(scope="module")
def word_processor_pdf(tmp_path_factory) -> bytes:
    from ingest.readers import office
    from support.pdf_files import docx_to_pdf

    if office.soffice() is None:
        pytest.skip("LibreOffice (libreoffice-writer-nogui) not installed")
    return docx_to_pdf(gen.make_docx(CT_HEADER + CT_BODY + CT_CLOSING, CT_NOTES), tmp_path_factory.mktemp("ct"))


@pytest.mark.slow
def test_word_processor_pdf_reads_like_its_text(word_processor_pdf):
    from collections import Counter

    from ingest.pipeline import build_document

    raw = read_bytes(word_processor_pdf, "08-ct-tu.pdf")
    # what the text layer gives: wrapped lines, one ending in ";" before a line in lower case, a
    # footnote at a page's foot cutting a sentence, the markers as superscripts
    assert re.search(r"; ?\n[a-zđ0-9]", raw.text)
    assert re.search(r"[^.;:]\n1 Số liệu do Ban Tổ chức[^\n]*\n\n[a-zđ]", raw.text)
    assert "96,4%¹," in raw.text and "nhóm 3² trong" in raw.text
    d = build_document(raw)
    assert (d.number, d.issued.isoformat(), d.issuer, d.signer) == ("08-CT/TU", "2027-03-14", "Tỉnh ủy Bình Nguyên", "Trần Văn Khải")
    assert d.title == CT_HEADER[6]
    assert d.text.startswith("\n".join(CT_HEADER) + "\n")
    body = d.text[:d.footnotes[0].start]
    for para in CT_BODY:  # every sentence whole: each paragraph is one line of the text
        assert para.replace("{fn:1}", "¹").replace("{fn:2}", "²") in body.split("\n"), para[:40]
    # the closing's lines each a line of its own (a page break may fall between them)
    assert re.search(r"\n" + r"\n+".join(map(re.escape, CT_CLOSING)) + r"\n+\(1\)", d.text)
    assert [(f.number, f.text) for f in d.footnotes] == sorted(CT_NOTES.items())
    assert d.text.endswith("\n(1) " + CT_NOTES[1] + "\n(2) " + CT_NOTES[2])
    assert [d.text[f.marker_start:f.marker_end] for f in d.footnotes] == ["¹", "²"]
    assert d.footnotes[1].section == "5"
    assert [s.path for s in d.sections] == ["1", "2", "3", "4", "5", "6"]
    # nothing of the text layer lost: the same words, the footnotes' numbers "1", "2" now "(1)", "(2)"
    have, had = Counter(d.text.split()), Counter(raw.text.split())
    assert had - have == Counter({"1": 1, "2": 1}) and have - had == Counter({"(1)": 1, "(2)": 1})


def test_small_digits_glued_to_a_word_are_footnote_markers():
    """A marker drawn in a small font after a word (or a figure: "nhóm 3²") is a superscript in the
    text; a figure in the body's size is not, nor a small number standing apart."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas
    from support.pdf_files import DEJAVU

    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", DEJAVU))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    y = 800
    for before, mark, after in [("Các chi bộ thuộc nhóm 3", "2", " báo cáo trước ngày 15/6."),
                                ("Tỷ lệ đạt 96,4%", "1", ", cao hơn năm trước.")]:
        t = c.beginText(50, y)
        t.setFont("DejaVuSans", 12)
        t.textOut(before)
        t.setFont("DejaVuSans", 7)
        t.setRise(4)
        t.textOut(mark)
        t.setRise(0)
        t.setFont("DejaVuSans", 12)
        t.textOut(after)
        c.drawText(t)
        y -= 18
    c.setFont("DejaVuSans", 7)
    c.drawString(300, 40, "3")  # a page number in small print, glued to nothing
    c.save()
    text = read_bytes(buf.getvalue(), "x.pdf").text
    assert "nhóm 3² báo cáo trước ngày 15/6." in text and "96,4%¹, cao hơn" in text
    assert "15/6" in text and text.rstrip().endswith("3")


# --------------------------------------------------------------------------------------------
# Ruled tables: a duty table drawn with lines comes out one row a line, its cells between pipes (the
# pipe-table shape ingest.tables reads), each wrapped cell's lines joined; the prose around it as the
# text layer gives it. Invented plan of a fictional district.

TABLE_BEFORE = ["Huyện ủy Đồi Mây giao nhiệm vụ như sau.", "Các cơ quan thực hiện theo bảng dưới đây."]
TABLE_AFTER = ["Các cơ quan báo cáo kết quả về Văn phòng Huyện ủy.", "Kế hoạch này được phổ biến đến chi bộ."]
TABLE_ROWS = [
    ["TT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian"],
    ["1", "Hội nghị triển khai chuyên đề trồng rừng đầu nguồn cấp huyện", "Ban Tuyên giáo Huyện ủy",
     "Văn phòng Huyện ủy, Trung tâm Chính trị huyện", "Trước ngày 20/9/2031"],
    ["2", "Rà soát quy hoạch vùng chè Shan tuyết trên núi Mây", "Ban Kinh tế Huyện ủy", "",
     "Chậm nhất ngày 15/11/2031"],
    ["3", "Kiểm tra việc giữ rừng tại các xã vùng cao", "Ủy ban Kiểm tra Huyện ủy",
     "Ban Tổ chức Huyện ủy, các đảng ủy xã", "Quý IV/2031"],
]
TABLE_WIDTHS_CM = [1.2, 6.0, 3.2, 4.2, 2.6]  # narrow enough that every long cell wraps to two lines


def _plan_docx(rows: list[list[str]], *, ruled: bool = True, header_repeats: bool = False,
               before: list[str] = TABLE_BEFORE, after: list[str] = TABLE_AFTER) -> bytes:
    """A .docx (python-docx): short paragraphs, a table (with "Table Grid" lines when `ruled`), short
    paragraphs; column widths fixed."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    doc = docx.Document()
    for line in before:
        doc.add_paragraph(line)
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    if ruled:
        table.style = "Table Grid"
    table.autofit = False
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.width = Cm(TABLE_WIDTHS_CM[c])
            cell.paragraphs[0].add_run(value)
    if header_repeats:  # Word's "repeat as header row at the top of each page"
        tr_pr = table.rows[0]._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:tblHeader"))
    for line in after:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _pipes(row: list[str]) -> str:
    return "| " + " | ".join(row) + " |"


@pytest.fixture(scope="module")
def soffice_pdf(tmp_path_factory):
    from ingest.readers import office
    from support.pdf_files import docx_to_pdf

    if office.soffice() is None:
        pytest.skip("LibreOffice (libreoffice-writer-nogui) not installed")
    return lambda docx_bytes: docx_to_pdf(docx_bytes, tmp_path_factory.mktemp("lo"))


@pytest.fixture(scope="module")
def ruled_table_pdf(soffice_pdf) -> bytes:
    return soffice_pdf(_plan_docx(TABLE_ROWS))


@pytest.mark.slow
def test_ruled_table_reads_one_line_per_row_between_the_prose(ruled_table_pdf):
    from pypdf import PdfReader

    # the text layer alone has the cells' wrapped lines, no cell boundaries
    layer = PdfReader(io.BytesIO(ruled_table_pdf)).pages[0].extract_text()
    assert "Trung tâm Chính trị huyện" not in layer and _pipes(TABLE_ROWS[1]) not in layer
    text = read_bytes(ruled_table_pdf, "ke-hoach.pdf").text
    assert text == "\n".join(TABLE_BEFORE + [_pipes(r) for r in TABLE_ROWS] + TABLE_AFTER)


@pytest.mark.slow
def test_ruled_table_rows_become_duties_with_their_deadline_and_lead(ruled_table_pdf):
    from ingest.pipeline import build_document

    d = build_document(read_bytes(ruled_table_pdf, "ke-hoach.pdf"))
    (table,) = d.tables
    assert table.columns == TABLE_ROWS[0]
    assert [[d.text[c.start:c.end] for c in r.cells] for r in table.rows] == TABLE_ROWS[1:]
    rows = {o.section: o for o in d.obligations if o.context == (o.start, o.end)}
    assert sorted(rows) == ["dòng 1", "dòng 2", "dòng 3"]
    for n, row in enumerate(TABLE_ROWS[1:], 1):
        o = rows[f"dòng {n}"]
        assert (o.action, o.deadline.text) == (row[1], row[4])
        leads = [d.text[a.start:a.end] for a in o.actor_refs if a.part != "support"]
        assert leads and all(x in row[2] for x in leads), (leads, row[2])
    assert rows["dòng 1"].deadline.end.isoformat() == "2031-09-20"
    assert [x.path for x in d.sections] == ["dòng 1", "dòng 2", "dòng 3"]  # (no "20" or "2031" taken for a section)


def _row_duties(doc) -> list[tuple]:
    return sorted((o.section, o.action, o.deadline and o.deadline.text, tuple(o.actors))
                  for o in doc.obligations if o.context == (o.start, o.end))


@pytest.mark.slow
def test_a_table_without_lines_is_left_as_the_text_layer_gives_it(soffice_pdf):
    from pypdf import PdfReader

    data = soffice_pdf(_plan_docx(TABLE_ROWS, ruled=False))
    text = read_bytes(data, "ke-hoach.pdf").text
    lines = text.split("\n")
    assert "|" not in text and lines[:2] == TABLE_BEFORE and lines[2].startswith("TT Nội dung")
    assert text == PdfReader(io.BytesIO(data)).pages[0].extract_text().strip("\n")  # the text layer as it is


@pytest.mark.slow
def test_a_table_across_pages_is_one_table(soffice_pdf):
    """Its header row repeated on the next page is dropped, and a row the page break cuts is whole."""
    long_cell = " ".join(f"bước {k} giao cho tổ công tác rà soát hồ sơ đất rừng;" for k in range(1, 9))
    rows = [TABLE_ROWS[0]] + [
        [str(n), f"Việc thứ {n} của đợt ra quân giữ rừng đầu nguồn" + (": " + long_cell if n == 6 else ""),
         "Ban Kinh tế Huyện ủy", "Các đảng ủy xã", f"Trước ngày {n}/10/2031"]
        for n in range(1, 11)
    ]
    data = soffice_pdf(_plan_docx(rows, header_repeats=True))
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:  # what the pages draw: the header again, a row cut
        tops = [[[" ".join((c or "").split()) for c in r] for r in t.extract()[:2]]
                for page in pdf.pages[1:] for t in page.find_tables()]
    assert any(top[0] == rows[0] and top[1][0] == "" for top in tops), tops
    text = read_bytes(data, "ke-hoach.pdf").text
    table_lines = [ln for ln in text.split("\n") if ln.startswith("| ")]
    assert table_lines == [_pipes(r) for r in rows]
    from ingest.pipeline import build_document

    d = build_document(read_bytes(data, "ke-hoach.pdf"))
    assert len(d.tables) == 1 and len(d.tables[0].rows) == 10
    # the same duties as the .docx the PDF was printed from
    duties = _row_duties(d)
    assert len(duties) == 10 and all(x[2] for x in duties)
    assert duties == _row_duties(build_document(read_bytes(_plan_docx(rows), "ke-hoach.docx")))


@pytest.mark.slow
def test_a_landscape_page_turned_by_rotate_reads_its_table_the_same(ruled_table_pdf):
    """A landscape page stored as a portrait page drawn sideways and turned by /Rotate (as scanners
    and "rotate page" tools store it) reads like the upright page; a page of upright text merely
    turned by /Rotate (shown sideways) keeps the text layer's lines."""
    from pypdf import PdfReader, PdfWriter, Transformation
    from pypdf.generic import RectangleObject

    upright = read_bytes(ruled_table_pdf, "a.pdf").text
    w0, h0 = (float(v) for v in PdfReader(io.BytesIO(ruled_table_pdf)).pages[0].mediabox[2:])

    def turned(rotate: int, content: Transformation | None) -> bytes:
        w = PdfWriter(clone_from=io.BytesIO(ruled_table_pdf))
        page = w.pages[0]
        if content is not None:
            page.add_transformation(content)
            page.mediabox = RectangleObject([0, 0, h0, w0])
        page.rotate(rotate)
        out = io.BytesIO()
        w.write(out)
        return out.getvalue()

    # exact matrices: rotate(90) writes cos 90° as 6e-17, and pdfplumber then misses some rulings
    assert read_bytes(turned(90, Transformation((0, 1, -1, 0, h0, 0))), "b.pdf").text == upright
    assert read_bytes(turned(270, Transformation((0, -1, 1, 0, 0, w0))), "c.pdf").text == upright
    sideways = read_bytes(turned(90, None), "d.pdf").text
    assert "|" not in sideways and sideways.split("\n")[:2] == TABLE_BEFORE
