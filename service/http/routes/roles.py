"""``GET /api/roles``: the roles a user can pick (the role gazetteer's names, in its order)."""
from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from ingest.actors import role_names

from ..schemas import ERRORS, RolesResponse


def picker_roles() -> list[str]:
    return [name for name in dict.fromkeys(role_names()) if name]


def roles() -> Any:
    return {"roles": picker_roles()}


def install(app: FastAPI) -> None:
    app.get("/api/roles", response_model=RolesResponse, responses=ERRORS, tags=["nhiệm vụ"],
            summary="Các vai trò người dùng có thể chọn")(roles)
