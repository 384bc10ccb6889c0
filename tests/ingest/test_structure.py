"""The structure parser on the shipped documents (issue 2's expectations) and on damaged text."""
from __future__ import annotations

from datetime import date

from ingest.normalize import canonical, fold
from ingest.pipeline import build_document
from ingest.readers import RawDocument
from ingest.repair import repair


def test_plan_222_header(corpus_docs):
    d = corpus_docs["222-KH/TU"]
    assert d.number == "222-KH/TU"
    assert d.type == "Kế hoạch"
    assert d.issuer == "Tỉnh ủy Lai Châu"  # the body in the header; "T/M BAN THƯỜNG VỤ" is in the signature field
    assert d.issued == date(2023, 12, 18)
    assert d.place == "Lai Châu"
    assert d.signer == "Vũ Mạnh Hà"
    assert d.title.startswith("thực hiện Kết luận số 01-KL/TW")
    assert "Ban Tuyên giáo Trung ương" in d.recipients and "Lưu VPTU" in d.recipients
    assert d.doc_id == "222-kh-tu-2023-12-18"


def test_plan_222_sections(corpus_docs):
    d = corpus_docs["222-KH/TU"]
    paths = [s.path for s in d.sections]
    assert paths == ["I", "II", "II.1", "II.2", "II.2.1", "II.2.2", "II.3", "II.4", "II.5", "II.6", "II.7",
                     "III", "III.1", "III.2", "III.3"]
    assert d.section("II.2.2").title == "Kế hoạch cá nhân"
    assert d.section("II.2.1").parent == "II.2"
    for s in d.sections:
        assert d.text[s.start:s.end].strip(), s.path
        parent = d.section(s.parent)
        if parent:
            assert parent.start <= s.start and s.end <= parent.end


def test_plan_222_footnotes_and_rejoined_sentences(corpus_docs):
    d = corpus_docs["222-KH/TU"]
    fn = {f.number: f for f in d.footnotes}
    assert set(fn) == {1, 2}
    assert d.text[fn[1].marker_start - len("nêu gương"):fn[1].marker_end] == "nêu gương¹"
    assert d.text[fn[2].marker_start - len("đảng viên"):fn[2].marker_end] == "đảng viên²"
    assert d.text[fn[2].start:fn[2].end].startswith("Trừ đảng viên được miễn sinh hoạt")
    assert fn[2].section == "II.2.2"
    # The page break with the footnote block inside "…của Ban / Thường vụ Tỉnh ủy…" is repaired.
    sentence = ("Kế hoạch số 87-KH/TU, ngày 20/5/2022 của Ban Thường vụ Tỉnh ủy về thực hiện Kết luận số 14-KL/TW")
    assert sentence in d.text
    one = [s for s in d.sentences if "87-KH/TU" in d.text[s.start:s.end]]
    assert len(one) == 1 and sentence in d.text[one[0].start:one[0].end]
    assert "về nội dung, giá trị, ý nghĩa" in d.text  # blank lines inside a sentence
    assert "đoàn viên, thanh niên" in d.text
    assert "*" not in d.text  # converter emphasis removed
    body = d.text[: fn[1].start]
    assert "Quy định số 101-QĐ/TW" not in body.split("(1)")[0]  # footnote block moved out


def test_regulation_124_articles(corpus_docs):
    d = corpus_docs["124-QĐ/TW"]
    paths = [s.path for s in d.sections]
    for p in ("Chương I", "Điều 1", "Điều 2", "Điều 8", "Điều 8.1", "Điều 8.2"):
        assert p in paths
    assert d.section("Chương I").title == "QUY ĐỊNH CHUNG"
    assert d.section("Điều 8.2").parent == "Điều 8"
    assert d.text[d.section("Điều 8.2").start:].startswith("2- Cấp ủy")


def test_every_span_is_document_text(corpus_docs):
    for d in corpus_docs.values():
        for s in d.sentences:
            assert 0 <= s.start < s.end <= len(d.text)
            assert d.text[s.start:s.end] == d.text[s.start:s.end].strip()
        for c in d.chunks:
            assert 0 <= c.start < c.end <= len(d.text)
        lengths = [c.end - c.start for c in d.chunks]
        assert max(lengths) < 1200


def test_front_matter_overrides_and_partial(corpus_docs):
    d = corpus_docs["14-KL/TW"]
    assert d.completeness == "partial" and d.type == "Kết luận" and d.issued == date(2021, 9, 22)


def _raw(text: str, fm: dict | None = None, fmt: str = "txt") -> RawDocument:
    return RawDocument(source=f"t.{fmt}", format=fmt, text=text, front_matter=fm or {})


def test_pdf_wrapped_lines_are_joined():
    text = "1. Các cấp ủy lãnh đạo, chỉ đạo tổ chức\nhọc tập, quán triệt về nội dung của Kết\nluận số 01-KL/TW.\n2. Hoàn thành trước ngày 15/01/2024."
    d = build_document(_raw(text, fmt="pdf"))
    assert "tổ chức học tập, quán triệt về nội dung của Kết luận số 01-KL/TW." in d.text
    assert [s.path for s in d.sections] == ["1", "2"]


def test_paren_markers_and_md_footnotes():
    rep = repair("Nội dung nêu gương[^1] của cán bộ.\n\n[^1]: Quy định 08-QĐi/TW.")
    assert rep.footnotes[0].number == 1 and rep.footnotes[0].text == "Quy định 08-QĐi/TW."


def test_canonical_tone_and_fold():
    assert canonical("tự chuyển hoá") == canonical("tự chuyển hóa") == "tự chuyển hóa"
    assert canonical("thuỷ") == "thủy" and canonical("quý") == "quý"
    assert fold("Đảng ủy") == "Dang uy" and len(fold("Quý I/2024")) == len("Quý I/2024")


def test_internal_access_and_unknown_access_is_internal():
    assert build_document(_raw("Nội dung.", {"access": "internal"})).access == "internal"
    assert build_document(_raw("Nội dung.", {"access": "mật"})).access == "internal"
    assert build_document(_raw("Nội dung.")).access == "public"


def test_doc_id_differs_by_issue_date():
    a = build_document(_raw("x", {"number": "55-QĐ/TW", "issued": "2012-01-01"}))
    b = build_document(_raw("x", {"number": "55-QĐ/TW", "issued": "2016-12-19"}))
    assert a.doc_id != b.doc_id


def test_header_with_a_star_line_under_the_issuer():
    d = build_document(_raw("TỈNH ỦY LAI CHÂU\n*\nĐẢNG CỘNG SẢN VIỆT NAM\n\nSố 12-KH/TU\n"
                            "Lai Châu, ngày 02 tháng 01 năm 2025\n\nKẾ HOẠCH\nvề tuyên truyền\n\nI- MỤC ĐÍCH\n\n- Nội dung."))
    assert (d.number, d.issued, d.type, d.issuer) == ("12-KH/TU", date(2025, 1, 2), "Kế hoạch", "Tỉnh ủy Lai Châu")


def test_a_sentence_goes_on_after_an_ellipsis_before_a_lower_case_word(corpus_docs):
    from ingest.structure import split_sentences

    text = "Nghiêm cấm việc lợi dụng khi cán bộ thuyên chuyển công tác,... để ăn uống, tặng quà. Đây là câu sau."
    assert [text[s:e] for s, e in split_sentences(text, 0, len(text))] == [
        "Nghiêm cấm việc lợi dụng khi cán bộ thuyên chuyển công tác,... để ăn uống, tặng quà.", "Đây là câu sau."]
    doc = corpus_docs["55-QĐ/TW"]
    assert not any(doc.text[s.start:s.end].startswith("để ăn uống") for s in doc.sentences)


def test_a_sentence_ends_after_a_quarters_numeral_not_after_an_initial():
    from ingest.structure import split_sentences

    text = ("Chi bộ khu phố xây dựng kế hoạch cụ thể trong quý I. Các chi bộ cấp xã đăng ký nội dung trước dịp Tết. "
            "Báo cáo Quý V. Đồng chí Nguyễn V. An phụ trách; TRONG QUÝ I. Hết.")
    assert [text[s:e] for s, e in split_sentences(text, 0, len(text))] == [
        "Chi bộ khu phố xây dựng kế hoạch cụ thể trong quý I.", "Các chi bộ cấp xã đăng ký nội dung trước dịp Tết.",
        "Báo cáo Quý V.", "Đồng chí Nguyễn V. An phụ trách; TRONG QUÝ I.", "Hết."]


# ---------------------------------------------------------------------------------------------
# Numbering schemes, one form a test (kind, number, path, parent)


def _sections(text: str) -> list[tuple[str, str, str, str | None]]:
    d = build_document(_raw(text))
    return [(s.path, s.kind, s.number, s.parent) for s in d.sections]


def test_parts_with_their_title_on_the_same_line_or_the_next():
    text = ("PHẦN I\nĐÁNH GIÁ KẾT QUẢ\n\n1. Kết quả đạt được\n\nCác chi bộ đã quán triệt.\n\n"
            "Phần II. NHIỆM VỤ NĂM 2025\n\n1. Quán triệt\n\nCác chi bộ tổ chức quán triệt.\n")
    d = build_document(_raw(text))
    assert [(s.path, s.kind, s.number, s.parent) for s in d.sections] == [
        ("Phần I", "part", "I", None), ("Phần I.1", "item", "1", "Phần I"),
        ("Phần II", "part", "II", None), ("Phần II.1", "item", "1", "Phần II")]
    assert d.section("Phần I").title == "ĐÁNH GIÁ KẾT QUẢ"
    assert d.section("Phần II").title == "NHIỆM VỤ NĂM 2025"


def test_roman_parts_restarting_in_each_part_are_qualified_by_it():
    text = ("Phần I. ĐÁNH GIÁ\n\nI. KẾT QUẢ\n\n1. Học tập\n\nĐã học tập.\n\n"
            "Phần II. NHIỆM VỤ\n\nI. MỤC TIÊU\n\n1. Học tập\n\nTiếp tục học tập.\n\nII. GIẢI PHÁP\n\nTăng cường.\n")
    assert _sections(text) == [
        ("Phần I", "part", "I", None), ("Phần I, I", "roman", "I", "Phần I"), ("Phần I, I.1", "item", "1", "Phần I, I"),
        ("Phần II", "part", "II", None), ("Phần II, I", "roman", "I", "Phần II"),
        ("Phần II, I.1", "item", "1", "Phần II, I"), ("II", "roman", "II", "Phần II")]


def test_chapters_sections_articles_clauses_points():
    text = ("Chương I\nQUY ĐỊNH CHUNG\n\nMục 1. PHẠM VI\n\nĐiều 1. Phạm vi điều chỉnh\n\n"
            "1. Quy định này áp dụng đối với đảng viên.\n\n2. Các tổ chức đảng gồm:\n"
            "a) Chi bộ cơ sở;\nb) Đảng bộ cơ sở;\nđ) Đảng ủy bộ phận.\n\n"
            "Chương II. TRÁCH NHIỆM\n\nMục 1. TẬP THỂ\n\nĐiều 2.\n1- Chi bộ thực hiện.\n2 - Đảng bộ thực hiện.\n")
    assert _sections(text) == [
        ("Chương I", "chapter", "I", None), ("Chương I, Mục 1", "section", "1", "Chương I"),
        ("Điều 1", "article", "1", "Chương I, Mục 1"), ("Điều 1.1", "clause", "1", "Điều 1"),
        ("Điều 1.2", "clause", "2", "Điều 1"), ("Điều 1.2.a", "point", "a", "Điều 1.2"),
        ("Điều 1.2.b", "point", "b", "Điều 1.2"), ("Điều 1.2.đ", "point", "đ", "Điều 1.2"),
        ("Chương II", "chapter", "II", None), ("Chương II, Mục 1", "section", "1", "Chương II"),
        ("Điều 2", "article", "2", "Chương II, Mục 1"), ("Điều 2.1", "clause", "1", "Điều 2"),
        ("Điều 2.2", "clause", "2", "Điều 2")]


def test_roman_with_dash_or_dot_items_sub_items_and_points():
    text = ("I- MỤC ĐÍCH\n\n- Quán triệt sâu sắc.\n\nII. NHIỆM VỤ\n\n1) Học tập\n\nCác chi bộ học tập.\n\n"
            "2- Kế hoạch\n\n2.1. Kế hoạch tập thể\n\nCác chi bộ xây dựng.\n\n2.1.3. Kế hoạch chi tiết\n\nChi tiết.\n\n"
            "3. Tuyên truyền\na. Báo chí tuyên truyền.\nb. Đài phát thanh tuyên truyền.\n")
    assert _sections(text) == [
        ("I", "roman", "I", None), ("II", "roman", "II", None), ("II.1", "item", "1", "II"),
        ("II.2", "item", "2", "II"), ("II.2.1", "sub", "2.1", "II.2"), ("II.2.1.3", "sub", "2.1.3", "II.2.1"),
        ("II.3", "item", "3", "II"), ("II.3.a", "point", "a", "II.3"), ("II.3.b", "point", "b", "II.3")]


def test_the_first_point_under_an_item_is_its_own_section():
    """Issue 13: "2. Yêu cầu" / "a) Kiểm tra…" came out as one heading and no II.1.a."""
    text = "I. MỤC ĐÍCH\n\n2. Yêu cầu\na) Kiểm tra đúng nguyên tắc.\nb) Kết luận rõ ràng.\n"
    d = build_document(_raw(text))
    assert [s.path for s in d.sections] == ["I", "I.2", "I.2.a", "I.2.b"]
    assert d.section("I.2").title == "Yêu cầu"
    assert d.text[d.section("I.2.a").start:d.section("I.2.a").end] == "a) Kiểm tra đúng nguyên tắc."


def test_top_level_items_dash_and_plus_lists_stay_in_their_section():
    text = ("1. Tuyên truyền\n\n- Báo chí tuyên truyền thường xuyên.\n+ Đài huyện đưa tin.\n\n"
            "2. Các chi bộ sinh hoạt chuyên đề hằng quý.\n")
    d = build_document(_raw(text))
    assert [(s.path, s.kind) for s in d.sections] == [("1", "item"), ("2", "item")]
    plus = next(s for s in d.sentences if "Đài huyện" in d.text[s.start:s.end])
    assert plus.section == "1" and d.text[plus.start:plus.end] == "Đài huyện đưa tin."


def test_decoy_numbers_and_dates_open_no_section():
    text = ("I. NHIỆM VỤ\n\n1. Học tập\n\nNăm 2024 tăng 2.1 lần, hội nghị ngày 15.4.2025 đã đánh giá.\n"
            "V. I. Lênin đã chỉ ra điều đó.\n")
    assert [s[0] for s in _sections(text)] == ["I", "I.1"]


def test_section_paths_never_collide():
    text = "1. Một\n\nNội dung.\n\n1. Một lần nữa\n\nNội dung.\n"
    paths = [s[0] for s in _sections(text)]
    assert len(paths) == len(set(paths)) == 2


def test_annexed_regulation_after_the_decisions_signature():
    """Issue 13: the decision's closing ended the parse; the annexed Quy chế was never indexed."""
    text = ("HUYỆN ỦY PHONG THẠNH\nSố 45-QĐ/HU\nPhong Thạnh, ngày 10 tháng 3 năm 2025\n\nQUYẾT ĐỊNH\n"
            "về việc ban hành Quy chế làm việc\n-----\n\nBAN THƯỜNG VỤ HUYỆN ỦY\n\n- Căn cứ Điều lệ Đảng;\n\n"
            "QUYẾT ĐỊNH:\n\nĐiều 1. Ban hành kèm theo Quyết định này Quy chế làm việc.\n\n"
            "Điều 2. Quyết định có hiệu lực kể từ ngày ký.\n\nĐiều 3. Văn phòng Huyện ủy thi hành Quyết định này.\n\n"
            "Nơi nhận:\n- Như Điều 3,\n- Lưu Văn phòng.\n\nT/M BAN THƯỜNG VỤ\nBÍ THƯ\n\nNguyễn Văn An\n\n"
            "HUYỆN ỦY PHONG THẠNH\n\nĐẢNG CỘNG SẢN VIỆT NAM\n\nQUY CHẾ\nlàm việc của Ban Chấp hành Đảng bộ huyện\n"
            "(Ban hành kèm theo Quyết định số 45-QĐ/HU, ngày 10/3/2025 của Ban Thường vụ Huyện ủy)\n-----\n\n"
            "Chương I\nNHỮNG QUY ĐỊNH CHUNG\n\nĐiều 1. Phạm vi\n\nQuy chế này quy định về chế độ làm việc.\n\n"
            "Điều 3. Trách nhiệm\n\n1. Các đồng chí ủy viên thực hiện.\n\nChương II\nĐIỀU KHOẢN THI HÀNH\n\n"
            "Điều 4. Hiệu lực\n\nQuy chế có hiệu lực kể từ ngày ký.\n")
    d = build_document(_raw(text))
    assert [(s.path, s.kind, s.parent) for s in d.sections] == [
        ("Điều 1", "article", None), ("Điều 2", "article", None), ("Điều 3", "article", None),
        ("Quy chế", "annex", None), ("Quy chế, Chương I", "chapter", "Quy chế"),
        ("Quy chế, Điều 1", "article", "Quy chế, Chương I"), ("Quy chế, Điều 3", "article", "Quy chế, Chương I"),
        ("Quy chế, Điều 3.1", "clause", "Quy chế, Điều 3"), ("Quy chế, Chương II", "chapter", "Quy chế"),
        ("Quy chế, Điều 4", "article", "Quy chế, Chương II")]
    assert d.section("Quy chế").title == "làm việc của Ban Chấp hành Đảng bộ huyện"
    assert d.signer == "Nguyễn Văn An" and d.recipients == ["Như Điều 3", "Lưu Văn phòng"]
    assert d.section("Điều 3").end < d.text.index("Nơi nhận")
    body = next(s for s in d.sentences if d.text[s.start:s.end] == "Quy chế có hiệu lực kể từ ngày ký.")
    assert body.section == "Quy chế, Điều 4"
    assert any(c.section == "Quy chế, Điều 4" for c in d.chunks)


def test_dev_documents_read_right():
    """The three invented documents of ../shared/eval/corpus-dev (read as a user's upload is)."""
    from conftest import SHARED_EVAL
    from ingest.readers import read_path

    dev = SHARED_EVAL / "corpus-dev"
    if not dev.exists():
        import pytest
        pytest.skip("../shared/eval/corpus-dev is not beside this clone")
    docs = {p.name[:2]: build_document(read_path(p)) for p in sorted(dev.iterdir())}
    hd = docs["15"]
    assert [s.path for s in hd.sections if s.path.startswith("II.")] == [
        "II.1", "II.1.a", "II.1.b", "II.1.c", "II.2", "II.2.a", "II.2.b", "II.2.c", "II.2.d"]
    assert hd.issuer == "Ủy ban Kiểm tra Tỉnh ủy Bình Sơn" or hd.issuer  # the front matter may name it
    assert {f.number: f.section for f in hd.footnotes} == {1: "II.1.b", 2: "II.2.b"}
    ct = docs["30"]
    assert [s.path for s in ct.sections if s.path.startswith("3")] == ["3", "3.a", "3.b", "3.c", "3.d"]
    kh = docs["10"]
    table = kh.tables[0]
    assert table.section == "III" and table.columns == ["TT", "Nội dung", "Cơ quan chủ trì", "Thời gian hoàn thành"]
    assert len(table.rows) == 13 and table.rows[5].path == "III, dòng 6"
    assert kh.text[table.rows[5].cells[3].start:table.rows[5].cells[3].end] == "6 tháng cuối năm"
    assert kh.section("III, dòng 6").kind == "row" and kh.section("IV.1").kind == "item"


def test_a_reports_lettered_parts_restart_its_roman_numbering():
    """A six-month report: "A. KẾT QUẢ …" then "B. PHƯƠNG HƯỚNG …", each with I, II …"""
    text = ("A. KẾT QUẢ THỰC HIỆN NHIỆM VỤ 6 THÁNG ĐẦU NĂM\n\nI. CÔNG TÁC XÂY DỰNG ĐẢNG\n\n1. Chính trị, tư tưởng\n\n"
            "Đã quán triệt.\n\nII. CÔNG TÁC KIỂM TRA\n\nĐã kiểm tra 05 chi bộ.\n\n"
            "B. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM\n\nI. CÔNG TÁC XÂY DỰNG ĐẢNG\n\n1. Chính trị, tư tưởng\n\n"
            "Tiếp tục quán triệt.\n\nIV. TỔ CHỨC THỰC HIỆN\n\nCác chi bộ thực hiện.\n")
    assert _sections(text) == [
        ("Phần A", "part", "A", None), ("Phần A, I", "roman", "I", "Phần A"), ("Phần A, I.1", "item", "1", "Phần A, I"),
        ("II", "roman", "II", "Phần A"), ("Phần B", "part", "B", None), ("Phần B, I", "roman", "I", "Phần B"),
        ("Phần B, I.1", "item", "1", "Phần B, I"), ("IV", "roman", "IV", "Phần B")]


def test_an_item_opening_with_a_figure_is_an_item_and_a_figure_is_no_item():
    text = ("KẾT LUẬN\nvề sinh hoạt chi bộ\n\nII- MỤC TIÊU ĐẾN NĂM 2030\n\n"
            "1. 100% thôn, tổ dân phố có chi bộ.\n\n2. Hằng năm có ít nhất 80% chi bộ được xếp loại.\n\n"
            "3. 12 chi bộ được khen thưởng.\n\nTổng số có 15.000 đảng viên.\n")
    d = build_document(_raw(text))
    assert [s.path for s in d.sections] == ["II", "II.1", "II.2", "II.3"]
