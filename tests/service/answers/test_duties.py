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
    # a figure asked of each item is no count of the items: never "Có 3 phần trăm"
    ans = answer_question(kb, "Các mục tiêu đến năm 2030 của KL 33 là những gì, mỗi mục tiêu bao nhiêu phần trăm?")
    assert not ans["reply"].startswith("Có 3"), ans["answer"]


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


def test_the_time_the_reply_states_is_not_said_again_on_the_duty_line(kb):
    ans = verbatim(kb, answer_question(kb, "Ban Tổ chức Tỉnh ủy phải biên soạn tài liệu bồi dưỡng bí thư chi bộ khi nào?"))
    lines = ans["answer"].splitlines()
    assert "quý II/2027" in lines[0], ans["answer"]
    duty = next(ln for ln in lines if "biên soạn tài liệu" in ln and ln.startswith("- "))
    assert "01/04/2027" not in duty, ans["answer"]  # the window is said once, in the first line


# ------------------------------------------------------------------------------- roles and times (issue 14)
# An invented commune "Phước Lâm" of a district "Tân Giang": a resolution with phases, deputies and the
# front's committee, and a Quy định with an article on what it does not cover.

RESOLUTION = """ĐẢNG BỘ HUYỆN TÂN GIANG
ĐẢNG ỦY XÃ PHƯỚC LÂM
*
Số 09-NQ/ĐU

ĐẢNG CỘNG SẢN VIỆT NAM
Phước Lâm, ngày 15 tháng 3 năm 2027

NGHỊ QUYẾT
về xây dựng thôn văn hóa kiểu mẫu trên địa bàn xã đến năm 2029

Căn cứ Kế hoạch số 61-KH/HU ngày 20/02/2027 của Ban Thường vụ Huyện ủy Tân Giang về xây dựng thôn văn hóa kiểu mẫu,

I. LỘ TRÌNH
- Giai đoạn 1: từ tháng 4 đến hết tháng 8/2027: khảo sát hiện trạng nhà văn hóa 06 thôn; chọn 02 thôn làm điểm.
- Giai đoạn 2: từ tháng 9/2027 đến hết tháng 2/2028: sửa chữa nhà văn hóa thôn điểm; lắp đèn chiếu sáng cho 04 tuyến đường liên thôn.

II. PHÂN CÔNG
1. Đồng chí Phó Chủ tịch Ủy ban nhân dân xã phụ trách văn hóa - xã hội:
- Chỉ đạo công chức văn hóa lập hồ sơ công nhận thôn văn hóa kiểu mẫu.
- Bố trí 40 triệu đồng hỗ trợ mỗi thôn điểm, hoàn thành trước ngày 31/10/2027.
2. Chủ tịch Ủy ban nhân dân xã ký quyết định thành lập Tổ công tác trong tháng 4/2027.
3. Đồng chí Chủ tịch Ủy ban MTTQ xã vận động nhân dân hiến đất mở rộng đường thôn; 6 tháng một lần báo cáo kết quả vận động với Ban Thường vụ Đảng ủy trước ngày 20/6 và trước ngày 20/12.
4. Các chi bộ thôn báo cáo 6 tháng trước ngày 08/6 và báo cáo năm trước ngày 08/12.
5. Văn phòng Đảng ủy báo cáo sơ kết việc thực hiện Nghị quyết (từ tháng 4 đến tháng 9/2027) gửi Ban Thường vụ Huyện ủy trước ngày 12/10/2027.
6. Giao Ban Thường vụ Đoàn xã:
- Tổ chức ngày hội thanh niên tình nguyện ngay sau khi dự án đường liên thôn được Ủy ban nhân dân huyện phê duyệt.
- Lập danh sách đoàn viên tham gia làm đường trong tháng 5/2027.
7. Ban Thường vụ Đoàn xã tổng kết phong trào thanh niên tình nguyện, báo cáo Đảng ủy trong quý IV/2027.
8. Bí thư Đảng ủy tiếp công dân vào ngày 10 hằng tháng tại trụ sở Đảng ủy; nếu ngày 10 trùng ngày nghỉ thì tiếp vào ngày làm việc kế tiếp.
9. Đồng chí Phó Bí thư Thường trực Đảng ủy tiếp công dân thay Bí thư Đảng ủy khi Bí thư vắng mặt có lý do.

III. ĐỐI TƯỢNG
1. Đối tượng: toàn thể đảng viên trong Đảng bộ xã, trừ đảng viên được miễn sinh hoạt đảng theo quy định. Đảng viên từ 75 tuổi trở lên không bắt buộc tham gia các buổi lao động công ích. Mỗi đảng viên tham gia ít nhất 03 buổi lao động công ích trong năm.

T/M ĐẢNG ỦY
BÍ THƯ
Trịnh Văn Khải
"""

RULE = """BAN CHẤP HÀNH ĐẢNG BỘ TỈNH HÀ NGUYÊN
*
Số 11-QĐi/TU

ĐẢNG CỘNG SẢN VIỆT NAM
Hà Nguyên, ngày 10 tháng 01 năm 2027

QUY ĐỊNH
về quản lý hồ sơ đảng viên điện tử

Chương I. QUY ĐỊNH CHUNG

Điều 1. Phạm vi điều chỉnh
Quy định này quy định việc lập, lưu giữ và khai thác hồ sơ đảng viên điện tử trong Đảng bộ tỉnh.

Điều 2. Trường hợp không áp dụng
1. Quy định này không áp dụng đối với hồ sơ của đảng viên thuộc diện Bộ Chính trị, Ban Bí thư quản lý.
2. Đảng viên đang ở nước ngoài lập hồ sơ theo hướng dẫn của Ban Tổ chức Trung ương.
3. Đảng bộ Biên phòng tỉnh thực hiện theo quy định của ngành.

Điều 3. Chế độ báo cáo
1. Ban Tổ chức Tỉnh ủy hằng năm, trước ngày 20/12, báo cáo Ban Thường vụ Tỉnh ủy kết quả thực hiện Quy định này.
2. Các huyện ủy báo cáo Ban Tổ chức Tỉnh ủy 6 tháng một lần, trước ngày 05/6 và trước ngày 05/12 hằng năm.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Hoàng Văn Lộc
"""


@pytest.fixture(scope="module")
def commune(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("commune"), tmp_path_factory.mktemp("commune-data"),
                  {"09-NQ-DU.txt": RESOLUTION, "11-QDi-TU.txt": RULE}) as kb:
        yield kb


def test_a_deputy_is_answered_with_the_deputys_duties_not_the_heads(commune):
    ans = verbatim(commune, answer_question(commune, "Tôi là PCT UBND xã phụ trách VH-XH, NQ 09 giao tôi làm gì, hạn khi nào?"))
    assert ans["kind"] == "obligations", ans["answer"]
    assert "hồ sơ công nhận thôn văn hóa" in ans["answer"] and "40 triệu đồng" in ans["answer"], ans["answer"]
    assert "ký quyết định thành lập" not in ans["answer"], ans["answer"]  # the chair's, not the deputy's
    ans = answer_question(commune, "Tôi là chủ tịch UBND xã, NQ 09 giao tôi làm gì?")
    assert "ký quyết định thành lập" in ans["answer"] and "40 triệu đồng" not in ans["answer"], ans["answer"]


def test_the_chair_of_the_front_committee_gets_the_posts_own_duties_first(commune):
    """"UB MTTQ" is the front's committee; the chair's own duties (named "Chủ tịch Ủy ban MTTQ xã") come
    before what binds them only as cán bộ, đảng viên; its two report days are one half-yearly rhythm."""
    ans = verbatim(commune, answer_question(commune, "Tôi là chủ tịch UB MTTQ xã Phước Lâm, NQ 09 giao tôi làm gì?"))
    lines = [ln for ln in ans["answer"].splitlines() if ln.startswith("- ")]
    assert lines and ("hiến đất" in lines[0] or "vận động" in lines[0]), ans["answer"]
    assert "20/6" in ans["answer"] and "20/12" in ans["answer"], ans["answer"]


def test_a_time_opening_a_deadline_question_says_which_duties(commune):
    """"Tháng 6 … phải nộp báo cáo gì, hạn ngày nào?": the reports due in June — a half-yearly rhythm by its
    June day — not a report due another month; a time after the report's name is the period it covers."""
    ans = verbatim(commune, answer_question(commune, "Tháng 6 các chi bộ thôn và Ủy ban MTTQ xã phải nộp báo cáo gì theo NQ 09, hạn ngày nào?"))
    assert ans["kind"] == "obligations", ans["answer"]
    assert "07/06/2027" in ans["answer"] and "19/06/2027" in ans["answer"], ans["answer"]  # the issue year's June
    assert "báo cáo năm" not in ans["answer"] and "12/10/2027" not in ans["answer"], ans["answer"]  # due another month
    ans = answer_question(commune, "Hạn gửi báo cáo sơ kết NQ 09 (từ tháng 4 đến tháng 9/2027) về BTV Huyện ủy là ngày nào?")
    assert "12/10/2027" in ans["reply"], ans["answer"]


def test_the_phase_asked_is_answered_whole_and_first(commune):
    """"Giai đoạn 2: từ tháng 9/2027 đến hết tháng 2/2028: a; b": every duty of the phase is of that time,
    and the phase is what the window asks for — listed before the other duties falling in it."""
    ans = verbatim(commune, answer_question(commune, "Từ tháng 9/2027 đến hết tháng 2/2028 theo NQ 09 phải làm những gì?"))
    assert ans["kind"] == "obligations", ans["answer"]
    lines = [ln for ln in ans["answer"].splitlines() if ln.startswith("- ")]
    assert "sửa chữa nhà văn hóa" in lines[0] and "đèn chiếu sáng" in lines[1], ans["answer"]
    assert "Giai đoạn 2: từ tháng 9/2027 đến hết tháng 2/2028" in " ".join(c["quote"] for c in ans["citations"])


def test_a_month_every_year_lists_the_reports_due_in_it(commune):
    ans = verbatim(commune, answer_question(commune, "Tháng 12 hằng năm theo QĐi 11 có những báo cáo nào phải nộp?"))
    assert ans["question_kind"] == "timewindow" and ans["kind"] == "obligations", ans["answer"]
    assert "20/12" in ans["answer"] and "05/12" in ans["answer"], ans["answer"]


def test_what_a_rule_does_not_cover_is_every_khoan_of_its_article(commune):
    ans = verbatim(commune, answer_question(commune, "Quy định 11-QĐi/TU không áp dụng đối với những trường hợp nào?"))
    assert "Bộ Chính trị" in ans["answer"] and "nước ngoài" in ans["answer"] and "Biên phòng" in ans["answer"], ans["answer"]
    assert "Điều 2. Trường hợp không áp dụng" not in [c["quote"] for c in ans["citations"]]  # a heading is no quote


def test_duties_of_a_document_the_store_does_not_hold_are_not_anothers(commune):
    ans = answer_question(commune, "Kế hoạch 61-KH/HU của BTV Huyện ủy Tân Giang giao các xã những nhiệm vụ nào, hạn khi nào?")
    assert ans["kind"] == "none" and "61-KH/HU" in ans["answer"], ans["answer"]


def test_a_body_no_document_names_gets_no_other_bodys_deadline(commune):
    ans = answer_question(commune, "Hội Cựu chiến binh xã Phước Lâm phải báo cáo kết quả vận động trước ngày nào?")
    assert ans["kind"] == "none" and "Hội Cựu chiến binh" in ans["answer"], ans["answer"]
    ans = answer_question(commune, "Văn phòng Đảng ủy xã Phước Lâm gửi báo cáo sơ kết về BTV Huyện ủy trước ngày nào?")
    assert ans["kind"] == "obligations" and "12/10/2027" in ans["reply"], ans["answer"]


def test_a_duty_timed_by_an_event_is_the_one_asked_and_its_lead_ins_body_counts(commune):
    """"Giao Ban Thường vụ Đoàn xã: - Tổ chức ngày hội … ngay sau khi dự án … được … phê duyệt": the item is
    that body's (named by the lead-in) and timed by the event — not a dated duty nearby."""
    ans = verbatim(commune, answer_question(commune, "Khi nào Ban Thường vụ Đoàn xã Phước Lâm phải tổ chức ngày hội thanh niên tình nguyện?"))
    assert "ngay sau khi dự án đường liên thôn" in ans["reply"], ans["answer"]


def test_who_is_left_out_is_said_across_the_item(commune):
    """"Đối tượng: toàn thể đảng viên …, trừ đảng viên được miễn …" stands before the best sentence ("… không
    bắt buộc tham gia …"): both are quoted."""
    ans = verbatim(commune, answer_question(commune, "Đảng viên nào không phải tham gia các buổi lao động công ích theo NQ 09?"))
    assert "miễn sinh hoạt đảng" in ans["answer"] and "75 tuổi" in ans["answer"], ans["answer"]


def test_two_questions_each_with_its_mark_are_both_answered(commune):
    ans = verbatim(commune, answer_question(commune, "Nếu ngày 10 là ngày nghỉ thì bí thư ĐU xã tiếp công dân vào hôm nào? "
                                                     "Bí thư vắng mặt thì ai tiếp công dân?"))
    assert "ngày làm việc kế tiếp" in ans["answer"] and "Phó Bí thư Thường trực" in ans["answer"], ans["answer"]


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


NOTICE_HEADS = """ĐẢNG BỘ HUYỆN ĐỒNG XUÂN
ĐẢNG ỦY XÃ HÒA LẠC
*
Số 12-TB/ĐU

ĐẢNG CỘNG SẢN VIỆT NAM
Hòa Lạc, ngày 04 tháng 3 năm 2027

THÔNG BÁO
kết luận của Thường trực Đảng ủy

1. Trưởng Công an xã xây dựng phương án bảo đảm trật tự; ngày 20 hằng tháng gửi báo cáo bằng văn bản về Thường trực Đảng ủy.
2. Văn phòng Đảng ủy tổng hợp ý kiến, kiến nghị của cử tri, trình Thường trực Đảng ủy trước ngày 30/3/2027.
3. Đại hội các chi bộ hoàn thành trước ngày 30/5/2027; chi bộ có trên 50 đảng viên được kéo dài đến ngày 20/6/2027.

T/M ĐẢNG ỦY
BÍ THƯ
Hà Văn Lâm
"""


@pytest.fixture(scope="module")
def heads(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("heads"), tmp_path_factory.mktemp("heads-data"),
                  {"12-TB-DU.txt": NOTICE_HEADS}) as kb:
        yield kb


def test_a_body_whose_head_is_given_the_duty_gets_its_deadline(heads):
    ans = verbatim(heads, answer_question(heads, "Công an xã gửi báo cáo bằng văn bản vào ngày nào hằng tháng?"))
    assert ans["kind"] == "obligations" and "ngày 20 hằng tháng" in ans["reply"], ans["answer"]


def test_a_body_owning_the_duty_object_is_not_its_doer(heads):
    # "ý kiến, kiến nghị của cử tri": the voters own what is gathered, the office gathers it
    ans = verbatim(heads, answer_question(heads, "Khi nào phải tổng hợp ý kiến kiến nghị của cử tri?"))
    assert ans["kind"] == "obligations" and "30/03/2027" in ans["reply"], ans["answer"]


@pytest.mark.parametrize("question", ["Thông báo 12 giao những nhiệm vụ gì?", "TB 12-TB/ĐU giao nhung viec gi"])
def test_a_documents_duties_asked_as_a_whole_are_listed_with_who_does_each(heads, question):
    ans = verbatim(heads, answer_question(heads, question))
    assert ans["kind"] == "obligations" and ans["reply"].startswith("Thông báo 12-TB/ĐU giao"), ans["answer"]
    assert "Trưởng Công an xã —" in ans["answer"] and "Văn phòng Đảng ủy —" in ans["answer"], ans["answer"]
    assert "30/03/2027" in ans["answer"], ans["answer"]
    # one body asked about is a role's question, not the whole list
    ans = answer_question(heads, "TB 12 giao Văn phòng Đảng ủy những việc gì?")
    assert "Trưởng Công an xã" not in ans["answer"], ans["answer"]


@pytest.mark.parametrize("question, due", [
    ("Chi bộ có 64 đảng viên thì phải đại hội xong trước ngày nào?", "20/06/2027"),
    ("Chi bộ có 23 đảng viên thì phải đại hội xong trước ngày nào?", "30/05/2027"),
])
def test_the_clause_whose_size_condition_holds_gives_the_deadline(heads, question, due):
    ans = verbatim(heads, answer_question(heads, question))
    assert due in ans["reply"], ans["answer"]


def test_a_locality_typed_without_diacritics_that_no_document_names_is_refused(commune):
    ans = answer_question(commune, "xa Phuoc Son phai bao cao ket qua van dong truoc ngay nao")
    assert ans["kind"] == "none" and "Phuoc Son" in ans["answer"], ans["answer"]
    ans = answer_question(commune, "xa Phuoc Lam co bao nhieu dang vien")
    assert "Phuoc Lam" not in ans["answer"].split(":")[0], ans["answer"]  # a place the documents name is no refusal


PROCEDURE = """ĐẢNG ỦY XÃ HÒA LẠC
*
Số 05-HD/ĐU

ĐẢNG CỘNG SẢN VIỆT NAM
Hòa Lạc, ngày 04 tháng 3 năm 2027

HƯỚNG DẪN
quy trình thẩm tra lý lịch người xin vào Đảng

1. Thẩm tra lý lịch: Trong thời hạn 07 ngày làm việc kể từ ngày nhận đủ hồ sơ, chi bộ gửi văn bản đề nghị thẩm tra lý lịch đến cấp ủy nơi cư trú của người xin vào Đảng. Cấp ủy nơi được đề nghị có trách nhiệm trả lời chậm nhất 12 ngày làm việc kể từ ngày nhận văn bản.

T/M ĐẢNG ỦY
BÍ THƯ
Hà Văn Lâm
"""


@pytest.fixture(scope="module")
def procedure(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("proc"), tmp_path_factory.mktemp("proc-data"), {"05-HD-DU.txt": PROCEDURE}) as kb:
        yield kb


def test_the_act_asked_of_picks_its_step_of_a_procedure(procedure):
    # "phải trả lời trong bao lâu": the reply's time limit, not the earlier step sharing the question's words
    ans = verbatim(procedure, answer_question(
        procedure, "Cấp ủy nơi cư trú nhận được văn bản đề nghị thẩm tra lý lịch thì phải trả lời trong bao lâu?"))
    assert "12 ngày làm việc" in ans["reply"] and "07 ngày" not in ans["reply"], ans["answer"]


PROGRAMME = """ỦY BAN KIỂM TRA HUYỆN ỦY LŨNG VÂN
*
Số 11-CTr/UBKTHU

ĐẢNG CỘNG SẢN VIỆT NAM
Lũng Vân, ngày 20 tháng 01 năm 2028

CHƯƠNG TRÌNH
kiểm tra, giám sát năm 2028

II. NỘI DUNG, THỜI GIAN

| TT | Nội dung | Đối tượng | Thời gian | Đơn vị chủ trì |
|----|----------|-----------|-----------|----------------|
| 1 | Kiểm tra việc thu, nộp, quản lý đảng phí | Đảng ủy xã Sông Cầu và các chi bộ | Tháng 9/2028 | Chủ nhiệm Ủy ban Kiểm tra Huyện ủy |
| 2 | Giám sát việc ghi sổ đảng phí | Đảng ủy xã Sông Cầu | Quý II/2028 | Chủ nhiệm Ủy ban Kiểm tra Huyện ủy |

T/M ỦY BAN KIỂM TRA
CHỦ NHIỆM
Vi Thị Hảo
"""

REPORT = """ĐẢNG BỘ HUYỆN LŨNG VÂN
ĐẢNG ỦY XÃ SÔNG CẦU
*
Số 40-BC/ĐU

ĐẢNG CỘNG SẢN VIỆT NAM
Sông Cầu, ngày 05 tháng 7 năm 2028

BÁO CÁO
sơ kết công tác kiểm tra, giám sát 6 tháng đầu năm 2028

III. NHIỆM VỤ THỜI GIAN TỚI
1. Bí thư Đảng ủy: lãnh đạo việc thực hiện chương trình kiểm tra, giám sát; chủ trì hội nghị tổng kết công tác kiểm tra, giám sát năm 2028 trước ngày 15/12/2028.
2. Chủ nhiệm Ủy ban Kiểm tra Đảng ủy:
a) Giám sát việc ghi sổ đảng phí của các chi bộ trong tháng 10/2028;
b) Kiểm tra thu, nộp đảng phí cuối năm của các chi bộ trong tháng 12/2028.
3. Chủ tịch UBND xã:
a) Ban hành kế hoạch phòng, chống thiên tai của Ủy ban nhân dân xã trước ngày 20/8/2028.

T/M ĐẢNG ỦY
PHÓ BÍ THƯ
Nông Văn Tiến
"""


@pytest.fixture(scope="module")
def levels(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("levels"), tmp_path_factory.mktemp("levels-data"),
                  {"11-CTr-UBKTHU.md": PROGRAMME, "40-BC-DU.txt": REPORT}) as kb:
        yield kb


@pytest.mark.parametrize("question, due, other", [
    # the commune's committee acts through its chair: the chair's duty, not the district's row naming the commune
    ("UBKT Đảng ủy xã Sông Cầu giám sát ghi sổ đảng phí vào tháng mấy?", "10/2028", "Quý II"),
    # a table row's content cell is the duty itself, no heading the question names besides
    ("Ủy ban Kiểm tra Đảng ủy xã Sông Cầu kiểm tra thu nộp đảng phí cuối năm vào tháng mấy?", "12/2028", "9/2028"),
    # the head named in short ("Chủ tịch UBND xã"), the body typed without diacritics
    ("ubnd xa Song Cau phai ban hanh ke hoach phong chong thien tai truoc ngay nao", "20/08/2028", "không giao"),
])
def test_the_duty_of_the_head_of_the_body_asked_is_the_bodys(levels, question, due, other):
    ans = verbatim(levels, answer_question(levels, question))
    assert due in ans["reply"] and other not in ans["reply"], ans["answer"]


def test_a_deadline_asked_with_who_chairs_names_the_doer(levels):
    ans = verbatim(levels, answer_question(
        levels, "hoi nghi tong ket cong tac kiem tra giam sat cua xa phai to chuc truoc ngay nao, ai chu tri"))
    assert "15/12/2028" in ans["reply"] and "Bí thư Đảng ủy" in ans["answer"], ans["answer"]


REVIEW = """CHI BỘ THÔN BẢN PÁT
*
Số 03-HD/CB

ĐẢNG CỘNG SẢN VIỆT NAM
Bản Pát, ngày 10 tháng 3 năm 2028

HƯỚNG DẪN
quy trình xét khen thưởng đảng viên

1. Đảng viên được đề nghị khen thưởng làm bản tự nhận xét trong thời hạn 04 ngày làm việc kể từ ngày nhận được thông báo của chi bộ.
2. Danh sách đề nghị phải gửi đến các đảng viên chậm nhất 03 ngày trước ngày họp xét khen thưởng.
3. Chi bộ họp xem xét, biểu quyết trong thời hạn 08 ngày làm việc kể từ ngày nhận bản tự nhận xét.

T/M CHI BỘ
BÍ THƯ
Lò Thị Sen
"""


@pytest.fixture(scope="module")
def review(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("review"), tmp_path_factory.mktemp("review-data"), {"03-HD-CB.txt": REVIEW}) as kb:
        yield kb


def test_the_act_asked_is_the_duty_doing_it_not_the_one_timed_by_it(review):
    # "họp xét" is said "họp xem xét"; "trước ngày họp xét" only times another step
    ans = verbatim(review, answer_question(
        review, "Đảng viên có mấy ngày để làm bản tự nhận xét? rồi chi bộ phải họp xét trong bao lâu?"))
    assert "04 ngày làm việc" in ans["reply"] and "08 ngày làm việc" in ans["reply"], ans["answer"]


def test_a_bodys_duties_in_a_time_include_its_heads(levels):
    ans = verbatim(levels, answer_question(levels, "tháng 10/2028 Ủy ban Kiểm tra Đảng ủy xã Sông Cầu phải làm gì?"))
    assert "ghi sổ đảng phí" in ans["answer"] and ans["kind"] != "none", ans["answer"]


def test_who_does_a_point_is_its_lead_ins_post(levels):
    ans = verbatim(levels, answer_question(levels, "giám sát việc ghi sổ đảng phí của các chi bộ xong khi nào, ai làm?"))
    assert "Chủ nhiệm Ủy ban Kiểm tra Đảng ủy" in ans["answer"], ans["answer"]


STEPS = """HUYỆN ỦY ĐỒI MÂY
*
Số 61-KH/HU

ĐẢNG CỘNG SẢN VIỆT NAM
Đồi Mây, ngày 02 tháng 10 năm 2029

KẾ HOẠCH
quán triệt Quy định về văn hóa công vụ

1. Hội nghị quán triệt Quy định cấp huyện: Ban Tuyên giáo Huyện ủy chủ trì, xong trước ngày 25/10/2029.
2. Các chi bộ tổ chức quán triệt chậm nhất 15 ngày sau hội nghị cấp huyện.
3. Tháng 11/2030, Ban Dân vận Huyện ủy bình xét điển hình "Dân vận khéo" cấp huyện.
4. Văn phòng Huyện ủy báo cáo kết quả thực hiện Kế hoạch hằng tháng, trước ngày 20.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Tạ Văn Khiêm
"""


@pytest.fixture(scope="module")
def steps(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("steps"), tmp_path_factory.mktemp("steps-data"),
                  {"61-KH-HU.txt": STEPS}) as kb:
        yield kb


def test_a_step_another_duty_hangs_its_time_on_is_not_that_duty(steps):
    # "chậm nhất 15 ngày sau hội nghị cấp huyện" names the meeting only as its anchor
    ans = answer_question(steps, "hội nghị quán triệt cấp huyện phải tổ chức xong trước ngày mấy")
    assert "25/10/2029" in ans["reply"], ans["answer"]


def test_the_document_drawn_on_described_with_trong_is_no_topic(steps):
    # "trong kế hoạch của huyện" says where to look; "Kế hoạch" in a duty's words is no match for it
    ans = answer_question(steps, "thang 11/2030 co hoat dong gi trong ke hoach cua huyen")
    assert "Dân vận khéo" in ans["answer"], ans["answer"]


def test_what_follows_a_late_one_is_quoted_when_asked(steps_late):
    ans = verbatim(steps_late, answer_question(steps_late, "ho so de nghi khen thuong gui ve huyen han chot khi nao? gui tre thi sao"))
    assert "20/02/2030" in ans["reply"], ans["answer"]
    assert "không xét khen thưởng đối với hồ sơ gửi chậm" in ans["answer"], ans["answer"]
    plain = answer_question(steps_late, "ho so de nghi khen thuong gui ve huyen han chot khi nao")
    assert "gửi chậm" not in plain["answer"], plain["answer"]  # not asked: not quoted


@pytest.fixture(scope="module")
def steps_late(tmp_path_factory):
    text = STEPS.replace("4. Văn phòng Huyện ủy báo cáo",
                         "4. Hồ sơ đề nghị khen thưởng gửi về Ban Tổ chức Huyện ủy trước ngày 20/02/2030; không xét "
                         "khen thưởng đối với hồ sơ gửi chậm.\n5. Văn phòng Huyện ủy báo cáo")
    with invented(tmp_path_factory.mktemp("late"), tmp_path_factory.mktemp("late-data"), {"61-KH-HU.txt": text}) as kb:
        yield kb
