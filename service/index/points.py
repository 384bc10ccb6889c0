"""Ingest records → store points. One catalog entry per document (metadata, full text, section
tree, footnotes, references: what the document view and citations need) and one point per chunk
and per obligation, each with sparse (and optionally dense) vectors.

Point ids derive from (doc_id, record, position, version), so re-ingesting an unchanged document
writes nothing and a changed one gets fresh ids that replace the old ones in one step.
"""
from __future__ import annotations

import bisect
import uuid
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from ingest.deadlines import find_deadlines
from ingest.models import Document, Obligation, to_jsonable
from ingest.places import provinces_in
from ingest.tokenize import Segmenter, accented_syllables, syllables

from .sparse import document_vectors
from ..store import StorePoint

if TYPE_CHECKING:
    from .embed import Embedder

_NS = uuid.UUID("6f1d2a4e-5b1c-4c8e-9a57-3d0b2f7c9e11")


def point_id(doc_id: str, record: str, position: int, version: str) -> str:
    return str(uuid.uuid5(_NS, f"{doc_id}|{record}|{position}|{version}"))


def doc_meta(doc: Document) -> dict:
    return {
        "doc_id": doc.doc_id, "number": doc.number, "type": doc.type, "title": doc.title,
        "issuer": doc.issuer, "issued": doc.issued.isoformat() if doc.issued else None,
        "place": doc.place, "completeness": doc.completeness, "access": doc.access,
    }


def _flat(record: object) -> dict:
    """asdict() of a record whose fields hold plain values (Section, Footnote, MetaField) without its
    deep copy, which was a tenth of the catalog's cost for nothing to copy."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


def catalog_payload(doc: Document) -> dict:
    return {
        **doc_meta(doc),
        "version": doc.content_hash,
        "signer": doc.signer,
        "recipients": doc.recipients,
        "source": doc.source,
        "source_url": doc.source_url,
        "provenance": doc.provenance,
        "text": doc.text,
        "sections": [_flat(s) for s in doc.sections],
        "footnotes": [_flat(f) for f in doc.footnotes],
        "references": [to_jsonable(r) for r in doc.references],
        # header and closing lines (who signed, when, where, to whom, on what basis), quoted by answers
        "fields": [_flat(f) for f in doc.fields],
        "tables": [to_jsonable(t) for t in doc.tables],
        "counts": {"sections": len(doc.sections), "chunks": len(doc.chunks), "obligations": len(doc.obligations)},
        "df": term_frequencies(doc),
        # the provinces it names: a question about another province is told the store has none
        "places": provinces_in(doc.text),
    }


def term_frequencies(doc: Document) -> dict[str, int]:
    """Folded syllable → number of chunks containing it: the retriever sums these over the
    catalog to weigh query terms by rarity (IDF) when it rescores and decides to abstain."""
    df: dict[str, int] = {}
    for ch in doc.chunks:
        text = f"{ch.context} {doc.text[ch.start:ch.end]}"
        # Accented syllables too ("a:lương"): folding merges "lương" with "lượng", and a word the
        # documents never use is the retriever's best sign that they do not cover a question.
        for t in set(syllables(text)) | {"a:" + w for w in accented_syllables(text)}:
            df[t] = df.get(t, 0) + 1
    return df


def _title(doc: Document, path: str | None) -> str | None:
    sec = doc.section(path) if path and not path.startswith("footnote") else None
    return sec.title if sec else None


def obligation_payload(doc: Document, ob: Obligation) -> dict:
    sec = doc.section(ob.section)
    return {
        "id": ob.id, "actors": ob.actors, "action": ob.action, "modality": ob.modality,
        "deadline": ob.deadline.to_json() if ob.deadline else None,
        "exclusive_end": bool(ob.deadline and ob.deadline.exclusive_end),
        "due_end": ob.deadline.end.isoformat() if ob.deadline and ob.deadline.end else None,
        "due_start": ob.deadline.start.isoformat() if ob.deadline and ob.deadline.start else None,
        "recurrence": ob.recurrence, "section": ob.section, "section_title": sec.title if sec else None,
        "start": ob.start, "end": ob.end, "quote": doc.text[ob.start:ob.end], "exceptions": ob.exceptions,
        "exception_sources": [{"start": a, "end": b, "section": path, "quote": doc.text[a:b],
                               "section_title": _title(doc, path)} for a, b, path in ob.exception_sources],
        # Who is bound, structured (ingest.actors.binds compares these with a user's role), and the
        # whole sentence when the quote is one duty clause of it.
        "actor_refs": to_jsonable(ob.actor_refs),
        "context": ({"start": ob.context[0], "end": ob.context[1], "quote": doc.text[ob.context[0]:ob.context[1]]}
                    if ob.context else None),
        "deadline_source": ({"start": ob.deadline_source[0], "end": ob.deadline_source[1],
                             "quote": doc.text[ob.deadline_source[0]:ob.deadline_source[1]]}
                            if ob.deadline_source else None),
    }


def version_of(doc: Document, embedder: "Embedder | str | None") -> str:
    """The stored version: the content hash, and which dense model (if any; the embedder or its
    name) made the vectors, so turning a model on or off re-indexes documents that did not change."""
    if embedder is None:
        return doc.content_hash
    name = embedder if isinstance(embedder, str) else embedder.name
    return f"{doc.content_hash}-{uuid.uuid5(_NS, name).hex[:8]}"


@dataclass
class Records:
    """A document as the store takes it: its catalog entry and its points (chunks first), with the
    text each chunk's dense vector is made from (the vectors are added apart: see embed_records)."""
    catalog: dict
    points: list[StorePoint]
    texts: list[str]


class _Spans:
    """Spans (start, end) sorted by start, to find those inside a range, or the first (in list
    order) that holds one, without a scan of the whole list per lookup: a chunk per paragraph and a
    sentence per duty made that chunks × sentences (a 4 MB one-paragraph document: ten minutes)."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.order = sorted(range(len(spans)), key=lambda i: (spans[i][0], i))
        self.spans = spans
        self.starts = [spans[i][0] for i in self.order]
        self.max_end: list[int] = []  # the largest end among the first k spans by start
        for i in self.order:
            self.max_end.append(max(spans[i][1], self.max_end[-1] if self.max_end else spans[i][1]))

    def inside(self, start: int, end: int) -> list[int]:
        """Indices (in list order) of the spans lying within [start, end]."""
        out = []
        for k in range(bisect.bisect_left(self.starts, start), len(self.order)):
            i = self.order[k]
            if self.spans[i][0] > end:
                break
            if self.spans[i][1] <= end:
                out.append(i)
        return sorted(out)

    def holder(self, start: int, end: int) -> int | None:
        """The first span (in list order) that holds [start, end]."""
        best = None
        k = bisect.bisect_right(self.starts, start) - 1
        while k >= 0 and self.max_end[k] >= end:
            i = self.order[k]
            if self.spans[i][1] >= end and (best is None or i < best):
                best = i
            k -= 1
        return best


def build_points(doc: Document, embedder: "Embedder | None" = None) -> tuple[dict, list[StorePoint]]:
    records = build_records(doc, embedder.name if embedder is not None else None)
    if embedder is not None:
        embed_records(records, embedder)
    return records.catalog, records.points


def embed_records(records: Records, embedder: "Embedder") -> None:
    # Chunks only (they come first, one text each): obligations are found by their words (and from
    # the passages a question ranks first); their dense vectors changed no dev question's answer or
    # rank (eval/dense_sweep.py) and were half the embedding time.
    chunk_points = records.points[:len(records.texts)]
    for p, vec in zip(chunk_points, embedder.embed_passages(records.texts), strict=True):
        p.dense = vec


def build_records(doc: Document, dense_model: str | None = None) -> Records:
    """The points of a document, without dense vectors (``dense_model``: the name of the model that
    will make them, which is part of the version). No model runs here, so this can run in the
    upload worker process."""
    meta = doc_meta(doc)
    version = version_of(doc, dense_model)
    base = {"doc_id": doc.doc_id, "version": version, "doc_number": doc.number,
            "doc_title": doc.title, "type": doc.type, "issued": meta["issued"], "access": doc.access}
    if (doc.provenance or {}).get("source") == "ocr":
        base["ocr"] = True  # every quote of this document is recognised text: citations say so
    points: list[StorePoint] = []
    texts: list[str] = []  # what the dense model reads, one per chunk
    seg = Segmenter()
    sentence_spans = _Spans([(s.start, s.end) for s in doc.sentences])
    chunk_spans = _Spans([(c.start, c.end) for c in doc.chunks])
    for ch in doc.chunks:
        sentences = [[doc.sentences[i].start, doc.sentences[i].end] for i in sentence_spans.inside(ch.start, ch.end)]
        display = doc.text[ch.start:ch.end]
        dated = [d for d in find_deadlines(display, doc.year) if d.end or d.start or d.relative]
        payload = {**base, "record": "chunk", "chunk_id": ch.chunk_id, "position": ch.position,
                   "section": ch.section, "section_title": ch.section_title, "kind": ch.kind,
                   "context": ch.context, "has_deadline": bool(dated),
                   # the days the passage's dated deadlines allow: search lifts those a question's window holds
                   "due": [[d.start.isoformat() if d.start else None, d.end.isoformat()] for d in dated if d.end],
                   "start": ch.start, "end": ch.end, "text": display, "sentences": sentences}
        points.append(StorePoint(point_id(doc.doc_id, "chunk", ch.position, version), payload,
                                 document_vectors(ch.index_text, seg, ch.context)))
        texts.append(ch.index_text)
    for n, ob in enumerate(doc.obligations):
        payload = {**base, "record": "obligation", "kind": "obligation", **obligation_payload(doc, ob)}
        # The paragraph around the sentence: "Hoàn thành … trong tháng 01/2024." is about what the
        # sentences before it say ("Cá nhân … nộp kế hoạch …").
        h = chunk_spans.holder(ob.start, ob.end)
        holder = doc.chunks[h] if h is not None else None
        payload["paragraph"] = doc.text[holder.start:holder.end] if holder else payload["quote"]
        sec = doc.section(ob.section)
        index_text = " | ".join(x for x in (sec.title if sec else None, " ".join(ob.actors), payload["quote"]) if x)
        points.append(StorePoint(point_id(doc.doc_id, "obligation", n, version), payload,
                                 document_vectors(index_text, seg)))
    return Records({**catalog_payload(doc), "version": version}, points, texts)
