"""The ``Store`` template on every engine (service/store/base.py, with engine.py, copies.py,
payloads.py and types.py): atomic replace, catalog, search and RRF, filters, scroll, delete, reopen,
IDF after replacements, concurrent readers. Backends: tests/support/stores.py."""
from __future__ import annotations

import os
import threading

import numpy as np
import pytest

from service.store import SparseVec, StoreError, StoreFilter, StorePoint
from support.stores import NO_SERVER, SERVER_URL, Opener, cat, chunk, doc_points, ids, obligation, pid, sv


def test_replace_unchanged_then_changed(store):
    big = "Nội dung văn bản. " * 6000  # ~100 KB of catalog text
    v1 = doc_points("A", "v1", 3, type="Kế hoạch") + [obligation("A", "v1", 0), obligation("A", "v1", 1)]
    assert store.replace_document(cat("A", "v1", text=big), v1) is True
    assert store.replace_document(cat("A", "v1", text="changed metadata, same version"), []) is False
    st = store.stats()
    assert (st["documents"], st["chunks"], st["obligations"], st["points"]) == (1, 3, 2, 5)
    assert store.catalog_entry("A")["text"] == big  # the unchanged call wrote nothing

    # v2 drops term 2000 (chunk 0 of v1) and has 2 chunks + 1 obligation
    v2 = [chunk("A", "v2", i, bm25=sv(1000, 3000 + i), folded=sv(1000)) for i in range(2)] + [obligation("A", "v2", 0)]
    assert store.replace_document(cat("A", "v2", text="mới"), v2) is True
    st = store.stats()
    assert (st["documents"], st["chunks"], st["obligations"], st["points"]) == (1, 2, 1, 3)
    rows = store.scroll(StoreFilter(records=["chunk", "obligation"]))
    assert sorted(r["version"] for r in rows) == ["v2", "v2", "v2"]
    assert store.search(sparse={"bm25": sv(2000)}, dense=None, flt=StoreFilter(), limit=10) == []
    hits = store.search(sparse={"bm25": sv(1000)}, dense=None, flt=StoreFilter(), limit=10)
    assert sorted(ids(hits)) == sorted(pid("A", "v2", i) for i in range(2))
    assert all(h.payload["doc_id"] == "A" and h.payload["version"] == "v2" for h in hits)
    assert not any(k.startswith("_") for h in hits for k in h.payload)  # internal keys hidden

    entry = store.catalog_entry("A")
    assert entry == cat("A", "v2", text="mới")
    assert store.catalog_entry("nope") is None
    assert store.catalog(with_fields=["version"]) == [{"doc_id": "A", "version": "v2"}]


def test_catalog_lists_documents_sorted_with_fields(store):
    for d in ["C", "A", "B"]:
        store.replace_document(cat(d, "v1", text="x" * 1000, number=f"{d}-KH/TU"), doc_points(d, "v1", 1))
    full = store.catalog()
    assert [c["doc_id"] for c in full] == ["A", "B", "C"]
    assert full[0] == cat("A", "v1", text="x" * 1000, number="A-KH/TU")
    slim = store.catalog(with_fields=["number", "title"])
    assert slim[1] == {"doc_id": "B", "number": "B-KH/TU", "title": "Văn bản B"}


def test_catalog_pages_give_every_entry_once(store):
    docs = [f"D{i:02d}" for i in range(7)]
    for d in docs:
        store.replace_document(cat(d, "v1", number=f"{d}-KH/TU", df={"lương": 1}), doc_points(d, "v1", 1))
    pages = list(store.catalog_pages(with_fields=["number", "df"], page=3))
    entries = sorted((e for p in pages for e in p), key=lambda e: e["doc_id"])
    assert entries == [{"doc_id": d, "number": f"{d}-KH/TU", "df": {"lương": 1}} for d in docs]
    if store.backend == "edge":  # the server adapter reads them in one page
        assert len(pages) == 3 and all(len(p) <= 3 for p in pages)


def test_empty_store(store):
    assert store.search(sparse={"bm25": sv(1)}, dense=None, flt=StoreFilter(), limit=5) == []
    assert store.scroll(StoreFilter()) == []
    assert store.catalog() == []
    assert store.delete_document("nope") is False
    st = store.stats()
    assert (st["documents"], st["points"]) == (0, 0)
    assert st["backend"] in ("edge", "server")


def test_search_one_vector_is_plain_nearest(rrf_store):
    P, Q = pid("D", "v1", "P"), pid("D", "v1", "Q")
    hits = rrf_store.search(sparse={"bm25": sv(1)}, dense=None, flt=StoreFilter(), limit=10)
    assert ids(hits) == [P, Q]
    assert hits[0].score == pytest.approx(3 * hits[1].score, rel=1e-4)  # dot product × the same IDF
    # an empty vector counts as not given
    hits2 = rrf_store.search(sparse={"bm25": sv(1), "bm25_folded": SparseVec([], [])}, dense=None, flt=StoreFilter(), limit=10)
    assert ids(hits2) == [P, Q]
    assert rrf_store.search(sparse={"bm25": SparseVec([], [])}, dense=None, flt=StoreFilter(), limit=10) == []


def test_search_rrf_of_two_vectors(rrf_store):
    P, Q, R = (pid("D", "v1", x) for x in "PQR")
    q = {"bm25": sv(1), "bm25_folded": sv(2)}
    hits = rrf_store.search(sparse=q, dense=None, flt=StoreFilter(), limit=10, rrf_k=60)
    assert ids(hits)[0] == Q and set(ids(hits)) == {P, Q, R}
    assert hits[0].score == pytest.approx(2 / 61, rel=1e-4)  # rank 1 in both lists: 1/(k + 1) twice
    assert hits[1].score == pytest.approx(1 / 60, rel=1e-4)
    # weights divide a hit's rank: w=3 on bm25 lifts P above R, on bm25_folded the reverse
    w_bm25 = rrf_store.search(sparse=q, dense=None, flt=StoreFilter(), limit=10, weights={"bm25": 3.0})
    assert ids(w_bm25) == [Q, P, R]
    assert w_bm25[1].score == pytest.approx(1 / (1 / 3 + 59), rel=1e-4)
    w_fold = rrf_store.search(sparse=q, dense=None, flt=StoreFilter(), limit=10, weights={"bm25_folded": 3.0})
    assert ids(w_fold) == [Q, R, P]
    # k is passed through
    k2 = rrf_store.search(sparse=q, dense=None, flt=StoreFilter(), limit=2, rrf_k=2)
    assert k2[0].id == Q and k2[0].score == pytest.approx(2 / 3, rel=1e-4)
    assert k2[1].score == pytest.approx(1 / 2, rel=1e-4)
    # prefetch_limit bounds each list: with 1, Q is in neither list
    short = rrf_store.search(sparse=q, dense=None, flt=StoreFilter(), limit=10, prefetch_limit=1)
    assert set(ids(short)) <= {P, Q, R} and len(short) >= 2


def test_search_filters(store):
    store.replace_document(
        cat("K", "k1"),
        [
            chunk("K", "k1", 0, bm25=sv(5), type="Kế hoạch", access="public", kind="body"),
            chunk("K", "k1", 1, bm25=sv(5), type="Kế hoạch", access="internal", kind="heading"),
            chunk("K", "k1", 2, bm25=sv(5), type="Kế hoạch", kind="body"),  # no access field
            obligation("K", "k1", 0, type="Kế hoạch", access="public"),
        ],
    )
    store.replace_document(
        cat("L", "l1"),
        [
            chunk("L", "l1", 0, bm25=sv(5), type="Kết luận", access="public", kind="footnote"),
            chunk("L", "l1", 1, bm25=sv(5), type="Kết luận", access="public", kind="body"),
        ],
    )

    def found(**f):
        hits = store.search(sparse={"bm25": sv(5)}, dense=None, flt=StoreFilter(**f), limit=20)
        return sorted((h.payload["doc_id"], h.payload["n"]) for h in hits)

    assert found() == [("K", 0), ("K", 1), ("K", 2), ("L", 0), ("L", 1)]  # chunks only, no catalog
    assert found(doc_ids=["L"]) == [("L", 0), ("L", 1)]
    assert found(doc_ids=["K", "L", "missing"]) == found()
    assert found(types=["Kế hoạch"]) == [("K", 0), ("K", 1), ("K", 2)]
    assert found(access=["public"]) == [("K", 0), ("L", 0), ("L", 1)]  # missing access never matches
    assert found(access=["public", "internal"]) == [("K", 0), ("K", 1), ("L", 0), ("L", 1)]
    assert found(kinds=["body"], doc_ids=["K"]) == [("K", 0), ("K", 2)]
    assert found(kinds=["body", "footnote"], types=["Kết luận"]) == [("L", 0), ("L", 1)]
    assert found(doc_ids=[]) == []  # an empty list allows nothing
    assert found(records=["obligation"]) == []  # obligations carry no vectors
    assert found(records=["document"]) == []  # catalog points are never search hits
    # the same through the RRF path
    hits = store.search(
        sparse={"bm25": sv(5), "bm25_folded": sv(5)}, dense=None, flt=StoreFilter(doc_ids=["L"], access=["public"]), limit=20
    )
    assert sorted(h.payload["n"] for h in hits) == [0, 1]


def test_dense_path(opener):
    s = opener(dense_dim=4)
    assert s.dense_dim == 4
    pts = [
        chunk("E", "e1", 0, bm25=sv(1), dense=[1.0, 0.0, 0.0, 0.0]),
        chunk("E", "e1", 1, bm25=sv(1, 2), dense=[0.0, 1.0, 0.0, 0.0]),
        chunk("E", "e1", 2, dense=[0.7, 0.7, 0.0, 0.0]),  # dense only
        obligation("E", "e1", 0),
    ]
    assert s.replace_document(cat("E", "e1"), pts)
    hits = s.search(sparse={}, dense=[0.0, 2.0, 0.0, 0.0], flt=StoreFilter(), limit=3)
    assert ids(hits) == [pid("E", "e1", 1), pid("E", "e1", 2), pid("E", "e1", 0)]
    assert hits[0].score == pytest.approx(1.0, abs=1e-5)  # cosine
    hybrid = s.search(sparse={"bm25": sv(2)}, dense=[0.0, 1.0, 0.0, 0.0], flt=StoreFilter(), limit=3, rrf_k=60)
    assert hybrid[0].id == pid("E", "e1", 1) and hybrid[0].score == pytest.approx(2 / 60, rel=1e-4)
    with pytest.raises(ValueError):
        s.search(sparse={}, dense=[1.0, 0.0], flt=StoreFilter(), limit=3)


def test_dense_rejected_without_dense_dim(store):
    assert store.dense_dim is None
    with pytest.raises(ValueError):
        store.search(sparse={}, dense=[1.0, 0.0, 0.0, 0.0], flt=StoreFilter(), limit=3)
    with pytest.raises(ValueError):
        store.replace_document(cat("X", "x1"), [chunk("X", "x1", 0, bm25=sv(1), dense=[1.0, 0.0])])
    assert store.catalog() == []


def test_bad_points_rejected_and_nothing_written(store):
    with pytest.raises(ValueError):
        store.replace_document(cat("X", "x1"), [StorePoint("not-a-uuid", {}, {"bm25": sv(1)})])
    with pytest.raises(ValueError):
        store.replace_document(cat("X", "x1"), [StorePoint(pid("X", "x1", 0), {"record": "document"}, {})])
    with pytest.raises(ValueError):
        store.replace_document(cat("X", "x1"), [StorePoint(pid("X", "x1", 0), {}, {"bogus": sv(1)})])
    with pytest.raises(ValueError):
        store.replace_document({"version": "x1"}, [])
    assert store.catalog() == [] and store.stats()["points"] == 0
    # an id reused by the next version would overwrite the live one: refused
    store.replace_document(cat("X", "x1"), doc_points("X", "x1", 2))
    reused = [StorePoint(pid("X", "x1", 0), {"record": "chunk"}, {"bm25": sv(1)})]
    with pytest.raises(ValueError):
        store.replace_document(cat("X", "x2"), reused)
    assert store.catalog_entry("X")["version"] == "x1"
    assert len(store.scroll(StoreFilter(doc_ids=["X"]))) == 2


def test_scroll(store):
    pts = doc_points("S", "s1", 5, kind="body") + [obligation("S", "s1", i, due="2024-01-15") for i in range(3)]
    store.replace_document(cat("S", "s1"), pts)
    store.replace_document(cat("T", "t1"), doc_points("T", "t1", 2, kind="heading"))
    assert len(store.scroll(StoreFilter())) == 7  # default: chunks
    obl = store.scroll(StoreFilter(records=["obligation"]))
    assert sorted(o["n"] for o in obl) == [0, 1, 2]
    assert all(o["due"] == "2024-01-15" and o["doc_id"] == "S" and o["version"] == "s1" for o in obl)
    assert not any(k.startswith("_") for o in obl for k in o)
    assert len(store.scroll(StoreFilter(records=["chunk", "obligation"], doc_ids=["S"]))) == 8
    assert len(store.scroll(StoreFilter(kinds=["heading"]))) == 2
    assert len(store.scroll(StoreFilter(), limit=3)) == 3
    assert store.scroll(StoreFilter(records=["document"])) == []


def test_scroll_pages_past_one_page(store):
    n = 1100  # more than one scroll page
    store.replace_document(cat("B", "b1"), [obligation("B", "b1", i) for i in range(n)])
    rows = store.scroll(StoreFilter(records=["obligation"]))
    assert sorted(r["n"] for r in rows) == list(range(n))
    assert len(store.scroll(StoreFilter(records=["obligation"]), limit=1050)) == 1050


def test_delete_document(store):
    store.replace_document(cat("A", "a1"), doc_points("A", "a1", 3) + [obligation("A", "a1", 0)])
    store.replace_document(cat("B", "b1"), doc_points("B", "b1", 2))
    assert store.delete_document("A") is True
    assert store.delete_document("A") is False
    assert [c["doc_id"] for c in store.catalog()] == ["B"]
    assert store.catalog_entry("A") is None
    assert {h.payload["doc_id"] for h in store.search(sparse={"bm25": sv(1000)}, dense=None, flt=StoreFilter(), limit=10)} == {"B"}
    assert store.scroll(StoreFilter(records=["chunk", "obligation"], doc_ids=["A"])) == []
    st = store.stats()
    assert (st["documents"], st["points"]) == (1, 2)
    # and it can come back
    assert store.replace_document(cat("A", "a1"), doc_points("A", "a1", 3)) is True


def test_reopen_persists(opener):
    s = opener()
    s.replace_document(cat("A", "a1", text="văn bản"), doc_points("A", "a1", 3) + [obligation("A", "a1", 0)])
    s.replace_document(cat("B", "b1"), doc_points("B", "b1", 2))
    s.replace_document(cat("A", "a2", text="văn bản mới"), doc_points("A", "a2", 4))
    before = s.search(sparse={"bm25": sv(1000)}, dense=None, flt=StoreFilter(), limit=20)
    s.close()
    s.close()  # idempotent
    with pytest.raises(StoreError):
        s.search(sparse={"bm25": sv(1000)}, dense=None, flt=StoreFilter(), limit=20)

    with opener() as s2:
        assert [c["version"] for c in s2.catalog()] == ["a2", "b1"]
        assert s2.catalog_entry("A")["text"] == "văn bản mới"
        after = s2.search(sparse={"bm25": sv(1000)}, dense=None, flt=StoreFilter(), limit=20)
        assert sorted(ids(after)) == sorted(ids(before)) and len(after) == 6
        assert s2.replace_document(cat("A", "a2"), []) is False
        st = s2.stats()
        assert (st["documents"], st["chunks"], st["obligations"]) == (2, 6, 0)


def test_idf_ignores_replaced_points(opener, tmp_path):
    """Engine-wide IDF statistics still count deleted points; the store's IDF corpus filter must not."""
    s = opener()
    s.replace_document(cat("B", "b1"), [chunk("B", "b1", i, bm25=sv(2)) for i in range(30)])
    s.replace_document(cat("A", "a0"), [chunk("A", "a0", i, bm25=sv(1)) for i in range(10)])
    fresh = s.search(sparse={"bm25": sv(1)}, dense=None, flt=StoreFilter(), limit=1)[0].score
    for v in range(1, 6):
        s.replace_document(cat("A", f"a{v}"), [chunk("A", f"a{v}", i, bm25=sv(1)) for i in range(10)])
    again = s.search(sparse={"bm25": sv(1)}, dense=None, flt=StoreFilter(), limit=1)[0].score
    assert again == pytest.approx(fresh, rel=1e-5)


@pytest.mark.parametrize(
    "backend",
    ["edge", pytest.param("server", marks=pytest.mark.skipif(not SERVER_URL, reason=NO_SERVER))],
)
def test_concurrent_readers_see_whole_versions(backend, tmp_path):
    o = Opener(backend, tmp_path)
    try:
        s = o()
        size = lambda v: 3 + (v * 7) % 11  # noqa: E731 — every version has its own chunk count
        s.replace_document(cat("C", "c0"), doc_points("C", "c0", size(0)))
        s.replace_document(cat("Z", "z0"), doc_points("Z", "z0", 4))
        stop = threading.Event()
        errors: list[BaseException] = []
        seen: list[str] = []

        def reader(i: int) -> None:
            try:
                while not stop.is_set():
                    if i % 2:
                        hits = s.search(
                            sparse={"bm25": sv(1000), "bm25_folded": sv(1000)},
                            dense=None,
                            flt=StoreFilter(doc_ids=["C"]),
                            limit=100,
                        )
                        rows = [h.payload for h in hits]
                    else:
                        rows = s.scroll(StoreFilter(doc_ids=["C"]))
                    versions = {r["version"] for r in rows}
                    if backend == "edge":  # exact: never absent
                        assert len(versions) == 1, versions
                    assert len(versions) <= 1, versions
                    if versions:
                        (v,) = versions
                        assert len(rows) == size(int(v[1:])), (v, len(rows))
                        assert sorted(r["n"] for r in rows) == list(range(len(rows)))
                        seen.append(v)
            except BaseException as e:  # noqa: BLE001
                errors.append(e)
                stop.set()

        written = [0]

        def writer() -> None:
            try:
                # A fixed number of versions, not a time budget: on a loaded machine the readers
                # may hold the engine most of the time, and the test must not depend on speed.
                while written[0] < 6 and not stop.is_set():
                    v = written[0] + 1
                    assert s.replace_document(cat("C", f"c{v}"), doc_points("C", f"c{v}", size(v)))
                    written[0] = v
            except BaseException as e:  # noqa: BLE001
                errors.append(e)
            finally:
                stop.set()

        threads = [threading.Thread(target=reader, args=(i,)) for i in range(8)] + [threading.Thread(target=writer)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        v = written[0]
        assert not errors, errors[0]
        assert v == 6 and len(set(seen)) >= 2
        assert s.catalog_entry("C")["version"] == f"c{v}"
        assert s.stats()["points"] == size(v) + 4
    finally:
        o.cleanup()


def test_catalog_fields_kept_for_the_next_open(opener, monkeypatch):
    """A read of some fields of every entry is kept beside the embedded store for the documents it was
    read from (Store.catalog): the next open gives it without the engine; any write makes it stale."""
    import json
    import os

    from service.store import base

    monkeypatch.setattr(base, "_KEEP_CATALOG_FROM", 3)
    s = opener()
    for d in ["C", "A", "B"]:
        s.replace_document(cat(d, "v1", text="x" * 100, number=f"{d}-KH/TU"), doc_points(d, "v1", 1))
    slim = s.catalog(with_fields=["number"])
    assert slim == [{"doc_id": d, "number": f"{d}-KH/TU"} for d in "ABC"]
    key = s.state_key()
    s.close()
    if key is None:  # a server store: other replicas write too, nothing is kept
        assert s.sidecar_path("x") is None
        return
    [path] = [p for p in os.listdir(os.path.dirname(s.sidecar_path("x"))) if p.startswith("catalog-")]
    path = os.path.join(os.path.dirname(s.sidecar_path("x")), path)
    with open(path, encoding="utf-8") as f:
        kept = json.load(f)
    assert kept["key"] == key and kept["value"] == slim
    kept["value"][0]["number"] = "shown from the file"
    with open(path, "w", encoding="utf-8") as f:
        json.dump(kept, f)
    with opener() as s2:
        assert s2.catalog(with_fields=["number"])[0]["number"] == "shown from the file"
        assert s2.catalog(with_fields=["number", "title"])[0] == {"doc_id": "A", "number": "A-KH/TU", "title": "Văn bản A"}
        s2.replace_document(cat("A", "v2", number="A2-KH/TU"), doc_points("A", "v2", 1))
        assert s2.catalog(with_fields=["number"])[0] == {"doc_id": "A", "number": "A2-KH/TU"}
    with opener() as s3:
        assert s3.catalog(with_fields=["number"])[0] == {"doc_id": "A", "number": "A2-KH/TU"}


def test_catalog_fields_derived_from_a_wider_kept_catalog(opener, monkeypatch):
    """Store.catalog(derive_from=…): fields not kept yet come from a kept catalog of more fields (what
    an earlier version kept in one file) without the engine, and are kept in their own file."""
    import json
    import os

    from service.store import base

    monkeypatch.setattr(base, "_KEEP_CATALOG_FROM", 3)
    s = opener()
    for d in ["C", "A", "B"]:
        s.replace_document(cat(d, "v1", number=f"{d}-KH/TU", type="Kế hoạch"), doc_points(d, "v1", 1))
    wide = s.catalog(with_fields=["number", "title"])
    key = s.state_key()
    s.close()
    if key is None:  # a server store: nothing is kept
        return
    folder = os.path.dirname(s.sidecar_path("x"))
    [path] = [os.path.join(folder, p) for p in os.listdir(folder) if p.startswith("catalog-")]
    with open(path, encoding="utf-8") as f:
        kept = json.load(f)
    kept["value"][0]["number"] = "shown from the file"
    with open(path, "w", encoding="utf-8") as f:
        json.dump(kept, f)
    with opener() as s2:
        slim = s2.catalog(with_fields=["number"], derive_from=["number", "title"])
        assert slim == [{"doc_id": e["doc_id"], "number": e["number"]} for e in kept["value"]]
        assert slim[0]["number"] == "shown from the file" and wide[0]["title"] == "Văn bản A"
        assert len([p for p in os.listdir(folder) if p.startswith("catalog-")]) == 2  # kept apart now
        assert s2.catalog(with_fields=["number"]) == slim
        # a wider catalog that is not kept: the engine's
        assert s2.catalog(with_fields=["type"], derive_from=["type", "issuer"])[0] == {"doc_id": "A", "type": "Kế hoạch"}


def test_records_give_ids_and_some_fields_in_id_order(store):
    store.replace_document(cat("R", "r1"), doc_points("R", "r1", 2) +
                           [obligation("R", "r1", i, due=f"2024-01-{i + 10}", quote="x" * 50) for i in range(7)])
    pages = list(store.records(StoreFilter(records=["obligation"]), fields=["n", "due"], page=3))
    assert len(pages) >= 3  # a page at a time
    rows = [r for page in pages for r in page]
    assert [pid_ for pid_, _ in rows] == sorted(pid("R", "r1", f"o{i}") for i in range(7))
    assert {p["n"]: p for _, p in rows} == {i: {"n": i, "due": f"2024-01-{i + 10}"} for i in range(7)}
    # the same points by id: those fields, or the whole payload without the store's own keys
    want = {pid("R", "r1", f"o{i}"): i for i in (1, 4)}
    got = store.retrieve(list(want) + [pid("R", "r1", "o99")], fields=["n"])
    assert got == {p: {"n": n} for p, n in want.items()}
    full = store.retrieve(list(want))
    assert {p: (v["n"], v["quote"], v["doc_id"], v["version"]) for p, v in full.items()} == \
        {p: (n, "x" * 50, "R", "r1") for p, n in want.items()}
    assert not any(k.startswith("_") for v in full.values() for k in v)
    # a replaced version's points are no longer live: not retrieved, not listed
    store.replace_document(cat("R", "r2"), [obligation("R", "r2", 0)])
    assert store.retrieve(list(want)) == {}
    assert [p for page in store.records(StoreFilter(records=["obligation"]), fields=["n"]) for p, _ in page] == \
        [pid("R", "r2", "o0")]
    assert list(store.records(StoreFilter(records=["obligation"], doc_ids=[]), fields=["n"])) == []


def test_arrays_kept_beside_the_store_for_their_documents(opener):
    s = opener()
    s.replace_document(cat("A", "a1"), doc_points("A", "a1", 1))
    key = s.state_key()
    if key is None:  # a server store: nothing is kept
        assert s.derived_arrays("x.npz", "k") is None
        return
    s.keep_derived_arrays("x.npz", key, {"a": np.arange(5, dtype=np.int32), "b": np.array([1.5, 2.5])})
    got = s.derived_arrays("x.npz", key)
    assert got["a"].tolist() == list(range(5)) and got["b"].tolist() == [1.5, 2.5]
    assert s.derived_arrays("x.npz", "another key") is None
    s.keep_derived_arrays("x.npz", key, {"a": np.arange(3, dtype=np.int32)})  # replaces the old set
    assert s.derived_arrays("x.npz", key)["a"].tolist() == [0, 1, 2]
    here = os.path.dirname(s.sidecar_path("x.npz"))
    assert len([f for f in os.listdir(here) if f.startswith("x.npz.") and f.endswith(".npy")]) == 1
    # a set kept under a newer format's name removes the older format's files, and nothing else
    s.keep_derived_arrays("x-2.npz", key, {"a": np.arange(2, dtype=np.int32)})
    s.keep_derived_arrays("y.npz", key, {"a": np.arange(2, dtype=np.int32)})
    s.keep_derived_arrays("x-3.npz", key, {"a": np.arange(4, dtype=np.int32)}, replaces="x-*")
    left = sorted(f for f in os.listdir(here) if f.startswith(("x-", "y.")))
    assert [f for f in left if not f.endswith(".npy")] == ["x-3.npz", "y.npz"]
    assert len([f for f in left if f.endswith(".npy")]) == 2  # x-3's and y's
    assert s.derived_arrays("x-3.npz", key)["a"].tolist() == [0, 1, 2, 3] and s.derived_arrays("x-2.npz", key) is None
    s.replace_document(cat("B", "b1"), doc_points("B", "b1", 1))
    assert s.derived_arrays("x.npz", s.state_key()) is None  # made for other documents
    s.close()
