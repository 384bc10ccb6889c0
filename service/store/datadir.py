"""The embedded store's data directory on disk: its exclusive lock, the restore swap, free space.

Plain file-system work with no engine in it, so that the backup orchestration can ask who holds a
data directory without opening the store."""

from __future__ import annotations

import fcntl
import os
import shutil
import stat

from .types import StoreError, StoreLocked

LOCK_FILE = ".lock"  # flock'd by the process that has the store open; holds its pid
SHARD_DIR = "shard"
RESTORE_DIR = ".restore"  # a restore is built here, then swapped in (see EdgeStore.adopt)
_REPLACED_DIR = ".replaced"  # the shard a restore replaced, until it is deleted
_READY = "READY"  # in the restore dir: the restored shard is complete and verified
COPY_PREFIX = ".copy-"  # a compaction's copy of the live documents, read into the restore dir


def make_private(data_dir: str) -> None:
    """What this process writes is its user's alone: the umask gains 077 (the engine creates its
    files through the umask: measured, 0644 files and 0755 directories under the default 022), the
    data directory is 0700, and what a store made before already left in it becomes 0600 / 0700.
    The directory holds `internal` documents in clear text (payloads, the write-ahead log)."""
    os.umask(os.umask(0o077) | 0o077)
    os.makedirs(data_dir, mode=0o700, exist_ok=True)
    for root, dirs, files in os.walk(data_dir):
        for name, private in [(n, 0o700) for n in dirs] + [(n, 0o600) for n in files]:
            path = os.path.join(root, name)
            try:
                mode = os.lstat(path).st_mode
                if not stat.S_ISLNK(mode) and mode & 0o077:
                    os.chmod(path, private)
            except OSError:  # gone meanwhile, or not ours: the directory's own mode still guards it
                pass
    os.chmod(data_dir, 0o700)


def lock(data_dir: str) -> int:
    """Take the directory's exclusive lock (creating the directory, private: see make_private);
    returns the lock's fd. A second process loading a live shard damages its journal, hence the lock
    before any load."""
    try:
        make_private(data_dir)
        fd = os.open(os.path.join(data_dir, LOCK_FILE), os.O_RDWR | os.O_CREAT, 0o600)
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
    for name in os.listdir(data_dir):  # the copy a killed compaction was reading from
        if name.startswith(COPY_PREFIX):
            try:
                os.unlink(os.path.join(data_dir, name))
            except OSError:
                pass


# ---- a clean close: what the next open may skip -------------------------------------------------
# Opening a store reads every catalog entry (the live versions) and counts the points of no live
# version (left by a crash). Both are known when the store is closed normally with no write
# pending: the close leaves them in CLEAN_FILE, with the size and modification time of every file
# of the shard, and the next open uses them only if every file is as it was left — any write since
# (by any version of the program, or one cut short by a crash) changes the write-ahead log. The
# open deletes the file (durably) before anything is written, so only a close writes it again.
CLEAN_FILE = "closed-clean.json"


def shard_fingerprint(shard: str) -> list[list]:
    """Every file under the shard but the clean-close record: [relative path, size, mtime in ns]."""
    out = []
    for root, _dirs, files in os.walk(shard):
        for name in files:
            if name.startswith(CLEAN_FILE):
                continue
            path = os.path.join(root, name)
            st = os.lstat(path)
            out.append([os.path.relpath(path, shard), st.st_size, st.st_mtime_ns])
    out.sort()
    return out


def write_clean(shard: str, state: dict) -> None:
    """Record a clean close of the shard (closed already) with ``state`` (JSON-able)."""
    import json

    body = json.dumps({"v": 1, "files": shard_fingerprint(shard), "state": state})
    tmp = os.path.join(shard, CLEAN_FILE + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(body)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, os.path.join(shard, CLEAN_FILE))
    fsync_dir(shard)


def read_clean(shard: str) -> dict | None:
    """The state a clean close left, if the shard's files are still as it left them (else None).
    Read before the engine opens the shard (opening may touch its files)."""
    import json

    try:
        with open(os.path.join(shard, CLEAN_FILE), encoding="utf-8") as f:
            rec = json.load(f)
        if isinstance(rec, dict) and rec.get("v") == 1 and rec.get("files") == shard_fingerprint(shard):
            state = rec.get("state")
            return state if isinstance(state, dict) else None
    except (OSError, ValueError):
        pass
    return None


def drop_clean(shard: str) -> None:
    """Delete the clean-close record, durably: done once the shard is open, before any write."""
    gone = False
    for name in (CLEAN_FILE, CLEAN_FILE + ".tmp"):
        try:
            os.unlink(os.path.join(shard, name))
            gone = True
        except FileNotFoundError:
            pass
    if gone:
        fsync_dir(shard)
