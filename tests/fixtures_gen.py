"""Generators of test documents for the readers: .docx with tables and real footnotes, .pdf with
and without a Vietnamese text layer, legacy-encoded text, broken and hostile packages.

Everything is built in memory and returned as bytes; tests write them where they like.
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from typing import Iterable, Sequence
from xml.sax.saxutils import escape

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# --------------------------------------------------------------------------------------------
# .docx

_FOOTNOTE_REF = re.compile(r"\{fn:(\d+)\}")


def make_docx(
    blocks: Sequence[object],
    footnotes: dict[int, str | Sequence[str]] | None = None,
) -> bytes:
    """A .docx built with python-docx.

    `blocks`: a str is a paragraph, in which "{fn:N}" stands for a reference to footnote id N;
    ("table", [[cell, ...], ...]) is a table; ("style", style_name, text) is a styled paragraph
    (e.g. "List Number", auto-numbered by Word). `footnotes`: id → text (or list of paragraphs).
    python-docx has no footnote API, so the footnotes part and the reference runs are written as XML.
    """
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    doc = docx.Document()

    def fill(paragraph, text: str) -> None:
        pos = 0
        for m in _FOOTNOTE_REF.finditer(text):
            if m.start() > pos:
                paragraph.add_run(text[pos:m.start()])
            paragraph._p.append(
                parse_xml(
                    f'<w:r xmlns:w="{W_NS}"><w:rPr><w:rStyle w:val="FootnoteReference"/>'
                    f'<w:vertAlign w:val="superscript"/></w:rPr>'
                    f'<w:footnoteReference w:id="{m.group(1)}"/></w:r>'
                )
            )
            pos = m.end()
        if pos < len(text):
            paragraph.add_run(text[pos:])

    for block in blocks:
        if isinstance(block, str):
            fill(doc.add_paragraph(), block)
        elif block[0] == "table":
            rows = block[1]
            table = doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    cell = table.cell(r, c)
                    fill(cell.paragraphs[0], value)
        elif block[0] == "style":
            fill(doc.add_paragraph(style=block[1]), block[2])
        else:
            raise ValueError(block)

    if footnotes:
        notes = [
            f'<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
            f'<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
            f"</w:r></w:p></w:footnote>",
        ]
        for nid, text in footnotes.items():
            paras = [text] if isinstance(text, str) else list(text)
            body = []
            for i, para in enumerate(paras):
                ref = (
                    '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
                    if i == 0
                    else ""
                )
                body.append(
                    f'<w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>{ref}'
                    f'<w:r><w:t xml:space="preserve"> {escape(para)}</w:t></w:r></w:p>'
                )
            notes.append(f'<w:footnote w:id="{nid}">{"".join(body)}</w:footnote>')
        blob = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:footnotes xmlns:w="{W_NS}">{"".join(notes)}</w:footnotes>'
        ).encode("utf-8")
        part = Part(
            PackURI("/word/footnotes.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
            blob,
            doc.part.package,
        )
        doc.part.relate_to(part, RT.FOOTNOTES)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def rezip(data: bytes, extra: Iterable[tuple[str, bytes]] = (), *, drop: Iterable[str] = ()) -> bytes:
    """Copy a zip package, dropping some members and adding others."""
    drop = set(drop)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in drop:
                dst.writestr(info, src.read(info))
        for name, blob in extra:
            dst.writestr(name, blob)
    return out.getvalue()


def docx_with_many_entries(data: bytes, n: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        for i in range(n):
            dst.writestr(f"word/media/pad{i}.bin", b"")
    return out.getvalue()


def docx_with_huge_member(data: bytes, megabytes: int) -> bytes:
    """A real zip bomb of zeros: `megabytes` MB that deflate to a few hundred KB."""
    out = io.BytesIO()
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(
        out, "w", zipfile.ZIP_DEFLATED, compresslevel=1
    ) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        with dst.open("word/media/zeros.bin", "w", force_zip64=True) as fh:
            for _ in range(megabytes):
                fh.write(chunk)
    return out.getvalue()


OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def fake_ole2(encrypted: bool = False) -> bytes:
    """Bytes that look like an old .doc (or a password-protected .docx, which is OLE2 too)."""
    body = bytearray(OLE2_MAGIC + bytes(504))
    if encrypted:
        body += "EncryptedPackage".encode("utf-16-le") + bytes(64)
    body += bytes(1024)
    return bytes(body)


# --------------------------------------------------------------------------------------------
# .pdf


def _canvas(buf: io.BytesIO, encrypt=None):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    return canvas.Canvas(buf, pagesize=A4, encrypt=encrypt, invariant=1)


def make_pdf(pages: Sequence[Sequence[str]], *, encrypt=None) -> bytes:
    """A PDF with a real text layer in DejaVuSans (embedded, with a ToUnicode map)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", DEJAVU))
    buf = io.BytesIO()
    c = _canvas(buf, encrypt)
    for lines in pages:
        c.setFont("DejaVuSans", 12)
        y = 800
        for line in lines:
            c.drawString(50, y, line)
            y -= 18
        c.showPage()
    c.save()
    return buf.getvalue()


def make_pdf_without_text(n_pages: int = 1) -> bytes:
    """What a scan looks like to a text extractor: pages with graphics and no text."""
    buf = io.BytesIO()
    c = _canvas(buf)
    for _ in range(n_pages):
        c.rect(100, 100, 300, 200, stroke=1, fill=1)
        c.showPage()
    c.save()
    return buf.getvalue()


def encrypted_pdf(pages: Sequence[Sequence[str]], user_password: str, owner_password: str = "chu-so-huu") -> bytes:
    from reportlab.lib import pdfencrypt

    enc = pdfencrypt.StandardEncryption(user_password, owner_password, canPrint=1, strength=128)
    return make_pdf(pages, encrypt=enc)


# --------------------------------------------------------------------------------------------
# legacy Vietnamese encodings

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows wrote it: base letters (â ê ô ơ ư ă đ precomposed) plus
    combining tone marks. Python's cp1258 codec does not decompose by itself."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in d if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES))
        out.append((base + tones).encode("cp1258"))
    return b"".join(out)


# TCVN 5712:1993 VN3 ("ABC"), lower-case code points; capitals with tones are the same codes shown
# in the upper-case font (.VnTimeH), so they are encoded as their lower-case letter.
_TCVN3 = {
    "à": 0xB5, "ả": 0xB6, "ã": 0xB7, "á": 0xB8, "ạ": 0xB9,
    "ă": 0xA8, "ằ": 0xBB, "ẳ": 0xBC, "ẵ": 0xBD, "ắ": 0xBE, "ặ": 0xC6,
    "â": 0xA9, "ầ": 0xC7, "ẩ": 0xC8, "ẫ": 0xC9, "ấ": 0xCA, "ậ": 0xCB,
    "đ": 0xAE,
    "è": 0xCC, "ẻ": 0xCE, "ẽ": 0xCF, "é": 0xD0, "ẹ": 0xD1,
    "ê": 0xAA, "ề": 0xD2, "ể": 0xD3, "ễ": 0xD4, "ế": 0xD5, "ệ": 0xD6,
    "ì": 0xD7, "ỉ": 0xD8, "ĩ": 0xDC, "í": 0xDD, "ị": 0xDE,
    "ò": 0xDF, "ỏ": 0xE1, "õ": 0xE2, "ó": 0xE3, "ọ": 0xE4,
    "ô": 0xAB, "ồ": 0xE5, "ổ": 0xE6, "ỗ": 0xE7, "ố": 0xE8, "ộ": 0xE9,
    "ơ": 0xAC, "ờ": 0xEA, "ở": 0xEB, "ỡ": 0xEC, "ớ": 0xED, "ợ": 0xEE,
    "ù": 0xEF, "ủ": 0xF1, "ũ": 0xF2, "ú": 0xF3, "ụ": 0xF4,
    "ư": 0xAD, "ừ": 0xF5, "ử": 0xF6, "ữ": 0xF7, "ứ": 0xF8, "ự": 0xF9,
    "ỳ": 0xFA, "ỷ": 0xFB, "ỹ": 0xFC, "ý": 0xFD, "ỵ": 0xFE,
    "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7,
}


def to_tcvn3(text: str) -> bytes:
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch in _TCVN3:
            out.append(_TCVN3[ch])
        elif ch.lower() in _TCVN3 and ch not in "ĂÂÊÔƠƯĐ":
            out.append(_TCVN3[ch.lower()])
        else:
            out += ch.encode("ascii")
    return bytes(out)


def tcvn3_mojibake(text: str) -> str:
    """TCVN3 text opened as Latin-1 (what old converters and .VnTime Word files leave behind)."""
    return to_tcvn3(text).decode("latin-1")


SAMPLE_VI = (
    "Ban Thường vụ Tỉnh ủy yêu cầu các cấp ủy, tổ chức đảng tiếp tục đẩy mạnh học tập và làm "
    "theo tư tưởng, đạo đức, phong cách Hồ Chí Minh; hoàn thành xây dựng kế hoạch trước ngày "
    "15/01/2024 và báo cáo kết quả về Ban Tuyên giáo Tỉnh ủy."
)
