"""`sotay backup | restore | migrate`: which store to open from the settings, and the hand-off to a
running `sotay serve` (the file format and the copying itself are ``service/store/backup.py``'s).

The embedded store admits one process per data directory. While `sotay serve` runs, `sotay backup`
asks the service for the copy (``POST /api/admin/backup``): `sotay serve` leaves its address and a
one-time local token in ``<data_dir>/service.json`` (readable only by the service's user, who can
read the data anyway); with an admin key in SOTAY_API_KEYS the CLI presents that too.
"""
from __future__ import annotations

import hmac
import io
import json
import logging
import os
import secrets
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO, Any

from .config import Settings
from .store import EdgeStore, ServerStore, Store, StoreLocked, is_disk_full, open_store
from .store import datadir
from .store.backup import BackupError, BackupReader, Summary, copy_into, replace_contents, write_atomically, write_backup
from .store.backup import compact as store_compact

log = logging.getLogger("sotay.backup")

SERVICE_FILE = "service.json"  # in the data dir while `sotay serve` runs
TOKEN_HEADER = "X-Sotay-Backup-Token"
BACKUP_ROUTE = "/api/admin/backup"
COMPACT_ROUTE = "/api/admin/compact"


def _open_edge(settings: Settings, *, locked: str) -> EdgeStore:
    """The embedded store of the settings; ``locked``: what to tell the user when another process has it."""
    try:
        return EdgeStore(str(settings.data_dir), min_free_mb=settings.min_free_mb)
    except StoreLocked:
        raise BackupError(
            "store_locked", f"Kho dữ liệu ở {Path(settings.data_dir).resolve()} đang được dùng (có thể là `sotay serve`). " + locked
        ) from None


def _require_shard(settings: Settings, what: str) -> None:
    if not datadir.has_shard(str(settings.data_dir)):
        raise BackupError("no_store", f"Không có kho dữ liệu ở {Path(settings.data_dir).resolve()} để {what}.")


# ---- backup -----------------------------------------------------------------------------------


def backup(settings: Settings, file: str | Path) -> Summary:
    """Copy the configured store into ``file``. The embedded store in use by `sotay serve` is
    copied through the service; the result is checked by reading it back before it is kept."""
    path = Path(file)
    started = time.monotonic()
    if settings.qdrant_url:
        store: Store = open_store(url=settings.qdrant_url, api_key=settings.qdrant_api_key, collection=settings.collection)
        via = "store"
    else:
        _require_shard(settings, "sao lưu")
        try:
            store = EdgeStore(str(settings.data_dir), min_free_mb=settings.min_free_mb)
            via = "store"
        except StoreLocked:
            summary = write_atomically(path, lambda out: _fetch_from_service(settings, out))
            via = "service"
            store = None  # type: ignore[assignment]
    if store is not None:
        try:
            summary = write_atomically(path, lambda out: write_backup(store, out))
        finally:
            store.close()
    summary.via = via
    summary.seconds = time.monotonic() - started
    return summary


# ---- through the running service -------------------------------------------------------------


def announce_service(settings: Settings, app: Any, host: str, port: int) -> str | None:
    """Called by `sotay serve` for an embedded store: lets `sotay backup` find this service.
    Returns the token (also set as ``app.state.backup_token``)."""
    if settings.qdrant_url or datadir.locked_by_another(str(settings.data_dir)):
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
        if str(info["pid"]) != datadir.lock_holder(str(settings.data_dir)):
            return None
        os.kill(int(info["pid"]), 0)  # still running?
        return info
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _fetch_from_service(settings: Settings, out: IO[bytes]) -> None:
    _ask_service(settings, BACKUP_ROUTE, "sao lưu", out, refused="backup_refused")


def _ask_service(settings: Settings, route: str, what: str, out: IO[bytes], *, refused: str) -> None:
    """POST ``route`` to the running `sotay serve` of this data dir (its token, and the admin key of
    SOTAY_API_KEYS if there is one), writing the answer's body to ``out``."""
    data_dir = Path(settings.data_dir).resolve()
    info = _service_info(settings)
    if info is None:
        raise BackupError(
            "store_locked",
            f"Kho dữ liệu ở {data_dir} đang được một tiến trình khác dùng, nhưng không tìm thấy dịch vụ "
            f"`sotay serve` để {what} qua nó. Nếu đó là `sotay ingest`, hãy chờ nó xong rồi chạy lại; nếu "
            f"là dịch vụ chạy theo cách khác, hãy gọi POST {route} với khóa quản trị.",
        )
    headers = {TOKEN_HEADER: str(info.get("token", ""))}
    admin = next((k for k, scope in settings.api_keys.items() if scope.strip().lower() == "admin"), None)
    if admin:
        headers["X-API-Key"] = admin
    req = urllib.request.Request(info["url"] + route, method="POST", headers=headers, data=b"")
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
        raise BackupError(refused, f"Dịch vụ ở {info['url']} từ chối {what}: {message}{hint}") from None
    except (urllib.error.URLError, OSError) as e:
        if isinstance(e, OSError) and is_disk_full(e):
            raise
        raise BackupError("service_unreachable", f"Không kết nối được dịch vụ ở {info['url']} để {what}: {e}.") from None


def may_back_up(request: Any, scopes: tuple[str, ...]) -> bool:
    """The backup route's check: an admin key, or the local token `sotay serve` left for the CLI."""
    if "admin" in scopes:
        return True
    token = getattr(request.app.state, "backup_token", None)
    given = request.headers.get(TOKEN_HEADER)
    return bool(token and given and hmac.compare_digest(token.encode(), given.encode()))


# ---- compact ----------------------------------------------------------------------------------


def compact(settings: Settings) -> Summary | None:
    """Purge deleted and replaced documents from the embedded store's files (store.backup.compact);
    through the running `sotay serve` when it holds the store. None on a Qdrant server, whose own
    optimizer drops deleted points."""
    if settings.qdrant_url:
        return None
    _require_shard(settings, "nén")
    started = time.monotonic()
    try:
        store = EdgeStore(str(settings.data_dir), min_free_mb=settings.min_free_mb)
    except StoreLocked:
        buf = io.BytesIO()
        _ask_service(settings, COMPACT_ROUTE, "nén kho", buf, refused="compact_refused")
        summary = Summary(**json.loads(buf.getvalue()))
        summary.via = "service"
        summary.seconds = time.monotonic() - started
        return summary
    try:
        return store_compact(store)
    finally:
        store.close()


# ---- restore ----------------------------------------------------------------------------------


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
            target = _open_edge(
                settings, locked="Khôi phục thay toàn bộ kho: hãy dừng dịch vụ, chạy `sotay restore`, rồi khởi động lại."
            )
        try:
            have = len(target.catalog(with_fields=["version"]))
            if have and not force:
                raise BackupError(
                    "store_not_empty",
                    f"Kho dữ liệu ở {target.where()} đang có {have} văn bản; khôi phục sẽ thay toàn bộ. Nếu chắc chắn, "
                    "chạy lại với --force (nên sao lưu kho hiện tại trước).",
                )
            summary = replace_contents(target, reader)
        finally:
            target.close()
    summary.bytes = os.path.getsize(file)
    summary.seconds = time.monotonic() - started
    summary.via = "file"
    return summary


# ---- migrate ----------------------------------------------------------------------------------


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
    interruption copies only what is missing. ``client``: a ready qdrant-client
    (``service.store.qdrant_client``; tests use its local mode)."""
    started = time.monotonic()
    collection = collection or settings.collection
    where = f"{url} (collection {collection})"

    def open_target(dense_dim: int | None) -> ServerStore:
        return ServerStore(
            url, api_key=api_key if api_key is not None else settings.qdrant_api_key, dense_dim=dense_dim,
            collection=collection, client=client, shards=settings.qdrant_shards, replicas=settings.qdrant_replicas,
        )

    source: EdgeStore | BackupReader
    if source_file is not None:
        source = BackupReader(source_file)
    else:
        _require_shard(settings, "chuyển")
        source = _open_edge(
            settings,
            locked="Hãy dừng dịch vụ rồi chạy lại, hoặc sao lưu qua dịch vụ (`sotay backup TỆP`) rồi chạy "
            "`sotay migrate --to URL --from TỆP`.",
        )
    try:
        target = open_target(source.dense_dim)
        try:
            summary = copy_into(target, source, where=where)
        finally:
            target.close()
    finally:
        source.close()
    summary.via = "file" if source_file else "store"
    summary.seconds = time.monotonic() - started
    return summary
