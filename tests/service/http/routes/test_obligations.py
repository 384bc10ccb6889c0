"""GET /api/obligations and /api/obligations.ics (service/http/routes/obligations.py)."""
from __future__ import annotations

from datetime import date

from icalendar import Calendar

from service.answers.ics import _uid
from support.api import check_obligation, decoded_text, get_obligations


def test_obligations(http, documents):
    obs = get_obligations(http)
    for o in obs:
        check_obligation(o, documents)
    assert len({o["id"] for o in obs}) == len(obs)
    ends = [(o["deadline"] or {}).get("end") or "9999" for o in obs]
    assert ends == sorted(ends), "sorted by deadline, undated last"
    dated = [o for o in obs if (o["deadline"] or {}).get("end")]
    assert dated, "the Lai Châu plan has dated obligations"
    assert any(o["deadline"]["end"] == "2024-01-15" for o in dated)  # the collective plan, before 15/01/2024
    # Filters narrow the list.
    in_plan = http.get("/api/obligations", params={"doc": "222-KH/TU"}).json()["obligations"]
    assert in_plan and {o["citation"]["doc_number"] for o in in_plan} == {"222-KH/TU"}
    window = http.get("/api/obligations", params={"due_from": "2024-04-01", "due_to": "2024-06-30"}).json()["obligations"]
    for o in window:
        d = o["deadline"]
        assert d["end"] >= "2024-04-01" and (d["start"] or d["end"]) <= "2024-06-30"
    ids = {o["id"] for o in obs}
    for role in ("bí thư đảng ủy xã", "bi thu chi bo"):
        r = http.get("/api/obligations", params={"role": role})
        assert r.status_code == 200, r.text
        assert {o["id"] for o in r.json()["obligations"]} <= ids


def test_obligations_ics(http):
    obs = get_obligations(http)
    r = http.get("/api/obligations.ics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/calendar")
    assert "attachment" in r.headers["content-disposition"] and ".ics" in r.headers["content-disposition"]
    cal = Calendar.from_ical(r.content)
    events = list(cal.walk("VEVENT"))
    dated = {_uid(o["id"]): o for o in obs if (o["deadline"] or {}).get("end")}
    assert len(events) == len(dated)
    for ev in events:
        o = dated[str(ev["uid"])]
        assert ev.decoded("dtstart") == date.fromisoformat(o["deadline"]["end"])
        assert o["citation"]["quote"] in decoded_text(ev, "description")
    r = http.get("/api/obligations.ics", params={"doc": "222-KH/TU", "due_from": "2024-01-01"})
    assert r.status_code == 200 and Calendar.from_ical(r.content)
