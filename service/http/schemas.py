"""The API's request and response models (CONTRACT "Objects") and its documented error responses.

`extra="allow"`: fields added to the contract later (or the optional ones the service already returns,
e.g. Obligation.modality) pass through unchanged. The class names are the OpenAPI schema names.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from ..errors import MAX_QUESTION

ASK_K_MAX = 20  # answer_question accepts k in 1..20
SEARCH_K_MAX = 100  # KnowledgeBase.search accepts k in 1..100
ROLE_MAX = 200
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
HISTORY_MAX = 10  # earlier turns a follow-up is read against; the chat sends its last ten
COMMENT_MAX = 2000  # characters of a feedback comment


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
    reply: str | None = Field(None, description="câu trả lời trực tiếp, một dòng (cũng là dòng đầu của answer)")
    question_kind: str | None = Field(None, description="loại câu hỏi: deadline, role, metadata, content…")
    understood_as: str | None = Field(None, description="câu hỏi nối tiếp đã được hiểu thành câu hỏi đầy đủ này")
    role_applied: str | None = Field(None, description="vai trò đã dùng để lọc nhiệm vụ (chỉ với câu hỏi về nhiệm vụ)")
    as_of: str | None = Field(None, description="ngày tính thời hạn (YYYY-MM-DD): hạn trước ngày này là đã qua")


class Turn(BaseModel):
    """One earlier turn of a conversation: the question and the Answer this API gave."""
    question: str = Field(max_length=MAX_QUESTION)
    answer: Answer


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
    history: list[Turn] | None = Field(
        None, max_length=HISTORY_MAX,
        description=f"các lượt hỏi đáp trước, cũ nhất trước, tối đa {HISTORY_MAX}; câu hỏi nối tiếp "
                    "(“còn … thì sao?”, “hạn của việc đó?”) được hiểu theo lượt cuối")
    as_of: str | None = Field(None, pattern=ISO_DATE, description="tính thời hạn theo ngày này (YYYY-MM-DD); "
                                                                  "mặc định: hôm nay theo đồng hồ máy chủ",
                              examples=["2024-01-15"])


class FeedbackRequest(BaseModel):
    question: str = Field(min_length=1, max_length=MAX_QUESTION)
    answer: Answer
    rating: Literal[1, -1] = Field(description="1: hữu ích; -1: chưa đúng")
    comment: str | None = Field(None, max_length=COMMENT_MAX, description=f"góp ý, tối đa {COMMENT_MAX} ký tự")


class SearchResponse(BaseModel):
    hits: list[Passage]


class ObligationsResponse(BaseModel):
    obligations: list[Obligation]


class DocumentsResponse(BaseModel):
    documents: list[DocumentMeta]
    missing: list[Reference] = Field(description="văn bản được dẫn chiếu nhưng chưa có trong kho")


class RolesResponse(BaseModel):
    roles: list[str]


# Lessons (service/lessons/): the outline a trainer builds from a topic, and the request for it.
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
    replaced: dict[str, Any] | None = Field(
        None, description="văn bản đã có bị thay: {before: {source, access}, after: {source, access}}")


class IngestSummary(BaseModel):
    counts: dict[str, int]
    items: list[IngestedItem]


class CompactSummary(_Model):
    documents: int = Field(description="văn bản còn trong kho")
    points: int
    bytes: int = Field(description="dung lượng thư mục dữ liệu sau khi nén (byte)")
    freed: int = Field(description="dung lượng giải phóng (byte)")
    seconds: float


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
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Yêu cầu không hợp lệ"},
    404: {"model": ErrorBody, "description": "Không tìm thấy"},
    "4XX": {"model": ErrorBody, "description": "Lỗi khác của yêu cầu (405, 415…)"},
    "5XX": {"model": ErrorBody, "description": "Lỗi máy chủ hoặc kho dữ liệu"},
}
