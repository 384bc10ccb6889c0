"""What every route reads from its request: the shared knowledge base and the caller's scopes."""
from __future__ import annotations

from datetime import date

from fastapi import Request

from ..knowledge import KnowledgeBase
from ..errors import UserError
from . import security


def scopes(request: Request) -> tuple[str, ...]:
    """The caller's access scopes, as the security guard established them (service/http/security.py)."""
    return security.caller_scopes(request)


def kb(request: Request) -> KnowledgeBase:
    return request.app.state.kb


def parse_date(name: str, value: str | None) -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError("bad_date", f"Ngày '{name}' không hợp lệ: '{value}'. "
                                    "Hãy viết theo dạng YYYY-MM-DD, ví dụ 2024-01-15.") from None
