"""``GET /healthz``: liveness for anyone; the store's figures for callers who may read."""
from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request

from ..deps import kb, scopes
from ..schemas import ERRORS, Health


def healthz(request: Request) -> Any:
    if "read" not in scopes(request):
        return {"status": "ok"}
    kb_ = kb(request)
    docs, _ = kb_.documents(scopes(request))
    return {"status": "ok", "store": kb_.stats(scopes(request)), "documents": len(docs)}


def install(app: FastAPI) -> None:
    app.get("/healthz", response_model=Health, responses=ERRORS, tags=["hệ thống"], summary="Tình trạng dịch vụ và kho")(healthz)
