"""The one error type users see, and the checks every entry point applies to what users send."""
from __future__ import annotations

MAX_QUESTION = 2000  # characters; no real question is longer, and parsing cost grows with length


class UserError(Exception):
    """A problem with what the user asked for; `message` is Vietnamese and shown as is."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def check_query(text: str | None) -> str:
    """A question or search query as the service accepts it: not empty, not too long, stripped."""
    if text is None or not text.strip():
        raise UserError("empty_question", "Câu hỏi trống. Hãy nhập nội dung cần hỏi.")
    if len(text) > MAX_QUESTION:
        raise UserError("question_too_long", f"Câu hỏi dài quá {MAX_QUESTION} ký tự. Hãy hỏi ngắn gọn hơn.")
    return text.strip()


def check_k(k: int | None, most: int) -> None:
    if k is not None and not 1 <= k <= most:
        raise UserError("bad_k", f"Tham số k phải là số nguyên từ 1 đến {most}.")
