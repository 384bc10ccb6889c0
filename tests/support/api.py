"""Checks of the HTTP API's objects (CONTRACT "Objects"): the error shape, citations that are verbatim
document text, answers, obligations; and the questions the API tests ask."""
from __future__ import annotations

import re
from datetime import date

import httpx


# Letters only Vietnamese uses: a message carrying one is (at least partly) Vietnamese.
VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)


PASSAGE_QUESTIONS = [
    "Chuyên đề năm 2024 của Tỉnh ủy Lai Châu có nội dung gì?",
    "Kết luận 14-KL/TW của Bộ Chính trị bàn về vấn đề gì?",
    "Chuẩn mực đạo đức cách mạng đầu tiên theo Quy định 144 là gì?",
    "Mặt trận Tổ quốc giám sát việc tu dưỡng, rèn luyện đạo đức của người đứng đầu theo quy định nào?",
    "Việc tổ chức cưới hỏi, ma chay của cán bộ, đảng viên phải thực hiện như thế nào?",
    "Các quy định về trách nhiệm nêu gương được viện dẫn là những văn bản nào?",
]


DEADLINE_QUESTION = "Hạn hoàn thành xây dựng kế hoạch tập thể thực hiện Kết luận 01 năm 2024 là khi nào?"


# Far from every stored document. (The dev set's "Mức lương cơ sở năm 2024 là bao nhiêu?" is the
# answering quality bar, measured by eval/, not an API property.)
UNANSWERABLE = "Công thức nấu phở bò Hà Nội gồm những gì?"


def assert_error(r: httpx.Response, status: int | None = None, code: str | None = None) -> dict:
    """The API's error shape with a Vietnamese message: ``status`` exactly, else any 4xx."""
    if status is None:
        assert 400 <= r.status_code < 500, (r.status_code, r.text)
    else:
        assert r.status_code == status, (r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith("application/json"), r.headers
    body = r.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message"}, body
    assert isinstance(body["error"]["code"], str) and body["error"]["code"]
    assert VIETNAMESE.search(body["error"]["message"]), body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]


def get_obligations(http, **params) -> list[dict]:
    """GET /api/obligations: a 200, and its list (not empty without filters)."""
    r = http.get("/api/obligations", params=params)
    assert r.status_code == 200, r.text
    obs = r.json()["obligations"]
    assert params or obs, "the shipped corpus has obligations"
    return obs


def check_citation(c: dict, documents: dict[str, dict]) -> None:
    assert set(c) >= {"n", "doc_id", "doc_number", "doc_title", "issued", "section", "section_title",
                      "quote", "start", "end"}, c
    doc = documents[c["doc_id"]]
    assert c["quote"] == doc["text"][c["start"]:c["end"]], c
    assert c["doc_number"] == doc["number"]
    assert c["issued"] is None or date.fromisoformat(c["issued"])


def check_answer(a: dict, question: str, documents: dict[str, dict]) -> None:
    assert set(a) >= {"question", "kind", "answer", "citations", "obligations", "took_ms"}, a
    assert a["question"] == question.strip()
    assert a["kind"] in ("obligations", "passages", "none")
    assert isinstance(a["took_ms"], (int, float)) and a["took_ms"] >= 0
    assert [c["n"] for c in a["citations"]] == list(range(1, len(a["citations"]) + 1))
    for c in a["citations"]:
        check_citation(c, documents)
    markers = {int(m) for m in re.findall(r"\[(\d+)\]", a["answer"])}
    assert markers <= {c["n"] for c in a["citations"]}, (markers, a["answer"])
    if a["kind"] == "none":
        assert a["citations"] == []
    else:
        assert a["citations"] and markers == {c["n"] for c in a["citations"]}, a["answer"]
    for o in a["obligations"]:
        check_obligation(o, documents)


def check_obligation(o: dict, documents: dict[str, dict]) -> None:
    assert set(o) >= {"id", "actors", "action", "deadline", "recurrence", "citation"}, o
    assert isinstance(o["actors"], list) and all(isinstance(a, str) for a in o["actors"])
    check_citation(o["citation"], documents)
    d = o["deadline"]
    if d is not None:
        assert set(d) >= {"text", "start", "end", "relative"}
        for f in ("start", "end"):
            assert d[f] is None or date.fromisoformat(d[f])
        if d["start"] and d["end"]:
            assert d["start"] <= d["end"]


def decoded_text(ev, name: str) -> str:
    value = ev.decoded(name)
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def strip_timing(obj):
    if isinstance(obj, dict):
        return {k: strip_timing(v) for k, v in obj.items() if k != "took_ms"}
    if isinstance(obj, list):
        return [strip_timing(v) for v in obj]
    return obj
