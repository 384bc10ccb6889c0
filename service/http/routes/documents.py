"""``/api/documents``: the stored documents and the missing ones they cite, one document whole, and —
for admin keys — uploading and deleting (the guard in security.py refuses everyone else first)."""
from __future__ import annotations

from typing import Any, Literal

from fastapi import FastAPI, File, Form, Request, UploadFile
from fastapi.responses import Response

from ...errors import UserError
from .. import security
from ..deps import kb, scopes
from ..schemas import ERRORS, Document, DocumentsResponse, IngestSummary
from ..uploads import display_name, ingest_upload


def documents(request: Request) -> Any:
    docs, missing = kb(request).documents(scopes(request))
    return {"documents": docs, "missing": missing}


def document(doc_id: str, request: Request) -> Any:
    return kb(request).document(doc_id, scopes(request))


def upload_document(
    request: Request,
    file: UploadFile = File(description="tệp văn bản; loại tệp được nhận biết theo nội dung"),
    access: Literal["public", "internal"] | None = Form(
        None, description="ghi đè trường access trong front matter: public hoặc internal; bỏ trống thì văn bản "
                          "đã có giữ quyền truy cập đang lưu"),
    replace: bool = Form(
        False, description="true: cho phép thay một văn bản đang có từ tệp khác, hoặc đổi quyền truy cập của nó "
                           "(không có thì bị từ chối, mã replace_required)"),
) -> Any:
    limits = request.app.state.upload_limits
    request.state.ingest_reported = True  # counted by the knowledge base, refusals included
    try:
        report = ingest_upload(kb(request), file.file.read(limits.max_bytes + 1), file.filename, limits,
                               access=access, replace=replace)
    except UserError as e:
        security.audit(request, "upload", result=f"refused:{e.code}", file=display_name(file.filename),
                       access=access, replace=replace, replaced=getattr(e, "replaced", None))
        raise
    for item in report.items:
        security.audit(request, "upload", doc_id=item.doc_id, result=item.status if item.status != "error"
                       else f"refused:{item.code}", file=item.source, access=access, replace=replace,
                       replaced=item.replaced)
    return report.to_json()


def delete_document(doc_id: str, request: Request) -> Response:
    deleted = kb(request).delete(doc_id)
    security.audit(request, "delete", doc_id=doc_id, result="deleted" if deleted else "not_found")
    if not deleted:
        raise UserError("not_found", f"Không có văn bản '{doc_id}' trong kho.", 404)
    return Response(status_code=204)


def install(app: FastAPI) -> None:
    app.get("/api/documents", response_model=DocumentsResponse, responses=ERRORS, tags=["văn bản"],
            summary="Văn bản trong kho và văn bản được dẫn chiếu nhưng còn thiếu")(documents)
    app.get("/api/documents/{doc_id}", response_model=Document, responses=ERRORS, tags=["văn bản"],
            summary="Một văn bản: thông tin, cây mục, chú thích và toàn văn")(document)
    app.post("/api/documents", response_model=IngestSummary, responses=ERRORS, tags=["văn bản"],
             summary="Nạp một văn bản (.txt, .md, .docx, .pdf kể cả PDF quét, .doc, .odt, .rtf) hoặc một tệp "
                     ".zip chứa nhiều văn bản (cần khóa quản trị)")(upload_document)
    app.delete("/api/documents/{doc_id}", status_code=204, response_class=Response, tags=["văn bản"],
               summary="Xóa một văn bản khỏi kho (cần khóa quản trị)",
               responses={204: {"description": "đã xóa"}, **ERRORS})(delete_document)
