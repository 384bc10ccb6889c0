"""Typos in question words, against the real bundled Vietnamese word list."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from service.retrieval.typos import corrected, one_edit, syllables


def test_a_word_that_is_no_syllable_becomes_the_question_word_one_edit_away():
    assert corrected("ra ngya bao nhieu") == "ra ngay bao nhieu"
    assert corrected("ai kys van ban nay") == "ai ky van ban nay"


def test_the_second_word_of_bao_is_read_after_it():
    assert corrected("co bao nhiu dang vien") == "co bao nhieu dang vien"


def test_real_words_names_acronyms_and_words_with_diacritics_are_left_alone():
    for text in ("cau hoi ve tia sang", "xa Phu Lam", "BCT va BBT", "pctt ubnd mttq", "Quy chê giám sát",
                 "ngay nay", "the nay", "ban hang"):
        assert corrected(text) == text, text


def test_the_word_list_is_the_bundled_one():
    assert {"ngay", "nhieu", "cau"} <= syllables() and "ngya" not in syllables()
    assert "ngay" in one_edit("ngya") and "ngya" not in one_edit("ngya")


def test_reading_the_word_list_first_does_not_import_the_translation_pipeline():
    # A first question checked for typos before anything loaded the segmenter imported underthesea whole
    # (transformers and torch: seconds of that first answer). In a fresh interpreter:
    code = ("import sys; from service.retrieval.typos import syllables; assert 'ngay' in syllables(); "
            "print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))")
    root = Path(__file__).resolve().parents[3]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(root)})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_a_pair_is_two_words_in_a_row_opening_a_question():
    # "giao" after "thông báo" (a word ending in "báo"), or after a number, is no "giờ"
    assert corrected("thong bao 186 giao chi bo toi nhung viec gi") == "thong bao 186 giao chi bo toi nhung viec gi"
    assert corrected("thong bao giao chi bo toi nhung viec gi") == "thong bao giao chi bo toi nhung viec gi"
    assert corrected("phai nop bao nhiu ban") == "phai nop bao nhieu ban"
