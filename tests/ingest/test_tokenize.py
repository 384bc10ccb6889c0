"""Vietnamese tokens (ingest.tokenize)."""
from __future__ import annotations

from pathlib import Path

from ingest.tokenize import expand_abbreviations, folded_terms, words


def test_protected_tokens_stay_whole():
    toks = words("Hoàn thành trước ngày 15/01/2024, trong Quý I/2024 theo Kết luận số 01-KL/TW và 08-QĐi/TW.")
    for t in ("15/01/2024", "quý_i/2024", "01-kl/tw", "08-qđi/tw", "hoàn_thành", "kết_luận"):
        assert t in toks, t
    assert "1" in toks  # "Kết luận 01" finds 01-KL/TW


def test_gazetteer_and_canonical_tones():
    toks = words("Ban Tuyên giáo Tỉnh ủy hướng dẫn chống tự chuyển hoá")
    assert "ban_tuyên_giáo_tỉnh_ủy" in toks and "tự_chuyển_hóa" in toks


def test_folded_terms_match_unaccented_queries():
    assert set(folded_terms("han chot nop ke hoach")) & set(folded_terms("nộp kế hoạch cá nhân")) >= {"nop", "ke_hoach"}


def test_abbreviations_expand():
    assert expand_abbreviations("KL 14 của BCT về MTTQ") == "Kết luận 14 của Bộ Chính trị về Mặt trận Tổ quốc"
    assert expand_abbreviations("14-KL/TW") == "14-KL/TW"


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
