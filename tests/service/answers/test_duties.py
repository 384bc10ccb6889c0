"""Which duty a deadline question is about, on invented documents in a real embedded store: a clause of
a long item is found by its own words (not by the item's opening words, which only one clause holds),
and a day alone in a duty table's time column is the day asked for."""
from __future__ import annotations

import pytest

from service.answers import answer_question
from support.kb import invented, verbatim

CONCLUSION = """TỈNH ỦY HÀ NGUYÊN
*
Số 33-KL/TU

ĐẢNG CỘNG SẢN VIỆT NAM
Hà Nguyên, ngày 10 tháng 02 năm 2027

KẾT LUẬN
về nâng cao chất lượng sinh hoạt chi bộ

II. MỤC TIÊU ĐẾN NĂM 2030
1. 100% thôn, tổ dân phố có chi bộ; không còn thôn chưa có đảng viên.
2. Hằng năm có ít nhất 80% chi bộ được xếp loại hoàn thành tốt nhiệm vụ trở lên.
3. Đến năm 2030, 95% đảng viên dự sinh hoạt chi bộ thường kỳ.

IV. TỔ CHỨC THỰC HIỆN
1. Các huyện ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy tổ chức quán triệt Kết luận này; ban hành kế hoạch hoặc hướng dẫn thực hiện phù hợp với địa phương, hoàn thành trước ngày 31/3/2027. Định kỳ hằng quý, trước ngày 20 của tháng cuối quý, báo cáo kết quả thực hiện về Ban Thường vụ Tỉnh ủy.
2. Ban Tổ chức Tỉnh ủy biên soạn tài liệu bồi dưỡng bí thư chi bộ, hoàn thành trong quý II/2027.
3. Trưởng thôn, tổ trưởng tổ dân phố thông báo tại sinh hoạt chi bộ kết quả thực hiện các chỉ tiêu kinh tế - xã hội của thôn.
4. Ủy ban Kiểm tra Tỉnh ủy giám sát chuyên đề tại 05 huyện ủy trong quý II/2027.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Nông Văn Sơn
"""

PLAN = """ĐẢNG BỘ HUYỆN LÂM TRƯỜNG
ĐẢNG ỦY XÃ AN PHÚ
*
Số 05-KH/ĐU

ĐẢNG CỘNG SẢN VIỆT NAM
An Phú, ngày 02 tháng 4 năm 2027

KẾ HOẠCH
thực hiện Kết luận số 33-KL/TU về nâng cao chất lượng sinh hoạt chi bộ

I. PHÂN CÔNG THỰC HIỆN

TT | Nội dung | Chủ trì | Phối hợp | Thời gian
1 | Hội nghị quán triệt Kết luận số 33-KL/TU | Thường trực Đảng ủy | Văn phòng Đảng ủy | Ngày 20/4
2 | Rà soát sổ ghi nghị quyết chi bộ | Chi ủy các chi bộ thôn | Văn phòng Đảng ủy | Trước ngày 30/5

T/M BAN THƯỜNG VỤ
BÍ THƯ
Lò Văn Hùng
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("invented"), tmp_path_factory.mktemp("invented-data"),
                  {"33-KL-TU.txt": CONCLUSION, "05-KH-DU.txt": PLAN}) as kb:
        yield kb


def test_a_clause_of_a_long_item_is_found_by_its_own_words(kb):
    ans = verbatim(kb, answer_question(kb, "Các huyện ủy phải ban hành kế hoạch, hướng dẫn thực hiện KL 33 trước ngày nào?"))
    assert "31/03/2027" in ans["reply"], ans["answer"]
    ans = answer_question(kb, "Các huyện ủy báo cáo kết quả thực hiện KL 33 về Ban Thường vụ Tỉnh ủy khi nào?")
    assert "ngày 20 của tháng cuối quý" in ans["reply"], ans["answer"]


def test_a_day_in_a_tables_time_column_is_the_day_asked(kb):
    ans = verbatim(kb, answer_question(kb, "Hội nghị quán triệt KL 33 ở xã An Phú tổ chức ngày nào?"))
    assert ans["kind"] == "obligations" and "20/04/2027" in ans["reply"], ans["answer"]


def test_a_post_the_text_names_is_a_role_and_the_source_named_is_no_subject(kb):
    """"Trưởng thôn" is a post the text gives a duty; "trong buổi sinh hoạt chi bộ" is what it is asked
    about ("buổi" only counts meetings), "theo KL của Tỉnh ủy" where from."""
    ans = verbatim(kb, answer_question(kb, "Trưởng thôn cần làm gì trong buổi sinh hoạt chi bộ theo KL của Tỉnh ủy?"))
    assert ans["kind"] == "obligations" and (ans.get("role_applied") or "").startswith("Trưởng thôn"), ans["answer"]
    assert "chỉ tiêu kinh tế - xã hội" in ans["answer"], ans["answer"]


def test_from_now_leaves_out_what_fell_due_before_today(kb):
    from datetime import date

    ans = answer_question(kb, "Từ nay đến cuối năm 2027 các huyện ủy phải làm những việc gì theo KL 33?",
                          as_of=date(2027, 5, 1))
    assert "tháng cuối quý" in ans["answer"] and "31/3/2027" not in ans["answer"], ans["answer"]
    ans = answer_question(kb, "Đến cuối năm 2027 các huyện ủy phải làm những việc gì theo KL 33?", as_of=date(2027, 5, 1))
    assert "31/3/2027" in ans["answer"], ans["answer"]


def test_how_many_items_a_named_section_lists_is_counted(kb):
    """"có mấy mục tiêu, là những mục tiêu nào?": the items of "MỤC TIÊU ĐẾN NĂM 2030", counted — each
    quoted (an item opening with a figure, "1. 100% thôn …", is one), no bare "1." quoted."""
    ans = verbatim(kb, answer_question(kb, "KL 33 đặt ra mấy mục tiêu, là những mục tiêu nào?"))
    assert ans["reply"].startswith("Có 3 mục tiêu"), ans["answer"]
    quotes = [c["quote"] for c in ans["citations"]]
    assert any(q.startswith("100% thôn") for q in quotes) and not any(q.strip() in ("1.", "3.") for q in quotes)
    ans = answer_question(kb, "Kể tên các mục tiêu đến năm 2030 trong KL 33")
    assert ans["question_kind"] == "list" and "95% đảng viên" in ans["answer"], ans["answer"]


def test_the_words_of_asking_what_falls_due_filter_nothing(kb):
    """"có nhiệm vụ nào phải hoàn thành" asks for every duty of the window, not those saying "hoàn thành";
    "KL 33 của Tỉnh ủy" names the document, not a duty's words."""
    ans = answer_question(kb, "Trong quý II/2027 KL 33 của Tỉnh ủy có nhiệm vụ nào phải hoàn thành?")
    assert "biên soạn tài liệu" in ans["answer"] and "giám sát chuyên đề" in ans["answer"], ans["answer"]


def test_a_month_without_a_year_is_the_next_one_the_plans_speak_of(kb):
    from datetime import date

    ans = answer_question(kb, "Tháng 6 Ban Tổ chức Tỉnh ủy phải làm gì?", as_of=date(2026, 12, 7))
    assert "30/06/2027" in ans["answer"] and "biên soạn tài liệu" in ans["answer"], ans["answer"]


def test_the_whole_level_names_no_body(kb):
    ans = answer_question(kb, "Trong quý II/2027 toàn tỉnh phải làm xong những gì?")
    assert "biên soạn tài liệu" in ans["answer"] and "giám sát chuyên đề" in ans["answer"], ans["answer"]


def test_an_item_under_a_heading_is_no_list_of_its_own(kb):
    """"… những mục tiêu nào đến năm 2030?": the items of "MỤC TIÊU ĐẾN NĂM 2030", not the one item that
    opens with "Đến năm 2030"."""
    ans = verbatim(kb, answer_question(kb, "KL 33 đặt ra những mục tiêu nào đến năm 2030?"))
    assert "100% thôn" in ans["answer"] and "80% chi bộ" in ans["answer"], ans["answer"]


def test_a_body_no_duty_names_gets_no_other_bodys_deadline(kb):
    # The women's union is given nothing: the Ban Tổ chức's or a huyện ủy's deadline is no answer.
    ans = answer_question(kb, "Hội Liên hiệp Phụ nữ xã An Phú phải báo cáo kết quả thực hiện KL 33 trước ngày nào?")
    assert ans["kind"] == "none" and "Hội Liên hiệp Phụ nữ xã An Phú" in ans["answer"], ans["answer"]
    assert "31/03/2027" not in ans["answer"] and not ans["obligations"]
    # asked "khi nào …" first, or as the owner of the duty ("Hạn … của …"), it is the same body
    ans = answer_question(kb, "Khi nào Hội Liên hiệp Phụ nữ xã An Phú phải báo cáo kết quả thực hiện KL 33?")
    assert ans["kind"] == "none" and not ans["obligations"], ans["answer"]
    ans = answer_question(kb, "Hạn báo cáo kết quả thực hiện KL 33 của Hội Liên hiệp Phụ nữ xã An Phú là ngày nào?")
    assert ans["kind"] == "none" and not ans["obligations"], ans["answer"]
    # nor is it given everyone's duties of a time window
    ans = answer_question(kb, "Trong quý II/2027 Hội Liên hiệp Phụ nữ xã An Phú phải làm xong những việc gì?")
    assert ans["kind"] == "none" and not ans["obligations"], ans["answer"]
    # a body that is given the duty keeps its deadline
    ans = answer_question(kb, "Ban Tổ chức Tỉnh ủy phải biên soạn tài liệu bồi dưỡng bí thư chi bộ khi nào?")
    assert "II/2027" in ans["reply"], ans["answer"]
    # a body that sets the duty is not the one doing it: "Tỉnh ủy yêu cầu …" asks the duty it sets
    ans = answer_question(kb, "Tỉnh ủy yêu cầu các huyện ủy ban hành kế hoạch thực hiện KL 33 trước ngày nào?")
    assert "31/03/2027" in ans["reply"], ans["answer"]
