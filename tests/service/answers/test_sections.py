"""Questions that name a part of a document, on invented documents in a real embedded store: a level
the document never names by its word ("Phần IV" of a plan numbered "IV."), an item of a notice
named like a document ("Kết luận số 3 trong TB 9"), and a document's outline ("có mấy chương")."""
from __future__ import annotations

import pytest

from service.answers import answer_question
from support.kb import invented, verbatim

NOTICE = """ĐẢNG BỘ HUYỆN LÂM TRƯỜNG
ĐẢNG ỦY XÃ HÒA VINH
*
Số 09-TB/ĐU

ĐẢNG CỘNG SẢN VIỆT NAM
Hòa Vinh, ngày 06 tháng 3 năm 2026

THÔNG BÁO
kết luận của Thường trực Đảng ủy tại cuộc họp tháng 3 năm 2026

1. Giao Ủy ban nhân dân xã sửa chữa cầu tràn thôn Bản Pục trước mùa mưa.
2. Giao Văn phòng Đảng ủy chuẩn bị hội nghị sơ kết công tác quý I.
3. Về công tác phát triển đảng viên: Thống nhất đề nghị kết nạp 02 quần chúng vào Đảng tại chi bộ thôn Nà Lừa.
4. Giao Ủy ban Kiểm tra Đảng ủy giám sát chi bộ trường Mầm non trong tháng 4.

T/M ĐẢNG ỦY
PHÓ BÍ THƯ
Hoàng Thị Mai
"""

PLAN = """HUYỆN ỦY LÂM TRƯỜNG
*
Số 18-KH/HU

ĐẢNG CỘNG SẢN VIỆT NAM
Lâm Trường, ngày 10 tháng 01 năm 2026

KẾ HOẠCH
thực hiện công tác dân vận năm 2026

I. MỤC ĐÍCH, YÊU CẦU
Nâng cao chất lượng công tác dân vận của hệ thống chính trị ở cơ sở.

II. NỘI DUNG
1. Các chi bộ thôn đối thoại với nhân dân ít nhất một lần mỗi quý.
2. Ban Dân vận Huyện ủy tập huấn kỹ năng dân vận cho cán bộ thôn trong quý II/2026.

III. TRÁCH NHIỆM Ở CƠ SỞ
1. Bí thư chi bộ thôn chủ trì buổi đối thoại với nhân dân của thôn.
2. Trưởng thôn tổng hợp ý kiến của nhân dân, báo cáo Ủy ban nhân dân xã.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Lò Văn Hùng
"""

RULES = """TỈNH ỦY HÀ NGUYÊN
BAN CHỈ ĐẠO THỰC HIỆN CHỈ THỊ 21
*
Số 02-QC/BCĐ

ĐẢNG CỘNG SẢN VIỆT NAM
Hà Nguyên, ngày 15 tháng 02 năm 2026

QUY CHẾ
làm việc của Ban Chỉ đạo thực hiện Chỉ thị 21-CT/TU

Chương I. QUY ĐỊNH CHUNG
Điều 1. Phạm vi
Quy chế này quy định chế độ làm việc của Ban Chỉ đạo.

Chương II. NHIỆM VỤ
Điều 2. Nhiệm vụ của Ban Chỉ đạo
Ban Chỉ đạo giúp Ban Thường vụ Tỉnh ủy chỉ đạo thực hiện Chỉ thị.

Chương III. ĐIỀU KHOẢN THI HÀNH
Điều 3. Hiệu lực
Quy chế này có hiệu lực kể từ ngày 01/3/2026.

T/M BAN CHỈ ĐẠO
TRƯỞNG BAN
Đinh Văn Quang
"""

DIRECTIVE = """TỈNH ỦY HÀ NGUYÊN
*
Số 21-CT/TU

ĐẢNG CỘNG SẢN VIỆT NAM
Hà Nguyên, ngày 05 tháng 01 năm 2026

CHỈ THỊ
về tăng cường công tác bảo vệ rừng

1. Các cấp ủy quán triệt Chỉ thị này đến chi bộ trong quý I/2026.
2. Chỉ thị này có hiệu lực kể từ ngày ký.

T/M BAN THƯỜNG VỤ
BÍ THƯ
Nông Văn Sơn
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("invented"), tmp_path_factory.mktemp("invented-data"),
                  {"09-TB-DU.txt": NOTICE, "18-KH-HU.txt": PLAN, "02-QC-BCD.txt": RULES, "21-CT-TU.txt": DIRECTIVE}) as kb:
        yield kb


def test_a_part_word_names_the_plain_numbering_of_a_plan_without_parts(kb):
    ans = verbatim(kb, answer_question(kb, "Phần III Kế hoạch 18-KH/HU quy định trách nhiệm của ai ở cơ sở?"))
    assert ans["kind"] != "none", ans["answer"]
    quotes = " ".join(c["quote"] for c in ans["citations"])
    assert "Bí thư chi bộ thôn" in quotes and "Trưởng thôn" in quotes
    # A part the plan does not have is still said to be missing.
    assert answer_question(kb, "Phần VI Kế hoạch 18-KH/HU nói gì?")["kind"] == "none"


def test_the_outer_level_is_read_first_however_the_question_orders_them(kb):
    for q in ("Mục 2 phần III KH 18 nói gì?", "Phần III mục 2 của Kế hoạch 18-KH/HU nói gì?"):
        ans = verbatim(kb, answer_question(kb, q))
        assert ans["kind"] == "passages" and "Trưởng thôn tổng hợp" in ans["answer"], (q, ans["answer"])
        assert "Bí thư chi bộ thôn chủ trì" not in ans["answer"] and "tập huấn" not in ans["answer"], ans["answer"]


def test_an_item_named_like_a_document_inside_a_stored_one_is_that_item(kb):
    ans = verbatim(kb, answer_question(kb, "Kết luận số 3 trong TB 09 của Đảng ủy xã Hòa Vinh nói về việc gì?"))
    assert ans["question_kind"] == "section", ans
    assert any("02 quần chúng" in c["quote"] for c in ans["citations"]), ans["answer"]
    # A number the notice has no item of stays a document the store does not hold.
    ans = answer_question(kb, "Kết luận số 14 trong TB 09 nói gì?")
    assert not any("quần chúng" in c["quote"] for c in ans["citations"]), ans["answer"]


def test_how_many_chapters_is_answered_with_each_heading(kb):
    ans = verbatim(kb, answer_question(kb, "Quy chế làm việc của Ban Chỉ đạo có mấy chương, là những chương nào?"))
    assert "3 chương" in ans["reply"], ans["answer"]
    assert [c["quote"] for c in ans["citations"]] == ["Chương I. QUY ĐỊNH CHUNG", "Chương II. NHIỆM VỤ",
                                                       "Chương III. ĐIỀU KHOẢN THI HÀNH"]
    # A plan numbered "I.", "II." counts those as its parts.
    ans = verbatim(kb, answer_question(kb, "KH 18 gom may phan"))
    assert "3 phần" in ans["reply"], ans["answer"]


def test_a_document_qualified_by_a_numbered_one_is_the_one_asked_about(kb):
    """"Quy chế làm việc của Ban Chỉ đạo CT 21": the regulation's date, not the directive's."""
    ans = verbatim(kb, answer_question(kb, "QC làm việc của Ban Chỉ đạo CT 21 có hiệu lực từ ngày nào?"))
    assert ans["citations"] and ans["citations"][0]["doc_number"] == "02-QC/BCĐ", ans["answer"]
    assert "01/3/2026" in ans["answer"]
    ans = verbatim(kb, answer_question(kb, "Chỉ thị 21 có hiệu lực từ ngày nào?"))
    assert ans["citations"][0]["doc_number"] == "21-CT/TU", ans["answer"]


def test_the_issuer_after_a_named_document_is_no_topic(kb):
    ans = verbatim(kb, answer_question(kb, "chi thi 21-CT/TU tinh uy Ha Nguyen ve van de gi"))
    assert ans["question_kind"] == "metadata", ans
    assert "bảo vệ rừng" in ans["reply"], ans["answer"]


FEES = """ĐẢNG ỦY XÃ HÒA LẠC
*
Số 06-HD/ĐU

ĐẢNG CỘNG SẢN VIỆT NAM
Hòa Lạc, ngày 10 tháng 3 năm 2027

HƯỚNG DẪN
về thu, nộp đảng phí

I. MỨC ĐÓNG
1. Đảng viên hưởng lương đóng 1% tiền lương hằng tháng.
2. Đảng viên khác đóng tối thiểu 5.000 đồng/tháng.

II. MIỄN, GIẢM ĐẢNG PHÍ
1. Đảng viên được miễn công tác và sinh hoạt đảng được miễn đóng đảng phí.
2. Đảng viên gặp khó khăn đột xuất được giảm đảng phí trong thời gian không quá 6 tháng.

III. TỔ CHỨC THỰC HIỆN
1. Bí thư các chi bộ thu đảng phí hằng tháng, nộp về Văn phòng Đảng ủy trước ngày 10 của tháng sau.
2. Văn phòng Đảng ủy tổng hợp, báo cáo Thường trực Đảng ủy 6 tháng một lần.

T/M ĐẢNG ỦY
BÍ THƯ
Lò Thị Hoa
"""

RULE = """ĐẢNG ỦY XÃ HÒA LẠC
*
Số 02-QĐi/ĐU

ĐẢNG CỘNG SẢN VIỆT NAM
Hòa Lạc, ngày 02 tháng 3 năm 2027

QUY ĐỊNH
về tiếp nhận đơn thư

Điều 1. Phạm vi điều chỉnh
Quy định này quy định việc tiếp nhận, xử lý đơn thư gửi Đảng ủy xã.

Điều 2. Đối tượng không áp dụng
Đơn thư của tổ chức đảng thuộc Đảng bộ Quân sự xã.

Điều 3. Thời hạn xử lý đơn
1. Văn phòng Đảng ủy vào sổ đơn trong 02 ngày làm việc.
2. Ủy ban Kiểm tra Đảng ủy xem xét, xử lý trong 15 ngày làm việc.

T/M ĐẢNG ỦY
BÍ THƯ
Lò Thị Hoa
"""


@pytest.fixture(scope="module")
def parts(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("parts"), tmp_path_factory.mktemp("parts-data"),
                  {"06-HD-DU.txt": FEES, "02-QDi-DU.txt": RULE}) as kb:
        yield kb


@pytest.mark.parametrize("question, part, heading", [
    ("Trong HD 06, phần nào nói về miễn giảm đảng phí?", "Mục II", "II. MIỄN, GIẢM ĐẢNG PHÍ"),
    ("Điều nào trong QĐi 02 nói về đối tượng không áp dụng?", "Điều 2", "Điều 2. Đối tượng không áp dụng"),
    ("thoi han xu ly don nam o dieu may cua quy dinh 02", "Điều 3", "Điều 3. Thời hạn xử lý đơn"),
])
def test_which_part_speaks_of_a_topic_is_named_with_its_heading(parts, question, part, heading):
    ans = verbatim(parts, answer_question(parts, question))
    assert ans["reply"].startswith(part) and heading in ans["reply"], ans["answer"]
    assert heading in [c["quote"] for c in ans["citations"]], ans["answer"]


def test_a_part_no_heading_or_text_speaks_of_is_not_named(parts):
    ans = answer_question(parts, "Trong HD 06, phần nào nói về khen thưởng?")
    assert not ans["reply"].startswith("Mục"), ans["answer"]


@pytest.mark.parametrize("question", ["QĐi 02 không áp dụng với những ai?", "quy dinh 02 khong ap dung doi voi nhung truong hop nao"])
def test_everyone_left_out_is_read_from_the_part_headed_so(parts, question):
    ans = verbatim(parts, answer_question(parts, question))
    assert "Đơn thư của tổ chức đảng thuộc Đảng bộ Quân sự xã." in [c["quote"] for c in ans["citations"]], ans["answer"]


RESOLUTION = """ĐẢNG BỘ HUYỆN LŨNG VÂN
ĐẢNG ỦY XÃ NA RÌ
*
Số 07-NQ/ĐU

ĐẢNG CỘNG SẢN VIỆT NAM
Na Rì, ngày 12 tháng 12 năm 2028

NGHỊ QUYẾT
về phát triển kinh tế nông nghiệp năm 2029

I. ĐÁNH GIÁ
Năm 2028, sản lượng lương thực đạt 4.100 tấn.
II. NHIỆM VỤ, GIẢI PHÁP
1. Phát triển cây ăn quả. Mở rộng diện tích cây ăn quả thêm 20 ha ở các thôn vùng cao; hỗ trợ giống cho hộ nghèo.
2. Chăn nuôi an toàn sinh học. Vận động các hộ chăn nuôi làm chuồng trại cách xa nhà ở; tiêm phòng đủ hai đợt trong năm.
3. Làm tốt công tác khuyến nông. Tổ chức 04 lớp tập huấn kỹ thuật; mỗi thôn có một tổ khuyến nông cộng đồng hoạt động thường xuyên.
4. Xây dựng hợp tác xã. Thành lập mới 01 hợp tác xã dịch vụ nông nghiệp; củng cố hai hợp tác xã hiện có, bảo đảm hoạt động có lãi.
5. Phòng, chống thiên tai. Rà soát các điểm có nguy cơ sạt lở; chuẩn bị vật tư, lực lượng theo phương châm bốn tại chỗ.
III. TỔ CHỨC THỰC HIỆN
Các chi bộ quán triệt Nghị quyết trong tháng 01/2029.

T/M ĐẢNG ỦY
BÍ THƯ
Hoàng Văn Lự
"""


@pytest.fixture(scope="module")
def resolution(tmp_path_factory):
    with invented(tmp_path_factory.mktemp("res"), tmp_path_factory.mktemp("res-data"), {"07-NQ-DU.txt": RESOLUTION}) as kb:
        yield kb


def test_a_long_part_asked_as_a_whole_is_read_by_its_points_titles(resolution):
    ans = verbatim(resolution, answer_question(resolution, "Phần II nghị quyết 07 ĐU xã gồm những nội dung gì?"))
    assert "gồm 5 nội dung" in ans["reply"], ans["answer"]
    quotes = [c["quote"] for c in ans["citations"]]
    assert "4. Xây dựng hợp tác xã." in quotes and "5. Phòng, chống thiên tai." in quotes, ans["answer"]


def test_a_period_asked_is_no_part_asked():
    from service.answers.sections import asks_where
    from service.retrieval.query import parse_question

    assert not asks_where(parse_question("BC 118 so ket giai doan nao"))
    assert asks_where(parse_question("NQ 07 chỗ nào nói về hợp tác xã"))


def test_a_point_opening_with_a_short_title_is_where_its_topic_is(resolution):
    ans = verbatim(resolution, answer_question(resolution, "NQ 07 chỗ nào nói về hợp tác xã?"))
    assert "“4. Xây dựng hợp tác xã.”" in ans["reply"], ans["answer"]


NOTICE_CONCLUSIONS = """ĐẢNG BỘ HUYỆN ĐỒI MÂY
ĐẢNG ỦY XÃ BẢN SƯƠNG
*
Số 33-TB/ĐU

ĐẢNG CỘNG SẢN VIỆT NAM
Bản Sương, ngày 04 tháng 12 năm 2029

THÔNG BÁO
kết luận của Ban Chấp hành Đảng bộ xã tại hội nghị tháng 12 năm 2029

1. Hoàn thành kiểm điểm ở các chi bộ trước ngày 20/12/2029.
2. Các chi bộ sinh hoạt chuyên đề 03 lần trong năm 2030, vào tháng 4, tháng 8 và tháng 11.
3. Văn phòng Đảng ủy tổng hợp kết quả, báo cáo Huyện ủy trước ngày 10/01/2030.

T/M ĐẢNG ỦY
BÍ THƯ
Lục Văn Thảo
"""


@pytest.fixture(scope="module")
def conclusions(tmp_path_factory):
    from support.kb import invented

    with invented(tmp_path_factory.mktemp("conclusions"), tmp_path_factory.mktemp("conclusions-data"),
                  {"33-TB-DU.txt": NOTICE_CONCLUSIONS}) as kb:
        yield kb


def test_an_item_of_a_document_described_by_kind_and_issuer(conclusions):
    from service.answers import answer_question

    ans = answer_question(conclusions, "ket luan so 2 trong thong bao cua xa noi gi")
    assert ans["kind"] != "none" and "03 lần trong năm 2030" in ans["answer"], ans["answer"]
    assert ans["citations"][0]["doc_number"] == "33-TB/ĐU"


def test_how_many_clauses_an_article_has_is_counted(tmp_path_factory):
    from service.answers import answer_question
    from support.documents import DECISION
    from support.kb import invented

    with invented(tmp_path_factory.mktemp("clauses"), tmp_path_factory.mktemp("clauses-data"), {"318-QD-TU.txt": DECISION}) as kb:
        ans = answer_question(kb, "Điều 3 của quy chế có mấy khoản, là gì")
        assert "có 2 khoản" in ans["reply"], ans["answer"]
        assert "khoản" not in answer_question(kb, "Điều 3 của quy chế nói gì")["reply"]
