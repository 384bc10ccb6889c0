"""Everyday words read as the documents' words (service.retrieval.colloquial), and through the parser."""
from __future__ import annotations

import pytest

from service.retrieval.colloquial import formal
from service.retrieval.query import parse_question


@pytest.mark.parametrize("typed, read", [
    ("em đang nghỉ đẻ thì sao", "em đang nghỉ thai sản thì sao"),
    ("nghi de co phai viet khong", "nghỉ thai sản co phai viet khong"),
    ("sếp cơ quan em", "người đứng đầu cơ quan em"),
    ("nhà có hỷ sự mời bao nhiêu người", "nhà có việc cưới mời bao nhiêu người"),
    ("báo cáo trong vòng 2 tiếng", "báo cáo trong vòng 2 giờ"),
    ("lớp 3 tiếng Anh", "lớp 3 tiếng Anh"),  # a language, not hours
    ("tân binh nhập ngũ ngày nào", "công dân nhập ngũ nhập ngũ ngày nào"),
])
def test_everyday_words_as_the_documents_say_them(typed, read):
    assert formal(typed) == read


def test_the_parser_reads_the_formal_word_and_keeps_how_it_was_typed():
    q = parse_question("nghi de thi co phai kiem diem khong")
    assert "thai sản" in q.expanded and q.typed_without_diacritics
