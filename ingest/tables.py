"""Duty tables written as text ("TT | Nội dung | Cơ quan chủ trì | Thời gian hoàn thành"), in the
three shapes converters and typists produce:

- pipes: one row a line, cells between "|" (Markdown tables too, with their "|---|" line);
- tabs: one row a line, cells between tabs, under a header row that names table columns;
- lines: one cell a line, after a header row that starts with "TT"/"STT" on a line of its own;
  each row opens with its number ("1", "2.") on a line of its own.

Found on any text (`repair` protects table lines from being joined into sentences; `structure`
turns them into Table records and row sections), so every offset indexes the text given. Written
here rather than taken from a library: the table parsers we know (Markdown, CSV) read one shape
each and none reads the one-cell-a-line shape of Word documents pasted as plain text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .normalize import fold

# Words that open table column headers in Party documents (folded, lower case). A tab-separated
# line is a table header only when it names columns like these, so the two-column header of a
# document ("HUYỆN ỦY X<tab>ĐẢNG CỘNG SẢN VIỆT NAM") is not read as a table.
HEADER_WORDS = (
    "tt", "stt", "so tt", "so thu tu", "noi dung", "nhiem vu", "cong viec", "co quan", "don vi", "chu tri",
    "phoi hop", "thoi gian", "thoi han", "ghi chu", "san pham", "ket qua", "nguoi thuc hien", "trach nhiem",
    "tien do", "hinh thuc", "chi tieu", "linh vuc", "lanh dao", "muc tieu", "giai phap", "du kien", "ten ",
)
_ROW_NUMBER_HEADER = re.compile(r"^(?:S\.?\s?TT|TT|Số\s+TT|Số\s+thứ\s+tự)$", re.I)
_ROW_NUMBER = re.compile(r"^(\d{1,3})\.?$")
_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
# The border lines of a grid table ("+----+------+", "+====+"), as pandoc and Emacs draw them: part of
# the table, no row of it.
_GRID_BORDER = re.compile(r"^\+(?:[-=:]+\+)+$")
_HEADING_LIKE = re.compile(r"^(?:[IVX]{1,5}\s*[.\-–]\s|Điều\s+\d|Chương\s|Mục\s+\d|Phần\s|PHẦN\s|CHƯƠNG\s)")
# A page number a converter left between two rows ("- 3 -", "3"): skipped, the table goes on.
PAGE_NUMBER_LINE = re.compile(r"^(?:[-–]\s*\d{1,3}\s*[-–]|(?:Trang|trang)\s+\d{1,3}(?:\s*/\s*\d{1,3})?|\d{1,3})$")
MAX_LINES_COLUMNS = 8  # the one-cell-a-line shape: more "header" lines than this is running text
MAX_HEADER_CELL = 60  # characters; a longer line is a sentence, not a column name


@dataclass
class TextRow:
    start: int
    end: int
    cells: list[tuple[int, int]]  # one span per column; (x, x) when empty


@dataclass
class TextTable:
    shape: str  # "pipe" | "tab" | "lines"
    start: int
    end: int
    header: tuple[int, int]  # span of the header row (all its lines in the "lines" shape)
    columns: list[str]
    rows: list[TextRow] = field(default_factory=list)
    skipped: list[tuple[int, int]] = field(default_factory=list)  # page-number lines inside it


@dataclass
class _Line:
    start: int
    end: int
    text: str


def _lines(text: str, start: int, end: int) -> list[_Line]:
    out: list[_Line] = []
    pos = start
    while pos <= end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        out.append(_Line(pos, stop, text[pos:stop]))
        if nl < 0:
            break
        pos = nl + 1
    return out


def _is_header_word(cell: str) -> bool:
    key = fold(cell.strip()).lower()
    return any(key == w.strip() or key.startswith(w) for w in HEADER_WORDS)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t":
        start += 1
    while end > start and text[end - 1] in " \t":
        end -= 1
    return start, end


def _split(text: str, ln: _Line, sep: str) -> list[tuple[int, int]]:
    """Cell spans of one line split at `sep` ("|" or "\t"); outer pipes do not open cells."""
    s, e = _trim(text, ln.start, ln.end)
    if sep == "|":
        if s < e and text[s] == "|":
            s += 1
        if e > s and text[e - 1] == "|":
            e -= 1
    cells: list[tuple[int, int]] = []
    pos = s
    while True:
        cut = text.find(sep, pos, e)
        stop = e if cut < 0 else cut
        cells.append(_trim(text, pos, stop))
        if cut < 0:
            break
        pos = cut + 1
    return cells


def _fit(cells: list[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    """Exactly n cells: extra cells join the last column, missing ones are empty at the row's end."""
    if len(cells) > n > 0:
        cells = cells[: n - 1] + [(cells[n - 1][0], cells[-1][1])]
    while len(cells) < n:
        end = cells[-1][1] if cells else 0
        cells.append((end, end))
    return cells


def _sep_table(text: str, lines: list[_Line], i: int, sep: str) -> tuple[TextTable | None, int]:
    """A run of `sep`-separated lines starting at lines[i]; (table, index after it)."""
    rows: list[_Line] = []
    skipped: list[tuple[int, int]] = []
    j = i
    while j < len(lines):
        t = lines[j].text.strip()
        if sep in t and (sep == "\t" or len(_split(text, lines[j], sep)) >= 2) or (sep == "|" and rows and _GRID_BORDER.match(t)):
            rows.append(lines[j])
            j += 1
            continue
        # Blank lines and page numbers may stand between rows; anything else ends the table.
        k = j
        while k < len(lines) and (not lines[k].text.strip() or PAGE_NUMBER_LINE.match(lines[k].text.strip())):
            k += 1
        if rows and k > j and k < len(lines) and sep in lines[k].text:
            skipped += [(ln.start, ln.end) for ln in lines[j:k] if ln.text.strip()]
            j = k
            continue
        break
    data = [ln for ln in rows if not (sep == "|" and (_MD_SEPARATOR.match(ln.text.strip()) or _GRID_BORDER.match(ln.text.strip())))]
    while rows and sep == "|" and _GRID_BORDER.match(rows[-1].text.strip()):
        rows.pop()  # the closing border is no part of the last row
    if len(data) < 2:
        return None, i + 1
    head = _split(text, data[0], sep)
    if sep == "\t":
        if len(head) < 2 or not any(_is_header_word(text[a:b]) for a, b in head):
            return None, j  # a run of tabbed lines that is no table: skipped whole, not line by line
    names = [text[a:b] for a, b in head]
    if _ROW_NUMBER.match(names[0].strip()):  # no header row: the first line is already a row
        names, body = [""] * len(head), data
    else:
        body = data[1:]
    table = TextTable("pipe" if sep == "|" else "tab", rows[0].start, rows[-1].end,
                      (data[0].start, data[0].end), names, skipped=skipped)
    if not names[0] and body is data:
        table.header = (data[0].start, data[0].start)
    for ln in body:
        if sep == "|" and (_MD_SEPARATOR.match(ln.text.strip()) or _GRID_BORDER.match(ln.text.strip())):
            continue
        cells = _split(text, ln, sep)
        if sep == "\t" and len(cells) != len(names):
            # Tabs used for alignment: runs of tabs may be one separator.
            merged = [c for c in cells if c[0] < c[1]]
            if len(merged) == len(names):
                cells = merged
        s, e = _trim(text, ln.start, ln.end)
        table.rows.append(TextRow(s, e, _fit(cells, len(names))))
    return table, j


def _lines_table(text: str, lines: list[_Line], i: int) -> tuple[TextTable | None, int]:
    """The one-cell-a-line shape: "TT" alone on lines[i], column names below it, then rows."""
    header = [lines[i]]
    j = i + 1
    while j < len(lines) and len(header) <= MAX_LINES_COLUMNS:
        t = lines[j].text.strip()
        if not t:
            j += 1
            continue
        if _ROW_NUMBER.match(t):
            break
        if len(t) > MAX_HEADER_CELL or t[-1:] in ".;:!?" or _HEADING_LIKE.match(t):
            return None, i + 1
        header.append(lines[j])
        j += 1
    n = len(header)
    if n < 2 or n > MAX_LINES_COLUMNS or not any(_is_header_word(h.text) for h in header[1:]):
        return None, i + 1
    table = TextTable("lines", header[0].start, header[-1].end, (header[0].start, header[-1].end),
                      [h.text.strip() for h in header])
    expected = 1
    while True:
        k = j
        while k < len(lines) and not lines[k].text.strip():
            k += 1
        m = _ROW_NUMBER.match(lines[k].text.strip()) if k < len(lines) else None
        if not m or int(m.group(1)) != expected:
            break
        cells_lines = [lines[k]]
        q = k + 1
        while q < len(lines) and len(cells_lines) < n:
            t = lines[q].text.strip()
            if t:
                if _HEADING_LIKE.match(t):
                    break
                cells_lines.append(lines[q])
            q += 1
        if len(cells_lines) < n:
            break
        cells = [_trim(text, ln.start, ln.end) for ln in cells_lines]
        table.rows.append(TextRow(cells[0][0], cells[-1][1], cells))
        table.end = cells[-1][1]
        expected += 1
        j = q
    if not table.rows:
        return None, i + 1
    return table, j


def find_tables(text: str, start: int = 0, end: int | None = None) -> list[TextTable]:
    """Every text table in text[start:end], in order."""
    end = len(text) if end is None else end
    lines = _lines(text, start, end)
    tables: list[TextTable] = []
    i = 0
    while i < len(lines):
        t = lines[i].text.strip()
        table = None
        nxt = i + 1
        if "|" in t and len(_split(text, lines[i], "|")) >= 2:
            table, nxt = _sep_table(text, lines, i, "|")
        elif "\t" in t:
            table, nxt = _sep_table(text, lines, i, "\t")
        elif _ROW_NUMBER_HEADER.match(t):
            table, nxt = _lines_table(text, lines, i)
        if table is not None:
            tables.append(table)
            i = max(nxt, i + 1)
        else:
            i += 1
    return tables
