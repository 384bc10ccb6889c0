"""Qdrant Edge: the engine in-process under a data directory (the default store).

Edge facts this module relies on (qdrant-edge-py 0.9.0, measured): ``EdgeShard.create`` refuses
a path holding segments; a second process loading a live shard damages its journal (hence the
flock); updates reach the WAL at once and survive SIGKILL, fsync happens on ``flush()``; the
top-level query filter also applies to prefetches; ``IdfParams`` on a dense query is an error;
``create_dense_vector`` is idempotent for equal parameters and refuses different ones; an empty
vector dict is a valid point (the catalog and vector-less obligations).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from collections import OrderedDict
from typing import Any, Iterator, Sequence

from . import datadir, prefetch, termcounts
from .base import Store
from .payloads import (
    COUNTS_KEY,
    DV_KEY,
    SCROLL_PAGE,
    Conds,
    Prepared,
    catalog_point_id,
    clean_payload,
    dv_of,
    store_point,
)
from .termcounts import DocCounts, TermSums
from .types import (
    DENSE_VECTOR,
    INDEXED_FIELDS,
    RECORD_DOCUMENT,
    SPARSE_VECTORS,
    StoreError,
    StorePoint,
    is_disk_full,
)

_PAYLOAD_CACHE = 20_000  # payloads kept by point id for queries on the embedded store (a few KB each)
_MB = 1024 * 1024
# Free space a write needs besides the store's reserve: the engine's first touch of each of its
# page files (measured on tmpfs: ~160 KB for a first document) and the write's own bytes twice
# (WAL + storage; measured 1.2-1.5x the JSON size of the points).
_WRITE_SLACK = 1 * _MB
_WRITE_FACTOR = 2
# The term counts are saved beside the shard at most this often while writes go on (and at every
# close): a crash costs a recount of what was written since (see _load_sums).
_SUMS_SAVE_S = 30.0
# Where the engine keeps what an optimized segment holds (sparse indexes, payloads, point ids): "Cold"
# = memory-mapped, pages read when a query touches them; the engine's default keeps the sparse
# indexes whole in memory ("Pinned"). Appendable segments keep their indexes in memory either way.
_MEMORY = "Cold"
# optimize() indexes an appendable segment from this size of vectors (KB; the engine's default is
# 10 MB, which left a small batch unindexed): the engine never optimizes by itself, only when asked.
_INDEX_FROM_KB = 1
# optimize() merges segments only up to this size (KB, as the engine measures a segment: ~0.5-0.7 KB
# per point of ours): about 250k chunks with their duties. Without a bound every optimize merged the
# whole store into one segment and indexed it again, so each large ingest cost more than the last
# (measured: 7.5 min at 200k chunks, more than 31 min at 600k, the builder past 13 GB); with it, an
# optimize indexes what was written since and merges only small segments. More segments cost a
# search a little more (each is searched); smaller ones make optimize cheaper and more frequent.
MAX_SEGMENT_KB = 400_000

log = logging.getLogger("sotay")


class EdgeStore(Store):
    """Qdrant Edge under ``<data_dir>/shard``, locked by ``<data_dir>/.lock`` (see :mod:`.datadir`).

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
        # Payloads by point id (see _payloads). A point id is derived from its document's version, so
        # an id's payload never changes; deleted points simply stop being returned by queries.
        self._payloads_cache: OrderedDict[str, dict] = OrderedDict()
        # Sparse IDF from our own counts (termcounts.py) — stores made before it keep the engine's
        # IDF modifier and an IDF corpus filter per query (slow past ~50k chunks; `sotay compact`
        # or a backup and restore rebuilds them in the new form).
        self.own_idf = False
        self._sums = TermSums()
        self._doc_counts: dict[str, DocCounts] = {}  # counts of documents being written, until their commit
        self._sums_saved = 0.0
        self._lock_fd: int | None = None
        self._shard = None
        self._closed_dirty = False  # set by a failed open: its close records no clean state
        self._state_key: tuple[int, str] | None = None  # (generation, digest): see state_key
        self._lock_fd = datadir.lock(self.data_dir)
        try:
            datadir.finish_restore(self.data_dir)
            self._open_clean(dense_dim)
        except BaseException:
            self._closed = True
            self._closed_dirty = True
            self._release()
            raise

    # ---- opening ----------------------------------------------------------------------------

    def _open_clean(self, dense_dim: int | None) -> None:
        """Open the shard; the live versions from a clean close's record when its files are as
        that close left them (datadir.CLEAN_FILE: no catalog read, no orphan count — seconds at
        200k chunks), else read from the catalog, orphans deleted."""
        shard = os.path.join(self.data_dir, datadir.SHARD_DIR)
        clean = datadir.read_clean(shard)
        self._state_key = None
        self._open_shard(dense_dim)
        datadir.drop_clean(shard)
        active = (clean or {}).get("active")
        if isinstance(active, dict) and all(isinstance(v, str) for v in active.values()):
            self._active = dict(active)
            self.orphans_deleted = 0
        else:
            self._load_catalog()
            self._delete_orphans()
        self._load_sums()

    def _release(self) -> None:
        clean = False
        if self._shard is not None:
            try:
                self._shard.close()
                # Nothing hidden: no point of a version that is not live (a failed write's or an
                # old version's, whose deletion failed) is left for the next open to delete.
                clean = not self._hidden and not self._closed_dirty
            except Exception:
                pass
            self._shard = None
        if clean and self._lock_fd is not None:  # written before the lock is let go
            try:
                datadir.write_clean(os.path.join(self.data_dir, datadir.SHARD_DIR), {"active": dict(self._active)})
            except OSError:  # the next open reads the catalog
                log.warning("could not record the clean close of %s", self.data_dir)
        if self._lock_fd is not None:
            fd, self._lock_fd = self._lock_fd, None
            datadir.unlock(fd)

    def _open_shard(self, dense_dim: int | None) -> None:
        qe = self._qe
        path = os.path.join(self.data_dir, datadir.SHARD_DIR)
        exists = os.path.isdir(path) and bool(os.listdir(path))
        try:
            if exists:
                try:
                    self._shard = qe.EdgeShard.load(path)
                finally:
                    prefetch.release(path)  # what `sotay serve` held in memory for the load (prefetch.py)
            else:
                # No engine modifier: the store weighs query terms by IDF itself (termcounts.py).
                plain = getattr(qe.Modifier, "None")
                vectors = {DENSE_VECTOR: qe.EdgeVectorParams(dense_dim, qe.Distance.Cosine)} if dense_dim else None
                self._shard = qe.EdgeShard.create(path, self._placed_config({n: plain for n in SPARSE_VECTORS},
                                                                             vectors))
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
        modifiers = {str((have_sparse.get(n) or {}).get("modifier") or "none").lower() for n in SPARSE_VECTORS
                     if n in have_sparse}
        self.own_idf = "idf" not in modifiers
        for name in SPARSE_VECTORS:
            if name not in have_sparse:
                modifier = getattr(qe.Modifier, "None") if self.own_idf else qe.Modifier.Idf
                try:
                    self._shard.update(qe.UpdateOperation.create_sparse_vector(name, modifier))
                except Exception:  # no config to read, and the vector exists with the engine's IDF
                    if not (exists and self.own_idf):
                        raise
                    self.own_idf = False
                    self._shard.update(qe.UpdateOperation.create_sparse_vector(name, qe.Modifier.Idf))
        if not self.own_idf:
            log.warning("Kho dữ liệu ở %s được tạo bởi phiên bản cũ: tìm kiếm sẽ chậm khi kho lớn. Hãy chạy "
                        "`sotay compact` (hoặc sao lưu rồi khôi phục) để dựng lại kho theo dạng mới.", self.data_dir)
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
                # Memory-mapped like the rest (_MEMORY): in memory, the keyword indexes of 200k chunks
                # took ~250 MB and most of the 3-7 s an optimized shard took to open. A store made
                # before keeps its indexes as they are (rebuilding them costs minutes at that size).
                params = qe.KeywordIndexParams(memory=getattr(qe.Memory, _MEMORY))
                self._shard.update(qe.UpdateOperation.create_field_index(name, params))
        self._shard.flush()

    def _placed_config(self, modifiers: dict[str, Any], vectors: dict | None = None):
        """An engine config with the memory placement of _MEMORY (the sparse vectors keep ``modifiers``)."""
        qe = self._qe
        memory = getattr(qe.Memory, _MEMORY)
        sparse = {n: qe.EdgeSparseVectorParams(modifier=m, memory=memory) for n, m in modifiers.items()}
        return qe.EdgeConfig(vectors=vectors, sparse_vectors=sparse, payload_memory=memory, id_tracker_memory=memory,
                             optimizers=qe.EdgeOptimizersConfig(indexing_threshold=_INDEX_FROM_KB,
                                                                max_segment_size=MAX_SEGMENT_KB))

    def optimize(self) -> bool:
        """Rebuild the engine's appendable segment into an indexed one whose sparse indexes, payloads
        and point ids are memory-mapped and read on demand (_MEMORY): a store opened later reads what
        its queries touch instead of loading every vector into an index in memory (measured at 50k
        chunks: open 1.3 → 0.6 s, the engine's share of the process 585 → 185 MB, queries as fast).
        Synchronous, and the engine holds the interpreter lock throughout (~1-2 min at 50k chunks on
        this 2-core machine): `sotay ingest` runs it after a large batch, never a serving process.
        Points written later go to a new appendable segment. True when something was rebuilt."""
        qe = self._qe
        with self._write_lock, self._mu:
            self._check_open()
            path = os.path.join(self.data_dir, datadir.SHARD_DIR)
            shard = self._engine()
            shard.flush()
            cfg = self._read_config(path)
            sparse = cfg.get("sparse_vectors") or {}
            placed = str(cfg.get("payload_memory") or "").lower() == _MEMORY.lower() and all(
                str((sparse.get(n) or {}).get("memory") or "").lower() == _MEMORY.lower() for n in sparse)
            optimizers = cfg.get("optimizers") or {}
            tuned = (optimizers.get("indexing_threshold") == _INDEX_FROM_KB
                     and optimizers.get("max_segment_size") == MAX_SEGMENT_KB)
            if sparse and not (placed and tuned):  # a store made before: reopened with the placement (saved with the shard)
                modifiers = {n: qe.Modifier.Idf if str((v or {}).get("modifier") or "").lower() == "idf"
                             else getattr(qe.Modifier, "None") for n, v in sparse.items()}
                shard.close()
                self._shard = None
                try:
                    self._shard = qe.EdgeShard.load(path, self._placed_config(modifiers))
                except Exception:
                    self._shard = qe.EdgeShard.load(path)  # as it was
                    raise
            with self._disk_errors("việc tối ưu chỉ mục"):
                done = bool(self._engine().optimize())
                self._engine().flush()
            return done

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

    def _all_payload(self):
        """Every payload key but the catalog's term counts (tens of KB, read only by _load_sums)."""
        return self._qe.PayloadSelector.Exclude([COUNTS_KEY])

    def _sums_path(self) -> str:
        # Inside the shard's directory (the engine leaves other files alone): a restore or a
        # compaction that swaps the shard swaps its counts with it.
        return os.path.join(self.data_dir, datadir.SHARD_DIR, termcounts.SIDECAR)

    def _load_sums(self) -> None:
        """The term counts of the live documents: those saved beside the shard, plus the documents
        committed since they were saved (a run cut short); summed from every catalog entry when
        none were saved or a document they count is no longer live (a crash after a replacement)."""
        if not self.own_idf:
            return
        with self._mu:
            live = {dv_of(d, v): d for d, v in self._active.items()}
            saved = TermSums.load(self._sums_path())
            if saved is not None and saved[1] <= set(live):
                sums, covered = saved
                for dv in set(live) - covered:
                    entry = self._get_catalog(live[dv], [COUNTS_KEY]) or {}
                    sums.add(DocCounts.decode(entry.get(COUNTS_KEY)) or self._recount(dv))
                fresh = covered == set(live)
            else:
                sums, fresh = TermSums(), False
                for r in self._scroll([("record", [RECORD_DOCUMENT])], [], ["doc_id", "version", COUNTS_KEY], None):
                    dv = dv_of(str(r.get("doc_id")), str(r.get("version")))
                    if dv in live:
                        sums.add(DocCounts.decode(r.get(COUNTS_KEY)) or self._recount(dv))
            sums.merge()
            self._sums = sums
            if not fresh:
                self._save_sums()

    def _save_sums(self) -> None:
        try:
            self._sums.save(self._sums_path(), self._active)
            self._sums_saved = time.monotonic()
        except OSError:  # a cache: the next open recounts
            log.warning("could not save the term counts to %s", self._sums_path())

    def _after_write(self) -> None:
        if self.own_idf and time.monotonic() - self._sums_saved >= _SUMS_SAVE_S:
            with self._mu:
                self._save_sums()

    def _delete_orphans(self) -> None:
        """Delete every point that is not a catalog point nor of its document's catalog version
        (left by a crash between a write's first point and its clean-up)."""
        must_not: Conds = [("record", [RECORD_DOCUMENT])]
        if self._active:
            must_not.append((DV_KEY, [dv_of(d, v) for d, v in self._active.items()]))
        self.orphans_deleted = self._count([], must_not)
        if self.orphans_deleted:
            self._delete_where([], must_not)
            self._shard.flush()

    # ---- free space -------------------------------------------------------------------------

    def free_bytes(self) -> int:
        return datadir.free_bytes(self.data_dir)

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
        path = os.path.join(self.data_dir, datadir.RESTORE_DIR)
        shutil.rmtree(path, ignore_errors=True)
        return EdgeStore(path, dense_dim=dense_dim, min_free_mb=self.min_free_bytes / _MB)

    def discard(self, staging: "EdgeStore") -> None:
        staging.close()
        shutil.rmtree(staging.data_dir, ignore_errors=True)

    def adopt(self, staging: "EdgeStore") -> None:
        """Make ``staging``'s contents this store's, atomically on disk: a crash at any point leaves
        the old shard or the new one (finished by the next open), never a mix."""
        if staging.data_dir != os.path.join(self.data_dir, datadir.RESTORE_DIR):
            raise ValueError("adopt() takes a store made by staging()")
        with self._write_lock, self._mu:
            self._check_open()
            staging.close()
            datadir.mark_ready(staging.data_dir)
            self._shard.close()
            self._shard = None
            try:
                datadir.finish_restore(self.data_dir)
            finally:
                self.dense_dim = None
                self._hidden.clear()
                self._sums, self._doc_counts = TermSums(), {}
                self._open_clean(None)  # the staging store was just closed clean
                self._generation += 1

    # ---- engine primitives ------------------------------------------------------------------

    def _filter(self, must: Conds, must_not: Conds):
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

    def _upsert(self, points: Sequence[Prepared]) -> None:
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
            old = self._stored_counts(doc_id) if self.own_idf else None
            self._engine().update(qe.UpdateOperation.upsert_points([qe.Point(catalog_point_id(doc_id), {}, payload)]))
            if self.own_idf:  # the commit: the document's counts replace its old version's
                new = self._doc_counts.pop(doc_id, None) or DocCounts.decode(payload.get(COUNTS_KEY))
                if new is None:
                    new = self._recount(dv_of(doc_id, str(payload.get("version"))))
                self._sums.remove(old)
                self._sums.add(new)

    def _remove_catalog(self, doc_id: str) -> None:
        with self._mu:
            old = self._stored_counts(doc_id) if self.own_idf else None
            self._engine().update(self._qe.UpdateOperation.delete_points([catalog_point_id(doc_id)]))
            self._sums.remove(old)

    def _stored_counts(self, doc_id: str) -> DocCounts | None:
        """The counts of the document's committed version (None when it has none)."""
        version = self._active.get(doc_id)
        if version is None:
            return None
        entry = self._get_catalog(doc_id, [COUNTS_KEY, "version"]) or {}
        return DocCounts.decode(entry.get(COUNTS_KEY)) or self._recount(dv_of(doc_id, version))

    def _recount(self, dv: str) -> DocCounts:
        """A document's counts from its points (a catalog entry without them: never written by this
        version of the store, or damaged)."""
        return DocCounts.of_points(self._scroll_points([(DV_KEY, [dv])], [("record", [RECORD_DOCUMENT])]))

    def _catalog_extras(self, doc_id: str, prepared: Sequence[Prepared]) -> dict:
        if not self.own_idf:
            return {}
        counts = DocCounts.of_points(prepared)
        with self._mu:
            self._doc_counts[doc_id] = counts
        return {COUNTS_KEY: counts.encode()}

    def _get_catalog(self, doc_id: str, fields: list[str] | None) -> dict | None:
        with self._mu:
            recs = self._engine().retrieve(
                [catalog_point_id(doc_id)], sorted({*fields, "record"}) if fields else self._all_payload(), False
            )
        for r in recs:
            if (r.payload or {}).get("record") == RECORD_DOCUMENT:
                return r.payload
        return None

    def _delete_where(self, must: Conds, must_not: Conds) -> None:
        if not must and not must_not:
            raise AssertionError("refusing to delete without a filter")
        with self._mu:
            self._engine().update(self._qe.UpdateOperation.delete_points_by_filter(self._filter(must, must_not)))

    def _existing_dvs(self, ids: list[str]) -> dict[str, str]:
        with self._mu:
            recs = self._engine().retrieve(list(ids), [DV_KEY], False)
        return {str(r.id): str((r.payload or {}).get(DV_KEY, "")) for r in recs}

    def _count(self, must: Conds, must_not: Conds) -> int:
        with self._mu:
            return self._engine().count(self._qe.CountRequest(exact=True, filter=self._filter(must, must_not)))

    def _scroll(self, must: Conds, must_not: Conds, fields: list[str] | None, limit: int | None) -> list[dict]:
        qe = self._qe
        out: list[dict] = []
        offset = None
        flt = self._filter(must, must_not)
        with self._mu:  # one snapshot: no write can interleave between pages
            shard = self._engine()
            while True:
                page = SCROLL_PAGE if limit is None else min(SCROLL_PAGE, limit - len(out))
                recs, offset = shard.scroll(
                    qe.ScrollRequest(
                        offset=offset, limit=page, filter=flt, with_payload=fields if fields else self._all_payload(),
                        with_vector=False,
                    )
                )
                out.extend(r.payload or {} for r in recs)
                if offset is None or (limit is not None and len(out) >= limit):
                    return out

    def _scroll_pages(self, must: Conds, must_not: Conds, fields: list[str] | None, page: int) -> Iterator[list[dict]]:
        for rows in self._paged(must, must_not, fields if fields else self._all_payload(), page):
            yield [r.payload or {} for r in rows]

    def _scroll_records(self, must: Conds, must_not: Conds, fields: list[str],
                        page: int) -> Iterator[list[tuple[str, dict]]]:
        for rows in self._paged(must, must_not, list(fields), page):
            yield [(str(r.id), r.payload or {}) for r in rows]

    def _paged(self, must: Conds, must_not: Conds, with_payload, page: int) -> Iterator[list]:
        """The matching points a page at a time, the engine's lock taken for each page only."""
        qe = self._qe
        offset = None
        flt = self._filter(must, must_not)
        while True:
            with self._mu:
                recs, offset = self._engine().scroll(
                    qe.ScrollRequest(offset=offset, limit=page, filter=flt, with_payload=with_payload, with_vector=False))
            yield recs
            if offset is None:
                return

    def _retrieve(self, ids: list[str], fields: list[str] | None) -> dict[str, dict]:
        if not ids:
            return {}
        with self._mu:
            recs = self._engine().retrieve(list(ids), list(fields) if fields is not None else True, False)
        return {str(r.id): r.payload or {} for r in recs}

    def _scroll_points(self, must: Conds, must_not: Conds) -> list[StorePoint]:
        qe = self._qe
        out: list[StorePoint] = []
        offset = None
        flt = self._filter(must, must_not)
        with self._mu:
            shard = self._engine()
            while True:
                recs, offset = shard.scroll(
                    qe.ScrollRequest(offset=offset, limit=SCROLL_PAGE, filter=flt, with_payload=True, with_vector=True)
                )
                out.extend(store_point(r) for r in recs)
                if offset is None:
                    return out

    def _ranked(self, name, vector, must, must_not, idf_must, idf_must_not, limit):
        return self._ranked_many([name], [vector], must, must_not, idf_must, idf_must_not, limit)[0]

    def _ranked_many(self, names, vectors, must, must_not, idf_must, idf_must_not, limit):
        # One engine call for every vector of a search (query_batch): each call hands the search to
        # the engine's thread pool and waits for it with the interpreter lock held — measured under
        # load, the wait was most of a query's time (0.85 ms of wall time for 0.16 ms of CPU).
        reqs = [self._request(n, v, must, must_not, idf_must, idf_must_not, limit) for n, v in zip(names, vectors)]
        with self._mu:
            engine = self._engine()
            results = [engine.query(reqs[0])] if len(reqs) == 1 else engine.query_batch(self._qe.QueryBatchRequest(reqs))
        return [[(p.id, p.score) for p in points] for points in results]

    def _request(self, name, vector, must, must_not, idf_must, idf_must_not, limit):
        qe = self._qe
        if name == DENSE_VECTOR:  # IdfParams on a dense query is an error
            query, params = qe.Query.Nearest(list(vector), using=name), None
        else:
            values = list(vector.values)
            if self.own_idf:  # the IDF of the corpus's records and access levels, from our own counts
                corpus = dict(idf_must)
                with self._mu:
                    values = self._sums.weights(name, vector.indices, values, corpus.get("record") or [],
                                                corpus.get("access"))
                params = None
            else:
                params = qe.SearchParams(idf=qe.IdfParams(corpus=self._filter(idf_must, idf_must_not)))
            query = qe.Query.Nearest(qe.SparseVector(list(vector.indices), values), using=name)
        return qe.QueryRequest(limit=limit, query=query, filter=self._filter(must, must_not), params=params,
                               with_payload=False, with_vector=False)  # payloads are slow to build: not here

    def _payloads(self, ids: list[str]) -> dict[str, dict]:
        # Building result payloads was most of a query's time under load (profiled: 0.55 of
        # 0.67 ms), and the same passages come back for question after question: the engine
        # ranks ids, payloads come from a bounded cache, misses in one retrieve.
        with self._mu:
            cache = self._payloads_cache
            missing = [i for i in ids if i not in cache]
            if missing:
                for r in self._engine().retrieve(missing, True, False):
                    cache[str(r.id)] = clean_payload(r.payload)
                while len(cache) > _PAYLOAD_CACHE:
                    cache.popitem(last=False)
            out = {}
            for i in ids:
                if i in cache:
                    cache.move_to_end(i)
                    out[i] = cache[i]
            return out

    def _engine_flush(self) -> None:
        with self._mu:
            self._engine().flush()

    def _engine_close(self) -> None:
        try:
            if self._shard is not None:
                self._shard.flush()
                if self.own_idf:
                    self._save_sums()
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
            return [], ([(DV_KEY, sorted(self._hidden))] if self._hidden else [])

    def _stored_version(self, doc_id: str) -> str | None:
        with self._mu:
            return self._active.get(doc_id)

    def _location(self) -> dict:
        return {"path": self.data_dir}

    # ---- caches derived from the live documents ---------------------------------------------

    def state_key(self) -> str | None:
        # This process is the store's only writer (the lock), so its map of live versions is exact.
        with self._mu:
            if self._state_key is None or self._state_key[0] != self._generation:
                digest = hashlib.sha256()
                for doc_id, version in sorted(self._active.items()):
                    digest.update(f"{doc_id}@{version}\n".encode())
                self._state_key = (self._generation, digest.hexdigest())
            return self._state_key[1]

    def sidecar_path(self, name: str) -> str | None:
        if os.sep in name or name.startswith("."):
            raise ValueError(f"not a plain file name: {name!r}")
        return os.path.join(self.data_dir, datadir.SHARD_DIR, name)
