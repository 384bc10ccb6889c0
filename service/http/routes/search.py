"""``GET /api/search``: passages ranked by relevance."""
from __future__ import annotations

from fastapi import FastAPI, Query, Request
from fastapi.responses import Response
from pydantic import TypeAdapter

from ...errors import MAX_QUESTION
from ..cache import respond
from ..deps import kb, scopes
from ..schemas import ERRORS, SEARCH_K_MAX, SearchResponse

_RESPONSE = TypeAdapter(SearchResponse)


async def search(
    request: Request,
    q: str = Query(max_length=MAX_QUESTION, description="nội dung tìm kiếm"),
    k: int = Query(10, ge=1, le=SEARCH_K_MAX, description="số kết quả"),
    doc: str | None = Query(None, description="chỉ tìm trong văn bản số này (ví dụ 222-KH/TU) hoặc doc_id"),
    type: str | None = Query(None, description="chỉ tìm trong loại văn bản này (ví dụ 'Quy định')"),
) -> Response:
    def compute() -> dict:
        hits = kb(request).search(q, k=k, doc=doc or None, type_=type or None, scopes=scopes(request))
        return {"hits": [h.to_json() for h in hits]}

    return await respond(request, compute, _RESPONSE)


def install(app: FastAPI) -> None:
    app.get("/api/search", response_model=SearchResponse, responses=ERRORS, tags=["hỏi đáp"],
            summary="Các đoạn văn bản xếp theo mức liên quan")(search)
