"""The level of a document's issuer, read from its name (no store needed)."""
from __future__ import annotations

import pytest

from service.answers.support import issuer_level


@pytest.mark.parametrize("issuer, level", [
    ("Chi bộ Cơ quan Ủy ban nhân dân xã An Thạch", "xa"),  # "cơ quan Ủy ban" holds no "quận ủy"
    ("Ban Thường vụ Huyện ủy Kỳ Phong", "huyen"),
    ("Đảng ủy xã Phú Lâm", "xa"),
    ("Ban Thường vụ Tỉnh ủy Trà Giang", "tinh"),
    ("Ủy ban Kiểm tra Tỉnh ủy", "tinh"),
    ("Văn phòng Huyện ủy Hòa Mỹ, huyện Hòa Mỹ", "huyen"),
])
def test_issuer_level(issuer, level):
    assert issuer_level({"issuer": issuer}) == level


@pytest.mark.parametrize("word, text, stated", [
    ("lan thu", "Nghị quyết Hội nghị lần thứ năm Ban Chấp hành Đảng bộ huyện", True),
    ("lan thu", "Hội nghị lần thứ 12 của Ban Chấp hành", True),
    ("khoa", "Ban Chấp hành Đảng bộ tỉnh khóa XVII", True),
    ("lan thu", "Căn cứ Nghị quyết số 07-NQ/TU của Ban Chấp hành Đảng bộ tỉnh về chuyển đổi số", False),
    ("dot", "kết nạp đảng viên đợt hai năm 2026", True),
])
def test_an_ordinal_is_stated_only_with_its_value(word, text, stated):
    from service.answers.support import states_ordinal

    assert states_ordinal(word, text) is stated
