"""The web chat: ``/`` (its page, or a plain fallback when it is not installed) and ``/static``."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

WEB_DIR = Path(__file__).resolve().parents[2] / "web"  # service/web/

_FALLBACK_HOME = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Sổ tay</title></head>
<body><h1>Sổ tay</h1>
<p>Hỏi đáp có trích dẫn trên văn bản của Đảng. Giao diện hỏi đáp chưa được cài đặt.</p>
<p>Xem <a href="/docs">tài liệu API</a> (<a href="/openapi.json">OpenAPI</a>).</p>
</body></html>
"""


def install(app: FastAPI, web: Path) -> None:
    index = web / "index.html"
    if web.is_dir():
        app.mount("/static", StaticFiles(directory=str(web)), name="static")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> Response:
        if index.is_file():
            return FileResponse(index, media_type="text/html; charset=utf-8")
        return HTMLResponse(_FALLBACK_HOME)
