"""Yes/no verdicts, on an invented regulation in a real embedded store: a sentence denying the very act
the question claims decides "Không" (a list after a colon is inside the denial); a negation inside a
condition, or one that agrees with a claim of a ban, decides nothing."""
from __future__ import annotations

import pytest

from service.answers import answer_question
from support.kb import invented, verbatim

RULE = """ĐẢNG ỦY XÃ TÂN LẬP
*
Số 03-QĐi/ĐU

ĐẢNG CỘNG SẢN VIỆT NAM
Tân Lập, ngày 15 tháng 02 năm 2026

QUY ĐỊNH
về sinh hoạt chi bộ trực tuyến và thẻ truy cập phòng họp

Điều 1. Thẻ truy cập phòng họp
1. Mỗi đảng viên chỉ được cấp một thẻ truy cập phòng họp; không cho người khác mượn, sử dụng thẻ của mình.
2. Thẻ bị mất được cấp lại khi bí thư chi bộ xác nhận.

Điều 2. Họp trực tuyến
1. Chi bộ được họp trực tuyến khi có từ hai phần ba đảng viên đồng ý.
2. Không tổ chức họp trực tuyến đối với các nội dung: bầu cử chi ủy; biểu quyết nhân sự; xem xét kỷ luật đảng viên.

Điều 3. Kiểm tra và xóa tên
1. Không kiểm tra một chi bộ quá 01 lần trong năm về cùng nội dung, trừ trường hợp có dấu hiệu vi phạm mới.
2. Đảng viên không tham gia sinh hoạt ba kỳ liền mà không có lý do chính đáng thì chi bộ xem xét xóa tên.
3. Nghiêm cấm lợi dụng liên hoan cuối năm để vụ lợi.
4. Đảng viên bị kỷ luật trong năm thì xếp loại “Không hoàn thành nhiệm vụ”, trừ trường hợp vi phạm xảy ra từ năm trước đã được khắc phục.

Điều 4. Góp ý dự thảo
1. Các chi bộ tổ chức lấy ý kiến đảng viên vào dự thảo nghị quyết; việc lấy ý kiến không áp dụng đối với chi bộ quân sự và chi bộ trường học.
2. Đảng viên báo cáo bằng văn bản với chi bộ, trừ đảng viên được miễn sinh hoạt.
3. Chi ủy lập danh sách triệu tập hội nghị; không tính vào danh sách triệu tập đảng viên được miễn sinh hoạt.

T/M ĐẢNG ỦY
BÍ THƯ
Vi Văn Khánh
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("yesno"), tmp_path_factory.mktemp("yesno-data"),
                  {"03-QDi-DU.txt": RULE}) as kb:
        yield kb


@pytest.mark.parametrize("question, deciding", [
    ("co duoc cho nguoi khac muon the truy cap phong hop khong", "không cho người khác mượn"),
    ("Chi bộ có được họp trực tuyến để xem xét kỷ luật đảng viên không?", "Không tổ chức họp trực tuyến"),
])
def test_a_sentence_denying_the_claimed_act_answers_no(kb, question, deciding):
    ans = verbatim(kb, answer_question(kb, question))
    assert ans["reply"].startswith("Không."), ans["answer"]
    assert deciding in ans["citations"][0]["quote"], ans["answer"]


def test_a_denial_with_an_exception_says_so(kb):
    ans = answer_question(kb, "Một chi bộ có bị kiểm tra hai lần trong năm về cùng nội dung không?")
    assert ans["reply"].startswith("Không (trừ trường hợp"), ans["answer"]


@pytest.mark.parametrize("question", [
    # "không tham gia … thì …": a condition, whose consequence is affirmative
    "Đảng viên nghỉ sinh hoạt ba kỳ liền có bị chi bộ xem xét xóa tên không?",
    # "Nghiêm cấm …" agrees with a claim of a ban; it does not deny it
    "Quy định 03 có cấm tổ chức liên hoan cuối năm không?",
    # "Không hoàn thành nhiệm vụ" in quotation marks is a name, not a denial
    "Đảng viên bị kỷ luật trong năm có bị xếp loại Không hoàn thành nhiệm vụ không?",
    # two claims, one verdict each: a single "Không" would answer the first wrongly
    "Chi bộ có được họp trực tuyến không, có được bầu cử chi ủy trực tuyến không?",
])
def test_a_negation_that_denies_nothing_asked_gives_no_no(kb, question):
    ans = answer_question(kb, question)
    assert not ans["reply"].startswith("Không"), ans["answer"]


def test_a_sentence_allowing_the_claimed_act_answers_yes_with_its_condition(kb):
    ans = verbatim(kb, answer_question(kb, "Thẻ truy cập phòng họp bị mất thì có cấp lại được không?"))
    assert ans["reply"].startswith("Có (với điều kiện"), ans["answer"]
    assert "được cấp lại khi" in ans["citations"][0]["quote"], ans["answer"]
    # allowed is not required: "có phải họp trực tuyến không?" gets no "Có" from "được họp trực tuyến"
    ans = answer_question(kb, "Chi bộ có phải họp trực tuyến không?")
    assert not ans["reply"].startswith("Có"), ans["answer"]


def test_a_rule_leaving_out_the_one_asked_about_answers_no(kb):
    ans = verbatim(kb, answer_question(kb, "Chi bộ trường học có phải lấy ý kiến đảng viên vào dự thảo nghị quyết không?"))
    assert ans["reply"].startswith("Không"), ans["answer"]
    assert "không áp dụng đối với" in ans["citations"][0]["quote"], ans["answer"]
    # the rule binds the others; and a member naming more than the asker ("đảng viên được miễn sinh
    # hoạt") does not leave out every đảng viên
    for question in ("Chi bộ thôn có phải lấy ý kiến đảng viên vào dự thảo nghị quyết không?",
                     "Đảng viên có phải báo cáo bằng văn bản với chi bộ không?"):
        ans = answer_question(kb, question)
        assert not ans["reply"].startswith("Không"), ans["answer"]


def test_a_modal_inside_the_subject_claims_nothing(kb):
    # "được miễn" names who is asked about; the claim is "có tính vào danh sách … không"
    ans = verbatim(kb, answer_question(kb, "Đảng viên được miễn sinh hoạt có tính vào danh sách triệu tập không?"))
    assert ans["reply"].startswith("Không"), ans["answer"]
    assert "không tính vào danh sách" in ans["citations"][0]["quote"], ans["answer"]


EXERCISE = """HUYỆN ỦY LŨNG VÂN
*
Số 30-KH/HU

ĐẢNG CỘNG SẢN VIỆT NAM
Lũng Vân, ngày 05 tháng 01 năm 2029

KẾ HOẠCH
diễn tập phòng thủ dân sự năm 2029

1. Xã Pác Nặm được chọn làm điểm diễn tập phòng thủ dân sự cấp xã trong tháng 6/2029; các xã, thị trấn còn lại không tổ chức diễn tập phòng thủ dân sự riêng trong năm 2029.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Ma Văn Sình
"""


@pytest.fixture(scope="module")
def exercise(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("ex"), tmp_path_factory.mktemp("ex-data"), {"30-KH-HU.txt": EXERCISE}) as kb:
        yield kb


def test_a_denial_of_the_others_is_no_denial_of_the_one_named(exercise):
    ans = verbatim(exercise, answer_question(exercise, "nam 2029 xa Pac Nam co phai dien tap phong thu dan su khong"))
    assert not ans["reply"].startswith("Không"), ans["answer"]



@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    from support.documents import DECISION
    from support.kb import invented

    with invented(tmp_path_factory.mktemp("rules"), tmp_path_factory.mktemp("rules-data"), {"318-QD-TU.txt": DECISION}) as kb:
        yield kb


def test_a_rule_stated_plainly_requires_the_act_of_whom_it_names(rules):
    from service.answers import answer_question

    ans = answer_question(rules, "bí thư đảng ủy xã có phải đối thoại với dân 2 lần 1 năm không")
    assert ans["reply"].startswith("Có"), ans["answer"]
    # another count than the rule's, or someone the rule does not name: no "Có"
    for q in ("bí thư đảng ủy xã có phải đối thoại với dân 3 lần 1 năm không",
              "chi bộ có phải đối thoại với nhân dân không",
              "Có phải bí thư chi bộ đối thoại với Nhân dân không?"):
        assert not answer_question(rules, q)["reply"].startswith("Có"), q


def test_the_case_a_rule_leaves_out_is_no_yes(rules):
    from service.answers import answer_question

    ans = answer_question(rules, "bi thu co duoc uy quyen chu tri buoi doi thoai lan thu nhat khong")
    assert ans["reply"].startswith("Không"), ans["answer"]
    ans = answer_question(rules, "Bí thư xã có được ủy quyền cho phó bí thư chủ trì đối thoại không?")
    assert ans["reply"].startswith("Có (trừ"), ans["answer"]


NOTE_77 = """HUYỆN ỦY LŨNG THƯỢNG
BAN DÂN VẬN
*
Số 77-CV/BDVHU

ĐẢNG CỘNG SẢN VIỆT NAM
Lũng Thượng, ngày 02 tháng 11 năm 2030

V/v chuẩn bị đối thoại với Nhân dân năm 2031

Kính gửi: Các đảng ủy xã, thị trấn

1. Các đảng ủy xã xây dựng lịch đối thoại năm 2031, gửi Ban Dân vận Huyện ủy trước ngày 15/12/2030.
2. Các chi bộ họp định kỳ mỗi tháng một lần.

K/T TRƯỞNG BAN
PHÓ TRƯỞNG BAN
Lò Thị Hoa
"""


@pytest.fixture(scope="module")
def claims(tmp_path_factory):
    from support.documents import DECISION
    from support.kb import invented

    with invented(tmp_path_factory.mktemp("claims"), tmp_path_factory.mktemp("claims-data"),
                  {"318-QD-TU.txt": DECISION, "77-CV-BDVHU.txt": NOTE_77}) as kb:
        yield kb


@pytest.mark.parametrize("question, reply", [
    ("QĐ 318 do đồng chí Hoàng Minh Tuấn ký phải không?", "Có."),
    ("CV 77 có phải do trưởng ban ký không", "Không. Công văn 77-CV/BDVHU do Lò Thị Hoa (Phó trưởng ban) ký."),
    ("QĐ 318 có phải do phó bí thư ký không", "Có."),  # a Phó Bí thư Thường trực is a phó bí thư
    ("QĐ 318 do bí thư ký phải không", "Không."),
    ("QĐ 318 có thay thế quyết định 97 không", "Có."),
    ("QĐ 318 có thay thế quyết định 96 không", "Không."),
    ("QĐ 318 ban hành ngày 15/3/2030 đúng không", "Không. Quyết định 318-QĐ/TU ban hành ngày 12/03/2030."),
    ("QĐ 318 có hiệu lực từ 1/4/2030 phải không", "Có."),
])
def test_a_claim_about_who_signed_what_is_replaced_and_when_is_checked(claims, question, reply):
    from service.answers import answer_question

    ans = verbatim(claims, answer_question(claims, question))
    assert ans["reply"].startswith(reply), ans["answer"]


def test_a_rhythm_is_no_signature(claims):
    from service.answers import answer_question

    # "định kỳ" folds like "ký": no claim about a signer
    ans = answer_question(claims, "CV 77 yêu cầu chi bộ họp định kỳ mỗi quý một lần phải không?")
    assert "ký" not in ans["reply"], ans["answer"]
