""".pdf fixtures built in the test: a real Vietnamese text layer (DejaVu Sans embedded, with a
ToUnicode map), pages without text, encrypted files, and scans: pages of text rendered to images at
a given resolution (what a scanner produces), with no text layer."""
from __future__ import annotations

import io
from typing import Sequence

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DEJAVU_SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"


def _canvas(buf: io.BytesIO, encrypt=None):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    return canvas.Canvas(buf, pagesize=A4, encrypt=encrypt, invariant=1)


def make_pdf(pages: Sequence[Sequence[str]], *, encrypt=None, font: str = "DejaVuSans") -> bytes:
    """A PDF with a real text layer in DejaVuSans (embedded, with a ToUnicode map), or in a standard
    Type 1 font such as "Helvetica" (WinAnsi encoding: legacy TCVN3/VNI bytes drawn in it come out
    of the text layer as the Windows-1252 characters a .VnTime PDF gives)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if font == "DejaVuSans" and "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", DEJAVU))
    buf = io.BytesIO()
    c = _canvas(buf, encrypt)
    for lines in pages:
        c.setFont(font, 12)
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




def render_pages(text: str, dpi: int = 300, font_pt: float = 12, font: str = DEJAVU_SERIF) -> list[tuple[object, list[str]]]:
    """Lay `text` out on A4 pages as a scanner would see the printed document: each source line
    wrapped to the page width, at `dpi`. Returns (PIL image, the lines drawn on it) per page."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = int(8.27 * dpi), int(11.69 * dpi)
    margin = int(0.8 * dpi)
    size = round(font_pt * dpi / 72)
    face = ImageFont.truetype(font, size)
    step = int(size * 1.5)
    laid: list[str] = []
    for para in text.split("\n"):
        words, line = para.split(" "), ""
        for w in words:
            trial = f"{line} {w}" if line else w
            if line and face.getlength(trial) > width - 2 * margin:
                laid.append(line)
                line = w
            else:
                line = trial
        laid.append(line)
    per_page = (height - 2 * margin) // step
    pages = []
    for start in range(0, len(laid), per_page):
        lines = laid[start:start + per_page]
        img = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(img)
        for i, line in enumerate(lines):
            draw.text((margin, margin + i * step), line, font=face, fill=0)
        pages.append((img, lines))
    return pages


def make_scanned_pdf(text: str, dpi: int = 300) -> tuple[bytes, list[str]]:
    """A scan of `text`: one image per page, no text layer. Returns the PDF and the lines drawn."""
    pages = render_pages(text, dpi)
    buf = io.BytesIO()
    images = [img for img, _ in pages]
    images[0].save(buf, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return buf.getvalue(), [line for _, lines in pages for line in lines]


def docx_to_pdf(docx: bytes, tmp) -> bytes:
    """A .docx printed to PDF by LibreOffice headless, as a word processor's "export as PDF" does:
    wrapped lines, footnotes at the foot of their pages, markers in a small font."""
    import subprocess
    from pathlib import Path

    from ingest.readers import office

    tmp = Path(tmp)
    src = tmp / "src.docx"
    src.write_bytes(docx)
    subprocess.run([office.soffice(), f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp), str(src)], check=True, capture_output=True, timeout=300)
    return (tmp / "src.pdf").read_bytes()
