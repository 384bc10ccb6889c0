"""eval/check_questions.py: evidence strings are exact substrings of the named documents, gold duties
are well formed — and the redteam set itself passes against the documents it was written on."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.check_questions import check_front_matter, check_obligations, check_questions, load_corpora, main

ROOT = Path(__file__).resolve().parents[2]
SHARED_EVAL = ROOT.parent / "shared" / "eval"

DOC = """Số 12-KH/ĐU
Kế hoạch của Đảng ủy xã.
Các chi bộ báo cáo kết quả trước ngày 15/12/2026.
"""


def _write(tmp: Path, name: str, rows: list[dict]) -> Path:
    p = tmp / name
    p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return p


@pytest.fixture()
def corpus(tmp_path: Path) -> dict[str, str]:
    d = tmp_path / "docs"
    d.mkdir()
    (d / "kh.md").write_text(DOC, "utf-8")
    return load_corpora([d])


def q(**kw) -> dict:
    base = {"id": "a", "kind": "deadline", "question": "?", "evidence": ["báo cáo kết quả trước ngày 15/12/2026"],
            "answer_has": ["15/12/2026"], "doc": "12-KH/ĐU"}
    return base | kw


def test_a_right_question_passes(tmp_path, corpus):
    assert check_questions(_write(tmp_path, "q.jsonl", [q()]), corpus) == []


def test_evidence_differing_by_a_space_or_case_is_reported(tmp_path, corpus):
    probs = check_questions(_write(tmp_path, "q.jsonl", [q(evidence=["báo cáo  kết quả trước ngày 15/12/2026"]),
                                                         q(id="b", evidence=["Báo cáo kết quả trước ngày 15/12/2026"])]),
                            corpus)
    assert len(probs) == 2 and all("found only after normalization" in p for p in probs)


def test_wrong_doc_kind_and_answer_has_are_reported(tmp_path, corpus):
    probs = check_questions(_write(tmp_path, "q.jsonl", [q(doc="99-KH/TU"), q(id="b", kind="when"),
                                                         q(id="c", answer_has=["20/12/2026"])]), corpus)
    text = "\n".join(probs)
    assert "no file of the corpora holds the number '99-KH/TU'" in text
    assert "kind 'when'" in text
    assert "answer_has '20/12/2026'" in text


def test_unanswerable_with_evidence_and_duplicate_ids_are_reported(tmp_path, corpus):
    probs = check_questions(_write(tmp_path, "q.jsonl", [q(), q(unanswerable=True, kind="unanswerable")]), corpus)
    assert any("duplicate id" in p for p in probs)
    assert any("unanswerable but has evidence" in p for p in probs)


def test_gold_duties_are_checked(tmp_path, corpus):
    good = {"id": "g1", "doc": "12-KH/ĐU", "evidence": "Các chi bộ báo cáo kết quả",
            "deadline": {"text": "trước ngày 15/12/2026", "start": None, "end": "2026-12-15", "class": "dated"},
            "actors_include": ["chi bộ"]}
    bad = good | {"id": "g2", "deadline": {"text": "trước ngày 15/12", "start": "2026-12-20", "end": "2026-12-15",
                                           "class": "recurring"}}
    probs = check_obligations(_write(tmp_path, "g.jsonl", [good, bad]), corpus)
    assert all(p.startswith("g.jsonl:2 g2") for p in probs)
    assert any("start 2026-12-20 after end 2026-12-15" in p for p in probs)
    assert any("without its recurrence" in p for p in probs)


def test_front_matter_that_ingest_would_refuse_is_reported(tmp_path):
    d = tmp_path / "fm"
    d.mkdir()
    (d / "ok.md").write_text("---\nsynthetic: true\nnote: Văn bản hư cấu.\n---\nSố 1-KH/TU\n", "utf-8")
    (d / "bad.md").write_text("---\nnote: Văn bản hư cấu: số hiệu không có thật.\n---\nSố 2-KH/TU\n", "utf-8")
    probs = check_front_matter(load_corpora([d]))
    assert len(probs) == 1 and "bad.md: front matter does not parse" in probs[0]


@pytest.mark.skipif(not (SHARED_EVAL / "corpus-dev").is_dir(), reason="../shared/eval beside the clone")
def test_the_redteam_set_and_gold_pass_against_their_documents(capsys):
    rc = main(["--corpus", str(ROOT / "corpus"), str(SHARED_EVAL / "corpus-dev"), str(ROOT / "eval" / "corpus-redteam"),
               "--questions", str(ROOT / "eval" / "questions" / "redteam.jsonl"),
               "--obligations", str(ROOT / "eval" / "questions" / "redteam-obligations.jsonl")])
    assert rc == 0, capsys.readouterr().out
