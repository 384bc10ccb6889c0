"""``open_store``: the configured engine."""

from __future__ import annotations

from .base import Store
from .edge import EdgeStore
from .server import ServerStore


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
