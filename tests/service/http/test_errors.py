"""Bad input (service/http/errors.py): always {"error": {"code", "message"}}, a 4xx, a Vietnamese
message; a bug is a 500 in the same shape, logged and not shown."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.config import Settings
from service.http.app import create_app
from support.api import VIETNAMESE, assert_error, get_obligations


JSON = {"content-type": "application/json"}


BAD = [
    ("empty question", "post", "/api/ask", {"json": {"question": ""}}, 400, "empty_question"),
    ("blank question", "post", "/api/ask", {"json": {"question": "   \n "}}, 400, "empty_question"),
    ("missing question", "post", "/api/ask", {"json": {"role": "bí thư chi bộ"}}, 400, "empty_question"),
    ("null question", "post", "/api/ask", {"json": {"question": None}}, 400, "empty_question"),
    ("question too long", "post", "/api/ask", {"json": {"question": "á" * 2001}}, 400, "question_too_long"),
    ("question wrong type", "post", "/api/ask", {"json": {"question": 42}}, 400, "bad_question"),
    ("question a list", "post", "/api/ask", {"json": {"question": ["a", "b"]}}, 400, "bad_question"),
    ("k zero", "post", "/api/ask", {"json": {"question": "kế hoạch", "k": 0}}, 400, "bad_k"),
    ("k too big", "post", "/api/ask", {"json": {"question": "kế hoạch", "k": 1000}}, 400, "bad_k"),
    ("k string", "post", "/api/ask", {"json": {"question": "kế hoạch", "k": "năm"}}, 400, "bad_k"),
    ("k float", "post", "/api/ask", {"json": {"question": "kế hoạch", "k": 2.5}}, 400, "bad_k"),
    ("k bool", "post", "/api/ask", {"json": {"question": "kế hoạch", "k": True}}, 400, "bad_k"),
    ("role wrong type", "post", "/api/ask", {"json": {"question": "kế hoạch", "role": 7}}, 400, "bad_role"),
    ("malformed JSON", "post", "/api/ask", {"content": b'{"question": "k', "headers": JSON}, 400, "bad_json"),
    ("not UTF-8", "post", "/api/ask", {"content": b'{"question": "\xff\xfe"}', "headers": JSON}, 400, "bad_json"),
    ("JSON array", "post", "/api/ask", {"json": ["kế hoạch"]}, 400, "bad_body"),
    ("JSON string", "post", "/api/ask", {"json": "kế hoạch"}, 400, "bad_body"),
    ("empty body", "post", "/api/ask", {}, 400, "empty_question"),
    ("form body", "post", "/api/ask", {"data": {"question": "kế hoạch"}}, 415, "unsupported_media_type"),
    ("search without q", "get", "/api/search", {}, 400, "empty_question"),
    ("search empty q", "get", "/api/search", {"params": {"q": ""}}, 400, "empty_question"),
    ("search blank q", "get", "/api/search", {"params": {"q": "  "}}, 400, "empty_question"),
    ("search q too long", "get", "/api/search", {"params": {"q": "a" * 2001}}, 400, "question_too_long"),
    ("search k zero", "get", "/api/search", {"params": {"q": "kế hoạch", "k": 0}}, 400, "bad_k"),
    ("search k negative", "get", "/api/search", {"params": {"q": "kế hoạch", "k": -3}}, 400, "bad_k"),
    ("search k too big", "get", "/api/search", {"params": {"q": "kế hoạch", "k": 101}}, 400, "bad_k"),
    ("search k not a number", "get", "/api/search", {"params": {"q": "kế hoạch", "k": "mười"}}, 400, "bad_k"),
    ("search unknown doc", "get", "/api/search", {"params": {"q": "kế hoạch", "doc": "999-XX/TW"}}, 404,
     "unknown_document"),
    ("unknown doc_id", "get", "/api/documents/khong-co-van-ban-nay", {}, 404, "not_found"),
    ("bad due_from", "get", "/api/obligations", {"params": {"due_from": "15/01/2024"}}, 400, "bad_date"),
    ("impossible due_to", "get", "/api/obligations", {"params": {"due_to": "2024-02-30"}}, 400, "bad_date"),
    ("bad due_to text", "get", "/api/obligations", {"params": {"due_to": "ngày mai"}}, 400, "bad_date"),
    ("ics bad date", "get", "/api/obligations.ics", {"params": {"due_from": "2024-13-01"}}, 400, "bad_date"),
    ("unknown route", "get", "/api/khong-co", {}, 404, "not_found"),
    ("unknown root route", "get", "/khong-co", {}, 404, "not_found"),
    ("GET on ask", "get", "/api/ask", {}, 405, "method_not_allowed"),
    ("POST on search", "post", "/api/search", {"json": {"q": "x"}}, 405, "method_not_allowed"),
    ("DELETE without keys configured", "delete", "/api/documents/x", {}, 403, "writes_disabled"),
    ("PUT on a document", "put", "/api/documents/x", {}, 405, "method_not_allowed"),
]


@pytest.mark.parametrize("method,path,kwargs,status,code", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input(http, method, path, kwargs, status, code):
    r = http.request(method.upper(), path, **kwargs)
    assert_error(r, status, code)
    if status == 405:
        assert r.headers.get("allow")


def test_obligations_bad_input_needing_actors(http):
    assert get_obligations(http, doc="222-KH/TU")
    assert_error(http.get("/api/obligations", params={"due_from": "2024-06-01", "due_to": "2024-01-01"}), 400,
                 "bad_dates")
    assert_error(http.get("/api/obligations", params={"doc": "999-XX/TW"}), 404, "unknown_document")
    assert_error(http.get("/api/obligations", params={"role": "phi hành gia vũ trụ"}), 400, "unknown_role")
    assert_error(http.post("/api/ask", json={"question": "Tôi phải làm gì?", "role": "phi hành gia vũ trụ"}), 400,
                 "unknown_role")


def test_internal_error_has_the_error_shape(caplog):
    class Broken:
        def search(self, *a, **k):
            raise RuntimeError("boom")

        def documents(self, *a, **k):
            raise RuntimeError("boom")

    # TestClient's client ("testclient") is not a loopback address: it reads with a key.
    key = "cle-de-lecture-0123456789"
    with TestClient(create_app(Settings(api_keys={key: "read"}), kb=Broken()),  # type: ignore[arg-type]
                    headers={"X-API-Key": key}) as client:
        r = client.get("/api/documents")
    assert r.status_code == 500
    assert r.json()["error"]["code"] == "internal_error"
    assert VIETNAMESE.search(r.json()["error"]["message"])
    assert "boom" in caplog.text  # logged for the maintainers, not shown to the user
    assert "boom" not in r.text
