"""The ``Store`` template: what both engines share.

Documents are replaced atomically (see :meth:`Store.replace_document`):

1. the new points are written tagged with ``doc_id``/``version`` (invisible to readers: their
   version is not the catalog's yet), then flushed;
2. the catalog point (``record="document"``) is upserted with the new version — the commit —
   and flushed;
3. the document's points of any other version are deleted and the deletion flushed.

Readers only see points whose ``(doc_id, version)`` is the catalog's. A crash anywhere leaves the
old or the new version visible; the leftovers (orphans) are deleted when the store is next opened.

Visibility is enforced per engine:

* Edge: the store holds an exclusive lock on the data directory, so this process is the only
  writer and knows every point that is not live: the points of a write in progress and the old
  points between the commit and their deletion. Reads exclude exactly those (usually nothing, so a
  query pays for no version filter), and orphans are deleted on open.
* Server: other replicas may be writing, so reads keep only points whose ``(doc_id, version)``
  pair is in the catalog (re-read at most every ``catalog_ttl`` seconds).

The pair is stored on every point as the internal, indexed payload key ``_dv`` (hidden from
callers), which makes the version filter exact even if two documents ever share a content hash.

Sparse IDF (``Modifier.Idf``) is computed over a corpus filter (the live points of the searched
records, of the access levels the caller may read): the engine's collection-wide statistics keep counting deleted points (measured on Edge
0.9.0: after 5 replacements of a 10-chunk document a term's IDF fell from 1.36 to 0.41), and any
corpus filter drops them. A corpus filter listing every live version was measured ~7x slower than
the record-only one at 50k points, hence the negative visibility filter on Edge. Several vectors
are ranked one by one and fused here (``fuse_rrf``), ties ordered by point id: the engine's own
fusion ordered equal scores by segment position, which other documents move.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Iterator

from .copies import DocumentCopies
from .payloads import BATCH, DV_KEY, Conds, Prepared, batches, catalog_key, catalog_payload, clean_payload, dv_of, write_size
from .types import (
    DEFAULT_RECORDS,
    DENSE_VECTOR,
    RECORD_DOCUMENT,
    SPARSE_VECTORS,
    DocumentDump,
    Hit,
    SparseVec,
    StoreFilter,
    StorePoint,
)


# Catalog reads of at least this many entries are kept beside the store (Store.catalog): below it,
# reading the engine is as quick as reading the file.
_KEEP_CATALOG_FROM = 200


@dataclass
class _Write:
    """One document of a group write (see Store.replace_documents)."""
    doc_id: str
    version: str
    prepared: list[Prepared]
    payload: dict  # the catalog entry as stored
    size: int  # about how many bytes it writes
    old_dv: str | None

    @property
    def new_dv(self) -> str:
        return dv_of(self.doc_id, self.version)


# A ranked point: (id, score). The id as the engine gives it (a UUID object or its canonical string:
# both order alike), turned into a string only for the hits returned.
Ranked = tuple[Any, float]


def _order(item: Ranked) -> tuple:
    """Score first; equal scores by point id, so the order depends on the points alone."""
    return -item[1], item[0]


def fuse_rrf(lists: list[list[Ranked]], k: int, weights: list[float], limit: int) -> list[Ranked]:
    """Reciprocal rank fusion of ranked lists, each ordered by score then id: Qdrant's formula,
    score = Σ 1 / ((rank + 1) / w + k − 1) with rank from 0."""
    fused: dict[Any, float] = {}
    for hits, w in zip(lists, weights):
        for rank, (pid, _) in enumerate(sorted(hits, key=_order)):
            fused[pid] = fused.get(pid, 0.0) + 1.0 / ((rank + 1) / w + k - 1)
    return sorted(fused.items(), key=_order)[:limit]


class Store(DocumentCopies):
    """A document-atomic store of chunks, obligations and the document catalog."""

    def replace_document(self, catalog: dict, points: list[StorePoint]) -> bool:
        """Make ``points`` the document's records and ``catalog`` its catalog entry, atomically.

        Returns False and writes nothing when the stored entry already has ``catalog["version"]``.
        Point ids must be new (derive them from the content hash): an id already held by another
        version or document raises ValueError. The payload key "record" defaults to "chunk";
        "doc_id" and "version" are set by the store.
        """
        return self.replace_documents([(catalog, points)])[0]

    def replace_documents(self, docs: list[tuple[dict, list[StorePoint]]]) -> list[bool]:
        """:meth:`replace_document` for several documents at once, with the same three steps taken
        for the whole group: every new point written, then flushed; every catalog entry switched
        (each one the commit of its document), then flushed; every old version deleted, then
        flushed. Three flushes for the group instead of three per document (on a disk, the flushes
        were most of a write). A crash anywhere still leaves each document old or new, never half
        written: some of the group may be new and the rest old. Returns, per document, whether it
        was written (False: already stored at that version)."""
        with self._write_lock:
            self._check_open()
            todo: list[_Write] = []
            out: list[bool] = []
            seen: set[str] = set()
            for catalog, points in docs:
                doc_id, version = catalog_key(catalog)
                if doc_id in seen:
                    raise ValueError(f"document {doc_id!r} appears twice in one write")
                seen.add(doc_id)
                old = self._stored_version(doc_id)
                out.append(old != version)
                if old == version:
                    continue
                try:
                    cat_json = json.dumps(catalog)
                except (TypeError, ValueError) as e:
                    raise ValueError(f"catalog of {doc_id!r} is not JSON-able: {e}") from None
                prepared = [self._prepare(p, doc_id, version) for p in points]
                cat_payload = dict(catalog)
                cat_payload["record"] = RECORD_DOCUMENT
                todo.append(_Write(doc_id, version, prepared, cat_payload, write_size(prepared, cat_json),
                                   None if old is None else dv_of(doc_id, old)))
            if not todo:
                return out
            what = f"văn bản '{todo[0].doc_id}'" if len(todo) == 1 else f"{len(todo)} văn bản"
            self._check_space(sum(w.size for w in todo), what)
            for w in todo:
                for batch in batches(w.prepared, BATCH):
                    clash = {pid: dv for pid, dv in self._existing_dvs([p.id for p in batch]).items() if dv != w.new_dv}
                    if clash:
                        pid, dv = next(iter(clash.items()))
                        raise ValueError(
                            f"point id {pid} of {w.new_dv!r} is already used by {dv!r}: "
                            "point ids must differ between versions and documents"
                        )
                w.payload.update(self._catalog_extras(w.doc_id, w.prepared))
            for w in todo:
                self._hide(w.new_dv)
            committed = 0
            with self._disk_errors(what):
                try:
                    for batch in batches([p for w in todo for p in w.prepared], BATCH):
                        self._upsert(batch)
                    self._engine_flush()  # the points are durable before the catalog names them
                    for w in todo:
                        with self._mu:  # the commit: readers switch to the new version at once
                            self._put_catalog(w.doc_id, w.payload)
                            self._active[w.doc_id] = w.version
                            self._generation += 1
                            self._unhide(w.new_dv)
                            if w.old_dv:
                                self._hide(w.old_dv)
                        committed += 1
                except BaseException:
                    for w in todo[committed:]:
                        self._abort(w.doc_id, w.version, w.old_dv)
                    raise
                self._engine_flush()
                # The new versions are live; remove every other version of these documents.
                self._delete_where([("doc_id", [w.doc_id for w in todo])],
                                   [("record", [RECORD_DOCUMENT]), (DV_KEY, [w.new_dv for w in todo])])
                self._engine_flush()
            for w in todo:
                if w.old_dv:
                    self._unhide(w.old_dv)
            self._after_write()
            return out

    def import_document(self, dump: DocumentDump) -> bool:
        """Store a dumped document as is (same version, ids, payloads and vectors): an atomic
        replace, so an interrupted import leaves each document whole, and re-running it skips the
        documents already there (False)."""
        return self.replace_document(dict(dump.catalog), dump.points)

    def _abort(self, doc_id: str, version: str, old_dv: str | None) -> None:
        """A write failed around its commit. If the catalog names the new version, the write is
        committed after all (finish the switch; the old points stay hidden until the next open);
        else remove the new points (they stay hidden if that fails too)."""
        dv = dv_of(doc_id, version)
        try:
            stored = self._get_catalog(doc_id, ["version"])
            if stored is not None and stored.get("version") == version:
                with self._mu:
                    self._active[doc_id] = version
                    self._generation += 1
                    self._unhide(dv)
                    if old_dv:
                        self._hide(old_dv)
                return
            self._delete_where([(DV_KEY, [dv])], [("record", [RECORD_DOCUMENT])])
            self._engine_flush()
        except Exception:
            return
        self._unhide(dv)

    def delete_document(self, doc_id: str) -> bool:
        """Remove a document: its catalog entry first (the commit), then its points.
        Returns False when the catalog has no such document."""
        with self._write_lock:
            self._check_open()
            version = self._stored_version(doc_id)
            if version is None:
                return False
            self._check_space(0, f"việc xóa văn bản '{doc_id}'", reserve=False)
            dv = dv_of(doc_id, version)
            with self._disk_errors(f"việc xóa văn bản '{doc_id}'"):
                with self._mu:  # the commit
                    self._remove_catalog(doc_id)
                    self._hide(dv)
                    self._active.pop(doc_id, None)
                    self._generation += 1
                self._engine_flush()
                self._delete_where([("doc_id", [doc_id])], [("record", [RECORD_DOCUMENT])])
                self._engine_flush()
            self._unhide(dv)
            self._after_write()
            return True

    @staticmethod
    def _catalog_name(fields: list[str]) -> str:
        return f"catalog-{hashlib.sha256(' '.join(fields).encode()).hexdigest()[:12]}.json"

    def catalog(self, *, with_fields: list[str] | None = None, derive_from: list[str] | None = None) -> list[dict]:
        """The catalog entries (sorted by doc_id); ``with_fields`` limits each entry to those keys
        (plus "doc_id"). ``derive_from``: more fields whose kept entries, when these are not kept,
        give them without reading the store (what an earlier version kept for one file)."""
        self._check_open()
        fields = None if with_fields is None else sorted(set(with_fields) | {"doc_id"})
        # Some fields of every entry (not whole entries: their texts) are kept beside the store for the
        # documents they were read from: the engine reads a catalog entry whole to give a few fields
        # of it, 3-4 s for the metadata of 9k documents (200k chunks) at a server's first question.
        name = None if fields is None else self._catalog_name(fields)
        key = self.state_key() if name else None
        kept = self.derived(name, key) if name else None
        if isinstance(kept, list):
            return kept
        if name and derive_from is not None:
            wider = sorted(set(derive_from) | {"doc_id"})
            kept = self.derived(self._catalog_name(wider), key) if set(fields) <= set(wider) else None
            if isinstance(kept, list):
                out = [{f: e[f] for f in fields if f in e} for e in kept]
                self.keep_derived(name, key, out)
                return out
        with self._engine_lock():
            rows = self._scroll([("record", [RECORD_DOCUMENT])], [], fields, None)
            key = self.state_key() if name else None  # the documents read (Edge: no write between)
        out = [catalog_payload(r) for r in rows]
        out.sort(key=lambda p: str(p.get("doc_id", "")))
        if name and len(out) >= _KEEP_CATALOG_FROM:
            self.keep_derived(name, key, out)
        return out

    def catalog_pages(self, *, with_fields: list[str], page: int = 100) -> Iterator[list[dict]]:
        """The catalog entries (``with_fields`` and "doc_id"), a page at a time in no set order: for
        a reader that sums large fields of every entry (term counts), which all at once would cost
        hundreds of MB at 50k chunks. Pages are separate reads: a write may land between them."""
        self._check_open()
        fields = sorted(set(with_fields) | {"doc_id"})
        for rows in self._scroll_pages([("record", [RECORD_DOCUMENT])], [], fields, page):
            yield [catalog_payload(r) for r in rows]

    def catalog_entry(self, doc_id: str, with_fields: list[str] | None = None) -> dict | None:
        """One document's catalog payload (only `with_fields` when given), or None."""
        self._check_open()
        with self._engine_lock():
            p = self._get_catalog(doc_id, with_fields)
        return None if p is None else catalog_payload(p)

    def tally(self) -> dict[str, dict[str, int]]:
        """Live points per document and record: {doc_id: {"chunk": n, "obligation": m}}."""
        self._check_open()
        out: dict[str, dict[str, int]] = {}
        with self._engine_lock():
            vis = self._visibility()
            if vis is None:
                return out
            rows = self._scroll(vis[0], vis[1] + [("record", [RECORD_DOCUMENT])], ["doc_id", "record"], None)
        for r in rows:
            per = out.setdefault(str(r.get("doc_id")), {})
            rec = str(r.get("record"))
            per[rec] = per.get(rec, 0) + 1
        return out

    def _filter_conds(self, flt: StoreFilter | None) -> tuple[Conds, list[str]] | None:
        """The caller's filter as conditions, and the records it covers; None = matches nothing."""
        flt = flt or StoreFilter()
        records = list(DEFAULT_RECORDS) if flt.records is None else [r for r in flt.records if r != RECORD_DOCUMENT]
        must: Conds = [("record", records)]
        for key, values in (("doc_id", flt.doc_ids), ("type", flt.types), ("access", flt.access), ("kind", flt.kinds)):
            if values is not None:
                must.append((key, [str(v) for v in values]))
        if any(not values for _, values in must):
            return None
        return must, records

    def search(
        self,
        *,
        sparse: dict[str, SparseVec],
        dense: list[float] | None,
        flt: StoreFilter,
        limit: int,
        prefetch_limit: int = 100,
        rrf_k: int = 60,
        weights: dict[str, float] | None = None,
    ) -> list[Hit]:
        """Rank live points. One vector: a nearest query on it. Several: each ranked on its own
        (``prefetch_limit`` deep) and fused by RRF (``rrf_k``; ``weights`` per vector name, default 1;
        a weight w divides a hit's rank: score = Σ 1 / ((rank + 1) / w + k − 1), rank from 0).

        The fusion is done here, not by the engine: each list is ordered by score and then point id
        before its ranks are counted. Equal scores are common (BM25 of short passages), and the
        engine orders them by where the points happen to lie in its segments — which other
        documents (of other access levels, written earlier or later) move. A caller's ranking must
        depend on nothing but the points it may see."""
        self._check_open()
        vectors: list[tuple[str, Any]] = []
        for name, vec in (sparse or {}).items():
            if name not in SPARSE_VECTORS:
                raise ValueError(f"unknown sparse vector {name!r}; expected one of {SPARSE_VECTORS}")
            if vec is not None and vec.indices:
                vectors.append((name, vec))
        if dense is not None:
            if self.dense_dim is None:
                raise ValueError("this store has no dense vector; open it with dense_dim")
            if len(dense) != self.dense_dim:
                raise ValueError(f"dense query has {len(dense)} dimensions, expected {self.dense_dim}")
            vectors.append((DENSE_VECTOR, list(dense)))
        if not vectors or limit <= 0:
            return []
        conds = self._filter_conds(flt)
        if conds is None:
            return []
        must, records = conds
        with self._engine_lock():  # Edge: one snapshot for the lists and the payloads
            vis = self._visibility()
            if vis is None:
                return []
            vis_must, vis_must_not = vis
            # IDF over the live points of the searched records (any corpus filter also drops
            # deleted points, which the engine's global statistics still count) that the caller may
            # read: a document of another access level must not change a word's weight, hence a
            # ranking, that the caller sees.
            corpus: Conds = [("record", records)]
            if flt is not None and flt.access is not None:
                corpus.append(("access", [str(a) for a in flt.access]))
            depth = max(prefetch_limit, limit)
            lists = self._ranked_many([name for name, _ in vectors], [vec for _, vec in vectors], must + vis_must,
                                      vis_must_not, corpus + vis_must, vis_must_not, depth)
            if len(lists) == 1:
                ranked = sorted(lists[0], key=_order)[:limit]
            else:
                w = [float((weights or {}).get(name, 1.0)) for name, _ in vectors]
                ranked = fuse_rrf(lists, rrf_k, w, limit)
            ids = [str(pid) for pid, _ in ranked]
            payloads = self._payloads(ids)
        # Callers get their own dict (nested lists stay shared: payloads are read, not edited).
        return [Hit(pid, score, dict(payloads[pid])) for pid, (_, score) in zip(ids, ranked) if pid in payloads]

    def scroll(self, flt: StoreFilter, *, limit: int | None = None) -> list[dict]:
        """Payloads of the live points matching ``flt`` (records default to ["chunk"])."""
        self._check_open()
        conds = self._filter_conds(flt)
        if conds is None:
            return []
        must, _ = conds
        with self._engine_lock():
            vis = self._visibility()
            if vis is None:
                return []
            rows = self._scroll(must + vis[0], vis[1], None, limit)
        return [clean_payload(r) for r in rows]

    def records(self, flt: StoreFilter, *, fields: list[str], page: int = 1000) -> Iterator[list[tuple[str, dict]]]:
        """(point id, payload limited to ``fields``) of the live points matching ``flt``, ordered by id,
        a page at a time: for a reader that keeps a few fields of many points (an index of them).
        Pages are separate reads (queries go on between them): a write may land between two."""
        self._check_open()
        conds = self._filter_conds(flt)
        if conds is None:
            return
        must, _ = conds
        wanted = sorted(set(fields))
        with self._engine_lock():
            vis = self._visibility()
        if vis is None:
            return
        for rows in self._scroll_records(must + vis[0], vis[1], wanted, page):
            yield [(pid, clean_payload(p)) for pid, p in rows]

    def retrieve(self, ids: list[str], *, fields: list[str] | None = None) -> dict[str, dict]:
        """Payloads (limited to ``fields`` when given) of the live points among ``ids``, by id (a point
        no longer live is left out)."""
        self._check_open()
        with self._engine_lock():
            vis = self._visibility()
            if vis is None:
                return {}
            live = [set(values) for key, values in vis[0] if key == DV_KEY]
            gone = [set(values) for key, values in vis[1] if key == DV_KEY]
            if fields is not None and (live or gone):
                fields = sorted(set(fields) | {DV_KEY})
            rows = self._retrieve(list(ids), None if fields is None else sorted(set(fields)))
        if not live and not gone:  # every point is live (Edge, no write under way)
            return {pid: clean_payload(p) for pid, p in rows.items()}
        return {pid: clean_payload(p) for pid, p in rows.items()
                if all(p.get(DV_KEY) in s for s in live) and not any(p.get(DV_KEY) in s for s in gone)}

    def stats(self, access: list[str] | None = None) -> dict:
        """Live counts. With ``access``, only the points and documents of those access levels, and
        not where the store lives (what a caller of that level may be told)."""
        self._check_open()
        scope: Conds = [] if access is None else [("access", [str(a) for a in access] or ["-"])]
        with self._engine_lock():
            vis = self._visibility()
            with self._mu:
                documents = len(self._active)
            counts = {"chunk": 0, "obligation": 0}
            points = 0
            if vis is not None:
                for rec in counts:
                    counts[rec] = self._count([("record", [rec])] + scope + vis[0], vis[1])
                points = self._count(scope + vis[0], vis[1] + [("record", [RECORD_DOCUMENT])])
            if access is not None:
                documents = self._count([("record", [RECORD_DOCUMENT])] + scope, [])
        return {
            "backend": self.backend,
            **(self._location() if access is None else {}),
            "points": points,
            "chunks": counts["chunk"],
            "obligations": counts["obligation"],
            "documents": documents,
            "dense_dim": self.dense_dim,
        }

    def flush(self) -> None:
        self._check_open()
        self._engine_flush()

    def exclusive(self):
        """A context in which no other write of this process starts (re-entrant: writes made inside
        it, by the same thread, go on)."""
        return self._write_lock

    def close(self) -> None:
        with self._write_lock:
            if self._closed:
                return
            with self._mu:
                self._closed = True
                self._engine_close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:  # best effort: release the lock of a forgotten store
        try:
            if not getattr(self, "_closed", True):
                self.close()
        except Exception:
            pass
