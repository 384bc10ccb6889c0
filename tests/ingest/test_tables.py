"""Duty tables written as text (ingest.tables), and what the pipeline makes of them: Table records
with cell spans, one row section and one chunk per row, nothing glued onto the next line."""
from __future__ import annotations

from ingest.pipeline import build_document
from ingest.readers import RawDocument
from ingest.tables import find_tables


def _doc(text: str):
    return build_document(RawDocument(source="t.txt", format="txt", text=text, front_matter={}))


def _cells(text: str, table) -> list[list[str]]:
    return [[text[a:b] for a, b in r.cells] for r in table.rows]


def test_pipes():
    text = ("TT | Nội dung | Cơ quan chủ trì | Thời gian hoàn thành\n"
            "1 | Xây dựng kế hoạch | Các chi, đảng bộ cơ sở | trước 15/4\n"
            "2 | Tổ chức quán triệt |  | quý II\n")
    [t] = find_tables(text)
    assert t.shape == "pipe" and t.columns == ["TT", "Nội dung", "Cơ quan chủ trì", "Thời gian hoàn thành"]
    assert _cells(text, t) == [["1", "Xây dựng kế hoạch", "Các chi, đảng bộ cơ sở", "trước 15/4"],
                               ["2", "Tổ chức quán triệt", "", "quý II"]]
    empty = t.rows[1].cells[2]
    assert empty[0] == empty[1]


def test_markdown_pipes_with_a_page_number_between_rows():
    text = "| STT | Nhiệm vụ | Thời hạn |\n|---|---|---|\n| 1 | Sơ kết | tháng 6 |\n\n- 2 -\n\n| 2 | Tổng kết | tháng 12 |\n"
    [t] = find_tables(text)
    assert t.columns == ["STT", "Nhiệm vụ", "Thời hạn"] and _cells(text, t)[1] == ["2", "Tổng kết", "tháng 12"]
    assert [text[a:b] for a, b in t.skipped] == ["- 2 -"]
    d = _doc("I. PHÂN CÔNG\n\n" + text)
    assert "- 2 -" not in d.text and len(d.tables[0].rows) == 2


def test_tabs_under_a_header_naming_columns():
    text = "TT\tNội dung\tChủ trì\tThời gian\n1\tHọc tập\t\ttrước 1/2\n2\tTuyên truyền\tBan Tuyên giáo\tquý I\n"
    [t] = find_tables(text)
    assert t.shape == "tab" and _cells(text, t) == [["1", "Học tập", "", "trước 1/2"],
                                                     ["2", "Tuyên truyền", "Ban Tuyên giáo", "quý I"]]
    assert find_tables("HUYỆN ỦY X\tĐẢNG CỘNG SẢN VIỆT NAM\nSố 12-KH/HU\tX, ngày 1 tháng 2 năm 2025\n") == []


def test_one_cell_a_line_after_a_header_row():
    text = ("TT\nNội dung\nĐơn vị chủ trì\nThời hạn\n1\nXây dựng kế hoạch\nCác chi bộ\ntrước 15/4\n\n"
            "2\nTổng kết\nVăn phòng\nquý II\nIV- TỔ CHỨC THỰC HIỆN\n")
    [t] = find_tables(text)
    assert t.shape == "lines" and t.columns == ["TT", "Nội dung", "Đơn vị chủ trì", "Thời hạn"]
    assert _cells(text, t) == [["1", "Xây dựng kế hoạch", "Các chi bộ", "trước 15/4"], ["2", "Tổng kết", "Văn phòng", "quý II"]]
    assert text[t.end:].startswith("\nIV-")


def test_rows_are_sections_chunks_and_sentences_and_do_not_glue_onto_the_next_line():
    """Issue 13: a duty table written as text lines was glued to the next point."""
    text = ("III. PHÂN CÔNG NHIỆM VỤ\n\nTT\nNội dung\nCơ quan chủ trì\nThời gian\n1\nXây dựng kế hoạch\nCác chi bộ\n"
            "trước 15/4\n2\nSơ kết\nVăn phòng Huyện ủy\ntrước 20/6\nb) các đơn vị báo cáo kết quả.\n\n"
            "IV. TỔ CHỨC THỰC HIỆN\n\n1. Văn phòng theo dõi.\n")
    d = _doc(text)
    [t] = d.tables
    assert t.section == "III" and [r.path for r in t.rows] == ["III, dòng 1", "III, dòng 2"]
    row = d.section("III, dòng 2")
    assert (row.kind, row.number, row.parent, row.title) == ("row", "2", "III", "Sơ kết")
    assert d.text[row.start:row.end] == "2\nSơ kết\nVăn phòng Huyện ủy\ntrước 20/6"
    assert "trước 20/6\nb) các đơn vị" in d.text  # the next line stays a line of its own
    chunks = [c for c in d.chunks if c.kind == "row"]
    assert [c.section for c in chunks] == ["III, dòng 1", "III, dòng 2"]
    assert "Cơ quan chủ trì: Văn phòng Huyện ủy" in chunks[1].index_text
    assert "Thời gian: trước 20/6" in chunks[1].index_text
    assert [d.text[s.start:s.end] for s in d.sentences if s.kind == "row"][1] == d.text[row.start:row.end]


def test_two_tables_in_one_section_and_a_table_under_no_section():
    text = ("Phân công như sau:\n\nTT | Việc | Thời hạn\n1 | Học tập | quý I\n\nI. NHIỆM VỤ\n\n"
            "TT | Việc | Thời hạn\n1 | Tuyên truyền | quý II\n\nCác đơn vị thực hiện.\n\nTT | Việc | Thời hạn\n1 | Sơ kết | quý III\n")
    d = _doc(text)
    assert [[r.path for r in t.rows] for t in d.tables] == [["dòng 1"], ["I, dòng 1"], ["I, bảng 2, dòng 1"]]


def test_a_grid_table_drawn_with_borders():
    text = ("II. NỘI DUNG\n"
            "+----+------------------------------+-----------------+-------------+\n"
            "| TT | Nội dung                     | Thời gian       | Chủ trì     |\n"
            "+----+------------------------------+-----------------+-------------+\n"
            "| 1  | Kiểm tra tổ chức đảng cấp dưới | Quý I         | Ủy ban Kiểm tra |\n"
            "| 2  | Kiểm tra kê khai tài sản       | Tháng 5 - 6/2027 | Văn phòng   |\n"
            "+----+------------------------------+-----------------+-------------+\n"
            "III. TỔ CHỨC THỰC HIỆN\n")
    (table,) = find_tables(text)
    assert [c.strip() for c in table.columns] == ["TT", "Nội dung", "Thời gian", "Chủ trì"]
    assert len(table.rows) == 2 and "Tháng 5 - 6/2027" in text[table.rows[1].start:table.rows[1].end]
    assert "+--" not in text[table.rows[-1].start:table.rows[-1].end]
