"""eval/metrics.py: the normalization of ../shared/eval/README.md and why an answer is wrong."""
from __future__ import annotations

from eval.metrics import (EVIDENCE_NOT_CITED, FALSE_ABSTENTION, answer_correct, answer_failures, first_hit_rank,
                          missing_answer_has, norm, retrieval_summary)

Q = {"id": "q", "question": "Hạn hoàn thành kế hoạch?", "evidence": ["Hoàn thành xây dựng kế hoạch trước ngày 15/01/2024"],
     "answer_has": ["15/01/2024", "tổ chức đảng"]}


def answer(kind="obligations", text="", quotes=(), deadlines=()):
    return {"kind": kind, "answer": text, "citations": [{"n": i + 1, "quote": q} for i, q in enumerate(quotes)],
            "obligations": [{"deadline": d} for d in deadlines]}


def test_norm_folds_tone_placement_case_space_and_stars():
    assert norm("  Hoá   **Thuỷ**\nlợi ") == norm("hóa thủy lợi") == "hóa thủy lợi"


def test_a_right_answer_has_no_failure():
    a = answer(text="Các tổ chức đảng hoàn thành [1]", quotes=["Hoàn thành xây dựng kế hoạch trước ngày 15/01/2024."])
    assert answer_failures(a, Q) == []
    assert answer_correct(a, Q)


def test_answer_has_strings_count_in_quotes_and_deadlines_too():
    a = answer(text="tổ chức đảng [1]", quotes=["Hoàn thành xây dựng kế hoạch trước ngày 15/01/2024."],
               deadlines=[{"text": "trước ngày 15/01/2024", "end": "2024-01-15"}])
    assert missing_answer_has(a, {"answer_has": ["15/01/2024", "2024-01-15"]}) == []


def test_each_failure_is_named():
    assert answer_failures(answer(kind="none"), Q) == [FALSE_ABSTENTION]
    wrong = answer(text="Không rõ [1]", quotes=["Một câu khác của văn bản."])
    reasons = answer_failures(wrong, Q)
    assert reasons[0].startswith("missing answer_has") and "'15/01/2024'" in reasons[0] and "'tổ chức đảng'" in reasons[0]
    assert reasons[1] == EVIDENCE_NOT_CITED
    # the strings are there, but the evidence is only in the answer text, not in a cited quote
    uncited = answer(text="Hoàn thành xây dựng kế hoạch trước ngày 15/01/2024, tổ chức đảng", quotes=["khác"])
    assert answer_failures(uncited, Q) == [EVIDENCE_NOT_CITED]


def test_unanswerable_questions_are_right_only_when_abstained():
    q = {"id": "u", "question": "?", "evidence": [], "answer_has": [], "unanswerable": True}
    assert answer_failures(answer(kind="none"), q) == []
    assert answer_failures(answer(kind="passages"), q)[0].startswith("false answer")
    assert not answer_correct(answer(kind="none"), q)  # accuracy counts answerable questions only


def test_ranks_and_their_summary():
    texts = ["khác", "Hoàn thành xây dựng kế hoạch TRƯỚC ngày 15/01/2024.", "x"]
    assert first_hit_rank(texts, Q["evidence"]) == 2
    assert first_hit_rank(texts, Q["evidence"], k=1) is None
    s = retrieval_summary([1, 2, None, 6])
    assert (s["hit@1"], s["hit@5"], s["n"]) == (0.25, 0.5, 4)
    assert abs(s["mrr@10"] - (1 + 0.5 + 1 / 6) / 4) < 1e-9


def test_an_items_label_in_the_evidence_need_not_be_quoted():
    from eval.metrics import supports

    assert supports("Thời gian học: khóa một 15 ngày.", ["b) Thời gian học: khóa một 15 ngày."])
    assert supports("Thời gian học: khóa một 15 ngày.", ["2. Thời gian học: khóa một 15 ngày."])
    assert not supports("Thời gian học: khóa hai 12 ngày.", ["b) Thời gian học: khóa một 15 ngày."])
