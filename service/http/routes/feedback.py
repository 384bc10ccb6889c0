"""``POST /api/feedback``: a reader's 👍/👎 on an answer, with an optional comment, stored as one JSON
line beside the data directory (service/feedback.py); ``GET /api/admin/feedback``: what was stored,
for an admin key (the guard in security.py refuses everyone else), as JSON lines."""
from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response, StreamingResponse

from ...feedback import append_feedback, feedback_record, read_feedback
from .. import security
from ..schemas import ERRORS, FeedbackRequest

JSONL_TYPE = "application/x-ndjson"


def _caller_key(request: Request) -> str | None:
    caller = getattr(request.state, "caller", None)
    return caller.key_id if caller is not None else None


def feedback(body: FeedbackRequest, request: Request) -> Response:
    record = feedback_record(body.question.strip(), body.answer.model_dump(mode="json"), body.rating, body.comment,
                             key_id=_caller_key(request))
    append_feedback(request.app.state.feedback_file, record)
    return Response(status_code=204)


def export_feedback(request: Request) -> Response:
    security.audit(request, "feedback_export", result="ok")
    return StreamingResponse(read_feedback(request.app.state.feedback_file), media_type=JSONL_TYPE,
                             headers={"Content-Disposition": 'attachment; filename="sotay-feedback.jsonl"'})


def install(app: FastAPI) -> None:
    app.post("/api/feedback", status_code=204, response_class=Response, tags=["hỏi đáp"],
             summary="Đánh giá một câu trả lời (👍 1 / 👎 -1), có thể kèm góp ý",
             responses={204: {"description": "đã ghi nhận"}, **ERRORS})(feedback)
    app.get("/api/admin/feedback", response_class=StreamingResponse, tags=["quản trị"],
            summary="Tải các đánh giá đã lưu, dạng JSON lines (cần khóa quản trị)",
            responses={200: {"content": {JSONL_TYPE: {}}, "description": "mỗi dòng một đánh giá"},
                       **ERRORS})(export_feedback)
