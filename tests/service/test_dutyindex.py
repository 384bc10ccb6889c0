"""The duty index selects exactly what testing every duty selects: the duties a role binds, the duties
a topic's words can match, the duties due in a window, the actors the role picker offers, the
obligations list's filters — on real documents ingested into a real embedded store, some of them
internal; and it is kept beside the store for the documents it was built from."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from ingest.actors import binds, role_names
from ingest.tokenize import syllables
from service.answers.duties import _falling_due
from service.answers.period import period_end
from service.config import Settings
from service.dutyindex import SIDECAR, DutyIndex, duty_text
from service.knowledge import KnowledgeBase
from service.retrieval.cues import STOP_SYLLABLES
from service.retrieval.scoring import text_match
from service.retrieval.timewindow import due_days
from service.store.types import StoreFilter

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "corpus", ROOT.parent / "shared" / "eval" / "corpus-dev"]
INTERNAL = ROOT / "eval" / "corpus-heldout2"  # ingested as internal documents
LEVELS = (["public"], ["public", "internal"])


def _key(d) -> tuple:
    return (d.doc.doc_id, d.id, d.start, d.end)


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    data = tmp_path_factory.mktemp("dutyindex")
    kb = KnowledgeBase(Settings(data_dir=data))
    try:
        assert not kb.ingest_paths(SOURCES).errors
        for f in sorted(INTERNAL.iterdir()):
            item = kb.ingest_bytes(f.read_bytes(), f.name, access="internal")
            assert item.status == "added", item
        yield kb
    finally:
        kb.close()


def _records(kb, ords) -> list:
    return list(kb.duty_records(ords).values())


def test_the_index_lists_every_stored_duty_in_store_order(kb):
    idx = kb.duty_index()
    for levels in LEVELS:
        every = kb.duties(levels)
        assert len(every) > 50
        assert [_key(d) for d in _records(kb, idx.visible(levels))] == [_key(d) for d in every]
    assert len(kb.duties(["public"])) < len(kb.duties(["public", "internal"]))


def test_a_role_binds_the_duties_binding_tests_one_by_one(kb):
    names = role_names() + kb.role_list(("internal",))[len(role_names()):][:40]
    checked = 0
    for levels in LEVELS:
        for name in names:
            role = kb.role(name, levels=levels)
            if role is None:
                continue
            want = [_key(d) for d in kb.duties(levels) if binds(d.actors, role, d.refs or None)]
            got = [_key(d) for d in _records(kb, kb.bound_duties(role, levels))]
            assert got == want, name
            checked += bool(want)
    assert checked > 20


def test_the_words_of_a_topic_find_every_duty_it_can_match(kb):
    idx = kb.duty_index()
    every = idx.visible(["public", "internal"])
    records = kb.duty_records(every)
    for topic in ("kiểm tra giám sát", "báo cáo kết quả", "học tập và làm theo tư tưởng đạo đức Hồ Chí Minh",
                  "chuyển đổi số", "đơn thư khiếu nại tố cáo", "tổng kết", "xyz không có"):
        words = set(syllables(topic)) - STOP_SYLLABLES  # what a question's terms hold (query_terms)
        found = set(idx.containing(words, every).tolist())
        want = {o for o, d in records.items() if words & set(syllables(duty_text(d.section_title, d.quote)))}
        assert found == want, topic
    assert not idx.containing({"va", "cua"}, every).size  # stop syllables are never a match


def test_a_topic_matches_each_duty_exactly_as_text_match_scores_its_text(kb):
    idx = kb.duty_index()
    every = idx.visible(["public", "internal"])
    records = kb.duty_records(every)
    for topic in ("kiểm tra, giám sát việc thực hiện", "báo cáo kết quả về Ban Thường vụ", "chuyển đổi số",
                  "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", "buổi sinh hoạt chi bộ",
                  "đơn thư khiếu nại, tố cáo", "và của các", "xyz"):
        terms = kb.retriever.stats.terms(topic, ["public", "internal"])
        got = idx.text_match(terms, every)
        want = [text_match(terms, duty_text(records[o].section_title, records[o].quote)) for o in every.tolist()]
        assert got.tolist() == want, topic  # the same floats, not close ones
        if topic == "chuyển đổi số":
            assert max(want) > 1


@pytest.mark.parametrize("window", [
    (date(2024, 1, 1), date(2024, 3, 31)), (date(2024, 4, 1), date(2024, 6, 30)), (date(2025, 1, 1), date(2025, 12, 31)),
    (None, date(2024, 12, 31)), (date(2026, 1, 1), None), (date(2027, 6, 1), date(2027, 6, 30)),
    (date(2023, 1, 1), date(2030, 12, 31))])
def test_a_window_selects_the_duties_due_days_finds_in_it(kb, window):
    start, end = window
    idx = kb.duty_index()
    every = idx.visible(["public", "internal"])
    got = _falling_due(idx, every, start, end)
    want = {}
    for o, d in kb.duty_records(every).items():
        days = due_days(d.deadline, d.due_start, d.due_end, start, end, until=period_end(d.doc.title))
        if days:
            want[o] = days[0]
    assert got == want
    if window == (date(2023, 1, 1), date(2030, 12, 31)):
        assert len(want) > 20 and idx.ruled(every).size  # recurrences with a stated day are among them


def test_the_role_picker_offers_each_actor_once_in_the_order_duties_name_them(kb):
    for levels in LEVELS:
        seen, want = set(), []
        for d in kb.duties(levels):
            for r in d.actor_refs:
                k = json.dumps({f: v for f, v in r.items() if f not in ("start", "end")}, sort_keys=True)
                if k not in seen:
                    seen.add(k)
                    want.append(k)
        got = [json.dumps(r, sort_keys=True) for r in kb.known_actors(levels)]
        assert got == want


def test_the_obligations_list_filters_as_before(kb):
    doc = next(e["doc_id"] for e in kb.entries(["public"]) if (e.get("counts") or {}).get("obligations"))
    number = next(e["number"] for e in kb.entries(["public"]) if e["doc_id"] == doc)
    for role in ("bí thư chi bộ", "đảng viên", None):
        for number_ in (number, None):
            for due_from, due_to in ((date(2024, 1, 1), date(2024, 12, 31)), (None, date(2025, 6, 30)), (None, None)):
                got = kb.obligations(role=role, doc=number_, due_from=due_from, due_to=due_to, scopes=("internal",))
                the_role = kb.role(role, levels=["public", "internal"]) if role else None
                want = []
                for d in kb.duties(["public", "internal"]):
                    if number_ and d.doc.doc_id not in kb.resolve_doc(number_, ("internal",)):
                        continue
                    if the_role is not None and not kb.binds(d, the_role):
                        continue
                    if due_from or due_to:
                        if not d.due_end:
                            continue
                        if due_from and d.due_end < due_from.isoformat():
                            continue
                        if due_to and (d.due_start or d.due_end) > due_to.isoformat():
                            continue
                    want.append(d)
                want.sort(key=lambda d: d.sort_key)
                assert [o["id"] for o in got] == [d.id for d in want], (role, number_, due_from, due_to)


def test_the_index_is_kept_beside_the_store_for_its_documents(tmp_path):
    with KnowledgeBase(Settings(data_dir=tmp_path)) as kb:
        assert not kb.ingest_paths([SOURCES[1]]).errors
        kb.keep_caches()
        first = kb.duty_index()
    kept = list((tmp_path / "shard").glob(f"{SIDECAR[:-4]}-*.npz"))
    assert len(kept) == 1
    with KnowledgeBase(Settings(data_dir=tmp_path)) as kb:
        again = kb.duty_index()
        assert again is not first and again.n == first.n > 0
        assert [again.point_id(o) for o in range(again.n)] == [first.point_id(o) for o in range(first.n)]
        # a write makes another index, with the new document's duties
        assert kb.ingest_paths([SOURCES[0]]).items
        grown = kb.duty_index()
        assert grown.n > first.n
        everything = kb.store.stats()["obligations"]
        assert grown.n == everything == len(list(p for page in kb.store.records(
            StoreFilter(records=["obligation"]), fields=["doc_id"]) for p in page))


def test_an_index_of_nothing_selects_nothing(tmp_path):
    with KnowledgeBase(Settings(data_dir=tmp_path)) as kb:
        idx = kb.duty_index()
        assert idx.n == 0 and not idx.visible(["public"]).size and kb.known_actors(["public"]) == []
        assert kb.obligations(role="bí thư chi bộ") == []
        assert isinstance(DutyIndex.build([]), DutyIndex)
