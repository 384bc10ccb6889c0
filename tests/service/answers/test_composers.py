"""Answers on the real store with the shipped corpus: where each quote is cited, and honesty about
numbered sections the stored text does not contain."""
from __future__ import annotations

import pytest

from service.answers import answer_question

QUESTIONS = [
    "Chương I của Quy định 124 gồm những gì?",
    "Điều 8 Quy định 124 quy định gì?",
    "Điều 1 Quy định 144 nói gì?",
    "Chuẩn mực đạo đức cách mạng đầu tiên theo Quy định 144 là gì?",
    "Việc tổ chức cưới hỏi, ma chay của cán bộ, đảng viên phải thực hiện như thế nào?",
    "Hạn hoàn thành xây dựng kế hoạch tập thể thực hiện Kết luận 01 năm 2024 là khi nào?",
    "tôi là bí thư chi bộ, tôi phải làm gì?",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_quote_is_cited_by_the_section_it_stands_in(kb, question):
    ans = answer_question(kb, question)
    assert ans["kind"] != "none", ans["answer"]
    docs: dict[str, dict] = {}
    for c in ans["citations"]:
        doc = docs.setdefault(c["doc_id"], kb.document(c["doc_id"]))
        assert doc["text"][c["start"]:c["end"]] == c["quote"]
        if c["section"] is None or c["section"].startswith("footnote"):
            continue
        sec = next(s for s in doc["sections"] if s["path"] == c["section"])
        assert sec["start"] <= c["start"] and c["end"] <= sec["end"], (c["section"], c["quote"][:60])
        assert c["section_title"] == sec["title"]


def test_a_heading_without_text_is_not_cited_as_part_of_the_next_article(corpus_docs):
    """124-QĐ/TW (an excerpt) has "Điều 2. Mục đích giám sát" with no body, then "Điều 8.": a chunk
    may open with the headings of its section's ancestors, never with another section's."""
    for doc in corpus_docs.values():
        for ch in doc.chunks:
            sec = doc.section(ch.section)
            if sec is None or ch.start >= sec.start:
                continue
            before = [s for s in doc.sections if ch.start <= s.start < sec.start]
            assert all(s.end >= sec.end for s in before), (doc.number, ch.section, [s.path for s in before])
    assert any(ch.section == "Điều 2" for ch in corpus_docs["124-QĐ/TW"].chunks)


def test_a_named_section_the_stored_text_lacks_is_said_to_be_missing(kb):
    ans = answer_question(kb, "Điều thứ hai của Quy định 144 nói gì?")
    assert ans["kind"] == "none" and ans["citations"] == []
    assert "144-QĐ/TW" in ans["answer"] and "Điều 2" in ans["answer"]
    ans = answer_question(kb, "chuong 2 quy dinh 124")
    assert ans["kind"] == "none" and "Chương II" in ans["answer"]


def test_a_named_section_is_answered_from_that_section(kb):
    ans = answer_question(kb, "Điều 1 Quy định 144 nói gì?")
    assert ans["kind"] == "passages"
    assert all(c["doc_number"] == "144-QĐ/TW" and c["section"].startswith("Điều 1") for c in ans["citations"])
    assert not any(c["quote"].strip() in ("Điều 1.", "Điều 1") for c in ans["citations"])


def test_a_role_question_about_one_subject_lists_only_the_duties_about_it(kb):
    ans = answer_question(kb, "Tôi là bí thư chi bộ thôn, hạn nộp kế hoạch cá nhân của tôi là khi nào?")
    assert ans["kind"] == "obligations" and ans["obligations"]
    sections = [o["citation"]["section"] for o in ans["obligations"]]
    assert "II.2.1" not in sections  # the collective plan is not what was asked
    assert sections.count("II.2.2") > len(sections) / 2  # "Kế hoạch cá nhân"
    assert ans["obligations"][0]["deadline"]["end"] == "2024-01-31"


def test_a_role_sees_the_duties_of_the_body_it_works_for(kb):
    ans = answer_question(kb, "Tôi là giảng viên Trường Chính trị tỉnh, tôi cần làm gì?")
    # actors as the text writes them ("trường Chính trị tỉnh" in a list of schools)
    assert any("trường chính trị tỉnh" in [a.lower() for a in o["actors"]] and "giảng dạy" in o["action"]
               for o in ans["obligations"])


def test_every_exception_line_is_cited_by_the_text_that_states_it(kb):
    import re

    ans = answer_question(kb, "Tôi là bí thư chi bộ thôn, tôi có phải xây dựng kế hoạch cá nhân không?")
    by_n = {c["n"]: c for c in ans["citations"]}
    lines = [ln for ln in ans["answer"].splitlines() if ln.strip().startswith("Ngoại lệ:")]
    assert lines, ans["answer"]
    for line in lines:
        marks = re.findall(r"\[(\d+)\]", line)
        assert marks, line  # every statement carries its marker
        text = line.split("Ngoại lệ:", 1)[1].rsplit("[", 1)[0].strip().strip("“”")
        assert any(text in by_n[int(n)]["quote"] for n in marks), line
    assert any(c["section"] == "footnote 2" for c in ans["citations"])
    assert sorted(by_n) == list(range(1, len(by_n) + 1))  # one number per quoted span, no gaps


def test_quotes_of_recognised_text_say_so(tmp_path):
    """A scanned document's text is recognised, not typed: every citation of it is marked, and the
    answer names it as a scan."""
    from ingest.readers import RawDocument
    from ingest.readers.base import Provenance
    from service.config import Settings
    from service.knowledge import KnowledgeBase

    text = ("HUYỆN ỦY AN LẠC\nSố 7-TB/HU\n\nAn Lạc, ngày 02 tháng 4 năm 2025\n\nTHÔNG BÁO\nkết luận của Ban Thường vụ "
            "về công tác dân vận\n\n1. Các chi bộ tổ chức đối thoại với Nhân dân ít nhất một lần trong quý II/2025.\n")
    with KnowledgeBase(Settings(data_dir=tmp_path)) as kb:
        kb.ingest_raw(RawDocument("scan.pdf", "pdf", text, None, Provenance(source="ocr", ocr_confidence=0.91)))
        ans = answer_question(kb, "Các chi bộ phải tổ chức đối thoại với Nhân dân khi nào?")
        assert ans["citations"] and all(c.get("recognised") is True for c in ans["citations"])
        assert "bản quét" in ans["answer"]


def test_a_pointer_to_the_document_just_asked_about_is_that_document(kb):
    """"Quy định đó" after a clause about Quy định 55 is Quy định 55, and what citing documents say of
    it (its issuer) answers the second clause."""
    ans = answer_question(kb, "Quy định 55 mà Kế hoạch 222 trích dẫn tại chú thích 1 yêu cầu gì về việc tổ chức "
                              "cưới hỏi? Quy định đó do cơ quan nào ban hành?")
    assert "Bộ Chính trị" in ans["reply"], ans["answer"]
    assert any("cưới hỏi" in c["quote"] and c["doc_number"] == "55-QĐ/TW" for c in ans["citations"])


def test_a_clause_describing_a_document_by_its_issuer_is_asked_of_that_document(kb):
    """"…; Điều 1 trong văn bản của Bộ Chính trị …": the document the question describes (its issuer
    and the previous clause's words), not the plan named before."""
    ans = answer_question(kb, "Kế hoạch 222 nhắc tới chuẩn mực đạo đức cách mạng của cán bộ, đảng viên; Điều 1 trong "
                              "văn bản của Bộ Chính trị về các chuẩn mực đó nói gì?")
    assert any(c["doc_number"] == "144-QĐ/TW" and (c["section"] or "").startswith("Điều 1") for c in ans["citations"]), ans["answer"]
    assert not any(c["doc_number"] == "144-QĐ/TW" and (c["section"] or "").startswith("Điều 2") for c in ans["citations"])


MONTHLY_PLAN = """HUYỆN ỦY BẮC LÂM
Số 12-KH/HU

ĐẢNG CỘNG SẢN VIỆT NAM

Bắc Lâm, ngày 10 tháng 01 năm 2025

KẾ HOẠCH
kiểm tra, giám sát năm 2025

I. NHIỆM VỤ

1. Ủy ban Kiểm tra Huyện ủy báo cáo Ban Thường vụ Huyện ủy tiến độ kiểm tra hằng tháng, trước ngày 25.

2. Ban Tổ chức Huyện ủy hoàn thành rà soát quy hoạch trước ngày 30/6/2025.
"""


def test_a_monthly_duty_falls_due_in_every_month_of_a_window(tmp_path):
    from service.config import Settings
    from service.knowledge import KnowledgeBase

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "12-KH-HU-2025-bac-lam.txt").write_text(MONTHLY_PLAN, "utf-8")
    kb = KnowledgeBase(Settings(data_dir=tmp_path / "data"))
    try:
        assert not kb.ingest_paths([folder]).errors
        ans = answer_question(kb, "Tháng 9/2025 theo kế hoạch 12 phải làm những việc gì?")
        assert ans["kind"] == "obligations"
        # the rule as written, and the day it falls due in the month asked: the 25th is excluded
        assert "hằng tháng, trước ngày 25" in ans["answer"] and "hạn cuối 24/09/2025" in ans["answer"]
        assert "30/6/2025" not in ans["answer"]  # due before the window
    finally:
        kb.close()


def test_a_rhythm_written_apart_from_its_day_is_said_with_it():
    from service.answers.compose import deadline_phrase

    d = {"text": "trước ngày 25", "start": None, "end": "2027-03-25", "exclusive_end": True,
         "class": "recurring", "rrule": "FREQ=MONTHLY;BYMONTHDAY=25"}
    assert deadline_phrase(d, "hằng tháng").startswith("hằng tháng, trước ngày 25")
    d2 = dict(d, text="trước ngày 25 hằng tháng")
    assert deadline_phrase(d2, "hằng tháng").startswith("trước ngày 25 hằng tháng")
