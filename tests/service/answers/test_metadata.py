"""Documents described rather than numbered, on invented documents in a real embedded store: a
committee that issued nothing stored, a year of a plan the store does not hold — each said plainly,
never answered from another body's or another year's document."""
from __future__ import annotations

import re

import pytest

from service.answers import answer_question
from support.kb import invented

PLAN = """HUYỆN ỦY LÂM TRƯỜNG
*
Số 18-KH/HU

ĐẢNG CỘNG SẢN VIỆT NAM
Lâm Trường, ngày 10 tháng 01 năm 2026

KẾ HOẠCH
thực hiện Chỉ thị số 21-CT/TU về tăng cường công tác bảo vệ rừng năm 2026

1. Đảng ủy các xã tổ chức quán triệt Chỉ thị đến chi bộ trước ngày 15/3/2026.
2. Ban Tuyên giáo Huyện ủy phối hợp với Huyện ủy Đồng Xuân tổ chức tuần tra liên huyện trong quý III/2026.
3. Văn phòng Huyện ủy báo cáo kết quả trước ngày 25/11 hằng năm.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Lò Văn Hùng
"""

DIRECTIVE = """TỈNH ỦY HÀ NGUYÊN
*
Số 21-CT/TU

ĐẢNG CỘNG SẢN VIỆT NAM
Hà Nguyên, ngày 05 tháng 01 năm 2026

CHỈ THỊ
về tăng cường công tác bảo vệ rừng

Căn cứ Quy định số 31-QĐi/TU, ngày 02/3/2024 của Ban Thường vụ Tỉnh ủy về quản lý, bảo vệ rừng phòng hộ,
1. Các huyện ủy xây dựng kế hoạch thực hiện Chỉ thị, gửi Ban Thường vụ Tỉnh ủy trước ngày 20/01/2026.
2. Chỉ thị này có hiệu lực kể từ ngày ký và thay thế Chỉ thị số 09-CT/TU, ngày 10/01/2023 của Ban Thường vụ Tỉnh ủy.
3. Các huyện ủy quán triệt Quy định số 31-QĐi/TU đến chi bộ trước ngày 30/4/2026.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Nông Văn Sơn
"""


RESOLUTION = """HUYỆN ỦY LÂM TRƯỜNG
*
Số 09-NQ/HU

ĐẢNG CỘNG SẢN VIỆT NAM
Lâm Trường, ngày 20 tháng 12 năm 2025

NGHỊ QUYẾT
HỘI NGHỊ LẦN THỨ CHÍN BAN CHẤP HÀNH ĐẢNG BỘ HUYỆN (KHÓA XXII)
về phát triển du lịch cộng đồng năm 2026

1. Phấn đấu đến cuối năm 2026 có 05 thôn làm du lịch cộng đồng.

T/M HUYỆN ỦY
BÍ THƯ
Lò Văn Hùng
"""


NOTICE = """ĐẢNG BỘ HUYỆN LÂM TRƯỜNG
ĐẢNG ỦY XÃ HÒA VINH
*
Số 12-TB/ĐU

ĐẢNG CỘNG SẢN VIỆT NAM
Hòa Vinh, ngày 6 tháng 3 năm 2026

THÔNG BÁO
kết luận của Thường trực Đảng ủy về bảo vệ rừng tháng 3 năm 2026

1. Giao Ban Chỉ huy Quân sự xã phối hợp tuần tra rừng phòng hộ trong tháng 4/2026.

T/M ĐẢNG ỦY
PHÓ BÍ THƯ
Hoàng Thị Mai
"""


REPORT = """HUYỆN ỦY LÂM TRƯỜNG
*
Số 40-BC/HU

ĐẢNG CỘNG SẢN VIỆT NAM
Lâm Trường, ngày 30 tháng 9 năm 2026

BÁO CÁO
sơ kết việc thực hiện Chỉ thị số 21-CT/TU về bảo vệ rừng (từ tháng 3 đến tháng 9/2026)

1. Các xã đã tổ chức 42 đợt tuần tra rừng phòng hộ.
2. Văn phòng Huyện ủy tổng hợp báo cáo năm trước ngày 10/12/2026.

Nơi nhận:
- Ban Thường vụ Tỉnh ủy (để báo cáo),
- Lưu Văn phòng Huyện ủy.

T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ
(Đã ký)
Hà Văn Toàn
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("invented"), tmp_path_factory.mktemp("invented-data"),
                  {"18-KH-HU.txt": PLAN, "21-CT-TU.txt": DIRECTIVE, "09-NQ-HU.txt": RESOLUTION,
                   "12-TB-DU.txt": NOTICE, "40-BC-HU.txt": REPORT}) as kb:
        yield kb


def test_a_document_of_a_committee_that_issued_nothing_stored_is_said_absent(kb):
    ans = answer_question(kb, "Kế hoạch thực hiện CT 21 của Huyện ủy Đồng Xuân giao tuần tra vào thời gian nào?")
    assert ans["kind"] == "none" and "Huyện ủy Đồng Xuân" in ans["answer"], ans["answer"]
    # …while the committee that did issue one is answered from it.
    ans = answer_question(kb, "Kế hoạch thực hiện CT 21 của Huyện ủy Lâm Trường giao tuần tra vào thời gian nào?")
    assert ans["kind"] != "none" and "quý III/2026" in ans["answer"], ans["answer"]


def test_a_plan_of_a_year_the_store_does_not_hold_is_said_absent(kb):
    ans = answer_question(kb, "KH năm 2027 của Huyện ủy Lâm Trường thực hiện Chỉ thị 21 có những nhiệm vụ gì?")
    assert ans["kind"] == "none" and "2027" in ans["answer"], ans["answer"]
    # A year asked as a time of the stored plan is a time window over it, not a plan of that year.
    ans = answer_question(kb, "Theo kế hoạch thực hiện Chỉ thị 21, năm 2027 phải làm gì?")
    assert "Kho không có văn bản này" not in ans["answer"], ans["answer"]


def test_words_after_a_committee_are_no_place_name(kb):
    ans = answer_question(kb, "Kế hoạch của Đảng ủy xã giao trường tôi tuần tra khi nào?")
    assert "Kho không có" not in ans["answer"], ans["answer"]


def test_in_force_from_signing_is_the_documents_date(kb):
    ans = answer_question(kb, "Chỉ thị 21 có hiệu lực từ ngày nào?")
    assert "05/01/2026" in ans["reply"], ans["answer"]
    quotes = [c["quote"] for c in ans["citations"]]
    assert "Hà Nguyên, ngày 05 tháng 01 năm 2026" in quotes and any("kể từ ngày ký" in q for q in quotes)


def test_the_meeting_and_term_of_a_resolution_are_its_header_line(kb):
    ans = answer_question(kb, "Nghị quyết về du lịch cộng đồng là nghị quyết hội nghị lần thứ mấy, khóa nào?")
    assert "LẦN THỨ CHÍN" in ans["reply"] and "XXII" in ans["reply"], ans["answer"]
    assert ans["citations"][0]["doc_number"] == "09-NQ/HU"


def test_whether_it_replaces_another_is_answered_yes_with_that_documents_number(kb):
    ans = answer_question(kb, "CT 21 có thay thế chỉ thị nào trước đó không?")
    assert ans["reply"].startswith("Có") and "09-CT/TU" in ans["reply"], ans["answer"]


def test_what_it_replaces_is_named_with_the_date_the_citation_gives(kb):
    ans = answer_question(kb, "CT 21 ra đời thì chỉ thị cũ nào bị bỏ?")
    assert "09-CT/TU ngày 10/01/2023" in ans["reply"], ans["answer"]


def test_a_document_described_as_new_is_found_without_that_word(kb):
    ans = answer_question(kb, "chỉ thị mới của tỉnh ủy Hà Nguyên bắt đầu áp dụng từ hôm nào?")
    assert ans["citations"] and ans["citations"][0]["doc_number"] == "21-CT/TU", ans["answer"]


def test_a_cited_document_not_stored_answers_what_is_said_of_it_never_its_content(kb):
    ans = answer_question(kb, "Quy định 31-QĐi/TU ban hành ngày nào?")
    assert ans["kind"] == "passages" and "02/03/2024" in ans["answer"], ans["answer"]
    ans = answer_question(kb, "Quy định 31-QĐi/TU về bảo vệ rừng phòng hộ gồm bao nhiêu điều?")
    assert ans["kind"] == "none" and "chưa lưu toàn văn" in ans["answer"], ans["answer"]


def test_what_a_document_not_stored_gives_to_do_is_never_another_documents_duty(kb):
    # The plan's Ban Tuyên giáo duty (quý III/2026) is not what the unstored Quy định gives it.
    ans = answer_question(kb, "Quy định 31-QĐi/TU giao Ban Tuyên giáo Huyện ủy những nhiệm vụ nào, hạn khi nào?")
    assert ans["kind"] == "none" and "chưa lưu toàn văn" in ans["answer"], ans["answer"]
    # a fact the citing sentence does not state (which meeting passed it) is not answered by that sentence
    ans = answer_question(kb, "Quy định 31-QĐi/TU được thông qua tại hội nghị lần thứ mấy?")
    assert ans["kind"] == "none", ans["answer"]
    # a stored sentence about the document itself answers: the directive's duty to study it
    ans = answer_question(kb, "Quy định 31-QĐi/TU phải được quán triệt đến chi bộ trước ngày nào?")
    assert "30/04/2026" in ans["reply"], ans["answer"]


def test_the_issue_date_is_written_with_the_date_lines_own_numbers(kb):
    ans = answer_question(kb, "TB 12 ban hành ngày nào?")
    assert "6/3/2026" in ans["reply"], ans["answer"]
    ans = answer_question(kb, "Chỉ thị 21 ký ngày nào?")
    assert "05/01/2026" in ans["reply"], ans["answer"]


def test_a_reports_date_signer_recipients_and_period(kb):
    ans = answer_question(kb, "Báo cáo 40-BC/HU đề ngày nào và do ai ký?")
    assert "30/9/2026" in ans["reply"] and "Hà Văn Toàn" in ans["reply"], ans["answer"]
    ans = answer_question(kb, "BC 40 cua huyen uy Lam Truong so ket giai doan nao")
    assert "từ tháng 3 đến tháng 9/2026" in ans["reply"], ans["answer"]
    ans = answer_question(kb, "Báo cáo 40 gửi lên cơ quan nào để báo cáo?")
    assert any("Ban Thường vụ Tỉnh ủy (để báo cáo)" in c["quote"] for c in ans["citations"]), ans["answer"]


def test_what_a_document_implements_is_read_from_its_title(kb):
    ans = answer_question(kb, "Kế hoạch 18 của Huyện ủy Lâm Trường là để thực hiện chỉ thị nào?")
    assert "21-CT/TU" in ans["reply"], ans["answer"]


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    from support.digitization import DOCS

    with invented(tmp_path_factory.mktemp("district"), tmp_path_factory.mktemp("district-data"), DOCS) as kb:
        yield kb


def test_in_force_from_the_day_its_own_article_states(district):
    """The article "Hiệu lực thi hành" answers, not a duty counting days "kể từ ngày quyết định … có hiệu lực"."""
    ans = answer_question(district, "Quy định về lưu trữ hồ sơ đảng viên điện tử có hiệu lực từ ngày nào?")
    assert "01/04/2026" in ans["reply"], ans["answer"]  # the reply writes dates dd/mm/yyyy
    assert [c["section"] for c in ans["citations"]] == ["Điều 4"], ans["answer"]


def test_the_signer_of_a_closing_in_two_columns_with_a_note_beside_the_recipients(district):
    ans = answer_question(district, "Thông báo 31 do ai ký, gửi những nơi nào?")
    assert "Trần Thị Mai" in ans["reply"] and "4 nơi" in ans["reply"], ans["answer"]


def test_the_day_an_office_issued_the_plan_carrying_out_a_directive_is_its_date_not_a_deadline(district):
    """"… ra KH triển khai CT 14 ngày nào": the plan's own date line, not the directive's deadline for it."""
    ans = answer_question(district, "van phong huyen uy son ha ra KH trien khai CT 14 ngay nao")
    assert "25/3/2026" in ans["reply"] and "31/3/2026" not in ans["answer"], ans["answer"]
    assert ans["citations"][0]["doc_number"] == "08-KH/VPHU", ans["answer"]


def _heads_hold_their_quotes(ans: dict) -> None:
    """Every quote line stands under the "Theo <document>…:" line of the document its [n] cites."""
    by_n = {c["n"]: c for c in ans["citations"]}
    head = None
    for line in ans["answer"].splitlines():
        if line.startswith("Theo ") and line.endswith(":"):
            head = line
        elif line.startswith("- “") and head is not None:
            for n in re.findall(r"\[(\d+)\]", line.rsplit("”", 1)[-1]):
                number = by_n[int(n)].get("doc_number") or ""
                assert number and number in head, (head, line, ans["answer"])


CITING_REPORT = """HUYỆN ỦY ĐỒNG XUÂN
*
Số 41-BC/HU

ĐẢNG CỘNG SẢN VIỆT NAM
Đồng Xuân, ngày 20 tháng 6 năm 2026

BÁO CÁO
sơ kết 6 tháng thực hiện Chỉ thị số 21-CT/TU

Thực hiện Chỉ thị số 21-CT/TU ngày 05/01/2026 của Ban Thường vụ Tỉnh ủy về tăng cường công tác bảo vệ rừng, Ban Thường vụ Huyện ủy báo cáo kết quả như sau:

1. Các xã đã tổ chức 24 đợt tuần tra rừng.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Hà Văn Tám
"""


@pytest.fixture(scope="module")
def cited(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("invented"), tmp_path_factory.mktemp("invented-data"),
                  {"21-CT-TU.txt": DIRECTIVE, "41-BC-HU.txt": CITING_REPORT}) as kb:
        yield kb


@pytest.mark.parametrize("question", [
    "Chỉ thị 21-CT/TU là loại văn bản gì, cơ quan nào ban hành, ngày mấy?",
    "Chỉ thị 21-CT/TU ban hành ngày nào, do ai ký?",
    "BC 41 của Huyện ủy Đồng Xuân do ai ký, ban hành ngày nào, căn cứ vào văn bản nào?",
])
def test_each_quote_stands_under_its_own_documents_heading(cited, question):
    """A date said both by the document and by a sentence of another citing it: each quote under its
    own document's "Theo …:" line, however the fields interleave."""
    ans = answer_question(cited, question)
    assert ans["kind"] != "none", ans["answer"]
    _heads_hold_their_quotes(ans)


def test_the_kind_the_issuer_and_the_date_asked_together_are_each_answered(kb):
    ans = answer_question(kb, "Văn bản số 21-CT/TU là loại văn bản gì, cơ quan nào ban hành, ngày mấy?")
    reply = ans["answer"].splitlines()[0]
    assert "05/01/2026" in reply and "Tỉnh ủy Hà Nguyên" in reply and "Chỉ thị" in reply, ans["answer"]


def test_the_signer_is_said_with_the_post_signed_in(district):
    """"do ai ký, chức vụ gì": the name and its own post ("K/T CHÁNH VĂN PHÒNG / PHÓ CHÁNH VĂN PHÒNG"
    signs as the deputy), both from the signature quoted."""
    ans = answer_question(district, "Ai là người ký KH 08, chức vụ gì?")
    assert "Đỗ Minh Quang (Phó Chánh Văn phòng)" in ans["reply"], ans["answer"]


def test_the_day_a_cited_document_described_by_its_subject_was_issued(district):
    """"BTV Tỉnh ủy ra kế hoạch về chuyển đổi số … ngày nào": a plan the directive cites, not stored — what
    the citing sentence says of it, never a stored plan's date or a duty's deadline."""
    ans = answer_question(district, "BTV Tỉnh ủy ra kế hoạch về chuyển đổi số trong công tác đảng ngày nào?")
    assert "40-KH/TU" in ans["reply"] and "05/01/2026" in ans["reply"], ans["answer"]
    assert "25/3/2026" not in ans["answer"] and not ans["obligations"], ans["answer"]


def test_a_list_from_an_unstored_document_no_citing_sentence_lists_is_not_answered(kb):
    # the citing sentences name the regulation and its subject, not what it lists
    ans = answer_question(kb, "Quy định 31-QĐi/TU của BTV Tỉnh ủy quy định những khu rừng nào là rừng phòng hộ?")
    assert ans["kind"] == "none" and "31-QĐi/TU" in ans["answer"], ans["answer"]


def test_a_quy_che_annexed_to_its_decision_is_described_by_its_kind(tmp_path_factory):
    from support.kb import invented
    from support.documents import DECISION  # a decision and its annexed Quy chế

    with invented(tmp_path_factory.mktemp("annexed"), tmp_path_factory.mktemp("annexed-data"), {"318-QD-TU.txt": DECISION}) as kb:
        ans = answer_question(kb, "Quy chế đối thoại với nhân dân có hiệu lực từ ngày nào, thay thế văn bản nào")
        assert "Hiệu lực: từ ngày 01/04/2030" in ans["reply"] and "97-QĐ/TU ngày 05/06/2025" in ans["reply"], ans["answer"]
        assert not any(ln.startswith("Theo ") and ln.endswith(":") and (i + 1 == len(ans["answer"].splitlines())
                       or not ans["answer"].splitlines()[i + 1].startswith("- "))
                       for i, ln in enumerate(ans["answer"].splitlines())), ans["answer"]  # no heading over nothing
