"""``GET /api/roles``: the roles a user can pick — the role gazetteer's names in its order, then the
bodies and posts the caller's visible documents name."""
from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request

from ingest.actors import role_names

from ..deps import kb, scopes
from ..schemas import ERRORS, RolesResponse


def picker_roles() -> list[str]:
    """The gazetteer's roles alone (read at start-up to load the gazetteer)."""
    return [name for name in dict.fromkeys(role_names()) if name]


def roles(request: Request) -> Any:
    return {"roles": kb(request).role_list(scopes(request))}


def install(app: FastAPI) -> None:
    app.get("/api/roles", response_model=RolesResponse, responses=ERRORS, tags=["nhiệm vụ"],
            summary="Các vai trò người dùng có thể chọn")(roles)
