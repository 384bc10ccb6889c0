"""Provinces a text names. A question about another province's documents must be told the store
has none, not answered with the nearest province's deadlines; that needs to know which provinces
the stored documents speak of and which one a question names.

Matching is on accent-folded, lower-case text (users type without diacritics). A name counts only
as a province: after "tỉnh", "Tỉnh ủy", "thành phố", "Thành ủy", "Đảng bộ tỉnh" or written with
capitals, so "tự diễn biến" is not Điện Biên.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from .normalize import fold

_LEAD = r"(?:tinh uy|tinh|thanh uy|thanh pho|tp\.?|dang bo tinh|dang bo thanh pho|ubnd tinh|uy ban nhan dan tinh)"


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """folded name → name as written."""
    lines = resources.files("ingest").joinpath("data/provinces.txt").read_text("utf-8").splitlines()
    names = [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]
    return {" ".join(fold(n).lower().replace("-", " ").split()): n for n in names}


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    alts = "|".join(re.escape(k).replace(r"\ ", r"[\s-]+") for k in sorted(_names(), key=len, reverse=True))
    return re.compile(rf"(?<![0-9a-z])(?P<lead>{_LEAD}\s+)?(?P<name>{alts})(?![0-9a-z])")


def provinces_in(text: str) -> list[str]:
    """Province names the text uses as names (after an administrative word, or capitalised)."""
    low = fold(text).lower()
    out: list[str] = []
    for m in _pattern().finditer(low):
        written = text[m.start("name"):m.end("name")]
        if not m.group("lead") and not written[:1].isupper():
            continue
        name = _names()[" ".join(m.group("name").replace("-", " ").split())]
        if name not in out:
            out.append(name)
    return out
