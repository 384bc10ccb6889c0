"""Lessons over HTTP (issue 6): `POST /api/lessons`, `POST /api/lessons.docx` / `.md` on the real
service (uvicorn in a thread, httpx), with API keys to check scopes, and the "Soạn bài giảng" view
in headless Chromium (Playwright), served under the real Content-Security-Policy.

The store holds the shipped corpus, one `access: internal` plan, and one document carrying markup
that must show as text.
"""
from __future__ import annotations

import io
import json
import re

import httpx
import pytest
from docx import Document as DocxDocument

from conftest import ROOT
from service.config import Settings
from service.http.app import create_app
from support.api import VIETNAMESE
from support.kb import ingested
from support.lessons import corpus_with_internal_plan  # the same internal plan as the in-process lesson tests
from support.serving import serve_in_thread as served

SHOTS = ROOT / "eval" / "screenshots"
KEYS = {"reader-key-0123456789": "read", "insider-key-0123456789": "internal"}

INJECTED = """---
number: 998-KH/TU
type: Kế hoạch
title: Kế hoạch thử nghiệm hiển thị bài giảng
issued: 2024-03-01
issuer: Ban Thử nghiệm
---
KẾ HOẠCH THỬ NGHIỆM

1. Thử chèn mã vào bài giảng
Đoạn thử chèn mã <script>window.__pwned=1</script> và <img src=x onerror="window.__pwned=1"> vào bài giảng phải hiện nguyên văn.
"""


# --------------------------------------------------------------------------------------------
# Servers
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    folder = corpus_with_internal_plan(tmp_path_factory.mktemp("lesson-docs"), **{"998-KH-TU-2024-thu.md": INJECTED})
    with ingested(tmp_path_factory.mktemp("lesson-data"), [folder]) as the_kb:
        yield the_kb


@pytest.fixture(scope="module")
def open_url(kb):
    """No keys configured: loopback callers read public documents (the default of `sotay serve`)."""
    with served(create_app(Settings(data_dir=kb.settings.data_dir), kb=kb)) as url:
        yield url


@pytest.fixture(scope="module")
def keyed_url(kb):
    with served(create_app(Settings(data_dir=kb.settings.data_dir, api_keys=KEYS), kb=kb)) as url:
        yield url


@pytest.fixture(scope="module")
def client(open_url):
    with httpx.Client(base_url=open_url, timeout=60) as c:
        yield c


def post(client: httpx.Client, path: str, body, **kw) -> httpx.Response:
    return client.post(path, json=body, **kw)


# --------------------------------------------------------------------------------------------
# HTTP API
# --------------------------------------------------------------------------------------------


def test_lesson_over_http_quotes_verbatim(client):
    r = post(client, "/api/lessons", {"topic": "kế hoạch cá nhân"})
    assert r.status_code == 200, r.text
    lesson = r.json()
    assert lesson["covered"] and lesson["parts"] and lesson["questions"] and lesson["took_ms"] >= 0
    texts: dict[str, str] = {}
    for c in lesson["citations"]:
        if c["doc_id"] not in texts:
            texts[c["doc_id"]] = client.get(f"/api/documents/{c['doc_id']}").json()["text"]
        assert texts[c["doc_id"]][c["start"]:c["end"]] == c["quote"]
    for q in lesson["questions"]:
        assert texts[q["citation"]["doc_id"]][q["start"]:q["end"]] == q["answer"] and q["answer"] in q["citation"]["quote"]
    none = post(client, "/api/lessons", {"topic": "công thức nấu phở"}).json()
    assert none["covered"] is False and "không đề cập" in none["note"] and none["parts"] == []
    spec = client.get("/openapi.json").json()
    assert {"/api/lessons", "/api/lessons.docx", "/api/lessons.md"} <= set(spec["paths"])
    assert "Lesson" in spec["components"]["schemas"]


@pytest.mark.parametrize("body,status,code", [
    ({"topic": ""}, 400, "empty_topic"),
    ({"topic": "   "}, 400, "empty_topic"),
    ({"topic": "x" * 301}, 400, "topic_too_long"),
    ({}, 400, "missing_field"),
    ({"topic": 5}, 400, "bad_request"),
    ({"topic": "nêu gương", "documents": ["999-KH/TU"]}, 404, "unknown_document"),
    ({"topic": "nêu gương", "documents": "222-KH/TU"}, 400, "bad_request"),
    ({"topic": "nêu gương", "points": ["khong-co:1-2"]}, 400, "unknown_point"),
])
def test_bad_lesson_requests_get_vietnamese_errors(client, body, status, code):
    for path in ("/api/lessons", "/api/lessons.docx"):
        r = post(client, path, body)
        assert r.status_code == status, (path, r.text)
        err = r.json()["error"]
        assert err["code"] == code and VIETNAMESE.search(err["message"]), err


def test_docx_download_honours_the_edited_outline(client):
    lesson = post(client, "/api/lessons", {"topic": "nêu gương"}).json()
    points = [p for part in lesson["parts"] for p in part["points"]]
    assert len(points) >= 3
    edited = [p["id"] for p in reversed(points[1:])]  # drop the first, reverse the rest
    r = post(client, "/api/lessons.docx", {"topic": "nêu gương", "points": edited})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert r.headers["content-disposition"] == 'attachment; filename="bai-giang-neu-guong.docx"'
    doc = DocxDocument(io.BytesIO(r.content))
    numbered = [p.text.split("\t", 1)[1] for p in doc.paragraphs if re.match(r"\d+\.\t“", p.text)]
    quotes = {p["id"]: p["citation"]["quote"] for p in points}
    assert numbered == [f"“{quotes[i]}”" for i in edited]
    md = post(client, "/api/lessons.md", {"topic": "nêu gương", "points": edited[:2]})
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert md.headers["content-disposition"] == 'attachment; filename="bai-giang-neu-guong.md"'
    listed = re.findall(r"^\d+\. “(.*)”\[\^\d+\]$", md.text, re.M)
    assert len(listed) == 2


def test_lessons_follow_the_callers_scopes(keyed_url):
    topic = {"topic": "nêu gương trong cơ quan"}
    with httpx.Client(base_url=keyed_url, timeout=60) as c:
        assert c.post("/api/lessons", json=topic).status_code == 401
        reader = c.post("/api/lessons", json=topic, headers={"X-API-Key": "reader-key-0123456789"})
        insider = c.post("/api/lessons", json=topic, headers={"Authorization": "Bearer insider-key-0123456789"})
        assert reader.status_code == insider.status_code == 200
        dump = json.dumps(reader.json(), ensure_ascii=False)
        assert "77-KH/TU" not in dump and "88-QĐ/TW" not in dump and "nội bộ" not in dump
        assert "77-KH/TU" in {d["number"] for d in insider.json()["documents"]}
        assert "88-QĐ/TW" in {m["number"] for m in insider.json()["missing"]}
        # The file export reads with the same scopes.
        docx = c.post("/api/lessons.docx", json=topic, headers={"X-API-Key": "reader-key-0123456789"})
        text = "\n".join(p.text for p in DocxDocument(io.BytesIO(docx.content)).paragraphs)
        assert docx.status_code == 200 and "77-KH/TU" not in text and "nội bộ" not in text
        hidden = c.post("/api/lessons", json={"topic": "nêu gương", "documents": ["77-KH/TU"]},
                        headers={"X-API-Key": "reader-key-0123456789"})
        assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "unknown_document"


# --------------------------------------------------------------------------------------------
# The "Soạn bài giảng" view
# --------------------------------------------------------------------------------------------


@pytest.fixture
def page(browser, open_url):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="vi-VN")
    pg = ctx.new_page()
    pg.set_default_timeout(20_000)
    problems: list[str] = []
    pg.on("pageerror", lambda e: problems.append(str(e)))
    pg.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    pg.goto(open_url + "/#/bai-giang")
    pg.wait_for_selector("#lesson-examples .example")
    yield pg
    ctx.close()
    assert not problems, f"lỗi trên trang: {problems}"


def build(pg, topic: str) -> dict:
    pg.fill("#lesson-topic", topic)
    with pg.expect_response(lambda r: r.url.endswith("/api/lessons")) as resp:
        pg.press("#lesson-topic", "Enter")
    pg.wait_for_selector("#lesson .lesson-head, #lesson .lesson-none")
    return resp.value.json()


def shown_quotes(pg) -> list[str]:
    return pg.eval_on_selector_all("#lesson .lesson-point .quote", "ps => ps.map(p => p.textContent)")


def test_build_edit_and_download_a_lesson(page, open_url):
    lesson = build(page, "kế hoạch cá nhân")
    points = [p["citation"]["quote"] for part in lesson["parts"] for p in part["points"]]
    assert shown_quotes(page) == [f"“{q}”" for q in points]
    assert page.locator("#lesson .lesson-part h5").count() == len(lesson["parts"])
    assert page.locator("#lesson .lesson-question").count() == len(lesson["questions"])
    assert page.locator("#lesson .lesson-question .a strong").first.inner_text() == lesson["questions"][0]["answer"]
    assert "#/bai-giang?chu-de=" in page.url  # the outline has an address
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "lesson-outline.png"))

    # Remove the first point and move the (new) last one up, with the keyboard.
    page.locator("#lesson .lesson-point").first.locator(".remove").click()
    last = page.locator("#lesson .lesson-point").last
    last.locator(".up").focus()
    page.keyboard.press("Enter")
    expected = points[1:]
    expected[-1], expected[-2] = expected[-2], expected[-1]
    assert shown_quotes(page) == [f"“{q}”" for q in expected]
    assert page.evaluate("document.activeElement.classList.contains('up')")  # focus stays on the moved point
    assert page.locator("#lesson-reset").is_visible()

    with page.expect_download() as dl:
        page.click("#lesson-docx")
    assert dl.value.suggested_filename == "bai-giang-ke-hoach-ca-nhan.docx"
    doc = DocxDocument(dl.value.path())
    numbered = [p.text.split("\t", 1)[1] for p in doc.paragraphs if re.match(r"\d+\.\t“", p.text)]
    assert numbered == [f"“{q}”" for q in expected]  # the file follows the edited outline

    page.click("#lesson-reset")
    assert shown_quotes(page) == [f"“{q}”" for q in points]

    # A cited source opens the document at the quote; "Back" returns to the same outline.
    page.locator("#lesson .lesson-point .chip").first.click()
    page.wait_for_selector("mark.hl")
    page.go_back()
    page.wait_for_selector("#lesson .lesson-point")
    assert shown_quotes(page) == [f"“{q}”" for q in points]


def test_uncovered_topic_and_markup_in_quotes(page):
    none = build(page, "công thức nấu phở")
    assert none["covered"] is False
    assert "không đề cập" in page.locator("#lesson .lesson-none").inner_text()
    assert page.locator("#lesson .lesson-point").count() == 0
    # Document text with markup is shown as text, never run.
    lesson = build(page, "thử chèn mã vào bài giảng")
    assert lesson["covered"], lesson
    assert any("<script>window.__pwned=1</script>" in q for q in shown_quotes(page))
    assert page.locator("#lesson script, #lesson img").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
    # An empty topic is refused on the page, without a request.
    page.fill("#lesson-topic", "  ")
    page.press("#lesson-topic", "Enter")
    assert "chủ đề" in page.locator("#lesson .error").inner_text()


def test_lesson_view_fits_a_phone(browser, open_url):
    pg = browser.new_page(viewport={"width": 375, "height": 812})
    pg.goto(open_url + "/#/bai-giang?chu-de=" + "tuy%C3%AAn%20truy%E1%BB%81n")
    pg.wait_for_selector("#lesson .lesson-point")
    assert pg.evaluate("document.documentElement.scrollWidth") <= 375
    pg.close()
