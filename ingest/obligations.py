"""Obligations: who must do what, by when — from the sentences and duty tables of a Party document.

Rules over the text and its section tree (DESIGN §7):

1. Each body sentence is analysed on its own: is it a duty at all (headings, preambles, lists of
   documents, definitions, descriptions, results in an assessment part and narrative sentences are
   not); its subject (an actor phrase, ingest.actors: bodies, posts and people with their level, the
   body they belong to, what brackets include or exclude); the people a subject makes act ("chỉ đạo
   Báo Bình Sơn … mở chuyên mục"); those who cooperate ("phối hợp với …"); the modality.
2. A sentence is cut into duty clauses: at ";" and, between two time expressions, at the "," or "và"
   that separates them. Each clause is one obligation whose quote is the clause itself, with the time
   phrase the clause holds (never another clause's: "…, báo cáo 6 tháng trước ngày 10/6/2025 và báo
   cáo năm trước ngày 20/11/2025" gives each report its own date). A duration inside a definition, in
   the condition of a "Trường hợp … thì …" / "<condition> thì …", after "trừ trường hợp", or a time
   stressed inside another ("thường xuyên, nhất là trong dịp Tết") is not a deadline. A piece cut
   between two time phrases keeps the subject of its ";"-segment.
3. A duty without a subject inherits one: a later clause from its sentence; inside a bullet item,
   from the item's first sentence with a subject; otherwise from its section's lead sentence, its
   section title ("3. Ban cán sự đảng UBND tỉnh lãnh đạo …" over points a–d), then the parent
   sections'; a regulation whose title names only people ("Chuẩn mực đạo đức … của cán bộ, đảng
   viên") lends them to its subjectless articles; an article titled "Nhiệm vụ, quyền hạn của X" lends X.
   Under an Điều whose title names nobody, a subjectless khoản that opens with a word of the action of
   the nearest earlier khoản with a subject goes on about that khoản's duty and takes its actors ("1. Ủy
   ban kiểm tra huyện ủy … báo cáo kết quả giám sát … hằng quý …. 2. Báo cáo năm gửi trước ngày 05/12 …");
   one that opens with something else ("Thời hạn giải quyết …") takes none.
   Nothing found → no actors: an empty list is honest. A post defined by a copula does what its
   sentence goes on to say ("Phó Trưởng ban Thường trực là Trưởng Ban Nội chính Tỉnh ủy, giúp …": the
   post and the post it names). A post named without its body in a document about one body ("Trưởng
   ban" of a "Quy chế làm việc của Ban Chỉ đạo") is that body's post.
4. Duty tables (Document.tables): each row is a duty — the action from the content column, actors
   from the "chủ trì"/"thực hiện" column ("phối hợp" ones as support), the deadline from the "thời
   gian/thời hạn" column (a date without a year takes the plan's year).
5. Exceptions: footnotes that narrow who is bound ("Trừ đảng viên được miễn sinh hoạt; …") attach to
   the duties of the sentence holding their marker and to the later duties of that section binding the
   same people; "(trừ …)" excludes inside the actor it follows (ActorRef.excluded) and is quoted as
   written, never with the actor it narrows (that would read as the actor's exemption).
6. A completion sentence without a subject ("Hoàn thành xây dựng kế hoạch trong tháng 01/2024.")
   dates the undated duties of its section about the same object, citing itself (`deadline_source`).

`deadline.text` is always a substring of the quote `doc.text[start:end]` (or of the cited
completion sentence). Every step is linear in the length of a sentence (a 4 MB paragraph included).

underthesea's POS tagger decides whether a sentence without subject or modal verb starts with a verb
(an imperative task of a plan: "Tăng cường kiểm tra …") or not ("Những thành tựu này khẳng định …"),
and gives a subjectless khoản's opening word (step 3). It is loaded lazily.
"""
from __future__ import annotations

import bisect
import inspect
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .actors import (
    Terms, actor, actor_phrase, ancestors, defined_terms, find_actors, folded, issuer_posts, mentions_between, own_post,
    phrase_refs, scanner,
)
from .deadlines import find_deadlines, parse_deadline
from .models import ActorRef, Deadline, Document, Obligation, Sentence, Span
from .normalize import fold

__all__ = ["extract_obligations", "document_actors", "plan_year", "kind_of", "MODALITY_POLARITY"]

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

# Causatives: the actor phrase right after them names people the subject makes act.
_CAUSATIVE = re.compile(r"(?<![0-9a-z])(?:to chuc cho|yeu cau|de nghi|giao cho|giao|chi dao|lanh dao|huong dan)\s+")
# Those who cooperate: "phối hợp với Trường Chính trị tỉnh", "chủ trì, phối hợp với …".
_SUPPORT = re.compile(r"(?<![0-9a-z])phoi hop(?:\s+voi)?\s+")

# A clause that opens with one of these is an adverbial; its subject comes after a comma or "thì".
_ADVERBIAL = re.compile(
    r"^(?:khi|sau khi|truoc khi|trong khi|ngay sau khi|neu|truong hop|trong truong hop|can cu|tren co so"
    r"|de|hang (?:nam|quy|thang)|dinh ky|cham nhat|truoc ngay|trong thoi han|trong vong|sau|qua|theo"
    r"|trong|ke tu|tai|doi voi|rieng|thoi gian (?:qua|vua qua|toi)|nam qua|nhung nam qua|tuy nhien"
    r"|ben canh do|mat khac|den|tu nam|tu nay)(?![0-9a-z])"
)
# "<condition> thì <subject> <predicate>": the subject follows "thì".
_THEN = re.compile(r"(?<!\w)thì\s")
# The condition of a sentence: what it holds is not a deadline ("Trường hợp quá 12 tháng thì …").
_CONDITION = re.compile(r"^(?:neu|truong hop|trong truong hop|khi)(?![0-9a-z])")

# Deontic markers, searched in the predicate (original lower-cased text).
_DEONTIC = re.compile(
    r"(?<!\w)(nghiêm cấm|cấm|không được|phải|có trách nhiệm|cần)(?!\w)(?! thiết)(?! chăng)"
)
_LEADING_MODAL = re.compile(r"^(?:(?:chủ động|tích cực|kịp thời)\s+)?(khuyến khích|tiếp tục|chấm dứt)(?!\w)")
_DESCRIPTIVE = re.compile(r"^(?:đã|đang|vẫn|luôn|từng|sẽ|chưa|còn(?!\s+lại))(?!\w)")  # ("còn lại": the remaining ones)
_COPULA = re.compile(r"^(?:là|gồm|bao gồm)(?!\w)")
# "X là Y" near the start of a sentence without a subject or a modal verb: a description.
_DESCRIPTION = re.compile(r"^(?:\S+\s+){0,12}?là(?!\w)")

_DOC_TYPES = (r"Kết luận|Quy định|Chỉ thị|Nghị quyết|Hướng dẫn|Kế hoạch|Quyết định|Thông báo|Thông tri|"
              r"Công văn|Điều lệ|Quy chế|Luật|Nghị định|Thông tư|Chương trình|Đề án|Văn bản")
# A list of documents, not a task: "Quy định số 101-QĐ/TW, ngày …", "Kết luận số 01-KL/TW; …".
_DOC_LIST = re.compile(rf"^(?:{_DOC_TYPES})\s+(?:số\s+)?\d", re.I)
# The preamble's basis and enacting lines: "Căn cứ …", "Thực hiện Hướng dẫn số …", "… như sau:".
_BASIS = re.compile(rf"^(?:Căn cứ|Thực hiện|Theo|Xét|Xem xét|Trên cơ sở)\s+(?:\S+\s+){{0,3}}?(?:{_DOC_TYPES}|báo cáo|ý kiến|đề nghị|tờ trình)", re.I)
_ENACTING = re.compile(r"(?:như|nội dung|nhiệm vụ|việc|công việc|các|một số)\s+sau(?:\s+đây)?\s*:?\s*$", re.I)
# "Quy định này quy định …", "Kế hoạch này …": scope statements.
_SCOPE = re.compile(rf"^(?:{_DOC_TYPES})\s+này(?!\w)", re.I)
# Labels that say what a line describes — who it concerns, where, with what — not what to do:
# "Đối tượng quán triệt: …", "Thành phần: …", "Kinh phí: …".
_DESCRIPTOR_LABEL = re.compile(r"^\s*(?:[-+•]\s*|\d{1,2}[.)]\s*|[a-zđ]\)\s*)?(?:đối tượng|phạm vi|thành phần|địa điểm|kinh phí|tài liệu)\b", re.I)
_TERMINAL = re.compile(r"[.;:!?…]['\"”’»)\]]*\s*$")
_EXCEPTION_START = re.compile(r"^\s*(?:ngoại\s+)?trừ\b|^\s*không\s+(?:áp\s+dụng|bao\s+gồm|tính)\b", re.I)
_AIMS_TITLE = re.compile(r"^(?:mục đích|mục tiêu|quan điểm)", re.I)
# Parts that explain words or report results hold no duties.
_DEFINITIONS_TITLE = re.compile(r"^(?:giải thích từ ngữ|định nghĩa|khái niệm|thuật ngữ|từ ngữ)", re.I)
_ASSESSMENT_TITLE = re.compile(
    r"^(?:đánh giá(?:\s+(?:chung|kết quả|tình hình|công tác|việc thực hiện))?(?:\s+(?:đạt được|thực hiện))?"
    r"|kết quả(?:\s+(?:đạt được|thực hiện|bước đầu|nổi bật))?"
    r"|tình hình(?:\s+(?:và kết quả|thực hiện|chung))?|thực trạng|những kết quả|ưu điểm|hạn chế|khuyết điểm"
    r"|nguyên nhân|bài học(?: kinh nghiệm)?|ưu điểm, hạn chế|hạn chế, khuyết điểm|kết quả đạt được)"
    # … of what, when: "Đánh giá kết quả năm 2025", "Kết quả thực hiện Kết luận số 01-KL/TW"
    r"(?:\s+(?:năm|quý|tháng|giai đoạn|nhiệm kỳ|sau|thực hiện|việc|của|\d)(?!\w).*)?\s*[:.]?\s*$",
    re.I,
)
# A quoted term defined where it stands: "“Dự án chậm tiến độ” là …".
_DEFINITION = re.compile(r"^\W{0,4}(?:\d{1,2}[.)]\s*)?[“\"][^”\"]{2,80}[”\"]\s+(?:là|được\s+hiểu\s+là)(?!\w)", re.I)
_LABEL = re.compile(r"^([^\s:;][^:;]{0,60}):\s+")
_BULLET = re.compile(r"^\s*(?:[-+•–]|\d{1,2}(?:\.\d{1,2})*\s*[.\-–)]|[a-zđ][).]|[IVX]{1,5}\s*[.\-–])\s*$")


def _marker_kind(label: str) -> str:
    """The kind of a list label, so nested lists keep apart: "-" (any dash or bullet), "+", "a)", "a.",
    "1.", "1)", "I."; "" when there is none."""
    lab = label.strip()
    if not lab:
        return ""
    if lab[0] in "-–•":
        return "-"
    if lab[0] == "+":
        return "+"
    kind = "1" if lab[0].isdigit() else ("I" if re.match(r"[IVX]", lab) else "a")
    return kind + (lab[-1] if lab[-1] in ".)" else ".")


_POINT_LABEL = re.compile(r"\s*[a-zđ][).]\s+")  # a point's own label at the start of its line: "c) ", "d. "
# A point label inside a sentence a heading swallowed: "Tổ chức thực hiện a) Các huyện ủy …".
_INNER_POINT = re.compile(r"(?:^|\s)([a-zđ]\)|\d{1,2}[.)])\s+(?=\S)")


# ---------------------------------------------------------------------------------------------
# The plan's year


def plan_year(doc: Document) -> int | None:
    """The year undated deadlines belong to: the year the title names ("Kế hoạch … năm 2024",
    issued 2023-12-18, targets 2024), else the issue year. A horizon ("… đến năm 2028", "định hướng
    đến năm 2030") is where the document aims, not the year its yearless days fall in: read so, a
    "trước ngày 10/6" of a resolution issued in April 2027 fell due in June 2028 and a yearly report's
    first due date was the horizon's."""
    if doc.title:
        years = [int(m.group(1)) for m in re.finditer(r"(?<!tháng )(?<!\d )(?<!đến )(?<!tới )(?<!hết )năm\s+(\d{4})(?!\d)",
                                                        doc.title)
                 if not re.search(r"tháng\s+\d{1,2}\s+$", doc.title[: m.start()])]
        if years:
            return years[-1]
    return doc.year


# ---------------------------------------------------------------------------------------------
# Deadlines (ingest.deadlines), called with what the grammar can use


@lru_cache(maxsize=4)
def _supports(name: str) -> bool:
    """Whether find_deadlines takes this keyword (issue 13's grammar adds issued, doc_type, bare_periods)."""
    try:
        return name in inspect.signature(find_deadlines).parameters
    except (TypeError, ValueError):  # pragma: no cover
        return False


# Footnote markers inside a time phrase ("trong 6 tháng³ đầu năm"): blanked for the grammar.
_MARKS = re.compile(r"[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+|(?<=[^\W\d_])\(\d{1,2}\)")


# "… kể từ ngày ký như sau:": the words introducing points are never part of a time phrase's anchor.
_INTRO_TAIL = re.compile(r"\s+như\s+sau\s*:?\s*$", re.I)


def _blank_marks(text: str) -> str:
    """Same length: footnote markers, and a closing "như sau:", as spaces."""
    plain = _MARKS.sub(lambda m: " " * len(m.group(0)), text)
    return _INTRO_TAIL.sub(lambda m: " " * len(m.group(0)), plain)


def _find(text: str, ctx: "_Ctx", *, bare_periods: bool = False, section: str | None = None) -> list[Deadline]:
    """The grammar's time phrases of `text` (in `section`: an annexed Quy chế is read as one), read with
    footnote markers blanked (same offsets); each phrase's text is the document's, markers included."""
    plain = _blank_marks(text)
    doc_type = ctx.type_of(section)
    if not _supports("issued"):
        found = [] if bare_periods else find_deadlines(plain, ctx.year)
    elif bare_periods:
        found = find_deadlines(plain, ctx.year, issued=ctx.doc.issued, doc_type=doc_type, bare_periods=True) \
            if _supports("bare_periods") else []
    else:
        found = find_deadlines(plain, ctx.year, issued=ctx.doc.issued, doc_type=doc_type)
    if not bare_periods:
        found = _bare_members(plain, found, ctx, doc_type)
        if _OPENING_PERIOD.match(plain) and _supports("bare_periods"):
            found = _opening_period(plain, found, ctx, doc_type)
    if plain == text:
        return found
    return [replace(d, text=text[d.span.start:d.span.end]) if d.span else d for d in found]


# A sentence opening with a bare month or quarter and a comma ("Tháng 11/2030, Ban Dân vận … bình xét …",
# "Quý I/2030, các chi bộ …"): the time of what follows, though no cue stands before it (the grammar reads a
# bare period only after one). Not a year: "Năm 2028, trên địa bàn xã xảy ra …" frames a report's facts.
# Checked first by this cheap pattern: the grammar is the costly part of ingest.
_OPENING_PERIOD = re.compile(r"^\W*(?:\d{1,2}[.)]\s*)?(?:tháng|quý)\s+[\dIVXivx]", re.I)


def _opening_period(plain: str, found: list[Deadline], ctx: "_Ctx", doc_type: str | None) -> list[Deadline]:
    taken = [(d.span.start, d.span.end) for d in found if d.span]
    for d in find_deadlines(plain, ctx.year, issued=ctx.doc.issued, doc_type=doc_type, bare_periods=True):
        if (d.span and not plain[:d.span.start].strip(" -–•+0123456789.)") and plain[d.span.end:].lstrip().startswith(",")
                and not any(a <= d.span.start < b for a, b in taken)):
            return sorted(found + [d], key=lambda x: x.span.start if x.span else 0)
    return found


# A time cell holding one day and nothing else ("Ngày 20/4", "20/4/2027"): the day the row's work is done.
_DAY_CELL = re.compile(r"^(?:[Nn]gày\s+)?(?P<day>\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?)\.?$")


def _parse_cell(text: str, ctx: "_Ctx", section: str | None = None) -> Deadline | None:
    """A table's deadline cell is a time expression by itself: "tháng 5", "quý II", "trước 15/4",
    and a bare day ("Ngày 20/4") is that day — a window of one day, its year the plan's as for any
    yearless date (a sentence needs a cue before a bare day; a time column is the cue)."""
    doc_type = ctx.type_of(section)
    d = parse_deadline(text, ctx.year, issued=ctx.doc.issued, doc_type=doc_type)
    if d is None and (m := _DAY_CELL.match(text)):
        cued = parse_deadline(f"đến ngày {m.group('day')}", ctx.year, issued=ctx.doc.issued, doc_type=doc_type)
        if cued is not None and cued.end is not None and not cued.exclusive_end:
            d = replace(cued, text=text, start=cued.end, span=Span(0, len(text)))
    if d is None:
        found = _find(text, ctx, section=section)
        d = found[0] if len(found) == 1 else None
    return d


def _parse_cell_times(text: str, ctx: "_Ctx", section: str | None = None) -> list[Deadline]:
    """A time cell's deadlines: one, or each member of a coordination that is the whole cell
    ("Trước ngày 15/6 và 15/12 hằng năm", "Quý IV/2027 và quý III/2028": the row is due at each)."""
    found = _find(text, ctx, bare_periods=True, section=section) if _JOINT.search(text) else []
    members = _coordination(text, found)
    if members:
        first, last = members[0], members[-1]
        rhythm = [d for d in found if d.span.start >= last.span.end]
        end = rhythm[-1].span.end if rhythm else last.span.end
        if not (text[:first.span.start].strip(" -") or text[end:].strip(" .;,")):
            return members  # the cell is the coordination and nothing else
    d = _parse_cell(text, ctx, section)
    return [d] if d is not None else []


def kind_of(d: Deadline) -> str:
    """The deadline's class (`Deadline.kind` once the grammar sets it)."""
    kind = getattr(d, "kind", None)
    if kind:
        return kind
    if d.recurrence == "thường xuyên":
        return "ongoing"
    if d.recurrence:
        return "recurring"
    if d.relative:
        return "relative"
    return "dated" if (d.start or d.end) else "vague"


def _timed(d: Deadline) -> bool:
    """Says when: a date, a window, an anchor, a recurrence or "thường xuyên"."""
    return bool(d.start or d.end or d.relative or d.recurrence or getattr(d, "event", None)
                or getattr(d, "rrule", None) or kind_of(d) in ("ongoing", "recurring", "event", "relative"))


def _dated(d: Deadline) -> bool:
    """Gives a date or an anchor a calendar can hold."""
    return bool(d.start or d.end or d.relative or getattr(d, "event", None))


# "Kết luận số 01-KL/TW giai đoạn 2021-2025", "Chuyên đề năm 2024": the period of a document.
_AFTER_DOC = re.compile(r"(?:\d{1,4}\s?-\s?[A-ZĐa-zđ]{1,6}(?:/[A-ZĐa-zđ]{1,8}){1,2}|[Cc]huyên đề|[Đđ]ợt \d+)\s*,?\s*$")
_BARE_PERIOD = re.compile(r"(?:nam|giai doan|nhiem ky|dot|khoa)\s|\d{4}")
_INTRODUCED = re.compile(r"(?:trong|hoàn thành|thực hiện)\s+$", re.I)
_LOOKBACK = 80  # characters before a time phrase that decide whether it names a document's period
# A meeting's name before a period ("kỳ họp cuối năm", "hội nghị giữa năm 2025"): the period names it.
_EVENT_NOUN = re.compile(r"(?<!\w)(?:kỳ họp|phiên họp|hội nghị|đại hội|kỳ thi)(?:\s+thường lệ)?\s+$", re.I)
# A time phrase opening with a cue of completion or of a bound dates what is done, not a meeting's name.
_CUED = re.compile(r"(?:xong|hoàn thành|trước|chậm nhất|muộn nhất|không muộn hơn|hạn chót|đến|trong)(?!\w)", re.I)
# An exception inside a clause: what follows describes the cases left out.
_UNLESS = re.compile(r"(?<!\w)(?:ngoại\s+)?trừ\s+(?:trường\s+hợp|khi)(?!\w)", re.I)
# A time stressed inside another ("…, nhất là trong dịp Tết Nguyên đán", "đặc biệt là trong quý IV").
_STRESSED = re.compile(r"(?<!\w)(?:nhất là|đặc biệt là|trong đó|kể cả)\s+(?:vào\s+)?$", re.I)
# A past-tense verb phrase right before the time phrase, within its clause.
_PAST = re.compile(r"(?<!\w)(?:đã|vừa|từng)\s+(?:[^\W\d_]+\s+){0,4}$", re.I)


def _quote_depth(text: str) -> list[int]:
    """Prefix counts: 1 where a position lies inside “…” or "…" (one pass, not one per phrase)."""
    out = [0] * (len(text) + 1)
    if "“" not in text and "”" not in text and '"' not in text:
        return out  # nothing quoted (most sentences)
    open_curly = 0
    straight = 0
    for i, c in enumerate(text):
        out[i] = 1 if (open_curly > 0 or straight % 2 == 1) else 0
        if c == "“":
            open_curly += 1
        elif c == "”":
            open_curly = max(0, open_curly - 1)
        elif c == '"':
            straight += 1
    out[len(text)] = 1 if (open_curly > 0 or straight % 2 == 1) else 0
    return out


def _usable(text: str, ds: list[Deadline], quoted: list[int]) -> list[Deadline]:
    """The time phrases of a sentence that can be a duty's deadline: not inside a quoted title, not
    the period of a cited document, not a programme's multi-year span."""
    out = []
    for d in ds:
        if d.span is None:
            continue
        before = text[max(0, d.span.start - _LOOKBACK):d.span.start]
        if quoted[d.span.start]:
            continue
        if kind_of(d) == "dated" and _AFTER_DOC.search(before) and _BARE_PERIOD.match(fold(d.text).lower()):
            continue  # "Chuyên đề năm 2024", "Kết luận số 01-KL/TW giai đoạn 2021-2025": a name's period
        if _PAST.search(before):
            continue  # "đã bị kết luận trong năm": what happened, not a deadline
        if _UNLESS.search(before.rsplit(";", 1)[-1]):
            continue  # "…, trừ trường hợp vi phạm xảy ra trước năm 2026": the exception's time, not a deadline
        if kind_of(d) == "dated" and _EVENT_NOUN.search(before) and not _CUED.match(d.text):
            continue  # "kỳ họp giữa năm 2025": the name of a meeting, not the date it is held ("tổ chức
            # đại hội xong trước 30/5/2025" is a deadline: a cue says so)
        if (d.start and d.end and (d.end - d.start).days > 366 and not _INTRODUCED.search(before)
                and not fold(d.text).lower().startswith("tu ")):
            # "giai đoạn 2023 - 2025" names a programme's period; a time frame as "trong giai đoạn …"
            # or an explicit range ("từ năm 2025 đến năm 2030")
            continue
        out.append(d)
    stressed = [d for d in out if _STRESSED.search(text[max(0, d.span.start - _LOOKBACK):d.span.start])]
    if stressed and len(stressed) < len(out):
        # "bảo đảm an ninh trật tự thường xuyên, nhất là trong dịp Tết": the stressed time lies inside the
        # duty's own, it is no deadline of its own
        out = [d for d in out if d not in stressed]
    return out


def _rank(d: Deadline) -> int:
    if (d.relative or getattr(d, "event", None)) and _AFTER_EVENT.match(d.text or ""):
        return 2  # "sau hội nghị, … nộp chi bộ trước ngày 30/4/2029": when the work starts, not its deadline
    if d.relative or getattr(d, "event", None):
        return 0
    if d.end and d.start is None:
        return 0  # "trước ngày 15/01/2024", "chậm nhất …", "cuối năm"
    if d.start and d.end and (d.end - d.start).days <= 92:
        return 0  # a month, a quarter
    if d.start and d.end:
        return 1  # a year, a half year
    if d.start:
        return 2  # "từ quý II/2025": a start
    return 9


# An event phrase with no span before it: "sau hội nghị", "sau khi có kết quả" (not "15 ngày sau …").
_AFTER_EVENT = re.compile(r"\s*sau\b", re.I)

_RHYTHMLESS = ("định kỳ", "thường kỳ", "thường xuyên")


def _recurring(d: Deadline, recurrence: str) -> Deadline:
    """A dated phrase and a recurrence in one clause are one recurring deadline: "trước ngày 15
    tháng 12 hằng năm" (end = the first due date), "từ năm 2026, … hằng năm" (a start)."""
    out = replace(d, recurrence=recurrence)
    if hasattr(out, "kind"):
        out = replace(out, kind="recurring")
    return out


def _primary(ds: list[Deadline]) -> tuple[Deadline | None, str | None]:
    """The clause's deadline and recurrence: a dated one first; a recurrence or "thường xuyên" alone
    is the deadline too (its class says it has no date)."""
    recurrence = next((d.recurrence for d in ds if d.recurrence), None)
    dated = [d for d in ds if _dated(d) and (not d.recurrence or getattr(d, "rrule", None) or d.end)]
    if dated:
        best = min(dated, key=_rank)  # min keeps the first of equal rank
        rhythm = next((d.recurrence for d in ds if d is not best and d.recurrence and not _dated(d)
                       and d.recurrence.strip().lower() not in _RHYTHMLESS), None)
        if rhythm and not best.recurrence and not best.relative and kind_of(best) in ("dated", "recurring"):
            best = _recurring(best, rhythm)
        return best, best.recurrence or recurrence
    # a bare "định kỳ" ("sinh hoạt định kỳ") says no rhythm: a recurrence, not a deadline
    timed = [d for d in ds if _timed(d) and (getattr(d, "rrule", None) or kind_of(d) == "ongoing"
                                            or (d.recurrence or "").strip().lower() not in ("định kỳ", "thường kỳ"))]
    return (timed[0] if timed else None), recurrence


# Coordinated times: time phrases joined only by ",", "và" or "hoặc" ("trước ngày 15/6 và 15/12 hằng
# năm", "vào quý IV/2027 và quý III/2028", "tháng 6 và tháng 12 hằng năm") are one duty due at each of
# them. The cue before the first ("trước": the day itself is excluded; "vào", "trong": it is read as a
# time at all) and the rhythm after the last ("hằng năm") hold for every member. Written here because
# the deadline grammar reads one phrase at a time and cannot know that a cue or a rhythm is shared.
_JOINT = re.compile(r"\s*(?:,\s*)?(?:và|hoặc|,)\s*", re.I)
COORDINATION_REACH = 40  # characters after a joint searched for a bare member ("… và quý III/2028")
_YEARLY = re.compile(r"(?:hằng|hàng|mỗi)\s+năm", re.I)


def _joined(text: str, a: Deadline, b: Deadline) -> bool:
    """Nothing but a joint lies between two time phrases of `text`."""
    m = _JOINT.fullmatch(text, a.span.end, b.span.start)
    return m is not None and a.span.end < b.span.start


def _bare_members(plain: str, found: list[Deadline], ctx: "_Ctx", doc_type: str | None) -> list[Deadline]:
    """The members a cue before the first of a coordination makes time phrases: "vào quý IV/2027 và
    quý III/2028" — the grammar reads a bare quarter only after a cue, so the second is read here."""
    out = sorted((d for d in found if d.span), key=lambda d: d.span.start)
    i = 0
    while i < len(out):
        d = out[i]
        i += 1
        if not _dated(d) or d.relative:
            continue
        m = _JOINT.match(plain, d.span.end)
        if m is None or m.end() == d.span.end or any(e.span.start == m.end() for e in out):
            continue
        tail = plain[m.end():m.end() + COORDINATION_REACH]
        nxt = find_deadlines(tail, ctx.year, issued=ctx.doc.issued, doc_type=doc_type, bare_periods=True) \
            if _supports("bare_periods") else []
        if nxt and nxt[0].span.start == 0 and _dated(nxt[0]) and not nxt[0].relative:
            member = replace(nxt[0], span=Span(m.end() + nxt[0].span.start, m.end() + nxt[0].span.end))
            out.insert(i, member)
    return out


def _coordination(text: str, ds: list[Deadline]) -> list[Deadline]:
    """The members of the first coordination among a clause's time phrases (two or more dated phrases
    joined only by joints), each with the cue of the first and the rhythm after the last; [] if none."""
    ds = sorted((d for d in ds if d.span), key=lambda d: d.span.start)
    group: list[Deadline] = []
    for d in ds:
        if _dated(d) and not d.relative and (not group or _joined(text, group[-1], d)):
            group.append(d)
        elif len(group) >= 2:
            break
        else:
            group = [d] if _dated(d) and not d.relative else []
    if len(group) < 2:
        return []
    last = group[-1]
    after = next((d for d in ds if d.span.start >= last.span.end and not text[last.span.end:d.span.start].strip()
                  and d.recurrence and not _dated(d)), None)
    rhythm = last.recurrence or (after.recurrence if after else None)
    if rhythm and rhythm.strip().lower() in _RHYTHMLESS:
        rhythm = None
    first = group[0]
    out = []
    for d in group:
        if d is not first and first.exclusive_end and not d.exclusive_end and d.start is None \
                and re.match(r"(?:ngày\s+)?\d", d.text.strip(), re.I):
            d = replace(d, exclusive_end=True)  # "trước ngày 15/6 và 15/12": before each day
        if rhythm and not d.recurrence and getattr(d, "implied_year", None):
            d = _recurring(d, rhythm)  # "… và 15/12 hằng năm": a yearless day recurs with the last
            yearly = (getattr(last, "rrule", None) or "").startswith("FREQ=YEARLY") or _YEARLY.fullmatch(rhythm.strip())
            if yearly and d.end is not None and d.start is None and hasattr(d, "rrule"):
                d = replace(d, rrule=f"FREQ=YEARLY;BYMONTH={d.end.month};BYMONTHDAY={d.end.day}")
            elif yearly and d.start is not None and d.end is not None and d.start.month == d.end.month \
                    and hasattr(d, "rrule"):
                d = replace(d, rrule=f"FREQ=YEARLY;BYMONTH={d.end.month}")  # "tháng 6 và tháng 12 hằng năm"
        out.append(d)
    return out


def _doc_span(d: Deadline, offset: int) -> Deadline:
    """The same deadline with its span in document coordinates."""
    span = Span(d.span.start + offset, d.span.end + offset) if d.span else None
    return replace(d, span=span)


# ---------------------------------------------------------------------------------------------
# The document's context, built once (sections by path, parts, terms, tables)


@dataclass
class _Ctx:
    doc: Document
    year: int | None
    sections: dict[str, object]
    terms: Terms
    aims: dict[str | None, bool] = field(default_factory=dict)
    no_duties: dict[str | None, str | None] = field(default_factory=dict)
    annex_types: dict[str, str] = field(default_factory=dict)  # annex section path → its type ("Quy chế")

    def section(self, path: str | None):
        return self.sections.get(path) if path is not None else None

    def type_of(self, path: str | None) -> str | None:
        """The type of the document a section belongs to: an annex's own ("Quy chế" annexed to a
        Quyết định, its section path its label), else the document's."""
        if path is not None and self.annex_types:
            for p in self.chain(path):
                if p in self.annex_types:
                    return self.annex_types[p]
        return self.doc.type

    def chain(self, path: str | None) -> list[str | None]:
        out: list[str | None] = []
        seen = set()
        while path is not None and path not in seen:
            seen.add(path)
            out.append(path)
            sec = self.sections.get(path)
            path = getattr(sec, "parent", None) if sec else None
        out.append(None)
        return out


# An annex's label is its type, numbered when there are several ("Phụ lục 2", "Quy định 1").
_ANNEX_NUMBER = re.compile(r"\s+(?:số\s+)?(?:\d+|[IVX]+)$")
_SENTENCE_KINDS = ("clause", "point", "row", "footnote")
MAX_HEADING = 120  # characters: a longer "title" is the first sentence of a khoản or point, not a heading


def _is_heading(sec) -> bool:
    """Whether a section's title is a heading ("II. ĐÁNH GIÁ KẾT QUẢ", "Điều 3. Giải thích từ ngữ")
    rather than the text of a numbered khoản or point ("2. Kết quả thực hiện là một căn cứ …")."""
    title = sec.title.strip()
    if getattr(sec, "kind", "") in _SENTENCE_KINDS or len(title) > MAX_HEADING:
        return False
    return not re.search(r"[.;:!?]\s*$", title)


# A run-in heading: a numbered point that opens with a short label set off by a full stop or colon
# before its first sentence ("1. Tình hình. Đến ngày …", "2. Mục tiêu: Phấn đấu …"). The label is
# the point's heading; the sentence after it is body text. Up to RUN_IN_WORDS words, so a sentence
# that merely starts a point ("2. Kết quả thực hiện là một căn cứ …") is never taken for one.
RUN_IN_WORDS = 4
_RUN_IN = re.compile(r"^([^\W\d][^.:;,“”\"()]{1,40}?)\s*[.:]\s+(?=\S)")


_NUMBERED = re.compile(r"^(?:[IVXLC]+|\d{1,2}(?:\.\d{1,2})*|[a-zđ])\s*[.)\-–]\s*")


def _run_in_heading(sec) -> str | None:
    m = _RUN_IN.match(sec.title.strip())
    if m is None or len(m.group(1).split()) > RUN_IN_WORDS:
        return None
    return m.group(1)


def _heading_titles(sec) -> list[str]:
    """The headings a section carries: a run-in label, else its title when that is a heading (a
    title cut short with "…" reads as one, so the run-in label is tried first)."""
    if sec is None:
        return []
    run_in = _run_in_heading(sec) if getattr(sec, "kind", "") not in ("row", "footnote") else None
    if run_in:
        return [run_in]
    title = sec.title.strip()
    return [title] if title and _is_heading(sec) else []


def _context(doc: Document) -> _Ctx:
    sections = {s.path: s for s in doc.sections}
    ctx = _Ctx(doc, plan_year(doc), sections, _document_terms(doc))
    ctx.annex_types = {s.path: _ANNEX_NUMBER.sub("", s.path).strip() for s in doc.sections if getattr(s, "kind", "") == "annex"}
    for path in list(sections) + [None]:
        aims = False
        reason = None
        for p in ctx.chain(path):
            for title in _heading_titles(sections.get(p) if p else None):
                if _AIMS_TITLE.match(title):
                    aims = True
                if _DEFINITIONS_TITLE.match(title):
                    reason = reason or "definitions"
                elif _ASSESSMENT_TITLE.match(title):
                    reason = reason or "assessment"
        ctx.aims[path] = aims
        ctx.no_duties[path] = reason
    return ctx


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
    marker: str = ""  # the kind of its label (_marker_kind), for the paragraph's first sentence
    text: str = ""
    # analysis
    skip: str | None = None  # why it is not an obligation
    subject: list[ActorRef] = field(default_factory=list)
    causees: list[ActorRef] = field(default_factory=list)  # made to act or cooperating, whole sentence
    pred: int = 0  # where the action starts, relative to the unit
    deontic: str | None = None
    deadlines: list[Deadline] = field(default_factory=list)  # usable time phrases, unit coordinates
    scan: object = None
    inside: list[bool] = field(default_factory=list)  # inside balanced brackets or quotes, per character
    masked_low: str = ""  # the text lower-cased, brackets and quotes blanked
    copular: bool = False  # its subject is defined ("Báo cáo viên là …")


def _in_tables(doc: Document) -> list[tuple[int, int]]:
    return sorted((t.start, t.end) for t in getattr(doc, "tables", []) or [])


def _units(doc: Document) -> list[_Unit]:
    text = doc.text
    tables = _in_tables(doc)
    starts = [a for a, _ in tables]
    units: list[_Unit] = []
    para = 0
    prev: Sentence | None = None
    heads = {sec.path: sec for sec in doc.sections}
    with_body = {s.section for s in doc.sentences if s.kind == "body"}
    for s in doc.sentences:
        if s.kind == "heading" and s.section not in with_body and getattr(heads.get(s.section), "kind", "") == "point":
            # A point read as a heading because it lacks a full stop ("c) Xây dựng kế hoạch … 2047"), with
            # no text under it: it is its own text (the last item of a list), read from after its label.
            m = _POINT_LABEL.match(text, s.start, s.end)
            if m and m.end() < s.end:
                s = replace(s, start=m.end(), kind="body")
        if s.kind not in ("body", "footnote"):
            prev = None
            continue
        i = bisect.bisect_right(starts, s.start) - 1
        if i >= 0 and tables[i][0] <= s.start < tables[i][1]:
            prev = None
            continue  # a table's rows are read as rows, not as sentences
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
            marker = _marker_kind(text[line_start:s.start]) if bullet else ""
        else:
            bullet = units[-1].bullet if units else False
            marker = ""
        units.append(_Unit(s.start, s.end, s.section, s.kind, para, bullet, marker))
        prev = s
    for u in units:
        sec = heads.get(u.section)
        _unswallow(text, u, sec.heading_end if sec is not None and sec.start <= u.start else None)
        u.text = text[u.start:u.end]
    return units


def _unswallow(text: str, u: _Unit, heading_end: int | None) -> None:
    """A heading that swallowed its first point ("Tổ chức thực hiện a) Các huyện ủy …"): the duty
    starts at the point. Only when the sentence opens with its section's heading, the label is a
    point's ("a)", "1.") and the heading has no sentence punctuation."""
    if heading_end is None or not u.start < heading_end:
        return
    head = text[u.start:min(u.end, heading_end + 4)]
    m = _INNER_POINT.search(head)
    if not m or m.start() == 0:
        return
    before = head[:m.start()]
    if not before.strip() or re.search(r"[.;:!?]", before) or before.strip()[:1].islower():
        return
    u.start += m.end()
    u.bullet = True
    u.marker = _marker_kind(m.group(1))


# ---------------------------------------------------------------------------------------------
# Clauses and brackets (one pass each)


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
    """Linear: a difference array over the enclosed spans."""
    diff = [0] * (len(sentence) + 1)
    for a, b in _enclosed(sentence):
        diff[a] += 1
        diff[b + 1] -= 1
    inside, run = [False] * len(sentence), 0
    for i in range(len(sentence)):
        run += diff[i]
        inside[i] = run > 0
    return inside


def _masked(sentence: str, inside: list[bool] | None = None) -> str:
    """Same length; text inside balanced brackets and quotes blanked, so no subject, modal verb
    or deadline is read from a title or an aside."""
    inside = _inside_mask(sentence) if inside is None else inside
    if not any(inside):
        return sentence
    return "".join(" " if x else c for x, c in zip(inside, sentence))


def _segments(sentence: str, inside: list[bool], seps: str = ";") -> list[tuple[int, int]]:
    """Spans of the top-level segments of a sentence, split after each separator outside brackets."""
    spans, start = [], 0
    for i, c in enumerate(sentence):
        if c in seps and not inside[i]:
            spans.append((start, i + 1))
            start = i + 1
    if start < len(sentence):
        spans.append((start, len(sentence)))
    return [(s, e) for s, e in spans if sentence[s:e].strip(" ;:.,")]


# ---------------------------------------------------------------------------------------------
# Subjects


@dataclass
class _Subject:
    refs: list[ActorRef]
    pred: int  # relative to the unit
    copular: bool = False
    label: bool = False


_PRED_GAP = " ," + _SUPERSCRIPTS


def _phrase_at(u: _Unit, pos: int, limit: int, part: str = "lead"):
    ph = actor_phrase(u.text, pos, scan=u.scan, part=part)
    if ph is None or ph.end > limit:
        return None
    return ph


def _topic(u: _Unit, cs: int, ce: int, masked_low: str) -> _Subject | None:
    """"Đối với <topic> … phải …": the people the topic names, and where the predicate starts. In
    the topic "A là B" names B ("cá nhân là lãnh đạo chủ chốt (bao gồm: …)": the list enumerates B)."""
    m = _DEONTIC.search(masked_low, cs + 9, ce)
    pred = m.start() if m else -1
    if pred < 0:
        comma = masked_low.find(",", cs + 9, ce)
        pred = comma + 1 if comma > 0 else ce
    f = u.scan.f
    refs: list[ActorRef] = []
    p = cs
    while p < pred:
        nxt = next(iter(mentions_between(u.scan, p, pred)), None)
        if nxt is None:
            break
        ph = _phrase_at(u, nxt, pred)
        if ph is None:
            p = nxt + 1
            continue
        if re.match(r"\s+la(?![0-9a-z])", f[ph.end:ph.end + 4]) and "(" not in u.text[ph.start:ph.end]:
            p = ph.end  # "cá nhân là …": the apposition names the category
            continue
        refs += ph.refs
        p = max(ph.end, nxt + 1)
    while pred < ce and u.text[pred] in " ,":
        pred += 1
    return _Subject(refs, pred) if refs else None


def _subject(u: _Unit, cs: int, ce: int, inside: list[bool], masked_low: str, then: bool = True) -> _Subject | None:
    """The subject of one clause [cs, ce) of the unit, if it names actors."""
    f = u.scan.f
    lead = cs
    while lead < ce and f[lead] in " -–+•\n":
        lead += 1
    if f.startswith("doi voi", lead):
        return _topic(u, lead, ce, masked_low)
    # 1. An actor phrase opening the clause.
    ph = _phrase_at(u, lead, ce)
    if ph is not None:
        rest_at = ph.end
        while rest_at < ce and u.text[rest_at] in _PRED_GAP:
            rest_at += 1
        rest = u.text[rest_at:ce]
        if rest.startswith(":"):
            # "Báo cáo viên: …" is a label, not the subject of what follows it; the people it names
            # are kept for a predicate with no subject of its own ("Trưởng Công an xã: tham mưu …")
            return _Subject(ph.refs, rest_at + 1, label=True)
        return _Subject(ph.refs, rest_at, copular=bool(_COPULA.match(rest.lower())))
    # 2. After a fronted adverbial ("Khi …, ", "Chậm nhất 20 ngày …, ", "Trường hợp … thì "):
    #    an actor phrase that follows a comma or "thì" (the last list of it).
    if not (_ADVERBIAL.match(f, lead) or any(d.span and d.span.start <= lead + 1 for d in u.deadlines)
            or (then and _THEN.search(masked_low, lead, ce))):  # "Thành viên chuyển công tác thì cơ quan … đề xuất …"
        return None
    done = lead
    for k in mentions_between(u.scan, lead + 1, ce):
        if inside[k] or k < done:
            continue  # (a mention inside a list already tried is not a subject of its own)
        back = f[max(lead, k - 40):k].rstrip()
        back = re.sub(r"(?:(?:cac|nhung|moi|toan the|tat ca|tung|(?:it nhat |tren |toi thieu )?\d{1,3}(?:[.,]\d+)?\s*%"
                      r"(?:\s*so)?)\s*)+$", "", back).rstrip()  # "Đến ngày …, 100% chi bộ …"
        ph = _phrase_at(u, k, ce)
        if ph is None:
            continue
        done = ph.end
        # the last list of the phrase: "… của người đứng đầu, cán bộ chủ chốt và cán bộ, đảng viên,
        # Ban Thường trực Mặt trận …, các tổ chức chính trị - xã hội báo cáo" → the last two
        g_start, g_refs, g_comma = ph.groups[-1] if ph.groups else (ph.start, ph.refs, False)
        # after a comma, "thì", or "riêng" ("…; riêng Đảng bộ xã Xuân Lộc … hoàn thành …": as for them)
        opens = (back.endswith(",") or bool(re.search(r"(?<![0-9a-z])(?:thi|rieng)$", back))) \
            if len(ph.groups) <= 1 else g_comma
        if not opens:
            continue
        ph = replace(ph, refs=g_refs)
        rest_at = ph.end
        while rest_at < ce and u.text[rest_at] in _PRED_GAP:
            rest_at += 1
        return _Subject(ph.refs, rest_at, copular=bool(_COPULA.match(u.text[rest_at:ce].lower())))
    return None


def _in_mention(u: _Unit, pos: int) -> bool:
    """Whether `pos` lies inside an actor's name (bisection over the scan's mention starts)."""
    k = bisect.bisect_right(u.scan.starts, pos) - 1
    return k >= 0 and pos < u.scan.mentions[u.scan.starts[k]].end


def _made_to_act(u: _Unit, cs: int, ce: int, inside: list[bool]) -> list[ActorRef]:
    """People the clause makes act ("chỉ đạo Báo Bình Sơn … mở", "tổ chức cho cán bộ, đảng viên …")
    and those it has cooperate ("phối hợp với Ủy ban Kiểm tra Tỉnh ủy")."""
    out: list[ActorRef] = []
    f = u.scan.f
    for rx, part in ((_CAUSATIVE, "causee"), (_SUPPORT, "support")):
        for m in rx.finditer(f, cs, ce):
            if inside[m.start()] or _in_mention(u, m.start()):
                continue  # "Ban Tuyên giáo| Huyện ủy": folded, "giáo" reads as the verb "giao"
            ph = _phrase_at(u, m.end(), ce, part)
            if ph is not None:
                out += ph.refs
    return out


# ---------------------------------------------------------------------------------------------
# Is it a task? (POS, lazily)


POS_WORDS = 8  # words given to the POS tagger: the first three tags and the context they are read in


# Verbs of Party duties the tagger reads as nouns when they open a phrase ("lãnh đạo toàn diện …",
# "triệu tập, chủ trì …"): after a copula's complement they still open the post's duties. Words a
# predicate can open with that say what someone is, not what they do, open no duty.
DUTY_VERBS = frozenset({"lãnh đạo", "chỉ đạo", "triệu tập", "tổ chức", "quản lý", "kiểm tra", "giám sát",
                        "hướng dẫn", "tham mưu", "đề xuất", "theo dõi", "đôn đốc", "điều hành", "phụ trách"})
_NOT_A_DUTY_VERB = frozenset({"được", "bị", "là", "thuộc", "gồm", "không", "chưa", "đã", "đang", "vẫn", "có"})
_HAS_DUTY = re.compile(r"có\s+(?:nhiệm vụ|trách nhiệm)(?!\w)", re.I)


@lru_cache(maxsize=4096)
def _opens_duty(text: str) -> bool:
    """Whether `text` opens with a verb phrase of a duty ("giúp Trưởng ban …", "chịu trách nhiệm …",
    "có nhiệm vụ …"), not with a noun or a verb of being ("có dấu hiệu …", "được …")."""
    low = text.lstrip(" ,").lower()
    if _HAS_DUTY.match(low):
        return True
    first = low.split(" ", 1)[0] if low else ""
    if not first or first in _NOT_A_DUTY_VERB:
        return False
    if any(low.startswith(v) and not low[len(v):len(v) + 1].isalpha() for v in DUTY_VERBS):
        return True
    try:
        from .tokenize import underthesea

        tags = [t for t in underthesea().pos_tag(" ".join(low.split()[:POS_WORDS])) if t[1] != "CH"]
    except Exception:  # pragma: no cover - underthesea is a dependency
        return False
    return bool(tags) and tags[0][1] == "V"


_LA = re.compile(r"la\s+")
_QUALITY = re.compile(r"(?<!\w)có(?!\w)", re.I)  # as written: folded, "cơ quan" would read as "có"


def _copula_duty(u: _Unit, sub: _Subject, inside: list[bool]) -> _Subject | None:
    """"X là Y, <duties>": a post or body defined by a copula whose sentence goes on with what it does
    ("Phó Trưởng ban Thường trực là Trưởng Ban Nội chính Tỉnh ủy, giúp Trưởng ban …; chủ trì …",
    "Trưởng ban là người giúp … ", "Thành viên là Giám đốc Công an tỉnh, … báo cáo …"): X does those
    duties, and so do the posts Y names (the same person). None when the sentence only says what X is
    ("Văn phòng Huyện ủy là cơ quan thường trực của Ban Chỉ đạo.")."""
    text, f = u.text, u.scan.f
    m = _LA.match(f, sub.pred)
    if m is None:
        return None
    if not any(getattr(actor(r.category), "kind", "") in ("position", "body") for r in sub.refs):
        # people of a category ("Báo cáo viên là các đồng chí có uy tín, hiểu …") have qualities — unless
        # the copula narrows them to those who hold a post or work somewhere and a verb follows: "Đảng viên
        # là giáo viên, cán bộ quản lý trường học phối hợp …" (those đảng viên do it)
        return _narrowed_people(u, sub, m.end())
    c0 = m.end()
    if f.startswith("nguoi ", c0) and _opens_duty(text[c0 + 6:]):
        return _Subject(sub.refs, c0 + 6)  # "là người giúp Trưởng ban …": the function is the duty
    ph = _phrase_at(u, c0, len(text))
    posts = [r for r in ph.refs if getattr(actor(r.category), "kind", "") == "position"] if ph else []
    for k in range(c0, len(text)):
        if text[k] not in ",;" or inside[k]:
            continue
        if _QUALITY.search(text, c0, k):
            return None  # "là người có uy tín, hiểu …": what the post's holder is like, not what they do
        at = _skip_spaces(text, k + 1)
        if _opens_duty(text[at:]):
            return _Subject(sub.refs + (posts if ph and ph.end <= k else []), at)
    if ph is not None and ph.refs:
        at = _skip_spaces(text, ph.end)
        if at > ph.end and _opens_duty(text[at:]):  # "Thành viên là A, B, C báo cáo …": those members
            return _Subject(sub.refs + ph.refs, at)
    return None


NARROWING_WORDS = 8  # words of "là …" before the verb: a longer stretch describes people, it does not name them


def _narrowed_people(u: _Unit, sub: _Subject, c0: int) -> _Subject | None:
    """"<people> là <who> <verb> …" (a restrictive apposition): the people, narrowed by the words after
    the copula up to the first word opening a duty — a few words naming whom (a list of occupations or
    posts, an actor among them), no quality ("có uy tín"), no verb of their own before it. None when no
    such verb follows within NARROWING_WORDS words."""
    text = u.text
    words = list(re.finditer(r"[^\s,;:()]+", text[c0:]))[:NARROWING_WORDS + 1]
    named = False
    for n, w in enumerate(words[1:], 1):
        at = c0 + w.start()
        if _in_mention(u, at):
            named = True
            continue
        if _QUALITY.search(text, c0, at) or text[c0:at].rstrip().endswith((";", ":")):
            return None
        if text[c0 + words[n - 1].end():at].strip(" ") in ("", ",") and _opens_duty(text[at:]):
            named = named or _in_mention(u, c0)
            return _Subject(sub.refs, at) if named else None
    return None


# "(mỗi quý) một lần", "(hằng năm) hai lần": how many times, between a rhythm and its verb
_TIMES = re.compile(r"^(?:một|hai|ba|\d{1,2})\s+lần\s*,?\s*", re.I)


def _starts_with_verb(text: str) -> bool:
    """True when the sentence opens with a verb phrase (an imperative task of a plan)."""
    # The tagger reads a capitalised first word as a proper noun: lower-case it first. Only the
    # opening words decide (the first three tags), and tagging costs per word: tag the first few.
    head = " ".join(text.split()[:POS_WORDS])
    return _head_starts_with_verb(head[:1].lower() + head[1:])


@lru_cache(maxsize=4096)  # by the words tagged, not the sentence: many sentences open alike
def _head_starts_with_verb(head: str) -> bool:
    try:
        from .tokenize import underthesea

        pos_tag = underthesea().pos_tag
    except Exception:  # pragma: no cover - underthesea is a dependency; without it, be permissive
        return True
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


def _read(u: _Unit, ctx: _Ctx) -> bool:
    """Scan one sentence: its usable time phrases, brackets, subject, the people it makes act, where
    its predicate starts and its modal verb. True when its subject is defined ("Báo cáo viên là …")."""
    text = u.text
    stripped = text.strip()
    label = _LABEL.match(stripped)
    u.scan = scanner(text, ctx.terms)
    quoted = _quote_depth(text)
    u.deadlines = _usable(text, _find(text, ctx, section=u.section), quoted)
    inside = u.inside = _inside_mask(text)
    masked_low = u.masked_low = _masked(text, inside).lower()
    clauses = _segments(text, inside, ";:")
    lead = len(text) - len(text.lstrip(" -–+•"))
    if folded(text[lead:lead + 7]) == "doi voi":
        # "Đối với <topic> … phải …": the topic may hold its own list ("(bao gồm: …; …; …)", often
        # left unclosed) — it is one clause up to the modal verb.
        dm = _DEONTIC.search(masked_low, lead + 7)
        if dm:
            clauses = [(0, dm.end())] + [(a, b) for a, b in _segments(text, inside, ";:") if a >= dm.end()]
    subjects: list[ActorRef] = []
    pred: int | None = None
    copular = False  # "Báo cáo viên là các đồng chí …": a definition, unless another clause commands
    labelled: _Subject | None = None  # "Trưởng Công an xã: …": the post a line's label names
    for n, (cs, ce) in enumerate(clauses):
        # "thì" names the subject of the clause it ends; a later clause's ("…; vắng … thì chi bộ xem xét")
        # is not the sentence's
        sub = _subject(u, cs, ce, inside, masked_low, then=n == 0)
        if sub is not None and sub.label and n == 0:
            labelled = sub
            after = _skip_spaces(text, sub.pred)
            if sub.refs and _phrase_at(u, after, len(text)) is None and _starts_with_verb(text[after:]):
                # "Bí thư các chi bộ: thu …; đưa …; mỗi chi bộ kiểm tra …": the line's label is the
                # subject of its duties, even when a later clause names its own (that clause keeps
                # its own; the others are the label's, not the later clause's)
                break
        if sub is None or sub.label:
            continue
        if sub.copular:
            duty = _copula_duty(u, sub, inside) if masked_low.startswith("là", sub.pred) else None
            if duty is None:
                copular = True
                if text[cs:ce].rstrip().endswith(":"):
                    break  # "Chi ủy gồm 03 đồng chí: bí thư, phó bí thư …": its members, no subject
                continue
            sub = duty
        subjects.extend(sub.refs)
        if pred is None:
            pred = sub.pred
        break  # the sentence's subject is its first clause's; later clauses keep their own
    if not subjects and labelled is not None and labelled.refs and _starts_with_verb(text[labelled.pred:]):
        # "- Trưởng Công an xã: tham mưu …; quản lý …": a line of duties under the post its label names
        # (a duty list by person); what follows the colon opens with a verb and names no one else
        subjects, pred = list(labelled.refs), labelled.pred
        while pred < len(text) and text[pred] in _PRED_GAP:
            pred += 1
    u.subject = subjects
    u.causees = [r for cs, ce in clauses for r in _made_to_act(u, cs, ce, inside)]
    if pred is None:
        pred = label.end() + (len(text) - len(text.lstrip())) if label else len(text) - len(text.lstrip())
    u.pred = pred

    # The modal verb of the predicate, else one anywhere outside brackets and quotes ("Việc tổ
    # chức cưới hỏi … phải thực hiện …" has no actor subject but is a must).
    dm = _DEONTIC.search(masked_low, max(0, pred - 1)) or _DEONTIC.search(masked_low)
    u.deontic = dm.group(1) if dm else None
    u.copular = copular
    return copular


def _analyse(u: _Unit, ctx: _Ctx, li: "_LeadIn | None" = None, ends_section: bool = False) -> None:
    """Whether a sentence is a duty (`u.skip` says why not). `li`: the lead-in it is an item of —
    its modal verb holds for the item ("Nghiêm cấm …: - …"), and an item of a lead-in that names
    actors or a modal verb is a task by the list's grammar; `ends_section`: no sentence of its own
    section follows (a point "b) … 15/6/2026" without its full stop is the list's last item, not a
    heading over a body)."""
    text = u.text
    stripped = text.strip()
    if not any(c.isalpha() for c in stripped):
        u.skip = "no words"
        return
    if u.kind == "footnote" and _EXCEPTION_START.match(stripped):
        u.skip = "exception"
        return
    sec = ctx.sections.get(u.section) if u.section else None
    if sec is not None and u.kind == "body" and (run_in := _run_in_heading(sec)) \
            and _NUMBERED.sub("", stripped).rstrip(".: ") == run_in:
        u.skip = "run-in heading"  # "6. Tổ chức thực hiện." split off before the point's first sentence
        return
    reason = ctx.no_duties.get(u.section)
    label = _LABEL.match(stripped)
    body = stripped[label.end():] if label else stripped
    if _DOC_LIST.match(body) or _DOC_LIST.match(stripped):
        u.skip = "list of documents"
        return
    if _SCOPE.match(stripped):
        u.skip = "scope statement"
        return
    if label and _DESCRIPTOR_LABEL.match(label.group(1)) and not _DEONTIC.search(body.lower()) \
            and not any(_timed(d) for d in _find(text, ctx, section=u.section)):
        u.skip = "described by its label"  # "Đối tượng quán triệt: toàn thể cán bộ, đảng viên …"
        return
    if _DEFINITION.match(stripped) or reason == "definitions":
        u.skip = "definition"
        return
    if u.section is None or u.kind == "footnote":
        if _BASIS.match(stripped) or _ENACTING.search(stripped):
            u.skip = "preamble"
            return
    if _ENACTING.search(stripped) and not any(_timed(d) for d in _find(text, ctx, section=u.section)):
        u.skip = "introduces what follows"  # "… thực hiện một số nội dung sau:" (with a date it is a duty too)
        return
    if stripped.isupper():
        u.skip = "heading"
        return
    listed = li is not None and bool(li.refs or li.deontic)
    if (not _TERMINAL.search(stripped) and not (u.bullet and u.marker in ("-", "+", ""))
            and not (listed and ends_section)):
        # Body text ends in punctuation; a line without it is a title set as a paragraph
        # ("Tổ chức nghiên cứu, học tập, quán triệt …") or an introduction cut short. A dash item is
        # no title: the last item of a list often goes without its full stop.
        u.skip = "title line (no final punctuation)"
        return

    copular = u.copular if u.scan is not None else _read(u, ctx)
    deontic = u.deontic or (li.deontic if li is not None else None)
    masked_low, pred = u.masked_low, u.pred
    predicate = masked_low[pred:].strip(" ,")
    dated = any(_dated(d) for d in u.deadlines)

    if copular and not u.subject:
        u.skip = "definition"
        return
    if reason == "assessment" and deontic is None:
        u.skip = "result (assessment part)"
        return
    if ctx.aims.get(u.section) and deontic is None and not any(
            d.end or d.relative or getattr(d, "event", None) for d in u.deadlines):
        u.skip = "aims"  # a target with a date ("đến 31/12/2025, 100% chi bộ …") or a time limit is a duty
        return
    if u.section is None and u.kind == "body" and deontic is None and not dated:
        u.skip = "preamble"  # what a preamble tells without a modal verb or a date is context
        return
    if deontic or listed:
        return
    if _DESCRIPTIVE.match(predicate):
        u.skip = "narrative"
        return
    if u.subject:
        return
    if dated:
        return
    if _DESCRIPTION.match(predicate) and not _DESCRIPTION.match(predicate[:4]):
        u.skip = "description"
        return
    start_text = text[pred:].lstrip(" -–+•")
    # "Mỗi quý một lần làm việc với …", "Hằng tháng, báo cáo …": a time phrase before the verb
    opening = len(text) - len(start_text)
    for d in sorted((d for d in u.deadlines if d.span), key=lambda d: d.span.start):
        if d.span.start <= opening + 1 < d.span.end + 1 or d.span.start == opening:
            start_text = _TIMES.sub("", text[d.span.end:].lstrip(" ,:-–"), count=1)
            break
    if u.causees and _CAUSATIVE.match(folded(start_text)):
        return  # "Lãnh đạo Ủy ban nhân dân tỉnh rà soát …", "Chỉ đạo Báo … mở chuyên mục": a task
    if not _starts_with_verb(start_text):
        u.skip = "not a task"


# ---------------------------------------------------------------------------------------------
# Duty clauses: one obligation per clause that holds its own time phrase


@dataclass
class _Clause:
    start: int  # unit coordinates, trimmed
    end: int
    deadlines: list[Deadline]
    segment: int = 0  # the ";"-segment it was cut from (pieces cut between two time phrases share one)


_SPLIT_AT = re.compile(r",\s*|\s+(?:và|hoặc)\s+")
MIN_CLAUSE_WORDS = 2  # words outside its time phrase a split-off clause needs (else it is no duty of its own)


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in " \n;,:":
        a += 1
    while b > a and text[b - 1] in " \n;,:":
        b -= 1
    return a, b


def _word_starts(text: str) -> list[int]:
    return [m.start() for m in re.finditer(r"[^\W\d_]+", text)]


def _words_outside(starts: list[int], a: int, b: int, ds: list[Deadline]) -> int:
    """Words starting in [a, b) outside the time phrases there (bisection over the word starts)."""
    n = bisect.bisect_left(starts, b) - bisect.bisect_left(starts, a)
    for d in ds:
        if d.span and a <= d.span.start and d.span.end <= b:
            n -= bisect.bisect_left(starts, d.span.end) - bisect.bisect_left(starts, d.span.start)
    return n


def _condition_end(folded_text: str, a: int, b: int, low: str = "") -> int:
    """End of the condition a clause opens with ("trường hợp … quá 12 tháng| thì …", "Đảng viên bị
    thi hành kỷ luật trong năm| thì xếp loại …"), else `a`: time phrases before it are not deadlines.
    Without an opening word only "thì" as written (`low`, the text lower-cased) ends one: folded,
    "thi đua" would read as "thì"."""
    lead = a
    while lead < b and folded_text[lead] in " -–+•":
        lead += 1
    if not _CONDITION.match(folded_text, lead):
        m = _THEN.search(low, lead, b) if low else None
        return m.start() if m else a
    m = re.compile(r"(?<![0-9a-z])thi(?![0-9a-z])|,").search(folded_text, lead, b)
    return m.start() if m else b


def _duty_clauses(u: _Unit) -> list[_Clause]:
    text = u.text
    inside = u.inside
    f = u.scan.f
    ds = sorted((d for d in u.deadlines if d.span), key=lambda d: d.span.start)
    at = [d.span.start for d in ds]

    def within(a: int, b: int) -> list[Deadline]:
        return ds[bisect.bisect_left(at, a):bisect.bisect_left(at, b)]

    words = _word_starts(text)
    segs = _segments(text, inside, ";")
    if len(segs) < 2 or not any(within(a, b) for a, b in segs):
        segs = [(0, len(text))]
    out: list[_Clause] = []
    for seg_no, (a, b) in enumerate(segs):
        cond = _condition_end(f, a, b, u.masked_low)
        mine = [d for d in within(a, b) if d.span.end > cond]
        pieces = [(a, b, mine)]
        complete = [d for d in mine if _dated(d)]
        if len(complete) >= 2:
            # between two time phrases, cut at the last "," or "và" outside brackets
            pieces = []
            cut_from = a
            plain = _blank_marks(text)  # "và⁶ tổ chức sơ kết …": a marker never hides the joint
            for d1, d2 in zip(complete, complete[1:]):
                cut = None
                for m in _SPLIT_AT.finditer(plain, d1.span.end, d2.span.start):
                    if not inside[m.start()]:
                        cut = m
                if cut is None:
                    continue
                left = (cut_from, cut.start())
                if (_words_outside(words, *left, within(*left)) < MIN_CLAUSE_WORDS
                        or _words_outside(words, cut.end(), d2.span.end, [d2]) < MIN_CLAUSE_WORDS):
                    continue
                pieces.append((left[0], left[1], [d for d in within(*left) if d.span.end > cond]))
                cut_from = cut.end()
            pieces.append((cut_from, b, [d for d in within(cut_from, b) if d.span.end > cond]))
        for pa, pb, pds in pieces:
            pa, pb = _trim(text, pa, pb)
            if pb > pa:
                out.append(_Clause(pa, pb, pds, seg_no))
    if len(out) > 1:
        # the last clause keeps the sentence's full stop
        last = out[-1]
        if text[last.end:].strip() in (".", "…", "!") or text[last.end:].strip().startswith("."):
            out[-1] = _Clause(last.start, text.rstrip().__len__(), last.deadlines, last.segment)
    elif out:
        out[0] = _Clause(*(_trim_sentence(text)), out[0].deadlines, out[0].segment)
    return out


def _trim_sentence(text: str) -> tuple[int, int]:
    a = len(text) - len(text.lstrip())
    return a, len(text.rstrip())


# ---------------------------------------------------------------------------------------------
# Modality and action


def _modality(text: str, pred: int, deontic: str | None, end: int | None = None) -> str:
    p = text[pred:end].lstrip(" ,-–+•")
    lm = _LEADING_MODAL.match(p.lower())
    if deontic:
        # "Tiếp tục … phải …" is still a must; the deontic marker wins over a leading one
        return "nghiêm cấm" if deontic == "cấm" else deontic
    if lm:
        return lm.group(1)
    return "thực hiện"


def _action(text: str, pred: int, has_subject: bool, end: int | None = None) -> str:
    p = text[pred:end]
    label = _LABEL.match(p.lstrip())
    if label and not has_subject:
        p = p.lstrip()[label.end():]
    return p.strip(" ,-–+•;:" + _SUPERSCRIPTS).rstrip(" .;:")


# ---------------------------------------------------------------------------------------------
# Inheritance, exceptions


# ---------------------------------------------------------------------------------------------
# Lead-ins: "Giao Ban Dân vận Huyện ủy: - …; - …", "Đảng ủy các xã, thị trấn có trách nhiệm: a) …"


@dataclass
class _LeadIn:
    """A sentence ending in ":" that introduces a list, and what its items inherit."""
    index: int
    section: str | None
    para: int
    refs: list[ActorRef] = field(default_factory=list)  # document coordinates
    deontic: str | None = None
    marker: str = ""  # the kind of label its items carry (set by the first item)
    paras: set[int] = field(default_factory=set)  # the paragraphs found to be its items
    # "Giai đoạn 1 (từ tháng 7 đến hết tháng 9/2027):" — the time its items are done in (document
    # coordinates), and the lead-in's span, which states it
    time: Deadline | None = None
    source: tuple[int, int] | None = None


# The verbs that hand the items over to the people after them: "Giao Ban Dân vận Huyện ủy:", "Đề nghị
# Ủy ban nhân dân huyện:" — the items are theirs, not the assigner's. ("Chỉ đạo X:" keeps both.)
_ASSIGN = re.compile(r"(?<![0-9a-z])(?:giao(?:\s+cho)?|de\s+nghi|yeu\s+cau)\s+")


def _item_of(u: _Unit, li: _LeadIn, ctx: _Ctx) -> bool:
    """Whether `u` is an item of the lead-in: a sentence of a paragraph already found to be one, a
    sentence of a section under the lead-in's (its points "a)", "b)"), or a list item of the lead-in's
    section labelled like its first item (a "+" item under a "-" item is a nested list's)."""
    if u.para == li.para:
        return False
    if u.para in li.paras:
        return True
    if li.section is not None and u.section != li.section and li.section in ctx.chain(u.section):
        li.paras.add(u.para)
        return True
    if u.section == li.section and u.bullet and u.marker:
        li.marker = li.marker or u.marker
        if u.marker == li.marker:
            li.paras.add(u.para)
            return True
    return False


def _lead_in_refs(u: _Unit) -> list[ActorRef]:
    """Who a lead-in's items bind: the people it hands them to ("Giao …", "Đề nghị …"), else its
    subject and the people it makes act."""
    assigned: list[ActorRef] = []
    for m in _ASSIGN.finditer(u.scan.f):
        if u.inside[m.start()] or _in_mention(u, m.start()):
            continue
        ph = _phrase_at(u, m.end(), len(u.text))  # the whole list: "Giao các huyện ủy, thị ủy, thành ủy:"
        if ph is not None:
            assigned += [replace(r, part="lead") for r in ph.refs]
    refs = assigned or u.subject + u.causees
    if not refs:
        # a label naming them ("- Ban Tuyên giáo Huyện ủy:"), or the people a leading modal verb
        # binds ("Nghiêm cấm cán bộ, đảng viên:")
        lead = len(u.text) - len(u.text.lstrip(" -–+•"))
        dm = _DEONTIC.match(u.text.lower(), lead)
        at = _skip_spaces(u.text, dm.end()) if dm else lead
        ph = _phrase_at(u, at, len(u.text))
        if ph is not None and u.text[ph.end:].strip(" " + _SUPERSCRIPTS) == ":":
            refs = ph.refs
    return _shift(_dedupe(refs), u.start)


# Words besides its time a phase's label may have: "Giai đoạn 2: từ tháng 10/2027 đến hết tháng 3/2028: …",
# "Bước 1 (trong quý I/2027):", "Năm 2027:". More, and the words before the colon say something of their own
# ("Các chi bộ hoàn thành trong quý I: …" is a duty, not a phase).
PHASE_LABEL_WORDS = 4
_PHASE_END = re.compile(r"\s*\)?\s*:")


def _phase_time(u: _Unit) -> Deadline | None:
    """The time a sentence or lead-in opens with, a short label at most, before a colon: the time of
    every duty after the colon that states none of its own (unit coordinates)."""
    for d in u.deadlines:
        if d.span is None or not _dated(d) or not (d.start and d.end):
            continue
        if not _PHASE_END.match(u.text, d.span.end):
            continue
        label = re.sub(r"^[\s\-–+•*]*", "", u.text[:d.span.start]).rstrip(" (,:-–")
        if len(re.findall(r"[^\W_]+", label)) <= PHASE_LABEL_WORDS and ":" not in label:
            return d
    return None


def _heads(ctx: _Ctx, path: str | None, u: _Unit) -> bool:
    """Whether `u` is the heading sentence of section `path` ("3. Tiếp tục triển khai thực hiện Kết
    luận số 14-KL/TW …", followed by "Các cơ quan, đơn vị …"): the section's body names who does it.
    Not a point's ("b) Báo cáo sơ kết …"): a point is a list item, and a paragraph after the list is
    not its body."""
    sec = ctx.section(path)
    return (sec is not None and path == u.section and getattr(sec, "kind", "") != "point"
            and sec.start <= u.start < sec.heading_end)


def _skip_spaces(text: str, p: int) -> int:
    while p < len(text) and text[p] == " ":
        p += 1
    return p


def _lead_ins(units: list[_Unit], ctx: _Ctx) -> tuple[dict[int, _LeadIn], set[int]]:
    """unit index → the lead-in it is an item of (nested lists: the innermost); and the indexes of
    the lead-ins. A lead-in without actors lends its modal verb only ("Nghiêm cấm: - …"); one inside
    another's list without actors of its own passes the outer one's on."""
    out: dict[int, _LeadIn] = {}
    heads: set[int] = set()
    body = [i for i, u in enumerate(units) if u.kind == "body"]
    stack: list[_LeadIn] = []
    for n, i in enumerate(body):
        u = units[i]
        while stack and not _item_of(u, stack[-1], ctx):
            stack.pop()
        if stack:
            out[i] = stack[-1]
        if n + 1 >= len(body) or not u.text.rstrip().endswith(":"):
            continue
        li = _LeadIn(i, u.section, u.para)
        if not _item_of(units[body[n + 1]], li, ctx):
            continue
        if u.scan is None:
            _read(u, ctx)  # skipped before reading ("… các nhiệm vụ sau:"): its actors still count
        outer = stack[-1] if stack else None
        li.refs = _lead_in_refs(u) or (outer.refs if outer else [])
        li.deontic = u.deontic or (outer.deontic if outer else None)
        phase = _phase_time(u)
        if phase is not None:
            li.time, li.source = _doc_span(phase, u.start), (u.start, u.start + phase.span.end)
        elif outer is not None:
            li.time, li.source = outer.time, outer.source
        stack.append(li)
        heads.add(i)
    return out, heads


_CENTRAL = {"Bộ Chính trị", "Ban Bí thư", "Ban Chấp hành Trung ương"}


def _document_people(doc: Document) -> list[ActorRef]:
    """A regulation whose title names only people ("chuẩn mực đạo đức cách mạng của cán bộ, đảng
    viên") binds them in its subjectless articles. A title that also names bodies is ambiguous
    (who supervises whom?) and lends nothing."""
    if not doc.title:
        return []
    issuer = set(find_actors(doc.issuer or ""))
    refs = [r for r in phrase_refs(doc.title) if r.category not in _CENTRAL and r.category not in issuer]
    if not refs or any((actor(r.category) and actor(r.category).kind == "body") for r in refs):
        return []
    return [replace(r, start=-1, end=-1) for r in refs]


# "Điều 5. Nhiệm vụ, quyền hạn của Trưởng ban": the article's subjectless sentences are the duties of
# the body or post its title names.
_DUTIES_OF = re.compile(r"\s*(?:(?:nhiệm vụ|quyền hạn|trách nhiệm|chức năng|nghĩa vụ)(?:\s*,\s*|\s+và\s+)?)+"
                        r"\s*(?:của|đối với)\s+(?:các\s+|những\s+)?", re.I)


def _title_subject(ctx: _Ctx, path: str | None) -> list[ActorRef]:
    """A section title that opens with actors ("Ban cán sự đảng Ủy ban nhân dân tỉnh lãnh đạo rà
    soát …", "Ban Tuyên giáo và Dân vận Tỉnh ủy, Đảng đoàn …") names who does its points."""
    sec = ctx.section(path)
    if sec is None or not sec.title:
        return []
    title = sec.title
    m = _DUTIES_OF.match(title) or re.match(r"\s*", title)
    ph = actor_phrase(title, m.end(), ctx.terms)
    if ph is None:
        return []
    at = ctx.doc.text.find(title, sec.start, sec.heading_end + 1)
    refs = []
    for r in ph.refs:
        if at >= 0:
            refs.append(replace(r, start=r.start + at, end=r.end + at))
        else:
            refs.append(replace(r, start=-1, end=-1))
    return refs


# Words a khoản may open with before what it speaks of: "Không xem xét phản ánh nặc danh …".
_OPENING_SKIP = frozenset({"không", "chưa", "phải", "cần", "nghiêm cấm", "cấm", "được", "bị", "các", "những", "mọi"})


# Opening words of a khoản that states a time rule, never more of the khoản before's duty.
_TIME_OPENINGS = frozenset({"thời hạn", "thời gian", "hạn", "hạn chót", "thời điểm"})


@lru_cache(maxsize=4096)
def _opening_word(text: str) -> str:
    """The first word (underthesea's segmentation) of what a sentence speaks of, lower case: "báo cáo"
    of "Báo cáo năm gửi trước ngày 05/12", "xem xét" of "Không xem xét phản ánh …"."""
    head = " ".join(text.split()[:POS_WORDS])
    head = head[:1].lower() + head[1:]
    try:
        from .tokenize import underthesea

        tagged = underthesea().pos_tag(head)
    except Exception:  # pragma: no cover - underthesea is a dependency
        return ""
    for word, tag in tagged:
        w = word.lower().replace("_", " ")
        if tag != "CH" and w not in _OPENING_SKIP and re.search(r"[^\W\d_]", w):
            return w
    return ""


def _earlier_clause_lead(ctx: _Ctx, path: str, leads: dict, actions: dict) -> list[ActorRef]:
    """A khoản with no subject of its own, in an Điều whose title names nobody, that speaks of what the
    khoản before it does continues its duties: "1. Ủy ban kiểm tra huyện ủy … báo cáo kết quả giám sát …
    định kỳ hằng quý, … 2. Báo cáo năm gửi trước ngày 05/12 hằng năm; …" — the reports of khoản 2 are
    the same body's. The actors of the nearest earlier khoản of the same Điều that names its subject,
    when the khoản opens with a word of that khoản's action ("Báo cáo", "Đơn", "Chương trình công tác").
    A khoản that opens with something else ("Thời hạn giải quyết khiếu nại …" after "tổ chức đảng, đảng
    viên có quyền khiếu nại …", "Kết luận cuộc họp được Cơ quan thường trực thông báo …") is about
    another party's doing or a rule: it lends nothing (no actor rather than a wrong one)."""
    sec = ctx.section(path)
    if sec is None or getattr(sec, "kind", "") != "clause" or sec.parent is None:
        return []
    parent = ctx.section(sec.parent)
    if parent is None or getattr(parent, "kind", "") != "article":
        return []
    earlier = [s for s in ctx.doc.sections if s.parent == sec.parent and getattr(s, "kind", "") == "clause"
               and s.start < sec.start]
    for s in sorted(earlier, key=lambda s: s.start, reverse=True):
        lead = leads.get(s.path)
        if lead is None:
            continue
        word = _opening_word(sec.title)
        if word in _TIME_OPENINGS:
            return []  # "Thời hạn giải quyết …": a rule of time, whatever time words the khoản before holds
        action = " ".join(actions.get(s.path, "").lower().split())
        if word and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", action):
            return lead[2]
        return []
    return []


def document_actors(doc: Document) -> list[ActorRef]:
    """Every body, post and category of people the document names (its duties' actors and every
    other mention: recipients, bodies a sentence only cites), spans in Document.text. The service
    stores their names so that `ingest.actors.role_list` / `match_role(…, known_actors=…)` offer
    every body a stored document names as a role ("no duty of your own" is a valid answer)."""
    return phrase_refs(doc.text, _document_terms(doc))


def _document_terms(doc: Document) -> Terms:
    """The actors the document defines, and its issuing body's posts it names without that body."""
    issuer = "\n".join(doc.text[f.start:f.end] for f in doc.fields if f.name == "issuer")
    return issuer_posts(issuer, defined_terms(doc.text))


def _shift(refs: list[ActorRef], offset: int) -> list[ActorRef]:
    return [replace(r, start=r.start + offset, end=r.end + offset) if r.start >= 0 else r for r in refs]


def _dedupe(refs: list[ActorRef]) -> list[ActorRef]:
    seen, out = set(), []
    for r in refs:
        k = (r.name, r.category, r.owner, tuple(r.levels), r.part)
        if k not in seen:
            seen.add(k)
            out.append(r)
    return out


def _categories(refs: list[ActorRef]) -> list[str]:
    """Obligation.actors: the gazetteer categories of the bound (not of those who only cooperate)."""
    return list(dict.fromkeys(r.category for r in refs if r.part != "support"))


def extract_obligations(doc: Document) -> list[Obligation]:
    ctx = _context(doc)
    units = _units(doc)
    item_of, lead_ins = _lead_ins(units, ctx)
    following: dict[str, str | None] = {}  # kind → section of the next unit of that kind (a pass backwards)
    ends = [False] * len(units)
    for i in range(len(units) - 1, -1, -1):
        u = units[i]
        ends[i] = following.get(u.kind, "\0") != u.section
        following[u.kind] = u.section
    for i, u in enumerate(units):
        _analyse(u, ctx, item_of.get(i), ends_section=ends[i])

    # Section leads: the first analysed sentence of a section with a subject of its own — lent to
    # the sentences after it, and to those before it in its own paragraph only (a paragraph after a
    # list names its own actors; it does not lend them back to the list's last item).
    leads: dict[str | None, tuple[int, int, list[ActorRef]]] = {}
    lead_actions: dict[str | None, str] = {}  # what the lead sentence says its subject does
    for u in units:
        if u.kind == "body" and u.skip is None and u.subject and u.section not in leads:
            leads[u.section] = (u.start, u.para, _shift(_dedupe(u.subject + u.causees), u.start))
            lead_actions[u.section] = u.text[u.pred:]
    titles: dict[str | None, list[ActorRef]] = {}
    doc_people = _document_people(doc)
    para_first: dict[int, list[ActorRef]] = {}

    def inherited(u: _Unit, li: _LeadIn | None) -> list[ActorRef]:
        if u.bullet and u.para in para_first:
            return para_first[u.para]  # a list item's later sentences: its own first subject
        child = None
        for p in ctx.chain(u.section):
            if li is not None and li.refs and p == li.section:
                return li.refs  # an item of a lead-in ("Giao Ban Dân vận Huyện ủy: - …; - …")
            lead = leads.get(p)
            if lead is not None and (lead[0] <= u.start or lead[1] == u.para or _heads(ctx, p, u)):
                return lead[2]
            if p not in titles:
                titles[p] = _title_subject(ctx, p)
            if titles[p]:
                return titles[p]
            if child is not None and (earlier := _earlier_clause_lead(ctx, child, leads, lead_actions)):
                return earlier
            child = p
        return doc_people

    resolved: dict[int, list[ActorRef]] = {}
    for i, u in enumerate(units):
        if u.kind != "body":
            continue
        own = _shift(_dedupe(u.subject + u.causees), u.start) if u.subject else []
        if own and u.para not in para_first:
            para_first[u.para] = own
        resolved[i] = own or inherited(u, item_of.get(i))

    unit_starts = [u.start for u in units]
    by_marker: dict[int, list[ActorRef]] = {}  # footnote number → actors of the sentence holding its marker
    marker_unit: dict[int, int] = {}
    for fn in doc.footnotes:
        if fn.marker_start is None:
            continue
        i = bisect.bisect_right(unit_starts, fn.marker_start) - 1
        if i >= 0 and units[i].kind == "body" and units[i].start <= fn.marker_start < units[i].end:
            by_marker[fn.number] = resolved.get(i, [])
            marker_unit[fn.number] = i
    narrowing = [fn for fn in doc.footnotes if _EXCEPTION_START.match(fn.text or "")]

    out: list[Obligation] = []
    for i, u in enumerate(units):
        if u.skip is not None:
            continue
        if i in lead_ins and not any(_timed(d) for d in u.deadlines):
            continue  # "Đảng ủy các xã, thị trấn có trách nhiệm:" — its items are the duties
        li = item_of.get(i)
        lent = li.deontic if li is not None and not u.deontic else None  # "Nghiêm cấm: - …"
        if u.kind == "footnote":
            num = int(re.sub(r"\D", "", u.section or "") or 0)
            base = _shift(u.subject, u.start) or by_marker.get(num, [])
            if not (u.deontic or any(_dated(d) for d in u.deadlines)):
                continue  # a footnote is an obligation only when it says "phải …" or gives a date
        else:
            base = resolved.get(i, [])
        inside, masked_low = u.inside, u.masked_low
        clauses = _duty_clauses(u)
        # the time the sentence (or its lead-in) opens with, for its duties that state none
        phase = _phase_time(u) if u.kind == "body" else None
        phase_time = _doc_span(phase, u.start) if phase is not None else (li.time if li is not None else None)
        phase_source = (u.start, u.start + phase.span.end) if phase is not None else (li.source if li is not None else None)
        segment_subject: dict[int, list[ActorRef]] = {}  # the subject each ";"-segment names
        for n, cl in enumerate(clauses):
            first = n == 0
            fallback = base
            if first and u.pred < cl.end:
                pred = max(u.pred, cl.start)
                own: list[ActorRef] = _shift(u.subject, u.start)
            elif first:
                # The sentence's subject stands in a later clause ("Giao đồng chí X …, trình … trước
                # 30/4; đồng chí Y trực tiếp chỉ đạo …"): this clause has none of its own, and the
                # later subject is not its actor — those it makes act are (none rather than a wrong one).
                pred, own, fallback = cl.start, [], []
            else:
                sub = _subject(u, cl.start, cl.end, inside, masked_low)
                own = _shift(sub.refs, u.start) if sub and not sub.label and not sub.copular else []
                pred = sub.pred if own else cl.start
            named = bool(own)  # the clause names its subject itself
            if own:
                segment_subject.setdefault(cl.segment, own)
            elif cl.segment in segment_subject:
                # cut from its segment between two time phrases ("mỗi chi bộ thôn sinh hoạt … trong quý III
                # và một lần trong quý IV"): the segment's subject, not the sentence's
                own = segment_subject[cl.segment]
            # a later clause without a subject of its own has the sentence's (not the people an
            # earlier clause made act or cooperate)
            acts = own or (_shift(u.subject, u.start) if (not first and u.subject) else fallback)
            extra = _shift(_made_to_act(u, cl.start, cl.end, inside), u.start)
            refs = _dedupe(acts + [r for r in extra if (r.category, r.owner) not in {(a.category, a.owner) for a in acts}])
            deadline, recurrence = _primary(cl.deadlines)
            start, end = u.start + cl.start, u.start + cl.end
            timed_by_phase = None
            if (phase_time is not None and recurrence is None and not any(_timed(d) for d in cl.deadlines)
                    and not (start <= phase_time.span.start < end)):
                timed_by_phase = phase_time
            exc = _exceptions(doc, u, cl, refs, narrowing, marker_unit, i)
            action = _action(u.text, pred, named, cl.end)
            if not action:
                continue
            times = [(deadline, recurrence)]
            members = _coordination(u.text, cl.deadlines) if deadline is not None else []
            if any(m.span == deadline.span for m in members):
                times = [(m, m.recurrence or recurrence) for m in members]  # one duty due at each time
            for k, (when, rhythm) in enumerate(times):
                out.append(Obligation(
                    id=f"{doc.doc_id}:{start}" + (f".{k}" if k else ""),
                    actors=_categories(refs),
                    action=action,
                    modality=_modality(u.text, pred, (u.deontic if (first or _DEONTIC.search(masked_low, cl.start, cl.end))
                                                      else None) or lent, cl.end),
                    deadline=timed_by_phase or (_doc_span(when, u.start) if when else None),
                    recurrence=rhythm,
                    section=u.section,
                    start=start,
                    end=end,
                    deadline_source=phase_source if timed_by_phase is not None else None,
                    exceptions=list(exc),
                    exception_sources=list(exc.values()),
                    actor_refs=refs,
                    context=(u.start, u.end) if len(clauses) > 1 else None,
                ))
    out += _table_obligations(doc, ctx)
    _posts_of_the_body(doc, out)
    out.sort(key=lambda o: o.start)
    _attach_section_footnotes(doc, out, narrowing, marker_unit, units)
    _completion_deadlines(doc, out)
    _period_deadlines(doc, ctx, out)
    return out


# "Quy chế làm việc của Ban Chỉ đạo …": the body a document (or its annexed Quy chế) is about.
_OF_BODY = re.compile(r"(?<!\w)(?:của|cho)\s+", re.I)


def _subject_body(title: str | None) -> ActorRef | None:
    """The body a title says the document is about: the first actor after "của" ("Quy chế làm việc của
    Ban Chỉ đạo tỉnh về phòng, chống tham nhũng")."""
    if not title:
        return None
    m = _OF_BODY.search(title)
    ph = actor_phrase(title, m.end()) if m else None
    if ph is None or len(ph.refs) != 1:
        return None
    body = ph.refs[0]
    return body if getattr(actor(body.category), "kind", "") == "body" else None


def _posts_of_the_body(doc: Document, obligations: list[Obligation]) -> None:
    """A post named without its body in a document about one body is that body's post: the "Trưởng ban",
    "Phó Trưởng ban Thường trực" of a Quy chế làm việc của Ban Chỉ đạo are the Ban Chỉ đạo's (the
    gazetteer's post of that body of which the generic one is a broader category), so a Trưởng phòng
    elsewhere is not given their duties and the Trưởng Ban Chỉ đạo is."""
    subjects: dict[str | None, ActorRef | None] = {None: _subject_body(doc.title)}
    for s in doc.sections:
        if getattr(s, "kind", "") == "annex":
            subjects[s.path] = _subject_body(s.title) or subjects[None]
    annexes = [p for p in subjects if p]
    for o in obligations:
        where = next((p for p in annexes if o.section and (o.section == p or o.section.startswith(p + ","))), None)
        body = subjects[where]
        if body is None:
            continue
        changed = False
        refs = []
        for r in o.actor_refs:
            own = actor(r.category)
            post = own_post(r.category, body.category) if own is not None and own.kind == "position" \
                and r.owner in (None, own.of) else None
            if post is not None:
                r = replace(r, category=post, owner=body.category, levels=r.levels or list(body.levels))
                changed = True
            refs.append(r)
        if changed:
            o.actor_refs = refs
            o.actors = _categories(refs)


# A period the duty reports on or compares with, not the one it is done in: "kết quả thực hiện năm
# 2024", "tổng kết năm 2024", "so với năm 2024".
_REPORTED = re.compile(r"(?<!\w)(?:kết quả|tình hình|đánh giá|tổng kết|sơ kết|kiểm điểm|so với|sau)"
                       r"(?:\s+[^\W\d_]+){0,3}\s+$", re.I)


def _period_deadlines(doc: Document, ctx: _Ctx, obligations: list[Obligation]) -> None:
    """A duty still without any time phrase takes the period its words name ("đăng ký … trong bản
    cam kết tu dưỡng, rèn luyện năm 2025", "cắt giảm … công tác phí năm 2025 so với năm 2024"): the
    grammar reads such a bare period only when asked, for a clause known to be a duty with no other
    time phrase — after completion sentences, which name the duty's own deadline."""
    for o in obligations:
        if o.deadline is not None or o.recurrence or o.context == (o.start, o.end):
            continue
        quote = doc.text[o.start:o.end]
        found = _usable(quote, _find(quote, ctx, bare_periods=True, section=o.section), _quote_depth(quote))
        cond = _condition_end(folded(quote), 0, len(quote), quote.lower())  # "… trong năm thì …": a condition
        dated = [d for d in found if d.start and d.end and d.span is not None and d.span.end > cond
                 and not (ctx.year and d.end.year < ctx.year)  # "sau kiểm điểm năm 2023": the past
                 and not _REPORTED.search(quote[max(0, d.span.start - _LOOKBACK):d.span.start])]
        if len(dated) == 1:  # one period, or it is not clear which one the duty covers
            o.deadline = _doc_span(dated[0], o.start)


def _exceptions(doc: Document, u: _Unit, cl: _Clause, refs: list[ActorRef], narrowing, marker_unit,
                i: int) -> dict[str, tuple[int, int, str | None]]:
    """Exception text → where it is stated: the "(trừ …)" of the clause's actors, quoted as written,
    and the narrowing footnotes whose marker stands in this sentence."""
    out: dict[str, tuple[int, int, str | None]] = {}
    for r in refs:
        if not r.excluded or r.start < 0:
            continue
        # the exclusion's own words, found inside the actor's span
        span = doc.text[r.start:r.end]
        m = re.search(r"\(?\s*((?:ngoại\s+)?trừ\s[^()]*?|không\s+(?:bao\s+gồm|áp\s+dụng)[^()]*?)\s*\)?\s*$", span, re.I) \
            or re.search(r"((?:ngoại\s+)?trừ\s[^()]*)", span, re.I)
        if m:
            s, e = r.start + m.start(1), r.start + m.end(1)
            out.setdefault(doc.text[s:e].strip(), (s, e, u.section))
    for fn in narrowing:
        if marker_unit.get(fn.number) == i:  # the marker stands in this sentence: all its clauses
            raw = doc.text[fn.start:fn.end]
            lead = len(raw) - len(raw.lstrip())
            exc = raw.strip()
            out.setdefault(exc, (fn.start + lead, fn.start + lead + len(exc), f"footnote {fn.number}"))
    return out


def _attach_section_footnotes(doc: Document, obligations: list[Obligation], narrowing, marker_unit,
                              units: list[_Unit]) -> None:
    """A footnote narrowing the people of a sentence ("đảng viên²: Trừ đảng viên được miễn sinh
    hoạt; …") also narrows the later duties of that section binding those people — not the duties of
    other actors ("Đối với kế hoạch của cá nhân là lãnh đạo chủ chốt …" names its own)."""
    for fn in narrowing:
        i = marker_unit.get(fn.number)
        if i is None or fn.section is None:
            continue
        holder = units[i]
        people = {r.category for o in obligations if holder.start <= o.start < holder.end for r in o.actor_refs}
        if not people:
            continue
        raw = doc.text[fn.start:fn.end]
        lead = len(raw) - len(raw.lstrip())
        exc = raw.strip()
        src = (fn.start + lead, fn.start + lead + len(exc), f"footnote {fn.number}")
        for o in obligations:
            if o.start < holder.start or exc in o.exceptions or o.section is None:
                continue
            if not (o.section == fn.section or o.section.startswith(fn.section + ".")):
                continue
            cats = {r.category for r in o.actor_refs}
            related = any(c in ancestors(p) or p in ancestors(c) for c in cats for p in people
                          if actor(c) and actor(c).kind != "body" and actor(p) and actor(p).kind != "body")
            if related and not any(r.part == "lead" and actor(r.category) and actor(r.category).kind == "position"
                                   and r.category not in people for r in o.actor_refs):
                o.exceptions.append(exc)
                o.exception_sources.append(src)


# ---------------------------------------------------------------------------------------------
# Duty tables


_LEAD_COL = re.compile(r"chủ\s*trì|thực\s*hiện|phụ\s*trách|cơ\s*quan|đơn\s*vị|trách\s*nhiệm", re.I)
_SUPPORT_COL = re.compile(r"phối\s*hợp", re.I)
_TIME_COL = re.compile(r"thời\s*(?:gian|hạn|điểm)|tiến\s*độ|hoàn\s*thành|thời\s*gian\s*hoàn\s*thành|hạn", re.I)
_CONTENT_COL = re.compile(r"nội\s*dung|nhiệm\s*vụ|công\s*việc|hoạt\s*động|việc", re.I)
_NUMBER_COL = re.compile(r"^\s*(?:tt|stt|số\s*tt|số)\s*$", re.I)
_CELL_SUPPORT = re.compile(r"\s+(?:chủ\s+trì,?\s+)?phối\s+hợp(?:\s+với)?\s+", re.I)


def _columns(cols: list[str]) -> dict[str, int]:
    """Which column holds what: content, lead actors ("chủ trì", "thực hiện"), support ("phối hợp"),
    deadline ("thời gian", "thời hạn"). The first column of each kind wins."""
    found: dict[str, int] = {}
    for i, c in enumerate(cols):
        c = c.strip()
        if _NUMBER_COL.match(c):
            continue
        if _TIME_COL.search(c) and not _CONTENT_COL.match(c):
            kind = "time"
        elif _SUPPORT_COL.search(c) and not re.search(r"chủ\s*trì", c, re.I):
            kind = "support"
        elif _LEAD_COL.search(c) and not _CONTENT_COL.match(c):
            kind = "lead"
        elif _CONTENT_COL.search(c):
            kind = "content"
        else:
            continue
        found.setdefault(kind, i)
    return found


def _table_obligations(doc: Document, ctx: _Ctx) -> list[Obligation]:
    out: list[Obligation] = []
    for table in getattr(doc, "tables", []) or []:
        cols = _columns(list(table.columns))
        if "content" not in cols or not ("lead" in cols or "time" in cols):
            continue
        for row in table.rows:
            cells = list(row.cells)

            def cell(name: str):
                i = cols.get(name)
                return cells[i] if i is not None and i < len(cells) else None

            content = cell("content")
            if content is None or content.end <= content.start:
                continue
            action = doc.text[content.start:content.end].strip()
            refs: list[ActorRef] = []
            lead = cell("lead")
            if lead is not None and lead.end > lead.start:
                text = doc.text[lead.start:lead.end]
                m = _CELL_SUPPORT.search(text)
                main, rest = (text[:m.start()], text[m.end():]) if m else (text, "")
                refs += _shift(phrase_refs(main, ctx.terms), lead.start)
                if rest:
                    off = lead.start + m.end()
                    refs += [replace(r, part="support") for r in _shift(phrase_refs(rest, ctx.terms), off)]
            sup = cell("support")
            if sup is not None and sup.end > sup.start:
                refs += [replace(r, part="support")
                         for r in _shift(phrase_refs(doc.text[sup.start:sup.end], ctx.terms), sup.start)]
            if not refs:
                refs = _title_subject(ctx, table.section) if table.section else []
            times: list[tuple[Deadline, str | None]] = []
            when = cell("time")
            if when is not None and when.end > when.start:
                raw = doc.text[when.start:when.end]
                lead_ws = len(raw) - len(raw.lstrip())
                for d in _parse_cell_times(raw.strip(), ctx, table.section):
                    if not _timed(d):
                        continue
                    base = when.start + lead_ws
                    span = Span(base + d.span.start, base + d.span.end) if d.span else Span(base, base + len(raw.strip()))
                    times.append((replace(d, span=span, text=doc.text[span.start:span.end]), d.recurrence))
            for k, (deadline, recurrence) in enumerate(times or [(None, None)]):
                out.append(Obligation(
                    id=f"{doc.doc_id}:{row.start}" + (f".{k}" if k else ""),
                    actors=_categories(refs),
                    action=action,
                    modality="thực hiện",
                    deadline=deadline,
                    recurrence=recurrence,
                    section=row.path or table.section,
                    start=row.start,
                    end=row.end,
                    actor_refs=_dedupe(refs),
                    context=(row.start, row.end),
                ))
    return out


# ---------------------------------------------------------------------------------------------
# Completion sentences

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
    hoàn thành việc học tập, quán triệt trong Quý I/2024." counts as subject-less: it names everyone.
    A duty with a time word of its own ("thường xuyên", "hằng năm") keeps it."""
    by_section: dict[str | None, list[Obligation]] = {}
    for o in obligations:
        by_section.setdefault(o.section, []).append(o)
    for c in obligations:
        if c.deadline is None or not (c.deadline.end or c.deadline.start) or c.context == (c.start, c.end):
            continue  # (a table row is not a completion sentence)
        m = _COMPLETION.match(fold(doc.text[c.start:c.end]).lower())
        if not m:
            continue
        words = m.group("object").split()
        head = " ".join(words[-2:]) if len(words) >= 2 else (words[0] if words else "")
        if not head:
            continue
        for o in by_section.get(c.section, []):
            if o is c or o.deadline is not None or o.recurrence:
                continue
            if head in fold(doc.text[o.start:o.end]).lower():
                o.deadline = c.deadline
                o.deadline_source = (c.start, c.end)
