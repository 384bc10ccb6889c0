"""Review questions (service/lessons/questions.py) on sentences outside the corpus; on the corpus's
lessons: test_build.py."""
from __future__ import annotations

from service.lessons.questions import ask_actor, ask_deadline, ask_lists, ask_numbers


def test_question_shapes_on_sentences_outside_the_corpus():
    """The fact finders on sentences of other documents: the answer is always a span of the
    sentence, dates, years and document numbers are not quantities, and a sentence that does not
    open with who acts gets no "who" question."""
    lead = "Theo Kế hoạch 1-KH/TU"
    s = "Các chi bộ nộp báo cáo sơ kết trước ngày 30/6/2025."
    d = ask_deadline(s, "trước ngày 30/6/2025", lead)
    assert s[d.start:d.end] == "trước ngày 30/6/2025" and d.question.endswith("các chi bộ nộp báo cáo sơ kết trong thời hạn nào?")
    s = "Chậm nhất 15 ngày, kể từ ngày nhận đơn, cấp ủy phải trả lời bằng văn bản."
    d = ask_deadline(s, "Chậm nhất 15 ngày, kể từ ngày nhận đơn", lead)
    assert "[…]" in d.question and s[d.start:d.end] not in d.question
    s = "Theo Quy định số 12-QĐ/TW năm 2021, mỗi chi bộ tổ chức 2 buổi sinh hoạt chuyên đề và mời từ 3 đến 5 đảng viên phát biểu."
    found = ask_numbers(s, lead)
    assert [s[x.start:x.end] for x in found] == ["2 buổi", "từ 3 đến 5 đảng"]
    assert all("bao nhiêu" in x.question for x in found)
    s = "Hồ sơ gồm: (1) Đơn đề nghị; (2) Bản tự kiểm điểm; (3) Nhận xét của chi bộ."
    (lst,) = ask_lists(s, lead)
    assert s[lst.start:lst.end] == "(1) Đơn đề nghị; (2) Bản tự kiểm điểm; (3) Nhận xét của chi bộ" and "“Hồ sơ”" in lst.question
    assert ask_lists("Báo cáo viên: Cấp ủy phân công; có thể mời cấp trên.", lead) == []
    s = "Ban Tuyên giáo Tỉnh ủy và các huyện ủy tổ chức tập huấn cho báo cáo viên."
    a = ask_actor(s, "tổ chức tập huấn cho báo cáo viên", lead)
    assert s[a.start:a.end] == "Ban Tuyên giáo Tỉnh ủy và các huyện ủy" and "tổ chức nào tổ chức tập huấn" in a.question
    assert ask_actor("Khi có sai phạm, chi bộ phải báo cáo ngay.", "phải báo cáo ngay", lead) is None
