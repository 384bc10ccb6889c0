"""Ranked search on the real embedded store with the shipped corpus."""
from __future__ import annotations

import json

import pytest

from conftest import ROOT, SHARED_EVAL
from ingest.normalize import key
from service.errors import UserError


def load_questions(path) -> list[dict]:
    return [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]


def first_hit_rank(texts: list[str], evidence: list[str]) -> int | None:
    """Rank (from 1) of the first text holding an evidence string, compared as ../shared/eval says."""
    return next((r for r, t in enumerate(texts, 1) if any(key(e) in key(t) for e in evidence)), None)


EXTRA = ROOT / "eval" / "questions" / "extra.jsonl"  # our own questions on the other documents


@pytest.mark.parametrize("questions", [SHARED_EVAL / "questions.jsonl", EXTRA])
def test_quality_bar_on_dev_questions(kb, questions):
    qs = [q for q in load_questions(questions) if q.get("evidence")]
    ranks = [first_hit_rank([h.text for h in kb.search(q["question"], k=10)], q["evidence"]) for q in qs]
    top5 = sum(1 for r in ranks if r is not None and r <= 5)
    top1 = sum(1 for r in ranks if r == 1)
    assert top5 == len(qs) and top1 >= len(qs) - 2, ranks


def test_ordinals_and_numbered_sections_are_understood():
    from service.retrieval.query import parse_question

    q = parse_question("Điều thứ hai của Quy định 144 nói gì?")
    assert (q.ordinal, [(r.kind, r.number) for r in q.sections], [(n.number, n.code) for n in q.named]) == (
        2, [("article", "2")], [("144", "qd")])
    assert [(r.kind, r.number) for r in parse_question("chuong thu ba quy dinh nhung gi").sections] == [("chapter", "III")]
    assert parse_question("Chuẩn mực đạo đức đầu tiên là gì?").ordinal == 1


@pytest.mark.parametrize("question", ["Ý đầu tiên của Quy định 144 là gì?", "QĐ 144 điều đầu tiên"])
def test_an_ordinal_in_a_named_document_finds_that_numbered_item(kb, question):
    # Few of these words are in the item itself: the named document's numbering has to decide.
    top = kb.search(question, k=3)[0]
    assert top.doc_number == "144-QĐ/TW" and top.section.startswith("Điều 1"), (top.doc_number, top.section)


def test_a_deadline_question_ranks_the_dated_sentence_of_its_section_first(kb):
    # 222-KH/TU II.2.1 opens with the words of the question and ends with the date it asks for.
    top = kb.search("Kế hoạch tập thể thực hiện Kết luận 01 phải xây dựng xong khi nào?", k=3)[0]
    assert top.section == "II.2.1" and "15/01/2024" in top.text, (top.section, top.text[:80])


def test_without_diacritics_finds_the_same_passages(kb):
    a = [h.chunk_id for h in kb.search("hạn chót nộp kế hoạch cá nhân", k=5)]
    b = [h.chunk_id for h in kb.search("han chot nop ke hoach ca nhan", k=5)]
    assert a[0] == b[0] and len(set(a) & set(b)) >= 3


def test_passages_are_document_text(kb):
    hits = kb.search("trách nhiệm nêu gương", k=10)
    texts = {}
    for h in hits:
        doc = texts.setdefault(h.doc_id, kb.document(h.doc_id)["text"])
        assert doc[h.start:h.end] == h.text
        assert set(h.to_json()) == {"chunk_id", "doc_id", "doc_number", "doc_title", "section", "section_title",
                                     "text", "start", "end", "score"}


def test_filters(kb):
    hits = kb.search("nêu gương", k=20, doc="55-QĐ/TW")
    assert hits and {h.doc_number for h in hits} == {"55-QĐ/TW"}
    hits = kb.search("nêu gương", k=20, type_="Kế hoạch")
    assert hits and {h.doc_number for h in hits} == {"222-KH/TU"}
    with pytest.raises(UserError) as e:
        kb.search("nêu gương", doc="999-KH/TU")
    assert e.value.status == 404
    for bad in ("", "   ", "x" * 2001):
        with pytest.raises(UserError):
            kb.search(bad)
    with pytest.raises(UserError):
        kb.search("nêu gương", k=0)


def test_cached_payloads_are_the_stored_ones_and_cannot_be_spoiled_by_a_caller(kb):
    """The embedded store serves query payloads from a cache by point id: what comes back must equal
    the stored payload, and a caller editing its copy must not change the next answer."""
    from service.retrieval.query import parse_question
    from service.store import StoreFilter

    lk = kb.retriever.lookup(parse_question("kế hoạch cá nhân"), ["public"])
    flt = StoreFilter(access=["public"])
    first = kb.retriever.candidates(lk, flt, 10)
    stored = {p["chunk_id"]: p for p in kb.store.scroll(flt)}
    for h in first:
        assert h.payload == stored[h.payload["chunk_id"]]
        h.payload["text"] = "đã bị sửa"
    again = kb.retriever.candidates(lk, flt, 10)
    assert [h.id for h in again] == [h.id for h in first]
    assert all(h.payload["text"] == stored[h.payload["chunk_id"]]["text"] for h in again)
