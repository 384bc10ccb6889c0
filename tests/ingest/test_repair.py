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
