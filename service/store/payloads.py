"""Engine-neutral pieces of the store: the internal payload keys it adds to every point, condition
lists, points prepared for writing, and the conversions both engines share."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

from .types import DENSE_VECTOR, SparseVec, StorePoint

DV_KEY = "_dv"  # "<doc_id>@<version>" on every point the store writes
WRITTEN_AT_KEY = "_written_at"  # server only: unix time of the write (orphan clean-up grace)
COUNTS_KEY = "_tdf"  # Edge catalog entries: the document's term counts (termcounts.py)
INTERNAL_KEYS = (DV_KEY, WRITTEN_AT_KEY, COUNTS_KEY)

BATCH = 512  # points per update operation
SCROLL_PAGE = 1000
_CATALOG_NS = uuid.UUID("6f1c1c8e-5d1e-5f7e-9a57-0f7a1b2c3d4e")

# A condition list: (payload key, allowed values) — the key must hold one of the values.
Conds = list[tuple[str, list[str]]]


@dataclass
class Prepared:
    """A point ready to be written: validated id, payload tagged by the store."""

    id: str
    payload: dict
    sparse: dict[str, SparseVec]
    dense: list[float] | None


def dv_of(doc_id: str, version: str) -> str:
    return f"{doc_id}@{version}"


def catalog_point_id(doc_id: str) -> str:
    """The id of a document's catalog point (uuid5 of its doc_id)."""
    return str(uuid.uuid5(_CATALOG_NS, doc_id))


def store_point(record: Any) -> StorePoint:
    """A point read back with its vectors (Edge and qdrant-client records have the same shape)."""
    sparse: dict[str, SparseVec] = {}
    dense = None
    for name, v in (record.vector if isinstance(record.vector, dict) else {}).items():
        if name == DENSE_VECTOR:
            dense = [float(x) for x in v]
        else:
            sparse[name] = SparseVec([int(i) for i in v.indices], [float(x) for x in v.values])
    return StorePoint(str(record.id), dict(record.payload or {}), sparse, dense)


def clean_payload(payload: dict | None) -> dict:
    """A stored payload as callers see it: without the store's internal keys."""
    if not payload:
        return {}
    if any(k in payload for k in INTERNAL_KEYS):
        return {k: v for k, v in payload.items() if k not in INTERNAL_KEYS}
    return dict(payload)


def catalog_payload(payload: dict | None) -> dict:
    p = clean_payload(payload)
    p.pop("record", None)
    return p


def batches(seq: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


# json.dumps(…, ensure_ascii=False, default=str) builds this encoder at every call: once is enough.
_SIZE_JSON = json.JSONEncoder(ensure_ascii=False, default=str)


def write_size(prepared: Sequence[Prepared], catalog_json: str) -> int:
    """About how many bytes a document's payloads and vectors take (JSON size of the payloads)."""
    n = len(catalog_json.encode())
    for p in prepared:
        n += len(_SIZE_JSON.encode(p.payload).encode()) + 64
        n += sum(12 * len(v.indices) for v in p.sparse.values())
        n += 4 * len(p.dense or ())
    return n


def catalog_key(catalog: dict) -> tuple[str, str]:
    if not isinstance(catalog, dict):
        raise ValueError("catalog must be a dict")
    doc_id, version = catalog.get("doc_id"), catalog.get("version")
    if not isinstance(doc_id, str) or not doc_id:
        raise ValueError("catalog needs a non-empty string 'doc_id'")
    if not isinstance(version, str) or not version:
        raise ValueError("catalog needs a non-empty string 'version'")
    return doc_id, version
