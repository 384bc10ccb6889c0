"""Whole documents out of a store and into one: what backup, restore and migration are made of.

Built on the engine primitives and locks only, so both engines copy the same way; ``Store`` inherits it."""

from __future__ import annotations

import json
from typing import Callable, Iterable

from .engine import Engine
from .payloads import BATCH, DV_KEY, Prepared, catalog_key, catalog_payload, clean_payload, dv_of, write_size
from .types import RECORD_DOCUMENT, DocumentDump, StoreError, StorePoint


class DocumentCopies(Engine):
    """Export every document whole, or bulk-load an empty store (importing one document is a
    :meth:`~service.store.base.Store.replace_document`)."""

    def export_documents(self, sink: Callable[[DocumentDump], None]) -> dict:
        """Hand every document, whole, to ``sink`` (sorted by doc_id); returns the counts.

        Writes of this process wait meanwhile (readers do not), so an Edge store — one writer by
        its lock — is copied as of one instant. On a server, other replicas may write: each
        document is re-checked against the catalog after its points are read and re-read if it
        changed, so every document is one whole version (the copy is per-document consistent)."""
        with self._write_lock:
            self._check_open()
            with self._engine_lock():
                entries = self._scroll([("record", [RECORD_DOCUMENT])], [], None, None)
            entries.sort(key=lambda e: str(e.get("doc_id", "")))
            total: dict[str, int] = {}
            documents = 0
            for entry in entries:
                dump = self._dump(entry)
                if dump is None:  # deleted meanwhile by another replica
                    continue
                sink(dump)
                documents += 1
                for rec, n in dump.counts().items():
                    total[rec] = total.get(rec, 0) + n
        return {"documents": documents, "points": sum(total.values()), "records": total}

    def _dump(self, entry: dict, attempts: int = 5) -> DocumentDump | None:
        for _ in range(attempts):
            doc_id, version = entry.get("doc_id"), entry.get("version")
            with self._engine_lock():
                pts = self._scroll_points([(DV_KEY, [dv_of(doc_id, version)])], [("record", [RECORD_DOCUMENT])])
                now = self._get_catalog(doc_id, None)
            if now is None:
                return None
            if now.get("version") == version:
                points = [StorePoint(p.id, clean_payload(p.payload), p.sparse, p.dense) for p in pts]
                points.sort(key=lambda p: p.id)
                return DocumentDump(catalog_payload(entry), points)
            entry = now
        raise StoreError(
            "export_unstable",
            f"Văn bản '{entry.get('doc_id')}' thay đổi liên tục trong khi sao chép; hãy thử lại sau.",
        )

    def load_documents(self, dumps: Iterable[DocumentDump]) -> int:
        """Fill an empty store nobody reads yet (a restore's staging store) in large batches with
        one flush at the end — a document replace flushes three times. Not atomic per document:
        a store this fails on is to be discarded. Returns the number of documents."""
        with self._write_lock:
            self._check_open()
            if self._active or self._count([], []):
                raise ValueError("load_documents needs an empty store")
            pending: list[Prepared] = []
            seen: set[str] = set()
            with self._disk_errors("bản khôi phục"):
                for dump in dumps:
                    doc_id, version = catalog_key(dump.catalog)
                    if doc_id in seen:
                        raise ValueError(f"document {doc_id!r} appears twice")
                    seen.add(doc_id)
                    cat_json = json.dumps(dump.catalog)
                    prepared = [self._prepare(p, doc_id, version) for p in dump.points]
                    self._check_space(write_size(prepared, cat_json), f"văn bản '{doc_id}'")
                    pending.extend(prepared)
                    while len(pending) >= BATCH:
                        self._upsert(pending[:BATCH])
                        del pending[:BATCH]
                    self._put_catalog(doc_id, {**dump.catalog, "record": RECORD_DOCUMENT,
                                               **self._catalog_extras(doc_id, prepared)})
                    with self._mu:
                        self._active[doc_id] = version
                        self._generation += 1
                if pending:
                    self._upsert(pending)
                self._engine_flush()
            self._after_write()
            return len(seen)
