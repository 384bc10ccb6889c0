"""Duties of a role, on an invented ward plan in a real embedded store: the post as the plan names it
comes first (not another post of the same rank), a union's head is no party committee's secretary,
a year asked for keeps the post's standing duties and rhythms without a day, and where the asker
works ("ở công ty …") is part of who they are, not of what they ask."""
from __future__ import annotations

import pytest

from service.answers import answer_question
from support.kb import invented, verbatim

PLAN = """ĐẢNG BỘ THỊ XÃ SÔNG MÂY
ĐẢNG ỦY PHƯỜNG HÒA LẠC
*
Số 12-KH/ĐU

ĐẢNG CỘNG SẢN VIỆT NAM
Hòa Lạc, ngày 06 tháng 3 năm 2027

KẾ HOẠCH
nâng cao chất lượng sinh hoạt chi bộ khu phố

I. NHIỆM VỤ CỦA CÁC CHỨC DANH
1. Bí thư Đảng ủy: Chủ trì hội nghị sơ kết vào tháng 7/2027.
2. Bí thư chi bộ khu phố: Ghi sổ nghị quyết chi bộ đầy đủ; gặp từng hộ gia đình đảng viên ít nhất mỗi quý một lần; đôn đốc đảng viên đóng đảng phí.
3. Bí thư chi bộ cơ quan và chi bộ trường học: Tổ chức sinh hoạt chuyên đề về cải cách hành chính; không để quá 03 tháng không sinh hoạt chuyên đề.
4. Chủ tịch Công đoàn cơ sở: Giới thiệu ít nhất 03 đoàn viên công đoàn tiêu biểu mỗi năm cho chi bộ; vận động người lao động tham gia phong trào thi đua.
5. Bí thư Đoàn phường: Giới thiệu ít nhất 04 đoàn viên ưu tú mỗi năm cho các chi bộ; duy trì đội thanh niên tình nguyện.

II. TỔ CHỨC THỰC HIỆN
Đảng ủy các phường báo cáo kết quả về Ban Thường vụ Thị ủy trước ngày 15/11/2027.

T/M ĐẢNG ỦY
BÍ THƯ
Đinh Văn Long
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("invented"), tmp_path_factory.mktemp("invented-data"),
                  {"12-KH-DU.txt": PLAN}) as kb:
        yield kb


def _lines(ans: dict) -> list[str]:
    return [ln for ln in ans["answer"].splitlines() if ln.startswith("- ")]


def test_the_post_as_the_plan_names_it_comes_before_another_post_of_its_rank(kb):
    ans = verbatim(kb, answer_question(kb, "Tôi là bí thư chi bộ khu phố 4, theo KH 12 tôi phải làm gì?"))
    assert ans["kind"] == "obligations", ans["answer"]
    lines = _lines(ans)
    own = [i for i, ln in enumerate(lines) if "Ghi sổ nghị quyết" in ln or "đảng phí" in ln or "mỗi quý" in ln]
    other = [i for i, ln in enumerate(lines) if "chuyên đề" in ln]  # the duty of the chi bộ cơ quan's head
    assert len(own) == 3 and own == [0, 1, 2] and all(i > 2 for i in other), ans["answer"]
    assert "mỗi quý một lần" in ans["answer"], ans["answer"]


def test_a_unions_head_takes_the_unions_duties_not_a_party_committees(kb):
    ans = verbatim(kb, answer_question(kb, "Tôi là Bí thư Đoàn phường Hòa Lạc, tôi phải làm gì?"))
    assert "04 đoàn viên ưu tú" in ans["answer"], ans["answer"]
    assert "15/11/2027" not in ans["answer"]  # the party committees' report is not the Youth Union's
    ans = verbatim(kb, answer_question(kb, "toi la chu tich cong doan co so o cong ty giay Minh Phat thi phai lam gi"))
    assert ans["kind"] == "obligations" and "03 đoàn viên công đoàn" in ans["answer"], ans["answer"]
    assert "15/11/2027" not in ans["answer"]


def test_a_year_asked_for_keeps_standing_duties_and_rhythms_without_a_day(kb):
    ans = verbatim(kb, answer_question(kb, "Tôi là Bí thư Đoàn phường, năm 2027 tôi phải làm gì?"))
    assert ans["kind"] == "obligations", ans["answer"]
    assert "04 đoàn viên ưu tú" in ans["answer"] and "thanh niên tình nguyện" in ans["answer"], ans["answer"]
    # a year the plan was not yet issued in holds none of its standing duties
    ans = answer_question(kb, "Tôi là Bí thư Đoàn phường, năm 2026 tôi phải làm gì?")
    assert "04 đoàn viên ưu tú" not in ans["answer"], ans["answer"]
