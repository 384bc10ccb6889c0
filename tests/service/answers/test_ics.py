"""The calendar of obligations (service/answers/ics.py); over HTTP: tests/service/http/routes/test_obligations.py."""
from __future__ import annotations

from datetime import date, datetime
from itertools import islice

from dateutil.rrule import rrulestr
from icalendar import Calendar

from service.answers.ics import _uid, obligations_ics
from support.api import decoded_text


def _ob(i: int, end: str | None, *, text: str = "trong tháng 01/2024", action: str = "Hoàn thành xây dựng kế hoạch",
        recurrence: str | None = None) -> dict:
    quote = f"{action} {text}; ghi rõ việc “nêu gương”, thời gian: 2024."
    return {
        "id": f"222-kh-tu-2023-12-18:ob:{i}", "actors": ["cán bộ, đảng viên"], "action": action,
        "deadline": None if end is None and not text else {"text": text, "start": None, "end": end, "relative": None},
        "recurrence": recurrence,
        "citation": {"n": 1, "doc_id": "222-kh-tu-2023-12-18", "doc_number": "222-KH/TU", "doc_title": "Kế hoạch",
                     "issued": "2023-12-18", "section": "II.2.2", "section_title": "Kế hoạch cá nhân", "quote": quote,
                     "start": 10, "end": 10 + len(quote)},
    }


def test_ics_module():
    """obligations_ics on its own: one all-day event per dated obligation, stable UIDs, citation in
    the description, undated ones left out."""
    obs = [
        _ob(1, "2024-01-31"),
        _ob(2, "2024-01-15", text="trước ngày 15/01/2024", action="Hoàn thành " + "xây dựng kế hoạch tập thể " * 10),
        _ob(3, None, text="thường xuyên", recurrence="thường xuyên"),
        {**_ob(4, None), "deadline": None},
        {**_ob(5, None), "deadline": {"text": "20 ngày làm việc", "start": None, "end": None,
                                      "relative": "20 ngày làm việc kể từ ngày nhận được báo cáo"}},
        _ob(6, "2024-03-31", text="trong Quý I/2024"),
    ]
    first = obligations_ics(obs)
    cal = Calendar.from_ical(first)
    assert str(cal["version"]) == "2.0" and cal["prodid"]
    events = list(cal.walk("VEVENT"))
    assert len(events) == 3
    by_uid = {str(e["uid"]): e for e in events}
    for o in (obs[0], obs[1], obs[5]):
        ev = by_uid[_uid(o["id"])]
        assert ev.decoded("dtstart") == date.fromisoformat(o["deadline"]["end"])
        assert ev["dtstart"].params.get("VALUE") == "DATE"  # all-day
        desc = decoded_text(ev, "description")
        assert o["deadline"]["text"] in desc and "222-KH/TU" in desc and "II.2.2" in desc
        assert o["citation"]["quote"] in desc
        assert ev["dtstamp"]
        summary = str(ev["summary"])
        assert len(summary) <= 90 and summary.startswith("Hoàn thành")
    assert str(by_uid[_uid(obs[1]["id"])]["summary"]).endswith("…")
    # Stable UIDs: exporting again gives the same events.
    again = Calendar.from_ical(obligations_ics(obs))
    assert {str(e["uid"]) for e in again.walk("VEVENT")} == set(by_uid)
    assert list(Calendar.from_ical(obligations_ics([])).walk("VEVENT")) == []


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
