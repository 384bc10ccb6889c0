"""Kept responses (service/http/cache.py) over real HTTP: a kept answer is the computed one (bytes equal
but for took_ms), and it never outlives the document it cites — an upload, a replacement and a
deletion through the API are seen by the very next ask, search and obligations request; callers of
different scopes never share one; the byte budget holds."""
from __future__ import annotations

import re

import httpx
import pytest

from conftest import ROOT
from service.config import Settings
from service.http.app import create_app
from service.http.cache import ENTRY_OVERHEAD, ResponseCache, _Kept
from support.kb import ingested
from support.keyed import ADMIN, INTERNAL, KEYS, READ, client
from support.serving import serve_in_thread as served

MARK = "Quvandrel"  # a word no shipped document uses


def plan(deadline: str) -> str:
    return f"""---
number: 41-KH/TU
type: Kế hoạch
issued: 2024-03-01
issuer: Ban Thường vụ Tỉnh ủy
---
KẾ HOẠCH
Học tập chuyên đề {MARK} năm 2024

1. Các chi bộ phải tổ chức học tập chuyên đề {MARK} trước ngày {deadline}.
2. Đảng viên viết bản thu hoạch về chuyên đề {MARK}.
"""


QUESTION = {"question": f"Các chi bộ phải tổ chức học tập chuyên đề {MARK} trước ngày nào?"}
TOOK = re.compile(rb'"took_ms":[0-9.e+-]+')


def lookups(admin: httpx.Client) -> dict[str, float]:
    text = admin.get("/metrics").text
    return {m.group(1): float(m.group(2))
            for m in re.finditer(r'^sotay_response_cache_lookups_total\{result="(\w+)"\} (\S+)$', text, re.M)}


@pytest.fixture()
def service(tmp_path):
    """A fresh keyed service over one shipped document, its responses kept."""
    with ingested(tmp_path / "data", [ROOT / "corpus" / "55-QD-TW-2016-viec-can-lam-ngay.md"]) as kb:
        settings = Settings(data_dir=kb.settings.data_dir, api_keys=KEYS, response_cache_mb=8)
        with served(create_app(settings, kb=kb)) as url:
            yield url


def upload(admin: httpx.Client, text: str, **form) -> str:
    r = admin.post("/api/documents", files={"file": ("ke-hoach-41.md", text.encode(), "text/markdown")},
                   data={k: str(v).lower() if isinstance(v, bool) else v for k, v in form.items()})
    assert r.status_code == 200, r.text
    item = r.json()["items"][0]
    assert item["status"] in ("added", "updated"), item
    return item["doc_id"]


def cited(answer: dict) -> set[str]:
    return {c["doc_id"] for c in answer["citations"]}


def test_kept_answer_is_the_computed_one_and_never_outlives_its_document(service):
    with client(service, ADMIN) as admin, client(service, READ) as reader:
        doc_id = upload(admin, plan("31/05/2024"))
        before = lookups(admin)
        first = reader.post("/api/ask", json=QUESTION)
        second = reader.post("/api/ask", json=QUESTION)
        after = lookups(admin)
        assert first.status_code == second.status_code == 200
        assert after["hit"] == before["hit"] + 1 and after["miss"] == before["miss"] + 1  # the second was kept
        assert TOOK.sub(b"", first.content) == TOOK.sub(b"", second.content)  # byte for byte, but its own time
        assert second.headers["content-type"] == first.headers["content-type"] == "application/json"
        assert doc_id in cited(first.json()) and "31/05/2024" in first.json()["answer"]
        search = reader.get("/api/search", params={"q": MARK})
        assert [h["doc_id"] for h in search.json()["hits"]][:1] == [doc_id]
        duties = reader.get("/api/obligations", params={"doc": "41-KH/TU"})
        assert any("31/05/2024" in (o["deadline"] or {}).get("text", "") for o in duties.json()["obligations"])

        # Replaced: the next answer quotes the new text, not the kept one.
        assert upload(admin, plan("30/06/2024"), replace=True) == doc_id
        replaced = reader.post("/api/ask", json=QUESTION).json()
        assert "30/06/2024" in replaced["answer"] and "31/05/2024" not in replaced["answer"]
        duties = reader.get("/api/obligations", params={"doc": "41-KH/TU"}).json()["obligations"]
        assert duties and all("31/05/2024" not in (o["deadline"] or {}).get("text", "") for o in duties)

        # Deleted: nothing cites it any more, whatever was kept.
        assert admin.delete(f"/api/documents/{doc_id}").status_code == 204
        gone = reader.post("/api/ask", json=QUESTION).json()
        assert doc_id not in cited(gone) and MARK not in gone["answer"]
        assert all(h["doc_id"] != doc_id for h in reader.get("/api/search", params={"q": MARK}).json()["hits"])
        assert reader.get("/api/obligations", params={"doc": "41-KH/TU"}).status_code == 404


def test_callers_of_different_scopes_never_share_a_kept_answer(service):
    with client(service, ADMIN) as admin, client(service, READ) as reader, client(service, INTERNAL) as insider:
        doc_id = upload(admin, plan("31/05/2024"), access="internal")
        seen = insider.post("/api/ask", json=QUESTION).json()  # kept for the internal scope first
        assert doc_id in cited(seen)
        hidden = reader.post("/api/ask", json=QUESTION).json()
        assert doc_id not in cited(hidden) and MARK not in hidden["answer"]
        assert reader.get("/api/search", params={"q": MARK}).json()["hits"] == []
        # and the other way round: the reader's answer, kept, is not the insider's
        assert doc_id in cited(insider.post("/api/ask", json=QUESTION).json())


def test_nothing_is_kept_when_the_cache_is_off(tmp_path):
    with ingested(tmp_path / "data", [ROOT / "corpus" / "55-QD-TW-2016-viec-can-lam-ngay.md"]) as kb:
        settings = Settings(data_dir=kb.settings.data_dir, api_keys=KEYS, response_cache_mb=0)
        with served(create_app(settings, kb=kb)) as url, client(url, READ) as reader, client(url, ADMIN) as admin:
            a = reader.post("/api/ask", json={"question": "Những việc cần làm ngay là gì?"})
            b = reader.post("/api/ask", json={"question": "Những việc cần làm ngay là gì?"})
            assert a.status_code == b.status_code == 200
            assert TOOK.sub(b"", a.content) == TOOK.sub(b"", b.content)
            assert "sotay_response_cache_lookups" not in admin.get("/metrics").text


def test_the_byte_budget_drops_the_least_recently_used():
    body = b"x" * 1000
    cache = ResponseCache(3 * (len(body) + ENTRY_OVERHEAD))
    for key in "abc":
        cache.put((key,), _Kept(body, b"", False))
    assert cache.get(("a",)) is not None  # a is now the most recently used
    cache.put(("d",), _Kept(body, b"", False))
    assert cache.get(("b",)) is None and cache.get(("a",)) is not None and cache.get(("d",)) is not None
    assert cache.stats()["bytes"] <= cache.max_bytes
    cache.put(("huge",), _Kept(b"x" * cache.max_bytes, b"", False))  # larger than the budget: not kept
    assert cache.get(("huge",)) is None and cache.get(("a",)) is not None
