"""Hybrid retrieval: sparse `bm25` (segmented words) and `bm25_folded` (accent-folded syllables and
bigrams), plus `dense` when a model is configured, fused with RRF in the store; then the top
candidates are rescored on their text (scoring.py names every weight).

A query typed without diacritics searches the folded vector only: its words cannot be matched
against accented tokens, and a half-empty `bm25` prefetch would only add noise to the fusion.

Every call takes a `Lookup`: the question parsed once, the access levels of the caller, and the
stored documents it names (resolved once, within what the caller may read).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from ingest.normalize import fold
from ingest.tokenize import syllables

from ..records import Passage
from ..index.sparse import query_vectors
from ..store import DENSE_VECTOR, Hit, Store, StoreFilter
from .cues import EXCEPTION_WORDS
from .names import NamedDoc
from .query import ParsedQuestion
from .timewindow import TimeWindow
from .scoring import W, defines, first_number, heading_in_question, rank_decay, text_match
from .stats import StoredDoc, TermStats

if TYPE_CHECKING:
    from ..index.embed import Embedder

# Which block of a document states each metadata field a question asks for.
_BLOCKS_OF = {"signer": ("closing",), "recipients": ("closing",), "date": ("header",), "place": ("header",),
              "issuer": ("header", "closing"), "number": ("header",), "subject": ("header",),
              "basis": ("preamble", "header"), "effective": ("body",), "replaces": ("body", "preamble")}
_NAMED_SCROLL_MAX = 2_000  # passages of the named documents read when their numbering decides
_DOCNO = re.compile(r"\b\d{1,4}-[A-ZĐ][A-ZĐa-zđ]{0,5}/[A-ZĐ][A-ZĐa-zđ]{0,7}\b")


@dataclass(frozen=True)
class Lookup:
    """One question as the retriever and the composers see it."""
    q: ParsedQuestion
    levels: tuple[str, ...]  # access values the caller may read
    named: tuple[StoredDoc, ...]  # stored documents the question names as its source, visible to the caller
    doc_ids: tuple[str, ...] | None = None  # the caller's own restriction (search's `doc`), if any
    types: tuple[str, ...] | None = None
    # Names of documents the question names that the caller's store does not hold: their numbers
    # are searched like words (the passages citing them), since no document of theirs can be preferred.
    unstored: str = ""
    # Stored documents the question names as an object ("kế hoạch thực hiện Chỉ thị 30"): their
    # implementing plans are in scope of time questions, their passages get no preference.
    mentioned: tuple[StoredDoc, ...] = ()
    # Query vectors of this question by text: an answer searches several times (passages, the named
    # documents' passages, the duties) and embeds each text once.
    dense_memo: dict[str, list[float]] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def search_text(self) -> str:
        return f"{self.q.search_text} {self.unstored}".strip()

    @property
    def named_ids(self) -> set[str]:
        return {d.doc_id for d in self.named}

    def filter(self, **kw) -> StoreFilter:
        base = StoreFilter(access=list(self.levels), doc_ids=list(self.doc_ids) if self.doc_ids else None,
                           types=list(self.types) if self.types else None)
        return replace(base, **kw)

    def cites(self, text: str) -> bool:
        """The text cites a document the question names, by its number."""
        if not self.q.named:  # most questions: no need to read every passage for numbers
            return False
        return any(nd.matches(number) for number in _doc_numbers(text) for nd in self.q.named)


@lru_cache(maxsize=65_536)
def _doc_numbers(text: str) -> tuple[str, ...]:
    """The document numbers a passage cites (cached: the same passages come back question after question)."""
    return tuple(m.group(0) for m in _DOCNO.finditer(text))


class Retriever:
    def __init__(self, store: Store, embedder: "Embedder | None" = None):
        self.store = store
        self.embedder = embedder
        self.dense_weight = W.dense_rrf  # an attribute so eval/dense_sweep.py can try others
        # The embedded store has one writer, this process, whose writes invalidate the table; a
        # server may be written by other replicas.
        self.stats = TermStats(store, ttl=30.0 if store.backend == "server" else None)

    def lookup(self, q: ParsedQuestion, levels: list[str], *, doc_ids: list[str] | None = None,
               types: list[str] | None = None) -> Lookup:
        subjects = [nd for nd in q.named if not nd.object]
        named = self.stats.named(subjects, levels)
        unstored = [q.expanded[nd.span[0]:nd.span[1]] for nd in subjects if not self.stats.named([nd], levels)]
        mentioned = self.stats.named([nd for nd in q.named if nd.object], levels)
        return Lookup(q, tuple(levels), tuple(named), tuple(doc_ids) if doc_ids else None,
                      tuple(types) if types else None, " ".join(unstored), tuple(mentioned))

    # -- candidates from the store --------------------------------------------------------------

    def candidates(self, lk: Lookup, flt: StoreFilter, limit: int, text: str | None = None) -> list[Hit]:
        """The store's fused ranking for the question's search text (or `text`)."""
        q = lk.q
        if text is None and not lk.unstored:
            sparse = query_vectors(q.words, q.folded)
            dense_text = q.search_text or q.expanded
        else:
            text = lk.search_text if text is None else text
            from ingest.tokenize import folded_terms, words

            sparse = query_vectors([] if q.typed_without_diacritics else words(text), folded_terms(text))
            dense_text = text
        dense = self._dense(lk, dense_text)
        if not sparse and dense is None:
            return []
        return self.store.search(sparse=sparse, dense=dense, flt=flt, limit=limit, prefetch_limit=max(100, limit),
                                 weights={DENSE_VECTOR: self.dense_weight} if dense is not None else None)

    def _dense(self, lk: Lookup, text: str) -> list[float] | None:
        """The query vector of `text` (the question's search text, as the sparse vectors use: the
        whole question measured no better), once per question and text."""
        if self.embedder is None:
            return None
        vec = lk.dense_memo.get(text)
        if vec is None:
            vec = lk.dense_memo[text] = self.embedder.embed_query(text)
        return vec

    def number_candidates(self, lk: Lookup, nd: NamedDoc, limit: int) -> list[Hit]:
        """Passages that cite a document number ("Kết luận số 01-KL/TW, ngày …"): the whole number
        and its leading figure are tokens of the `bm25` vector, whatever the question's diacritics."""
        from ingest.tokenize import words

        code = nd.code or ""
        forms = {nd.number, nd.number.zfill(2)}
        text = " ".join(f"{n}-{code}/{nd.issuer}" if nd.issuer else f"{n}-{code}" for n in forms) + f" {nd.number}"
        sparse = query_vectors(words(text), [])
        if not sparse:
            return []
        return self.store.search(sparse=sparse, dense=None, flt=lk.filter(), limit=limit, prefetch_limit=max(100, limit))

    def _named_candidates(self, lk: Lookup, flt: StoreFilter, seen: set[str], pool: int) -> list[Hit]:
        """Passages of the documents a question names that the whole-store fusion left out: "Điều
        thứ hai của Quy định 144" must be able to reach Điều 2 even when other documents share
        more of its words. With an ordinal or a section asked for, every passage of the named
        documents is a candidate (their numbering decides); otherwise the named documents' own
        best matches. Access and the caller's other filters still apply."""
        named = lk.named_ids
        if flt.doc_ids is not None:
            named &= set(flt.doc_ids)
        if not named or len(named) > 5:
            return []
        only = replace(flt, doc_ids=sorted(named))
        if lk.q.asks and flt.kinds is None:
            # "ai ký", "ban hành ngày nào", "căn cứ vào đâu": the named documents' header, preamble and
            # closing blocks, which share few words with such questions.
            rows = [Hit(p.get("chunk_id") or "", 0.0, p)
                    for p in self.store.scroll(replace(only, kinds=["header", "closing", "preamble"]), limit=200)]
            return [h for h in rows if h.payload.get("chunk_id") not in seen] + \
                [h for h in self.candidates(lk, only, pool) if h.payload.get("chunk_id") not in seen]
        if lk.q.ordinal or lk.q.sections:
            rows = [Hit(p.get("chunk_id") or "", 0.0, p) for p in self.store.scroll(only, limit=_NAMED_SCROLL_MAX)]
            rows.sort(key=lambda h: (h.payload.get("doc_id"), h.payload.get("position") or 0))
        else:
            rows = self.candidates(lk, only, pool)
        return [h for h in rows if h.payload.get("chunk_id") not in seen]

    def search(self, lk: Lookup, *, k: int = 10, pool: int = 40, kinds: list[str] | None = None) -> list[Passage]:
        flt = lk.filter(kinds=kinds)
        # Equal fused scores are common (RRF of ranks): order them by document and reading order, so
        # a passage's rank, and everything computed from it, is the same in every process.
        hits = sorted(self.candidates(lk, flt, max(pool, k)),
                      key=lambda h: (-h.score, h.payload.get("doc_id") or "", h.payload.get("position") or 0))
        hits += self._named_candidates(lk, flt, {h.payload.get("chunk_id") for h in hits}, max(pool, k))
        return self.rescore(lk, hits)[:k]

    # -- rescoring ------------------------------------------------------------------------------

    def rescore(self, lk: Lookup, hits: list[Hit]) -> list[Passage]:
        """Fused rank plus text coverage: the fusion finds candidates, the text decides their order."""
        q = lk.q
        terms = self.stats.terms(lk.search_text, list(lk.levels))
        q_sylls = set(syllables(lk.search_text))
        named = lk.named_ids
        wants_time = q.deadline_cue or q.kind in ("deadline", "timewindow")
        scored: list[Passage] = []
        for rank, hit in enumerate(hits):
            p = Passage.of(hit.payload)
            score = (W.fused * rank_decay(rank) + W.own_text * text_match(terms, p.text)
                     + W.with_context * text_match(terms, f"{p.doc.title or ''} {p.context} {p.text}"))
            score += W.heading * heading_in_question(q_sylls, p.context.split(" / ")[-1])
            if (named and p.doc_id in named) or lk.cites(p.text):
                score += W.named_doc
            if wants_time and p.has_deadline:
                score += W.dated
            if q.kind == "timewindow" and q.window is not None and p.due and _due_in(q.window, p):
                # only when the window is what is asked: "năm 2025" in a question of a figure or of a
                # role's duties names the year of the text, not the due dates sought
                score += W.in_window
            if q.ordinal and (not named or p.doc_id in named):
                # "the first standard of Regulation 144": the named document's numbering.
                first = first_number(p.section)
                score += W.ordinal_hit if first == q.ordinal else W.ordinal_unnumbered if first is None else 0.0
            if q.sections and p.section and any(_under(p.section, r.number) for r in q.sections):
                sole = q.kind == "section" and len(named) == 1 and p.doc_id in named and not q.parts
                score += W.named_section_sole if sole else W.named_section
            if q.defines and defines(fold(p.text).lower(), q.defines):
                score += W.definition  # "X là gì?": the passage that defines X
            if q.asks and p.doc_id in named and p.kind in _BLOCKS_OF.get(q.asks[0], ()):
                # "ai ký", "ban hành ngày nào": the block of the document that says it
                score += W.meta_block_sole if q.kind == "metadata" and len(named) == 1 and not q.parts else W.meta_block
            if q.kind == "exception":
                found = EXCEPTION_WORDS.search(fold(p.text).lower())
                if found:  # "ai được miễn?": a passage that states an exception; most, one that is one
                    score += W.exception_passage * (2 if found.start() < 3 else 1)
            p.score = score
            scored.append(p)
        if wants_time:
            _lift_dated(scored)
        scored.sort(key=lambda p: (-p.score, p.doc_id, p.position))
        return scored


def _due_in(window: TimeWindow, p: Passage) -> bool:
    """A dated deadline of the passage falls in the question's window (a phrase without a year takes
    the passage's document's year, as a plan's "tháng 4" is that plan's April)."""
    year = int(p.doc.issued[:4]) if p.doc.issued else None
    bounds = window.bounds(None if window.year_given else year)
    if bounds is None:
        return False
    lo, hi = bounds
    for first, last in p.due:
        a, b = date.fromisoformat(first or last), date.fromisoformat(last)
        if (hi is None or a <= hi) and (lo is None or b >= lo) and (not window.both or window.holds(b, a.year)):
            return True
    return False


def _under(path: str, number: str) -> bool:
    """The section path lies in the numbered section asked for ("II.5" under "II.5", "Điều 8.2" under "8")."""
    tail = path.split(" ")[-1]
    return tail == number or tail.startswith(number + ".") or tail.endswith("." + number)


def _lift_dated(scored: list[Passage]) -> None:
    """"By when?" is answered by the sentence that states the time, and plans put it last in the
    section ("Hoàn thành … trước ngày 15/01/2024."), away from the words of the question. So a
    dated passage ranks at least as high as the best passage of its own section."""
    best: dict[tuple[str, str | None], float] = {}
    for p in scored:
        key = (p.doc_id, p.section)
        best[key] = max(best.get(key, p.score), p.score)
    for p in scored:
        if p.has_deadline and p.section is not None:
            # lifted above the section's best, keeping the order of the dated passages among themselves
            p.score = max(p.score, best[(p.doc_id, p.section)] + 0.01 + 0.001 * p.score)
