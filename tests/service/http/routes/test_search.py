"""GET /api/search (service/http/routes/search.py)."""
from __future__ import annotations



def test_search(http, documents):
    r = http.get("/api/search", params={"q": "kế hoạch cá nhân học tập và làm theo Bác", "k": 5})
    assert r.status_code == 200
    hits = r.json()["hits"]
    assert 1 <= len(hits) <= 5
    for h in hits:
        assert set(h) >= {"chunk_id", "doc_id", "doc_number", "doc_title", "section", "section_title", "text",
                          "start", "end", "score"}
        assert h["text"] == documents[h["doc_id"]]["text"][h["start"]:h["end"]]
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
    # Default k is 10; the doc filter accepts a number as written and keeps to that document.
    r = http.get("/api/search", params={"q": "đảng viên"})
    assert r.status_code == 200 and len(r.json()["hits"]) == 10
    r = http.get("/api/search", params={"q": "đảng viên", "doc": "124-QĐ/TW", "k": 20})
    hits = r.json()["hits"]
    assert hits and {h["doc_number"] for h in hits} == {"124-QĐ/TW"}
    r = http.get("/api/search", params={"q": "đảng viên", "type": "Quy định", "k": 30})
    hits = r.json()["hits"]
    assert hits and all(documents[h["doc_id"]]["type"] == "Quy định" for h in hits)
    # Typed without diacritics.
    r = http.get("/api/search", params={"q": "han chot nop ke hoach ca nhan", "k": 3})
    assert r.status_code == 200 and r.json()["hits"]
