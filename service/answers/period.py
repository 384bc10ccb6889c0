"""Answers read against a date (`as_of`): an answer quoting a document written for a period that is
over ("Kế hoạch … năm 2024" read in 2025) says so in its first line, so nobody takes its deadlines
for coming ones.

The period is what the document's own title says it is for — its last "năm YYYY" or "giai đoạn
YYYY–YYYY" — the same words a reader goes by; a document whose title names no period (a Quy định,
a Kết luận) is not dated by this and gets no note.
"""
from __future__ import annotations

import re
from datetime import date

from .compose import format_date

# "… năm 2024", "… giai đoạn 2021 - 2025", "… nhiệm kỳ 2020–2025": the period a title names.
_PERIOD = re.compile(r"(?:năm\s+(?P<year>(?:19|20)\d{2})(?!\s*[-–]\s*\d)"
                     r"|(?:giai\s+đoạn|nhiệm\s+kỳ)\s+(?:19|20)\d{2}\s*[-–]\s*(?P<last>(?:19|20)\d{2}))",
                     re.IGNORECASE)


def period_end(title: str | None) -> date | None:
    """The last day of the period a document's title names (its last mention), or None."""
    found = list(_PERIOD.finditer(title or ""))
    if not found:
        return None
    m = found[-1]
    year = int(m.group("year") or m.group("last"))
    return date(year, 12, 31)


def period_bounds(title: str | None) -> tuple[date, date] | None:
    """The first and last day of the period a document's title names ("năm 2024": the year;
    "giai đoạn 2021 - 2025": 2021-01-01 to 2025-12-31), or None."""
    found = list(_PERIOD.finditer(title or ""))
    if not found:
        return None
    m = found[-1]
    if m.group("year"):
        year = int(m.group("year"))
        return date(year, 1, 1), date(year, 12, 31)
    first = re.search(r"(?:19|20)\d{2}", m.group(0))
    return date(int(first.group(0)), 1, 1), date(int(m.group("last")), 12, 31)


def past_period_note(answer: dict, as_of: date) -> str | None:
    """"Lưu ý: 222-KH/TU là văn bản năm 2024, đã qua (tính đến 07/12/2025)." for the
    documents the answer cites whose period ended before `as_of`; None when there are none."""
    over: dict[str, date] = {}
    for c in answer.get("citations") or []:
        end = period_end(c.get("doc_title"))
        label = c.get("doc_number") or c.get("doc_id")
        if end is not None and end < as_of and label:
            over.setdefault(label, end)
    if not over:
        return None
    years = sorted({d.year for d in over.values()})
    names = ", ".join(over)
    what = "văn bản" if len(over) == 1 else "các văn bản"
    period = f"năm {years[0]}" if len(years) == 1 else "các năm " + ", ".join(str(y) for y in years)
    # (short: it opens every answer from an old plan, and the reply follows it)
    return f"Lưu ý: {names} là {what} {period}, đã qua (tính đến {format_date(as_of)})."
