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


def read_arrays(path: str, key: str) -> dict[str, Any] | None:
    """Arrays saved by :func:`write_arrays` for ``key`` (numpy arrays by name, memory-mapped: pages are
    read when used); None when there are none."""
    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as f:
            if str(f["key"]) != key or int(f["format"]) != _FORMAT:
                return None
            token, names = str(f["token"]), [str(n) for n in f["names"]]
        return {n: np.load(_array_path(path, token, n), mmap_mode="r", allow_pickle=False) for n in names}
    except (OSError, ValueError, KeyError, EOFError):
        return None


def write_arrays(path: str, key: str, arrays: dict[str, Any], *, replaces: str | None = None) -> None:
    """Save numpy arrays for ``key``: one .npy file each (read back memory-mapped), then the small file
    at ``path`` naming them, atomically — a reader sees the old set or the new one; the old set's
    files are removed after, and so are the files of the sets ``replaces`` names (a glob pattern of
    file names beside ``path``: the same arrays kept in an older format)."""
    import glob
    import uuid

    import numpy as np

    token = uuid.uuid4().hex[:12]
    written: list[str] = []
    tmp = f"{path}.tmp"
    try:
        for name, arr in arrays.items():
            target = _array_path(path, token, name)
            np.save(target, np.asarray(arr), allow_pickle=False)
            written.append(target)
        with open(tmp, "wb") as f:
            np.savez(f, key=np.array(key), format=np.array(_FORMAT), token=np.array(token),
                     names=np.array(list(arrays)))
        os.replace(tmp, path)
    except (OSError, TypeError, ValueError):
        for target in written + [tmp]:
            try:
                os.unlink(target)
            except OSError:
                pass
        return
    stale = glob.glob(glob.escape(path) + ".*.npy")
    if replaces:
        stale += [f for f in glob.glob(os.path.join(glob.escape(os.path.dirname(path)), replaces))
                  if not (f == path or f.startswith(path + "."))]
    for old in stale:
        if f".{token}." not in os.path.basename(old):
            try:
                os.unlink(old)
            except OSError:
                pass


def _array_path(path: str, token: str, name: str) -> str:
    if not name.isidentifier():
        raise ValueError(f"not an array name: {name!r}")
    return f"{path}.{token}.{name}.npy"
