"""Store test helpers: points and catalogs to write, and an opener for each backend.

Backends:
* "edge"   — Qdrant Edge in a temporary data dir; always.
* "local"  — the ServerStore adapter against qdrant-client's local mode (its reference
             implementation of the server API); always, cheap coverage of the adapter code.
* "server" — the ServerStore against a real Qdrant at SOTAY_QDRANT_URL; skipped when unset.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from service.store import Hit, ServerStore, SparseVec, StorePoint, open_store, qdrant_client


SERVER_URL = os.environ.get("SOTAY_QDRANT_URL")


SERVER_KEY = os.environ.get("SOTAY_QDRANT_API_KEY")


NO_SERVER = (
    "no Qdrant server: set SOTAY_QDRANT_URL=http://HOST:6333 (and SOTAY_QDRANT_API_KEY if it has one) to run "
    "the store suite against it; the 'local' backend (qdrant-client local mode) covers the server adapter meanwhile"
)


def sv(*terms: int, w: float = 1.0) -> SparseVec:
    return SparseVec(list(terms), [w] * len(terms))


def pid(doc: str, version: str, i: int | str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"sotay-test/{doc}/{version}/{i}"))


def chunk(doc, version, i, *, bm25=None, folded=None, dense=None, **payload) -> StorePoint:
    sparse = {}
    if bm25 is not None:
        sparse["bm25"] = bm25
    if folded is not None:
        sparse["bm25_folded"] = folded
    return StorePoint(pid(doc, version, i), {"record": "chunk", "n": i, **payload}, sparse, dense)


def obligation(doc, version, i, **payload) -> StorePoint:
    return StorePoint(pid(doc, version, f"o{i}"), {"record": "obligation", "n": i, **payload}, {})


def cat(doc, version, **extra) -> dict:
    return {"doc_id": doc, "version": version, "title": f"Văn bản {doc}", **extra}


def doc_points(doc, version, n, term=1000, **payload) -> list[StorePoint]:
    """n chunks that all contain `term` (and one term of their own)."""
    return [chunk(doc, version, i, bm25=sv(term, 2000 + i), folded=sv(term), **payload) for i in range(n)]


def ids(hits: list[Hit]) -> list[str]:
    return [h.id for h in hits]


BACKENDS = [
    "edge",
    "local",
    pytest.param(
        "server",
        marks=pytest.mark.skipif(
            not SERVER_URL, reason=NO_SERVER
        ),
    ),
]


class Opener:
    """Opens (and re-opens) a store of one backend on the same data."""

    def __init__(self, backend: str, tmp_path: Path):
        self.backend = backend
        self.data_dir = str(tmp_path / "data")
        self.collection = f"sotay_test_{uuid.uuid4().hex[:12]}"
        self.local_path = str(tmp_path / "local")
        self.opened: list = []

    def __call__(self, dense_dim: int | None = None):
        if self.backend == "edge":
            s = open_store(data_dir=self.data_dir, dense_dim=dense_dim)
        elif self.backend == "local":
            s = ServerStore("local", client=qdrant_client(path=self.local_path), dense_dim=dense_dim)
        else:
            s = open_store(url=SERVER_URL, api_key=SERVER_KEY, dense_dim=dense_dim, collection=self.collection)
        self.opened.append(s)
        return s

    def cleanup(self):
        for s in self.opened:
            s.close()
        if self.backend == "server":
            c = qdrant_client(SERVER_URL, api_key=SERVER_KEY)
            if c.collection_exists(self.collection):
                c.delete_collection(self.collection)
            c.close()
