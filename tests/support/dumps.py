"""Whole stores and backup files as comparable values: every document's catalog entry and every point
(id, payload, sparse and dense vectors)."""
from __future__ import annotations

from pathlib import Path

from service.store.backup import BackupReader


def dumps_of(store) -> dict:
    """Every document of a store: doc_id → (catalog entry, {point id: (payload, sparse, dense)})."""
    out = {}

    def sink(d):
        out[d.catalog["doc_id"]] = (
            d.catalog,
            {p.id: (p.payload, {n: (v.indices, v.values) for n, v in p.sparse.items()}, p.dense) for p in d.points},
        )

    store.export_documents(sink)
    return out


def dumps_of_file(path: Path) -> dict:
    out = {}
    with BackupReader(path) as r:
        for d in r.documents():
            out[d.catalog["doc_id"]] = (
                d.catalog,
                {p.id: (p.payload, {n: (v.indices, v.values) for n, v in p.sparse.items()}, p.dense) for p in d.points},
            )
    return out


def assert_same(a: dict, b: dict, *, dense_tol: float = 1e-6) -> None:
    assert sorted(a) == sorted(b)
    for doc_id in a:
        (cat_a, pts_a), (cat_b, pts_b) = a[doc_id], b[doc_id]
        assert cat_a == cat_b, doc_id
        assert sorted(pts_a) == sorted(pts_b), doc_id
        for pid, (pay, sparse, dense) in pts_a.items():
            pay_b, sparse_b, dense_b = pts_b[pid]
            assert pay == pay_b and sparse == sparse_b, (doc_id, pid)
            assert (dense is None) == (dense_b is None)
            if dense is not None:
                assert max(abs(x - y) for x, y in zip(dense, dense_b)) <= dense_tol
