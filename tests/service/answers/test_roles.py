"""Duties of a role, on an invented ward plan in a real embedded store: the post as the plan names it
comes first (not another post of the same rank), a union's head is no party committee's secretary,
a year asked for keeps the post's standing duties and rhythms without a day, and where the asker
works ("ở công ty …") is part of who they are, not of what they ask."""
from __future__ import annotations

from datetime import date

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


# A commune plan whose duties are listed by person, each post labelling its line ("- **Post**: a; b; c"),
# and a body named by the committee it stands under ("đảng ủy trực thuộc Huyện ủy"). Invented.
COMMUNE = """ĐẢNG BỘ HUYỆN SƠN KHÊ
ĐẢNG ỦY XÃ MỸ KHÊ

Số 31-KH/ĐU

ĐẢNG CỘNG SẢN VIỆT NAM

Mỹ Khê, ngày 10 tháng 02 năm 2027

KẾ HOẠCH
phòng, chống dịch bệnh ở gia súc năm 2027

## I. NHIỆM VỤ CHUNG

- Các đảng ủy trực thuộc Huyện ủy gửi kế hoạch phối hợp về Ban Thường vụ Huyện ủy trước ngày 28/02/2027.
- Đảng ủy xã chỉ đạo rà soát đàn gia súc trong quý II/2027.
- Trạm Y tế xã lập danh sách hộ chăn nuôi có người mắc bệnh truyền nhiễm trong quý I/2027.

## II. TỔ CHỨC THỰC HIỆN

### 1. Trách nhiệm của cá nhân

- **Trưởng Trạm Y tế xã**: tham mưu Đảng ủy về tình hình dịch bệnh; lập sổ theo dõi đàn gia súc; báo cáo Thường trực Đảng ủy hằng tháng, trước ngày 25; hướng dẫn tiêu độc tại các chuồng trại thôn Đồng Vỹ.
- **Chủ tịch UBND xã**: chỉ đạo tổ chức tiêm phòng; bố trí kinh phí mua vắc-xin; báo cáo Ủy ban nhân dân huyện kết quả tiêm phòng trước ngày 20/12/2027.
- **Phó Chủ tịch UBND xã**: kiểm tra các điểm giết mổ mỗi quý một lần.
- **Bí thư Đoàn xã**: thành lập 01 tổ thanh niên xung kích phun tiêu độc; tuyên truyền trên mạng xã hội.
- **Đảng viên**: gương mẫu tiêm phòng cho đàn gia súc của gia đình.

T/M ĐẢNG ỦY
BÍ THƯ
Lê Văn Tùng
"""


@pytest.fixture(scope="module")
def commune(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("commune"), tmp_path_factory.mktemp("commune-data"),
                  {"31-KH-DU.md": COMMUNE}) as kb:
        yield kb


def test_a_post_labelling_its_line_gets_every_duty_of_the_line_quoted_once(commune):
    ans = verbatim(commune, answer_question(commune, "Tôi là trưởng trạm y tế xã Mỹ Khê, tôi phải làm gì?"))
    assert ans["kind"] == "obligations", ans["answer"]
    lines = _lines(ans)
    assert "tham mưu Đảng ủy" in lines[0] and "lập sổ theo dõi" in lines[1], ans["answer"]
    assert "trước ngày 25" in ans["answer"] and "Đồng Vỹ" in ans["answer"]
    # the line's duties, read in its order, are one quote with one [n]
    line = [c for c in ans["citations"] if "tham mưu Đảng ủy" in c["quote"]]
    assert len(line) == 1 and "Đồng Vỹ" in line[0]["quote"], ans["citations"]
    assert "tiêm phòng" not in ans["answer"]  # the chủ tịch's duties are not the veterinarian's


def test_a_deputy_is_not_given_the_heads_line(commune):
    ans = verbatim(commune, answer_question(commune, "toi la pct ubnd xa, toi phai lam gi?"))
    assert ans["kind"] == "obligations" and "điểm giết mổ" in _lines(ans)[0], ans["answer"]
    assert "vắc-xin" not in ans["answer"], ans["answer"]


def test_abbreviated_chair_and_a_second_ask_in_one_role_question(commune):
    # "CT UBND" is the chủ tịch, not a Chỉ thị; "phải làm gì và báo cáo cho ai": the post's duties, all of
    # them, the report among them — not only the duties that speak of reporting
    ans = verbatim(commune, answer_question(commune, "Tôi là CT UBND xã, phải làm gì và báo cáo cho ai?"))
    assert ans["kind"] == "obligations", ans["answer"]
    head = "\n".join(_lines(ans)[:3])
    assert "tiêm phòng" in head and "vắc-xin" in head and "20/12/2027" in head, ans["answer"]
    assert "điểm giết mổ" not in ans["answer"]


def test_the_document_giving_the_duties_is_not_what_they_are_about(commune):
    # "KH của ĐU giao cho tôi": which document, not a topic the duties must speak of
    ans = verbatim(commune, answer_question(commune, "toi la bi thu doan xa thi KH cua DU giao cho toi viec gi"))
    assert ans["kind"] == "obligations" and "thanh niên xung kích" in ans["answer"], ans["answer"]
    ans = verbatim(commune, answer_question(commune, "toi la bi thu doan xa, KH 31 yeu cau gi o toi"))
    assert ans["kind"] == "obligations" and "thanh niên xung kích" in ans["answer"], ans["answer"]


def test_where_the_asker_works_is_the_role(commune):
    ans = verbatim(commune, answer_question(commune, "Em làm việc tại trạm y tế xã, em phải làm gì?"))
    assert ans["kind"] == "obligations" and "danh sách hộ chăn nuôi" in _lines(ans)[0], ans["answer"]


def test_a_body_named_by_the_committee_above_it_is_that_body(commune):
    ans = verbatim(commune, answer_question(commune, "Tôi là đảng ủy trực thuộc Huyện ủy, tôi phải làm gì?"))
    assert ans["kind"] == "obligations", ans["answer"]
    assert "28/02/2027" in _lines(ans)[0], ans["answer"]


# Duties by post in a province of our own (Bắc Thạch): a programme of a district Ủy ban Kiểm tra naming
# its own chair and deputy without the body ("Phó Chủ nhiệm Thường trực giúp Chủ nhiệm …"), a commune's
# mid-year report whose "nhiệm vụ 6 tháng cuối năm" are given by post (one post's line going on with a
# clause that names its own doer), and a guidance whose post line speaks of its subject once. Invented.
PROGRAMME = """TỈNH ỦY BẮC THẠCH
HUYỆN ỦY LAM SƠN
ỦY BAN KIỂM TRA
*
Số 05-CTr/UBKTHU

ĐẢNG CỘNG SẢN VIỆT NAM
Lam Sơn, ngày 15 tháng 01 năm 2027

CHƯƠNG TRÌNH
kiểm tra, giám sát năm 2027

I. NỘI DUNG
1. Kiểm tra việc thực hiện quy chế làm việc tại 03 đảng ủy xã trong quý II/2027.

II. TỔ CHỨC THỰC HIỆN
1. Chủ nhiệm Ủy ban Kiểm tra Huyện ủy chịu trách nhiệm chung; trực tiếp phụ trách đoàn kiểm tra số 1.
2. Phó Chủ nhiệm Thường trực giúp Chủ nhiệm điều hành công việc thường xuyên của cơ quan; phụ trách đoàn kiểm tra số 3; theo dõi việc giải quyết khiếu nại của đảng viên.
3. Văn phòng cơ quan Ủy ban Kiểm tra Huyện ủy tổng hợp kết quả, báo cáo trước ngày 20/12/2027.

T/M ỦY BAN KIỂM TRA
CHỦ NHIỆM
Hà Văn Quý
"""

REPORT = """ĐẢNG BỘ HUYỆN LAM SƠN
ĐẢNG ỦY XÃ THẠCH BÌNH
*
Số 44-BC/ĐU

ĐẢNG CỘNG SẢN VIỆT NAM
Thạch Bình, ngày 05 tháng 6 năm 2027

BÁO CÁO
sơ kết công tác xây dựng Đảng 6 tháng đầu năm, nhiệm vụ 6 tháng cuối năm 2027

I. KẾT QUẢ
Đảng ủy đã kết nạp 04 đảng viên mới; 02 chi bộ chưa sinh hoạt chuyên đề đúng kỳ.

II. NHIỆM VỤ 6 THÁNG CUỐI NĂM 2027
1. Bí thư Đảng ủy: chủ trì hội nghị sơ kết công tác dân vận trong tháng 9/2027.
2. Chủ nhiệm Ủy ban Kiểm tra Đảng ủy:
a) Giải quyết dứt điểm đơn khiếu nại của đảng viên thôn Đông, chậm nhất ngày 20/8/2027;
b) Chủ trì kiểm tra Chi bộ Trạm Y tế, hoàn thành trước ngày 31/10/2027.
3. Bí thư các chi bộ: ghi sổ biên bản sinh hoạt chi bộ đầy đủ hằng tháng; mời đại diện Mặt trận dự sinh hoạt chi bộ ít nhất mỗi quý một lần; mỗi chi bộ giới thiệu ít nhất 01 quần chúng ưu tú trong 6 tháng cuối năm.

T/M ĐẢNG ỦY
PHÓ BÍ THƯ
Lò Thị Mai
"""

GUIDANCE = """HUYỆN ỦY LAM SƠN
*
Số 08-HD/HU

ĐẢNG CỘNG SẢN VIỆT NAM
Lam Sơn, ngày 02 tháng 3 năm 2027

HƯỚNG DẪN
về thu, nộp đảng phí

I. MỨC ĐÓNG
Đảng viên hưởng lương đóng đảng phí hằng tháng bằng 1% tiền lương.

II. TRÁCH NHIỆM
- Bí thư chi bộ: trực tiếp đôn đốc thu đảng phí; niêm yết kết quả thu, nộp tại kỳ sinh hoạt cuối mỗi quý.
- Bí thư chi bộ: lập danh sách đảng viên đi làm ăn xa.
- Đảng viên: đóng đảng phí đầy đủ, đúng hạn.

T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ
Vi Văn Sáng
"""


@pytest.fixture(scope="module")
def bac_thach(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("bacthach"), tmp_path_factory.mktemp("bacthach-data"),
                  {"05-CTr-UBKTHU.txt": PROGRAMME, "44-BC-DU.txt": REPORT, "08-HD-HU.txt": GUIDANCE}) as kb:
        yield kb


def test_a_post_the_issuing_body_names_without_the_body_is_its_own(bac_thach):
    # "Phó Chủ nhiệm Thường trực" in the Ủy ban Kiểm tra Huyện ủy's own programme is its deputy; a whole
    # year asked of the post is the year's plan (a role question), not only what falls due in it
    ans = verbatim(bac_thach, answer_question(
        bac_thach, "pho chu nhiem thuong truc ubkt huyen uy phu trach nhung viec gi theo chuong trinh nam 2027"))
    assert ans["kind"] == "obligations" and ans["role_applied"], ans["answer"]
    for duty in ("điều hành công việc thường xuyên", "đoàn kiểm tra số 3", "giải quyết khiếu nại"):
        assert duty in ans["answer"], ans["answer"]
    assert "đoàn kiểm tra số 1" not in ans["answer"]  # the chair's


def test_a_reports_tasks_by_post_for_the_half_year(bac_thach):
    q = "Tôi là chủ nhiệm UBKT ĐU xã Thạch Bình, nửa cuối năm tôi phải làm những việc gì và hạn khi nào?"
    ans = verbatim(bac_thach, answer_question(bac_thach, q, as_of=date(2027, 6, 10)))
    assert ans["kind"] == "obligations", ans["answer"]
    head = "\n".join(_lines(ans)[:2])
    assert "20/08/2027" in head and "Chi bộ Trạm Y tế" in head, ans["answer"]
    assert "hội nghị sơ kết công tác dân vận" not in ans["answer"]  # the bí thư's
    # the same asked before the year of the report: its half year is the one the report speaks of
    ans = verbatim(bac_thach, answer_question(bac_thach, q, as_of=date(2026, 12, 1)))
    assert "Chi bộ Trạm Y tế" in ans["answer"], ans["answer"]


def test_a_report_giving_the_chi_bo_secretaries_a_line_of_tasks(bac_thach):
    # "Bí thư các chi bộ: a; b; mỗi chi bộ c": a and b are the secretaries' (the line's label), c the chi
    # bộ's; "báo cáo sơ kết giao …" says which document, not what the duties are about
    ans = verbatim(bac_thach, answer_question(bac_thach, "toi la bi thu chi bo thon, bao cao so ket giao chi bo minh nhung viec gi"))
    assert ans["kind"] == "obligations", ans["answer"]
    for duty in ("ghi sổ biên bản", "mỗi quý một lần", "01 quần chúng ưu tú"):
        assert duty in ans["answer"], ans["answer"]


def test_the_clauses_of_a_posts_line_share_its_subject(bac_thach):
    # "… việc gì về đảng phí?": the line "trực tiếp đôn đốc thu đảng phí; niêm yết kết quả thu, nộp …"
    # is about đảng phí in both clauses; the secretary's other line (đi làm ăn xa) is not
    ans = verbatim(bac_thach, answer_question(bac_thach, "Tôi là bí thư chi bộ thôn, HD 08 giao cho tôi việc gì về đảng phí?"))
    assert ans["kind"] == "obligations", ans["answer"]
    lines = _lines(ans)
    assert "đôn đốc thu đảng phí" in lines[0] and "cuối mỗi quý" in lines[1], ans["answer"]
    assert "làm ăn xa" not in ans["answer"], ans["answer"]


def test_a_post_asked_of_as_its_bodys_documents_name_it(bac_thach):
    # "Phó Chủ nhiệm Thường trực có nhiệm vụ gì?": the post named alone, as the programme names it
    ans = verbatim(bac_thach, answer_question(bac_thach, "Phó Chủ nhiệm Thường trực có nhiệm vụ gì?"))
    assert ans["kind"] == "obligations" and ans["role_applied"], ans["answer"]
    assert "đoàn kiểm tra số 3" in "\n".join(_lines(ans)[:3]), ans["answer"]


RULES = """HUYỆN ỦY LAM SƠN
*
Số 11-QĐi/HU

ĐẢNG CỘNG SẢN VIỆT NAM
Lam Sơn, ngày 20 tháng 3 năm 2027

QUY ĐỊNH
trách nhiệm của đảng viên trong phòng, chống đuối nước cho trẻ em

Điều 1. Trách nhiệm của đảng viên nơi cư trú
1. Đảng viên phụ trách từ 10 đến 15 hộ gia đình.
2. Đảng viên nhắc nhở hộ được phân công trông giữ trẻ em mỗi tháng một lần.
3. Đảng viên báo cáo chi bộ khi phát hiện ao, hồ nguy hiểm chưa có biển cảnh báo.
4. Đảng viên vận động gia đình cho trẻ học bơi trong dịp hè.

Điều 2. Trách nhiệm của đảng viên ở chi bộ trường học
1. Đảng viên sinh hoạt ở chi bộ trường học tham gia ít nhất 01 buổi tuyên truyền về phòng, chống đuối nước ở thôn nơi cư trú mỗi năm.
2. Đảng viên là giáo viên, cán bộ quản lý trường học phối hợp với gia đình quản lý học sinh trong dịp hè; báo tin cho gia đình trong thời hạn 12 giờ khi học sinh nghỉ học không rõ lý do.

Điều 3. Trách nhiệm của chi bộ
Chi bộ thôn ra nghị quyết phân công đảng viên phụ trách hộ trước ngày 30/4/2027.

T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ
Vi Văn Sáng
"""


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("rules"), tmp_path_factory.mktemp("rules-data"), {"11-QDi-HU.txt": RULES}) as kb:
        yield kb


def test_a_teacher_who_is_a_party_member_gets_the_duties_of_both(rules):
    # "Tôi là giáo viên, đảng viên sinh hoạt ở chi bộ trường …": both capacities; "Đảng viên là giáo
    # viên, … phối hợp …; báo tin …" are the duties of those đảng viên
    ans = verbatim(rules, answer_question(rules, "Tôi là giáo viên, đảng viên sinh hoạt ở chi bộ trường THCS, QĐ 11 yêu cầu tôi làm gì?"))
    assert ans["kind"] == "obligations" and ans["role_applied"], ans["answer"]
    assert "12 giờ" in ans["answer"] and "01 buổi tuyên truyền" in ans["answer"], ans["answer"]



LETTER = """HUYỆN ỦY LAM SƠN
*
Số 66-CV/HU
V/v chuẩn bị giao nhận quân năm 2029

ĐẢNG CỘNG SẢN VIỆT NAM

Lam Sơn, ngày 08 tháng 01 năm 2029

Kính gửi: Các đảng ủy xã, thị trấn.

1. Ủy ban nhân dân các xã niêm yết công khai danh sách công dân nhập ngũ từ ngày 12/01/2029 đến hết ngày 25/01/2029.
2. Ủy ban nhân dân xã trao lệnh gọi nhập ngũ đến công dân trước ngày 01/02/2029.

T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ
Đinh Thị Nga
"""


@pytest.fixture(scope="module")
def letter(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("letter"), tmp_path_factory.mktemp("letter-data"), {"66-CV-HU.md": LETTER}) as kb:
        yield kb


def test_a_documents_issuer_after_its_number_is_no_topic_of_a_role_question(letter):
    ans = verbatim(letter, answer_question(letter, "e lam o UBND xa, cv 66 cua HU bat UBND xa lam nhung j"))
    assert ans["kind"] == "obligations" and "trao lệnh gọi nhập ngũ" in ans["answer"], ans["answer"]


NOTICE_REVIEW = """ĐẢNG BỘ HUYỆN ĐỒI MÂY
ĐẢNG ỦY XÃ LŨNG SƯƠNG
*
Số 21-TB/ĐU

ĐẢNG CỘNG SẢN VIỆT NAM
Lũng Sương, ngày 01 tháng 12 năm 2029

THÔNG BÁO
kết luận về kiểm điểm, xếp loại cuối năm 2029

1. Cán bộ, đảng viên kiểm điểm cuối năm gắn với bản cam kết nêu gương; đảng viên viết bản tự kiểm điểm cuối năm, nộp chi bộ trước ngày 05/12/2029.
2. Cán bộ, đảng viên tham gia đầy đủ kỳ kiểm điểm cuối năm tại chi bộ nơi sinh hoạt.
3. Phân công thực hiện:
- Phó Bí thư Thường trực Đảng ủy: theo dõi tiến độ kiểm điểm ở các chi bộ; ký báo cáo gửi Ban Tổ chức Huyện ủy.
- Chủ tịch UBND xã: bố trí kinh phí khen thưởng.

T/M ĐẢNG ỦY
BÍ THƯ
Sầm Văn Toại
"""


@pytest.fixture(scope="module")
def review(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("review"), tmp_path_factory.mktemp("review-data"),
                  {"21-TB-DU.txt": NOTICE_REVIEW}) as kb:
        yield kb


def test_the_posts_own_duty_on_the_topic_is_never_crowded_out_by_everyones(review):
    ans = verbatim(review, answer_question(review, "PBT thường trực ĐU xã có nv gì trong đợt kiểm điểm cuối năm này?"))
    assert ans["kind"] == "obligations", ans["answer"]
    assert "theo dõi tiến độ kiểm điểm" in ans["answer"], ans["answer"]
