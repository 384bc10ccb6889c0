"""Ranked search on the real embedded store with the shipped corpus."""
from __future__ import annotations

import json

import pytest

from conftest import SHARED_EVAL
from eval.metrics import first_hit_rank, load_questions
from service.knowledge import UserError


def test_quality_bar_on_dev_questions(kb):
    qs = [q for q in load_questions(SHARED_EVAL / "questions.jsonl") if q.get("evidence")]
    ranks = [first_hit_rank([h.text for h in kb.search(q["question"], k=10)], q["evidence"]) for q in qs]
    top5 = sum(1 for r in ranks if r is not None and r <= 5)
    top1 = sum(1 for r in ranks if r == 1)
    assert top5 >= len(qs) - 1 and top1 >= len(qs) - 4, ranks


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
