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


def test_a_time_window_asked_of_two_documents_is_one_list(kb):
    ans = verbatim(kb, answer_question(kb, "Quý II/2026 phải làm những việc gì theo KH 18 và TB 09?"))
    assert ans["answer"].count("việc có hạn trong khoảng") == 1, ans["answer"]
    assert ans["reply"].startswith("Có 3 việc"), ans["answer"]
    assert {c["doc_number"] for c in ans["citations"]} == {"18-KH/HU", "09-TB/ĐU"}, ans["answer"]


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


# A regulation, a directive that refers to its article by number, and a commune's notice that sets a
# target whose exclusions only the directive states (all invented).
REGULATION = """TỈNH ỦY BÌNH NGUYÊN
BAN THƯỜNG VỤ
*
Số 12-QĐi/TU

ĐẢNG CỘNG SẢN VIỆT NAM
Bình Nguyên, ngày 03 tháng 02 năm 2026

QUY ĐỊNH
về lưu trữ biên bản sinh hoạt chi bộ

Chương I
QUY ĐỊNH CHUNG

Điều 1. Phạm vi điều chỉnh
Quy định này quy định việc lập, lưu trữ và khai thác biên bản sinh hoạt chi bộ trong Đảng bộ tỉnh.

Điều 2. Lập biên bản
1. Mỗi kỳ sinh hoạt chi bộ phải có biên bản do đồng chí được chi ủy phân công ghi.
2. Biên bản được thông qua trước khi kết thúc kỳ sinh hoạt.

Điều 3. Thời hạn nộp biên bản
1. Trong thời hạn 07 ngày làm việc kể từ ngày sinh hoạt, chi bộ nộp bản sao biên bản về văn phòng đảng ủy cơ sở.
2. Văn phòng đảng ủy cơ sở lưu biên bản trong thời gian không dưới 10 năm.

Điều 4. Hiệu lực thi hành
Quy định này có hiệu lực kể từ ngày ký.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Đinh Văn Toàn
"""

DIRECTIVE = """HUYỆN ỦY ĐÔNG SƠN
*
Số 05-CT/HU

ĐẢNG CỘNG SẢN VIỆT NAM
Đông Sơn, ngày 20 tháng 3 năm 2026

CHỈ THỊ
về nâng cao chất lượng sinh hoạt chi bộ

1. Các chi bộ nộp biên bản sinh hoạt đúng thời hạn quy định tại Điều 3 Quy định số 12-QĐi/TU của Ban Thường vụ Tỉnh ủy.
2. Đến hết năm 2026, ít nhất 95% chi bộ sinh hoạt đúng kỳ; tỷ lệ này không tính các chi bộ mới thành lập dưới 06 tháng.
3. Việc kết nạp đảng viên thực hiện theo Điều 6 Quy định số 40-QĐi/TU của Ban Thường vụ Tỉnh ủy.
4. Ủy ban Kiểm tra Huyện ủy kiểm tra việc lưu biên bản trong quý IV/2026.
5. Các đảng ủy xã ban hành kế hoạch thực hiện Chỉ thị này trước ngày 30/4/2026.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Hà Minh Đức
"""

COMMUNE = """ĐẢNG BỘ HUYỆN ĐÔNG SƠN
ĐẢNG ỦY XÃ TÂN LẬP
*
Số 14-TB/ĐU

ĐẢNG CỘNG SẢN VIỆT NAM
Tân Lập, ngày 02 tháng 4 năm 2026

THÔNG BÁO
kết luận của Ban Thường vụ Đảng ủy về sinh hoạt chi bộ

1. Đến hết tháng 12, tỷ lệ chi bộ sinh hoạt đúng kỳ của Đảng bộ xã đạt ít nhất 95% theo chỉ tiêu của Huyện ủy.
2. Văn phòng Đảng ủy tổng hợp biên bản sinh hoạt của các chi bộ hằng quý.

T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ
Lương Thị Hoa
"""


REPORT = """HUYỆN ỦY ĐÔNG SƠN
*
Số 31-BC/HU

ĐẢNG CỘNG SẢN VIỆT NAM
Đông Sơn, ngày 15 tháng 10 năm 2026

BÁO CÁO
kết quả sinh hoạt chi bộ 9 tháng năm 2026

1. 11/13 đảng ủy xã đã nộp biên bản sinh hoạt đúng thời hạn; 02 đảng ủy (xã Tân Lập, xã Hòa Bình) nộp chậm.
2. Ủy ban Kiểm tra Huyện ủy đã kiểm tra việc lưu biên bản tại 04 chi bộ.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Hà Minh Đức
"""


def _commune_plan(number: str, commune: str, day: str) -> str:
    return f"""ĐẢNG BỘ HUYỆN ĐÔNG SƠN
ĐẢNG ỦY XÃ {commune.upper()}
*
Số {number}

ĐẢNG CỘNG SẢN VIỆT NAM
{commune}, ngày {day}

KẾ HOẠCH
thực hiện Chỉ thị số 05-CT/HU của Ban Thường vụ Huyện ủy về nâng cao chất lượng sinh hoạt chi bộ

1. Các chi bộ trực thuộc nộp biên bản sinh hoạt về Văn phòng Đảng ủy đúng thời hạn.

T/M ĐẢNG ỦY
BÍ THƯ
Nguyễn Văn Bình
"""


@pytest.fixture(scope="module")
def kb_refs(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("refs"), tmp_path_factory.mktemp("refs-data"),
                  {"12-QDi-TU.txt": REGULATION, "05-CT-HU.txt": DIRECTIVE, "14-TB-DU.txt": COMMUNE,
                   "31-BC-HU.txt": REPORT,
                   "20-KH-DU.txt": _commune_plan("20-KH/ĐU", "Tân Lập", "25 tháng 4 năm 2026"),
                   "22-KH-DU.txt": _commune_plan("22-KH/ĐU", "Hòa Bình", "10 tháng 5 năm 2026")}) as kb:
        yield kb


def test_an_article_named_by_the_document_after_it_is_read_in_that_document(kb_refs):
    # "Điều 3 QĐi 12" is the regulation's article, not the directive's: the directive's sentence
    # citing it and the article itself are quoted ("Chỉ thị 05 không có Điều 3" would be false).
    ans = verbatim(kb_refs, answer_question(kb_refs, "CT 05 yêu cầu nộp biên bản đúng thời hạn tại Điều 3 QĐi 12 — "
                                                     "cụ thể là trong bao nhiêu ngày?"))
    assert ans["kind"] != "none", ans["answer"]
    assert {c["doc_number"] for c in ans["citations"]} == {"05-CT/HU", "12-QĐi/TU"}, ans["answer"]
    assert "07 ngày làm việc" in ans["answer"], ans["answer"]
    assert "không có Điều 3" not in ans["answer"]


def test_an_article_of_a_document_not_stored_is_said_to_be_missing(kb_refs):
    ans = answer_question(kb_refs, "CT 05 giao kết nạp đảng viên theo Điều 6 QĐi 40: điều đó quy định gì?")
    assert ans["kind"] == "none", ans["answer"]
    assert "chưa lưu toàn văn" in ans["answer"] and "Chỉ thị 05-CT/HU trong kho không có" not in ans["answer"]


def test_a_clause_naming_a_document_by_kind_and_issuer_is_asked_of_that_document(kb_refs):
    # "theo chỉ thị của huyện ủy": the second clause is asked of the directive, whose sentence states
    # what the commune's target leaves out.
    ans = verbatim(kb_refs, answer_question(kb_refs, "Xã Tân Lập phải đạt 95% chi bộ sinh hoạt đúng kỳ; theo chỉ thị "
                                                     "của huyện ủy thì tỷ lệ này không tính những chi bộ nào?"))
    assert "mới thành lập dưới 06 tháng" in ans["answer"], ans["answer"]
    assert {"05-CT/HU", "14-TB/ĐU"} <= {c["doc_number"] for c in ans["citations"]}, ans["answer"]


def test_a_document_named_as_the_measure_answers_with_the_rest_asked_of_all(kb_refs):
    # "So với hạn trong QĐi 12, …": the regulation's time limit, and the report's late communes
    ans = verbatim(kb_refs, answer_question(kb_refs, "So với thời hạn trong QĐi 12 của tỉnh, những xã nào ở huyện "
                                                     "Đông Sơn nộp biên bản sinh hoạt chậm?"))
    assert {"12-QĐi/TU", "31-BC/HU"} <= {c["doc_number"] for c in ans["citations"]}, ans["answer"]
    assert "xã Tân Lập, xã Hòa Bình" in ans["answer"] and "07 ngày làm việc" in ans["answer"], ans["answer"]


@pytest.mark.parametrize("commune, verdict, day", [("Tân Lập", "Có", "25/4/2026"), ("Hòa Bình", "Không", "10/5/2026")])
def test_whether_a_body_issued_a_document_in_time_compares_its_date_with_the_deadline(kb_refs, commune, verdict, day):
    ans = verbatim(kb_refs, answer_question(kb_refs, f"ĐU xã {commune} ban hành kế hoạch thực hiện có đúng hạn mà "
                                                     "CT 05 yêu cầu không?"))
    assert ans["reply"].startswith(f"{verdict}."), ans["answer"]
    assert day in ans["reply"] and "30/04/2026" in ans["reply"], ans["answer"]
    assert "05-CT/HU" in {c["doc_number"] for c in ans["citations"]}, ans["answer"]


def test_one_documents_deadline_compared_with_anothers_gets_a_verdict(kb):
    ans = verbatim(kb, answer_question(kb, "Hạn lập kế hoạch hội thao trong TB 09 có sớm hơn hạn tổ chức hội thao trong KH 18 không?"))
    assert ans["reply"].startswith("Có."), ans["answer"]
    assert "15/05/2026" in ans["reply"] and "30/06/2026" in ans["reply"], ans["answer"]
    ans = answer_question(kb, "Hạn tổ chức hội thao trong KH 18 có sớm hơn hạn lập kế hoạch hội thao trong TB 09 không?")
    assert ans["reply"].startswith("Không."), ans["answer"]
