"""Repairing text as it arrives (ingest.repair): page numbers, running headers and footnote blocks
at page breaks out of the sentence they cut; points and table lines never glued to a sentence."""
from __future__ import annotations

from ingest.repair import repair


def test_a_page_number_is_not_part_of_the_sentence_it_cuts():
    """Issue 13: "tuyên truyền viên 2 cơ sở" — the "2" was a page number."""
    for number in ("2", "- 2 -", "Trang 2", "– 2 –"):
        r = repair(f"- Các chi bộ phân công tuyên truyền viên\n\n{number}\n\ncơ sở tham gia hội nghị.\n")
        assert r.text == "- Các chi bộ phân công tuyên truyền viên cơ sở tham gia hội nghị.", number


def test_a_page_number_between_paragraphs_goes_and_a_number_line_in_a_sentence_stays():
    r = repair("Đoạn thứ nhất kết thúc.\n\n3\n\nĐoạn thứ hai.\n")
    assert r.text == "Đoạn thứ nhất kết thúc.\n\nĐoạn thứ hai."
    assert repair("Tổng số:\n12\nđơn vị.\n").text.count("12") == 1


def test_running_headers_beside_page_numbers_go():
    text = ("HUYỆN ỦY PHONG THẠNH\nSố 45-KH/HU\n\n1. Nhiệm vụ\n\nCác chi bộ phân công\n\n- 2 -\n\n"
            "Kế hoạch số 45-KH/HU\n\nđảng viên theo dõi.\n\nĐoạn sau.\n\nHUYỆN ỦY PHONG THẠNH\n\n3\n\n"
            "Đoạn cuối.\n\nHUYỆN ỦY PHONG THẠNH\n\n4\n\nHết.\n")
    r = repair(text)
    assert "Các chi bộ phân công đảng viên theo dõi." in r.text
    assert r.text.count("HUYỆN ỦY PHONG THẠNH") == 1  # the header's own line stays
    assert "Kế hoạch số 45-KH/HU" not in r.text and "\n3\n" not in r.text


def test_footnotes_at_a_page_break_move_out_of_the_cut_sentence():
    r = repair("Các chi bộ căn cứ trách nhiệm nêu gương¹ của Ban\n\n¹ Theo Quy định số 08-QĐi/TW.\n\n"
               "- 2 -\n\nThường vụ Tỉnh ủy tổ chức thực hiện.\n")
    assert r.text.startswith("Các chi bộ căn cứ trách nhiệm nêu gương¹ của Ban Thường vụ Tỉnh ủy tổ chức thực hiện.")
    assert [(f.number, f.text) for f in r.footnotes] == [(1, "Theo Quy định số 08-QĐi/TW.")]
    assert r.text[r.footnotes[0].start:r.footnotes[0].end] == "Theo Quy định số 08-QĐi/TW."


def test_a_point_is_never_glued_to_the_heading_above_it():
    r = repair("2. Yêu cầu\na) Kiểm tra đúng nguyên tắc.\nđ) Kết luận rõ.\n")
    assert r.text == "2. Yêu cầu\na) Kiểm tra đúng nguyên tắc.\nđ) Kết luận rõ."


def test_a_short_title_left_at_the_foot_of_a_page_stays_a_title():
    r = repair("1. Tổ chức học tập\n\n5\n\nCác chi bộ tổ chức học tập.\n")
    assert r.text == "1. Tổ chức học tập\n\nCác chi bộ tổ chức học tập."


def test_table_lines_are_never_joined():
    text = "TT\nNội dung\nChủ trì\nThời gian\n1\nXây dựng kế hoạch\nCác chi bộ\ntrước 15/4\nghi chú: báo cáo đúng hạn.\n"
    assert repair(text).text == text.rstrip("\n")
    assert repair(text, wrapped_lines=True).text == text.rstrip("\n")


# PDF text layers (wrapped_lines): every visual line ends in a newline; pages are joined by a blank line.
_PAGE = ("Các chi bộ rà soát danh sách đảng viên đi làm ăn xa, cập nhật hồ sơ còn\n"
         "thiếu và đối chiếu với sổ danh sách; kịp thời báo cáo trường hợp chưa rõ;\n"
         "việc nhận xét đảng viên nơi cư trú phải làm đúng hướng dẫn của cấp trên,\n"
         "báo cáo kết quả về Ban Tổ chức Huyện ủy qua nhóm 3² theo đúng thời hạn\n")


def test_pdf_full_line_ending_in_a_semicolon_goes_on_into_lower_case():
    r = repair(_PAGE + "được giao.\n", wrapped_lines=True)
    assert "kịp thời báo cáo trường hợp chưa rõ; việc nhận xét đảng viên" in r.text
    assert "\n" not in r.text


def test_pdf_page_foot_footnote_moves_to_the_end_and_the_cut_sentence_is_whole():
    raw = (_PAGE + "2 Nhóm 3 gồm bí thư chi bộ thôn, bản mới được bầu lần đầu trong\n"
           "nhiệm kỳ và phó bí thư chi bộ.\n\nđược giao, trước ngày 15/6/2027.\n")
    r = repair(raw.replace("3²", "3¹").replace("\n2 Nhóm", "\n1 Nhóm"), wrapped_lines=True)
    assert r.text.endswith("\n\n(1) Nhóm 3 gồm bí thư chi bộ thôn, bản mới được bầu lần đầu trong nhiệm kỳ và phó bí thư chi bộ.")
    assert "qua nhóm 3¹ theo đúng thời hạn được giao, trước ngày 15/6/2027." in r.text[:r.body_end]
    assert [f.number for f in r.footnotes] == [1]
    glued = repair(raw.replace("3²", "3¹").replace("\n2 Nhóm", "\n1Nhóm"), wrapped_lines=True)  # set small, glued
    assert [(f.number, f.text[:8]) for f in glued.footnotes] == [(1, "Nhóm 3 g")]


def test_pdf_numbered_line_at_a_page_foot_is_no_footnote_without_its_marker():
    # no marker "¹" above, or not the next footnote number: a list item, kept in place
    for raw in (_PAGE.replace("3²", "3") + "1 Các chi bộ báo cáo kết quả.\n\nTiếp theo là phần sau.\n",
                _PAGE + "2 Các chi bộ báo cáo kết quả.\n\nTiếp theo là phần sau.\n"):
        r = repair(raw, wrapped_lines=True)
        assert not r.footnotes and "Các chi bộ báo cáo kết quả." in r.text
    # a numbered line with text after it on its page is not at the page's foot
    r = repair(_PAGE.replace("3²", "3¹") + "1 Các chi bộ báo cáo kết quả.\nCác đảng ủy theo dõi.\n", wrapped_lines=True)
    assert not r.footnotes


def test_pdf_short_header_and_signature_lines_stay_apart():
    raw = ("TỈNH ỦY BÌNH NGUYÊN\n*\nSố 08-CT/TU\nĐẢNG CỘNG SẢN VIỆT NAM\nBình Nguyên, ngày 14 tháng 3 năm 2027\n"
           "CHỈ THỊ\nvề tăng cường công tác quản lý đảng viên và sinh hoạt chi bộ ở cơ sở trên địa\n"
           "bàn tỉnh trong giai đoạn mới\n-----\n" + _PAGE + "được giao.\nNơi nhận:\n- Các huyện ủy, thị ủy,\n"
           "đảng ủy trực thuộc,\n- Lưu Văn phòng.\nT/M BAN THƯỜNG VỤ\nBÍ THƯ\n(đã ký)\nTrần Văn Khải\n")
    text = repair(raw, wrapped_lines=True).text
    assert text.startswith("TỈNH ỦY BÌNH NGUYÊN\n*\nSố 08-CT/TU\nĐẢNG CỘNG SẢN VIỆT NAM\n")
    assert "\nvề tăng cường công tác quản lý đảng viên và sinh hoạt chi bộ ở cơ sở trên địa bàn tỉnh trong giai đoạn mới\n-----\nCác chi bộ" in text
    assert text.endswith("Nơi nhận:\n- Các huyện ủy, thị ủy, đảng ủy trực thuộc,\n- Lưu Văn phòng.\nT/M BAN THƯỜNG VỤ\nBÍ THƯ\n(đã ký)\nTrần Văn Khải")


def test_pdf_justified_blanks_are_one_blank():
    assert repair("Các chi bộ  rà soát   danh sách.\n", wrapped_lines=True).text == "Các chi bộ rà soát danh sách."


def test_pdf_lower_case_after_a_page_break_goes_on_a_clause_or_an_open_sentence():
    r = repair(_PAGE.replace("3²", "3") + "\nđược giao; các chi bộ\n\nbáo cáo đúng hạn.\n", wrapped_lines=True)
    assert r.text.endswith("theo đúng thời hạn được giao; các chi bộ báo cáo đúng hạn.") and "\n" not in r.text


def test_pdf_page_foot_footnote_needs_its_marker_on_its_own_page():
    raw = _PAGE.replace("3²", "3¹") + "được giao.\n\nCác chi bộ báo cáo.\n1 Các đảng ủy theo dõi, đôn đốc\nviệc thực hiện.\n"
    r = repair(raw, wrapped_lines=True)
    assert not r.footnotes and "1 Các đảng ủy theo dõi" in r.text
