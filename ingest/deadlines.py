"""Deadlines and recurrences in Vietnamese Party documents: "what must I do, and by when?".

Hand-written because no maintained library parses Vietnamese deadline expressions: date parsers
read "15/01/2024" but not "trong Quý I/2024", "6 tháng đầu năm" or "chậm nhất 20 ngày làm việc,
kể từ ...", and none of them knows that "Kế hoạch số 44-KH/TU, ngày 29/10/2021" is an issue date,
not a deadline. A wrong deadline is the worst bug this product can have, so every rule here prefers
no deadline to a guessed one. The semantics are written down in docs/deadlines.md.

How it works: each rule is a regex over an accent-folded, lower-cased copy of the text that has
exactly one character for each input character, so match offsets are offsets into the input. A
match becomes a hit holding a `Deadline`, or `None` for an expression that is recognised but is not
a deadline (an issue date, a bare "năm 2024", "quý V"): such a hit only stops shorter rules from
matching inside it. Overlapping hits are resolved leftmost-longest.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .models import Deadline, Span
from .normalize import fold as _strip_marks

__all__ = ["parse_deadline", "find_deadlines"]

MIN_YEAR, MAX_YEAR = 1945, 2100


# ---------------------------------------------------------------------------------------------
# Folding


@lru_cache(maxsize=2048)
def _simple_char(c: str) -> str:
    """Lower case, any space → " ", any dash → "-"; one character in, one out."""
    if c.isspace() and c != "\n":
        return " "
    if unicodedata.category(c) == "Pd":
        return "-"
    low = c.lower()
    return low if len(low) == 1 else c


def _fold(text: str) -> str:
    """"Trước Ngày" → "truoc ngay": no diacritics, đ → d, lower case, same length as `text`."""
    folded = "".join(map(_simple_char, _strip_marks(text)))
    assert len(folded) == len(text), "folding must keep offsets"
    return folded


# Folding makes "hạng năm" look like "hằng năm" and "cười" like "cuối". A matched word that carries
# diacritics must therefore be one of these (text typed without diacritics passes as it is).
_VOCAB = frozenset(
    """trước chậm nhất hạn chót thời đến hết tới từ ngày tháng năm quý quí hoàn thành hoặc là
    vào cuối đầu đoạn nhiệm kỳ kì hằng hàng định thường xuyên tuần kể tính làm việc không quá
    vòng tối đa sáu suốt thực hiện""".split()
)
_WORD = re.compile(r"[^\W\d_]+")


def _words_ok(original: str) -> bool:
    for word in _WORD.findall(original):
        w = word.lower()
        if _fold(w) != w and w not in _VOCAB:
            return False
    return True


# ---------------------------------------------------------------------------------------------
# Dates and windows


def _make_date(year: int, month: int, day: int) -> date | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:  # 31/02, 32/1, month 13: never clamp, never guess
        return None


def _month_end(year: int, month: int) -> date | None:
    if not 1 <= month <= 12:
        return None
    return _make_date(year, month, calendar.monthrange(year, month)[1])


def _months(year: int, first: int, last: int) -> tuple[date, date] | None:
    start, end = _make_date(year, first, 1), _month_end(year, last)
    return (start, end) if start and end else None


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _quarter(token: str) -> int | None:
    q = int(token) if token.isdigit() else _ROMAN.get(token)
    return q if q in (1, 2, 3, 4) else None


# ---------------------------------------------------------------------------------------------
# Regex pieces (all over the folded text, re.ASCII so \d, \s, \b mean what they say)

_Y = r"(?P<y>\d{4})(?!\d)"
# A yearless expression followed by a later one that carries a year ("quý I và quý II/2024",
# "ngày 15/01 và 15/7/2024") must not take default_year, the year written later may differ: the
# empty group `later` marks it, and the builders turn it into a non-deadline hit.
_LATER_YEAR = (
    r"(?=\s*(?:-|,|va|hoac|den|toi)\s*(?:ngay\s+|thang\s+|qu[yi]\s+)?(?:[ivx]+|\d{1,2})"
    r"(?:(?:[/.-]|\s+thang\s+)\d{1,2})?(?:\s*[/.-]\s*|\s+nam\s+)\d{4})"
)
# after a month or a quarter: "/2024", "-2024", " năm 2024", or nothing year-like at all
_YEAR_TAIL = (
    rf"(?:(?:\s*[/-]\s*|\s+nam\s+){_Y}|(?P<later>{_LATER_YEAR})|(?!\s*[/-]\s*\d|\s+nam\b|\d))"
)
# after a yearless "năm": not "năm học", "năm nay", "năm sau", "năm năm", "năm 24", ...
_NAM_NO_YEAR = r"(?!\s+(?:\d|(?:hoc|nay|truoc|sau|toi|qua|ngoai|tai|ke|do|ay|kia|nao|nam)\b))"


def _date_re(tag: str, *, day_only: bool = False, alone: bool = True) -> str:
    """D/M/Y, D-M-Y, D.M.Y, "D tháng M năm Y"; without a year nothing year-like may follow."""
    year = rf"(?P<y{tag}>\d{{4}})(?!\d)"
    later = rf"(?P<later{tag}>{_LATER_YEAR})|" if alone else ""
    no_year = r"(?![/.-]?\d|\s*[/.-]\s*\d|\s+nam\b)"
    tail = rf"(?:[/.-]|\s+thang\s+)(?P<m{tag}>\d{{1,2}})(?:(?:[/.-]|\s+nam\s+){year}|{later}{no_year})"
    return rf"(?<![\d/.-])(?P<d{tag}>\d{{1,2}})(?:{tail}){'?' if day_only else ''}(?![\d/])"


# What a cue before a period (month, quarter, half year, year) makes of it.
_PERIOD_CUE = (
    r"(?:\b(?:"
    r"(?P<by>truoc\s+hoac\s+trong|cham\s+nhat(?:\s+la)?(?:\s+(?:vao|trong|den))?"
    r"|han\s+chot(?:\s+la)?|(?:den\s+)?het|den)"
    r"|(?P<window>trong(?:\s+suot)?|vao|hoan\s+thanh|xong"
    r"|thoi\s+gian(?:\s+(?:thuc\s+hien|hoan\s+thanh))?\s*:)"
    r"|(?P<before>truoc)"
    r"|(?P<end>(?:den\s+)?cuoi)"
    r"|(?P<vague>dau)"
    r")\s*)?"
)
_DATE_CUE = (
    r"\b(?:(?P<incl>truoc\s+hoac\s+trong|cham\s+nhat(?:\s+la)?(?:\s+(?:vao|den))?"
    r"|(?:thoi\s+)?han(?:\s+chot)?(?:\s+la)?\s*:?|(?:den\s+)?het|den"
    r"|hoan\s+thanh\s+(?:trong|vao)|xong\s+trong)"
    r"|(?P<excl>truoc))\s*"
)
_UNIT = r"ngay\s+lam\s+viec|ngay|tuan|thang|nam"
_REL_CUE = (
    r"cham\s+nhat(?:\s+la)?|trong\s+vong|trong\s+thoi\s+han|trong|khong\s+qua|toi\s+da"
    r"|(?:thoi\s+)?han(?:\s+la)?\s*:?"
)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.ASCII)


_RANGE = _rx(
    r"\btu\s+(?P<ngay>ngay\s+)?" + _date_re("1", day_only=True, alone=False)
    + r"\s+(?:den|toi)\s+(?:het\s+)?(?:ngay\s+)?" + _date_re("2")
)
_TERM = _rx(
    r"\b(?:giai\s+doan|nhiem\s+k[yi])\s+(?:tu\s+)?(?:nam\s+)?(?P<y1>\d{4})"
    r"\s*(?:-|\s(?:den|toi)(?:\s+het)?\s)\s*(?:nam\s+)?(?P<y2>\d{4})(?!\d)"
    r"|\btu\s+nam\s+(?P<y3>\d{4})\s+(?:den|toi)(?:\s+het)?\s+nam\s+(?P<y4>\d{4})(?!\d)"
)
_CUED_DATE = _rx(_DATE_CUE + r"(?P<ngay>ngay\s+)?" + _date_re(""))
_BARE_DATE = _rx(r"(?:\bngay\s+)?" + _date_re("", alone=False))
_MONTH = _rx(_PERIOD_CUE + r"\bthang\s+(?P<m>\d{1,2})" + _YEAR_TAIL)
_QUARTER = _rx(_PERIOD_CUE + r"\bqu[yi]\s+(?P<q>[ivx]+|\d{1,2})\b" + _YEAR_TAIL)
_HALF = _rx(
    _PERIOD_CUE + r"\b(?P<n>\d{1,2}|sau)\s+thang\s+(?P<side>dau|cuoi)\s+nam"
    + rf"(?:\s+{_Y}|{_NAM_NO_YEAR})"
)
_YEAR = _rx(_PERIOD_CUE + r"\bnam\s+" + _Y)
_YEARLESS = _rx(
    r"\b(?:(?P<end>(?:den\s+)?cuoi)|(?P<vague>dau)|(?P<by>(?:den\s+)?het))\s+nam" + _NAM_NO_YEAR
)
_RELATIVE = _rx(
    rf"\b(?:(?P<cue>{_REL_CUE})\s*)?(?P<n>\d{{1,3}})\s+(?P<unit>{_UNIT})\b\s*,?\s*"
    r"(?P<conn>ke\s+tu|tinh\s+tu|sau\s+khi|truoc\s+khi)\s+"
)
_LIMIT = _rx(rf"\bkhong\s+qua\s+\d{{1,3}}\s+(?:{_UNIT})\b(?!\s*\d)")
_EVERY = _rx(r"\b(?:dinh\s+k[yi]\s+)?hang\s+(?P<unit>nam|qu[yi]|thang|tuan|ngay)\b(?!\s*\d)")
_PERIODIC = _rx(r"\bdinh\s+k[yi]\b(?:\s+(?P<n>\d{1,2})\s+(?P<unit>thang|nam|qu[yi]|tuan|ngay)\b)?")
_OFTEN = _rx(r"\bthuong\s+xuyen\b")


# ---------------------------------------------------------------------------------------------
# Builders: one regex match → Deadline (text and span are filled in later), or None for a hit
# that is not a deadline.


@dataclass(frozen=True)
class _Ctx:
    text: str
    folded: str
    default_year: int | None
    standalone: bool  # parse_deadline: a bare "tháng 01/2024" is the whole expression


_Builder = Callable[[re.Match[str], _Ctx], "Deadline | None"]


def _year(token: str | None, ctx: _Ctx) -> int | None:
    return int(token) if token else ctx.default_year


def _date_of(m: re.Match[str], tag: str, ctx: _Ctx) -> date | None:
    if m.groupdict().get(f"later{tag}") is not None:
        return None
    year = _year(m[f"y{tag}"], ctx)
    return _make_date(year, int(m[f"m{tag}"]), int(m[f"d{tag}"])) if year else None


def _cued_date(m: re.Match[str], ctx: _Ctx) -> Deadline | None:
    if not m["ngay"] and not m["y"]:  # "đến 1/2 số đảng viên": a bare D/M needs "ngày"
        return None
    day = _date_of(m, "", ctx)
    if day is None:
        return None
    return Deadline("", None, day, exclusive_end=bool(m["excl"]))


def _not_a_deadline(m: re.Match[str], ctx: _Ctx) -> None:
    return None


def _range(m: re.Match[str], ctx: _Ctx) -> Deadline | None:
    y1, y2 = m["y1"] or m["y2"], m["y2"] or m["y1"]
    if not (m["ngay"] or y1):  # "từ 1/3 đến 1/5 số đảng viên"
        return None
    year1, year2 = _year(y1, ctx), _year(y2, ctx)
    if year1 is None or year2 is None:
        return None
    start = _make_date(year1, int(m["m1"] or m["m2"]), int(m["d1"]))
    end = _make_date(year2, int(m["m2"]), int(m["d2"]))
    if start is None or end is None or start > end or m["later2"] is not None:
        return None
    return Deadline("", start, end)


def _term(m: re.Match[str], ctx: _Ctx) -> Deadline | None:
    first, last = int(m["y1"] or m["y3"]), int(m["y2"] or m["y4"])
    if not MIN_YEAR <= first <= last <= MAX_YEAR:
        return None
    return Deadline("", date(first, 1, 1), date(last, 12, 31))


def _window(kind: str, m: re.Match[str], ctx: _Ctx) -> tuple[date, date] | None:
    year = _year(m.groupdict().get("y"), ctx)
    if year is None or m.groupdict().get("later") is not None:
        return None
    if kind == "month":
        month = int(m["m"])
        return _months(year, month, month)
    if kind == "quarter":
        q = _quarter(m["q"])
        return _months(year, 3 * q - 2, 3 * q) if q else None
    if kind == "half":
        n = 6 if m["n"] == "sau" else int(m["n"])
        if not 1 <= n <= 11:
            return None
        return _months(year, 1, n) if m["side"] == "dau" else _months(year, 13 - n, 12)
    return _months(year, 1, 12)


def _cue(m: re.Match[str]) -> str | None:
    found = m.groupdict()
    return next((k for k in ("by", "window", "before", "end", "vague") if found.get(k)), None)


def _period(kind: str) -> _Builder:
    def build(m: re.Match[str], ctx: _Ctx) -> Deadline | None:
        cue = _cue(m)
        if cue is None and ctx.standalone and kind != "year":
            cue = "window"
        if cue is None or (cue in ("end", "vague") and kind == "half"):
            return None
        if kind == "year" and cue == "window" and m["window"].startswith(("vao", "xong")):
            return None  # "năm 2024" only after trong, hoàn thành, hết, đến, cuối, đầu, ...
        window = _window(kind, m, ctx)
        if window is None:
            return None
        start, end = window
        if cue == "window":
            return Deadline("", start, end)
        if cue in ("by", "end"):
            return Deadline("", None, end)
        if cue == "before":  # "trước tháng 6/2024": the first day of the period is the bound
            return Deadline("", None, start, exclusive_end=True)
        return Deadline("", None, None)  # "đầu năm 2024": recognised, too vague to date

    return build


def _event_end(text: str, folded: str, pos: int) -> int:
    """The event after "kể từ": one segment, then further comma-separated ones of ≤ 3 words."""
    end = _segment_end(text, folded, pos)
    while folded.startswith(",", end):
        after = _segment_end(text, folded, end + 1)
        if not 0 < len(folded[end + 1 : after].split()) <= 3:
            break
        end = after
    return pos + len(text[pos:end].rstrip())


_EVENT_STOP = _rx(r"[,;:!?()\[\]\n]|\.(?!\d)|\s(?P<cua>cua)\s")


def _segment_end(text: str, folded: str, pos: int) -> int:
    for stop in _EVENT_STOP.finditer(folded, pos):
        if stop["cua"] and text[stop.start("cua") : stop.end("cua")].lower() not in ("của", "cua"):
            continue  # "cửa", not "của"
        return stop.start()
    return len(folded)


def _squash(s: str) -> str:
    return " ".join(s.split())


def _relative(m: re.Match[str], ctx: _Ctx) -> Deadline | None:
    cue = m["cue"]
    if cue is None:  # "sau 30 ngày kể từ ngày ký" (takes effect after) is not a deadline
        return None
    end = _event_end(ctx.text, ctx.folded, m.end())
    if end <= m.end():
        return None
    keep = cue.startswith(("khong", "toi"))  # "không quá"/"tối đa" are part of the bound
    words = [ctx.text[m.start("cue") : m.end("cue")]] if keep else []
    words += [ctx.text[m.start(g) : m.end(g)] for g in ("n", "unit", "conn")]
    words.append(ctx.text[m.end() : end])
    relative = _squash(" ".join(words))
    return Deadline("", None, None, relative=relative, span=Span(m.start(), end))


def _limit(m: re.Match[str], ctx: _Ctx) -> Deadline:
    return Deadline("", None, None, relative=_squash(ctx.text[m.start() : m.end()]))


_UNIT_VI = {"nam": "năm", "quy": "quý", "qui": "quý", "thang": "tháng", "tuan": "tuần", "ngay": "ngày"}


def _every(m: re.Match[str], ctx: _Ctx) -> Deadline:
    return Deadline("", None, None, recurrence="hằng " + _UNIT_VI[m["unit"]])


def _periodic(m: re.Match[str], ctx: _Ctx) -> Deadline:
    every = f" {int(m['n'])} {_UNIT_VI[m['unit']]}" if m["n"] else ""
    return Deadline("", None, None, recurrence="định kỳ" + every)


def _often(m: re.Match[str], ctx: _Ctx) -> Deadline:
    return Deadline("", None, None, recurrence="thường xuyên")


_RULES: list[tuple[re.Pattern[str], _Builder]] = [
    (_RANGE, _range),
    (_TERM, _term),
    (_RELATIVE, _relative),
    (_LIMIT, _limit),
    (_CUED_DATE, _cued_date),
    (_BARE_DATE, _not_a_deadline),  # issue dates of cited documents, "Lai Châu, ngày ..."
    (_HALF, _period("half")),
    (_MONTH, _period("month")),
    (_QUARTER, _period("quarter")),
    (_YEAR, _period("year")),
    (_YEARLESS, _period("year")),
    (_EVERY, _every),
    (_PERIODIC, _periodic),
    (_OFTEN, _often),
]


# ---------------------------------------------------------------------------------------------
# Scanning


@dataclass
class _Hit:
    start: int
    end: int
    deadline: Deadline | None


_SINCE = re.compile(r"(\w+)\s+$")


def _after_since(text: str, start: int) -> bool:
    """"tính đến ngày 31/12" and "từ đầu năm" describe a past period, not a deadline."""
    before = _SINCE.search(text[max(0, start - 12) : start])
    return bool(before) and before[1].lower() in ("từ", "tu", "tính", "tinh")


# "đánh giá cuối năm", "kiểm điểm cuối năm": a bare "cuối năm"/"đầu năm" right after a review noun
# names the recurring year-end review, not a date by which something is due ("vào cuối năm" is).
_REVIEW_BEFORE = re.compile(r"(?:danh\s+gia|kiem\s+diem|xep\s+loai|nhan\s+xet|tong\s+ket|so\s+ket)\s+$")


def _names_review(folded: str, start: int) -> bool:
    return bool(_REVIEW_BEFORE.search(folded[max(0, start - 16) : start]))


def _hits(ctx: _Ctx) -> list[_Hit]:
    hits = []
    for pattern, build in _RULES:
        for m in pattern.finditer(ctx.folded):
            if not _words_ok(ctx.text[m.start() : m.end()]):
                continue
            deadline = build(m, ctx)
            end = deadline.span.end if deadline and deadline.span else m.end()
            if deadline and _after_since(ctx.text, m.start()):
                deadline = None
            if deadline and pattern is _YEARLESS and _names_review(ctx.folded, m.start()):
                deadline = None
            hits.append(_Hit(m.start(), end, deadline))
    return hits


def _leftmost_longest(hits: list[_Hit]) -> list[_Hit]:
    chosen: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, h.start - h.end)):
        if not chosen or hit.start >= chosen[-1].end:
            chosen.append(hit)
    return chosen


def _scan(text: str, default_year: int | None, standalone: bool) -> list[_Hit]:
    """The chosen hits, non-deadlines included; deadlines get their text and span."""
    ctx = _Ctx(text, _fold(text), default_year, standalone)
    chosen = _leftmost_longest(_hits(ctx))
    for hit in chosen:
        if hit.deadline is not None:
            hit.deadline.span = Span(hit.start, hit.end)
            hit.deadline.text = text[hit.start : hit.end]
    return chosen


def find_deadlines(sentence: str, default_year: int | None = None) -> list[Deadline]:
    """Every deadline and recurrence expression in `sentence` (NFC text), in order.

    Each result has `.span` into `sentence` and `.text == sentence[span.start:span.end]`.
    `default_year` (the plan's year) completes dates written without one; without it they are
    dropped.
    """
    hits = _scan(sentence, default_year, standalone=False)
    return [hit.deadline for hit in hits if hit.deadline is not None]


def parse_deadline(text: str, default_year: int | None = None) -> Deadline | None:
    """One time expression ("trong Quý I/2024", "hằng năm") → Deadline.

    None when it does not parse, is impossible, is not a deadline, or holds more than one time
    expression ("quý I và quý II/2024", an issue date next to a deadline). A bare month, quarter
    or half year counts here, since the caller says the text is a time expression.
    """
    hits = _scan(unicodedata.normalize("NFC", text), default_year, standalone=True)
    return hits[0].deadline if len(hits) == 1 else None
