"""Caches derived from the live documents, kept as JSON files beside the embedded store's data
(``Store.keep_derived`` / ``Store.derived``): what a restart would otherwise rebuild by reading every
catalog entry — at 200k chunks, seconds of engine scrolls that also leave most of the payload pages
resident. Each file records the ``Store.state_key`` it was made for and is used only while the live
documents are still those; a cache, so a file that cannot be read or written is simply ignored."""
from __future__ import annotations

import json
import os
from typing import Any

_FORMAT = 1


def read(path: str, key: str) -> Any | None:
    """The value saved at ``path`` for ``key``; None when there is none (or it is of other documents)."""
    try:
        with open(path, encoding="utf-8") as f:
            raw = json.load(f)
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict) or raw.get("format") != _FORMAT or raw.get("key") != key:
        return None
    return raw.get("value")


def write(path: str, key: str, value: Any) -> None:
    """Save ``value`` (JSON-able) for ``key``, atomically (a temporary file renamed over the old one)."""
    tmp = f"{path}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump({"format": _FORMAT, "key": key, "value": value}, f, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
    except (OSError, TypeError, ValueError):
        try:
            os.unlink(tmp)
        except OSError:
            pass
