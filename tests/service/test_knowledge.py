"""KnowledgeBase.ingest_paths: a folder prepared in worker processes and written in groups stores
exactly what storing its files one by one stores (real parser, real embedded Qdrant Edge stores)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from service.config import Settings
from service.knowledge import KnowledgeBase
from support.dumps import dumps_of
from support.folders import mixed_folder, plan

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"


def _folder(root: Path) -> Path:
    """The shipped corpus, a mixed office folder (docx, legacy encodings, rtf, a picture that is
    refused), and files whose outcome depends on an earlier file of the same folder: one document
    twice (unchanged the second time), one internal document changed in a later file of the same
    name that does not say its access (it keeps the stored one), and one changed in a file of
    another name (refused: that needs --replace)."""
    folder = root / "in"
    shutil.copytree(CORPUS, folder / "a-corpus")
    (folder / "b-mixed").mkdir()
    mixed_folder(folder / "b-mixed", 21, rtf=1)
    first, later = folder / "c-first", folder / "d-later"
    first.mkdir()
    later.mkdir()
    (first / "1-plan.txt").write_text(plan(900), encoding="utf-8")
    (first / "2-same-plan.txt").write_text(plan(900), encoding="utf-8")
    (first / "ke-hoach.md").write_text("---\naccess: internal\n---\n" + plan(901), encoding="utf-8")
    (later / "ke-hoach.md").write_text(plan(901).replace("học tập", "học tập, thảo luận"), encoding="utf-8")
    (first / "3-plan.txt").write_text(plan(902), encoding="utf-8")
    (later / "3-renamed.txt").write_text(plan(902).replace("học tập", "nghiên cứu"), encoding="utf-8")
    return folder


def _ingest(data: Path, folder: Path, **settings) -> tuple[list[dict], dict, list]:
    told: list = []
    with KnowledgeBase(Settings(data_dir=data, **settings)) as kb:
        report = kb.ingest_paths([folder], progress=told.append)
        dumps = dumps_of(kb.store)
        workers = kb.last_ingest_workers
    return [vars(i) for i in report.items], dumps, [(p.done, p.total, p.chars, p.item.source) for p in told], workers


def _one_by_one(data: Path, folder: Path) -> tuple[list[dict], dict]:
    """The reference: each file through ingest_paths alone (its own write), in the folder's order."""
    from ingest.readers import iter_sources

    items = []
    with KnowledgeBase(Settings(data_dir=data, ingest_workers=1)) as kb:
        for path in iter_sources([folder]):
            items += [vars(i) for i in kb.ingest_paths([path]).items]
        dumps = dumps_of(kb.store)
    return items, dumps


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("parallel")
    folder = _folder(root)
    return {
        "one_by_one": _one_by_one(root / "one", folder),
        "serial": _ingest(root / "serial", folder, ingest_workers=1),
        "parallel": _ingest(root / "parallel", folder, ingest_workers=2),
        "folder": folder,
        "root": root,
    }


def test_parallel_ingest_stores_what_one_file_at_a_time_stores(runs):
    ref_items, ref_dumps = runs["one_by_one"]
    for name in ("serial", "parallel"):
        items, dumps, _, _ = runs[name]
        assert items == ref_items, name
        assert dumps == ref_dumps, name  # catalog entries, point ids, payloads, sparse vectors
    by_source = {}
    for i in ref_items:
        by_source.setdefault(i["source"], []).append(i)
    assert [i["status"] for i in by_source["ke-hoach.md"]] == ["added", "updated"]
    assert by_source["2-same-plan.txt"][0]["status"] == "unchanged"
    assert by_source["3-renamed.txt"][0]["code"] == "replace_required"
    assert by_source["0020-anh.png"][0]["code"] == "unsupported"
    assert sum(i["status"] == "added" for i in ref_items) == 6 + 20 + 3
    # The later file that says nothing of its access was stored with the internal access of the first.
    internal = [cat for cat, _ in ref_dumps.values() if cat.get("access") == "internal"]
    assert len(internal) == 1 and "thảo luận" in internal[0]["text"]


def test_parallel_ingest_uses_workers_and_tells_progress_in_order(runs):
    items, _, told, workers = runs["parallel"]
    assert workers == 2
    assert [t[0] for t in told] == list(range(1, len(items) + 1))
    assert [t[3] for t in told] == [i["source"] for i in items]
    assert all(t[1] == len(items) for t in told)
    chars = [t[2] for t in told]
    assert chars == sorted(chars) and chars[-1] > 0


def test_rerun_in_parallel_is_the_serial_rerun(runs, tmp_path):
    """A second ingest of the folder over what the first stored: the same outcome either way (most
    files are known by their name and bytes and not read again)."""
    got = {}
    for workers in (1, 2):
        data = tmp_path / f"again-{workers}"
        shutil.copytree(runs["root"] / "parallel", data)
        items, dumps, _, _ = _ingest(data, runs["folder"], ingest_workers=workers)
        got[workers] = (items, dumps)
    assert got[1] == got[2]
    assert sum(i["status"] == "unchanged" for i in got[2][0]) >= 29


def test_group_write_flushes_per_group_not_per_document(tmp_path, monkeypatch):
    """Twelve documents in groups of five: three groups, three flushes each (the store's protocol),
    instead of three per document."""
    import service.knowledge as knowledge
    from service.store.edge import EdgeStore

    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(1, 13):
        (folder / f"{n:02d}.txt").write_text(plan(n), encoding="utf-8")
    monkeypatch.setattr(knowledge, "GROUP_DOCS", 5)
    flushes = []
    real = EdgeStore._engine_flush
    monkeypatch.setattr(EdgeStore, "_engine_flush", lambda self: (flushes.append(1), real(self))[1])
    with KnowledgeBase(Settings(data_dir=tmp_path / "data", ingest_workers=1)) as kb:
        report = kb.ingest_paths([folder])
        assert [i.status for i in report.items] == ["added"] * 12
        assert kb.store.stats()["documents"] == 12
    assert len(flushes) == 3 * 3


def _citing(number: str, cited: str, day: int) -> str:
    return f"""---
number: {number}
type: Kế hoạch
issued: 2024-03-{day:02d}
issuer: Ban Thường vụ Tỉnh ủy
---
KẾ HOẠCH
Thực hiện Chỉ thị số {cited} ngày 01/02/2024 của Ban Bí thư

1. Các chi bộ phải quán triệt Chỉ thị số {cited} trước ngày 30/04/2024.
"""


def test_missing_references_are_kept_until_a_write_and_list_each_citer_once(tmp_path):
    """KnowledgeBase.missing_references (kept per store version; cited_by in citing order, each
    document once however often it cites) is the same before and after a write as read afresh."""
    from service.records import missing_references

    with KnowledgeBase(Settings(data_dir=tmp_path / "data")) as kb:
        for n, day in ((31, 3), (32, 4), (33, 5)):
            text = _citing(f"{n}-KH/TU", "987-CT/TW", day) + "2. Báo cáo việc thực hiện Chỉ thị số 987-CT/TW.\n"
            assert kb.ingest_bytes(text.encode(), f"kh-{n}.md").status == "added"
        missing = kb.missing_references(["public"])
        ref = next(m for m in missing if m["number"] == "987-CT/TW")
        assert len(ref["cited_by"]) == 3 == len(set(ref["cited_by"]))
        assert missing == missing_references(kb.entries(["public"]))  # kept = computed
        # the metadata without references (KnowledgeBase.meta) is the entries less their references
        assert kb.meta(["public"]) == [{k: v for k, v in e.items() if k != "references"} for e in kb.entries(["public"])]
        assert all(any(r["number"] == "987-CT/TW" for r in e["references"]) for e in kb.entries(["public"]))
        directive = ("---\nnumber: 987-CT/TW\ntype: Chỉ thị\nissued: 2024-02-01\nissuer: Ban Bí thư\n---\nCHỈ THỊ\n"
                     "Về công tác học tập\n\n1. Các cấp ủy phải tổ chức học tập.\n")
        assert kb.ingest_bytes(directive.encode(), "ct-987.md").status == "added"
        assert all(m["number"] != "987-CT/TW" for m in kb.missing_references(["public"]))
        assert kb.documents()[1] == kb.missing_references(["public"])
