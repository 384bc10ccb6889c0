"""service/lessons/export.py: the .docx a trainer prints — A4, Vietnamese administrative typography
(Times New Roman 13–14 pt, black headings without theme fonts or colours, margins in the ranges of
Nghị định 30/2020), page numbers, and the service as author."""
from __future__ import annotations

import io

from docx import Document as DocxDocument
from docx.oxml.ns import qn

from service.lessons.build import build_lesson
from service.lessons.export import lesson_docx


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
