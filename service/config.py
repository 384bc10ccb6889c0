"""Configuration, read in one place: environment variables and an optional `.env` file."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("data")
    qdrant_url: str | None = None
    qdrant_api_key: str | None = None
    embed_model: str | None = None  # local sentence-transformers model path; None = sparse only
    api_keys: dict[str, str] = field(default_factory=dict)  # key → scope
    llm_url: str | None = None
    corpus_dir: Path = Path("corpus")
    collection: str = "sotay"

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
            api_keys=keys,
            llm_url=env.get("SOTAY_LLM_URL") or None,
            corpus_dir=Path(env.get("SOTAY_CORPUS_DIR") or "corpus"),
            collection=env.get("SOTAY_COLLECTION") or "sotay",
        )
