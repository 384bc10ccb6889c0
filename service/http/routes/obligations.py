"""``GET /api/obligations`` and ``/api/obligations.ics``: duties and deadlines, as JSON or a calendar."""
from __future__ import annotations

from fastapi import FastAPI, Query, Request
from fastapi.responses import Response
from pydantic import TypeAdapter

from ..cache import respond
from ..deps import kb, parse_date, scopes
from ..schemas import ERRORS, ISO_DATE, ROLE_MAX, ObligationsResponse

ICS_FILENAME = "sotay-thoi-han.ics"

role_q = Query(None, max_length=ROLE_MAX, description="vai trò, ví dụ 'bí thư chi bộ'")
doc_q = Query(None, description="số văn bản (ví dụ 222-KH/TU) hoặc doc_id")
from_q = Query(None, pattern=ISO_DATE, description="hạn từ ngày (YYYY-MM-DD)", examples=["2024-01-01"])
to_q = Query(None, pattern=ISO_DATE, description="hạn đến ngày (YYYY-MM-DD)", examples=["2024-12-31"])


def _obligations(request: Request, role: str | None, doc: str | None, due_from: str | None,
                 due_to: str | None) -> list[dict]:
    return kb(request).obligations(
        role=role or None, doc=doc or None, due_from=parse_date("due_from", due_from),
        due_to=parse_date("due_to", due_to), scopes=scopes(request))


_RESPONSE = TypeAdapter(ObligationsResponse)


async def obligations(request: Request, role: str | None = role_q, doc: str | None = doc_q,
                      due_from: str | None = from_q, due_to: str | None = to_q) -> Response:
    return await respond(request, lambda: {"obligations": _obligations(request, role, doc, due_from, due_to)},
                         _RESPONSE)


def obligations_ics_route(request: Request, role: str | None = role_q, doc: str | None = doc_q,
                          due_from: str | None = from_q, due_to: str | None = to_q) -> Response:
    from ...answers.ics import obligations_ics  # on first use: icalendar stays out of start-up

    body = obligations_ics(_obligations(request, role, doc, due_from, due_to))
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{ICS_FILENAME}"'})


def install(app: FastAPI) -> None:
    app.get("/api/obligations", response_model=ObligationsResponse, responses=ERRORS, tags=["nhiệm vụ"],
            summary="Nhiệm vụ và thời hạn trích từ văn bản")(obligations)
    app.get("/api/obligations.ics", response_class=Response, tags=["nhiệm vụ"],
            summary="Lịch iCalendar của các nhiệm vụ có thời hạn",
            responses={200: {"content": {"text/calendar": {}}, "description": "tệp .ics"}, **ERRORS})(obligations_ics_route)
