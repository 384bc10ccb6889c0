"""Hybrid retrieval: sparse `bm25` (segmented words) and `bm25_folded` (accent-folded syllables
and bigrams), plus `dense` when a model is configured, fused with RRF in the store; then the
top candidates are rescored on their text (query term and phrase coverage, named documents).

A query typed without diacritics searches the folded vector only: its words cannot be matched
against accented tokens, and a half-empty `bm25` prefetch would only add noise to the fusion.
"""
from __future__ import annotations

import math
import re
import threading
import time
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from ingest.normalize import fold
from ingest.tokenize import accented_syllables, syllables

from .query import ParsedQuestion, number_matches, parse_question
from .index.sparse import query_vectors
from .store import Hit, Store, StoreFilter

if TYPE_CHECKING:
    from .index.embed import Embedder

# Syllables too common to say anything about relevance when they match (folded forms).
_STOP = frozenset(
    "va cua cac nhung la co duoc trong voi de theo ve cho tu nay da thi ma nhu cung mot toi em minh "
    "o tai do phai can".split()
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
    context: str | None = None  # heading path: "NỘI DUNG / Xây dựng kế hoạch … / Kế hoạch cá nhân"

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
        context=p.get("context"),
    )


@dataclass
class QueryTerms:
    """Content syllables and bigrams of a question, each weighted by its rarity in the store."""
    weights: dict[str, float]
    bigrams: dict[tuple[str, str], float]

    @property
    def empty(self) -> bool:
        return not self.weights


class TermStats:
    """Chunk frequencies of folded syllables, summed over the catalog (each document's entry
    carries its own counts). Writes through this process invalidate them; `ttl` bounds how stale
    they may get when other processes write (server replicas). A stale table is refreshed in the
    background while queries go on with the old one: at 200k chunks a reload takes seconds."""

    def __init__(self, store: Store, ttl: float | None = 30.0):
        self.store, self.ttl = store, ttl
        self._df: dict[str, int] = {}
        self._n = 0
        self._numbers: list[tuple[str, str]] = []
        self._by_lead: dict[str, list[tuple[str, str]]] = {}
        self._loaded_at: float | None = None
        self._valid = False
        self._lock = threading.Lock()
        self._refreshing = False

    def invalidate(self) -> None:
        """After a write here: the next query reloads before it reads (its own write must show)."""
        self._valid = False

    def _stale(self) -> bool:
        if not self._valid or self._loaded_at is None:
            return True
        return self.ttl is not None and time.monotonic() - self._loaded_at >= self.ttl

    def _ensure(self) -> None:
        if not self._stale():
            return
        if self._valid and self._loaded_at is not None:
            # Only old (ttl): serve the old table and refresh it in the background, once.
            with self._lock:
                if self._refreshing:
                    return
                self._refreshing = True
            threading.Thread(target=self._background_reload, name="sotay-termstats", daemon=True).start()
            return
        with self._lock:
            if self._stale():
                self._reload()

    def _background_reload(self) -> None:
        try:
            with self._lock:
                self._reload()
        except Exception:  # the next query retries; the old table stays in use meanwhile
            pass
        finally:
            self._refreshing = False

    def _reload(self) -> None:
        self._valid = True  # set first: a write during the read invalidates again
        df: dict[str, int] = {}
        n = 0
        numbers: list[tuple[str, str]] = []
        for e in self.store.catalog(with_fields=["df", "counts", "number"]):
            n += (e.get("counts") or {}).get("chunks", 0)
            if e.get("number"):
                numbers.append((e["doc_id"], e["number"]))
            for t, c in (e.get("df") or {}).items():
                df[t] = df.get(t, 0) + c
        by_lead: dict[str, list[tuple[str, str]]] = {}
        for doc_id, number in numbers:
            by_lead.setdefault(_lead(number), []).append((doc_id, number))
        self._df, self._n, self._numbers, self._by_lead = df, n, numbers, by_lead
        self._loaded_at = time.monotonic()

    def numbers(self) -> list[tuple[str, str]]:
        """(doc_id, number) of every stored document, from the same cached catalog read."""
        self._ensure()
        return self._numbers

    def numbers_led_by(self, lead: str) -> list[tuple[str, str]]:
        """(doc_id, number) of the documents whose number starts with `lead` ("14" → 14-KL/TW)."""
        self._ensure()
        return self._by_lead.get(lead.lstrip("0") or "0", [])

    def idf(self, term: str) -> float:
        self._ensure()
        df = self._df.get(term, 0)
        return math.log(1 + (self._n - df + 0.5) / (df + 0.5))

    def unseen(self, q: ParsedQuestion) -> list[str]:
        """Topic words (with their diacritics when the user typed them) that no stored passage uses."""
        self._ensure()
        if q.typed_without_diacritics:
            words_ = [s for s in syllables(q.topic) if not s.isdigit()]
            return [w for w in words_ if w not in _STOP and self._df.get(w, 0) == 0]
        return [w for w in accented_syllables(q.topic)
                if fold(w) not in _STOP and self._df.get("a:" + w, 0) == 0]

    def terms(self, q: ParsedQuestion) -> QueryTerms:
        sylls = [t for t in q.folded if "_" not in t]
        weights = {s: self.idf(s) for s in sylls if s not in _STOP}
        bigrams = {(a, b): max(self.idf(a), self.idf(b)) for a, b in zip(sylls, sylls[1:])
                   if not (a in _STOP and b in _STOP)}
        return QueryTerms(weights, bigrams)


def _lead(number: str) -> str:
    """The leading figure of a document number without zeros: "01-KL/TW" → "1"."""
    return number.split("-", 1)[0].strip().lstrip("0") or "0"


@lru_cache(maxsize=65_536)
def _syllable_sets(text: str) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """Folded syllables and adjacent pairs of a passage; cached, since the same passages come
    back for many questions and folding them is most of the rescoring time."""
    sylls = syllables(text)
    return frozenset(sylls), frozenset(zip(sylls, sylls[1:]))


def text_match(terms: QueryTerms, text: str) -> float:
    """How much of the question a text covers, rare terms counting more: content syllables
    (0..1) plus bigram phrases (0..1). A question word the store never uses lowers every score."""
    if terms.empty:
        return 0.0
    have, have_bi = _syllable_sets(text)
    total = sum(terms.weights.values()) or 1.0
    cov = sum(w for t, w in terms.weights.items() if t in have) / total
    btotal = sum(terms.bigrams.values())
    bi = sum(w for b, w in terms.bigrams.items() if b in have_bi) / btotal if btotal else 0.0
    return cov + bi


def _cites(q: ParsedQuestion, text: str) -> bool:
    if not q.named:
        return False
    return any(number_matches(nd, m.group(0)) for m in _DOCNO.finditer(text) for nd in q.named)


_DOCNO = re.compile(r"\b\d{1,4}-[A-ZĐ][A-ZĐa-zđ]{0,5}/[A-ZĐ][A-ZĐa-zđ]{0,7}\b")


def heading_in_question(q_sylls: set[str], heading: str) -> float:
    """Share of a (short) heading's content syllables that the question uses; 0 for headings
    too short or too long to say anything."""
    hs = [s for s in syllables(heading) if s not in _STOP]
    if not 2 <= len(hs) <= 12:
        return 0.0
    return sum(1 for s in hs if s in q_sylls) / len(hs)


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


_NAMED_SCROLL_MAX = 2_000  # passages of the named documents read when their numbering decides


class Retriever:
    def __init__(self, store: Store, embedder: "Embedder | None" = None):
        self.store = store
        self.embedder = embedder
        # The embedded store has one writer, this process, whose writes invalidate the table; a
        # server may be written by other replicas.
        self.stats = TermStats(store, ttl=30.0 if store.stats().get("backend") == "server" else None)

    def named_doc_ids(self, q: ParsedQuestion) -> set[str]:
        if not q.named:
            return set()
        return {doc_id for nd in q.named for doc_id, number in self.stats.numbers_led_by(nd.number)
                if number_matches(nd, number)}

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
        hits += self._named_candidates(q, flt, {h.payload.get("chunk_id") for h in hits}, max(pool, k))
        return self.rescore(q, hits)[:k]

    def _named_candidates(self, q: ParsedQuestion, flt: StoreFilter, seen: set[str], pool: int) -> list[Hit]:
        """Passages of the documents a question names that the whole-store fusion left out: "Điều
        thứ hai của Quy định 144" must be able to reach Điều 2 even when other documents share
        more of its words. With an ordinal or a section asked for, every passage of the named
        documents is a candidate (their numbering decides); otherwise the named documents' own
        best matches. Access and the caller's other filters still apply."""
        named = self.named_doc_ids(q)
        if flt.doc_ids is not None:
            named &= set(flt.doc_ids)
        if not named or len(named) > 5:
            return []
        only = replace(flt, doc_ids=sorted(named))
        if q.ordinal or q.sections:
            rows = [Hit(p.get("chunk_id") or "", 0.0, p) for p in self.store.scroll(only, limit=_NAMED_SCROLL_MAX)]
            rows.sort(key=lambda h: (h.payload.get("doc_id"), h.payload.get("position") or 0))
        else:
            rows = self.candidates(q, only, pool)
        return [h for h in rows if h.payload.get("chunk_id") not in seen]

    def rescore(self, q: ParsedQuestion, hits: list[Hit]) -> list[Passage]:
        """Fused rank plus text coverage: the fusion finds candidates, the text decides their order."""
        terms = self.stats.terms(q)
        q_sylls = set(syllables(q.topic))
        named = self.named_doc_ids(q)
        scored: list[Passage] = []
        for rank, hit in enumerate(hits):
            p = hit.payload
            fused = 1.0 / math.log2(rank + 2)  # 1.0 for the first, decaying slowly
            text = p.get("text") or p.get("quote") or ""
            # The passage's own words count most; its heading path and document title count too
            # ("Kế hoạch cá nhân" is the subject of every line under that heading).
            score = (0.6 * fused + 0.5 * text_match(terms, text)
                     + 0.5 * text_match(terms, f"{p.get('doc_title') or ''} {p.get('context') or ''} {text}"))
            # A question phrased with the words of a section's heading is about that section.
            score += 0.4 * heading_in_question(q_sylls, (p.get("context") or "").split(" / ")[-1])
            if (named and p.get("doc_id") in named) or _cites(q, text):
                score += 0.3  # the named document itself, or a passage that cites it by number
            if q.intent == "deadline" and p.get("has_deadline"):
                score += 0.5  # "khi nào?" is answered by a passage that states a time
            if q.ordinal:
                # "the first standard" is a numbered item: the one with that number, never a
                # passage outside the numbering (preamble, title block).
                first = _first_number(p.get("section"))
                score += 0.6 if first == q.ordinal else -0.3 if first is None else 0.0
            if q.sections and any((p.get("section") or "").startswith(s) for s in q.sections):
                score += 0.3
            scored.append(passage_from_hit(hit, score))
        if q.intent == "deadline":
            _lift_dated(scored, hits)
        scored.sort(key=lambda p: -p.score)
        return scored


def _lift_dated(scored: list[Passage], hits: list[Hit]) -> None:
    """"By when?" is answered by the sentence that states the time, and plans put it last in the
    section ("Hoàn thành … trước ngày 15/01/2024."), away from the words of the question. So a
    dated passage ranks at least as high as the best passage of its own section."""
    best: dict[tuple[str, str | None], float] = {}
    for p in scored:
        key = (p.doc_id, p.section)
        best[key] = max(best.get(key, p.score), p.score)
    for p, hit in zip(scored, hits):
        if hit.payload.get("has_deadline") and p.section is not None:
            p.score = max(p.score, best[(p.doc_id, p.section)] + 0.01)
