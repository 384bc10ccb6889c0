"""Fixtures of the store tests: a store of each backend (tests/support/stores.py)."""
from __future__ import annotations

import pytest

from service.store import SparseVec
from support.stores import BACKENDS, Opener, cat, chunk


@pytest.fixture(params=BACKENDS)
def opener(request, tmp_path):
    o = Opener(request.param, tmp_path)
    yield o
    o.cleanup()


@pytest.fixture
def store(opener):
    return opener()


@pytest.fixture
def rrf_store(store):
    # query: bm25 = [1], bm25_folded = [2]
    #   P: bm25 rank 0, not in folded;  Q: rank 1 in both;  R: folded rank 0, not in bm25
    pts = [
        chunk("D", "v1", "P", bm25=SparseVec([1, 9], [3.0, 1.0])),
        chunk("D", "v1", "Q", bm25=SparseVec([1], [1.0]), folded=SparseVec([2], [1.0])),
        chunk("D", "v1", "R", folded=SparseVec([2, 9], [3.0, 1.0])),
        chunk("D", "v1", "S", bm25=SparseVec([7], [1.0]), folded=SparseVec([8], [1.0])),  # matches nothing
    ]
    store.replace_document(cat("D", "v1"), pts)
    return store
