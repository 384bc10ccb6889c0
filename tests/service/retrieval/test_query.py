"""Question understanding, parsed once: kinds, named documents, sections, metadata fields, time
windows, the topic words. Phrasings are written here, with and without diacritics, as cadres type."""
from __future__ import annotations

from datetime import date

import pytest

from service.retrieval.query import parse_question


@pytest.mark.parametrize("question, kind", [
    ("Ai ký Quyết định 12-QĐ/HU?", "metadata"),
    ("nghi quyet 05 cua dang uy xa ban hanh ngay nao", "metadata"),
    ("Kế hoạch 17 căn cứ vào những văn bản nào?", "metadata"),
    ("Nơi nhận của Thông báo 88-TB/TU gồm những ai?", "metadata"),
    ("Điều 5 của Quy chế 03 quy định gì?", "section"),
    ("khoan 2 dieu 7 quy dinh 09 noi gi", "section"),
    ("chú thích số 3 trong kế hoạch 17 ghi gì?", "section"),
    ("Dòng 4 trong bảng phân công của KH 17 là việc gì?", "section"),
    ("Phần II của hướng dẫn 21 nói về gì?", "section"),
    ("Tháng 5/2025 phải làm xong những việc gì theo KH 17?", "timewindow"),
    ("quy III/2025 co nhung moc nao", "timewindow"),
    ("Hạn nộp báo cáo sơ kết là khi nào?", "deadline"),
    ("bao gio phai xong ke hoach ca nhan", "deadline"),
    ("Tôi là bí thư chi bộ, tôi phải làm gì?", "role"),
    ("toi la truong phong cap huyen thi can lam nhung gi", "role"),
    ("Đảng viên có phải đăng ký nêu gương không?", "yesno"),
    ("Ai được miễn sinh hoạt chi bộ?", "exception"),
    ("Trong trường hợp nào thì được mời báo cáo viên cấp trên?", "exception"),
    ("Tài liệu học tập gồm những gì?", "list"),
    ("Việc tổ chức hội nghị phải thực hiện như thế nào?", "content"),
])
def test_kinds(question, kind):
    assert parse_question(question).kind == kind


def test_cue_words_never_blank_content_words_that_fold_like_them():
    # "thể" folds like "thế", "đầu" like "đâu", "tài" like "tại", "cán" like "cần": they stay topic.
    q = parse_question("Kế hoạch tập thể của người đứng đầu về tài sản công và cán bộ là gì?")
    for word in ("tập thể", "đứng đầu", "tài sản", "cán bộ"):
        assert word in q.topic
    assert "là gì" not in q.topic


def test_named_documents_as_source_or_as_object():
    q = parse_question("Theo Kế hoạch 45, hạn xây dựng kế hoạch thực hiện Chỉ thị 12 là khi nào?")
    assert [(d.number, d.code, d.object) for d in q.named] == [("45", "kh", False), ("12", "ct", True)]
    # the object stays in the words searched: the passages citing it are relevant
    assert "Chỉ thị 12" in q.search_text and "Kế hoạch 45" not in q.search_text
    q = parse_question("Quy định 08-QĐ/TW năm 2018 quy định gì?")
    assert (q.named[0].number, q.named[0].issuer, q.named[0].year) == ("8", "tw", "2018")
    assert q.named[0].matches("08-QĐi/TW", "2018-10-25") and not q.named[0].matches("08-QĐi/TW", "2012-01-01")


def test_sections_keep_the_documents_numbering():
    refs = parse_question("Khoản 2 Điều 8 Quy định 124").sections
    assert [(r.kind, r.number) for r in refs] == [("clause", "2"), ("article", "8")]
    assert [(r.kind, r.number) for r in parse_question("muc II.5 ke hoach 222").sections] == [("section", "II.5")]
    assert [(r.kind, r.number) for r in parse_question("chương 2 quy định 124").sections] == [("chapter", "II")]
    assert [(r.kind, r.number) for r in parse_question("Chương I của Quy định 124").sections] == [("chapter", "I")]
    assert parse_question("mục đích của kế hoạch là gì").sections == []  # "mục đích" is no section
    assert parse_question("Mục 2.2 nói gì?").window is None  # "2.2" is a section, not 2 February
    # A point letter is a letter as typed: "kiểm điểm ở chi bộ" folds to "diem o", which is no point.
    refs = parse_question("Phần II mục I điểm 1 hướng dẫn 09 nói gì về kiểm điểm ở chi bộ").sections
    assert [(r.kind, r.number) for r in refs] == [("part", "II"), ("section", "I"), ("point", "1")]
    assert [(r.number) for r in parse_question("diem o khoan 2 dieu 3").sections] == ["o", "2", "3"]


def test_abbreviations_of_bodies_and_kinds_are_expanded():
    q = parse_question("BCĐ tỉnh có họp định kỳ không, theo BC 27?")
    assert "Ban Chỉ đạo" in q.expanded
    assert [(d.code, d.number) for d in q.named] == [("bc", "27")]


@pytest.mark.parametrize("phrase, year, bounds", [
    ("trong tháng 1/2024", None, (date(2024, 1, 1), date(2024, 1, 31))),
    ("quý II/2025", None, (date(2025, 4, 1), date(2025, 6, 30))),
    ("trước 1/4/2024", None, (None, date(2024, 3, 31))),
    ("6 tháng đầu năm 2024", None, (date(2024, 1, 1), date(2024, 6, 30))),
    ("năm 2026", None, (date(2026, 1, 1), date(2026, 12, 31))),
    ("trước tháng 2", 2025, (None, date(2025, 1, 31))),
])
def test_time_windows(phrase, year, bounds):
    w = parse_question(f"{phrase} phải làm xong những việc gì?").window
    assert w is not None and w.bounds(year) == bounds


def test_metadata_fields_asked():
    assert parse_question("Ai ký và ký ngày nào Kế hoạch 45?").asks == ("signer", "date")
    assert parse_question("ke hoach 45 ky o dau").asks == ("place",)
    # "về việc gì" asks what a document is about only when one is named and little else is asked
    assert "subject" in parse_question("Nghị quyết 04 bàn về vấn đề gì?").asks
    assert parse_question("Ban tuyên giáo tham mưu xây dựng kế hoạch sơ kết về việc gì theo hướng dẫn 121").asks == ()


def test_a_question_joining_documents_is_split_into_clauses_with_pointers():
    q = parse_question("Kế hoạch 45 căn cứ chỉ thị nào, và chỉ thị đó yêu cầu gì về sinh hoạt chi bộ?")
    assert len(q.parts) == 2 and q.parts[0].asks == ("basis",) and q.parts[1].pointer == "ct"


def test_a_role_given_apart_from_the_text_only_makes_duty_questions():
    assert parse_question("Mục đích của Kế hoạch 45 là gì?", role="bí thư chi bộ").kind == "content"
    assert parse_question("Tôi phải làm gì?", role="bí thư chi bộ").kind == "role"
