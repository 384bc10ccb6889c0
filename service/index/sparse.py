"""Sparse BM25 vectors from Vietnamese tokens.

Token ids are a stable 32-bit hash of the token, so there is no vocabulary file to keep in step
with the store. Documents carry BM25 term-frequency weights (k1, b, a fixed average length);
Qdrant's IDF modifier supplies the IDF at query time, so adding documents never means
recomputing stored vectors. Queries carry weight 1 per distinct term.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from functools import lru_cache

from ingest.tokenize import Segmenter, folded_terms, words

from ..store import SparseVec

K1 = 1.2
B = 0.75
AVG_LEN = {"bm25": 60.0, "bm25_folded": 150.0}


@lru_cache(maxsize=200_000)
def token_id(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=4).digest(), "little")


def _tf_vector(tokens: list[str], avg_len: float) -> SparseVec:
    length = len(tokens) or 1
    norm = K1 * (1 - B + B * length / avg_len)
    k1p = K1 + 1
    merged: dict[int, float] = {}
    for tok, tf in Counter(tokens).items():
        i = token_id(tok)
        w = tf * k1p / (tf + norm)
        merged[i] = merged[i] + w if i in merged else w  # ids of two tokens can meet: their weights add
    idx = sorted(merged)
    return SparseVec(indices=idx, values=[merged[i] for i in idx])


def _query_vector(tokens: list[str]) -> SparseVec:
    idx = sorted({token_id(t) for t in tokens})
    return SparseVec(indices=idx, values=[1.0] * len(idx))


def document_vectors(index_text: str, segmenter: Segmenter | None = None,
                     heading: str | None = None) -> dict[str, SparseVec]:
    """`segmenter`: one per document, so the pieces its texts share are segmented once;
    `heading`: the heading path inside `index_text` (see `Segmenter.words`)."""
    tokens = segmenter.words(index_text, heading) if segmenter else words(index_text)
    return {
        "bm25": _tf_vector(tokens, AVG_LEN["bm25"]),
        "bm25_folded": _tf_vector(folded_terms(index_text), AVG_LEN["bm25_folded"]),
    }


def query_vectors(words_: list[str], folded: list[str]) -> dict[str, SparseVec]:
    out: dict[str, SparseVec] = {}
    if words_:
        out["bm25"] = _query_vector(words_)
    if folded:
        out["bm25_folded"] = _query_vector(folded)
    return out
