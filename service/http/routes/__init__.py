"""The API's routes, one module per group. Each module's ``install(app)`` registers its handlers on the
app itself (FastAPI's ``include_router`` would nest a lazily resolved router in front of them: one more
matching step per request, and routes the metrics middleware could no longer name); ``GROUPS`` is the
order they are wired in, which is also their order in the OpenAPI document. The web chat's pages come
last (``web.install``: they need the web directory)."""
from __future__ import annotations

from fastapi import FastAPI

from . import admin, ask, docs, documents, feedback, health, lessons, obligations, roles, search

# docs: the offline /docs and /redoc pages (no schema entries; its asset mount comes before /static's)
GROUPS = (ask, search, obligations, documents, admin, lessons, roles, feedback, health, docs)


def install(app: FastAPI) -> None:
    for group in GROUPS:
        group.install(app)
