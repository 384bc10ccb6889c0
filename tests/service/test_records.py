"""service.records: stored payloads → the contract's records (obligations, citations); cite-once numbering,
and clauses of one sentence quoted as one."""
from __future__ import annotations

from ingest.pipeline import build_document
from ingest.readers import read_bytes
from service.index.points import build_records
from service.records import SUPPORT_MARK, Citations, DocRef, Duty, Span, actor_names, obligation_json

# An invented plan with a duty table: the lead cell names who presides and who cooperates.
PLAN = """TỈNH ỦY SƠN HÀ
Số 41-KH/TU

ĐẢNG CỘNG SẢN VIỆT NAM

Sơn Hà, ngày 05 tháng 3 năm 2026

KẾ HOẠCH
thực hiện tiết kiệm năm 2026

I- NHIỆM VỤ

1. Các chi bộ rà soát tài sản công, phối hợp với Ban Tổ chức Tỉnh ủy báo cáo trước ngày 30/6/2026.

II- PHÂN CÔNG

TT | Nội dung | Cơ quan chủ trì | Thời gian hoàn thành
1 | Thống kê trụ sở, xe ô tô dôi dư | Chi ủy, đảng ủy cơ sở phối hợp thủ trưởng cơ quan | tháng 5
2 | Sơ kết 6 tháng | Văn phòng Tỉnh ủy | trước 20/6
"""


def _duties() -> list[Duty]:
    doc = build_document(read_bytes(PLAN.encode(), "41-kh-tu.txt"))
    return [Duty.of(p.payload) for p in build_records(doc).points if p.payload["record"] == "obligation"]


def test_cooperating_bodies_are_listed_after_the_bound_ones_and_marked():
    duties = _duties()
    row = next(d for d in duties if "Thống kê trụ sở" in d.quote)
    names = actor_names(row)
    assert names[-1] == "thủ trưởng cơ quan" + SUPPORT_MARK
    assert "Chi ủy" in names and names.index("Chi ủy") < names.index("thủ trưởng cơ quan" + SUPPORT_MARK)
    sentence = next(d for d in duties if "rà soát tài sản công" in d.quote)
    assert actor_names(sentence)[0] == "chi bộ" and actor_names(sentence)[-1].endswith(SUPPORT_MARK)
    alone = next(d for d in duties if "Sơ kết 6 tháng" in d.quote)
    assert not any(n.endswith(SUPPORT_MARK) for n in actor_names(alone))  # nobody cooperates there
    ob = obligation_json(row, Citations())
    assert ob["actors"] == names and ob["citation"]["quote"] == row.quote


TEXT = ("Ban Tổ chức tham mưu sơ kết giữa kỳ vào tháng 12/2028 và tổng kết vào quý III/2030. "
        "Văn phòng theo dõi việc thực hiện.")
DOC = DocRef("kl-17", "17-KL/TU", "Kết luận", "Kết luận", "2027-02-09")


def _span(start: int, end: int) -> Span:
    return Span(DOC, start, end, TEXT[start:end])


def test_the_same_span_gets_the_same_number():
    cites = Citations()
    assert cites.cite(_span(0, 10)) == cites.cite(_span(0, 10)) == 1 and len(cites.items) == 1


def test_adjacent_clauses_of_one_sentence_are_one_quote_in_either_order():
    first_end = TEXT.index(" và ")
    second = (TEXT.index("tổng kết"), TEXT.index(". Văn") + 1)
    cites = Citations()
    assert cites.cite(_span(*second), TEXT) == 1
    assert cites.cite(_span(0, first_end), TEXT) == 1
    assert cites.cite(_span(*second), TEXT) == 1  # the first-cited clause keeps its number
    (item,) = cites.items
    assert item["quote"] == TEXT[item["start"]:item["end"]] and item["quote"].endswith("quý III/2030.")
    # a clause of the next sentence is not joined ("." between), nor are clauses without the text
    assert cites.cite(_span(TEXT.index("Văn"), len(TEXT)), TEXT) == 2
    assert Citations().cite(_span(0, first_end)) == 1


def test_lines_are_never_joined():
    text = "1 | Hội nghị | Thường trực | Ngày 20/4\n2 | Rà soát | Chi ủy | Trước ngày 30/4"
    cites = Citations()
    first = Span(DOC, 0, text.index("\n"), text[:text.index("\n")])
    second = Span(DOC, text.index("2 |"), len(text), text[text.index("2 |"):])
    assert cites.cite(first, text) == 1 and cites.cite(second, text) == 2
