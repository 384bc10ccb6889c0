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
