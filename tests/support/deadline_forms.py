"""Deadline phrases with known truth: every form of the grammar (ingest.deadlines.FORMS) as a template
and the Deadline it must give, and decoys that must give nothing.

For tests and for generators of documents with known truth (tests/support/docgen.py):

    rng = random.Random(seed)
    values = Values.draw(rng, plan_year=2025, issued=date(2025, 3, 24))
    phrase, truth = TEMPLATES[i].render(values)   # "trước ngày 20 của tháng cuối quý", Deadline(...)
    find_deadlines(sentence_with(phrase), values.plan_year, issued=values.issued, doc_type=values.doc_type)

The expected windows are computed here by hand (calendar arithmetic, no dateutil), independently of
the parser. A template with `in_sentence=False` is read only as a whole time cell or by
parse_deadline ("quý II", "năm 2025"): inside a running sentence a bare period is not a deadline.
"""
from __future__ import annotations

import calendar
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from ingest.models import Deadline

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
# Standing rules: a day or a month they write without a year comes back every year (docs/deadlines.md).
STANDING_TYPES = ("Quy chế", "Quy định", "Điều lệ", "Nội quy")
STANDING_MAX_DAYS = 92  # a longer yearless window (a half year, "trong năm") stays one window
FIRST_YEAR, LAST_YEAR = 1950, 2095  # inside the parser's 1945..2100, with room for "year + 5"


@dataclass(frozen=True)
class Values:
    """One draw of everything a template may need."""
    plan_year: int  # the document's year (default_year)
    issued: date  # the document's issue date
    doc_type: str  # "Kế hoạch", "Chỉ thị", …
    day: date  # a due day with its year written
    day2: date  # a day on or after `day`
    pday: date  # a due day in the plan year (year not written)
    pday2: date  # a day on or after `pday`, same year
    year: int
    year2: int  # ≥ year
    month: int
    month2: int  # ≥ month
    quarter: int
    quarter2: int  # ≥ quarter
    half: int  # 1..11 ("9 tháng đầu năm")
    n: int  # a number of days
    every: int  # months of a rhythm dividing the year: 1, 2, 3, 4, 6, 12
    qday: int  # a day of the last month of each quarter (1..30)
    mday: int  # a day of each month (1..28)
    yday: tuple[int, int]  # (month, day) of a yearly due day, never 29/2
    semi: tuple[int, int]  # (first month 1..6, day) of "định kỳ 6 tháng (trước ngày d/m và d/m+6)"
    pad: bool  # "05/03" rather than "5/3"
    sep: str  # "/", ".", "-"

    @staticmethod
    def draw(rng: random.Random, plan_year: int | None = None, issued: date | None = None,
             doc_type: str | None = None) -> Values:
        p = plan_year if plan_year is not None else rng.randint(FIRST_YEAR, LAST_YEAR)
        if issued is None:
            # most plans are issued in their year; some in December before it
            issued = _rand_day(rng, p) if rng.random() < 0.8 else date(p - 1, 12, rng.randint(1, 31))
        day = _rand_date(rng, date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31))
        pday = _rand_day(rng, p)
        year = rng.randint(FIRST_YEAR, LAST_YEAR)
        month, quarter = rng.randint(1, 12), rng.randint(1, 4)
        ym = rng.randint(1, 12)
        yd = rng.randint(1, 28 if ym == 2 else calendar.monthrange(2001, ym)[1])
        m1 = rng.randint(1, 6)
        sd = rng.randint(1, min(calendar.monthrange(2001, m1)[1], calendar.monthrange(2001, m1 + 6)[1]))
        pday2 = _rand_date(rng, pday, date(p, 12, 31))
        doc_type = doc_type or rng.choice(["Kế hoạch", "Chỉ thị", "Hướng dẫn", "Quy định", "Nghị quyết"])
        if is_standing(doc_type):  # a yearly "29/02" gives nothing: a standing rule's day is another one
            pday, pday2 = (d.replace(day=28) if (d.month, d.day) == (2, 29) else d for d in (pday, pday2))
        return Values(
            plan_year=p, issued=issued,
            doc_type=doc_type,
            day=day, day2=_rand_date(rng, day, min(day + timedelta(days=800), date(LAST_YEAR, 12, 31))),
            pday=pday, pday2=pday2,
            year=year, year2=rng.randint(year, min(year + 10, LAST_YEAR)),
            month=month, month2=rng.randint(month, 12), quarter=quarter, quarter2=rng.randint(quarter, 4),
            half=rng.randint(1, 11), n=rng.randint(1, 120), every=rng.choice([1, 2, 3, 4, 6, 12]),
            qday=rng.randint(1, 30), mday=rng.randint(1, 28), yday=(ym, yd), semi=(m1, sd),
            pad=rng.random() < 0.5, sep=rng.choice(["/", "/", ".", "-"]),
        )

    def fields(self) -> dict[str, object]:
        def p(x: int) -> str:
            return f"{x:02d}" if self.pad else str(x)

        return {
            "d": p(self.day.day), "m": p(self.day.month), "y": self.day.year, "sep": self.sep,
            "d2": p(self.day2.day), "m2": p(self.day2.month), "y2": self.day2.year,
            "pd": p(self.pday.day), "pm": p(self.pday.month), "pd2": p(self.pday2.day), "pm2": p(self.pday2.month),
            "Y": self.year, "Y2": self.year2, "M": p(self.month), "M2": p(self.month2),
            "Q": self.quarter, "QR": ROMAN[self.quarter], "Q2R": ROMAN[self.quarter2],
            # two periods side by side ("tháng 8 và tháng 9"): the first and the one after it
            "Mj": p(min(self.month, 11)), "Mj1": p(min(self.month, 11) + 1),
            "QjR": ROMAN[min(self.quarter, 3)], "Qj1R": ROMAN[min(self.quarter, 3) + 1],
            "h": self.half, "n": self.n, "n2": f"{self.n:02d}", "k": self.every,
            "qd": self.qday, "md": self.mday, "yd": p(self.yday[1]), "ym": p(self.yday[0]),
            "sd": p(self.semi[1]), "sm1": p(self.semi[0]), "sm2": p(self.semi[0] + 6),
            "issued": f"{self.issued:%d/%m/%Y}", "T": self.doc_type, "P": self.plan_year,
            "mung": self.mung,  # a day of the first ten, as said with "mùng" / "mồng"
        }

    @property
    def mung(self) -> int:
        return (self.mday - 1) % 10 + 1

    def plan_start(self) -> date:
        jan1 = date(self.plan_year, 1, 1)
        return max(jan1, self.issued) if self.issued.year == self.plan_year else jan1


def is_standing(doc_type: str | None) -> bool:
    return bool(doc_type) and doc_type.startswith(STANDING_TYPES)


def yearly(want: dict, since: date) -> dict:
    """A yearless day or short window of a standing rule, by hand: each year from its first
    occurrence on or after `since` (the document's start), the RRULE on the window's end."""
    start, end = want.get("start"), want.get("end")
    if end is None or (start is not None and (end - start).days > STANDING_MAX_DAYS):
        return want
    month_end = start is not None and end == _month_end(end.year, end.month)
    if end < since:
        end = _month_end(end.year + 1, end.month) if month_end else end.replace(year=end.year + 1)
        start = start.replace(year=start.year + 1) if start else None
    rule = f"FREQ=YEARLY;BYMONTH={end.month};BYMONTHDAY={-1 if month_end else end.day}"
    return {**want, "kind": "recurring", "recurrence": "hằng năm", "rrule": rule, "start": start, "end": end,
            "implied_year": end.year}


def _rand_date(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, (hi - lo).days))


def _rand_day(rng: random.Random, year: int) -> date:
    return _rand_date(rng, date(year, 1, 1), date(year, 12, 31))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def first_due(pairs: list[tuple[int, int]], since: date) -> date:
    """The first (month, day) on or after `since`, by hand."""
    return min(date(y, mo, d) for y in (since.year, since.year + 1) for mo, d in pairs if date(y, mo, d) >= since)


def first_monthly(day: int, since: date) -> date:
    return first_due([(mo, day) for mo in range(1, 13)], since)


# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    form: str  # the FORMS row of ingest.deadlines it exercises
    phrase: str  # str.format template over Values.fields()
    truth: Callable[[Values], dict]  # the expected Deadline's fields (text is the rendered phrase)
    in_sentence: bool = True  # found by find_deadlines inside a duty sentence
    cell: bool = False  # found as a whole cell of a table written as text ("| quý II |")

    def render(self, v: Values) -> tuple[str, Deadline]:
        phrase = self.phrase.format(**v.fields())
        want = {"start": None, "end": None, "kind": "dated", **self.truth(v)}
        end, year = want.get("end"), want.get("implied_year")
        if self.form == "date.cued" and year and isinstance(end, date) and v.issued and end < v.issued:
            # a yearless day before the document's own issue is the next year's (docs/deadlines.md, Years)
            want.update(end=end.replace(year=end.year + 1), implied_year=year + 1)
        if is_standing(v.doc_type) and want["kind"] == "dated" and want.get("implied_year"):
            want = yearly(want, v.plan_start())
        return phrase, Deadline(phrase, **want)

    @property
    def id(self) -> str:
        return f"{self.form}: {self.phrase}"


def _d(v: Values) -> date:
    return v.day


def _excl(end: date, **kw: object) -> dict:
    return {"end": end, "exclusive_end": True, **kw}


def _q(q: int, y: int) -> tuple[date, date]:
    return date(y, 3 * q - 2, 1), _month_end(y, 3 * q)


def _month(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), _month_end(y, m)


def _start_end(pair: tuple[date, date], **kw: object) -> dict:
    return {"start": pair[0], "end": pair[1], **kw}


_QUARTER_ENDS = [(3, 0), (6, 0), (9, 0), (12, 0)]


def _quarterly_due(day: int, since: date) -> date:
    return first_due([(mo, day) for mo, _ in _QUARTER_ENDS], since)


def _rule_q(day: int) -> str:
    return f"FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY={day}"


def _every_rule(k: int) -> str:
    return "FREQ=MONTHLY" if k == 1 else f"FREQ=MONTHLY;INTERVAL={k}"


TEMPLATES: list[Template] = [
    # --- days
    Template("date.cued", "trước ngày {d}/{m}/{y}", lambda v: _excl(v.day)),
    Template("date.cued", "trước {d}{sep}{m}{sep}{y}", lambda v: _excl(v.day)),
    Template("date.cued", "Trước ngày {d} tháng {m} năm {y}", lambda v: _excl(v.day)),
    Template("date.cued", "xong trước ngày {d}/{m}/{y}", lambda v: _excl(v.day)),
    Template("date.cued", "chậm nhất ngày {d} tháng {m} năm {y}", lambda v: {"end": v.day}),
    Template("date.cued", "trước ngày mồng {mung} tháng {m} năm {y}",
             lambda v: _excl(date(v.day.year, v.day.month, v.mung))),
    Template("date.cued", "chậm nhất là ngày {d}/{m}/{y}", lambda v: {"end": v.day}),
    Template("date.cued", "muộn nhất ngày {d}{sep}{m}{sep}{y}", lambda v: {"end": v.day}),
    Template("date.cued", "không muộn hơn ngày {d}/{m}/{y}", lambda v: {"end": v.day}),
    Template("date.cued", "hạn chót {d}/{m}/{y}", lambda v: {"end": v.day}),
    Template("date.cued", "thời hạn: ngày {d}/{m}/{y}", lambda v: {"end": v.day}),
    Template("date.cued", "trước hoặc trong ngày {d}/{m}/{y}", lambda v: {"end": v.day}),
    Template("date.cued", "đến hết ngày {d}/{m}/{y}", lambda v: {"end": v.day}),
    Template("date.cued", "đến {d}/{m}/{y}", lambda v: {"end": v.day}),  # a target: "đến 31/12/2025, 100% …"
    Template("date.cued", "hoàn thành trong ngày {d}/{m}/{y}", lambda v: {"end": v.day}),
    Template("date.cued", "Thời gian thực hiện: {d}/{m}/{y}", lambda v: {"end": v.day}),
    Template("date.cued", "hạn nộp: {d}/{m}/{y}", lambda v: {"end": v.day}),
    Template("date.cued", "trước {pd}/{pm}", lambda v: _excl(v.pday, implied_year=v.plan_year)),
    Template("date.cued", "chậm nhất {pd}/{pm}", lambda v: {"end": v.pday, "implied_year": v.plan_year}),
    Template("date.cued", "trước ngày {pd} tháng {pm}", lambda v: _excl(v.pday, implied_year=v.plan_year)),
    Template("date.cued", "hạn chót ngày {pd}/{pm}", lambda v: {"end": v.pday, "implied_year": v.plan_year}),
    # --- ranges
    Template("range.dates", "từ ngày {d}/{m}/{y} đến ngày {d2}/{m2}/{y2}", lambda v: {"start": v.day, "end": v.day2}),
    Template("range.dates", "từ {pd}/{pm} đến {pd2}/{pm2}/{P}", lambda v: {"start": v.pday, "end": v.pday2}),
    Template("range.dates", "từ ngày {pd}/{pm} đến hết ngày {pd2}/{pm2}",
             lambda v: {"start": v.pday, "end": v.pday2, "implied_year": v.plan_year}),
    Template("range.periods", "từ tháng {M} đến tháng {M2}/{Y}",
             lambda v: {"start": date(v.year, v.month, 1), "end": _month_end(v.year, v.month2)}),
    Template("range.periods", "từ quý {QR} đến quý {Q2R} năm {Y}",
             lambda v: {"start": _q(v.quarter, v.year)[0], "end": _q(v.quarter2, v.year)[1]}),
    Template("range.dashed", "trong tháng {M} - {M2}/{Y}",
             lambda v: {"start": date(v.year, v.month, 1), "end": _month_end(v.year, v.month2)}),
    Template("range.dashed", "quý {QR} – {Q2R}/{Y}",
             lambda v: {"start": _q(v.quarter, v.year)[0], "end": _q(v.quarter2, v.year)[1]}),
    Template("period.joined", "trong tháng {Mj} và tháng {Mj1}/{Y}",
             lambda v: {"start": date(v.year, min(v.month, 11), 1), "end": _month_end(v.year, min(v.month, 11) + 1)}),
    Template("period.joined", "trong quý {QjR} và quý {Qj1R} năm {Y}",
             lambda v: {"start": _q(min(v.quarter, 3), v.year)[0], "end": _q(min(v.quarter, 3) + 1, v.year)[1]}),
    Template("period.joined", "tháng {Mj}, {Mj1}/{Y}",
             lambda v: {"start": date(v.year, min(v.month, 11), 1), "end": _month_end(v.year, min(v.month, 11) + 1)},
             in_sentence=False, cell=True),
    Template("range.years", "giai đoạn {Y} - {Y2}", lambda v: {"start": date(v.year, 1, 1), "end": date(v.year2, 12, 31)}),
    Template("range.years", "nhiệm kỳ {Y}-{Y2}", lambda v: {"start": date(v.year, 1, 1), "end": date(v.year2, 12, 31)}),
    Template("range.years", "từ năm {Y} đến năm {Y2}", lambda v: {"start": date(v.year, 1, 1), "end": date(v.year2, 12, 31)}),
    # --- months, quarters, halves, years
    Template("period.month", "trong tháng {M}/{Y}", lambda v: _start_end(_month(v.year, v.month))),
    Template("period.month", "trong tháng {M} năm {Y}", lambda v: _start_end(_month(v.year, v.month))),
    Template("period.month", "trong tháng {M}", lambda v: _start_end(_month(v.plan_year, v.month), implied_year=v.plan_year)),
    Template("period.month", "tháng {M}", lambda v: _start_end(_month(v.plan_year, v.month), implied_year=v.plan_year),
             in_sentence=False, cell=True),
    Template("period.month", "đến tháng {M}/{Y}", lambda v: {"end": _month(v.year, v.month)[1]}),
    Template("period.month", "trước tháng {M}/{Y}", lambda v: _excl(_month(v.year, v.month)[0])),
    Template("period.month", "vào cuối tháng {M}/{Y}", lambda v: {"end": _month(v.year, v.month)[1]}),
    Template("period.quarter", "trong quý {QR}/{Y}", lambda v: _start_end(_q(v.quarter, v.year))),
    Template("period.quarter", "trong Quý {QR}/{Y}", lambda v: _start_end(_q(v.quarter, v.year))),
    Template("period.quarter", "trong quý {Q} năm {Y}", lambda v: _start_end(_q(v.quarter, v.year))),
    Template("period.quarter", "Quý {QR}/{Y}", lambda v: _start_end(_q(v.quarter, v.year)), in_sentence=False, cell=True),
    Template("period.quarter", "quý {QR}", lambda v: _start_end(_q(v.quarter, v.plan_year), implied_year=v.plan_year),
             in_sentence=False, cell=True),
    Template("period.quarter", "trong quý {QR}", lambda v: _start_end(_q(v.quarter, v.plan_year), implied_year=v.plan_year)),
    Template("period.quarter", "chậm nhất trong quý {QR}/{Y}", lambda v: {"end": _q(v.quarter, v.year)[1]}),
    Template("period.half", "trong {h} tháng đầu năm {Y}",
             lambda v: {"start": date(v.year, 1, 1), "end": _month_end(v.year, v.half)}),
    Template("period.half", "trong 6 tháng đầu năm {Y}", lambda v: {"start": date(v.year, 1, 1), "end": date(v.year, 6, 30)}),
    Template("period.half", "trong 6 tháng cuối năm {Y}", lambda v: {"start": date(v.year, 7, 1), "end": date(v.year, 12, 31)}),
    Template("period.half", "6 tháng cuối năm",
             lambda v: {"start": date(v.plan_year, 7, 1), "end": date(v.plan_year, 12, 31), "implied_year": v.plan_year},
             in_sentence=False, cell=True),
    Template("period.half", "trong 6 tháng đầu năm",
             lambda v: {"start": date(v.plan_year, 1, 1), "end": date(v.plan_year, 6, 30), "implied_year": v.plan_year}),
    Template("period.year", "trong năm {Y}", lambda v: {"start": date(v.year, 1, 1), "end": date(v.year, 12, 31)}),
    Template("period.year", "hoàn thành năm {Y}", lambda v: {"start": date(v.year, 1, 1), "end": date(v.year, 12, 31)}),
    Template("period.year", "hết năm {Y}", lambda v: {"end": date(v.year, 12, 31)}),
    Template("period.year", "đến năm {Y}", lambda v: {"end": date(v.year, 12, 31)}),
    Template("period.year", "vào cuối năm {Y}", lambda v: {"end": date(v.year, 12, 31)}),
    Template("period.year", "trước năm {Y}", lambda v: _excl(date(v.year, 1, 1))),
    Template("period.year", "năm {Y}", lambda v: {"start": date(v.year, 1, 1), "end": date(v.year, 12, 31)},
             in_sentence=False),
    Template("period.year", "đầu năm {Y}", lambda v: {"kind": "vague"}),
    Template("period.month", "đầu tháng {M}/{Y}", lambda v: {"kind": "vague"}),
    Template("period.this_year", "trong năm",
             lambda v: {"start": date(v.plan_year, 1, 1), "end": date(v.plan_year, 12, 31), "implied_year": v.plan_year}),
    Template("period.this_year", "đến cuối năm", lambda v: {"end": date(v.plan_year, 12, 31), "implied_year": v.plan_year}),
    Template("period.this_year", "đến hết năm", lambda v: {"end": date(v.plan_year, 12, 31), "implied_year": v.plan_year}),
    Template("period.this_year", "chậm nhất cuối năm", lambda v: {"end": date(v.plan_year, 12, 31), "implied_year": v.plan_year}),
    # --- starts and ongoing
    Template("ongoing.from", "từ quý {QR}/{Y}", lambda v: {"kind": "ongoing", "start": _q(v.quarter, v.year)[0]}),
    Template("ongoing.from", "từ năm {Y}", lambda v: {"kind": "ongoing", "start": date(v.year, 1, 1)}),
    Template("ongoing.from", "từ năm {Y} trở đi", lambda v: {"kind": "ongoing", "start": date(v.year, 1, 1)}),
    Template("ongoing.from", "từ tháng {M}/{Y}", lambda v: {"kind": "ongoing", "start": date(v.year, v.month, 1)}),
    Template("ongoing.from", "từ ngày {d}/{m}/{y}", lambda v: {"kind": "ongoing", "start": v.day}),
    Template("ongoing.years_on", "năm {Y} và các năm tiếp theo", lambda v: {"kind": "ongoing", "start": date(v.year, 1, 1)}),
    Template("ongoing.often", "thường xuyên", lambda v: {"kind": "ongoing", "recurrence": "thường xuyên"}),
    # --- relative
    Template("relative.anchored", "trong vòng {n} ngày làm việc kể từ ngày nhận được báo cáo",
             lambda v: {"kind": "relative", "relative": f"{v.n} ngày làm việc kể từ ngày nhận được báo cáo",
                        "event": "ngày nhận được báo cáo"}),
    Template("relative.anchored", "chậm nhất {n2} ngày làm việc trước ngày công bố quyết định",
             lambda v: {"kind": "relative", "relative": f"{v.n:02d} ngày làm việc trước ngày công bố quyết định",
                        "event": "ngày công bố quyết định"}),
    Template("relative.anchored", "trong thời hạn {n} ngày kể từ ngày ký",
             lambda v: {"kind": "relative", "end": v.issued + timedelta(days=v.n), "event": "ngày ký",
                        "relative": f"{v.n} ngày kể từ ngày ký ({v.issued:%d/%m/%Y})"}),
    Template("relative.anchored", "trong thời hạn {n} ngày kể từ ngày ban hành {T} này",
             lambda v: {"kind": "relative", "end": v.issued + timedelta(days=v.n), "event": f"ngày ban hành {v.doc_type} này",
                        "relative": f"{v.n} ngày kể từ ngày ban hành {v.doc_type} này ({v.issued:%d/%m/%Y})"}),
    Template("relative.anchored", "trong thời hạn {n} ngày làm việc kể từ ngày ký",  # working days: never computed
             lambda v: {"kind": "relative", "event": "ngày ký", "relative": f"{v.n} ngày làm việc kể từ ngày ký"}),
    Template("relative.after", "sau khi {T} được ban hành {n} ngày",
             lambda v: {"kind": "relative", "end": v.issued + timedelta(days=v.n), "event": f"{v.doc_type} được ban hành",
                        "relative": f"{v.n} ngày kể từ ngày ban hành {v.doc_type} ({v.issued:%d/%m/%Y})"}),
    Template("relative.duration", "không quá {n} ngày làm việc",
             lambda v: {"kind": "relative", "relative": f"không quá {v.n} ngày làm việc"}),
    Template("relative.duration", "tối đa {n} ngày", lambda v: {"kind": "relative", "relative": f"tối đa {v.n} ngày"}),
    Template("relative.duration", "trong vòng {n} giờ", lambda v: {"kind": "relative", "relative": f"trong vòng {v.n} giờ"}),
    # --- recurrences
    Template("recurring.rhythm", "hằng năm", lambda v: {"kind": "recurring", "recurrence": "hằng năm", "rrule": "FREQ=YEARLY"}),
    Template("recurring.rhythm", "hàng quý",
             lambda v: {"kind": "recurring", "recurrence": "hằng quý", "rrule": "FREQ=MONTHLY;INTERVAL=3"}),
    Template("recurring.rhythm", "mỗi tháng", lambda v: {"kind": "recurring", "recurrence": "hằng tháng", "rrule": "FREQ=MONTHLY"}),
    Template("recurring.rhythm", "hằng tuần", lambda v: {"kind": "recurring", "recurrence": "hằng tuần", "rrule": "FREQ=WEEKLY"}),
    Template("recurring.rhythm", "định kỳ {k} tháng",
             lambda v: {"kind": "recurring", "recurrence": f"định kỳ {v.every} tháng", "rrule": _every_rule(v.every)}),
    Template("recurring.rhythm", "{k} tháng một lần",
             lambda v: {"kind": "recurring", "recurrence": f"định kỳ {v.every} tháng", "rrule": _every_rule(v.every)}),
    Template("recurring.rhythm", "{k} tháng/lần",
             lambda v: {"kind": "recurring", "recurrence": f"định kỳ {v.every} tháng", "rrule": _every_rule(v.every)}),
    Template("recurring.rhythm", "hằng quý, trước ngày {qd} của tháng đầu quý",
             lambda v: {"kind": "recurring", "recurrence": "hằng quý",
                        "rrule": f"FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY={v.qday}",
                        **_excl(first_due([(mo, v.qday) for mo in (1, 4, 7, 10)], v.plan_start()),
                                implied_year=first_due([(mo, v.qday) for mo in (1, 4, 7, 10)], v.plan_start()).year)}),
    Template("recurring.rhythm", "ít nhất một lần trong năm",
             lambda v: {"kind": "recurring", "recurrence": "ít nhất 1 lần mỗi năm", "rrule": "FREQ=YEARLY"}),
    Template("recurring.rhythm", "ít nhất {k} lần/quý",
             lambda v: {"kind": "recurring", "recurrence": f"ít nhất {v.every} lần mỗi quý",
                        "rrule": "FREQ=MONTHLY;INTERVAL=3" if v.every == 1 else None}),
    Template("recurring.rhythm", "định kỳ vào ngày {md} hằng tháng",
             lambda v: {"kind": "recurring", "recurrence": "hằng tháng", "rrule": f"FREQ=MONTHLY;BYMONTHDAY={v.mday}",
                        "end": first_monthly(v.mday, v.plan_start()),
                        "implied_year": first_monthly(v.mday, v.plan_start()).year}),
    Template("recurring.rhythm", "hằng quý, trước ngày {qd} của tháng cuối quý",
             lambda v: {"kind": "recurring", "recurrence": "hằng quý", "rrule": _rule_q(v.qday),
                        **_excl(_quarterly_due(v.qday, v.plan_start()),
                                implied_year=_quarterly_due(v.qday, v.plan_start()).year)}),
    Template("recurring.rhythm", "từ năm {Y} báo cáo hằng quý, gửi trước ngày {qd} của tháng cuối quý",
             lambda v: {"kind": "recurring", "recurrence": "hằng quý", "rrule": _rule_q(v.qday),
                        "start": date(v.year, 1, 1), **_excl(date(v.year, 3, v.qday))}),
    Template("recurring.rhythm", "định kỳ 6 tháng (trước ngày {sd}/{sm1} và {sd}/{sm2})",
             lambda v: {"kind": "recurring", "recurrence": "định kỳ 6 tháng",
                        "rrule": f"FREQ=MONTHLY;BYMONTH={v.semi[0]},{v.semi[0] + 6};BYMONTHDAY={v.semi[1]}",
                        **_excl(first_due([(v.semi[0], v.semi[1]), (v.semi[0] + 6, v.semi[1])], v.plan_start()),
                                implied_year=first_due([(v.semi[0], v.semi[1]), (v.semi[0] + 6, v.semi[1])],
                                                       v.plan_start()).year)}),
    Template("recurring.rhythm", "định kỳ 6 tháng một lần, vào tháng {sm1} và tháng {sm2}",
             lambda v: {"kind": "recurring", "recurrence": "định kỳ 6 tháng",
                        "rrule": f"FREQ=MONTHLY;BYMONTH={v.semi[0]},{v.semi[0] + 6}"}),  # months, no day: no date
    Template("recurring.rhythm", "hằng quý, vào tháng 3, 6, 9 và 12",
             lambda v: {"kind": "recurring", "recurrence": "hằng quý", "rrule": "FREQ=MONTHLY;BYMONTH=3,6,9,12"}),
    Template("recurring.rhythm", "hằng tháng, chậm nhất ngày {md}",
             lambda v: {"kind": "recurring", "recurrence": "hằng tháng", "rrule": f"FREQ=MONTHLY;BYMONTHDAY={v.mday}",
                        "end": first_monthly(v.mday, v.plan_start()),
                        "implied_year": first_monthly(v.mday, v.plan_start()).year}),
    Template("recurring.rhythm", "từ quý {QR}/{Y}, các chi bộ sinh hoạt chuyên đề mỗi tháng",
             lambda v: {"kind": "recurring", "recurrence": "hằng tháng", "rrule": "FREQ=MONTHLY",
                        "start": _q(v.quarter, v.year)[0]}),
    Template("recurring.day", "trước ngày {yd}/{ym} hằng năm",
             lambda v: {"kind": "recurring", "recurrence": "hằng năm",
                        "rrule": f"FREQ=YEARLY;BYMONTH={v.yday[0]};BYMONTHDAY={v.yday[1]}",
                        **_excl(first_due([v.yday], v.plan_start()), implied_year=first_due([v.yday], v.plan_start()).year)}),
    Template("recurring.day", "trước ngày {yd} tháng {ym} hằng năm",
             lambda v: {"kind": "recurring", "recurrence": "hằng năm",
                        "rrule": f"FREQ=YEARLY;BYMONTH={v.yday[0]};BYMONTHDAY={v.yday[1]}",
                        **_excl(first_due([v.yday], v.plan_start()), implied_year=first_due([v.yday], v.plan_start()).year)}),
    Template("recurring.day", "trước ngày {md} hằng tháng",
             lambda v: {"kind": "recurring", "recurrence": "hằng tháng", "rrule": f"FREQ=MONTHLY;BYMONTHDAY={v.mday}",
                        **_excl(first_monthly(v.mday, v.plan_start()), implied_year=first_monthly(v.mday, v.plan_start()).year)}),
    Template("recurring.day", "trước ngày {qd} của tháng cuối quý",
             lambda v: {"kind": "recurring", "recurrence": "hằng quý", "rrule": _rule_q(v.qday),
                        **_excl(_quarterly_due(v.qday, v.plan_start()),
                                implied_year=_quarterly_due(v.qday, v.plan_start()).year)}),
    # --- events
    Template("event.meeting", "trước Đại hội", lambda v: {"kind": "event", "relative": "trước Đại hội", "event": "Đại hội"}),
    Template("event.meeting", "trước kỳ họp cuối năm của Hội đồng nhân dân tỉnh",
             lambda v: {"kind": "event", "relative": "trước kỳ họp cuối năm của Hội đồng nhân dân tỉnh",
                        "event": "kỳ họp cuối năm của Hội đồng nhân dân tỉnh"}),
    Template("event.meeting", "tại kỳ họp thường lệ giữa năm {Y}",
             lambda v: {"kind": "event", "relative": f"tại kỳ họp thường lệ giữa năm {v.year}",
                        "event": f"kỳ họp thường lệ giữa năm {v.year}"}),
    Template("event.meeting", "tại phiên họp thường kỳ tháng {M}/{Y}",
             lambda v: {"kind": "event", **_start_end(_month(v.year, v.month)),
                        "relative": f"tại phiên họp thường kỳ tháng {v.fields()['M']}/{v.year}",
                        "event": f"phiên họp thường kỳ tháng {v.fields()['M']}/{v.year}"}),
    Template("event.meeting_month", "phiên họp thường kỳ tháng {M}/{Y}",
             lambda v: {"kind": "event", **_start_end(_month(v.year, v.month)),
                        "relative": f"phiên họp thường kỳ tháng {v.fields()['M']}/{v.year}",
                        "event": f"phiên họp thường kỳ tháng {v.fields()['M']}/{v.year}"}),
    Template("event.meeting", "trước Tết Nguyên đán",
             lambda v: {"kind": "event", "relative": "trước Tết Nguyên đán", "event": "Tết Nguyên đán"}),
    Template("event.meeting", "ngay sau Đại hội Đảng bộ tỉnh lần thứ XV",
             lambda v: {"kind": "event", "relative": "ngay sau Đại hội Đảng bộ tỉnh lần thứ XV",
                        "event": "Đại hội Đảng bộ tỉnh lần thứ XV"}),
    Template("event.occasion", "trong dịp Quốc khánh 2/9 và các ngày lễ lớn cuối năm",
             lambda v: {"kind": "event", "relative": "trong dịp Quốc khánh 2/9 và các ngày lễ lớn cuối năm",
                        "event": "dịp Quốc khánh 2/9 và các ngày lễ lớn cuối năm"}),
    Template("event.occasion", "trước dịp Tết Nguyên đán",
             lambda v: {"kind": "event", "relative": "trước dịp Tết Nguyên đán", "event": "dịp Tết Nguyên đán"}),
    Template("event.occasion", "nhân dịp kỷ niệm {n} năm Ngày thành lập Đảng",
             lambda v: {"kind": "event", "relative": f"nhân dịp kỷ niệm {v.n} năm Ngày thành lập Đảng",
                        "event": f"dịp kỷ niệm {v.n} năm Ngày thành lập Đảng"}),
    Template("relative.anchored", "chậm nhất {n} ngày trước dịp Tết Nguyên đán",
             lambda v: {"kind": "relative", "relative": f"{v.n} ngày trước dịp Tết Nguyên đán",
                        "event": "dịp Tết Nguyên đán"}),
    Template("event.as_directed", "theo hướng dẫn của Trung ương",
             lambda v: {"kind": "event", "relative": "theo hướng dẫn của Trung ương", "event": "hướng dẫn của Trung ương"},
             in_sentence=False, cell=True),
    Template("event.as_directed", "Theo kế hoạch của Ban Thường vụ",
             lambda v: {"kind": "event", "relative": "Theo kế hoạch của Ban Thường vụ", "event": "kế hoạch của Ban Thường vụ"},
             in_sentence=False, cell=True),
    Template("event.on_request", "khi có yêu cầu",
             lambda v: {"kind": "event", "relative": "khi có yêu cầu", "event": "có yêu cầu"}),
]


# ---------------------------------------------------------------------------------------------
# A rhythm and its due day written apart in one clause (docs/deadlines.md, "A rhythm and its day
# written apart"): one recurring Deadline, its text the day phrase as written.


def _monthly(day: int, since: date, exclusive: bool) -> dict:
    end = first_monthly(day, since)
    return {"kind": "recurring", "recurrence": "hằng tháng", "rrule": f"FREQ=MONTHLY;BYMONTHDAY={day}",
            "end": end, "exclusive_end": exclusive, "implied_year": end.year}


def _quarterly(day: int, months: tuple[int, ...], since: date, exclusive: bool, start: date | None = None) -> dict:
    end = first_due([(mo, day) for mo in months], start or since)
    return {"kind": "recurring", "recurrence": "hằng quý", "start": start, "end": end, "exclusive_end": exclusive,
            "rrule": f"FREQ=MONTHLY;BYMONTH={','.join(map(str, months))};BYMONTHDAY={day}",
            "implied_year": None if start else end.year}


def _yearly_day(month: int, day: int, since: date, exclusive: bool) -> dict:
    end = first_due([(month, day)], since)
    return {"kind": "recurring", "recurrence": "hằng năm", "rrule": f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={day}",
            "end": end, "exclusive_end": exclusive, "implied_year": end.year}


def _semi(semi: tuple[int, int], since: date, exclusive: bool) -> dict:
    (m1, day), m2 = semi, semi[0] + 6
    end = first_due([(m1, day), (m2, day)], since)
    return {"kind": "recurring", "recurrence": "định kỳ 6 tháng", "end": end, "exclusive_end": exclusive,
            "rrule": f"FREQ=MONTHLY;BYMONTH={m1},{m2};BYMONTHDAY={day}", "implied_year": end.year}


@dataclass(frozen=True)
class Apart:
    """A rhythm and its due day written apart in one clause, the duty's action between them."""
    form: str  # the FORMS row of the day phrase
    rhythm: str  # str.format templates over Values.fields()
    day: str
    truth: Callable[[Values], dict]  # the one Deadline they give (its text: the rendered day phrase)
    day_first: bool = False  # also written with the day first ("Trước ngày 25, … hằng tháng"): bare days only

    def render(self, v: Values) -> list[tuple[str, Deadline]]:
        """Each sentence of APART_SENTENCES (and APART_DAY_FIRST) with the phrases planted, and its truth."""
        f = v.fields()
        rhythm, day = self.rhythm.format(**f), self.day.format(**f)
        want = {"start": None, "end": None, **self.truth(v)}
        out = []
        for s in APART_SENTENCES + (APART_DAY_FIRST if self.day_first else []):
            written = _cap(day) if s.startswith("{Day}") else day
            sentence = s.format(rhythm=rhythm, Rhythm=_cap(rhythm), day=day, Day=_cap(day))
            out.append((sentence, Deadline(written, **want)))
        return out

    @property
    def id(self) -> str:
        return f"{self.form}: {self.rhythm} … {self.day}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


APART: list[Apart] = [
    Apart("recurring.bare_day", "hằng tháng", "trước ngày {md}",
          lambda v: _monthly(v.mday, v.plan_start(), True), day_first=True),
    Apart("recurring.bare_day", "hàng tháng", "chậm nhất ngày {md}", lambda v: _monthly(v.mday, v.plan_start(), False)),
    Apart("recurring.bare_day", "mỗi tháng", "trước ngày {md}", lambda v: _monthly(v.mday, v.plan_start(), True)),
    Apart("recurring.bare_day", "định kỳ hằng tháng", "vào ngày mùng {mung}",
          lambda v: _monthly(v.mung, v.plan_start(), False), day_first=True),
    Apart("recurring.day", "hằng quý", "trước ngày {qd} của tháng cuối quý",
          lambda v: _quarterly(v.qday, (3, 6, 9, 12), v.plan_start(), True)),
    Apart("recurring.day", "định kỳ hằng quý", "chậm nhất ngày {qd} tháng đầu quý",
          lambda v: _quarterly(v.qday, (1, 4, 7, 10), v.plan_start(), False)),
    Apart("recurring.day", "từ năm {Y}, hằng quý", "trước ngày {qd} của tháng cuối quý",
          lambda v: _quarterly(v.qday, (3, 6, 9, 12), v.plan_start(), True, start=date(v.year, 1, 1))),
    Apart("date.cued", "hằng năm", "trước ngày {yd}/{ym}", lambda v: _yearly_day(*v.yday, v.plan_start(), True)),
    # the rhythm's two days listed together, apart from it: one recurrence over the list
    Apart("date.cued", "6 tháng một lần", "trước ngày {sd}/{sm1} và trước ngày {sd}/{sm2}",
          lambda v: _semi(v.semi, v.plan_start(), True)),
    Apart("date.cued", "định kỳ 6 tháng", "chậm nhất ngày {sd}/{sm1}, {sd}/{sm2}",
          lambda v: _semi(v.semi, v.plan_start(), False)),
    Apart("date.cued", "hằng năm", "chậm nhất ngày {yd} tháng {ym}", lambda v: _yearly_day(*v.yday, v.plan_start(), False)),
]

# Duty sentences holding a rhythm early and its day late in the same clause: at most
# RHYTHM_DAY_GAP_WORDS words between them, commas and brackets allowed.
APART_SENTENCES = [
    "Bí thư chi bộ {rhythm} báo cáo tình hình đảng viên giữ mối liên hệ về đảng ủy xã, thị trấn {day}.",
    "Ủy ban kiểm tra huyện ủy, thành ủy, đảng ủy trực thuộc {rhythm} báo cáo kết quả giám sát theo Quy chế này "
    "về Ủy ban Kiểm tra Tỉnh ủy, {day}.",
    "{Rhythm}, các chi bộ tổng hợp ý kiến, kiến nghị của đảng viên (qua tổ dân phố) và gửi Văn phòng Huyện ủy {day}, "
    "đồng thời đề xuất biện pháp.",
]
APART_DAY_FIRST = [
    "{Day}, Bí thư chi bộ báo cáo tình hình đảng viên giữ mối liên hệ về đảng ủy xã, thị trấn {rhythm}.",
]

# A rhythm and a day that must stay apart: each piece reads in the sentence as it reads alone (a bare day:
# nothing). (reason, sentence with {0} {1} {2}, the pieces in text order)
APART_DECOYS: list[tuple[str, str, tuple[str, ...]]] = [
    ("next clause", "Chi bộ {0} sinh hoạt thường kỳ; {1}, Văn phòng tổng hợp, báo cáo Ban Thường vụ.",
     ("hằng tháng", "trước ngày {md}")),
    ("next sentence", "Bí thư chi bộ {0} báo cáo tình hình đảng viên. Văn phòng tổng hợp, báo cáo Ban Thường vụ {1}.",
     ("hằng tháng", "trước ngày {md}")),
    ("day with its year", APART_SENTENCES[0].replace("{rhythm}", "{0}").replace("{day}", "{1}"),
     ("hằng tháng", "trước ngày {d}/{m}/{y}")),
    ("day with its year", APART_SENTENCES[1].replace("{rhythm}", "{0}").replace("{day}", "{1}"),
     ("hằng năm", "trước ngày {d}/{m}/{y}")),
    ("day of another month", APART_SENTENCES[0].replace("{rhythm}", "{0}").replace("{day}", "{1}"),
     ("hằng tháng", "trước ngày {md} tháng sau")),
    ("which month of the quarter", APART_SENTENCES[1].replace("{rhythm}", "{0}").replace("{day}", "{1}"),
     ("hằng quý", "trước ngày {md}")),
    ("weekly", APART_SENTENCES[0].replace("{rhythm}", "{0}").replace("{day}", "{1}"), ("hằng tuần", "trước ngày {md}")),
    ("not a day of every month", APART_SENTENCES[0].replace("{rhythm}", "{0}").replace("{day}", "{1}"),
     ("hằng tháng", "trước ngày 31")),
    ("a yearly day, a monthly rhythm", APART_SENTENCES[0].replace("{rhythm}", "{0}").replace("{day}", "{1}"),
     ("hằng tháng", "trước ngày {yd}/{ym}")),
    ("rhythm of unknown length", APART_SENTENCES[0].replace("{rhythm}", "{0}").replace("{day}", "{1}"),
     ("định kỳ", "trước ngày {md}")),
    ("another time between", "Bí thư chi bộ {0} báo cáo tình hình, tổng kết {1} và gửi đảng ủy xã {2}.",
     ("hằng tháng", "trong tháng {M}/{Y}", "trước ngày {md}")),
    ("past", "Bí thư chi bộ {0} báo cáo tình hình đảng viên, báo cáo tháng trước đã gửi {1}.",
     ("hằng tháng", "trước ngày {md}")),
    ("a day alone", "Bí thư chi bộ báo cáo tình hình đảng viên về đảng ủy xã {0}.", ("trước ngày {md}",)),
]


# What must give nothing inside a duty sentence (find_deadlines → []), whatever the values.
DECOYS: list[tuple[str, str]] = [  # (form or reason, template)
    ("date.bare", "Kết luận số {n}-KL/TW, ngày {d}/{m}/{y} của Bộ Chính trị"),
    ("date.bare", "Bình Sơn, ngày {d} tháng {m} năm {y}"),
    ("date.bare", "Bình Sơn, ngày mùng {mung} tháng {m} năm {y}"),
    ("date.bare", "theo Quyết định ban hành ngày {d}{sep}{m}{sep}{y}"),
    ("bare year", "Kế hoạch số {n}-KH/TU năm {Y}"),
    ("bare year", "chương trình công tác năm {Y} của Ban Chấp hành"),
    ("review", "kết quả là tiêu chí đánh giá, xếp loại đảng viên cuối năm"),
    ("review", "tổ chức hội nghị tổng kết cuối năm"),
    ("cut-off", "số liệu tính đến ngày {d}/{m}/{y}"),
    ("cut-off", "tính đến hết năm {Y}, toàn tỉnh còn {n} dự án"),
    ("past", "từ năm {Y} đến nay"),
    ("separate months", "kiểm tra trong tháng 3 và tháng 9/{Y}"),
    ("past", "đã hoàn thành trước ngày {d}/{m}/{y}"),
    ("past", "đã bị kết luận trong năm"),
    ("effective", "Quy định này có hiệu lực từ ngày {d}/{m}/{y}"),
    ("effective", "sau {n} ngày kể từ ngày ký"),
    ("duration.bound", "thời gian thực hiện đã quá {n} tháng so với tiến độ"),
    ("duration.bound", "bị bỏ trống liên tục từ {n2} tháng trở lên"),
    ("duration.bound", "có {n} dự án chậm trên {n} tháng"),
    ("recurring.limit", "không bị kiểm tra quá 01 lần trong năm về cùng một nội dung"),
    ("recurring.limit", "mỗi đơn vị được đề nghị không quá 2 lần/năm"),
    ("count", "các chi bộ có dưới {n2} đảng viên"),
    ("count", "tỷ lệ giải ngân đạt {n}% kế hoạch"),
    ("page", "xem trang {n}"),
    ("fraction", "đến 1/2 số đảng viên"),
    ("fraction", "tăng từ 1/3 đến 1/2"),
    ("budget", "cắt giảm chi thường xuyên"),
    ("venue", "quán triệt tại hội nghị cán bộ chủ chốt"),
    ("bare period", "tổ chức sơ kết 6 tháng đầu năm {Y} và báo cáo kết quả quý {QR}/{Y}"),
    ("bare period", "Hội nghị Trung ương 8 (tháng {M}/{Y}) đã ban hành nghị quyết"),
    # ("trước ngày {pd}/{pm} năm sau" is the day in the year after the plan's: tests/ingest/test_deadlines.py)
    ("relative year", "trước ngày {pd}/{pm} của năm ấy"),
    ("later year", "trong quý I và quý III/{Y}"),  # not side by side: no window (quý I–II is period.joined)
    ("occasion", "nhân dịp này, Ban Thường vụ biểu dương các tập thể"),  # "this occasion": no time of its own
    ("occasion", "đảng viên có dịp trao đổi kinh nghiệm"),
    ("as directed", "tổ chức kiểm điểm theo hướng dẫn của Ban Tổ chức Tỉnh ủy"),  # how, not when (in a sentence)
    ("routine", "giúp Trưởng ban điều hành công việc thường xuyên của Ban Chỉ đạo"),  # an adjective, not a rhythm
]

# A duty sentence to plant a phrase in: no other time expression, no "đã".
SENTENCES = [
    "Các cấp ủy, tổ chức đảng xây dựng và triển khai kế hoạch {phrase}; gửi báo cáo về Ban Thường vụ.",
    "Ban Tuyên giáo chủ trì, phối hợp tổ chức hội nghị quán triệt, {phrase}.",
    "Văn phòng Tỉnh ủy tổng hợp, báo cáo kết quả {phrase}, đồng thời đề xuất biện pháp.",
]
# Where decoys are planted: alone, and inside a sentence.
DECOY_SENTENCES = ["{phrase}", "Ban Thường vụ lưu ý {phrase}; các đơn vị thực hiện nghiêm túc."]
# A row of a duty table written as text, for the phrases that are a whole time cell.
TABLE_ROW = "3 | Rà soát, thống kê tài sản công dôi dư | Chi ủy, đảng ủy cơ sở | {phrase}"


def plant(sentence: str, phrase: str) -> str:
    return sentence.format(phrase=phrase)


__all__ = ["Values", "Template", "TEMPLATES", "DECOYS", "SENTENCES", "DECOY_SENTENCES", "TABLE_ROW",
           "STANDING_TYPES", "first_due", "first_monthly", "is_standing", "plant", "yearly",
           "Apart", "APART", "APART_SENTENCES", "APART_DAY_FIRST", "APART_DECOYS"]
