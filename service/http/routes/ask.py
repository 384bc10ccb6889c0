"""``POST /api/ask``: a question answered with verbatim, cited quotes. The conversation lives with the
client: it sends the earlier turns (`history`), so any replica can answer a follow-up."""
from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import FastAPI, Request

from ...answers import answer_question
from ...retrieval.followup import Turn
from ..deps import kb, parse_date, scopes
from ..schemas import ERRORS, Answer, AskRequest


def ask(body: AskRequest, request: Request) -> Any:
    as_of = parse_date("as_of", body.as_of) or date.today()
    history = [Turn(t.question, t.answer.model_dump(mode="json")) for t in body.history or []]
    return answer_question(kb(request), body.question, role=body.role or None, k=body.k, scopes=scopes(request),
                           as_of=as_of, history=history)


def install(app: FastAPI) -> None:
    app.post("/api/ask", response_model=Answer, responses=ERRORS, tags=["hỏi đáp"],
             summary="Trả lời một câu hỏi bằng trích dẫn nguyên văn")(ask)
