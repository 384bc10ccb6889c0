"""Hybrid retrieval: sparse `bm25` (segmented words) and `bm25_folded` (accent-folded syllables
and bigrams), plus `dense` when a model is configured, fused with RRF in the store; then the
top candidates are rescored on their text (query term and phrase coverage, named documents).

A query typed without diacritics searches the folded vector only: its words cannot be matched
against accented tokens, and a half-empty `bm25` prefetch would only add noise to the fusion.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest.normalize import fold

from .query import ParsedQuestion, number_matches, parse_question
from .sparse import query_vectors
from .store import Hit, Store, StoreFilter

if TYPE_CHECKING:
    from .embed import Embedder

# Syllables too common to say anything about relevance when they match (folded forms).
_STOP = frozenset(
    "va cua cac nhung la co duoc trong voi de theo ve cho tu nay da thi ma nhu cung mot gi nao ai "
    "khi bao nhieu sao the toi em minh hay ra o tai do phai can lam viec".split()
)


@dataclass
class Passage:
    chunk_id: str
    doc_id: str
    doc_number: str | None
    doc_title: str | None
    section: str | None
    section_title: str | None
    text: str
    start: int
    end: int
    score: float
    kind: str = "body"
    type: str | None = None
    issued: str | None = None
    sentences: list[list[int]] | None = None

    def to_json(self) -> dict:
        return {
            "chunk_id": self.chunk_id, "doc_id": self.doc_id, "doc_number": self.doc_number,
            "doc_title": self.doc_title, "section": self.section, "section_title": self.section_title,
            "text": self.text, "start": self.start, "end": self.end, "score": round(self.score, 6),
        }


def passage_from_hit(hit: Hit, score: float) -> Passage:
    p = hit.payload
    return Passage(
        chunk_id=p.get("chunk_id") or p.get("id") or hit.id, doc_id=p["doc_id"], doc_number=p.get("doc_number"),
        doc_title=p.get("doc_title"), section=p.get("section"), section_title=p.get("section_title"),
        text=p.get("text") or p.get("quote") or "", start=p["start"], end=p["end"], score=score,
        kind=p.get("kind", "body"), type=p.get("type"), issued=p.get("issued"), sentences=p.get("sentences"),
    )


def content_terms(q: ParsedQuestion) -> tuple[set[str], set[str]]:
    """Folded content syllables and bigrams of the question (stop syllables dropped)."""
    sylls = [t for t in q.folded if "_" not in t]
    content = {s for s in sylls if s not in _STOP}
    bigrams = {f"{a}_{b}" for a, b in zip(sylls, sylls[1:]) if not (a in _STOP and b in _STOP)}
    return content, bigrams


def text_match(q_terms: tuple[set[str], set[str]], text: str) -> float:
    """How much of the question a text covers: content syllables (0..1) plus bigram phrases (0..1)."""
    content, bigrams = q_terms
    if not content:
        return 0.0
    sylls = fold(text).lower().split()
    sylls = ["".join(ch for ch in s if ch.isalnum() or ch in "/-") for s in sylls]
    have = set(sylls)
    have_bi = {f"{a}_{b}" for a, b in zip(sylls, sylls[1:])}
    cov = len(content & have) / len(content)
    bi = len(bigrams & have_bi) / len(bigrams) if bigrams else 0.0
    return cov + bi


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _first_number(path: str | None) -> int | None:
    """First number of a citation path: "Điều 1.2" → 1, "II.3" → 2, "footnote 1" → None."""
    if not path or path.startswith("footnote"):
        return None
    for part in path.replace(".", " ").split():
        if part.isdigit():
            return int(part)
        if part and all(c in _ROMAN for c in part):
            vals = [_ROMAN[c] for c in part]
            return sum(-v if i + 1 < len(vals) and v < vals[i + 1] else v for i, v in enumerate(vals))
    return None


class Retriever:
    def __init__(self, store: Store, embedder: "Embedder | None" = None):
        self.store = store
        self.embedder = embedder

    def doc_ids_for_numbers(self, numbers: list[str]) -> list[str]:
        wanted = {fold(n).lower().replace(" ", "") for n in numbers}
        return [e["doc_id"] for e in self.store.catalog(with_fields=["doc_id", "number"])
                if e.get("number") and fold(e["number"]).lower() in wanted]

    def named_doc_ids(self, q: ParsedQuestion) -> set[str]:
        if not q.named:
            return set()
        entries = self.store.catalog(with_fields=["doc_id", "number"])
        return {e["doc_id"] for e in entries for nd in q.named if number_matches(nd, e.get("number"))}

    def candidates(self, q: ParsedQuestion, flt: StoreFilter, limit: int) -> list[Hit]:
        sparse = query_vectors(q.words, q.folded)
        dense = self.embedder.embed([q.expanded])[0] if self.embedder is not None else None
        if not sparse and dense is None:
            return []
        return self.store.search(sparse=sparse, dense=dense, flt=flt, limit=limit, prefetch_limit=max(100, limit))

    def search(
        self,
        question: str | ParsedQuestion,
        *,
        k: int = 10,
        flt: StoreFilter | None = None,
        pool: int = 40,
    ) -> list[Passage]:
        q = parse_question(question) if isinstance(question, str) else question
        flt = flt or StoreFilter(access=["public"])
        hits = self.candidates(q, flt, max(pool, k))
        return self.rescore(q, hits)[:k]

    def rescore(self, q: ParsedQuestion, hits: list[Hit]) -> list[Passage]:
        """Fused rank plus text coverage: the fusion finds candidates, the text decides their order."""
        terms = content_terms(q)
        named = self.named_doc_ids(q)
        scored: list[Passage] = []
        for rank, hit in enumerate(hits):
            p = hit.payload
            fused = 1.0 / math.log2(rank + 2)  # 1.0 for the first, decaying slowly
            text = p.get("text") or p.get("quote") or ""
            # The heading path counts too: "Kế hoạch cá nhân" is the subject of every line under it.
            score = 0.6 * fused + text_match(terms, f"{p.get('context') or ''} {text}")
            if named and p.get("doc_id") in named:
                score += 0.3
            if q.intent == "deadline" and p.get("has_deadline"):
                score += 0.3  # "khi nào?" is answered by a passage that states a time
            if q.ordinal and _first_number(p.get("section")) == q.ordinal:
                score += 0.2
            if q.sections and any((p.get("section") or "").startswith(s) for s in q.sections):
                score += 0.3
            scored.append(passage_from_hit(hit, score))
        scored.sort(key=lambda p: -p.score)
        return scored
