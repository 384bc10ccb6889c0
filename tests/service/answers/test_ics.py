"""The calendar export: a recurring deadline repeats by its rule, an undated duty is no event."""
from __future__ import annotations

from datetime import date, datetime
from itertools import islice

from dateutil.rrule import rrulestr
from icalendar import Calendar

from service.answers.ics import obligations_ics

QUARTERLY = {"id": "hd-15:1", "action": "báo cáo kết quả kiểm tra, giám sát",
             "deadline": {"text": "hằng quý, gửi trước ngày 20 của tháng cuối quý", "start": "2026-01-01",
                          "end": "2026-03-20", "rrule": "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=20"},
             "citation": {"doc_number": "15-HD/UBKTTU", "quote": "…"}}
UNDATED = {"id": "hd-15:2", "action": "giám sát thường xuyên", "deadline": {"text": "thường xuyên"},
           "citation": {"doc_number": "15-HD/UBKTTU"}}


def test_a_recurring_deadline_is_one_event_that_repeats_by_its_rule():
    cal = Calendar.from_ical(obligations_ics([QUARTERLY, UNDATED]))
    events = [c for c in cal.walk("VEVENT")]
    assert len(events) == 1
    ev = events[0]
    first = ev.decoded("dtstart")
    assert first == date(2026, 3, 20)
    rule = ev.get("rrule").to_ical().decode()
    days = list(islice(rrulestr(rule, dtstart=datetime(2026, 3, 20)), 4))
    assert [d.date() for d in days] == [date(2026, 3, 20), date(2026, 6, 20), date(2026, 9, 20), date(2026, 12, 20)]
