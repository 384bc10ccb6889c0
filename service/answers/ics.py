"""Obligations → an iCalendar file (RFC 5545), one all-day event per dated obligation.

An obligation becomes an event when its deadline has an `end` (the last day of the window the text
allows; for "trước ngày 15/01/2024" that is the bound as written, 2024-01-15). The event sits on that
day (DTSTART with VALUE=DATE, DTEND the next day), so a calendar shows the day the window closes.
Undated obligations (no deadline, relative deadlines, "thường xuyên") are not events: they have no
date, and we never invent one. A recurring deadline with a rule ("hằng quý, trước ngày 20 của tháng
cuối quý") is one event on its first due date that repeats by the deadline's RRULE.

UIDs derive from the obligation id, so re-exporting updates events instead of duplicating them.
"""
from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone
from typing import Iterable

from icalendar import Calendar, Event, vRecur

PRODID = "-//Sổ tay//sotay//VI"
SUMMARY_MAX = 90


def _shorten(text: str, limit: int = SUMMARY_MAX) -> str:
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-–") + "…"


def _uid(ob_id: str) -> str:
    # The id itself when it is plain; a digest otherwise (UIDs should be short and unambiguous).
    if ob_id and len(ob_id) <= 120 and all(c.isalnum() or c in "-_.:" for c in ob_id):
        return f"{ob_id}@sotay"
    return hashlib.sha1(ob_id.encode("utf-8")).hexdigest() + "@sotay"


def _event_date(ob: dict) -> date | None:
    end = (ob.get("deadline") or {}).get("end")
    if not end:
        return None
    try:
        return date.fromisoformat(str(end)[:10])
    except ValueError:
        return None


def _description(ob: dict) -> str:
    d = ob.get("deadline") or {}
    c = ob.get("citation") or {}
    lines = []
    if d.get("text"):
        lines.append(f"Thời hạn: {d['text']}")
    if ob.get("actors"):
        lines.append("Chủ thể: " + ", ".join(ob["actors"]))
    doc = " ".join(x for x in (c.get("doc_number") or c.get("doc_id"), f"({c['issued']})" if c.get("issued") else None) if x)
    if doc:
        lines.append(f"Văn bản: {doc}" + (f" – {c['doc_title']}" if c.get("doc_title") else ""))
    if c.get("section"):
        lines.append(f"Mục: {c['section']}" + (f" – {c['section_title']}" if c.get("section_title") else ""))
    if ob.get("recurrence"):
        lines.append(f"Định kỳ: {ob['recurrence']}")
    for ex in ob.get("exceptions") or []:
        lines.append(f"Ngoại lệ: {ex}")
    if c.get("quote"):
        lines.append(f"Trích: “{c['quote']}”")
    return "\n".join(lines)


def obligations_ics(obligations: Iterable[dict], *, calendar_name: str = "Sổ tay – thời hạn",
                    now: datetime | None = None) -> bytes:
    """The iCalendar bytes (UTF-8) of the dated obligations; `now` fixes DTSTAMP (tests)."""
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", calendar_name)
    cal.add("name", calendar_name)
    seen: set[str] = set()
    for ob in obligations:
        day = _event_date(ob)
        if day is None:
            continue
        c = ob.get("citation") or {}
        uid = _uid(str(ob.get("id") or f"{c.get('doc_id')}:{c.get('start')}:{c.get('end')}"))
        if uid in seen:  # the same obligation listed twice is one event
            continue
        seen.add(uid)
        ev = Event()
        ev.add("uid", uid)
        ev.add("dtstamp", stamp)
        ev.add("dtstart", day)
        ev.add("dtend", day + timedelta(days=1))
        ev.add("summary", _shorten(ob.get("action") or (ob.get("citation") or {}).get("quote") or "Nhiệm vụ"))
        ev.add("description", _description(ob))
        ev.add("transp", "TRANSPARENT")
        rule = (ob.get("deadline") or {}).get("rrule")
        if rule:
            ev.add("rrule", vRecur.from_ical(rule))
        cat = (ob.get("citation") or {}).get("doc_number")
        if cat:
            ev.add("categories", [cat])
        cal.add_component(ev)
    return cal.to_ical()
