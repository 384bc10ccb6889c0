"""Everyday words for what Party documents say formally — "nghỉ đẻ" for "nghỉ thai sản", "sếp" for
"người đứng đầu", "hỷ sự" for "việc cưới" — read as the documents' words before a question is parsed.

Written by hand because no paraphrase model runs offline here (the one embedding model that reads
Vietnamese, e5-small, did not earn its cost: README, "Dense retrieval"). Each entry is a word users
type for one formal word, whatever the document; a word with several formal senses is not listed.
Typed without diacritics, a word is matched folded (the formal word replaces it with diacritics, as
the abbreviations do)."""
from __future__ import annotations

import re

from ingest.normalize import fold

# everyday word (as typed with diacritics) → the documents' word
COLLOQUIAL: dict[str, str] = {
    "nghỉ đẻ": "nghỉ thai sản",
    "sếp": "người đứng đầu",
    "vinh danh": "khen thưởng",
    "biếu xén": "quà tặng",
    "hỷ sự": "việc cưới",
    "đám cưới": "việc cưới",
    "cưới xin": "việc cưới",
    "tân binh": "công dân nhập ngũ",
    "lời hứa": "cam kết",
    "làm gương": "nêu gương",
    "tiền nong": "tiền",
    "giữ két": "thủ quỹ",
    "tiếng đồng hồ": "giờ",
    "bà con": "người dân",
}
_ACCENTED = re.compile(r"(?<!\w)(" + "|".join(re.escape(k) for k in sorted(COLLOQUIAL, key=len, reverse=True)) + r")(?!\w)",
                       re.I)
_FOLDED = {fold(k): v for k, v in COLLOQUIAL.items()}
_FOLDED_RX = re.compile(r"(?<!\w)(" + "|".join(re.escape(k) for k in sorted(_FOLDED, key=len, reverse=True)) + r")(?!\w)")
# "1 tiếng", "2 tiếng rưỡi": hours, as the documents count them ("trong vòng 01 giờ")
_HOURS = re.compile(r"(?<=\d)\s+(?:tiếng|tieng)(?!\s+(?:anh|việt|viet|nói|noi|dân tộc|dan toc))(?!\w)", re.I)


def formal(text: str) -> str:
    """The question with its everyday words as the documents say them."""
    text = _ACCENTED.sub(lambda m: COLLOQUIAL[m.group(1).lower()], text)
    # typed without diacritics: only words typed folded ("nghi de"), never an accented word folding alike
    text = _FOLDED_RX.sub(lambda m: _FOLDED[m.group(1)], text)
    return _HOURS.sub(" giờ", text)
