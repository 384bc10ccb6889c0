"""`/docs`, `/redoc` and `/favicon.ico` from the service itself: pages that name no other origin and
run no inline script, their Swagger UI / ReDoc assets served locally (the browser check with the
network blocked is in tests/journeys/test_chat_conversation.py)."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from service.config import Settings
from service.http.app import create_app


@pytest.fixture(scope="module")
def http(kb):
    with TestClient(create_app(Settings(data_dir=kb.settings.data_dir), kb=kb)) as c:
        yield c


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_pages_are_self_contained(http, path):
    r = http.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert not re.search(r"https?://", html), "no other origin"
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "no inline script"
    csp = r.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "http" not in csp and "unsafe-eval" not in csp
    for src in re.findall(r'(?:src|href)="([^"]+)"', html):
        asset = http.get(src)
        assert asset.status_code == 200 and len(asset.content) > 100, src


def test_favicon(http):
    r = http.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"] == "image/x-icon"
    assert r.content[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert '<link rel="icon" href="/favicon.ico">' in http.get("/").text
