"""List questions that pick rows of a table by one of its columns, on invented documents in a real
embedded store: the rows whose lead column names the body asked about (not those where it only
works with the lead body), the rows whose time column says "thường xuyên" — those rows and no others."""
from __future__ import annotations

import pytest

from service.answers import answer_question
from support.digitization import DOCS
from support.kb import invented, verbatim


# A table with one body column, its header opening with a generic noun ("Đơn vị chủ trì"), cells written
# with abbreviations, and a body whose name holds another's ("Chi ủy các chi bộ thôn" / "Các chi bộ thôn").
PROGRAMME = """ĐẢNG BỘ HUYỆN SƠN HÀ
ĐẢNG ỦY XÃ TÂN LẬP
*
Số 11-CTr/ĐU

ĐẢNG CỘNG SẢN VIỆT NAM
Tân Lập, ngày 02 tháng 5 năm 2026

CHƯƠNG TRÌNH
công tác số hóa hồ sơ đảng viên năm 2026

I. PHÂN CÔNG
TT | Nội dung | Đơn vị chủ trì | Thời gian
1 | Rà soát danh sách đảng viên | Chi ủy các chi bộ thôn | Tháng 5/2026
2 | Nhập hồ sơ vào phần mềm | Các chi bộ thôn | Tháng 6/2026
3 | Bố trí máy tính cho tổ nhập liệu | UBND xã | Tháng 6/2026
4 | Kiểm tra chất lượng dữ liệu | Chi ủy các chi bộ thôn | Tháng 8/2026
5 | Tuyên truyền về số hóa | Ban Tuyên giáo và Dân vận | Tháng 9/2026

T/M ĐẢNG ỦY
BÍ THƯ
Lê Văn Bình
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    docs = {k: v for k, v in DOCS.items() if k.startswith(("14-CT", "08-KH"))} | {"11-CTr-DU.txt": PROGRAMME}
    with invented(tmp_path_factory.mktemp("invented"), tmp_path_factory.mktemp("invented-data"), docs) as kb:
        yield kb


def _rows(ans: dict) -> set[str]:
    return {c["section"] for c in ans["citations"]}


def test_the_rows_a_body_leads_and_only_those(kb):
    ans = verbatim(kb, answer_question(kb, "Trong bảng phân công của Chỉ thị 14, Văn phòng Huyện ủy chủ trì những việc nào?"))
    assert _rows(ans) == {"II, dòng 1", "II, dòng 3"}, ans["answer"]  # row 2: the office only works with the lead
    assert ans["reply"].startswith("Bảng có 2 dòng") and "Mua sắm máy quét tài liệu" in ans["reply"], ans["answer"]
    ans = verbatim(kb, answer_question(kb, "Văn phòng Huyện ủy phối hợp thực hiện những việc nào theo Chỉ thị 14?"))
    assert _rows(ans) == {"II, dòng 2"}, ans["answer"]


def test_the_rows_whose_time_cell_says_it_is_continuous(kb):
    ans = verbatim(kb, answer_question(kb, "Kể tên các nhiệm vụ có thời gian là thường xuyên trong Chỉ thị 14"))
    assert _rows(ans) == {"II, dòng 3", "II, dòng 4"}, ans["answer"]  # "Thường xuyên, mỗi quý một lần" too


def test_a_column_named_without_a_value_of_it_picks_no_rows(kb):
    """"Cơ quan nào chủ trì việc rà soát hồ sơ?" names no body: the row that answers is found by its task."""
    ans = verbatim(kb, answer_question(kb, "Những cơ quan nào chủ trì việc rà soát hồ sơ đảng viên các chi bộ?"))
    assert not ans["reply"].startswith("Bảng có"), ans["answer"]
    assert any("Ban Tổ chức Huyện ủy" in c["quote"] for c in ans["citations"]), ans["answer"]


def test_a_lone_body_column_is_named_by_its_verb_and_the_fullest_name_picks_the_rows(kb):
    """"Đơn vị chủ trì" is named by "chủ trì"; "Chi ủy các chi bộ thôn" leaves out the rows of "Các chi bộ
    thôn"; "UBND xã" in a cell is the "Ủy ban nhân dân xã" the question writes out."""
    ans = verbatim(kb, answer_question(kb, "Theo Chương trình 11, chi ủy các chi bộ thôn chủ trì những việc nào?"))
    assert _rows(ans) == {"I, dòng 1", "I, dòng 4"}, ans["answer"]
    ans = verbatim(kb, answer_question(kb, "Theo Chương trình 11, Ủy ban nhân dân xã chủ trì những việc nào?"))
    assert _rows(ans) == {"I, dòng 3"}, ans["answer"]
    ans = verbatim(kb, answer_question(kb, "Theo Chương trình 11, Ban Tuyên giáo và Dân vận chủ trì những việc nào?"))
    assert _rows(ans) == {"I, dòng 5"}, ans["answer"]
