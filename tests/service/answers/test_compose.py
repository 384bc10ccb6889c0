"""Writing answers, on an invented regulation in a real embedded store: a chapter's or an article's
heading only names what follows, however its words match the question — it is never a quote."""
from __future__ import annotations

import pytest

from service.answers import answer_question
from support.kb import invented, verbatim

REGULATION = """TỈNH ỦY BÌNH NGUYÊN
BAN THƯỜNG VỤ
*
Số 19-QĐi/TU

ĐẢNG CỘNG SẢN VIỆT NAM
Bình Nguyên, ngày 09 tháng 5 năm 2026

# QUY ĐỊNH
## về quản lý hồ sơ đảng viên điện tử

## Chương I. QUY ĐỊNH CHUNG

### Điều 1. Phạm vi điều chỉnh
Quy định này quy định việc lập, cập nhật và bảo quản hồ sơ đảng viên điện tử trong Đảng bộ tỉnh.

## Chương II. BẢO QUẢN HỒ SƠ ĐẢNG VIÊN ĐIỆN TỬ

### Điều 2. Trách nhiệm của Văn phòng Tỉnh ủy
1. Văn phòng Tỉnh ủy sao lưu hồ sơ đảng viên điện tử mỗi tuần một lần.
2. Bản sao lưu hồ sơ được bảo quản tách biệt với máy chủ đang vận hành.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Đinh Văn Toàn
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("compose"), tmp_path_factory.mktemp("compose-data"),
                  {"19-QDi-TU.md": REGULATION}) as kb:
        yield kb


@pytest.mark.parametrize("question", [
    "bảo quản hồ sơ đảng viên điện tử như thế nào",  # the chapter's title: its words, in capitals
    "Trách nhiệm của Văn phòng Tỉnh ủy trong bảo quản hồ sơ đảng viên điện tử là gì",  # the article's
])
def test_a_heading_is_never_a_quote_however_its_words_match(kb, question):
    ans = verbatim(kb, answer_question(kb, question))
    assert ans["kind"] != "none", ans["answer"]
    quotes = [c["quote"] for c in ans["citations"]]
    assert not any(q.startswith(("Chương", "Điều 2.")) for q in quotes), ans["answer"]
    assert any("sao lưu" in q or "tách biệt" in q for q in quotes), ans["answer"]
