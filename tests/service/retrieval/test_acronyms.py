"""Acronyms no list knows, read from the stored documents: pure matching on invented text, then a
question through the real store."""
from __future__ import annotations

import pytest

from service.answers import answer_question
from service.retrieval.acronyms import best_phrase, expand, phrases_for, unknown_acronyms
from support.kb import invented, verbatim


def test_known_abbreviations_numbers_and_roman_numerals_are_not_unknown():
    assert unknown_acronyms("UBND xã và BCĐ GPMB mục IV của KH 12, TTPTQĐ huyện") == ["GPMB", "TTPTQĐ"]
    assert unknown_acronyms("học lớp QP-AN đối tượng 4") == ["QP-AN"]
    assert unknown_acronyms("tổ chức Đảng ở xã") == []


def test_a_phrase_is_found_by_its_syllables_initials_within_punctuation():
    texts = ["Ban chỉ đạo giải phóng mặt bằng huyện họp hằng tháng; giải phóng mặt bằng xong trước quý III.",
             "Giải phóng, mặt bằng"]  # a comma breaks a phrase
    assert phrases_for("GPMB", texts) == {"giải phóng mặt bằng": 2}  # counted once per spelling, as first written
    assert best_phrase("BCĐ", texts) == "Ban chỉ đạo"


def test_two_phrases_seen_as_often_say_nothing():
    assert best_phrase("BCĐK", ["báo cáo định kỳ", "ban chỉ đạo khu"]) is None


def test_expand_replaces_the_whole_token_only():
    assert expand("BCĐ huyện, BCĐX", "BCĐ", "Ban chỉ đạo") == "Ban chỉ đạo huyện, BCĐX"


PLAN = """HUYỆN ỦY NAM ĐÀ
*
Số 19-KH/HU

ĐẢNG CỘNG SẢN VIỆT NAM
Nam Đà, ngày 02 tháng 3 năm 2028

KẾ HOẠCH
giải phóng mặt bằng dự án đường vành đai

1. Ban chỉ đạo giải phóng mặt bằng huyện họp giao ban vào ngày 05 hằng tháng.
2. Ủy ban nhân dân các xã hoàn thành kiểm đếm đất đai, tài sản để giải phóng mặt bằng trước ngày 30/6/2028.
3. Trung tâm phát triển quỹ đất huyện lập phương án bồi thường, trình Ban chỉ đạo giải phóng mặt bằng trước ngày 31/7/2028.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Đinh Văn Khải
"""


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("acr"), tmp_path_factory.mktemp("acr-data"), {"19-KH-HU.txt": PLAN}) as kb:
        yield kb


def test_a_question_in_initials_is_answered_as_if_spelled_out(plan):
    ans = verbatim(plan, answer_question(plan, "TTPTQĐ huyện phải xong việc của mình trước ngày nào?"))
    assert "31/07/2028" in ans["reply"], ans["answer"]


def test_a_question_typed_without_diacritics_gets_the_phrase_without_them(plan):
    from service.records import access_levels
    from service.retrieval.acronyms import resolve

    out = resolve(plan.retriever, "TTPTQD huyen phai lap phuong an boi thuong truoc ngay nao", access_levels(("read",)))
    assert out.startswith("trung tam phat trien quy dat huyen"), out


def test_an_acronym_the_texts_write_with_a_hyphen_is_taken_as_written():
    from service.retrieval.acronyms import written_as

    assert written_as("QPAN", ["Bồi dưỡng kiến thức QP-AN đối tượng 4"]) == "QP-AN"
    assert written_as("QPAN", ["quốc phòng và an ninh"]) is None


def test_a_place_typed_by_its_initials_after_its_unit():
    from service.retrieval.acronyms import place_for

    texts = ["Ban Thường vụ Huyện ủy Nam Đà giao các xã …", "huyện Nam Đà có 19 xã", "Tỉnh ủy Bắc Thạch"]
    assert place_for("Huyện", "NĐ", texts) == "Nam Đà"
    assert place_for("huyen", "BT", texts) is None  # no district of those initials
