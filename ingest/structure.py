"""Structure of a Party document: the section tree with citation paths, text tables, and
sentences with spans. The header, the closing blocks and the annexes are read by `ingest.header`.

Works on the repaired text (`ingest.repair`); every offset returned indexes that text.

Numbering schemes (each section gets a `kind` and its `number` as written):
  Phần I / PHẦN II (title on the same line or the next) ........ part      "Phần I"
  A. / B- (a report's lettered parts, titled in capitals) ....... part      "Phần A"
  Chương I, Mục 1 ............................................... chapter, section "Chương I", "Mục 1"
  Điều 3. ....................................................... article   "Điều 3"
  I- / II. (Roman) .............................................. roman     "II"
  1. / 1- / 1) .................................................. item      "II.1"  (clause "Điều 8.1" in an Điều)
  1.1. / 2.1.3. ................................................. sub       "II.2.1"
  a) / a. / đ) .................................................. point     "II.1.a", "Điều 6.4.b"
  a row of a text table ......................................... row       "III, dòng 6"
Paths never collide: an anchor (Phần, Chương, Mục, Điều, Roman) whose label repeats in a document
is qualified by the anchor above it ("Phần II, I.1" beside "Phần I, I.1"); an annex prefixes
everything in it ("Quy chế, Điều 3").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .header import (  # noqa: F401  (re-exported: callers import these from here)
    DOC_TYPES, TYPE_CODES, Header, Line, lines_of, normalize_number, sentence_case, type_from_number,
)
from .header import parse_header as _parse_header
from .models import Section, Sentence, Span, Table, TableRow
from .tables import TextTable, find_tables

ANCHORS = ("part", "chapter", "section", "article", "roman")
# Nesting: a heading closes every open section of the same or a deeper rank.
_RANK = {"part": 0, "chapter": 1, "section": 2, "article": 3, "roman": 3, "item": 4, "clause": 4, "point": 9}
_SUB_RANK = 4  # a sub-item "2.1" ranks 5, "2.1.3" ranks 6: one deeper per number
_TERMINAL = re.compile(r"[.!?;:…]['\"”’»)]*$")
_LABELS = {"part": "Phần", "chapter": "Chương", "section": "Mục", "article": "Điều"}

_WORDED = re.compile(
    r"^(?P<word>Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC|Điều|ĐIỀU)\s+"
    r"(?P<num>[IVXLC]{1,6}|\d{1,3}[a-zđ]?|(?:thứ|THỨ)\s+\w+)(?=$|[\s.:\-–])(?P<rest>.*)$"
)
_WORD_KIND = {"phần": "part", "chương": "chapter", "mục": "section", "điều": "article"}
# (never "V/v …", "Về việc", a Công văn's subject line)
_ROMAN = re.compile(r"^(?!V\s*/\s*[vV]\b)(?P<num>[IVX]{1,6})\s*[.\-–:/]\s*(?P<title>.*)$")
# "A. KẾT QUẢ THỰC HIỆN", "B- PHƯƠNG HƯỚNG …": lettered parts of a report, always titled in capitals
_LETTER_PART = re.compile(r"^(?P<num>[A-H])\s*[.\-–]\s*(?P<title>\S.*)$")
_SUB = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){1,3})(?:\.|\s*[-–)])?\s+(?P<title>[^\d\s].*)$")
_ITEM = re.compile(r"^(?P<num>\d{1,3})\s*[.\-–)]\s*(?P<title>[^\d\s.].*)$")
# An item whose text opens with a figure ("1. 100% thôn, tổ dân phố có chi bộ", "3. 12 chi bộ …"): the
# space after "1." and the words after the figure tell it from a number ("15.000 đảng viên", "1.5").
_ITEM_FIGURE = re.compile(r"^(?P<num>\d{1,3})[.)]\s+(?P<title>\d[\d.,]*\s*%?\s+[^\W\d_].*)$")
_POINT = re.compile(r"^(?P<num>[a-zđ])\s?(?:\)|\.(?=\s))\s*(?P<title>\S.*)$")
_BULLET = re.compile(r"^[-+•–]\s*")
TITLE_LINE_MAX = 150  # a title on the line under "PHẦN I" / "Chương II" is at most this long


def roman_value(s: str) -> int | None:
    """'XIV' → 14; None for what is not a canonical Roman numeral ('IIII', 'VX')."""
    vals = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    if not s or any(c not in vals for c in s):
        return None
    total = 0
    for i, c in enumerate(s):
        v = vals[c]
        total += -v if i + 1 < len(s) and v < vals[s[i + 1]] else v
    return total if _to_roman(total) == s else None


def _to_roman(n: int) -> str:
    out = ""
    for v, r in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out += r
            n -= v
    return out


@dataclass
class Heading:
    kind: str
    number: str
    title: str
    title_offset: int  # where the title starts in the line (len(line) when empty)
    lettered: bool = False  # "A. KẾT QUẢ …": a part named by a letter, not by "Phần"


def heading_of(line: str) -> Heading | None:
    """The heading a line opens, if any (one line, stripped). Sequence checks happen in the parser."""
    m = _WORDED.match(line)
    if m:
        kind = _WORD_KIND[m.group("word").lower()]
        rest = m.group("rest")
        sep = re.match(r"^\s*[.:\-–]\s*", rest)
        if sep:
            title = rest[sep.end():]
        elif not rest.strip():
            title = ""
        elif kind == "article" and rest.strip()[:1].isupper() or rest.isupper():
            title = rest.strip()
        else:
            return None  # "Mục 2 của Kế hoạch …" is a sentence
        title = title.strip()
        return Heading(kind, m.group("num"), title, len(line) - len(title) if title else len(line))
    m = _ROMAN.match(line)
    if m and roman_value(m.group("num")):
        return Heading("roman", m.group("num"), m.group("title").strip(), m.start("title"))
    m = _LETTER_PART.match(line)
    if m and m.group("title").isupper() and len(m.group("title")) > 3:
        return Heading("part", m.group("num"), m.group("title").strip(), m.start("title"), lettered=True)
    for kind, rx in (("sub", _SUB), ("item", _ITEM), ("item", _ITEM_FIGURE), ("point", _POINT)):
        m = rx.match(line)
        if m:
            return Heading(kind, m.group("num"), m.group("title").strip(), m.start("title"))
    return None


def is_heading(line: str) -> bool:
    return heading_of(line.strip()) is not None


def parse_header(text: str, body_limit: int) -> Header:
    return _parse_header(text, body_limit, heading=is_heading)


@dataclass
class Paragraph:
    start: int
    end: int
    text: str
    section: str | None  # path of the section the paragraph belongs to
    heading_only: bool = False  # a heading line with no body text of its own
    content_start: int = 0  # where the text after the numbering / bullet starts
    kind: str = "body"  # body | heading | row (a table row, whole)


@dataclass
class Body:
    sections: list[Section] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass(eq=False)
class _Node:
    kind: str
    number: str
    title: str
    start: int
    heading_end: int
    rank: int
    parent: "_Node | None"
    end: int = 0
    path: str = ""
    level: int = 0


@dataclass
class _Region:
    """One numbering scope: the document's body, or one annex."""
    start: int
    end: int
    prefix: str = ""  # "Quy chế, " inside an annex
    root: _Node | None = None  # the annex's own section


def _short_title(title: str, limit: int = 120) -> str:
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    cut = title[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def rstrip_span(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _title_below(line: str, kind: str) -> bool:
    """A title set on the line under a bare "PHẦN I" / "Chương II" / "II." heading."""
    if not line or len(line) > TITLE_LINE_MAX or heading_of(line):
        return False
    if line.isupper():
        return True
    return kind in ("part", "chapter", "section") and not _TERMINAL.search(line) and line[:1].isupper()


def _row_number(columns: list[str], cells: list[str], ordinal: int) -> str:
    first = cells[0].strip().rstrip(".") if cells else ""
    if first.isdigit() and (not columns[0] or re.match(r"^(?:S\.?\s?TT|TT|Số)", columns[0].strip(), re.I)):
        return first
    return str(ordinal)


def _parse_region(text: str, region: _Region, body: Body, nodes: list[_Node],
                  tables: list[tuple[TextTable, "_Node | None", list[_Node]]]) -> list[tuple[Paragraph, _Node | None]]:
    """Headings, paragraphs and tables of one region; nodes are appended in document order."""
    paras: list[tuple[Paragraph, _Node | None]] = []
    stack: list[_Node] = []
    root = region.root
    last_roman: dict[int, int] = {}  # id of the enclosing part (or 0) → value of the last Roman heading
    last_letter = ""  # the last lettered part ("A", "B")
    text_tables = find_tables(text, region.start, region.end)
    t_index = 0
    lines = lines_of(text, region.start, region.end)
    n = 0

    def top() -> _Node | None:
        return stack[-1] if stack else root

    while n < len(lines):
        ln = lines[n]
        while t_index < len(text_tables) and text_tables[t_index].end <= ln.start:
            t_index += 1
        if t_index < len(text_tables) and text_tables[t_index].start <= ln.start:
            tb = text_tables[t_index]
            holder = top()
            if tb.header[1] > tb.header[0]:
                paras.append((Paragraph(tb.header[0], tb.header[1], text[tb.header[0]:tb.header[1]], None,
                                        heading_only=True, content_start=tb.header[0], kind="heading"), holder))
            row_nodes: list[_Node] = []
            for k, row in enumerate(tb.rows):
                cells = [text[a:b] for a, b in row.cells]
                number = _row_number(tb.columns, cells, k + 1)
                title = next((c for c in cells[1:] if c.strip() and not c.strip().isdigit()), cells[0] if cells else "")
                node = _Node("row", number, title, row.start, row.end, 99, holder, end=row.end)
                nodes.append(node)
                row_nodes.append(node)
                paras.append((Paragraph(row.start, row.end, text[row.start:row.end], None, content_start=row.start,
                                        kind="row"), node))
            tables.append((tb, holder, row_nodes))
            while n < len(lines) and lines[n].start < tb.end:
                n += 1
            t_index += 1
            continue
        stripped = ln.text.strip()
        lead = len(ln.text) - len(ln.text.lstrip())
        head = heading_of(stripped)
        if head and head.kind == "roman":
            # Roman parts count up within their Phần: the next one, a fresh start at I, or a jump
            # ahead under a title in capitals. "V. I. Lênin đã chỉ ra …" after "I." is text.
            part = next((x for x in reversed(stack) if x.kind == "part"), None)
            key = id(part) if part else 0
            value = roman_value(head.number) or 0
            last = last_roman.get(key)
            if last is None or value in (last + 1, 1) or (value > last and head.title.isupper()):
                last_roman[key] = value
            else:
                head = None
        elif head and head.lettered:
            # lettered parts go A, B, C … in order
            expected = chr(ord(last_letter) + 1) if last_letter else "A"
            if head.number != expected:
                head = None
            else:
                last_letter = head.number
        if head:
            kind = head.kind
            rank = _SUB_RANK + head.number.count(".") if kind == "sub" else _RANK[kind]
            while stack and stack[-1].rank >= rank:
                stack.pop().end = ln.start
            if kind == "item" and any(x.kind == "article" for x in stack):
                kind = "clause"  # a numbered khoản of an Điều
            title, heading_end = head.title, ln.end
            content_start = ln.start + lead + head.title_offset
            if not title and n + 1 < len(lines) and kind in ANCHORS and kind != "article":
                below = lines[n + 1].text.strip()
                if _title_below(below, kind):
                    title, heading_end, content_start = below, lines[n + 1].end, lines[n + 1].start
                    n += 1
            node = _Node(kind, head.number, title, ln.start, heading_end, rank, top())
            nodes.append(node)
            stack.append(node)
            body_item = bool(_TERMINAL.search(title)) and kind not in ("part", "chapter", "section")
            paras.append((Paragraph(ln.start + lead, heading_end, text[ln.start + lead:heading_end], None,
                                    heading_only=not body_item, content_start=content_start,
                                    kind="body" if body_item else "heading"), node))
            n += 1
            continue
        bullet = _BULLET.match(stripped)
        cs = ln.start + lead + (bullet.end() if bullet else 0)
        paras.append((Paragraph(ln.start + lead, ln.end, stripped, None, content_start=cs), top()))
        n += 1
    for node in stack:
        node.end = region.end
    return paras


def _anchor(node: _Node | None) -> _Node | None:
    while node is not None and node.kind not in ANCHORS and node.kind != "annex":
        node = node.parent
    return node


def _assign_paths(nodes: list[_Node], prefix: str) -> None:
    """Citation paths, in document order (parents first); see the module docstring."""
    natural = {id(x): f"{_LABELS[x.kind]} {x.number}" if x.kind in _LABELS else x.number
               for x in nodes if x.kind in ANCHORS}
    counts: dict[str, int] = {}
    for x in nodes:
        if x.kind in ANCHORS:
            counts[natural[id(x)]] = counts.get(natural[id(x)], 0) + 1
    tables_seen: dict[int, list[int]] = {}  # holder → table ordinals, to tell tables apart
    used: set[str] = set()
    repeats: dict[str, int] = {}  # path → the last "(k)" given to a repeat of it
    for x in nodes:
        up = x.parent if x.parent is not None and x.parent.kind != "annex" else None
        if x.kind in ANCHORS:
            path = natural[id(x)]
            above = _anchor(up)
            if counts[path] > 1 and above is not None:
                path = f"{above.path[len(prefix):]}, {path}"
            path = prefix + path
        elif x.kind in ("item", "clause", "sub"):
            anchor = _anchor(up)
            path = f"{anchor.path}.{x.number}" if anchor else prefix + x.number
        elif x.kind == "point":
            path = f"{up.path}.{x.number}" if up else prefix + x.number
        else:  # row: its path is set with its table
            continue
        if path in used:  # a numbering that restarts within one anchor: keep paths apart
            k = repeats.get(path, 1) + 1
            while f"{path} ({k})" in used:
                k += 1
            repeats[path] = k
            path = f"{path} ({k})"
        used.add(path)
        x.path = path
    for x in nodes:
        depth, p = 0, x.parent
        while p is not None:
            depth, p = depth + 1, p.parent
        x.level = depth


def parse_body(text: str, header: Header) -> Body:
    """Sections, paragraphs and tables of the document's body and of each annex."""
    body = Body()
    regions = [_Region(header.body_start, header.body_end)]
    for a in header.annexes:
        label = a.label
        end = a.closing.end if a.closing else a.end
        root = _Node("annex", a.number, a.title or a.label, a.start, a.heading_end, -1, None, end=end, path=label)
        regions.append(_Region(a.heading_end, a.end, prefix=f"{label}, ", root=root))
    for region in regions:
        nodes: list[_Node] = []
        tables: list[tuple[TextTable, _Node | None, list[_Node]]] = []
        paras = _parse_region(text, region, body, nodes, tables)
        _assign_paths(nodes, region.prefix)
        _row_paths(tables, region)
        if region.root is not None:
            r = region.root
            body.sections.append(Section(r.path, _short_title(r.title), 0, r.start, rstrip_span(text, r.start, r.end),
                                         r.heading_end, None, kind="annex", number=r.number))
            body.paragraphs.append(Paragraph(r.start, r.heading_end, text[r.start:r.heading_end], r.path,
                                             heading_only=True, content_start=r.start, kind="heading"))
        for x in nodes:
            parent = x.parent.path if x.parent is not None else None
            body.sections.append(Section(x.path, _short_title(x.title), x.level, x.start,
                                         rstrip_span(text, x.start, x.end), x.heading_end, parent,
                                         kind=x.kind, number=x.number))
        for p, holder in paras:
            p.section = holder.path if holder is not None else None
            body.paragraphs.append(p)
        for tb, holder, rows in tables:
            body.tables.append(Table(
                holder.path if holder is not None else None, tb.start, tb.end, tb.columns,
                [TableRow(x.path, x.start, x.end, [Span(a, b) for a, b in r.cells]) for x, r in zip(rows, tb.rows)]))
    body.sections.sort(key=lambda s: (s.start, s.level))
    return body


def _row_paths(tables: list[tuple[TextTable, _Node | None, list[_Node]]], region: _Region) -> None:
    """"III, dòng 6"; a second table under one section: "III, bảng 2, dòng 1"."""
    count: dict[int, int] = {}
    for tb, holder, rows in tables:
        key = id(holder) if holder is not None else 0
        count[key] = count.get(key, 0) + 1
        base = holder.path if holder is not None else region.prefix.rstrip(", ")
        table_part = f"bảng {count[key]}, " if count[key] > 1 else ""
        numbers = [x.number for x in rows]
        if len(set(numbers)) != len(numbers):  # repeated row numbers: count the rows instead
            for k, x in enumerate(rows):
                x.number = str(k + 1)
        for x in rows:
            x.path = f"{base}, {table_part}dòng {x.number}" if base else f"{table_part}dòng {x.number}"


def parse_sections(text: str, start: int, end: int) -> tuple[list[Section], list[Paragraph]]:
    """The section tree and the body paragraphs of text[start:end] (no header, no annex)."""
    body = parse_body(text, Header(body_start=start, body_end=end))
    return body.sections, body.paragraphs


# ---------------------------------------------------------------------------------------------
# Sentences

_ABBREV_BEFORE_DOT = re.compile(r"(?:\b(?:TP|Tp|TS|ThS|PGS|GS|BS|Th\.S|v\.v|St|Nxb|tr|Đ/c|đ/c)|\b[A-ZĐ])\.$")
_ABBREV_WINDOW = 12  # longer than the longest abbreviation above ("Th.S.", "v.v.", "Đ/c.")
# "… gửi báo cáo năm trong quý I. Các chi bộ …": a quarter's numeral ends a sentence, it is no initial
# ("Nguyễn V. A."); read as one, the next sentence's duty took this one's "trong quý I".
_QUARTER_NUMERAL = re.compile(r"\bqu[ýíyi]\s+[IVX]\.$", re.I)
_BOUNDARY = re.compile(r"([.!?…]+['\"”’»)]*)(\s+)(?=[\"“‘'«(\-–]?\s*[A-ZĐÀ-Ỹ0-9(])")
_NEXT_LETTER = re.compile(r"[\"“‘'«(\-–]?\s*(\w)")


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside text[start:end] (one paragraph). Splits at ". " before a capital, not
    after abbreviations; never inside a date or a number like "2.1."."""
    spans: list[tuple[int, int]] = []
    seg = text[start:end]
    pos = 0
    for m in _BOUNDARY.finditer(seg):
        # Only the few characters before the dot can be an abbreviation: searching the whole
        # prefix at every boundary made a long paragraph quadratic (issue 16: 26,000 sentences in
        # one paragraph took ~37 minutes). `\b` still sees the character before the window.
        window = max(0, m.end(1) - _ABBREV_WINDOW)
        if _ABBREV_BEFORE_DOT.search(seg, window, m.end(1)) and not _QUARTER_NUMERAL.search(seg, window, m.end(1)):
            continue
        nxt = _NEXT_LETTER.match(seg, m.end(2))
        if nxt and nxt.group(1).islower():
            continue  # "công tác,... để ăn uống": À-Ỹ above also spans lower-case letters (đ, ể)
        spans.append((start + pos, start + m.end(1)))
        pos = m.end(2)
    if pos < len(seg):
        spans.append((start + pos, end))
    spans = [piece for s, e in spans for piece in _cap(text, s, e)]
    return [(s, rstrip_span(text, s, e)) for s, e in spans if text[s:e].strip()]


MAX_SENTENCE = 2000  # no real sentence is this long; a run-on text (one 50 MB line) is cut at spaces


def _cap(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """text[start:end] in pieces of at most MAX_SENTENCE characters, cut after a space when there is
    one, so that chunks, citations and the word segmenter's input stay bounded."""
    pieces: list[tuple[int, int]] = []
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE) + 1 or start + MAX_SENTENCE
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def sentences_of(text: str, paragraphs: list[Paragraph]) -> list[Sentence]:
    out: list[Sentence] = []
    for p in paragraphs:
        if p.kind == "row":  # a table row is quoted whole: its cells are not sentences
            out.append(Sentence(p.start, rstrip_span(text, p.start, p.end), p.section, "row"))
            continue
        if p.heading_only:  # quoted whole, numbering included: "Điều 1. Yêu nước, …"
            out.append(Sentence(p.start, rstrip_span(text, p.start, p.end), p.section, "heading"))
            continue
        for s, e in split_sentences(text, p.content_start, p.end):
            out.append(Sentence(s, e, p.section, "body"))
    return out
