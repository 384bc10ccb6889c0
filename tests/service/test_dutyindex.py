"""The duty index selects exactly what testing every duty selects: the duties a role binds, the duties
a topic's words can match, the duties due in a window, the actors the role picker offers, the
obligations list's filters — on real documents ingested into a real embedded store, some of them
internal; and it is kept beside the store for the documents it was built from."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
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


def test_the_index_holds_what_the_window_and_role_answers_read_of_each_duty(kb):
    idx = kb.duty_index()
    every = idx.visible(["public", "internal"])
    months = 0
    for o, d in kb.duty_records(every).items():
        assert bool(idx.recurs[o]) == bool(d.recurrence)
        assert idx.issued[idx.doc[o]] == d.doc.issued
        rule = (d.deadline or {}).get("rrule")
        if idx.month_rule[o] >= 0:
            months += 1
            assert not (d.due_start or d.due_end) and idx.rrule(o) == rule and "BYMONTHDAY" not in rule
        elif rule and not (d.due_start or d.due_end):
            assert "BYMONTH=" not in rule or "BYMONTHDAY" in rule  # a rule due_days gives no day to
    assert idx.month_ruled(every).size == months


@pytest.mark.parametrize("window,months", [
    ((date(2024, 1, 1), date(2025, 12, 31)), (6, 12)), ((date(2025, 1, 1), date(2025, 12, 31)), (3, 9)),
    ((date(2024, 1, 1), date(2024, 12, 31)), None)])
def test_a_window_of_two_times_keeps_the_days_in_either(kb, window, months):
    # "tháng 6 và tháng 12": TimeWindow.holds keeps the days of the two months, not of the months between
    start, end = window
    holds = None if months is None else (lambda x: x.month in months)
    idx = kb.duty_index()
    every = idx.visible(["public", "internal"])
    got = _falling_due(idx, every, start, end, holds)
    want = {}
    for o, d in kb.duty_records(every).items():
        days = [x for x in due_days(d.deadline, d.due_start, d.due_end, start, end, until=period_end(d.doc.title))
                if holds is None or holds(x)]
        if days:
            want[o] = days[0]
    assert got == want and want


# -- the index and the store's life: replacement, deletion, a crash, a restore, a server --------------


def _fresh(store) -> DutyIndex:
    from service.dutyindex import FIELDS

    return DutyIndex.build(store.records(StoreFilter(records=["obligation"], access=None), fields=FIELDS))


def _assert_same(idx: DutyIndex, want: DutyIndex) -> None:
    a, b = idx.arrays(), want.arrays()
    assert a.keys() == b.keys()
    for k in a:
        assert np.array_equal(np.asarray(a[k]), np.asarray(b[k])), k


def _live_ids(store) -> list[str]:
    return [pid for page in store.records(StoreFilter(records=["obligation"], access=None), fields=["doc_id"])
            for pid, _ in page]


def _of_the_store(kb) -> DutyIndex:
    idx = kb.duty_index()
    _assert_same(idx, _fresh(kb.store))
    assert [idx.point_id(o) for o in range(idx.n)] == _live_ids(kb.store)
    return idx


def test_a_replaced_or_deleted_document_leaves_the_index_in_memory_and_beside_the_store(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for f in SOURCES[1].iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    data = tmp_path / "data"
    with KnowledgeBase(Settings(data_dir=data)) as kb:
        assert not kb.ingest_paths([folder]).errors
        kb.keep_caches()
        before = _of_the_store(kb)
        docs = {e["doc_id"]: e for e in kb.entries(["public"])}
    with KnowledgeBase(Settings(data_dir=data)) as kb:
        _of_the_store(kb)  # read back from beside the store
        # a new version of one document: every point id of it new
        target = folder / "102-KH-DU-2025-khoi-co-quan.txt"
        target.write_text(target.read_text(encoding="utf-8").replace(" và ", " cùng "), encoding="utf-8")
        report = kb.ingest_paths([folder])
        assert [i.status for i in report.items].count("updated") == 1, report.to_json()
        replaced = next(i.doc_id for i in report.items if i.status == "updated")
        after = _of_the_store(kb)
        old = {before.point_id(o) for o in range(before.n) if before.doc_id(o) == replaced}
        new = {after.point_id(o) for o in range(after.n) if after.doc_id(o) == replaced}
        assert old and new and not old & new
        # a deleted document: none of its duties
        gone = next(d for d in docs if d != replaced)
        assert kb.delete(gone)
        left = _of_the_store(kb)
        assert gone not in {left.doc_id(o) for o in range(left.n)} and left.n < after.n
        assert all(d.doc.doc_id != gone for d in kb.duty_records(range(left.n)).values())
        assert not [o for o in kb.obligations(scopes=("internal",)) if o["citation"]["doc_id"] == gone]
    with KnowledgeBase(Settings(data_dir=data)) as kb:  # the next start reads the last one kept
        _assert_same(kb.duty_index(), left)
        _of_the_store(kb)


def test_damaged_or_older_kept_indexes_are_rebuilt(tmp_path):
    from service.dutyindex import FORMAT

    with KnowledgeBase(Settings(data_dir=tmp_path)) as kb:
        assert not kb.ingest_paths([SOURCES[1]]).errors
        kb.keep_caches()
    shard = tmp_path / "shard"
    arrays = sorted(shard.glob(f"{SIDECAR[:-4]}-{FORMAT}.npz.*.npy"))
    assert arrays
    # an index kept in an older format, and one of the kept arrays cut short (a crash of the disk)
    (shard / f"{SIDECAR[:-4]}-{FORMAT - 1}.npz").write_bytes(b"older")
    biggest = max(arrays, key=lambda p: p.stat().st_size)
    biggest.write_bytes(biggest.read_bytes()[: biggest.stat().st_size // 2])
    with KnowledgeBase(Settings(data_dir=tmp_path)) as kb:
        _of_the_store(kb)
    assert not (shard / f"{SIDECAR[:-4]}-{FORMAT - 1}.npz").exists()  # the rebuilt one replaced it
    with KnowledgeBase(Settings(data_dir=tmp_path)) as kb:
        _of_the_store(kb)


def test_an_ingest_killed_at_any_moment_leaves_an_index_of_the_live_duties(tmp_path):
    import os
    import random
    import signal
    import subprocess
    import time

    from support.cli import ROOT as REPO, child_env
    from support.crash import child_cmd, make_versions

    seed = int(os.environ.get("SOTAY_CRASH_SEED") or time.time_ns() % 1_000_000)
    rng = random.Random(seed)
    a, b = make_versions(tmp_path / "versions", SOURCES[1])
    data = tmp_path / "data"
    t0 = time.monotonic()
    # `sotay ingest` ends by keeping the index beside the store
    r = subprocess.run(child_cmd(["ingest", str(a)]), cwd=REPO, env=child_env(data), capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stderr
    whole = time.monotonic() - t0
    with KnowledgeBase(Settings(data_dir=data)) as kb:
        _of_the_store(kb)
    killed = 0
    for run in range(6):
        folder = (b, a)[run % 2]
        if run % 3 == 0:  # at a store write
            n, when = rng.randint(1, 18), rng.choice(("before", "after"))
            r = subprocess.run(child_cmd(["ingest", str(folder)], n, when), cwd=REPO, env=child_env(data),
                               capture_output=True, text=True, timeout=600)
            killed += r.returncode == -signal.SIGKILL
        else:  # by the clock, late in the run: where the index is built and written
            p = subprocess.Popen(child_cmd(["ingest", str(folder)]), cwd=REPO, env=child_env(data),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                p.wait(timeout=rng.uniform(0.6, 1.0) * whole)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
                killed += 1
        with KnowledgeBase(Settings(data_dir=data)) as kb:
            _of_the_store(kb)
    assert killed, f"seed {seed}"


def test_a_restore_brings_back_the_index_of_the_restored_documents(tmp_path):
    from service.backup import backup, restore

    data = tmp_path / "data"
    with KnowledgeBase(Settings(data_dir=data)) as kb:
        assert not kb.ingest_paths([SOURCES[1]]).errors
        kb.keep_caches()
        saved = _of_the_store(kb)
    f = tmp_path / "b.jsonl.gz"
    backup(Settings(data_dir=data), f)
    with KnowledgeBase(Settings(data_dir=data)) as kb:
        assert not kb.ingest_paths([INTERNAL]).errors
        kb.keep_caches()
        assert _of_the_store(kb).n > saved.n
    restore(Settings(data_dir=data), f, force=True)
    with KnowledgeBase(Settings(data_dir=data)) as kb:
        _assert_same(_of_the_store(kb), saved)


def test_a_server_store_gives_the_same_index_and_keeps_none(kb, tmp_path):
    """qdrant-client's local mode standing in for a server: the index of the same documents, none
    kept beside it (other replicas write too), and another replica's write seen by the next one."""
    from service.store import ServerStore, qdrant_client

    server = ServerStore("local", client=qdrant_client(path=str(tmp_path / "local")))
    try:
        docs = {e["doc_id"] for e in kb.entries(["public", "internal"])}
        first = sorted(docs)[:-1]
        from service.store.backup import BackupReader, write_backup

        f = tmp_path / "b.jsonl.gz"
        with open(f, "wb") as out:
            write_backup(kb.store, out)
        with BackupReader(f) as r:
            dumps = {d.catalog["doc_id"]: d for d in r.documents()}
        for d in first:
            assert server.import_document(dumps[d])
        idx = DutyIndex.of_store(server)
        assert server.state_key() is None and server.derived_arrays(f"{SIDECAR[:-4]}-x.npz", "k") is None
        edge = kb.duty_index()
        want = [edge.point_id(o) for o in range(edge.n) if edge.doc_id(o) in first]
        assert [idx.point_id(o) for o in range(idx.n)] == want == _live_ids(server)
        _assert_same(idx, _fresh(server))
        last = sorted(docs)[-1]
        assert server.import_document(dumps[last])
        grown = DutyIndex.of_store(server)
        assert [grown.point_id(o) for o in range(grown.n)] == [edge.point_id(o) for o in range(edge.n)]
        assert sorted(grown.docs) == sorted(edge.docs)
    finally:
        server.close()


def test_the_start_of_a_word_finds_every_duty_holding_a_word_that_starts_so(kb):
    idx = kb.duty_index()
    every = idx.visible(["public", "internal"])
    records = kb.duty_records(every)
    for prefix in ("kie", "dan", "bao", "chuyen", "xyz"):
        want = {o for o, d in records.items()
                if any(w.startswith(prefix) for w in set(syllables(duty_text(d.section_title, d.quote))) - STOP_SYLLABLES)}
        assert set(idx.starting(prefix, every).tolist()) == want, prefix
