"""Records → store points (service/index/points.py), on the shipped corpus parsed by the real pipeline:
one catalog entry per document and one point per chunk and per obligation, every quoted span verbatim,
ids that repeat for the same version and all change with a new one."""
from __future__ import annotations

from dataclasses import replace

from ingest.tokenize import syllables
from service.index.points import build_points


def test_points_of_every_document(corpus_docs):
    for number, doc in corpus_docs.items():
        catalog, points = build_points(doc)
        assert catalog["doc_id"] == doc.doc_id and catalog["version"] == doc.content_hash, number
        assert catalog["text"] == doc.text and catalog["number"] == doc.number
        chunks = [p for p in points if p.payload["record"] == "chunk"]
        obligations = [p for p in points if p.payload["record"] == "obligation"]
        assert catalog["counts"] == {"sections": len(doc.sections), "chunks": len(chunks),
                                     "obligations": len(obligations)}, number
        assert len(chunks) == len(doc.chunks) and len(obligations) == len(doc.obligations)
        assert len({p.id for p in points}) == len(points), "point ids are unique"
        for p in points:
            assert p.payload["doc_id"] == doc.doc_id and p.payload["version"] == catalog["version"]
            assert p.payload["access"] == doc.access and p.payload["doc_number"] == doc.number
            assert p.sparse["bm25"].indices and p.dense is None  # sparse only without an embedder
        for p in chunks:
            assert p.payload["text"] == doc.text[p.payload["start"]:p.payload["end"]], (number, p.payload["chunk_id"])
            for a, b in p.payload["sentences"]:
                assert p.payload["start"] <= a < b <= p.payload["end"]
        for p in obligations:
            assert p.payload["quote"] == doc.text[p.payload["start"]:p.payload["end"]]
            assert p.payload["quote"] in p.payload["paragraph"]
            src = p.payload["deadline_source"]
            assert src is None or src["quote"] == doc.text[src["start"]:src["end"]]


def test_ids_repeat_for_a_version_and_change_with_the_next(corpus_docs):
    doc = corpus_docs["222-KH/TU"]
    _, first = build_points(doc)
    _, again = build_points(doc)
    assert [p.id for p in first] == [p.id for p in again]
    catalog, changed = build_points(replace(doc, content_hash=doc.content_hash + "x"))
    assert catalog["version"] == doc.content_hash + "x"
    assert not {p.id for p in first} & {p.id for p in changed}  # a new version replaces every point


def test_term_frequencies_count_chunks(corpus_docs):
    doc = corpus_docs["222-KH/TU"]
    catalog, _ = build_points(doc)
    df = catalog["df"]
    assert df and max(df.values()) <= len(doc.chunks)
    assert any(t.startswith("a:") for t in df)  # accented syllables beside the folded ones
    chunk = doc.chunks[0]
    for s in set(syllables(doc.text[chunk.start:chunk.end])):
        assert df.get(s, 0) >= 1, s


def test_spans_found_by_bisection_are_the_ones_a_scan_finds(corpus_docs):
    """Chunks find their sentences and duties their paragraph by bisection (a scan per chunk made a
    4 MB one-paragraph document take ten minutes): the same spans, in the same order, as the scan,
    on every shipped document and on one paragraph of 600 duty sentences."""
    from ingest.pipeline import build_document
    from ingest.readers import RawDocument

    duty = "Các chi bộ tổ chức quán triệt kế hoạch đến đảng viên, hoàn thành trước ngày 15/4/2025."
    long = build_document(RawDocument("dai.txt", "txt", "KẾ HOẠCH\nvề thử\n\n1. Nhiệm vụ\n\n" + " ".join([duty] * 600), {}))
    assert len(long.obligations) >= 600
    for doc in [*corpus_docs.values(), long]:
        _, points = build_points(doc)
        chunks = {p.payload["chunk_id"]: p.payload for p in points if p.payload["record"] == "chunk"}
        for ch in doc.chunks:
            scanned = [[s.start, s.end] for s in doc.sentences if ch.start <= s.start and s.end <= ch.end]
            assert chunks[ch.chunk_id]["sentences"] == scanned, (doc.doc_id, ch.chunk_id)
        duties = [p.payload for p in points if p.payload["record"] == "obligation"]
        for ob, payload in zip(doc.obligations, duties):
            holder = next((c for c in doc.chunks if c.start <= ob.start and ob.end <= c.end), None)
            assert payload["paragraph"] == (doc.text[holder.start:holder.end] if holder else payload["quote"])
