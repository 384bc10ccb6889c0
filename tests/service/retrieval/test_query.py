"""Question understanding, parsed once: kinds, named documents, sections, metadata fields, time
windows, the topic words. Phrasings are written here, with and without diacritics, as cadres type."""
from __future__ import annotations

from datetime import date

import pytest

from ingest.normalize import fold
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
    # "kỳ" of "định kỳ" folds like "ký" (signed): a recurring duty's time, not a signing date
    ("Theo KH 17, Ban Tổ chức báo cáo kết quả định kỳ vào khi nào?", "deadline"),
    ("Quy chế 03 ký vào ngày nào?", "metadata"),
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
    # a document trained on or made known is what the duty acts on: the duty is in the documents citing it
    for verb in ("tập huấn", "phổ biến", "sơ kết"):
        q = parse_question(f"Ban Tuyên giáo phải {verb} Quy định 09-QĐ/TU trong thời gian nào?")
        assert q.named[0].object, verb


@pytest.mark.parametrize("question, asks", [
    ("quy chế dân vận mới của huyện bắt đầu áp dụng từ hôm nào?", ("effective",)),
    ("QĐ 12 có hiệu lực từ ngày nào", ("effective",)),
    ("Quy định 12 ra đời thì văn bản cũ nào bị bỏ?", ("replaces",)),
    ("quy dinh 12 bai bo quy dinh nao", ("replaces",)),
    ("KH 31 làm ra để thực hiện những văn bản nào của cấp trên?", ("basis",)),
    ("HD 07 dua tren nhung van ban nao", ("basis",)),
])
def test_metadata_asked_in_everyday_words(question, asks):
    q = parse_question(question)
    assert q.kind == "metadata" and q.asks == asks, (q.kind, q.asks)


def test_metadata_cue_words_stay_subject_words_elsewhere():
    # "áp dụng" asks nothing here; "Hoa" of a place typed without diacritics is a name
    q = parse_question("xa Phu Hoa Dong ap dung bao nhieu %")
    assert {"ap", "dung", "hoa"} <= set(q.topic.lower().split())


def test_a_review_of_the_years_a_document_has_run_names_it_as_the_object():
    q = parse_question("so ket 1 nam QD 09 o huyen thi duoc khen toi da bn tap the")
    assert q.named and q.named[0].object


@pytest.mark.parametrize("question, kind", [
    ("tỷ lệ đảng viên xuất sắc tối đa: HD của tỉnh cho bao nhiêu %?", "content"),  # a share, not a time
    ("hồ sơ gửi lên tỉnh tối đa mấy ngày?", "deadline"),
    ("huyện ủy gửi báo cáo lên tỉnh trễ nhất ngày nào", "deadline"),
])
def test_toi_da_asks_a_time_only_before_a_time_unit(question, kind):
    assert parse_question(question).kind == kind


@pytest.mark.parametrize("question", [
    "hạn nộp bản cam kết: KH huyện ghi ngày nào, còn xã Tân Đồi bắt xong ngày nào?",
    "tỷ lệ cây giống mỗi xã: KH của huyện cho tối đa bao nhiêu %, xã Suối Mơ nhận bao nhiêu %",
])
def test_clauses_of_two_levels_are_asked_apart(question):
    q = parse_question(question)
    assert len(q.parts) == 2, [p.text for p in q.parts]
    # the second clause carries no descriptor of the first's document
    assert "huyện" not in q.parts[1].text.split("(")[-1] if "(" in q.parts[1].text else True


@pytest.mark.parametrize("question, role", [
    ("Tôi chỉ là đảng viên thường thôi, cuối năm tôi phải chuẩn bị gì?", "đảng viên thường"),
    ("mik làm bí thư cb thôn, phải làm gì", "bí thư chi bộ thôn"),
])
def test_roles_stated_in_chat(question, role):
    assert parse_question(question).role == role


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
    q = parse_question("Tôi là chủ tịch UB MTTQ xã, QĐi 11 giao tôi làm gì?")  # "QĐi": a Quy định's code
    assert "chủ tịch Ủy ban Mặt trận Tổ quốc xã" in q.expanded and [(d.code, d.number) for d in q.named] == [("qd", "11")]


def test_a_plural_asked_with_a_verb_of_duty_in_a_time_is_a_time_window():
    assert parse_question("Tháng 12 hằng năm theo QĐi 11 có những báo cáo nào phải nộp?").kind == "timewindow"
    assert parse_question("Trong quý III các văn bản gì cần gửi về Huyện ủy?").kind == "timewindow"
    assert parse_question("Quy định 11 có những báo cáo nào?").kind == "list"  # no time: a list


def test_a_role_typed_without_diacritics_runs_past_co_quan_and_the_source_past_the_pronoun():
    q = parse_question("toi la chi uy vien chi bo co quan UBND xa, theo quy che toi phai lam nhung gi")
    assert q.kind == "role" and q.role.startswith("chi uy vien chi bo co quan") and q.source == "theo quy che"


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


def test_a_clause_naming_a_document_by_kind_and_issuer_points_at_it():
    q = parse_question("Xã Tân Lập phải đạt 95% chi bộ sinh hoạt đúng kỳ; theo chỉ thị của huyện ủy thì tỷ lệ này "
                       "không tính những chi bộ nào?")
    assert len(q.parts) == 2 and q.parts[0].pointer is None and q.parts[1].pointer == "?"


def test_section_references_belong_to_the_document_written_after_them():
    q = parse_question("CT 05 yêu cầu nộp đúng hạn tại khoản 1 Điều 3 QĐi 12 — trong bao nhiêu ngày?")
    assert q.kind == "section" and q.section_doc is not None and (q.section_doc.number, q.section_doc.code) == ("12", "qd")
    assert parse_question("Điều 3 của Quy định số 12 nói gì?").section_doc.number == "12"
    # a document named before the section is where it is asked, not whose section it is
    assert parse_question("Chỉ thị 05 nói gì ở mục 2?").section_doc is None


def test_a_role_given_apart_from_the_text_only_makes_duty_questions():
    assert parse_question("Mục đích của Kế hoạch 45 là gì?", role="bí thư chi bộ").kind == "content"
    assert parse_question("Tôi phải làm gì?", role="bí thư chi bộ").kind == "role"


def test_a_stated_role_runs_past_words_that_only_fold_like_its_stop_words():
    # "cơ" folds to "co" like "có": typed with accents, it is part of the role
    q = parse_question("Tôi là bí thư một chi bộ cơ sở thuộc Đảng bộ Khối. Chi bộ tôi phải làm những việc gì?")
    assert q.kind == "role" and q.role.startswith("bí thư một chi bộ cơ sở thuộc Đảng bộ Khối")
    assert parse_question("toi la bi thu chi bo co nhiem vu gi").role == "bi thu chi bo"


def test_the_body_a_duty_question_names_is_its_role_not_the_askers_post():
    q = parse_question("Tôi là đại biểu HĐND tỉnh. Chỉ thị 30 giao Đảng đoàn HĐND tỉnh những việc gì?")
    assert q.kind == "role" and q.role == "Đảng đoàn Hội đồng nhân dân tỉnh"
    # "văn phòng tôi" is the asker's own: the stated role stays
    q = parse_question("Tôi là chánh văn phòng đảng ủy phường, hướng dẫn giao văn phòng tôi việc gì?")
    assert q.role == "chánh văn phòng đảng ủy phường"


def test_where_a_document_cites_another_is_no_section_to_read():
    """"QĐ 55 mà KH 222 dẫn ở chú thích 1": the footnote says where the plan cites the regulation;
    the question asks about the regulation, not the plan's footnote."""
    q = parse_question("Quy định 55 mà Kế hoạch 222 trích dẫn tại chú thích 1 yêu cầu gì về việc tổ chức cưới hỏi?")
    assert q.sections == [] and q.kind != "section"
    assert "chú thích" not in q.topic and "Kế hoạch" not in q.topic and "cưới hỏi" in q.topic
    # A section of the document asked about is still one.
    q = parse_question("Chú thích 1 của Kế hoạch 222 nói gì?")
    assert [r.kind for r in q.sections] == ["footnote"] and q.kind == "section"


def test_whose_proposal_is_no_question_of_who_issued_the_document():
    assert parse_question("Kết luận 14 của cơ quan nào?").asks == ("issuer",)
    assert parse_question("Kế hoạch 222 là của cơ quan nào?").asks == ("issuer",)
    q = parse_question("Kết luận 14 được xây dựng từ đề án của cơ quan nào?")
    assert "issuer" not in q.asks and q.kind != "metadata"


def test_a_section_word_typed_with_other_diacritics_is_no_section():
    """"chuẩn mực thứ nhất" folds to "muc thu nhat": "mực" (ink, standard) is no "mục"."""
    assert parse_question("Chuẩn mực thứ nhất là gì?").sections == []
    assert [r.number for r in parse_question("Mục thứ hai của KH 222 nói gì?").sections] == ["2"]
    assert [r.number for r in parse_question("muc thu hai cua kh 222 noi gi").sections] == ["2"]


def test_a_number_before_a_unit_of_time_is_a_period_not_a_document():
    assert parse_question("Báo cáo 9 tháng của Đảng ủy xã nêu những hạn chế gì?").named == []
    assert parse_question("Báo cáo 9 tháng của Đảng ủy xã nêu những hạn chế gì?").kind == "list"
    assert [n.year for n in parse_question("Kế hoạch 222 năm 2024 nói gì?").named] == ["2024"]
    assert [n.number for n in parse_question("Quy định 144 năm nào ban hành?").named] == ["144"]


def test_colloquial_metadata_cues_and_compound_words():
    assert parse_question("Báo cáo 58-BC/ĐU được gửi tới những nơi nào?").asks == ("recipients",)
    q = parse_question("Hướng dẫn kiểm điểm 14 của Ban Tổ chức TU ra ngày nào, căn cứ công văn nào?")
    assert q.sections == [] and {"date", "basis"} <= set(q.asks)  # "kiểm điểm 14" is no point 14
    assert parse_question("địa điểm 3 ở đâu?").sections == []
    assert parse_question("Kỳ họp cuối năm 2025 của HĐND tỉnh diễn ra vào ngày nào?").asks == ()  # an event, not a document
    assert [r.kind for r in parse_question("điểm 2 khoản 1 Điều 8 nói gì?").sections] == ["point", "clause", "article"]
    assert [n.number for n in parse_question("muc 4 quy dinh 55 quy dinh gi").named] == ["55"]  # "quy định", not "quý"


def test_an_inserted_article_is_named_with_its_letter():
    assert [(r.kind, r.number) for r in parse_question("dieu 8a quy che noi ve cai gi").sections] == [("article", "8a")]


def test_more_ways_to_ask_for_a_date_and_a_signer():
    assert set(parse_question("Quy định 07-QĐ/UBKT ban hành ngày bao nhiêu, đồng chí nào ký?").asks) == {"date", "signer"}
    assert set(parse_question("Kế hoạch đợt cao điểm năm 2027 là kế hoạch số mấy, ngày nào").asks) == {"number", "date"}


def test_a_plural_subject_asked_what_it_is_is_a_list():
    assert parse_question("Các chỉ tiêu đến hết năm 2027 của NQ 27 là gì?").kind == "list"
    assert parse_question("Chuẩn mực đạo đức cách mạng là gì?").kind != "list"


@pytest.mark.parametrize("question, deadline", [
    ("Tổ công tác gồm tối đa bao nhiêu người?", False),  # a largest count
    ("Ban chỉ đạo có tối đa mấy phó trưởng ban?", False),
    ("Hồ sơ phải giải quyết trong tối đa bao nhiêu ngày?", True),  # a time
    ("Thời hạn xử lý tối đa là bao lâu?", True),
])
def test_toi_da_asks_a_time_only_of_a_time_unit(question, deadline):
    assert parse_question(question).deadline_cue is deadline


def test_the_committee_after_a_named_document_is_no_topic_of_a_subject_question():
    q = parse_question("chi thi 15-CT/TU tinh uy Kim Thanh ve van de gi")
    assert q.kind == "metadata" and q.asks == ("subject",)
    # a topic of its own keeps "về việc gì" a question about a task in the document
    assert "subject" not in parse_question("Kế hoạch 42 của Huyện ủy Sơn Hà giao đoàn thanh niên về việc gì?").asks


@pytest.mark.parametrize("question, level", [
    ("Quy chế làm việc của Ban Chỉ đạo có mấy chương, là những chương nào?", "chapter"),
    ("quy dinh 09 gom bao nhieu dieu", "article"),
    ("Kế hoạch 17 gồm mấy phần?", "part"),
    ("Quy chế có những điều kiện gì?", None),  # "điều kiện": a word, no level
    ("Kế hoạch có mấy mục tiêu?", None),
    ("Điều 3 có mấy khoản?", None),  # a named section: the section question answers it
])
def test_the_outline_level_asked(question, level):
    assert parse_question(question).outline == level


def test_a_notice_of_conclusions_is_numbered_as_a_notice():
    (nd,) = parse_question("Đồng chí Lan được giao việc gì trong thông báo kết luận 27?").named
    assert (nd.number, nd.code) == ("27", "tb")


def test_a_level_word_followed_by_a_noun_is_no_outline():
    # "mục" typed without marks may be "mức": "các mức xếp loại" are levels of a rating
    assert parse_question("cac muc xep loai chat luong dang vien gom nhung muc nao").outline is None


def test_the_meeting_and_term_of_a_resolution_is_asked_of_the_document():
    q = parse_question("Nghị quyết về chuyển đổi số là nghị quyết hội nghị lần thứ mấy, khóa nào?")
    assert q.kind == "metadata" and "session" in q.asks


@pytest.mark.parametrize("question, kind", [
    ("Phản ánh về thiên tai có phải chờ thời hạn 15 ngày làm việc không?", "yesno"),  # "thời hạn": a noun
    ("Báo cáo có phải gửi trước ngày nào không?", "deadline"),  # "trước ngày nào": when
])
def test_a_deadline_noun_in_a_yes_no_question_asks_whether(question, kind):
    assert parse_question(question).kind == kind


@pytest.mark.parametrize("question, kind", [
    ("Tôi là bí thư chi bộ, kế hoạch cụ thể của chi bộ phải gửi Đảng ủy trước ngày nào?", "deadline"),
    ("Tôi là cán bộ UBKT Tỉnh ủy, cơ quan tôi nhận những phản ánh nào?", "list"),
    ("Tôi là bí thư chi bộ, năm 2024 tôi phải làm gì?", "role"),
    ("Tôi là bí thư chi bộ, tôi phải làm những việc gì và hạn chót từng việc là khi nào?", "role"),
])
def test_a_stated_role_with_another_question_asks_that_question(question, kind):
    q = parse_question(question)
    assert q.kind == kind and q.role, (q.kind, q.role)


def test_the_body_given_tasks_is_the_role_whatever_its_words():
    q = parse_question("TB 214 giao Ban cán sự đảng UBND tỉnh những nhiệm vụ gì?")
    assert q.kind == "role" and q.role == "Ban cán sự đảng Ủy ban nhân dân tỉnh"
    # "giáo" of "Ban Tuyên giáo" is no "giao"
    assert parse_question("Ban Tuyên giáo những việc gì").kind != "role"


def test_whether_a_day_is_late_asks_the_deadline():
    q = parse_question("Ngày 20/1/2024 tôi mới nộp kế hoạch cá nhân thì có bị trễ hạn không?")
    assert q.deadline_cue and q.kind == "deadline"


def test_the_span_asked_is_read_once():
    assert parse_question("Một buổi sinh hoạt kéo dài bao lâu?").duration == "any"
    assert parse_question("trước mấy ngày phải gửi tài liệu").duration == "ngay"
    assert parse_question("tối đa bao nhiêu tháng?").duration == "thang"
    assert parse_question("Khi nào phải gửi báo cáo?").duration is None
    # the verb of the span is a question word: the documents write the span ("từ 90 đến 120 phút")
    assert "kéo dài" not in parse_question("Một buổi sinh hoạt kéo dài bao lâu?").topic


def test_the_issuer_asked_by_the_kind_of_body():
    assert parse_question("KH 09-KH/ĐU là kế hoạch của đảng ủy xã nào?").asks == ("issuer",)
    # the same words about a duty ask who must do it, not who issued the plan
    assert "issuer" not in parse_question("Theo KH 09, tổ chức hội nghị là việc của đảng ủy xã nào?").asks


def test_typos_in_question_words_are_corrected():
    q = parse_question("ke hoach 09 cua dang uy xa Phu Lam ra ngya bao nhieu")
    assert q.kind == "metadata" and q.asks == ("date",)
    assert parse_question("co dc keo dai qua 30 ngay ko").yesno


def test_the_source_a_question_draws_on_leaves_the_search_to_its_subject():
    q = parse_question("Đối tượng giám sát theo quy chế của UBKT Tỉnh ủy gồm những ai?")
    assert q.source == "theo quy chế của Ủy ban Kiểm tra Tỉnh ủy"
    assert "Kiểm tra" not in q.search_text and "giám sát" in q.search_text
    # nothing but the source: it stays the search
    assert parse_question("Theo quy chế của UBKT Tỉnh ủy thì sao?").source is None


def test_two_clauses_asking_when_are_split():
    q = parse_question("UBKT huyện gửi báo cáo trước ngày nào, còn UBKT Tỉnh ủy báo cáo BTV trước ngày nào?")
    assert len(q.parts) == 2
    assert len(parse_question("Huyện ủy quy định chậm nhất ngày nào, còn xã Phú Lâm đặt hạn ngày nào?").parts) == 2


def test_two_questions_of_different_kinds_are_two_parts():
    q = parse_question("Chi ủy có được đổi chuyên đề không? báo cáo tổng hợp sinh hoạt gửi trước ngày nào?")
    assert [p.kind for p in q.parts] == ["yesno", "deadline"]
    # a clause of question words only is a facet of the same question
    assert parse_question("Thành viên Ban Chỉ đạo phải báo cáo những gì, bao lâu một lần?").parts == []
    assert parse_question("Triển lãm năm 2024 tổ chức ở đâu, ngày nào?").parts == []
    q = parse_question("Lễ hội tổ chức như thế nào, bao lâu sau lễ hội phải báo cáo?")
    assert [p.kind for p in q.parts] == ["content", "deadline"]
    assert parse_question("QĐ 52 ký ngày nào, ai ký?").parts == []


def test_overdue_items_are_no_question_of_when():
    assert not parse_question("Đơn vị để 04 phản ánh quá hạn giải quyết thì xếp loại bị ảnh hưởng gì?").deadline_cue
    assert parse_question("Báo cáo nộp ngày 20/6 có bị quá hạn không?").deadline_cue


def test_a_programme_of_action_is_a_named_document():
    q = parse_question("Năm 2028 theo Chương trình hành động 21 của BTV TU có những nhiệm vụ nào đến hạn?")
    assert [(d.number, d.code) for d in q.named] == [("21", "ctr")]


def test_where_the_asker_works_goes_with_the_role_not_the_topic():
    q = parse_question("toi la chu tich cong doan co so o cong ty giay Minh Phat thi phai lam gi")
    assert q.role == "chu tich cong doan co so"  # "co so" typed without accents is "cơ sở", not "có"
    assert "minh" not in fold(q.topic).lower() and "cong ty" not in fold(q.topic).lower()
    q = parse_question("Tôi là bí thư chi bộ tại khu phố 2, năm 2027 tôi phải làm gì về đảng phí?")
    assert "đảng phí" in q.topic and "khu phố" not in q.topic


def test_facets_of_one_subject_are_parts_each_clause_with_its_subject():
    """"… có bao nhiêu đảng viên, bao nhiêu người đã …", "… lưu giữ bao lâu và … vào lúc nào", "… họp ngày
    nào, ai chủ trì và ai ký …": each facet is a part; a facet of few words of its own carries the
    subject of the clause before it."""
    q = parse_question("Đảng bộ xã Tân Lập có bao nhiêu đảng viên, bao nhiêu người đã được số hóa hồ sơ?")
    assert [p.facet for p in q.parts] == ["own", "own"]
    q = parse_question("Bản sao lưu phải lưu giữ bao lâu và Văn phòng Tỉnh ủy sao lưu vào lúc nào?")
    assert len(q.parts) == 2 and "Văn phòng Tỉnh ủy sao lưu" in q.parts[1].expanded
    q = parse_question("Hội nghị Ban Thường vụ Đảng ủy xã Tân Lập họp ngày nào, ai chủ trì và ai ký thông báo kết luận?")
    assert [p.facet for p in q.parts] == ["own", "carried", "own"]
    assert "Hội nghị" in q.parts[1].expanded and q.parts[2].asks == ("signer",)
    # one question said with its facets' words only, about a document itself, or a role's duties: no parts
    assert parse_question("Triển lãm năm 2024 tổ chức ở đâu, ngày nào?").parts == []
    assert parse_question("Quy định 05 do ai ký, ký với chức vụ gì?").parts == []
    assert parse_question("Tôi là bí thư chi bộ, phải báo cáo những gì, bao lâu một lần?").parts == []


def test_a_plural_noun_asked_with_gi_or_a_long_phrase_before_nao_is_a_list():
    assert parse_question("Chỉ thị 14 yêu cầu tuyên truyền tập trung vào các nội dung gì?").kind == "list"
    assert parse_question("KH 08 đặt ra các chỉ tiêu gì?").kind == "list"
    assert parse_question("TB 31 nêu những nhiệm vụ trọng tâm thời gian tới nào của Đảng bộ xã?").kind == "list"
    assert parse_question("Các chi bộ làm gì?").kind != "list"  # "làm gì" asks what is done, not a list


def test_issuing_a_described_document_on_a_day_asks_its_date_not_a_deadline():
    assert parse_question("van phong huyen uy ra KH trien khai CT 14 ngay nao").asks == ("date",)
    assert parse_question("Văn phòng Huyện ủy phải ban hành kế hoạch triển khai trước ngày nào?").kind == "deadline"
    # "định kỳ" is no "ký": a report's rhythm is asked, not a signing date
    assert parse_question("Văn phòng báo cáo kết quả định kỳ vào khi nào?").asks == ()


def test_several_bodies_asked_together_are_no_single_role():
    q = parse_question("Vào tháng 6 và tháng 12, chi bộ và đảng ủy cơ sở phải làm gì theo HD 07?")
    assert q.role is None and q.kind == "timewindow"
    assert parse_question("Ban Tuyên giáo Tỉnh ủy phải làm gì?").role == "Ban Tuyên giáo Tỉnh ủy"


def test_a_cue_inside_a_longer_false_match_is_still_found():
    # "giáo … nhiệm vụ gì" first reads as "giao … nhiệm vụ gì" (not typed so); "có nhiệm vụ gì" is the cue
    q = parse_question("Ban Tuyên giáo Tỉnh ủy có nhiệm vụ gì?")
    assert q.kind == "role" and q.role == "Ban Tuyên giáo Tỉnh ủy"
    assert parse_question("Sở Giáo dục và Đào tạo có nhiệm vụ gì?").role == "Sở Giáo dục và Đào tạo"


@pytest.mark.parametrize("question, role", [
    ("Tôi là Sở Giáo dục và Đào tạo, tôi phải làm gì?", "Sở Giáo dục và Đào tạo"),  # "và" inside a name
    ("Tôi là Ban Tuyên giáo và Dân vận Tỉnh ủy, tôi phải làm gì?", "Ban Tuyên giáo và Dân vận Tỉnh ủy"),
    ("toi la ban can su dang ubnd tinh, toi phai lam gi?", "ban can su dang Ủy ban nhân dân tinh"),  # "can" of "cán sự"
    ("toi la thu truong co quan, toi phai lam gi?", "thu truong co quan"),  # "co" of "cơ quan"
    ("toi la dang vien co 30 nam tuoi dang thi phai lam gi", "dang vien"),  # "co" that is "có"
    ("Tôi là bí thư chi bộ và tôi phải làm gì?", "bí thư chi bộ"),
])
def test_a_role_typed_without_accents_or_holding_va_keeps_its_whole_name(question, role):
    assert parse_question(question).role == role


def test_where_a_document_is_sent_and_where_a_duty_sends_a_report():
    assert parse_question("Chỉ thị 21 gửi những đâu?").asks == ("recipients",)
    assert parse_question("TB 46 được gửi tới những nơi nào?").asks == ("recipients",)
    # what is sent named before the verb: a duty's addressee, not the document's recipients
    assert "recipients" not in parse_question("Theo CT 21, báo cáo kết quả thực hiện gửi những cơ quan nào?").asks


def test_in_force_when_asks_the_entry_into_force_not_the_issue_date():
    assert parse_question("Quy định 08 có hiệu lực khi nào?").asks == ("effective",)


def test_a_facet_before_the_clause_saying_the_subject_carries_it():
    q = parse_question("Ai chủ trì và ai phối hợp thực hiện nhiệm vụ tập huấn cho bí thư chi bộ?")
    assert [p.facet for p in q.parts] == ["carried", "own"]
    assert "tập huấn" in q.parts[0].expanded


def test_the_day_a_document_described_by_its_subject_was_issued_is_a_date_question():
    q = parse_question("BTV Tỉnh ủy ra kế hoạch triển khai Sổ tay đảng viên điện tử ngày nào?")
    assert q.asks == ("date",) and "Sổ tay đảng viên điện tử" in q.topic


def test_questions_each_ended_by_its_mark_are_parts_even_of_one_kind():
    q = parse_question("Nếu ngày 10 là ngày nghỉ thì bí thư tiếp công dân vào hôm nào? Bí thư vắng mặt thì ai tiếp công dân?")
    assert len(q.parts) == 2
    assert parse_question("Chi bộ sinh hoạt mấy lần một tháng, vào ngày nào?").parts == []  # one question, two facets


def test_va_after_a_question_word_opens_a_second_question():
    q = parse_question("Bản sao lưu phải giữ bao lâu và Văn phòng Tỉnh ủy sao lưu vào lúc nào?")
    assert len(q.parts) == 2
    assert parse_question("Chi bộ nào và đảng viên nào được miễn?").parts == []  # "nào và" lists, asks once


@pytest.mark.parametrize("question, body", [
    ("Hạn chót các đảng bộ cơ sở gửi kế hoạch lên Ban Thường vụ Huyện ủy là ngày nào?", "đảng bộ"),
    ("Thời hạn Hội Nông dân xã nộp báo cáo là khi nào?", "Hội Nông dân"),
    ("Khi nào Văn phòng Đảng ủy phải trình báo cáo?", "Văn phòng Đảng ủy"),
])
def test_the_doer_a_deadline_question_names_after_its_opening_words(question, body):
    from service.retrieval.query import doer

    said = doer(parse_question(question))
    assert said is not None and body.lower() in said[0].lower(), said


@pytest.mark.parametrize("question, also", [
    # the duties in a bare clause, something else asked in another: that clause ranks the duties
    ("Tôi là chủ tịch UBND xã, phải làm gì và báo cáo cho ai?", "báo cáo cho"),
    ("Tôi là bí thư chi bộ thôn Đông, năm 2027 chi bộ tôi phải kết nạp mấy người và tôi cần làm gì?",
     "năm 2027 chi bộ phải kết nạp người"),
    # one ask: what the duties are about narrows them; a time asked of them is no second question
    ("Tôi là bí thư chi bộ, tôi phải làm gì để kết nạp đảng viên?", ""),
    ("Tôi là bí thư chi bộ, năm 2027 tôi phải làm gì?", ""),
    ("Tôi là bí thư chi bộ, tôi phải làm gì, hạn khi nào?", ""),
])
def test_a_role_question_asking_one_more_thing_keeps_that_clause_apart(question, also):
    q = parse_question(question)
    assert q.kind == "role" and q.also_asks == also, (q.kind, q.also_asks)


@pytest.mark.parametrize("question, role", [
    ("Em làm việc tại trạm y tế xã, em phải làm gì?", "trạm y tế xã"),
    ("toi cong tac o ban dan van huyen uy, toi phai lam gi", "ban dan van huyen uy"),
    ("toi la ct ubnd xa, toi phai lam gi", "Chủ tịch Ủy ban nhân dân xa"),  # "CT" before a body: its chủ tịch
])
def test_where_the_asker_works_and_abbreviated_posts_are_the_role(question, role):
    q = parse_question(question)
    assert q.kind == "role" and q.role == role, (q.kind, q.role)


def test_the_link_after_a_stated_role_is_no_topic_word():
    assert "thi" not in parse_question("toi la bi thu doan xa thi phai lam gi").topic.split()


@pytest.mark.parametrize("question", ["Chi bộ kiểm tra đảng phí 6 tháng cuối năm vào tháng mấy?",
                                      "dai hoi chi bo to chuc vao thang may", "Quý mấy phải sơ kết?"])
def test_which_month_or_quarter_asks_when(question):
    assert parse_question(question).kind == "deadline"


@pytest.mark.parametrize("question, asks", [
    ("cong van 88-CV/HU ngay bn", ("date",)),  # the day right after the document named
    ("Công văn 88-CV/HU của Huyện ủy ngày nào?", ("date",)),
    # what the document is about, said to name it, is no topic of its own
    ("Nghị quyết 12-NQ/ĐU về công tác quân sự, quốc phòng năm 2028 gửi đến những nơi nào?", ("recipients",)),
    ("CV 88 kính gửi những đơn vị nào?", ("recipients",)),
])
def test_what_is_asked_of_a_named_document(question, asks):
    q = parse_question(question)
    assert q.kind == "metadata" and q.asks == asks, (q.kind, q.asks)


def test_a_day_asked_of_a_duty_in_a_named_document_is_a_deadline():
    assert parse_question("KH 47 phải nộp báo cáo ngày nào?").kind == "deadline"


@pytest.mark.parametrize("question", [
    "Quý II năm 2029 huyện có những hoạt động nào theo KH 12?",
    "tháng 3 với tháng 9 năm 2029 xã tổ chức cái gì vậy",
])
def test_what_is_held_in_a_time_is_a_time_window_question(question):
    q = parse_question(question)
    assert q.kind == "timewindow", q.kind


def test_two_months_joined_by_voi_are_both_and_not_the_months_between():
    q = parse_question("tháng 3 với tháng 9 năm 2029 xã tổ chức cái gì vậy")
    assert q.window.both and q.window.holds(date(2029, 9, 10), 2029) and not q.window.holds(date(2029, 6, 1), 2029)


def test_what_a_document_replaces_asked_with_thay_cho():
    assert parse_question("Chỉ thị 21-CT/TU thay cho văn bản nào?").asks == ("replaces",)

def test_a_post_asked_of_for_a_whole_year_is_a_role_question():
    """"… phụ trách những việc gì năm 2027" asks the year's plan of the post (its duties that year, dated
    or not); a narrower time asked of a body is what falls due then."""
    q = parse_question("pho chu nhiem thuong truc ubkt huyen uy phu trach nhung viec gi theo chuong trinh nam 2027")
    assert q.kind == "role" and q.role and q.window is not None, (q.kind, q.role)
    q = parse_question("Các chi bộ phải làm xong những việc gì trong quý II/2027?")
    assert q.kind == "timewindow", q.kind


def test_a_post_named_without_its_body_opening_a_duty_question_is_its_subject():
    q = parse_question("Phó Chủ nhiệm Thường trực có nhiệm vụ gì?")
    assert q.kind == "role" and q.role == "Phó Chủ nhiệm Thường trực", (q.kind, q.role)


@pytest.mark.parametrize("question, role", [
    ("Tôi là giáo viên, đảng viên sinh hoạt ở chi bộ trường THCS, QĐ 07 yêu cầu tôi làm gì?",
     "giáo viên; đảng viên sinh hoạt ở chi bộ trường trung học cơ sở"),
    ("Tôi là trưởng thôn, đồng thời là đảng viên chi bộ thôn 3, tôi phải làm gì?", "trưởng thôn; đảng viên chi bộ thôn 3"),
    # a clause saying more than who asks is no capacity
    ("Tôi là bí thư chi bộ thôn, đảng viên chi bộ có 35 người, phải làm gì?", "bí thư chi bộ thôn"),
    ("Tôi là bí thư chi bộ, chi bộ tôi phải làm gì?", "bí thư chi bộ"),
])
def test_a_second_capacity_stated_after_the_first_is_the_askers_too(question, role):
    q = parse_question(question)
    assert q.kind == "role" and q.role == role, (q.kind, q.role)


def test_a_document_that_lies_somewhere_is_named_not_a_period():
    q = parse_question("Phần kiến nghị của BC 87 nằm ở mục nào?")
    assert [n.number for n in q.named] == ["87"]
    assert [n.number for n in parse_question("kế hoạch 5 năm của huyện").named] == []


@pytest.mark.parametrize("question, asks", [
    ("ke hoach cua huyen uy so may, ngay bn", ("number", "date")),
    ("Văn bản hướng dẫn về quỹ của tỉnh là của cơ quan nào, số mấy?", ("issuer", "number")),
])
def test_two_things_asked_of_a_document_in_one_breath(question, asks):
    assert parse_question(question).asks == asks


def test_the_clauses_of_a_question_typed_without_diacritics_stay_so():
    # "dv" is spelled out "đảng viên", yet the user typed no diacritic: each clause is read folded
    q = parse_question("ty le dv xuat sac toi da: HD cua tinh cho bao nhieu %, xa Suoi Moc ap dung bao nhieu %")
    assert q.typed_without_diacritics and len(q.parts) == 2
    assert all(p.typed_without_diacritics for p in q.parts)
    assert not parse_question("Tỷ lệ đảng viên xuất sắc: HD của tỉnh cho bao nhiêu %, xã Suối Mộc áp dụng bao nhiêu %").parts[0].typed_without_diacritics


def test_a_part_named_by_its_heading_names_the_document_as_its_owner():
    q = parse_question("Những ban nào được giao nhiệm vụ trong phần tổ chức thực hiện KH 52?")
    assert q.named and not q.named[0].object
    assert parse_question("Ban Tuyên giáo có nhiệm vụ gì trong việc tổ chức thực hiện KH 52?").named[0].object


def test_the_document_drawn_on_after_trong_is_the_source_not_the_topic():
    q = parse_question("tháng 11/2030 có hoạt động gì trong kế hoạch của huyện về văn hóa công vụ")
    assert q.source == "trong kế hoạch của huyện về văn hóa công vụ", q.source
    assert parse_question("nhiệm vụ trong kế hoạch 61 là gì").source is None  # named by number: no description
