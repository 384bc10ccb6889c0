"""The store: the only module of Sổ tay that speaks Qdrant.

Two engines behind one interface:

* ``EdgeStore`` — Qdrant Edge (``qdrant-edge-py``, the Qdrant engine in-process) under a data
  directory; the default.
* ``ServerStore`` — a Qdrant server or cluster through ``qdrant-client``, when a URL is configured.

The rest of the code sees only :class:`Store`, :class:`StorePoint`, :class:`StoreFilter`,
:class:`Hit` and :class:`StoreError`, and must not know which engine is behind them.

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
records): the engine's collection-wide statistics keep counting deleted points (measured on Edge
0.9.0: after 5 replacements of a 10-chunk document a term's IDF fell from 1.36 to 0.41), and any
corpus filter drops them. A corpus filter listing every live version was measured ~7x slower than
the record-only one at 50k points, hence the negative visibility filter on Edge.

Edge facts this module relies on (qdrant-edge-py 0.9.0, measured): ``EdgeShard.create`` refuses
a path holding segments; a second process loading a live shard damages its journal (hence the
flock); updates reach the WAL at once and survive SIGKILL, fsync happens on ``flush()``; the
top-level query filter also applies to prefetches; ``IdfParams`` on a dense query is an error;
``create_dense_vector`` is idempotent for equal parameters and refuses different ones; an empty
vector dict is a valid point (the catalog and vector-less obligations).
"""

from __future__ import annotations

import abc
import contextlib
import errno
import fcntl
import json
import os
import shutil
import threading
import time
import uuid
import warnings
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Sequence

__all__ = [
    "SparseVec",
    "StorePoint",
    "Hit",
    "StoreFilter",
    "StoreError",
    "StoreLocked",
    "DocumentDump",
    "Store",
    "EdgeStore",
    "ServerStore",
    "open_store",
    "SPARSE_VECTORS",
    "DENSE_VECTOR",
]

SPARSE_VECTORS: tuple[str, ...] = ("bm25", "bm25_folded")
DENSE_VECTOR = "dense"
# Payload keys with a keyword index.
INDEXED_FIELDS: tuple[str, ...] = ("record", "doc_id", "version", "type", "access", "kind", "section", "_dv")

RECORD_DOCUMENT = "document"  # the catalog points; reserved
DEFAULT_RECORDS: tuple[str, ...] = ("chunk",)

_DV = "_dv"  # "<doc_id>@<version>" on every point the store writes
_WRITTEN_AT = "_written_at"  # server only: unix time of the write (orphan clean-up grace)
_INTERNAL_KEYS = (_DV, _WRITTEN_AT)

BATCH = 512  # points per update operation
_PAYLOAD_CACHE = 20_000  # payloads kept by point id for queries on the embedded store (a few KB each)
_SCROLL_PAGE = 1000
_CATALOG_NS = uuid.UUID("6f1c1c8e-5d1e-5f7e-9a57-0f7a1b2c3d4e")
_MB = 1024 * 1024
# Free space a write needs besides the store's reserve: the engine's first touch of each of its
# page files (measured on tmpfs: ~160 KB for a first document) and the write's own bytes twice
# (WAL + storage; measured 1.2-1.5x the JSON size of the points).
_WRITE_SLACK = 1 * _MB
_WRITE_FACTOR = 2


# --------------------------------------------------------------------------------------------
# Public types
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Engine-neutral pieces
# --------------------------------------------------------------------------------------------

# A condition list: (payload key, allowed values) — the key must hold one of the values.
_Conds = list[tuple[str, list[str]]]


@dataclass
class _Prepared:
    """A point ready to be written: validated id, payload tagged by the store."""

    id: str
    payload: dict
    sparse: dict[str, SparseVec]
    dense: list[float] | None


def _dv(doc_id: str, version: str) -> str:
    return f"{doc_id}@{version}"


def catalog_point_id(doc_id: str) -> str:
    """The id of a document's catalog point (uuid5 of its doc_id)."""
    return str(uuid.uuid5(_CATALOG_NS, doc_id))


def _store_point(record: Any) -> StorePoint:
    """A point read back with its vectors (Edge and qdrant-client records have the same shape)."""
    sparse: dict[str, SparseVec] = {}
    dense = None
    for name, v in (record.vector if isinstance(record.vector, dict) else {}).items():
        if name == DENSE_VECTOR:
            dense = [float(x) for x in v]
        else:
            sparse[name] = SparseVec([int(i) for i in v.indices], [float(x) for x in v.values])
    return StorePoint(str(record.id), dict(record.payload or {}), sparse, dense)


def _clean(payload: dict | None) -> dict:
    """A stored payload as callers see it: without the store's internal keys."""
    if not payload:
        return {}
    if any(k in payload for k in _INTERNAL_KEYS):
        return {k: v for k, v in payload.items() if k not in _INTERNAL_KEYS}
    return dict(payload)


def _catalog_payload(payload: dict | None) -> dict:
    p = _clean(payload)
    p.pop("record", None)
    return p


def _chunks(seq: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


def _write_size(prepared: Sequence[_Prepared], catalog_json: str) -> int:
    """About how many bytes a document's payloads and vectors take (JSON size of the payloads)."""
    n = len(catalog_json.encode())
    for p in prepared:
        n += len(json.dumps(p.payload, ensure_ascii=False, default=str).encode()) + 64
        n += sum(12 * len(v.indices) for v in p.sparse.values())
        n += 4 * len(p.dense or ())
    return n


def _catalog_key(catalog: dict) -> tuple[str, str]:
    if not isinstance(catalog, dict):
        raise ValueError("catalog must be a dict")
    doc_id, version = catalog.get("doc_id"), catalog.get("version")
    if not isinstance(doc_id, str) or not doc_id:
        raise ValueError("catalog needs a non-empty string 'doc_id'")
    if not isinstance(version, str) or not version:
        raise ValueError("catalog needs a non-empty string 'version'")
    return doc_id, version


class Store(abc.ABC):
    """A document-atomic store of chunks, obligations and the document catalog."""

    dense_dim: int | None
    backend: str = ""
    # Edge serialises every engine call (and reads see a consistent snapshot under the lock);
    # the server engine is safe to call concurrently.
    _serialize_engine: bool = False

    def __init__(self) -> None:
        self.dense_dim = None
        self._mu = threading.RLock()  # guards the maps below (and the engine, for Edge)
        self._write_lock = threading.Lock()  # one document write at a time
        self._active: dict[str, str] = {}  # doc_id -> committed version
        self._generation = 0  # bumped by every commit of this process
        self._closed = False

    # ---- engine primitives (per backend) ----------------------------------------------------

    @abc.abstractmethod
    def _upsert(self, points: Sequence[_Prepared]) -> None: ...

    @abc.abstractmethod
    def _put_catalog(self, doc_id: str, payload: dict) -> None: ...

    @abc.abstractmethod
    def _remove_catalog(self, doc_id: str) -> None: ...

    @abc.abstractmethod
    def _get_catalog(self, doc_id: str, fields: list[str] | None) -> dict | None: ...

    @abc.abstractmethod
    def _delete_where(self, must: _Conds, must_not: _Conds) -> None: ...

    @abc.abstractmethod
    def _count(self, must: _Conds, must_not: _Conds) -> int: ...

    @abc.abstractmethod
    def _scroll(
        self, must: _Conds, must_not: _Conds, fields: list[str] | None, limit: int | None
    ) -> list[dict]: ...

    @abc.abstractmethod
    def _query(
        self,
        vectors: list[tuple[str, Any]],
        must: _Conds,
        must_not: _Conds,
        idf_must: _Conds,
        idf_must_not: _Conds,
        limit: int,
        prefetch_limit: int,
        rrf_k: int,
        weights: list[float] | None,
    ) -> list[Hit]: ...

    @abc.abstractmethod
    def _scroll_points(self, must: _Conds, must_not: _Conds) -> list[StorePoint]:
        """Points matching the conditions with their vectors and raw payloads, ordered by id."""

    @abc.abstractmethod
    def _existing_dvs(self, ids: list[str]) -> dict[str, str]:
        """For the ids that exist: their "_dv" ("" when they have none)."""

    @abc.abstractmethod
    def _engine_flush(self) -> None: ...

    @abc.abstractmethod
    def _engine_close(self) -> None: ...

    @abc.abstractmethod
    def _visibility(self) -> tuple[_Conds, _Conds] | None:
        """Conditions that keep only live points; None when nothing is live."""

    @abc.abstractmethod
    def _stored_version(self, doc_id: str) -> str | None: ...

    @abc.abstractmethod
    def _location(self) -> dict: ...

    # hooks around a document write (Edge hides the points that are not live)
    def _hide(self, dv: str) -> None:
        pass

    def _unhide(self, dv: str) -> None:
        pass

    def _tag(self, payload: dict) -> None:
        pass

    def _check_space(self, nbytes: int, what: str, *, reserve: bool = True) -> None:
        """Refuse a write of about ``nbytes`` the disk cannot hold (Edge: before the engine meets
        a full disk, where its memory-mapped files would kill the process with SIGBUS)."""

    def where(self) -> str:
        """Where the data lives: the data directory or the server URL."""
        loc = self._location()
        return str(loc.get("path") or loc.get("url") or "")

    @contextlib.contextmanager
    def _disk_errors(self, what: str) -> Iterator[None]:
        """An engine error caused by a full disk becomes a clear StoreError("disk_full")."""
        try:
            yield
        except StoreError:
            raise
        except Exception as e:
            if is_disk_full(e):
                raise disk_full_error(self.where(), what) from e
            raise

    # ---- shared logic ----------------------------------------------------------------------

    def _engine_lock(self) -> contextlib.AbstractContextManager:
        return self._mu if self._serialize_engine else contextlib.nullcontext()

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("store_closed", "Kho dữ liệu đã đóng.")

    def _prepare(self, p: StorePoint, doc_id: str, version: str) -> _Prepared:
        try:
            pid = str(uuid.UUID(str(p.id)))
        except ValueError:
            raise ValueError(f"point id must be a UUID string, got {p.id!r}") from None
        payload = dict(p.payload or {})
        payload.setdefault("record", "chunk")
        if payload["record"] == RECORD_DOCUMENT:
            raise ValueError(f"record {RECORD_DOCUMENT!r} is reserved for the catalog")
        payload["doc_id"] = doc_id
        payload["version"] = version
        payload[_DV] = _dv(doc_id, version)
        self._tag(payload)
        sparse = {}
        for name, vec in (p.sparse or {}).items():
            if name not in SPARSE_VECTORS:
                raise ValueError(f"unknown sparse vector {name!r}; expected one of {SPARSE_VECTORS}")
            if len(vec.indices) != len(vec.values):
                raise ValueError(f"sparse vector {name!r} of point {pid}: indices and values differ in length")
            if vec.indices:
                sparse[name] = vec
        dense = p.dense
        if dense is not None:
            if self.dense_dim is None:
                raise ValueError("this store has no dense vector; open it with dense_dim")
            if len(dense) != self.dense_dim:
                raise ValueError(f"dense vector of point {pid} has {len(dense)} dimensions, expected {self.dense_dim}")
        return _Prepared(pid, payload, sparse, dense)

    def replace_document(self, catalog: dict, points: list[StorePoint]) -> bool:
        """Make ``points`` the document's records and ``catalog`` its catalog entry, atomically.

        Returns False and writes nothing when the stored entry already has ``catalog["version"]``.
        Point ids must be new (derive them from the content hash): an id already held by another
        version or document raises ValueError. The payload key "record" defaults to "chunk";
        "doc_id" and "version" are set by the store.
        """
        doc_id, version = _catalog_key(catalog)
        try:
            cat_json = json.dumps(catalog)
        except (TypeError, ValueError) as e:
            raise ValueError(f"catalog of {doc_id!r} is not JSON-able: {e}") from None
        with self._write_lock:
            self._check_open()
            old = self._stored_version(doc_id)
            if old == version:
                return False
            prepared = [self._prepare(p, doc_id, version) for p in points]
            self._check_space(_write_size(prepared, cat_json), f"văn bản '{doc_id}'")
            new_dv = _dv(doc_id, version)
            for batch in _chunks(prepared, BATCH):
                clash = {pid: dv for pid, dv in self._existing_dvs([p.id for p in batch]).items() if dv != new_dv}
                if clash:
                    pid, dv = next(iter(clash.items()))
                    raise ValueError(
                        f"point id {pid} of {new_dv!r} is already used by {dv!r}: "
                        "point ids must differ between versions and documents"
                    )
            cat_payload = dict(catalog)
            cat_payload["record"] = RECORD_DOCUMENT
            old_dv = None if old is None else _dv(doc_id, old)
            self._hide(new_dv)
            with self._disk_errors(f"văn bản '{doc_id}'"):
                try:
                    for batch in _chunks(prepared, BATCH):
                        self._upsert(batch)
                    self._engine_flush()  # the points are durable before the catalog names them
                    with self._mu:  # the commit: readers switch to the new version at once
                        self._put_catalog(doc_id, cat_payload)
                        self._active[doc_id] = version
                        self._generation += 1
                        self._unhide(new_dv)
                        if old_dv:
                            self._hide(old_dv)
                except BaseException:
                    self._abort(doc_id, version, old_dv)
                    raise
                self._engine_flush()
                # The new version is live; remove every other version of the document.
                self._delete_where([("doc_id", [doc_id])], [("record", [RECORD_DOCUMENT]), (_DV, [new_dv])])
                self._engine_flush()
            if old_dv:
                self._unhide(old_dv)
            return True

    def _abort(self, doc_id: str, version: str, old_dv: str | None) -> None:
        """A write failed around its commit. If the catalog names the new version, the write is
        committed after all (finish the switch; the old points stay hidden until the next open);
        else remove the new points (they stay hidden if that fails too)."""
        dv = _dv(doc_id, version)
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
            self._delete_where([(_DV, [dv])], [("record", [RECORD_DOCUMENT])])
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
            dv = _dv(doc_id, version)
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
            return True

    def catalog(self, *, with_fields: list[str] | None = None) -> list[dict]:
        """The catalog entries (sorted by doc_id); ``with_fields`` limits each entry to those keys
        (plus "doc_id")."""
        self._check_open()
        fields = None if with_fields is None else sorted(set(with_fields) | {"doc_id"})
        with self._engine_lock():
            rows = self._scroll([("record", [RECORD_DOCUMENT])], [], fields, None)
        out = [_catalog_payload(r) for r in rows]
        out.sort(key=lambda p: str(p.get("doc_id", "")))
        return out

    def catalog_entry(self, doc_id: str, with_fields: list[str] | None = None) -> dict | None:
        """One document's catalog payload (only `with_fields` when given), or None."""
        self._check_open()
        with self._engine_lock():
            p = self._get_catalog(doc_id, with_fields)
        return None if p is None else _catalog_payload(p)

    # ---- copies: backup, restore, migration ------------------------------------------------

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
                pts = self._scroll_points([(_DV, [_dv(doc_id, version)])], [("record", [RECORD_DOCUMENT])])
                now = self._get_catalog(doc_id, None)
            if now is None:
                return None
            if now.get("version") == version:
                points = [StorePoint(p.id, _clean(p.payload), p.sparse, p.dense) for p in pts]
                points.sort(key=lambda p: p.id)
                return DocumentDump(_catalog_payload(entry), points)
            entry = now
        raise StoreError(
            "export_unstable",
            f"Văn bản '{entry.get('doc_id')}' thay đổi liên tục trong khi sao chép; hãy thử lại sau.",
        )

    def import_document(self, dump: DocumentDump) -> bool:
        """Store a dumped document as is (same version, ids, payloads and vectors): an atomic
        replace, so an interrupted import leaves each document whole, and re-running it skips the
        documents already there (False)."""
        return self.replace_document(dict(dump.catalog), dump.points)

    def load_documents(self, dumps: Iterable[DocumentDump]) -> int:
        """Fill an empty store nobody reads yet (a restore's staging store) in large batches with
        one flush at the end — a document replace flushes three times. Not atomic per document:
        a store this fails on is to be discarded. Returns the number of documents."""
        with self._write_lock:
            self._check_open()
            if self._active or self._count([], []):
                raise ValueError("load_documents needs an empty store")
            pending: list[_Prepared] = []
            seen: set[str] = set()
            with self._disk_errors("bản khôi phục"):
                for dump in dumps:
                    doc_id, version = _catalog_key(dump.catalog)
                    if doc_id in seen:
                        raise ValueError(f"document {doc_id!r} appears twice")
                    seen.add(doc_id)
                    cat_json = json.dumps(dump.catalog)
                    prepared = [self._prepare(p, doc_id, version) for p in dump.points]
                    self._check_space(_write_size(prepared, cat_json), f"văn bản '{doc_id}'")
                    pending.extend(prepared)
                    while len(pending) >= BATCH:
                        self._upsert(pending[:BATCH])
                        del pending[:BATCH]
                    self._put_catalog(doc_id, {**dump.catalog, "record": RECORD_DOCUMENT})
                    with self._mu:
                        self._active[doc_id] = version
                        self._generation += 1
                if pending:
                    self._upsert(pending)
                self._engine_flush()
            return len(seen)

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

    def _filter_conds(self, flt: StoreFilter | None) -> tuple[_Conds, list[str]] | None:
        """The caller's filter as conditions, and the records it covers; None = matches nothing."""
        flt = flt or StoreFilter()
        records = list(DEFAULT_RECORDS) if flt.records is None else [r for r in flt.records if r != RECORD_DOCUMENT]
        must: _Conds = [("record", records)]
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
        """Rank live points. One vector: a nearest query on it. Several: each prefetched
        (``prefetch_limit``) and fused by RRF (``rrf_k``; ``weights`` per vector name, default 1;
        a weight w divides a hit's rank: score = Σ 1 / ((rank + 1) / w + k − 1), rank from 0)."""
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
        w = None
        if weights and len(vectors) > 1:
            w = [float(weights.get(name, 1.0)) for name, _ in vectors]
            if all(x == 1.0 for x in w):
                w = None
        conds = self._filter_conds(flt)
        if conds is None:
            return []
        must, records = conds
        with self._engine_lock():
            vis = self._visibility()
            if vis is None:
                return []
            vis_must, vis_must_not = vis
            # IDF over the live points of the searched records (any corpus filter also drops
            # deleted points, which the engine's global statistics still count).
            hits = self._query(
                vectors,
                must + vis_must,
                vis_must_not,
                [("record", records)] + vis_must,
                vis_must_not,
                limit,
                max(prefetch_limit, limit),
                rrf_k,
                w,
            )
        hits.sort(key=lambda h: (-h.score, h.id))  # equal scores in a fixed order on every engine
        return hits

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
        return [_clean(r) for r in rows]

    def stats(self) -> dict:
        self._check_open()
        with self._engine_lock():
            vis = self._visibility()
            with self._mu:
                documents = len(self._active)
            counts = {"chunk": 0, "obligation": 0}
            points = 0
            if vis is not None:
                for rec in counts:
                    counts[rec] = self._count([("record", [rec])] + vis[0], vis[1])
                points = self._count(vis[0], vis[1] + [("record", [RECORD_DOCUMENT])])
        return {
            "backend": self.backend,
            **self._location(),
            "points": points,
            "chunks": counts["chunk"],
            "obligations": counts["obligation"],
            "documents": documents,
            "dense_dim": self.dense_dim,
        }

    def flush(self) -> None:
        self._check_open()
        self._engine_flush()

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


# --------------------------------------------------------------------------------------------
# Qdrant Edge
# --------------------------------------------------------------------------------------------


_RESTORE_DIR = ".restore"  # a restore is built here, then swapped in (see EdgeStore.adopt)
_REPLACED_DIR = ".replaced"  # the shard a restore replaced, until it is deleted
_READY = "READY"  # in the restore dir: the restored shard is complete and verified


def _fsync_dir(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class EdgeStore(Store):
    """Qdrant Edge under ``<data_dir>/shard``, locked by ``<data_dir>/.lock``.

    ``min_free_mb``: a document write is refused (StoreError "disk_full") unless the disk keeps
    this much free after it: the engine writes through memory-mapped files, and a full disk under
    a mapped page kills the process (SIGBUS) instead of returning an error."""

    backend = "edge"
    _serialize_engine = True

    def __init__(self, data_dir: str, *, dense_dim: int | None = None, min_free_mb: float = 32.0):
        super().__init__()
        import qdrant_edge as qe

        self._qe = qe
        self.data_dir = os.path.abspath(data_dir)
        self.min_free_bytes = int(max(0.0, min_free_mb) * _MB)
        self._hidden: set[str] = set()  # "_dv" values of points that are not live
        # Payloads by point id (see _query). A point id is derived from its document's version, so
        # an id's payload never changes; deleted points simply stop being returned by queries.
        self._payloads: OrderedDict[str, dict] = OrderedDict()
        self._lock_fd: int | None = None
        self._shard = None
        self._lock_dir()
        try:
            self._finish_restore()
            self._open_shard(dense_dim)
            self._load_catalog()
            self._delete_orphans()
        except BaseException:
            self._closed = True
            self._release()
            raise

    # ---- opening ----------------------------------------------------------------------------

    def _lock_dir(self) -> None:
        try:
            os.makedirs(self.data_dir, exist_ok=True)
            fd = os.open(os.path.join(self.data_dir, ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise StoreError(
                "store_unavailable", f"Không mở được thư mục dữ liệu {self.data_dir}: {e.strerror or e}."
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise StoreLocked(self.data_dir) from None
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            pass
        self._lock_fd = fd

    def _release(self) -> None:
        if self._shard is not None:
            try:
                self._shard.close()
            except Exception:
                pass
            self._shard = None
        if self._lock_fd is not None:
            try:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            finally:
                os.close(self._lock_fd)
                self._lock_fd = None

    def _open_shard(self, dense_dim: int | None) -> None:
        qe = self._qe
        path = os.path.join(self.data_dir, "shard")
        exists = os.path.isdir(path) and bool(os.listdir(path))
        try:
            if exists:
                self._shard = qe.EdgeShard.load(path)
            else:
                sparse = {n: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf) for n in SPARSE_VECTORS}
                vectors = {DENSE_VECTOR: qe.EdgeVectorParams(dense_dim, qe.Distance.Cosine)} if dense_dim else None
                self._shard = qe.EdgeShard.create(path, qe.EdgeConfig(vectors=vectors, sparse_vectors=sparse))
        except Exception as e:
            if is_disk_full(e):
                raise StoreError(
                    "disk_full",
                    f"Ổ đĩa chứa kho dữ liệu ({self.data_dir}) đã đầy nên không mở được kho. Dữ liệu "
                    "đã có vẫn còn nguyên; hãy giải phóng dung lượng ổ đĩa rồi thử lại.",
                ) from None
            raise StoreError(
                "store_unavailable", f"Không mở được kho dữ liệu ở {path}: {e}"
            ) from None
        cfg = self._read_config(path)
        if cfg:
            have_dense = (cfg.get("vectors") or {}).get(DENSE_VECTOR)
            have_sparse = cfg.get("sparse_vectors") or {}
        else:  # the engine's config file moved: creating a vector is idempotent for equal params
            have_dense, have_sparse = None, {}
        for name in SPARSE_VECTORS:
            if name not in have_sparse:
                self._shard.update(qe.UpdateOperation.create_sparse_vector(name, qe.Modifier.Idf))
        if have_dense:
            size = int(have_dense.get("size"))
            if dense_dim and dense_dim != size:
                raise self._dense_mismatch(dense_dim, size)
            self.dense_dim = size
        elif dense_dim:
            try:
                self._shard.update(qe.UpdateOperation.create_dense_vector(DENSE_VECTOR, dense_dim, qe.Distance.Cosine))
            except Exception as e:  # "already exists with different parameters"
                raise self._dense_mismatch(dense_dim, None) from e
            self.dense_dim = dense_dim
        have_index = set(self._shard.info().payload_schema)
        for name in INDEXED_FIELDS:
            if name not in have_index:
                self._shard.update(qe.UpdateOperation.create_field_index(name, qe.PayloadSchemaType.Keyword))
        self._shard.flush()

    def _dense_mismatch(self, dense_dim: int, size: int | None) -> StoreError:
        has = f"vector ngữ nghĩa {size} chiều" if size else "vector ngữ nghĩa của một mô hình khác"
        return StoreError(
            "dense_dim_mismatch",
            f"Kho dữ liệu ở {self.data_dir} chứa {has}, nhưng mô hình hiện tại (SOTAY_EMBED_MODEL) "
            f"cho vector {dense_dim} chiều. Hãy nạp lại tài liệu vào một thư mục dữ liệu mới "
            "(đặt SOTAY_DATA_DIR khác rồi chạy `sotay ingest`).",
        )

    @staticmethod
    def _read_config(path: str) -> dict:
        try:
            with open(os.path.join(path, "edge_config.json"), encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    def _load_catalog(self) -> None:
        rows = self._scroll([("record", [RECORD_DOCUMENT])], [], ["doc_id", "version"], None)
        self._active = {
            r["doc_id"]: r["version"]
            for r in rows
            if isinstance(r.get("doc_id"), str) and isinstance(r.get("version"), str)
        }

    def _delete_orphans(self) -> None:
        """Delete every point that is not a catalog point nor of its document's catalog version
        (left by a crash between a write's first point and its clean-up)."""
        must_not: _Conds = [("record", [RECORD_DOCUMENT])]
        if self._active:
            must_not.append((_DV, [_dv(d, v) for d, v in self._active.items()]))
        self.orphans_deleted = self._count([], must_not)
        if self.orphans_deleted:
            self._delete_where([], must_not)
            self._shard.flush()

    # ---- free space -------------------------------------------------------------------------

    def free_bytes(self) -> int:
        st = os.statvfs(self.data_dir)
        return st.f_bavail * st.f_frsize

    def _check_space(self, nbytes: int, what: str, *, reserve: bool = True) -> None:
        need = _WRITE_FACTOR * nbytes + _WRITE_SLACK + (self.min_free_bytes if reserve else 0)
        try:
            free = self.free_bytes()
        except OSError:
            return
        if free < need:
            raise StoreError(
                "disk_full",
                f"Ổ đĩa chứa kho dữ liệu ({self.data_dir}) chỉ còn trống {free / _MB:.1f} MB, không đủ "
                f"để ghi {what} (cần khoảng {need / _MB:.1f} MB, kể cả {self.min_free_bytes / _MB:.0f} MB "
                "dự phòng theo SOTAY_MIN_FREE_MB). Dữ liệu đã có được giữ nguyên; hãy giải phóng dung "
                "lượng ổ đĩa rồi nạp lại.",
            )

    # ---- restore: build a whole new shard aside, then swap it in ------------------------------

    def staging(self, *, dense_dim: int | None = None) -> "EdgeStore":
        """A new, empty Edge store under ``<data_dir>/.restore`` (any leftover is removed) to fill
        and then hand to :meth:`adopt`. Needs this store open (its lock keeps others out)."""
        self._check_open()
        path = os.path.join(self.data_dir, _RESTORE_DIR)
        shutil.rmtree(path, ignore_errors=True)
        return EdgeStore(path, dense_dim=dense_dim, min_free_mb=self.min_free_bytes / _MB)

    def discard(self, staging: "EdgeStore") -> None:
        staging.close()
        shutil.rmtree(staging.data_dir, ignore_errors=True)

    def adopt(self, staging: "EdgeStore") -> None:
        """Make ``staging``'s contents this store's, atomically on disk: a crash at any point leaves
        the old shard or the new one (finished by the next open), never a mix."""
        if staging.data_dir != os.path.join(self.data_dir, _RESTORE_DIR):
            raise ValueError("adopt() takes a store made by staging()")
        with self._write_lock, self._mu:
            self._check_open()
            staging.close()
            ready = os.path.join(staging.data_dir, _READY)
            with open(ready, "w") as f:
                f.write("ready\n")
                f.flush()
                os.fsync(f.fileno())
            _fsync_dir(staging.data_dir)
            self._shard.close()
            self._shard = None
            try:
                self._finish_restore()
            finally:
                self.dense_dim = None
                self._hidden.clear()
                self._open_shard(None)
                self._load_catalog()
                self._delete_orphans()
                self._generation += 1

    def _finish_restore(self) -> None:
        """Complete (or drop) a restore that a crash interrupted; a no-op normally. Runs under the
        lock, with no shard loaded. Steps: shard → .replaced; .restore/shard → shard; remove both."""
        d = self.data_dir
        restore, shard, replaced = (os.path.join(d, n) for n in (_RESTORE_DIR, "shard", _REPLACED_DIR))
        if os.path.isfile(os.path.join(restore, _READY)):
            new = os.path.join(restore, "shard")
            if os.path.isdir(new):
                if os.path.isdir(shard):
                    shutil.rmtree(replaced, ignore_errors=True)
                    os.rename(shard, replaced)
                os.rename(new, shard)
                _fsync_dir(d)
        # not READY: a restore that did not finish building; the current shard stays
        shutil.rmtree(replaced, ignore_errors=True)
        shutil.rmtree(restore, ignore_errors=True)

    # ---- engine primitives ------------------------------------------------------------------

    def _filter(self, must: _Conds, must_not: _Conds):
        qe = self._qe

        def cond(key: str, values: list[str]):
            m = qe.MatchValue(values[0]) if len(values) == 1 else qe.MatchAny(list(values))
            return qe.FieldCondition(key, match=m)

        if not must and not must_not:
            return None
        return qe.Filter(
            must=[cond(k, v) for k, v in must] or None,
            must_not=[cond(k, v) for k, v in must_not if v] or None,
        )

    def _engine(self):
        if self._shard is None:
            raise StoreError("store_closed", "Kho dữ liệu đã đóng.")
        return self._shard

    def _upsert(self, points: Sequence[_Prepared]) -> None:
        qe = self._qe
        out = []
        try:
            for p in points:
                vec: dict[str, Any] = {
                    n: qe.SparseVector(list(v.indices), list(v.values)) for n, v in p.sparse.items()
                }
                if p.dense is not None:
                    vec[DENSE_VECTOR] = list(p.dense)
                out.append(qe.Point(p.id, vec, p.payload))
            with self._mu:
                self._engine().update(qe.UpdateOperation.upsert_points(out))
        except TypeError as e:
            raise ValueError(f"point payload or vector is not JSON-able: {str(e).splitlines()[0]}") from None

    def _put_catalog(self, doc_id: str, payload: dict) -> None:
        qe = self._qe
        with self._mu:
            self._engine().update(qe.UpdateOperation.upsert_points([qe.Point(catalog_point_id(doc_id), {}, payload)]))

    def _remove_catalog(self, doc_id: str) -> None:
        with self._mu:
            self._engine().update(self._qe.UpdateOperation.delete_points([catalog_point_id(doc_id)]))

    def _get_catalog(self, doc_id: str, fields: list[str] | None) -> dict | None:
        with self._mu:
            recs = self._engine().retrieve(
                [catalog_point_id(doc_id)], sorted({*fields, "record"}) if fields else True, False
            )
        for r in recs:
            if (r.payload or {}).get("record") == RECORD_DOCUMENT:
                return r.payload
        return None

    def _delete_where(self, must: _Conds, must_not: _Conds) -> None:
        if not must and not must_not:
            raise AssertionError("refusing to delete without a filter")
        with self._mu:
            self._engine().update(self._qe.UpdateOperation.delete_points_by_filter(self._filter(must, must_not)))

    def _existing_dvs(self, ids: list[str]) -> dict[str, str]:
        with self._mu:
            recs = self._engine().retrieve(list(ids), [_DV], False)
        return {str(r.id): str((r.payload or {}).get(_DV, "")) for r in recs}

    def _count(self, must: _Conds, must_not: _Conds) -> int:
        with self._mu:
            return self._engine().count(self._qe.CountRequest(exact=True, filter=self._filter(must, must_not)))

    def _scroll(self, must: _Conds, must_not: _Conds, fields: list[str] | None, limit: int | None) -> list[dict]:
        qe = self._qe
        out: list[dict] = []
        offset = None
        flt = self._filter(must, must_not)
        with self._mu:  # one snapshot: no write can interleave between pages
            shard = self._engine()
            while True:
                page = _SCROLL_PAGE if limit is None else min(_SCROLL_PAGE, limit - len(out))
                recs, offset = shard.scroll(
                    qe.ScrollRequest(
                        offset=offset, limit=page, filter=flt, with_payload=fields if fields else True, with_vector=False
                    )
                )
                out.extend(r.payload or {} for r in recs)
                if offset is None or (limit is not None and len(out) >= limit):
                    return out

    def _scroll_points(self, must: _Conds, must_not: _Conds) -> list[StorePoint]:
        qe = self._qe
        out: list[StorePoint] = []
        offset = None
        flt = self._filter(must, must_not)
        with self._mu:
            shard = self._engine()
            while True:
                recs, offset = shard.scroll(
                    qe.ScrollRequest(offset=offset, limit=_SCROLL_PAGE, filter=flt, with_payload=True, with_vector=True)
                )
                out.extend(_store_point(r) for r in recs)
                if offset is None:
                    return out

    def _query(self, vectors, must, must_not, idf_must, idf_must_not, limit, prefetch_limit, rrf_k, weights):
        qe = self._qe
        flt = self._filter(must, must_not)
        idf = qe.SearchParams(idf=qe.IdfParams(corpus=self._filter(idf_must, idf_must_not)))

        def nearest(name, vec):
            if name == DENSE_VECTOR:
                return qe.Query.Nearest(vec, using=name), None
            return qe.Query.Nearest(qe.SparseVector(list(vec.indices), list(vec.values)), using=name), idf

        if len(vectors) == 1:
            q, params = nearest(*vectors[0])
            req = qe.QueryRequest(limit=limit, query=q, filter=flt, params=params, with_payload=False, with_vector=False)
        else:
            prefetches = []
            for name, vec in vectors:
                q, params = nearest(name, vec)
                prefetches.append(qe.Prefetch(limit=prefetch_limit, query=q, params=params))
            # The top-level filter also applies to the prefetches (measured).
            req = qe.QueryRequest(
                limit=limit,
                prefetches=prefetches,
                query=qe.Fusion.Rrf(k=rrf_k, weights=weights),
                filter=flt,
                with_payload=False,
                with_vector=False,
            )
        # Building result payloads was most of a query's time under load (profiled: 0.55 of
        # 0.67 ms), and the same passages come back for question after question: the engine
        # returns ids and scores, payloads come from a bounded cache, misses in one retrieve.
        with self._mu:
            res = self._engine().query(req)
            ids = [str(p.id) for p in res]
            cache = self._payloads
            missing = [i for i in ids if i not in cache]
            if missing:
                for r in self._engine().retrieve(missing, True, False):
                    cache[str(r.id)] = _clean(r.payload)
                while len(cache) > _PAYLOAD_CACHE:
                    cache.popitem(last=False)
            for i in ids:
                if i in cache:
                    cache.move_to_end(i)
            # Callers get their own dict (nested lists stay shared: payloads are read, not edited).
            return [Hit(i, float(p.score), dict(cache[i])) for i, p in zip(ids, res) if i in cache]

    def _engine_flush(self) -> None:
        with self._mu:
            self._engine().flush()

    def _engine_close(self) -> None:
        try:
            if self._shard is not None:
                self._shard.flush()
        finally:
            self._release()

    # ---- visibility -------------------------------------------------------------------------

    def _hide(self, dv: str) -> None:
        with self._mu:
            self._hidden.add(dv)

    def _unhide(self, dv: str) -> None:
        with self._mu:
            self._hidden.discard(dv)

    def _visibility(self):
        with self._mu:
            return [], ([(_DV, sorted(self._hidden))] if self._hidden else [])

    def _stored_version(self, doc_id: str) -> str | None:
        with self._mu:
            return self._active.get(doc_id)

    def _location(self) -> dict:
        return {"path": self.data_dir}


# --------------------------------------------------------------------------------------------
# Qdrant server / cluster
# --------------------------------------------------------------------------------------------


class ServerStore(Store):
    """A collection on a Qdrant server or cluster, through qdrant-client.

    Several service replicas may share the collection: reads re-read the catalog at most every
    ``catalog_ttl`` seconds, and the orphan clean-up on open only deletes orphans older than
    ``orphan_grace`` seconds (a younger one may be another replica's write in progress).

    ``shards`` and ``replicas`` are used when this store creates the collection (a cluster
    spreads the shards over its nodes and keeps ``replicas`` copies of each); an existing
    collection keeps its own.
    """

    backend = "server"

    def __init__(
        self,
        url: str | None = None,
        *,
        api_key: str | None = None,
        dense_dim: int | None = None,
        collection: str = "sotay",
        client: Any = None,
        catalog_ttl: float = 1.0,
        orphan_grace: float = 3600.0,
        timeout: int = 60,
        shards: int | None = None,
        replicas: int | None = None,
    ):
        super().__init__()
        from qdrant_client import QdrantClient, models

        self._m = models
        self.url = url
        self.collection = collection
        self.shards = shards
        self.replicas = replicas
        self.catalog_ttl = catalog_ttl
        self._catalog_read_at = float("-inf")
        self._idf_supported = True
        self._c = client if client is not None else QdrantClient(url=url, api_key=api_key, timeout=timeout)
        try:
            self._ensure_collection(dense_dim)
            self._refresh_catalog(force=True)
            self._delete_orphans(orphan_grace)
        except StoreError:
            self._closed = True
            self._c.close()
            raise
        except Exception as e:
            self._closed = True
            self._c.close()
            raise StoreError(
                "store_unavailable", f"Không kết nối được máy chủ Qdrant ở {url} (collection {collection}): {e}"
            ) from None

    # ---- opening ----------------------------------------------------------------------------

    def _ensure_collection(self, dense_dim: int | None) -> None:
        m = self._m
        sparse_cfg = {n: m.SparseVectorParams(modifier=m.Modifier.IDF) for n in SPARSE_VECTORS}
        if not self._c.collection_exists(self.collection):
            try:
                self._c.create_collection(
                    self.collection,
                    vectors_config={DENSE_VECTOR: m.VectorParams(size=dense_dim, distance=m.Distance.COSINE)}
                    if dense_dim
                    else {},
                    sparse_vectors_config=sparse_cfg,
                    shard_number=self.shards,
                    replication_factor=self.replicas,
                )
            except Exception:
                if not self._c.collection_exists(self.collection):  # else: another replica made it
                    raise
        info = self._c.get_collection(self.collection)
        params = info.config.params
        vectors = params.vectors if isinstance(params.vectors, dict) else {}
        sparse = params.sparse_vectors or {}
        for name in SPARSE_VECTORS:
            if name not in sparse:
                self._c.create_vector_name(
                    self.collection,
                    name,
                    m.SparseVectorNameConfig(sparse=m.SparseVectorConfig(modifier=m.Modifier.IDF)),
                )
        if DENSE_VECTOR in vectors:
            size = vectors[DENSE_VECTOR].size
            if dense_dim and dense_dim != size:
                raise StoreError(
                    "dense_dim_mismatch",
                    f"Collection {self.collection} ở {self.url} chứa vector ngữ nghĩa {size} chiều, nhưng mô "
                    f"hình hiện tại (SOTAY_EMBED_MODEL) cho vector {dense_dim} chiều. Hãy nạp lại tài liệu "
                    "vào một collection mới.",
                )
            self.dense_dim = size
        elif dense_dim:
            self._c.create_vector_name(
                self.collection,
                DENSE_VECTOR,
                m.DenseVectorNameConfig(dense=m.DenseVectorConfig(size=dense_dim, distance=m.Distance.COSINE)),
            )
            self.dense_dim = dense_dim
        have = set((info.payload_schema or {}).keys())
        with warnings.catch_warnings():  # qdrant-client's local mode warns that indexes are no-ops
            warnings.simplefilter("ignore")
            for name in INDEXED_FIELDS:
                if name not in have:
                    self._c.create_payload_index(self.collection, name, m.PayloadSchemaType.KEYWORD, wait=True)

    def _delete_orphans(self, grace: float) -> None:
        must_not: _Conds = [("record", [RECORD_DOCUMENT])]
        with self._mu:
            if self._active:
                must_not.append((_DV, [_dv(d, v) for d, v in self._active.items()]))
        m = self._m
        flt = m.Filter(
            must=[m.FieldCondition(key=_WRITTEN_AT, range=m.Range(lt=time.time() - grace))],
            must_not=self._filter([], must_not).must_not,
        )
        self.orphans_deleted = self._c.count(self.collection, count_filter=flt, exact=True).count
        if self.orphans_deleted:
            self._c.delete(self.collection, points_selector=m.FilterSelector(filter=flt), wait=True)

    def _refresh_catalog(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._catalog_read_at < self.catalog_ttl:
            return
        with self._mu:
            generation = self._generation
        rows = self._scroll([("record", [RECORD_DOCUMENT])], [], ["doc_id", "version"], None)
        active = {
            r["doc_id"]: r["version"]
            for r in rows
            if isinstance(r.get("doc_id"), str) and isinstance(r.get("version"), str)
        }
        with self._mu:
            if generation == self._generation:  # else a write of ours raced the read: retry next time
                self._active = active
                self._catalog_read_at = now

    # ---- engine primitives ------------------------------------------------------------------

    def _filter(self, must: _Conds, must_not: _Conds):
        m = self._m

        def cond(key: str, values: list[str]):
            match = m.MatchValue(value=values[0]) if len(values) == 1 else m.MatchAny(any=list(values))
            return m.FieldCondition(key=key, match=match)

        if not must and not must_not:
            return None
        return m.Filter(
            must=[cond(k, v) for k, v in must] or None,
            must_not=[cond(k, v) for k, v in must_not if v] or None,
        )

    def _tag(self, payload: dict) -> None:
        payload[_WRITTEN_AT] = time.time()

    def _upsert(self, points: Sequence[_Prepared]) -> None:
        m = self._m
        out = []
        for p in points:
            vec: dict[str, Any] = {
                n: m.SparseVector(indices=list(v.indices), values=list(v.values)) for n, v in p.sparse.items()
            }
            if p.dense is not None:
                vec[DENSE_VECTOR] = list(p.dense)
            out.append(m.PointStruct(id=p.id, vector=vec, payload=p.payload))
        self._c.upsert(self.collection, points=out, wait=True)

    def _put_catalog(self, doc_id: str, payload: dict) -> None:
        m = self._m
        self._c.upsert(
            self.collection, points=[m.PointStruct(id=catalog_point_id(doc_id), vector={}, payload=payload)], wait=True
        )

    def _remove_catalog(self, doc_id: str) -> None:
        self._c.delete(
            self.collection, points_selector=self._m.PointIdsList(points=[catalog_point_id(doc_id)]), wait=True
        )

    def _get_catalog(self, doc_id: str, fields: list[str] | None) -> dict | None:
        recs = self._c.retrieve(
            self.collection,
            ids=[catalog_point_id(doc_id)],
            with_payload=sorted({*fields, "record"}) if fields else True,
        )
        for r in recs:
            if (r.payload or {}).get("record") == RECORD_DOCUMENT:
                return r.payload
        return None

    def _existing_dvs(self, ids: list[str]) -> dict[str, str]:
        recs = self._c.retrieve(self.collection, ids=list(ids), with_payload=[_DV])
        return {str(r.id): str((r.payload or {}).get(_DV, "")) for r in recs}

    def _delete_where(self, must: _Conds, must_not: _Conds) -> None:
        if not must and not must_not:
            raise AssertionError("refusing to delete without a filter")
        self._c.delete(
            self.collection, points_selector=self._m.FilterSelector(filter=self._filter(must, must_not)), wait=True
        )

    def _count(self, must: _Conds, must_not: _Conds) -> int:
        return self._c.count(self.collection, count_filter=self._filter(must, must_not), exact=True).count

    def _scroll(self, must: _Conds, must_not: _Conds, fields: list[str] | None, limit: int | None) -> list[dict]:
        out: list[dict] = []
        offset = None
        flt = self._filter(must, must_not)
        while True:
            page = _SCROLL_PAGE if limit is None else min(_SCROLL_PAGE, limit - len(out))
            recs, offset = self._c.scroll(
                self.collection,
                scroll_filter=flt,
                limit=page,
                offset=offset,
                with_payload=fields if fields else True,
                with_vectors=False,
            )
            out.extend(r.payload or {} for r in recs)
            if offset is None or (limit is not None and len(out) >= limit):
                return out

    def _scroll_points(self, must: _Conds, must_not: _Conds) -> list[StorePoint]:
        out: list[StorePoint] = []
        offset = None
        flt = self._filter(must, must_not)
        while True:
            recs, offset = self._c.scroll(
                self.collection, scroll_filter=flt, limit=_SCROLL_PAGE, offset=offset, with_payload=True, with_vectors=True
            )
            out.extend(_store_point(r) for r in recs)
            if offset is None:
                return out

    def _query(self, vectors, must, must_not, idf_must, idf_must_not, limit, prefetch_limit, rrf_k, weights):
        m = self._m
        flt = self._filter(must, must_not)

        def as_query(name, vec):
            if name == DENSE_VECTOR:
                return vec
            return m.SparseVector(indices=list(vec.indices), values=list(vec.values))

        def run(use_idf: bool):
            idf = (
                m.SearchParams(idf=m.IdfCorpusParams(corpus=self._filter(idf_must, idf_must_not)))
                if use_idf
                else None
            )
            if len(vectors) == 1:
                name, vec = vectors[0]
                return self._c.query_points(
                    self.collection,
                    query=as_query(name, vec),
                    using=name,
                    query_filter=flt,
                    search_params=idf if name != DENSE_VECTOR else None,
                    limit=limit,
                    with_payload=True,
                ).points
            prefetch = [
                m.Prefetch(
                    query=as_query(name, vec),
                    using=name,
                    limit=prefetch_limit,
                    params=idf if name != DENSE_VECTOR else None,
                )
                for name, vec in vectors
            ]
            return self._c.query_points(
                self.collection,
                prefetch=prefetch,
                query=m.RrfQuery(rrf=m.Rrf(k=rrf_k, weights=weights)),
                query_filter=flt,
                limit=limit,
                with_payload=True,
            ).points

        try:
            res = run(self._idf_supported)
        except Exception as e:
            # Servers older than the IDF corpus parameter reject it: fall back to global IDF.
            if self._idf_supported and "idf" in str(e).lower():
                self._idf_supported = False
                res = run(False)
            else:
                raise
        return [Hit(str(p.id), float(p.score), _clean(p.payload)) for p in res]

    def _engine_flush(self) -> None:
        pass  # every write waits for the server to apply it

    def _engine_close(self) -> None:
        self._c.close()

    # ---- visibility -------------------------------------------------------------------------

    def _visibility(self):
        self._refresh_catalog()
        with self._mu:
            if not self._active:
                return None
            return [(_DV, sorted(_dv(d, v) for d, v in self._active.items()))], []

    def _stored_version(self, doc_id: str) -> str | None:
        p = self._get_catalog(doc_id, ["version"])
        version = None if p is None else p.get("version")
        with self._mu:
            if version is None:
                self._active.pop(doc_id, None)
            else:
                self._active[doc_id] = version
        return version

    def _location(self) -> dict:
        return {"url": self.url, "collection": self.collection}


# --------------------------------------------------------------------------------------------


def open_store(
    *,
    data_dir: str | None = None,
    url: str | None = None,
    api_key: str | None = None,
    dense_dim: int | None = None,
    collection: str = "sotay",
    shards: int | None = None,
    replicas: int | None = None,
    min_free_mb: float = 32.0,
) -> Store:
    """A server store when ``url`` is set, else an Edge store under ``data_dir`` (default ./data)."""
    if url:
        return ServerStore(
            url, api_key=api_key, dense_dim=dense_dim, collection=collection, shards=shards, replicas=replicas
        )
    return EdgeStore(data_dir or "data", dense_dim=dense_dim, min_free_mb=min_free_mb)
