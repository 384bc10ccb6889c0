"""A file in, what the store takes out: read (an upload's bytes), parsed, named and given its access
against the stored catalog (``identity``), and its points built without dense vectors.

Pure — no store, no model, no network — so the service runs it in a worker process (``worker``),
away from the queries, and the command line runs it in-process. Whatever goes wrong comes back as
an error in the result (code and Vietnamese message), never as an exception across the process
boundary.
"""
from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from typing import Mapping

from ingest.pipeline import build_document, set_access
from ingest.readers import RawDocument, ReadError, read_bytes

from ..config import DEFAULT_MAX_DOCUMENT_CHARS
from .identity import Stored, id_chooser
from .points import Records, build_records

log = logging.getLogger("sotay")

DEFAULT_MAX_CHARS = DEFAULT_MAX_DOCUMENT_CHARS  # the size budget (config.py says why this much)


@dataclass
class Job:
    """One file to prepare: read already (``raw``), or an upload's bytes to read (``data``)."""
    source: str  # the file's name as shown (never a path)
    raw: RawDocument | None = None
    data: bytes | None = None
    max_pdf_pages: int = 500
    access: str | None = None  # the caller's choice (the upload form's), over the file's own
    # The catalog's identities as the caller last saw them (a dict for the worker process; in-process,
    # identity.StoredLookup reads them one id at a time).
    stored: Mapping[str, Stored] = field(default_factory=dict)
    max_chars: int = DEFAULT_MAX_CHARS
    dense_model: str | None = None  # the name of the model that will embed the points, if any


@dataclass
class Prepared:
    """The outcome: ``records`` and what they are, or ``code`` and ``error`` (Vietnamese)."""
    source: str
    records: Records | None = None
    doc_id: str | None = None
    number: str | None = None
    access: str = "public"
    access_explicit: bool = False  # the file or the caller said which access
    chunks: int = 0
    obligations: int = 0
    code: str | None = None
    error: str | None = None

    @property
    def version(self) -> str | None:
        return None if self.records is None else self.records.catalog.get("version")


def _vi(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def prepare(job: Job) -> Prepared:
    try:
        return _prepare(job)
    except MemoryError:
        return Prepared(job.source, code="too_large",
                        error=f"Tệp '{job.source}' cần quá nhiều bộ nhớ để phân tích; không nạp. Hãy chia văn bản "
                              "thành các tệp nhỏ hơn.")


def _prepare(job: Job) -> Prepared:
    raw = job.raw
    if raw is None:
        try:
            raw = read_bytes(job.data or b"", job.source, max_pdf_pages=job.max_pdf_pages)
        except ReadError as e:
            return Prepared(e.source, code=e.code, error=e.message)
    if job.access is not None:
        raw = dataclasses.replace(raw, front_matter={**(raw.front_matter or {}), "access": job.access})
    explicit = bool(str((raw.front_matter or {}).get("access") or "").strip())
    if len(raw.text) > job.max_chars:
        return Prepared(raw.source, code="too_large",
                        error=f"Văn bản '{raw.source}' dài {_vi(len(raw.text))} ký tự, vượt giới hạn "
                              f"{_vi(job.max_chars)} ký tự cho mỗi văn bản; không nạp. Hãy chia văn bản thành "
                              "các tệp nhỏ hơn.")
    try:
        doc = build_document(raw, choose_id=id_chooser(job.stored))
    except MemoryError:
        raise
    except Exception as exc:  # a parser bug must not take the batch down; say which file
        log.exception("parse failed for %s", raw.source)
        return Prepared(raw.source, code="parse_failed",
                        error=f"Không phân tích được tệp '{raw.source}': {exc.__class__.__name__}.")
    before = job.stored.get(doc.doc_id)
    if not explicit and before is not None and before.access != doc.access:
        set_access(doc, before.access)  # a file that does not say keeps the stored access
    records = build_records(doc, job.dense_model)
    return Prepared(raw.source, records, doc.doc_id, doc.number, doc.access, explicit,
                    len(doc.chunks), len(doc.obligations))


__all__ = ["DEFAULT_MAX_CHARS", "Job", "Prepared", "prepare"]
