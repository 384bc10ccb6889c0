"""The backup file and the copies between stores (the engine side of `sotay backup | restore | migrate`).

The backup file is a logical copy, engine-neutral: gzip-compressed JSON lines —

    {"format": "sotay-backup", "version": 1, "created": ..., "backend": ..., "dense_dim": ...}
    {"catalog": {...}, "points": [{"id", "payload", "sparse": {name: [indices, values]}, "dense"}]}
    ...                                       one line per document, sorted by doc_id
    {"end": {"documents": n, "points": m, "records": {"chunk": .., "obligation": ..}}}

Qdrant Edge cannot make a snapshot of itself (its snapshot calls only consume a server's), so the
copy is made by reading every live point with its vectors through the store, which also makes the
file restorable into either engine. The closing line makes a cut file detectable (gzip's CRC catches
a damaged one). Copying holds the store's write lock: uploads wait, reads go on.

Restoring into the embedded store builds the whole store aside, verifies it against the file, then
swaps it in (see ``EdgeStore.adopt``): a failed or killed restore leaves the previous store. Copying
into a server goes one document at a time with the store's atomic replace, so it can be re-run
after an interruption, then verifies the counts.

Which store to open, and the hand-off to a running `sotay serve`, are ``service/backup.py``'s.
"""
from __future__ import annotations

import gzip
import json
import os
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any, Callable, Iterator

from . import datadir
from .base import Store
from .edge import EdgeStore
from .optimize import OPTIMIZE_FROM_POINTS, optimize_aside
from .types import DocumentDump, SparseVec, StoreError, StorePoint, is_disk_full

FORMAT = "sotay-backup"
VERSION = 1

# What each copied document should look like: doc_id -> (version, points per record).
Expected = dict[str, tuple[str, dict[str, int]]]


class BackupError(StoreError):
    """A backup, restore or migration that cannot proceed; ``message`` is Vietnamese."""


@dataclass
class Summary:
    """What a backup, restore or migration did."""

    documents: int = 0
    points: int = 0
    records: dict[str, int] = field(default_factory=dict)
    bytes: int = 0
    seconds: float = 0.0
    via: str = ""  # "store" | "service" | "file"
    unchanged: int = 0  # migrate: documents already there with the same version
    freed: int = 0  # compact: bytes the data directory lost

    def to_json(self) -> dict:
        return dict(self.__dict__)


# ---- the file format ---------------------------------------------------------------------------


def _point_json(p: StorePoint) -> dict:
    out: dict[str, Any] = {"id": p.id, "payload": p.payload}
    if p.sparse:
        out["sparse"] = {n: [v.indices, v.values] for n, v in sorted(p.sparse.items())}
    if p.dense is not None:
        out["dense"] = p.dense
    return out


def _point_from_json(d: dict) -> StorePoint:
    sparse = {n: SparseVec(list(iv[0]), list(iv[1])) for n, iv in (d.get("sparse") or {}).items()}
    return StorePoint(str(d["id"]), dict(d.get("payload") or {}), sparse, d.get("dense"))


def write_backup(store: Store, out: IO[bytes], *, compresslevel: int = 6) -> Summary:
    """Write the whole store to ``out`` (a binary stream) in the backup format."""
    started = time.monotonic()
    header = {
        "format": FORMAT,
        "version": VERSION,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "backend": store.backend,
        "dense_dim": store.dense_dim,
    }
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=compresslevel, mtime=0) as gz:
        gz.write(_line(header))

        def sink(dump: DocumentDump) -> None:
            gz.write(_line({"catalog": dump.catalog, "points": [_point_json(p) for p in dump.points]}))

        counts = store.export_documents(sink)
        gz.write(_line({"end": counts}))
    return Summary(counts["documents"], counts["points"], counts["records"], seconds=time.monotonic() - started)


def _line(obj: dict) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


class BackupReader:
    """Reads a backup file: ``header`` at once, then :meth:`documents`; after them, ``end`` holds
    the closing counts. Every problem is a BackupError with a Vietnamese message."""

    def __init__(self, path: str | Path, *, label: str | None = None):
        self.path = label or str(path)  # as messages name it
        try:
            self._gz = gzip.open(str(path), "rb")
        except OSError as e:
            raise BackupError("backup_unreadable", f"Không mở được tệp sao lưu '{self.path}': {e.strerror or e}.") from None
        self.end: dict | None = None
        self.header = self._next(first=True)
        if not isinstance(self.header, dict) or self.header.get("format") != FORMAT:
            self.close()
            raise BackupError("bad_backup", f"Tệp '{self.path}' không phải tệp sao lưu của Sổ tay.")
        if self.header.get("version") != VERSION:
            self.close()
            raise BackupError(
                "bad_backup",
                f"Tệp sao lưu '{self.path}' có phiên bản định dạng {self.header.get('version')}, "
                f"phiên bản Sổ tay này đọc phiên bản {VERSION}.",
            )

    @property
    def dense_dim(self) -> int | None:
        d = self.header.get("dense_dim")
        return int(d) if d else None

    def _next(self, first: bool = False) -> dict | None:
        try:
            raw = self._gz.readline()
        except (OSError, EOFError, zlib.error) as e:
            what = "không phải tệp sao lưu của Sổ tay" if first else "bị hỏng hoặc bị cắt cụt"
            raise BackupError("bad_backup", f"Tệp sao lưu '{self.path}' {what} ({e}).") from None
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            what = "không phải tệp sao lưu của Sổ tay" if first else "bị hỏng (một dòng không phải JSON)"
            raise BackupError("bad_backup", f"Tệp sao lưu '{self.path}' {what}.") from None

    def documents(self) -> Iterator[DocumentDump]:
        while True:
            row = self._next()
            if row is None:
                raise BackupError(
                    "bad_backup",
                    f"Tệp sao lưu '{self.path}' không trọn vẹn (thiếu phần kết thúc): có thể việc sao lưu "
                    "đã bị ngắt giữa chừng. Hãy dùng một bản sao lưu khác.",
                )
            if "end" in row:
                self.end = row["end"]
                if self._next() is not None:
                    raise BackupError("bad_backup", f"Tệp sao lưu '{self.path}' có dữ liệu sau phần kết thúc.")
                return
            try:
                yield DocumentDump(dict(row["catalog"]), [_point_from_json(p) for p in row["points"]])
            except (KeyError, TypeError, IndexError, ValueError):
                raise BackupError("bad_backup", f"Tệp sao lưu '{self.path}' có một văn bản không đúng định dạng.") from None

    def close(self) -> None:
        self._gz.close()

    def __enter__(self) -> "BackupReader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def verify_file(path: str | Path, *, label: str | None = None) -> Summary:
    """Read a whole backup file and check its documents against its closing counts."""
    records: dict[str, int] = {}
    documents = 0
    with BackupReader(path, label=label) as r:
        for dump in r.documents():
            documents += 1
            for rec, n in dump.counts().items():
                records[rec] = records.get(rec, 0) + n
        end = r.end or {}
    points = sum(records.values())
    if (documents, points) != (end.get("documents"), end.get("points")) or records != (end.get("records") or {}):
        raise BackupError(
            "bad_backup",
            f"Tệp sao lưu '{label or path}' không khớp với chính nó: {documents} văn bản, {points} điểm, nhưng phần kết "
            f"thúc ghi {end.get('documents')} văn bản, {end.get('points')} điểm.",
        )
    return Summary(documents, points, records, bytes=os.path.getsize(path))


def write_atomically(path: Path, fill: Callable[[IO[bytes]], Any]) -> Summary:
    """Write ``path`` through a temporary file beside it, synced, read back and checked, then
    renamed over: a crash, a full disk or a bad copy never leaves a cut file under the final name
    (nor replaces an older backup of that name)."""
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            fill(f)
            f.flush()
            os.fsync(f.fileno())
        summary = verify_file(tmp, label=str(path))
        os.replace(tmp, path)
        return summary
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError) and is_disk_full(e):
            raise BackupError(
                "disk_full", f"Ổ đĩa chứa '{path}' đã đầy: không ghi được bản sao lưu. Hãy chọn nơi khác hoặc giải phóng dung lượng."
            ) from None
        if isinstance(e, OSError):
            raise BackupError("backup_unwritable", f"Không ghi được tệp sao lưu '{path}': {e.strerror or e}.") from None
        raise


def backup_to_temp(store: Store, *, dir: str | None = None, prefix: str = "sotay-backup-",
                   compresslevel: int = 6) -> tuple[str, Summary]:
    """For the service: the backup in a temporary file, mode 0600 (the caller sends it, then deletes
    it), so a slow client never holds the store's write lock."""
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".jsonl.gz", dir=dir)
    try:
        with os.fdopen(fd, "wb") as f:
            summary = write_backup(store, f, compresslevel=compresslevel)
        summary.bytes = os.path.getsize(tmp)
        return tmp, summary
    except BaseException as e:
        os.unlink(tmp)
        if isinstance(e, OSError) and is_disk_full(e):
            raise BackupError("disk_full", "Ổ đĩa tạm của máy chủ đã đầy: không tạo được bản sao lưu.") from None
        raise


def backup_filename() -> str:
    return "sotay-" + datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + ".jsonl.gz"


# ---- checking a copy ------------------------------------------------------------------------------


def _expect(dump: DocumentDump, expected: Expected) -> DocumentDump:
    """Note what a document should look like once copied."""
    expected[dump.catalog["doc_id"]] = (dump.catalog["version"], dump.counts())
    return dump


def _records(expected: Expected) -> dict[str, int]:
    records: dict[str, int] = {}
    for _, counts in expected.values():
        for rec, n in counts.items():
            records[rec] = records.get(rec, 0) + n
    return records


def _summary(expected: Expected, **kw: Any) -> Summary:
    records = _records(expected)
    return Summary(len(expected), sum(records.values()), records, **kw)


def _verify(store: Store, expected: Expected, *, exact: bool, where: str) -> None:
    """Every expected document is in ``store`` at its version with its point counts (and, if
    ``exact``, nothing else is)."""
    versions = {e["doc_id"]: e.get("version") for e in store.catalog(with_fields=["version"])}
    tally = store.tally()
    problems = []
    for doc_id, (version, counts) in expected.items():
        if versions.get(doc_id) != version:
            problems.append(f"{doc_id}: phiên bản {versions.get(doc_id)} thay vì {version}")
        elif tally.get(doc_id, {}) != counts:
            problems.append(f"{doc_id}: {tally.get(doc_id, {})} thay vì {counts}")
    if exact:
        extra = sorted(set(versions) - set(expected)) + sorted(set(tally) - set(expected))
        problems += [f"{d}: không có trong bản sao lưu" for d in extra]
    if problems:
        raise BackupError(
            "verify_failed",
            f"Kiểm tra sau khi chép vào {where} không khớp ({len(problems)} văn bản): " + "; ".join(problems[:5]),
        )


def _check_end(reader: BackupReader, expected: Expected) -> None:
    """The documents read match the file's closing counts (a file cut or edited does not)."""
    end = reader.end or {}
    points = sum(_records(expected).values())
    if len(expected) != end.get("documents") or points != end.get("points"):
        raise BackupError(
            "bad_backup",
            f"Tệp sao lưu '{reader.path}' không khớp với chính nó: {len(expected)} văn bản, "
            f"{points} điểm, nhưng phần kết thúc ghi {end.get('documents')} văn bản, {end.get('points')} điểm.",
        )


# ---- copies into a store ------------------------------------------------------------------------


def replace_contents(target: Store, reader: BackupReader) -> Summary:
    """Make ``target`` hold exactly the file's documents. The embedded store is rebuilt aside and
    swapped in only once it matches the file; a server collection is written document by document
    (each atomically), then the documents the file does not have are deleted."""
    where = target.where()
    expected: Expected = {}
    if isinstance(target, EdgeStore):
        staging = target.staging(dense_dim=reader.dense_dim)
        try:
            staging.load_documents(_expect(d, expected) for d in reader.documents())
            _check_end(reader, expected)
            _verify(staging, expected, exact=True, where=where)
            if sum(_records(expected).values()) >= OPTIMIZE_FROM_POINTS:
                # indexed and memory-mapped before the swap (store/optimize.py), checked again after
                staging.close()
                optimize_aside(staging.data_dir)
                staging = EdgeStore(staging.data_dir, min_free_mb=target.min_free_bytes / 2**20)
                _verify(staging, expected, exact=True, where=where)
        except BaseException:
            target.discard(staging)
            raise
        target.adopt(staging)
    else:
        for dump in reader.documents():
            _expect(dump, expected)
            target.import_document(dump)
        _check_end(reader, expected)
        for doc_id in {e["doc_id"] for e in target.catalog(with_fields=["doc_id"])} - set(expected):
            target.delete_document(doc_id)
    _verify(target, expected, exact=True, where=where)
    return _summary(expected)


def compact(store: EdgeStore) -> Summary:
    """Rewrite the embedded store with its live documents only. Qdrant Edge keeps a deleted or
    replaced document's payloads in its write-ahead log and segments (found there by `grep` long
    after); a store rebuilt from the live documents holds none of it. The rebuild is a restore from
    the store itself: the live documents copied to a file in the data directory, loaded into a new
    shard beside the old one, checked, swapped in by renames — so a crash leaves the old store or
    the new one whole (see ``EdgeStore.adopt``). Writes wait from the copy to the swap; reads go on.
    ``bytes``: the data directory's size after (``freed``: how much smaller it got)."""
    started = time.monotonic()
    before = _tree_bytes(store.data_dir)
    with store.exclusive():
        tmp, _ = backup_to_temp(store, dir=store.data_dir, prefix=datadir.COPY_PREFIX, compresslevel=1)
        try:
            with BackupReader(tmp, label="bản sao để nén kho") as reader:
                summary = replace_contents(store, reader)
        finally:
            try:
                os.unlink(tmp)
            except FileNotFoundError:  # the swap's clean-up removed it already
                pass
    summary.bytes = _tree_bytes(store.data_dir)
    summary.freed = before - summary.bytes
    summary.seconds = time.monotonic() - started
    summary.via = "store"
    return summary


def _tree_bytes(path: str) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except OSError:
                pass
    return total


def copy_into(target: Store, source: Store | BackupReader, *, where: str) -> Summary:
    """Copy every document of ``source`` (a store, or a backup file being read) into ``target``, one
    atomic replace each, and verify that each is there whole; documents already there at the same
    version are left as they are (``unchanged``), so an interrupted copy can be re-run."""
    expected: Expected = {}
    unchanged = 0

    def sink(dump: DocumentDump) -> None:
        nonlocal unchanged
        _expect(dump, expected)
        if not target.import_document(dump):
            unchanged += 1

    if isinstance(source, BackupReader):
        for dump in source.documents():
            sink(dump)
        _check_end(source, expected)
    else:
        source.export_documents(sink)
    _verify(target, expected, exact=False, where=where)
    return _summary(expected, unchanged=unchanged)
