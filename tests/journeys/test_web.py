"""Browser tests of the web chat (issue 5), in headless Chromium driven by Playwright.

They start the real service (uvicorn in a thread, on a free loopback port) over the shipped corpus
plus one injected test document carrying `<script>` and an `onerror` handler, and save screenshots
under eval/screenshots/. Without a browser they are skipped, except under CI=true where they fail.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from service.config import Settings
from service.http.app import create_app
from service.knowledge import KnowledgeBase
from support.serving import serve_in_thread as served

SHOTS = ROOT / "eval" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
ROLE = "bí thư đảng ủy xã"

INJECTED = """---
number: 999-KH/TU
type: Kế hoạch
title: Kế hoạch thử nghiệm hiển thị an toàn
issued: 2024-03-01
issuer: Ban Thử nghiệm
---
KẾ HOẠCH THỬ NGHIỆM

1. Thử chèn mã
Đoạn này chứa <script>window.__pwned=1</script> và <img src=x onerror="window.__pwned=1"> để thử hiển thị an toàn.
"""


@pytest.fixture(scope="module")
def server(browser, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("web")
    extra = tmp / "inject" / "999-KH-TU-2024-thu-nghiem.md"
    extra.parent.mkdir()
    extra.write_text(INJECTED, encoding="utf-8")
    kb = KnowledgeBase(Settings(data_dir=tmp / "data"))
    report = kb.ingest_paths([ROOT / "corpus", extra.parent])
    assert not report.errors, report.to_json()
    injected_id = next(i.doc_id for i in report.items if i.number == "999-KH/TU")

    with served(create_app(kb=kb)) as url:
        yield {"url": url, "injected": injected_id, "kb": kb}
    kb.close()


@pytest.fixture
def page(browser, server):
    ctx = browser.new_context(viewport=DESKTOP, accept_downloads=True, locale="vi-VN")
    pg = ctx.new_page()
    pg.set_default_timeout(15_000)
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(server["url"] + "/")
    pg.wait_for_selector(".example")
    yield pg
    ctx.close()
    assert not errors, f"lỗi JavaScript trên trang: {errors}"


def shot(pg, name: str, **kw) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / name), **kw)


def ask(pg, question: str) -> dict:
    """Type a question, send it with Enter, wait for its answer; return the API's JSON."""
    turns = pg.locator(".turn").count()
    pg.fill("#question", question)
    with pg.expect_response(lambda r: r.url.endswith("/api/ask")) as resp:
        pg.press("#question", "Enter")
    pg.wait_for_function("n => document.querySelectorAll('.turn .bubble.bot:not(.pending)').length > n", arg=turns)
    return resp.value.json()


def last_answer(pg):
    return pg.locator(".turn").last.locator(".bubble.bot")


def test_chat_answers_with_citations_with_and_without_diacritics(page, browser, server):
    assert page.locator(".example").count() >= 3  # example questions on the empty screen
    shot(page, "chat.png")
    for i, q in enumerate(("Hạn chót nộp kế hoạch cá nhân là khi nào?", "han chot nop ke hoach ca nhan")):
        ans = ask(page, q)
        assert ans.get("kind") in ("passages", "obligations") and ans["citations"], ans
        assert last_answer(page).locator(".chip").count() >= 1  # numbered citation chips
        if i == 0:
            shot(page, "answer.png")
    assert page.locator(".turn").count() == 2  # the conversation stays on the page
    assert page.locator("#empty").is_hidden()
    assert page.evaluate("document.activeElement.id") == "question"  # focus back in the box

    # Phone width, keyboard only: an example question sends with Enter.
    phone = browser.new_page(viewport=PHONE)
    phone.goto(server["url"] + "/")
    phone.locator(".example").first.focus()
    phone.keyboard.press("Enter")
    phone.wait_for_selector(".turn .bubble.bot .answer")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scroll
    phone.evaluate("window.scrollTo(0, 0)")
    phone.screenshot(path=str(SHOTS / "chat-mobile.png"))
    phone.close()


def test_citation_opens_document_with_highlighted_quote(page):
    ans = ask(page, "Hạn hoàn thành xây dựng kế hoạch tập thể là khi nào?")
    assert ans.get("citations"), ans
    first = ans["citations"][0]
    last_answer(page).locator(".chip").first.click()
    page.wait_for_selector("mark.hl")
    marked = page.eval_on_selector_all("mark.hl", "ms => ms.map(m => m.textContent).join('')")
    assert marked == first["quote"]
    assert page.locator(".meta").inner_text().find(first["doc_number"]) >= 0  # metadata shown
    assert page.locator(".outline a").count() >= 1  # section outline
    if first.get("section") and not first["section"].startswith("footnote"):
        assert page.locator(".outline a[aria-current]").count() == 1  # the cited section is marked
    shot(page, "document.png")
    page.go_back()  # back to the chat: the conversation is still there
    page.wait_for_selector("#view-chat:not([hidden])")
    assert page.locator(".turn").count() == 1


def test_deadlines_for_role_in_date_order_and_ics(page, server):
    page.fill("#role", ROLE)
    page.press("#role", "Tab")  # commits the role (change event)
    page.click("a[data-view=deadlines]")
    page.click("#refdate-2024")  # the shipped plan is for 2024
    page.wait_for_selector(".tl-item time")
    due = page.eval_on_selector_all("#timeline time.tl-date", "ts => ts.map(t => t.getAttribute('datetime'))")
    assert due and due == sorted(due), due
    assert page.locator(".tl-group.overdue").count() == 1 and page.locator(".tl-group.soon").count() == 1
    assert page.locator(".tl-item .chip").count() >= len(due)  # each links to its source
    shot(page, "deadlines.png", full_page=True)

    with page.expect_download() as dl:
        page.click("#ics")
    ics = Path(dl.value.path()).read_text(encoding="utf-8")
    lines = [ln for ln in ics.replace("\r\n ", "").splitlines() if ln]
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR", ics[:200]
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") >= 1

    page.reload()  # the last role is remembered
    assert page.input_value("#role") == ROLE


def test_unanswerable_question_says_so(page):
    ans = ask(page, "Mức lương cơ sở năm 2024 là bao nhiêu?")
    assert ans.get("kind") == "none", ans
    reply = last_answer(page)
    assert "không đề cập" in reply.locator(".none-text").inner_text()
    assert reply.locator(".chip").count() == 0  # nothing is cited as an answer
    if ans.get("related"):
        assert reply.locator(".related").is_visible()


def test_injected_script_is_shown_as_text(page, server):
    page.goto(server["url"] + "/#/van-ban/" + server["injected"])
    page.wait_for_selector(".doc-text")
    text = page.locator(".doc-text").inner_text()
    assert "<script>window.__pwned=1</script>" in text
    assert '<img src=x onerror="window.__pwned=1">' in text
    assert page.locator("#doc script, #doc img").count() == 0
    assert page.get_by_text("<script>window.__pwned=1</script>", exact=False).first.is_visible()
    # The chat renders quotes the same way: ask about the injected text.
    page.click("a[data-view=chat]")
    ask(page, "thử chèn mã hiển thị an toàn")
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_with_api_keys_the_page_asks_for_a_key_and_then_answers(browser, server):
    """A service with keys configured: the page asks for one on the first 401, keeps it for the tab,
    says so when it is wrong, and sends it with every request (the calendar download included)."""
    kb = server["kb"]
    app = create_app(Settings(data_dir=kb.settings.data_dir, api_keys={"khoa-doc-thu": "read"}), kb=kb)
    with served(app) as url:
        _key_flow(browser, url)


def _key_flow(browser, url: str) -> None:
    ctx = browser.new_context(viewport=DESKTOP, accept_downloads=True, locale="vi-VN")
    try:
        pg = ctx.new_page()
        pg.set_default_timeout(15_000)
        pg.goto(url + "/")
        pg.wait_for_selector("#key-form:not([hidden])")
        pg.fill("#api-key", "sai-khoa")
        pg.click("#key-form button")
        pg.wait_for_selector("#key-form:not([hidden])")
        assert "không đúng" in pg.text_content("#key-msg")
        pg.fill("#api-key", "khoa-doc-thu")
        pg.click("#key-form button")
        pg.wait_for_selector(".example")
        assert pg.is_hidden("#key-form")
        data = ask(pg, "Hạn chót nộp kế hoạch cá nhân là khi nào?")
        assert data["kind"] == "obligations" and data["citations"]
        pg.goto(url + "/#/thoi-han")
        with pg.expect_download() as dl:
            pg.click("#ics")
        assert "BEGIN:VCALENDAR" in Path(dl.value.path()).read_text(encoding="utf-8")
    finally:
        ctx.close()


# The web chat under its Content-Security-Policy (service/http/security.py), on the shared corpus store.
def test_web_chat_runs_under_the_csp(kb, browser):
    app = create_app(kb=kb)  # no keys: the page works on loopback
    with served(app) as url:
        page = browser.new_page()
        page.set_default_timeout(20_000)
        violations: list[str] = []
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        page.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation', "
                             "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
        r = page.goto(url + "/")
        assert "default-src 'self'" in r.headers["content-security-policy"]
        page.wait_for_selector(".example")
        page.fill("#question", "Hạn hoàn thành xây dựng kế hoạch tập thể là khi nào?")
        page.press("#question", "Enter")
        page.wait_for_selector(".turn .bubble.bot .chip")
        page.locator(".turn .bubble.bot .chip").first.click()
        page.wait_for_selector("mark.hl")
        page.click("a[data-view=deadlines]")
        page.click("#refdate-2024")
        page.wait_for_selector(".tl-item")
        page.click("a[data-view=documents]")
        page.wait_for_selector("#doc-list li")
        if page.locator("a[data-view=lesson]").count():  # the lesson builder, when the page has it
            page.click("a[data-view=lesson]")
            page.fill("#lesson-topic", "nêu gương")
            with page.expect_response(lambda r: r.url.endswith("/api/lessons")):
                page.press("#lesson-topic", "Enter")
            page.wait_for_timeout(300)
        assert page.evaluate("window.__csp") == [] and not violations, (page.evaluate("window.__csp"), violations)
        # The policy is live: an inline script injected now is blocked and reported.
        page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
                      " document.body.append(s); }")
        page.wait_for_function("window.__csp.length > 0")
        assert page.evaluate("typeof window.__ran") == "undefined"
        page.close()
