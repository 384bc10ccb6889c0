"""Abstention as a measured decision: when does the store support an answer, and when must the
answer say exactly what is missing (another province, a document not stored, an article the stored
text lacks, a figure no sentence gives)?

Question words ("mấy", "gì", "không", "có phải", "tên", "gồm", "bao nhiêu") never count as evidence
or as unseen words: the query parser strips them from the topic before anything here reads it.
"""
from __future__ import annotations

import re

from ingest.normalize import fold
from ingest.tokenize import syllables
from ingest.places import provinces_in

from ..retrieval.scoring import W
from .context import Context

# The question asks for an amount of money or a share ("bao nhiêu tiền", "mấy phần trăm", "mức
# phụ cấp"): only a sentence that states one can answer it.
_MONEY = re.compile(r"(?<![0-9a-z])(tien|kinh phi|phu cap|tri gia|muc chi|muc dong|luong|dang phi|ho tro|ngan sach)(?![0-9a-z])")
_PERCENT = re.compile(r"(?<![0-9a-z])(phan tram|ty le|ti le)(?![0-9a-z])|%")
_HOW_MUCH = re.compile(r"(?<![0-9a-z])(bao nhieu|may)(?![0-9a-z])")
_ORDINAL_ASK = re.compile(r"(?<![0-9a-z])(thu|khoa|dot|so|lan|nhiem ky)\s+may(?![0-9a-z])")
_MONEY_FIGURE = re.compile(r"\d[\d.,]*\s*(?:đồng|triệu|nghìn|ngàn|tỷ|VNĐ|VND|%)|\d[\d.,]*\s*(?:phần trăm)", re.I)
_PERCENT_FIGURE = re.compile(r"\d[\d.,]*\s*(?:%|phần trăm)", re.I)
# A figure that is not a date, a year, a document number or a section number.
_DATEISH = re.compile(r"\d{1,2}/\d{1,2}(?:/\d{2,4})?|\b(?:19|20)\d{2}\b|\d{1,4}-[A-ZĐ]{1,6}/[A-ZĐ]{1,8}|\b\d+(?:\.\d+)+\.")


# The same words as typed with diacritics: folding merges "lương" with "lượng" (chất lượng).
_MONEY_ACCENTED = re.compile(r"(?<!\w)(tiền|kinh phí|phụ cấp|trị giá|mức chi|mức đóng|lương|đảng phí|hỗ trợ|ngân sách)(?!\w)")


def _asks_money(ctx: Context, low: str) -> bool:
    if ctx.q.typed_without_diacritics:
        return bool(_MONEY.search(low))
    return bool(_MONEY_ACCENTED.search(ctx.q.expanded.lower()))


def asks_amount(ctx: Context) -> str | None:
    """"money" / "percent" / "count" when the question asks how much, else None."""
    low = fold(ctx.q.expanded).lower()
    money = _asks_money(ctx, low)
    if not _HOW_MUCH.search(low) or _ORDINAL_ASK.search(low) and not money:
        return None
    if _PERCENT.search(low):
        return "percent"
    if _CASH_ASK.search(low):
        return "cash"  # "bao nhiêu tỷ đồng": a sum in currency, whatever it is of
    if money:
        # "bao nhiêu tiền", "mấy tỷ đồng": an amount in currency — a share ("61,4%") is no answer.
        return "cash" if _CASH_ASK.search(low) else "money"
    return "count"


# A table's column says what unit its figures are in: "Tỷ lệ (%): 56,6", "Kinh phí (triệu đồng): 120".
_PERCENT_COLUMN = re.compile(r"(?:%|phần trăm|tỷ lệ)[^\d:;]{0,12}:\s*\d", re.I)
_MONEY_COLUMN = re.compile(r"(?:đồng|kinh phí|VNĐ|VND)[^\d:;]{0,12}:\s*\d", re.I)


# A count written in words: "xếp loại theo bốn mức", "ba nhóm nhiệm vụ" ("năm 2026" is a year).
_COUNT_WORDS = re.compile(r"(?<!\w)(?:hai|ba|bốn|tư|năm|sáu|bảy|tám|chín|mười)\s+(?!\d)[^\W\d_]", re.I)


# "có mấy mức", "gồm bao nhiêu bước": the unit counted is the word after the question word.
_COUNTED_UNIT = re.compile(r"(?<![0-9a-z])(?:may|bao nhieu)\s+([a-z]+)(?![0-9a-z])")
_COUNT_FOLDED = r"(?:\d+|hai|ba|bon|tu|nam|sau|bay|tam|chin|muoi)"
# Units that measure time or money, not members of a list: "mấy ngày", "bao nhiêu tiền".
_NOT_LIST_UNITS = frozenset("ngay thang nam quy tuan gio lan tien dong phan".split()
                            # words after "bao nhiêu" that are no unit: "tối thiểu bao nhiêu mỗi năm"
                            + "moi trong cho la thi o tai nua va".split())
# "bao nhiêu người" is answered by people under any name ("09 công chức"); a named kind of person by
# that kind only, a title may stand between ("13/15 đồng chí ủy viên" counts ủy viên, not đảng viên).
_PERSON_UNITS = frozenset({"nguoi"})
_PERSON_NOUN = (r"(?:nguoi|dong chi|can bo|cong chuc|vien chuc|uy vien|thanh vien|dang vien|dai bieu|hoc vien"
                r"|doan vien|hoi vien|quan chung)")


def counted_unit(ctx: Context) -> str | None:
    """The (folded) unit a count question counts — "mức" in "có mấy mức, là những mức nào" — else None."""
    if asks_amount(ctx) != "count":
        return None
    m = _COUNTED_UNIT.search(fold(ctx.q.expanded).lower())
    return m.group(1) if m and m.group(1) not in _NOT_LIST_UNITS else None


# "hội nghị lần thứ mấy", "khóa mấy", "đợt mấy": an ordinal is asked, and only a sentence stating one
# answers ("Hội nghị lần thứ năm", "khóa XII"); the word before "mấy" is what it is the ordinal of.
_ORDINAL_WORD = re.compile(r"(?<![0-9a-z])(lan thu|thu|khoa|dot|nhiem ky)\s+may(?![0-9a-z])")
_ORDINAL_VALUE = r"(?:\d+|[ivxlc]+|nhat|hai|ba|tu|nam|sau|bay|tam|chin|muoi)"


def asked_ordinal(ctx: Context) -> str | None:
    """The (folded) word an ordinal is asked of ("lan thu" in "lần thứ mấy"), else None."""
    m = _ORDINAL_WORD.search(fold(ctx.q.expanded).lower())
    return m.group(1) if m else None


def states_ordinal(word: str, text: str) -> bool:
    """The text states an ordinal of that word: "lần thứ 5", "khóa XII", "đợt hai"."""
    return re.search(rf"(?<![0-9a-z]){re.escape(word)}\s+(?:thu\s+)?{_ORDINAL_VALUE}(?![0-9a-z])",
                     fold(text).lower()) is not None


# "Mỗi lớp tập huấn được cấp bao nhiêu triệu đồng?": an amount per unit, which a total ("tổng kinh phí
# 1.260 triệu đồng", "03 lớp") does not give. Units of time are left out: "mỗi năm" is written "hằng năm".
_PER_UNIT = re.compile(r"(?<![0-9a-z])(?:moi|tung)\s+([a-z]+)(?![0-9a-z])")
_TIME_UNITS = frozenset("ngay tuan thang quy nam gio phut ky dot lan khoa nhiem".split())


def per_unit(ctx: Context) -> str | None:
    """The (folded) unit a how-much question asks the amount of each of ("lop" in "mỗi lớp … bao
    nhiêu"), else None."""
    low = fold(ctx.q.expanded).lower()
    how = _HOW_MUCH.search(low)
    if how is None:
        return None
    for m in _PER_UNIT.finditer(low[:how.start()]):
        typed = ctx.q.expanded[m.start():m.start(1)].strip().lower() if len(low) == len(ctx.q.expanded) else ""
        # as typed: "Bến Mới" folds like "mỗi"
        if (typed.isascii() or typed in ("mỗi", "từng")) and m.group(1) not in _TIME_UNITS:
            return m.group(1)
    return None


def states_per_unit(unit: str, text: str) -> bool:
    """The text gives an amount for each unit: "mỗi lớp", "từng lớp", "/lớp", "bình quân"."""
    low = fold(text).lower()
    return re.search(rf"(?:(?<![0-9a-z])(?:moi|tung)\s+|/\s*){re.escape(unit)}(?![0-9a-z])|(?<![0-9a-z]){re.escape(unit)}"
                     rf"\s+nao\s+cung|(?<![0-9a-z])(?:binh quan|trung binh)(?![0-9a-z])", low) is not None


def asked_duration(ctx: Context) -> str | None:
    """The (folded) time unit of "trước mấy ngày", "trong bao nhiêu tháng", "any" for "bao lâu", else None
    (read once, by the query parser)."""
    return ctx.q.duration


# A span of time as a sentence states it: "03 ngày", "không quá 24 tháng", "từ 90 đến 120 phút",
# "ba ngày làm việc" — a count, maybe a range, then the unit ("năm 2027" is a year, not a span).
# Counts in words leave out those that are other words too ("sáu" folds like "sau" = after, "tư" like "từ",
# "năm" is also the year).
_SPAN_UNITS = ("ngay", "tuan", "thang", "nam", "gio", "phut")
_SPAN_COUNT = r"(?:\d+|mot|hai|ba|bon|bay|chin|muoi)"


def states_duration(unit: str, text: str) -> bool:
    """The text states a span of time in `unit` (any unit for "any")."""
    units = "|".join(_SPAN_UNITS) if unit == "any" else re.escape(unit)
    low = fold(text).lower()
    return re.search(rf"(?<![0-9a-z/]){_SPAN_COUNT}(?:\s*(?:den|-|–)\s*{_SPAN_COUNT})?\s+(?:{units})(?![0-9a-z/])",
                     low) is not None


# Times of facts, not of duties: "vận hành từ khi nào?" (since when), "họp ngày nào?" (a meeting held)
_FACT_TIME = re.compile(r"(?<![a-z])(?:(?P<before>[a-z]+(?:\s+[a-z]+)?)\s+tu\s+(?:khi nao|bao gio|luc nao|nam nao|thang nao|ngay nao)"
                        r"|(?P<verb>hop|dien ra|khai mac|be mac)\s+(?:vao\s+)?(?:ngay|hom|luc|thang)\s+nao)(?![a-z])")
_STATED_DAY = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b|\bngày\s+\d{1,2}\s+tháng\s+\d{1,2}", re.I)
_STATED_MONTH = re.compile(r"\btháng\s+\d{1,2}(?:/|\s+năm\s+)\d{4}\b|\bnăm\s+\d{4}\b", re.I)


# The level a figure is asked of ("toàn huyện có bao nhiêu đảng viên") and the level a sentence or its
# document speaks of ("Đảng bộ xã hiện có …", a document of Đảng ủy xã …).
_ASKED_LEVEL = re.compile(r"(?<![a-z])toan\s+(?P<level>tinh|huyen|thanh pho|thi xa|xa|phuong|thi tran)(?![a-z])")
_SAID_LEVEL = re.compile(r"(?<![a-z])(?:dang bo|toan|cap)\s+(?P<level>tinh|huyen|thanh pho|thi xa|xa|phuong|thi tran)(?![a-z])")
_ISSUER_LEVEL = re.compile(r"(?<![a-z])(?<!co )(?:(?P<level>tinh|huyen|thanh|thi|quan) uy(?! ban)|dang uy (?P<base>xa|phuong|thi tran))(?![a-z])")
_LEVELS = {"tinh": "tinh", "huyen": "huyen", "thanh pho": "huyen", "thi xa": "huyen", "quan": "huyen",
           "thanh": "huyen", "thi": "huyen", "xa": "xa", "phuong": "xa", "thi tran": "xa"}


# A unit named by its level and proper name ("huyện Đông Khê", "xã Phú Lâm"): capitals say it is a name.
_NAMED_UNIT = re.compile(r"(?<!\w)(?P<level>[Tt]ỉnh|[Hh]uyện|[Tt]hành phố|[Tt]hị xã|[Xx]ã|[Pp]hường|[Tt]hị trấn)\s+[A-ZĐ]\w")
# A party cell is the level below the commune: its figures are not the commune's party committee's.
CHI_BO = "chibo"
_RANK = {"tinh": 0, "huyen": 1, "xa": 2, CHI_BO: 3}
# A chi bộ the question asks a figure of (before "bao nhiêu"; "bao nhiêu chi bộ" counts them instead);
# a sentence or issuer that opens with one speaks of it.
_CHI_BO = re.compile(r"(?:^\W*|(?<![a-z])(?:cua|o|tai|trong)\s+)(?:cac\s+)?chi bo(?![a-z])")  # not "bí thư chi bộ"
_CHI_BO_SUBJECT = re.compile(r"^\W*(?:cac\s+)?chi bo(?![a-z])")


_BOUND_ASKED = re.compile(r"(?<![a-z])(?:toi da|toi thieu|it nhat|khong qua|nhieu nhat)\s+(?:la\s+)?(?:bao nhieu|may)(?![a-z])")


def asked_level(ctx: Context) -> str | None:
    """"tinh" / "huyen" / "xa" when the question asks a figure of a whole level ("toàn huyện") or of a
    unit it names ("huyện Đông Khê được giao …"; of several, the lowest: "xã Phú Lâm, huyện Đông Khê"
    asks of the commune)."""
    low = fold(ctx.q.expanded).lower()
    m = _ASKED_LEVEL.search(low)
    if m:
        return _LEVELS[m.group("level")]
    if _BOUND_ASKED.search(low):
        return None  # "chi bộ mình … được đề xuất tối đa mấy người": a rule's bound, no unit's own figure
    how = _HOW_MUCH.search(low)
    if how and _CHI_BO.search(low[:how.start()]):
        return CHI_BO  # "Chi bộ Cơ quan UBND xã An Thạch có bao nhiêu đảng viên?" asks of the chi bộ, not the xã
    named = [_LEVELS[fold(u.group("level")).lower()] for u in _NAMED_UNIT.finditer(ctx.q.expanded)]
    return max(named, key=_RANK.__getitem__) if named else None


def said_level(ctx: Context, doc_id: str, text: str, asked: str | None = None) -> str | None:
    """The level a sentence speaks of: its own words ("Đảng bộ xã hiện có …"), else its issuer's. Words
    the question writes too say what is counted, not whose figure it is ("tỷ lệ cán bộ cấp xã … ở huyện
    Kỳ Phong" asks the district's figure of commune staff)."""
    question = fold(ctx.q.expanded).lower()
    low = fold(text).lower()
    for m in _SAID_LEVEL.finditer(low):
        if m.group(0) not in question:
            return _LEVELS[m.group("level")]
    if _CHI_BO_SUBJECT.match(low):
        return CHI_BO
    entry = ctx.document(doc_id) or {}
    if asked == CHI_BO and _CHI_BO_SUBJECT.match(fold(entry.get("issuer") or "").lower()):
        return CHI_BO  # a chi bộ's own document speaks of the chi bộ (and of its commune, asked of that)
    return issuer_level(entry)


def issuer_level(entry: dict) -> str | None:
    """"tinh" / "huyen" / "xa": the level of the committee that issued a document (its catalog entry) —
    the lowest unit its name names ("Chi bộ Cơ quan Ủy ban nhân dân xã An Thạch" is of xã), else its
    committee's word ("Huyện ủy …")."""
    issuer = entry.get("issuer") or ""
    named = [_LEVELS[fold(u.group("level")).lower()] for u in _NAMED_UNIT.finditer(issuer)]
    if named:
        return max(named, key=_RANK.__getitem__)
    m = _ISSUER_LEVEL.search(fold(issuer).lower())
    return _LEVELS[m.group("level") or m.group("base")] if m else None


# "Ai chủ trì hội nghị?", "đồng chí nào phụ trách …", "do ai chủ trì": who did or does an act, asked of
# a sentence (the signer and the issuer are metadata's). The act is the two syllables after the word.
_WHO = re.compile(r"(?<![0-9a-z])(?:ai|nguoi nao|dong chi nao)\s+(?:la nguoi\s+)?(?!ky\b|ban hanh\b|duoc\b|phai\b|can\b|co\b|la\b)"
                  r"(?P<verb>[a-z]+\s+[a-z]+|[a-z]+(?=\s*[?.!]*\s*$))")  # (or one syllable ending the question: "ai làm?")
# A person as documents name one: "đồng chí Trần Văn Nam", "đ/c Lan", or a full name (three capitalised words).
_PERSON = re.compile(r"(?:[Đđ]ồng chí|[Đđ]/c)\s+[A-ZĐ]\w*|(?<!\w)[A-ZĐ][a-zà-ỹ]+(?:\s+[A-ZĐ][a-zà-ỹ]+){2,}")


def syllable_text(text: str) -> str:
    """The text's folded syllables, joined by spaces and padded with one: a phrase of whole syllables is
    found as f" {phrase} " in it ("tra loi" in " … co trach nhiem tra loi cham nhat … ")."""
    return f" {' '.join(syllables(fold(text).lower()))} "


# The act a deadline question asks of ("phải trả lời trong bao lâu", "có trách nhiệm nộp … khi nào"):
# the two syllables after the modal. Generic verbs of doing say nothing of which duty.
_MODAL_VERB = re.compile(r"(?<![0-9a-z])(?:phai|can|co trach nhiem)\s+(?P<verb>[a-z]+ [a-z]+)")
# (acts that say nothing of what is done: "phải tổ chức xong" asks when the thing named before is done)
_GENERIC_VERBS = frozenset({"lam gi", "thuc hien", "hoan thanh", "lam xong", "lam nhung", "lam viec", "to chuc"})


def asked_act(ctx: Context) -> str | None:
    """The act (folded, two syllables) after the question's modal: "phải trả lời …" → "tra loi"."""
    m = _MODAL_VERB.search(fold(ctx.q.expanded).lower())
    if m is None or m.group("verb") in _GENERIC_VERBS or m.group("verb").split()[1] in ("gi", "nao", "trong", "truoc"):
        return None
    return m.group("verb")


def acts_of(text: str) -> str:
    """The text but its time phrases: an act named only as a time's anchor ("chậm nhất 05 ngày trước
    ngày họp xét kỷ luật") is not an act the text asks for."""
    from ingest.deadlines import find_deadlines

    # (any year will do: it only lets a day written without one be found; the dates are not used)
    for d in sorted(find_deadlines(text, 2000), key=lambda d: -d.span.start):
        text = text[:d.span.start] + " " + text[d.span.end:]
    return text


def does_act_itself(verb: str, text: str) -> bool:
    """The text names the act outside its time phrases. The deadline grammar (≈0.3 ms a sentence) runs
    only on a text holding both of the act's syllables: without them no cut can make the act."""
    said = syllable_text(text)
    return all(f" {w} " in said for w in verb.split()) and does_act(verb, acts_of(text))


def does_act(verb: str, text: str) -> bool:
    """The text names the act (whole syllables), its two syllables side by side or one syllable apart:
    "họp xét" is said "họp xem xét", "gửi báo cáo" "gửi bản báo cáo"."""
    first, _, second = verb.partition(" ")
    return re.search(rf" {re.escape(first)} (?:[a-z0-9]+ )?{re.escape(second)} ", syllable_text(text)) is not None


def asked_doer(ctx: Context) -> str | None:
    """The act (folded, two syllables) whose doer the question asks for ("ai chủ trì" → "chu tri")."""
    return doer_asked_in(ctx.q.expanded)


def doer_asked_in(question: str) -> str | None:
    m = _WHO.search(fold(question).lower())
    return m.group("verb") if m else None


def states_doer(verb: str, text: str) -> bool:
    """The sentence names a person and the act: "Đồng chí Trần Văn Nam, Bí thư Đảng ủy xã chủ trì hội nghị"."""
    return verb in syllable_text(text) and _PERSON.search(text) is not None


def asks_fact_time(ctx: Context) -> tuple[str, str] | None:
    """(what is asked — "day" or "time" —, the event's verb) when the question asks when something
    happened or since when it holds ("họp ngày nào?" asks the day of a meeting), not a duty's
    deadline; else None."""
    m = _FACT_TIME.search(fold(ctx.q.expanded).lower())
    if m is None:
        return None
    asked = "day" if re.search(r"\b(?:ngay|hom)\s+nao", m.group(0)) else "time"
    return asked, (m.group("verb") or m.group("before"))


# "… nộp ngày nào?", "lập ngày nào?", "hoàn thành khi nào?" with no modal: the day an act was done may be
# what is asked (a report states it: "đã nộp … ngày 28/10/2028"); "phải …", "hạn", "trước ngày nào",
# "chậm nhất" ask a duty's deadline, never an event's day.
_DAY_ASKED = re.compile(r"(?<![a-z])(?:(?:ngay|hom)\s+(?:nao|may|bao nhieu)|khi nao|bao gio|luc nao)(?![a-z])")
_DUTY_ASKED = re.compile(r"(?<![a-z])(?:phai|can|han|truoc|cham nhat|muon nhat|tre nhat|toi da|duoc giao|yeu cau|de ra)(?![a-z])")
# A full day in a sentence: "28/10/2028", "ngày 16 tháng 5 năm 2028".
FULL_DAY = re.compile(r"(?<![0-9/])(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})(?![0-9/])"
                       r"|ngày\s+(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4})", re.I)


_CITED_DAY = re.compile(r"\d+[-/][^\s,]*[A-ZĐ][^\s,]*,?\s+(?:ngày\s+)?$")


def asks_event_day(ctx: Context) -> bool:
    """The question asks on what day something was done, not by when it must be: a day asked, no
    modal or deadline word, not a meeting's (asks_fact_time answers those)."""
    low = fold(ctx.q.expanded).lower()
    return _DAY_ASKED.search(low) is not None and _DUTY_ASKED.search(low) is None and asks_fact_time(ctx) is None


def event_days(text: str) -> list[tuple[int, int, str]]:
    """The full days a text states outside its deadline phrases ("đã nộp … ngày 28/10/2028"; not
    "trước ngày 31/5/2028"): (start, end, dd/mm/yyyy)."""
    from datetime import date

    from ingest.deadlines import find_deadlines

    spans = [(d.span.start, d.span.end) for d in find_deadlines(text, 2000)]
    out = []
    for m in FULL_DAY.finditer(text):
        if any(s <= m.start() < e for s, e in spans) or _CITED_DAY.search(text, 0, m.start()):
            continue  # (a cited document's date, "Kế hoạch số 47-KH/HU, ngày 08/4/2028", is no event's)
        d, mo, y = (int(m.group(k) or m.group(k + "2")) for k in ("d", "m", "y"))
        try:
            out.append((m.start(), m.end(), date(y, mo, d).strftime("%d/%m/%Y")))
        except ValueError:
            continue
    return out


def states_time(text: str, asked: str = "time") -> bool:
    """The text states a day ("Ngày 10/02/2027, …"), or for "time" also a month or year ("từ tháng 9/2026")."""
    return _STATED_DAY.search(text) is not None or (asked == "time" and _STATED_MONTH.search(text) is not None)


def states_fact_time(ctx: Context, text: str) -> bool:
    """The text states the time the question asks of a fact, with the fact's verb ("… họp …",
    "… đi vào vận hành từ tháng 9/2026"): a date beside other words is another event's."""
    fact = asks_fact_time(ctx)
    if fact is None:
        return False
    asked, verb = fact
    return states_time(text, asked) and re.search(rf"(?<![a-z]){re.escape(verb)}(?![a-z])", fold(text).lower()) is not None


def states_count_of(unit: str, text: str) -> bool:
    """The text states how many of `unit` there are: "xếp loại theo bốn mức", "gồm 3 bước"."""
    low = fold(text).lower()
    if re.search(rf"(?<![0-9a-z]){_COUNT_FOLDED}\s+(?:(?:dong chi|vi|ca nhan)\s+)?{unit}(?![0-9a-z])", low):
        return True
    return unit in _PERSON_UNITS and re.search(
        rf"(?<![0-9a-z]){_COUNT_FOLDED}\s+(?:[a-z]+\s+){{0,2}}{_PERSON_NOUN}(?![0-9a-z])", low) is not None


_CASH_ASK = re.compile(r"(?<![0-9a-z])(?:bao nhieu|may)\s+(?:tien|dong|ty|trieu|nghin)(?![0-9a-z])")
_CASH_FIGURE = re.compile(r"\d[\d.,]*\s*(?:đồng|triệu|nghìn|ngàn|tỷ|VNĐ|VND)", re.I)


# What an amount of money is of: a budget is not a revenue, an allowance not a fee. A question naming one
# ("bao nhiêu tỷ đồng ngân sách") is answered only by a sentence naming one of the same group.
_MONEY_GROUPS = (
    ("ngân sách", "kinh phí", "vốn", "dự toán", "nguồn chi", "đầu tư", "bố trí", "hỗ trợ"),
    ("doanh thu", "thu nhập", "giá trị sản xuất", "tổng sản phẩm", "GRDP", "kim ngạch"),
    ("lương", "phụ cấp", "thù lao", "bồi dưỡng"),
    ("đảng phí",),
)


def money_group(text: str) -> int | None:
    """Which group of money nouns the text names first, else None."""
    low = text.lower()
    found = [(low.find(w.lower()), i) for i, group in enumerate(_MONEY_GROUPS) for w in group if w.lower() in low]
    return min(found)[1] if found else None


def money_agrees(ctx: Context, text: str) -> bool:
    """The sentence speaks of the kind of money the question asks ("ngân sách" — not "doanh thu")."""
    if ctx.q.typed_without_diacritics:
        return True  # folded, "thu" and "chi" are everywhere: no claim either way
    asked = money_group(ctx.q.expanded)
    if asked is None:
        return True
    return any(w.lower() in text.lower() for w in _MONEY_GROUPS[asked])


def states_amount(kind: str, text: str) -> bool:
    """The text states an amount of the kind asked; a table row is read with its columns' names
    (`row_labelled`)."""
    if kind == "cash":
        return bool(_CASH_FIGURE.search(text) or _MONEY_COLUMN.search(text))
    if kind == "money":
        return bool(_MONEY_FIGURE.search(text) or _MONEY_COLUMN.search(text))
    if kind == "percent":
        return bool(_PERCENT_FIGURE.search(text) or _PERCENT_COLUMN.search(text))
    return bool(re.search(r"\d", _DATEISH.sub(" ", text)) or _COUNT_WORDS.search(text))


# Folded words that never name what a question is about: classifiers ("cuộc họp", "việc …"), the
# generic nouns of asking for duties ("những nhiệm vụ gì", "công việc nào"), of asking which day ("hôm
# nào") and of naming a document ("văn bản KL").
CLASSIFIERS = frozenset("cuoc viec su cai chiec nhiem vu cong hom ban".split())
# Phrases of asking for cases ("những trường hợp nào", "đối tượng nào"), folded: their words are the
# question's, not its subject, when the phrase is there.
ASK_PHRASES = ("truong hop", "doi tuong")


def _nouns(ctx: Context, words: list[str]) -> list[str]:
    """The ones among `words` that are nouns of the question: "lương", "đảng phí", "kỷ luật" say what
    it is about; a verb the documents happen not to use ("ra đời") does not, unless the whole word is
    missing. A question typed without diacritics cannot be tagged: all its words count."""
    # a figure or a date ("06/4") is no noun: the year, section and count checks read those; a
    # classifier ("cuộc họp", "việc …") names no subject by itself
    asked = fold(ctx.q.expanded).lower()
    phrased = {w for p in ASK_PHRASES if p in asked for w in p.split()}
    words = [w for w in words if not any(c.isdigit() for c in w) and fold(w).lower() not in CLASSIFIERS | phrased]
    if not words or ctx.q.typed_without_diacritics:
        return words
    from ingest.tokenize import underthesea

    unseen = {w.lower() for w in words}
    # A noun, or a compound word none of whose syllables any document uses ("miễn trừ", "thiệt hại"
    # tagged as verbs): a whole word missing names a subject the documents do not treat. (One unseen
    # syllable is not enough: "cho phép" would then refuse a question the documents answer.) A verb
    # that ends a noun phrase ("hình thức kỷ luật khiển trách với …") names a kind of that noun.
    tagged = underthesea().pos_tag(ctx.q.topic)
    nouns = {w.lower() for i, (word, tag) in enumerate(tagged)
             if tag in _NOUN_TAGS or (" " in word and all(x.lower() in unseen for x in word.split()))
             or _names_a_kind(tagged, i)
             for w in word.split()}
    return [w for w in words if w.lower() in nouns]


def _abbreviated(ctx: Context) -> set[str]:
    """The (folded) words of the abbreviations the user typed that the documents write as typed: "Mặt
    trận Tổ quốc", expanded from the question's "MTTQ", is in no passage of a store writing "Ủy ban MTTQ
    xã", yet the thing is."""
    from ingest.tokenize import ABBREVIATIONS

    typed = {w.lower() for w in re.findall(r"[^\W_]+", ctx.q.text)}
    written: set[str] = set()
    for abbr, full in ABBREVIATIONS.items():
        if abbr in typed and ctx.kb.retriever.stats.df(fold(abbr).lower(), ctx.levels) > 0:
            written |= {fold(w).lower() for w in full.split()}
    return written


def _not_expanded(ctx: Context, unseen: list[str]) -> list[str]:
    """`unseen` without the words of abbreviations the user typed as the documents write them."""
    written = _abbreviated(ctx)
    return [w for w in unseen if fold(w).lower() not in written] if written else unseen


def unknown_body(ctx: Context) -> str | None:
    """A body or post the question names (as the gazetteer knows them: "Hội Nông dân xã Mỹ Thạnh")
    that no stored document names: a word of its name, as the gazetteer writes it with its diacritics
    ("nông", not "nóng" of "đường dây nóng"), is in no passage. Its text as the question writes it, else
    None."""
    from ingest.actors import find_actor_spans
    from ingest.tokenize import accented_syllables, syllables

    text = ctx.q.expanded
    stats = ctx.kb.retriever.stats
    abbreviated = _abbreviated(ctx)

    def unseen(name: str, accented: bool) -> bool:
        if accented:
            return any(stats.df("a:" + w, ctx.levels) == 0 for w in accented_syllables(name)
                       if fold(w).lower() not in abbreviated)
        return any(stats.df(w, ctx.levels) == 0 for w in syllables(name) if not w.isdigit() and w not in abbreviated)

    for m in find_actor_spans(text):
        said = text[m.start:m.end]
        # unseen as the question writes it, and under each name the gazetteer gives it ("VPTU" is written
        # "Văn phòng Tỉnh ủy" by the documents, "chi bộ khu phố" is a "chi bộ thôn")
        if unseen(said, not ctx.q.typed_without_diacritics) and all(unseen(n, True) for n in m.actors):
            return m.actors[0] if ctx.q.typed_without_diacritics and m.actors else said
    return None


_NOUN_TAGS = ("N", "Np", "Nc", "Ny", "Nb")


def _names_a_kind(tagged: list[tuple[str, str]], i: int) -> bool:
    """A verb right after a noun (a word, not a number) and before a preposition, a punctuation mark or
    the end: "kỷ luật khiển trách với …" — not "Hướng dẫn 31 cho phép báo cáo …"."""
    word, tag = tagged[i]
    if tag != "V" or i == 0:
        return False
    prev_word, prev_tag = tagged[i - 1]
    nxt = tagged[i + 1][1] if i + 1 < len(tagged) else "CH"
    return prev_tag in _NOUN_TAGS and any(c.isalpha() for c in prev_word) and nxt in ("E", "CH")


def unseen_nouns(ctx: Context) -> list[str]:
    """Topic nouns that no stored passage uses — or, when the question names the document it asks
    about ("Quy định 55 … bị kỷ luật bằng hình thức gì?"), that the named documents never use."""
    unseen = ctx.unseen()
    if ctx.lk.named:
        unseen = list(dict.fromkeys(unseen + ctx.unseen_in_named()))
    unseen = _not_expanded(ctx, unseen)
    if asks_amount(ctx) == "percent":  # documents write "%": "phần trăm", "tỷ lệ" are the question's unit, not its subject
        unseen = [w for w in unseen if fold(w).lower() not in ("phan", "tram", "ty", "ti", "le")]
    return _nouns(ctx, unseen)


def support_needed(ctx: Context) -> float:
    """The support threshold for this question: W.support, raised towards W.support_unseen by the
    share of the topic's weight that words no stored passage uses carry ("lương" in "mức lương cơ
    sở là bao nhiêu" carries most of it; "đội ngũ" in a long question about qualities, little)."""
    unseen = unseen_nouns(ctx)
    if not unseen:
        return W.support
    from ingest.normalize import fold as _fold

    terms = ctx.terms(ctx.q.topic)
    total = sum(terms.weights.values()) or 1.0
    missing = {_fold(w).lower() for w in unseen}
    share = sum(w for t, w in terms.weights.items() if t in missing) / total
    # A word no document uses weighs at least as much as its rarest seen neighbour: count it as
    # such even where folding merges it with a common word ("lương" with "lượng").
    share = max(share, len(missing) / max(1, len(terms.weights)))
    return W.support + (W.support_unseen - W.support) * min(1.0, share * W.unseen_scale)


def supported(ctx: Context, score: float, text: str, title: str = "", headings: str = "", *,
              counted: bool = False) -> bool:
    """The best sentence's score clears the support threshold, holds what the question's form
    demands (a figure for "bao nhiêu"), and speaks of the year asked about. `headings`: the heading
    path the sentence stands under, `title`: its document's title — the year of a sentence that
    names none ("III. KẾT QUẢ NĂM 2025" over a 2026 guidance's table)."""
    need = support_needed(ctx)
    if score < need:
        return False
    # A sentence answers for its own year: "chuyên đề năm 2025" is not answered by 2024's plan.
    if other_year(ctx, text, headings, title):
        return False
    amount = asks_amount(ctx)
    # `counted`: the reply counts the items itself ("có mấy nhóm …, là những gì?" → "Có 6 nhóm:")
    return amount is None or (counted and amount == "count") or states_amount(amount, text)


YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")  # a year written in figures


def other_year(ctx: Context, text: str, *scopes: str) -> bool:
    """The question asks about one year ("tỷ lệ giải ngân năm 2023") and the sentence, with the
    scopes it stands in (its headings, its document's title), speaks of others only: "III. KẾT QUẢ
    NĂM 2025" makes a row of a 2026 guidance speak of 2025, "khắc phục … sau kiểm điểm năm 2023" in a
    2024 plan speaks of both."""
    w = ctx.q.window
    if w is None or ctx.q.kind in ("timewindow", "role", "deadline"):
        return False
    asked = set(YEAR.findall(w.text))
    # (a year compared with — "tăng 41,2% so với năm 2027" — is not the year a sentence speaks of)
    said = {y for scope in (text, *scopes) for y in YEAR.findall(_COMPARED_YEAR.sub(" ", _DOCNO_DATE.sub(" ", scope)))}
    if asked and said and not asked & said and not _spans_year(said, asked):
        return True
    # "Kết quả xếp loại năm 2027 …" under "II. ĐÁNH GIÁ KẾT QUẢ NĂM 2028", asked "năm 2028 … xếp loại":
    # the year the sentence gives the very thing asked about is its own, whatever its heading says
    own = set(syllables(ctx.q.topic))
    tied = {m.group(3) for m in _TIED_YEAR.finditer(fold(_DOCNO_DATE.sub(" ", text)).lower())
            if m.group(1) in own and m.group(2) in own}
    return bool(asked and tied and not asked & tied and not _spans_year(tied, asked))


_COMPARED_YEAR = re.compile(r"so với\s+(?:cùng kỳ\s+)?(?:năm\s+)?(?:19|20)\d{2}", re.I)
# Two words then the year they are of: "xếp loại năm 2027", "kết quả kiểm điểm năm 2023".
_TIED_YEAR = re.compile(r"(?<![0-9a-z])([a-z]+) ([a-z]+) nam ((?:19|20)\d{2})(?!\d)")


# Dates of cited documents ("Kết luận số 01-KL/TW, ngày 18/5/2021") say when another paper was
# signed, not which year the sentence speaks of.
_DOCNO_DATE = re.compile(r"\d{1,4}-[A-ZĐ]{1,6}/[A-ZĐ-]{1,10},?\s*ngày\s*\d{1,2}/\d{1,2}/\d{4}")


def _spans_year(said: set[str], asked: set[str]) -> bool:
    """"giai đoạn 2021-2025" covers 2023."""
    years = sorted(int(y) for y in said)
    return len(years) >= 2 and any(years[0] <= int(a) <= years[-1] for a in asked)


def other_province(ctx: Context) -> str | None:
    """A province the question names that no stored document speaks of: the store has nothing of
    it, whatever the nearest province's documents say."""
    asked = provinces_in(ctx.q.expanded)
    if not asked:
        return None
    known = ctx.places()
    foreign = [p for p in asked if p not in known]
    if not foreign or len(foreign) < len(asked):
        return None
    names = ", ".join(foreign)
    return (f"Kho không có văn bản nào của {names}: các văn bản hiện có không nói về địa phương này, "
            "nên không thể trả lời theo văn bản của nơi khác.")


_SERIAL = re.compile(r"^\s*(?:S\.?\s*)?TT\s*$|^\s*Số\s+TT\s*$", re.I)  # the serial-number column


def row_labelled(ctx: Context, doc_id: str, start: int) -> str:
    """A table row as "column: cell; …" ("Tỷ lệ (%): 56,6"), the column names saying what each figure
    is; empty when no table row starts at `start`."""
    entry = ctx.document(doc_id) or {}
    text = entry.get("text") or ""
    for table in entry.get("tables") or []:
        for row in table.get("rows") or []:
            if row.get("start") == start:
                return "; ".join(f"{name}: {text[c['start']:c['end']]}" if name else text[c["start"]:c["end"]]
                                 for name, c in zip(table.get("columns") or [], row.get("cells") or [])
                                 if not _SERIAL.match(name or "") and c["end"] > c["start"])
    return ""


# A locality the question names by its administrative word: "Huyện ủy Đồng Lạc", "xã Tân Phước",
# "UBND huyện Hà Xuân", "phường Bắc Sơn" — the name is its capitalised words after that word.
_UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_NAME_WORD = rf"[{_UPPER}][^\s,.;:?!()\"“”]*"
_LOCALITY = re.compile(
    # (the unit word also typed without diacritics: "huyen Tan Linh" — a capitalised name follows)
    rf"(?:(?<![^\s(])(?:[Hh]uy[eệ]n|[Xx][aã]|[Pp]h[uư][oờ]ng|[Qq]u[aậ]n|[Tt]h[iị] x[aã]|[Tt]h[iị] tr[aấ]n"
    rf"|[Tt]h[aà]nh ph[oố]|[Tt][iỉ]nh)"
    rf"|(?:Huyện|Thị|Thành|Tỉnh|Quận) ủy|(?:Huyện|Thị|Thành|Tỉnh|Quận) uỷ)"
    rf"\s+(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})")


# A question typed without diacritics or capitals names a committee by its level and two syllables of
# name: "tinh uy ha nguyen quy dinh …", "dang uy xa tan phuoc …" — at the question's start or after
# "của", "ở", "tại" (elsewhere "tỉnh", "xã" may be other words: "tính", "xã hội").
_FOLDED_COMMITTEE = re.compile(r"(?:^\W*|(?<![0-9a-z])(?:cua|o|tai)\s+)(?P<unit>(?:tinh|huyen|thanh|thi|quan) uy"
                               r"|dang uy (?:xa|phuong|thi tran))\s+(?P<name>[a-z]+ [a-z]+)(?![0-9a-z])")


def _unknown_folded_committee(ctx: Context) -> list[str]:
    """The committees a question typed in lower case without diacritics names whose two name
    syllables no stored document writes together (nor are question or function words)."""
    from ..retrieval.cues import CUE_VOCAB, STOP_SYLLABLES

    text = ctx.q.expanded
    if not ctx.q.typed_without_diacritics or any(c.isupper() for c in text):
        return []
    cues = {fold(w).lower() for w in CUE_VOCAB} | STOP_SYLLABLES
    out = []
    for m in _FOLDED_COMMITTEE.finditer(fold(text).lower()):
        name = m.group("name")
        if any(w in cues for w in name.split()) or ctx.kb.writes_name(name, ctx.levels):
            continue
        out.append(f"{m.group('unit')} {name}")
    return out


def unknown_locality(ctx: Context) -> str | None:
    """A district, commune or town the question names that no stored document writes: the store has
    nothing of it, and another locality's duties are no answer ("Huyện ủy Đồng Lạc … trước ngày nào?"
    answered with Huyện ủy Hà Xuân's deadline is a wrong deadline). Provinces: `other_province`."""
    asked: dict[str, str] = {}  # name → as the question writes it, with its administrative word
    for m in _LOCALITY.finditer(ctx.q.expanded):
        name = m.group("name")
        if not provinces_in(name) and len(name) > 1:
            asked.setdefault(name, m.group(0))
    # a capitalised word after the name ("huyện Hà Xuân Báo cáo …") is no part of it: a name counts
    # as written when its first two words are
    unknown = [said for n, said in asked.items() if not ctx.kb.writes_name(" ".join(n.split()[:2]), ctx.levels)]
    if not asked:
        unknown = _unknown_folded_committee(ctx)
    if not unknown:
        return None
    names = ", ".join(unknown)
    return (f"Kho không có văn bản nào nói về {names}: các văn bản hiện có không nhắc đến địa phương này, "
            "nên không thể trả lời theo văn bản của nơi khác.")
