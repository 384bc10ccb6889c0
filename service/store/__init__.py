"""The store: the only package of Sổ tay that speaks Qdrant.

Two engines behind one interface:

* ``EdgeStore`` — Qdrant Edge (``qdrant-edge-py``, the Qdrant engine in-process) under a data
  directory; the default.
* ``ServerStore`` — a Qdrant server or cluster through ``qdrant-client``, when a URL is configured.

The rest of the code sees only :class:`Store`, :class:`StorePoint`, :class:`StoreFilter`,
:class:`Hit` and :class:`StoreError`, and must not know which engine is behind them.

Modules: ``types`` (what callers see), ``payloads`` (what the store adds to every point and the
engine-neutral helpers), ``engine`` (the primitives an adapter provides), ``copies`` (whole documents
out and in), ``base`` (the ``Store`` template: atomic writes, visibility, reads), ``edge`` and
``server`` (one adapter per engine), ``datadir`` (the embedded data directory: lock, restore swap,
free space), ``backup`` (the backup file and the copies between stores), ``open`` (``open_store``).
Class order: Engine → DocumentCopies → Store → EdgeStore / ServerStore.
"""

from .base import Store
from .edge import EdgeStore
from .open import open_store
from .server import ServerStore, qdrant_client
from .types import (
    DENSE_VECTOR,
    SPARSE_VECTORS,
    DocumentDump,
    Hit,
    SparseVec,
    StoreError,
    StoreFilter,
    StoreLocked,
    StorePoint,
    disk_full_error,
    is_disk_full,
)

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
    "qdrant_client",
    "is_disk_full",
    "disk_full_error",
    "SPARSE_VECTORS",
    "DENSE_VECTOR",
]
