"""TermStats (service/retrieval/stats.py) over a real embedded store: counts per access level, a
reader's view untouched by internal documents, the insider's view the sum of both."""
from __future__ import annotations

from service.retrieval.stats import TermStats
from service.store import EdgeStore
from support.stores import cat, doc_points


def _doc(store, doc_id: str, access: str, df: dict[str, int], chunks: int, number: str) -> None:
    store.replace_document(cat(doc_id, "v1", access=access, df=df, counts={"chunks": chunks}, number=number),
                           doc_points(doc_id, "v1", chunks, access=access))


def test_views_count_each_access_level_once(tmp_path):
    with EdgeStore(str(tmp_path / "data")) as store:
        _doc(store, "P1", "public", {"lương": 2, "a:lương": 2, "kế": 1}, 3, "01-KH/TU")
        _doc(store, "P2", "public", {"lương": 1, "hoạch": 4}, 4, "02-KH/TU")
        _doc(store, "I1", "internal", {"lương": 5, "mật": 1}, 6, "01-QĐ/TU")
        stats = TermStats(store, ttl=None)
        pub, all_ = ["public"], ["public", "internal"]
        assert [stats.df(t, pub) for t in ("lương", "a:lương", "kế", "hoạch", "mật")] == [3, 2, 1, 4, 0]
        assert [stats.df(t, all_) for t in ("lương", "a:lương", "kế", "hoạch", "mật")] == [8, 2, 1, 4, 1]
        assert stats.idf("lương", pub) != stats.idf("lương", all_)
        # the numbers a question may name: the internal document only for the insider, catalog order kept
        assert [d.doc_id for d in stats._view(pub).by_lead["1"]] == ["P1"]
        assert [d.doc_id for d in stats._view(all_).by_lead["1"]] == ["I1", "P1"]
        assert stats._view(pub).n == 7 and stats._view(all_).n == 13
        # a write invalidates: the next read sums again
        store.delete_document("I1")
        stats.invalidate()
        assert stats.df("lương", all_) == 3 and stats.df("mật", all_) == 0


def test_no_internal_documents_share_one_table(tmp_path):
    with EdgeStore(str(tmp_path / "data")) as store:
        _doc(store, "P1", "public", {"lương": 2}, 2, "")
        stats = TermStats(store, ttl=None)
        assert stats._view(["public"]).df is stats._view(["public", "internal"]).df
        assert stats.df("lương", ["public", "internal"]) == 2


def test_counts_kept_beside_the_store_for_the_next_start(tmp_path):
    import json

    from service.retrieval.stats import SIDECAR

    data = str(tmp_path / "data")
    with EdgeStore(data) as store:
        _doc(store, "P1", "public", {"lương": 2, "kế": 1}, 3, "01-KH/TU")
        _doc(store, "I1", "internal", {"lương": 5}, 6, "01-QĐ/TU")
        assert TermStats(store, ttl=None).df("lương", ["public", "internal"]) == 7
        path = store.sidecar_path(SIDECAR)
        key = store.state_key()
    saved = json.loads(open(path, encoding="utf-8").read())
    assert saved["key"] == key and saved["value"]["internal"]["df"] == {"lương": 5}
    # The next start reads the file (shown by a count changed in it) while the documents are the same…
    saved["value"]["public"]["df"]["kế"] = 40
    open(path, "w", encoding="utf-8").write(json.dumps(saved))
    with EdgeStore(data) as store:
        assert store.state_key() == key
        stats = TermStats(store, ttl=None)
        assert stats.df("kế", ["public"]) == 40 and stats._view(["public"]).n == 3
        assert [d.doc_id for d in stats._view(["public", "internal"]).by_lead["1"]] == ["I1", "P1"]
        # …and counts again once they changed
        store.delete_document("I1")
        assert store.state_key() != key
        stats.invalidate()
        assert stats.df("kế", ["public"]) == 1 and stats.df("lương", ["public", "internal"]) == 2
    with EdgeStore(data) as store:
        assert TermStats(store, ttl=None).df("kế", ["public"]) == 1



def test_a_concession_is_never_read_in_folded_dau():
    from service.retrieval.stats import _CONCESSION

    assert _CONCESSION.search("bao cao 6 thang dau nam gom gi") is None  # "đầu", not "dẫu"
    assert _CONCESSION.search("có được miễn không, dù có khó khăn?") is not None


def test_words_of_asking_typed_as_such_are_never_unseen_subjects(tmp_path):
    from service.config import Settings
    from service.knowledge import KnowledgeBase
    from service.retrieval.query import parse_question

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "03-HD-BTGHU.txt").write_text(
        "BAN TUYÊN GIÁO HUYỆN ỦY ĐỒI MÂY\n\nSố 03-HD/BTGHU\n\nĐồi Mây, ngày 02 tháng 3 năm 2030\n\nHƯỚNG DẪN\n"
        "tuyên truyền phòng, chống sạt lở\n\n1. Tuyên truyền dấu hiệu sạt lở đất: vết nứt trên mặt đất, cây cối nghiêng đổ.\n",
        "utf-8")
    with KnowledgeBase(Settings(data_dir=tmp_path / "data")) as kb:
        assert not kb.ingest_paths([folder]).errors
        q = parse_question("Dấu hiệu sạt lở mà hướng dẫn nêu là gì?")
        assert "nêu" not in kb.retriever.stats.unseen(q, ["public"])
        assert "lũ" in kb.retriever.stats.unseen(parse_question("Dấu hiệu lũ là gì?"), ["public"])
