"""``POST /api/lessons`` (and ``.docx`` / ``.md``): a lesson outline from a topic, built with the
caller's scopes like every read (service/lessons/)."""
from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response

from ..deps import kb, scopes
from ..schemas import ERRORS, Lesson, LessonRequest


def _lesson(body: LessonRequest, request: Request) -> dict:
    from ...lessons.build import build_lesson  # on first use: not a first question's import

    return build_lesson(kb(request), body.topic, documents=body.documents, points=body.points, scopes=scopes(request))


def _lesson_file(body: LessonRequest, request: Request, ext: str) -> Response:
    # on first use: python-docx stays out of start-up
    from ...lessons.export import DOCX_TYPE, MARKDOWN_TYPE, lesson_docx, lesson_filename, lesson_markdown

    the_lesson = _lesson(body, request)
    data = lesson_docx(the_lesson) if ext == "docx" else lesson_markdown(the_lesson).encode("utf-8")
    return Response(data, media_type=DOCX_TYPE if ext == "docx" else MARKDOWN_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{lesson_filename(the_lesson["topic"], ext)}"'})


def lesson(body: LessonRequest, request: Request) -> Any:
    return _lesson(body, request)


def lesson_docx_route(body: LessonRequest, request: Request) -> Response:
    return _lesson_file(body, request, "docx")


def lesson_md_route(body: LessonRequest, request: Request) -> Response:
    return _lesson_file(body, request, "md")


def install(app: FastAPI) -> None:
    app.post("/api/lessons", response_model=Lesson, responses=ERRORS, tags=["bài giảng"],
             summary="Dàn ý bài giảng từ một chủ đề, chỉ gồm trích dẫn nguyên văn")(lesson)
    app.post("/api/lessons.docx", response_class=Response, tags=["bài giảng"],
             summary="Bài giảng dạng Word (.docx); 'points' giữ dàn ý đã sửa",
             responses={200: {"content": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document": {}},
                              "description": "tệp .docx"}, **ERRORS})(lesson_docx_route)
    app.post("/api/lessons.md", response_class=Response, tags=["bài giảng"],
             summary="Bài giảng dạng Markdown; 'points' giữ dàn ý đã sửa",
             responses={200: {"content": {"text/markdown": {}}, "description": "tệp .md"}, **ERRORS})(lesson_md_route)
