"""Structure of a Party document: header metadata, the section tree with citation paths, the
closing block (recipients, signature), sentences with spans.

Works on the repaired text (`ingest.repair`); every offset returned indexes that text.
Header layout follows Hướng dẫn 36-HD/VPTW: issuing body, "ĐẢNG CỘNG SẢN VIỆT NAM", "Số …",
"<place>, ngày … tháng … năm …", the document type in capitals, the subject line; at the end
"Nơi nhận:" and the signature block.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources

from .models import Section, Sentence
from .normalize import fold

DOC_TYPES = [
    "Kết luận", "Quy định", "Chỉ thị", "Nghị quyết", "Hướng dẫn", "Kế hoạch", "Thông báo",
    "Quyết định", "Quy chế", "Chương trình", "Báo cáo", "Đề án", "Công văn", "Thông tri", "Tờ trình",
]
# Codes in document numbers ("222-KH/TU") → type. "QĐi" is the XIII-term code for Quy định.
TYPE_CODES = {
    "kl": "Kết luận", "qd": "Quy định", "qdi": "Quy định", "ct": "Chỉ thị", "nq": "Nghị quyết",
    "hd": "Hướng dẫn", "kh": "Kế hoạch", "tb": "Thông báo", "qc": "Quy chế", "ctr": "Chương trình",
    "bc": "Báo cáo", "da": "Đề án", "cv": "Công văn", "tt": "Thông tri",
}

_NUMBER_LINE = re.compile(r"^Số\s*:?\s*(\d{1,4}\s?[-–]\s?[A-ZĐa-zđ]{1,6}(?:\s?/\s?[A-ZĐa-zđ]{1,8}){1,2})\b", re.I)
_DATE_LINE = re.compile(r"^(?:(?P<place>[^,\d]{2,40}),\s*)?ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})", re.I)
_PARTY_LINE = re.compile(r"^ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM\b")
_RULE = re.compile(r"^\s*(?:[-_=*~.]{3,}|\*{1,5})\s*$")  # "-------" or the lone "*" under the issuer
_SIGN_START = re.compile(r"^(T/?M\.?|K/?T\.?|TM\.|KT\.|Q\.\s|TUQ\.)\s*\S", re.I)
_RECIPIENTS = re.compile(r"^Nơi\s+nhận\s*:?", re.I)

# Section headings, most specific first.
_HEADINGS: list[tuple[str, re.Pattern[str]]] = [
    ("chuong", re.compile(r"^(?:Chương|CHƯƠNG)\s+(?P<num>[IVXLC]+|\d+)\b\.?\s*(?P<title>.*)$")),
    ("muc", re.compile(r"^(?:Mục|MỤC)\s+(?P<num>\d+|[IVX]+)\b\.?\s*(?P<title>.*)$")),
    ("dieu", re.compile(r"^(?:Điều|ĐIỀU)\s+(?P<num>\d+)\s*[.:]?\s*(?P<title>.*)$")),
    ("roman", re.compile(r"^(?P<num>[IVX]{1,5})\s*[.\-–]\s*(?P<title>\S.*)$")),
    ("sub", re.compile(r"^(?P<num>\d{1,2}\.\d{1,2}(?:\.\d{1,2})?)\.?\s+(?P<title>\S.*)$")),
    ("item", re.compile(r"^(?P<num>\d{1,2})\s*[.\-–)]\s*(?P<title>[^\d\s.].*)$")),
    ("point", re.compile(r"^(?P<num>[a-zđ])\)\s*(?P<title>\S.*)$")),
]
_RANK = {"chuong": 0, "muc": 1, "dieu": 2, "roman": 2, "item": 3, "sub": 4, "point": 5}
_TERMINAL = re.compile(r"[.!?;:…]['\"”’»)]*$")


@dataclass
class Header:
    issuer: str | None = None
    number: str | None = None
    place: str | None = None
    issued: date | None = None
    type: str | None = None
    title: str | None = None
    title_span: tuple[int, int] | None = None  # type line through subject line
    signer: str | None = None
    signer_position: str | None = None
    recipients: list[str] = field(default_factory=list)
    body_start: int = 0
    body_end: int = 0  # start of the closing block (recipients / signature)


@dataclass
class Line:
    start: int
    end: int
    text: str


def lines_of(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    end = len(text) if end is None else end
    return [Line(m.start(), m.end(), m.group(0)) for m in re.finditer(r"[^\n]+", text[:end]) if m.start() >= start]


@lru_cache(maxsize=1)
def _cased_phrases() -> list[tuple[str, str]]:
    """Gazetteer phrases with their proper casing, keyed by folded lower case (longest first)."""
    raw = resources.files("ingest").joinpath("data/fixed_words.txt").read_text("utf-8").splitlines()
    phrases = [p.strip() for p in raw if p.strip() and not p.startswith("#")]
    phrases += ["Tỉnh ủy", "Huyện ủy", "Thành ủy", "Đảng ủy", "Trung ương", "Ban Chấp hành", "Ban Thường vụ",
                "Việt Nam", "Nhân dân", "Đảng", "Nhà nước", "Tổ quốc", "Quốc hội", "Chính phủ"]
    return sorted(((fold(p).lower(), p) for p in phrases), key=lambda kv: len(kv[0]), reverse=True)


def sentence_case(upper: str) -> str:
    """'TỈNH ỦY LAI CHÂU' → 'Tỉnh ủy Lai Châu'; 'BAN CHẤP HÀNH TRUNG ƯƠNG' → 'Ban Chấp hành Trung ương'."""
    low = " ".join(upper.split()).lower()
    folded = fold(low)
    for key, cased in _cased_phrases():
        for m in reversed(list(re.finditer(rf"(?<!\w){re.escape(key)}(?!\w)", folded))):
            low = low[: m.start()] + cased + low[m.end():]
    # Place names follow "Tỉnh ủy", "Huyện ủy", "Thành ủy": capitalise each of their words.
    low = re.sub(
        r"((?:Tỉnh|Huyện|Thành|Đảng) ủy|tỉnh|huyện|thành phố)\s+((?:\w+\s*){1,3})$",
        lambda m: m.group(1) + " " + m.group(2).title(),
        low,
    )
    return low[:1].upper() + low[1:]


def normalize_number(raw: str) -> str:
    return re.sub(r"\s*([-–/])\s*", r"\1", raw.strip()).replace("–", "-")


def type_from_number(number: str | None) -> str | None:
    if not number or "-" not in number:
        return None
    code = fold(number.split("-", 1)[1].split("/", 1)[0]).lower()
    return TYPE_CODES.get(code)


def _doc_type_of_line(text: str) -> str | None:
    s = text.strip()
    if not s.isupper():
        return None
    for t in DOC_TYPES:
        if s == t.upper() or s.startswith(t.upper() + " "):
            return t
    return None


def parse_header(text: str, body_limit: int) -> Header:
    """Metadata from the first lines and the closing block. Missing parts stay None."""
    h = Header(body_end=body_limit)
    lines = lines_of(text, 0, body_limit)
    issuer_lines: list[str] = []
    seen_party = False
    i = 0
    # The header is the first ~12 lines at most; stop at the first line that is plainly body text.
    while i < min(len(lines), 14):
        ln = lines[i]
        s = ln.text.strip()
        if _PARTY_LINE.match(s):
            seen_party = True
        elif _RULE.match(s):
            pass
        elif (m := _NUMBER_LINE.match(s)) and not h.number:
            h.number = normalize_number(m.group(1))
        elif (m := _DATE_LINE.match(s)) and not h.issued:
            try:
                h.issued = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            except ValueError:
                h.issued = None
            if m.group("place"):
                h.place = m.group("place").strip()
        elif (t := _doc_type_of_line(s)) and not h.type:
            h.type = t
            title_start, title_end, title_parts = ln.start, ln.end, []
            rest = s[len(t):].strip()
            if rest:
                title_parts.append(rest)
            j = i + 1
            while j < len(lines) and j <= i + 4:
                nxt = lines[j].text.strip()
                if _RULE.match(nxt):
                    j += 1
                    continue
                if _is_title_continuation(nxt, first=not title_parts or bool(rest)):
                    title_parts.append(nxt)
                    title_end = lines[j].end
                    j += 1
                    if text[lines[j - 1].end:lines[j].start if j < len(lines) else lines[j - 1].end].count("\n") > 1:
                        break  # a blank line closes the subject
                    continue
                break
            h.title = _clean_title(" ".join(title_parts)) if title_parts else None
            h.title_span = (title_start, title_end)
            h.body_start = title_end
            i = j
            continue
        elif not seen_party and s.isupper() and len(s) < 100 and not h.number:
            issuer_lines.append(s)
        else:
            break
        h.body_start = ln.end
        i += 1
    if issuer_lines:
        h.issuer = sentence_case(" ".join(issuer_lines))
    _parse_closing(text, h)
    if not h.type:
        h.type = type_from_number(h.number)
    return h


def _is_title_continuation(line: str, first: bool) -> bool:
    if not line or len(line) > 400 or _heading_of(line):
        return False
    if re.match(r"^(-\s*)?(Căn cứ|Thực hiện|Xét|Xem xét|Để)\b", line):
        return False
    if line.isupper() or line[:1].islower() or fold(line[:3]).lower() == "ve ":
        return True
    return first and not _TERMINAL.search(line)


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    return sentence_case(title) if title.isupper() else title


def _parse_closing(text: str, h: Header) -> None:
    """Recipients and signature: the closing block starts at "Nơi nhận:" or the signature line."""
    lines = lines_of(text, h.body_start, h.body_end)
    start = None
    for n, ln in enumerate(lines):
        s = ln.text.strip()
        if _RECIPIENTS.match(s) or (_SIGN_START.match(s) and n > len(lines) - 12):
            start = n
            break
    if start is None:
        return
    h.body_end = lines[start].start
    block = lines[start:]
    in_recipients = False
    position: list[str] = []
    for ln in block:
        s = ln.text.strip()
        if _RECIPIENTS.match(s):
            in_recipients = True
            rest = _RECIPIENTS.sub("", s).strip()
            if rest:
                h.recipients.append(rest.lstrip("- ").rstrip(",.;"))
            continue
        if in_recipients and s.startswith(("-", "+", "•")):
            h.recipients.append(s.lstrip("-+• ").rstrip(",.;"))
            continue
        in_recipients = False
        if s.isupper():
            position.append(s)
        elif _looks_like_name(s):
            h.signer = s
    if position:
        h.signer_position = " ".join(position)
        # "T/M BAN THƯỜNG VỤ": the body that signs for the issuer.
        m = re.match(r"^(?:T/?M|TM\.?)\s+(.+)$", position[0])
        if m and h.issuer and fold(m.group(1)).lower() not in fold(h.issuer).lower():
            h.issuer = f"{h.issuer} ({sentence_case(m.group(1))})"


def _looks_like_name(s: str) -> bool:
    words = s.split()
    return 2 <= len(words) <= 5 and all(w[:1].isupper() and w[1:].islower() and w.isalpha() for w in words)


# ---------------------------------------------------------------------------------------------
# Sections


def _heading_of(line: str) -> tuple[str, str, str] | None:
    for kind, rx in _HEADINGS:
        m = rx.match(line)
        if m:
            return kind, m.group("num"), m.group("title").strip()
    return None


@dataclass
class Paragraph:
    start: int
    end: int
    text: str
    section: str | None  # path of the section the paragraph belongs to
    heading_only: bool = False  # a heading line with no body text of its own
    content_start: int = 0  # where the text after the numbering / bullet starts


def parse_sections(text: str, start: int, end: int) -> tuple[list[Section], list[Paragraph]]:
    """The section tree and the body paragraphs of text[start:end]."""
    sections: list[Section] = []
    stack: list[tuple[str, Section]] = []  # (kind, section)
    paragraphs: list[Paragraph] = []
    lines = lines_of(text, start, end)
    skip_next = False
    for n, ln in enumerate(lines):
        if skip_next:
            skip_next = False
            continue
        stripped = ln.text.strip()
        lead = len(ln.text) - len(ln.text.lstrip())
        head = _heading_of(stripped)
        if head:
            kind, num, title = head
            # A numbered item directly under a Roman part or an Điều; a stray "1." in the preamble
            # before any section still opens a top-level item.
            while stack and _RANK[stack[-1][0]] >= _RANK[kind]:
                stack.pop()
            path = _path(kind, num, stack)
            heading_end = ln.end
            content_start = ln.start + lead + _content_offset(stripped, title)
            if kind in ("chuong", "muc") and not title and n + 1 < len(lines):
                nxt = lines[n + 1].text.strip()
                if nxt.isupper() and len(nxt) < 150:
                    title, heading_end, skip_next = nxt, lines[n + 1].end, True
                    content_start = lines[n + 1].start
            body_item = bool(_TERMINAL.search(title)) and kind not in ("chuong", "muc")
            sec = Section(
                path=path,
                title=_short_title(title),
                level=len(stack),
                start=ln.start,
                end=end,
                heading_end=heading_end,
                parent=stack[-1][1].path if stack else None,
            )
            sections.append(sec)
            stack.append((kind, sec))
            paragraphs.append(Paragraph(ln.start + lead, heading_end, text[ln.start + lead:heading_end], path,
                                        heading_only=not body_item, content_start=content_start))
            continue
        bullet = re.match(r"^[-+•]\s*", stripped)
        cs = ln.start + lead + (bullet.end() if bullet else 0)
        paragraphs.append(Paragraph(ln.start + lead, ln.end, stripped, stack[-1][1].path if stack else None,
                                    content_start=cs))
    # Each section ends where the next section of the same or a higher rank begins.
    for i, sec in enumerate(sections):
        for later in sections[i + 1:]:
            if later.level <= sec.level:
                sec.end = later.start
                break
        sec.end = rstrip_span(text, sec.start, sec.end)
    return sections, paragraphs


def _content_offset(line: str, title: str) -> int:
    idx = line.rfind(title) if title else -1
    return idx if idx >= 0 else len(line)


def rstrip_span(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _path(kind: str, num: str, stack: list[tuple[str, Section]]) -> str:
    if kind == "chuong":
        return f"Chương {num}"
    if kind == "muc":
        return f"Mục {num}"
    if kind == "dieu":
        return f"Điều {num}"
    if kind == "roman":
        return num
    anchor = next((s.path for k, s in reversed(stack) if k in ("roman", "dieu")), None)
    if kind == "sub":
        return f"{anchor}.{num}" if anchor else num
    if kind == "item":
        return f"{anchor}.{num}" if anchor else num
    # point a): under the deepest numbered section
    parent = stack[-1][1].path if stack else None
    return f"{parent}.{num}" if parent else num


def _short_title(title: str, limit: int = 120) -> str:
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    cut = title[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


# ---------------------------------------------------------------------------------------------
# Sentences

_ABBREV_BEFORE_DOT = re.compile(r"(?:\b(?:TP|Tp|TS|ThS|PGS|GS|BS|Th\.S|v\.v|St|Nxb|tr|Đ/c|đ/c)|\b[A-ZĐ])\.$")
_ABBREV_WINDOW = 12  # longer than the longest abbreviation above ("Th.S.", "v.v.", "Đ/c.")
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
        if _ABBREV_BEFORE_DOT.search(seg, max(0, m.end(1) - _ABBREV_WINDOW), m.end(1)):
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
        if p.heading_only:  # quoted whole, numbering included: "Điều 1. Yêu nước, …"
            out.append(Sentence(p.start, rstrip_span(text, p.start, p.end), p.section, "heading"))
            continue
        for s, e in split_sentences(text, p.content_start, p.end):
            out.append(Sentence(s, e, p.section, "body"))
    return out
