"""What a question names: documents ("Kết luận 14", "QĐ 55", "KH 222-KH/TU", "08-QĐ/TW năm 2018") and
sections ("Mục III.1", "khoản 2 Điều 8", "chú thích số 1", "dòng 6 của bảng"), matched on the folded
question; every span is a span of the expanded question (query.py)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.normalize import fold
from ingest.header import TYPE_CODES


TYPE_WORDS = {
    "ket luan": "kl", "quy dinh": "qd", "chi thi": "ct", "nghi quyet": "nq", "huong dan": "hd",
    "ke hoach": "kh", "thong bao": "tb", "quy che": "qc", "quyet dinh": "qd", "thong tri": "tt",
    "chuong trinh": "ctr", "chuong trinh hanh dong": "ctr", "bao cao": "bc", "de an": "da", "cong van": "cv",
    # "Thông báo kết luận 27": a notice of conclusions is numbered as a Thông báo (27-TB/…)
    "thong bao ket luan": "tb",
}
TYPE_ALT = "|".join(sorted(TYPE_WORDS, key=len, reverse=True))
_CODE = r"(?P<code>[a-z]{1,6})(?:\s*/\s*(?P<issuer>[a-z]{1,8}(?:\s*-\s*[a-z]{1,8})?))?"
_NAMED_DOC = re.compile(
    # "Báo cáo 9 tháng", "kế hoạch 5 năm": a number before a unit of time is a period, not a number
    # ("BC 87 nằm ở mục nào": "nằm ở", folded "nam o", is where it lies).
    rf"\b(?P<type>{TYPE_ALT})\s*(?:so\s*)?(?P<num>\d{{1,4}})(?!\s*[/.]\s*\d)(?!\s+(?:thang|quy(?!\s+(?:dinh|che)\b)|tuan|nam)\b(?!\s*(?:\d|nao\b|may\b|[ivx]+\b|o\b|trong\b|tai\b)))"
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
        # A Quy chế is issued under its Quyết định's number ("Quy chế 145" is annexed to 145-QĐ/TU).
        if self.code is not None and code != self.code and not (self.code == "qc" and code == "qd"):
            return False
        if self.issuer is not None and len(parts) > 1 and parts[1] != self.issuer.replace(" ", ""):
            return False
        return self.year is None or not issued or issued[:4] == self.year


_OBJECT_CUE = re.compile(r"(?:thuc hien|trien khai|quan triet|cu the hoa|vien dan|can cu|hoc tap|ve viec|nhac toi"
                         # "sơ kết 1 năm (thực hiện) QĐ 09": a review of the years a document has run
                         r"|tap huan|pho bien|tuyen truyen|(?:so ket|tong ket)(?:\s+\d{1,2}\s+(?:nam|thang))?(?:\s+thuc hien)?"
                         r"|nhac den|lien quan(?: den| toi)?|doi voi|ve|ma)"
                         r"(?:\s+(?:cac|noi dung|nhiem vu))?\s*$")


_PART_TITLED = re.compile(r"(?:phan|muc|chuong)\s+to chuc thuc hien\s*(?:cua\s+)?$")


def named_docs(low: str) -> list[NamedDoc]:
    found: list[NamedDoc] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], code: str, year: str | None) -> None:
        code = "qd" if code == "qdi" else code
        if code not in TYPE_CODES and code != "qd":
            return
        before = low[max(0, m.start() - 30):m.start()]
        # ("phần tổ chức thực hiện KH 52" names a part of KH 52 by its heading, not a plan carrying it out)
        obj = bool(_OBJECT_CUE.search(before)) and not _PART_TITLED.search(before)
        found.append(NamedDoc(m.group("num").lstrip("0") or "0", code, m.group("issuer"), year, m.span(), obj))
        taken.append(m.span())

    for m in _NAMED_DOC.finditer(low):
        add(m, m.group("code") or TYPE_WORDS[m.group("type")], m.group("year"))
    for m in _BARE_NUMBER.finditer(low):
        if not any(a <= m.start() < b for a, b in taken):
            add(m, m.group("code"), None)
    return found


# ---------------------------------------------------------------------------------------------
# Sections named in the question: "Mục III.1", "khoản 2 Điều 8", "chú thích số 1", "dòng 6 của bảng"

_SECTION_WORDS = {
    "phan": "part", "chuong": "chapter", "muc": "section", "tieu muc": "section", "dieu": "article",
    "khoan": "clause", "diem": "point", "tiet": "point", "chu thich": "footnote", "ghi chu": "footnote",
    "footnote": "footnote", "dong": "row", "hang": "row", "nhiem vu so": "item", "phu luc": "annex",
}
_NUM = r"(?:[ivxlc]{1,6}|\d{1,3}[a-z]?|[a-z])"  # "Điều 8a": an article inserted between 8 and 9
_SECTION_RE = re.compile(
    r"\b(?P<word>tieu muc|chu thich|ghi chu|footnote|phu luc|phan|chuong|muc|dieu|khoan|diem|tiet|dong|hang)"
    rf"\s+(?:so\s+|thu\s+)?(?P<num>{_NUM}(?:\s*\.\s*{_NUM}){{0,3}})(?![\w/])(?!\s*(?:nam|ngay|thang)\b)"
)
# The section words as written with diacritics: folding makes "chuẩn mực thứ nhất" read "muc thu nhat",
# "phân công" "phan": a word typed with diacritics is a section word only when typed as one of these.
_SECTION_SPELLINGS = frozenset("""tiểu mục|chú thích|ghi chú|footnote|phụ lục|phần|chương|mục|điều|khoản|điểm|tiết|dòng|hàng
    |nhiệm vụ số""".replace("\n", "").replace("    ", "").split("|"))


# A section word that is the second syllable of another word: "kiểm điểm", "địa điểm", "quan điểm",
# "danh mục", "hạng mục", "bộ phận", "thành phần" ("Hướng dẫn kiểm điểm 14" is no point 14).
_COMPOUND_BEFORE = {
    "diem": {"kiem", "dia", "trong", "quan", "dac", "uu", "nhuoc", "thoi", "khuyet", "diem"},
    "muc": {"danh", "hang", "tiet", "chuan", "muc"},
    "phan": {"thanh", "bo", "co", "mot", "tung"},
    "khoan": {"tai", "kinh"},
}


def _inside_a_word(low: str, start: int, word: str) -> bool:
    before = low[:start].split()
    return bool(before) and before[-1] in _COMPOUND_BEFORE.get(word, ())


def _typed_as_section_word(expanded: str | None, low: str, span: tuple[int, int]) -> bool:
    if expanded is None or len(expanded) != len(low):
        return True
    typed = expanded[span[0]:span[1]].lower()
    return typed.isascii() or typed in _SECTION_SPELLINGS


# "Quy chế có mấy chương, là những chương nào?", "gồm bao nhiêu điều": the headings of one level of a
# document are asked (its outline), not a passage. Words that only start with a section word
# ("điều kiện", "mục tiêu", "phân công") are not levels.
_OUTLINE_RE = re.compile(r"\b(?:may|bao nhieu|nhung|cac|gom)\s+(?P<word>phan|chuong|muc|dieu)"
                         # the level word ends its phrase: "có mấy chương, là những chương nào?" — not
                         # "các mục xếp loại" (typed without marks, "mức xếp loại": levels of a rating)
                         r"(?=\s*(?:[?,.;:(]|$|nao\b|la\b|gi\b|va\b|thi\b))")


def outline_level(low: str, expanded: str) -> str | None:
    """The level whose headings the question asks for ("chapter" of "có mấy chương"), or None."""
    for m in _OUTLINE_RE.finditer(low):
        word = m.group("word")
        # the same word heading a phrase elsewhere ("các mục xếp loại … gồm những mục nào") is that noun
        if re.search(rf"\b{word}\s+(?!(?:nao|la|gi|va|thi|so|thu)\b)[a-z]", low):
            continue
        if _typed_as_section_word(expanded, low, m.span("word")):
            return _SECTION_WORDS[word]
    return None


ORDINALS = {"dau tien": 1, "thu nhat": 1, "thu hai": 2, "thu ba": 3, "thu tu": 4, "thu nam": 5,
             "thu sau": 6, "thu bay": 7, "thu tam": 8, "thu chin": 9, "thu muoi": 10, "cuoi cung": -1}
ORDINAL_RE = re.compile(r"\b(" + "|".join(ORDINALS) + r")\b")
_SECTION_ORDINAL_RE = re.compile(r"\b(dieu|chuong|phan|muc|khoan)\s+(" + "|".join(ORDINALS) + r")\b")
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


def section_refs(low: str, expanded: str | None = None) -> list[SectionRef]:
    """`low` is the folded question; `expanded` the same question as typed (same length), by which a
    point letter is checked: "kiểm điểm ở chi bộ" folds to "diem o", and "ở" is no point letter."""
    refs: list[SectionRef] = []
    for m in _SECTION_RE.finditer(low):
        word, num = m.group("word"), m.group("num")
        if not _typed_as_section_word(expanded, low, m.span("word")) or _inside_a_word(low, m.start(), word):
            continue
        if expanded is not None and len(expanded) == len(low):
            typed = expanded[m.start("num"):m.end("num")].lower()
            if any(ch.isalpha() and not ch.isascii() and ch != "đ" for ch in typed):
                continue
        typed_upper = expanded is not None and len(expanded) == len(low) and expanded[m.start("num")].isupper()
        if re.fullmatch(r"[a-z]", num) and not _LETTER_WORDS.get(word, True) and num not in "ivxlc" \
                and not (word == "phan" and typed_upper):
            continue  # "chương i" is Chương I; "điều a" is no section; "Phần A" is a report's lettered part
        if word in ("dong", "hang") and not re.search(r"\bbang\b", low):
            continue  # "dòng"/"hàng" is a table row only when the question speaks of a table
        kind = _SECTION_WORDS[word]
        number = _number_as_written(num)
        if kind == "part" and re.fullmatch(r"[a-z]", number):
            number = number.upper()  # lettered parts: "Phần A"
        if kind == "chapter" and number.isdigit():
            number = _roman(int(number))  # chapters are numbered in Roman figures: "chương 2" → Chương II
        refs.append(SectionRef(kind, number, m.span()))
    for m in _SECTION_ORDINAL_RE.finditer(low):
        n = ORDINALS[m.group(2)]
        if not _typed_as_section_word(expanded, low, m.span(1)) or _inside_a_word(low, m.start(), m.group(1)):
            continue
        if n > 0:
            kind = _SECTION_WORDS[m.group(1)]
            refs.append(SectionRef(kind, _roman(n) if kind in ("chapter", "part") else str(n), m.span()))
    return refs
