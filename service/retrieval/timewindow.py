"""A time the question names — "trong tháng 1/2024", "quý II/2024", "trước 1/4/2024", "năm 2026" —
and the due dates it allows, read with the deadline grammar (ingest.deadlines)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ingest.deadlines import parse_deadline

# A time the question names: "trong tháng 1/2024", "quý II/2024", "trước 1/4/2024", "năm 2026".
_CUE = r"(?:(?P<cue>truoc|trong|den het|den|tu|vao|cuoi|het|sau)\s+)?"
_TIME_PHRASE = re.compile(
    _CUE + r"(?P<phrase>"
    r"(?:ngay\s+)?\d{1,2}\s*[/-]\s*\d{1,2}(?:\s*[/-]\s*\d{4})?(?![\d/.])|(?:ngay\s+)?\d{1,2}\.\d{1,2}\.\d{4}"
    r"|thang\s+\d{1,2}(?:\s*[/-]\s*\d{4}|\s+nam\s+\d{4})?(?![\d/])"
    r"|qu[yi]\s+(?:[ivx]{1,3}|[1-4])(?:\s*[/-]\s*\d{4}|\s+nam\s+\d{4})?\b"
    r"|(?:\d{1,2}|sau)\s+thang\s+(?:dau|cuoi)\s+nam(?:\s+\d{4})?"
    r"|nam\s+(?:19|20)\d{2}\b"
    r")"
)


# "X là gì?", "thế nào là X?", "… như thế nào thì bị coi là X?": the answer defines X.


@dataclass(frozen=True)
class TimeWindow:
    """A time the question names; `bounds` gives the due dates it allows ([start, end], either open).
    A phrase without a year ("trước tháng 2") takes one from the caller: the plan's year, or today's."""
    text: str  # as the user wrote it, cue included: "trước tháng 7/2025"
    phrase: str  # the time expression without its cue: "tháng 7/2025"
    cue: str | None  # folded: "truoc", "trong", "den", "tu", …
    year_given: bool
    span: tuple[int, int] = (0, 0)

    def bounds(self, default_year: int | None = None) -> tuple[date | None, date | None] | None:
        # The deadline grammar reads a bare date or "năm 2026" as no deadline; as a window they are one.
        is_date = bool(re.match(r"\s*(?:ngày\s+|ngay\s+)?\d{1,2}\s*[/.-]\s*\d{1,2}", self.phrase, re.I))
        d = parse_deadline(f"{'chậm nhất ngày' if is_date else 'trong'} {self.phrase}", default_year)
        if d is None or not (d.start or d.end):
            return None
        start, end = d.start or d.end, d.end
        if self.cue == "truoc":  # "trước 1/4/2024", "trước tháng 7/2025": due before its first day
            return None, start - timedelta(days=1)
        if self.cue in ("den", "den het", "het"):
            return None, end
        if self.cue in ("tu", "sau"):
            return start, None
        return start, end


def time_window(expanded: str, low: str, taken: list[tuple[int, int]]) -> TimeWindow | None:
    for m in _TIME_PHRASE.finditer(low):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue  # "Mục 2.2" is a section, not 2 February
        phrase = expanded[m.start("phrase"):m.end("phrase")]
        window = TimeWindow(expanded[m.start():m.end()], phrase, m.group("cue"),
                            bool(re.search(r"(?:19|20)\d{2}", phrase)), m.span())
        if window.bounds(2000 if not window.year_given else None) is not None:
            return window
    return None
