"""Scoring formulas that read the question's words (service/retrieval/scoring.py)."""
from __future__ import annotations

import pytest

from ingest.normalize import fold
from service.retrieval.scoring import asked_size, size_fit


def _f(text: str) -> str:
    return fold(text).lower()


@pytest.mark.parametrize("rule, size, fit", [
    ("chi bộ có trên 50 đảng viên được kéo dài", 64, 1),
    ("chi bộ có trên 50 đảng viên được kéo dài", 50, -1),
    ("chi bộ có dưới 10 đảng viên sinh hoạt ghép", 8, 1),
    ("chi bộ có từ 30 đảng viên trở lên thì bầu chi ủy", 30, 1),
    ("chi bộ có từ 30 đảng viên trở lên thì bầu chi ủy", 29, -1),
    ("tổ có không quá 15 hộ", 20, -1),
    ("mỗi chi bộ sinh hoạt hằng tháng", 20, 0),
])
def test_a_size_condition_holds_or_fails_for_the_asked_size(rule, size, fit):
    asked = asked_size(_f(f"Chi bộ có {size} đảng viên thì sao?")) if "hộ" not in rule else asked_size(_f(f"Tổ có {size} hộ thì sao?"))
    assert size_fit(asked, _f(rule)) == fit


def test_no_size_asked_decides_nothing():
    assert asked_size(_f("Chi bộ phải đại hội xong trước ngày nào?")) is None
    assert size_fit(None, _f("chi bộ có trên 50 đảng viên")) == 0
