"""The knowledge base: one facade that owns the store, the embedder and the retriever, and gives the
CLI, the HTTP API, the answer composers and the lesson builder the same operations (ingest, documents,
search, obligations, ask) and the records they read — never the store itself."""
from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import threading
import time
from collections import OrderedDict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from ingest.normalize import fold
from ingest.pipeline import PIPELINE_VERSION
from ingest.readers import READER_VERSION, RawDocument, ReadError, iter_sources, read_path

from .config import Settings
from .errors import UserError, check_k, check_query
from .index.identity import FIELDS as IDENTITY_FIELDS
from .index.batch import FileResult, Params, prepare_file, prepared_in_order, workers_for
from .index.identity import Change, Stored, StoredLookup
from .index.points import embed_records
from .index.prepare import Job, Prepared, prepare
from .records import (Duty, IngestItem, IngestProgress, IngestReport, Passage, access_levels, document_meta,
                      missing_references)
from .retrieval.query import parse_question
from .retrieval.retriever import Retriever
from .store import EdgeStore, Store, StoreFilter, open_store
from .store.backup import Summary
from .store.backup import compact as compact_store

if TYPE_CHECKING:
    import numpy as np

    from .dutyindex import DutyIndex
    from .index.worker import ParseWorker

log = logging.getLogger("sotay")


_ingest_depth = threading.local()


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except (OSError, ValueError):
        return 0


def _tell(kb: "KnowledgeBase", items: list[IngestItem]) -> None:
    for item in items:
        for listener in list(kb.ingest_listeners):
            try:
                listener(item)
            except Exception:  # counting must never fail an ingest
                log.exception("ingest listener failed")


def _reported(method):
    """Hand each ingest item to the knowledge base's `ingest_listeners` (the metrics) once: only the
    outermost ingest call reports, since ingest_paths goes through ingest_raw. A call that raises
    reports one error item."""
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
                _tell(self, items)
    return wrapper


# "bí thư một chi bộ cơ sở thuộc Đảng bộ Khối các cơ quan tỉnh": what follows "thuộc" names the
# party committee above the role, whose level is not the role's ("tỉnh" would exclude the duties of
# chi bộ cơ sở). A body below a committee ("đảng viên thuộc chi bộ thôn") stays: it is the role's own.
_PARENT = re.compile(r"\s*,?\s+(?:trực\s+)?thuộc\s+(?:(?:Đảng|đảng)\s+(?:bộ|ủy|uỷ)|(?:Huyện|Tỉnh|Thành|Thị|Quận|huyện|tỉnh|thành|thị|quận)\s+(?:ủy|uỷ)|(?:Ban|ban)\s+(?:Thường|thường)\s+(?:vụ|vụ))\b.*$")


def _own_part(role_text: str) -> str:
    m = _PARENT.search(role_text)
    if m is None:
        return role_text
    from ingest.actors import find_actor_spans

    # "đảng ủy trực thuộc Tỉnh ủy", "chi bộ trực thuộc đảng ủy cơ sở": a body named by the committee it
    # stands under (one name the gazetteer knows, its "thuộc" inside) — that level of body, not any đảng ủy
    at = m.start() + m.group(0).lower().index("thuộc")
    if any(a.start < at < a.end for a in find_actor_spans(role_text)):
        return role_text
    return role_text[:m.start()].strip() or role_text


# Group writes of a folder's ingest (Store.replace_documents: three flushes per group, not per
# document). A group is written when it holds GROUP_DOCS documents or GROUP_CHARS characters of text,
# or its first document has waited GROUP_SECONDS. Bigger groups spend fewer flushes (≈ 80 ms each on
# this machine's disk, three per write) but hold more records in memory, and a crash loses more
# prepared (never stored) work, which the rerun does again.
GROUP_DOCS = 64
GROUP_CHARS = 4_000_000
GROUP_SECONDS = 2.0


class _Progress:
    """The report's items and the progress callback, told in file order as items become final."""

    def __init__(self, callback: Callable[[IngestProgress], None] | None, report: IngestReport,
                 items: list[IngestItem | None], sizes: list[int]):
        self.callback, self.report, self.items, self.sizes = callback, report, items, sizes
        self.chars_of = [0] * len(items)  # characters of each file stored (added or updated)
        self.next = 0
        self.bytes_done = self.chars = 0
        self.start = time.monotonic()

    def tell(self) -> None:
        while self.next < len(self.items) and self.items[self.next] is not None:
            n, item = self.next, self.items[self.next]
            assert item is not None
            self.report.items.append(item)
            self.bytes_done += self.sizes[n]
            self.chars += self.chars_of[n]
            self.next += 1
            if self.callback is not None:
                self.callback(IngestProgress(self.next, len(self.items), self.bytes_done, sum(self.sizes), self.chars,
                                             time.monotonic() - self.start, item))


class _GroupWriter:
    """Prepared files in, group writes out (KnowledgeBase._commit). Keeps the catalog's identities as
    this ingest leaves them, to check what each file was prepared against (index/batch.py)."""

    def __init__(self, kb: "KnowledgeBase", replace: bool, progress: _Progress):
        self.kb, self.replace, self.progress = kb, replace, progress
        self.snapshot: dict[str, Stored] = dict(kb._stored())  # what the workers decide against
        self.current = dict(self.snapshot)
        self.group: list[tuple[int, Prepared, str | None]] = []
        self.chars = 0
        self.since = 0.0

    def add(self, n: int, result: FileResult, key: str | None, params: Params) -> None:
        touched = set(result.consulted)
        if touched & {p.doc_id for _, p, _ in self.group}:
            self.flush()  # a document of the group is one this file's identity depends on
        if any(self.current.get(d) != seen for d, seen in result.consulted.items()):
            # An earlier file of this ingest changed what this one was prepared against (the same
            # number twice, an id it would have taken): prepare it again, against the store as it is.
            self.flush()
            result = prepare_file(result.path, params, StoredLookup(self.kb.store))
        p = result.prepared
        if p is None or p.records is None:
            code, error = (result.code, result.error) if p is None else (p.code, p.error)
            self.progress.items[n] = IngestItem(result.source, "error", code=code, error=error)
            return
        if not self.group:
            self.since = time.monotonic()
        self.group.append((n, p, key))
        self.progress.chars_of[n] = result.chars
        self.chars += result.chars
        if (len(self.group) >= GROUP_DOCS or self.chars >= GROUP_CHARS
                or time.monotonic() - self.since >= GROUP_SECONDS):
            self.flush()

    def flush(self) -> None:
        if not self.group:
            return
        group, self.group, self.chars = self.group, [], 0
        items = self.kb._commit([(p, key) for _, p, key in group], replace=self.replace, how="--replace")
        for (n, p, _), item in zip(group, items):
            self.progress.items[n] = item
            if item.status in ("added", "updated"):
                assert p.records is not None and p.doc_id is not None
                self.current[p.doc_id] = Stored.of({**p.records.catalog, "doc_id": p.doc_id})
            else:
                self.progress.chars_of[n] = 0


class KnowledgeBase:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.embedder = None
        if settings.embed_model:
            from .index.embed import open_embedder

            self.embedder = open_embedder(settings.embed_model, settings.embed_threads, settings.embed_workers)
        self.store: Store = open_store(
            data_dir=str(settings.data_dir), url=settings.qdrant_url, api_key=settings.qdrant_api_key,
            dense_dim=self.embedder.dim if self.embedder else None, collection=settings.collection,
            shards=settings.qdrant_shards, replicas=settings.qdrant_replicas, min_free_mb=settings.min_free_mb,
        )
        self.retriever = Retriever(self.store, self.embedder)
        # Where uploads are parsed: None = here; the service sets an index.worker.ParseWorker.
        self.parser: "ParseWorker | None" = None
        # When the first deletion or replacement since the last compaction happened (time.monotonic).
        self.garbage_since: float | None = None
        self._write_lock = threading.Lock()
        self._duty_index_lock = threading.Lock()  # see duty_index
        self.ingest_listeners: list[Callable[[IngestItem], None]] = []  # told of every ingest item (metrics)
        self._cache: dict[tuple, tuple[int, float, object]] = {}  # see _kept
        # Duty records by point id (see duty_records): an id never changes meaning (it derives from its
        # document's version), so they outlive writes.
        self._duty_records: "OrderedDict[str, Duty]" = OrderedDict()
        self._writes = 0  # writes through this knowledge base (the validity of _kept reads)
        self.last_ingest_workers = 1  # processes the last ingest_paths prepared its files in (the benchmark says)
        self.last_ingest_worker_cpu_s = 0.0  # CPU seconds its worker processes spent (0 when there were none)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "KnowledgeBase":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest -------------------------------------------------------------------------------

    @_reported
    def ingest_paths(self, paths: Iterable[str | Path],
                     progress: Callable[[IngestProgress], None] | None = None, *,
                     replace: bool = False) -> IngestReport:
        """Every file of `paths` (folders walked), each reported in order: added, updated, unchanged
        or error. A file whose name and bytes were stored before by this same pipeline is "unchanged"
        without being read again, so a rerun after an interruption only reads what was not yet
        stored. The files are prepared on every core (index/batch.py; ``Settings.ingest_workers``)
        and written in groups (``Store.replace_documents``: one set of flushes per group, each
        document whole or not at all). `progress` is told after each file. ``replace``: see ingest_raw."""
        report = IngestReport()
        paths = list(paths)
        for p in paths:
            if not Path(p).exists():
                report.items.append(IngestItem(Path(p).name, "error", code="unreadable",
                                               error=f"Không tìm thấy tệp hoặc thư mục '{p}'."))
        files = list(iter_sources([p for p in paths if Path(p).exists()]))
        keys = [self._source_key(f) for f in files]
        stored = self._stored_sources()
        items: list[IngestItem | None] = [IngestItem(f.name, "unchanged", **stored[k]) if k is not None and k in stored
                                          else None for f, k in zip(files, keys)]
        todo = [n for n, item in enumerate(items) if item is None]
        sizes = [_size(f) for f in files]
        self.last_ingest_workers = workers_for(len(todo), self.settings.ingest_workers, sum(sizes[n] for n in todo))
        self.last_ingest_worker_cpu_s = 0.0
        tracker = _Progress(progress, report, items, sizes)
        if len(todo) <= 1:  # one file to read: no catalog snapshot (ingest_raw reads only the ids it needs)
            for n in todo:
                items[n], tracker.chars_of[n] = self._ingest_file(files[n], keys[n], replace)
            tracker.tell()
            return report
        writer = _GroupWriter(self, replace, tracker)
        params = Params(self.settings.max_document_chars, self._dense_name())
        results = prepared_in_order([files[n] for n in todo], params, writer.snapshot, self.last_ingest_workers)
        try:
            for n, result in zip(todo, results):
                if self.last_ingest_workers > 1:
                    self.last_ingest_worker_cpu_s += result.cpu_s
                writer.add(n, result, keys[n], params)
                tracker.tell()
            writer.flush()
        finally:
            results.close()  # stops the workers when a write failed
        tracker.tell()
        return report

    def _ingest_file(self, path: Path, key: str | None, replace: bool) -> tuple[IngestItem, int]:
        """One file, read and stored here on its own (ingest_raw); and its characters when stored."""
        try:
            raw = read_path(path)
        except ReadError as e:
            return IngestItem(e.source, "error", error=e.message, code=e.code), 0
        item = self.ingest_raw(raw, source_key=key, replace=replace)
        return item, len(raw.text) if item.status in ("added", "updated") else 0

    def _dense_name(self) -> str | None:
        return self.embedder.name if self.embedder is not None else None

    def _source_key(self, path: Path) -> str | None:
        """A file's name and bytes, with the versions of everything that turns them into records:
        equal keys give equal records. None when the file cannot be read (read_path says why)."""
        h = hashlib.sha256(f"{PIPELINE_VERSION}|{READER_VERSION}|{self.settings.embed_model or ''}|"
                           f"{path.name}|".encode())
        try:
            with open(path, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
        except (OSError, ValueError):
            return None
        return h.hexdigest()

    def _stored_sources(self) -> dict[str, dict]:
        """source key → what an "unchanged" item reports, for every stored document that has one."""
        out = {}
        for e in self.store.catalog(with_fields=["source_key", "number", "counts"]):
            if e.get("source_key"):
                counts = e.get("counts") or {}
                out[e["source_key"]] = {"doc_id": e["doc_id"], "number": e.get("number"),
                                        "chunks": counts.get("chunks", 0), "obligations": counts.get("obligations", 0)}
        return out

    @_reported
    def ingest_bytes(self, data: bytes, filename: str, *, access: str | None = None, replace: bool = False,
                     max_pdf_pages: int = 500, how: str = "replace=true") -> IngestItem:
        """An upload's bytes, read and parsed in the upload worker when one is set (the service: see
        ``parser``), else here. ``how`` tells a refused caller how to confirm a replacement."""
        job = Job(filename, data=bytes(data), max_pdf_pages=max_pdf_pages, access=access)
        return self._ingest(job, replace=replace, how=how)

    @_reported
    def ingest_raw(self, raw: RawDocument, *, access: str | None = None, replace: bool = False,
                   how: str = "--replace", source_key: str | None = None) -> IngestItem:
        """`access` ("public" | "internal"), when given, overrides the document's front matter; a
        file that says nothing keeps the stored document's access. Storing a file over a document
        that came from another file, or with another access, needs ``replace`` (index/identity.py).
        `source_key` (see ingest_paths) is kept in the catalog entry."""
        return self._ingest(Job(raw.source, raw=raw, access=access), replace=replace, how=how,
                            source_key=source_key)

    def report(self, item: IngestItem) -> None:
        """Count an ingest the caller refused before it reached the knowledge base (an upload over
        the size limit, of an unsupported type)."""
        _tell(self, [item])

    def _stored(self) -> dict[str, Stored]:
        """The whole catalog's identities, for a parse in the worker process (one read per upload)."""
        return self._kept(("stored",), lambda: {e["doc_id"]: Stored.of(e) for e in self.store.catalog(
            with_fields=IDENTITY_FIELDS)})

    def _ingest(self, job: Job, *, replace: bool, how: str, source_key: str | None = None) -> IngestItem:
        in_worker = self.parser is not None and job.data is not None
        # Here, the ids a file may have are looked up one by one (reading the catalog per file of a
        # folder would make `sotay ingest` quadratic in the store's size).
        job.stored = self._stored() if in_worker else StoredLookup(self.store)
        job.max_chars = self.settings.max_document_chars
        job.dense_model = self._dense_name()
        p = self.parser.run(job) if in_worker else prepare(job)
        if p.records is None:
            return IngestItem(p.source, "error", code=p.code, error=p.error)
        return self._commit([(p, source_key)], replace=replace, how=how)[0]

    def _commit(self, group: list[tuple[Prepared, str | None]], *, replace: bool, how: str) -> list[IngestItem]:
        """Store prepared documents (each with its source key) in one group write: each one added,
        updated, unchanged (this version is stored) or refused (it needs ``replace``). Their doc_ids
        must differ."""
        items: list[IngestItem] = []
        wanted: list[int] = []
        for i, (p, source_key) in enumerate(group):
            assert p.records is not None
            if source_key is not None:
                p.records.catalog["source_key"] = source_key
            items.append(IngestItem(p.source, "unchanged", p.doc_id, p.number, p.chunks, p.obligations))
            change = self._change(p)
            if change is None:
                continue
            if change.reasons() and not replace:  # refused before the dense model runs
                items[i] = self._refused(p, change, how)
                continue
            wanted.append(i)
        if self.embedder is not None:
            for i in wanted:
                embed_records(group[i][0].records, self.embedder)
        writes: list[tuple[int, Change]] = []
        with self._write_lock:
            for i in wanted:
                p = group[i][0]
                change = self._change(p)  # again: the store may have changed meanwhile
                if change is None:
                    continue
                if change.reasons() and not replace:
                    items[i] = self._refused(p, change, how)
                    continue
                writes.append((i, change))
            changed: list[bool] = []
            try:
                changed = self.store.replace_documents(
                    [(group[i][0].records.catalog, group[i][0].records.points) for i, _ in writes]) if writes else []
            finally:
                if any(changed) or (writes and len(changed) < len(writes)):  # a write that failed may have changed some
                    self.retriever.stats.invalidate()
                    self._wrote()
        for (i, change), written in zip(writes, changed):
            if written:
                items[i].status = "updated" if change.before is not None else "added"
                items[i].replaced = change.to_json()
                if change.before is not None:
                    self._left_garbage()
        return items

    def _change(self, p: Prepared) -> Change | None:
        """What storing ``p`` changes (None: the stored version is this one)."""
        entry = self.store.catalog_entry(p.doc_id, with_fields=IDENTITY_FIELDS)
        before = Stored.of({**entry, "doc_id": p.doc_id}) if entry else None
        if before is not None and before.version == p.version:
            return None
        return Change(p.doc_id, before, p.source, p.access)

    @staticmethod
    def _refused(p: Prepared, change: Change, how: str) -> IngestItem:
        return IngestItem(p.source, "error", p.doc_id, p.number, code="replace_required", error=change.refusal(how),
                          replaced=change.to_json())

    def delete(self, doc_id: str) -> bool:
        with self._write_lock:
            try:
                deleted = self.store.delete_document(doc_id)
            finally:  # a deletion that failed may have removed some of the document
                self.retriever.stats.invalidate()
                self._wrote()
            if deleted:
                self._left_garbage()
            return deleted

    # -- compaction ---------------------------------------------------------------------------

    def _left_garbage(self) -> None:
        """A deletion or a replacement: the old text stays in the engine's files until a compaction."""
        if self.garbage_since is None:
            self.garbage_since = time.monotonic()

    def compact(self) -> "Summary | None":
        """Purge deleted and replaced documents from the embedded store's files (store.backup.compact).
        None on a Qdrant server, whose optimizer drops deleted points by itself."""
        if not isinstance(self.store, EdgeStore):
            return None
        with self._write_lock:
            summary = compact_store(self.store)
            self.garbage_since = None
            self.retriever.stats.invalidate()
            self._wrote()
        return summary

    # -- documents ----------------------------------------------------------------------------

    _PRIVATE = frozenset({"df", "version", "source", "source_key"})
    _META = ["doc_id", "number", "type", "title", "issuer", "issued", "place", "completeness", "access", "counts"]
    # What each document cites (80 % of the metadata's bytes: 0.3-0.4 s of JSON at 9k documents), kept
    # apart so that the questions that read no references (most; a first question's) do not parse them.
    _REFERENCES = ["access", "references"]
    _META_BEFORE = [*_META, "references"]  # kept in one file by versions before that: split once

    def meta(self, levels: list[str]) -> list[dict]:
        """Catalog entries without references (metadata) of the documents visible at `levels`, kept like
        obligation_pool: every named-document answer reads them."""
        return [e for e in self._all_meta() if e.get("access", "public") in levels]

    def _all_meta(self) -> list[dict]:
        return self._kept(("meta",), lambda: self.store.catalog(with_fields=self._META, derive_from=self._META_BEFORE))

    def entries(self, levels: list[str]) -> list[dict]:
        """Catalog entries (metadata and references) of the documents visible at `levels`, kept like
        meta: every missing-reference lookup reads them."""
        def read() -> list[dict]:
            refs = {e["doc_id"]: e.get("references") for e in self.store.catalog(
                with_fields=self._REFERENCES, derive_from=self._META_BEFORE)}
            return [{**e, "references": refs.get(e["doc_id"])} for e in self._all_meta()]

        return [e for e in self._kept(("entries",), read) if e.get("access", "public") in levels]

    def documents(self, scopes: Iterable[str] = ("read",)) -> tuple[list[dict], list[dict]]:
        """Stored documents (DocumentMeta) and the ones they cite that are not stored (Reference).
        Only the visible documents count, both as citing and as present: an internal document's
        references are not shown to readers, and a document they may not see is missing to them
        (leaving it out of the list would reveal that it is stored)."""
        levels = access_levels(scopes)
        docs = [document_meta(e) for e in self.meta(levels)]
        docs.sort(key=lambda d: (d["issued"] or "", d["number"] or ""), reverse=True)
        return docs, self.missing_references(levels)

    def missing_references(self, levels: list[str]) -> list[dict]:
        """The documents the visible ones cite that are not stored (shared: do not modify), kept like
        entries: every question naming an unstored number reads them."""
        return self._kept(("missing", *levels), lambda: missing_references(self.entries(levels)))

    def writes_name(self, name: str, levels: list[str]) -> bool:
        """Whether some visible document's text writes `name` ("Đồng Lạc"), folded, as whole words.
        The folded texts are read once per store version (only questions naming a locality ask)."""
        texts = self._kept(("folded_texts", *levels), lambda: "\n".join(
            fold((self.store.catalog_entry(e["doc_id"], with_fields=["text"]) or {}).get("text") or "").lower()
            for e in self.meta(levels)))
        key = " ".join(fold(name).lower().split())
        return bool(key) and re.search(rf"(?<![0-9a-z]){re.escape(key)}(?![0-9a-z])", texts) is not None

    def citing_docs(self, number: str, levels: list[str]) -> set[str]:
        """Visible documents whose references include `number` (the plans implementing a directive)."""
        key = fold(number).lower().replace(" ", "")
        return {e["doc_id"] for e in self.entries(levels)
                if any(fold(r.get("number") or "").lower().replace(" ", "") == key for r in e.get("references") or [])}

    def document(self, doc_id: str, scopes: Iterable[str] = ("read",)) -> dict:
        """The contract's Document (metadata, section tree, full text) of a visible document."""
        entry = self.entry(doc_id, access_levels(scopes))
        if entry is None:
            raise UserError("not_found", f"Không có văn bản '{doc_id}' trong kho.", 404)
        # Bookkeeping stays inside: term counts (ranking), the stored version, the server-side path.
        entry = {k: v for k, v in entry.items() if k not in self._PRIVATE}
        entry["sections_count"] = len(entry.get("sections") or [])
        return entry

    def entry(self, doc_id: str, levels: list[str]) -> dict | None:
        """A visible document's whole catalog entry (shared: do not modify); None when the caller may
        not read it — checked against the cached metadata before the entry is loaded."""
        # The same work for an id that is stored at another level as for one that is not stored:
        # a set lookup, then nothing (the entry of an internal document is never loaded for a reader,
        # so the answer's time does not tell that it exists).
        visible = self._kept(("visible", *levels), lambda: {e["doc_id"] for e in self.meta(levels)})
        if doc_id not in visible:
            return None
        return self._kept(("entry", doc_id), lambda: self.store.catalog_entry(doc_id), bounded=True)

    def resolve_doc(self, number: str | None, scopes: Iterable[str]) -> list[str] | None:
        """A document number as users write it ("222-KH/TU", "222-kh/tu", or a doc_id) → doc_ids."""
        if not number:
            return None
        want = fold(number).lower().replace(" ", "")
        ids = [e["doc_id"] for e in self.meta(access_levels(scopes))
               if fold(e.get("number") or "").lower().replace(" ", "") == want or e["doc_id"] == number]
        if not ids:
            raise UserError("unknown_document", f"Không có văn bản số '{number}' trong kho.", 404)
        return ids

    def doc_passages(self, doc_id: str, levels: list[str]) -> list[Passage]:
        """Every passage of a visible document, in reading order."""
        rows = self.store.scroll(StoreFilter(access=levels, doc_ids=[doc_id]))
        return sorted((Passage.of(p) for p in rows), key=lambda p: p.position)

    # -- search and answers -------------------------------------------------------------------

    def search(self, query: str, *, k: int = 10, doc: str | None = None, type_: str | None = None,
               scopes: Iterable[str] = ("read",)) -> list[Passage]:
        query = check_query(query)
        check_k(k, 100)
        levels = access_levels(scopes)
        lk = self.retriever.lookup(parse_question(query), levels, doc_ids=self.resolve_doc(doc, scopes),
                                   types=[type_] if type_ else None)
        return self.retriever.search(lk, k=k)

    def ask(self, question: str, *, role: str | None = None, k: int | None = None,
            scopes: Iterable[str] = ("read",), as_of: date | None = None) -> dict:
        from .answers import answer_question

        return answer_question(self, question, role=role, k=k, scopes=scopes, as_of=as_of)

    # -- roles --------------------------------------------------------------------------------

    def role(self, text: str, *, explicit: bool = False, levels: Iterable[str] = ("public",)):
        """What a user calls themselves → the Role that says which duties bind them: a role of
        roles.yaml, or a body, post or defined term the visible documents name ("Ban Tuyên giáo
        Tỉnh ủy", "chủ thể kiểm tra")."""
        from ingest.actors import actor_index, match_role

        levels = list(levels)
        index = self._kept(("actor_index", *levels), lambda: actor_index(self.known_actors(levels)))
        found = match_role(_own_part(text), known_actors=index)
        if found is None and explicit:
            raise UserError("unknown_role", f"Không nhận ra vai trò '{text}'. Hãy chọn một vai trò trong danh sách, "
                                            "ví dụ 'bí thư chi bộ'.")
        return found

    def binds(self, duty: Duty, role) -> bool:
        from ingest.actors import binds

        return binds(duty.actors, role, duty.refs or None)

    def known_actors(self, levels: Iterable[str]) -> list[dict]:
        """Every actor the visible duties name (ActorRef as stored, without its position in the text;
        each once, in the order of the first duty naming it), for matching and listing roles."""
        levels = list(levels)
        return self._kept(("actors", *levels), lambda: self.duty_index().known_refs(levels))

    def bound_duties(self, role, levels: Iterable[str]) -> "np.ndarray":
        """The visible duties (DutyIndex ordinals, in store order) that bind `role`: decided once per
        group of duties naming the same actors, as `binds` decides it for each."""
        from ingest.actors import binds

        idx = self.duty_index()
        return idx.bound(idx.visible(levels), lambda g: binds(g.actors, role, g.refs or None))

    def role_list(self, scopes: Iterable[str] = ("read",)) -> list[str]:
        """The roles a user can pick: roles.yaml's, then the bodies and posts the visible documents name."""
        from ingest.actors import role_list

        return [name for name in dict.fromkeys(role_list(self.known_actors(access_levels(scopes)))) if name]

    def exemptions(self, duty: Duty, role) -> list[str]:
        from ingest.actors import exemptions

        return exemptions(duty.exceptions, role)

    # -- obligations --------------------------------------------------------------------------

    def obligations(self, *, role: str | None = None, doc: str | None = None, due_from: date | None = None,
                    due_to: date | None = None, scopes: Iterable[str] = ("read",)) -> list[dict]:
        from .records import Citations, obligation_json

        if due_from and due_to and due_from > due_to:
            raise UserError("bad_dates", "Ngày bắt đầu (due_from) phải trước hoặc bằng ngày kết thúc (due_to).")
        levels = access_levels(scopes)
        the_role = self.role(role, explicit=True, levels=levels) if role else None
        doc_ids = self.resolve_doc(doc, scopes)
        if the_role is None and doc_ids is None and not (due_from or due_to):
            out = list(self.duties(levels))  # every duty: the kept records
        else:  # the duties the filters can select, from the index; records of those only
            idx = self.duty_index()
            sel = idx.visible(levels) if the_role is None else self.bound_duties(the_role, levels)
            if doc_ids is not None:
                sel = idx.of_docs(doc_ids, sel)
            if due_from or due_to:
                sel = idx.due_overlapping(sel, due_from.isoformat() if due_from else None,
                                          due_to.isoformat() if due_to else None)
            out = list(self.duty_records(sel).values())
        out.sort(key=lambda d: d.sort_key)
        cites = Citations()  # one numbering for the list: the same sentence keeps one number
        return [obligation_json(d, cites) for d in out]

    def duties(self, levels: list[str]) -> list[Duty]:
        """Every live obligation visible at `levels` (shared: do not modify)."""
        return self._kept(("duties", *levels), lambda: [Duty.of(p) for p in self.store.scroll(
            StoreFilter(records=["obligation"], access=list(levels)))])

    def duty_index(self, stop: threading.Event | None = None) -> "DutyIndex":
        """The live duties indexed by who they bind, their document, their dates and their words
        (dutyindex.py), kept until the next write (and beside the embedded store). Built by one caller
        at a time: a question arriving while the server's warm-up builds it waits for that build
        instead of reading every duty a second time beside it. `stop`: see DutyIndex.of_store."""
        from .dutyindex import DutyIndex

        with self._duty_index_lock:
            return self._kept(("duty_index",), lambda: DutyIndex.of_store(self.store, stop))

    # Duty records kept by point id, at most (a record is a few KB).
    KEPT_DUTIES = 4096
    # Points read per engine call when making records of selected duties.
    RETRIEVE_BATCH = 1000

    def duty_records(self, ordinals: Iterable[int]) -> dict[int, Duty]:
        """Records of the given duties, by DutyIndex ordinal (in the order given; a duty no longer
        stored is left out)."""
        idx = self.duty_index()
        ords = [int(o) for o in ordinals]
        ids = [idx.point_id(o) for o in ords]
        kept = self._duty_records
        missing = [i for i in dict.fromkeys(ids) if i not in kept]
        got: dict[str, Duty] = {}
        for n in range(0, len(missing), self.RETRIEVE_BATCH):
            for pid, payload in self.store.retrieve(missing[n:n + self.RETRIEVE_BATCH]).items():
                got[pid] = kept[pid] = Duty.of(payload)
        out: dict[int, Duty] = {}
        for o, i in zip(ords, ids):
            d = got.get(i) or kept.get(i)
            if d is not None:
                if i in kept:
                    kept.move_to_end(i)
                out[o] = d
        while len(kept) > self.KEPT_DUTIES:
            kept.popitem(last=False)
        return out

    def duty_fields(self, ordinals: Iterable[int], fields: list[str]) -> dict[int, dict]:
        """Some payload fields of the given duties, by ordinal (in the order given; a duty no longer
        stored is left out): for reading a few fields of many duties, no record made."""
        idx = self.duty_index()
        ords = [int(o) for o in ordinals]
        ids = [idx.point_id(o) for o in ords]
        out: dict[int, dict] = {}
        for n in range(0, len(ids), self.RETRIEVE_BATCH):
            got = self.store.retrieve(ids[n:n + self.RETRIEVE_BATCH], fields=fields)
            for o, pid in zip(ords[n:n + self.RETRIEVE_BATCH], ids[n:n + self.RETRIEVE_BATCH]):
                if pid in got:
                    out[o] = got[pid]
        return out

    def duty_texts(self, ordinals: Iterable[int]) -> dict[int, str]:
        """The text a role's topic is matched against (dutyindex.duty_text) of the given duties, by
        ordinal."""
        from .dutyindex import duty_text

        return {o: duty_text(p.get("section_title"), p.get("quote") or "")
                for o, p in self.duty_fields(ordinals, ["section_title", "quote"]).items()}

    def issuer_places(self, levels: list[str]) -> dict[str, str]:
        """doc_id → "issuer place" of the visible documents (answers.context.Context.issuer_place)."""
        return self._kept(("issuer_places", *levels), lambda: {
            e["doc_id"]: f"{e.get('issuer') or ''} {e.get('place') or ''}" for e in self.meta(levels)})

    def obligation_pool(self, scopes: Iterable[str] = ("read",)) -> list[dict]:
        """The stored obligation payloads the caller may see (lessons read them as they are)."""
        levels = access_levels(scopes)
        return self._kept(("pool", *levels), lambda: self.store.scroll(StoreFilter(records=["obligation"],
                                                                                      access=levels)))

    def section_tree(self, doc_id: str) -> list[dict]:
        """A stored document's sections (path, title, start, end, …). Callers check access themselves
        (they hold the document's passages)."""
        return self._kept(("sections", doc_id),
                          lambda: (self.store.catalog_entry(doc_id, with_fields=["sections"]) or {}).get("sections") or [],
                          bounded=True)

    # -- caches -------------------------------------------------------------------------------

    # A server store is also written by other replicas: how long a kept read may be used, seconds.
    POOL_TTL_SERVER = 10.0
    # Per-document reads kept at most (a big store keeps its most recent documents).
    KEPT_DOCS = 4096

    def _kept(self, key: tuple, read: Callable[[], object], *, bounded: bool = False):
        """Reads kept until the next write through this knowledge base (the embedded store's only
        writer) or, on a server store, for POOL_TTL_SERVER seconds. Scrolling every obligation and
        reading the catalog per request was the costliest store call under load."""
        writes, now = self._writes, time.monotonic()
        kept = self._cache.get(key)
        if kept is not None and kept[0] == writes and (
                self.store.backend != "server" or now - kept[1] < self.POOL_TTL_SERVER):
            return kept[2]
        value = read()
        if writes == self._writes:  # else a write landed during the read: do not keep what may predate it
            if bounded and len(self._cache) >= self.KEPT_DOCS:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = (writes, now, value)
        return value

    def kept(self, key: tuple, read: Callable[[], object]):
        """A value the layers above derive from the stored records (`key`: what it is, and the access
        levels it was read at), kept like the reads here: until the next write."""
        return self._kept(("derived", *key), read)

    def _wrote(self) -> None:
        self._writes += 1
        self._cache = {}

    @property
    def generation(self) -> int:
        """Changes with every write through this knowledge base (ingest, deletion, compaction): what
        was read at one generation may be stale at the next (the service's kept responses)."""
        return self._writes

    def keep_caches(self) -> None:
        """Read what a server's first questions read from the whole catalog (term statistics, the
        documents' metadata and, apart, their references, at each access level) and build the duty
        index (dutyindex.py), so that they are kept beside the store for the next start
        (Store.keep_derived): `sotay ingest` ends with it, a server need not begin with it."""
        for levels in (["public"], ["public", "internal"]):
            self.retriever.stats.df("", levels)
            self.meta(levels)
            self.entries(levels)
        self.duty_index()

    def stats(self, scopes: Iterable[str] | None = None) -> dict:
        """The store's figures: all of them (None: the operator's view, /metrics), or for a caller
        with these key scopes only what they may read — no other level's counts, nor where the store
        lives unless they are an admin."""
        if scopes is None:
            return self.store.stats()
        scopes = tuple(scopes)
        if "admin" in scopes:
            return self.store.stats()
        return self.store.stats(access=access_levels(scopes))
