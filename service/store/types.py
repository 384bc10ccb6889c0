"""What the rest of Sổ tay sees of the store: points, hits, filters, dumps and errors (no engine type)."""

from __future__ import annotations

import errno
from dataclasses import dataclass, field

SPARSE_VECTORS: tuple[str, ...] = ("bm25", "bm25_folded")
DENSE_VECTOR = "dense"
# Payload keys with a keyword index: those the store's filters test (StoreFilter's records, doc_ids,
# types, access; the visibility key). Each index costs an optimize a pass over every payload (measured
# on Edge, 24k points: ~2 s of CPU per index, the whole optimize without any 2.3 s), so a key nothing
# filters on has none (stores made before keep their "version", "kind" and "section" indexes; a filter
# on kinds still works, by reading the payloads).
INDEXED_FIELDS: tuple[str, ...] = ("record", "doc_id", "type", "access", "_dv")

RECORD_DOCUMENT = "document"  # the catalog points; reserved
DEFAULT_RECORDS: tuple[str, ...] = ("chunk",)


@dataclass
class SparseVec:
    indices: list[int]
    values: list[float]


@dataclass
class StorePoint:
    id: str  # a UUID string
    payload: dict
    sparse: dict[str, SparseVec] = field(default_factory=dict)  # "bm25", "bm25_folded"
    dense: list[float] | None = None


@dataclass
class Hit:
    id: str
    score: float
    payload: dict


@dataclass
class StoreFilter:
    records: list[str] | None = None  # payload "record": "chunk" | "obligation"; None = ["chunk"]
    doc_ids: list[str] | None = None
    types: list[str] | None = None  # payload "type" (document type, e.g. "Kế hoạch")
    access: list[str] | None = None  # allowed payload "access" values; points without one never match
    kinds: list[str] | None = None  # payload "kind" (body/heading/footnote/preamble)


class StoreError(Exception):
    """An error to show to the user: ``code`` is stable, ``message`` is Vietnamese."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message


class StoreLocked(StoreError):
    """The data directory is in use by another process (or another store in this one)."""

    def __init__(self, data_dir: str):
        super().__init__(
            "store_locked",
            f"Kho dữ liệu ở {data_dir} đang được một tiến trình khác sử dụng "
            "(có thể là `sotay serve` hoặc `sotay ingest` đang chạy). "
            "Hãy dừng tiến trình đó rồi thử lại, hoặc đặt SOTAY_DATA_DIR sang thư mục khác.",
        )
        self.data_dir = data_dir


@dataclass
class DocumentDump:
    """One document as stored: its catalog entry and its live points with their vectors (payloads
    without the store's internal keys). What export_documents emits and import_document takes."""

    catalog: dict
    points: list[StorePoint]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for p in self.points:
            rec = str(p.payload.get("record", "chunk"))
            out[rec] = out.get(rec, 0) + 1
        return out


def is_disk_full(exc: BaseException) -> bool:
    """An OS "no space left" error, raised by Python or reported by the engine's own I/O."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = str(exc)
    return "No space left on device" in text or "os error 28" in text or "Disk quota exceeded" in text


def disk_full_error(where: str, what: str) -> StoreError:
    return StoreError(
        "disk_full",
        f"Ổ đĩa chứa kho dữ liệu ({where}) đã đầy: không ghi được {what}. Dữ liệu đã có được giữ "
        "nguyên. Hãy giải phóng dung lượng ổ đĩa rồi thử lại.",
    )
