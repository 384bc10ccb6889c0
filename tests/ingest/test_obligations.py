"""Obligations extracted from the shipped corpus: the dated ones of the eval set, verbatim quotes,
actors, roles and exceptions, and no deadline that its sentence does not state."""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from ingest.actors import binds, exemptions, find_actors, match_role
from ingest.deadlines import find_deadlines
from ingest.normalize import key
from ingest.obligations import MODALITY_POLARITY, extract_obligations, plan_year
from ingest.pipeline import build_document
from ingest.readers import read_path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
EVAL = ROOT.parent / "shared" / "eval" / "obligations.jsonl"


@pytest.fixture(scope="module")
def docs():
    return {p.name: build_document(read_path(p)) for p in sorted(CORPUS.iterdir())
            if p.suffix in (".txt", ".md")}


@pytest.fixture(scope="module")
def plan(docs):
    return docs["222-KH-TU-2023-laichau.txt"]


def _by_number(docs, number):
    found = [d for d in docs.values() if d.number and key(d.number) == key(number)]
    assert found, number
    return found[0]


def _quote(doc, o):
    return doc.text[o.start:o.end]


def _with(doc, evidence):
    return [o for o in doc.obligations if key(evidence) in key(_quote(doc, o))]


def _actors_include(o, expected):
    """"cán bộ, đảng viên" is satisfied by the actors listed in that order, or by naming each."""
    joined = key(", ".join(o.actors))
    if key(expected) in joined:
        return True
    wanted = set(find_actors(expected))
    return bool(wanted) and wanted <= set(o.actors)


def _iso(d):
    return d.isoformat() if d else None


# ------------------------------------------------------------------------------- the eval set

EXPECTED = [json.loads(line) for line in EVAL.read_text("utf-8").splitlines() if line.strip()] if EVAL.exists() else []


@pytest.mark.parametrize("item", EXPECTED, ids=[e["id"] for e in EXPECTED])
def test_eval_obligation_found(docs, item):
    doc = _by_number(docs, item["doc"])
    candidates = _with(doc, item["evidence"])
    assert candidates, f"no obligation quotes {item['evidence']!r}"
    want = item["deadline"]
    ok = []
    for o in candidates:
        d = o.deadline
        if d is None or _iso(d.start) != want["start"] or _iso(d.end) != want["end"]:
            continue
        # the written text: the eval set sometimes stops earlier than the phrase ("…, phản ảnh")
        if not (key(want["text"]) in key(d.text) or key(d.text) in key(want["text"])):
            continue
        if want.get("relative"):
            if not d.relative or not (key(want["relative"]) in key(d.relative) or key(d.relative) in key(want["relative"])):
                continue
        if not all(_actors_include(o, a) for a in item.get("actors_include", [])):
            continue
        ok.append(o)
    assert ok, [(o.actors, o.deadline) for o in candidates]


def test_eval_set_is_there():
    assert len(EXPECTED) >= 6


# ------------------------------------------------------------------------------- citations


def test_every_quote_is_verbatim_and_well_formed(docs):
    for doc in docs.values():
        ids = set()
        for o in doc.obligations:
            quote = _quote(doc, o)
            assert quote and quote == quote.strip(), (doc.source, o.id)
            assert o.action and o.action in quote, (o.id, o.action)
            assert o.id == f"{doc.doc_id}:{o.start}" and o.id not in ids
            ids.add(o.id)
            assert o.modality in MODALITY_POLARITY, o.modality
            assert o.section is None or doc.section(o.section) or o.section.startswith("footnote")
            if o.section and not o.section.startswith("footnote"):
                sec = doc.section(o.section)
                assert sec.start <= o.start and o.end <= sec.end + 1
            for a in o.actors:
                assert find_actors(a) or a in find_actors(a), a


def test_ids_are_stable(plan):
    again = extract_obligations(plan)
    assert [o.id for o in again] == [o.id for o in plan.obligations]
    assert [o.actors for o in again] == [o.actors for o in plan.obligations]


def test_counts(docs):
    counts = {name: len(d.obligations) for name, d in docs.items()}
    assert counts["222-KH-TU-2023-laichau.txt"] >= 30
    assert counts["124-QD-TW-2018-giam-sat-tu-duong.md"] >= 3
    assert counts["55-QD-TW-2016-viec-can-lam-ngay.md"] >= 4
    assert counts["14-KL-TW-2021-bao-ve-can-bo-sang-tao.md"] == 0  # narrative only


# ------------------------------------------------------------------------------- deadlines


def test_plan_year_is_the_year_the_plan_targets(docs, plan):
    assert plan.issued == date(2023, 12, 18) and plan_year(plan) == 2024
    assert plan_year(_by_number(docs, "124-QĐ/TW")) == 2018


def test_no_deadline_the_sentence_does_not_state(docs):
    for doc in docs.values():
        year = plan_year(doc)
        for o in doc.obligations:
            if o.deadline is None:
                continue
            # the deadline is stated by the obligation's own sentence, or by the completion
            # sentence its `deadline_source` cites — never by anything else
            s0, s1 = o.deadline_source or (o.start, o.end)
            quote = doc.text[s0:s1]
            stated = [d for d in find_deadlines(quote, year) if d.end or d.relative]
            d = o.deadline
            assert d.text in quote
            assert d.span is not None and doc.text[d.span.start:d.span.end] == d.text
            assert s0 <= d.span.start and d.span.end <= s1
            assert any((s.text, s.start, s.end, s.relative) == (d.text, d.start, d.end, d.relative) for s in stated)
            for day in (d.start, d.end):
                if day is None:
                    continue
                # the year is written in the deadline, or it is the plan's year
                assert str(day.year) in d.text or day.year == year, (d.text, day)
            m = re.search(r"(\d{1,2})/(\d{1,2})(?:/(\d{4}))?", d.text)
            if m and d.start is None and d.end:
                assert (d.end.day, d.end.month) == (int(m.group(1)), int(m.group(2))), d.text


def test_undated_obligations_stay_undated(docs, plan):
    undated = [o for o in plan.obligations if o.deadline is None]
    assert len(undated) >= 10
    for doc in docs.values():
        for o in doc.obligations:
            if not any(d.end or d.relative for d in find_deadlines(_quote(doc, o), plan_year(doc))):
                if o.deadline_source is None:
                    assert o.deadline is None, (o.id, o.deadline)
                else:  # dated by the completion sentence of its own section, which says so
                    src = doc.text[o.deadline_source[0]:o.deadline_source[1]]
                    assert "hoàn thành" in src.lower()[:30] and o.deadline.text in src
                    assert doc.section(o.section).start <= o.deadline_source[0] < doc.section(o.section).end
    # names of programmes and documents are not deadlines
    for evidence in ["Chuyên đề năm 2025", "giai đoạn 2023 - 2025", "thường xuyên tổ chức tuyên truyền"]:
        for o in _with(plan, evidence):
            assert o.deadline is None, (evidence, o.deadline)


def test_recurrence(plan):
    (o,) = _with(plan, "thường xuyên tổ chức tuyên truyền sâu rộng")
    assert o.recurrence == "thường xuyên" and o.deadline is None


def test_relative_deadline_of_dieu_8_2(docs):
    doc = _by_number(docs, "124-QĐ/TW")
    (o,) = _with(doc, "Chậm nhất 20 ngày làm việc")
    assert o.section == "Điều 8.2" and o.actors == ["cấp có thẩm quyền"]
    assert o.deadline.start is None and o.deadline.end is None
    assert "20 ngày làm việc kể từ ngày nhận được báo cáo" in o.deadline.relative
    (longer,) = _with(doc, "không quá 30 ngày làm việc")
    assert longer.deadline.relative == "không quá 30 ngày làm việc"


# ------------------------------------------------------------------------------- actors, inheritance


def test_sentences_without_subject_inherit_their_sections_subject(plan):
    (collective,) = _with(plan, "Hoàn thành xây dựng kế hoạch trước ngày 15/01/2024")
    assert collective.section == "II.2.1"
    assert collective.actors == ["tổ chức đảng", "cơ quan, đơn vị", "Mặt trận Tổ quốc và các tổ chức chính trị - xã hội"]
    (individual,) = _with(plan, "Hoàn thành xây dựng kế hoạch trong tháng 01/2024")
    assert individual.section == "II.2.2"
    assert {"cán bộ", "đảng viên", "công chức", "viên chức", "người lao động"} <= set(individual.actors)
    (review,) = _with(plan, "hoàn thành trong Quý II/2024")
    assert review.actors[:2] == ["cấp ủy", "chính quyền"]
    # within a bullet item, a later sentence belongs to the item's subject, not the section's
    (translate,) = _with(plan, "Khuyến khích biên dịch tài liệu tuyên truyền")
    assert translate.actors == ["Mặt trận Tổ quốc và các tổ chức chính trị - xã hội"]
    assert translate.modality == "khuyến khích"


@pytest.mark.parametrize("evidence, actors", [
    ("Sở Giáo dục và Đào tạo tiếp tục chỉ đạo", ["Sở Giáo dục và Đào tạo"]),
    ("Ban Tuyên giáo Tỉnh ủy biên soạn và xuất bản", ["Ban Tuyên giáo Tỉnh ủy"]),
    ("Ban Thường vụ Tỉnh đoàn tiếp tục xây dựng kế hoạch", ["Ban Thường vụ Tỉnh đoàn"]),
    ("trường Chính trị tỉnh, trung tâm chính trị cấp huyện nâng cao chất lượng",
     ["Trường Cao đẳng Cộng đồng", "Trường Chính trị tỉnh", "trung tâm chính trị cấp huyện"]),
    ("Cấp ủy phân công các đồng chí", ["cấp ủy"]),  # after the label "Báo cáo viên:"
    ("Các cơ quan báo chí và các cơ quan có ấn phẩm", ["cơ quan báo chí"]),  # after a long label
    ("Ban Tuyên giáo Tỉnh ủy chủ trì phối hợp với Trường Chính trị tỉnh", ["Ban Tuyên giáo Tỉnh ủy"]),
])
def test_subjects(plan, evidence, actors):
    (o,) = _with(plan, evidence)
    assert o.actors == actors


def test_fronted_clauses(docs):
    doc = _by_number(docs, "124-QĐ/TW")
    (o,) = _with(doc, "Khi phát hiện hoặc tiếp nhận báo cáo")
    assert o.actors == ["Ban Thường trực Mặt trận", "tổ chức chính trị - xã hội"]
    (o,) = _with(doc, "Trường hợp xác định cán bộ, đảng viên có vi phạm")
    assert o.actors == ["cấp ủy", "tổ chức đảng"] and o.action == "xem xét, xử lý theo quy định"


def test_key_leaders_sentence(plan):
    (o,) = _with(plan, "đăng ký nêu gương, thực hiện từ 1 đến 2 việc cụ thể")
    assert o.section == "II.2.2" and o.modality == "phải"
    assert o.actors[0] == "lãnh đạo chủ chốt"
    assert {"bí thư đảng ủy", "chủ tịch UBND", "người đứng đầu chi bộ"} <= set(o.actors)
    # bodies in the list say where the posts are; they are not bound themselves
    assert "tổ chức chính trị - xã hội" not in o.actors and "cá nhân" not in o.actors
    assert o.action.startswith("phải có nội dung đăng ký nêu gương")
    assert "Người đứng đầu chi bộ (trừ chi bộ thôn, bản, tổ dân phố)" in o.exceptions


def test_skipped_sentences(docs, plan):
    quotes = [_quote(plan, o) for o in plan.obligations]
    for not_an_obligation in ["Tài liệu: Kết luận số 01-KL/TW", "Báo cáo viên là các đồng chí có uy tín",
                              "Thực hiện Hướng dẫn số 121-HD/BTGTW", "Quy định số 101-QĐ/TW",
                              "Trừ đảng viên được miễn sinh hoạt", "Tiếp tục tập trung làm tốt 3 khâu"]:
        assert not any(not_an_obligation in q for q in quotes), not_an_obligation
    for doc in docs.values():
        for o in doc.obligations:
            q = _quote(doc, o)
            assert not q.startswith(("Căn cứ", "Quy định này")) and not q.rstrip().endswith("như sau:")


def test_regulation_articles_bind_the_people_it_names(docs):
    doc = _by_number(docs, "144-QĐ/TW")
    assert doc.obligations and all(o.actors == ["cán bộ", "đảng viên"] for o in doc.obligations)
    rules = _by_number(docs, "55-QĐ/TW")
    (o,) = _with(rules, "Nghiêm cấm việc lợi dụng tổ chức giao lưu")
    assert o.modality == "nghiêm cấm" and MODALITY_POLARITY[o.modality] == "must not"
    assert _quote(rules, o).endswith("với động cơ vụ lợi.")  # the sentence cut after "…" is rejoined
    (o,) = _with(rules, "phải thực hiện đơn giản, tiết kiệm")
    assert o.modality == "phải" and o.actors == ["cán bộ", "đảng viên"]


# ------------------------------------------------------------------------------- roles


def test_secretary_of_commune_party_committee(plan):
    me = match_role("bí thư đảng ủy xã")
    mine = [o for o in plan.obligations if binds(o.actors, me)]
    commitments = [o for o in mine if "đăng ký nêu gương, thực hiện từ 1 đến 2 việc cụ thể" in _quote(plan, o)]
    assert len(commitments) == 1
    # the individual plan it belongs to is due within 01/2024
    due = [o for o in mine if o.section == commitments[0].section and o.deadline
           and (o.deadline.start, o.deadline.end) == (date(2024, 1, 1), date(2024, 1, 31))]
    assert due and any("Hoàn thành xây dựng kế hoạch trong tháng 01/2024" in _quote(plan, o) for o in due)
    # the commitment itself carries that deadline, citing the sentence that states it (issue 3)
    (c,) = commitments
    assert (c.deadline.start, c.deadline.end) == (date(2024, 1, 1), date(2024, 1, 31))
    assert plan.text[c.deadline_source[0]:c.deadline_source[1]] == "Hoàn thành xây dựng kế hoạch trong tháng 01/2024."
    # not the duties of the Sở Giáo dục và Đào tạo
    (school,) = _with(plan, "vào dạy học")
    assert school.actors == ["Sở Giáo dục và Đào tạo"] and school not in mine
    assert any(o.deadline and o.deadline.end == date(2024, 3, 31) for o in mine)  # Quý I study
    assert not exemptions(commitments[0].exceptions, me)


def test_village_party_member_gets_the_footnote_exemption(plan):
    me = match_role("đảng viên chi bộ thôn")
    (o,) = _with(plan, "Hoàn thành xây dựng kế hoạch trong tháng 01/2024")
    assert binds(o.actors, me)
    footnote = next(f for f in plan.footnotes if f.text.startswith("Trừ đảng viên được miễn sinh hoạt"))
    assert footnote.text in o.exceptions
    assert exemptions(o.exceptions, me) == [footnote.text]
    # every obligation of the individual-plan section carries it, and nothing outside it
    for ob in plan.obligations:
        assert (footnote.text in ob.exceptions) == (ob.section == "II.2.2"), ob.id
    # the key-leader commitment does not bind them
    (lead,) = _with(plan, "đăng ký nêu gương, thực hiện từ 1 đến 2 việc cụ thể")
    assert not binds(lead.actors, me)


def test_teacher_and_lecturer(plan):
    teacher = match_role("giáo viên")
    (school,) = _with(plan, "vào dạy học")
    assert not binds(school.actors, teacher)
    (o,) = _with(plan, "Hoàn thành xây dựng kế hoạch trong tháng 01/2024")
    assert binds(o.actors, teacher)  # viên chức build an individual plan too
    lecturer = match_role("giảng viên trường chính trị tỉnh")
    (teach,) = _with(plan, "nâng cao chất lượng nghiên cứu, giảng dạy")
    assert binds(teach.actors, lecturer) and not binds(teach.actors, teacher)


def test_extraction_is_robust_to_an_empty_document(plan):
    from dataclasses import replace

    empty = replace(plan, text="", sentences=[], sections=[], footnotes=[], obligations=[])
    assert extract_obligations(empty) == []


# ------------------------------------------------------------------------------- robustness

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ingest.readers import read_bytes  # noqa: E402

_PIECES = ["Các", "cấp ủy", "(bao gồm:", "phải", "Đối với", "trừ", ")", "“", "”", ";", ":", ",", ".", "\n",
           "\n\n- ", "Hoàn thành", "trước ngày 15/01/2024", "chi bộ", "đảng viên¹", "\n(1) Trừ đảng viên", "là",
           "Khi", "thì", "\nII- ", "\n1. ", "\n2.1. ", "\na) ", "\nĐiều 3. ", "xây dựng kế hoạch", "Nghiêm cấm",
           "Tỉnh ủy", "và", "bao gồm", "Quý I/2024", "thường xuyên", "năm 2024", "tổ chức cho", "²", "(", "["]


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(_PIECES), max_size=50))
def test_arbitrary_documents_never_break_extraction(parts):
    doc = build_document(read_bytes(("KẾ HOẠCH\n\n" + " ".join(parts)).encode(), "x.txt"))
    for o in doc.obligations:
        quote = doc.text[o.start:o.end]
        assert quote and o.action in quote
        assert o.deadline is None or o.deadline.text in quote


def test_a_province_wide_completion_sentence_dates_the_study_duties_of_its_section(plan):
    """"Toàn tỉnh hoàn thành việc học tập, quán triệt trong Quý I/2024." names everyone: the study
    duties of II.1 are due in Quý I/2024, citing that sentence."""
    (conference,) = _with(plan, "Tỉnh ủy tổ chức Hội nghị trực tuyến học tập, quán triệt")
    assert (conference.deadline.start, conference.deadline.end) == (date(2024, 1, 1), date(2024, 3, 31))
    src = plan.text[conference.deadline_source[0]:conference.deadline_source[1]]
    assert src == "Toàn tỉnh hoàn thành việc học tập, quán triệt trong Quý I/2024."
    (other,) = _with(plan, "đưa nội dung học tập và làm theo B")  # speaks of no study to finish
    assert other.deadline is None
