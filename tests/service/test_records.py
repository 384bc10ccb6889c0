"""Records built in one place: cite-once numbering, and clauses of one sentence quoted as one."""
from __future__ import annotations

from service.records import Citations, DocRef, Span

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
