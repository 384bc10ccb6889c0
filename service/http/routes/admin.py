"""``/api/admin/…``: a backup while serving (the embedded store admits one process, this one), and a
compaction on demand (deleted and replaced documents purged from the store's files). Admin scope, or
the local token `sotay serve` leaves in the data dir for `sotay backup` and `sotay compact`
(service/backup.py): the guard lets these paths through, so the check — and its 401 / 403 — is here."""
from __future__ import annotations

import os
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response

from ...backup import may_back_up
from ...errors import UserError
from ...store.backup import backup_filename, backup_to_temp
from .. import security
from ..deps import kb, scopes
from ..schemas import ERRORS, CompactSummary
from starlette.background import BackgroundTask


def _authorize(request: Request, action: str) -> None:
    """An admin key or the local token; else 401 without a key (or with an unknown one), 403 with a
    key that is not an admin's (as the guard answers elsewhere)."""
    if may_back_up(request, scopes(request)):
        return
    caller = getattr(request.state, "caller", None)
    keys_configured = bool((getattr(request.app.state, "security", None) or {}).get("keys"))
    if caller is not None and caller.key_id is not None and not caller.scopes:
        err = UserError("invalid_key", "Khóa API không hợp lệ.", 401)
    elif caller is not None and caller.key_id is not None:
        err = UserError("forbidden", "Thao tác này cần khóa API có quyền quản trị (admin).", 403)
    elif keys_configured:
        err = UserError("missing_key", "Cần khóa API quản trị: gửi tiêu đề 'Authorization: Bearer <khóa>' hoặc "
                                       "'X-API-Key: <khóa>'.", 401)
    else:
        err = UserError("writes_disabled", "Dịch vụ chưa cấu hình khóa API (SOTAY_API_KEYS): thao tác quản trị chỉ "
                                           "nhận lệnh `sotay backup` / `sotay compact` chạy trên chính máy chủ.", 403)
    security.audit(request, action, result=f"denied:{err.code}")
    if err.status == 401:
        raise _Unauthorized(err)
    raise err


class _Unauthorized(UserError):
    """A 401 that also names the scheme (WWW-Authenticate), as the guard's do."""

    def __init__(self, err: UserError):
        super().__init__(err.code, err.message, 401)
        self.headers = {"WWW-Authenticate": "Bearer"}


def admin_backup(request: Request) -> Response:
    _authorize(request, "backup")
    path, summary = backup_to_temp(kb(request).store)
    security.audit(request, "backup", result="ok", documents=summary.documents, points=summary.points,
                   bytes=summary.bytes)
    return FileResponse(path, media_type="application/gzip", filename=backup_filename(),
                        background=BackgroundTask(os.unlink, path))


def admin_compact(request: Request) -> Any:
    _authorize(request, "compact")
    summary = kb(request).compact()
    if summary is None:
        security.audit(request, "compact", result="not_needed")
        raise UserError("not_embedded", "Kho trên máy chủ Qdrant tự dọn các điểm đã xóa; không cần nén.", 409)
    security.audit(request, "compact", result="ok", documents=summary.documents, points=summary.points,
                   bytes=summary.bytes, freed=summary.freed)
    return summary.to_json()


def install(app: FastAPI) -> None:
    app.post("/api/admin/backup", response_class=FileResponse, tags=["quản trị"],
             summary="Sao lưu toàn bộ kho (cần khóa quản trị)",
             responses={200: {"content": {"application/gzip": {}}, "description": "tệp sao lưu .jsonl.gz"},
                        **ERRORS})(admin_backup)
    app.post("/api/admin/compact", response_model=CompactSummary, responses=ERRORS, tags=["quản trị"],
             summary="Nén kho: xóa hẳn khỏi các tệp dữ liệu những văn bản đã xóa hoặc đã thay (cần khóa quản trị)"
             )(admin_compact)
