"""The knowledge base: one object that owns the store, the embedder and the retriever, and gives the
CLI and the HTTP API the same operations (ingest, documents, search, obligations, ask)."""
from __future__ import annotations

import functools
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable

from ingest.normalize import fold
from ingest.pipeline import build_document
from ingest.readers import RawDocument, ReadError, iter_sources, read_bytes, read_path

from .config import Settings
from .index.points import build_points
from .search import Passage, Retriever
from .store import Store, StoreFilter, open_store

log = logging.getLogger("sotay")


class UserError(Exception):
    """A problem with what the user asked for; `message` is Vietnamese and shown as is."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


@dataclass
class IngestItem:
    source: str
    status: str  # added | updated | unchanged | error
    doc_id: str | None = None
    number: str | None = None
    chunks: int = 0
    obligations: int = 0
    error: str | None = None
    code: str | None = None


@dataclass
class IngestReport:
    items: list[IngestItem] = field(default_factory=list)

    @property
    def errors(self) -> list[IngestItem]:
        return [i for i in self.items if i.status == "error"]

    def to_json(self) -> dict:
        counts: dict[str, int] = {}
        for i in self.items:
            counts[i.status] = counts.get(i.status, 0) + 1
        return {"counts": counts, "items": [i.__dict__ for i in self.items]}


def access_levels(scopes: Iterable[str]) -> list[str]:
    scopes = set(scopes)
    return ["public", "internal"] if scopes & {"internal", "admin"} else ["public"]


def section_label(path: str | None, none: str = "") -> str:
    """How a citation path reads in Vietnamese prose: "mục II.2.1", "Điều 8.2", "chú thích 2"."""
    if not path:
        return none
    if path.startswith("footnote"):
        return f"chú thích {path.split()[-1]}"
    if path.startswith(("Điều", "Chương", "Mục", "Phần")):
        return path
    return f"mục {path}"


def citation_from_payload(p: dict, n: int) -> dict:
    return {
        "n": n, "doc_id": p["doc_id"], "doc_number": p.get("doc_number"), "doc_title": p.get("doc_title"),
        "issued": p.get("issued"), "section": p.get("section"), "section_title": p.get("section_title"),
        "quote": p.get("quote") if p.get("quote") is not None else p.get("text"),
        "start": p["start"], "end": p["end"],
    }


def obligation_json(p: dict, n: int = 1) -> dict:
    return {
        "id": p["id"], "actors": p.get("actors", []), "action": p.get("action", ""),
        "modality": p.get("modality"), "deadline": p.get("deadline"), "recurrence": p.get("recurrence"),
        "exceptions": p.get("exceptions", []), "citation": citation_from_payload(p, n),
        # the sentence that states the deadline, when it is not the obligation's own sentence
        "deadline_citation": ({**citation_from_payload({**p, **p["deadline_source"]}, n)}
                              if p.get("deadline_source") else None),
        # where each exception is stated (same order as `exceptions`), cited like any quote
        "exception_citations": [citation_from_payload({**p, **src}, n) for src in p.get("exception_sources") or []],
    }


_ingest_depth = threading.local()


def _reported(method):
    """Hand each ingest item to the knowledge base's `ingest_listeners` (the metrics) once: only the
    outermost ingest call reports, since ingest_paths and ingest_bytes go through ingest_raw. A call
    that raises reports one error item."""
    @functools.wraps(method)
    def wrapper(self: "KnowledgeBase", *args, **kwargs):
        depth = getattr(_ingest_depth, "n", 0)
        _ingest_depth.n = depth + 1
        items: list[IngestItem] = [IngestItem(method.__name__, "error", code="exception")]
        try:
            result = method(self, *args, **kwargs)
            items = result.items if isinstance(result, IngestReport) else [result]
            return result
        finally:
            _ingest_depth.n = depth
            if depth == 0:
                for item in items:
                    for listener in list(self.ingest_listeners):
                        try:
                            listener(item)
                        except Exception:  # counting must never fail an ingest
                            log.exception("ingest listener failed")
    return wrapper


class KnowledgeBase:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.embedder = None
        if settings.embed_model:
            from .index.embed import Embedder

            self.embedder = Embedder(settings.embed_model)
        self.store: Store = open_store(
            data_dir=str(settings.data_dir), url=settings.qdrant_url, api_key=settings.qdrant_api_key,
            dense_dim=self.embedder.dim if self.embedder else None, collection=settings.collection,
            shards=settings.qdrant_shards, replicas=settings.qdrant_replicas, min_free_mb=settings.min_free_mb,
        )
        self.retriever = Retriever(self.store, self.embedder)
        self._write_lock = threading.Lock()
        self.ingest_listeners: list[Callable[[IngestItem], None]] = []  # told of every ingest item (metrics)
        self._pools: dict[tuple[str, ...], tuple[int, float, list[dict]]] = {}  # see obligation_pool
        self._writes = 0  # writes through this knowledge base (obligation_pool's validity)
        self._sections: dict[str, tuple[int, float, list[dict]]] = {}  # see section_tree

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "KnowledgeBase":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest -------------------------------------------------------------------------------

    @_reported
    def ingest_paths(self, paths: Iterable[str | Path]) -> IngestReport:
        report = IngestReport()
        paths = list(paths)
        for p in paths:
            if not Path(p).exists():
                report.items.append(IngestItem(Path(p).name, "error", code="unreadable",
                                               error=f"Không tìm thấy tệp hoặc thư mục '{p}'."))
        for path in iter_sources([p for p in paths if Path(p).exists()]):
            try:
                raw = read_path(path)
            except ReadError as e:
                report.items.append(IngestItem(e.source, "error", error=e.message, code=e.code))
                continue
            report.items.append(self.ingest_raw(raw))
        return report

    @_reported
    def ingest_bytes(self, data: bytes, filename: str, *, access: str | None = None) -> IngestItem:
        try:
            raw = read_bytes(data, filename)
        except ReadError as e:
            return IngestItem(e.source, "error", error=e.message, code=e.code)
        return self.ingest_raw(raw, access=access)

    @_reported
    def ingest_raw(self, raw: RawDocument, *, access: str | None = None) -> IngestItem:
        """`access` ("public" | "internal"), when given, overrides the document's front matter."""
        if access is not None:
            raw = RawDocument(raw.source, raw.format, raw.text, {**(raw.front_matter or {}), "access": access})
        try:
            doc = build_document(raw)
        except Exception as exc:  # a parser bug must not take the batch down; say which file
            log.exception("parse failed for %s", raw.source)
            return IngestItem(raw.source, "error", code="parse_failed",
                              error=f"Không phân tích được tệp '{raw.source}': {exc.__class__.__name__}.")
        catalog, points = build_points(doc, self.embedder)
        with self._write_lock:
            existed = self.store.catalog_entry(doc.doc_id) is not None
            changed = self.store.replace_document(catalog, points)
            if changed:
                self.retriever.stats.invalidate()
                self._wrote()
        status = "unchanged" if not changed else ("updated" if existed else "added")
        return IngestItem(raw.source, status, doc.doc_id, doc.number, len(doc.chunks), len(doc.obligations))

    def delete(self, doc_id: str) -> bool:
        with self._write_lock:
            deleted = self.store.delete_document(doc_id)
            self.retriever.stats.invalidate()
            self._wrote()
            return deleted

    # -- documents ----------------------------------------------------------------------------

    _PRIVATE = frozenset({"df", "version", "source"})
    _META = ["doc_id", "number", "type", "title", "issuer", "issued", "place", "completeness", "access", "counts",
             "references", "source", "version"]

    def _entries(self, scopes: Iterable[str]) -> list[dict]:
        levels = access_levels(scopes)
        return [e for e in self.store.catalog(with_fields=self._META) if e.get("access", "public") in levels]

    def documents(self, scopes: Iterable[str] = ("read",)) -> tuple[list[dict], list[dict]]:
        entries = self._entries(scopes)
        docs = [{
            "doc_id": e["doc_id"], "number": e.get("number"), "type": e.get("type"), "title": e.get("title"),
            "issuer": e.get("issuer"), "issued": e.get("issued"), "place": e.get("place"),
            "completeness": e.get("completeness"), "sections": (e.get("counts") or {}).get("sections", 0),
            "chunks": (e.get("counts") or {}).get("chunks", 0),
            "obligations": (e.get("counts") or {}).get("obligations", 0), "access": e.get("access", "public"),
        } for e in entries]
        docs.sort(key=lambda d: (d["issued"] or "", d["number"] or ""), reverse=True)
        # Only the visible documents count, both as citing and as present: an internal document's
        # references are not shown to readers, and a document they may not see is missing to them
        # (leaving it out of the list would reveal that it is stored).
        # Numbers restart each Party term (55-QĐ/TW of 2012 and of 2016): when both dates are known,
        # a reference is present only if a stored document has its number and its year.
        stored: dict[str, set[str | None]] = {}
        for e in entries:
            if e.get("number"):
                stored.setdefault(fold(e["number"]).lower(), set()).add((e.get("issued") or "")[:4] or None)
        missing: dict[str, dict] = {}
        for e in entries:
            for ref in e.get("references") or []:
                key = fold(ref["number"]).lower()
                years = stored.get(key)
                year = (ref.get("issued") or "")[:4] or None
                if years is not None and (year is None or None in years or year in years):
                    continue
                if years is not None:
                    key = f"{key}@{year}"  # same number, another term: listed apart
                m = missing.setdefault(key, {"number": ref["number"], "type": None, "issued": None, "issuer": None,
                                             "title": None, "cited_by": []})
                for f in ("type", "issued", "issuer", "title"):
                    m[f] = m[f] or ref.get(f)
                if e["doc_id"] not in m["cited_by"]:
                    m["cited_by"].append(e["doc_id"])
        return docs, sorted(missing.values(), key=lambda m: m["number"])

    def document(self, doc_id: str, scopes: Iterable[str] = ("read",)) -> dict:
        entry = self.store.catalog_entry(doc_id)
        if entry is None or entry.get("access", "public") not in access_levels(scopes):
            raise UserError("not_found", f"Không có văn bản '{doc_id}' trong kho.", 404)
        # Bookkeeping stays inside: term counts (ranking), the stored version, the server-side path.
        entry = {k: v for k, v in entry.items() if k not in self._PRIVATE}
        entry["sections_count"] = len(entry.get("sections") or [])
        return entry

    def resolve_doc(self, number: str | None, scopes: Iterable[str]) -> list[str] | None:
        """A document number as users write it ("222-KH/TU", "222-kh/tu", or a doc_id) → doc_ids."""
        if not number:
            return None
        want = fold(number).lower().replace(" ", "")
        ids = [e["doc_id"] for e in self._entries(scopes)
               if fold(e.get("number") or "").lower() == want or e["doc_id"] == number]
        if not ids:
            raise UserError("unknown_document", f"Không có văn bản số '{number}' trong kho.", 404)
        return ids

    # -- search -------------------------------------------------------------------------------

    def search(self, query: str, *, k: int = 10, doc: str | None = None, type_: str | None = None,
               scopes: Iterable[str] = ("read",)) -> list[Passage]:
        check_query(query)
        if not 1 <= k <= 100:
            raise UserError("bad_k", "Tham số k phải là số nguyên từ 1 đến 100.")
        flt = StoreFilter(access=access_levels(scopes), doc_ids=self.resolve_doc(doc, scopes),
                          types=[type_] if type_ else None)
        return self.retriever.search(query, k=k, flt=flt)

    # -- obligations --------------------------------------------------------------------------

    def obligations(self, *, role: str | None = None, doc: str | None = None, due_from: date | None = None,
                    due_to: date | None = None, scopes: Iterable[str] = ("read",)) -> list[dict]:
        from ingest.actors import binds, match_role

        if due_from and due_to and due_from > due_to:
            raise UserError("bad_dates", "Ngày bắt đầu (due_from) phải trước hoặc bằng ngày kết thúc (due_to).")
        the_role = None
        if role:
            the_role = match_role(role)
            if the_role is None:
                raise UserError("unknown_role", f"Không nhận ra vai trò '{role}'. Hãy chọn một vai trò trong danh sách, ví dụ 'bí thư chi bộ'.")
        doc_ids = self.resolve_doc(doc, scopes)
        wanted = set(doc_ids) if doc_ids is not None else None
        out = []
        for p in self.obligation_pool(scopes):
            if wanted is not None and p["doc_id"] not in wanted:
                continue
            if the_role is not None and not binds(p.get("actors", []), the_role):
                continue
            if due_from or due_to:
                end = p.get("due_end")
                if not end:
                    continue
                start = p.get("due_start") or end
                if due_from and end < due_from.isoformat():
                    continue
                if due_to and start > due_to.isoformat():
                    continue
            out.append(p)
        out.sort(key=lambda p: (p.get("due_end") or "9999", p["doc_id"], p["start"]))
        return [obligation_json(p, n) for n, p in enumerate(out, 1)]

    # A server store is also written by other replicas: how long a pool may be kept there, seconds.
    POOL_TTL_SERVER = 10.0

    def obligation_pool(self, scopes: Iterable[str] = ("read",)) -> list[dict]:
        """Every live obligation the caller may see, as stored payloads (shared: do not modify).
        Role questions and /api/obligations filter all of them, and scrolling them was the costliest
        store call of those requests under load, growing with the store; so the list is kept until the
        next write through this knowledge base (the embedded store's only writer) or, on a server
        store, for POOL_TTL_SERVER seconds."""
        levels = tuple(access_levels(scopes))
        writes, now = self._writes, time.monotonic()
        kept = self._pools.get(levels)
        if kept is not None and kept[0] == writes and (
                self.store.backend != "server" or now - kept[1] < self.POOL_TTL_SERVER):
            return kept[2]
        pool = self.store.scroll(StoreFilter(records=["obligation"], access=list(levels)))
        if writes == self._writes:  # else a write landed during the scroll: do not keep what may predate it
            self._pools[levels] = (writes, now, pool)
        return pool

    def section_tree(self, doc_id: str) -> list[dict]:
        """A stored document's sections (path, title, start, end, …), kept like obligation_pool:
        answers place every quote in its section, and reading the catalog for it each time showed
        in the load profile. Callers check access themselves (they hold the document's passages)."""
        writes, now = self._writes, time.monotonic()
        kept = self._sections.get(doc_id)
        if kept is not None and kept[0] == writes and (
                self.store.backend != "server" or now - kept[1] < self.POOL_TTL_SERVER):
            return kept[2]
        entry = self.store.catalog_entry(doc_id, with_fields=["sections"]) or {}
        tree = entry.get("sections") or []
        if writes == self._writes:
            if len(self._sections) >= 4096:  # bounded: a big store keeps its most recent documents
                self._sections.pop(next(iter(self._sections)))
            self._sections[doc_id] = (writes, now, tree)
        return tree

    def _wrote(self) -> None:
        self._writes += 1
        self._pools = {}
        self._sections = {}

    def stats(self) -> dict:
        return self.store.stats()


MAX_QUESTION = 2000


def check_query(text: str | None) -> str:
    if text is None or not text.strip():
        raise UserError("empty_question", "Câu hỏi trống. Hãy nhập nội dung cần hỏi.")
    if len(text) > MAX_QUESTION:
        raise UserError("question_too_long", f"Câu hỏi dài quá {MAX_QUESTION} ký tự. Hãy hỏi ngắn gọn hơn.")
    return text.strip()
