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
    assert d.issuer == "Tỉnh ủy Lai Châu (Ban Thường vụ)"
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
