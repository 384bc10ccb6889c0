"""``POST /api/admin/backup``: a backup while serving (the embedded store admits one process, this
one). Admin scope, or the local token `sotay serve` leaves in the data dir for `sotay backup`
(service/backup.py)."""
from __future__ import annotations

import os

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask

from ...backup import may_back_up
from ...errors import UserError
from ...store.backup import backup_filename, backup_to_temp
from .. import security
from ..deps import kb, scopes
from ..schemas import ERRORS


def admin_backup(request: Request) -> Response:
    if not may_back_up(request, scopes(request)):
        security.audit(request, "backup", result="denied")
        raise UserError("forbidden", "Sao lưu cần khóa API có quyền quản trị (admin).", 403)
    path, summary = backup_to_temp(kb(request).store)
    security.audit(request, "backup", result="ok", documents=summary.documents, points=summary.points,
                   bytes=summary.bytes)
    return FileResponse(path, media_type="application/gzip", filename=backup_filename(),
                        background=BackgroundTask(os.unlink, path))


def install(app: FastAPI) -> None:
    app.post("/api/admin/backup", response_class=FileResponse, tags=["quản trị"],
             summary="Sao lưu toàn bộ kho (cần khóa quản trị)",
             responses={200: {"content": {"application/gzip": {}}, "description": "tệp sao lưu .jsonl.gz"},
                        **ERRORS})(admin_backup)
