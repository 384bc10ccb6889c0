"""``POST /api/ask``: a question answered with verbatim, cited quotes."""
from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request

from ...answers import answer_question
from ..deps import kb, scopes
from ..schemas import ERRORS, Answer, AskRequest


def ask(body: AskRequest, request: Request) -> Any:
    return answer_question(kb(request), body.question, role=body.role or None, k=body.k, scopes=scopes(request))


def install(app: FastAPI) -> None:
    app.post("/api/ask", response_model=Answer, responses=ERRORS, tags=["hỏi đáp"],
             summary="Trả lời một câu hỏi bằng trích dẫn nguyên văn")(ask)
