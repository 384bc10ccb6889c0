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

import contextvars
import re
from dataclasses import dataclass, field, replace

from ingest.normalize import canonical, fold, is_folded
from ingest.tokenize import expand_abbreviations, folded_terms, syllables, words

from .cues import (ASKS_NAME, CONDITION, CUE_VOCAB, DEADLINE, DUTY, EXCEPTION, META_CUES, QUESTION_PHRASES, ROLE,
                   STATUS, STOP_SYLLABLES, WHEN_ASKED, WINDOW_LIST, YESNO_END, YESNO_START, cue_ok, cue_spans,
                   DURATION, defined_term, duration_unit, issue_day_spans, list_cue, window_list_cue)
from .names import (ORDINAL_RE, ORDINALS, TYPE_ALT, TYPE_WORDS, NamedDoc, SectionRef, named_docs, outline_level,
                    section_refs)
from .timewindow import TimeWindow, time_window
from .colloquial import formal
from .typos import corrected

__all__ = ["KINDS", "STOP_SYLLABLES", "NamedDoc", "ParsedQuestion", "SectionRef", "TimeWindow", "parse_question"]

# The kinds of answer, in the order the composer tries them (answers/__init__.py).
KINDS = ("section", "metadata", "timewindow", "deadline", "role", "yesno", "exception", "list", "content")


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
    duration: str | None = None  # "bao lâu", "mấy ngày": the unit of the span asked ("any" for "bao lâu")
    topic: str = ""  # what the question is about: cues, the role, names of documents and sections removed
    words: list[str] = field(default_factory=list)  # segmented words of the search text (empty if typed without diacritics)
    folded: list[str] = field(default_factory=list)  # folded syllables and bigrams of the search text
    search_text: str = ""  # what the sparse vectors are built from: the topic with the role's words
    defines: str | None = None  # folded term a "… là gì?" question asks to define
    asks_name: bool = False  # "… có tên là gì?"
    # A question joining documents, in its clauses ("Kế hoạch 222 căn cứ hướng dẫn nào, và hướng dẫn
    # đó yêu cầu …?"): each clause parsed as a question of its own, with what it points back at.
    parts: list["ParsedQuestion"] = field(default_factory=list)
    outline: str | None = None  # "có mấy chương": the level ("chapter") whose headings are asked
    pointer: str | None = None  # "hướng dẫn đó" → "hd"; "nó" → "*": the clause is about a document named before
    source: str | None = None  # "theo quy chế của UBKT Tỉnh ủy": the document drawn on, named by its face
    # A clause asking one facet of a question asking several: "own" when it says its subject, "carried"
    # when it carries the previous clause's ("…, ai chủ trì?"); "" when the question asks one thing.
    facet: str = ""
    facet_topic: str = ""  # a facet's own topic words, without the subject it carries ("chủ trì")
    # "… tại Điều 5 QĐi 08", "khoản 3 Điều 5 của Quy định 08": the document whose name the section
    # references are written right before — they are its sections, whichever document the question is about
    section_doc: NamedDoc | None = None
    # "Tôi là X, phải làm gì và báo cáo cho ai?", "… chi bộ tôi phải kết nạp mấy người và tôi cần làm gì?":
    # a role question asking the role's duties in general and, in a clause of its own, one more thing —
    # that clause's words (its topic), which rank the duties without narrowing them; "" otherwise
    also_asks: str = ""

    @property
    def intent(self) -> str:
        """The older three-way reading (deadline / obligation / passage), kept for lessons."""
        if self.deadline_cue or self.kind in ("deadline", "timewindow"):
            return "deadline"
        return "obligation" if self.kind == "role" else "passage"

    @property
    def topic_syllables(self) -> set[str]:
        return set(syllables(self.topic)) - STOP_SYLLABLES


# The words that end a stated role ("tôi là bí thư chi bộ, …", "… có …"), as typed with accents.
_ROLE_STOPS = {"thi": "thì", "va": "và", "nam": "năm", "nay": "nay", "phai": "phải", "can": "cần", "co": "có",
               "o": "ở", "tai": "tại", "theo": "theo", "duoc": "được", "se": "sẽ", "muon": "muốn", "xin": "xin"}


def _role_stops_checked(expanded: str, low: str) -> str:
    """`low` with the role's stop words that were typed with other accents masked: "bí thư chi bộ cơ
    sở" does not end at "cơ" (folded "co", like "có"); typed without accents, "co so" is still "cơ sở"
    (a post of a grassroots body: "chu tich cong doan co so"), other stop words stay."""
    from ingest.actors import find_actor_spans

    out = list(low)
    names = None
    for m in re.finditer(r"[0-9a-z]+", low):
        want = _ROLE_STOPS.get(m.group(0))
        if want is None:
            continue
        typed = expanded[m.start():m.end()]
        grassroots = typed == "co" and low.startswith(" so", m.end()) and not low[m.end() + 3:m.end() + 4].isalnum()
        if not grassroots and fold(typed) == typed:
            # typed without accents: a stop word inside a known name is a word of the name
            # ("ban can su dang", "thu truong co quan", "dai phat thanh va truyen hinh")
            if names is None:
                folded = fold(expanded)
                text = folded if is_folded(_letters_outside_expansions(expanded)) and len(folded) == len(expanded) \
                    else expanded
                names = [(n.start, n.end) for n in find_actor_spans(text)]
            grassroots = any(a <= m.start() < b for a, b in names)
        if (fold(typed) != typed and typed.lower() != want) or grassroots:
            out[m.start():m.end()] = "x" * (m.end() - m.start())
    return "".join(out)


# "tôi là chủ tịch công đoàn ở công ty may X thì …", "em là bí thư chi bộ tại khu phố 3, …": where the
# asker works goes with the role, not with what is asked (the documents name the post, rarely the place)
_WORKPLACE = re.compile(r"\s*(?:o|tai|thuoc)\s+[^,.;?!]{2,60}?(?=\s*(?:[,.;?!]|\b(?:thi|va|nam|nay|phai|can|co|theo"
                        r"|duoc|se|muon|xin|giao|lam|nhiem vu|trach nhiem)\b|$))")


def _opens_with_body(expanded: str, at: int) -> bool:
    """A body or post the gazetteer knows is named right at `at` ("công an xã …", "Ban Tuyên giáo …")."""
    from ingest.actors import find_actor_spans

    folded = fold(expanded)
    text = folded if is_folded(_letters_outside_expansions(expanded)) and len(folded) == len(expanded) else expanded
    return any(m.start == 0 for m in find_actor_spans(text[at:at + 80]))


# "Tôi là giáo viên, đảng viên sinh hoạt ở chi bộ trường THCS, …", "…, đồng thời là đảng viên chi bộ thôn 3":
# after who asks, a second capacity — a person or post, maybe where they belong — in a clause of its own.
_CAPACITY = re.compile(r"\s*,\s*(?:(?:va|cung la|dong thoi la|kiem)\s+)?(?P<cap>[a-z0-9]+(?:\s+[a-z0-9]+){0,5}?"
                       r"(?:\s+(?:sinh hoat|cong tac|lam viec)\s+(?:o|tai)\s+[^,.;?!]{2,60}?)?)(?=\s*[,.;?!]|$)")


def _second_capacity(expanded: str, low: str, role_end: int) -> tuple[int, int] | None:
    """The span of a second capacity the asker states right after the first ("…, đảng viên sinh hoạt ở
    chi bộ …"): a clause that is a person or post the gazetteer knows from its first word on, or that
    followed by where they belong — nothing else (a clause asking or saying anything else is not who
    asks)."""
    from ingest.actors import find_actor_spans

    m = _CAPACITY.match(low, role_end)
    if m is None:
        return None
    a, b = m.span("cap")
    head = re.sub(r"\s+(?:sinh hoat|cong tac|lam viec)\s+(?:o|tai)\s+.*$", "", low[a:b])
    words = expanded[a:a + len(head)]
    found = find_actor_spans(words)
    if not found or found[0].start != 0 or found[0].kind not in ("person", "position"):
        return None
    # nothing but names ("đảng viên| chi bộ thôn| 3"): a clause saying more is not who asks
    rest = list(words)
    for x in found:
        rest[x.start:x.end] = " " * (x.end - x.start)
    return (a, b) if not re.sub(r"[\s\d]+", "", "".join(rest)) else None


# "Tôi là X thì …", "Tôi là X, vậy …": the words joining who asks to what is asked.
_ROLE_LINK = re.compile(r"\s*,?\s*(?:thi|vay thi|vay)(?![0-9a-z])")


# "… giao Đảng đoàn HĐND tỉnh những việc gì", "giao đoàn thanh niên xã làm việc gì": the body asked of.
_GIVEN_TO = re.compile(r"\bgiao\s+(?:cho\s+)?(?P<x>[a-z0-9][a-z0-9 ,-]{2,80}?)\s+(?:lam\s+)?(?:nhung\s+)?(?:cong\s+)?"
                       r"(?:viec|nhiem vu)\b")
_FIRST_PERSON = re.compile(r"\b(?:toi|chung toi|minh|em|chung em)\b")


def _asked_body(expanded: str, low: str) -> tuple[str, tuple[int, int]] | None:
    """The body a duty question names as the one given duties, and its span; None when it is the
    asker's own ("giao văn phòng tôi việc gì": the stated role answers)."""
    m = _GIVEN_TO.search(low)
    if m is None or _FIRST_PERSON.search(m.group("x")):
        return None
    from ingest.actors import find_actor_spans

    a, b = m.span("x")
    found = list(find_actor_spans(expanded[a:b]))
    if not found:
        return None
    start, end = a + found[0].start, a + found[0].end
    for f in found[1:]:  # "Đảng đoàn" + "Hội đồng nhân dân": one body's name
        if expanded[end:a + f.start].strip():
            break
        end = a + f.end
    tail = re.match(r"(?:\s+(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*|tỉnh|huyện|xã|phường|cấp \w+))+", expanded[end:b])
    end += tail.end() if tail else 0
    return expanded[start:end].strip(), (start, end)


# "TB 214 giao Ban cán sự đảng UBND tỉnh những nhiệm vụ gì?": the words between "giao" and "những
# việc gì" name a body — they are not cue words, only the ends are.
_GIVEN_TASKS = re.compile(r"\b(?P<giao>giao)\b(?:\s+\w+){1,12}?\s+(?P<tail>(?:nhung\s+)?(?:viec|nhiem vu)\s+(?:gi|nao))\b")


def _tasks_given(expanded: str, low: str) -> bool:
    return any(cue_ok(expanded, m.span("giao")) and cue_ok(expanded, m.span("tail")) for m in _GIVEN_TASKS.finditer(low))


def _letters_outside_expansions(expanded: str) -> str:
    """The question's own words: the written-out abbreviations left out (they carry diacritics whatever
    the user typed)."""
    from ingest.tokenize import ABBREVIATIONS

    out = expanded
    # longest first: "Ủy ban nhân dân" before "Ủy ban", which would leave its "nhân dân" behind (and
    # which is left depended on the order of a set)
    for full in sorted(set(ABBREVIATIONS.values()) | {"Chủ tịch"}, key=lambda f: (-len(f), f)):  # (+ "CT UBND")
        out = out.replace(full, " ")
    return out


# the rest of a body's name the gazetteer does not know ("Đảng đoàn" + " Hội đồng nhân dân tỉnh")
_NAME_TAIL = re.compile(r"(?:\s+(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*|tỉnh|huyện|xã|tinh|huyen|xa|cấp \w+|cap \w+)(?![\wÀ-ỹ]))+")


def _name_across(expanded: str, start: int, end: int) -> int | None:
    """The end of a body's or post's name that begins inside [start, end) and runs past `end` (the
    role's words stopped at a "và" inside the name), or None."""
    from ingest.actors import find_actor_spans

    mentions = list(find_actor_spans(expanded))
    ends = [m.end for m in mentions if start <= m.start < end < m.end]
    if not ends:
        return None
    last = max(ends)
    for m in mentions:  # "Ban Tuyên giáo và Dân vận" + " Tỉnh ủy": names one after the other are one
        if m.start > last and not expanded[last:m.start].strip():
            last = m.end
    tail = _NAME_TAIL.match(expanded, last)
    return tail.end() if tail else last


_JOINED = re.compile(r"\s*(?:,|và|va|hoặc|hoac)\s+(?:các\s+|cac\s+)?", re.I)


def _subject_actor(expanded: str, taken: list[tuple[int, int]]) -> str | None:
    """The first body or post the question names outside document names ("Đảng đoàn Hội đồng nhân
    dân tỉnh"), as written — what a duty question without "tôi là …" asks about."""
    from ingest.actors import find_actor_spans

    # A question typed without diacritics, its abbreviations written out with them ("pho bi thu chi bo co
    # quan Ủy ban nhân dân xa"), is read folded throughout (folding keeps every offset).
    folded = fold(expanded)
    mentions = list(find_actor_spans(folded if is_folded(_letters_outside_expansions(expanded)) and
                                     len(folded) == len(expanded) else expanded))
    for i, m in enumerate(mentions):
        if not any(a <= m.start < b for a, b in taken):
            end = m.end
            # "Ban cán sự đảng" + " Ủy ban nhân dân tỉnh": bodies written one after the other are one name
            for nxt in mentions[i + 1:]:
                if expanded[end:nxt.start].strip():
                    break
                end = nxt.end
            # the rest of a body's name the gazetteer does not know ("Đảng đoàn" + " Hội đồng nhân dân tỉnh")
            tail = _NAME_TAIL.match(expanded[end:])
            end += tail.end() if tail else 0
            joined = _JOINED.match(expanded, end)
            if joined and any(nxt.start == joined.end() for nxt in mentions[i + 1:]):
                return None  # "chi bộ và đảng ủy cơ sở phải làm gì": several bodies, none of them alone
            return expanded[m.start:end].strip()
    return None


def _lone_post(expanded: str) -> str | None:
    """A post the question opens with, named without its body ("Phó Chủ nhiệm Thường trực có nhiệm vụ
    gì?": as a body's own documents name its posts), as written; None otherwise."""
    from ingest.actors import find_actor_spans

    lead = len(expanded) - len(expanded.lstrip())
    found = [m for m in find_actor_spans(expanded, lone_posts=True) if m.start == lead and m.kind == "position"]
    return expanded[found[0].start:found[0].end] if found else None


# What may stand before the body a question names as the doer: nothing, a source ("Theo KH 15, …"), or
# the owner word of a duty ("Hạn nộp báo cáo của Hội Nông dân xã …").
_BEFORE_DOER = re.compile(r"^\W*(?:theo\s[^,;:?]{1,60}[,:]\s*)?(?:(?:den\s+)?(?:khi nao|bao gio|luc nao|thoi han nao)\s+)?"
                          r"(?:(?:thoi\s+)?han(?:\s+(?:chot|cuoi))?\s+(?:de\s+|cho\s+)?(?:cac\s+|nhung\s+)?)?$"
                          r"|(?<![0-9a-z])cua\s+$")


# Verbs of setting a duty for others: the body before them issues it ("Huyện ủy yêu cầu …").
_ASKS_OF_OTHERS = re.compile(r"\s*(?:da\s+|co\s+)?(?:yeu cau|giao|chi dao|quy dinh|de ra|dat ra|dat han|huong dan"
                             r"|ban hanh|de nghi|neu|ket luan|quyet dinh)(?![0-9a-z])")


def doer(q: "ParsedQuestion") -> tuple[str, tuple[int, int]] | None:
    """The body or post a question names as the one who does what it asks about ("Hội Nông dân xã Mỹ
    Thạnh phải nộp báo cáo … trước ngày nào?", "Hạn nộp … của Văn phòng Đảng ủy là khi nào?"), as
    written, with its span; None when the question names none there (the asker's own role is
    `role`)."""
    from ingest.actors import find_actor_spans

    text = q.expanded
    low = fold(text).lower()
    taken = [d.span for d in q.named]
    for m in find_actor_spans(text):
        if any(a <= m.start < b for a, b in taken):
            continue
        before = low[:m.start]
        if not _BEFORE_DOER.search(before):
            continue  # "… kết nạp đảng viên mới … của Đảng ủy phường …": an object, not the doer
        if before.endswith("cua ") and (_DOC_WORDS.search(before[:-4]) or any(0 <= m.start - 4 - b <= 2 for _, b in taken)):
            return None  # "Kế hoạch 45 của BTV Huyện ủy": the document's issuer, not who does the duty
        name = _subject_actor(text[m.start:], [])
        if not name or _ASKS_OF_OTHERS.match(low, m.start + len(name)):
            return None  # "Huyện ủy yêu cầu … trước ngày nào": who sets the duty, not who does it
        return name, (m.start, m.start + len(name))
    return None


def _whole_year(window: TimeWindow) -> bool:
    """"năm 2027", "trong năm 2027": a calendar year as a whole, no cue narrowing it."""
    return (window.until is None and not window.both and window.cue in (None, "trong", "vao")
            and re.fullmatch(r"nam\s+(?:19|20)\d{2}", fold(window.phrase).lower()) is not None)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    keep = list(text)
    for a, b in spans:
        keep[a:b] = " " * (b - a)
    return " ".join("".join(keep).split())


# "mà KH 222 dẫn ở", "được Kế hoạch 222 trích tại": a citing verb between a document named as an
# object and a section reference.
_CITES_AT = re.compile(r"(?<![0-9a-z])(dan|trich|trich dan|vien dan|neu|de cap)(?![0-9a-z])")
_CITING_GAP = 24  # characters between the citing document's name and the section it cites at


def _citing_place(ref: SectionRef, named: list[NamedDoc], low: str) -> tuple[int, int] | None:
    """The span of "mà KH 222 dẫn ở chú thích 1" when `ref` is where a named document cites another."""
    before = [d for d in named if d.span[1] <= ref.span[0]]
    if not before:
        return None
    doc = max(before, key=lambda d: d.span[1])
    gap = low[doc.span[1]:ref.span[0]]
    if not (doc.object and len(gap) <= _CITING_GAP and _CITES_AT.search(gap)):
        return None
    start = doc.span[0] - 3 if low[max(0, doc.span[0] - 3):doc.span[0]] == "ma " else doc.span[0]
    return start, ref.span[1]


# Words that, standing right before "của ai / của cơ quan nào", name the document itself.
_DOC_WORDS = re.compile(r"(?:van ban|ke hoach|quy dinh|quy che|ket luan|chi thi|nghi quyet|huong dan|thong bao|quyet dinh"
                        r"|bao cao|nay|do|no|la)\s*$")


# Between a section reference and the document it belongs to: "Điều 5 QĐi 08", "Điều 5 của Quy định
# 08", "khoản 3 Điều 5, Quy định số 08" (the number's "số" is part of the name).
_SECTION_OF = re.compile(r"^\s*,?\s*(?:(?:cua|thuoc|trong|tai)\s+)?$")


def _section_owner(refs: list[SectionRef], named: list[NamedDoc], low: str) -> NamedDoc | None:
    """The named document written right after the question's section references, when there is one:
    "khoản 3 Điều 5 QĐi 08" names sections of QĐi 08."""
    if not refs:
        return None
    end = max(r.span[1] for r in refs)
    after = [d for d in named if d.span[0] >= end]
    if not after:
        return None
    doc = min(after, key=lambda d: d.span[0])
    return doc if _SECTION_OF.match(low[end:doc.span[0]]) else None


def _owner_of_other(low: str, span: tuple[int, int], named: list[NamedDoc]) -> bool:
    """An issuer cue "của …" whose owner is not the document: the words before it are neither a
    document's name nor its kind ("đề án của cơ quan nào")."""
    if not low[span[0]:span[1]].lstrip().startswith("cua"):
        return False
    before = low[:span[0]].rstrip()
    if any(0 <= span[0] - d.span[1] <= 2 for d in named):
        return False
    return _DOC_WORDS.search(before) is None


def _kind(has, refs: list[SectionRef], asks: tuple[str, ...], window: TimeWindow | None,
          role_question: bool, deadline_cue: bool, yesno: bool, list_cue_found: bool, window_list: bool) -> str:
    """The first kind whose cue the question carries, most specific first (KINDS)."""
    if refs:
        return "section"
    if asks:
        return "metadata"
    if role_question:
        return "role"
    if window is not None and window_list:
        return "timewindow"
    if deadline_cue:
        return "deadline"
    if yesno:
        return "yesno"
    if has(EXCEPTION) or has(CONDITION):
        return "exception"
    if list_cue_found:
        return "list"
    return "content"


# A metadata cue that asks about the document as a whole ("về việc gì", "căn cứ vào đâu") stands for
# the question only when little else is asked: past this many topic syllables, the question is about
# something inside the document ("tham mưu xây dựng kế hoạch sơ kết … về việc gì").
META_TOPIC_MAX = 3


# A document described by its kind, not its number: "báo cáo sơ kết … của Đảng ủy xã Tân Phước".
_DESCRIBED = re.compile(r"(?<![0-9a-z])(?:" + TYPE_ALT + r")(?![0-9a-z])(?!\s*(?:so\s*)?\d)")


_ISSUER_AFTER = re.compile(r"\s*,?\s*(?:cua\s+)?(?:ban thuong vu\s+|ban chap hanh\s+|thuong truc\s+)?"
                           r"(?:tinh uy|huyen uy|thanh uy|thi uy|quan uy|dang uy(?:\s+(?:xa|phuong|thi tran))?"
                           r"|bo chinh tri|ban bi thu|trung uong)(?:\s+(?!ve\b|ban\b|co\b|la\b|do\b|ngay\b|ky\b|gui\b)[a-z]+){0,2}")
# "Công văn 312-CV/HU ngày bao nhiêu": the day asked right after the document named (and its issuer).
_DOC_DAY = re.compile(r"\s*,?\s*(?:(?:duoc\s+)?(?:ky|ban hanh|ra)\s+)?(?:vao\s+)?ngay\s+(?:nao|bao nhieu|may)\b")
# "… về <subject> <cue>": the subject a document is named by.
_ABOUT = re.compile(r"\s*,?\s*(?:ve|ban ve)\s+(?=\S)")


def _after_name(d, low: str) -> int:
    """Where a named document's name ends: its number, and the issuer written after it."""
    m = _ISSUER_AFTER.match(low, d.span[1])
    return m.end() if m and m.end() > m.start() else d.span[1]


def _doc_day_spans(named, expanded: str, low: str) -> list[tuple[int, int]]:
    out = []
    for d in named:
        if not d.object and (m := _DOC_DAY.match(low, _after_name(d, low))) and cue_ok(expanded, m.span()):
            out.append(m.span())
    return out


def _described_as(named, meta: list[tuple[int, int]], low: str) -> list[tuple[int, int]]:
    out = []
    for d in named:
        if d.object:
            continue
        start = _after_name(d, low)
        m = _ABOUT.match(low, start)
        cue = min((a for a, _ in meta if a >= start), default=None)
        if m and cue is not None and cue > m.end():
            out.append((m.start(), cue))
    return out


_AND_WHEN = re.compile(r"(?:,|\bva)\s*(?:(?:ky|ban hanh)\s+)?(?:vao\s+)?(?:ngay|hom) (?:nao|bao nhieu|may)\b")


# Clauses of a question that may each ask about another document.
_ASKED_AND = r"(?:(?<=\bnao)|(?<=\bgi)|(?<=\bbao lau)|(?<=\bbao nhieu)|(?<=\bai))\s+va\s+(?!nao\b|gi\b)"
_CLAUSE_END = re.compile(r"[?;]+\s*|\.\s+|,\s+(?=(?:va|con|dong thoi|vay|thi)\s)|\s+(?=va\s+(?:no|van ban do|(?:"
                         + TYPE_ALT + r")\s+(?:do|nay|ay))\b)|,\s+(?=(?:" + TYPE_ALT + r")\s+(?:do|nay|ay)\b)"
                         # "… trước ngày nào, QĐ 52 ban hành ngày nào": after a question word, a comma
                         # before another numbered document (not a list: "Chỉ thị 30, Hướng dẫn 15 và …")
                         # (and "… như thế nào, bao lâu sau lễ hội phải báo cáo?": a second question)
                         r"|(?:(?<=\bnao)|(?<=\bgi)|(?<=\bkhong)|(?<=\bchua)|(?<=\bai)|(?<=\bdau)|(?<=\bmay)|(?<=\bnhieu)|(?<=\bnhieu %))"
                         r",\s+"
                         # "… phải lưu giữ bao lâu và Văn phòng Tỉnh ủy sao lưu vào lúc nào?": "và" after a
                         # question word opens a second question
                         r"|" + _ASKED_AND)
# "và" right after a question word: what follows asks again.
_ASKED_AND_RX = re.compile(_ASKED_AND)
_POINTER = re.compile(r"(?<![0-9a-z])(?:(?P<type>" + TYPE_ALT + r")\s+(?:do|nay|ay|tren)|(?P<it>no|van ban do))(?![0-9a-z])")


# "văn bản của Bộ Chính trị", "văn bản Trung ương": a document described by who issued it, in a clause
# after one about another document (cross.py finds which: the described document).
# "theo chỉ thị của huyện ủy": a kind of document and its issuer, without a number, likewise.
_DESCRIBED_POINTER = re.compile(r"(?<![0-9a-z])(?:van ban\s+(?:cua\s+)?|(?:" + TYPE_ALT + r")\s+cua\s+)"
                                r"(?:ban thuong vu\s+|ban chap hanh\s+)?(?:trung uong|bo chinh tri|ban bi thu"
                                r"|ban chap hanh trung uong|tinh uy|huyen uy|thanh uy|thi uy|quan uy|dang uy)(?![0-9a-z])")


# "…, còn xã yêu cầu …", "vậy còn Hướng dẫn 15 thì sao": a clause asking the previous one's question again
_CONTRAST = re.compile(r"(?:vay\s+)?con\s")
# "huyện yêu cầu", "tỉnh giao", "xã đặt hạn": the level whose documents a clause asks about
# ("huyện ủy quy định", "xã Phú Lâm đặt hạn": the committee's word and the unit's name may stand between)
LEVEL_ASKER = re.compile(r"(?<![a-z])(?P<level>tinh|huyen|xa)(?:\s+uy)?(?:\s+[a-z]+){0,2}?"
                         r"\s+(?:yeu cau|giao|dat|quy dinh|de ra|chi dao|ap dung|ghi|neu)(?![a-z])")
# A local body named by its unit and a capitalised name ("xã Suối Ngàn nhận …"): the level a clause asks of.
_NAMED_UNIT = re.compile(r"(?<!\w)(?P<unit>xã|xa|phường|phuong|thị trấn|thi tran|huyện|huyen|tỉnh|tinh)\s+(?=[A-ZĐ][^\W\d_])")
_UNIT_LEVEL = {"xa": "xa", "phuong": "xa", "thi tran": "xa", "huyen": "huyen", "tinh": "tinh"}
def _levels_asked(clause: str) -> set[str]:
    """The levels a clause asks of: "huyện yêu cầu …", "KH của huyện …", "xã Suối Ngàn …"."""
    low = fold(clause).lower()
    return ({m.group("level") for rx in (LEVEL_ASKER, KIND_LEVEL) for m in rx.finditer(low)}
            | {_UNIT_LEVEL[fold(m.group("unit")).lower()] for m in _NAMED_UNIT.finditer(clause)})


# A document named by its kind and level: "KH huyện ghi …", "HD của tỉnh cho …", "thông báo của xã".
KIND_LEVEL = re.compile(rf"(?<![0-9a-z])(?P<type>{TYPE_ALT})\s+(?:cua\s+)?(?:(?:ban thuong vu|ban chap hanh)\s+)?"
                        r"(?P<level>tinh|huyen|xa)(?![0-9a-z])(?!\s*\d)")


def shared_words(prev: "ParsedQuestion") -> str:
    """The previous clause's subject words: its topic without its time phrase or the level asking."""
    words = prev.topic
    if prev.window is not None:
        words = words.replace(prev.window.text, " ")
    low = fold(words).lower()
    spans = [m.span() for rx in (LEVEL_ASKER, KIND_LEVEL) for m in rx.finditer(low)] if len(low) == len(words) else []
    return _blank(words, spans).strip(" ,:;?")


# "So với hạn trong CTr 21 của tỉnh, những xã nào … ban hành … chậm?": a document named as the measure
# the rest of the question is compared with — what it sets is one answer, the rest is asked of all.
_COMPARED = re.compile(r"^\W*(?P<lead>so voi\s+[^,;?]{0,60}?(?<![0-9a-z])(?:" + TYPE_ALT + r")(?![0-9a-z])[^,;?]{0,60}?)"
                       r"\s*[,;]\s*(?P<rest>\S.*)$")
# A clause asked of every stored document, not of the ones the clause before was about.
ALL_DOCS = "all"


def _compared(expanded: str, low: str, named: list[NamedDoc], role: str | None) -> list["ParsedQuestion"]:
    """The two clauses of a question that names its measure first ("So với hạn trong CTr 21, …"): the
    measure, asked with the rest's subject words, and the rest, asked of all documents; [] otherwise."""
    m = _COMPARED.match(low)
    if m is None or not any(not d.object and m.start("lead") <= d.span[0] < m.end("lead") for d in named):
        return []
    rest = expanded[m.start("rest"):]
    if not _asks(rest):
        return []
    asked = parse_question(rest, role=role, _part=True)
    lead = f"{expanded[m.start('lead'):m.end('lead')]} ({shared_words(asked)})"
    from dataclasses import replace as _replace

    return [parse_question(lead, role=role, _part=True), _replace(asked, pointer=ALL_DOCS)]


def _pointer(low: str) -> str | None:
    """The kind of document a clause points back at ("chỉ thị đó" → "ct"), "*" for "nó / văn bản đó",
    "?" for a document described by its issuer ("văn bản của Bộ Chính trị")."""
    m = _POINTER.search(low)
    if not m:
        return "?" if _DESCRIBED_POINTER.search(low) else None
    return TYPE_WORDS[m.group("type")] if m.group("type") else "*"


def _clauses(expanded: str, low: str) -> list[str]:
    out, start = [], 0
    for m in _CLAUSE_END.finditer(low):
        if low[start:m.start()].strip():
            out.append(expanded[start:m.start()].strip(" ,"))
        start = m.end()
    if low[start:].strip():
        out.append(expanded[start:].strip(" ,"))
    return [c for c in out if len(set(syllables(c)) - STOP_SYLLABLES) >= 2]


# "Nội dung sinh hoạt thường kỳ theo hướng dẫn 24 gồm những phần nào?": words before "theo <document>"
# are the subject of the question, the document only its source.
_THEO_SOURCE = re.compile(rf"\btheo\s+(?:{TYPE_ALT})(?![0-9a-z])")
# The whole source phrase: "theo HD của huyện ủy", "theo quy chế của UBKT Tỉnh ủy" — the kind, maybe a
# number, maybe "của" and its issuer, up to the next question word or punctuation.
# (the asker's pronoun opens the next clause: "theo quy chế tôi phải làm gì")
_SOURCE_PHRASE = re.compile(rf"\btheo\s+(?:{TYPE_ALT})(?![0-9a-z])[^?,;.]*?(?=\s+(?:gom|co|la|thi|phai|can|nhu|quy dinh"
                            rf"|toi|minh|chung toi|chung em)\b|\s*[?,;.]|$)")


# "… có hoạt động gì trong kế hoạch của huyện về nêu gương": the document drawn on, by kind and issuer.
_IN_SOURCE = re.compile(rf"\btrong\s+(?:{TYPE_ALT})(?![0-9a-z])(?!\s*(?:so\s*)?\d)\s+cua\s+[^?,;.]*?(?=\s*[?,;.]|$)")


# Content syllables the subject must keep for the source phrase to leave the search: fewer, and the
# source's words are all the question says ("theo KH của huyện ủy thì sao?").
SOURCE_SUBJECT_MIN = 2


# A question opening with the document it asks of, by its kind and issuer, then what it says: "chỉ thị
# tỉnh ủy nêu những hạn chế gì …", "kế hoạch của huyện ủy giao …".
_OPENING_SOURCE = re.compile(rf"^\W*(?:{TYPE_ALT})(?![0-9a-z])\s+(?:cua\s+)?(?:ban thuong vu\s+|ban chap hanh\s+|thuong truc\s+)?"
                             r"(?:tinh uy|huyen uy|thanh uy|thi uy|quan uy|dang uy(?:\s+(?:xa|phuong|thi tran))?"
                             r"|bo chinh tri|ban bi thu|trung uong)(?:\s+[a-z]+){0,2}?"
                             r"(?=\s+(?:neu|quy dinh|yeu cau|giao|de ra|noi|chi ra|danh gia|chi dao)\b)")


def source_phrase(low: str) -> tuple[int, int] | None:
    """The span of the phrase naming the document a question draws on ("theo hướng dẫn của huyện ủy"),
    when its subject comes before it, or the question opens with it ("chỉ thị tỉnh ủy nêu …"); None
    otherwise."""
    m = _SOURCE_PHRASE.search(low) or _IN_SOURCE.search(low)
    if m and set(syllables(low[:m.start()])) - STOP_SYLLABLES:
        return m.span()
    m = _OPENING_SOURCE.match(low)
    return m.span() if m else None


def _subject_before_source(low: str) -> bool:
    m = _THEO_SOURCE.search(low)
    return bool(m and set(syllables(low[:m.start()])) - STOP_SYLLABLES)


_CUE_FOLDED = frozenset(fold(w).lower() for w in CUE_VOCAB)


def _subject_words(topic: str) -> set[str]:
    """The topic's words that are not question words: as typed (with diacritics, "lễ" is no "lệ"),
    folded when typed without them."""
    out = set()
    for w in re.findall(r"[^\W\d_]+", topic):
        f = fold(w).lower()
        cue = f in _CUE_FOLDED if f == w.lower() else canonical(w).lower() in CUE_VOCAB
        if not cue and f not in STOP_SYLLABLES:
            out.add(f)
    return out


def _own_subjects(clauses: list[str], role: str | None) -> list[str]:
    """Clauses, each joined back to the one before when it has no subject of its own — no document, no
    pointer, no "còn …", fewer than two topic syllables ("…, ngày nào?", "…, bao lâu một lần?", "…, có
    khớp không?"): a facet of the same question, not another one."""
    if len(clauses) < 2:
        return clauses
    out = [clauses[0]]
    for c in clauses[1:]:
        low = fold(c).lower()
        part = parse_question(c, role=role, _part=True)
        own = _subject_words(part.topic)  # "có khớp không": question words only
        # (a clause naming a document by kind and level, "KH huyện bắt xong …", names what it asks of)
        if part.named or part.pointer or _CONTRAST.match(low) or len(own) >= 2 or KIND_LEVEL.search(low):
            out.append(c)
        else:
            out[-1] = f"{out[-1]}, {c}"
    return out


# Where a role question's clauses part: a comma, "và", ";", a question mark.
_ROLE_CLAUSE_END = re.compile(r"\s*(?:[?;,.]+|(?<![0-9a-z])va(?![0-9a-z]))\s*")
# A word asking for something in a clause ("… báo cáo cho ai", "… kết nạp mấy người").
_ASKING_WORD = re.compile(r"(?<![0-9a-z])(?:nao|gi|ai|dau|may|bao nhieu|bao lau|khi nao|bao gio)(?![0-9a-z])")


def _also_asks(expanded: str, low: str, duty: list[tuple[int, int]], taken: list[tuple[int, int]]) -> str:
    """The other clause of a role question that asks the role's duties in a bare clause of their own
    ("phải làm gì", "tôi cần làm gì") and something else in another clause with a question word and
    words of its own ("báo cáo cho ai", "năm 2027 chi bộ tôi phải kết nạp mấy người"): that clause's
    topic words, else "". `taken`: spans of the role and of named documents (not a clause's words)."""
    cuts = [0] + [x for m in _ROLE_CLAUSE_END.finditer(low) for x in m.span()] + [len(low)]
    clauses = [(a, b) for a, b in zip(cuts[::2], cuts[1::2]) if low[a:b].strip()]
    bare, other = False, []
    for a, b in clauses:
        asking = [m.span() for rx in (QUESTION_PHRASES, DEADLINE) for m in rx.finditer(low, a, b)]
        own = _blank(expanded[a:b], [(max(x, a) - a, min(y, b) - a) for x, y in duty + taken + asking if x < b and y > a])
        # (words of duties are cue words too — "báo cáo", "nộp" — and here what the clause is about)
        words = set(syllables(own)) - STOP_SYLLABLES - _NUMERALS - {"phai", "can", "nam", "thi"}
        if any(a <= x < b for x, _ in duty):
            bare = bare or not words  # the duties asked with nothing of what they are about
        elif words and _ASKING_WORD.search(low, a, b):
            other.append(own)
    return " ".join(other) if bare else ""


def _asks(c: str) -> bool:
    """The clause is a question of its own, not a statement before one."""
    low = fold(c).lower()
    return any(rx.search(low) for rx in (QUESTION_PHRASES, DEADLINE, YESNO_END, DURATION))


def _two_questions(clauses: list[str], role: str | None, asked: int = 0) -> bool:
    """Clauses asking different kinds of thing of one subject ("… có được gia hạn không? gia hạn tối đa bao
    lâu", "… như thế nào, bao lâu sau lễ hội phải báo cáo?"), or questions of their own, each ended by its
    question mark (`asked`: how many the text has) and each with its own subject ("Nếu ngày 15 là ngày nghỉ
    thì … tiếp vào hôm nào? Bí thư đi công tác thì ai tiếp?"): each is answered."""
    if not all(_asks(c) for c in clauses):
        return False
    kinds = {parse_question(c, role=role, _part=True).kind for c in clauses}
    if "metadata" in kinds or "section" in kinds:
        return False
    return len(kinds) >= 2 or (asked >= len(clauses) and all(_HOLDS_ASKING.search(fold(c).lower()) for c in clauses))


# A clause holding a question word ("… vào hôm nào", "… thì ai tiếp công dân"), not only words of asking
# such as a pronoun ("Tôi là bí thư chi bộ …" states who asks).
_HOLDS_ASKING = re.compile(r"(?<![0-9a-z])(?:nao|gi|ai|dau|bao lau|bao nhieu|may|khong|chua|sao)(?![0-9a-z])")


# Where a question asking several facets of one subject turns to the next facet ("… lưu giữ bao lâu và
# Văn phòng sao lưu vào lúc nào?", "… có bao nhiêu đảng viên, bao nhiêu người đã cài …", "… họp ngày nào,
# ai chủ trì và ai ký …?", "… là bao nhiêu, chia theo từng năm thế nào?"): after a question word, a comma
# or "và"; before a question word, a comma or "và".
_ASK_WORD = r"(?:nao|gi|ai|dau|may|bao nhieu|bao lau|bao gio|ra sao|the nao|khong|chua)"
_FACET_END = re.compile(r"[?;]+\s*|\.\s+"
                        r"|(?:,\s+|\s+va\s+)(?=" + _ASK_WORD + r"\b)"
                        r"|(?:(?<=\bnao)|(?<=\bgi)|(?<=\bai)|(?<=\bdau)|(?<=\bmay)|(?<=\bnhieu)|(?<=\blau)|(?<=\bgio)|(?<=\bsao))"
                        r"(?:,\s+(?:va\s+)?|\s+va\s+)")
# A facet clause with no more topic syllables than this asks about the previous clause's subject ("ai
# chủ trì?" after "Hội nghị … họp ngày nào"): it is searched with that subject's words too, in the
# document that answered it. More, and it says its own subject ("Văn phòng Tỉnh ủy sao lưu vào lúc nào").
FACET_OWN_WORDS = 3


_NUMERALS = frozenset("mot hai ba bon nam sau bay tam chin muoi".split())


def _facet_clauses(expanded: str, low: str) -> list[str]:
    out, start = [], 0
    for m in _FACET_END.finditer(low):
        if low[start:m.start()].strip():
            out.append(expanded[start:m.start()].strip(" ,"))
        start = m.end()
    if low[start:].strip():
        out.append(expanded[start:].strip(" ,"))
    return [c for c in out if c.strip(" ?.!")]


def _facets(expanded: str, low: str, role: str | None) -> list["ParsedQuestion"]:
    """A question asking two or more facets of one subject, each clause with its own question word
    ("… có bao nhiêu đảng viên, bao nhiêu người đã cài …?"): its clauses parsed apart (`facet` set), a
    clause with few subject words of its own carrying the previous clause's subject. [] when the
    question asks one thing, or only about the document itself (the metadata composer reads all its
    asks at once)."""
    clauses: list[str] = []
    for c in _facet_clauses(expanded, low):
        # "…, ngày nào?", "…, bao lâu một lần?": question words only (a count of times is no subject) —
        # the same facet, said again; a field of the document asked ("ai ký thông báo") is one of its own
        part = parse_question(c, role=role, _part=True)
        # (a time or figure of its own is a subject: "…, đến 2030 là bao nhiêu?")
        if clauses and not part.asks and not _subject_words(part.topic) - _NUMERALS and not re.search(r"\d", part.topic):
            clauses[-1] = f"{clauses[-1]}, {c}"
        else:
            clauses.append(c)
    if len(clauses) < 2 or not all(_asks(c) for c in clauses):
        return []
    parsed = [parse_question(c, role=role, _part=True) for c in clauses]
    few = [not p.named and len(set(syllables(p.topic)) - STOP_SYLLABLES) <= FACET_OWN_WORDS for p in parsed]
    if all(few):
        return []  # no clause says what is asked about: one question
    parts: list[ParsedQuestion] = []
    for i, (c, part) in enumerate(zip(clauses, parsed)):
        if not few[i]:
            parts.append(replace(part, facet="own", facet_topic=part.topic))
            continue
        # the subject said nearest before ("…họp ngày nào, ai chủ trì"), else after ("Ai chủ trì và ai
        # phối hợp thực hiện nhiệm vụ …?")
        j = next((k for k in range(i - 1, -1, -1) if not few[k]), None)
        j = j if j is not None else next(k for k in range(i + 1, len(parsed)) if not few[k])
        parts.append(replace(parse_question(f"{c} ({shared_words(parsed[j])})", role=role, _part=True), facet="carried",
                             facet_topic=part.topic))
    kinds = {p.kind for p in parts}
    # only about the document itself, a section, or duties (a role's or a time's duties carry their own
    # times: "phải báo cáo những gì, bao lâu một lần?" is one question)
    if kinds <= {"metadata"} or kinds & {"section", "role", "timewindow"}:
        return []
    return parts


# Whether the question being parsed was typed without diacritics: its clauses, cut from the text with
# its abbreviations spelled out ("dv" → "đảng viên"), carry diacritics the user never typed.
_TYPED_FOLDED: contextvars.ContextVar[bool | None] = contextvars.ContextVar("typed_folded", default=None)


def parse_question(text: str, *, role: str | None = None, _part: bool = False,
                   folded: bool | None = None) -> ParsedQuestion:
    """`role`: the role the caller states apart from the text (the API's `role`, the CLI's --role).
    `folded`: whether the user typed the question without diacritics, for a clause parsed apart (else
    the clause's own text says, or the question it is parsed within)."""
    # Typos in question words first ("ra ngya bao nhieu"): every span below indexes the corrected text.
    expanded = formal(expand_abbreviations(corrected(text.strip())))
    folded_input = folded if folded is not None else (
        _TYPED_FOLDED.get() if _part and _TYPED_FOLDED.get() is not None else is_folded(text))
    low = fold(expanded).lower()

    def spans(rx: re.Pattern[str]) -> list[tuple[int, int]]:
        return cue_spans(rx, expanded, low)

    def has(rx: re.Pattern[str]) -> bool:
        return bool(spans(rx))

    named = named_docs(low)
    # "QĐ 55 mà KH 222 dẫn ở chú thích 1 …": where another document cites the one asked about says
    # which document is meant, not which section to read.
    refs, citing = [], []
    for r in section_refs(low, expanded):
        place = _citing_place(r, named, low)
        (citing.append(place) if place else refs.append(r))
    meta_spans = {name: spans(rx) for name, rx in META_CUES.items()}
    meta_spans["date"] += issue_day_spans(expanded, low) + _doc_day_spans(named, expanded, low)
    # "… được xây dựng từ đề án của cơ quan nào": whose proposal, not who issued the document.
    meta_spans["issuer"] = [sp for sp in meta_spans["issuer"] if not _owner_of_other(low, sp, named)]
    asks = tuple(name for name, found in meta_spans.items() if found)
    window = time_window(expanded, low, [r.span for r in refs])
    role_m = ROLE.search(_role_stops_checked(expanded, low))
    if role_m and role_m.group("work") and not _opens_with_body(expanded, role_m.start("role")):
        # "tôi công tác ở Bộ phận Cơ yếu của Văn phòng …": a unit no document names is not a role the
        # store knows — the question is read by the body it names (its words stay words of the topic)
        role_m = None
    text_role = expanded[role_m.start("role"):role_m.end("role")].strip() if role_m else None
    role_end = role_m.end("role") if role_m else 0
    if role_m and (longer := _name_across(expanded, role_m.start("role"), role_end)) is not None:
        # "Tôi là Sở Giáo dục và Đào tạo, …": a body whose name holds "và" is not cut at it
        text_role, role_end = expanded[role_m.start("role"):longer].strip(), longer
    capacity = _second_capacity(expanded, low, role_end) if role_m else None
    if capacity is not None:
        # "Tôi là giáo viên, đảng viên sinh hoạt ở chi bộ trường THCS, …": who asks, in both capacities
        # (';' parts them for the role matcher: a comma may stand inside one name, "cán bộ, đảng viên")
        text_role, role_end = f"{text_role}; {expanded[capacity[0]:capacity[1]]}", capacity[1]
    asked_body = _asked_body(expanded, low) if text_role is not None and role is None else None
    if asked_body is not None:
        # "Tôi là đại biểu HĐND tỉnh. Chỉ thị 30 giao Đảng đoàn HĐND tỉnh những việc gì?": the body
        # the duties are asked of is the role, not the asker's own post
        text_role = asked_body[0]
    stated_role = role or text_role
    condition = has(CONDITION)
    deadline_cue = has(DEADLINE) and not condition and "date" not in asks
    yesno = bool(YESNO_START.search(low)) or any(cue_ok(expanded, m.span()) for m in YESNO_END.finditer(low))
    if yesno and deadline_cue and not has(WHEN_ASKED):
        deadline_cue = False  # "có phải chờ thời hạn 15 ngày không?": whether, not when
    om = ORDINAL_RE.search(low)

    blanked = spans(QUESTION_PHRASES) + spans(DEADLINE) + spans(DUTY) + spans(ORDINAL_RE)
    blanked += [d.span for d in named if not d.object] + [r.span for r in refs] + citing
    # Metadata cues say what is asked of a document, not what it is about; they stay in the search
    # text ("căn cứ", "nơi nhận" are words of the very lines that answer).
    meta = [sp for found in meta_spans.values() for sp in found]
    role_span = ([(role_m.start(), role_end)] if role_m else []) + ([asked_body[1]] if asked_body else [])
    if role_m and asked_body is None and (place := _WORKPLACE.match(low, role_end)):
        role_span.append(place.span())
    if role_m and (link := _ROLE_LINK.match(low, max(b for _, b in role_span))):
        role_span.append(link.span())  # "tôi là bí thư đoàn xã thì …": the link after who asks, no topic word
    topic = _blank(expanded, blanked + meta + role_span)
    # "Chỉ thị 15-CT/TU tỉnh ủy Kim Thành về vấn đề gì": the committee after a named document is its
    # issuer, words of the document's name, not of a topic inside it.
    issuers = [m.span() for d in named if not d.object
               for m in [_ISSUER_AFTER.match(low, d.span[1])] if m and m.end() > m.start()]
    # "Nghị quyết 15-NQ/ĐU về quân sự quốc phòng 2028 gửi đến những nơi nào": what the document is
    # about, said to name it, up to what is asked of it
    issuers += _described_as(named, [sp for found in meta_spans.values() for sp in found], low)
    topic_size = len(set(syllables(_blank(expanded, blanked + meta + role_span + issuers))) - STOP_SYLLABLES)
    if topic_size > META_TOPIC_MAX:
        # "do cơ quan nào ban hành" asks only about a document; "về việc gì" may ask about a task in it
        asks = tuple(a for a in asks if a != "subject" and (a != "issuer" or not named or topic_size <= 2 * META_TOPIC_MAX))
        # "gửi những nơi nào" after what is sent ("báo cáo kết quả gửi những cơ quan nào") asks a duty's
        # addressee; only "nơi nhận", or the verb alone with the document, asks its recipients
        if "recipients" in asks and not re.search(r"\bnoi nhan\b", low):
            asks = tuple(a for a in asks if a != "recipients")
    if asks and "date" not in asks and _AND_WHEN.search(low):
        asks += ("date",)  # "do ai ký, ngày nào", "là kế hoạch số mấy, ngày nào"
    # "về việc gì", "của ai": about a document only when one is named or described by its kind
    # ("số ký hiệu của kế hoạch học tập … năm 2024 là gì"); the composer finds the described one.
    described = _DESCRIBED.search(low) is not None
    if not named and not _pointer(low) and not described:
        asks = tuple(a for a in asks if a not in ("subject", "issuer", "number"))
    # A stated role makes a duty question; a yes/no question stays one ("tôi là …, tôi có phải … không?")
    # unless it also asks what to do.
    # "Ban Tuyên giáo Tỉnh ủy phải làm gì?", "Chỉ thị 30 giao Đảng đoàn HĐND tỉnh những việc gì?":
    # the body or post the duty question is about is asked about like a role.
    subject_role = False
    duty_cue = has(DUTY) or _tasks_given(expanded, low)
    if stated_role is None and duty_cue:
        stated_role = _subject_actor(expanded, [d.span for d in named]) or _lone_post(expanded)
        text_role, subject_role = stated_role, stated_role is not None
    # A role the caller states apart from the text (the web chat's remembered role) makes a duty
    # question only when the question asks what to do; content, metadata and other questions are
    # answered as if no role were set.
    # A role stated with another question ("Tôi là bí thư chi bộ, kế hoạch … phải gửi trước ngày nào?",
    # "… cơ quan tôi nhận những phản ánh nào?") asks that question, the role saying whose duty to prefer.
    other_ask = deadline_cue or list_cue(expanded, low)
    duty_asked = duty_cue or asked_body is not None  # "… giao Đảng đoàn HĐND tỉnh những việc gì?"
    role_question = (text_role is not None and (not yesno or duty_cue) and (duty_asked or not other_ask)) \
        or (role is not None and duty_cue)
    # A body the question is about, with a time window: the duties due then, narrowed to that body.
    window_list = window_list_cue(expanded, low)
    # (a whole year, "… phụ trách những việc gì năm 2027", is the year's plan: the post's duties that year,
    # dated or not — a role question; a narrower time asks what falls due then)
    kind = _kind(has, refs, asks, window, role_question and not (subject_role and window is not None and window_list
                                                                 and not _whole_year(window)),
                 deadline_cue, yesno, list_cue(expanded, low), window_list)
    if kind == "deadline" and STATUS.search(low):
        kind = "yesno"  # "đã xong chưa, xong khi nào?" (the words between are the topic: no cue check)
    if window is not None and kind in ("timewindow", "role"):
        # The time only says which duties are asked for: a filter, not a subject (it stays in the
        # search text: passages stating "Quý II/2024" are the ones to find).
        topic = _blank(expanded, blanked + meta + role_span + [window.span])
    # The stated role's words stay in the search text: they find the passages that name the role.
    search_text = _blank(expanded, blanked)
    if not set(syllables(search_text)) - STOP_SYLLABLES:
        search_text = expanded  # nothing but names and cues ("điều 4 qđ 144?"): search with all of it
    # "Đối tượng giám sát theo quy chế của UBKT Tỉnh ủy gồm những ai?": the source phrase names the
    # document drawn on (answers find it by its face), and the search looks for the subject alone —
    # the source's words match every sentence that cites that document.
    source = source_phrase(low) if not named else None
    if source is not None:
        rest = _blank(expanded, blanked + [source])
        if len(set(syllables(rest)) - STOP_SYLLABLES) >= SOURCE_SUBJECT_MIN:
            search_text = rest
        else:
            source = None
    parts: list[ParsedQuestion] = []
    pointer = _pointer(low)
    if not _part:
        token = _TYPED_FOLDED.set(folded_input)
        clauses = _own_subjects(_clauses(expanded, low), role)
        contrast = any(_CONTRAST.match(fold(c).lower()) for c in clauses[1:])
        # (a statement naming a commune before the questions is their subject, not a level asked)
        levels = {m.group("level") for c in clauses for m in LEVEL_ASKER.finditer(fold(c).lower())} | {
            lv for c in clauses if _asks(c) for lv in _levels_asked(c)}
        if len(levels) >= 2 and not contrast:
            # "Huyện ủy yêu cầu … trước ngày nào, và Đảng ủy xã … giao … hạn nào?": each level's clause
            # asks the same of its documents; a statement before them ("Thôn X chưa có tổ …") is their
            # shared subject, not a question of its own.
            said = " ".join(c for c in clauses if not _asks(c))
            clauses = [c for c in clauses if _asks(c)]
            # "sơ tuyển ở xã: CT của tỉnh cho hạn đến khi nào, KH huyện bắt xong trước ngày nào": the
            # subject stated before a colon is every clause's
            head, colon, rest = clauses[0].partition(":") if clauses else ("", "", "")
            if colon and rest.strip() and not _asks(head) and not _levels_asked(head):
                said, clauses = f"{said} {head}".strip(), [rest.strip(), *clauses[1:]]
            clauses = [f"{c} ({said})" if said else c for c in clauses]
            contrast = len(clauses) >= 2
        if len(clauses) >= 2 and (len({(d.number, d.code) for d in named if not d.object}) >= 2 or pointer
                                  or (contrast and (any(_levels_asked(c) for c in clauses)
                                                    # "… trước ngày nào, còn UBKT Tỉnh ủy … trước ngày nào?"
                                                    or all(WHEN_ASKED.search(fold(c).lower()) for c in clauses)))
                                  or _two_questions(clauses, role, expanded.count("?") + len(_ASKED_AND_RX.findall(low)))):
            parts = []
            for c in clauses:
                if parts and _CONTRAST.match(fold(c).lower()):
                    # "…, còn KH 42 đặt hạn nào?" asks the same thing of another document or body: the
                    # clause carries the previous clause's subject words (not its times or asker).
                    c = f"{c} ({shared_words(parts[-1])})"
                parts.append(parse_question(c, role=role, _part=True))
        if not parts:
            parts = _compared(expanded, low, named, role)
        if not parts and stated_role is None and not duty_cue:
            # (a role's duties, or duties asked of a body, carry their own times: one question)
            parts = _facets(expanded, low, role)
        _TYPED_FOLDED.reset(token)
    also_asks = _also_asks(expanded, low, spans(DUTY), role_span + [d.span for d in named]) \
        if kind == "role" and stated_role is not None else ""
    return ParsedQuestion(
        also_asks=also_asks,
        text=text, expanded=expanded, typed_without_diacritics=folded_input, kind=kind, role=stated_role,
        named=named, sections=refs, asks=asks, window=window,
        ordinal=ORDINALS[om.group(1)] if om else None, yesno=yesno, deadline_cue=deadline_cue,
        duration=duration_unit(low),
        topic=topic, words=[] if folded_input else words(search_text),
        folded=folded_terms(search_text), search_text=search_text,
        defines=None if ASKS_NAME.search(low) else defined_term(low), asks_name=bool(ASKS_NAME.search(low)),
        section_doc=_section_owner(refs, named, low),
        parts=parts, pointer=pointer, source=expanded[source[0]:source[1]] if source else None, outline=None if refs or _subject_before_source(low) else outline_level(low, expanded),
    )
