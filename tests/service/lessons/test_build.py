"""Lesson outlines (issue 6; service/lessons/build.py and outline.py) on the real stack: the shipped
corpus in a real embedded store, real underthesea. (Exports: test_export.py; the command line:
tests/journeys/test_cli.py; over HTTP and in the browser: tests/journeys/test_web_lessons.py.)

What must hold for any topic: every quote is verbatim document text at its span, every review
answer is a span of the quote it cites, documents a caller may not see never show, and a topic the
documents do not cover gives an outline that says so and holds nothing else.
"""
from __future__ import annotations

import json
import re

import pytest

from ingest.normalize import fold
from service.errors import UserError
from service.lessons.build import MAX_TOPIC, build_lesson
from service.lessons.export import lesson_text
from support.kb import ingested
from support.lessons import TOPICS, UNCOVERED, all_citations, corpus_with_internal_plan


@pytest.mark.parametrize("topic", TOPICS)
def test_every_quote_is_verbatim_document_text(lessons, texts, topic):
    lesson = lessons[topic]
    assert lesson["covered"] and lesson["note"] is None
    assert sum(len(part["points"]) for part in lesson["parts"]) >= 3
    for c in all_citations(lesson):
        assert c["quote"] and texts[c["doc_id"]][c["start"]:c["end"]] == c["quote"], c
    # Citations are numbered 1..n, one number per span, and every object points at its entry.
    assert [c["n"] for c in lesson["citations"]] == list(range(1, len(lesson["citations"]) + 1))
    spans = [(c["doc_id"], c["start"], c["end"]) for c in lesson["citations"]]
    assert len(spans) == len(set(spans))
    for c in all_citations(lesson):
        assert lesson["citations"][c["n"] - 1] == c
    # The documents listed are exactly the ones quoted, with their metadata.
    assert {d["doc_id"] for d in lesson["documents"]} == {c["doc_id"] for c in lesson["citations"]}
    assert all(d["number"] and d["type"] and d["issued"] for d in lesson["documents"])


@pytest.mark.parametrize("topic", TOPICS)
def test_review_answers_are_facts_stated_in_their_cited_quote(lessons, texts, topic):
    questions = lessons[topic]["questions"]
    assert questions, topic
    for q in questions:
        c = q["citation"]
        assert q["answer"].strip() and q["answer"] in c["quote"], q
        assert texts[c["doc_id"]][q["start"]:q["end"]] == q["answer"], q
        assert c["start"] <= q["start"] < q["end"] <= c["end"], q
        assert q["answer"] not in q["question"], q  # the question does not give its answer away
        assert q["question"].startswith("Theo "), q  # it names its source


def test_questions_cover_deadlines_actors_numbers_and_lists(lessons):
    kinds = {q["kind"] for lesson in lessons.values() for q in lesson["questions"]}
    assert kinds == {"deadline", "actor", "number", "list"}
    # The example: an individual's plan is due "trong tháng 01/2024", cited to the sentence
    # that says so.
    plan = [q for q in lessons["kế hoạch cá nhân"]["questions"] if q["kind"] == "deadline"]
    assert any(q["answer"] == "trong tháng 01/2024" and "hoàn thành" in q["question"] for q in plan), plan
    # A deadline question asks about an obligation the lesson lists with that deadline.
    for lesson in lessons.values():
        deadlines = {(o["deadline"] or {}).get("text") for o in lesson["obligations"]}
        for q in lesson["questions"]:
            if q["kind"] == "deadline":
                assert q["answer"] in deadlines, q


def test_points_are_grouped_by_document_and_section(lessons, kb):
    for lesson in lessons.values():
        keys = [(part["doc_id"], part["section"]) for part in lesson["parts"]]
        assert len(keys) == len(set(keys)), keys  # one part per document and section
        for part in lesson["parts"]:
            assert part["doc_number"] in part["heading"]
            assert all(p["citation"]["doc_id"] == part["doc_id"] for p in part["points"])
            body = [p["citation"]["start"] for p in part["points"] if not (p["citation"]["section"] or "").startswith("footnote")]
            assert body == sorted(body)  # reading order
    # A footnote stands with the section that marks it: "trách nhiệm nêu gương¹" in II.2.2.
    part = next(p for p in lessons["kế hoạch cá nhân"]["parts"] if p["section"] == "II.2.2")
    assert any((p["citation"]["section"] or "").startswith("footnote") for p in part["points"])


def test_headings_are_not_points(lessons, kb):
    """"2.2. Kế hoạch cá nhân" is the structure of the outline (a part's heading), not a point."""
    for lesson in lessons.values():
        for part in lesson["parts"]:
            sections = kb.document(part["doc_id"])["sections"]
            headings = [(s["start"], s["heading_end"]) for s in sections if s["heading_end"] < s["end"]]
            for p in part["points"]:
                c = p["citation"]
                assert not any(a <= c["start"] and c["end"] <= b for a, b in headings), c


def test_documents_to_fetch_are_cited_and_not_stored(lessons, kb, texts):
    stored = {fold(d["number"]).lower() for d in kb.documents()[0]}
    missing = lessons["nêu gương"]["missing"]
    assert missing
    for m in missing:
        assert fold(m["number"]).lower() not in stored
        assert m["cited_by"] and all(m["number"] in texts[d] for d in m["cited_by"]), m
    # The regulations on setting an example that footnote 1 lists (marked in a quoted sentence).
    assert {"101-QĐ/TW", "08-QĐ/TW"} <= {m["number"] for m in missing}


def test_topic_the_documents_do_not_cover_says_so(kb):
    lesson = build_lesson(kb, UNCOVERED)
    assert lesson["covered"] is False
    assert "không đề cập" in lesson["note"] and UNCOVERED in lesson["note"]
    for key in ("documents", "parts", "obligations", "questions", "missing", "citations"):
        assert lesson[key] == [], key
    assert "không đề cập" in lesson_text(lesson)


def test_topic_naming_a_document_draws_on_it(kb, texts):
    """"Kết luận 14" is about Kết luận 14-KL/TW even where its text never says "14"."""
    lesson = build_lesson(kb, "Kết luận 14")
    assert lesson["covered"] and "14-KL/TW" in [d["number"] for d in lesson["documents"]]
    for c in lesson["citations"]:
        assert texts[c["doc_id"]][c["start"]:c["end"]] == c["quote"]


def test_documents_filter_and_input_errors(kb, texts):
    lesson = build_lesson(kb, "Mặt trận Tổ quốc giám sát", documents=["124-qđ/tw"])
    assert {c["doc_id"] for c in lesson["citations"]} == {d["doc_id"] for d in lesson["documents"]}
    assert [d["number"] for d in lesson["documents"]] == ["124-QĐ/TW"]
    # Nothing in the chosen document on the topic: said, not filled.
    none = build_lesson(kb, "tuyên truyền miệng bằng tiếng dân tộc thiểu số", documents=["144-QĐ/TW"])
    assert none["covered"] is False and "đã chọn" in none["note"]
    cases = [("", None, "empty_topic", 400), ("   ", None, "empty_topic", 400),
             ("x" * (MAX_TOPIC + 1), None, "topic_too_long", 400),
             ("nêu gương", ["999-KH/TU"], "unknown_document", 404), ("nêu gương", [""], "bad_document", 400)]
    for topic, docs, code, status in cases:
        with pytest.raises(UserError) as e:
            build_lesson(kb, topic, documents=docs)
        assert (e.value.code, e.value.status) == (code, status)
        assert re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", e.value.message)


def _removable(lesson: dict) -> tuple[list[str], list[str]]:
    """(point ids, ids of the points a question is drawn from that no obligation also quotes)."""
    ids = [p["id"] for part in lesson["parts"] for p in part["points"]]
    asked = {q["citation"]["n"] for q in lesson["questions"]}
    point_n = {p["id"]: p["citation"]["n"] for part in lesson["parts"] for p in part["points"]}
    listed = {c["n"] for o in lesson["obligations"] for c in (o["citation"], o.get("deadline_citation")) if c}
    return ids, [i for i in ids if point_n[i] in asked and point_n[i] not in listed]


def test_edited_outline_keeps_order_and_drops_questions_on_removed_points(kb, lessons):
    topic = next(t for t in TOPICS if _removable(lessons[t])[1])
    full = lessons[topic]
    ids, removed = _removable(full)
    kept = [i for i in reversed(ids) if i not in removed]
    edited = build_lesson(kb, topic, points=kept)
    assert [p["id"] for part in edited["parts"] for p in part["points"]] == kept
    removed_spans = {tuple(i.rsplit(":", 1)[1].split("-")) for i in removed}
    assert len(edited["questions"]) < len(full["questions"])
    for q in edited["questions"]:
        assert (str(q["citation"]["start"]), str(q["citation"]["end"])) not in removed_spans, q
    assert [c["n"] for c in edited["citations"]] == list(range(1, len(edited["citations"]) + 1))
    with pytest.raises(UserError) as e:
        build_lesson(kb, topic, points=kept + ["khong-co:1-2"])
    assert e.value.code == "unknown_point" and e.value.status == 400


@pytest.fixture(scope="module")
def kb_internal(tmp_path_factory):
    folder = corpus_with_internal_plan(tmp_path_factory.mktemp("internal-docs"))
    with ingested(tmp_path_factory.mktemp("internal-data"), [folder]) as the_kb:
        yield the_kb


def test_internal_documents_never_reach_a_reader(kb_internal):
    internal_id = next(e["doc_id"] for e in kb_internal.store.catalog(with_fields=["number"]) if e["number"] == "77-KH/TU")
    reader = build_lesson(kb_internal, "nêu gương trong cơ quan", scopes=("read",))
    insider = build_lesson(kb_internal, "nêu gương trong cơ quan", scopes=("read", "internal"))
    dump = json.dumps(reader, ensure_ascii=False)
    assert internal_id not in dump and "77-KH/TU" not in dump and "88-QĐ/TW" not in dump
    assert "nội bộ" not in dump
    # The same lesson for a caller with the internal scope quotes it and lists what it cites.
    assert internal_id in {d["doc_id"] for d in insider["documents"]}
    assert "88-QĐ/TW" in {m["number"] for m in insider["missing"]}
    # Asking for it by number: unknown to a reader (the same answer as for a document that does not exist).
    with pytest.raises(UserError) as e:
        build_lesson(kb_internal, "nêu gương", documents=["77-KH/TU"], scopes=("read",))
    assert (e.value.code, e.value.status) == ("unknown_document", 404)
    only = build_lesson(kb_internal, "nêu gương", documents=["77-KH/TU"], scopes=("internal",))
    assert [d["doc_id"] for d in only["documents"]] == [internal_id]
