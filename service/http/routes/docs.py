"""The API documentation pages, working offline: ``/docs`` (Swagger UI), ``/redoc`` (ReDoc) and
``/favicon.ico``, all from this service.

The Swagger UI and ReDoc bundles come from the `fastapi-offline` package (a maintained wheel that
ships them; pinned in pyproject.toml), served under ``/static/api-docs/``; nothing is fetched from a
CDN, so staff on a closed network can read the API. FastAPI's own pages start Swagger UI with an
inline script; these load ``/static/swagger-init.js`` instead (ReDoc starts itself from its
``<redoc spec-url>`` element), so the pages keep a policy without inline scripts (security.DOCS_CSP).
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_URL = "/static/api-docs"  # under /static/: open to everyone, like the web chat's own files
FAVICON = Path(__file__).resolve().parents[2] / "web" / "favicon.ico"


def _assets_dir() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).resolve().parent / "static"


def _page(title: str, head: str, body: str) -> HTMLResponse:
    return HTMLResponse(f"""<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="icon" href="/favicon.ico">
{head}
</head>
<body>
{body}
</body>
</html>
""")


def install(app: FastAPI) -> None:
    """Mount the bundled assets and the pages. The app is created with docs_url=None, redoc_url=None."""
    app.mount(ASSETS_URL, StaticFiles(directory=str(_assets_dir())), name="api-docs")
    openapi = app.openapi_url or "/openapi.json"
    title = app.title

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _page(f"{title} — tài liệu API (Swagger UI)",
                     f'<link rel="stylesheet" href="{root}{ASSETS_URL}/swagger-ui.css">',
                     f'<div id="swagger-ui" data-openapi="{escape(root + openapi)}"></div>\n'
                     f'<script src="{root}{ASSETS_URL}/swagger-ui-bundle.js"></script>\n'
                     f'<script src="{root}/static/swagger-init.js"></script>')

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _page(f"{title} — tài liệu API (ReDoc)", "",
                     f'<redoc spec-url="{escape(root + openapi)}"></redoc>\n'
                     f'<script src="{root}{ASSETS_URL}/redoc.standalone.js"></script>')

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(FAVICON, media_type="image/x-icon", headers={"Cache-Control": "public, max-age=86400"})
