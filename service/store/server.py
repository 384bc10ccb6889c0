"""A Qdrant server or cluster through qdrant-client (set ``SOTAY_QDRANT_URL``): the scale-out store."""

from __future__ import annotations

import time
import warnings
from typing import Any, Iterator, Sequence

from .base import Store
from .payloads import (
    DV_KEY,
    SCROLL_PAGE,
    WRITTEN_AT_KEY,
    Conds,
    Prepared,
    catalog_point_id,
    clean_payload,
    dv_of,
    store_point,
)
from .types import DENSE_VECTOR, INDEXED_FIELDS, RECORD_DOCUMENT, SPARSE_VECTORS, StoreError, StorePoint


def qdrant_client(url: str | None = None, *, path: str | None = None, api_key: str | None = None, timeout: int = 60) -> Any:
    """A qdrant-client for ``url``, or in local mode on ``path`` (a slow stand-in for a server that
    tests and benchmarks use to exercise the server adapter; see DESIGN §5)."""
    from qdrant_client import QdrantClient

    if path is not None:
        return QdrantClient(path=path)
    return QdrantClient(url=url, api_key=api_key, timeout=timeout)


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
        from qdrant_client import models

        self._m = models
        self.url = url
        self.collection = collection
        self.shards = shards
        self.replicas = replicas
        self.catalog_ttl = catalog_ttl
        self._catalog_read_at = float("-inf")
        self._idf_supported = True
        self._c = client if client is not None else qdrant_client(url, api_key=api_key, timeout=timeout)
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
        must_not: Conds = [("record", [RECORD_DOCUMENT])]
        with self._mu:
            if self._active:
                must_not.append((DV_KEY, [dv_of(d, v) for d, v in self._active.items()]))
        m = self._m
        flt = m.Filter(
            must=[m.FieldCondition(key=WRITTEN_AT_KEY, range=m.Range(lt=time.time() - grace))],
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

    def _filter(self, must: Conds, must_not: Conds):
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
        payload[WRITTEN_AT_KEY] = time.time()

    def _upsert(self, points: Sequence[Prepared]) -> None:
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
        recs = self._c.retrieve(self.collection, ids=list(ids), with_payload=[DV_KEY])
        return {str(r.id): str((r.payload or {}).get(DV_KEY, "")) for r in recs}

    def _delete_where(self, must: Conds, must_not: Conds) -> None:
        if not must and not must_not:
            raise AssertionError("refusing to delete without a filter")
        self._c.delete(
            self.collection, points_selector=self._m.FilterSelector(filter=self._filter(must, must_not)), wait=True
        )

    def _count(self, must: Conds, must_not: Conds) -> int:
        return self._c.count(self.collection, count_filter=self._filter(must, must_not), exact=True).count

    def _scroll(self, must: Conds, must_not: Conds, fields: list[str] | None, limit: int | None) -> list[dict]:
        out: list[dict] = []
        offset = None
        flt = self._filter(must, must_not)
        while True:
            page = SCROLL_PAGE if limit is None else min(SCROLL_PAGE, limit - len(out))
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

    def _scroll_records(self, must: Conds, must_not: Conds, fields: list[str],
                        page: int) -> Iterator[list[tuple[str, dict]]]:
        offset = None
        flt = self._filter(must, must_not)
        while True:
            recs, offset = self._c.scroll(self.collection, scroll_filter=flt, limit=page, offset=offset,
                                          with_payload=list(fields), with_vectors=False)
            yield [(str(r.id), r.payload or {}) for r in recs]
            if offset is None:
                return

    def _retrieve(self, ids: list[str], fields: list[str] | None) -> dict[str, dict]:
        if not ids:
            return {}
        return {str(r.id): r.payload or {} for r in self._c.retrieve(
            self.collection, ids=list(ids), with_payload=list(fields) if fields is not None else True)}

    def _scroll_points(self, must: Conds, must_not: Conds) -> list[StorePoint]:
        out: list[StorePoint] = []
        offset = None
        flt = self._filter(must, must_not)
        while True:
            recs, offset = self._c.scroll(
                self.collection, scroll_filter=flt, limit=SCROLL_PAGE, offset=offset, with_payload=True, with_vectors=True
            )
            out.extend(store_point(r) for r in recs)
            if offset is None:
                return out

    def _ranked(self, name, vector, must, must_not, idf_must, idf_must_not, limit):
        m = self._m
        query = vector if name == DENSE_VECTOR else m.SparseVector(indices=list(vector.indices),
                                                                     values=list(vector.values))

        def run(use_idf: bool):
            idf = (m.SearchParams(idf=m.IdfCorpusParams(corpus=self._filter(idf_must, idf_must_not)))
                   if use_idf and name != DENSE_VECTOR else None)
            return self._c.query_points(self.collection, query=query, using=name, query_filter=self._filter(must, must_not),
                                        search_params=idf, limit=limit, with_payload=False).points

        try:
            res = run(self._idf_supported)
        except Exception as e:
            # Servers older than the IDF corpus parameter reject it: fall back to global IDF.
            if self._idf_supported and "idf" in str(e).lower():
                self._idf_supported = False
                res = run(False)
            else:
                raise
        return [(str(p.id), float(p.score)) for p in res]

    def _payloads(self, ids: list[str]) -> dict[str, dict]:
        if not ids:
            return {}
        return {str(r.id): clean_payload(r.payload) for r in self._c.retrieve(self.collection, ids=list(ids),
                                                                              with_payload=True)}

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
            return [(DV_KEY, sorted(dv_of(d, v) for d, v in self._active.items()))], []

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
