"""Review questions drawn from the facts one quoted sentence states: a deadline, who acts, a number,
a list. No generative model: each question is the sentence (or the clause around the fact) turned
into a question, and its answer is a span of that sentence, so the answer is always verbatim text
of the quote the lesson cites.

Every function takes the sentence as the document writes it and `lead`, the phrase that places it
("Theo Kế hoạch 222-KH/TU, mục II.2.2 “Kế hoạch cá nhân”"), and returns `Drafted` questions whose
answer is ``sentence[start:end]``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.actors import find_actor_spans
from ingest.normalize import fold

# How much of a long sentence a question repeats around its blank (characters on each side).
WINDOW = 220
MAX_ANSWER = 400
BLANK = "[…]"


@dataclass(frozen=True)
class Drafted:
    kind: str  # "deadline" | "actor" | "number" | "list"
    question: str
    start: int  # the answer is sentence[start:end]
    end: int

    def __post_init__(self) -> None:
        # Footnote markers ("nêu gương¹") belong to the document, not to a question.
        object.__setattr__(self, "question", " ".join(self.question.translate(_NO_MARKERS).split()))


_NO_MARKERS = str.maketrans("", "", "¹²³⁴⁵⁶⁷⁸⁹⁰")


# --------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------


def lower_first(text: str) -> str:
    """Lower-case the first letter for use inside a sentence, unless the text opens with a proper
    name ("Mặt trận Tổ quốc", "Ban Tuyên giáo"): a capitalised second or third word says so."""
    words = text.split()
    if not words or any(w[:1].isupper() for w in words[1:3]) or words[0].isupper() and len(words[0]) > 1:
        return text
    return text[:1].lower() + text[1:]


def _clean_tail(text: str) -> str:
    return text.strip().rstrip(" .;:,")


def window(sentence: str, a: int, b: int, limit: int = WINDOW) -> tuple[int, int]:
    """A clause-bounded part of `sentence` around [a, b): the whole sentence when it is short;
    otherwise from the nearest ';' before (else the farthest ',' within `limit`) to the nearest ';'
    or ':' after (else the farthest ',' within `limit`)."""
    left = 0 if len(sentence) <= limit * 3 // 2 else _cut_left(sentence, a, limit)
    return left, _cut_right(sentence, b, limit)


def _cut_left(s: str, a: int, limit: int) -> int:
    if a <= limit:
        return 0
    lo = a - limit
    pos = s.rfind(";", lo, a)
    if pos < 0:
        pos = s.find(",", lo, a)
    if pos < 0:
        pos = s.find(" ", lo, a)
    left = pos + 1 if pos >= 0 else lo
    while left < a and s[left] == " ":
        left += 1
    return left


def _cut_right(s: str, b: int, limit: int) -> int:
    """The clause ends at the next ';' or ':' (what follows a colon elaborates, it is not the
    clause); else, when far, at the farthest ',' (or space) within `limit`."""
    ends = [p for p in (s.find(";", b), s.find(":", b)) if p >= 0]
    if ends:
        return min(ends)
    if len(s) - b <= limit:
        return len(s)
    hi = b + limit
    pos = s.rfind(",", b, hi)
    if pos < 0:
        pos = s.rfind(" ", b, hi)
    return pos if pos > b else hi


def _excerpt(sentence: str, a: int, b: int, blank: str) -> str:
    """The clause around [a, b) with that span replaced by `blank`; "…" where it was cut."""
    left, right = window(sentence, a, b)
    text = sentence[left:a] + blank + sentence[b:right]
    text = text.strip()
    if left > 0:
        text = "… " + text
    else:
        text = lower_first(text.lstrip("-–•+ "))
    if right < len(sentence.rstrip(" .;:")):
        text = text.rstrip(" ,;:") + " …"
    return text.rstrip(" .;:,")


# --------------------------------------------------------------------------------------------
# Deadlines
# --------------------------------------------------------------------------------------------

_DANGLING = re.compile(r"(?:^|\s)(?:nhưng|và|thì|hoặc|hay|để|là|(?:chậm|muộn) nhất)$", re.IGNORECASE)


def ask_deadline(sentence: str, deadline_text: str, lead: str) -> Drafted | None:
    """'Hoàn thành xây dựng kế hoạch trong tháng 01/2024.' → '…, hoàn thành xây dựng kế hoạch trong
    thời hạn nào?' (answer: 'trong tháng 01/2024'). When the deadline does not close the sentence,
    a fill-in question with the deadline blanked out."""
    a = sentence.find(deadline_text) if deadline_text else -1
    if a < 0:
        return None
    b = a + len(deadline_text)
    tail = sentence[b:].strip(" .;:")
    stem = sentence[:a].rstrip(" ,;:(").lstrip("-–•+ ")
    if not tail and len(stem) >= 3 and not _DANGLING.search(stem):
        if len(stem) > WINDOW:  # keep the clause that holds the task
            stem = "… " + stem[_cut_left(stem, len(stem), WINDOW):]
        else:
            stem = lower_first(stem)
        return Drafted("deadline", f"{lead}, {stem} trong thời hạn nào?", a, b)
    return Drafted("deadline", f"{lead}, điền thời hạn còn thiếu: “{_excerpt(sentence, a, b, BLANK)}”", a, b)


# --------------------------------------------------------------------------------------------
# Actors
# --------------------------------------------------------------------------------------------

_BULLET = "-–•+ "


def subject_span(sentence: str, action: str) -> tuple[int, int, str] | None:
    """Where the sentence names who acts, when it opens with a list of bodies or people followed by
    the action ("Mặt trận Tổ quốc, các tổ chức chính trị - xã hội phát huy vai trò giám sát …"):
    (start, end, kind of the first actor). None for any other shape (an adverbial first, a label)."""
    idx = sentence.find(action) if action else -1
    if idx <= 0:
        return None
    start = len(sentence[:idx]) - len(sentence[:idx].lstrip(_BULLET))
    subject = sentence[start:idx].rstrip(" ,")
    if not subject or len(subject) > 200 or ":" in subject:
        return None
    mentions = find_actor_spans(subject)
    if not mentions or mentions[0].start > 5:
        return None
    covered = sum(len(subject[m.start:m.end].replace(" ", "")) for m in mentions)
    if covered < 0.5 * len(subject.replace(" ", "")):
        return None
    return start, start + len(subject), mentions[0].kind


def _predicate(action: str, limit: int = 160) -> str:
    """The action up to its first ';' (the first task), cut at a comma when still long."""
    text = _clean_tail(action.split(";")[0])
    if len(text) > limit:
        cut = text.rfind(",", 0, limit)
        text = text[: cut if cut > limit // 2 else limit].rstrip(" ,") + " …"
    return text


def ask_actor(sentence: str, action: str, lead: str) -> Drafted | None:
    """'Mặt trận Tổ quốc, các tổ chức chính trị - xã hội phát huy vai trò giám sát …' → '…, cơ quan,
    tổ chức nào phát huy vai trò giám sát …?' (answer: the subject as written)."""
    found = subject_span(sentence, action)
    if found is None:
        return None
    start, end, kind = found
    who = "ai" if kind in ("person", "position") else "cơ quan, tổ chức nào"
    return Drafted("actor", f"{lead}, {who} {_predicate(action)}?", start, end)


# --------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------

_NUMBER = re.compile(
    r"(?<![\w/.,:(–-])(?:(?P<from>từ)\s+)?(?P<n>\d{1,3})(?:\s*(?:đến|-|–)\s*(?P<m>\d{1,3}))?"
    r"(?![\w/.,:)–-]|\.\d)\s+(?P<unit>[^\W\d_]+)",
    re.IGNORECASE,
)
# A number after these words is a name or a date part ("năm 2024", "Điều 8", "lần thứ 4", "tập 8"),
# not a quantity the text states.
_NOT_QUANTITY = frozenset(
    "nam ngay thang quy dieu khoan muc chuong so khoa lop thu dot tap phan trang ky lan giai doan "
    "hoi nghi hinh".split()
)


def ask_numbers(sentence: str, lead: str) -> list[Drafted]:
    """'… nhưng không quá 30 ngày làm việc.' → '…, nhưng không quá bao nhiêu ngày làm việc?'
    (answer: '30 ngày')."""
    out: list[Drafted] = []
    for m in _NUMBER.finditer(sentence):
        before = fold(sentence[max(0, m.start() - 12):m.start()]).lower().split()
        if before and before[-1] in _NOT_QUANTITY:
            continue
        if m.group("unit")[:1].isupper():
            continue  # "2 Ban …": a count of named bodies reads as a name; skip
        a, b = m.start(), m.end()
        blank_end = m.end("m") if m.group("m") else m.end("n")
        left, right = window(sentence, a, b)
        text = sentence[left:a] + "bao nhiêu" + sentence[blank_end:right]
        text = text.strip()
        text = ("… " + text) if left > 0 else lower_first(text.lstrip(_BULLET))
        out.append(Drafted("number", f"{lead}: {_clean_tail(text)}?", a, b))
    return out


# --------------------------------------------------------------------------------------------
# Lists
# --------------------------------------------------------------------------------------------

_MARKER = re.compile(r"(?:^|[\s;:])(?:\(\d{1,2}\)|\d{1,2}\)|[a-zđ]\))\s", re.IGNORECASE)


# "Hồ sơ gồm:" → "Hồ sơ": the question adds its own "gồm những nội dung nào".
_LIST_CUE = re.compile(r"(?:^|\s+)(?:bao gồm|gồm có|gồm|như sau|sau đây|cụ thể là|cụ thể|là)$", re.IGNORECASE)


def _in_quotes(text: str, pos: int) -> bool:
    before = text[:pos]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def ask_lists(sentence: str, lead: str) -> list[Drafted]:
    """'Tài liệu: Kết luận số 01-KL/TW; Chuyên đề …; Chuyên đề năm 2024 của Tỉnh ủy.' →
    '…, “Tài liệu” gồm những nội dung nào?' (answer: the items as written). A list is what follows a
    colon when it holds numbered items ("(1) …; (2) …") or at least three items separated by ';'."""
    for colon in (i for i, ch in enumerate(sentence) if ch == ":"):
        if _in_quotes(sentence, colon):
            continue
        rest = sentence[colon + 1:]
        a = colon + 1 + (len(rest) - len(rest.lstrip()))
        b = colon + 1 + len(rest.rstrip().rstrip(".;"))
        if not 0 < b - a <= MAX_ANSWER:
            continue
        items = [x for x in sentence[a:b].split(";") if x.strip()]
        numbered = len(_MARKER.findall(" " + sentence[a:b])) >= 2
        if not numbered and not (len(items) >= 3 and all(len(x) <= 160 for x in items)):
            continue
        intro_start = 0
        if colon > 120:  # a long lead-in: its last clause names the list
            cut = max(sentence.rfind(sep, 0, colon) for sep in ",;(")
            intro_start = cut + 1 if cut >= 0 and colon - cut > 3 else _cut_left(sentence, colon, 120)
        label = _LIST_CUE.sub("", _clean_tail(sentence[intro_start:colon]).lstrip(_BULLET + "(")).strip()
        if not label:
            continue
        return [Drafted("list", f"{lead}, “{label}” gồm những nội dung nào?", a, b)]
    return []
