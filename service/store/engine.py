"""What an engine adapter provides: the primitives (upsert, delete, scroll, query…) and the state and
guards the ``Store`` template works with. ``edge`` and ``server`` implement it; nothing above the
store package sees it."""

from __future__ import annotations

import abc
import contextlib
import threading
import uuid
from typing import Any, Iterator, Sequence

from . import sidecars
from .payloads import DV_KEY, Conds, Prepared, dv_of
from .types import RECORD_DOCUMENT, SPARSE_VECTORS, Hit, StoreError, StorePoint, disk_full_error, is_disk_full


class Engine(abc.ABC):
    """The state every store keeps and the primitives each engine adapter provides (the
    template methods of :class:`~service.store.base.Store` and its copies are built on them)."""

    dense_dim: int | None
    backend: str = ""
    # Edge serialises every engine call (and reads see a consistent snapshot under the lock);
    # the server engine is safe to call concurrently.
    _serialize_engine: bool = False

    def __init__(self) -> None:
        self.dense_dim = None
        self._mu = threading.RLock()  # guards the maps below (and the engine, for Edge)
        # One document write at a time. Re-entrant: a compaction holds it from its copy of the live
        # documents to the swap, and calls the export and the swap, which take it too.
        self._write_lock = threading.RLock()
        self._active: dict[str, str] = {}  # doc_id -> committed version
        self._generation = 0  # bumped by every commit of this process
        self._closed = False

    # ---- engine primitives (per backend) ----------------------------------------------------

    @abc.abstractmethod
    def _upsert(self, points: Sequence[Prepared]) -> None: ...

    @abc.abstractmethod
    def _put_catalog(self, doc_id: str, payload: dict) -> None: ...

    @abc.abstractmethod
    def _remove_catalog(self, doc_id: str) -> None: ...

    @abc.abstractmethod
    def _get_catalog(self, doc_id: str, fields: list[str] | None) -> dict | None: ...

    @abc.abstractmethod
    def _delete_where(self, must: Conds, must_not: Conds) -> None: ...

    @abc.abstractmethod
    def _count(self, must: Conds, must_not: Conds) -> int: ...

    @abc.abstractmethod
    def _scroll(
        self, must: Conds, must_not: Conds, fields: list[str] | None, limit: int | None
    ) -> list[dict]: ...

    def _scroll_pages(self, must: Conds, must_not: Conds, fields: list[str] | None, page: int) -> Iterator[list[dict]]:
        """Payloads page by page, the engine's lock taken for each page only (a reader summing them
        holds one page at a time, and queries go on between pages). Default: one page of all."""
        yield self._scroll(must, must_not, fields, None)

    def _scroll_records(self, must: Conds, must_not: Conds, fields: list[str],
                        page: int) -> Iterator[list[tuple[str, dict]]]:
        """(point id, payload limited to ``fields``) of the matching points, ordered by id, a page at a
        time (the engine's lock taken for each page only)."""
        raise NotImplementedError

    def _retrieve(self, ids: list[str], fields: list[str] | None) -> dict[str, dict]:
        """Payloads (limited to ``fields`` when given) of the points that exist, by id (nothing kept)."""
        raise NotImplementedError

    @abc.abstractmethod
    def _ranked(
        self,
        name: str,
        vector: Any,
        must: Conds,
        must_not: Conds,
        idf_must: Conds,
        idf_must_not: Conds,
        limit: int,
    ) -> list[tuple[Any, float]]:
        """The ``limit`` best (point id, score) for one vector (sparse: IDF over the corpus filter).
        The id as a UUID or its canonical string (they order alike)."""

    def _ranked_many(self, names: list[str], vectors: list[Any], must: Conds, must_not: Conds, idf_must: Conds,
                     idf_must_not: Conds, limit: int) -> list[list[tuple[Any, float]]]:
        """:meth:`_ranked` for several vectors under the same filters, one list each (an engine may
        answer them in one call)."""
        return [self._ranked(n, v, must, must_not, idf_must, idf_must_not, limit) for n, v in zip(names, vectors)]

    @abc.abstractmethod
    def _payloads(self, ids: list[str]) -> dict[str, dict]:
        """Payloads (without the internal keys) of the points that exist, by id."""

    @abc.abstractmethod
    def _scroll_points(self, must: Conds, must_not: Conds) -> list[StorePoint]:
        """Points matching the conditions with their vectors and raw payloads, ordered by id."""

    @abc.abstractmethod
    def _existing_dvs(self, ids: list[str]) -> dict[str, str]:
        """For the ids that exist: their "_dv" ("" when they have none)."""

    @abc.abstractmethod
    def _engine_flush(self) -> None: ...

    @abc.abstractmethod
    def _engine_close(self) -> None: ...

    @abc.abstractmethod
    def _visibility(self) -> tuple[Conds, Conds] | None:
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

    def _catalog_extras(self, doc_id: str, prepared: Sequence[Prepared]) -> dict:
        """Internal keys the engine keeps in a document's catalog entry (Edge: its term counts)."""
        return {}

    def _after_write(self) -> None:
        """Called when a write (a group of documents, a deletion, a bulk load) is done."""

    def _check_space(self, nbytes: int, what: str, *, reserve: bool = True) -> None:
        """Refuse a write of about ``nbytes`` the disk cannot hold (Edge: before the engine meets
        a full disk, where its memory-mapped files would kill the process with SIGBUS)."""

    def state_key(self) -> str | None:
        """A digest of the live documents' (doc_id, version) pairs, for caches derived from them that
        outlive the process (see :meth:`sidecar_path`); None when this process cannot know every
        write (a server store, written by other replicas too)."""
        return None

    def sidecar_path(self, name: str) -> str | None:
        """Where a cache derived from the live documents may be kept beside the data (None: nowhere).
        It travels with the data: a restore or a compaction that swaps the shard drops it."""
        return None

    def derived(self, name: str, key: str | None) -> Any | None:
        """A value kept by :meth:`keep_derived` for the live documents ``key`` names (None: none)."""
        path = self.sidecar_path(name) if key is not None else None
        return sidecars.read(path, key) if path else None

    def keep_derived(self, name: str, key: str | None, value: Any) -> None:
        """Keep a JSON-able value derived from the live documents ``key`` (a :meth:`state_key`) names."""
        path = self.sidecar_path(name) if key is not None else None
        if path:
            sidecars.write(path, key, value)

    def derived_arrays(self, name: str, key: str | None) -> dict[str, Any] | None:
        """Numpy arrays kept by :meth:`keep_derived_arrays` for the live documents ``key`` names."""
        path = self.sidecar_path(name) if key is not None else None
        return sidecars.read_arrays(path, key) if path else None

    def keep_derived_arrays(self, name: str, key: str | None, arrays: dict[str, Any], *,
                            replaces: str | None = None) -> None:
        """Keep numpy arrays derived from the live documents ``key`` (a :meth:`state_key`) names (and
        remove the sidecars ``replaces`` names: a glob pattern of names, older formats of the same)."""
        path = self.sidecar_path(name) if key is not None else None
        if path:
            sidecars.write_arrays(path, key, arrays, replaces=replaces)

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

    # ---- guards and point validation ---------------------------------------------------------

    def _engine_lock(self) -> contextlib.AbstractContextManager:
        return self._mu if self._serialize_engine else contextlib.nullcontext()

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("store_closed", "Kho dữ liệu đã đóng.")

    def _prepare(self, p: StorePoint, doc_id: str, version: str) -> Prepared:
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
        payload[DV_KEY] = dv_of(doc_id, version)
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
        return Prepared(pid, payload, sparse, dense)
