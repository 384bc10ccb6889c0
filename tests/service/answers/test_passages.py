"""Sentences chosen for content questions, on invented documents in a real embedded store: a count
asked ("có mấy bước") is answered by the sentence that states it, a table row is read with its
columns' names, a document's header and signature are never quoted as content, and a question whose
key word the named document never uses is not answered from it."""
from __future__ import annotations

import pytest

from service.answers import answer_question
from support.kb import invented, verbatim

GUIDANCE = """ĐẢNG BỘ TỈNH HÀ NGUYÊN
BAN TUYÊN GIÁO
*
Số 31-HD/BTGTU

ĐẢNG CỘNG SẢN VIỆT NAM
Hà Nguyên, ngày 12 tháng 3 năm 2026

HƯỚNG DẪN
về sinh hoạt chuyên đề của chi bộ năm 2026

I. YÊU CẦU CHUNG
1. Các chi bộ tổ chức sinh hoạt chuyên đề gắn với nhiệm vụ chính trị của cơ quan, đơn vị; nội dung thiết thực, tránh hình thức.
2. Đảng viên chuẩn bị ý kiến tham gia trước buổi sinh hoạt; cấp ủy cấp trên cử cán bộ dự khi cần thiết.

II. QUY TRÌNH
1. Buổi sinh hoạt chuyên đề được tiến hành theo năm bước: chuẩn bị nội dung, thông qua cấp ủy, tổ chức thảo luận, kết luận của chủ trì, ghi biên bản.
2. Chi ủy phân công đảng viên chuẩn bị báo cáo đề dẫn; báo cáo đề dẫn gửi đảng viên trước ít nhất ba ngày.
3. Kết quả sinh hoạt được ghi vào sổ nghị quyết của chi bộ và báo cáo đảng ủy cấp trên.
4. Thời lượng mỗi buổi sinh hoạt chuyên đề từ 60 đến 90 phút; mỗi ý kiến phát biểu không quá 10 phút.
5. Danh mục chuyên đề đã được cấp ủy duyệt có giá trị trong thời hạn không quá 12 tháng kể từ ngày duyệt.
6. Chi ủy gửi báo cáo tổng hợp sinh hoạt chuyên đề về Ban Tuyên giáo trước ngày 15/12/2026.
7. Trường hợp cần thiết, chi ủy có thể đổi chuyên đề một lần trong năm.

III. KẾT QUẢ NĂM 2025
TT	Chỉ tiêu	Kế hoạch	Thực hiện	Tỷ lệ (%)
1	Chi bộ sinh hoạt chuyên đề hằng quý	420	389	92,6
2	Đảng viên tham dự sinh hoạt chuyên đề	9.800	8.967	91,5

IV. TỔ CHỨC
1. Về kinh phí sinh hoạt chuyên đề của các chi bộ trực thuộc năm 2026
Kinh phí sinh hoạt chuyên đề do đảng ủy cơ sở bảo đảm từ nguồn đảng phí được trích lại.
2. Năm 2026, Ban Tuyên giáo mở 04 lớp bồi dưỡng báo cáo viên cơ sở; tổng kinh phí 180 triệu đồng từ ngân sách tỉnh.

T/M BAN TUYÊN GIÁO
TRƯỞNG BAN
Nguyễn Văn Thạch

Nơi nhận:
- Các chi bộ trực thuộc,
- Lưu Văn phòng.
"""


REPORT = """ĐẢNG BỘ HUYỆN BẮC SƠN
ĐẢNG ỦY XÃ AN MỸ
*
Số 12-BC/ĐU

ĐẢNG CỘNG SẢN VIỆT NAM
An Mỹ, ngày 20 tháng 4 năm 2026

BÁO CÁO
kết quả sinh hoạt chuyên đề quý I năm 2026

1. Các chi bộ đã hoàn thành sinh hoạt chuyên đề quý I trước ngày 31/3/2026; chi bộ thôn Đông chậm hơn một tuần do mùa vụ.
2. Đảng ủy đã tổ chức kiểm tra sổ nghị quyết của 12 chi bộ trực thuộc.
3. Doanh thu của hợp tác xã nông nghiệp do chi bộ thôn Đông lãnh đạo đạt 2,5 tỷ đồng.
4. Năm 2026, Đảng ủy kiểm tra ít nhất 03 chi bộ trực thuộc về thu, nộp đảng phí.
5. Đảng bộ xã có 12 chi bộ trực thuộc với 315 đảng viên.

T/M ĐẢNG ỦY
BÍ THƯ
Lê Thị Hoa
"""


RULE = """BAN THƯỜNG VỤ TỈNH ỦY HÀ NGUYÊN
*
Số 07-QĐ/TU

ĐẢNG CỘNG SẢN VIỆT NAM
Hà Nguyên, ngày 05 tháng 01 năm 2026

QUY ĐỊNH
về tiêu chuẩn đảng viên kiểu mẫu ở khu dân cư

Điều 1. Kiểu mẫu trong gia đình
Đảng viên xây dựng gia đình văn hóa, không để người thân vi phạm pháp luật. Không áp dụng đối với đảng viên đang công tác ở nước ngoài.

Điều 2. Kiểu mẫu nơi cư trú
Đảng viên tham gia sinh hoạt tổ dân phố, gương mẫu giữ gìn vệ sinh môi trường.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Trần Văn Minh
"""

PLAN = """HUYỆN ỦY BẮC SƠN
*
Số 30-KH/HU

ĐẢNG CỘNG SẢN VIỆT NAM
Bắc Sơn, ngày 20 tháng 01 năm 2026

KẾ HOẠCH
thực hiện một số nhiệm vụ năm 2026

I. NHIỆM VỤ
1. Thực hiện Quy định số 07-QĐ/TU, ngày 05/01/2026 của Ban Thường vụ Tỉnh ủy về tiêu chuẩn đảng viên kiểu mẫu ở khu dân cư, các chi bộ tổ chức quán triệt đến đảng viên trong quý I/2026.
2. Ban Tuyên giáo Huyện ủy tổ chức Cuộc thi năm 2025 “Đảng viên kiểu mẫu nơi tôi ở” và biên soạn tài liệu Cuộc thi năm 2026 và Tập san “Gương sáng khu dân cư”.
3. Về công tác dân vận, giao Ban Dân vận Huyện ủy:
- Khảo sát tình hình tôn giáo ở các xã vùng cao.
- Tập huấn kỹ năng dân vận khéo cho cán bộ thôn.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Hà Văn Nam
"""


DECISION = """TỈNH ỦY HÀ NGUYÊN
*
Số 61-QĐ/TU

ĐẢNG CỘNG SẢN VIỆT NAM
Hà Nguyên, ngày 02 tháng 02 năm 2026

QUYẾT ĐỊNH
ban hành Quy chế tiếp dân của Thường trực Tỉnh ủy

Điều 1. Ban hành kèm theo Quyết định này Quy chế tiếp dân của Thường trực Tỉnh ủy.
Điều 2. Quyết định này có hiệu lực từ ngày 01/3/2026 và thay thế Quyết định số 12-QĐ/TU.

T/M TỈNH ỦY
BÍ THƯ
Nông Văn Sơn

QUY CHẾ
tiếp dân của Thường trực Tỉnh ủy
(Ban hành kèm theo Quyết định số 61-QĐ/TU, ngày 02/02/2026 của Tỉnh ủy)

Điều 1. Phạm vi
Quy chế này quy định việc tiếp dân định kỳ của Thường trực Tỉnh ủy.
Điều 2. Lịch tiếp dân
Thường trực Tỉnh ủy tiếp dân vào ngày 15 hằng tháng tại Trụ sở Tiếp công dân tỉnh.
Điều 2a. Tiếp dân đột xuất
Khi có vụ việc đông người, Thường trực Tỉnh ủy tiếp dân đột xuất trong ngày.
"""


MEETING = """TỈNH ỦY HÀ NGUYÊN
*
Số 88-TB/TU

ĐẢNG CỘNG SẢN VIỆT NAM
Hà Nguyên, ngày 14 tháng 02 năm 2026

THÔNG BÁO
kết luận của Ban Thường vụ Tỉnh ủy về chống sạt lở bờ sông Đà Giang

Ngày 09/02/2026, Ban Thường vụ Tỉnh ủy họp dưới sự chủ trì của đồng chí Nông Văn Sơn, Bí thư Tỉnh ủy, nghe báo cáo tình hình sạt lở bờ sông Đà Giang.
1. Trạm quan trắc sạt lở Bến Mới đi vào vận hành từ tháng 9/2025, kết nối 48 cảm biến đo mực nước.
2. Các xã ven sông tổ chức tuần tra bờ sông vào sáng thứ Bảy tuần thứ nhất và tuần thứ ba hằng tháng.
3. Văn phòng Tỉnh ủy chịu trách nhiệm tổng hợp, báo cáo Ban Thường vụ tại cuộc họp thường kỳ tháng 5/2026.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Nông Văn Sơn
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("invented"), tmp_path_factory.mktemp("invented-data"),
                  {"31-HD-BTGTU.txt": GUIDANCE, "12-BC-DU.txt": REPORT, "07-QD-TU.txt": RULE, "30-KH-HU.txt": PLAN,
                   "61-QD-TU.txt": DECISION, "88-TB-TU.txt": MEETING}) as kb:
        yield kb


def test_a_count_is_answered_by_the_sentence_that_states_it(kb):
    ans = verbatim(kb, answer_question(kb, "Buổi sinh hoạt chuyên đề của chi bộ có mấy bước, là những bước nào?"))
    assert ans["kind"] != "none", ans["answer"]
    assert any("năm bước" in c["quote"] for c in ans["citations"]), ans["answer"]


def test_a_table_row_is_read_with_its_columns_names(kb):
    ans = verbatim(kb, answer_question(kb, "Năm 2025 bao nhiêu phần trăm chi bộ sinh hoạt chuyên đề hằng quý?"))
    assert ans["kind"] != "none", ans["answer"]
    assert "Tỷ lệ (%): 92,6" in ans["reply"], ans["reply"]
    assert any("92,6" in c["quote"] for c in ans["citations"])


def test_the_header_and_signature_are_not_quoted_as_content(kb):
    ans = verbatim(kb, answer_question(kb, "Hướng dẫn 31 yêu cầu các chi bộ sinh hoạt chuyên đề thế nào?"))
    assert ans["kind"] != "none", ans["answer"]
    for c in ans["citations"]:
        assert "Nơi nhận" not in c["quote"] and "TRƯỞNG BAN" not in c["quote"] and "Số 31-HD" not in c["quote"]


def test_a_subject_the_named_document_never_uses_is_not_answered(kb):
    ans = answer_question(kb, "Hướng dẫn 31 quy định miễn trừ kỷ luật thế nào cho đảng viên vắng sinh hoạt chuyên đề?")
    assert ans["kind"] == "none", ans["answer"]
    # …while the same document answers what it does say.
    ans = answer_question(kb, "Báo cáo đề dẫn phải gửi đảng viên trước mấy ngày?")
    assert ans["kind"] != "none" and "ba ngày" in ans["answer"], ans["answer"]


def test_whether_it_was_done_is_answered_from_the_local_report(kb):
    """"ở xã An Mỹ … đã xong chưa?": the commune's own report says it was done, and by when."""
    ans = verbatim(kb, answer_question(kb, "Sinh hoạt chuyên đề quý I ở xã An Mỹ đã xong chưa, xong khi nào?"))
    assert ans["reply"].startswith("Có"), ans["answer"]
    assert ans["citations"][0]["doc_number"] == "12-BC/ĐU" and "31/3/2026" in ans["citations"][0]["quote"]
    # A plan's requirement is no report that it was done.
    ans = answer_question(kb, "Báo cáo đề dẫn đã gửi đảng viên chưa?")
    assert not ans["reply"].startswith("Có"), ans["answer"]


def test_a_list_question_reads_out_the_section_it_names(kb):
    ans = verbatim(kb, answer_question(kb, "Quy trình sinh hoạt chuyên đề theo Hướng dẫn 31 gồm những gì?"))
    sections = {c["section"] for c in ans["citations"]}
    assert {"II.1", "II.2", "II.3"} <= sections, ans["answer"]


def test_the_items_of_a_section_stand_under_its_one_heading(kb):
    """Each item cites its own point, but the reader sees one "Theo …, mục II:" line above them all."""
    ans = verbatim(kb, answer_question(kb, "Quy trình sinh hoạt chuyên đề theo Hướng dẫn 31 gồm những gì?"))
    heads = [ln for ln in ans["answer"].splitlines() if ln.startswith("Theo ")]
    items = [c for c in ans["citations"] if c["section"] in ("II.1", "II.2", "II.3")]
    assert len(items) >= 3 and len(heads) <= 2, ans["answer"]


def test_words_that_are_a_documents_title_ask_that_document(kb):
    """"Tiêu chuẩn đảng viên kiểu mẫu ở khu dân cư … gia đình": the Quy định titled so answers, not
    the plan that cites its title."""
    ans = verbatim(kb, answer_question(kb, "Tiêu chuẩn đảng viên kiểu mẫu ở khu dân cư yêu cầu gì về gia đình?"))
    assert ans["citations"][0]["doc_number"] == "07-QĐ/TU", ans["answer"]
    assert "gia đình văn hóa" in ans["citations"][0]["quote"]


def test_a_name_is_given_only_for_what_is_asked(kb):
    ans = verbatim(kb, answer_question(kb, "Cuộc thi năm 2025 của Huyện ủy Bắc Sơn có tên là gì?"))
    assert "Đảng viên kiểu mẫu nơi tôi ở" in ans["answer"], ans["answer"]
    # The 2026 contest is named nowhere: "Cuộc thi năm 2026 và Tập san “…”" names the bulletin.
    ans = answer_question(kb, "Cuộc thi năm 2026 của Huyện ủy Bắc Sơn có tên là gì?")
    assert ans["kind"] == "none", ans["answer"]


def test_an_article_of_the_decision_or_of_its_annex_as_the_question_says(kb):
    ans = verbatim(kb, answer_question(kb, "Điều 2 của Quy chế tiếp dân ban hành kèm Quyết định 61 nói gì?"))
    assert any("ngày 15 hằng tháng" in c["quote"] for c in ans["citations"]), ans["answer"]
    ans = verbatim(kb, answer_question(kb, "Điều 2 của Quyết định 61-QĐ/TU (không phải Điều 2 của Quy chế) quy định gì?"))
    assert any("01/3/2026" in c["quote"] for c in ans["citations"]), ans["answer"]
    ans = verbatim(kb, answer_question(kb, "dieu 2a quy che tiep dan noi gi"))
    assert any("đột xuất trong ngày" in c["quote"] for c in ans["citations"]), ans["answer"]


def test_whether_a_target_was_reached_is_read_from_its_share_of_the_plan(kb):
    ans = verbatim(kb, answer_question(kb, "Năm 2025 đảng viên tham dự sinh hoạt chuyên đề đã đạt kế hoạch chưa?"))
    assert ans["reply"].startswith("Chưa") and "91,5" in ans["reply"], ans["answer"]


def test_every_month_is_not_every_quarter(kb):
    ans = verbatim(kb, answer_question(kb, "Có phải tháng nào cũng phải sinh hoạt chuyên đề không?"))
    assert ans["reply"].startswith("Không"), ans["answer"]


def test_the_exception_right_after_a_rule_is_quoted_with_it(kb):
    ans = verbatim(kb, answer_question(kb, "Đảng viên phải xây dựng gia đình văn hóa; những trường hợp nào được miễn?"))
    quotes = [c["quote"] for c in ans["citations"]]
    assert any("gia đình văn hóa" in q for q in quotes) and any("nước ngoài" in q for q in quotes), ans["answer"]


def test_a_document_of_a_year_the_store_does_not_hold_is_said_absent(kb):
    ans = answer_question(kb, "Hướng dẫn sinh hoạt chuyên đề của chi bộ năm 2025 yêu cầu gì?")
    assert ans["kind"] == "none" and "2025" in ans["answer"] and "31-HD/BTGTU" in ans["answer"], ans["answer"]
    ans = answer_question(kb, "Hướng dẫn sinh hoạt chuyên đề của chi bộ năm 2026 yêu cầu gì?")
    assert ans["kind"] != "none", ans["answer"]


def test_a_lead_in_is_quoted_with_the_items_it_introduces(kb):
    ans = verbatim(kb, answer_question(kb, "Kế hoạch 30 giao gì về công tác dân vận?"))
    quotes = " ".join(c["quote"] for c in ans["citations"])
    assert "Khảo sát tình hình tôn giáo" in quotes and "dân vận khéo" in quotes, ans["answer"]


def test_a_share_is_no_answer_to_how_much_money(kb):
    ans = answer_question(kb, "Chi bộ sinh hoạt chuyên đề hằng quý được hỗ trợ bao nhiêu tiền?")
    assert ans["kind"] == "none", ans["answer"]  # the table gives 92,6 %, no amount of money


def test_when_a_meeting_was_held_is_the_sentence_that_states_its_day(kb):
    ans = verbatim(kb, answer_question(kb, "Cuộc họp được kết luận tại TB 88 họp ngày nào, do ai chủ trì?"))
    assert ans["kind"] != "none" and "09/02/2026" in ans["citations"][0]["quote"], ans["answer"]
    ans = verbatim(kb, answer_question(kb, "tram quan trac sat lo Ben Moi van hanh tu khi nao"))
    assert ans["kind"] != "none" and "tháng 9/2025" in ans["answer"], ans["answer"]


def test_a_count_no_sentence_states_is_not_answered(kb):
    ans = answer_question(kb, "Trạm quan trắc Bến Mới kết nối bao nhiêu cảm biến?")
    assert "48 cảm biến" in ans["answer"], ans["answer"]
    ans = answer_question(kb, "Trạm quan trắc Bến Mới có bao nhiêu cán bộ trực?")
    assert ans["kind"] == "none", ans["answer"]


def test_the_days_of_a_rhythm_are_read_as_written(kb):
    ans = verbatim(kb, answer_question(kb, "Các xã ven sông tuần tra bờ sông vào những ngày nào trong tháng?"))
    assert ans["kind"] != "none" and "thứ Bảy tuần thứ nhất và tuần thứ ba" in ans["answer"], ans["answer"]


def test_a_figure_of_a_whole_level_is_not_answered_with_a_communes(kb):
    ans = answer_question(kb, "Xã An Mỹ kiểm tra sổ nghị quyết của bao nhiêu chi bộ?")
    assert "12 chi bộ" in ans["answer"], ans["answer"]
    ans = answer_question(kb, "Toàn huyện Bắc Sơn kiểm tra sổ nghị quyết của bao nhiêu chi bộ?")
    assert ans["kind"] == "none", ans["answer"]
    # a unit named by its level and name asks that level's figure
    ans = answer_question(kb, "Năm 2026 huyện Bắc Sơn kiểm tra sổ nghị quyết của bao nhiêu chi bộ?")
    assert ans["kind"] == "none", ans["answer"]


def test_a_common_verb_with_a_syllable_no_document_uses_does_not_refuse(kb):
    """"cho phép": "phép" is nowhere in these documents, yet the question is answered by what they say."""
    ans = answer_question(kb, "Hướng dẫn 31 cho phép báo cáo đề dẫn gửi đảng viên trước mấy ngày?")
    assert ans["kind"] != "none" and "ba ngày" in ans["answer"], ans["answer"]


def test_how_long_is_answered_by_the_sentence_stating_a_span(kb):
    """"bao lâu", "bao nhiêu tháng" ask a span: the sentence stating one answers, not a dated duty nearby."""
    ans = verbatim(kb, answer_question(kb, "Một buổi sinh hoạt chuyên đề kéo dài bao lâu?"))
    assert "từ 60 đến 90 phút" in ans["answer"], ans["answer"]
    ans = verbatim(kb, answer_question(kb, "danh muc chuyen de da duoc cap uy duyet co gia tri trong bao lau"))
    assert "không quá 12 tháng" in ans["answer"], ans["answer"]
    ans = answer_question(kb, "Danh mục chuyên đề được duyệt có giá trị tối đa bao nhiêu tháng?")
    assert "12 tháng" in ans["answer"] and "15/12/2026" not in ans["answer"], ans["answer"]


def test_a_claim_past_a_stated_bound_is_answered_no(kb):
    ans = answer_question(kb, "Mỗi ý kiến phát biểu trong buổi sinh hoạt chuyên đề có được quá 10 phút ko?")
    assert ans["reply"].startswith("Không"), ans["answer"]
    # Within the bound the sentence does not say no.
    ans = answer_question(kb, "Mỗi ý kiến phát biểu trong buổi sinh hoạt chuyên đề có được quá 5 phút không?")
    assert not ans["reply"].startswith("Không"), ans["answer"]


def test_the_source_a_question_names_by_its_face_is_where_the_answer_comes_from(kb):
    """"… theo quy chế của Thường trực Tỉnh ủy": the annexed Quy chế is drawn on; its title block is never
    quoted, the sentence on the subject is."""
    ans = verbatim(kb, answer_question(kb, "Lịch tiếp dân theo quy chế của Thường trực Tỉnh ủy là khi nào?"))
    assert "ngày 15 hằng tháng" in ans["answer"], ans["answer"]
    assert not any("Ban hành kèm theo" in c["quote"] for c in ans["citations"]), ans["answer"]


def test_what_a_sentence_allows_answers_yes(kb):
    ans = answer_question(kb, "Chi ủy có được đổi chuyên đề sinh hoạt không?")
    assert ans["reply"].startswith("Có"), ans["answer"]


def test_a_heading_naming_its_topic_with_ve_is_never_quoted(kb):
    ans = verbatim(kb, answer_question(kb, "Kinh phí sinh hoạt chuyên đề của các chi bộ trực thuộc lấy từ nguồn nào?"))
    assert "đảng phí được trích lại" in ans["answer"], ans["answer"]
    assert not any(c["quote"].startswith("1. Về") for c in ans["citations"]), ans["answer"]


def test_two_questions_in_one_are_both_answered(kb):
    ans = answer_question(kb, "Chi ủy có được đổi chuyên đề không? báo cáo tổng hợp sinh hoạt chuyên đề gửi trước ngày nào?")
    assert ans["answer"].startswith("Có") and "15/12/2026" in ans["answer"], ans["answer"]


def test_a_sum_of_another_kind_of_money_is_no_answer(kb):
    """A revenue is no budget: "bao nhiêu tỷ đồng ngân sách" is not answered with "doanh thu … 2,5 tỷ đồng"."""
    ans = answer_question(kb, "Doanh thu của hợp tác xã nông nghiệp thôn Đông đạt bao nhiêu tỷ đồng?")
    assert "2,5 tỷ đồng" in ans["answer"], ans["answer"]
    ans = answer_question(kb, "Xã An Mỹ bố trí bao nhiêu tỷ đồng ngân sách cho hợp tác xã nông nghiệp thôn Đông?")
    assert ans["kind"] == "none", ans["answer"]


def test_a_bound_is_no_total(kb):
    """"hiện có tổng cộng bao nhiêu chi bộ?" is not answered by "kiểm tra ít nhất … chi bộ"."""
    ans = answer_question(kb, "Đảng ủy xã An Mỹ hiện có tổng cộng bao nhiêu chi bộ trực thuộc?")
    assert not ans["citations"] or "ít nhất" not in ans["citations"][0]["quote"], ans["answer"]


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    from support.digitization import DOCS

    with invented(tmp_path_factory.mktemp("district"), tmp_path_factory.mktemp("district-data"), DOCS) as kb:
        yield kb


def test_a_lead_in_and_its_bulleted_items_are_quoted_as_written_and_nothing_after(district):
    ans = verbatim(district, answer_question(district, "Chỉ thị 14 yêu cầu tuyên truyền tập trung vào các nội dung gì?"))
    quotes = [c["quote"] for c in ans["citations"]]
    assert quotes[0].endswith("tập trung vào các nội dung:"), ans["answer"]
    assert ans["reply"] == "Chỉ thị 14-CT/HU nêu 3 nội dung:", ans["answer"]
    assert [q for q in quotes if q.startswith("- ")] == [
        "- Mục đích của việc số hóa hồ sơ đảng viên;", "- Cách tra cứu hồ sơ trên phần mềm quản lý đảng viên;",
        "- Trách nhiệm bảo mật thông tin của cán bộ, đảng viên."], ans["answer"]
    assert not any("học tập Chỉ thị" in q for q in quotes), ans["answer"]  # the paragraph after the list
    # an item also chosen as a sentence on its own is quoted once, from its bullet
    ans = verbatim(district, answer_question(district, "Chỉ thị 14 yêu cầu tuyên truyền những nội dung nào về bảo mật thông tin?"))
    quotes = [c["quote"] for c in ans["citations"]]
    assert len({q.removeprefix("- ") for q in quotes}) == len(quotes), ans["answer"]


def test_a_list_asked_is_answered_by_the_sentence_listing_it(district):
    """"điều chỉnh những loại hồ sơ nào": the article listing them ("…, gồm: A; B; C"), not the duty
    sharing the words "điều chỉnh … hồ sơ"."""
    ans = verbatim(district, answer_question(district, "Quy định 05 điều chỉnh những loại hồ sơ nào?"))
    assert ans["citations"] and ans["citations"][0]["section"] == "Điều 1", ans["answer"]
    assert not any("đối chiếu" in c["quote"] for c in ans["citations"]), ans["answer"]


def test_the_items_of_a_section_named_by_a_long_plural(district):
    ans = verbatim(district, answer_question(district, "TB 31 nêu những nhiệm vụ trọng tâm thời gian tới nào của Đảng bộ xã?"))
    assert {"3.1", "3.2", "3.3"} <= {c["section"] for c in ans["citations"]}, ans["answer"]
    assert ans["reply"] == "Thông báo 31-TB/ĐU, mục 3 nêu 3 nhiệm vụ trọng tâm thời gian tới:", ans["answer"]


def test_an_issuers_code_typed_as_a_word_is_no_unknown_word(district):
    """"KH 08 của VPHU": the office that the number's code names; the sentence on the budget answers."""
    ans = verbatim(district, answer_question(district, "Kinh phi KH 08 cua VPHU dung cho nhung khoan nao?"))
    assert ans["kind"] != "none" and "300 triệu đồng" in ans["answer"], ans["answer"]


def test_a_level_the_question_names_as_what_is_counted_is_not_whose_figure(district):
    """"tỷ lệ cán bộ, công chức cấp xã … ở huyện Sơn Hà": the district's report gives it; "cấp xã" in its
    row is what is counted, not a commune's own figure."""
    ans = verbatim(district, answer_question(
        district, "Tỷ lệ cán bộ, công chức cấp xã được tập huấn số hóa ở huyện Sơn Hà đạt bao nhiêu %?"))
    assert "95,0" in ans["answer"], ans["answer"]


GROUPS = """HUYỆN ỦY SÔNG MÂY
*
Số 09-NQ/HU

ĐẢNG CỘNG SẢN VIỆT NAM
Sông Mây, ngày 12 tháng 5 năm 2027

NGHỊ QUYẾT
về nâng cao chất lượng tổ chức cơ sở đảng

I. TÌNH HÌNH
Chất lượng sinh hoạt của một số chi bộ còn hạn chế.

II. NHIỆM VỤ, GIẢI PHÁP
1. Đổi mới nội dung sinh hoạt chi bộ. Chi bộ chọn chuyên đề sát thực tế. Mỗi quý có ít nhất một chuyên đề. Biên bản ghi đầy đủ ý kiến.
2. Củng cố chi bộ yếu kém. Đảng ủy cử cán bộ giúp chi bộ. Chi bộ yếu kém được kiểm tra hằng quý. Kết quả được công khai.
3. Nâng cao chất lượng đảng viên. Đảng viên học tập nghị quyết đầy đủ. Đảng viên trẻ được giao việc cụ thể. Việc đánh giá gắn với kết quả.
4. Tăng cường kiểm tra, giám sát. Ủy ban Kiểm tra giám sát chuyên đề. Vi phạm được xử lý kịp thời. Kết quả được báo cáo.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Lê Văn Nam
"""


@pytest.fixture(scope="module")
def groups(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("groups"), tmp_path_factory.mktemp("groups-data"), {"09-NQ-HU.txt": GROUPS}) as kb:
        yield kb


def test_items_too_long_to_read_whole_are_listed_by_their_first_sentences_and_counted(groups):
    ans = verbatim(groups, answer_question(groups, "NQ 09 đưa ra mấy nhóm nhiệm vụ, giải pháp, là những gì?"))
    assert ans["reply"].startswith("Có 4 nhóm"), ans["answer"]
    quotes = [c["quote"] for c in ans["citations"]]
    assert quotes[:4] == ["Đổi mới nội dung sinh hoạt chi bộ.", "Củng cố chi bộ yếu kém.", "Nâng cao chất lượng đảng viên.",
                          "Tăng cường kiểm tra, giám sát."], ans["answer"]


def test_a_lead_in_is_supported_by_what_its_items_say(district):
    """The question names the items, not the lead-in's words: the lead-in with its items answers, each
    item quoted once from its bullet; a lead-in whose items say nothing of the question gains nothing."""
    ans = verbatim(district, answer_question(
        district, "Theo CT 14 tuyên truyền tập trung vào nội dung gì về mục đích số hóa, cách tra cứu hồ sơ, trách nhiệm bảo mật?"))
    quotes = [c["quote"] for c in ans["citations"]]
    assert "- Cách tra cứu hồ sơ trên phần mềm quản lý đảng viên;" in quotes, ans["answer"]
    assert len({q.removeprefix("- ") for q in quotes}) == len(quotes), ans["answer"]
    ans = answer_question(district, "Theo CT 14 tuyên truyền tập trung vào nội dung gì về nuôi trồng thủy sản?")


def test_a_figure_of_a_chi_bo_is_not_answered_with_its_communes(kb):
    ans = verbatim(kb, answer_question(kb, "Đảng bộ xã An Mỹ có bao nhiêu đảng viên?"))
    assert "315 đảng viên" in ans["answer"], ans["answer"]
    ans = answer_question(kb, "Chi bộ thôn Đông của xã An Mỹ hiện có bao nhiêu đảng viên?")
    assert ans["kind"] == "none", ans["answer"]


def test_an_amount_for_each_is_not_answered_with_a_total(kb):
    ans = verbatim(kb, answer_question(kb, "Tổng kinh phí mở lớp bồi dưỡng báo cáo viên cơ sở năm 2026 là bao nhiêu?"))
    assert "180 triệu đồng" in ans["answer"], ans["answer"]
    ans = answer_question(kb, "Mỗi lớp bồi dưỡng báo cáo viên cơ sở được cấp bao nhiêu triệu đồng?")
    assert ans["kind"] == "none", ans["answer"]


SESSION = """ĐẢNG ỦY XÃ SÔNG MÂY
*
Số 21-TB/ĐU

ĐẢNG CỘNG SẢN VIỆT NAM
Sông Mây, ngày 08 tháng 4 năm 2027

THÔNG BÁO
kết luận của Thường trực Đảng ủy về chuẩn bị đại hội chi bộ

Ngày 06/4/2027, Thường trực Đảng ủy xã họp nghe Văn phòng Đảng ủy báo cáo tiến độ chuẩn bị đại hội chi bộ. Đồng chí Lương Văn Bình, Phó Bí thư Thường trực Đảng ủy chủ trì hội nghị. Thường trực Đảng ủy kết luận như sau:
1. Các chi bộ thôn hoàn thành dự thảo báo cáo chính trị trước ngày 20/4/2027.
2. Văn phòng Đảng ủy tổng hợp danh sách đảng viên dự đại hội.

T/M ĐẢNG ỦY
BÍ THƯ
Hà Thị Thu
"""


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("session"), tmp_path_factory.mktemp("session-data"),
                  {"21-TB-DU.txt": SESSION}) as kb:
        yield kb


@pytest.mark.parametrize("question", ["Ai chủ trì cuộc họp Thường trực Đảng ủy ngày 06/4/2027?",
                                      "cuoc hop ngay 06/4 cua thuong truc dang uy do ai chu tri"])
def test_who_did_it_is_the_sentence_naming_them_beside_the_one_the_question_reaches(session, question):
    ans = verbatim(session, answer_question(session, question))
    assert any("Lương Văn Bình" in c["quote"] for c in ans["citations"]), ans["answer"]


RUN_IN = """TỈNH ỦY LAM GIANG
*
Số 17-CT/TU

ĐẢNG CỘNG SẢN VIỆT NAM
Lam Giang, ngày 05 tháng 02 năm 2027

CHỈ THỊ
về lãnh đạo đại hội đảng bộ cơ sở

1. Về công tác tuyên truyền. Ban Tuyên giáo Tỉnh ủy chủ trì tuyên truyền về đại hội trên báo Lam Giang.
2. Về công tác nhân sự. Không giới thiệu đảng viên đang bị thi hành kỷ luật vào cấp ủy. Ban Tổ chức Tỉnh ủy hướng dẫn quy trình nhân sự trong tháng 02/2027.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Hoàng Minh Khôi
"""


@pytest.fixture(scope="module")
def run_in(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("runin"), tmp_path_factory.mktemp("runin-data"), {"17-CT-TU.txt": RUN_IN}) as kb:
        yield kb


@pytest.mark.parametrize("question", ["Ban Tuyên giáo làm gì theo CT 17?", "Điểm 2 của CT 17 nói gì?"])
def test_a_run_in_label_is_not_quoted_beside_the_sentence_it_names(run_in, question):
    ans = verbatim(run_in, answer_question(run_in, question))
    quotes = [c["quote"] for c in ans["citations"]]
    assert quotes and not any(q.startswith("Về công tác") for q in quotes), ans["answer"]
    assert sum(q.count("Không giới thiệu đảng viên") for q in quotes) <= 1, ans["answer"]  # said once



def test_short_names_after_a_colon_apart_by_commas_are_a_list():
    from service.answers.passages import enumerates

    assert enumerates("Tổ chức đảng vi phạm bị xử lý bằng một trong các hình thức: khiển trách, cảnh cáo, giải tán.")
    # a clause after a colon, its commas a sentence's, is no list of names
    assert not enumerates("Mục tiêu: nâng cao chất lượng sinh hoạt chi bộ, bảo đảm nền nếp, thiết thực, hiệu quả ở cơ sở.")


LETTER = """HUYỆN ỦY LŨNG VÂN
*
Số 55-CV/HU
V/v rà soát diện tạm hoãn, miễn gọi nhập ngũ năm 2029

ĐẢNG CỘNG SẢN VIỆT NAM

Lũng Vân, ngày 03 tháng 01 năm 2029

Kính gửi: Các đảng ủy xã, thị trấn.

1. Rà soát hồ sơ

a) Diện được tạm hoãn gọi nhập ngũ

- Chưa đủ sức khỏe phục vụ tại ngũ;
- Đang học tại cơ sở giáo dục đại học hệ chính quy.

b) Diện được miễn gọi nhập ngũ

- Con của liệt sĩ, con của thương binh hạng một;
- Một anh hoặc một em trai của liệt sĩ;
- Người làm công tác cơ yếu.

c) Những trường hợp không xét tạm hoãn

- Đảng viên đề nghị tạm hoãn vì lý do công việc;
- Hồ sơ không có giấy tờ chứng minh hợp lệ.

T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ
Lục Văn Pao
"""

DIRECTIVE = """TỈNH ỦY BẮC THẠCH
*
Số 09-CT/TU

ĐẢNG CỘNG SẢN VIỆT NAM
Bắc Thạch, ngày 20 tháng 10 năm 2028

CHỈ THỊ
về công tác tuyển quân năm 2029

Năm 2028, toàn tỉnh giao đủ quân. Tuy nhiên, công tác tuyển quân ở một số địa phương còn hạn chế: việc quản lý công dân trong độ tuổi chưa chặt chẽ; còn 14 công dân bị trả về do không đủ sức khỏe.
1. Các cấp ủy lãnh đạo chặt chẽ công tác tuyển quân.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Hà Thị Mai
"""

COMMUNE = """ĐẢNG ỦY XÃ NA RÌ
*
Số 11-NQ/ĐU

ĐẢNG CỘNG SẢN VIỆT NAM
Na Rì, ngày 25 tháng 11 năm 2028

NGHỊ QUYẾT
thực hiện Chỉ thị số 09-CT/TU của Ban Thường vụ Tỉnh ủy về công tác tuyển quân năm 2029

I. KẾT QUẢ NĂM 2028
Hạn chế: còn 02 công dân không có mặt khám tuyển năm 2028; tổ dân quân thôn Nà Pài chưa kiện toàn.

T/M ĐẢNG ỦY
BÍ THƯ
Hoàng Văn Lự
"""


@pytest.fixture(scope="module")
def military(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("mil"), tmp_path_factory.mktemp("mil-data"),
                  {"55-CV-HU.md": LETTER, "09-CT-TU.txt": DIRECTIVE, "11-NQ-DU.txt": COMMUNE}) as kb:
        yield kb


def test_a_point_headed_by_the_class_asked_is_read_out_and_only_its_own_items(military):
    ans = verbatim(military, answer_question(military, "nhung truong hop nao duoc mien goi nhap ngu theo cv 55"))
    quotes = " ".join(c["quote"] for c in ans["citations"])
    assert "Người làm công tác cơ yếu" in quotes and "lý do công việc" not in quotes, ans["answer"]


def test_a_question_opening_with_a_described_document_is_answered_from_it(military):
    # the commune's resolution cites the directive in its title; the directive's preamble reviews the
    # year before the one it plans for
    ans = verbatim(military, answer_question(military, "chi thi tinh uy neu nhung han che gi trong tuyen quan nam 2028"))
    assert ans["citations"] and ans["citations"][0]["doc_id"].startswith("09-ct"), ans["answer"]



def test_a_concession_in_the_question_is_no_word_the_text_must_hold(military):
    from service.records import access_levels
    from service.retrieval.query import parse_question

    q = parse_question("Những trường hợp nào được miễn gọi nhập ngũ dù gia đình khó khăn?")
    assert military.retriever.stats.unseen(q, access_levels(("read",))) == []
    q = parse_question("Những trường hợp nào được miễn gọi nhập ngũ khi gia đình khó khăn?")
    assert "khó" in military.retriever.stats.unseen(q, access_levels(("read",)))  # a condition asked stays


GUIDANCE_TWO_LISTS = """BAN TỔ CHỨC TỈNH ỦY NGÂN SƠN
*
Số 06-HD/BTCTU

ĐẢNG CỘNG SẢN VIỆT NAM
Ngân Sơn, ngày 02 tháng 11 năm 2029

HƯỚNG DẪN
kiểm điểm, xếp loại đảng viên năm 2029

I. YÊU CẦU
Kiểm điểm nghiêm túc, đúng thực chất.
II. MIỄN KIỂM ĐIỂM
Những trường hợp được miễn kiểm điểm:
- Đảng viên đã được miễn công tác và sinh hoạt đảng;
- Đảng viên đang điều trị bệnh dài ngày tại bệnh viện.
Những trường hợp không được miễn:
- Đảng viên đang bị xem xét kỷ luật;
- Đảng viên đi công tác biệt phái dưới 06 tháng.
III. TỔ CHỨC THỰC HIỆN
Các huyện ủy báo cáo kết quả trước ngày 20/01/2030.

K/T TRƯỞNG BAN
PHÓ TRƯỞNG BAN
Mạc Văn Thiều
"""


@pytest.fixture(scope="module")
def two_lists(tmp_path_factory):
    from support.kb import invented

    with invented(tmp_path_factory.mktemp("lists"), tmp_path_factory.mktemp("lists-data"),
                  {"06-HD-BTCTU.txt": GUIDANCE_TWO_LISTS}) as kb:
        yield kb


def test_a_negated_class_is_read_from_the_list_that_negates_it(two_lists):
    from service.answers import answer_question

    ans = answer_question(two_lists, "Các trường hợp k được miễn kiểm điểm theo HD 06 là những ai?")
    quoted = " ".join(c["quote"] for c in ans["citations"])
    assert "xem xét kỷ luật" in quoted and "biệt phái" in quoted, ans["answer"]
    # the other list says the opposite: never read out as the answer
    assert "bệnh dài ngày" not in quoted, ans["answer"]
    ans = answer_question(two_lists, "Những trường hợp nào được miễn kiểm điểm theo HD 06?")
    assert "bệnh dài ngày" in " ".join(c["quote"] for c in ans["citations"]), ans["answer"]


FEES = """ỦY BAN KIỂM TRA HUYỆN ỦY ĐỒI MÂY
*
Số 08-HD/UBKTHU

ĐẢNG CỘNG SẢN VIỆT NAM
Đồi Mây, ngày 03 tháng 3 năm 2030

HƯỚNG DẪN
thu, nộp đảng phí năm 2030

I. MỨC ĐÓNG
1. Đảng viên hưởng lương: đóng 1% tiền lương hằng tháng.
2. Đảng viên không hưởng lương:
- Đảng viên làm chủ trang trại, chủ doanh nghiệp: tự nguyện đóng nhưng không thấp hơn 40.000 đồng/tháng;
- Đảng viên là học sinh, sinh viên: 2.000 đồng/tháng;
- Đảng viên ở vùng cao, làm nương rẫy: mức tối thiểu 4.000 đồng/tháng.
II. TỔ CHỨC THỰC HIỆN
Chi bộ thu đảng phí hằng tháng.

T/M ỦY BAN KIỂM TRA
CHỦ NHIỆM
Ma Văn Chiến
"""


@pytest.fixture(scope="module")
def fees(tmp_path_factory):
    from support.kb import invented

    with invented(tmp_path_factory.mktemp("fees"), tmp_path_factory.mktemp("fees-data"), {"08-HD-UBKTHU.txt": FEES}) as kb:
        yield kb


def test_each_case_a_question_lists_in_brackets_is_answered(fees):
    from service.answers import answer_question
    from service.answers.passages import asked_items

    assert asked_items("mức đóng (làm rẫy, sinh viên, chủ trang trại) là bao nhiêu") == ["làm rẫy", "sinh viên", "chủ trang trại"]
    ans = answer_question(fees, "muc dong dang phi cua dang vien ko huong luong (lam ray, sinh vien, chu trang trai) la bao nhieu")
    for figure in ("40.000", "2.000", "4.000"):
        assert figure in ans["answer"], ans["answer"]
