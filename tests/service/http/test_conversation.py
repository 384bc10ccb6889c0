"""`POST /api/ask` with a conversation (`history`) and a date (`as_of`), through the real FastAPI app
on the real embedded store with the shipped corpus: a follow-up read from the previous turn, deadlines
past or coming against the date, the role used only for duty questions, and Vietnamese 400s for bad
turns and dates."""
from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from service.config import Settings
from service.http.app import create_app

ADMIN = "quantri-0123456789abcdef"
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)
COLLECTIVE = "Hạn hoàn thành xây dựng kế hoạch tập thể là khi nào?"


@pytest.fixture(scope="module")
def http(kb):
    app = create_app(Settings(data_dir=kb.settings.data_dir, api_keys={ADMIN: "admin"}), kb=kb)
    with TestClient(app, headers={"X-API-Key": ADMIN}) as c:
        yield c


def ask(http, **body) -> dict:
    r = http.post("/api/ask", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def test_a_follow_up_is_read_from_the_previous_turn(http):
    first = ask(http, question=COLLECTIVE, as_of="2024-01-05")
    plain = ask(http, question="còn kế hoạch cá nhân thì sao?", as_of="2024-01-05")
    follow = ask(http, question="còn kế hoạch cá nhân thì sao?", as_of="2024-01-05",
                 history=[{"question": COLLECTIVE, "answer": first}])
    # Alone it is not understood; after the first turn it is that question about the personal plan.
    assert plain["kind"] == "none" or not plain.get("understood_as")
    assert follow["understood_as"] and "kế hoạch cá nhân" in follow["understood_as"]
    assert follow["understood_as"] in follow["answer"].split("\n")[0]  # the answer says how it read it
    assert follow["kind"] == "obligations" and follow["obligations"]
    assert any("cá nhân" in (c["section_title"] or "") or "cá nhân" in c["quote"] for c in follow["citations"])
    assert follow["answer"] != first["answer"]


def test_deadlines_are_passed_or_coming_against_as_of(http):
    before = ask(http, question=COLLECTIVE, as_of="2024-01-05")
    after = ask(http, question=COLLECTIVE, as_of="2025-03-01")
    assert before["as_of"] == "2024-01-05" and after["as_of"] == "2025-03-01"
    assert "đã qua" not in before["reply"]
    assert "đã qua" in after["reply"]
    # The plan is for 2024: read in 2025, the first line says so, with the date it is read against.
    first_line = after["answer"].split("\n")[0]
    assert "222-KH/TU" in first_line and "2024" in first_line and "01/03/2025" in first_line
    assert first_line == after["reply"]
    # Without as_of: today on the server's clock.
    assert ask(http, question=COLLECTIVE)["as_of"] == date.today().isoformat()


def test_the_role_filters_duty_questions_only(http):
    duties = ask(http, question="Tôi phải làm gì?", role="bí thư chi bộ", as_of="2024-01-01")
    assert duties["kind"] == "obligations" and duties["role_applied"] == "bí thư chi bộ"
    content = ask(http, question="Những đảng viên nào không phải xây dựng kế hoạch cá nhân?", role="bí thư chi bộ",
                  as_of="2024-01-01")
    bare = ask(http, question="Những đảng viên nào không phải xây dựng kế hoạch cá nhân?", as_of="2024-01-01")
    assert content["role_applied"] is None
    assert content["answer"] == bare["answer"]  # answered as if no role were set
    salary = ask(http, question="Mức lương cơ sở năm 2024 là bao nhiêu?", role="bí thư chi bộ")
    assert salary["kind"] == "none" and salary["role_applied"] is None and not salary["obligations"]


@pytest.mark.parametrize("body,code", [
    ({"question": "x", "as_of": "2024-13-01"}, "bad_date"),
    ({"question": "x", "as_of": "15/01/2024"}, "bad_date"),
    ({"question": "x", "as_of": 20240115}, "bad_date"),
    ({"question": "x", "history": [{"question": "a"}]}, "bad_history"),
    ({"question": "x", "history": [{"question": "a", "answer": {"kind": "obligations"}}]}, "bad_history"),
    ({"question": "x", "history": "câu trước"}, "bad_history"),
])
def test_bad_turns_and_dates_get_vietnamese_400s(http, body, code):
    r = http.post("/api/ask", json=body)
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert err["code"] == code and VIETNAMESE.search(err["message"]), err


def test_at_most_ten_turns_and_a_bounded_body(http):
    first = ask(http, question=COLLECTIVE)
    turn = {"question": COLLECTIVE, "answer": first}
    assert http.post("/api/ask", json={"question": "còn kế hoạch cá nhân thì sao?", "history": [turn] * 10}).status_code == 200
    r = http.post("/api/ask", json={"question": "x", "history": [turn] * 11})
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_history" and "10" in r.json()["error"]["message"]
    huge = {**first, "answer": "x" * (1024 * 1024)}
    r = http.post("/api/ask", json={"question": "x", "history": [{"question": "a", "answer": huge}]})
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"


def test_the_openapi_document_describes_the_additions(http):
    spec = http.get("/openapi.json").json()
    ask_body = spec["components"]["schemas"]["AskRequest"]["properties"]
    assert {"question", "role", "k", "history", "as_of"} <= set(ask_body)
    answer = spec["components"]["schemas"]["Answer"]["properties"]
    assert {"reply", "understood_as", "role_applied", "as_of"} <= set(answer)
    assert "/api/feedback" in spec["paths"] and "/api/admin/feedback" in spec["paths"]
