""".pdf: the text layer (pypdf), page by page; a page set without one (a scan) goes through OCR
(`ocr`), and the document is marked as recognised text."""
from __future__ import annotations

import io
import math
import re

from . import ocr
from .base import Provenance, ReadError, clean, describe_content, empty, is_pdf, wrong_content


# A footnote reference in a text layer is a digit in a small font glued to the word before it; the
# text layer has no superscript characters, so "gương¹" comes out as "gương1" and "đối tượng 4²" as
# "đối tượng 42". A run of 1–3 digits drawn at most this fraction of the page's body font size, right
# after a visible character, is written back as superscript digits (the form the .docx reader gives
# and repair() links to its footnote). Lower misses markers set at 65–70 % (Word uses ~65 %, LibreOffice
# 58 %); higher takes small print (a footnote's own number at 80 %, a page number at 75 %) for a marker.
SUPERSCRIPT_SIZE = 0.7
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_MARKER_CHUNK = re.compile(r"\s*\d{1,3}\s*")


def _page_text(page) -> str:
    """The page's text layer, its footnote markers as superscript digits. The visitor sees the
    same runs extract_text() joins (plus the spaces and newlines it adds), so the k-th visible
    character of the runs is the k-th of the text; if they ever differ, the text is left as is."""
    runs: list[tuple[str, float]] = []

    def visit(text, cm, tm, font_dict, font_size) -> None:
        if text:
            scale = math.hypot(tm[1], tm[3]) * math.hypot(cm[1], cm[3])
            runs.append((text, (font_size or 0) * (scale or 1)))

    text = page.extract_text(visitor_text=visit) or ""
    sizes: dict[float, int] = {}
    for t, size in runs:
        sizes[round(size, 1)] = sizes.get(round(size, 1), 0) + sum(not c.isspace() for c in t)
    if not sizes:
        return text
    body = max(sizes, key=sizes.get)  # the size most characters are drawn in
    marks: list[int] = []  # visible-character ordinals of marker digits
    seen, glued = 0, False
    for t, size in runs:
        if (_MARKER_CHUNK.fullmatch(t) and glued and not t[0].isspace()
                and 0 < size <= SUPERSCRIPT_SIZE * body):
            marks.extend(range(seen, seen + sum(c.isdigit() for c in t)))
        visible = sum(not c.isspace() for c in t)
        seen += visible
        glued = not t[-1].isspace()  # a newline run between lines parts a small number from the line above
    if not marks:
        return text
    want = set(marks)
    out, k = list(text), 0
    for i, c in enumerate(out):
        if c.isspace():
            continue
        if k in want:
            if not c.isdigit():
                return text  # the runs and the text disagree: leave the text as extracted
            out[i] = c.translate(_SUPERSCRIPT)
        k += 1
    return "".join(out) if k == seen else text


def read_pdf(data: bytes, source: str, max_pages: int, use_ocr: bool = True) -> tuple[str, Provenance]:
    if not is_pdf(data):
        desc = describe_content(data)
        if desc is not None:
            raise ReadError(source, "corrupt", wrong_content(source, desc, "tệp PDF"))
        raise ReadError(source, "corrupt", f"Tệp '{source}' không phải tệp PDF hợp lệ (thiếu phần đầu %PDF-).")

    def corrupt(detail: str = "") -> ReadError:
        return ReadError(source, "corrupt", f"Tệp '{source}' bị hỏng, không đọc được nội dung PDF{detail}.")

    def encrypted(detail: str = "") -> ReadError:
        return ReadError(source, "encrypted", f"Tệp '{source}' được đặt mật khẩu{detail}; hãy gỡ mật khẩu rồi nạp lại.")

    try:
        from pypdf import PdfReader
        from pypdf.errors import DependencyError

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except DependencyError:
                raise encrypted(" (kiểu mã hóa AES cần thư viện cryptography)") from None
            if not ok:
                raise encrypted()
        n_pages = len(reader.pages)
    except ReadError:
        raise
    except Exception:
        raise corrupt() from None
    if n_pages > max_pages:
        raise ReadError(source, "too_large", f"Tệp '{source}' có {n_pages} trang, vượt giới hạn {max_pages} trang.")
    if n_pages == 0:
        raise empty(source, " (PDF không có trang nào)")
    pages: list[str] = []
    for i in range(n_pages):
        try:
            page_text = _page_text(reader.pages[i])
        except Exception:
            raise corrupt(f" (trang {i + 1})") from None
        page_text = clean(page_text).strip("\n")
        if page_text.strip():
            pages.append(page_text)
    text = "\n\n".join(pages)
    visible = [c for c in text if not c.isspace()]
    garbled = sum(1 for c in visible if "\ue000" <= c <= "\uf8ff" or c == "\ufffd")
    if visible and garbled <= 0.5 * len(visible):
        return text, Provenance()
    # No usable text layer: a scan (or fonts without a Unicode map) → recognise the page images.
    why = ("không có lớp văn bản (PDF quét ảnh)" if not visible
           else "có lớp văn bản không giải mã được (phông chữ không có bảng mã Unicode)")
    if not use_ocr:
        raise ReadError(source, "no_text_layer",
                        f"Tệp '{source}' {why} — hãy dùng bản có văn bản hoặc chạy OCR trước.")
    missing = ocr.missing_tools()
    if missing:
        raise ReadError(source, "no_text_layer",
                        f"Tệp '{source}' {why}; cần nhận dạng chữ (OCR) nhưng máy chủ chưa cài "
                        f"{', '.join(missing)}. Hãy cài các gói đó hoặc dùng bản PDF có văn bản.")
    if n_pages > ocr.MAX_OCR_PAGES:
        raise ReadError(source, "too_large",
                        f"Tệp '{source}' {why} và có {n_pages} trang, vượt giới hạn nhận dạng chữ "
                        f"{ocr.MAX_OCR_PAGES} trang.")
    try:
        result = ocr.ocr_pdf(data, n_pages)
    except ocr.OcrError as e:
        raise ReadError(source, "ocr_failed", f"Không nhận dạng được chữ trong tệp '{source}' ({e}).") from None
    if not result.text.strip():
        raise ReadError(source, "no_text_layer",
                        f"Tệp '{source}' {why} và không nhận dạng được chữ nào trên các trang.")
    return result.text, Provenance(source="ocr", ocr_confidence=result.confidence, ocr_engine=result.engine)
