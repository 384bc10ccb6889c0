"""The embedded store's data directory on disk: its exclusive lock, the restore swap, free space.

Plain file-system work with no engine in it, so that the backup orchestration can ask who holds a
data directory without opening the store."""

from __future__ import annotations

import fcntl
import os
import shutil

from .types import StoreError, StoreLocked

LOCK_FILE = ".lock"  # flock'd by the process that has the store open; holds its pid
SHARD_DIR = "shard"
RESTORE_DIR = ".restore"  # a restore is built here, then swapped in (see EdgeStore.adopt)
_REPLACED_DIR = ".replaced"  # the shard a restore replaced, until it is deleted
_READY = "READY"  # in the restore dir: the restored shard is complete and verified


def lock(data_dir: str) -> int:
    """Take the directory's exclusive lock (creating the directory); returns the lock's fd.
    A second process loading a live shard damages its journal, hence the lock before any load."""
    try:
        os.makedirs(data_dir, exist_ok=True)
        fd = os.open(os.path.join(data_dir, LOCK_FILE), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise StoreError("store_unavailable", f"Không mở được thư mục dữ liệu {data_dir}: {e.strerror or e}.") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise StoreLocked(data_dir) from None
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
    except OSError:
        pass
    return fd


def unlock(fd: int) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def locked_by_another(data_dir: str) -> bool:
    """Whether another process (or another store of this one) holds the directory's lock."""
    try:
        fd = os.open(os.path.join(data_dir, LOCK_FILE), os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


def lock_holder(data_dir: str) -> str:
    """The pid written by the last process that took the lock (raises OSError when there is none)."""
    with open(os.path.join(data_dir, LOCK_FILE)) as f:
        return f.read().strip()


def has_shard(data_dir: str) -> bool:
    shard = os.path.join(data_dir, SHARD_DIR)
    return os.path.isdir(shard) and bool(os.listdir(shard))


def free_bytes(data_dir: str) -> int:
    st = os.statvfs(data_dir)
    return st.f_bavail * st.f_frsize


def fsync_dir(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def mark_ready(staging_dir: str) -> None:
    """Declare a restore's staging directory complete (durably): from now on it replaces the shard."""
    with open(os.path.join(staging_dir, _READY), "w") as f:
        f.write("ready\n")
        f.flush()
        os.fsync(f.fileno())
    fsync_dir(staging_dir)


def finish_restore(data_dir: str) -> None:
    """Complete (or drop) a restore that a crash interrupted; a no-op normally. Runs under the
    lock, with no shard loaded. Steps: shard → .replaced; .restore/shard → shard; remove both."""
    restore, shard, replaced = (os.path.join(data_dir, n) for n in (RESTORE_DIR, SHARD_DIR, _REPLACED_DIR))
    if os.path.isfile(os.path.join(restore, _READY)):
        new = os.path.join(restore, SHARD_DIR)
        if os.path.isdir(new):
            if os.path.isdir(shard):
                shutil.rmtree(replaced, ignore_errors=True)
                os.rename(shard, replaced)
            os.rename(new, shard)
            fsync_dir(data_dir)
    # not READY: a restore that did not finish building; the current shard stays
    shutil.rmtree(replaced, ignore_errors=True)
    shutil.rmtree(restore, ignore_errors=True)
