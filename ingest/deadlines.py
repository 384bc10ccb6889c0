"""Deadlines in Vietnamese Party documents: one grammar of time expressions ("what must I do, and by when?").

Hand-written because no maintained library parses Vietnamese deadline expressions: date parsers
read "15/01/2024" but not "trong Quý I/2024", "6 tháng đầu năm" or "chậm nhất 20 ngày làm việc,
kể từ ...", and none of them knows that "Kế hoạch số 44-KH/TU, ngày 29/10/2021" is an issue date,
not a deadline. Recurrence rules are written as RFC 5545 RRULEs and their first due date is computed
by dateutil's rrule (the library icalendar itself uses), so the rule and the date cannot disagree.
A wrong deadline is the worst bug this product can have, so every form prefers no deadline to a
guessed one. docs/deadlines.md is the spec: it lists every form of `FORMS` with the window it gives.

How it works: `FORMS` is the grammar, one row per form: a regex over an accent-folded, lower-cased
copy of the text (one character for each input character, so match offsets are offsets into the
input) and a builder that turns a match into a `Deadline`, or into `None` for an expression that is
recognised but is not a deadline (an issue date, a bare "năm 2024", "quá 12 tháng"): such a hit only
stops shorter forms from matching inside it. Overlapping hits are resolved leftmost-longest, so a
composite form ("từ năm 2026 báo cáo hằng quý, gửi trước ngày 20 của tháng cuối quý") wins over the
pieces it contains.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateutil.rrule import rrulestr

from .models import Deadline, Span
from .normalize import fold as _strip_marks

__all__ = ["parse_deadline", "find_deadlines", "FORMS", "Form", "KINDS"]

KINDS = ("dated", "relative", "recurring", "event", "ongoing", "vague")
MIN_YEAR, MAX_YEAR = 1945, 2100

# Named constants: what each one trades.
# Words allowed between a start and the rhythm it starts ("từ năm 2026, tỷ lệ giải ngân vốn đầu tư công
# hằng năm"): more joins a start to a rhythm of another duty, fewer leaves the rhythm without its start.
START_GAP_WORDS = 10
# Words allowed between a rhythm and its due day ("hằng quý, gửi trước ngày 20 của tháng cuối quý"):
# more could take a day that belongs to another duty, fewer loses the day of the rhythm.
DAY_GAP_WORDS = 3
# Words allowed between a rhythm and a due day written later in the same clause, with the duty's action
# between them ("Bí thư chi bộ hằng tháng báo cáo tình hình … về đảng ủy xã, thị trấn trước ngày 25"):
# more could join a day to a rhythm of a long clause it does not belong to, fewer leaves such a day
# (a bare "ngày 25" means nothing without its rhythm) undated.
RHYTHM_DAY_GAP_WORDS = 25
# An anchor event ("trước kỳ họp cuối năm của Hội đồng nhân dân tỉnh") is cut after this many words:
# longer, it has run into the main clause; shorter cuts real event names.
EVENT_MAX_WORDS = 14
# A monthly due day past 28 does not exist in every month; such a rule keeps its rhythm, not its day.
MONTHLY_MAX_DAY = 28
# Document types that are standing rules, folded: their yearless days and months recur every year
# ("báo cáo năm gửi trước ngày 05/12" in a Quy chế). A type missing here reads such a date as the
# issue year's only (one due date instead of a yearly one); a plan type added here would wrongly repeat.
STANDING_TYPES = ("quy che", "quy dinh", "dieu le", "noi quy")
# A yearless window longer than this (a half year, "trong năm") in a standing rule stays a window of its
# year: a yearly rhythm with a whole-year window says no more than "hằng năm".
STANDING_MAX_DAYS = 92


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


class _SimpleChars(dict):
    """ord(c) → _simple_char(c), filled as characters are met: a table for str.translate, which folds
    a sentence in one call instead of one Python call per character."""

    def __missing__(self, code: int) -> str:
        out = self[code] = _simple_char(chr(code))
        return out


_SIMPLE_CHARS = _SimpleChars()


def _fold(text: str) -> str:
    """"Trước Ngày" → "truoc ngay": no diacritics, đ → d, lower case, same length as `text`."""
    folded = _strip_marks(text).translate(_SIMPLE_CHARS)
    assert len(folded) == len(text), "folding must keep offsets"
    return folded


# Folding makes "hạng năm" look like "hằng năm" and "cười" like "cuối". A matched word that carries
# diacritics must therefore be one of these (text typed without diacritics passes as it is). Words of
# an event, or of the gap between a start and its rhythm, are free and not checked.
_VOCAB = frozenset(
    """trước chậm nhất hạn chót thời đến hết tới từ ngày tháng năm quý quí hoàn thành hoặc là
    vào cuối đầu đoạn nhiệm kỳ kì hằng hàng định thường xuyên tuần kể tính làm việc không quá
    vòng tối đa sáu suốt thực hiện muộn hơn mỗi ít lần một trở lên đi về sau của các những tiếp
    theo khi họp phiên hội nghị đại tại lệ giữa được có yêu cầu thiểu trên dưới đủ kết thúc
    diễn ra tổ chức khai mạc cuộc bầu cử tết nguyên đán xong gian và giờ nộp gửi dịp nhân hướng dẫn
    kế hoạch lịch thông báo chỉ đạo quy định mùng mồng""".split()
)
_WORD = re.compile(r"[^\W\d_]+")


def _words_ok(original: str) -> bool:
    for word in _WORD.findall(original):
        w = word.lower()
        if _fold(w) != w and w not in _VOCAB:
            return False
    return True


# Groups whose words are free text: the gap between a start and its rhythm, or before a due day.
_FREE_GROUPS = ("gap1", "gap2", "ev")


def _match_words_ok(m: re.Match[str], text: str) -> bool:
    spans = sorted(m.span(g) for g in _FREE_GROUPS if g in m.re.groupindex and m.start(g) >= 0)
    pos, pieces = m.start(), []
    for s, e in spans:
        pieces.append(text[pos:s])
        pos = max(pos, e)
    pieces.append(text[pos : m.end()])
    return all(_words_ok(p) for p in pieces)


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


def _count(token: str) -> int:
    return 1 if token == "mot" else int(token)


# ---------------------------------------------------------------------------------------------
# Regex pieces (all over the folded text, re.ASCII so \d, \s, \b mean what they say)

# A yearless expression followed by a later one that carries a year ("quý I và quý II/2024",
# "ngày 15/01 và 15/7/2024") must not take default_year, the year written later may differ: the
# empty group `later` marks it, and the builders turn it into a non-deadline hit.
_LATER_YEAR = (
    r"(?=\s*(?:-|,|va|hoac|den|toi)\s*(?:ngay\s+|thang\s+|qu[yi]\s+)?(?:[ivx]+|\d{1,2})"
    r"(?:(?:[/.-]|\s+thang\s+)\d{1,2})?(?:\s*[/.-]\s*|\s+nam\s+)\d{4})"
)


def _year_tail(tag: str = "") -> str:
    """After a month or a quarter: "/2024", "-2024", " năm 2024", or nothing year-like at all."""
    return (
        rf"(?:(?:\s*[/-]\s*|\s+nam\s+)(?P<y{tag}>\d{{4}})(?!\d)|(?P<later{tag}>{_LATER_YEAR})"
        r"|(?!\s*[/-]\s*\d|\s+nam\b|\d))"
    )


_Y = r"(?P<y>\d{4})(?!\d)"
# after a yearless "năm": not "năm học", "năm nay", "năm sau", "năm năm", "năm 24", "năm đầu", ...
_NAM_NO_YEAR = (
    r"(?!\s+(?:\d|(?:hoc|nay|truoc|sau|toi|qua|ngoai|tai|ke|do|ay|kia|nao|nam|dau|cuoi|thu|tiep|moi"
    r"|ngan\s+sach)\b))"
)


def _date_re(tag: str, *, day_only: bool = False, alone: bool = True) -> str:
    """D/M/Y, D-M-Y, D.M.Y, "D tháng M năm Y"; without a year nothing year-like may follow."""
    year = rf"(?P<y{tag}>\d{{4}})(?!\d)"
    later = rf"(?P<later{tag}>{_LATER_YEAR})|" if alone else ""
    no_year = r"(?![/.-]?\d|\s*[/.-]\s*\d|\s+(?:cua\s+)?nam\b)"
    # "trước ngày 15/01 (của) năm sau": the day in the year after the plan's (a yearly report on a year)
    following = rf"(?P<next{tag}>\s+(?:cua\s+)?nam\s+(?:sau|tiep\s+theo|ke\s+tiep)\b)"
    tail = rf"(?:[/.-]|\s+thang\s+)(?P<m{tag}>\d{{1,2}})(?:(?:[/.-]|\s+nam\s+){year}|{following}|{later}{no_year})"
    return rf"(?<![\d/.-])(?P<d{tag}>\d{{1,2}})(?:{tail}){'?' if day_only else ''}(?![\d/])"


# Cues before a period (month, quarter, half year, year), and what they make of it.
_BY = (
    r"truoc\s+hoac\s+trong|(?:cham|muon)\s+nhat(?:\s+la)?(?:\s+(?:vao|trong|den))?"
    r"|khong\s+muon\s+hon|han\s+chot(?:\s+la)?|(?:den\s+)?het|den|toi"
)
_PERIOD_CUE = (
    r"(?:\b(?:"
    rf"(?P<by>{_BY})"
    r"|(?P<window>trong(?:\s+suot)?|vao|hoan\s+thanh|xong"
    r"|thoi\s+gian(?:\s+(?:thuc\s+hien|hoan\s+thanh))?\s*:)"
    r"|(?P<before>truoc)"
    r"|(?P<end>(?:(?:den|vao|truoc|toi)\s+)?cuoi)"
    r"|(?P<vague>dau)"
    r")\s*)?"
)
_DATE_CUE = (
    r"\b(?:(?P<incl>truoc\s+hoac\s+trong|(?:cham|muon)\s+nhat(?:\s+la)?(?:\s+(?:vao|den))?"
    r"|khong\s+muon\s+hon|(?:thoi\s+)?han(?:\s+(?:chot|nop|gui))?(?:\s+la)?\s*:?|(?:den\s+)?het|den"
    r"|hoan\s+thanh\s+(?:trong|vao)|xong\s+trong|thoi\s+gian(?:\s+(?:thuc\s+hien|hoan\s+thanh))?\s*:)"
    r"|(?P<excl>(?:xong\s+)?truoc))\s*"
)
# Cues after which a day written without "ngày" and without a year ("trước 20/12", "chậm nhất 30/6")
# is still a date: "đến 1/2 số đảng viên" is a fraction, so "đến" is not one of them.
_SHORT_DATE_CUES = ("truoc", "cham", "muon", "han", "khong", "thoi")
_FRACTION_AFTER = re.compile(r"\s*(?:so\b|tong\b|%|dan\b|phan\b)")
_UNIT = r"ngay\s+lam\s+viec|ngay|tuan|thang|nam|gio"
_REL_CUE = (
    r"(?:cham|muon)\s+nhat(?:\s+la)?|trong\s+vong|trong\s+thoi\s+han|trong|khong\s+qua|toi\s+da"
    r"|(?:thoi\s+)?han(?:\s+la)?\s*:?"
)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.ASCII)


# Rhythms. `unit`: hằng/mỗi …; `pn`/`punit`: định kỳ N …; `nn`/`nunit`: "6 tháng một lần";
# `least`/`times`/`tunit`: "ít nhất 01 lần trong năm".
_RHYTHM = (
    r"(?:dinh\s+k[yi]\s+)?(?:hang|moi)\s+(?P<unit>nam|qu[yi]|thang|tuan|ngay)\b(?!\s*\d)"
    r"|dinh\s+k[yi]\b(?:\s+(?P<pn>\d{1,2})\s+(?P<punit>thang|nam|qu[yi]|tuan|ngay)\b"
    r"(?:\s+(?:mot|1)\s+lan\b)?)?"
    r"|(?P<nn>\d{1,2})\s+(?P<nunit>thang|nam|qu[yi]|tuan|ngay)\s*(?:/\s*lan|(?:mot|1)\s+lan)\b"
    r"|(?P<least>it\s+nhat|toi\s+thieu)\s+(?P<times>\d{1,2}|mot)\s+lan\s*(?:(?:trong|moi|mot)\s+|/\s*)"
    # "ít nhất một lần trong quý III" names one quarter, not every quarter
    r"(?P<tunit>nam|qu[yi]|thang|tuan)\b(?!\s*(?:[ivx]+\b|\d))"
)
# A start: "từ năm 2026", "từ quý II/2025", "từ tháng 3/2025" (yearless: the plan's year).
_START = (
    r"(?<![/.-])\btu\s+(?:nam\s+(?P<sy>\d{4})(?!\d)"
    r"|qu[yi]\s+(?P<sq>[ivx]+|\d)\b(?:(?:\s*[/-]\s*|\s+nam\s+)(?P<sqy>\d{4})(?!\d))?"
    r"|thang\s+(?P<sm>\d{1,2})(?:(?:\s*[/-]\s*|\s+nam\s+)(?P<smy>\d{4})(?!\d))?)(?![/-]?\d)"
)
# "ngày mùng 5", "ngày mồng 2": the day's number as it is said for the first ten days of a month.
_MUNG = r"(?:m[uo]ng\s+)?"
_DUE_CUE = r"truoc\s+hoac\s+trong\s+|truoc\s+|(?:cham|muon)\s+nhat\s+(?:la\s+)?(?:vao\s+)?|vao\s+|han\s+chot\s+(?:la\s+)?"
# Due days of a rhythm: of the last (first) month of each quarter, of each month, or listed days.
_DUE_QUARTER = (
    rf"(?P<qcue>{_DUE_CUE})?ngay\s+{_MUNG}(?P<qd>\d{{1,2}})\s+(?:cua\s+)?thang\s+(?P<qpos>cuoi|dau)\s+"
    r"(?:cua\s+)?(?:moi\s+|hang\s+|cac\s+)?qu[yi]\b(?!\s*(?:[ivx]+|\d)\b)"
)
_DUE_MONTH = (
    rf"(?P<mcue>{_DUE_CUE})?ngay\s+{_MUNG}(?P<md>\d{{1,2}})(?:\s+(?:cua\s+)?(?:hang|moi)\s+thang\b)?"
    r"(?![\d/-]|\.\d|\s*[/.-]\s*\d|\s+(?:thang|cua)\b)"
)
_DAY_MONTH = r"\d{1,2}(?:\s*[/.-]\s*|\s+thang\s+)\d{1,2}"
_DUE_LIST = (
    rf"(?P<lcue>{_DUE_CUE})?(?P<days>(?:ngay\s+)?{_DAY_MONTH}"
    rf"(?:\s*(?:,|;|va)\s*(?:(?:truoc\s+)?ngay\s+)?{_DAY_MONTH}){{0,11}})(?![\d/-]|\.\d|\s*[/.-]\s*\d|\s+nam\s+\d)"
)
# Months of a rhythm without its day: "định kỳ 6 tháng một lần, vào tháng 6 và tháng 12" (two or more).
_DUE_MONTHS = (
    r"(?:vao\s+)?(?P<mons>thang\s+\d{1,2}(?:\s*(?:,|va)\s*(?:thang\s+)?\d{1,2}){1,11})"
    r"(?![\d/-]|\.\d|\s*[/.-]\s*\d|\s+nam\s+\d)"
)
_GAP = r"(?:[^\W\d_]+\s+)"


# ---------------------------------------------------------------------------------------------
# Builders: one regex match → Deadline (text and span are filled in later), or None for a hit
# that is not a deadline.


@dataclass(frozen=True)
class _Ctx:
    text: str
    folded: str
    default_year: int | None
    standalone: bool  # parse_deadline: a bare "tháng 01/2024" is the whole expression
    issued: date | None = None
    doc_type: str | None = None
    bare: bool = False  # find_deadlines(bare_periods=True): "năm 2025" with no cue is a window too
    # Where other time expressions start: an event ("kể từ ngày …", "trước Đại hội …") ends before them.
    stops: tuple[int, ...] = ()

    def limit(self, pos: int) -> int:
        """Where an event starting at `pos` must end at the latest: the clause before the next time expression."""
        nxt = next((s for s in self.stops if s > pos), None)
        if nxt is None:
            return len(self.text)
        cut = max(self.folded.rfind(",", pos, nxt), self.folded.rfind(" va ", pos, nxt))
        return cut if cut >= pos else nxt

    def in_cell(self, start: int, end: int) -> bool:
        """The expression is a whole cell of a table written as text ("| quý II |", tab-separated)."""
        before, after = self.text[:start].rstrip(" "), self.text[end:].lstrip(" ")
        left, right = before[-1:], after[:1]
        return left in ("|", "\t", "") and right in ("|", "\t", "") and (left + right) != ""

    def whole(self, start: int, end: int) -> bool:
        """Nothing but punctuation around the expression: it is all of parse_deadline's text."""
        strip = " \t\n.,;:()[]-–|\"'“”"
        return not self.text[:start].strip(strip) and not self.text[end:].strip(strip)

    @property
    def standing(self) -> bool:
        """The document is a standing rule (Quy chế, Quy định, Điều lệ, Nội quy): it has no period of its
        own, so a day or a month it writes without a year comes back every year."""
        return bool(self.doc_type) and _fold(self.doc_type).lower().startswith(STANDING_TYPES)

    def plan_start(self) -> date | None:
        """The first day the plan runs: 1/1 of its year, or its issue date when issued in that year."""
        if self.default_year is None:
            return self.issued
        jan1 = date(self.default_year, 1, 1)
        return max(jan1, self.issued) if self.issued and self.issued.year == self.default_year else jan1


# A builder gives a Deadline, None for an expression that is recognised but is not a deadline (it still
# hides what it covers), or False for no expression at all.
_Builder = Callable[[re.Match[str], _Ctx], "Deadline | None | bool"]


def _D(kind: str, start: date | None = None, end: date | None = None, **kw: object) -> Deadline:  # noqa: N802
    return Deadline("", start, end, kind=kind, **kw)  # type: ignore[arg-type]


def _year(token: str | None, ctx: _Ctx) -> tuple[int | None, bool]:
    """The written year, or the plan's year (implied = True)."""
    if token:
        return int(token), False
    return ctx.default_year, ctx.default_year is not None


def _implied(flag: bool, year: int | None) -> int | None:
    return year if flag else None


def _date_of(m: re.Match[str], tag: str, ctx: _Ctx) -> tuple[date | None, bool]:
    if m.groupdict().get(f"later{tag}") is not None:
        return None, False
    year, implied = _year(m[f"y{tag}"], ctx)
    if m.groupdict().get(f"next{tag}") is not None and year is not None:
        year += 1  # "15/01 năm sau": the year after the plan's
    day = _make_date(year, int(m[f"m{tag}"]), int(m[f"d{tag}"])) if year else None
    if implied and day is not None and ctx.issued is not None and day < ctx.issued:
        # "trước 10/01" in a guidance issued 16/11/2026 for the 2026 review: a day without its year
        # that would fall before the document itself is the next one (10/01/2027)
        day = _make_date(year + 1, day.month, day.day)
    return day, implied


def _cued_date(m: re.Match[str], ctx: _Ctx) -> Deadline | None:
    if not m["ngay"] and not m["y"]:  # "đến 1/2 số đảng viên": a bare D/M needs "ngày" or a firm cue
        cue = (m["incl"] or m["excl"]).split()[0]
        if cue not in _SHORT_DATE_CUES or _FRACTION_AFTER.match(ctx.folded, m.end()):
            return None
    day, implied = _date_of(m, "", ctx)
    if day is None:
        return None
    return _D("dated", None, day, exclusive_end=bool(m["excl"]), implied_year=_implied(implied, day.year))


def _not_a_deadline(m: re.Match[str], ctx: _Ctx) -> None:
    return None


def _range(m: re.Match[str], ctx: _Ctx) -> Deadline | None:
    y1, y2 = m["y1"] or m["y2"], m["y2"] or m["y1"]
    if not (m["ngay"] or y1):  # "từ 1/3 đến 1/5 số đảng viên"
        return None
    (year1, imp1), (year2, imp2) = _year(y1, ctx), _year(y2, ctx)
    if year1 is None or year2 is None:
        return None
    start = _make_date(year1, int(m["m1"] or m["m2"]), int(m["d1"]))
    end = _make_date(year2, int(m["m2"]), int(m["d2"]))
    if start is None or end is None or start > end or m["later2"] is not None:
        return None
    return _D("dated", start, end, implied_year=_implied(imp1 or imp2, end.year))


def _period_bounds(kind: str, token: str, year: int) -> tuple[date, date] | None:
    if kind.startswith("thang"):
        return _months(year, int(token), int(token)) if token.isdigit() else None
    q = _quarter(token)
    return _months(year, 3 * q - 2, 3 * q) if q else None


def _dashed_range(m: re.Match[str], ctx: _Ctx) -> Deadline | None:
    """"tháng 5 - 6/2027", "quý II–III/2027": a dash joins two periods of one kind into one window,
    the first's start to the second's end (the year written once, after the second)."""
    if m["laterb"] is not None or m["before"] or m["end"] or m["vague"]:
        return None  # "trước tháng 5 - 6": before which? none rather than a guess
    kb = m["kb"] or m["ka"]
    if kb[:3] != m["ka"][:3]:
        return None
    year, implied = _year(m["yb"], ctx)
    if year is None:
        return None
    first, last = _period_bounds(m["ka"], m["a"], year), _period_bounds(kb, m["b"], year)
    if not first or not last or first[0] > last[1]:
        return None
    return _D("dated", first[0], last[1], implied_year=_implied(implied, year))


def _period_range(m: re.Match[str], ctx: _Ctx) -> Deadline | None:
    """"từ tháng 3 đến tháng 5/2024", "từ quý II đến quý III/2025": the first's start to the second's end."""
    if m["laterb"] is not None:
        return None
    (ya, impa), (yb, impb) = _year(m["ya"] or m["yb"], ctx), _year(m["yb"] or m["ya"], ctx)
    if ya is None or yb is None:
        return None
    first, last = _period_bounds(m["ka"], m["a"], ya), _period_bounds(m["kb"], m["b"], yb)
    if not first or not last or first[0] > last[1]:
        return None
    return _D("dated", first[0], last[1], implied_year=_implied(impa and impb, yb))


def _joined_periods(m: re.Match[str], ctx: _Ctx) -> Deadline | None:
    """"tháng 8 và tháng 9/2027", "quý II, III năm 2027": two periods side by side are one window only
    when one follows the other; "tháng 3 và tháng 9" names two separate months, and a window
    holding the months between would be a wrong deadline — nothing then."""
    kb = m["kb"] or m["ka"]
    if m["laterb"] is not None or m["ka"][:3] != kb[:3]:
        return None
    year, implied = _year(m["yb"], ctx)
    if year is None:
        return None
    first, last = _period_bounds(m["ka"], m["a"], year), _period_bounds(kb, m["b"], year)
    if not first or not last or last[0] != first[1] + timedelta(days=1):
        return None
    cue = _cue(m)
    bare_ok = (ctx.standalone and ctx.whole(m.start(), m.end())) or ctx.in_cell(m.start(), m.end()) or ctx.bare
    if cue is None and bare_ok:
        cue = "window"
    implied_year = _implied(implied, year)
    if cue == "window":
        return _D("dated", first[0], last[1], implied_year=implied_year)
    if cue in ("by", "end"):
        return _D("dated", None, last[1], implied_year=implied_year)
    if cue == "before":
        return _D("dated", None, first[0], exclusive_end=True, implied_year=implied_year)
    return None


def _term(m: re.Match[str], ctx: _Ctx) -> Deadline | None:
    first, last = int(m["y1"] or m["y3"]), int(m["y2"] or m["y4"])
    if not MIN_YEAR <= first <= last <= MAX_YEAR:
        return None
    return _D("dated", date(first, 1, 1), date(last, 12, 31))


def _window(kind: str, m: re.Match[str], ctx: _Ctx) -> tuple[date, date, bool] | None:
    if m.groupdict().get("later") is not None:
        return None
    year, implied = _year(m.groupdict().get("y"), ctx)
    if year is None:
        return None
    if kind == "month":
        month = int(m["m"])
        found = _months(year, month, month)
    elif kind == "quarter":
        q = _quarter(m["q"])
        found = _months(year, 3 * q - 2, 3 * q) if q else None
    elif kind == "half":
        n = 6 if m["n"] == "sau" else int(m["n"])
        if not 1 <= n <= 11:
            return None
        found = _months(year, 1, n) if m["side"] == "dau" else _months(year, 13 - n, 12)
    else:
        found = _months(year, 1, 12)
    return (*found, implied) if found else None


def _cue(m: re.Match[str]) -> str | None:
    found = m.groupdict()
    return next((k for k in ("by", "window", "before", "end", "vague") if found.get(k)), None)


_DONE_BEFORE = re.compile(r"\b(?:hoan\s+thanh|xong|ket\s+thuc)\s+$")


def _opens_clause(ctx: _Ctx, start: int) -> bool:
    """"…, cuối quý II/2024; …", "hoàn thành cuối năm": the phrase stands after a comma or bracket, or
    after a verb of completion, not after a noun it qualifies ("xếp loại đảng viên cuối năm")."""
    before = ctx.text[:start].rstrip()
    return before == "" or before[-1] in ",;:(–-" or bool(_DONE_BEFORE.search(ctx.folded[max(0, start - 20) : start]))


# Before a bare period, what makes it the year of something else: a document ("Kế hoạch số 12-KH/TU năm
# 2025", "Chuyên đề năm 2024") or a comparison ("so với năm 2024").
_OTHER_BEFORE = re.compile(r"(?:\d+\s?-\s?[a-z]{1,6}(?:/[a-z]{1,8}){1,2}|chuyen\s+de|so\s+voi|hon|nhu|cua)\s*,?\s*$")


def _names_other(ctx: _Ctx, start: int) -> bool:
    return bool(_OTHER_BEFORE.search(ctx.folded[max(0, start - 30) : start]))


def _period(kind: str) -> _Builder:
    def build(m: re.Match[str], ctx: _Ctx) -> Deadline | None:
        cue = _cue(m)
        bare_ok = (ctx.standalone and ctx.whole(m.start(), m.end())) or ctx.in_cell(m.start(), m.end())
        if cue is None and (bare_ok and (kind != "year" or ctx.standalone) or ctx.bare and not _names_other(ctx, m.start())):
            cue = "window"  # a time cell, or the whole of parse_deadline's text: "quý II", "năm 2025"
        if cue == "end" and m["end"] == "cuoi" and not (bare_ok or _opens_clause(ctx, m.start())):
            return None  # "xếp loại đảng viên cuối năm" names the year-end review: "vào/đến cuối năm" is a deadline
        if cue is None or (cue in ("end", "vague") and kind == "half"):
            return None
        if kind == "year" and cue == "window" and m["window"] and m["window"].startswith(("vao", "xong")):
            return None  # "năm 2024" only after trong, hoàn thành, hết, đến, cuối, đầu, ...
        window = _window(kind, m, ctx)
        if window is None:
            return None
        start, end, implied = window
        year = _implied(implied, end.year)
        if cue == "window":
            return _D("dated", start, end, implied_year=year)
        if cue in ("by", "end"):
            return _D("dated", None, end, implied_year=year)
        if cue == "before":  # "trước tháng 6/2024": the first day of the period is the bound
            return _D("dated", None, start, exclusive_end=True, implied_year=year)
        return _D("vague", implied_year=year)  # "đầu năm 2024": recognised, too vague to date

    return build


def _start_of(m: re.Match[str], ctx: _Ctx) -> tuple[date | None, bool] | None:
    """The first day of a `_START` ("từ năm 2026"): (day, year implied), None if impossible."""
    if m["sy"]:
        return _make_date(int(m["sy"]), 1, 1), False
    if m["sq"]:
        q = _quarter(m["sq"])
        year, implied = _year(m["sqy"], ctx)
        return (_make_date(year, 3 * q - 2, 1), implied) if q and year else None
    year, implied = _year(m["smy"], ctx)
    return (_make_date(year, int(m["sm"]), 1), implied) if year and 1 <= int(m["sm"]) <= 12 else None


_SINCE_NOW = re.compile(r"\s*,?\s*(?:den|toi)\s+(?:nay|hien\s+nay|thoi\s+diem\s+nay)\b")
_EFFECTIVE = re.compile(r"(?:hieu\s+luc|ap\s+dung|thi\s+hanh)(?:\s+(?:ke|tinh))?\s+$")


def _start(m: re.Match[str], ctx: _Ctx) -> Deadline | None:
    """"từ quý II/2025", "từ năm 2026 trở đi": a start, no end (ongoing)."""
    if _SINCE_NOW.match(ctx.folded, m.end()) or _EFFECTIVE.search(ctx.folded[max(0, m.start() - 24) : m.start()]):
        return None  # "từ năm 2021 đến nay" is a past period; "có hiệu lực từ …" an entry into force
    if m["dd"]:
        if not (m["ngay"] or m["ydd"]):  # "từ 1/3 số đảng viên"
            return None
        year, implied = _year(m["ydd"], ctx)
        day = _make_date(year, int(m["mdd"]), int(m["dd"])) if year else None
        found = (day, implied) if day else None
    else:
        found = _start_of(m, ctx)
    if not found or not found[0]:
        return None
    day, implied = found
    return _D("ongoing", day, None, implied_year=_implied(implied, day.year))


def _years_on(m: re.Match[str], ctx: _Ctx) -> Deadline | None:
    """"năm 2025 và các năm tiếp theo": ongoing from 1/1/2025."""
    start = _make_date(int(m["y"]), 1, 1)
    return _D("ongoing", start, None) if start else None


# --- relative deadlines ----------------------------------------------------------------------


def _event_end(ctx: _Ctx, pos: int) -> int:
    """The event after "kể từ": one segment, then further comma-separated ones of ≤ 3 words; never
    into the next time expression ("… kể từ ngày nhận được báo cáo và gửi báo cáo năm trước ngày …")."""
    text, folded, limit = ctx.text, ctx.folded, ctx.limit(pos)
    end = min(_segment_end(text, folded, pos), limit)
    while folded.startswith(",", end) and end < limit:
        after = min(_segment_end(text, folded, end + 1), limit)
        item = folded[end + 1 : after].split()
        if not 0 < len(item) <= 3 or item[0] in _CLAUSE_OPENERS:
            break  # "…, các cơ quan, đơn vị …": the main clause's subject, not more of the event
        end = after
    return pos + len(text[pos:end].rstrip())


# Words that open the main clause after an event's comma ("kể từ ngày nhận được Thông báo này, các cơ quan …").
_CLAUSE_OPENERS = frozenset({"cac", "nhung", "moi", "toan", "tat", "tung"})
_EVENT_STOP = _rx(r"[,;:!?()\[\]\n|]|\.(?!\d)|\s(?P<cua>cua)\s")


def _segment_end(text: str, folded: str, pos: int) -> int:
    for stop in _EVENT_STOP.finditer(folded, pos):
        if stop["cua"] and text[stop.start("cua") : stop.end("cua")].lower() not in ("của", "cua"):
            continue  # "cửa", not "của"
        return stop.start()
    return len(folded)


def _squash(s: str) -> str:
    return " ".join(s.split())


_OWN_ACT = r"(?:(?:duoc\s+)?(?:ky\s+)?ban\s+hanh|(?:duoc\s+)?ky)"


def _own_document(event: str, ctx: _Ctx) -> bool:
    """The anchor is the document's own issuance: "ngày ký", "ngày ban hành Chỉ thị (này)",
    "Kế hoạch này được ban hành". Another document ("Chỉ thị số 30-CT/TU") is not, nor a common noun:
    a document names itself with a capital ("Chỉ thị"), "ngày ký ban hành kết luận" is a conclusion."""
    ev = _squash(event)
    folded = _fold(ev)
    own = {"van ban nay"}
    if ctx.doc_type:
        t = _squash(_fold(ctx.doc_type)).lower()
        own |= {t, t + " nay"}
    m = re.fullmatch(rf"ngay\s+{_OWN_ACT}(?:\s+(?P<x>.+))?", folded) or re.fullmatch(
        rf"(?:ngay\s+)?(?P<x>.+?)\s+{_OWN_ACT}", folded
    )
    if not m:
        return False
    if m["x"] is None:
        return True
    return m["x"] in own and (m["x"] == "van ban nay" or ev[m.start("x")].isupper())


def _computed(n: int, unit: str, event: str, ctx: _Ctx) -> date | None:
    """issued + N calendar days, only for the document's own issuance; working days are never computed."""
    if unit != "ngay" or ctx.issued is None or not _own_document(event, ctx):
        return None
    end = ctx.issued + timedelta(days=n)
    return end if end.year <= MAX_YEAR else None


def _relative(m: re.Match[str], ctx: _Ctx) -> Deadline | None | bool:
    cue = m["cue"]
    if cue is None:
        # "sau 30 ngày kể từ ngày ký" (takes effect after) is not a deadline; and it must not hide the
        # date of "báo cáo kết quả 6 tháng trước ngày 15/6": no hit at all.
        return False
    end = _event_end(ctx, m.end())
    if end <= m.end():
        return None
    keep = cue.startswith(("khong", "toi"))  # "không quá"/"tối đa" are part of the bound
    words = [ctx.text[m.start("cue") : m.end("cue")]] if keep else []
    words += [ctx.text[m.start(g) : m.end(g)] for g in ("n", "unit", "conn")]
    event = ctx.text[m.end() : end]
    relative = _squash(" ".join([*words, event]))
    due = _computed(int(m["n"]), m["unit"], event, ctx)
    if due is not None:
        relative += f" ({ctx.issued:%d/%m/%Y})"
    return _D("relative", None, due, relative=relative, event=_squash(event), span=Span(m.start(), end))


def _after_issue(m: re.Match[str], ctx: _Ctx) -> Deadline | None:
    """"sau khi Chỉ thị được ban hành 30 ngày": N units after an event written before the number."""
    event = _squash(ctx.text[m.start("ev") : m.end("ev")])
    ev_folded = _squash(m["ev"])
    n, unit = int(m["n"]), _squash(ctx.text[m.start("unit") : m.end("unit")])
    act = re.fullmatch(rf"(?P<x>.+?)\s+{_OWN_ACT}", ev_folded)
    due = _computed(n, m["unit"], event, ctx)
    if act and due is not None:
        thing = _squash(event[: len(act["x"])])
        relative = f"{n} {unit} kể từ ngày ban hành {thing} ({ctx.issued:%d/%m/%Y})"
    else:
        relative = f"{n} {unit} sau khi {event}"
    return _D("relative", None, due, relative=relative, event=event)


def _limit(m: re.Match[str], ctx: _Ctx) -> Deadline:
    """"không quá 30 ngày làm việc": a duration with no anchor of its own (event None); the caller
    anchors it from the context, or drops it in a definition ("không quá 12 tháng")."""
    return _D("relative", relative=_squash(ctx.text[m.start() : m.end()]))


# --- recurrences -----------------------------------------------------------------------------

_UNIT_VI = {"nam": "năm", "quy": "quý", "qui": "quý", "thang": "tháng", "tuan": "tuần", "ngay": "ngày", "gio": "giờ"}
_FREQ = {"nam": ("YEARLY", 1), "quy": ("MONTHLY", 3), "qui": ("MONTHLY", 3), "thang": ("MONTHLY", 1),
         "tuan": ("WEEKLY", 1), "ngay": ("DAILY", 1)}


@dataclass(frozen=True)
class _Rhythm:
    label: str  # Deadline.recurrence: "hằng quý", "định kỳ 6 tháng", "ít nhất 1 lần mỗi năm"
    freq: str | None  # RRULE FREQ, None when the rhythm is not known ("định kỳ")
    interval: int = 1

    @property
    def months(self) -> int | None:
        """The rhythm in months, for rhythms counted in months or years."""
        if self.freq == "MONTHLY":
            return self.interval
        return 12 * self.interval if self.freq == "YEARLY" else None

    def rule(self) -> str | None:
        if self.freq is None:
            return None
        return f"FREQ={self.freq}" + (f";INTERVAL={self.interval}" if self.interval > 1 else "")


def _rhythm(m: re.Match[str]) -> _Rhythm | None:
    if m["unit"]:
        freq, interval = _FREQ[m["unit"]]
        return _Rhythm("hằng " + _UNIT_VI[m["unit"]], freq, interval)
    n_token, unit = (m["pn"], m["punit"]) if m["pn"] else (m["nn"], m["nunit"])
    if unit:
        n = int(n_token)
        if n == 0:
            return None
        freq, per = _FREQ[unit]
        return _Rhythm(f"định kỳ {n} {_UNIT_VI[unit]}", freq, per * n)
    if m["least"]:
        times = _count(m["times"])
        if times == 0:
            return None
        freq, interval = _FREQ[m["tunit"]]
        return _Rhythm(f"ít nhất {times} lần mỗi {_UNIT_VI[m['tunit']]}", freq if times == 1 else None, interval)
    return _Rhythm("định kỳ", None)


@dataclass(frozen=True)
class _Due:
    """Due days within the rhythm: (month, day) pairs, or every month on `day` (months == ())."""
    days: tuple[tuple[int, int], ...]
    every_month_day: int | None
    exclusive: bool
    months: tuple[int, ...] = ()  # months named without a day ("vào tháng 6 và tháng 12"): no due date


def _due_cue(token: str | None) -> bool:
    return bool(token) and token.split()[0] == "truoc" and "hoac" not in token


_LIST_ITEM = _rx(r"(\d{1,2})(?:\s*[/.-]\s*|\s+thang\s+)(\d{1,2})")


def _due(m: re.Match[str]) -> _Due | None:
    g = m.groupdict()
    if g.get("qd"):
        day = int(m["qd"])
        months = (3, 6, 9, 12) if m["qpos"] == "cuoi" else (1, 4, 7, 10)
        return _Due(tuple((mo, day) for mo in months), None, _due_cue(m["qcue"]))
    if g.get("md"):
        return _Due((), int(m["md"]), _due_cue(m["mcue"]))
    if g.get("days"):
        items = tuple((int(mo), int(d)) for d, mo in _LIST_ITEM.findall(m["days"]))
        return _Due(items, None, _due_cue(m["lcue"]))
    if g.get("yd"):
        return _Due(((int(m["ym"]), int(m["yd"])),), None, _due_cue(m["ycue"]))
    if g.get("mons"):
        return _Due((), None, False, tuple(int(x) for x in re.findall(r"\d{1,2}", m["mons"])))
    return None


def _fits(rhythm: _Rhythm, due: _Due) -> bool:
    """The due days agree with the rhythm: one day a year for "hằng năm", two six months apart for
    "định kỳ 6 tháng", the day of each month for "hằng tháng"; every day exists in every year but 29/2."""
    if due.every_month_day is not None:
        return rhythm.freq in ("MONTHLY", None) and rhythm.interval == 1 and 1 <= due.every_month_day <= MONTHLY_MAX_DAY
    if due.months:
        months = sorted(due.months)
        if any(not 1 <= mo <= 12 for mo in months):
            return False
    elif not due.days or any(_make_date(2001, mo, d) is None for mo, d in due.days):
        return False
    else:
        months = sorted(mo for mo, _ in due.days)
    if len(set(months)) != len(months):
        return False
    step = rhythm.months
    if rhythm.freq is None:
        return rhythm.label == "định kỳ"
    if step is None or 12 % step:
        return False
    return len(months) == 12 // step and all(b - a == step for a, b in zip(months, months[1:]))


def _due_rule(due: _Due) -> str | None:
    if due.every_month_day is not None:
        return f"FREQ=MONTHLY;BYMONTHDAY={due.every_month_day}"
    if due.months:  # the months are known, the day is not: the rule pins the months only
        return f"FREQ=MONTHLY;BYMONTH={','.join(str(mo) for mo in sorted(due.months))}"
    days = {d for _, d in due.days}
    if len(days) != 1:
        return None  # "trước 10/6 và 15/12": two days cannot share one RRULE; the first due date stays
    months = ",".join(str(mo) for mo in sorted(mo for mo, _ in due.days))
    # Months are pinned (not FREQ=MONTHLY;INTERVAL=3) so the rule is right from any DTSTART.
    return f"FREQ={'YEARLY' if len(due.days) == 1 else 'MONTHLY'};BYMONTH={months};BYMONTHDAY={days.pop()}"


def _first_due(due: _Due, since: date) -> date | None:
    """The first due day on or after `since`, by dateutil's rrule (one rule per listed day)."""
    rules = [f"FREQ=MONTHLY;BYMONTHDAY={due.every_month_day}"] if due.every_month_day is not None else [
        f"FREQ=YEARLY;BYMONTH={mo};BYMONTHDAY={d}" for mo, d in due.days
    ]
    start = datetime(since.year, since.month, since.day)
    found = [rrulestr(rule, dtstart=start).after(start, inc=True) for rule in rules]
    days = [f.date() for f in found if f is not None]
    first = min(days) if days else None
    return first if first and first.year <= MAX_YEAR else None


def _written_start(m: re.Match[str], ctx: _Ctx) -> tuple[date | None, bool] | None:
    """The start joined to a rhythm ("từ năm 2026, … hằng năm"): (None, False) when none is written,
    None when the written one is impossible."""
    g = m.groupdict()
    if not (g.get("sy") or g.get("sq") or g.get("sm")):
        return None, False
    found = _start_of(m, ctx)
    return found if found and found[0] else None


def _recurring(m: re.Match[str], ctx: _Ctx) -> Deadline | None:
    g = m.groupdict()
    written_start = _written_start(m, ctx)
    if written_start is None:
        return None
    start, start_implied = written_start
    written_rhythm = g.get("rhythm") is not None
    if written_rhythm:
        rhythm = _rhythm(m)
    elif g.get("qd"):  # the day names its rhythm: "ngày 20 của tháng cuối quý", "ngày 15/12 hằng năm"
        rhythm = _Rhythm("hằng quý", "MONTHLY", 3)
    else:
        rhythm = _Rhythm("hằng tháng", "MONTHLY", 1) if g.get("md") else _Rhythm("hằng năm", "YEARLY", 1)
    if rhythm is None:
        return None
    due = _due(m)
    if due is not None and due.every_month_day is not None and rhythm.label == "định kỳ":
        rhythm = _Rhythm("hằng tháng", "MONTHLY", 1)  # "định kỳ vào ngày 05 hằng tháng"
    if due is not None and not _fits(rhythm, due):
        if not written_rhythm:
            return None  # a due day that cannot be one ("ngày 31 hằng tháng"): nothing, not half of it
        due = None  # the written rhythm stands; days that do not fit it are dropped, never guessed
    return _recurrence(rhythm, start, start_implied, due, ctx)


def _recurrence(rhythm: _Rhythm, start: date | None, start_implied: bool, due: _Due | None, ctx: _Ctx) -> Deadline:
    """A rhythm (from `start` when written) with its due days, when they fit it: the RRULE and the first
    due date (on or after the start, else the plan's start)."""
    end = implied = None
    since = start or ctx.plan_start()
    if due is not None and not due.months and since is not None and MIN_YEAR <= since.year <= MAX_YEAR:
        end = _first_due(due, since)  # (months without a day give no date: the day is not known)
    if end is not None and (start is None or start_implied):
        implied = end.year
    elif start is not None and start_implied:
        implied = start.year
    rule = (_due_rule(due) if due else None) or rhythm.rule()
    return _D("recurring", start, end, recurrence=rhythm.label, rrule=rule,
              exclusive_end=bool(due and due.exclusive and end), implied_year=implied)


def _yearly(d: Deadline, ctx: _Ctx) -> Deadline | None:
    """A yearless day or short window of a standing rule: every year, from its first occurrence on or
    after the document's start (`end` its first due date; the RRULE's day the window's end, -1 for a
    month's last day). A day 29/02 gives nothing, as in "trước ngày 29/02 hằng năm"."""
    if d.end is None or (d.start is not None and (d.end - d.start).days > STANDING_MAX_DAYS):
        return d
    month_end = d.start is not None and d.end == _month_end(d.end.year, d.end.month)
    if not month_end and (d.end.month, d.end.day) == (2, 29):
        return None
    start, end = d.start, d.end
    since = ctx.plan_start()
    if since is not None and end < since:
        end = _month_end(end.year + 1, end.month) if month_end else _make_date(end.year + 1, end.month, end.day)
        start = _make_date(start.year + 1, start.month, start.day) if start else None
        if end is None or (start is None and d.start is not None):
            return None
    day = -1 if month_end else end.day
    return replace(d, kind="recurring", start=start, end=end, recurrence="hằng năm",
                   rrule=f"FREQ=YEARLY;BYMONTH={end.month};BYMONTHDAY={day}", implied_year=end.year)


def _bare_day(m: re.Match[str], ctx: _Ctx) -> None:
    """"trước ngày 25" with no month: by itself no deadline (a day of which month?); `_join_rhythm_days`
    makes it the due day of a rhythm written in the same clause."""
    return None


# What ends a clause between a rhythm and a due day: the next clause's day is not the rhythm's.
_CLAUSE_BREAK = re.compile(r"[;:!?\n|\t…]|\.(?!\d)")


def _lone_rhythm(hit: _Hit, ctx: _Ctx) -> tuple[_Rhythm, date | None, bool] | None:
    """A written rhythm with no due day of its own ("hằng tháng", "từ năm 2026, … hằng quý") and a
    known length: (rhythm, its start, start implied)."""
    if hit.form is None or hit.form.name != "recurring.rhythm" or hit.deadline is None or hit.match is None:
        return None
    g = hit.match.groupdict()
    if any(g.get(k) for k in ("qd", "md", "days", "mons")):
        return None
    rhythm = _rhythm(hit.match)
    written_start = _written_start(hit.match, ctx)
    if rhythm is None or rhythm.freq is None or written_start is None:
        return None  # "định kỳ", "ít nhất 2 lần mỗi năm": which days is not known
    return rhythm, *written_start


def _due_of(hit: _Hit, ctx: _Ctx) -> _Due | None:
    """The due days a hit can lend a rhythm: a bare day ("trước ngày 25"), a day without its year
    ("trước ngày 15/12"), or a day that names its own rhythm ("trước ngày 20 của tháng cuối quý").
    A day with its year written is that day only."""
    if hit.form is None or hit.match is None:
        return None
    m, name = hit.match, hit.form.name
    if name == "recurring.bare_day":
        if _after_since(ctx.text, hit.start) or _after_past(ctx.text, hit.start):
            return None
        return _Due((), int(m["bd"]), _due_cue(m["bcue"]))
    if hit.deadline is None:
        return None
    if name == "recurring.day":
        return _due(m)
    if name == "date.cued" and not m["y"] and m["later"] is None:
        return _Due(((int(m["m"]), int(m["d"])),), None, bool(m["excl"]))
    return None


def _same_clause(ctx: _Ctx, first: _Hit, second: _Hit) -> bool:
    between = ctx.text[first.end : second.start]
    return not _CLAUSE_BREAK.search(between) and len(_WORD.findall(between)) <= RHYTHM_DAY_GAP_WORDS


def _join_rhythm_days(hits: list[_Hit], ctx: _Ctx) -> list[_Hit]:
    """A rhythm and a due day written apart in one clause, nothing timed between them, are one
    recurring deadline when the day fits the rhythm: "Bí thư chi bộ hằng tháng báo cáo … trước ngày 25"
    (FREQ=MONTHLY;BYMONTHDAY=25), "hằng năm … trước ngày 15/12". The day's hit keeps its span and text
    (the day phrase as written), the rhythm's hit is absorbed. A bare day may also come first ("Trước
    ngày 25, … hằng tháng"): without its rhythm it is no deadline at all."""
    timed = [h for h in hits if h.deadline is not None or (h.form is not None and h.form.name == "recurring.bare_day")]
    absorbed: set[int] = set()
    i = 0
    while i + 1 < len(timed):
        a, b = timed[i], timed[i + 1]
        pair = None
        if (lone := _lone_rhythm(a, ctx)) and (due := _due_of(b, ctx)):
            pair = (lone, due, b, a)
        elif a.form is not None and a.form.name == "recurring.bare_day" and (lone := _lone_rhythm(b, ctx)) \
                and (due := _due_of(a, ctx)):
            pair = (lone, due, a, b)
        if pair and _same_clause(ctx, a, b):
            (rhythm, start, start_implied), due, day, gone = pair
            at = next(n for n, h in enumerate(hits) if h is b)
            listed, more = _day_list(hits, at, due, ctx) if day is b else (due, [])
            if more and _fits(rhythm, listed):
                # "6 tháng một lần báo cáo … trước ngày 10/6 và trước ngày 10/12": the days listed
                # together are the rhythm's, one recurring deadline over the whole list
                day.deadline = _recurrence(rhythm, start, start_implied, listed, ctx)
                day.end = more[-1].end
                absorbed.update(id(h) for h in (gone, *more))
                i += 2 + sum(1 for h in more if h.deadline is not None)
                continue
            if _fits(rhythm, due):
                day.deadline = _recurrence(rhythm, start, start_implied, due, ctx)
                absorbed.add(id(gone))
                i += 2
                continue
        i += 1
    return [h for h in hits if id(h) not in absorbed]


# Nothing but a list's joint between two due days: "trước ngày 10/6 và trước ngày 10/12", "05/6, 05/12".
_LIST_JOINT = re.compile(r"^\s*(?:,|;|va|hoac)?\s*$")


def _day_list(hits: list[_Hit], j: int, due: _Due, ctx: _Ctx) -> tuple[_Due, list[_Hit]]:
    """The due days listed after `hits[j]` (whose days are `due`), each a day without its year joined to
    the one before by "và" or a comma ("trước ngày 10/6 và trước ngày 10/12", "ngày 05/6, 05/12" — a
    listed day needs no cue of its own): their days merged, and the hits that hold them."""
    days, more, exclusive = list(due.days), [], due.exclusive
    if due.every_month_day is not None or due.months or not days:
        return due, []
    k = j + 1
    while k < len(hits):
        nxt = _due_of(hits[k], ctx) or _listed_day(hits[k])
        joint = ctx.folded[hits[k - 1].end:hits[k].start]
        if (nxt is None or not nxt.days or nxt.every_month_day is not None or nxt.months
                or not _LIST_JOINT.match(joint)):
            break
        days += nxt.days
        exclusive = exclusive and nxt.exclusive
        more.append(hits[k])
        k += 1
    return _Due(tuple(days), None, exclusive), more


def _listed_day(hit: _Hit) -> _Due | None:
    """A day and month written bare, without its year ("05/12" after "trước ngày 05/6,"): by itself no
    deadline, in a list of due days one of them (its cue the list's)."""
    if hit.form is None or hit.match is None or hit.form.name != "date.bare":
        return None
    m = hit.match
    if m.groupdict().get("y") or not m.groupdict().get("m"):
        return None
    return _Due(((int(m["m"]), int(m["d"])),), None, True)


def _often(m: re.Match[str], ctx: _Ctx) -> Deadline | None:
    before = ctx.folded[max(0, m.start() - 20) : m.start()]
    if re.search(r"\b(?:chi|kinh\s+phi|du\s+toan|ngan\s+sach)\s+$", before):
        return None  # "chi thường xuyên": recurrent spending, a budget line
    if re.search(r"\b(?:cong\s+viec|nhiem\s+vu|hoat\s+dong)\s+$", before):
        return None  # "điều hành công việc thường xuyên": the routine work, an adjective, not a rhythm
    return _D("ongoing", recurrence="thường xuyên")


# --- events ----------------------------------------------------------------------------------

# Words that end an event's name: the main clause goes on ("để", "theo", "đồng thời", …). Compared
# as written, so "đề" of "chuyên đề" does not stop it; text typed without diacritics uses the bare forms.
_EVENT_WORD_STOP = frozenset("để nhằm theo thì nhưng de nham thi nhung".split())
_EVENT_PAIR_STOP = frozenset({("đồng", "thời"), ("dong", "thoi")})
_EVENT_TIMING = _rx(
    r"\b(?:thuong\s+(?:le|k[yi])|dinh\s+k[yi]|cuoi\s+nam|giua\s+nam|dau\s+nam|thang\s+\d|nam\s+\d{4}"
    r"|lan\s+thu|nhiem\s+k[yi]|sap\s+toi|tiep\s+theo|gan\s+nhat|[ivx]+)\b|\d"
)
_EVENT_MONTH = _rx(r"\bthang\s+(?P<m>\d{1,2})" + _year_tail())


def _meeting_end(ctx: _Ctx, pos: int) -> int:
    """The event runs to punctuation, a linking word ("để", "theo", …) or EVENT_MAX_WORDS words."""
    end = min(_segment_end_no_cua(ctx.folded, pos), ctx.limit(pos))
    words = list(re.finditer(r"\S+", ctx.text[pos:end]))
    for i, w in enumerate(words):
        word = w[0].lower()
        after = words[i + 1][0].lower() if i + 1 < len(words) else ""
        if i >= EVENT_MAX_WORDS or word in _EVENT_WORD_STOP or (word, after) in _EVENT_PAIR_STOP:
            return pos + (words[i - 1].end() if i else 0)
    return pos + len(ctx.text[pos:end].rstrip())


def _segment_end_no_cua(folded: str, pos: int) -> int:
    stop = re.compile(r"[,;:!?()\[\]\n|]|\.(?!\d)").search(folded, pos)
    return stop.start() if stop else len(folded)


def _meeting(m: re.Match[str], ctx: _Ctx) -> Deadline | None:
    """"trước Đại hội", "tại kỳ họp thường lệ giữa năm 2025", "phiên họp thường kỳ tháng 9/2025"."""
    end = _meeting_end(ctx, m.end())
    event_folded = ctx.folded[m.start("noun") : end]
    cue = _squash(m["cue"] or "")
    at = cue in ("tai", "trong", "vao", "")
    if at and not _EVENT_TIMING.search(event_folded):
        return None  # "quán triệt tại hội nghị": a venue, not a time
    start = due = implied = None
    month = _EVENT_MONTH.search(event_folded)
    if at and month:  # "tại phiên họp thường kỳ tháng 9/2025": the month is the window
        year, imp = _year(month["y"], ctx)
        window = _months(year, int(month["m"]), int(month["m"])) if year and month["later"] is None else None
        if window:
            start, due = window
            implied = _implied(imp, year)
    event = _squash(ctx.text[m.start("noun") : end])
    relative = _squash(ctx.text[m.start() : end])
    return _D("event", start, due, relative=relative, event=event, implied_year=implied, span=Span(m.start(), end))


def _occasion(m: re.Match[str], ctx: _Ctx) -> Deadline | None:
    """"trong dịp Quốc khánh 2/9 và các ngày lễ lớn cuối năm", "trước dịp Tết Nguyên đán": an occasion
    is a time by itself (never a venue), undated; its name runs like a meeting's."""
    end = _meeting_end(ctx, m.end("noun"))
    if not ctx.text[m.end("noun") : end].strip():
        return None
    return _D("event", relative=_squash(ctx.text[m.start() : end]), event=_squash(ctx.text[m.start("noun") : end]),
              span=Span(m.start(), end))


def _as_directed(m: re.Match[str], ctx: _Ctx) -> Deadline | bool:
    """A time cell "theo hướng dẫn của Trung ương": the time is the one another body's guidance sets,
    undated. Only as the whole of a cell or of parse_deadline's text: in a sentence, "theo hướng dẫn của
    …" says how, not when."""
    end = _segment_end_no_cua(ctx.folded, m.end())
    end = m.start() + len(ctx.text[m.start() : end].rstrip(" ."))
    if not ((ctx.standalone and ctx.whole(m.start(), end)) or ctx.in_cell(m.start(), end)):
        return False
    return _D("event", relative=_squash(ctx.text[m.start() : end]), event=_squash(ctx.text[m.start("noun") : end]),
              span=Span(m.start(), end))


def _on_request(m: re.Match[str], ctx: _Ctx) -> Deadline:
    return _D("event", relative=_squash(ctx.text[m.start() : m.end()]),
              event=_squash(ctx.text[m.start("ev") : m.end()]))


# ---------------------------------------------------------------------------------------------
# The grammar


@dataclass(frozen=True)
class Form:
    name: str  # "date.before", ...: docs/deadlines.md and tests/support/deadline_forms.py use it
    kind: str  # the class it gives (one of KINDS), or "none" for what is not a deadline
    reads: str  # what it reads, as written in documents
    pattern: re.Pattern[str]
    build: _Builder
    extends: bool = False  # the expression runs on past the match (an event), up to the next expression
    # A cheap test before the regex runs (most sentences hold no time expression): one of these words
    # must occur in the folded text, and a digit when `digit`. Only a speed-up: each is needed by the regex.
    keys: tuple[str, ...] = ()
    digit: bool = False

    def may_match(self, present: frozenset[str], has_digit: bool) -> bool:
        return (has_digit or not self.digit) and (not self.keys or not present.isdisjoint(self.keys))


def _group_end(pattern: str, start: int) -> int | None:
    """Index of the ")" closing the group that opens at `pattern[start]` ("("), or None."""
    depth, i, in_class = 0, start, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "^":
                i += 1
            if pattern[i + 1 : i + 2] == "]":  # a "]" first in a class is a literal
                i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


@lru_cache(maxsize=None)
def _core(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """What every match of `pattern` contains when it opens with an optional group — a cue such as
    "(trong|chậm nhất|trước|…)?" before "quý II": the pattern with its leading zero-width assertions
    ("\\b", "(?<![/.-])") and that group left out, so it matches wherever the pattern does, at the
    same place (assertions are only dropped, and the string around is the same). Where it finds
    nothing the form cannot match. Why: an optional group of alternatives in front is tried at every
    position of every sentence (the period forms were a third of the grammar's time), while what follows
    it starts with a word the engine finds fast. None when the pattern does not open that way."""
    text = pattern.pattern
    i = 0
    while True:  # zero-width assertions in front: \b, lookbehinds, lookaheads
        if text.startswith("\\b", i):
            i += 2
        elif text.startswith(("(?<!", "(?<=", "(?=", "(?!"), i) and (end := _group_end(text, i)) is not None:
            i = end + 1
        else:
            break
    if not text.startswith("(", i) or text.startswith("(?P", i):
        return None
    end = _group_end(text, i)
    if end is None or text[end + 1 : end + 2] != "?" or not text[end + 2 :]:
        return None
    rest = text[end + 2 :].lstrip("?+")  # "??", "?+": still optional
    if re.search(r"\(\?P=|\(\?\(|\\[1-9]", rest):
        return None  # back-references or conditions: their groups would be other groups
    try:
        return re.compile(rest, pattern.flags)
    except re.error:  # the rest refers to a group of the part left out
        return None


_CUED_DATE = _rx(_DATE_CUE + rf"(?P<ngay>ngay\s+{_MUNG})?" + _date_re(""))

FORMS: tuple[Form, ...] = (
    # --- ranges and spans
    Form("range.dates", "dated", "từ (ngày) 01/3(/2024) đến (hết) (ngày) 15/3/2024", _rx(
        r"(?<![/.-])\btu\s+(?P<ngay>ngay\s+)?" + _date_re("1", day_only=True, alone=False)
        + r"\s+(?:den|toi)\s+(?:het\s+)?(?:ngay\s+)?" + _date_re("2")), _range, keys=("tu",), digit=True),
    Form("range.periods", "dated", "từ tháng 3 đến tháng 5/2024, từ quý II đến quý III/2025", _rx(
        r"(?<![/.-])\btu\s+(?P<ka>thang|qu[yi])\s+(?P<a>[ivx]+|\d{1,2})\b"
        r"(?:(?:\s*[/-]\s*|\s+nam\s+)(?P<ya>\d{4})(?!\d))?"
        r"\s+(?:den|toi)\s+(?:het\s+)?(?P<kb>thang|qu[yi])\s+(?P<b>[ivx]+|\d{1,2})\b" + _year_tail("b")),
        _period_range, keys=("tu",), digit=True),
    Form("range.dashed", "dated", "tháng 5 - 6/2027, quý II–III/2027 (a dash between two periods: all of both)", _rx(
        _PERIOD_CUE + r"(?<![/.-])\b(?P<ka>thang|qu[yi])\s+(?P<a>[ivx]+|\d{1,2})\s*[-–]\s*(?:(?P<kb>thang|qu[yi])\s+)?"
        r"(?P<b>[ivx]+|\d{1,2})\b" + _year_tail("b")),
        _dashed_range, keys=("thang", "qu"), digit=True),
    Form("range.years", "dated", "giai đoạn 2023 - 2025, nhiệm kỳ 2020-2025, từ năm 2021 đến năm 2025", _rx(
        r"\b(?:giai\s+doan|nhiem\s+k[yi])\s+(?:tu\s+)?(?:nam\s+)?(?P<y1>\d{4})"
        r"\s*(?:-|\s(?:den|toi)(?:\s+het)?\s)\s*(?:nam\s+)?(?P<y2>\d{4})(?!\d)"
        r"|(?<![/.-])\btu\s+nam\s+(?P<y3>\d{4})\s+(?:den|toi)(?:\s+het)?\s+nam\s+(?P<y4>\d{4})(?!\d)"),
        _term, keys=("giai", "nhiem", "tu"), digit=True),
    # --- relative to an event
    Form("relative.anchored", "relative",
         "chậm nhất / trong vòng / trong thời hạn / không quá N ngày (làm việc) kể từ / trước … <event>", _rx(
             rf"\b(?:(?P<cue>{_REL_CUE})\s*)?(?P<n>\d{{1,3}})\s+(?P<unit>{_UNIT})\b\s*,?\s*"
             r"(?P<conn>ke\s+tu|tinh\s+tu|sau\s+khi|truoc\s+khi"
             r"|truoc(?=\s+(?:ngay|khi|k[yi]\s+hop|phien|hoi\s+nghi|dai\s+hoi|dip)\b))\s+"),
        _relative, extends=True, keys=("ke", "tinh", "sau", "truoc"), digit=True),
    Form("relative.after", "relative", "sau khi Chỉ thị được ban hành 30 ngày", _rx(
        rf"\bsau\s+khi\s+(?P<ev>[^,;:.()\n|]{{1,80}}?)\s+(?P<n>\d{{1,3}})\s+(?P<unit>{_UNIT})\b(?!\s*(?:ke|tinh)\s+tu)"),
        _after_issue, keys=("sau",), digit=True),
    Form("relative.duration", "relative", "không quá 30 ngày làm việc, tối đa 90 ngày, trong thời hạn 15 ngày", _rx(
        rf"\b(?:khong\s+qua|toi\s+da|trong\s+vong|trong\s+thoi\s+han)\s+\d{{1,3}}\s+(?:{_UNIT})\b(?!\s*\d)"),
        _limit, keys=("qua", "toi", "vong", "thoi"), digit=True),
    # --- recurrences (composites first: they are longer than their parts)
    Form("recurring.rhythm", "recurring",
         "(từ năm 2026 …) hằng quý / mỗi tháng / định kỳ 6 tháng / ít nhất 01 lần trong năm "
         "(, trước ngày 20 của tháng cuối quý | (trước ngày 20/6 và 20/12) | , vào tháng 6 và tháng 12)", _rx(
             rf"(?:{_START}\s*,?\s*(?P<gap1>{_GAP}{{0,{START_GAP_WORDS}}}?))?\b(?P<rhythm>{_RHYTHM})"
             rf"(?:\s*[,(:-]?\s*(?P<gap2>{_GAP}{{0,{DAY_GAP_WORDS}}}?)(?:{_DUE_QUARTER}|{_DUE_MONTH}|{_DUE_LIST}|{_DUE_MONTHS})"
             r"(?:\s*\))?)?"), _recurring, keys=("hang", "moi", "dinh", "lan")),
    Form("recurring.day", "recurring",
         "trước ngày 15/12 hằng năm, trước ngày 15 hằng tháng, trước ngày 20 của tháng cuối quý", _rx(
             rf"\b(?:(?:{_DUE_QUARTER})(?:\s*,?\s*hang\s+qu[yi]\b)?"
             rf"|(?P<mcue>{_DUE_CUE})?ngay\s+{_MUNG}(?P<md>\d{{1,2}})\s+(?:cua\s+)?(?:hang|moi)\s+thang\b"
             rf"|(?P<ycue>{_DUE_CUE})?(?:ngay\s+)?(?P<yd>\d{{1,2}})(?:\s*[/.-]\s*|\s+thang\s+)(?P<ym>\d{{1,2}})"
             r"(?![\d/-]|\.\d|\s*[/.-]\s*\d|\s+nam\s+\d)\s*,?\s*(?:hang|moi)\s+nam\b)"),
        _recurring, keys=("hang", "moi", "qu"), digit=True),
    Form("recurring.bare_day", "recurring",
         "hằng tháng … trước / chậm nhất / vào ngày 25 (no month: the day of a rhythm in the same clause)", _rx(
             rf"\b(?P<bcue>{_DUE_CUE})ngay\s+{_MUNG}(?P<bd>\d{{1,2}})"
             r"(?![\d/-]|\.\d|\s*[/.-]\s*\d|\s+(?:thang|cua|nam|hang|moi)\b)"),
        _bare_day, keys=("ngay",), digit=True),
    Form("recurring.limit", "none", "không quá 01 lần trong năm (a limit, not a rhythm)", _rx(
        r"\b(?:khong\s+)?(?:qua|hon|tren|toi\s+da)\s+(?:\d{1,2}|mot)\s+lan\s*(?:(?:trong|moi|mot)\s+|/\s*)"
        r"(?:nam|qu[yi]|thang|tuan)\b"), _not_a_deadline, keys=("lan",)),
    # --- events
    Form("event.meeting", "event",
         "trước Đại hội …, tại kỳ họp thường lệ giữa năm 2025, trước kỳ họp cuối năm của …", _rx(
             # "trong (suốt) thời gian (diễn ra|tổ chức) đại hội": a time by its own words, never a venue
             r"\b(?P<cue>trong\s+(?:suot\s+)?thoi\s+gian(?:\s+(?:dien\s+ra|to\s+chuc))?"
             r"|truoc|tai|trong|vao|ngay\s+sau|sau\s+khi\s+ket\s+thuc|sau"
             r"|truoc\s+khi\s+(?:dien\s+ra|to\s+chuc|khai\s+mac))\s+(?P<noun>(?:k[yi]|phien)\s+hop|hoi\s+nghi"
             r"|dai\s+hoi|(?:cuoc|k[yi])\s+bau\s+cu|tet(?:\s+nguyen\s+dan)?)\b"),
        _meeting, extends=True, keys=("hop", "hoi", "bau", "tet")),
    Form("event.meeting_month", "event", "phiên họp thường kỳ tháng 9/2025", _rx(
        r"\b(?P<cue>)(?P<noun>(?:k[yi]|phien)\s+hop)\s+(?=(?:thuong\s+(?:k[yi]|le)|dinh\s+k[yi])\s+thang\s+\d)"),
        _meeting, extends=True, keys=("hop",), digit=True),
    Form("event.occasion", "event", "trong / vào / nhân / trước / sau dịp Quốc khánh 2/9, dịp Tết Nguyên đán", _rx(
        r"\b(?P<cue>trong|vao|nhan|truoc|sau)\s+(?P<noun>dip)\b(?!\s+(?:nay|do|ay|kia|tot|may)\b)"),
        _occasion, extends=True, keys=("dip",)),
    Form("event.as_directed", "event", "theo hướng dẫn / kế hoạch / lịch / thông báo của … (a whole time cell)", _rx(
        r"\b(?P<cue>theo)\s+(?P<noun>(?:huong\s+dan|ke\s+hoach|lich|thong\s+bao|chi\s+dao|quy\s+dinh)\b)"),
        _as_directed, extends=True, keys=("theo",)),
    Form("event.on_request", "event", "khi có yêu cầu, khi được yêu cầu", _rx(
        r"\bkhi\s+(?P<ev>(?:co|duoc)\s+yeu\s+cau)\b"), _on_request, keys=("yeu",)),
    # --- days
    Form("date.cued", "dated",
         "trước / chậm nhất / muộn nhất / không muộn hơn / hạn chót / đến (hết) (ngày) 15/01/2024, 15.4.2025, "
         "ngày 15 tháng 12 (năm 2024); trước 20/12", _CUED_DATE, _cued_date, digit=True),
    Form("date.bare", "none", "Kết luận số 14-KL/TW, ngày 22/9/2021; Lai Châu, ngày 18 tháng 12 năm 2023", _rx(
        rf"(?:\bngay\s+{_MUNG})?" + _date_re("", alone=False)), _not_a_deadline, digit=True),
    # --- periods
    Form("period.half", "dated", "(trong) 6 tháng đầu năm (2025), 6 tháng cuối năm", _rx(
        _PERIOD_CUE + r"\b(?P<n>\d{1,2}|sau)\s+thang\s+(?P<side>dau|cuoi)\s+nam"
        + rf"(?:\s+{_Y}|{_NAM_NO_YEAR})"), _period("half"), keys=("thang",)),
    Form("period.joined", "dated", "(trong) tháng 8 và tháng 9/2027, quý II, III năm 2027 (consecutive only)", _rx(
        _PERIOD_CUE + r"\b(?P<ka>thang|qu[yi])\s+(?P<a>[ivx]+|\d{1,2})\s*(?:,\s*|\s+va\s+)"
        r"(?:(?P<kb>thang|qu[yi])\s+)?(?P<b>[ivx]+|\d{1,2})\b" + _year_tail("b")),
        _joined_periods, keys=("thang", "qu")),
    Form("period.month", "dated", "trong tháng 01/2024, tháng 5, đến tháng 6/2024, cuối tháng 6", _rx(
        _PERIOD_CUE + r"\bthang\s+(?P<m>\d{1,2})" + _year_tail()),
        _period("month"), keys=("thang",), digit=True),
    Form("period.quarter", "dated", "trong quý I/2024, Quý II/2024, quý 2 năm 2024, chậm nhất trong quý II", _rx(
        _PERIOD_CUE + r"\bqu[yi]\s+(?P<q>[ivx]+|\d{1,2})\b" + _year_tail()),
        _period("quarter"), keys=("qu",)),
    Form("period.year", "dated", "trong năm 2025, hết năm 2024, đến năm 2025, vào cuối năm 2030", _rx(
        _PERIOD_CUE + r"\bnam\s+" + _Y + r"(?!\s*-\s*\d{4})"), _period("year"), keys=("nam",), digit=True),
    Form("period.this_year", "dated", "trong năm, cuối năm, đến hết năm, đầu năm (the plan's year)", _rx(
        r"\b(?:(?P<window>trong(?:\s+suot)?)|(?P<end>(?:(?:den|vao|truoc|toi)\s+)?cuoi)"
        r"|(?P<vague>dau)"
        r"|(?P<by>(?:den\s+)?het|(?:cham|muon)\s+nhat(?:\s+la)?\s+(?:vao\s+|trong\s+)?cuoi))\s+nam"
        + _NAM_NO_YEAR), _period("year"), keys=("nam",)),
    # --- starts and ongoing
    Form("ongoing.from", "ongoing", "từ quý II/2025, từ năm 2026 (trở đi), từ tháng 3/2025, từ ngày 01/7/2025", _rx(
        r"(?:" + _START.replace(r"(?![/-]?\d)", "")
        + r"|(?<![/.-])\btu\s+(?P<ngay>ngay\s+)?(?P<dd>\d{1,2})(?:[/.-]|\s+thang\s+)(?P<mdd>\d{1,2})"
        r"(?:(?:[/.-]|\s+nam\s+)(?P<ydd>\d{4}))?)(?![/.-]?\d)(?:\s+tro\s+(?:di|ve\s+sau)\b)?"
        r"(?!\s*,?\s*(?:den|toi)\s+(?!nay\b|hien\s+nay\b|thoi\s+diem\s+nay\b))"), _start, keys=("tu",)),
    Form("ongoing.years_on", "ongoing", "năm 2025 và các năm tiếp theo", _rx(
        r"(?<![/.-])\b(?:(?:trong|hoan\s+thanh|tu)\s+)?nam\s+" + _Y
        + r"\s+va\s+(?:cac|nhung)\s+nam\s+(?:tiep\s+theo|ke\s+tiep|sau(?:\s+do)?)\b"),
        _years_on, keys=("nam",), digit=True),
    Form("ongoing.often", "ongoing", "thường xuyên", _rx(r"\bthuong\s+xuyen\b"), _often, keys=("thuong",)),
    # --- durations that are not deadlines (definitions, conditions)
    Form("duration.bound", "none", "quá 12 tháng, từ 06 tháng trở lên, trên 24 tháng, đủ 05 năm", _rx(
        rf"\b(?:qua|tren|duoi|du|hon)\s+\d{{1,3}}\s+(?:{_UNIT})\b"
        rf"|(?<![/.-])\btu\s+(?:du\s+)?\d{{1,3}}\s+(?:{_UNIT})\s+tro\s+(?:len|xuong)\b"),
        _not_a_deadline, digit=True),
)


# ---------------------------------------------------------------------------------------------
# Scanning


@dataclass
class _Hit:
    start: int
    end: int
    deadline: Deadline | None
    form: Form | None = None
    match: re.Match[str] | None = None  # what the form matched: a rhythm and a day written apart are joined from it


_SINCE = re.compile(r"(\w+)\s+$")


def _after_since(text: str, start: int) -> bool:
    """"tính đến ngày 31/12" and "từ đầu năm" describe a past period, not a deadline."""
    before = _SINCE.search(text[max(0, start - 12) : start])
    return bool(before) and before[1].lower() in ("từ", "tu", "tính", "tinh")


# "đã bị kết luận trong năm", "đã hoàn thành trước ngày 15/3": a time after "đã" and at most this many
# words dates a past fact, not a duty. More words would reach back into another clause.
PAST_WINDOW_WORDS = 3
_PAST = re.compile(rf"(?:^|[\s(,;:])(?:đã|da)(?:\s+[^\W\d_]+){{0,{PAST_WINDOW_WORDS}}}\s+$", re.IGNORECASE)


def _after_past(text: str, start: int) -> bool:
    return bool(_PAST.search(text[max(0, start - 60) : start]))


def _hit(form: Form, m: re.Match[str], ctx: _Ctx) -> _Hit | None:
    if m.end() == m.start() or not _match_words_ok(m, ctx.text):
        return None
    deadline = form.build(m, ctx)
    if deadline is False:
        return None
    end = deadline.span.end if deadline and deadline.span else m.end()
    if deadline and deadline.kind == "dated" and deadline.implied_year and ctx.standing:
        deadline = _yearly(deadline, ctx)
    if deadline and _after_since(ctx.text, m.start()):
        deadline = None
    if deadline and deadline.kind in ("dated", "ongoing") and _after_past(ctx.text, m.start()):
        deadline = None
    return _Hit(m.start(), end, deadline, form, m)


_DIGIT = re.compile(r"\d")
_KEYS = tuple(sorted({k for f in FORMS for k in f.keys}))


@lru_cache(maxsize=4096)
def _forms_for(present: frozenset[str], has_digit: bool) -> tuple[tuple[Form, re.Pattern[str] | None], ...]:
    """The forms that may match, each with its second cheap test (`_core`, or None)."""
    return tuple((f, _core(f.pattern)) for f in FORMS if f.may_match(present, has_digit))


def _hits(ctx: _Ctx) -> list[_Hit]:
    """Every form over the text; the forms whose text runs on (events) last, stopping at the others."""
    forms = [f for f, core in _forms_for(frozenset(k for k in _KEYS if k in ctx.folded), bool(_DIGIT.search(ctx.folded)))
             if core is None or core.search(ctx.folded)]
    hits = [h for f in forms if not f.extends for m in f.pattern.finditer(ctx.folded) if (h := _hit(f, m, ctx))]
    running = [(f, m) for f in forms if f.extends for m in f.pattern.finditer(ctx.folded)]
    if running:
        starts = [h.start for h in hits if h.deadline is not None] + [m.start() for _, m in running]
        ctx = replace(ctx, stops=tuple(sorted(starts)))
        hits += [h for f, m in running if (h := _hit(f, m, ctx))]
    return hits


def _leftmost_longest(hits: list[_Hit]) -> list[_Hit]:
    chosen: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, h.start - h.end)):
        if not chosen or hit.start >= chosen[-1].end:
            chosen.append(hit)
    return chosen


def _scan(text: str, default_year: int | None, standalone: bool, issued: date | None,
          doc_type: str | None, bare: bool = False) -> list[_Hit]:
    """The chosen hits, non-deadlines included; deadlines get their text and span."""
    if default_year is not None and not MIN_YEAR <= default_year <= MAX_YEAR:
        default_year = None  # a year no date can have completes nothing
    ctx = _Ctx(text, _fold(text), default_year, standalone, issued, doc_type, bare)
    chosen = _join_rhythm_days(_leftmost_longest(_hits(ctx)), ctx)
    for hit in chosen:
        if hit.deadline is not None:
            hit.deadline.span = Span(hit.start, hit.end)
            hit.deadline.text = text[hit.start : hit.end]
    return chosen


def find_deadlines(sentence: str, default_year: int | None = None, *, issued: date | None = None,
                   doc_type: str | None = None, bare_periods: bool = False) -> list[Deadline]:
    """Every time expression of `sentence` (NFC text) that can bound a duty, in order.

    Each result has `.span` into `sentence`, `.text == sentence[span.start:span.end]` and `.kind`
    (dated | relative | recurring | event | ongoing | vague). `default_year` (the plan's year)
    completes dates written without one (then `.implied_year` is set); without it they are dropped.
    `issued` and `doc_type` (the document's own) date a deadline counted from the document's issuance
    ("sau khi Chỉ thị được ban hành 30 ngày": issued + 30 calendar days) and a recurrence's first due
    date. Several expressions in one sentence are all returned; which duty each belongs to is the
    caller's business (ingest.obligations). `bare_periods=True` also reads a period with no cue
    ("rèn luyện năm 2025", "quý II") as its window: for a caller that knows the sentence is a duty with
    no other time phrase; a document's own year ("Kế hoạch số 12-KH/TU năm 2025") still gives nothing.
    """
    hits = _scan(sentence, default_year, False, issued, doc_type, bare_periods)
    return [hit.deadline for hit in hits if hit.deadline is not None]


def parse_deadline(text: str, default_year: int | None = None, *, issued: date | None = None,
                   doc_type: str | None = None) -> Deadline | None:
    """One time expression ("trong Quý I/2024", "hằng năm", a table cell "quý II") → Deadline.

    None when it does not parse, is impossible, is not a deadline, or holds more than one time
    expression ("quý I và quý II/2024", an issue date next to a deadline). A bare month, quarter,
    half year or "năm 2025" counts here, since the caller says the text is a time expression.
    """
    hits = _scan(unicodedata.normalize("NFC", text), default_year, True, issued, doc_type)
    return hits[0].deadline if len(hits) == 1 else None
