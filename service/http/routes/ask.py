"""``POST /api/ask``: a question answered with verbatim, cited quotes. The conversation lives with the
client: it sends the earlier turns (`history`), so any replica can answer a follow-up."""
from __future__ import annotations

from datetime import date

from fastapi import FastAPI, Request
from fastapi.responses import Response
from pydantic import TypeAdapter

from ...answers import answer_question
from ...retrieval.followup import Turn
from ..cache import respond
from ..deps import kb, parse_date, scopes
from ..schemas import ERRORS, Answer, AskRequest

_ANSWER = TypeAdapter(Answer)


async def ask(body: AskRequest, request: Request) -> Response:
    def compute() -> dict:
        as_of = parse_date("as_of", body.as_of) or date.today()
        history = [Turn(t.question, t.answer.model_dump(mode="json")) for t in body.history or []]
        return answer_question(kb(request), body.question, role=body.role or None, k=body.k,
                               scopes=scopes(request), as_of=as_of, history=history)

    return await respond(request, compute, _ANSWER, timed=True)


def install(app: FastAPI) -> None:
    app.post("/api/ask", response_model=Answer, responses=ERRORS, tags=["hỏi đáp"],
             summary="Trả lời một câu hỏi bằng trích dẫn nguyên văn")(ask)
