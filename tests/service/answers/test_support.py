"""The level of a document's issuer, read from its name (no store needed)."""
from __future__ import annotations

import pytest

from service.answers.support import issuer_level


@pytest.mark.parametrize("issuer, level", [
    ("Chi bộ Cơ quan Ủy ban nhân dân xã An Thạch", "xa"),  # "cơ quan Ủy ban" holds no "quận ủy"
    ("Ban Thường vụ Huyện ủy Kỳ Phong", "huyen"),
    ("Đảng ủy xã Phú Lâm", "xa"),
    ("Ban Thường vụ Tỉnh ủy Trà Giang", "tinh"),
    ("Ủy ban Kiểm tra Tỉnh ủy", "tinh"),
    ("Văn phòng Huyện ủy Hòa Mỹ, huyện Hòa Mỹ", "huyen"),
])
def test_issuer_level(issuer, level):
    assert issuer_level({"issuer": issuer}) == level


@pytest.mark.parametrize("word, text, stated", [
    ("lan thu", "Nghị quyết Hội nghị lần thứ năm Ban Chấp hành Đảng bộ huyện", True),
    ("lan thu", "Hội nghị lần thứ 12 của Ban Chấp hành", True),
    ("khoa", "Ban Chấp hành Đảng bộ tỉnh khóa XVII", True),
    ("lan thu", "Căn cứ Nghị quyết số 07-NQ/TU của Ban Chấp hành Đảng bộ tỉnh về chuyển đổi số", False),
    ("dot", "kết nạp đảng viên đợt hai năm 2026", True),
])
def test_an_ordinal_is_stated_only_with_its_value(word, text, stated):
    from service.answers.support import states_ordinal

    assert states_ordinal(word, text) is stated


DISCIPLINE = """ỦY BAN KIỂM TRA TỈNH ỦY BÌNH NGUYÊN
*
Số 04-QĐ/UBKT

ĐẢNG CỘNG SẢN VIỆT NAM
Bình Nguyên, ngày 11 tháng 3 năm 2026

QUY ĐỊNH
về tiếp nhận đơn đề nghị xem xét kỷ luật

Điều 1. Phạm vi
Quy định này quy định việc tiếp nhận, phân loại đơn đề nghị xem xét kỷ luật đảng viên.
Điều 2. Thời hạn
Ủy ban kiểm tra trả lời đơn trong thời hạn 30 ngày kể từ ngày nhận đơn; hình thức trả lời bằng văn bản.
Điều 3. Trách nhiệm
Văn phòng Ủy ban kiểm tra chịu trách nhiệm lưu hồ sơ đơn đề nghị xem xét kỷ luật.
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    from support.kb import invented

    with invented(tmp_path_factory.mktemp("support"), tmp_path_factory.mktemp("support-data"),
                  {"04-QD-UBKT.txt": DISCIPLINE}) as kb:
        yield kb


def test_a_verb_naming_a_kind_of_the_noun_before_it_is_a_subject_the_document_lacks(kb):
    """"hình thức kỷ luật khiển trách": the document treats discipline but never the reprimand."""
    from service.answers import answer_question

    ans = answer_question(kb, "Quy định 04 quy định hình thức kỷ luật khiển trách với đảng viên vi phạm như thế nào?")
    assert ans["kind"] == "none", ans["answer"]
    ans = answer_question(kb, "Quy định 04 quy định thời hạn trả lời đơn đề nghị xem xét kỷ luật thế nào?")
    assert ans["kind"] != "none" and "30 ngày" in ans["answer"], ans["answer"]


def test_a_committee_typed_without_diacritics_that_no_document_names_is_said_absent(kb):
    from service.answers import answer_question

    ans = answer_question(kb, "tinh uy ha son quy dinh thoi han tra loi don de nghi xem xet ky luat la bao lau")
    assert ans["kind"] == "none" and "tinh uy ha son" in ans["answer"], ans["answer"]
    ans = answer_question(kb, "tinh uy binh nguyen quy dinh thoi han tra loi don de nghi xem xet ky luat la bao lau")
    assert ans["kind"] != "none" and "30 ngày" in ans["answer"], ans["answer"]


REVIEW_REPORT = """ĐẢNG BỘ HUYỆN ĐỒI MÂY
ĐẢNG ỦY XÃ KHE LAU
*
Số 52-BC/ĐU

ĐẢNG CỘNG SẢN VIỆT NAM
Khe Lau, ngày 10 tháng 12 năm 2029

BÁO CÁO
kết quả kiểm điểm năm 2029

I. ĐÁNH GIÁ KẾT QUẢ NĂM 2029
1. Kết quả xếp loại năm 2028: 31 đảng viên "Hoàn thành xuất sắc nhiệm vụ", 140 đảng viên "Hoàn thành tốt nhiệm vụ".
2. Năm 2029, 100% chi bộ hoàn thành kiểm điểm trước ngày 25/12/2029, tăng 3 chi bộ so với năm 2028.

T/M ĐẢNG ỦY
BÍ THƯ
Hà Thị Nhàn
"""


@pytest.fixture(scope="module")
def years(tmp_path_factory):
    from support.kb import invented

    with invented(tmp_path_factory.mktemp("years"), tmp_path_factory.mktemp("years-data"),
                  {"52-BC-DU.txt": REVIEW_REPORT}) as kb:
        yield kb


def test_a_year_a_sentence_ties_to_the_thing_asked_is_its_own_whatever_its_heading(years):
    from service.answers import answer_question

    # "Kết quả xếp loại năm 2028" under "ĐÁNH GIÁ KẾT QUẢ NĂM 2029": no figure for 2029's grading
    ans = answer_question(years, "Năm 2029 xã Khe Lau có bao nhiêu đảng viên được xếp loại hoàn thành xuất sắc nhiệm vụ?")
    assert ans["kind"] == "none", ans["answer"]
    ans = answer_question(years, "Năm 2028 xã Khe Lau có bao nhiêu đảng viên được xếp loại hoàn thành xuất sắc nhiệm vụ?")
    assert ans["kind"] != "none" and "31 đảng viên" in ans["answer"], ans["answer"]
    # a year compared with ("so với năm 2028") is not the sentence's own
    ans = answer_question(years, "Năm 2029 bao nhiêu % chi bộ xã Khe Lau hoàn thành kiểm điểm?")
    assert ans["kind"] != "none" and "100%" in ans["answer"], ans["answer"]


def test_a_year_compared_with_is_not_the_sentences_year(years):
    from service.answers import answer_question

    # "tăng 3 chi bộ so với năm 2028" speaks of 2029 compared with 2028: no figure of 2028 itself
    ans = answer_question(years, "Năm 2028 bao nhiêu % chi bộ xã Khe Lau hoàn thành kiểm điểm?")
    assert ans["kind"] == "none", ans["answer"]
