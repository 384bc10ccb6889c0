"""The face of a document (ingest.header): issuer under its parent, number, place and date, type,
subject, bases, recipients, signature, annexes; every field quoted verbatim from the text."""
from __future__ import annotations

from datetime import date

from ingest.pipeline import build_document
from ingest.readers import RawDocument


def _doc(text: str):
    return build_document(RawDocument(source="t.txt", format="txt", text=text, front_matter={}))


def _quotes(d, name: str) -> list[str]:
    return [d.text[f.start:f.end] for f in d.fields if f.name == name]


HEADER = ("ĐẢNG BỘ TỈNH SƠN NGUYÊN\nHUYỆN ỦY PHONG THẠNH\n*\nSố 45-KH/HU\n\nĐẢNG CỘNG SẢN VIỆT NAM\n\n"
          "Phong Thạnh, ngày 02 tháng 01 năm 2025\n\nKẾ HOẠCH\nthực hiện Chỉ thị số 30-CT/TU về thực hành tiết kiệm\n"
          "-----\n\n")
CLOSING = ("\nNơi nhận:\n- Ban Thường vụ Tỉnh ủy (để báo cáo),\n- Các chi, đảng bộ cơ sở,\n- Lưu Văn phòng.\n\n"
           "T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\n\n(Đã ký)\n\nVũ Mạnh Hà\n")


def test_issuer_is_the_body_under_its_parent():
    d = _doc(HEADER + "I. MỤC ĐÍCH\n\nQuán triệt sâu sắc.\n" + CLOSING)
    assert d.issuer == "Huyện ủy Phong Thạnh"
    assert _quotes(d, "issuer") == ["HUYỆN ỦY PHONG THẠNH"]
    assert _quotes(d, "issuer_parent") == ["ĐẢNG BỘ TỈNH SƠN NGUYÊN"]
    assert next(f.value for f in d.fields if f.name == "issuer_parent") == "Đảng bộ tỉnh Sơn Nguyên"


def test_a_body_named_by_its_function_takes_its_committee():
    d = _doc("TỈNH ỦY BÌNH SƠN\nỦY BAN KIỂM TRA\n-----\nSố 15-HD/UBKTTU\n\nBình Sơn, ngày 10 tháng 3 năm 2025\n\n"
             "HƯỚNG DẪN\nkiểm tra, giám sát\n\nI. MỤC ĐÍCH\n\nKịp thời phát hiện.\n")
    assert d.issuer == "Ủy ban Kiểm tra Tỉnh ủy Bình Sơn"
    assert _quotes(d, "issuer") == ["TỈNH ỦY BÌNH SƠN\nỦY BAN KIỂM TRA"]


def test_header_fields_are_verbatim_quotes_with_values():
    d = _doc(HEADER + "I. MỤC ĐÍCH\n\nQuán triệt sâu sắc.\n" + CLOSING)
    assert (d.number, d.type, d.place, d.issued) == ("45-KH/HU", "Kế hoạch", "Phong Thạnh", date(2025, 1, 2))
    assert d.title == "thực hiện Chỉ thị số 30-CT/TU về thực hành tiết kiệm"
    assert _quotes(d, "number") == ["Số 45-KH/HU"]
    assert _quotes(d, "place_date") == ["Phong Thạnh, ngày 02 tháng 01 năm 2025"]
    assert next(f.value for f in d.fields if f.name == "place_date") == "2025-01-02"
    assert _quotes(d, "type") == ["KẾ HOẠCH"]
    assert _quotes(d, "title") == ["thực hiện Chỉ thị số 30-CT/TU về thực hành tiết kiệm"]


def test_two_columns_flattened_onto_one_line():
    d = _doc("HUYỆN ỦY PHONG THẠNH\t\tĐẢNG CỘNG SẢN VIỆT NAM\n*\n"
             "Số: 12 - CT/HU      Phong Thạnh, ngày 5 tháng 6 năm 2025\n\nCHỈ THỊ\nvề phòng, chống lãng phí\n\n"
             "1. Các chi bộ quán triệt Chỉ thị.\n")
    assert (d.issuer, d.number, d.issued, d.type) == ("Huyện ủy Phong Thạnh", "12-CT/HU", date(2025, 6, 5), "Chỉ thị")
    assert _quotes(d, "issuer") == ["HUYỆN ỦY PHONG THẠNH"]
    assert _quotes(d, "number") == ["Số: 12 - CT/HU"]
    assert _quotes(d, "place_date") == ["Phong Thạnh, ngày 5 tháng 6 năm 2025"]
    assert [s.path for s in d.sections] == ["1"]


def test_closing_fields_recipients_and_signature():
    d = _doc(HEADER + "I. MỤC ĐÍCH\n\nQuán triệt sâu sắc.\n" + CLOSING)
    assert d.signer == "Vũ Mạnh Hà"
    assert d.recipients == ["Ban Thường vụ Tỉnh ủy (để báo cáo)", "Các chi, đảng bộ cơ sở", "Lưu Văn phòng"]
    assert _quotes(d, "recipient") == d.recipients
    assert _quotes(d, "recipients")[0].startswith("Nơi nhận:\n- Ban Thường vụ Tỉnh ủy")
    assert _quotes(d, "signer_position") == ["T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ"]
    assert _quotes(d, "signer") == ["Vũ Mạnh Hà"]
    assert _quotes(d, "signature") == ["T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\n\n(Đã ký)\n\nVũ Mạnh Hà"]
    assert d.section("I").end < d.text.index("Nơi nhận")


def test_signature_before_recipients_and_a_name_in_capitals():
    d = _doc(HEADER + "1. Các chi bộ thực hiện.\n\nK/T BÍ THƯ\nPHÓ BÍ THƯ THƯỜNG TRỰC\n\nLÒ VĂN PHỐNG\n\n"
             "Nơi nhận:\n- Như trên,\n- Lưu VT.\n")
    assert d.signer == "LÒ VĂN PHỐNG" and d.recipients == ["Như trên", "Lưu VT"]
    assert _quotes(d, "signer_position") == ["K/T BÍ THƯ\nPHÓ BÍ THƯ THƯỜNG TRỰC"]


def test_signed_by_delegation_t_l():
    # "T/L" (thừa lệnh): the office's chief signs for the standing committee.
    d = _doc(HEADER + "1. Các chi bộ thực hiện.\n\nNơi nhận:\n- Như trên,\n- Lưu VT.\n\nT/L BAN THƯỜNG VỤ\n"
             "CHÁNH VĂN PHÒNG\n\n(Đã ký)\n\nĐinh Thị Thu Hằng\n")
    assert d.signer == "Đinh Thị Thu Hằng"
    assert _quotes(d, "signer_position") == ["T/L BAN THƯỜNG VỤ\nCHÁNH VĂN PHÒNG"]


def test_a_signature_without_on_behalf_line_at_the_end():
    d = _doc(HEADER + "1. Các chi bộ thực hiện.\n\nBÍ THƯ\n\nNguyễn Văn A\n")
    assert d.signer == "Nguyễn Văn A" and _quotes(d, "signer_position") == ["BÍ THƯ"]


def test_a_capitalised_heading_with_a_position_word_is_not_a_signature():
    d = _doc(HEADER + "I. TỔNG KẾT\n\nNHIỆM VỤ CHUNG\n\nCác chi bộ thực hiện.\n\nII. PHÓ BÍ THƯ PHỤ TRÁCH\n\nThực hiện.\n")
    assert d.signer is None and [s.path for s in d.sections] == ["I", "II"]


def test_bases_of_the_preamble():
    d = _doc(HEADER + "- Căn cứ Điều lệ Đảng;\n- Căn cứ Quy định số 22-QĐ/TW, ngày 28/7/2021 của Ban Chấp hành "
             "Trung ương về công tác kiểm tra;\n\nBan Thường vụ Huyện ủy ban hành Kế hoạch như sau:\n\nI. MỤC ĐÍCH\n\n"
             "Thực hiện tốt.\n")
    # a basis is quoted as its line is written, with the ";" that ends it; its value without
    assert _quotes(d, "basis") == ["Căn cứ Điều lệ Đảng;", "Căn cứ Quy định số 22-QĐ/TW, ngày 28/7/2021 của Ban Chấp "
                                   "hành Trung ương về công tác kiểm tra;"]
    assert [f.value for f in d.fields if f.name == "basis"][0] == "Căn cứ Điều lệ Đảng"
    d = _doc(HEADER + "Thực hiện Chỉ thị số 30-CT/TU, ngày 14/02/2025 của Ban Thường vụ Tỉnh ủy và Hướng dẫn số "
             "15-HD/UBKTTU của Ủy ban Kiểm tra Tỉnh ủy; căn cứ Chương trình công tác năm 2025, Ban Thường vụ "
             "Huyện ủy ban hành Kế hoạch thực hiện như sau:\n\nI. MỤC ĐÍCH\n\nThực hiện tốt.\n")
    assert _quotes(d, "basis") == [
        "Thực hiện Chỉ thị số 30-CT/TU, ngày 14/02/2025 của Ban Thường vụ Tỉnh ủy và Hướng dẫn số 15-HD/UBKTTU "
        "của Ủy ban Kiểm tra Tỉnh ủy;", "căn cứ Chương trình công tác năm 2025"]


def test_no_header_when_capitals_open_the_body():
    d = _doc("NHIỆM VỤ TRỌNG TÂM\n\n1. Các chi bộ thực hiện.\n")
    assert d.issuer is None and not d.fields and [s.path for s in d.sections] == ["1"]


def test_header_and_closing_lines_are_sentences_and_chunks():
    d = _doc(HEADER + "I. MỤC ĐÍCH\n\nQuán triệt sâu sắc.\n" + CLOSING)
    kinds = {d.text[s.start:s.end]: s.kind for s in d.sentences}
    assert kinds["Phong Thạnh, ngày 02 tháng 01 năm 2025"] == "header"
    assert kinds["Vũ Mạnh Hà"] == "closing" and kinds["- Lưu Văn phòng."] == "closing"
    header = next(c for c in d.chunks if c.kind == "header")
    closing = next(c for c in d.chunks if c.kind == "closing")
    assert "Số 45-KH/HU" in d.text[header.start:header.end] and "KẾ HOẠCH" in d.text[header.start:header.end]
    assert "Nơi nhận" in d.text[closing.start:closing.end] and "Vũ Mạnh Hà" in d.text[closing.start:closing.end]
    assert "người ký" in closing.index_text and "ban hành ngày" in header.index_text


def test_a_closing_in_two_columns_flattened_onto_lines():
    d = _doc(HEADER + "1. Các chi bộ thực hiện.\n\nNơi nhận:\t\tT/M BAN THƯỜNG VỤ\n- Ban Thường vụ Tỉnh ủy,\t\tBÍ THƯ\n"
             "- Lưu Văn phòng.\t\t(Đã ký)\n\nĐoàn Văn Minh\n")
    assert d.signer == "Đoàn Văn Minh" and d.recipients == ["Ban Thường vụ Tỉnh ủy", "Lưu Văn phòng"]
    assert _quotes(d, "signer_position") == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]
    assert _quotes(d, "signer") == ["Đoàn Văn Minh"]


def test_numbered_annexes_follow_one_another_without_a_note():
    """"PHỤ LỤC 2" after "PHỤ LỤC 1" opens the second annex: its table is not the first one's."""
    text = ("BAN TỔ CHỨC TỈNH ỦY\nSố 14-HD/BTCTU\nLâm Giang, ngày 16 tháng 9 năm 2026\n\nHƯỚNG DẪN\nkiểm điểm năm 2026\n\n"
            "1. Chấm điểm theo Phụ lục 1.\n\nNơi nhận:\n- Như trên,\n- Lưu VT.\n\nT/L BAN THƯỜNG VỤ\nTRƯỞNG BAN\n\nTriệu Quang Lâm\n\n"
            "PHỤ LỤC 1\nKHUNG ĐIỂM TIÊU CHÍ\n\n| TT | Tiêu chí | Điểm |\n| --- | --- | --- |\n| 1 | Sổ tay điện tử | 4 |\n\n"
            "PHỤ LỤC 2\nBIỂU SỐ 01 - BÁO CÁO TIẾN ĐỘ\n\n| TT | Đơn vị | Ghi chú |\n| --- | --- | --- |\n| 1 | Huyện ủy | |\n")
    doc = build_document(RawDocument("hd.txt", "txt", text, None))
    annexes = [s.path for s in doc.sections if s.kind == "annex"]
    assert annexes == ["Phụ lục 1", "Phụ lục 2"]
    second = next(s for s in doc.sections if s.path == "Phụ lục 2")
    assert "BIỂU SỐ 01" in doc.text[second.start:second.end] and "Sổ tay" not in doc.text[second.start:second.end]


def test_decoration_lines_in_the_header_are_passed_over_as_any_converter_writes_them():
    # a converter to Markdown escapes the lone star ("\*"); others draw "---oOo---": neither ends the header
    for rule in ("\\*", "---oOo---", "\\-\\-\\-\\-"):
        d = _doc(HEADER.replace("\n*\n", f"\n{rule}\n") + "I. MỤC ĐÍCH\n\nQuán triệt sâu sắc.\n" + CLOSING)
        assert (d.number, d.type, d.issuer, d.issued) == ("45-KH/HU", "Kế hoạch", "Huyện ủy Phong Thạnh", date(2025, 1, 2)), rule


def test_a_note_set_beside_the_recipients_leaves_the_signature_whole():
    """"- Văn phòng Huyện ủy,          (để báo cáo)": a note beside some recipients (a brace in the original,
    spaces once converted) is theirs, not the signature's column; the signer set far right is read."""
    closing = ("\nNơi nhận:\n- Thường trực Huyện ủy,\n- Văn phòng Huyện ủy,          (để báo cáo)\n"
               "- Các chi bộ trực thuộc,\n- Lưu Văn phòng Đảng ủy.\n\n"
               "                                              T/M BAN THƯỜNG VỤ\n"
               "                                           PHÓ BÍ THƯ THƯỜNG TRỰC\n\n"
               "                                              Trần Thị Mai\n")
    d = _doc(HEADER + "I. MỤC ĐÍCH\n\nQuán triệt sâu sắc.\n" + closing)
    assert d.signer == "Trần Thị Mai"
    assert _quotes(d, "signer") == ["Trần Thị Mai"]
    assert d.recipients == ["Thường trực Huyện ủy", "Văn phòng Huyện ủy", "Các chi bộ trực thuộc", "Lưu Văn phòng Đảng ủy"]


LETTER = ("ĐẢNG BỘ TỈNH BẮC THẠCH\nHUYỆN ỦY LŨNG VÂN\n*\nSố 88-CV/HU\nV/v rà soát đảng viên đi làm ăn xa\n\n"
          "ĐẢNG CỘNG SẢN VIỆT NAM\n\nLũng Vân, ngày 14 tháng 02 năm 2028\n\nKính gửi:\n\n- Các đảng ủy xã, thị trấn;\n"
          "- Ban Tổ chức Huyện ủy.\n\nĐể quản lý chặt chẽ đảng viên, Ban Thường vụ Huyện ủy đề nghị:\n\n"
          "I. Rà soát danh sách\n\nCác đảng ủy xã rà soát danh sách trước ngày 10/3/2028.\n\n"
          "II. Báo cáo\n\nBan Tổ chức Huyện ủy tổng hợp, báo cáo trước ngày 30/3/2028.\n"
          "\nNơi nhận:\n- Như kính gửi,\n- Lưu Văn phòng Huyện ủy.\n\nT/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\n\n(Đã ký)\n\nLò Văn Tâm\n")


def test_a_letters_subject_line_and_addressees_are_its_header():
    d = _doc(LETTER)
    assert (d.number, d.type, d.issued) == ("88-CV/HU", "Công văn", date(2028, 2, 14))
    assert d.title == "rà soát đảng viên đi làm ăn xa"
    assert _quotes(d, "addressee") == ["Các đảng ủy xã, thị trấn", "Ban Tổ chức Huyện ủy"]
    assert d.recipients == ["Các đảng ủy xã, thị trấn", "Ban Tổ chức Huyện ủy", "Lưu Văn phòng Huyện ủy"]
    # "V/v" is no Roman part V: the parts are I and II
    assert [s.path for s in d.sections if s.kind == "roman"] == ["I", "II"]


def test_a_scanned_pages_header_read_as_joined_lines():
    # OCR reads the two header columns as one line with a single space, and "*" as "x"
    d = _doc("HUYỆN ỦY NAM ĐÀ ĐẢNG CỘNG SẢN VIỆT NAM\n\nx\n\nSố 19-KH/HU Nam Đà, ngày 02 tháng 3 năm 2029 KẾ HOẠCH "
             "thực hiện Chỉ thị số 09-CT/TU về phòng, chống thiên tai\n\nI. MỤC ĐÍCH\n\nChủ động phòng ngừa.\n" + CLOSING)
    assert (d.number, d.issued, d.issuer, d.type) == ("19-KH/HU", date(2029, 3, 2), "Huyện ủy Nam Đà", "Kế hoạch")
    assert d.title == "thực hiện Chỉ thị số 09-CT/TU về phòng, chống thiên tai"
    assert _quotes(d, "number") == ["Số 19-KH/HU"] and _quotes(d, "place_date") == ["Nam Đà, ngày 02 tháng 3 năm 2029"]
