""".pdf: the text layer (pypdf), page by page; a page set without one (a scan) goes through OCR
(`ocr`), and the document is marked as recognised text."""
from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from typing import Callable, Sequence

from . import ocr
from ..tables import PAGE_NUMBER_LINE
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
# pdfplumber reads a page in ~0.15 s (three times pypdf): only a page painting at least this many
# straight segments (a rectangle counts 4) is given to it. The smallest ruled table, 2 rows by 2
# columns, paints 6 lines or 4 cell rectangles; a framed box and a rule under the header paint 5.
MIN_TABLE_SEGMENTS = 6
_PAINT = {b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}


@dataclass
class _Run:
    text: str
    size: float  # font size as drawn (points)
    x: float  # where the run starts, in the page's user space
    y: float


@dataclass
class _Grid:
    """A ruled table as pdfplumber finds it: cell boxes by row and column (None where a merged cell
    covers the slot), in pdfplumber's page space (origin top left, after /Rotate), and the map of a
    pypdf user-space point into that space."""
    bbox: tuple[float, float, float, float]
    rows: list[list[tuple[float, float, float, float] | None]]
    to_page: Callable[[float, float], tuple[float, float]]


def _page_runs(page) -> tuple[str, list[_Run], int]:
    """The page's text layer as pypdf extracts it, the runs it joined (with the spaces and newlines
    it adds, as runs of their own), each with its size and start point, and how many straight path
    segments the page draws (a rectangle four)."""
    runs: list[_Run] = []
    segments = 0

    def visit(text, cm, tm, font_dict, font_size) -> None:
        if text:
            scale = math.hypot(tm[1], tm[3]) * math.hypot(cm[1], cm[3])
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append(_Run(text, (font_size or 0) * (scale or 1), x, y))

    path = 0  # segments of the path being built: counted when painted, not when only a clip

    def count(op, args, cm, tm) -> None:
        nonlocal segments, path
        if op == b"l":
            path += 1
        elif op == b"re":
            path += 4
        elif op in _PAINT:
            segments, path = segments + path, 0
        elif op == b"n":
            path = 0

    text = page.extract_text(visitor_text=visit, visitor_operand_before=count) or ""
    return text, runs, segments


def _visible_owners(text: str, runs: list[_Run]) -> list[int] | None:
    """For each character of text, the run its visible character came from (-1 for whitespace),
    or None when the runs' visible characters are not the text's (then nothing is moved)."""
    ordinals = [k for k, r in enumerate(runs) for c in r.text if not c.isspace()]
    owners: list[int] = []
    n = 0
    for c in text:
        if c.isspace():
            owners.append(-1)
        elif n < len(ordinals):
            owners.append(ordinals[n])
            n += 1
        else:
            return None
    return owners if n == len(ordinals) else None


def _superscripts(text: str, runs: list[_Run]) -> str:
    """The text with its footnote markers as superscript digits. The k-th visible character of the
    runs is the k-th of the text; if they ever differ, the text is left as is."""
    sizes: dict[float, int] = {}
    for r in runs:
        sizes[round(r.size, 1)] = sizes.get(round(r.size, 1), 0) + sum(not c.isspace() for c in r.text)
    if not sizes:
        return text
    body = max(sizes, key=sizes.get)  # the size most characters are drawn in
    marks: list[int] = []  # visible-character ordinals of marker digits
    seen, glued = 0, False
    for r in runs:
        t, size = r.text, r.size
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


def _page_text(page, find_grids: Callable[[], Sequence[_Grid]] | None = None) -> str:
    """The page's text layer, its footnote markers as superscript digits and each ruled table
    `find_grids` finds written as one line per row, its cells between pipes (see `_with_tables`)."""
    text, runs, segments = _page_runs(page)
    text = _superscripts(text, runs)  # (digits become superscripts in place: positions stay)
    if find_grids is not None and segments >= MIN_TABLE_SEGMENTS:
        grids = find_grids()
        owners = _visible_owners(text, runs) if grids else None
        if owners is not None:
            text = _with_tables(text, runs, owners, grids)
    return text


# ---------------------------------------------------------------------------------------------
# Ruled tables. The text layer gives a table's cells line by line across the row ("1 Hội nghị … cấp
# / huyện / Ban Tuyên giáo … Trung tâm / Chính trị huyện / Trước ngày …"): no cell boundaries, and a
# wrapped cell's line may open with what reads as a section number. pdfplumber finds the tables a
# page draws with ruling lines (its "lines" strategy: no lines, no table); each of our runs is put in
# the cell its start point falls in, and the table's lines are rewritten as one line per row,
# "| TT | Nội dung | Cơ quan chủ trì | … |", a wrapped cell's lines joined by a space: the shape
# `ingest.tables` reads as a pipe table (as from Markdown), whose rows become row sections and
# duties with their own deadline and lead body. Pipes rather than the .docx reader's one cell a line:
# that shape needs a "TT" column and loses its alignment at the first empty cell. The characters are
# pypdf's, so a table reads with the same characters (legacy font bytes, superscripts) as the prose.

def _page_grids(plumber_page) -> list[_Grid]:
    """The ruled tables pdfplumber finds on a page: at least 2 rows and 2 columns (a framed paragraph
    or a rule under a heading is no table)."""
    rotation = plumber_page.rotation
    x0, y0, x1, y1 = plumber_page.page_obj.mediabox
    # pdfminer's page matrix for /Rotate (PDFPageInterpreter.process_page), then pdfplumber's flip
    # to a top-left origin (Page.process_object); checked against pdfplumber's own chars.
    ctm = {90: (0, -1, 1, 0, -y0, x1), 180: (-1, 0, 0, -1, x1, y1),
           270: (0, 1, -1, 0, y1, -x0)}.get(rotation, (1, 0, 0, 1, -x0, -y0))
    height, (mb_x0, mb_top) = plumber_page.height, plumber_page.mediabox[:2]

    def to_page(x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = ctm
        dx, dy = a * x + c * y + e, b * x + d * y + f
        return dx + mb_x0, height - dy + mb_top

    grids: list[_Grid] = []
    for table in plumber_page.find_tables():
        rows = [list(r.cells) for r in table.rows]
        if len(rows) >= 2 and max(len(r) for r in rows) >= 2 and _reads_across(plumber_page, table.bbox):
            grids.append(_Grid(tuple(table.bbox), rows, to_page))
    return grids


def _reads_across(plumber_page, bbox: tuple[float, float, float, float]) -> bool:
    """Whether most characters in bbox are drawn left to right as the page is shown: pdfplumber's
    rows run top to bottom as shown, which are not the table's rows when a page of upright text was
    turned by /Rotate (then the text stays as pypdf gives it)."""
    x0, top, x1, bottom = bbox
    upright = sideways = 0
    for ch in plumber_page.chars:
        if x0 <= ch["x0"] <= x1 and top <= ch["top"] <= bottom:
            a, b = ch["matrix"][:2]  # the glyph's baseline direction as shown (y up)
            if a > 0 and abs(b) <= 0.01 * a:
                upright += 1
            else:
                sideways += 1
    return upright > sideways


class _Tables:
    """The document opened with pdfplumber, page by page. A PDF pdfplumber cannot read, or a page
    it fails on, has no tables: its text stays pypdf's."""

    def __init__(self, data: bytes):
        self._data = data
        self._pdf = None
        self._failed = False

    def on_page(self, i: int) -> list[_Grid]:
        if self._pdf is None and not self._failed:  # opened at the first page that may hold a table
            try:
                import pdfplumber

                self._pdf = pdfplumber.open(io.BytesIO(self._data))
            except Exception:
                self._failed = True
        if self._pdf is None:
            return []
        try:
            page = self._pdf.pages[i]
            try:
                return _page_grids(page)
            finally:
                page.close()  # its parsed objects are not needed again
        except Exception:
            return []

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()


def _inside(box: tuple[float, float, float, float], x: float, top: float, slack: float = 1.0) -> bool:
    return box[0] - slack <= x <= box[2] + slack and box[1] - slack <= top <= box[3] + slack


def _cell_of(grid: _Grid, run: _Run) -> tuple[int, int] | None:
    """(row, column) of the cell a run starts in: its start point raised a third of its size off
    the baseline, which lies at a cell's bottom padding."""
    x, top = grid.to_page(run.x + 0.5, run.y + run.size / 3)
    if not _inside(grid.bbox, x, top):
        return None
    for r, row in enumerate(grid.rows):
        for c, box in enumerate(row):
            if box is not None and _inside(box, x, top, slack=0.5):
                return r, c
    return None


def _row_lines(grid: _Grid, cells: dict[tuple[int, int], str]) -> list[str]:
    """One line per row. A slot a cell merged across rows covers takes that cell's text (the
    shared "Cơ quan chủ trì" of several rows is each row's); one merged across columns stays empty."""
    lines: list[str] = []
    for r, row in enumerate(grid.rows):
        values: list[str] = []
        for c, box in enumerate(row):
            text = cells.get((r, c), "")
            if box is None:
                above = next(((k, grid.rows[k][c]) for k in range(r - 1, -1, -1) if grid.rows[k][c] is not None), None)
                if above is not None and above[1][3] > _middle(row):  # it reaches down into this row
                    text = cells.get((above[0], c), "")
            # a "|" inside a cell would part it in two for ingest.tables
            values.append(text.replace("|", "/"))
        if any(values):
            lines.append("| " + " | ".join(values) + " |")
    return lines


def _middle(row: list[tuple[float, float, float, float] | None]) -> float:
    boxes = [b for b in row if b is not None]
    return (min(b[1] for b in boxes) + max(b[3] for b in boxes)) / 2


def _with_tables(text: str, runs: list[_Run], owners: list[int], grids: Sequence[_Grid]) -> str:
    """text with each table's lines replaced by its rows. A table is rewritten only when its text is
    whole lines holding nothing but its cells (else that part of the page stays as extracted)."""
    placed: dict[int, tuple[int, tuple[int, int]] | None] = {}  # run → (grid, (row, column))
    for k, run in enumerate(runs):
        if run.text.strip():
            placed[k] = next(((g, rc) for g, grid in enumerate(grids) if (rc := _cell_of(grid, run))), None)

    def grid_of(i: int) -> int | None:
        at = placed.get(owners[i]) if owners[i] >= 0 else None
        return at[0] if at else None

    spans: list[tuple[int, int, list[str]]] = []
    for g, grid in enumerate(grids):
        mine = [i for i in range(len(text)) if owners[i] >= 0 and grid_of(i) == g]
        if not mine:
            continue
        start = text.rfind("\n", 0, mine[0]) + 1
        end = text.find("\n", mine[-1])
        end = len(text) if end < 0 else end
        if any(owners[i] >= 0 and grid_of(i) != g for i in range(start, end)):
            continue  # other text drawn among the table's
        cells: dict[tuple[int, int], list[str]] = {}
        last, gap = None, False
        for i in range(start, end):
            if owners[i] < 0:
                gap = True
                continue
            rc = placed[owners[i]][1]
            buf = cells.setdefault(rc, [])
            if gap and rc == last and buf:
                buf.append(" ")  # a space, or a wrapped line's end inside one cell
            buf.append(text[i])
            last, gap = rc, False
        spans.append((start, end, _row_lines(grid, {rc: "".join(b) for rc, b in cells.items()})))
    for start, end, lines in sorted(spans, reverse=True):
        text = text[:start] + "\n".join(lines) + text[end:]
    return text


_ROW_NUMBER_CELL = re.compile(r"^\d{1,3}\.?$")
_ROW_LINE = re.compile(r"^\| .* \|$")  # a table row as _row_lines writes it


def _cells(line: str) -> list[str]:
    return line[2:-2].split(" | ")


def _continue_table(pages: list[str], text: str) -> str:
    """A table going on from the page before: its header row repeated at the top of this page is
    dropped, and a row the page break cut (the first row here has no number, "| | … |") is joined
    cell by cell to the last row of the page before (pages[-1] is updated)."""
    lines = text.split("\n")
    top = next((k for k, ln in enumerate(lines) if ln.strip() and not PAGE_NUMBER_LINE.match(ln.strip())), None)
    if top is None or not _ROW_LINE.match(lines[top]):
        return text
    before = pages[-1].split("\n")
    last = next((k for k in range(len(before) - 1, -1, -1)
                 if before[k].strip() and not PAGE_NUMBER_LINE.match(before[k].strip())), None)
    if last is None or not _ROW_LINE.match(before[last]):
        return text
    # The table's header: the first row of the run of rows (across earlier pages) ending here.
    earlier = "\n\n".join(pages).split("\n")
    k = len(earlier) - (len(before) - last)
    head = k
    while k >= 0 and (_ROW_LINE.match(earlier[k]) or not earlier[k].strip() or PAGE_NUMBER_LINE.match(earlier[k].strip())):
        if _ROW_LINE.match(earlier[k]):
            head = k
        k -= 1
    if lines[top] == earlier[head] and not _ROW_NUMBER_CELL.match(_cells(lines[top])[0]):
        del lines[top]
        while top < len(lines) and not lines[top].strip():
            del lines[top]
    if top < len(lines) and _ROW_LINE.match(lines[top]):
        cut, prev = _cells(lines[top]), _cells(before[last])
        if not cut[0] and prev[0] and len(cut) == len(prev):
            joined = [" ".join(x for x in (a, b) if x) for a, b in zip(prev, cut)]
            before[last] = "| " + " | ".join(joined) + " |"
            pages[-1] = "\n".join(before)
            del lines[top]
    return "\n".join(lines).strip("\n")


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
    tables = _Tables(data)
    for i in range(n_pages):
        try:
            page_text = _page_text(reader.pages[i], lambda: tables.on_page(i))
        except Exception:
            raise corrupt(f" (trang {i + 1})") from None
        page_text = clean(page_text).strip("\n")
        if page_text.strip():
            if pages:
                page_text = _continue_table(pages, page_text)
            pages.append(page_text)
    tables.close()
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
