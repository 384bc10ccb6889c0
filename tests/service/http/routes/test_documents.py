"""GET /api/documents and /api/documents/{doc_id} (service/http/routes/documents.py); uploads and
deletions: tests/service/http/test_security.py (they need keys)."""
from __future__ import annotations



def test_documents_listing(http):
    r = http.get("/api/documents")
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"documents", "missing"}
    numbers = {d["number"] for d in body["documents"]}
    assert {"222-KH/TU", "14-KL/TW", "55-QĐ/TW", "124-QĐ/TW", "144-QĐ/TW", "121-HD/BTGTW"} <= numbers
    for d in body["documents"]:
        assert set(d) >= {"doc_id", "number", "type", "title", "issuer", "issued", "place", "completeness", "sections"}
        assert isinstance(d["sections"], int)
    assert len({d["doc_id"] for d in body["documents"]}) == len(body["documents"])
    by_number = {m["number"]: m for m in body["missing"]}
    assert "01-KL/TW" in by_number  # cited by the Lai Châu plan, not in the store
    for m in body["missing"]:
        assert set(m) >= {"number", "type", "issued", "issuer", "title", "cited_by"}
        assert m["cited_by"] and m["number"] not in numbers


def test_document_detail(http, documents):
    listing = {d["doc_id"]: d for d in http.get("/api/documents").json()["documents"]}
    assert set(documents) == set(listing)
    for doc_id, doc in documents.items():
        meta = listing[doc_id]
        for f in ("doc_id", "number", "type", "title", "issuer", "issued", "completeness"):
            assert doc[f] == meta[f], f
        assert isinstance(doc["text"], str) and doc["text"]
        assert isinstance(doc["sections"], list) and len(doc["sections"]) == meta["sections"]
        paths = {s["path"] for s in doc["sections"]}
        for s in doc["sections"]:
            assert 0 <= s["start"] <= s["heading_end"] <= s["end"] <= len(doc["text"])
            assert s["parent"] is None or s["parent"] in paths
        for f in doc["footnotes"]:
            assert doc["text"][f["start"]:f["end"]] == f["text"]
        assert not {"df", "version", "source"} & set(doc), "bookkeeping and server paths stay inside"
    plan = next(d for d in documents.values() if d["number"] == "222-KH/TU")
    assert any(s["path"] == "II.2.1" for s in plan["sections"])
    assert plan["footnotes"], "the Lai Châu plan has footnotes"
