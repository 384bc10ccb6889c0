"""The day an act was done ("xã … nộp ngày nào?"), as a commune's report states it, against the
deadline a district plan sets; and clauses naming a local body, or a document by kind and level, each
answered from their own documents. Invented documents of a fictional district (Huyện ủy Khe Vàng) and
commune (Đảng ủy xã Suối Ngàn), in a real embedded store."""
from __future__ import annotations

import pytest

from service.answers import answer_question
from service.answers.support import event_days
from support.kb import invented, verbatim

PLAN = """HUYỆN ỦY KHE VÀNG
*
Số 31-KH/HU

ĐẢNG CỘNG SẢN VIỆT NAM
Khe Vàng, ngày 05 tháng 02 năm 2029

KẾ HOẠCH
trồng rừng phòng hộ năm 2029

1. Các đảng ủy xã lãnh đạo trồng mới 40 ha rừng phòng hộ, hoàn thành trước ngày 30/6/2029.
2. Các xã thu tiền ủng hộ quỹ trồng rừng, nộp về Ban Chỉ đạo huyện trước ngày 15/9/2029.
3. Số cây giống mỗi xã được cấp tối đa 12% tổng số cây giống của huyện.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Đinh Văn Quảng
"""

REPORT = """ĐẢNG BỘ HUYỆN KHE VÀNG
ĐẢNG ỦY XÃ SUỐI NGÀN
*
Số 44-BC/ĐU

ĐẢNG CỘNG SẢN VIỆT NAM
Suối Ngàn, ngày 20 tháng 10 năm 2029

BÁO CÁO
kết quả trồng rừng phòng hộ năm 2029

I. KẾT QUẢ
1. Thực hiện Kế hoạch số 31-KH/HU, ngày 05/02/2029 của Ban Thường vụ Huyện ủy, xã trồng mới 42 ha rừng phòng hộ (hoàn thành ngày 21/6/2029).
2. Thu tiền ủng hộ quỹ trồng rừng được 38 triệu đồng; đã nộp về Ban Chỉ đạo huyện ngày 09/9/2029.
3. Số cây giống xã nhận bằng 9% tổng số cây giống của huyện.

II. NHIỆM VỤ NĂM 2030
Văn phòng Đảng ủy tổng hợp kết quả, gửi Huyện ủy trước ngày 15/01/2030.

T/M ĐẢNG ỦY
BÍ THƯ
Vi Thị Lành
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("events"), tmp_path_factory.mktemp("events-data"),
                  {"31-KH-HU.txt": PLAN, "44-BC-DU.txt": REPORT}) as kb:
        yield kb


@pytest.mark.parametrize("text, days", [
    ("đã nộp về Ban Chỉ đạo huyện ngày 09/9/2029.", ["09/09/2029"]),
    ("xã trồng mới 42 ha (hoàn thành ngày 21/6/2029).", ["21/06/2029"]),
    ("hoàn thành trước ngày 30/6/2029.", []),  # a deadline, no event
    ("Thực hiện Kế hoạch số 31-KH/HU, ngày 05/02/2029 của Ban Thường vụ Huyện ủy", []),  # a cited document's date
    ("họp ngày 16 tháng 5 năm 2029 tại hội trường", ["16/05/2029"]),
])
def test_event_days_are_days_stated_outside_deadlines_and_citations(text, days):
    assert [d for *_, d in event_days(text)] == days


def test_the_day_a_commune_did_what_it_was_asked_is_the_reports_day(kb):
    ans = verbatim(kb, answer_question(kb, "xã Suối Ngàn nộp tiền ủng hộ quỹ trồng rừng ngày nào?"))
    assert ans["reply"].startswith("Ngày 09/09/2029"), ans["answer"]
    assert {c["doc_number"] for c in ans["citations"]} == {"44-BC/ĐU"}, ans["answer"]


def test_a_deadline_asked_with_a_modal_is_never_an_event_day(kb):
    ans = answer_question(kb, "các xã phải nộp tiền ủng hộ quỹ trồng rừng trước ngày nào?")
    assert "15/09/2029" in ans["answer"] and "09/09/2029" not in ans["reply"], ans["answer"]


def test_a_later_clause_naming_a_commune_is_answered_from_its_report(kb):
    ans = verbatim(kb, answer_question(
        kb, "theo KH 31 các xã phải nộp tiền ủng hộ quỹ trồng rừng trước ngày nào, xã Suối Ngàn nộp ngày nào"))
    assert {c["doc_number"] for c in ans["citations"]} == {"31-KH/HU", "44-BC/ĐU"}, ans["answer"]
    assert "15/09/2029" in ans["answer"] and "09/09/2029" in ans["answer"], ans["answer"]


def test_clauses_naming_documents_by_kind_and_level(kb):
    ans = verbatim(kb, answer_question(
        kb, "tỷ lệ cây giống mỗi xã: KH của huyện cho tối đa bao nhiêu %, xã Suối Ngàn nhận bao nhiêu %"))
    assert {c["doc_number"] for c in ans["citations"]} == {"31-KH/HU", "44-BC/ĐU"}, ans["answer"]
    assert "12%" in ans["answer"] and "9%" in ans["answer"], ans["answer"]


def test_a_subject_before_a_colon_is_every_clauses_and_a_documents_kind_picks_no_duty(kb):
    # "trồng rừng:" is what both clauses ask of; "KH huyện" names the plan, not a duty mentioning a plan
    ans = verbatim(kb, answer_question(
        kb, "tiền ủng hộ quỹ trồng rừng: KH huyện bắt nộp trước ngày nào, còn xã Suối Ngàn nộp ngày nào?"))
    assert "15/09/2029" in ans["answer"] and "09/09/2029" in ans["answer"], ans["answer"]


def test_without_a_commune_named_the_plans_deadline_answers(kb):
    # no local body named: the duty's deadline, not the day one commune reports it did it
    ans = answer_question(kb, "các xã nộp tiền ủng hộ quỹ trồng rừng về Ban Chỉ đạo huyện ngày nào?")
    assert "15/09/2029" in ans["reply"] and "09/09/2029" not in ans["reply"], ans["answer"]
