"""service/answers/period.py: the period a document's title names, and the note an answer gets when
that period is over on the date it is read against."""
from __future__ import annotations

from datetime import date

from service.answers.period import past_period_note, period_end


def test_period_from_the_title():
    assert period_end("Kế hoạch thực hiện Kết luận số 01-KL/TW năm 2024") == date(2024, 12, 31)
    assert period_end("Chương trình hành động giai đoạn 2021 - 2025") == date(2025, 12, 31)
    assert period_end("Kế hoạch nhiệm kỳ 2020–2025 về công tác cán bộ") == date(2025, 12, 31)
    # The last period named is the document's ("… Kết luận năm 2021 … năm 2025").
    assert period_end("Kế hoạch thực hiện Quy định ban hành năm 2021 trong năm 2025") == date(2025, 12, 31)
    assert period_end("Quy định chuẩn mực đạo đức cách mạng của cán bộ, đảng viên") is None
    assert period_end(None) is None


def _cite(number: str, title: str) -> dict:
    return {"doc_id": number.lower(), "doc_number": number, "doc_title": title}


def test_note_names_the_documents_whose_period_is_over():
    ans = {"citations": [_cite("45-KH/HU", "Kế hoạch về sinh hoạt chi bộ năm 2025"),
                         _cite("55-QĐ/TW", "Quy định về một số việc cần làm ngay")]}
    assert past_period_note(ans, date(2025, 12, 31)) is None  # the last day of the year is still in it
    note = past_period_note(ans, date(2026, 1, 1))
    assert note and "45-KH/HU" in note and "năm 2025" in note and "01/01/2026" in note and "55-QĐ/TW" not in note
    two = {"citations": ans["citations"] + [_cite("9-KH/TU", "Kế hoạch năm 2024")]}
    note = past_period_note(two, date(2026, 1, 1))
    assert "45-KH/HU" in note and "9-KH/TU" in note and "2024" in note and "2025" in note
    assert past_period_note({"citations": []}, date(2030, 1, 1)) is None


def test_the_period_a_title_names_has_a_first_and_a_last_day():
    from service.answers.period import period_bounds

    assert period_bounds("Kế hoạch học tập … năm 2024") == (date(2024, 1, 1), date(2024, 12, 31))
    assert period_bounds("Chương trình giai đoạn 2021 - 2025") == (date(2021, 1, 1), date(2025, 12, 31))
    assert period_bounds("Quy định về chuẩn mực đạo đức") is None
