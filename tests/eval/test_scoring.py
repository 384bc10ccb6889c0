"""eval/scoring.py: labels of kinds and documents, what one question's answer gave, and group figures."""
from __future__ import annotations

from pathlib import Path

from eval.scoring import (CROSS_DOC, LONG_ANSWER_CHARS, NO_DOC, breakdowns, cross_citing, doc_of, failing,
                          failure_reasons, kind_of, length_summary, new_outcome, record_answer, record_search,
                          set_label, summarize)


def ex(s: str) -> str:
    return s


def q(id_, kind=None, doc="222-KH/TU", docs=None, unanswerable=False, evidence=("câu chứng cứ",), answer_has=()):
    out = {"id": id_, "question": f"câu hỏi {id_}?", "evidence": [] if unanswerable else list(evidence),
           "answer_has": list(answer_has), "doc": doc}
    if kind:
        out["kind"] = kind
    if docs:
        out["docs"] = docs
    if unanswerable:
        out["unanswerable"] = True
    return out


def ans(kind="passages", text="trả lời", quotes=("câu chứng cứ đây",), docs=("222-KH/TU",)):
    return {"kind": kind, "answer": text, "obligations": [],
            "citations": [{"n": i + 1, "quote": qt, "doc_number": docs[i % len(docs)]} for i, qt in enumerate(quotes)]}


def scored(question, answer, set_="dev", hits=None):
    o = new_outcome(question, set_)
    record_answer(o, question, answer, ex)
    if question.get("evidence"):
        record_search(o, question, hits if hits is not None else [{"text": "câu chứng cứ đây"}], 10, ex)
    o.ask_ms.append(5.0)
    return o


def test_labels():
    assert set_label(Path("x/questions.jsonl")) == "first-set"
    assert set_label(Path("x/questions-dev.jsonl")) == "questions-dev"
    assert kind_of({"kind": "role"}, "first-set") == "role"
    assert kind_of({}, "first-set") == "first-set"
    assert doc_of({"doc": "30-CT/TU", "docs": ["30-CT/TU", "x"]}) == "30-CT/TU"
    assert doc_of({"doc": None, "docs": ["30-CT/TU", "102-KH/ĐU"]}) == CROSS_DOC
    assert doc_of({"doc": None, "docs": ["30-CT/TU"]}) == "30-CT/TU"
    assert doc_of({"doc": None}) == NO_DOC


def test_false_abstentions_and_false_answers_are_counted_apart():
    outcomes = [
        scored(q("a", "deadline"), ans()),                                   # right
        scored(q("b", "deadline"), ans(kind="none", quotes=())),            # false abstention
        scored(q("c", "role"), ans(quotes=("khác",))),                       # wrong: evidence not cited
        scored(q("u1", "unanswerable", doc=None, unanswerable=True), ans()),  # false answer
        scored(q("u2", "unanswerable", doc=None, unanswerable=True), ans(kind="none", quotes=())),  # right
    ]
    s = summarize(outcomes)
    assert (s["answerable"], s["correct"], s["false_abstentions"]) == (3, 1, 1)
    assert (s["unanswerable"], s["abstained"], s["false_answers"]) == (2, 1, 1)
    assert s["right_all"] == 2 and abs(s["accuracy"] - 1 / 3) < 1e-9
    assert [o.id for o in failing(outcomes)] == ["b", "c", "u1"]
    b = breakdowns(outcomes)
    assert b["per_kind"]["deadline"]["false_abstentions"] == 1 and b["per_kind"]["unanswerable"]["false_answers"] == 1
    assert set(b["per_doc"]) == {"222-KH/TU", NO_DOC}
    assert b["per_set"]["dev"]["n"] == 5


def test_failure_reasons_name_a_retrieval_miss_and_uncited_documents():
    cross = q("x", "cross", doc=None, docs=["30-CT/TU", "102-KH/ĐU"], answer_has=["05/12/2025"])
    o = scored(cross, ans(quotes=("khác",), docs=("30-CT/TU",)), hits=[{"text": "khác"}])
    reasons = failure_reasons(o)
    assert reasons[0].startswith("retrieval miss")
    assert any(r.startswith("missing answer_has") and "05/12/2025" in r for r in reasons)
    assert reasons[-1] == "documents needed but not cited: 102-KH/ĐU"
    assert cross_citing([o]) == (0, 1)
    both = scored(cross, ans(text="05/12/2025", docs=("30-CT/TU", "102-KH/ĐU"), quotes=("câu chứng cứ", "b")))
    assert both.right and cross_citing([both]) == (1, 1)


def test_repeats_score_the_first_pass_and_note_changes():
    question = q("a")
    o = new_outcome(question, "dev")
    record_search(o, question, [{"text": "x"}, {"text": "câu chứng cứ"}], 10, ex)
    record_search(o, question, [{"text": "câu chứng cứ"}], 10, ex)
    record_answer(o, question, ans(), ex)
    record_answer(o, question, ans(kind="none"), ex)
    assert o.rank == 2 and o.answer_kind == "passages" and o.right
    assert o.unstable == ["search rank 2 then 1", "ask kind passages then none"]


def test_answer_lengths_outside_list_and_role():
    outcomes = [scored(q(str(i), kind), ans(text="x" * n))
                for i, (kind, n) in enumerate([("deadline", 100), ("content", 300), ("role", 2000),
                                               ("list", 1500), ("metadata", 200)])]
    outcomes.append(scored(q("n", "content"), ans(kind="none", text="y" * 5000, quotes=())))  # abstentions don't count
    ln = length_summary(outcomes)
    assert (ln["n"], ln["median"], ln["max"]) == (5, 300, 2000)
    assert ln["over_limit"] == 2 and LONG_ANSWER_CHARS == 1000
    assert (ln["median_outside_list_role"], ln["n_outside_list_role"]) == (200, 3)
