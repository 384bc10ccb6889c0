"""A time the question names — "trong tháng 1/2024", "quý II/2024", "trước 1/4/2024", "năm 2026",
"từ tháng 2 đến hết tháng 4 năm 2024" — and the due dates it allows, read with the deadline grammar
(ingest.deadlines); and the days a duty falls due inside such a window, its recurrences included."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.rrule import rrulestr

from ingest.deadlines import parse_deadline

# A time the question names: "trong tháng 1/2024", "quý II/2024", "trước 1/4/2024", "năm 2026".
# ("từ nay đến cuối năm 2027": "từ nay" opens the window today, the caller's as_of; "đến cuối" is "đến")
_CUE = r"(?P<now>(?:tu|ke tu)\s+(?:nay|bay gio|hom nay)\s+)?(?:(?P<cue>truoc|trong|den het|den cuoi|den|tu|vao|cuoi|het|sau)\s+)?"
_PHRASE = (
    r"(?:ngay\s+)?\d{1,2}\s*[/-]\s*\d{1,2}(?:\s*[/-]\s*\d{4})?(?![\d/.])|(?:ngay\s+)?\d{1,2}\.\d{1,2}\.\d{4}"
    r"|thang\s+\d{1,2}(?:\s*[/-]\s*\d{4}|\s+nam\s+\d{4})?(?![\d/])"
    r"|qu[yi]\s+(?:[ivx]{1,3}|[1-4])(?:\s*[/-]\s*\d{4}|\s+nam\s+\d{4})?\b"
    r"|(?:\d{1,2}|sau)\s+thang\s+(?:dau|cuoi)\s+nam(?:\s+\d{4})?"
    r"|nua\s+(?:dau|cuoi)\s+nam(?:\s+\d{4})?|nua\s+nam\s+(?:dau|cuoi)(?:\s+\d{4})?"
    r"|nam\s+(?:19|20)\d{2}\b"
)
_TIME_PHRASE = re.compile(_CUE + r"(?P<phrase>" + _PHRASE + r")")
# "từ tháng 2 đến hết tháng 4 năm 2024", "từ 01/7/2026 đến 30/9/2026": one window from the start of
# the first time to the end of the second; a year written only once (at the end) is both's.
# ("từ giữa tháng 4 đến hết tháng 5/2027": a month's thirds — đầu 1–10, giữa 11–20, cuối 21 to its end)
# "tháng 10 và tháng 11/2027", "tháng 6 và tháng 12 hằng năm", "quý I và quý III/2027": two times joined
# by "và" (or "với") — the days of either, not of the months between (a year written once, at the end, is both's).
_BOTH = re.compile(r"(?:(?P<cue>trong|vao)\s+)?(?P<phrase>(?:thang|qu[yi])\s+(?:\d{1,2}|[ivx]{1,3})(?:\s*[/-]\s*\d{4})?)"
                   r"\s*(?:va|voi|,)\s+(?:(?:trong|vao)\s+)?(?P<until>(?:thang|qu[yi])\s+(?:\d{1,2}|[ivx]{1,3})"
                   r"(?:\s*[/-]\s*\d{4}|\s+nam\s+\d{4})?)(?![\d/])(?:\s+(?:hang|moi)\s+nam\b)?")
_RANGE = re.compile(r"(?P<cue>tu)\s+(?:(?P<third>dau|giua|cuoi)\s+)?(?P<phrase>" + _PHRASE + r")\s*(?:,\s*)?"
                    r"(?:den het|den|toi het|toi|-|–)\s+(?:(?P<third2>dau|giua|cuoi)\s+)?"
                    r"(?P<until>" + _PHRASE + r")")
_THIRD_DAYS = {"dau": (1, 10), "giua": (11, 20), "cuoi": (21, 31)}
_YEAR = re.compile(r"(?:19|20)\d{2}")


@dataclass(frozen=True)
class TimeWindow:
    """A time the question names; `bounds` gives the due dates it allows ([start, end], either open).
    A phrase without a year ("trước tháng 2") takes one from the caller: the plan's year, or today's."""
    text: str  # as the user wrote it, cue included: "trước tháng 7/2025"
    phrase: str  # the time expression without its cue: "tháng 7/2025"
    cue: str | None  # folded: "truoc", "trong", "den", "tu", …
    year_given: bool
    span: tuple[int, int] = (0, 0)
    until: str | None = None  # the end of a range "từ … đến …", as written: "tháng 4 năm 2024"
    thirds: tuple[str | None, str | None] = (None, None)  # "giữa tháng 4": the part of a month each end names
    from_now: bool = False  # "từ nay đến …": the window opens on the day the question is asked
    both: bool = False  # "tháng 6 và tháng 12": the two times `phrase` and `until` name, not the span between

    def holds(self, day: date, default_year: int | None = None) -> bool:
        """Whether `day` lies in the window: inside its bounds, and for two times joined by "và", in one
        of them."""
        bounds = self.bounds(default_year)
        if bounds is None or not _inside(day, *bounds):
            return False
        return not self.both or any(a <= day <= b for a, b in self.pieces(default_year))

    def pieces(self, default_year: int | None = None) -> list[tuple[date, date]]:
        """The two times of "tháng 6 và tháng 12" apart (a year written once is both's); [] otherwise."""
        if not self.both:
            return []
        written = _YEAR.search(self.until or "") or _YEAR.search(self.phrase)
        year = int(written.group(0)) if written else default_year
        found = (_phrase_bounds(self.phrase, year), _phrase_bounds(self.until or "", year))
        return [b for b in found if b is not None]

    def bounds(self, default_year: int | None = None) -> tuple[date | None, date | None] | None:
        if self.until is not None:
            # "từ tháng 2 đến hết tháng 4 năm 2024": a year written once is both phrases' year
            # ("từ tháng 2/2024 đến tháng 4" too); none written: the caller's year.
            written = _YEAR.search(self.until) or _YEAR.search(self.phrase)
            year = int(written.group(0)) if written else default_year
            first, last = _phrase_bounds(self.phrase, year), _phrase_bounds(self.until, year)
            if first is None or last is None or first[0] > last[1]:
                return None  # "từ tháng 5 đến tháng 2": no window, rather than a guessed one
            return _third(first, self.thirds[0], 0), _third(last, self.thirds[1], 1)
        found = _phrase_bounds(self.phrase, default_year)
        if found is None:
            return None
        start, end = found
        if self.cue == "truoc":  # "trước 1/4/2024", "trước tháng 7/2025": due before its first day
            return None, start - timedelta(days=1)
        if self.cue in ("den", "den het", "het", "den cuoi"):
            return None, end
        if self.cue in ("tu", "sau"):
            return start, None
        return start, end


def _third(bounds: tuple[date, date], third: str | None, side: int) -> date:
    """The window's start (side 0) or end (side 1), narrowed to a third of a one-month phrase."""
    lo, hi = bounds
    if third is None or (lo.year, lo.month) != (hi.year, hi.month):
        return bounds[side]
    day = min(_THIRD_DAYS[third][side], hi.day)
    return lo.replace(day=day)


# "nửa cuối năm", "nửa năm đầu": a half year, as the deadline grammar reads "6 tháng cuối năm" (documents
# write the months; cadres asking often say the half).
_HALF_YEAR = re.compile(r"^\s*(?:nửa|nua)\s+(?:(?P<a>đầu|cuối|dau|cuoi)\s+(?:năm|nam)|(?:năm|nam)\s+(?P<b>đầu|cuối|dau|cuoi))",
                        re.I)


def _half_year(phrase: str) -> str:
    m = _HALF_YEAR.match(phrase)
    if m is None:
        return phrase
    half = "đầu" if (m.group("a") or m.group("b")).lower() in ("đầu", "dau") else "cuối"
    return f"6 tháng {half} năm{phrase[m.end():]}"


def _phrase_bounds(phrase: str, default_year: int | None) -> tuple[date, date] | None:
    """The window one time expression covers: [first day, last day]."""
    # The deadline grammar reads a bare date or "năm 2026" as no deadline; as a window they are one.
    is_date = bool(re.match(r"\s*(?:ngày\s+|ngay\s+)?\d{1,2}\s*[/.-]\s*\d{1,2}", phrase, re.I))
    phrase = _half_year(phrase)
    d = parse_deadline(f"{'chậm nhất ngày' if is_date else 'trong'} {phrase}", default_year)
    if d is None or not (d.start or d.end):
        return None
    return d.start or d.end, d.end or d.start


def time_window(expanded: str, low: str, taken: list[tuple[int, int]]) -> TimeWindow | None:
    def free(m: re.Match[str]) -> bool:
        return not any(a < m.end() and m.start() < b for a, b in taken)  # "Mục 2.2" is a section, not 2 February

    for m in _BOTH.finditer(low):
        if not free(m):
            continue
        window = TimeWindow(expanded[m.start():m.end()], expanded[m.start("phrase"):m.end("phrase")], "tu",
                            bool(_YEAR.search(m.group(0))), m.span(), expanded[m.start("until"):m.end("until")],
                            both=True)
        if window.bounds(2000 if not window.year_given else None) is not None:
            return window
    for m in _RANGE.finditer(low):
        if not free(m):
            continue
        window = TimeWindow(expanded[m.start():m.end()], expanded[m.start("phrase"):m.end("phrase")], "tu",
                            bool(_YEAR.search(m.group(0))), m.span(), expanded[m.start("until"):m.end("until")],
                            (m.group("third"), m.group("third2")))
        if window.bounds(2000 if not window.year_given else None) is not None:
            return window
    for m in _TIME_PHRASE.finditer(low):
        if not free(m):
            continue
        phrase = expanded[m.start("phrase"):m.end("phrase")]
        window = TimeWindow(expanded[m.start():m.end()], phrase, m.group("cue"), bool(_YEAR.search(phrase)), m.span(),
                            from_now=bool(m.group("now")))
        if window.bounds(2000 if not window.year_given else None) is not None:
            return window
    return None


# ---------------------------------------------------------------------------------------------
# The days a duty falls due inside a window


def _day(iso: str | None) -> date | None:
    return date.fromisoformat(iso) if iso else None


def due_days(deadline: dict | None, due_start: str | None, due_end: str | None, start: date | None,
             end: date | None, until: date | None = None) -> list[date]:
    """The days inside [start, end] (either open) on which a duty falls due: its one due day, or, for a
    recurrence with a stated day ("hằng tháng, trước ngày 22" → FREQ=MONTHLY;BYMONTHDAY=22), each
    occurrence of its rule from its first due day (`due_end`) up to `until` (the end of the period its
    document is for; None: no end). A rule without a day ("hằng tháng") gives no day to list: it is
    due whenever, never guessed. Why dateutil: the grammar writes these rules with it (ingest.deadlines),
    so the rule and the dates cannot disagree."""
    rule = (deadline or {}).get("rrule")
    first = _day(due_end) or _day(due_start)
    if rule and first is not None and "BYMONTHDAY" in rule:
        lo = max(d for d in (first, start) if d is not None)
        hi = min((d for d in (end, until) if d is not None), default=None)
        if hi is None:
            hi = lo + timedelta(days=366)  # an open window: the next year of occurrences is plenty
        if lo > hi:
            return []
        try:
            rr = rrulestr(rule, dtstart=datetime(first.year, first.month, first.day))
        except (ValueError, TypeError):
            return [first] if _inside(first, start, end) else []
        return [x.date() for x in rr.between(datetime(lo.year, lo.month, lo.day),
                                              datetime(hi.year, hi.month, hi.day), inc=True)]
    if first is None:
        return _named_months(rule, start, end, until)
    return [first] if _inside(first, start, end) else []


_BYMONTH = re.compile(r"BYMONTH=([\d,]+)")


def _named_months(rule: str | None, start: date | None, end: date | None, until: date | None) -> list[date]:
    """A rhythm that names its months but no day ("6 tháng một lần (vào tháng 6 và tháng 12)" →
    BYMONTH=6,12): due within each of those months, so a closed window holds the months it meets (the
    day given is the first of the month inside the window, for ordering only — never said as a deadline)."""
    m = _BYMONTH.search(rule or "")
    if m is None or "BYMONTHDAY" in (rule or "") or start is None or end is None:
        return []
    hi = min(end, until) if until else end
    days = []
    for year in range(start.year, hi.year + 1):
        for month in sorted({int(x) for x in m.group(1).split(",") if x}):
            if not 1 <= month <= 12:
                continue
            lo_day = date(year, month, 1)
            hi_day = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1))
            if lo_day <= hi and hi_day >= start:
                days.append(max(lo_day, start))
    return days


def _inside(day: date, start: date | None, end: date | None) -> bool:
    return (start is None or day >= start) and (end is None or day <= end)
