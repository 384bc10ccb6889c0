"""Questions that join documents, on invented documents in a real embedded store: a clause opened
by "còn" asks the previous clause's question of another document, or of the documents of the level
it names ("huyện yêu cầu …, còn xã yêu cầu …")."""
from __future__ import annotations

import pytest

from service.answers import answer_question
from support.kb import invented, verbatim

PLAN = """HUYỆN ỦY LÂM TRƯỜNG
*
Số 18-KH/HU

ĐẢNG CỘNG SẢN VIỆT NAM
Lâm Trường, ngày 10 tháng 01 năm 2026

KẾ HOẠCH
công tác quốc phòng địa phương năm 2026

1. Ủy ban nhân dân huyện tổ chức hội thao dân quân tự vệ tại xã Hòa Vinh trước ngày 30/6/2026.
2. Ban Tuyên giáo Huyện ủy tuyên truyền về hội thao trên đài truyền thanh trong quý II/2026.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Lò Văn Hùng
"""

NOTICE = """ĐẢNG BỘ HUYỆN LÂM TRƯỜNG
ĐẢNG ỦY XÃ HÒA VINH
*
Số 09-TB/ĐU

ĐẢNG CỘNG SẢN VIỆT NAM
Hòa Vinh, ngày 06 tháng 3 năm 2026

THÔNG BÁO
kết luận của Thường trực Đảng ủy tháng 3 năm 2026

1. Giao Ban Chỉ huy Quân sự xã lập kế hoạch hội thao dân quân tự vệ, trình Thường trực Đảng ủy trước ngày 15/5/2026.
2. Giao Văn phòng Đảng ủy chuẩn bị hội nghị sơ kết quý I.

T/M ĐẢNG ỦY
PHÓ BÍ THƯ
Hoàng Thị Mai
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("invented"), tmp_path_factory.mktemp("invented-data"),
                  {"18-KH-HU.txt": PLAN, "09-TB-DU.txt": NOTICE}) as kb:
        yield kb


def test_a_clause_opened_by_con_asks_the_same_of_another_document(kb):
    ans = answer_question(kb, "KH 18 yêu cầu tổ chức hội thao dân quân trước 30/6/2026, còn TB 09 đặt hạn nào?")
    assert {c["doc_number"] for c in ans["citations"]} == {"18-KH/HU", "09-TB/ĐU"}, ans["answer"]
    assert "15/05/2026" in ans["answer"] or "15/5/2026" in ans["answer"], ans["answer"]


def test_the_level_a_clause_names_asks_its_documents(kb):
    ans = answer_question(kb, "Hội thao dân quân ở Hòa Vinh: huyện yêu cầu tổ chức trước ngày nào, "
                              "còn xã yêu cầu trình kế hoạch trước ngày nào?")
    assert "30/06/2026" in ans["answer"] and "15/05/2026" in ans["answer"], ans["answer"]


def test_a_level_named_with_its_committee_or_its_name_asks_its_documents(kb):
    ans = answer_question(kb, "Hội thao dân quân: huyện ủy quy định tổ chức trước ngày nào, "
                              "còn xã Hòa Vinh đặt hạn trình kế hoạch ngày nào?")
    assert "30/06/2026" in ans["answer"] and "15/05/2026" in ans["answer"], ans["answer"]


def test_two_clauses_asking_when_of_two_bodies_are_both_answered(kb):
    ans = answer_question(kb, "Ủy ban nhân dân huyện tổ chức hội thao trước ngày nào, còn Ban Chỉ huy Quân sự xã "
                              "trình kế hoạch hội thao trước ngày nào?")
    assert "30/06/2026" in ans["answer"] and "15/05/2026" in ans["answer"], ans["answer"]


def test_levels_joined_by_va_after_a_statement_are_asked_each(kb):
    ans = answer_question(kb, "Xã Hòa Vinh chuẩn bị hội thao dân quân tự vệ. Huyện yêu cầu tổ chức hội thao trước ngày nào, "
                              "và xã yêu cầu trình kế hoạch hội thao trước ngày nào?")
    assert "30/06/2026" in ans["answer"] and "15/05/2026" in ans["answer"], ans["answer"]


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    from support.digitization import DOCS

    with invented(tmp_path_factory.mktemp("district"), tmp_path_factory.mktemp("district-data"), DOCS) as kb:
        yield kb


def test_each_facet_of_a_question_is_answered_by_its_own_sentence(district):
    ans = verbatim(district, answer_question(
        district, "Đảng bộ xã Tân Lập có bao nhiêu đảng viên, bao nhiêu người đã được số hóa hồ sơ đến 15/4/2026?"))
    assert "215 đảng viên" in ans["answer"] and "120 đảng viên" in ans["answer"], ans["answer"]
    ans = verbatim(district, answer_question(
        district, "Bản sao lưu phải lưu giữ bao lâu và Văn phòng Tỉnh ủy sao lưu vào lúc nào?"))
    assert "24 tháng" in ans["answer"] and "ngày làm việc cuối cùng của tháng" in ans["answer"], ans["answer"]


def test_when_a_meeting_was_held_who_chaired_it_and_who_signed_the_notice(district):
    ans = verbatim(district, answer_question(
        district, "Hội nghị Ban Thường vụ Đảng ủy xã Tân Lập về số hóa hồ sơ họp ngày nào, ai chủ trì và ai ký thông báo kết luận?"))
    for said in ("18/4/2026", "Lê Văn Bình", "Trần Thị Mai"):
        assert said in ans["answer"], ans["answer"]
    # the day it met is no duty's deadline
    assert "30/4" not in ans["answer"] and not ans["obligations"], ans["answer"]


def test_a_facet_the_sentence_already_quoted_answers_adds_nothing(district):
    """"bao nhiêu chi bộ và bao nhiêu đảng viên": one sentence states both; the second facet quotes no
    other sentence beside it."""
    ans = verbatim(district, answer_question(district, "Đảng bộ xã Tân Lập có bao nhiêu chi bộ và bao nhiêu đảng viên?"))
    assert [c["quote"] for c in ans["citations"]] == ["Đảng bộ xã có 9 chi bộ trực thuộc với 215 đảng viên."], ans["answer"]


def test_a_facet_asking_the_same_of_another_year(district):
    """"… đến hết năm 2026 phải đạt bao nhiêu, đến 2028 là bao nhiêu?": "đến 2028" is a facet of its own,
    answered by the bulleted target under the 2028 heading beside the 2026 one."""
    ans = verbatim(district, answer_question(
        district, "Đến hết năm 2026 tỷ lệ hồ sơ đảng viên được số hóa phải đạt bao nhiêu, đến 2028 là bao nhiêu?"))
    assert "60%" in ans["answer"] and "100%" in ans["answer"], ans["answer"]
