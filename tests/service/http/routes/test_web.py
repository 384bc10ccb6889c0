"""The web chat's page and files, and the fallback page without them (service/http/routes/web.py).
The chat itself, in a browser: tests/journeys/test_web.py."""
from __future__ import annotations

from fastapi.testclient import TestClient

from conftest import ROOT
from service.http.app import create_app
from support.api import VIETNAMESE, assert_error


def test_web_chat_and_fallback(http, kb, tmp_path):
    r = http.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    web = ROOT / "service" / "web"
    if (web / "index.html").is_file():
        assert r.text == (web / "index.html").read_text("utf-8")
        for f in web.iterdir():
            if f.is_file():
                s = http.get(f"/static/{f.name}")
                assert s.status_code == 200 and s.content == f.read_bytes()
    else:
        assert 'href="/docs"' in r.text
    assert_error(http.get("/static/khong-co.js"), 404, "not_found")
    # Without a web directory: a tiny Vietnamese page that links to the docs.
    with TestClient(create_app(kb=kb, web_dir=tmp_path / "no-web")) as client:
        r = client.get("/")
        assert r.status_code == 200 and 'href="/docs"' in r.text and VIETNAMESE.search(r.text)
        assert_error(client.get("/static/app.js"), 404, "not_found")
