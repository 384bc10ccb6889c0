"""The records ingest produces. Plain dataclasses: `service` stores them, nothing here stores anything.

Every span is a pair of character offsets into `Document.text` (the repaired, NFC text), so a
citation's quote is always `document.text[start:end]`.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass
class Section:
    path: str  # citation path: "II.2.1", "Điều 8.2", "Chương I"
    title: str  # heading text as written (may be empty for bare "Điều 8.")
    level: int  # 0 = top
    start: int  # span of the whole section (heading + body) in Document.text
    end: int
    heading_end: int  # end of the heading line
    parent: str | None = None
    # "part" (Phần), "chapter" (Chương), "section" (Mục), "article" (Điều), "roman" (I-, II.),
    # "item" (1. 1- 1)), "sub" (1.1., 2.1.3.), "clause" (numbered khoản inside an Điều), "point"
    # (a) a. đ)), "row" (a row of a duty table), "annex" (a Quy chế / Quy định after the signature).
    kind: str = ""
    number: str = ""  # its own label as written: "2", "II", "a", "đ", "2.1"


@dataclass
class TableRow:
    path: str  # the row's citation path; the row is also a Section of kind "row"
    start: int  # span of the whole row in Document.text
    end: int
    cells: list[Span]  # one span per column (same order as Table.columns); Span(x, x) when empty


@dataclass
class Table:
    """A duty table written as text: pipes, tabs, or one cell a line after a header row."""
    section: str | None  # path of the section holding the table
    start: int
    end: int
    columns: list[str]  # header cells as written: ["TT", "Nội dung", "Cơ quan chủ trì", …]
    rows: list[TableRow] = field(default_factory=list)


@dataclass
class MetaField:
    """A header or closing line, cited like any quote: Document.text[start:end]."""
    # "issuer" | "issuer_parent" | "number" | "place_date" | "type" | "title" | "basis" |
    # "recipients" (whole block) | "recipient" (one line of it) | "signature" (whole block) |
    # "signer_position" | "signer"
    name: str
    start: int
    end: int
    value: str = ""  # normalised value when there is one (ISO date for place_date, canonical number…)


@dataclass
class Footnote:
    number: int
    text: str
    start: int  # span of the footnote text in Document.text (footnotes are moved to the end)
    end: int
    marker_start: int | None  # where its marker ("¹", "(1)") stands in the running text
    marker_end: int | None
    section: str | None = None  # path of the section holding the marker


@dataclass
class Reference:
    number: str  # as written, canonical spacing: "01-KL/TW"
    type: str | None  # "Kết luận", "Quy định", ...
    issued: str | None  # ISO date if the citing sentence gives one
    issuer: str | None
    title: str | None  # subject the citing sentence gives
    cited_by: list[str] = field(default_factory=list)


@dataclass
class Deadline:
    text: str  # as written: "trước ngày 15/01/2024"
    start: date | None  # window the text allows
    end: date | None  # the bound as the text states it; see exclusive_end

    relative: str | None = None  # "20 ngày làm việc kể từ ngày nhận được báo cáo"
    recurrence: str | None = None  # "hằng năm", "định kỳ", "thường xuyên"
    exclusive_end: bool = False  # "trước ngày X": X itself is the bound, see docs/deadlines
    span: Span | None = None  # where `text` stands in the sentence/document given to the parser
    # What the expression is (docs/deadlines.md): dated | relative | recurring | event | ongoing | vague.
    kind: str = "dated"
    # RFC 5545 RRULE of a recurrence with a known rhythm ("FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=20");
    # `start` is its DTSTART when the text gives one ("từ năm 2026"), `end` its first due date.
    rrule: str | None = None
    # The anchor event as written: "kỳ họp cuối năm của Hội đồng nhân dân tỉnh", "ngày nhận được quyết định".
    # A relative deadline without one ("không quá 90 ngày") is a bare duration: its anchor is in the context.
    event: str | None = None
    # Set when the year was not written and came from the document's period ("trước 20/12" → 2025).
    implied_year: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "relative": self.relative,
            "exclusive_end": self.exclusive_end,  # "trước ngày X": X itself is already too late
            "class": self.kind,
            "rrule": self.rrule,
            "event": self.event,
            "implied_year": self.implied_year,
        }


@dataclass
class Sentence:
    start: int
    end: int
    section: str | None
    kind: str = "body"  # body | heading | footnote | preamble | row | header | closing


@dataclass
class Chunk:
    chunk_id: str
    position: int
    start: int  # display text = Document.text[start:end]
    end: int
    section: str | None
    section_title: str | None
    kind: str  # body | heading | footnote | preamble | row | header | closing
    index_text: str  # display text plus heading path and doc title, for the sparse/dense vectors
    context: str = ""  # heading path: titles of the sections above the chunk


@dataclass
class ActorRef:
    """One body, post or category of people a duty names, as the text names it (ingest.actors).

    Binding a user's role compares category, owner and levels through the gazetteer's hierarchy
    (`ingest.actors.binds`); `name` is what a role picker shows."""
    text: str  # the phrase as written, Document.text[start:end]: "Ủy ban kiểm tra các huyện ủy, thị ủy"
    name: str  # this one actor in the text's words: "Ủy ban kiểm tra huyện ủy"
    category: str  # gazetteer name: "Ủy ban Kiểm tra" (for a term the document defines, "Chủ thể kiểm tra",
    # one ref per category its definition names, each with the term as `name`)
    owner: str | None = None  # gazetteer name of the body it belongs to or heads: "huyện ủy", "trường học"
    in_body: str | None = None  # the body `owner` itself belongs to: "huyện ủy" in "cán bộ Văn phòng Huyện ủy"
    levels: list[str] = field(default_factory=list)  # trung ương | tỉnh | huyện | xã | thôn; empty: any level
    excluded: list[str] = field(default_factory=list)  # gazetteer names the text carves out: ["chi bộ thôn"]
    proper: str | None = None  # a proper name that singles the body out: "Bình Sơn" in "Báo Bình Sơn"
    part: str = "lead"  # lead | support ("phối hợp") | causee (made to act: "chỉ đạo Báo … mở chuyên mục")
    start: int = -1  # span of `text` in Document.text (-1: not from a document, e.g. a role)
    end: int = -1


@dataclass
class Obligation:
    id: str
    actors: list[str]
    action: str
    modality: str  # "phải", "nghiêm cấm", "khuyến khích", "tiếp tục", ...
    deadline: Deadline | None
    recurrence: str | None
    section: str | None
    start: int  # the quoted sentence
    end: int
    exceptions: list[str] = field(default_factory=list)  # footnotes narrowing who is bound
    # When the deadline is stated by another sentence ("Hoàn thành xây dựng kế hoạch trong tháng
    # 01/2024." closing the section whose duties build that plan): that sentence's span.
    deadline_source: tuple[int, int] | None = None
    # Where each of `exceptions` is stated (same order): span in Document.text and its citation
    # path ("footnote 2", or the sentence's own section for "(trừ chi bộ thôn, bản, tổ dân phố)").
    exception_sources: list[tuple[int, int, str | None]] = field(default_factory=list)
    # Who is bound, structured: category, owner, levels, exclusions, part (ingest.actors.binds reads
    # these). `actors` above lists their gazetteer categories, for display and older callers.
    actor_refs: list[ActorRef] = field(default_factory=list)
    # The whole sentence, when the quote is one duty clause of a sentence holding several
    # ("…, báo cáo 6 tháng trước ngày 10/6/2025 và báo cáo năm trước ngày 20/11/2025"), or a table row.
    context: tuple[int, int] | None = None


@dataclass
class Document:
    doc_id: str
    number: str | None
    type: str | None
    issuer: str | None
    place: str | None
    issued: date | None
    title: str | None
    signer: str | None
    recipients: list[str]
    completeness: str  # "full" | "partial"
    access: str  # "public" | "internal"
    text: str
    content_hash: str
    source: str  # file name it came from
    source_url: str | None = None
    # How the text was obtained when not the file's own Unicode text (readers.Provenance.to_json()):
    # {"source": "ocr", "ocr_confidence": 0.93, …} — quotes of recognised text say so.
    provenance: dict | None = None
    sections: list[Section] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    fields: list[MetaField] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        return self.issued.year if self.issued else None

    def section(self, path: str | None) -> Section | None:
        # An index by path, rebuilt when the list changes: callers look sections up once per
        # sentence, and a linear scan made that quadratic on documents with thousands of sections.
        key = (id(self.sections), len(self.sections))
        index = self.__dict__.get("_section_index")
        if index is None or index[0] != key:
            by_path: dict[str, Section] = {}
            for s in self.sections:
                by_path.setdefault(s.path, s)
            index = (key, by_path)
            self.__dict__["_section_index"] = index
        return index[1].get(path) if path is not None else None


def to_jsonable(obj: Any) -> Any:
    """dataclass → JSON-ready dict (dates as ISO strings)."""
    if hasattr(obj, "__dataclass_fields__"):
        # what asdict() then this would give, without its deep copy (the values are rebuilt here anyway)
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, dict):
        return {k: to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, date):
        return obj.isoformat()
    return obj
