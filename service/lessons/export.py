"""A `Lesson` (CONTRACT) as a file a trainer opens: Word (.docx, python-docx) or Markdown.

Both hold the same outline: the documents used, the key points (numbered, each a verbatim quote),
the obligations and deadlines, the review questions with their answers, the documents to fetch,
and a sources list. Every quote and answer carries a citation: a real footnote in Word (Word and
LibreOffice renumber them when the trainer edits), a `[^n]` footnote in Markdown.

Files are named after the topic: `bai-giang-neu-guong.docx` (accent-folded, ASCII, no path parts).
"""
from __future__ import annotations

import io
import re
from datetime import date

from docx import Document as new_docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor

from ingest.normalize import fold

from ..records import section_label

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MARKDOWN_TYPE = "text/markdown; charset=utf-8"
INTRO = ("Bài giảng soạn từ các văn bản trong kho Sổ tay. Mỗi ý là trích dẫn nguyên văn; "
         "nguồn của từng ý ghi ở chú thích.")
QUESTION_KINDS = {"deadline": "thời hạn", "actor": "chủ thể", "number": "con số", "list": "nội dung"}


# --------------------------------------------------------------------------------------------
# Names and labels
# --------------------------------------------------------------------------------------------


def lesson_filename(topic: str, ext: str) -> str:
    """'Nêu gương' → 'bai-giang-neu-guong.docx': ASCII letters, digits and '-', at most 80 chars."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(topic or "").lower()).strip("-")[:60].rstrip("-")
    return f"bai-giang-{slug}.{ext}" if slug else f"bai-giang.{ext}"


def vi_date(iso: str | None) -> str:
    try:
        d = date.fromisoformat(iso or "")
    except ValueError:
        return ""
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def doc_label(d: dict) -> str:
    number = d.get("number") or d.get("doc_number")
    label = " ".join(x for x in (d.get("type") or d.get("doc_type"), number) if x)
    return label or d.get("title") or d.get("doc_title") or d.get("doc_id", "")


def citation_text(c: dict, types: dict[str, str | None], *, with_quote: bool) -> str:
    """'Kế hoạch 222-KH/TU (18/12/2023), mục II.2.2: “…”.'"""
    label = doc_label({"type": types.get(c["doc_id"]), "number": c.get("doc_number"), "doc_id": c["doc_id"],
                       "title": c.get("doc_title")})
    issued = vi_date(c.get("issued"))
    out = label + (f" ({issued})" if issued else "")
    where = section_label(c.get("section"))
    out += f", {where}" if where else ""
    if with_quote:
        out += f": “{c['quote']}”"
    return out + "."


def source_line(d: dict) -> str:
    """'Kế hoạch 222-KH/TU, ngày 18/12/2023, Tỉnh ủy Lai Châu: thực hiện … (bản trích).'"""
    parts = [doc_label(d)]
    if d.get("issued"):
        parts.append(f"ngày {vi_date(d['issued'])}")
    if d.get("issuer"):
        parts.append(d["issuer"])
    line = ", ".join(parts)
    if d.get("title"):
        line += f": {d['title']}"
    if d.get("completeness") == "partial":
        line += " (bản trích, không phải toàn văn)"
    return line


def missing_line(m: dict) -> str:
    line = " ".join(x for x in (m.get("type"), m.get("number")) if x)
    extra = ", ".join(x for x in (f"ngày {vi_date(m['issued'])}" if m.get("issued") else None, m.get("issuer")) if x)
    if extra:
        line += f" ({extra})"
    if m.get("title"):
        line += f": {m['title']}"
    return line


def _when(o: dict) -> str:
    d = o.get("deadline") or {}
    return d.get("text") or o.get("recurrence") or "không nêu thời hạn"


def _types(lesson: dict) -> dict[str, str | None]:
    return {d["doc_id"]: d.get("type") for d in lesson.get("documents") or []}


def _point_keys(lesson: dict) -> set[int]:
    return {p["citation"]["n"] for part in lesson.get("parts") or [] for p in part["points"]}


# --------------------------------------------------------------------------------------------
# Word
# --------------------------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


class _Footnotes:
    """Real Word footnotes: python-docx has no API for them, so the part is written here (the
    separators Word expects, then one note per reference)."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    def add(self, paragraph, text: str) -> None:
        self.notes.append(text)
        run = paragraph.add_run()
        rpr = run._r.get_or_add_rPr()
        rpr.append(parse_xml(f'<w:vertAlign xmlns:w="{_W}" w:val="superscript"/>'))
        run._r.append(parse_xml(f'<w:footnoteReference xmlns:w="{_W}" w:id="{len(self.notes)}"/>'))

    def attach(self, document) -> None:
        if not self.notes:
            return
        body = [f'<w:footnotes xmlns:w="{_W}">',
                '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
                '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
                '</w:r></w:p></w:footnote>']
        for i, text in enumerate(self.notes, 1):
            body.append(
                f'<w:footnote w:id="{i}"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
                '<w:r><w:rPr><w:vertAlign w:val="superscript"/><w:sz w:val="24"/></w:rPr><w:footnoteRef/></w:r>'
                f'<w:r><w:rPr><w:sz w:val="24"/></w:rPr><w:t xml:space="preserve"> {_xml(text)}</w:t></w:r>'
                '</w:p></w:footnote>')
        body.append("</w:footnotes>")
        part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, "".join(body).encode("utf-8"),
                    document.part.package)
        document.part.relate_to(part, RT.FOOTNOTES)


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xml(text: str) -> str:
    text = _XML_BAD.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _clean(text: str) -> str:
    """Text for a Word run: XML forbids most control characters."""
    return _XML_BAD.sub("", text)


def _numbered(document, number: str, text: str):
    p = document.add_paragraph()
    p.paragraph_format.left_indent = Pt(22)
    p.paragraph_format.first_line_indent = Pt(-22)
    p.add_run(f"{number}\t")
    p.add_run(_clean(text))
    return p


# Vietnamese administrative typography (the presentation rules of Nghị định 30/2020/NĐ-CP): A4, Times
# New Roman 13–14 pt in black, margins top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm, page numbers
# centred at the top, single to 1.5 line spacing with at least 6 pt between paragraphs.
PAGE = (Mm(210), Mm(297))
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
FONT = "Times New Roman"
BODY_PT, HEADING_PT, TITLE_PT = 14, 14, 16
AUTHOR = "Sổ tay"  # the service writes the file; it is no person's and not "python-docx"


def _font(style, size: int, *, bold: bool | None = None) -> None:
    """One style in Times New Roman, black, `size` pt — theme fonts and colours (Word's blue
    Calibri Light headings) removed, so nothing overrides them."""
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.color.rgb = RGBColor(0, 0, 0)
    if bold is not None:
        style.font.bold = bold
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    color = rpr.find(qn("w:color"))
    if color is not None:
        for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
            color.attrib.pop(qn(attr), None)


def _administrative(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.header_distance = section.footer_distance = Mm(10)
    styles = document.styles
    _font(styles["Normal"], BODY_PT)
    normal = styles["Normal"].paragraph_format
    normal.space_before, normal.space_after, normal.line_spacing = Pt(0), Pt(6), 1.15
    for name, size in (("Title", TITLE_PT), ("Heading 1", HEADING_PT), ("Heading 2", HEADING_PT),
                       ("List Bullet", BODY_PT)):
        _font(styles[name], size, bold=None if name == "List Bullet" else True)
    title = styles["Title"]
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ppr = title.element.get_or_add_pPr()
    border = ppr.find(qn("w:pBdr"))
    if border is not None:  # the default template underlines the title in blue
        ppr.remove(border)
    title.paragraph_format.space_after = Pt(12)
    styles["Heading 1"].paragraph_format.space_before = Pt(12)
    styles["Heading 2"].font.italic = False
    # Page number, centred at the top.
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = header.add_run()
    for xml in (f'<w:fldChar xmlns:w="{_W}" w:fldCharType="begin"/>',
                f'<w:instrText xmlns:w="{_W}" xml:space="preserve"> PAGE </w:instrText>',
                f'<w:fldChar xmlns:w="{_W}" w:fldCharType="end"/>'):
        run._r.append(parse_xml(xml))
    props = document.core_properties
    props.author = props.last_modified_by = AUTHOR
    props.comments = "Bài giảng soạn từ trích dẫn nguyên văn các văn bản trong kho Sổ tay."
    props.keywords = "bài giảng; Sổ tay"
    props.category = "Bài giảng"


def lesson_docx(lesson: dict) -> bytes:
    document = new_docx()
    _administrative(document)
    notes = _Footnotes()
    types = _types(lesson)
    points = _point_keys(lesson)

    document.core_properties.title = _clean(lesson["title"])[:255]  # the format's limit
    document.core_properties.subject = _clean(lesson["topic"])[:255]
    document.add_heading(_clean(lesson["title"]), level=0)
    intro = document.add_paragraph()
    intro.add_run(INTRO).italic = True
    if not lesson.get("covered"):
        document.add_paragraph(_clean(lesson.get("note") or "")).runs[0].bold = True
        notes.attach(document)
        return _save(document)

    document.add_heading("I. Văn bản sử dụng", level=1)
    for d in lesson["documents"]:
        document.add_paragraph(_clean(source_line(d)), style="List Bullet")

    document.add_heading("II. Nội dung chính", level=1)
    i = 0
    for part in lesson["parts"]:
        document.add_heading(_clean(part["heading"]), level=2)
        for point in part["points"]:
            i += 1
            c = point["citation"]
            notes.add(_numbered(document, f"{i}.", f"“{c['quote']}”"), citation_text(c, types, with_quote=False))

    if lesson.get("obligations"):
        _docx_obligations(document, lesson["obligations"], notes, types, points)

    if lesson.get("questions"):
        _docx_questions(document, lesson["questions"], notes, types)

    if lesson.get("missing"):
        document.add_heading("V. Văn bản được dẫn chiếu nhưng chưa có trong kho", level=1)
        document.add_paragraph("Cần bổ sung để giảng đầy đủ:").runs[0].italic = True
        for m in lesson["missing"]:
            document.add_paragraph(_clean(missing_line(m)), style="List Bullet")

    document.add_heading("Nguồn", level=1)
    for i, d in enumerate(lesson["documents"], 1):
        _numbered(document, f"[{i}]", source_line(d))
    notes.attach(document)
    return _save(document)


def _docx_obligations(document, obligations: list[dict], notes: "_Footnotes", types: dict, points: set) -> None:
    document.add_heading("III. Nhiệm vụ và thời hạn", level=1)
    for i, o in enumerate(obligations, 1):
        p = _numbered(document, f"{i}.", "")
        p.add_run(_clean(_when(o)) + ": ").bold = True
        p.add_run(_clean(o["action"]))
        c = o["citation"]
        notes.add(p, citation_text(c, types, with_quote=c["n"] not in points))
        if o.get("deadline_citation"):
            dc = o["deadline_citation"]
            notes.add(p, "Thời hạn: " + citation_text(dc, types, with_quote=True))
        if o.get("actors"):
            who = document.add_paragraph(_clean("Đối tượng: " + "; ".join(o["actors"])))
            who.paragraph_format.left_indent = Pt(22)
            who.runs[0].italic = True


def _docx_questions(document, questions: list[dict], notes: "_Footnotes", types: dict) -> None:
    document.add_heading("IV. Câu hỏi ôn tập", level=1)
    for i, q in enumerate(questions, 1):
        p = _numbered(document, f"Câu {i}.", "")
        p.paragraph_format.left_indent = Pt(44)
        p.paragraph_format.first_line_indent = Pt(-44)
        p.add_run(_clean(q["question"])).bold = True
        a = document.add_paragraph()
        a.paragraph_format.left_indent = Pt(44)
        a.add_run("Đáp án: ").italic = True
        a.add_run(_clean(q["answer"]))
        notes.add(a, citation_text(q["citation"], types, with_quote=True))


def _save(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md(text: str) -> str:
    """Text shown as written: Markdown and HTML syntax in a quote must not act."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def lesson_markdown(lesson: dict) -> str:
    types = _types(lesson)
    points = _point_keys(lesson)
    used: dict[int, dict] = {}

    def ref(c: dict) -> str:
        used[c["n"]] = c
        return f"[^{c['n']}]"

    out = [f"# {md(lesson['title'])}", "", f"*{INTRO}*", ""]
    if not lesson.get("covered"):
        out += [f"**{md(lesson.get('note') or '')}**", ""]
        return "\n".join(out)
    out += ["## I. Văn bản sử dụng", ""]
    out += [f"- {md(source_line(d))}" for d in lesson["documents"]] + [""]
    out += ["## II. Nội dung chính", ""]
    i = 0
    for part in lesson["parts"]:
        out += [f"### {md(part['heading'])}", ""]
        for point in part["points"]:
            i += 1
            out.append(f"{i}. “{md(point['citation']['quote'])}”{ref(point['citation'])}")
        out.append("")
    if lesson.get("obligations"):
        out += ["## III. Nhiệm vụ và thời hạn", ""]
        for i, o in enumerate(lesson["obligations"], 1):
            marks = ref(o["citation"]) + (ref(o["deadline_citation"]) if o.get("deadline_citation") else "")
            line = f"{i}. **{md(_when(o))}**: {md(o['action'])}{marks}"
            if o.get("actors"):
                line += f"  \n   *Đối tượng: {md('; '.join(o['actors']))}*"
            out.append(line)
        out.append("")
    if lesson.get("questions"):
        out += ["## IV. Câu hỏi ôn tập", ""]
        for i, q in enumerate(lesson["questions"], 1):
            out += [f"{i}. **{md(q['question'])}**  ", f"   *Đáp án:* {md(q['answer'])}{ref(q['citation'])}"]
        out.append("")
    if lesson.get("missing"):
        out += ["## V. Văn bản được dẫn chiếu nhưng chưa có trong kho", ""]
        out += [f"- {md(missing_line(m))}" for m in lesson["missing"]] + [""]
    out += ["## Nguồn", ""]
    out += [f"{i}. {md(source_line(d))}" for i, d in enumerate(lesson["documents"], 1)] + [""]
    for n in sorted(used):
        c = used[n]
        out.append(f"[^{n}]: {md(citation_text(c, types, with_quote=n not in points))}")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------
# Plain text (the command line)
# --------------------------------------------------------------------------------------------


def lesson_text(lesson: dict) -> str:
    """The outline for a terminal: numbered points and questions with [n] markers, then the
    citations they point to."""
    out = [lesson["title"], ""]
    if not lesson.get("covered"):
        return "\n".join(out + [lesson.get("note") or ""]) + "\n"
    out.append("Văn bản sử dụng:")
    out += [f"  - {source_line(d)}" for d in lesson["documents"]]
    i = 0
    for part in lesson["parts"]:
        out += ["", part["heading"]]
        for point in part["points"]:
            i += 1
            out.append(f"  {i}. “{point['citation']['quote']}” [{point['citation']['n']}]")
    if lesson.get("obligations"):
        out += ["", "Nhiệm vụ và thời hạn:"]
        for o in lesson["obligations"]:
            marks = f"[{o['citation']['n']}]" + (f"[{o['deadline_citation']['n']}]" if o.get("deadline_citation") else "")
            out.append(f"  - {_when(o)}: {o['action']} {marks}")
    if lesson.get("questions"):
        out += ["", "Câu hỏi ôn tập:"]
        for i, q in enumerate(lesson["questions"], 1):
            out += [f"  {i}. {q['question']}", f"     Đáp án: {q['answer']} [{q['citation']['n']}]"]
    if lesson.get("missing"):
        out += ["", "Văn bản được dẫn chiếu nhưng chưa có trong kho:"]
        out += [f"  - {missing_line(m)}" for m in lesson["missing"]]
    types = _types(lesson)
    out += ["", "Trích dẫn:"]
    out += [f"  [{c['n']}] {citation_text(c, types, with_quote=False)}" for c in lesson["citations"]]
    return "\n".join(out) + "\n"
