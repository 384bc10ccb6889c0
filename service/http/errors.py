"""Every error the API sends has one shape, ``{"error": {"code": str, "message": str}}``, with a
Vietnamese message: validation errors are translated field by field into 4xx, user and store errors
keep their codes, Starlette's own HTTP errors get Vietnamese text, and an exception no handler takes
is logged and answered as a 500 in the same shape (``CatchAll``)."""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import MAX_QUESTION, UserError
from ..store import StoreError
from .schemas import ASK_K_MAX, COMMENT_MAX, HISTORY_MAX, ROLE_MAX, SEARCH_K_MAX

log = logging.getLogger("sotay.api")


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


_FIELD_NAMES = {"question": "câu hỏi", "q": "từ khóa tìm kiếm", "role": "vai trò", "k": "k", "doc": "số văn bản",
                "type": "loại văn bản", "due_from": "due_from", "due_to": "due_to", "doc_id": "mã văn bản",
                "file": "file (tệp tải lên)", "access": "access (public hoặc internal)",
                "topic": "topic (chủ đề bài giảng)", "documents": "documents (danh sách số văn bản)",
                "points": "points (danh sách mã ý)"}


def _translate(err: dict, path: str) -> tuple[int, str, str]:
    """One pydantic/FastAPI validation error → (status, code, Vietnamese message)."""
    typ = err.get("type", "")
    loc = [str(x) for x in err.get("loc", ())]
    where = loc[0] if loc else ""
    name = loc[-1] if len(loc) > 1 else ""
    if typ == "json_invalid":
        return 400, "bad_json", "Nội dung yêu cầu không phải JSON hợp lệ."
    if len(loc) > 1 and loc[0] == "body" and loc[1] == "history":
        if typ == "too_long":
            return 400, "bad_history", f"Lịch sử hội thoại (history) có tối đa {HISTORY_MAX} lượt."
        return 400, "bad_history", ("Lịch sử hội thoại (history) không hợp lệ: mỗi lượt là {\"question\", "
                                    "\"answer\"} với answer đúng như API đã trả về.")
    if len(loc) > 1 and loc[0] == "body" and loc[1] == "answer" and not path.endswith("/ask"):
        return 400, "bad_answer", "Trường 'answer' phải là câu trả lời (Answer) đúng như API đã trả về."
    if where == "body" and len(loc) == 1:
        if typ == "missing":
            return 400, "empty_question", "Thiếu nội dung yêu cầu. Hãy gửi JSON dạng {\"question\": \"...\"}."
        return 400, "bad_body", "Nội dung yêu cầu phải là một đối tượng JSON dạng {\"question\": \"...\"}."
    if name in ("question", "q"):
        if typ == "missing" or typ == "string_too_short" or err.get("input", "") is None:
            return 400, "empty_question", "Câu hỏi trống. Hãy nhập nội dung cần hỏi."
        if typ == "string_too_long":
            return 400, "question_too_long", f"Câu hỏi dài quá {MAX_QUESTION} ký tự. Hãy hỏi ngắn gọn hơn."
        return 400, "bad_question", f"Trường '{name}' phải là một chuỗi ký tự."
    if name == "k":
        hi = ASK_K_MAX if path.endswith("/ask") else SEARCH_K_MAX
        return 400, "bad_k", f"Tham số k phải là số nguyên từ 1 đến {hi}."
    if name == "as_of":
        value = err.get("input")
        return 400, "bad_date", f"Ngày 'as_of' không hợp lệ: '{value}'. Hãy viết theo dạng YYYY-MM-DD, ví dụ 2024-01-15."
    if name == "rating":
        return 400, "bad_rating", "Đánh giá (rating) phải là 1 (hữu ích) hoặc -1 (chưa đúng)."
    if name == "comment":
        if typ == "string_too_long":
            return 400, "comment_too_long", f"Góp ý dài quá {COMMENT_MAX} ký tự."
        return 400, "bad_comment", "Góp ý (comment) phải là một chuỗi ký tự."
    if name in ("due_from", "due_to"):
        value = err.get("input")
        return 400, "bad_date", f"Ngày '{name}' không hợp lệ: '{value}'. Hãy viết theo dạng YYYY-MM-DD, ví dụ 2024-01-15."
    if name == "role":
        if typ == "string_too_long":
            return 400, "bad_role", f"Vai trò dài quá {ROLE_MAX} ký tự."
        return 400, "bad_role", "Trường 'role' phải là một chuỗi ký tự."
    label = _FIELD_NAMES.get(name, name or where)
    if typ == "missing":
        return 400, "missing_field", f"Thiếu tham số '{label}'."
    return 400, "bad_request", f"Giá trị của '{label}' không hợp lệ."


def _is_json(request: Request) -> bool:
    ctype = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    return ctype == "application/json" or (ctype.startswith("application/") and ctype.endswith("+json"))


async def _on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = list(exc.errors())
    if any(e.get("loc") == ("body",) and e.get("type") != "missing" for e in errors) and not _is_json(request):
        return error_response(415, "unsupported_media_type",
                              "Hãy gửi nội dung JSON với tiêu đề 'Content-Type: application/json'.")
    # Report the most useful problem: a broken JSON body first, then the first field in error.
    errors.sort(key=lambda e: 0 if e.get("type") == "json_invalid" else 1)
    status, code, message = _translate(errors[0] if errors else {}, request.url.path)
    return error_response(status, code, message)


async def _on_user_error(request: Request, exc: UserError) -> JSONResponse:
    return error_response(exc.status, exc.code, exc.message, getattr(exc, "headers", None))


async def _on_store_error(request: Request, exc: StoreError) -> JSONResponse:
    log.error("store error on %s %s: %s", request.method, request.url.path, exc.message)
    return error_response(503, exc.code or "store_unavailable", exc.message)


_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 406: "not_acceptable", 413: "too_large", 415: "unsupported_media_type"}


def _is_multipart(request: Request) -> bool:
    return (request.headers.get("content-type") or "").split(";")[0].strip().lower() == "multipart/form-data"


def _form_problem(exc: BaseException) -> tuple[str, str]:
    """Why an upload form could not be read. The multipart parser caps each part's headers (about
    4 KB), and the file name travels in them: a name of thousands of characters is the usual cause."""
    seen: BaseException | None = exc
    for _ in range(8):  # the parser's error is a few links down the chain of causes
        if seen is None:
            break
        if "header size" in str(seen).lower():
            return "name_too_long", ("Tên tệp tải lên quá dài (phần thông tin của tệp trong biểu mẫu vượt "
                                     "4 KB). Hãy đổi tên tệp cho ngắn hơn (dưới 255 ký tự) rồi tải lên lại.")
        seen = seen.__cause__ or seen.__context__
    return "bad_form", ("Biểu mẫu tải lên (multipart/form-data) không đọc được: dữ liệu bị cắt cụt hoặc sai định "
                        "dạng. Hãy tải tệp lên lại.")


async def _on_http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    status = exc.status_code
    code = _HTTP_CODES.get(status, f"http_{status}")
    if status == 400 and _is_multipart(request):  # Starlette could not read an upload form
        code, message = _form_problem(exc)
    elif status == 400:  # raised by FastAPI itself: a request body it could not read (not UTF-8, cut short)
        code, message = "bad_json", "Nội dung yêu cầu không đọc được. Hãy gửi JSON hợp lệ, mã hóa UTF-8."
    elif status == 404:
        message = f"Không tìm thấy đường dẫn '{request.url.path}'."
    elif status == 405:
        message = f"Phương thức {request.method} không được hỗ trợ cho đường dẫn '{request.url.path}'."
    elif status < 500:
        message = "Yêu cầu không hợp lệ."
    else:
        message = "Lỗi máy chủ. Vui lòng thử lại sau."
    return error_response(status, code, message, headers=dict(exc.headers) if exc.headers else None)


class CatchAll:
    """Last line: an exception no handler took is a bug. Log it and answer a 500 in the error shape
    (Starlette's own handler would re-raise it after answering)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            response = error_response(500, "internal_error", "Lỗi nội bộ của máy chủ. Vui lòng thử lại sau.")
            await response(scope, receive, send)


def install(app: FastAPI) -> None:
    """The handlers above, and the catch-all as the innermost middleware of those added later."""
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(UserError, _on_user_error)
    app.add_exception_handler(StoreError, _on_store_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_middleware(CatchAll)
