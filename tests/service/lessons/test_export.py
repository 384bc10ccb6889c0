"""Lesson exports (service/lessons/export.py): safe file names, the .docx (headings, numbered quotes,
footnotes, sources; rendered by LibreOffice headless) and the Markdown."""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess

import pytest
from docx import Document as DocxDocument
from docx.oxml.ns import qn
from pypdf import PdfReader

from conftest import ROOT
from service.lessons.build import build_lesson
from service.lessons.export import lesson_docx, lesson_filename, lesson_markdown


SHOTS = ROOT / "eval" / "screenshots"


def test_filenames_are_safe_and_named_after_the_topic():
    assert lesson_filename("Nêu gương", "docx") == "bai-giang-neu-guong.docx"
    assert lesson_filename("Mặt trận Tổ quốc giám sát", "md") == "bai-giang-mat-tran-to-quoc-giam-sat.md"
    for evil in ('../../etc/passwd', 'a"b\r\nX-Evil: 1', "///", "đ" * 500):
        name = lesson_filename(evil, "docx")
        assert re.fullmatch(r"bai-giang(-[a-z0-9]+)*\.docx", name) and len(name) <= 80, name


def test_docx_has_headings_numbered_quotes_footnotes_and_sources(lessons):
    lesson = lessons["kế hoạch cá nhân"]
    doc = DocxDocument(io.BytesIO(lesson_docx(lesson)))
    paragraphs = [p.text for p in doc.paragraphs]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert lesson["title"] in headings
    for part in lesson["parts"]:
        assert part["heading"] in headings
    assert {"I. Văn bản sử dụng", "II. Nội dung chính", "IV. Câu hỏi ôn tập", "Nguồn"} <= set(headings)
    # Every point, numbered, as its verbatim quote; every question with its answer.
    points = [p["citation"]["quote"] for part in lesson["parts"] for p in part["points"]]
    for i, quote in enumerate(points, 1):
        assert f"{i}.\t“{quote}”" in paragraphs
    for q in lesson["questions"]:
        assert any(q["question"] in t for t in paragraphs) and f"Đáp án: {q['answer']}" in paragraphs
    # Real footnotes: one per reference, each naming its source document.
    part = doc.part.part_related_by("http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes")
    xml = part.blob.decode("utf-8")
    refs = sum(len(p._p.findall(".//{*}footnoteReference")) for p in doc.paragraphs)
    notes = re.findall(r'<w:footnote w:id="(\d+)">', xml)
    assert refs == len(notes) >= len(points) + len(lesson["questions"])
    assert xml.count("222-KH/TU") >= len(notes)
    # The sources list names every document used.
    tail = paragraphs[paragraphs.index("Nguồn"):]
    assert all(any(d["number"] in t for t in tail) for d in lesson["documents"])


def test_markdown_export_cites_every_point_and_escapes_markup(lessons):
    lesson = lessons["nêu gương"]
    text = lesson_markdown(lesson)
    assert text.startswith(f"# {lesson['title']}")
    refs = set(re.findall(r"\[\^(\d+)\](?!:)", text))
    defs = set(re.findall(r"^\[\^(\d+)\]:", text, re.M))
    assert refs == defs and len(defs) >= sum(len(p["points"]) for p in lesson["parts"])
    hostile = {**lesson, "parts": [{**lesson["parts"][0], "points": [{**lesson["parts"][0]["points"][0], "citation": {
        **lesson["parts"][0]["points"][0]["citation"], "quote": "<script>x()</script> *đậm* [liên kết](http://x)"}}]}]}
    out = lesson_markdown(hostile)
    assert "<script>" not in out and r"\<script\>" in out and r"\*đậm\*" in out and r"\[liên kết\]" in out


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def test_docx_renders_with_libreoffice(lessons, tmp_path):
    """The .docx opens in LibreOffice (headless, the Debian package): converted to PDF it has pages
    and the lesson's text. One rendered page is kept as eval/screenshots/lesson-page.png."""
    soffice = _soffice()
    if soffice is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (libreoffice-writer-nogui) không có trong CI", pytrace=False)
        pytest.skip("không có LibreOffice (apt-get install libreoffice-writer-nogui)")
    lesson = lessons["kế hoạch cá nhân"]
    src = tmp_path / lesson_filename(lesson["topic"], "docx")
    src.write_bytes(lesson_docx(lesson))
    profile = (tmp_path / "lo-profile").as_uri()  # its own profile: no clash with another LibreOffice
    r = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(tmp_path), str(src)], capture_output=True, text=True, timeout=300)
    pdf = src.with_suffix(".pdf")
    assert r.returncode == 0 and pdf.exists(), r.stdout + r.stderr
    reader = PdfReader(str(pdf))
    assert len(reader.pages) > 0
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert lesson["title"] in text and "Hoàn thành xây dựng kế hoạch trong tháng 01/2024." in text
    if shutil.which("pdftoppm"):  # the README's picture of a rendered page
        SHOTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(SHOTS / "lesson-page")], check=True, timeout=120)


def test_docx_is_a4_in_administrative_typography(kb):
    doc = DocxDocument(io.BytesIO(lesson_docx(build_lesson(kb, "nêu gương"))))
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    assert 20 <= round(sec.top_margin.mm) <= 25 and 20 <= round(sec.bottom_margin.mm) <= 25
    assert 30 <= round(sec.left_margin.mm) <= 35 and 15 <= round(sec.right_margin.mm) <= 20
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "List Bullet"):
        style = doc.styles[name]
        fonts = style.element.rPr.rFonts
        assert style.font.name == "Times New Roman", name
        assert fonts.get(qn("w:asciiTheme")) is None and fonts.get(qn("w:hAnsiTheme")) is None, name
        assert 13 <= style.font.size.pt <= 16, name
        color = style.element.rPr.find(qn("w:color"))
        assert color is None or (color.get(qn("w:val")) == "000000" and color.get(qn("w:themeColor")) is None), name
    assert doc.styles["Normal"].font.size.pt in (13, 14)
    props = doc.core_properties
    assert props.author == "Sổ tay" and props.last_modified_by == "Sổ tay" and "python-docx" not in (props.comments or "")
    header = doc.sections[0].header.paragraphs[0]._p.xml
    assert "PAGE" in header  # page numbers, centred at the top
