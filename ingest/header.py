"""The face of a Party document: its header (issuing body, number, place and date, type, subject),
its preamble's bases ("Căn cứ …", "Thực hiện …"), its closing blocks ("Nơi nhận:", the signature),
and the annexes a decision carries after its own signature ("QUY CHẾ … (Ban hành kèm theo Quyết
định số …)").

Layout per Hướng dẫn 36-HD/VPTW; converters flatten its two-column header into lines in either
order, or into one line with the columns apart (tabs, runs of spaces): both are read. Every line
found is recorded as a `MetaField` with its span, so answers quote "Lai Châu, ngày 18 tháng 12 năm
2023" or "T/M BAN THƯỜNG VỤ\\nPHÓ BÍ THƯ" verbatim.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources

from .models import MetaField
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
# A Công văn's subject line under its number: "V/v tập trung …", "Về việc: …" (a Công văn has no type
# line; its subject stands here).
_SUBJECT_LINE = re.compile(r"^(?:V\s*/\s*[vV]|Về\s+việc)\s*[:.]?\s*(?P<subject>\S.*)$")
# A letter's addressees, between its date and its body: "Kính gửi: Ban Thường vụ …" or "Kính gửi:"
# over a list of lines ("- Các đảng ủy xã, thị trấn;").
_ADDRESSEES = re.compile(r"^Kính\s+gửi\s*:?\s*(?P<inline>.*)$", re.I)
_ITEM_LINE = re.compile(r"^\s*[-+•–]\s*\S")
_PARTY_LINE = re.compile(r"^(?:ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM|CỘNG\s+HÒA\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM|Độc\s+lập\s*[-–]\s*Tự\s+do)", re.I)
# A decoration line: "-------", the lone "*" under the issuer, "---oOo---", and the same written with
# Markdown's escapes ("\*", "\-"), as a converter to .md writes them — no letter or digit of text.
_RULE = re.compile(r"^\s*(?:(?:\\?[-_=*~.–]){3,}|(?:\\?\*){1,5}|(?:\\?[-_=*~.–])+\s*[oO0]\s*[oO0]\s*[oO0]\s*(?:\\?[-_=*~.–])+)\s*$")
# "T/M BAN THƯỜNG VỤ", "K/T BÍ THƯ", "TM. …", "TL. …" (thừa lệnh), "TUQ. …", "Q. …".
_SIGN_START = re.compile(r"^(?:[TK]/[MTLmtl]\.?|T\.M\.|K\.T\.|T\.L\.|TM\.|KT\.|Q\.|TUQ\.|TL\.|(?:TM|KT|TL)(?=\s+[A-ZĐ]))\s*\S")
_RECIPIENTS = re.compile(r"^Nơi\s+nhận\s*:?", re.I)
_SIGNED_NOTE = re.compile(r"^[(\[]?\s*(?:đã\s+ký|ký(?:\s+tên)?(?:,\s*[^)\]]*)?|chữ\s+ký[^)\]]*)\s*[)\]]?$", re.I)
# Words of a signing position ("PHÓ BÍ THƯ THƯỜNG TRỰC", "CHỦ NHIỆM"); a name never has them.
_POSITION = re.compile(r"\b(?:BÍ THƯ|CHỦ NHIỆM|TRƯỞNG|CHÁNH|CHỦ TỊCH|GIÁM ĐỐC|ỦY VIÊN|THƯỜNG TRỰC|PHÓ|TỔNG)\b")
_ANNEX_NOTE = re.compile(r"^\(?\s*(?:Ban\s+hành\s+)?kèm\s+theo\b", re.I)
_ANNEX_TYPE = re.compile(r"^(?P<type>PHỤ\s+LỤC|Phụ\s+lục)(?:\s+(?P<num>[IVXLC]+|\d{1,3}[a-z]?))?\s*[.:]?\s*(?P<rest>.*)$")
_COLUMNS = re.compile(r"\t+| {3,}")  # the two columns of a flattened header line
# A basis opens a preamble line or a clause of it ("…; căn cứ Chương trình công tác năm 2025 …").
_BASIS = re.compile(r"(?:^|(?<=[;,]\s)|(?<=^[-–+•]\s))(?:[Cc]ăn\s+cứ|[Tt]hực\s+hiện|Để\s+(?:góp\s+phần\s+)?"
                    r"(?:thực\s+hiện|triển\s+khai)|[Xx]ét\s+đề\s+nghị|[Tt]heo\s+đề\s+nghị)\b")
# …and names what it rests on, within a few words.
_BASIS_OBJECT = re.compile(
    "(?:" + "|".join(DOC_TYPES) + r"|Điều\s+lệ|Hiến\s+pháp|Luật|Nghị\s+định|văn\s+bản|đề\s+nghị|ý\s+kiến|\d{1,4}\s?[-–]\s?[A-ZĐ])",
    re.I,
)
BASIS_OBJECT_WITHIN = 60  # characters after the cue
# The clause that enacts ("…, Ban Thường vụ Tỉnh ủy ban hành Kế hoạch … như sau:") ends the bases:
# a capitalised subject of at most ten words, then the enacting verb.
_ENACTING = re.compile(
    r"[,;]\s+(?P<w>\w)(?:[^\s,;]*\s+){1,10}?(?:ban\s+hành|yêu\s+cầu|quy\s+định|hướng\s+dẫn|kết\s+luận|"
    r"chỉ\s+thị|thông\s+báo|quyết\s+định|đề\s+ra)\b"
)
PREAMBLE_LINES_MAX = 16  # bases are read in the preamble's first lines only
HEADER_LINE_MAX = 400  # characters; a longer line is body text, never a header line
HEADER_LINES_MAX = 16
CLOSING_COLUMN_SCAN = 4  # lines of a closing block looked at for two columns set on one line  # the header is at most this many lines; body text ends it sooner
TITLE_LINES_MAX = 4  # lines of a subject (trích yếu) under the type line
NAME_WORDS = (2, 5)  # a signer's name has this many words


@dataclass
class Closing:
    """A "Nơi nhận:" block and/or a signature block."""
    start: int
    end: int
    recipients: list[str] = field(default_factory=list)
    signer: str | None = None
    signer_position: str | None = None
    fields: list[MetaField] = field(default_factory=list)


@dataclass
class Annex:
    """A document annexed after the signature (Quy chế, Quy định, Phụ lục …)."""
    label: str  # its citation prefix: "Quy chế", "Phụ lục 2"
    number: str
    type: str | None
    title: str
    start: int  # its first line (a repeated issuer line, or the type line)
    heading_end: int  # end of its type, subject and "(Ban hành kèm theo …)" lines
    end: int  # end of its body: its own closing, the next annex or the end of the text
    closing: Closing | None = None


@dataclass
class Header:
    issuer: str | None = None
    issuer_parent: str | None = None  # "Đảng bộ tỉnh Sơn Nguyên" above "HUYỆN ỦY PHONG THẠNH"
    number: str | None = None
    place: str | None = None
    issued: date | None = None
    type: str | None = None
    title: str | None = None
    title_span: tuple[int, int] | None = None  # type line through subject line
    span: tuple[int, int] | None = None  # the whole header block, issuer through subject
    signer: str | None = None
    signer_position: str | None = None
    recipients: list[str] = field(default_factory=list)
    addressees: list[str] = field(default_factory=list)  # "Kính gửi: …" of a letter (Công văn)
    addressee_spans: list[tuple[int, int]] = field(default_factory=list)
    body_start: int = 0
    body_end: int = 0  # start of the closing block (recipients / signature), or of the first annex
    closing: Closing | None = None
    annexes: list[Annex] = field(default_factory=list)
    fields: list[MetaField] = field(default_factory=list)


@dataclass
class Line:
    start: int
    end: int
    text: str


_LINE = re.compile(r"[^\n]+")


def lines_of(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    end = len(text) if end is None else end
    return [Line(m.start(), m.end(), m.group(0)) for m in _LINE.finditer(text, start, end)]


def _item_span(text: str, s: int, e: int, lead: str, tail: str) -> tuple[int, int]:
    """A list line's span without its bullet (`lead` characters) and its end mark (`tail` characters)."""
    while s < e and text[s] in lead:
        s += 1
    while e > s and text[e - 1] in tail:
        e -= 1
    return s, e


def _stripped(text: str, ln: Line) -> Line:
    """The line without outer blanks (its span too)."""
    s, e = ln.start, ln.end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return Line(s, e, text[s:e])


@lru_cache(maxsize=1)
def _cased_phrases() -> list[tuple[str, str]]:
    """Gazetteer phrases with their proper casing, keyed by folded lower case (longest first)."""
    raw = resources.files("ingest").joinpath("data/fixed_words.txt").read_text("utf-8").splitlines()
    phrases = [p.strip() for p in raw if p.strip() and not p.startswith("#")]
    phrases += ["Tỉnh ủy", "Huyện ủy", "Thành ủy", "Thị ủy", "Quận ủy", "Đảng ủy", "Đảng bộ", "Trung ương",
                "Ban Chấp hành", "Ban Thường vụ", "Ban Tuyên giáo", "Ban Tổ chức", "Ban Dân vận", "Ban Nội chính",
                "Ban Kinh tế", "Ủy ban Kiểm tra", "Văn phòng", "Đảng đoàn", "Ban cán sự đảng", "Đảng ủy Khối",
                "Đảng bộ Khối", "Hội đồng nhân dân", "Ủy ban nhân dân", "Việt Nam", "Nhân dân", "Đảng", "Nhà nước",
                "Tổ quốc", "Quốc hội", "Chính phủ", "Chi bộ"]
    return sorted(((fold(p).lower(), p) for p in phrases), key=lambda kv: len(kv[0]), reverse=True)


def sentence_case(upper: str) -> str:
    """'TỈNH ỦY LAI CHÂU' → 'Tỉnh ủy Lai Châu'; 'BAN CHẤP HÀNH TRUNG ƯƠNG' → 'Ban Chấp hành Trung ương'."""
    low = " ".join(upper.split()).lower()
    folded = fold(low)
    for key, cased in _cased_phrases():
        for m in reversed(list(re.finditer(rf"(?<!\w){re.escape(key)}(?!\w)", folded))):
            low = low[: m.start()] + cased + low[m.end():]
            folded = folded[: m.start()] + fold(cased).lower() + folded[m.end():]
    # Place names follow "Tỉnh ủy", "Huyện ủy", "tỉnh", "xã" …: capitalise each of their words.
    low = re.sub(
        r"((?:Tỉnh|Huyện|Thành|Thị|Quận|Đảng) ủy|tỉnh|huyện|thành phố|thị xã|quận|xã|phường|thị trấn)"
        r"\s+(?!(?:tỉnh|huyện|thành phố|thị xã|quận|xã|phường|thị trấn|khối|Khối)\b)((?:\w+\s*){1,3})$",
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


def doc_type_of_line(text: str) -> str | None:
    s = text.strip()
    if not s.isupper():
        return None
    for t in DOC_TYPES:
        if s == t.upper() or s.startswith(t.upper() + " "):
            return t
    return None


def is_title_continuation(line: str, first: bool, heading) -> bool:
    """A line of the subject under the type line (`heading` tells section headings apart)."""
    if not line or len(line) > 400 or heading(line):
        return False
    if re.match(r"^(-\s*)?(Căn cứ|Thực hiện|Xét|Xem xét|Để)\b", line) or _ANNEX_NOTE.match(line):
        return False
    if _PARTY_LINE.match(line) or _NUMBER_LINE.match(line) or _DATE_LINE.match(line):
        return False
    if line.isupper() or line[:1].islower() or fold(line[:3]).lower() == "ve ":
        return True
    return first and not re.search(r"[.!?;:…]['\"”’»)]*$", line)


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    return sentence_case(title) if title.isupper() else title


# Bodies set in capitals like a name. Narrow on purpose: Đoàn, Trương, Bồ are surnames too.
_NOT_A_NAME = re.compile(r"^(?:(?:tinh|huyen|thanh|thi|quan|dang) uy|dang bo|ban |uy ban|van phong|chi bo)\b")


def _looks_like_name(s: str) -> bool:
    words = s.split()
    if not NAME_WORDS[0] <= len(words) <= NAME_WORDS[1] or _POSITION.search(s.upper()):
        return False
    if doc_type_of_line(s) or _PARTY_LINE.match(s) or _NOT_A_NAME.match(fold(s).lower()):
        return False  # "QUY CHẾ", "ĐẢNG CỘNG SẢN VIỆT NAM", "HUYỆN ỦY PHONG THẠNH" name no one
    if s.isupper():  # "HÀ QUANG TỊNH"
        return all(w.isalpha() for w in words)
    return all(w[:1].isupper() and (w[1:] == "" or w[1:].islower()) and w.isalpha() for w in words)


def _is_position(s: str) -> bool:
    return s.isupper() and len(s) <= 80 and bool(_POSITION.search(s))


# ---------------------------------------------------------------------------------------------
# Issuer: the body under its parent

# Words that open the name of a body (folded). A line that opens otherwise continues the line above
# ("ĐẢNG ỦY KHỐI CÁC CƠ QUAN" / "TỈNH BÌNH SƠN").
_BODY_START = re.compile(
    r"^(?:ban |dang uy|dang bo|uy ban|tinh uy|huyen uy|thanh uy|thi uy|quan uy|chi bo|van phong|doan |"
    r"hoi dong|bo chinh tri|dang doan|truong |trung tam|so |phong |cong an|mat tran|hoi |tinh doan|"
    r"huyen doan|thanh doan|bo |dang cong san)"
)
# A body named only by its function ("ỦY BAN KIỂM TRA", "BAN TUYÊN GIÁO") belongs to the
# committee above it: "Ủy ban Kiểm tra Tỉnh ủy Bình Sơn".
_GENERIC_BODY = re.compile(r"^(?:ban |uy ban |van phong|dang doan|ban can su)")
_COMMITTEE = re.compile(r"(?:tinh|huyen|thanh|thi|quan|dang) uy|ban chap hanh|trung uong")


def _issuer(lines: list[Line]) -> tuple[str | None, list[Line], str | None, list[Line]]:
    """(issuer, its lines, parent, the parent's lines) from the caps lines above the number."""
    units: list[list[Line]] = []
    for ln in lines:
        key = fold(ln.text).lower()
        if units and not _BODY_START.match(key):
            units[-1].append(ln)
        else:
            units.append([ln])
    if not units:
        return None, [], None, []
    name = lambda u: " ".join(x.text for x in u)  # noqa: E731
    own = units[-1]
    parents = units[:-1]
    key = fold(name(own)).lower()
    if parents and _GENERIC_BODY.match(key) and not _COMMITTEE.search(key):
        above = fold(name(parents[-1])).lower()
        if _COMMITTEE.search(above):
            own = parents[-1] + own
            issuer = sentence_case(name(units[-1]) + " " + name(parents[-1]))
            parents = parents[:-1]
            parent_lines = [x for u in parents for x in u]
            return issuer, own, (sentence_case(" ".join(x.text for x in parent_lines)) if parents else None), parent_lines
    parent_lines = [x for u in parents for x in u]
    return (sentence_case(name(own)), own,
            sentence_case(" ".join(x.text for x in parent_lines)) if parent_lines else None, parent_lines)


# ---------------------------------------------------------------------------------------------
# Header


# Where the header's two columns meet on one line with a single space between them, as OCR reads a
# scanned page ("HUYỆN ỦY X ĐẢNG CỘNG SẢN VIỆT NAM", "Số 47-KH/HU Mường Chà, ngày 08 tháng 4 năm 2028
# KẾ HOẠCH …"): after the number, before the party line, after the place and date.
_DATE_ANY = re.compile(r"(?:[^,\d\s][^,\d]{1,40},\s*)?ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}", re.I)
_NUMBER_HEAD = re.compile(r"^Số\s*:?\s*\d{1,4}\s?[-–]\s?[A-ZĐa-zđ]{1,6}(?:\s?/\s?[A-ZĐa-zđ]{1,8}){1,2}(?=\s+\S)")


def _split_joined(text: str, ln: Line) -> list[Line]:
    """A line holding both header columns, split where they meet (only lines that read as a header's:
    one holding the party line, or opening with the document's number)."""
    s = text[ln.start:ln.end]
    cuts: list[int] = []
    if (m := _NUMBER_HEAD.match(s)) is not None:
        cuts.append(m.end())
    for m in re.finditer(r"\s(?=(?:ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM|CỘNG\s+HÒA\s+XÃ\s+HỘI)\b)", s):
        if m.start() > 0:
            cuts.append(m.start())
    for m in _DATE_ANY.finditer(s):
        if m.end() < len(s.rstrip()) and re.match(r"\s+[A-ZĐÀ-Ỹ]{2}", s[m.end():]):
            cuts.append(m.end())
    # a type line read together with its subject ("KẾ HOẠCH thực hiện …"): the type stands alone
    types = {t.upper() for t in DOC_TYPES}
    for m in re.finditer(r"(?:^|(?<=\s))(?P<type>[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ ]{3,30}?)\s+(?=[a-zđà-ỹ])", s):
        opens = m.start() == 0 or any(not s[c:m.start()].strip() for c in cuts if c <= m.start())
        if opens and m.group("type") in types:
            cuts.append(m.end("type"))
    if not cuts:
        return [ln]
    out, pos = [], 0
    for c in sorted(set(cuts)):
        out.append(Line(ln.start + pos, ln.start + c, s[pos:c]))
        pos = c
    out.append(Line(ln.start + pos, ln.end, s[pos:]))
    return [x for x in out if x.text.strip()]


def _cells(text: str, lines: list[Line]) -> list[Line]:
    """Header lines split into their columns ("HUYỆN ỦY X<tab>ĐẢNG CỘNG SẢN VIỆT NAM")."""
    out: list[Line] = []
    for ln in lines:
        pos = ln.start
        for m in _COLUMNS.finditer(text, ln.start, ln.end):
            if m.start() > pos:
                out.append(_stripped(text, Line(pos, m.start(), "")))
            pos = m.end()
        if pos < ln.end:
            out.append(_stripped(text, Line(pos, ln.end, "")))
    cells = []
    for c in out:
        for part in _split_joined(text, c) if len(c.text) > 30 else [c]:
            part = _stripped(text, part)
            if part.text:
                cells.append(part)
    return cells


def parse_header(text: str, body_limit: int, heading=lambda s: False) -> Header:
    """Metadata from the first lines, the closing blocks and the annexes. Missing parts stay None.
    `heading(line)` tells a section heading ("I- MỤC ĐÍCH") from a subject line."""
    h = Header(body_end=body_limit)
    first = [Line(m.start(), m.end(), m.group(0))
             for m in itertools.islice(_LINE.finditer(text, 0, body_limit), HEADER_LINES_MAX)]
    first = list(itertools.takewhile(lambda ln: len(ln.text) <= HEADER_LINE_MAX, first))
    cells = _cells(text, first)
    issuer_lines: list[Line] = []
    fields: list[MetaField] = []
    span_start: int | None = None
    span_end = 0
    i = 0
    while i < len(cells):
        ln = cells[i]
        s = ln.text
        if _PARTY_LINE.match(s) or _RULE.match(s) or len(s.strip()) <= 2:
            pass  # (a line of one or two characters is the decoration under the issuer — "*", read "x" by OCR)
        elif (m := _NUMBER_LINE.match(s)) and not h.number:
            h.number = normalize_number(m.group(1))
            fields.append(MetaField("number", ln.start, ln.end, h.number))
        elif (m := _DATE_LINE.match(s)) and not h.issued:
            try:
                h.issued = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            except ValueError:
                h.issued = None
            if m.group("place"):
                h.place = m.group("place").strip()
            fields.append(MetaField("place_date", ln.start, ln.end, h.issued.isoformat() if h.issued else ""))
        elif (m := _ADDRESSEES.match(s)) and not h.addressees:
            # the last header block: the body starts after its lines
            block_end = _addressees(text, ln, m, body_limit, h)
            fields.append(MetaField("addressees", ln.start, block_end, "; ".join(h.addressees)))
            fields.extend(MetaField("addressee", a, b, text[a:b]) for a, b in h.addressee_spans)
            span_start = ln.start if span_start is None else span_start
            span_end = max(span_end, block_end)
            h.body_start = max(h.body_start, block_end)
            break
        elif (m := _SUBJECT_LINE.match(s)) and not h.title:
            h.title = _clean_title(m.group("subject"))
            fields.append(MetaField("title", ln.start + m.start("subject"), ln.end, h.title or ""))
        elif (t := doc_type_of_line(s)) and not h.type:
            h.type = t
            fields.append(MetaField("type", ln.start, ln.end, t))
            title_end, parts, title_lines = ln.end, [], []
            rest = s[len(t):].strip()
            if rest:
                parts.append(rest)
            body = lines_of(text, ln.end, min(body_limit, ln.end + 4000))
            j = 0
            while j < len(body) and j <= TITLE_LINES_MAX:
                nxt = _stripped(text, body[j])
                if _RULE.match(nxt.text):
                    if parts:
                        title_end = max(title_end, nxt.end)  # the rule under the subject ends it
                        break
                    j += 1
                    continue
                if is_title_continuation(nxt.text, first=not parts or bool(rest), heading=heading):
                    parts.append(nxt.text)
                    title_lines.append(nxt)
                    title_end = nxt.end
                    j += 1
                    after = text[nxt.end:body[j].start if j < len(body) else nxt.end]
                    if after.count("\n") > 1:
                        break  # a blank line closes the subject
                    continue
                break
            h.title = _clean_title(" ".join(parts)) if parts else None
            if title_lines:
                fields.append(MetaField("title", title_lines[0].start, title_lines[-1].end, h.title or ""))
            elif rest:
                fields.append(MetaField("title", ln.end - len(rest), ln.end, h.title or ""))
            if title_lines and rest:  # "QUY ĐỊNH CỦA BỘ CHÍNH TRỊ" / "về …": the subject starts on the type line
                fields[-1].start = ln.end - len(rest)
            h.title_span = (ln.start, title_lines[-1].end if title_lines else ln.end)
            span_start = ln.start if span_start is None else span_start
            span_end = max(span_end, h.title_span[1])
            h.body_start = title_end
            break
        elif s.isupper() and len(s) < 100 and not h.number and not h.issued and not heading(s):
            issuer_lines.append(ln)
        else:
            break
        span_start = ln.start if span_start is None else span_start
        span_end = max(span_end, ln.end)
        h.body_start = max(h.body_start, _line_end(text, ln.end))
        i += 1
    if not (h.type or h.number or h.issued):
        # Capitals with no number, date or type under them are the body's own first lines
        # ("NHIỆM VỤ TRỌNG TÂM"), not an issuer: this text has no header.
        issuer_lines, span_start, h.body_start = [], None, 0
    if issuer_lines:
        h.issuer, own, h.issuer_parent, parent = _issuer(issuer_lines)
        if parent:
            fields.append(MetaField("issuer_parent", parent[0].start, parent[-1].end, h.issuer_parent or ""))
        # One field for the issuer's lines when they stand together; one a line when the other
        # column ("ĐẢNG CỘNG SẢN VIỆT NAM") stands between them.
        groups = [[own[0]]]
        for ln in own[1:]:
            gap = text[groups[-1][-1].end:ln.start]
            groups.append([ln]) if gap.strip() else groups[-1].append(ln)
        fields.extend(MetaField("issuer", g[0].start, g[-1].end, h.issuer or "") for g in groups)
    if span_start is not None and (h.type or h.number or h.issued):
        h.span = (span_start, span_end)
    fields.extend(_bases(text, h.body_start, body_limit, heading))
    _layout(text, h, heading)
    if h.closing:
        fields.extend(h.closing.fields)
        h.recipients, h.signer, h.signer_position = h.closing.recipients, h.closing.signer, h.closing.signer_position
    if h.addressees:
        # a letter goes to its addressees first; "Như kính gửi" in its Nơi nhận only points back at them
        h.recipients = h.addressees + [r for r in h.recipients if not re.match(r"(?i)như\s+kính\s+gửi", r)]
    if not h.type:
        h.type = type_from_number(h.number)
    h.fields = sorted(fields, key=lambda f: (f.start, f.end))
    return h


def _addressees(text: str, ln: Line, m: re.Match, body_limit: int, h: Header) -> int:
    """Reads the "Kính gửi" block into h.addressees (their spans without bullets and end marks); returns
    where the block ends."""
    def add(s: int, e: int) -> None:
        s, e = _item_span(text, s, e, "-+•– \t*", ",.;: \t*")
        if e > s:
            h.addressees.append(text[s:e])
            h.addressee_spans.append((s, e))

    if m.group("inline").strip():
        add(ln.start + m.start("inline"), ln.end)
        return ln.end
    end = ln.end
    for nxt in lines_of(text, ln.end, min(body_limit, ln.end + 2000)):
        if not nxt.text.strip():
            continue
        if not _ITEM_LINE.match(nxt.text):
            break
        add(nxt.start, nxt.end)
        end = nxt.end
    return end


def _line_end(text: str, pos: int) -> int:
    nl = text.find("\n", pos)
    return len(text) if nl < 0 else nl


def _bases(text: str, start: int, end: int, heading) -> list[MetaField]:
    """The preamble's bases up to the first section: "Căn cứ Điều lệ Đảng;", "Thực hiện Hướng dẫn
    số 121-HD/BTGTW, ngày 06/11/2023 của Ban Tuyên giáo Trung ương", one field each."""
    out: list[MetaField] = []
    for m in itertools.islice(_LINE.finditer(text, start, end), PREAMBLE_LINES_MAX):
        ln = Line(m.start(), m.end(), m.group(0))
        s = _stripped(text, ln)
        if heading(s.text) or _RECIPIENTS.match(s.text) or _SIGN_START.match(s.text):
            break
        cues = [m for m in _BASIS.finditer(s.text) if _BASIS_OBJECT.search(s.text, m.end(), m.end() + BASIS_OBJECT_WITHIN)]
        for n, m in enumerate(cues):
            a = s.start + m.start()
            stop = s.start + (cues[n + 1].start() if n + 1 < len(cues) else len(s.text))
            enact = next((e.start() for e in _ENACTING.finditer(text, a, stop) if e.group("w").isupper()), stop)
            sentence_end = re.search(r"[.:](?:\s|$)", text[a:stop])
            b = min(stop, enact, a + sentence_end.start() if sentence_end else stop)
            while b > a and text[b - 1] in " ,;.:-–\t":
                b -= 1
            if b - a > len("Căn cứ"):
                # the quote keeps the line's own ";" or "." (the line as written); the value does not
                end = b + 1 if b < len(text) and text[b] in ";." else b
                out.append(MetaField("basis", a, end, " ".join(text[a:b].split())))
    return out


# ---------------------------------------------------------------------------------------------
# Closing blocks and annexes


def _recipient_like(s: str) -> bool:
    return s.startswith(("-", "+", "•")) or (len(s) < 150 and (s[-1:] in ",.;" or s.startswith("Lưu")))


def _groups(text: str, cells: list[Line]) -> list[tuple[int, int]]:
    """Spans of runs of cells with only blanks between them: one quote per run."""
    out: list[list[int]] = []
    for c in cells:
        if out and not text[out[-1][1]:c.start].strip():
            out[-1][1] = c.end
        else:
            out.append([c.start, c.end])
    return [(a, b) for a, b in out]


def _closing_at(text: str, lines: list[Line], i: int, heading) -> tuple[Closing, int] | None:
    """The closing block starting at lines[i], and the index after it; None when none starts here.
    Two columns flattened onto lines ("Nơi nhận:<tab>T/M BAN THƯỜNG VỤ", "- Như trên,<tab>BÍ THƯ")
    are read as the recipients' column, then the signature's."""
    first = _cells(text, [lines[i]])[0] if lines[i].text else lines[i]
    if not (_RECIPIENTS.match(first.text) or _SIGN_START.match(first.text) or _is_position(first.text)):
        return None
    if heading(lines[i].text):
        return None
    if any(_COLUMNS.search(ln.text) for ln in lines[i:i + CLOSING_COLUMN_SCAN]):
        seq, j = _closing_columns(text, lines, i)
    else:
        seq, j = lines[i:], None
    c, used = _read_closing(text, seq, heading)
    if c is None:
        return None
    if j is None:
        j = i + used
        if _is_position(first.text) and j < len(lines) and not (_RECIPIENTS.match(lines[j].text) or _annex_at(
                text, lines, j, after_closing=True, heading=heading)):
            return None  # a signature without "T/M …" or "Nơi nhận" ends its document or opens an annex
    c.start, c.end = lines[i].start, lines[j - 1].end
    return c, j


# A note beside a group of recipients: "(để báo cáo)", "(để b/c)", "(để thực hiện)".
_RECIPIENT_NOTE = re.compile(r"^[(\[]\s*(?:để|đề|b/c|t/h)[^)\]]{0,30}[)\]]$", re.I)


def _closing_columns(text: str, lines: list[Line], i: int) -> tuple[list[Line], int]:
    """The cells of a two-column closing: its left column (recipients), then its right (signature)."""
    left: list[Line] = []
    right: list[Line] = []
    j = i
    while j < len(lines):
        cells = _cells(text, [lines[j]])
        if len(cells) >= 2 and left and not right and all(_RECIPIENT_NOTE.match(c.text) for c in cells[1:]):
            # "- Văn phòng Huyện ủy,          (để báo cáo)": a note set apart beside the recipients it
            # qualifies (a brace in the original), not the signature's column
            left.append(cells[0])
        elif len(cells) >= 2:
            left.append(cells[0])
            right.extend(cells[1:])
        elif cells and (_RECIPIENTS.match(cells[0].text) or (left and _recipient_like(cells[0].text)
                                                             and not _looks_like_name(cells[0].text))):
            left.append(cells[0])
        elif cells and (_SIGN_START.match(cells[0].text) or _is_position(cells[0].text)
                        or _SIGNED_NOTE.match(cells[0].text)):
            right.append(cells[0])
        elif cells and right and _looks_like_name(cells[0].text):
            right.append(cells[0])
            j += 1
            break  # the signer's name ends the block
        else:
            break
        j += 1
    return left + right, j


def _read_closing(text: str, seq: list[Line], heading) -> tuple[Closing | None, int]:
    """Recipients and signature read from `seq` (lines or cells); (closing, cells used)."""
    c = Closing(seq[0].start, seq[0].end)
    in_rec = False
    rec: list[Line] = []
    sign: list[Line] = []  # position lines
    notes: list[Line] = []
    name: Line | None = None
    j = 0
    while j < len(seq):
        ln = seq[j]
        s = ln.text
        if _RECIPIENTS.match(s) and not rec:
            in_rec = True
            rec.append(ln)
            rest = _RECIPIENTS.sub("", s).strip()
            if rest:
                _add_recipient(text, c, Line(ln.end - len(rest), ln.end, rest))
            j += 1
            continue
        if in_rec and _recipient_like(s) and not _SIGN_START.match(s) and not _is_position(s):
            _add_recipient(text, c, ln)
            rec.append(ln)
            j += 1
            continue
        in_rec = False
        if name is None and (_SIGN_START.match(s) or _is_position(s)) and not heading(s):
            sign.append(ln)
            j += 1
            continue
        if sign and name is None and _SIGNED_NOTE.match(s):
            notes.append(ln)
            j += 1
            continue
        if sign and name is None and _looks_like_name(s) and not heading(s):
            name = ln
            j += 1
            continue
        break
    if sign and name is None and not rec:
        return None, j  # a capitalised line with a position word, but no one signs: not a closing
    if rec:
        for a, b in _groups(text, rec):
            c.fields.append(MetaField("recipients", a, b, "; ".join(c.recipients)))
    if sign:
        c.signer_position = " ".join(" ".join(x.text for x in sign).split())
        for a, b in _groups(text, sign):
            c.fields.append(MetaField("signer_position", a, b, c.signer_position))
        if name:
            c.signer = name.text
            c.fields.append(MetaField("signer", name.start, name.end, name.text))
        for a, b in _groups(text, sign + notes + ([name] if name else [])):
            c.fields.append(MetaField("signature", a, b, c.signer or ""))
    return c, j


def _add_recipient(text: str, c: Closing, ln: Line) -> None:
    s, e = _item_span(text, ln.start, ln.end, "-+•– \t", ",.; \t")
    if e > s:
        c.recipients.append(text[s:e])
        c.fields.append(MetaField("recipient", s, e, text[s:e]))


def _annex_at(text: str, lines: list[Line], i: int, after_closing: bool, heading,
              in_annex: bool = False) -> tuple[Annex, int] | None:
    """An annexed document opening at lines[i] (maybe under its own repeated issuer lines). Right
    after a closing block a type line is enough; elsewhere it needs its "(Ban hành kèm theo …)" —
    except "PHỤ LỤC 2" after another annex: annexes follow one another without a note."""
    j = i
    while j < len(lines) and j < i + 8:
        s = lines[j].text
        if _RULE.match(s) or _PARTY_LINE.match(s) or _NUMBER_LINE.match(s) or _DATE_LINE.match(s):
            j += 1
        elif s.isupper() and not doc_type_of_line(s) and not _ANNEX_TYPE.match(s) and len(s) < 100:
            j += 1  # the issuer repeated above the annex
        else:
            break
    if j >= len(lines):
        return None
    s = lines[j].text
    typ = doc_type_of_line(s)
    m = _ANNEX_TYPE.match(s)
    if not typ and not m:
        return None
    if m:
        number = m.group("num") or ""
        label, typ, rest = ("Phụ lục " + number).strip(), "Phụ lục", m.group("rest")
    else:
        number, label, rest = "", typ, s[len(typ):].strip()
    parts = [rest] if rest else []
    end = lines[j].end
    k = j + 1
    note = False
    while k < len(lines) and k <= j + TITLE_LINES_MAX + 1:
        t = lines[k].text
        if _ANNEX_NOTE.match(t):
            note, end = True, lines[k].end
            # the note may run over two lines: "(Ban hành kèm theo Quyết định số …" / "… Huyện ủy)"
            while "(" in t and ")" not in t and k + 1 < len(lines) and ")" in lines[k + 1].text:
                k += 1
                t, end = lines[k].text, lines[k].end
            k += 1
            break
        if _RULE.match(t):
            end = lines[k].end
            k += 1
            continue
        if not note and is_title_continuation(t, first=not parts, heading=heading) and not _is_position(t):
            parts.append(t)
            end = lines[k].end
            k += 1
            continue
        break
    while k < len(lines) and _RULE.match(lines[k].text):
        end = lines[k].end
        k += 1
    numbered_annex = bool(m) and in_annex and bool(number)
    if not (note or after_closing or numbered_annex):
        return None
    if not after_closing and not parts and not numbered_annex:
        return None
    return Annex(label, number, typ, _clean_title(" ".join(parts)) if parts else "", lines[i].start, end, end), k


def _layout(text: str, h: Header, heading) -> None:
    """Split text[body_start:body_end] into the body, its closing block and the annexes."""
    lines = [_stripped(text, ln) for ln in lines_of(text, h.body_start, h.body_end)]
    region_end = h.body_end
    current: Annex | None = None
    closed = False  # the current region has had its closing block
    i = 0
    while i < len(lines):
        found = None
        if closed or lines[i].text.isupper():
            found = _annex_at(text, lines, i, after_closing=closed, heading=heading,
                              in_annex=current is not None and current.type == "Phụ lục")
        if found:
            annex, i = found
            h.annexes.append(annex)
            current, closed = annex, False
            continue
        got = None if closed else _closing_at(text, lines, i, heading)
        if got:
            c, i = got
            if current is None:
                h.closing = c
            else:
                current.closing = c
            closed = True
            continue
        if closed:
            # Text after a closing block that opens no annex: part of the closing ("Lưu VT", notes).
            target = h.closing if current is None else current.closing
            if target is not None:
                target.end = lines[i].end
        i += 1
    if h.closing:
        h.body_end = h.closing.start
    if h.annexes:
        h.body_end = min(h.body_end, h.annexes[0].start)
    seen: dict[str, int] = {}
    for a in h.annexes:  # two annexes of one type: "Quy chế", "Quy chế 2"
        seen[a.label] = seen.get(a.label, 0) + 1
        if seen[a.label] > 1:
            a.label = f"{a.label} {seen[a.label]}"
    # An annex runs to its own closing block, or to the next annex, or to the end of the text.
    for n, a in enumerate(h.annexes):
        nxt = h.annexes[n + 1].start if n + 1 < len(h.annexes) else region_end
        a.end = a.closing.start if a.closing else nxt
