"""The embedded store's own IDF (service/store/termcounts.py): each document's term counts travel in its
catalog entry, their sums over the live documents weigh the query terms, and the scores are the
ones the engine's IDF with a corpus filter of the live, visible points gives (a store made with the
engine's modifier is the reference: the engine computes that IDF itself there)."""
from __future__ import annotations

import math
import json
import os
import random
import shutil

import pytest
import qdrant_edge as qe

from service.store import EdgeStore, SparseVec, StoreFilter, edge
from service.store.termcounts import SIDECAR, DocCounts, TermSums
from support.stores import cat, chunk, obligation


def _legacy(data_dir: str) -> None:
    """An empty shard as stores were made before: sparse vectors with the engine's IDF modifier."""
    sparse = {n: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf) for n in ("bm25", "bm25_folded")}
    os.makedirs(data_dir, exist_ok=True)
    qe.EdgeShard.create(os.path.join(data_dir, "shard"), qe.EdgeConfig(sparse_vectors=sparse)).close()


def _docs(rng: random.Random, version: str, n_docs: int = 6) -> list[tuple[dict, list]]:
    """Documents of random chunks over a small vocabulary (so terms are shared), some internal,
    with obligations that carry vectors too."""
    out = []
    for d in range(n_docs):
        doc, access = f"D{d}", "internal" if d % 3 == 2 else "public"
        pts = []
        for i in range(rng.randint(3, 9)):
            terms = sorted(rng.sample(range(1, 40), rng.randint(1, 6)))
            folded = sorted(rng.sample(range(100, 130), rng.randint(1, 5)))
            pts.append(chunk(doc, version, i, bm25=SparseVec(terms, [rng.uniform(0.5, 2.0) for _ in terms]),
                             folded=SparseVec(folded, [1.0] * len(folded)), access=access))
        for i in range(rng.randint(0, 3)):
            terms = sorted(rng.sample(range(1, 40), 3))
            ob = obligation(doc, version, i, access=access)
            ob.sparse = {"bm25": SparseVec(terms, [1.0, 1.0, 1.0])}
            pts.append(ob)
        out.append((cat(doc, version, access=access), pts))
    return out


def _fill(store, rng_seed: int) -> None:
    """Two rounds of documents, the second replacing some and one deleted: the engine keeps the
    replaced and deleted points in its own statistics."""
    rng = random.Random(rng_seed)
    store.replace_documents(_docs(rng, "v1"))
    for catalog, pts in _docs(rng, "v2")[::2]:
        store.replace_document(catalog, pts)
    store.delete_document("D1")


# One vector per query: its scores are the weighted sums themselves (a fusion's would depend on how
# the engine orders equal scores).
QUERIES = [({"bm25": SparseVec([3, 7, 21, 30], [1.0, 1.0, 1.0, 1.0])}, ["chunk"]),
           ({"bm25_folded": SparseVec([101, 110, 117], [1.0, 1.0, 1.0])}, ["chunk"]),
           ({"bm25": SparseVec(list(range(1, 40, 2)), [1.0] * 20)}, ["obligation"])]


@pytest.mark.parametrize("access", [["public"], ["public", "internal"], None])
def test_own_idf_scores_are_the_engines_corpus_filtered_idf(tmp_path, access):
    own_dir, legacy_dir = str(tmp_path / "own"), str(tmp_path / "legacy")
    _legacy(legacy_dir)
    with EdgeStore(own_dir) as own, EdgeStore(legacy_dir) as legacy:
        assert own.own_idf and not legacy.own_idf
        _fill(own, 7)
        _fill(legacy, 7)
        for sparse, records in QUERIES:
            flt = StoreFilter(records=records, access=access)
            a = {h.id: h.score for h in own.search(sparse=sparse, dense=None, flt=flt, limit=100)}
            b = {h.id: h.score for h in legacy.search(sparse=sparse, dense=None, flt=flt, limit=100)}
            assert a and set(a) == set(b)
            assert all(a[i] == pytest.approx(b[i], rel=1e-5) for i in a)


def test_an_internal_document_changes_no_public_weight(tmp_path):
    with EdgeStore(str(tmp_path / "a")) as a, EdgeStore(str(tmp_path / "b")) as b:
        docs = _docs(random.Random(3), "v1")
        a.replace_documents([d for d in docs if d[0]["access"] == "public"])
        b.replace_documents(docs)
        for sparse, records in QUERIES:
            flt = StoreFilter(records=records, access=["public"])
            ha = {h.id: h.score for h in a.search(sparse=sparse, dense=None, flt=flt, limit=100)}
            hb = {h.id: h.score for h in b.search(sparse=sparse, dense=None, flt=flt, limit=100)}
            assert ha and ha == hb


def _sums(store: EdgeStore) -> dict:
    store._sums.merge()
    return {"points": dict(store._sums.points),
            "terms": {k: (v[0].tolist(), v[1].tolist()) for k, v in store._sums.terms.items()}}


def _recounted(store: EdgeStore) -> dict:
    fresh = TermSums()
    for e in store.catalog(with_fields=["doc_id"]):
        fresh.add(store._stored_counts(e["doc_id"]))
    fresh.merge()
    return {"points": dict(fresh.points), "terms": {k: (v[0].tolist(), v[1].tolist()) for k, v in fresh.terms.items()}}


def test_sums_survive_a_reopen_and_a_lost_save(tmp_path):
    d = str(tmp_path / "data")
    sidecar = os.path.join(d, "shard", SIDECAR)
    rng = random.Random(11)
    with EdgeStore(d) as s:
        s.replace_documents(_docs(rng, "v1"))
    early = str(tmp_path / "early.npz")
    shutil.copy(sidecar, early)  # the counts as saved after the first documents
    with EdgeStore(d) as s:  # reopened from the saved counts
        assert _sums(s) == _recounted(s)
        s.replace_documents([(cat(f"N{i}", "n1"), [chunk(f"N{i}", "n1", 0, bm25=SparseVec([1, 2], [1.0, 1.0]))])
                             for i in range(3)])
        added = _sums(s)
    # a run cut short before it saved: the saved counts lack the documents written since
    shutil.copy(early, sidecar)
    with EdgeStore(d) as s:
        assert _sums(s) == added == _recounted(s)
        s.replace_document(*_docs(rng, "v2")[0])  # a replacement …
        replaced = _sums(s)
    shutil.copy(early, sidecar)  # … the saved counts still count its old version: summed again
    with EdgeStore(d) as s:
        assert _sums(s) == replaced == _recounted(s)
    os.remove(sidecar)
    with EdgeStore(d) as s:
        assert _sums(s) == replaced


def test_counts_travel_in_the_catalog_and_stay_out_of_its_entries(tmp_path):
    docs = _docs(random.Random(5), "v1", 2)
    with EdgeStore(str(tmp_path / "data")) as s:
        s.replace_documents(docs)
        assert all("_tdf" not in e for e in s.catalog()) and "_tdf" not in s.catalog_entry("D0")
        counts = DocCounts.decode(s._get_catalog("D0", ["_tdf"])["_tdf"])
        pts = docs[0][1]
        assert counts.points == {("chunk", "public"): sum(p.payload["record"] == "chunk" for p in pts),
                                 **({("obligation", "public"): n} if (n := sum(p.payload["record"] == "obligation"
                                                                               for p in pts)) else {})}
        ids, n = counts.terms[("bm25", "chunk", "public")]
        expect: dict[int, int] = {}
        for p in pts:
            if p.payload["record"] == "chunk":
                for t in p.sparse["bm25"].indices:
                    expect[t] = expect.get(t, 0) + 1
        assert dict(zip(ids.tolist(), n.tolist())) == expect
        back = DocCounts.decode(counts.encode())
        assert {k: (a.tolist(), b.tolist()) for k, (a, b) in back.terms.items()} == \
            {k: (a.tolist(), b.tolist()) for k, (a, b) in counts.terms.items()}


def test_idf_formula_is_the_engines():
    sums = TermSums()
    pts = [chunk("D", "v", i, bm25=SparseVec([1, 2] if i < 3 else [1], [1.0] * (2 if i < 3 else 1)), access="public")
           for i in range(10)]
    sums.add(DocCounts.of_points(pts))
    w = sums.weights("bm25", [1, 2], [1.0, 1.0], ["chunk"], ["public"])
    assert w[0] == pytest.approx(math.log((10 - 10 + 0.5) / (10 + 0.5) + 1))
    assert w[1] == pytest.approx(1.1451323, rel=1e-6)  # the engine's score for N=10, df=3


def _answers(store) -> list:
    """Every query's hits (ids, scores, payloads) at each access level, and what the catalog and scroll give."""
    out = []
    for sparse, records in QUERIES:
        for access in (["public"], ["public", "internal"]):
            hits = store.search(sparse=sparse, dense=None, flt=StoreFilter(records=records, access=access), limit=50)
            out.append([(h.id, round(h.score, 5), h.payload) for h in hits])
    out.append(store.catalog())
    out.append(sorted(store.scroll(StoreFilter(records=["chunk", "obligation"])), key=lambda p: (p["doc_id"], p["n"])))
    return out


@pytest.mark.parametrize("legacy", [False, True])
def test_an_optimized_store_answers_as_before_and_takes_writes(tmp_path, legacy):
    """optimize() (what `sotay ingest` runs after a large batch) rebuilds the engine's segment into a
    memory-mapped, indexed one: every search, catalog and scroll answer stays the same, before and after
    later replacements, deletions and a reopen; a store made before gets the placement too."""
    data = str(tmp_path / "data")
    if legacy:
        _legacy(data)
    with EdgeStore(data) as store:
        assert store.own_idf is not legacy
        _fill(store, 5)
        before = _answers(store)
        assert store.optimize() is True
        assert _answers(store) == before
        store.replace_document(*_docs(random.Random(9), "v3")[2])
        store.delete_document("D4")
        after = _answers(store)
    with open(os.path.join(data, "shard", "edge_config.json"), encoding="utf-8") as f:
        cfg = json.load(f)
    assert cfg["payload_memory"] == "cold" and {v["memory"] for v in cfg["sparse_vectors"].values()} == {"cold"}
    assert {v["modifier"] for v in cfg["sparse_vectors"].values()} == {"idf" if legacy else "none"}
    assert cfg["optimizers"]["max_segment_size"] == edge.MAX_SEGMENT_KB  # segments merged only up to a size
    with EdgeStore(data) as store:
        assert store.own_idf is not legacy
        assert _answers(store) == after
        store.optimize()  # the few points written since: under the indexing threshold, or indexed
        assert _answers(store) == after


def test_counts_keep_the_order_parts_are_met_in():
    """A document's counts list its parts (vector, record, access) in the order its points first use
    them — the order they are written in its catalog entry — each as sorted unsigned 32-bit ids and counts."""
    pts = [chunk("D", "v", 0, record="obligation", access="internal", bm25=SparseVec([4, 9], [1.0, 1.0])),
           chunk("D", "v", 1, bm25=SparseVec([7, 2**32 - 1], [1.0, 1.0]), access="public"),
           chunk("D", "v", 2, bm25=SparseVec([7], [1.0]), access="public")]
    counts = DocCounts.of_points(pts)
    parts = [p for p in counts.terms if p[0] == "bm25"]
    assert parts == [("bm25", "obligation", "internal"), ("bm25", "chunk", "public")]
    ids, n = counts.terms[("bm25", "chunk", "public")]
    assert ids.dtype.name == n.dtype.name == "uint32"
    assert ids.tolist() == [7, 2**32 - 1] and n.tolist() == [2, 1]


def test_optimize_indexes_what_was_written_since_and_merges_only_small_segments(tmp_path, monkeypatch):
    """Each optimize indexes the points written since the last one; segments past the size bound are
    never merged again (the engine's own bound, MAX_SEGMENT_KB, made tiny here), so a large store is
    not indexed whole again by every ingest — and every answer stays the same."""
    monkeypatch.setattr(edge, "MAX_SEGMENT_KB", 1)
    data = str(tmp_path / "data")
    rng = random.Random(5)
    with EdgeStore(data) as store:
        for batch in range(3):
            store.replace_documents(_docs(rng, "v1", 30 * (batch + 1))[30 * batch:])
            before = _answers(store)
            store.optimize()
            assert _answers(store) == before
            segments = os.listdir(os.path.join(data, "shard", "segments"))
            assert len(segments) == batch + 2  # one indexed segment per batch, and the appendable one
