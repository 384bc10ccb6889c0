"""`POST /api/feedback` and `GET /api/admin/feedback` on the real FastAPI app: a rating is stored as one
JSON line beside the data directory (mode 0600), only an admin key exports them, bad ratings get
Vietnamese 400s, and the route is rate limited and size limited like the other question routes."""
from __future__ import annotations

import json
import stat
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from service.config import Settings
from service.feedback import feedback_path
from service.http.app import create_app

READ, ADMIN = "doc-0123456789abcdef", "quantri-0123456789abcdef"
QUESTION = "Hạn chót nộp kế hoạch cá nhân là khi nào?"


@pytest.fixture
def app_and_file(kb, tmp_path):
    target = tmp_path / "fb" / "feedback.jsonl"
    settings = Settings(data_dir=kb.settings.data_dir, api_keys={READ: "read", ADMIN: "admin"}, feedback_file=target,
                        rate_limit="5/minute")
    return create_app(settings, kb=kb), target


def test_ratings_are_stored_beside_the_data_and_exported_to_admins(app_and_file):
    app, target = app_and_file
    with TestClient(app, headers={"X-API-Key": READ}) as c:
        answer = c.post("/api/ask", json={"question": QUESTION}).json()
        r = c.post("/api/feedback", json={"question": QUESTION, "answer": answer, "rating": -1,
                                          "comment": "  Hạn ghi sai quý  "})
        assert r.status_code == 204 and r.content == b""
        assert c.post("/api/feedback", json={"question": QUESTION, "answer": answer, "rating": 1}).status_code == 204
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        lines = [json.loads(x) for x in target.read_text("utf-8").splitlines()]
        assert [x["rating"] for x in lines] == [-1, 1]
        assert lines[0]["comment"] == "Hạn ghi sai quý" and lines[1]["comment"] is None
        assert lines[0]["question"] == QUESTION and lines[0]["answer"]["answer"] == answer["answer"]
        assert lines[0]["key"].startswith("sha256:") and READ not in target.read_text("utf-8")
        # A reader may not export; an admin gets the lines as stored.
        assert c.get("/api/admin/feedback").status_code == 403
        r = c.get("/api/admin/feedback", headers={"X-API-Key": ADMIN})
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
        assert r.content == target.read_bytes()


def test_default_file_is_beside_the_data_directory(tmp_path):
    assert feedback_path(tmp_path / "data") == tmp_path / "data-feedback.jsonl"
    assert feedback_path(tmp_path / "data", tmp_path / "x.jsonl") == tmp_path / "x.jsonl"


def test_an_empty_export_and_concurrent_ratings(app_and_file):
    app, target = app_and_file
    with TestClient(app, headers={"X-API-Key": ADMIN}) as c:
        assert c.get("/api/admin/feedback").content == b""
        answer = {"question": QUESTION, "kind": "none", "answer": "Không.", "citations": [], "obligations": [],
                  "took_ms": 1.0}
    from service.feedback import append_feedback, feedback_record

    records = [feedback_record(f"câu {i} " + "x" * 5000, answer, 1, None) for i in range(40)]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda rec: append_feedback(target, rec), records))
    lines = target.read_text("utf-8").splitlines()
    assert sorted(json.loads(x)["question"] for x in lines) == sorted(r["question"] for r in records)


@pytest.mark.parametrize("change,code", [
    ({"rating": 0}, "bad_rating"), ({"rating": "1"}, "bad_rating"), ({"rating": None}, "bad_rating"),
    ({"comment": "x" * 2001}, "comment_too_long"), ({"question": ""}, "empty_question"),
    ({"answer": {"kind": "passages"}}, "bad_answer"),
])
def test_bad_feedback_gets_vietnamese_400s_and_stores_nothing(app_and_file, change, code):
    app, target = app_and_file
    body = {"question": QUESTION, "rating": 1, "answer": {"question": QUESTION, "kind": "none", "answer": "Không.",
                                                          "citations": [], "obligations": [], "took_ms": 1.0}}
    with TestClient(app, headers={"X-API-Key": READ}) as c:
        r = c.post("/api/feedback", json={**body, **change})
        assert r.status_code == 400 and r.json()["error"]["code"] == code, r.text
    assert not target.exists()


def test_feedback_is_rate_and_size_limited(app_and_file):
    app, target = app_and_file
    body = {"question": QUESTION, "rating": 1, "answer": {"question": QUESTION, "kind": "none", "answer": "Không.",
                                                          "citations": [], "obligations": [], "took_ms": 1.0}}
    with TestClient(app, headers={"X-API-Key": READ}) as c:
        big = {**body, "answer": {**body["answer"], "answer": "x" * (1024 * 1024)}}
        r = c.post("/api/feedback", json=big)
        assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
        codes = [c.post("/api/feedback", json=body).status_code for _ in range(6)]
        assert codes[:4] == [204] * 4 and codes[-1] == 429  # 5 a minute (the 413 counted too)
    assert len(target.read_text("utf-8").splitlines()) == 4
