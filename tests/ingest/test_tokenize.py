"""Vietnamese tokens (ingest.tokenize)."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.tokenize import Segmenter, expand_abbreviations, folded_terms, words


def test_protected_tokens_stay_whole():
    toks = words("Hoàn thành trước ngày 15/01/2024, trong Quý I/2024 theo Kết luận số 01-KL/TW và 08-QĐi/TW.")
    for t in ("15/01/2024", "quý_i/2024", "01-kl/tw", "08-qđi/tw", "hoàn_thành", "kết_luận"):
        assert t in toks, t
    assert "1" in toks  # "Kết luận 01" finds 01-KL/TW


def test_gazetteer_and_canonical_tones():
    toks = words("Ban Tuyên giáo Tỉnh ủy hướng dẫn chống tự chuyển hoá")
    assert "ban_tuyên_giáo_tỉnh_ủy" in toks and "tự_chuyển_hóa" in toks


def test_index_parts_are_segmented_apart():
    """" | " joins an index text's parts (label, heading path, passage): no word spans two parts
    (the segmenter used to glue words to the bar: "thực_|", "|_ban")."""
    toks = words("Kế hoạch 222-KH/TU học tập | II. TỔ CHỨC THỰC HIỆN | Ban Tuyên giáo Tỉnh ủy chủ trì.")
    assert not [t for t in toks if "|" in t], toks
    assert toks == words("Kế hoạch 222-KH/TU học tập") + words("II. TỔ CHỨC THỰC HIỆN") + \
        words("Ban Tuyên giáo Tỉnh ủy chủ trì.")


def test_segmenter_gives_the_words_of_each_text_and_keeps_each_piece_once():
    label, path = "Kế hoạch 222-KH/TU", "Phần I / Mục đích"
    texts = [f"{label} | {path} | Các cấp ủy quán triệt sâu sắc. Hoàn thành trước ngày 15/01/2024.",
             f"{label} | {path} | Tổ chức học tập chuyên đề năm 2024.",
             "Mục đích | Các cấp ủy quán triệt sâu sắc."]
    seg = Segmenter()
    for t in texts:
        assert seg.words(t) == words(t)
    # label, path, and four sentences: each segmented once however often it recurs
    assert len(seg._pieces) == 6
    # with the heading path named, its titles are segmented one by one (each recurs in many paths)
    titled = Segmenter().words(texts[1], heading=path)
    assert titled == words(label) + words("Phần I") + words("Mục đích") + \
        words("Tổ chức học tập chuyên đề năm 2024.")


def test_folded_terms_match_unaccented_queries():
    assert set(folded_terms("han chot nop ke hoach")) & set(folded_terms("nộp kế hoạch cá nhân")) >= {"nop", "ke_hoach"}


def test_abbreviations_expand():
    assert expand_abbreviations("KL 14 của BCT về MTTQ") == "Kết luận 14 của Bộ Chính trị về Mặt trận Tổ quốc"
    assert expand_abbreviations("14-KL/TW") == "14-KL/TW"
    # posts as written in notes: "PCT UBND xã", "PBT Đảng ủy"
    assert expand_abbreviations("Đ/c Lan, PCT UBND xã") == "đồng chí Lan, Phó Chủ tịch Ủy ban nhân dân xã"
    assert expand_abbreviations("PBT thường trực") == "Phó Bí thư thường trực"
    # "CT" before a body headed by a chủ tịch is that post; before a number it is a Chỉ thị
    assert expand_abbreviations("toi la ct ubnd xa") == "toi la Chủ tịch Ủy ban nhân dân xa"
    assert expand_abbreviations("CT Hội Nông dân xã") == "Chủ tịch Hội Nông dân xã"
    assert expand_abbreviations("CT 21 của Tỉnh ủy") == "Chỉ thị 21 của Tỉnh ủy"
    # a provincial Quy định ("12-QĐi/TU") named by its own abbreviation; its number stays as written
    assert expand_abbreviations("Điều 4 QĐi 12") == "Điều 4 Quy định 12"
    assert expand_abbreviations("QĐi 12-QĐi/TU") == "Quy định 12-QĐi/TU"
    assert expand_abbreviations("các TCCS đảng cập nhật CSDL") == "các tổ chức cơ sở đảng cập nhật cơ sở dữ liệu"


def test_underthesea_loads_only_its_offline_pipelines():
    """The pipelines that download models (or pull in torch) are never loaded: calling one would
    reach for the network, which this product must never do."""
    import subprocess
    import sys

    code = ("import sys; from ingest.tokenize import underthesea, words; u = underthesea(); words('kế hoạch'); "
            "print(u.translate is None, u.classify is None, u.sentiment is None, u.dependency_parse is None, "
            "'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2]).stdout.split()
    assert out == ["True", "True", "True", "True", "False"], out


def test_abbreviations_that_are_also_words_expand_only_in_capitals():
    from ingest.tokenize import expand_abbreviations

    assert expand_abbreviations("CTr 27 của HU") == "Chương trình 27 của Huyện ủy"
    assert expand_abbreviations("Ban Tổ chức TU") == "Ban Tổ chức Tỉnh ủy"
    assert expand_abbreviations("tu dưỡng, du lịch") == "tu dưỡng, du lịch"
    assert expand_abbreviations("ct 30 yeu cau gi") == "Chỉ thị 30 yeu cau gi"
    assert expand_abbreviations("CA xã trực ca đêm") == "Công an xã trực ca đêm"


def test_chat_shorthand_and_congress_words_expand():
    assert expand_abbreviations("ĐH chi bộ nk 2027-2032 xong trước ngày j") == \
        "đại hội chi bộ nhiệm kỳ 2027-2032 xong trước ngày gì"
    assert expand_abbreviations("co bn chi bo phoi hop vs UBMT xa") == \
        "co bao nhiêu chi bo phoi hop với Ủy ban Mặt trận Tổ quốc xa"


def _corpus_pieces(corpus_docs) -> list[str]:
    """Every chunk index text of the shipped corpus."""
    return [c.index_text for d in corpus_docs.values() for c in d.chunks]


def test_pieces_shared_across_documents_give_the_same_words(corpus_docs):
    """`share_pieces` (the ingest workers): a piece already segmented for another document gives the
    words a fresh segmentation gives — and it is not segmented again."""
    import ingest.tokenize as tk

    texts = _corpus_pieces(corpus_docs)[:150]
    fresh = [Segmenter().words(t) for t in texts]
    tk.share_pieces(1000)
    try:
        first = [Segmenter().words(t) for t in texts]  # a Segmenter per text: as if each were a document
        again = [Segmenter().words(t) for t in texts]
        info = tk._shared_words.cache_info()
    finally:
        tk.share_pieces(0)
    assert first == fresh and again == fresh
    assert info.hits >= info.misses  # the second pass segmented nothing
    assert tk._shared_words is None and Segmenter()._segment is tk._piece_words


def test_fixed_phrases_beside_dates_and_numbers_are_all_kept():
    """A sentence's protected spans: fixed phrases of the gazetteer, dates, quarters — in order, and
    never overlapping (a phrase over a date or number would give way to it)."""
    from ingest.tokenize import _protected_spans

    spans = _protected_spans("Ban Tuyên giáo Tỉnh ủy, ngày 15/01/2024, Quý I/2024")
    kinds = [k for _, _, k in spans]
    assert kinds == ["fixed", "date", "quarter"], spans
    for (a, b, _), (c, d, _) in zip(spans, spans[1:]):
        assert b <= c  # never overlapping


def test_an_issuers_code_typed_as_a_word_is_its_body_and_committee():
    """"VPHU" in "KH 08 của VPHU" is the Văn phòng Huyện ủy that document numbers abbreviate so; the
    number itself ("08-KH/VPHU") stays whole, and letters typed in lower case are left alone."""
    from ingest.tokenize import expand_abbreviations

    assert expand_abbreviations("KH 08 của VPHU") == "Kế hoạch 08 của Văn phòng Huyện ủy"
    assert expand_abbreviations("BTGTU và UBKTTU") == "Ban Tuyên giáo Tỉnh ủy và Ủy ban Kiểm tra Tỉnh ủy"
    assert expand_abbreviations("08-KH/VPHU") == "08-KH/VPHU"
    assert expand_abbreviations("vphu") == "vphu"
    assert expand_abbreviations("QĐi 05-QĐi/TU") == "Quy định 05-QĐi/TU"


def test_hd_after_a_chair_is_a_council_in_the_style_typed():
    assert expand_abbreviations("Chủ tịch HĐ NVQS xã") == "Chủ tịch Hội đồng NVQS xã"
    assert expand_abbreviations("chu tich HD nghia vu quan su") == "chu tich hoi dong nghia vu quan su"
    assert expand_abbreviations("theo HD 04") == "theo Hướng dẫn 04"  # a guidance, named by its number


def test_a_count_written_with_a_leading_zero_is_the_count():
    from ingest.tokenize import syllables

    assert syllables("03 tháng, 05 ngày làm việc") == ["3", "thang", "5", "ngay", "lam", "viec"]
    assert syllables("năm 2028, 01/2024, 09-CTr") == ["nam", "2028", "01/2024", "09-ctr"]  # years, dates, numbers stay


def test_comrade_written_short():
    assert expand_abbreviations("KH 47 do đ/c nào ký") == "Kế hoạch 47 do đồng chí nào ký"


@pytest.mark.parametrize("typed, read", [
    ("e đang nghỉ đẻ, có phải viết bản tự kiểm điểm k?", "em đang nghỉ đẻ, có phải viết bản tự kiểm điểm không?"),
    ("các trường hợp k được miễn là ai", "các trường hợp không được miễn là ai"),
    ("mik là đv", "mình là đảng viên"),
    ("bí thư cb thôn", "bí thư chi bộ thôn"),
    ("các cb, đv", "các cán bộ, đảng viên"),
    ("có nv gì", "có nhiệm vụ gì"),
    ("được xếp loại HTXSNV", "được xếp loại hoàn thành xuất sắc nhiệm vụ"),
    ("dự họp online", "dự họp trực tuyến"),
    ("con tôi là sv đang học ĐH", "con tôi là sinh viên đang học đại học"),
    ("ĐH chi bộ nhiệm kỳ mới", "đại hội chi bộ nhiệm kỳ mới"),
    # a letter after "điểm" is a point of an article
    ("điểm k khoản 1 Điều 5 nói gì", "điểm k khoản 1 Điều 5 nói gì"),
    ("Điều 5 có điểm e không", "Điều 5 có điểm e không"),
])
def test_chat_words_are_read_as_words(typed, read):
    assert expand_abbreviations(typed) == read
