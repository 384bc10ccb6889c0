"""POST /api/ask (service/http/routes/ask.py): answers whose every citation is verbatim text."""
from __future__ import annotations

from support.api import DEADLINE_QUESTION, PASSAGE_QUESTIONS, UNANSWERABLE, VIETNAMESE, check_answer, get_obligations


def test_ask_passages_quote_verbatim(http, documents):
    answered = 0
    for q in PASSAGE_QUESTIONS:
        r = http.post("/api/ask", json={"question": q})
        assert r.status_code == 200, r.text
        a = r.json()
        check_answer(a, q, documents)
        if a["kind"] != "none":
            answered += 1
    assert answered >= 3


def test_ask_k_limits_citations(http, documents):
    q = PASSAGE_QUESTIONS[0]
    r = http.post("/api/ask", json={"question": q, "k": 1})
    assert r.status_code == 200, r.text
    a = r.json()
    check_answer(a, q, documents)
    assert len(a["citations"]) <= 1


def test_ask_unanswerable(http, documents):
    r = http.post("/api/ask", json={"question": UNANSWERABLE})
    assert r.status_code == 200, r.text
    a = r.json()
    check_answer(a, UNANSWERABLE, documents)
    assert a["kind"] == "none" and a["citations"] == []
    assert VIETNAMESE.search(a["answer"])


def test_ask_deadline_question(http, documents):
    r = http.post("/api/ask", json={"question": DEADLINE_QUESTION})
    assert r.status_code == 200, r.text
    a = r.json()
    check_answer(a, DEADLINE_QUESTION, documents)
    assert a["kind"] != "none"
    assert get_obligations(http)  # the date comes from the extracted obligations
    assert a["kind"] == "obligations"
    assert "15/01/2024" in a["answer"] or any("15/01/2024" in c["quote"] for c in a["citations"])
