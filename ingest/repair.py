"""Repair text as documents arrive: converter emphasis, footnote blocks in the middle of the page,
page numbers and running headers at page breaks, sentences cut by page breaks; lines of text
tables are kept as they are (never joined into a sentence, nor a sentence onto them).

The output is the document's canonical text: the body with footnote blocks moved to the end (one
"(N) text" line each), so every later span — sections, sentences, citations — indexes this string.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .normalize import clean
from .tables import find_tables

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
FROM_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")

# `*text*`, `**text**` from Markdown converters: the asterisks are not document text.
_EMPHASIS = re.compile(r"(?<![\w*])\*{1,3}(?=\S)(.+?)(?<=\S)\*{1,3}(?![\w*])")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_FOOTNOTE_DEF = re.compile(r"^\s*(?:\((\d{1,3})\)|\[\^(\d{1,3})\]:|([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}))\s*(\S.*)$")
# Footnote markers: a superscript number after a word or a closing mark ("gương¹", "”²"), "(1)"
# glued to a word, "[^1]". Matched without a look-behind and checked after: a pattern opening with
# one is tried at every character of the text, which made a 4 MB text take a second per pass.
_SUPER_DIGITS = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}")
_PAREN_DIGITS = re.compile(r"\((\d{1,3})\)|\[\^(\d{1,3})\]")
_BEFORE_SUPER = re.compile(r"[\w”\"')\].,;:%]")


def _super_markers(text: str, start: int = 0, end: int | None = None):
    """(start, end, number) of superscript markers in text[start:end]."""
    end = len(text) if end is None else end
    for m in _SUPER_DIGITS.finditer(text, start, end):
        if m.start() > 0 and _BEFORE_SUPER.match(text[m.start() - 1]):
            yield m.start(), m.end(), int(m.group(0).translate(FROM_SUPERSCRIPT))


def _paren_markers(text: str, start: int = 0, end: int | None = None):
    """(start, end, number) of "(1)" glued to a word and of "[^1]" in text[start:end]."""
    end = len(text) if end is None else end
    for m in _PAREN_DIGITS.finditer(text, start, end):
        if m.group(2) or (m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_")):
            yield m.start(), m.end(), int(m.group(1) or m.group(2))
_TERMINAL = re.compile(r"[.!?:;…]['\"”’»)]*$")
_RULE = re.compile(r"^\s*[-_=*~.]{3,}\s*$")


@dataclass
class RepairedFootnote:
    number: int
    text: str
    start: int  # in the repaired text
    end: int


@dataclass
class Repaired:
    text: str
    body_end: int  # footnotes start after this offset
    footnotes: list[RepairedFootnote]


def _strip_emphasis(line: str) -> str:
    line = _MD_HEADING.sub("", line)
    prev = None
    while prev != line:
        prev, line = line, _EMPHASIS.sub(r"\1", line)
    return line


def _marker_numbers(text: str) -> set[int]:
    nums = {n for _, _, n in _super_markers(text)}
    nums |= {n for _, _, n in _paren_markers(text)}
    return nums


def _starts_lower(line: str) -> bool:
    for ch in line.lstrip("“\"'‘(«"):
        if ch.isalpha():
            return ch.islower()
        return False
    return False


def _opens_capital(line: str) -> bool:
    s = line.lstrip("“\"'‘(«")
    return bool(s) and s[0].isalpha() and s[0].isupper()


def _looks_like_heading(line: str) -> bool:
    s = line.strip()
    return bool(
        re.match(r"^([IVX]{1,5}\s*[.\-–]|\d{1,2}(\.\d{1,2})*\s*[.\-–)]|[a-zđ]\)|Điều\s+\d|Chương\s|Mục\s+\d|-\s|\+\s)", s)
    ) or (s.isupper() and len(s) < 120)


# A page number on a line of its own: "- 3 -", "Trang 3", "Trang 3/12", or a bare "3".
_PAGE_NUMBER = re.compile(r"^(?:[-–]\s*\d{1,3}\s*[-–]|(?:Trang|trang)\s+\d{1,3}(?:\s*/\s*\d{1,3})?|(?P<bare>\d{1,3}))$")
_POINT_LINE = re.compile(r"^[a-zđ](?:\)\s*\S|\.\s+\S)")  # "a) …", "đ. …": a point, never a continuation
# A short numbered title ("1. Tổ chức học tập") left open at the foot of a page is a heading, not
# the start of a sentence the next page finishes — unless it ends in a word that cannot end one.
_TITLE_MAX = 100
_OPEN_WORD = re.compile(r"(?:\s(?:của|và|về|với|các|những|cho|để|trong|theo|tại|đến|từ|số|ngày|Ban|là|được|có|thì|mà)|,)$")
_OWN_NUMBER = re.compile(r"(?:^|\s)Số\s*:?\s*(\d{1,4}\s?[-–]\s?[A-ZĐa-zđ]{1,6}(?:\s?/\s?[A-ZĐa-zđ]{1,8}){1,2})")
HEADER_SCAN = 20  # lines at the top where the document's number is looked for
_NUMBERED = re.compile(r"^(?:[IVX]{1,5}\s*[.\-–]|\d{1,2}(?:\.\d{1,2})*\s*[.\-–)]|[a-zđ][).]|Điều\s+\d|Chương\s|Mục\s|Phần\s|PHẦN\s|[-+•]\s)")
RUNNING_HEADER_MAX = 120  # characters; a longer line beside a page number is text, not a running header

# Reflow of a PDF text layer, where every visual line ends in a newline. A line as wide as the
# page's text lines was wrapped by the word processor and goes on in the next; a clearly short one
# ends its paragraph (a header line "*", "(đã ký)" before the signer's name). Widths are counted
# in characters (runs of blanks as one, as justification stretches them), against the document's
# typical full line: this percentile of its line widths. Lower takes the width from paragraph ends
# and headings, higher from the longer lines of small-print footnotes.
WRAP_WIDTH_PERCENTILE = 0.8
# A line at least this fraction of the typical width is full. Proportional fonts and justification
# make full lines of one page differ by ±10 % in characters (70–86 here on an 85-character page), so
# lower still takes every wrapped line for full; lower again reads a paragraph's last line as wrapped.
FULL_LINE = 0.75
# A line under this fraction of the typical width is short: it only goes on into a line opening in
# lower case. Higher keeps a wrapped line that happens to be short (before a long word) apart from its
# paragraph; lower joins short header lines ("*" / "Số 21-CT/TU") and a signature's "(đã ký)" / name.
SHORT_LINE = 0.5
# A figure with thousands separators opening a line ("1.344; 1.296; …") is no item number "1.".
_FIGURE = re.compile(r"^\d{1,3}(?:\.\d{3})+(?!\d)")
# A footnote as a text layer gives it at the foot of a page: "1 Số liệu do …" (its number, then its
# text; "1Số liệu" where the number was set small and glued), running on down to the page break.
_PAGE_FOOTNOTE = re.compile(r"^\s*(\d{1,3})(?:\s+(\S.*)|([^\W\d_].*))$")


def _page_furniture(lines: list[str], protected: set[int]) -> set[int]:
    """Indices of page numbers and running headers left at page breaks by converters.

    A page number is a line of its own that reads as one ("- 3 -", "Trang 3"), or a bare number
    standing between blank lines, or one cutting a sentence (the line before it is left open and
    the line after it goes on in lower case). A running header is a short line beside a page
    number that repeats at another page number, or names the document's own number.
    """
    def neighbour(i: int, step: int, skip: set[int]) -> int | None:
        j = i + step
        while 0 <= j < len(lines) and (not lines[j].strip() or j in skip):
            j += step
        return j if 0 <= j < len(lines) else None

    pages: set[int] = set()
    for i, line in enumerate(lines):
        s = line.strip()
        m = _PAGE_NUMBER.match(s)
        if not m or i in protected:
            continue
        if not m.group("bare"):
            pages.add(i)
            continue
        blank_before = i == 0 or not lines[i - 1].strip()
        blank_after = i + 1 >= len(lines) or not lines[i + 1].strip()
        prev, nxt = neighbour(i, -1, set()), neighbour(i, 1, set())
        cuts = (prev is not None and nxt is not None and not _TERMINAL.search(lines[prev].strip())
                and _starts_lower(lines[nxt]) and not _POINT_LINE.match(lines[nxt].strip()))
        if prev is not None and (blank_before and blank_after or cuts):
            pages.add(i)
    if not pages:
        return pages
    beside: dict[str, list[int]] = {}
    for i in pages:
        for step in (-1, 1):
            j = neighbour(i, step, pages)
            if j is not None and j not in protected and len(lines[j].strip()) <= RUNNING_HEADER_MAX:
                beside.setdefault(lines[j].strip(), []).append(j)
    # the document's own number ("Số 45 - KH/HU" → "45-KH/HU"), as a running header may name it
    own = {re.sub(r"\s+", "", m.group(1)) for ln in lines[:HEADER_SCAN] if (m := _OWN_NUMBER.search(ln))}
    headers: set[int] = set()
    for text, where in beside.items():
        if _TERMINAL.search(text) or _starts_lower(text) or _NUMBERED.match(text):
            continue  # a sentence going on after the break, or a numbered heading: not a header
        names_self = any(n in re.sub(r"\s+", "", text) for n in own)
        if len(set(where)) >= 2 or names_self:
            headers |= set(where)
    return pages | headers


def _table_lines(lines: list[str]) -> tuple[set[int], set[int]]:
    """(lines of text tables, page numbers standing between their rows)."""
    starts, pos = [], 0
    for ln in lines:
        starts.append(pos)
        pos += len(ln) + 1
    joined = "\n".join(lines)
    inside: set[int] = set()
    breaks: set[int] = set()
    for tb in find_tables(joined):
        first = bisect.bisect_right(starts, tb.start) - 1
        last = bisect.bisect_right(starts, max(tb.start, tb.end - 1)) - 1
        inside |= set(range(first, last + 1))
        breaks |= {bisect.bisect_right(starts, a) - 1 for a, _ in tb.skipped}
    return inside - breaks, breaks


def _width(line: str) -> int:
    return len(" ".join(line.split()))


def _typical_width(lines: list[str]) -> int:
    """The width of a full line of the document's text: WRAP_WIDTH_PERCENTILE of its line widths."""
    widths = sorted(_width(ln) for ln in lines if ln.strip())
    return widths[min(len(widths) - 1, int(WRAP_WIDTH_PERCENTILE * len(widths)))] if widths else 0


def _reflow(last: str, paragraph: str, line: str, before: int, after_break: bool, typical: int) -> bool:
    """Whether a PDF's visual `line` goes on the paragraph whose last visual line is `last`.

    A full line continues into the next unless that one opens a heading, a point or a list item, or
    `last` ends a sentence or a clause and `line` opens in capitals (a sentence ending at the margin and a
    paragraph whose last line happens to be full read alike; kept apart, the sentences are whole
    either way). A short line ends its paragraph unless the next line goes on in lower case. A rule
    ("-----") stands alone. Across a page break (a removed footnote block or page number, or the
    blank line between pages after a full line), the checks of text pages apply: a short numbered
    title stays a title.
    """
    if _RULE.match(last) or _RULE.match(line) or (paragraph.isupper() and len(paragraph) < 120):
        return False
    if _POINT_LINE.match(line) or (_looks_like_heading(line) and not _starts_lower(line) and not _FIGURE.match(line)):
        return False
    open_end = not _TERMINAL.search(last)
    width = _width(last)
    full, short = width >= FULL_LINE * typical, width < SHORT_LINE * typical
    lower = _starts_lower(line)
    if after_break or before:
        # a blank line after a line that stops short is a paragraph break, unless the text goes on
        # in lower case after a sentence left open
        title = len(paragraph) < _TITLE_MAX and not _OPEN_WORD.search(paragraph)
        if open_end:
            return lower or ((after_break or full) and not title)
        return full and lower
    if full:
        return open_end or not _opens_capital(line)
    if short:
        return open_end and lower
    return open_end and (lower or not _looks_like_heading(paragraph))


def _page_foot_notes(lines: list[str], i: int, markers: set[int], found: dict[int, str],
                     skip: set[int]) -> tuple[dict[int, str], int] | None:
    """Footnotes a PDF's text layer leaves at the foot of a page, from line i: ({number: text},
    index after the block), or None. Line i must read "N text" with N the next footnote number and
    its marker (a superscript, see readers/pdf.py) seen in the body of its page, and every line from it
    down to the page break (a blank line, or the end) must be that footnote's text or the next
    footnote's ("N+1 text", its marker seen too), a wrapped line going on after a line left open or in
    lower case — so a numbered line at the foot of a page that is a list item ("2 Các chi bộ …" with
    no marker "²" above, or a sentence after it on the page) stays."""
    if i in skip:
        return None
    expected = max(found, default=0) + 1
    notes: dict[int, str] = {}
    j = i
    while j < len(lines) and lines[j].strip():
        if j in skip:
            return None
        m = _PAGE_FOOTNOTE.match(lines[j])
        if m and int(m.group(1)) == expected and expected in markers:
            notes[expected] = (m.group(2) or m.group(3)).strip()
            expected += 1
        elif notes and (not _TERMINAL.search(lines[j - 1].strip()) or _starts_lower(lines[j])):
            notes[expected - 1] += " " + lines[j].strip()  # the footnote's text, wrapped
        else:
            return None
        j += 1
    return (notes, j) if notes else None


def repair(raw: str, *, wrapped_lines: bool = False) -> Repaired:
    """Rebuild the running text. `wrapped_lines` is for PDF text layers, where every visual line
    ends in a newline: lines are then joined by their width (`_reflow`), blanks inside lines are one
    blank, and footnotes left at the foot of a page ("1 text") move to the end (`_page_foot_notes`)."""
    lines = [_strip_emphasis(ln.rstrip(" ")) for ln in clean(raw).split("\n")]
    table, table_breaks = _table_lines(lines)
    furniture = _page_furniture(lines, table) | table_breaks
    markers_seen: set[int] = set()
    page_markers: set[int] = set()  # markers since the last blank line: a PDF page's, for its foot
    footnotes: dict[int, str] = {}
    # (line, blank lines before it, page break or footnote block removed just before it, in a table)
    kept: list[tuple[str, int, bool, bool]] = []
    gap, removed, i = 0, False, 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            gap += 1
            i += 1
            page_markers = set()
            continue
        if i in furniture:
            removed = True
            i += 1
            continue
        block = _page_foot_notes(lines, i, page_markers, footnotes, furniture | table) if wrapped_lines else None
        if block is not None:
            footnotes.update(block[0])
            removed = True
            i = block[1]
            continue
        m = _FOOTNOTE_DEF.match(line) if i not in table else None
        if m:
            num = int(m.group(1) or m.group(2) or m.group(3).translate(FROM_SUPERSCRIPT))
            if num in markers_seen and num not in footnotes:
                body = m.group(4).strip()
                # a footnote may run on over lines that continue its sentence
                while (i + 1 < len(lines) and lines[i + 1].strip() and _starts_lower(lines[i + 1])
                       and i + 1 not in furniture and i + 1 not in table):
                    i += 1
                    body += " " + lines[i].strip()
                footnotes[num] = body
                removed = True
                i += 1
                continue
        markers_seen |= _marker_numbers(line)
        page_markers |= _marker_numbers(line)
        # Table lines keep their tabs (an empty first or last cell); other lines lose outer blanks.
        # A PDF's justified lines come out with runs of blanks between words: one blank is the text.
        kept.append((line.strip(" ") if i in table else " ".join(line.split()) if wrapped_lines else line.strip(),
                     gap, removed, i in table))
        gap, removed = 0, False
        i += 1

    typical = _typical_width([ln for ln, _, _, in_table in kept if not in_table]) if wrapped_lines else 0
    paragraphs: list[tuple[str, int, bool]] = []  # text, blank lines before, a table line
    last = ""  # the last visual line of the last paragraph
    for line, before, after_break, in_table in kept:
        if paragraphs and not in_table and not paragraphs[-1][2]:
            prev, prev_gap, _ = paragraphs[-1]
            open_end = not _TERMINAL.search(prev) and not _RULE.match(prev)
            point = bool(_POINT_LINE.match(line))
            if wrapped_lines:
                join = _reflow(last, prev, line, before, after_break, typical)
                if join:
                    paragraphs[-1] = (prev + " " + line, prev_gap, False)
                    last = line
                    continue
                paragraphs.append((line, before, in_table))
                last = line
                continue
            # Across a page break, a line opening in capitals goes on the paragraph before it only
            # when that one is long or ends in a word that cannot end a sentence ("… của Ban" /
            # "Thường vụ Tỉnh ủy …"); a short line is a heading or a title ("1. Tổ chức học tập").
            title = len(prev) < _TITLE_MAX and not _OPEN_WORD.search(prev)
            join = open_end and not point and (
                _starts_lower(line)
                or (after_break and not _looks_like_heading(line) and not title)
            )
            if join and not (prev.isupper() and len(prev) < 120):
                paragraphs[-1] = (prev + " " + line, prev_gap, False)
                continue
        paragraphs.append((line, before, in_table))
        last = line

    parts: list[str] = []
    for n, (text, before, _) in enumerate(paragraphs):
        if n:
            parts.append("\n" if before == 0 else "\n\n")
        parts.append(text)
    body = "".join(parts)
    out = body
    repaired: list[RepairedFootnote] = []
    for num in sorted(footnotes):
        out += "\n\n" if not repaired else "\n"
        prefix = f"({num}) "
        start = len(out) + len(prefix)
        out += prefix + footnotes[num]
        repaired.append(RepairedFootnote(num, footnotes[num], start, len(out)))
    return Repaired(text=out, body_end=len(body), footnotes=repaired)


def find_markers(text: str, numbers: set[int], *, limit: int) -> dict[int, tuple[int, int]]:
    """Where each footnote of `numbers` is first referenced in text[:limit] — a superscript ("¹")
    before "(1)" or "[^1]" glued to a word — in one pass over the text."""
    found: dict[int, tuple[int, int]] = {}
    for a, b, n in _super_markers(text, 0, limit):
        if n in numbers and n not in found:
            found[n] = (a, b)
    for a, b, n in _paren_markers(text, 0, limit):
        if n in numbers and n not in found:
            found[n] = (a, b)
    return found


def find_marker(text: str, number: int, *, limit: int) -> tuple[int, int] | None:
    """Where footnote `number` is referenced in text[:limit]: "¹", "(1)" glued to a word, or "[^1]"."""
    return find_markers(text, {number}, limit=limit).get(number)
