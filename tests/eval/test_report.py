"""eval/report.py: tables and the duty listing print what the scores say."""
from __future__ import annotations

from eval.duties import score_duties
from eval.report import duties_listing, duties_table, failures_text, table


def test_table_aligns_labels_left_and_figures_right():
    plain = table(["Kind", "n"], [["role", "12"], ["deadline", "8"]]).splitlines()
    assert plain[2] == "role      12" and plain[3] == "deadline   8"
    md = table(["Kind", "n"], [["role", "12"]], markdown=True).splitlines()
    assert md[1] == "|------|---:|" and md[2] == "| role | 12 |"


def test_duty_listing_shows_the_wrong_window_missing_and_extra():
    golds = [{"id": "g1", "doc": "30-CT/TU", "evidence": "tổng kết vào cuối năm 2030", "actors_include": [],
              "deadline": {"text": "vào cuối năm 2030", "start": None, "end": "2030-12-31", "class": "dated"}},
             {"id": "g2", "doc": "30-CT/TU", "evidence": "sơ kết trong tháng 02/2026", "actors_include": [],
              "deadline": {"text": "trong tháng 02/2026", "start": "2026-02-01", "end": "2026-02-28"}}]
    returned = [{"deadline": {"text": "trong tháng 02/2026", "start": "2026-02-01", "end": "2026-02-28"},
                 "citation": {"doc_number": "30-CT/TU", "quote": "Sơ kết trong tháng 02/2026; tổng kết vào cuối năm 2030."}},
                {"deadline": {"text": "trong năm 2025", "start": "2025-01-01", "end": "2025-12-31"},
                 "citation": {"doc_number": "30-CT/TU", "quote": "Khái niệm: trong năm 2025 là năm thực hiện."}}]
    r = score_duties(returned, golds)
    text = "\n".join(duties_listing(r))
    assert "Wrong windows (1 gold duties" in text and "g1 [30-CT/TU]" in text and "→ 2026-02-01..2026-02-28" in text
    assert "Returned with a time no gold duty has (1)" in text and "Khái niệm" in text
    rows = duties_table(r).splitlines()
    assert rows[-1].split()[:5] == ["overall", "2", "1", "1", "0"]


def test_failures_are_grouped_by_kind_with_their_reasons():
    rec = {"id": "d2-001", "kind": "metadata", "doc": "222-KH/TU", "question": "Ai ký?", "has_evidence": True,
           "rank": None, "answer_kind": "none", "answer": "Không đề cập.", "why": ["false abstention"],
           "cited_docs": []}
    lines = failures_text("sparse", [rec], {"metadata": 10})
    assert lines[0] == "== sparse: 1 questions answered wrong =="
    assert "-- metadata: 1 of 10 --" in lines
    assert "[d2-001] 222-KH/TU · search rank miss · answer kind none" in lines
    assert "  why: false abstention" in lines
