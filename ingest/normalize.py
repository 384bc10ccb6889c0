"""One canonical form of Vietnamese text: NFC, one tone-mark placement, and an accent-folded twin.

Documents mix the old ("hoá", "thuỷ") and new ("hóa", "thủy") tone placements, sometimes in one
file; users type either, or no diacritics at all. Display text stays as written (quotes are
verbatim); only index and query tokens go through `canonical` and `fold`.
"""
from __future__ import annotations

import re
import unicodedata

# Invisible characters that converters and copy-paste leave behind; they split words silently.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

_TONES = "\u0301\u0300\u0309\u0303\u0323"  # sắc, huyền, hỏi, ngã, nặng


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """NFC, no invisible controls, no NUL, Unix newlines, no-break spaces as spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = _INVISIBLE.sub("", text).replace("\u00a0", " ")
    return nfc(text)


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for cp in range(0x00C0, 0x1EFF + 1):
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if len(base) == 1 and base != ch:
            table[cp] = base
    return table


_FOLD = _build_fold_table()


def fold(text: str) -> str:
    """Strip diacritics, đ → d. Maps one character to one character, so spans carry over."""
    return text.translate(_FOLD)


def is_folded(text: str) -> bool:
    """True when the text carries no Vietnamese diacritics at all (typed without accents)."""
    return fold(text) == text


# Old-style placement puts the tone on the last vowel of "oa", "oe", "uy" in an open syllable
# ("hoá", "thuỷ"); the canonical (new) style puts it on the first ("hóa", "thủy").
_OLD_STYLE = re.compile(r"([oOuU])([aAeEyY])([\u0301\u0300\u0309\u0303\u0323])(?![a-zA-Z\u0300-\u036f])")


def canonical(text: str) -> str:
    """NFC text with one tone-mark placement: hoá → hóa, thuỷ → thủy, Hoà → Hòa."""
    decomposed = unicodedata.normalize("NFD", text)
    if not any(t in decomposed for t in _TONES):
        return nfc(text)

    def move(m: re.Match[str]) -> str:
        first, second, tone = m.group(1), m.group(2), m.group(3)
        # "qu" + y is a consonant cluster + vowel ("quý" keeps its tone on y).
        start = m.start()
        if first in "uU" and start > 0 and decomposed[start - 1] in "qQ":
            return m.group(0)
        return first + tone + second

    return nfc(_OLD_STYLE.sub(move, decomposed))


def key(text: str) -> str:
    """Comparison key: canonical, lower case, whitespace collapsed, `*` dropped."""
    return re.sub(r"\s+", " ", canonical(text).replace("*", "")).strip().lower()
