"""Question understanding: what the user asks (intent), who they say they are (role), which
documents they name ("Kết luận 14", "QĐ 55"), and the tokens to search with."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.normalize import fold, is_folded
from ingest.structure import TYPE_CODES
from ingest.tokenize import expand_abbreviations, folded_terms, words

# Intent cues, matched on the folded lower-case question (users often type without diacritics).
_DEADLINE = re.compile(
    r"\b(khi nao|bao gio|luc nao|han chot|thoi han|han cuoi|han hoan thanh|han nop|\bhan\b|deadline|"
    r"truoc ngay nao|ngay nao|thang nao|thoi gian nao|bao lau|trong bao lau|may ngay|den bao gio|xong truoc)\b"
)
_OBLIGATION = re.compile(
    r"\b(phai lam gi|phai lam nhung gi|can lam gi|can lam nhung gi|phai lam|lam nhung gi|phai thuc hien)\b"
)
_ROLE = re.compile(
    r"\b(?:toi|em|minh|chung toi)\s+(?:la|dang la|lam|dang lam|hien la|giu chuc)\s+(?P<role>[^,.;?!]{3,80}?)"
    r"(?=\s*(?:[,.;?!]|\b(?:thi|va|nam|nay|phai|can|co|o)\b|$))"
)
_DOC_TYPES_FOLDED = {
    "ket luan": "kl", "quy dinh": "qd", "chi thi": "ct", "nghi quyet": "nq", "huong dan": "hd",
    "ke hoach": "kh", "thong bao": "tb", "quy che": "qc",
}
_NAMED_DOC = re.compile(
    r"\b(?P<type>ket luan|quy dinh|chi thi|nghi quyet|huong dan|ke hoach|thong bao|quy che|kl|qd|qdi|ct|nq|hd|kh|tb)"
    r"\s*(?:so\s*)?(?P<num>\d{1,4})(?:\s*[-/]\s*(?P<code>[a-z]{1,6})(?:\s*/\s*(?P<issuer>[a-z]{1,8}))?)?\b"
)


_ORDINALS = {"dau tien": 1, "thu nhat": 1, "thu hai": 2, "thu ba": 3, "thu tu": 4, "thu nam": 5,
             "thu sau": 6, "thu bay": 7, "thu tam": 8, "thu chin": 9, "thu muoi": 10, "cuoi cung": -1}
_ORDINAL_RE = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\b")
_SECTION_RE = re.compile(r"\b(dieu|khoan|muc|chuong)\s+(\d{1,3}|[ivx]{1,5})\b")
_SECTION_WORDS = {"dieu": "Điều", "chuong": "Chương"}  # folded → as citation paths write them
_SECTION_ORDINAL_RE = re.compile(r"\b(dieu|chuong)\s+(" + "|".join(_ORDINALS) + r")\b")


def _roman(n: int) -> str:
    return ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][n]


@dataclass
class NamedDoc:
    number: str  # leading number without zeros: "14"
    code: str | None  # type code of the number: "kl", "qd"


@dataclass
class ParsedQuestion:
    text: str
    expanded: str
    typed_without_diacritics: bool
    intent: str  # "deadline" | "obligation" | "passage"
    role: str | None
    named: list[NamedDoc] = field(default_factory=list)
    topic: str = ""  # the question without its cue phrases ("khi nào", "tôi là …", "đầu tiên")
    words: list[str] = field(default_factory=list)
    folded: list[str] = field(default_factory=list)
    ordinal: int | None = None  # "đầu tiên", "thứ hai": which numbered item is asked for
    sections: list[str] = field(default_factory=list)  # "Điều 8" named in the question
    # The topic without the stated role: what a role question asks about ("hạn nộp kế hoạch cá
    # nhân"). Search keeps the role's words (they find the passages that name the role).
    about: str = ""


def parse_question(text: str) -> ParsedQuestion:
    expanded = expand_abbreviations(text.strip())
    low = fold(expanded).lower()
    intent = "passage"
    if _DEADLINE.search(low):
        intent = "deadline"
    elif _OBLIGATION.search(low):
        intent = "obligation"
    role = None
    m = _ROLE.search(low)
    if m:
        # Keep the role as the user wrote it (with diacritics if any): same offsets in `expanded`.
        role = expanded[m.start("role"):m.end("role")].strip()
        if intent == "passage":
            intent = "obligation"
    named: list[NamedDoc] = []
    for nm in _NAMED_DOC.finditer(low):
        t = nm.group("type")
        code = nm.group("code") or _DOC_TYPES_FOLDED.get(t, t)
        if code == "qdi":
            code = "qd"
        if code in TYPE_CODES or code in ("qd",):
            named.append(NamedDoc(nm.group("num").lstrip("0") or "0", code))
    folded_input = is_folded(text)
    om = _ORDINAL_RE.search(low)
    topic = _strip_cues(expanded, low)
    about = _strip_cues(expanded, low, m.span()) if m else topic
    sections = [f"{_SECTION_WORDS[k]} {_roman(int(n)) if k == 'chuong' and n.isdigit() and 0 < int(n) <= 10 else n.upper()}"
                for k, n in _SECTION_RE.findall(low) if k in _SECTION_WORDS]  # chapters are Roman: "chương 2" → Chương II
    # "Điều thứ hai" is Điều 2 ("Chương thứ hai": Chương II, numbered in Roman figures).
    for k, word in _SECTION_ORDINAL_RE.findall(low):
        n = _ORDINALS[word]
        if n > 0:
            sections.append(f"Điều {n}" if k == "dieu" else f"{_SECTION_WORDS[k]} {_roman(n)}")
    return ParsedQuestion(
        text=text, expanded=expanded, typed_without_diacritics=folded_input, intent=intent, role=role,
        named=named, topic=topic, words=[] if folded_input else words(topic), folded=folded_terms(topic),
        ordinal=_ORDINALS[om.group(1)] if om else None, sections=sections, about=about,
    )


# Words that say what kind of answer is wanted, not what it is about. They are rare in the
# documents, so left in they would outweigh the topic words when passages are ranked.
_CUES = re.compile(
    r"\b(la gi|la nhung gi|nhung gi|nhu the nao|the nao|ra sao|gom nhung|bao gom nhung|la bao nhieu|bao nhieu|"
    r"co nhung|nhung|nao|gi|ai|hay cho biet|cho biet|xin hoi|vay|nhi|o dau|di dau|den dau|tu dau)\b"
)


def _strip_cues(expanded: str, low: str, role_span: tuple[int, int] | None = None) -> str:
    """Blank out the cue phrases (matched on the folded text, same offsets) and the stated role
    ("tôi là bí thư chi bộ": who asks, not what about — the role picks the duties by itself)."""
    keep = list(expanded)
    spans = [m.span() for rx in (_DEADLINE, _OBLIGATION, _ORDINAL_RE, _CUES) for m in rx.finditer(low)]
    for a, b in spans + ([role_span] if role_span else []):
        keep[a:b] = " " * (b - a)
    topic = " ".join("".join(keep).split())
    return topic or expanded


def number_matches(named: NamedDoc, number: str | None) -> bool:
    """'Kết luận 14' names '14-KL/TW'; 'QĐ 55' names '55-QĐ/TW'."""
    if not number or "-" not in number:
        return False
    lead, rest = number.split("-", 1)
    code = fold(rest.split("/", 1)[0]).lower()
    code = "qd" if code == "qdi" else code
    return (lead.lstrip("0") or "0") == named.number and (named.code is None or code == named.code)
