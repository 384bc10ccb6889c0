"""Obligations: who must do what, by when — from the sentences of a Party document.

Rules over the text and its section tree (DESIGN §7), in three passes:

1. Each body sentence is analysed on its own: is it an obligation at all (headings, preambles,
   lists of documents, definitions and narrative sentences are not); its subject (actor noun
   phrases matched against the gazetteer of ingest/data/actors.yaml); the people a subject makes
   act ("tổ chức cho cán bộ, đảng viên … xây dựng kế hoạch"); the action (the predicate as written);
   the modality; the deadline and recurrence (ingest.deadlines, with the plan's year).
2. A sentence without a subject inherits one: inside a bullet item, from the item's first sentence
   with a subject; otherwise from its section's lead sentence (the first one with a subject), then
   from the parent sections' leads; a regulation whose title names only people ("Chuẩn mực đạo đức
   … của cán bộ, đảng viên") lends them to its subjectless articles. Nothing found → no actors: an
   empty list is honest, an invented actor is the worst bug.
3. Exceptions: footnotes that narrow who is bound ("Trừ đảng viên được miễn sinh hoạt; …") attach to
   every obligation of the section holding their marker; inline "(trừ …)" to their own sentence.

A deadline is only ever taken from the obligation's own sentence (never inherited, never guessed),
so `deadline.text` is always a substring of the quote `doc.text[start:end]`.

underthesea's POS tagger is used for one decision only: whether a sentence without subject or
modal verb starts with a verb (an imperative task of a plan: "Tăng cường kiểm tra …") or not
("Những thành tựu này khẳng định …"). It is loaded lazily.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .actors import ActorMention, actor, find_actor_spans, find_actors, folded
from .deadlines import find_deadlines
from .models import Deadline, Document, Obligation, Sentence, Span
from .normalize import fold

__all__ = ["extract_obligations", "plan_year", "MODALITY_POLARITY"]

# What each modality means for the reader: must / must not / encouraged / may.
MODALITY_POLARITY = {
    "phải": "must",
    "có trách nhiệm": "must",
    "cần": "must",
    "thực hiện": "must",
    "tiếp tục": "must",
    "nghiêm cấm": "must not",
    "không được": "must not",
    "chấm dứt": "must not",
    "khuyến khích": "encouraged",
}

_SUPERSCRIPTS = "\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079"
_GAP = rf"[\s{_SUPERSCRIPTS}]*"  # footnote markers sit inside noun phrases: "đảng viên², công chức"

# Words that may follow an actor inside a subject noun phrase without ending it (folded text):
# levels ("cấp tỉnh, cấp huyện", "các cấp", "từ tỉnh đến cơ sở"), attachment ("trực thuộc tỉnh"),
# competence ("có thẩm quyền"), place ("tỉnh", also the typo "tinh"), grassroots units ("cơ sở").
_MODIFIER = re.compile(
    r"(?:(?:cac|moi) cap|cap (?:tinh|huyen|xa|co so|tren(?: truc tiep)?|trung uong)"
    r"|(?:tu|o) (?:tinh|trung uong|huyen) (?:den|toi) (?:co so|xa)"
    r"|truc thuoc(?: (?:tinh|huyen|trung uong)(?: uy)?)?|cung cap|co tham quyen|co lien quan|lien quan"
    r"|tren dia ban(?: (?:tinh|huyen|xa))?|trong (?:toan )?tinh|o (?:dia phuong|co so)"
    r"|viet nam|tinh|huyen|xa|co so|thanh pho|cac dia phuong|dia phuong)(?![0-9a-z])"
)
_DETERMINER = re.compile(r"(?:(?:cac|nhung|moi|toan the|tat ca|tung|cung)\s+)*")
_MODIFIER_GAP = re.compile(rf"{_GAP}(?:,\s*)?")
_CONNECTOR = re.compile(rf"{_GAP}(?:(,)|(\s(?:va|hoac|cung voi|cung)\s)){_GAP}")

# Causatives: the noun phrase right after them names people the subject makes act.
_CAUSATIVE = re.compile(r"(?<![0-9a-z])(?:to chuc cho|yeu cau|de nghi|giao cho|giao|chi dao)\s+")

# A clause that opens with one of these is an adverbial; its subject comes after a comma or "thì".
_ADVERBIAL = re.compile(
    r"^(?:khi|sau khi|truoc khi|trong khi|ngay sau khi|neu|truong hop|trong truong hop|can cu|tren co so"
    r"|de|hang (?:nam|quy|thang)|dinh ky|cham nhat|truoc ngay|trong thoi han|trong vong|sau|qua|theo"
    r"|trong|ke tu|tai|doi voi|rieng)(?![0-9a-z])"
)

# Deontic markers, searched in the predicate (original lower-cased text).
_DEONTIC = re.compile(
    r"(?<!\w)(nghiêm cấm|cấm|không được|phải|có trách nhiệm|cần)(?!\w)(?! thiết)(?! chăng)"
)
_LEADING_MODAL = re.compile(r"^(?:(?:chủ động|tích cực|kịp thời)\s+)?(khuyến khích|tiếp tục|chấm dứt)(?!\w)")
_DESCRIPTIVE = re.compile(r"^(?:đã|đang|vẫn|luôn|từng|sẽ|chưa)(?!\w)")
_COPULA = re.compile(r"^(?:là|gồm|bao gồm)(?!\w)")

_DOC_TYPES = (r"Kết luận|Quy định|Chỉ thị|Nghị quyết|Hướng dẫn|Kế hoạch|Quyết định|Thông báo|Thông tri|"
              r"Công văn|Điều lệ|Quy chế|Luật|Nghị định|Thông tư|Chương trình|Đề án|Văn bản")
# A list of documents, not a task: "Quy định số 101-QĐ/TW, ngày …", "Kết luận số 01-KL/TW; …".
_DOC_LIST = re.compile(rf"^(?:{_DOC_TYPES})\s+(?:số\s+)?\d", re.I)
# The preamble's basis and enacting lines: "Căn cứ …", "Thực hiện Hướng dẫn số …", "… như sau:".
_BASIS = re.compile(rf"^(?:Căn cứ|Thực hiện|Theo|Xét|Xem xét|Trên cơ sở)\s+(?:\S+\s+){{0,3}}?(?:{_DOC_TYPES}|báo cáo|ý kiến|đề nghị|tờ trình)", re.I)
_ENACTING = re.compile(r"như sau\s*:?\s*$", re.I)
# "Quy định này quy định …", "Kế hoạch này …": scope statements.
_SCOPE = re.compile(rf"^(?:{_DOC_TYPES})\s+này(?!\w)", re.I)
_TERMINAL = re.compile(r"[.;:!?…]['\"”’»)\]]*\s*$")
_EXCEPTION_START = re.compile(r"^\s*(?:ngoại\s+)?trừ\b|^\s*không\s+(?:áp\s+dụng|bao\s+gồm|tính)\b", re.I)
_INLINE_EXCEPTION = re.compile(r"\((?:ngoại\s+)?trừ\s[^()]*\)|\(không\s+(?:áp\s+dụng|bao\s+gồm)\s[^()]*\)", re.I)
_AIMS_TITLE = re.compile(r"^(?:mục đích|mục tiêu|quan điểm|phạm vi|đối tượng)", re.I)
_LABEL = re.compile(r"^([^\s:;][^:;]{0,60}):\s+")
_BULLET = re.compile(r"^\s*(?:[-+•–]|\d{1,2}(?:\.\d{1,2})*\s*[.\-–)]|[a-zđ]\)|[IVX]{1,5}\s*[.\-–])\s*$")


# ---------------------------------------------------------------------------------------------
# The plan's year


def plan_year(doc: Document) -> int | None:
    """The year undated deadlines belong to: the year the title names ("Kế hoạch … năm 2024",
    issued 2023-12-18, targets 2024), else the issue year."""
    if doc.title:
        years = [int(m.group(1)) for m in re.finditer(r"(?<!tháng )(?<!\d )năm\s+(\d{4})(?!\d)", doc.title)
                 if not re.search(r"tháng\s+\d{1,2}\s+$", doc.title[: m.start()])]
        if years:
            return years[-1]
    return doc.year


# ---------------------------------------------------------------------------------------------
# Units: body sentences, with a sentence wrongly split before a lower-case word joined back


@dataclass
class _Unit:
    start: int
    end: int
    section: str | None
    kind: str  # body | footnote
    para: int  # paragraph number
    bullet: bool  # the paragraph is a list item ("- …", "a) …")
    text: str = ""
    # analysis
    skip: str | None = None  # why it is not an obligation
    subject: list[str] = field(default_factory=list)
    causees: list[str] = field(default_factory=list)
    pred: int = 0  # where the action starts, relative to the unit
    inline_exceptions: list[str] = field(default_factory=list)
    deontic: str | None = None

    @property
    def own(self) -> list[str]:
        return list(dict.fromkeys(self.subject + self.causees))


def _units(doc: Document) -> list[_Unit]:
    text = doc.text
    units: list[_Unit] = []
    para = 0
    prev: Sentence | None = None
    for s in doc.sentences:
        if s.kind not in ("body", "footnote"):
            prev = None
            continue
        gap = text[prev.end:s.start] if prev else "\n"
        first_alpha = next((c for c in text[s.start:s.end] if c.isalpha()), "")
        # The sentence splitter cuts before a lower-case word after "…" or an abbreviation
        # ("công tác,... để ăn uống"): a sentence cannot start in lower case, so it continues the last.
        if (units and prev is not None and first_alpha.islower() and "\n" not in gap
                and units[-1].section == s.section and units[-1].kind == s.kind):
            units[-1].end = s.end
            prev = s
            continue
        if "\n" in gap or prev is None or prev.section != s.section:
            para += 1
            line_start = text.rfind("\n", 0, s.start) + 1
            bullet = bool(_BULLET.match(text[line_start:s.start])) and line_start < s.start
        else:
            bullet = units[-1].bullet if units else False
        units.append(_Unit(s.start, s.end, s.section, s.kind, para, bullet))
        prev = s
    for u in units:
        u.text = text[u.start:u.end]
    return units


# ---------------------------------------------------------------------------------------------
# Clauses and noun phrases


def _enclosed(sentence: str) -> list[tuple[int, int]]:
    """Spans (open, close) of balanced brackets and quotes. Documents leave brackets open ("(bao
    gồm: …" never closed): an unmatched opening bracket encloses nothing."""
    pairs, stack = [], []
    for i, c in enumerate(sentence):
        if c in "([“":
            stack.append((c, i))
        elif c in ")]”":
            want = {")": "(", "]": "[", "”": "“"}[c]
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == want:
                    pairs.append((stack[k][1], i))
                    del stack[k:]
                    break
    return pairs


def _inside_mask(sentence: str) -> list[bool]:
    inside = [False] * len(sentence)
    for a, b in _enclosed(sentence):
        for i in range(a, b + 1):
            inside[i] = True
    return inside


def _clauses(sentence: str) -> list[tuple[int, int]]:
    """Spans of the clauses of a sentence: split at ";" and ":" outside brackets and quotes."""
    inside = _inside_mask(sentence)
    spans, start = [], 0
    for i, c in enumerate(sentence):
        if c in ";:" and not inside[i]:
            spans.append((start, i + 1))
            start = i + 1
    if start < len(sentence):
        spans.append((start, len(sentence)))
    return [(s, e) for s, e in spans if sentence[s:e].strip(" ;:.")]


def _masked(sentence: str) -> str:
    """Same length; text inside balanced brackets and quotes blanked, so no subject, modal verb
    or deadline is read from a title or an aside."""
    inside = _inside_mask(sentence)
    return "".join(" " if inside[i] else c for i, c in enumerate(sentence))


@dataclass
class _Item:
    start: int
    end: int
    actors: tuple[str, ...]
    after_va: bool  # joined to the previous item by "và"/"hoặc"
    after_comma: bool


def _run(f: str, pos: int, mentions: dict[int, ActorMention]) -> tuple[list[_Item], int]:
    """Actor items of a noun phrase starting at `pos` of the folded clause: "Các tổ chức đảng, cơ
    quan, đơn vị, Mặt trận Tổ quốc và các tổ chức chính trị - xã hội từ tỉnh đến cơ sở". Returns
    the items and where the phrase ends."""
    items: list[_Item] = []
    p = pos + _DETERMINER.match(f, pos).end() - pos
    after_va = after_comma = False
    end = pos
    while True:
        m = mentions.get(p)
        if m is None:
            break
        items.append(_Item(m.start, m.end, m.actors, after_va, after_comma))
        end = p = m.end
        # modifiers, possibly several and comma-separated: "cấp tỉnh, cấp huyện"
        while True:
            q = _MODIFIER_GAP.match(f, p).end()
            mm = _MODIFIER.match(f, q) if q > p else None
            if not mm:
                break
            end = p = mm.end()
        c = _CONNECTOR.match(f, p)
        if not c:
            break
        q = c.end()
        q += _DETERMINER.match(f, q).end() - q
        if q not in mentions:
            break
        after_comma, after_va = bool(c.group(1)), bool(c.group(2))
        p = q
    return items, end


def _lists(items: list[_Item]) -> list[list[_Item]]:
    """Split a run of items into lists: "A, B và C" ends at C, so in "…, cán bộ chủ chốt và cán bộ,
    đảng viên, Ban Thường trực …, các tổ chức …" the subject starts at "Ban Thường trực"."""
    lists, cur = [], []
    for it in items:
        cur.append(it)
        if it.after_va:
            lists.append(cur)
            cur = []
    if cur:
        lists.append(cur)
    return lists


def _names(items: list[_Item]) -> list[str]:
    out: list[str] = []
    for it in items:
        out.extend(it.actors)
    return out


def _mentions(clause: str) -> dict[int, ActorMention]:
    return {m.start: m for m in find_actor_spans(clause)}


def _topic_actors(clause: str, masked: str) -> tuple[list[str], int]:
    """"Đối với <topic> … phải …": the people the topic names, and where the predicate starts.
    In the topic, "A là B" names B ("cá nhân là lãnh đạo chủ chốt"); after "bao gồm" only posts
    count ("bí thư đảng ủy, … chủ tịch UBND cấp xã"): the bodies there say where the posts are.
    Whatever sits in a closed bracket ("(trừ chi bộ thôn, bản, tổ dân phố)") is an aside."""
    m = _DEONTIC.search(masked.lower(), 9)
    pred = m.start() if m else -1
    if pred < 0:
        comma = masked.find(",", 9)
        pred = comma + 1 if comma > 0 else len(clause)
    topic_f = folded(clause[:pred])
    enum = re.search(r"(?<![0-9a-z])(?:bao gom|gom)(?![0-9a-z])", topic_f)
    names: list[str] = []
    for ment in find_actor_spans(clause[:pred]):
        aside = any(a < ment.start and ment.end <= b and not re.match(r"\(\s*(?:bao gom|gom)", topic_f[a:b])
                    for a, b in _enclosed(clause[:pred]))
        if aside:
            continue
        if enum and ment.start > enum.start():
            if ment.kind != "position":
                continue
        elif re.match(r"\s+la(?![0-9a-z])", topic_f[ment.end:]):
            continue  # "cá nhân là lãnh đạo chủ chốt": the apposition names the category
        names.extend(ment.actors)
    while pred < len(clause) and clause[pred] in " ,":
        pred += 1
    return list(dict.fromkeys(names)), pred


@dataclass
class _Subject:
    actors: list[str]
    pred: int  # relative to the clause
    copular: bool = False
    label: bool = False


def _subject(clause: str) -> _Subject | None:
    """The subject of one clause, if it names actors."""
    masked = _masked(clause)
    f = folded(masked)
    lead = len(f) - len(f.lstrip(" -–+•"))
    if f.startswith("doi voi", lead):
        names, pred = _topic_actors(clause, masked)
        return _Subject(names, pred) if names else None
    mentions = _mentions(masked)
    # 1. A noun phrase of actors opening the clause.
    items, end = _run(f, lead, mentions)
    if items:
        rest = clause[end:].lstrip(" ," + _SUPERSCRIPTS)
        pred = len(clause) - len(rest)
        if rest.startswith(":"):
            return _Subject([], pred, label=True)  # "Báo cáo viên: …" is a label, not a subject
        return _Subject(_names(items), pred, copular=bool(_COPULA.match(rest.lower())))
    # 2. After a fronted adverbial ("Khi …, ", "Chậm nhất 20 ngày …, ", "Trường hợp … thì "):
    #    the last list of an actor phrase that follows a comma or "thì".
    adverbial = _ADVERBIAL.match(f, lead) or _starts_with_deadline(clause, lead)
    if not adverbial:
        return None
    pos = 0
    while pos < len(f):
        m = mentions.get(pos)
        if m is None:
            pos += 1
            continue
        start_pos = pos
        back = f[:start_pos].rstrip()
        back = re.sub(r"(?:(?:cac|nhung|moi|toan the|tat ca|tung)\s*)+$", "", back).rstrip()
        items, end = _run(f, start_pos, mentions)
        if not items:
            pos = m.end
            continue
        last = _lists(items)[-1]
        first = last[0]
        if first is items[0]:
            opens = back.endswith(",") or bool(re.search(r"(?<![0-9a-z])thi$", back))
        else:
            opens = first.after_comma
        if opens:
            rest = clause[end:].lstrip(" ," + _SUPERSCRIPTS)
            pred = len(clause) - len(rest)
            return _Subject(_names(last), pred, copular=bool(_COPULA.match(rest.lower())))
        pos = end if end > pos else pos + 1
    return None


def _starts_with_deadline(clause: str, lead: int) -> bool:
    found = find_deadlines(clause)
    return bool(found) and found[0].span is not None and found[0].span.start <= lead + 1


def _causees(clause: str) -> list[str]:
    masked = _masked(clause)
    f = folded(masked)
    mentions = _mentions(masked)
    out: list[str] = []
    for m in _CAUSATIVE.finditer(f):
        items, _ = _run(f, m.end(), mentions)
        out.extend(_names(items))
    return out


# ---------------------------------------------------------------------------------------------
# Is it a task? (POS, lazily)


@lru_cache(maxsize=4096)
def _starts_with_verb(text: str) -> bool:
    """True when the sentence opens with a verb phrase (an imperative task of a plan)."""
    try:
        from .tokenize import underthesea

        pos_tag = underthesea().pos_tag
    except Exception:  # pragma: no cover - underthesea is a dependency; without it, be permissive
        return True
    # The tagger reads a capitalised first word as a proper noun: lower-case it first.
    head = text[:120]
    head = head[:1].lower() + head[1:]
    tags = [(w, t) for w, t in pos_tag(head) if t not in ("CH",)]
    if not tags:
        return False
    if tags[0][1] in ("L", "E", "C", "P", "Cc", "Nc", "M"):
        return False  # "Những thành tựu …", "Qua hơn 35 năm …", "Nếu …": not a command
    for w, t in tags[:3]:
        if w.lower() in ("đã", "đang", "luôn", "vẫn"):
            return False
        if t == "V":
            return True
    return False


# ---------------------------------------------------------------------------------------------
# Pass 1: one sentence


def _analyse(u: _Unit, doc: Document, aims: bool) -> None:
    text = u.text
    stripped = text.strip()
    if not any(c.isalpha() for c in stripped):
        u.skip = "no words"
        return
    if u.kind == "footnote" and _EXCEPTION_START.match(stripped):
        u.skip = "exception"
        return
    label = _LABEL.match(stripped)
    body = stripped[label.end():] if label else stripped
    if _DOC_LIST.match(body) or _DOC_LIST.match(stripped):
        u.skip = "list of documents"
        return
    if _SCOPE.match(stripped):
        u.skip = "scope statement"
        return
    if u.section is None or u.kind == "footnote":
        if _BASIS.match(stripped) or _ENACTING.search(stripped):
            u.skip = "preamble"
            return
    if _ENACTING.search(stripped):
        u.skip = "introduces what follows"
        return
    if stripped.isupper():
        u.skip = "heading"
        return
    if not _TERMINAL.search(stripped):
        # Body text ends in punctuation; a line without it is a title set as a paragraph
        # ("Tổ chức nghiên cứu, học tập, quán triệt …") or an introduction cut short.
        u.skip = "title line (no final punctuation)"
        return

    clauses = _clauses(text)
    lead = len(text) - len(text.lstrip(" -–+•"))
    if folded(text[lead:lead + 7]) == "doi voi":
        # "Đối với <topic> … phải …": the topic may hold its own list ("(bao gồm: …; …; …)", often
        # left unclosed) — it is one clause up to the modal verb.
        dm = _DEONTIC.search(_masked(text).lower(), lead + 7)
        if dm:
            clauses = [(0, dm.end())] + [(a, b) for a, b in _clauses(text[dm.end():])]
            clauses = [clauses[0]] + [(a + dm.end(), b + dm.end()) for a, b in clauses[1:]]
    subjects: list[str] = []
    pred: int | None = None
    copular = False  # "Báo cáo viên là các đồng chí …": a definition, unless another clause commands
    for cs, ce in clauses:
        sub = _subject(text[cs:ce])
        if sub is None or sub.label:
            continue
        if sub.copular:
            copular = True
            continue
        subjects.extend(sub.actors)
        if pred is None:
            pred = cs + sub.pred
    for cs, ce in clauses:
        u.causees.extend(_causees(text[cs:ce]))
    u.subject = list(dict.fromkeys(subjects))
    u.causees = [c for c in dict.fromkeys(u.causees) if c not in u.subject]
    if pred is None:
        pred = label.end() + (len(text) - len(text.lstrip())) if label else len(text) - len(text.lstrip())
    u.pred = pred

    predicate = _masked(text[pred:]).lower().strip(" ,")
    # The modal verb of the predicate, else one anywhere outside brackets and quotes ("Việc tổ
    # chức cưới hỏi … phải thực hiện …" has no actor subject but is a must).
    masked_low = _masked(text).lower()
    dm = _DEONTIC.search(masked_low, max(0, pred - 1)) or _DEONTIC.search(masked_low)
    u.deontic = dm.group(1) if dm else None
    u.inline_exceptions = _inline_exceptions(text)

    if copular and not u.subject:
        u.skip = "definition"
        return
    if aims and u.deontic is None:
        u.skip = "aims"
        return
    if u.deontic:
        return
    if _DESCRIPTIVE.match(predicate):
        u.skip = "narrative"
        return
    if u.subject:
        return
    if _dated(text, doc):
        return
    start_text = text[pred:].lstrip(" -–+•")
    if not _starts_with_verb(start_text):
        u.skip = "not a task"


def _dated(text: str, doc: Document) -> bool:
    return any((d.end or d.relative) for d in _deadlines(text, doc))


def _inline_exceptions(text: str) -> list[str]:
    """"Người đứng đầu chi bộ (trừ chi bộ thôn, bản, tổ dân phố)": the phrase the bracket narrows,
    with the bracket, as one exception."""
    out = []
    for m in _INLINE_EXCEPTION.finditer(text):
        i = m.start()
        depth = 0
        j = i - 1
        while j >= 0:
            c = text[j]
            if c == ")":
                depth += 1
            elif c == "(":
                if depth == 0:
                    break
                depth -= 1
            elif c in ";:" and depth == 0:
                break
            j -= 1
        phrase = text[j + 1:m.end()].strip(" ,")
        out.append(phrase)
    return out


# ---------------------------------------------------------------------------------------------
# Deadlines


def _in_quotes(text: str, pos: int) -> bool:
    before = text[:pos]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


# "Kết luận số 01-KL/TW giai đoạn 2021-2025", "Chuyên đề năm 2024": the period of a document.
_AFTER_DOC = re.compile(r"(?:\d{1,4}\s?-\s?[A-ZĐa-zđ]{1,6}(?:/[A-ZĐa-zđ]{1,8}){1,2}|[Cc]huyên đề|[Đđ]ợt \d+)\s*,?\s*$")


def _deadlines(text: str, doc: Document) -> list[Deadline]:
    out = []
    for d in find_deadlines(text, plan_year(doc)):
        if d.span is None:
            continue
        if _in_quotes(text, d.span.start) or _AFTER_DOC.search(text[: d.span.start]):
            continue
        if d.start and d.end and (d.end - d.start).days > 366:
            # A multi-year span ("giai đoạn 2023 - 2025") names a programme's period; it is a time
            # frame for the action only when introduced as one ("trong giai đoạn …").
            if not re.search(r"(?:trong|hoàn thành|thực hiện)\s+$", text[: d.span.start], re.I):
                continue
        out.append(d)
    return out


def _rank(d: Deadline) -> int:
    if d.relative:
        return 0
    if d.end and d.start is None:
        return 0  # "trước ngày 15/01/2024", "chậm nhất …", "cuối năm"
    if d.start and d.end and (d.end - d.start).days <= 92:
        return 0  # a month, a quarter
    if d.start and d.end:
        return 1  # a year, a half year
    return 9


def _primary(ds: list[Deadline]) -> tuple[Deadline | None, str | None]:
    dated = [d for d in ds if (d.end or d.relative) and not d.recurrence]
    best = min(dated, key=_rank) if dated else None  # min keeps the first of equal rank
    recurrence = next((d.recurrence for d in ds if d.recurrence), None)
    return best, recurrence


def _doc_span(d: Deadline, offset: int) -> Deadline:
    """The same deadline with its span in document coordinates."""
    span = Span(d.span.start + offset, d.span.end + offset) if d.span else None
    return Deadline(d.text, d.start, d.end, d.relative, d.recurrence, d.exclusive_end, span)


# ---------------------------------------------------------------------------------------------
# Modality and action


def _modality(u: _Unit) -> str:
    pred = u.text[u.pred:].lstrip(" ,-–+•")
    lm = _LEADING_MODAL.match(pred.lower())
    if u.deontic:
        d = "nghiêm cấm" if u.deontic == "cấm" else u.deontic
        # "Tiếp tục … phải …" is still a must; the deontic marker wins over a leading one
        return d
    if lm:
        return lm.group(1)
    return "thực hiện"


def _action(u: _Unit) -> str:
    pred = u.text[u.pred:]
    label = _LABEL.match(pred.lstrip())
    if label and not u.subject:
        pred = pred.lstrip()[label.end():]
    return pred.strip(" ,-–+•").rstrip(" .;:")


# ---------------------------------------------------------------------------------------------
# Pass 2 and 3: inheritance, exceptions


def _section_chain(doc: Document, path: str | None) -> list[str | None]:
    chain: list[str | None] = []
    seen = set()
    while path is not None and path not in seen:
        seen.add(path)
        chain.append(path)
        sec = doc.section(path)
        path = sec.parent if sec else None
    chain.append(None)
    return chain


_CENTRAL = {"Bộ Chính trị", "Ban Bí thư", "Ban Chấp hành Trung ương"}


def _document_people(doc: Document) -> list[str]:
    """A regulation whose title names only people ("chuẩn mực đạo đức cách mạng của cán bộ, đảng
    viên") binds them in its subjectless articles. A title that also names bodies is ambiguous
    (who supervises whom?) and lends nothing."""
    if not doc.title:
        return []
    names = [n for n in find_actors(doc.title) if n not in _CENTRAL and n not in set(find_actors(doc.issuer or ""))]
    if not names or any((actor(n).kind == "body") for n in names if actor(n)):
        return []
    return names


def _is_aims(doc: Document, path: str | None) -> bool:
    for p in _section_chain(doc, path):
        sec = doc.section(p) if p else None
        if sec and _AIMS_TITLE.match(sec.title.strip()):
            return True
    return False


def extract_obligations(doc: Document) -> list[Obligation]:
    units = _units(doc)
    for u in units:
        _analyse(u, doc, _is_aims(doc, u.section))

    # Section leads: the first analysed sentence of a section with a subject of its own.
    leads: dict[str | None, list[str]] = {}
    for u in units:
        if u.kind == "body" and u.skip is None and u.subject and u.section not in leads:
            leads[u.section] = u.own
    doc_people = _document_people(doc)
    para_first: dict[int, list[str]] = {}
    by_marker: dict[int, list[str]] = {}  # footnote number → actors of the sentence holding its marker

    resolved: dict[int, list[str]] = {}
    for i, u in enumerate(units):
        if u.kind != "body":
            continue
        acts = u.own
        if not acts and u.bullet and u.para in para_first:
            acts = para_first[u.para]  # a list item's later sentences: its own first subject
        if not acts:
            for p in _section_chain(doc, u.section):
                if p in leads:
                    acts = leads[p]
                    break
        if not acts:
            acts = doc_people
        if u.own and u.para not in para_first:
            para_first[u.para] = u.own
        resolved[i] = acts
    for fn in doc.footnotes:
        if fn.marker_start is None:
            continue
        holder = next((i for i, u in enumerate(units) if u.kind == "body" and u.start <= fn.marker_start < u.end), None)
        if holder is not None:
            by_marker[fn.number] = resolved.get(holder, [])

    narrowing = [fn for fn in doc.footnotes if _EXCEPTION_START.match(fn.text or "")]

    out: list[Obligation] = []
    for i, u in enumerate(units):
        if u.skip is not None:
            continue
        if u.kind == "footnote":
            num = int(re.sub(r"\D", "", u.section or "") or 0)
            acts = u.own or by_marker.get(num, [])
            if not (u.deontic or _dated(u.text, doc)):
                continue  # a footnote is an obligation only when it says "phải …" or gives a date
        else:
            acts = resolved.get(i, [])
        ds = _deadlines(u.text, doc)
        deadline, recurrence = _primary(ds)
        sources: dict[str, tuple[int, int, str | None]] = {}  # exception text → where it is stated
        for exc in u.inline_exceptions:
            at = u.text.find(exc)
            if at >= 0:
                sources.setdefault(exc, (u.start + at, u.start + at + len(exc), u.section))
        for fn in narrowing:
            in_sentence = fn.marker_start is not None and u.start <= fn.marker_start < u.end
            in_section = fn.section is not None and u.section is not None and (
                u.section == fn.section or u.section.startswith(fn.section + "."))
            if in_sentence or in_section:
                raw = doc.text[fn.start:fn.end]
                lead = len(raw) - len(raw.lstrip())
                exc = raw.strip()
                sources.setdefault(exc, (fn.start + lead, fn.start + lead + len(exc), f"footnote {fn.number}"))
        action = _action(u)
        if not action:
            continue
        out.append(Obligation(
            id=f"{doc.doc_id}:{u.start}",
            actors=list(dict.fromkeys(acts)),
            action=action,
            modality=_modality(u),
            deadline=_doc_span(deadline, u.start) if deadline else None,
            recurrence=recurrence,
            section=u.section,
            start=u.start,
            end=u.end,
            exceptions=list(sources),
            exception_sources=list(sources.values()),
        ))
    _completion_deadlines(doc, out)
    return out


# "Toàn tỉnh hoàn thành …" names everyone, like no subject at all.
_COMPLETION = re.compile(
    r"^\W*(?:(?:toan tinh|toan dang bo|toan quoc|toan nganh|cac cap)\s+)?"
    r"hoan thanh\s+(?P<object>[a-z ,]+?)\s+(?:truoc|trong|cham nhat|han|den)\b"
)


def _completion_deadlines(doc: Document, obligations: list[Obligation]) -> None:
    """"Hoàn thành xây dựng kế hoạch trong tháng 01/2024." closes a section and dates the work it
    names: the undated duties of the same section that speak of that object ("kế hoạch") get the
    deadline, with `deadline_source` pointing at the sentence that states it (never a date of
    their own sentence). Only subject-less completion sentences do this, and only within one
    section, so "Tập trung lãnh đạo…" in another paragraph is not dated by accident. "Toàn tỉnh
    hoàn thành việc học tập, quán triệt trong Quý I/2024." counts as subject-less: it names everyone."""
    for c in obligations:
        if c.deadline is None or not (c.deadline.end or c.deadline.start):
            continue
        m = _COMPLETION.match(fold(doc.text[c.start:c.end]).lower())
        if not m:
            continue
        words = m.group("object").split()
        head = " ".join(words[-2:]) if len(words) >= 2 else (words[0] if words else "")
        if not head:
            continue
        for o in obligations:
            if o is c or o.deadline is not None or o.recurrence or o.section != c.section:
                continue
            if head in fold(doc.text[o.start:o.end]).lower():
                o.deadline = c.deadline
                o.deadline_source = (c.start, c.end)


def explain(doc: Document) -> list[tuple[str, str | None, list[str], str]]:
    """(sentence start, why skipped or None, own actors, text) for every unit: a debugging aid."""
    out = []
    for u in _units(doc):
        _analyse(u, doc, _is_aims(doc, u.section))
        out.append((str(u.start), u.skip, u.own, u.text[:100]))
    return out
