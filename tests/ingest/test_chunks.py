"""Retrieval units (ingest.chunks): the header block, the closing block and every table row are
chunks of their own kinds, indexed with the words a reader asks them with; display text is always
the document's own text."""
from __future__ import annotations

from ingest.chunks import MAX_CHARS
from ingest.pipeline import build_document
from ingest.readers import RawDocument

TEXT = ("TỈNH ỦY BÌNH SƠN\n-----\nSố 30-CT/TU\n\nĐẢNG CỘNG SẢN VIỆT NAM\n\nBình Sơn, ngày 14 tháng 02 năm 2025\n\n"
        "CHỈ THỊ\nvề thực hành tiết kiệm\n\nI. NHIỆM VỤ\n\n1. Các cấp ủy quán triệt Chỉ thị.\n\n"
        "II. PHÂN CÔNG\n\nTT | Nội dung | Cơ quan chủ trì | Thời gian hoàn thành\n1 | Sơ kết | Văn phòng Tỉnh ủy | trước 20/6\n"
        "2 | Tổng kết | Văn phòng Tỉnh ủy | trước 20/12\n\nNơi nhận:\n" + "".join(f"- Đảng bộ huyện số {k},\n" for k in range(40))
        + "- Lưu Văn phòng Tỉnh ủy.\n\nT/M BAN THƯỜNG VỤ\nBÍ THƯ\n\nHà Quang Tịnh\n")


def test_chunk_kinds_and_verbatim_display():
    d = build_document(RawDocument(source="t.txt", format="txt", text=TEXT, front_matter={}))
    kinds = [c.kind for c in d.chunks]
    assert kinds[0] == "header" and kinds.count("row") == 2 and kinds[-1] == "closing"
    header = d.chunks[0]
    assert d.text[header.start:header.end].startswith("TỈNH ỦY BÌNH SƠN") and "về thực hành tiết kiệm" in d.text[header.start:header.end]
    # a long closing block is cut between lines, never inside one
    closings = [c for c in d.chunks if c.kind == "closing"]
    assert len(closings) > 1 and all(c.end - c.start <= MAX_CHARS for c in closings)
    assert "Hà Quang Tịnh" in d.text[closings[-1].start:closings[-1].end]
    for c in d.chunks:
        assert d.text[c.start:c.end] == d.text[c.start:c.end].strip() and c.index_text.endswith(d.text[c.start:c.end])
    row = next(c for c in d.chunks if c.kind == "row")
    assert (row.section, d.text[row.start:row.end]) == ("II, dòng 1", "1 | Sơ kết | Văn phòng Tỉnh ủy | trước 20/6")
    assert "Cơ quan chủ trì: Văn phòng Tỉnh ủy; Thời gian hoàn thành: trước 20/6" in row.index_text
    heading = next(c for c in d.chunks if c.section == "II")  # the heading and the column names stand alone
    assert d.text[heading.start:heading.end] == "II. PHÂN CÔNG\n\nTT | Nội dung | Cơ quan chủ trì | Thời gian hoàn thành"
