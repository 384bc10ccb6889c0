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
_BEFORE_SUPER = re.compile(r"[\w”\"')\].,;:]")


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


def repair(raw: str, *, wrapped_lines: bool = False) -> Repaired:
    """Rebuild the running text. `wrapped_lines` is for PDF text layers, where every visual line
    ends in a newline: a line that does not end a sentence is then joined to the next."""
    lines = [_strip_emphasis(ln.rstrip(" ")) for ln in clean(raw).split("\n")]
    table, table_breaks = _table_lines(lines)
    furniture = _page_furniture(lines, table) | table_breaks
    markers_seen: set[int] = set()
    footnotes: dict[int, str] = {}
    # (line, blank lines before it, page break or footnote block removed just before it, in a table)
    kept: list[tuple[str, int, bool, bool]] = []
    gap, removed, i = 0, False, 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            gap += 1
            i += 1
            continue
        if i in furniture:
            removed = True
            i += 1
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
        # Table lines keep their tabs (an empty first or last cell); other lines lose outer blanks.
        kept.append((line.strip(" ") if i in table else line.strip(), gap, removed, i in table))
        gap, removed = 0, False
        i += 1

    paragraphs: list[tuple[str, int, bool]] = []  # text, blank lines before, a table line
    for line, before, after_break, in_table in kept:
        if paragraphs and not in_table and not paragraphs[-1][2]:
            prev, prev_gap, _ = paragraphs[-1]
            open_end = not _TERMINAL.search(prev) and not _RULE.match(prev)
            point = bool(_POINT_LINE.match(line))
            # Across a page break, a line opening in capitals goes on the paragraph before it only
            # when that one is long or ends in a word that cannot end a sentence ("… của Ban" /
            # "Thường vụ Tỉnh ủy …"); a short line is a heading or a title ("1. Tổ chức học tập").
            title = len(prev) < _TITLE_MAX and not _OPEN_WORD.search(prev)
            join = open_end and not point and (
                _starts_lower(line)
                or (after_break and not _looks_like_heading(line) and not title)
                or (wrapped_lines and before == 0 and not _looks_like_heading(line) and not _looks_like_heading(prev))
            )
            if join and not (prev.isupper() and len(prev) < 120):
                paragraphs[-1] = (prev + " " + line, prev_gap, False)
                continue
        paragraphs.append((line, before, in_table))

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
