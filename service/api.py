"""The HTTP API (CONTRACT "HTTP API"): FastAPI over one shared :class:`KnowledgeBase`.

- Routes: ``POST /api/ask``, ``GET /api/search``, ``GET /api/obligations``,
  ``GET /api/obligations.ics``, ``GET /api/documents``, ``GET /api/documents/{doc_id}``,
  ``POST /api/lessons`` (and ``.docx`` / ``.md``, service/lessons.py),
  ``GET /api/roles``, ``GET /healthz``, ``GET /`` (the web chat) and ``/static``; OpenAPI at
  ``/openapi.json``, docs at ``/docs``; ``POST /api/documents`` (upload) and
  ``DELETE /api/documents/{doc_id}`` for admin keys. Keys, scopes, limits and headers: security.py.
- Errors: always ``{"error": {"code": str, "message": str}}`` with a Vietnamese message; bad input is
  a 4xx (validation errors are translated field by field), never a 500. A real bug is logged and
  answered with a 500 in the same shape.
- Concurrency: the routes are synchronous and run in the server's thread pool. The store serializes
  its own engine access and publishes documents atomically, the retriever's caches are locked, and
  the lazily loaded pieces (the word segmenter's model, the term statistics) are warmed up before the
  first request, so the one shared KnowledgeBase is safe under concurrent requests.
"""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any, Literal

from fastapi import FastAPI, File, Form, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, StrictInt
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import security
from .config import Settings
from .knowledge import MAX_QUESTION, IngestReport, KnowledgeBase, UserError
from .store import StoreError
from .uploads import UploadLimits, display_name, ingest_upload

log = logging.getLogger("sotay.api")

WEB_DIR = Path(__file__).resolve().parent / "web"
ASK_K_MAX = 20  # answer_question accepts k in 1..20
SEARCH_K_MAX = 100  # KnowledgeBase.search accepts k in 1..100
ROLE_MAX = 200
ICS_FILENAME = "sotay-thoi-han.ics"
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


# --------------------------------------------------------------------------------------------
# Response models (CONTRACT "Objects"). `extra="allow"`: fields added to the contract later (or the
# optional ones the service already returns, e.g. Obligation.modality) pass through unchanged.
# --------------------------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow")


class Citation(_Model):
    n: int = Field(description="số thứ tự; câu trả lời đánh dấu [n]")
    doc_id: str
    doc_number: str | None = Field(description="số văn bản như viết, ví dụ 222-KH/TU")
    doc_title: str | None
    issued: str | None = Field(description="ngày ban hành YYYY-MM-DD")
    section: str | None = Field(description="đường dẫn mục: II.2.1, Điều 8.2, footnote 1")
    section_title: str | None
    quote: str = Field(description="nguyên văn = document.text[start:end]")
    start: int
    end: int


class Deadline(_Model):
    text: str = Field(description="thời hạn như viết: 'trước ngày 15/01/2024'")
    start: str | None = Field(description="đầu khoảng thời gian cho phép, YYYY-MM-DD")
    end: str | None = Field(description="cuối khoảng thời gian cho phép, YYYY-MM-DD")
    relative: str | None = Field(None, description="thời hạn tính từ một sự kiện")


class Obligation(_Model):
    id: str
    actors: list[str]
    action: str
    modality: str | None = None
    deadline: Deadline | None
    recurrence: str | None
    exceptions: list[str] = Field(default_factory=list)
    citation: Citation
    exception_citations: list[Citation] = Field(
        default_factory=list, description="nơi nêu từng ngoại lệ (cùng thứ tự với exceptions): chú thích hoặc chính câu đó")


class Passage(_Model):
    chunk_id: str
    doc_id: str
    doc_number: str | None
    doc_title: str | None
    section: str | None
    section_title: str | None
    text: str
    start: int
    end: int
    score: float


class Answer(_Model):
    question: str
    kind: Literal["obligations", "passages", "none"]
    answer: str = Field(description="tiếng Việt; mỗi ý có dấu [n] trỏ tới citations[n-1]")
    citations: list[Citation]
    obligations: list[Obligation]
    related: list[Passage] = Field(default_factory=list,
                                   description="khi kind = none: các đoạn gần nhất, có thể liên quan (không phải câu trả lời)")
    took_ms: float


class _DocumentFields(_Model):
    doc_id: str
    number: str | None
    type: str | None
    title: str | None
    issuer: str | None
    issued: str | None
    place: str | None
    completeness: str | None


class DocumentMeta(_DocumentFields):
    sections: int


class Reference(_Model):
    number: str
    type: str | None
    issued: str | None
    issuer: str | None
    title: str | None
    cited_by: list[str] = Field(default_factory=list)


class Section(_Model):
    path: str
    title: str
    level: int
    start: int
    end: int
    heading_end: int
    parent: str | None = None


class Footnote(_Model):
    number: int
    text: str
    start: int
    end: int
    marker_start: int | None = None
    marker_end: int | None = None
    section: str | None = None


class Document(_DocumentFields):
    text: str = Field(description="toàn văn đã chuẩn hóa; mọi trích dẫn là text[start:end]")
    sections: list[Section] = Field(description="cây mục theo thứ tự văn bản; mỗi mục trỏ tới mục cha (parent)")
    footnotes: list[Footnote] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)


class AskRequest(BaseModel):
    question: str = Field(max_length=MAX_QUESTION, description="câu hỏi, tối đa 2.000 ký tự",
                          examples=["Hạn hoàn thành xây dựng kế hoạch tập thể là khi nào?"])
    role: str | None = Field(None, max_length=ROLE_MAX, description="vai trò của người hỏi, ví dụ 'bí thư chi bộ'")
    k: StrictInt | None = Field(None, ge=1, le=ASK_K_MAX, description="số trích dẫn tối đa")


class SearchResponse(BaseModel):
    hits: list[Passage]


class ObligationsResponse(BaseModel):
    obligations: list[Obligation]


class DocumentsResponse(BaseModel):
    documents: list[DocumentMeta]
    missing: list[Reference] = Field(description="văn bản được dẫn chiếu nhưng chưa có trong kho")


class RolesResponse(BaseModel):
    roles: list[str]


# Lessons (service/lessons.py): the outline a trainer builds from a topic, and the request for it.
class LessonPoint(_Model):
    id: str = Field(description="mã ý, dùng để bỏ hoặc sắp xếp lại khi tải về")
    citation: Citation


class LessonPart(_Model):
    doc_id: str
    doc_number: str | None
    doc_type: str | None
    doc_title: str | None
    section: str | None = Field(description="mục chứa các ý (chú thích đứng cùng mục đánh dấu nó)")
    section_title: str | None
    heading: str
    points: list[LessonPoint]


class ReviewQuestion(_Model):
    id: str
    kind: Literal["deadline", "actor", "number", "list"]
    question: str
    answer: str = Field(description="nguyên văn = document.text[start:end], nằm trong citation.quote")
    start: int
    end: int
    citation: Citation


class Lesson(_Model):
    topic: str
    title: str
    covered: bool = Field(description="false: các văn bản không đề cập đến chủ đề; bài giảng không có ý nào")
    note: str | None
    documents: list[DocumentMeta]
    parts: list[LessonPart] = Field(description="các ý chính, nhóm theo văn bản và mục")
    obligations: list[Obligation]
    questions: list[ReviewQuestion]
    missing: list[Reference] = Field(description="văn bản được các trích dẫn viện dẫn nhưng chưa có trong kho")
    citations: list[Citation]
    took_ms: float


class LessonRequest(BaseModel):
    topic: str = Field(description="chủ đề bài giảng, tối đa 300 ký tự", examples=["nêu gương"])
    documents: list[str] | None = Field(None, description="chỉ dùng các văn bản số này (ví dụ 222-KH/TU)")
    points: list[str] | None = Field(None, description="dàn ý đã sửa: mã các ý giữ lại, theo thứ tự mong muốn")


class IngestedItem(_Model):
    source: str = Field(description="tên tệp để hiển thị (không bao giờ dùng làm đường dẫn)")
    status: Literal["added", "updated", "unchanged", "error"]
    doc_id: str | None
    number: str | None
    chunks: int
    obligations: int
    error: str | None
    code: str | None


class IngestSummary(BaseModel):
    counts: dict[str, int]
    items: list[IngestedItem]


class Health(_Model):
    status: str
    store: dict[str, Any] | None = Field(None, description="chỉ cho người gọi có quyền đọc")
    documents: int | None = Field(None, description="chỉ cho người gọi có quyền đọc")


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


# Error responses in the OpenAPI schema. "4XX" also keeps FastAPI from advertising its own 422 body,
# which this API never sends (validation errors are 400s in the error shape).
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Yêu cầu không hợp lệ"},
    404: {"model": ErrorBody, "description": "Không tìm thấy"},
    "4XX": {"model": ErrorBody, "description": "Lỗi khác của yêu cầu (405, 415…)"},
    "5XX": {"model": ErrorBody, "description": "Lỗi máy chủ hoặc kho dữ liệu"},
}


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


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
    return error_response(exc.status, exc.code, exc.message)


async def _on_store_error(request: Request, exc: StoreError) -> JSONResponse:
    log.error("store error on %s %s: %s", request.method, request.url.path, exc.message)
    return error_response(503, exc.code or "store_unavailable", exc.message)


async def _on_import_error(request: Request, exc: ImportError) -> JSONResponse:
    # The role gazetteer (ingest/actors.py) may not be installed yet: say so instead of a 500.
    if (exc.name or "").startswith("ingest.actors"):
        return error_response(503, "not_ready",
                              "Chức năng vai trò và nhiệm vụ đang được cập nhật, tạm thời chưa dùng được.")
    log.error("import error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error", "Lỗi nội bộ của máy chủ. Vui lòng thử lại sau.")


_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 406: "not_acceptable", 413: "too_large", 415: "unsupported_media_type"}


async def _on_http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    status = exc.status_code
    code = _HTTP_CODES.get(status, f"http_{status}")
    if status == 400:  # raised by FastAPI itself: a request body it could not read (not UTF-8, cut short)
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


# --------------------------------------------------------------------------------------------
# The app
# --------------------------------------------------------------------------------------------


def _scopes(request: Request) -> tuple[str, ...]:
    """The caller's access scopes, as the security guard established them (service/security.py)."""
    return security.caller_scopes(request)


def _kb(request: Request) -> KnowledgeBase:
    return request.app.state.kb


def _parse_date(name: str, value: str | None) -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError("bad_date", f"Ngày '{name}' không hợp lệ: '{value}'. "
                                    "Hãy viết theo dạng YYYY-MM-DD, ví dụ 2024-01-15.") from None


def _role_names() -> list[str]:
    try:
        from ingest.actors import role_names
    except ImportError:
        log.warning("ingest.actors is not available yet: no roles to offer")
        return []
    out: list[str] = []
    for r in role_names():
        name = r if isinstance(r, str) else (r.get("name") if isinstance(r, dict) else getattr(r, "name", None))
        if name and name not in out:
            out.append(str(name))
    return out


def _warm_up(kb: KnowledgeBase) -> None:
    """Load what is loaded lazily (word segmenter model, term statistics, query caches) before the
    first request, so concurrent first requests do not race to initialise them."""
    def answer() -> None:
        from .answers import answer_question

        answer_question(kb, "Hạn hoàn thành kế hoạch học tập là khi nào?")

    def roles() -> None:
        from ingest.actors import match_role

        _role_names()
        match_role("bí thư chi bộ")

    for step in (lambda: kb.search("kế hoạch học tập", k=1), answer, roles):
        try:
            step()
        except (UserError, ImportError):
            pass
        except Exception:  # warming up must never stop the server; the first request will say what is wrong
            log.exception("warm-up failed")


_FALLBACK_HOME = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Sổ tay</title></head>
<body><h1>Sổ tay</h1>
<p>Hỏi đáp có trích dẫn trên văn bản của Đảng. Giao diện hỏi đáp chưa được cài đặt.</p>
<p>Xem <a href="/docs">tài liệu API</a> (<a href="/openapi.json">OpenAPI</a>).</p>
</body></html>
"""


def create_app(settings: Settings | None = None, kb: KnowledgeBase | None = None, *,
               web_dir: Path | str | None = None) -> FastAPI:
    """The app. With `kb`, it is used as is and left open at shutdown (its owner closes it);
    otherwise a KnowledgeBase is opened on `settings` (default: the environment) at start-up and
    closed at shutdown. `web_dir` overrides where the web chat lives (default `service/web/`)."""
    web = Path(web_dir) if web_dir is not None else WEB_DIR
    # Keys, limits and CORS come from `settings`, else the given knowledge base's, else the environment.
    settings = settings or getattr(kb, "settings", None) or Settings.from_env()
    upload_limits = UploadLimits.from_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        own = kb is None
        the_kb = kb
        if own:
            try:
                the_kb = KnowledgeBase(settings)
            except StoreError as e:
                log.error("%s", e.message)
                raise
        app.state.kb = the_kb
        _warm_up(the_kb)
        security.announce(app)
        try:
            yield
        finally:
            app.state.kb = None
            if own:
                the_kb.close()

    app = FastAPI(
        title="Sổ tay",
        description="Hỏi đáp có trích dẫn nguyên văn trên văn bản của Đảng. "
                    "Lỗi luôn có dạng {\"error\": {\"code\", \"message\"}} với thông báo tiếng Việt.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(UserError, _on_user_error)
    app.add_exception_handler(StoreError, _on_store_error)
    app.add_exception_handler(ImportError, _on_import_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_middleware(CatchAll)
    security.install(app, settings)  # keys and scopes, rate limits, body limit, CSP and other headers, CORS
    # Query requests a few at a time, the rest queued (concurrency.py); innermost, inside the guard.
    from starlette.middleware import Middleware

    from .concurrency import QueryLimiter, query_concurrency
    from .observability import install as install_observability

    app.user_middleware.append(Middleware(QueryLimiter, limit=query_concurrency(settings)))
    # Request ids, JSON access lines, Prometheus /metrics (loopback, or an admin key). Added last = outermost,
    # so the requests the guard refuses are logged and counted too.
    install_observability(app, settings)

    @app.post("/api/ask", response_model=Answer, responses=_ERRORS, tags=["hỏi đáp"],
              summary="Trả lời một câu hỏi bằng trích dẫn nguyên văn")
    def ask(body: AskRequest, request: Request) -> Any:
        from .answers import answer_question

        return answer_question(_kb(request), body.question, role=body.role or None, k=body.k,
                               scopes=_scopes(request))

    @app.get("/api/search", response_model=SearchResponse, responses=_ERRORS, tags=["hỏi đáp"],
             summary="Các đoạn văn bản xếp theo mức liên quan")
    def search(
        request: Request,
        q: str = Query(max_length=MAX_QUESTION, description="nội dung tìm kiếm"),
        k: int = Query(10, ge=1, le=SEARCH_K_MAX, description="số kết quả"),
        doc: str | None = Query(None, description="chỉ tìm trong văn bản số này (ví dụ 222-KH/TU) hoặc doc_id"),
        type: str | None = Query(None, description="chỉ tìm trong loại văn bản này (ví dụ 'Quy định')"),
    ) -> Any:
        hits = _kb(request).search(q, k=k, doc=doc or None, type_=type or None, scopes=_scopes(request))
        return {"hits": [h.to_json() for h in hits]}

    def _obligations(request: Request, role: str | None, doc: str | None, due_from: str | None,
                     due_to: str | None) -> list[dict]:
        return _kb(request).obligations(
            role=role or None, doc=doc or None, due_from=_parse_date("due_from", due_from),
            due_to=_parse_date("due_to", due_to), scopes=_scopes(request))

    role_q = Query(None, max_length=ROLE_MAX, description="vai trò, ví dụ 'bí thư chi bộ'")
    doc_q = Query(None, description="số văn bản (ví dụ 222-KH/TU) hoặc doc_id")
    from_q = Query(None, pattern=_ISO_DATE, description="hạn từ ngày (YYYY-MM-DD)", examples=["2024-01-01"])
    to_q = Query(None, pattern=_ISO_DATE, description="hạn đến ngày (YYYY-MM-DD)", examples=["2024-12-31"])

    @app.get("/api/obligations", response_model=ObligationsResponse, responses=_ERRORS, tags=["nhiệm vụ"],
             summary="Nhiệm vụ và thời hạn trích từ văn bản")
    def obligations(request: Request, role: str | None = role_q, doc: str | None = doc_q,
                    due_from: str | None = from_q, due_to: str | None = to_q) -> Any:
        return {"obligations": _obligations(request, role, doc, due_from, due_to)}

    @app.get("/api/obligations.ics", response_class=Response, tags=["nhiệm vụ"],
             summary="Lịch iCalendar của các nhiệm vụ có thời hạn",
             responses={200: {"content": {"text/calendar": {}}, "description": "tệp .ics"}, **_ERRORS})
    def obligations_ics_route(request: Request, role: str | None = role_q, doc: str | None = doc_q,
                              due_from: str | None = from_q, due_to: str | None = to_q) -> Response:
        from .ics import obligations_ics

        body = obligations_ics(_obligations(request, role, doc, due_from, due_to))
        return Response(body, media_type="text/calendar; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{ICS_FILENAME}"'})

    @app.get("/api/documents", response_model=DocumentsResponse, responses=_ERRORS, tags=["văn bản"],
             summary="Văn bản trong kho và văn bản được dẫn chiếu nhưng còn thiếu")
    def documents(request: Request) -> Any:
        docs, missing = _kb(request).documents(_scopes(request))
        return {"documents": docs, "missing": missing}

    @app.get("/api/documents/{doc_id}", response_model=Document, responses=_ERRORS, tags=["văn bản"],
             summary="Một văn bản: thông tin, cây mục, chú thích và toàn văn")
    def document(doc_id: str, request: Request) -> Any:
        return _kb(request).document(doc_id, _scopes(request))

    # Uploads and deletions (admin keys only; the guard in security.py refuses everyone else first).
    @app.post("/api/documents", response_model=IngestSummary, responses=_ERRORS, tags=["văn bản"],
              summary="Nạp một văn bản .txt, .md, .docx hoặc .pdf (cần khóa quản trị)")
    def upload_document(
        request: Request,
        file: UploadFile = File(description="tệp văn bản; loại tệp được nhận biết theo nội dung"),
        access: Literal["public", "internal"] | None = Form(
            None, description="ghi đè trường access trong front matter: public hoặc internal"),
    ) -> Any:
        try:
            item = ingest_upload(_kb(request), file.file.read(upload_limits.max_bytes + 1), file.filename,
                                 upload_limits, access=access)
        except UserError as e:
            security.audit(request, "upload", result=f"refused:{e.code}", file=display_name(file.filename))
            raise
        security.audit(request, "upload", doc_id=item.doc_id, result=item.status, file=item.source, access=access)
        return IngestReport([item]).to_json()

    @app.delete("/api/documents/{doc_id}", status_code=204, response_class=Response, tags=["văn bản"],
                summary="Xóa một văn bản khỏi kho (cần khóa quản trị)",
                responses={204: {"description": "đã xóa"}, **_ERRORS})
    def delete_document(doc_id: str, request: Request) -> Response:
        deleted = _kb(request).delete(doc_id)
        security.audit(request, "delete", doc_id=doc_id, result="deleted" if deleted else "not_found")
        if not deleted:
            raise UserError("not_found", f"Không có văn bản '{doc_id}' trong kho.", 404)
        return Response(status_code=204)

    # Backup while serving (service/backup.py): the embedded store admits one process, this one.
    # Admin scope, or the local token `sotay serve` leaves in the data dir for `sotay backup`.
    @app.post("/api/admin/backup", response_class=FileResponse, tags=["quản trị"],
              summary="Sao lưu toàn bộ kho (cần khóa quản trị)",
              responses={200: {"content": {"application/gzip": {}}, "description": "tệp sao lưu .jsonl.gz"},
                         **_ERRORS})
    def admin_backup(request: Request) -> Response:
        import os

        from starlette.background import BackgroundTask

        from . import backup as backups

        if not backups.may_back_up(request, _scopes(request)):
            security.audit(request, "backup", result="denied")
            raise UserError("forbidden", "Sao lưu cần khóa API có quyền quản trị (admin).", 403)
        path, summary = backups.backup_to_temp(_kb(request).store)
        security.audit(request, "backup", result="ok", documents=summary.documents, points=summary.points,
                       bytes=summary.bytes)
        return FileResponse(path, media_type="application/gzip", filename=backups.backup_filename(),
                            background=BackgroundTask(os.unlink, path))

    # Lessons (service/lessons.py, lesson_export.py): built with the caller's scopes, like every read.
    def _lesson(body: LessonRequest, request: Request) -> dict:
        from .lessons import build_lesson

        return build_lesson(_kb(request), body.topic, documents=body.documents, points=body.points,
                            scopes=_scopes(request))

    @app.post("/api/lessons", response_model=Lesson, responses=_ERRORS, tags=["bài giảng"],
              summary="Dàn ý bài giảng từ một chủ đề, chỉ gồm trích dẫn nguyên văn")
    def lesson(body: LessonRequest, request: Request) -> Any:
        return _lesson(body, request)

    def _lesson_file(body: LessonRequest, request: Request, ext: str) -> Response:
        from .lesson_export import DOCX_TYPE, MARKDOWN_TYPE, lesson_docx, lesson_filename, lesson_markdown

        the_lesson = _lesson(body, request)
        data = lesson_docx(the_lesson) if ext == "docx" else lesson_markdown(the_lesson).encode("utf-8")
        return Response(data, media_type=DOCX_TYPE if ext == "docx" else MARKDOWN_TYPE, headers={
            "Content-Disposition": f'attachment; filename="{lesson_filename(the_lesson["topic"], ext)}"'})

    @app.post("/api/lessons.docx", response_class=Response, tags=["bài giảng"],
              summary="Bài giảng dạng Word (.docx); 'points' giữ dàn ý đã sửa",
              responses={200: {"content": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document": {}},
                               "description": "tệp .docx"}, **_ERRORS})
    def lesson_docx_route(body: LessonRequest, request: Request) -> Response:
        return _lesson_file(body, request, "docx")

    @app.post("/api/lessons.md", response_class=Response, tags=["bài giảng"],
              summary="Bài giảng dạng Markdown; 'points' giữ dàn ý đã sửa",
              responses={200: {"content": {"text/markdown": {}}, "description": "tệp .md"}, **_ERRORS})
    def lesson_md_route(body: LessonRequest, request: Request) -> Response:
        return _lesson_file(body, request, "md")

    @app.get("/api/roles", response_model=RolesResponse, responses=_ERRORS, tags=["nhiệm vụ"],
             summary="Các vai trò người dùng có thể chọn")
    def roles() -> Any:
        return {"roles": _role_names()}

    @app.get("/healthz", response_model=Health, responses=_ERRORS, tags=["hệ thống"], summary="Tình trạng dịch vụ và kho")
    def healthz(request: Request) -> Any:
        if "read" not in _scopes(request):  # liveness for anyone; store figures for readers
            return {"status": "ok"}
        kb_ = _kb(request)
        docs, _ = kb_.documents(_scopes(request))
        return {"status": "ok", "store": kb_.stats(), "documents": len(docs)}

    index = web / "index.html"
    if web.is_dir():
        app.mount("/static", StaticFiles(directory=str(web)), name="static")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> Response:
        if index.is_file():
            return FileResponse(index, media_type="text/html; charset=utf-8")
        return HTMLResponse(_FALLBACK_HOME)

    return app


__all__ = ["create_app", "error_response", "Answer", "Citation", "Passage", "Obligation", "Deadline",
           "DocumentMeta", "Reference", "Document"]
