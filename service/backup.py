"""Backup, restore and migration of the store (`sotay backup | restore | migrate`).

The backup file is a logical copy, engine-neutral: gzip-compressed JSON lines —

    {"format": "sotay-backup", "version": 1, "created": ..., "backend": ..., "dense_dim": ...}
    {"catalog": {...}, "points": [{"id", "payload", "sparse": {name: [indices, values]}, "dense"}]}
    ...                                       one line per document, sorted by doc_id
    {"end": {"documents": n, "points": m, "records": {"chunk": .., "obligation": ..}}}

Qdrant Edge cannot make a snapshot of itself (its snapshot calls only consume a server's), so the
copy is made by reading every live point with its vectors through the store, which also makes the
file restorable into either engine. The closing line makes a cut file detectable (gzip's CRC catches
a damaged one). Copying holds the store's write lock: uploads wait, reads go on.

The embedded store admits one process per data directory. While `sotay serve` runs, `sotay backup`
asks the service for the copy (``POST /api/admin/backup``): `sotay serve` leaves its address and a
one-time local token in ``<data_dir>/service.json`` (readable only by the service's user, who can
read the data anyway); with an admin key in SOTAY_API_KEYS the CLI presents that too.

Restore builds the whole store aside, verifies it against the file, then swaps it in (see
``EdgeStore.adopt``): a failed or killed restore leaves the previous store. Migration copies the
embedded store (or a backup file) into a Qdrant server or cluster one document at a time with the
store's atomic replace, so it can be re-run after an interruption, then verifies the counts.
"""
from __future__ import annotations

import fcntl
import gzip
import hmac
import json
import logging
import os
import secrets
import tempfile
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any, Callable, Iterator

from .config import Settings
from .store import (
    DocumentDump,
    EdgeStore,
    ServerStore,
    SparseVec,
    Store,
    StoreError,
    StoreLocked,
    StorePoint,
    is_disk_full,
    open_store,
)

log = logging.getLogger("sotay.backup")

FORMAT = "sotay-backup"
VERSION = 1
SERVICE_FILE = "service.json"  # in the data dir while `sotay serve` runs
TOKEN_HEADER = "X-Sotay-Backup-Token"
BACKUP_ROUTE = "/api/admin/backup"


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

    def to_json(self) -> dict:
        return dict(self.__dict__)


# --------------------------------------------------------------------------------------------
# The file format
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# backup
# --------------------------------------------------------------------------------------------


def _shard_exists(settings: Settings) -> bool:
    shard = Path(settings.data_dir) / "shard"
    return shard.is_dir() and any(shard.iterdir())


def _write_atomically(path: Path, fill: Callable[[IO[bytes]], Any]) -> Summary:
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


def backup(settings: Settings, file: str | Path) -> Summary:
    """Copy the configured store into ``file``. The embedded store in use by `sotay serve` is
    copied through the service; the result is checked by reading it back before it is kept."""
    path = Path(file)
    started = time.monotonic()
    if settings.qdrant_url:
        store: Store = open_store(url=settings.qdrant_url, api_key=settings.qdrant_api_key, collection=settings.collection)
        via = "store"
    else:
        if not _shard_exists(settings):
            raise BackupError("no_store", f"Không có kho dữ liệu ở {Path(settings.data_dir).resolve()} để sao lưu.")
        try:
            store = EdgeStore(str(settings.data_dir), min_free_mb=settings.min_free_mb)
            via = "store"
        except StoreLocked:
            summary = _write_atomically(path, lambda out: _fetch_from_service(settings, out))
            via = "service"
            store = None  # type: ignore[assignment]
    if store is not None:
        try:
            summary = _write_atomically(path, lambda out: write_backup(store, out))
        finally:
            store.close()
    summary.via = via
    summary.seconds = time.monotonic() - started
    return summary


# ---- through the running service -------------------------------------------------------------


def announce_service(settings: Settings, app: Any, host: str, port: int) -> str | None:
    """Called by `sotay serve` for an embedded store: lets `sotay backup` find this service.
    Returns the token (also set as ``app.state.backup_token``)."""
    if settings.qdrant_url or _locked_by_another(Path(settings.data_dir)):
        return None  # another process holds the store (this service will not open it): keep its file
    token = secrets.token_urlsafe(32)
    app.state.backup_token = token
    if host in ("0.0.0.0", "", "*"):
        host = "127.0.0.1"
    elif host in ("::", "[::]"):
        host = "[::1]"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    data_dir = Path(settings.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    target = data_dir / SERVICE_FILE
    fd = os.open(str(target) + ".tmp", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump({"pid": os.getpid(), "url": f"http://{host}:{port}", "token": token}, f)
    os.replace(str(target) + ".tmp", target)
    return token


def _locked_by_another(data_dir: Path) -> bool:
    try:
        fd = os.open(data_dir / ".lock", os.O_RDWR)
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


def withdraw_service(settings: Settings) -> None:
    if not settings.qdrant_url:
        try:
            info = json.loads((Path(settings.data_dir) / SERVICE_FILE).read_text())
            if info.get("pid") == os.getpid():
                (Path(settings.data_dir) / SERVICE_FILE).unlink()
        except (OSError, ValueError):
            pass


def _service_info(settings: Settings) -> dict | None:
    """The running `sotay serve` of this data dir: the one whose pid holds the store's lock (the
    file outlives a service killed by a signal, so a stale one must not be trusted)."""
    try:
        info = json.loads((Path(settings.data_dir) / SERVICE_FILE).read_text())
        holder = (Path(settings.data_dir) / ".lock").read_text().strip()
        if str(info["pid"]) != holder:
            return None
        os.kill(int(info["pid"]), 0)  # still running?
        return info
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _fetch_from_service(settings: Settings, out: IO[bytes]) -> None:
    data_dir = Path(settings.data_dir).resolve()
    info = _service_info(settings)
    if info is None:
        raise BackupError(
            "store_locked",
            f"Kho dữ liệu ở {data_dir} đang được một tiến trình khác dùng, nhưng không tìm thấy dịch vụ "
            "`sotay serve` để sao lưu qua nó. Nếu đó là `sotay ingest`, hãy chờ nó xong rồi chạy lại; nếu "
            f"là dịch vụ chạy theo cách khác, hãy gọi POST {BACKUP_ROUTE} với khóa quản trị.",
        )
    headers = {TOKEN_HEADER: str(info.get("token", ""))}
    admin = next((k for k, scope in settings.api_keys.items() if scope.strip().lower() == "admin"), None)
    if admin:
        headers["X-API-Key"] = admin
    req = urllib.request.Request(info["url"] + BACKUP_ROUTE, method="POST", headers=headers, data=b"")
    try:
        with urllib.request.urlopen(req, timeout=3600) as resp:
            while chunk := resp.read(1 << 20):
                out.write(chunk)
    except urllib.error.HTTPError as e:
        try:
            message = json.loads(e.read())["error"]["message"]
        except Exception:
            message = f"HTTP {e.code}"
        hint = " Hãy đặt một khóa quản trị trong SOTAY_API_KEYS." if e.code in (401, 403) else ""
        raise BackupError("backup_refused", f"Dịch vụ ở {info['url']} từ chối sao lưu: {message}{hint}") from None
    except (urllib.error.URLError, OSError) as e:
        if isinstance(e, OSError) and is_disk_full(e):
            raise
        raise BackupError("service_unreachable", f"Không kết nối được dịch vụ ở {info['url']} để sao lưu: {e}.") from None


def may_back_up(request: Any, scopes: tuple[str, ...]) -> bool:
    """The backup route's check: an admin key, or the local token `sotay serve` left for the CLI."""
    if "admin" in scopes:
        return True
    token = getattr(request.app.state, "backup_token", None)
    given = request.headers.get(TOKEN_HEADER)
    return bool(token and given and hmac.compare_digest(token.encode(), given.encode()))


def backup_to_temp(store: Store) -> tuple[str, Summary]:
    """For the service: the backup in a temporary file (the caller sends it, then deletes it), so a
    slow client never holds the store's write lock."""
    fd, tmp = tempfile.mkstemp(prefix="sotay-backup-", suffix=".jsonl.gz")
    try:
        with os.fdopen(fd, "wb") as f:
            summary = write_backup(store, f)
        summary.bytes = os.path.getsize(tmp)
        return tmp, summary
    except BaseException as e:
        os.unlink(tmp)
        if isinstance(e, OSError) and is_disk_full(e):
            raise BackupError("disk_full", "Ổ đĩa tạm của máy chủ đã đầy: không tạo được bản sao lưu.") from None
        raise


def backup_filename() -> str:
    return "sotay-" + datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + ".jsonl.gz"


# --------------------------------------------------------------------------------------------
# restore
# --------------------------------------------------------------------------------------------


def _expect(dump: DocumentDump, expected: dict[str, tuple[str, dict[str, int]]]) -> DocumentDump:
    """Note what a document should look like once copied."""
    expected[dump.catalog["doc_id"]] = (dump.catalog["version"], dump.counts())
    return dump


def _verify(store: Store, expected: dict[str, tuple[str, dict[str, int]]], *, exact: bool, where: str) -> None:
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


def _check_end(reader: BackupReader, expected: dict[str, tuple[str, dict[str, int]]]) -> None:
    end = reader.end or {}
    records: dict[str, int] = {}
    for _, counts in expected.values():
        for rec, n in counts.items():
            records[rec] = records.get(rec, 0) + n
    if len(expected) != end.get("documents") or sum(records.values()) != end.get("points"):
        raise BackupError(
            "bad_backup",
            f"Tệp sao lưu '{reader.path}' không khớp với chính nó: {len(expected)} văn bản, "
            f"{sum(records.values())} điểm, nhưng phần kết thúc ghi {end.get('documents')} văn bản, {end.get('points')} điểm.",
        )


def restore(settings: Settings, file: str | Path, *, force: bool = False) -> Summary:
    """Replace the configured store's contents with a backup. Refuses a store that holds documents
    unless ``force``. The embedded store is rebuilt aside and swapped in only once it matches the
    file; a Qdrant server collection is written document by document (each atomically)."""
    started = time.monotonic()
    with BackupReader(file) as reader:
        if settings.qdrant_url:
            target: Store = open_store(
                url=settings.qdrant_url, api_key=settings.qdrant_api_key, collection=settings.collection,
                dense_dim=reader.dense_dim, shards=settings.qdrant_shards, replicas=settings.qdrant_replicas,
            )
        else:
            try:
                target = EdgeStore(str(settings.data_dir), min_free_mb=settings.min_free_mb)
            except StoreLocked:
                raise BackupError(
                    "store_locked",
                    f"Kho dữ liệu ở {Path(settings.data_dir).resolve()} đang được dùng (có thể là `sotay serve`). "
                    "Khôi phục thay toàn bộ kho: hãy dừng dịch vụ, chạy `sotay restore`, rồi khởi động lại.",
                ) from None
        try:
            where = target.where()
            have = len(target.catalog(with_fields=["version"]))
            if have and not force:
                raise BackupError(
                    "store_not_empty",
                    f"Kho dữ liệu ở {where} đang có {have} văn bản; khôi phục sẽ thay toàn bộ. Nếu chắc chắn, "
                    "chạy lại với --force (nên sao lưu kho hiện tại trước).",
                )
            expected: dict[str, tuple[str, dict[str, int]]] = {}
            if isinstance(target, EdgeStore):
                staging = target.staging(dense_dim=reader.dense_dim)
                try:
                    staging.load_documents(_expect(d, expected) for d in reader.documents())
                    _check_end(reader, expected)
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
        finally:
            target.close()
    records: dict[str, int] = {}
    for _, counts in expected.values():
        for rec, n in counts.items():
            records[rec] = records.get(rec, 0) + n
    return Summary(len(expected), sum(records.values()), records, bytes=os.path.getsize(file),
                   seconds=time.monotonic() - started, via="file")


# --------------------------------------------------------------------------------------------
# migrate
# --------------------------------------------------------------------------------------------


def migrate(
    settings: Settings,
    url: str,
    *,
    api_key: str | None = None,
    collection: str | None = None,
    source_file: str | Path | None = None,
    client: Any = None,
) -> Summary:
    """Copy the embedded store (or the backup ``source_file``) into the collection at ``url``,
    document by document, and verify that every document is there whole. Re-running it after an
    interruption copies only what is missing. ``client``: a ready qdrant-client (tests: local mode)."""
    started = time.monotonic()
    collection = collection or settings.collection
    expected: dict[str, tuple[str, dict[str, int]]] = {}
    summary = Summary(via="file" if source_file else "store")

    def open_target(dense_dim: int | None) -> ServerStore:
        return ServerStore(
            url, api_key=api_key if api_key is not None else settings.qdrant_api_key, dense_dim=dense_dim,
            collection=collection, client=client, shards=settings.qdrant_shards, replicas=settings.qdrant_replicas,
        )

    def copy(target: ServerStore) -> Callable[[DocumentDump], None]:
        def sink(dump: DocumentDump) -> None:
            _expect(dump, expected)
            if not target.import_document(dump):
                summary.unchanged += 1
        return sink

    if source_file is not None:
        with BackupReader(source_file) as reader:
            target = open_target(reader.dense_dim)
            try:
                sink = copy(target)
                for dump in reader.documents():
                    sink(dump)
                _check_end(reader, expected)
                _verify(target, expected, exact=False, where=f"{url} (collection {collection})")
            finally:
                target.close()
    else:
        if not _shard_exists(settings):
            raise BackupError("no_store", f"Không có kho dữ liệu ở {Path(settings.data_dir).resolve()} để chuyển.")
        try:
            source = EdgeStore(str(settings.data_dir), min_free_mb=settings.min_free_mb)
        except StoreLocked:
            raise BackupError(
                "store_locked",
                f"Kho dữ liệu ở {Path(settings.data_dir).resolve()} đang được dùng (có thể là `sotay serve`). "
                "Hãy dừng dịch vụ rồi chạy lại, hoặc sao lưu qua dịch vụ (`sotay backup TỆP`) rồi chạy "
                "`sotay migrate --to URL --from TỆP`.",
            ) from None
        try:
            target = open_target(source.dense_dim)
            try:
                source.export_documents(copy(target))
                _verify(target, expected, exact=False, where=f"{url} (collection {collection})")
            finally:
                target.close()
        finally:
            source.close()
    summary.documents = len(expected)
    for _, counts in expected.values():
        for rec, n in counts.items():
            summary.records[rec] = summary.records.get(rec, 0) + n
    summary.points = sum(summary.records.values())
    summary.seconds = time.monotonic() - started
    return summary
