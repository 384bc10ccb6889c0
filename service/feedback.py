"""What readers say of answers (👍/👎 with an optional comment), kept so real questions can become
evaluation cases.

One JSON line per rating, appended to a file beside the data directory (`data/` → `data-feedback.jsonl`,
or `SOTAY_FEEDBACK_FILE`): beside, not inside, because a restore swaps the data directory whole and
feedback is not part of the knowledge base. The file is created mode 0600 (questions may say who
asks); each line is written with one `write` under an exclusive lock, so replicas sharing the file
and concurrent requests never interleave. Nothing here reads the store.
"""
from __future__ import annotations

import fcntl
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

FILE_MODE = 0o600
READ_CHUNK = 64 * 1024


def feedback_path(data_dir: Path, configured: Path | None = None) -> Path:
    """Where feedback goes: the configured file, else `<data dir>-feedback.jsonl` beside the data dir."""
    if configured is not None:
        return Path(configured)
    data_dir = Path(data_dir)
    return data_dir.parent / f"{data_dir.name or 'data'}-feedback.jsonl"


def feedback_record(question: str, answer: dict[str, Any], rating: int, comment: str | None, *,
                    key_id: str | None = None) -> dict[str, Any]:
    """The stored line: when, the question, the rating and comment, and the answer as the reader saw
    it (enough to replay the question and judge the answer later). The caller's key only by id."""
    return {"time": datetime.now(timezone.utc).isoformat(timespec="seconds"), "question": question,
            "rating": rating, "comment": (comment or "").strip() or None, "key": key_id, "answer": answer}


def append_feedback(path: Path, record: dict[str, Any]) -> None:
    line = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
    try:
        if os.fstat(fd).st_mode & 0o077:  # a file made before (or by hand) readable by others
            os.fchmod(fd, FILE_MODE)
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)  # closing releases the lock


def read_feedback(path: Path) -> Iterator[bytes]:
    """The lines stored so far, as they are (JSON lines), in chunks; nothing when none was stored.
    The length is taken under a shared lock (writers hold the exclusive one for a whole line), so the
    copy ends at a line's end; lines appended meanwhile are left for the next export."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        size = os.fstat(fd).st_size
        fcntl.flock(fd, fcntl.LOCK_UN)
        done = 0
        while done < size and (chunk := os.pread(fd, min(READ_CHUNK, size - done), done)):
            done += len(chunk)
            yield chunk
    finally:
        os.close(fd)
