"""A question, parsed once into one object every later step reads: what kind of answer it wants,
who asks (a stated role), which documents, sections and time it names, and the words it is about.

All matching runs on the accent-folded, lower-cased question (users often type without
diacritics), which has one character per character of the abbreviation-expanded question, so every
span found here is a span of `ParsedQuestion.expanded`.

Hand-written rules because no library parses Vietnamese questions into these parts (underthesea's
bundled pipelines segment and tag words; none classifies questions), and because every rule here
must say why it fires. They describe the language of questions, never one question: each cue is a
way Vietnamese asks for a kind of answer ("ai ký", "ban hành ngày nào", "có … không").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from ingest.deadlines import parse_deadline
from ingest.normalize import canonical, fold, is_folded
from ingest.structure import TYPE_CODES
from ingest.tokenize import expand_abbreviations, folded_terms, syllables, words

# The kinds of answer, in the order the composer tries them (answers/__init__.py).
KINDS = ("section", "metadata", "timewindow", "deadline", "role", "yesno", "exception", "list", "content")

# Cue phrases are matched on the folded question, and folding merges words: "thế" (như thế nào)
# with "thể" (tập thể), "đâu" with "đầu" (đầu tư), "hạn" with "hàn". A matched word written with
# diacritics must therefore be one of the cue words as written (a question typed without diacritics
# passes as it is) — the same guard ingest.deadlines uses.
_CUE_VOCAB = frozenset(canonical(w) for w in """
    gì nào ai đâu sao mấy bao nhiêu thế như ra là những gồm có phải không đúng được hay cho biết xin hỏi làm
    ơn giúp tôi em mình liệt kê theo thứ tự thời gian lần lượt vậy nhỉ à ạ ở đi đến từ nữa rồi chưa khi lúc
    giờ hạn chót cuối hoàn thành nộp gửi báo cáo trước ngày tháng quý lâu trong xong chậm nhất muộn tối đa thì
    trường hợp điều kiện cần thực hiện giao việc nhiệm vụ của trách nhiệm chúng bọn đang hiện giữ chức ký
    người bởi tên với danh ban hành đời phát hiệu lực vào hôm năm nơi nhận tại địa do cơ quan cấp tổ chức
    căn cứ văn bản nghị quyết kết luận chỉ thị hướng dẫn quy định quy chế kế hoạch triển khai dựa trên sở về
    bàn nói vấn đề nội dung chủ trích yếu gọi đầy đủ số thay thế miễn ngoại trừ thuộc diện đối tượng bắt buộc
    lệ bị còn vẫn tính bao các mốc đến điểm hình thức cho để góp phần dựa coi hiểu
""".split())
_WORD = re.compile(r"[^\W\d_]+")


def _cue_ok(expanded: str, span: tuple[int, int]) -> bool:
    for w in _WORD.findall(expanded[span[0]:span[1]]):
        if fold(w) != w and canonical(w).lower() not in _CUE_VOCAB:
            return False
    return True


def _cue_spans(rx: re.Pattern[str], expanded: str, low: str) -> list[tuple[int, int]]:
    return [m.span() for m in rx.finditer(low) if _cue_ok(expanded, m.span())]


# ---------------------------------------------------------------------------------------------
# Documents named in the question: "Kết luận 14", "QĐ 55", "KH 222-KH/TU", "08-QĐ/TW năm 2018"

_TYPE_WORDS = {
    "ket luan": "kl", "quy dinh": "qd", "chi thi": "ct", "nghi quyet": "nq", "huong dan": "hd",
    "ke hoach": "kh", "thong bao": "tb", "quy che": "qc", "quyet dinh": "qd", "thong tri": "tt",
    "chuong trinh": "ctr", "bao cao": "bc", "de an": "da", "cong van": "cv",
}
_TYPE_ALT = "|".join(sorted(_TYPE_WORDS, key=len, reverse=True))
_CODE = r"(?P<code>[a-z]{1,6})(?:\s*/\s*(?P<issuer>[a-z]{1,8}(?:\s*-\s*[a-z]{1,8})?))?"
_NAMED_DOC = re.compile(
    rf"\b(?P<type>{_TYPE_ALT})\s*(?:so\s*)?(?P<num>\d{{1,4}})(?!\s*[/.]\s*\d)"
    rf"(?:\s*-\s*{_CODE})?(?:\s*,?\s*(?:nam|ngay\s+\d{{1,2}}/\d{{1,2}}/)\s*(?P<year>(?:19|20)\d{{2}}))?\b"
)
_BARE_NUMBER = re.compile(rf"(?<![\w/])(?P<num>\d{{1,4}})\s*-\s*{_CODE}\b")


@dataclass(frozen=True)
class NamedDoc:
    number: str  # leading figure without zeros: "14"
    code: str | None  # type code as numbers write it: "kl", "qd"
    issuer: str | None = None  # issuer code of the number: "tw", "tu"
    year: str | None = None  # "năm 2018" after it: numbers restart each term
    span: tuple[int, int] = (0, 0)
    # Named as what something implements ("kế hoạch thực hiện Kết luận 01"), not as the document
    # that says it ("theo Kết luận 01"): its passages get no preference, its number is searched.
    object: bool = False

    def matches(self, number: str | None, issued: str | None = None) -> bool:
        """'Kết luận 14' names '14-KL/TW'; 'QĐ 55' names '55-QĐ/TW'; a year must agree when given."""
        if not number or "-" not in number:
            return False
        lead, rest = number.split("-", 1)
        parts = fold(rest).lower().replace(" ", "").split("/")
        code = "qd" if parts[0] == "qdi" else parts[0]
        if (lead.strip().lstrip("0") or "0") != self.number:
            return False
        if self.code is not None and code != self.code:
            return False
        if self.issuer is not None and len(parts) > 1 and parts[1] != self.issuer.replace(" ", ""):
            return False
        return self.year is None or not issued or issued[:4] == self.year


_OBJECT_CUE = re.compile(r"(?:thuc hien|trien khai|quan triet|cu the hoa|vien dan|can cu|hoc tap|ve viec|nhac toi"
                         r"|nhac den|lien quan(?: den| toi)?|doi voi|ve|ma)"
                         r"(?:\s+(?:cac|noi dung|nhiem vu))?\s*$")


def _named_docs(low: str) -> list[NamedDoc]:
    found: list[NamedDoc] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], code: str, year: str | None) -> None:
        code = "qd" if code == "qdi" else code
        if code not in TYPE_CODES and code != "qd":
            return
        obj = bool(_OBJECT_CUE.search(low[max(0, m.start() - 30):m.start()]))
        found.append(NamedDoc(m.group("num").lstrip("0") or "0", code, m.group("issuer"), year, m.span(), obj))
        taken.append(m.span())

    for m in _NAMED_DOC.finditer(low):
        add(m, m.group("code") or _TYPE_WORDS[m.group("type")], m.group("year"))
    for m in _BARE_NUMBER.finditer(low):
        if not any(a <= m.start() < b for a, b in taken):
            add(m, m.group("code"), None)
    return found


# ---------------------------------------------------------------------------------------------
# Sections named in the question: "Mục III.1", "khoản 2 Điều 8", "chú thích số 1", "dòng 6 của bảng"

_SECTION_WORDS = {
    "phan": "part", "chuong": "chapter", "muc": "section", "tieu muc": "section", "dieu": "article",
    "khoan": "clause", "diem": "point", "tiet": "point", "chu thich": "footnote", "ghi chu": "footnote",
    "footnote": "footnote", "dong": "row", "hang": "row", "nhiem vu so": "item",
}
_NUM = r"(?:[ivxlc]{1,6}|\d{1,3}|[a-z])"
_SECTION_RE = re.compile(
    r"\b(?P<word>tieu muc|chu thich|ghi chu|footnote|phan|chuong|muc|dieu|khoan|diem|tiet|dong|hang)"
    rf"\s+(?:so\s+|thu\s+)?(?P<num>{_NUM}(?:\s*\.\s*{_NUM}){{0,3}})(?![\w/])(?!\s*(?:nam|ngay|thang)\b)"
)
_ORDINALS = {"dau tien": 1, "thu nhat": 1, "thu hai": 2, "thu ba": 3, "thu tu": 4, "thu nam": 5,
             "thu sau": 6, "thu bay": 7, "thu tam": 8, "thu chin": 9, "thu muoi": 10, "cuoi cung": -1}
_ORDINAL_RE = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\b")
_SECTION_ORDINAL_RE = re.compile(r"\b(dieu|chuong|phan|muc|khoan)\s+(" + "|".join(_ORDINALS) + r")\b")
# A single letter after "điểm"/"mục" is a point only when it is not a word: "điểm a" yes, "mục đ" (typo) no.
_LETTER_WORDS = {"phan": False, "chuong": False, "dieu": False, "dong": False, "hang": False}


@dataclass(frozen=True)
class SectionRef:
    """One named section, its numbering as written: ("article", "8"), ("section", "III.1")."""
    kind: str  # part | chapter | section | article | clause | point | footnote | row | item
    number: str  # as the documents write it: Roman in upper case ("III.1"), letters lower case ("a")
    span: tuple[int, int] = (0, 0)


def _roman(n: int) -> str:
    vals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for v, s in vals:
        while n >= v:
            out, n = out + s, n - v
    return out


def _number_as_written(raw: str) -> str:
    parts = [p.strip() for p in raw.split(".")]
    out = []
    for p in parts:
        if p.isdigit():
            out.append(str(int(p)))
        elif re.fullmatch(r"[ivxlc]+", p) and not (len(p) == 1 and p in "c"):
            out.append(p.upper())
        else:
            out.append(p)
    return ".".join(out)


def _section_refs(low: str) -> list[SectionRef]:
    refs: list[SectionRef] = []
    for m in _SECTION_RE.finditer(low):
        word, num = m.group("word"), m.group("num")
        if re.fullmatch(r"[a-z]", num) and not _LETTER_WORDS.get(word, True) and num not in "ivxlc":
            continue  # "chương i" is Chương I; "điều a" is no section
        if word in ("dong", "hang") and not re.search(r"\bbang\b", low):
            continue  # "dòng"/"hàng" is a table row only when the question speaks of a table
        kind = _SECTION_WORDS[word]
        number = _number_as_written(num)
        if kind == "chapter" and number.isdigit():
            number = _roman(int(number))  # chapters are numbered in Roman figures: "chương 2" → Chương II
        refs.append(SectionRef(kind, number, m.span()))
    for m in _SECTION_ORDINAL_RE.finditer(low):
        n = _ORDINALS[m.group(2)]
        if n > 0:
            kind = _SECTION_WORDS[m.group(1)]
            refs.append(SectionRef(kind, _roman(n) if kind in ("chapter", "part") else str(n), m.span()))
    return refs


# ---------------------------------------------------------------------------------------------
# What the question asks about a document itself (metadata)

_META_CUES: dict[str, re.Pattern[str]] = {
    "signer": re.compile(r"\b(ai ky|nguoi ky|do ai ky|ky boi ai|ky ten|ky voi chuc danh|chuc danh (?:gi|nao)"
                         r"|ai la nguoi ky|nguoi ky la ai|ai da ky)\b"),
    "date": re.compile(r"\b(?:ky|ban hanh|ra doi|phat hanh|co hieu luc)\s+(?:vao\s+)?(?:ngay|nam|thang|luc|khi|hom)\s+nao"
                       r"|\b(?:ky|ban hanh|ra doi)\s+(?:khi nao|bao gio|luc nao)"
                       r"|\bngay\s+(?:ban hanh|ky)\b|\b(?:ngay|nam)\s+nao\s+(?:ban hanh|ky)\b|\bngay thang nam nao\b"
                       r"|\bla\s+(?:van ban|ke hoach|quy dinh|ket luan|chi thi|nghi quyet|huong dan|thong bao)\s+(?:ngay|nam)\s+nao\b"),
    "place": re.compile(r"\b(?:ky|ban hanh)\s+(?:o|tai)\s+dau\b|\bdia danh\b"),
    "issuer": re.compile(r"\b(?:do|cua)\s+(?:ai|co quan nao|cap nao|to chuc nao)\s+(?:ky\s+)?ban hanh\b"
                         r"|\b(?:ai|co quan nao|cap nao)\s+ban hanh\b|\bco quan ban hanh\b"
                         r"|\b(?:la\s+)?(?:cua|do)\s+(?:ai|co quan nao|cap nao)\s*[?.!]*\s*$"),
    "recipients": re.compile(r"\bnoi nhan\b|\b(?:duoc\s+)?gui\s+(?:den|toi|cho)\s+(?:nhung\s+|cac\s+)?(?:co quan|don vi|ai)\b"),
    "basis": re.compile(r"\bcan cu\s+(?:vao\s+)?(?:nhung\s+|cac\s+)?(?:van ban|nghi quyet|ket luan|chi thi|huong dan"
                        r"|quy dinh|quy che|ke hoach)?\s*nao\b|\bcan cu\s+(?:vao\s+)?(?:gi|dau)\b"
                        r"|\b(?:de\s+(?:gop phan\s+)?)?thuc hien\s+(?:van ban|nghi quyet|ket luan|chi thi|huong dan|ke hoach|quy dinh)\s+nao\b"
                        r"|\btrien khai\s+(?:van ban|nghi quyet|ket luan|chi thi|huong dan)\s+nao\b|\bdua tren\s+(?:van ban|co so)\s+nao\b"),
    "subject": re.compile(r"\b(?:ve|ban ve|noi ve)\s+(?:viec|van de|noi dung|chu de)?\s*gi\b|\btrich yeu\b"
                          r"|\bco ten (?:goi )?(?:la )?gi\b|\bten (?:day du )?(?:la )?gi\b"),
    "number": re.compile(r"\bso\s+(?:may|bao nhieu|hieu)\b|\bso hieu\b|\bky hieu\b"),
    "effective": re.compile(r"\bhieu luc\b"),
    "replaces": re.compile(r"\bthay the\s+(?:van ban|quy dinh|ket luan|chi thi|nghi quyet|huong dan)?\s*nao\b"),
}

# ---------------------------------------------------------------------------------------------
# Cues of the other kinds

# "by when?" — and "how long?", which relative deadlines answer
_DEADLINE = re.compile(
    r"\b(khi nao|bao gio|luc nao|han chot|thoi han|han cuoi|han hoan thanh|han nop|han gui|han bao cao|han(?!\s+che)\b|deadline"
    r"|truoc ngay nao|ngay nao|thang nao|quy nao|thoi gian nao|bao lau|trong bao lau|may ngay|may thang"
    r"|den bao gio|xong truoc|cham nhat|muon nhat|toi da)\b"
)
# "khi nào thì được …" asks for a condition, not a date
_CONDITION = re.compile(r"\b(?:khi nao|truong hop nao|luc nao)\s+thi\b|\btrong truong hop nao\b|\bdieu kien\b")
_DUTY = re.compile(r"\b(phai lam gi|phai lam nhung gi|can lam gi|can lam nhung gi|phai lam|lam nhung gi|phai thuc hien"
                   r"|duoc giao (?:nhung )?(?:viec|nhiem vu)|giao (?:cho )?(?:toi|chung toi|minh)|nhiem vu (?:cua )?(?:toi|minh)"
                   r"|trach nhiem (?:cua )?(?:toi|minh)|co nhiem vu gi|co trach nhiem gi)\b"
                   r"|\bgiao\b(?:\s+\w+){1,8}?\s+(?:nhung\s+)?(?:viec|nhiem vu)\s+(?:gi|nao)\b")
_ROLE = re.compile(
    r"\b(?:toi|em|minh|chung toi|bon em|bon toi)\s+(?:la|dang la|lam|dang lam|hien la|hien dang la|giu chuc|dang giu chuc)"
    r"\s+(?P<role>[^,.;?!]{3,80}?)"
    r"(?=\s*(?:[,.;?!]|\b(?:thi|va|nam|nay|phai|can|co|o|tai|theo|duoc|se|muon|xin)\b|$))"
)
# Yes/no questions end in "không" / "chưa" ("… có phải … không?", "… được không?") or open with
# "có phải" / "phải chăng" / "liệu".
_YESNO_END = re.compile(r"\b(khong|chua)\s*[?.!…]*\s*$")
_YESNO_START = re.compile(r"^\W*(?:co phai|phai chang|lieu)\b")


_EXCEPTION = re.compile(
    r"\b(mien|duoc mien|ngoai tru|tru\s+(?:nhung|cac|truong hop)|khong phai|khong thuoc(?:\s+dien|\s+doi tuong)?"
    r"|khong can|khong bat buoc|truong hop nao|ngoai le|khong bi|co con la|van phai|co bi tinh)\b"
)
_LIST = re.compile(
    r"\b(gom nhung|gom (?:cac|co)|bao gom|gom\b|liet ke|nhung gi|la nhung|co nhung|cac\s+\w+(?:\s+\w+){0,3}\s+nao"
    r"|nhung\s+\w+(?:\s+\w+){0,4}\s+nao|nhung diem nao|nhung viec|nhung noi dung|nhung hinh thuc)\b"
)
# "Which duties fall in that time?" — the plural of duties, not one thing's date.
_WINDOW_LIST = re.compile(
    r"\b(nhung viec|viec gi|nhung moc|moc (?:thoi gian )?(?:nao|gi)|han chot nao|nhung han(?!\s+che)|nhung nhiem vu"
    r"|nhiem vu (?:gi|nao)|den han|(?:phai|can) (?:lam )?(?:xong|hoan thanh|lam|thuc hien) nhung (?:gi|viec))\b"
)

# A time the question names: "trong tháng 1/2024", "quý II/2024", "trước 1/4/2024", "năm 2026".
_CUE = r"(?:(?P<cue>truoc|trong|den het|den|tu|vao|cuoi|het|sau)\s+)?"
_TIME_PHRASE = re.compile(
    _CUE + r"(?P<phrase>"
    r"(?:ngay\s+)?\d{1,2}\s*[/-]\s*\d{1,2}(?:\s*[/-]\s*\d{4})?(?![\d/.])|(?:ngay\s+)?\d{1,2}\.\d{1,2}\.\d{4}"
    r"|thang\s+\d{1,2}(?:\s*[/-]\s*\d{4}|\s+nam\s+\d{4})?(?![\d/])"
    r"|qu[yi]\s+(?:[ivx]{1,3}|[1-4])(?:\s*[/-]\s*\d{4}|\s+nam\s+\d{4})?\b"
    r"|(?:\d{1,2}|sau)\s+thang\s+(?:dau|cuoi)\s+nam(?:\s+\d{4})?"
    r"|nam\s+(?:19|20)\d{2}\b"
    r")"
)


# "X là gì?", "thế nào là X?", "… như thế nào thì bị coi là X?": the answer defines X.
_DEFINE = (
    re.compile(r"^\W*(?P<term>[a-z0-9 ,-]{3,60}?)\s+(?:la gi|la the nao|duoc hieu (?:la gi|nhu the nao))\s*[?.!]*\s*$"),
    re.compile(r"\bthe nao (?:la|thi duoc coi la|thi bi coi la|duoc coi la|bi coi la)\s+(?P<term>[a-z0-9 ,-]{3,60}?)\s*[?.!]*\s*$"),
    re.compile(r"\b(?:bi|duoc) coi la\s+(?P<term>[a-z0-9 ,-]{3,60}?)\s*[?.!]*\s*$"),
)
# "… có tên là gì?", "chủ đề gì?": the answer is a name, written in quotation marks.
_ASKS_NAME = re.compile(r"\b(?:co ten(?: goi)?(?: la)? gi|ten(?: goi| day du)?(?: la)? gi|chu de(?: la)? gi)\b")


def _defined_term(low: str) -> str | None:
    for rx in _DEFINE:
        m = rx.search(low)
        if m:
            term = " ".join(m.group("term").replace(",", " ").split())
            return term or None
    return None


@dataclass(frozen=True)
class TimeWindow:
    """A time the question names; `bounds` gives the due dates it allows ([start, end], either open).
    A phrase without a year ("trước tháng 2") takes one from the caller: the plan's year, or today's."""
    text: str  # as the user wrote it, cue included: "trước tháng 7/2025"
    phrase: str  # the time expression without its cue: "tháng 7/2025"
    cue: str | None  # folded: "truoc", "trong", "den", "tu", …
    year_given: bool
    span: tuple[int, int] = (0, 0)

    def bounds(self, default_year: int | None = None) -> tuple[date | None, date | None] | None:
        # The deadline grammar reads a bare date or "năm 2026" as no deadline; as a window they are one.
        is_date = bool(re.match(r"\s*(?:ngày\s+|ngay\s+)?\d{1,2}\s*[/.-]\s*\d{1,2}", self.phrase, re.I))
        d = parse_deadline(f"{'chậm nhất ngày' if is_date else 'trong'} {self.phrase}", default_year)
        if d is None or not (d.start or d.end):
            return None
        start, end = d.start or d.end, d.end
        if self.cue == "truoc":  # "trước 1/4/2024", "trước tháng 7/2025": due before its first day
            return None, start - timedelta(days=1)
        if self.cue in ("den", "den het", "het"):
            return None, end
        if self.cue in ("tu", "sau"):
            return start, None
        return start, end


def _time_window(expanded: str, low: str, taken: list[tuple[int, int]]) -> TimeWindow | None:
    for m in _TIME_PHRASE.finditer(low):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue  # "Mục 2.2" is a section, not 2 February
        phrase = expanded[m.start("phrase"):m.end("phrase")]
        window = TimeWindow(expanded[m.start():m.end()], phrase, m.group("cue"),
                            bool(re.search(r"(?:19|20)\d{2}", phrase)), m.span())
        if window.bounds(2000 if not window.year_given else None) is not None:
            return window
    return None


# ---------------------------------------------------------------------------------------------
# Words that say what kind of answer is wanted, not what it is about. They are rare in the
# documents, so left in they would outweigh the topic words when passages are ranked, and a
# question word the documents never use must not count as an unseen topic word (abstention).

_QUESTION_PHRASES = re.compile(
    r"\b(la gi|la nhung gi|nhung gi|nhu the nao|the nao|ra sao|vi sao|tai sao|gom nhung|bao gom nhung|la bao nhieu"
    r"|bao nhieu|co nhung|co phai|phai khong|dung khong|duoc khong|hay khong|co ten la|noi gi|noi ve gi|quy dinh gi"
    r"|hay cho biet|cho biet|xin hoi|cho hoi|lam on|giup toi|giup em|giup minh|liet ke|theo thu tu thoi gian|lan luot"
    r"|o dau|di dau|den dau|tu dau|ai|gi|nao|(?:bi|duoc) coi la|duoc hieu la|the nao la|nhu the nao thi)\b"
)
# Function words (folded syllables): never weighed as topic terms. Only syllables that are function
# words whatever their diacritics: folding merges "tài" (tài sản) with "tại", "cán" (cán bộ) with
# "cần", "tư" (tư tưởng) with "từ", "độ" (tiến độ) with "do", "Minh" with "mình" — those stay content.
STOP_SYLLABLES = frozenset("va cua cac nhung la duoc voi theo ve cho nay da o mot em phai khong".split())


@dataclass
class ParsedQuestion:
    text: str  # as the user typed it
    expanded: str  # abbreviations expanded ("KL 14" → "Kết luận 14"); every span indexes this
    typed_without_diacritics: bool
    kind: str  # one of KINDS
    role: str | None = None  # as the user wrote it ("bí thư chi bộ")
    named: list[NamedDoc] = field(default_factory=list)
    sections: list[SectionRef] = field(default_factory=list)
    asks: tuple[str, ...] = ()  # metadata fields asked for: signer, date, place, issuer, recipients, basis, …
    window: TimeWindow | None = None
    ordinal: int | None = None  # "đầu tiên", "thứ hai": which numbered item
    yesno: bool = False  # "có … không": the direct reply is Có / Không / not stated
    deadline_cue: bool = False  # "khi nào", "hạn", "bao lâu": the answer must state a time
    topic: str = ""  # what the question is about: cues, the role, names of documents and sections removed
    words: list[str] = field(default_factory=list)  # segmented words of the search text (empty if typed without diacritics)
    folded: list[str] = field(default_factory=list)  # folded syllables and bigrams of the search text
    search_text: str = ""  # what the sparse vectors are built from: the topic with the role's words
    defines: str | None = None  # folded term a "… là gì?" question asks to define
    asks_name: bool = False  # "… có tên là gì?"
    # A question joining documents, in its clauses ("Kế hoạch 222 căn cứ hướng dẫn nào, và hướng dẫn
    # đó yêu cầu …?"): each clause parsed as a question of its own, with what it points back at.
    parts: list["ParsedQuestion"] = field(default_factory=list)
    pointer: str | None = None  # "hướng dẫn đó" → "hd"; "nó" → "*": the clause is about a document named before

    @property
    def intent(self) -> str:
        """The older three-way reading (deadline / obligation / passage), kept for lessons."""
        if self.deadline_cue or self.kind in ("deadline", "timewindow"):
            return "deadline"
        return "obligation" if self.kind == "role" else "passage"

    @property
    def topic_syllables(self) -> set[str]:
        return set(syllables(self.topic)) - STOP_SYLLABLES


def _subject_actor(expanded: str, taken: list[tuple[int, int]]) -> str | None:
    """The first body or post the question names outside document names ("Đảng đoàn Hội đồng nhân
    dân tỉnh"), as written — what a duty question without "tôi là …" asks about."""
    from ingest.actors import find_actor_spans

    for m in find_actor_spans(expanded):
        if not any(a <= m.start < b for a, b in taken):
            end = m.end
            # the rest of a body's name the gazetteer does not know ("Đảng đoàn" + " Hội đồng nhân dân tỉnh")
            tail = re.match(r"(?:\s+(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*|tỉnh|huyện|xã|cấp \w+))+", expanded[end:])
            return expanded[m.start:end + (tail.end() if tail else 0)].strip()
    return None


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    keep = list(text)
    for a, b in spans:
        keep[a:b] = " " * (b - a)
    return " ".join("".join(keep).split())


def _kind(has, refs: list[SectionRef], asks: tuple[str, ...], window: TimeWindow | None,
          role_question: bool, deadline_cue: bool, yesno: bool) -> str:
    """The first kind whose cue the question carries, most specific first (KINDS)."""
    if refs:
        return "section"
    if asks:
        return "metadata"
    if role_question:
        return "role"
    if window is not None and has(_WINDOW_LIST):
        return "timewindow"
    if deadline_cue:
        return "deadline"
    if yesno:
        return "yesno"
    if has(_EXCEPTION) or has(_CONDITION):
        return "exception"
    if has(_LIST):
        return "list"
    return "content"


# A metadata cue that asks about the document as a whole ("về việc gì", "căn cứ vào đâu") stands for
# the question only when little else is asked: past this many topic syllables, the question is about
# something inside the document ("tham mưu xây dựng kế hoạch sơ kết … về việc gì").
META_TOPIC_MAX = 3


# Clauses of a question that may each ask about another document.
_CLAUSE_END = re.compile(r"[?;]+\s*|\.\s+|,\s+(?=(?:va|con|dong thoi|vay|thi)\s)|\s+(?=va\s+(?:no|van ban do|(?:"
                         + _TYPE_ALT + r")\s+(?:do|nay|ay))\b)|,\s+(?=(?:" + _TYPE_ALT + r")\s+(?:do|nay|ay)\b)")
_POINTER = re.compile(r"(?<![0-9a-z])(?:(?P<type>" + _TYPE_ALT + r")\s+(?:do|nay|ay|tren)|(?P<it>no|van ban do))(?![0-9a-z])")


def _pointer(low: str) -> str | None:
    m = _POINTER.search(low)
    if not m:
        return None
    return _TYPE_WORDS[m.group("type")] if m.group("type") else "*"


def _clauses(expanded: str, low: str) -> list[str]:
    out, start = [], 0
    for m in _CLAUSE_END.finditer(low):
        if low[start:m.start()].strip():
            out.append(expanded[start:m.start()].strip(" ,"))
        start = m.end()
    if low[start:].strip():
        out.append(expanded[start:].strip(" ,"))
    return [c for c in out if len(set(syllables(c)) - STOP_SYLLABLES) >= 2]


def parse_question(text: str, *, role: str | None = None, _part: bool = False) -> ParsedQuestion:
    """`role`: the role the caller states apart from the text (the API's `role`, the CLI's --role)."""
    expanded = expand_abbreviations(text.strip())
    low = fold(expanded).lower()

    def spans(rx: re.Pattern[str]) -> list[tuple[int, int]]:
        return _cue_spans(rx, expanded, low)

    def has(rx: re.Pattern[str]) -> bool:
        return bool(spans(rx))

    named = _named_docs(low)
    refs = _section_refs(low)
    meta_spans = {name: spans(rx) for name, rx in _META_CUES.items()}
    asks = tuple(name for name, found in meta_spans.items() if found)
    window = _time_window(expanded, low, [r.span for r in refs])
    role_m = _ROLE.search(low)
    text_role = expanded[role_m.start("role"):role_m.end("role")].strip() if role_m else None
    stated_role = role or text_role
    condition = has(_CONDITION)
    deadline_cue = has(_DEADLINE) and not condition and "date" not in asks
    yesno = bool(_YESNO_START.search(low)) or any(_cue_ok(expanded, m.span()) for m in _YESNO_END.finditer(low))
    om = _ORDINAL_RE.search(low)

    cue_spans = spans(_QUESTION_PHRASES) + spans(_DEADLINE) + spans(_DUTY) + spans(_ORDINAL_RE)
    cue_spans += [d.span for d in named if not d.object] + [r.span for r in refs]
    # Metadata cues say what is asked of a document, not what it is about; they stay in the search
    # text ("căn cứ", "nơi nhận" are words of the very lines that answer).
    meta = [sp for found in meta_spans.values() for sp in found]
    role_span = [role_m.span()] if role_m else []
    topic = _blank(expanded, cue_spans + meta + role_span)
    topic_size = len(set(syllables(topic)) - STOP_SYLLABLES)
    if topic_size > META_TOPIC_MAX:
        asks = tuple(a for a in asks if a not in ("subject", "issuer"))
    if not named and not _pointer(low):  # "về việc gì", "của ai": about a document only when one is named
        asks = tuple(a for a in asks if a not in ("subject", "issuer", "number"))
    # A stated role makes a duty question; a yes/no question stays one ("tôi là …, tôi có phải … không?")
    # unless it also asks what to do.
    # "Ban Tuyên giáo Tỉnh ủy phải làm gì?", "Chỉ thị 30 giao Đảng đoàn HĐND tỉnh những việc gì?":
    # the body or post the duty question is about is asked about like a role.
    subject_role = False
    if stated_role is None and has(_DUTY):
        stated_role = _subject_actor(expanded, [d.span for d in named])
        text_role, subject_role = stated_role, stated_role is not None
    # A role the caller states apart from the text (the web chat's remembered role) makes a duty
    # question only when the question asks what to do; content, metadata and other questions are
    # answered as if no role were set.
    role_question = (text_role is not None and (not yesno or has(_DUTY))) or (role is not None and has(_DUTY))
    # A body the question is about, with a time window: the duties due then, narrowed to that body.
    kind = _kind(has, refs, asks, window, role_question and not (subject_role and window is not None and
                                                                    has(_WINDOW_LIST)), deadline_cue, yesno)
    if window is not None and kind in ("timewindow", "role"):
        # The time only says which duties are asked for: a filter, not a subject (it stays in the
        # search text: passages stating "Quý II/2024" are the ones to find).
        topic = _blank(expanded, cue_spans + meta + role_span + [window.span])
    # The stated role's words stay in the search text: they find the passages that name the role.
    search_text = _blank(expanded, cue_spans)
    if not set(syllables(search_text)) - STOP_SYLLABLES:
        search_text = expanded  # nothing but names and cues ("điều 4 qđ 144?"): search with all of it
    folded_input = is_folded(text)
    parts: list[ParsedQuestion] = []
    pointer = _pointer(low)
    if not _part:
        clauses = _clauses(expanded, low)
        if len(clauses) >= 2 and (len({(d.number, d.code) for d in named if not d.object}) >= 2 or pointer):
            parts = [parse_question(c, role=role, _part=True) for c in clauses]
    return ParsedQuestion(
        text=text, expanded=expanded, typed_without_diacritics=folded_input, kind=kind, role=stated_role,
        named=named, sections=refs, asks=asks, window=window,
        ordinal=_ORDINALS[om.group(1)] if om else None, yesno=yesno, deadline_cue=deadline_cue,
        topic=topic, words=[] if folded_input else words(search_text),
        folded=folded_terms(search_text), search_text=search_text,
        defines=None if _ASKS_NAME.search(low) else _defined_term(low), asks_name=bool(_ASKS_NAME.search(low)),
        parts=parts, pointer=pointer,
    )
