"""Typos in the words a question turns on: "ra ngya bao nhieu" asks "ra ngày bao nhiêu", "bao nhiu"
is "bao nhiêu". Only question words are corrected — a cue decides the kind of answer, and one typo
there turns a metadata question into a refusal; topic words need no correction (search matches them
by syllables and bigrams, and a wrong "correction" of a name would be worse than none).

Written here rather than taken from a spelling library: no Vietnamese spell checker is packaged
offline, and the correction needed is narrow — one edit towards a known cue word. A typed word is
corrected only when it is no Vietnamese syllable at all (underthesea's bundled Viet74K word list
says which are), or, after the first word of a two-word cue ("bao …", "ngày …"), when one edit makes
the second word ("nhiu" is a word — "nhíu" — but "bao nhiu" is "bao nhiêu").
"""
from __future__ import annotations

import functools
import re
from importlib import resources

from ingest.normalize import fold
from ingest.tokenize import ABBREVIATIONS, underthesea

from .cues import CUE_VOCAB

# Two-word cues whose second word is corrected after its first: (first, second), folded.
# Only "bao …": after "ngày", "thế", "bán" one edit also reaches real phrases ("ngày nay", "thế này",
# "bán hàng") that a correction would turn into another question.
PAIRS = (("bao", "nhieu"), ("bao", "lau"), ("bao", "gio"))
# Words ending in the pair's first syllable: after them it opens no question ("thông báo giao …",
# "đảm bảo giao …" — "giao" is no "giờ").
_ENDS_IN_FIRST = frozenset({"thong bao", "canh bao", "dam bao", "tinh bao"})
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_WORD = re.compile(r"[^\W\d_]+")


@functools.lru_cache(maxsize=1)
def syllables() -> frozenset[str]:
    """Every Vietnamese syllable (folded, lower case) of underthesea's bundled word list."""
    # The package imported as the tokenizer imports it (without its optional pipelines): imported here
    # first, by `resources.files`, it pulled in transformers and torch (6-13 s of a first question).
    underthesea()
    path = resources.files("underthesea") / "corpus" / "data" / "Viet74K.txt"
    with path.open(encoding="utf-8") as f:
        words = set(f.read().split())  # 12k distinct of its 74k entries' words: each folded once (3× faster)
    return frozenset(fold(w).lower() for w in words)


@functools.lru_cache(maxsize=1)
def _cues() -> frozenset[str]:
    return frozenset(fold(w).lower() for w in CUE_VOCAB if " " not in w and len(fold(w)) >= 2)


def one_edit(word: str) -> set[str]:
    """Words one transposition, deletion, insertion or substitution away (a-z only)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + b[1:] for a, b in splits if b}
    out |= {a + c + b for a, b in splits for c in _LETTERS}
    out |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    return out - {word}


def _fix(word: str, vocab: frozenset[str] | set[str]) -> str | None:
    found = one_edit(word) & vocab
    return next(iter(found)) if len(found) == 1 else None


def corrected(text: str) -> str:
    """`text` with the typos in its question words corrected (folded: "ngya" → "ngay"); unchanged when
    it has none. Words with diacritics are left alone: whoever types them is not typing in a hurry."""
    out: list[str] = []
    at = 0
    prev = before = ""
    prev_end = 0
    for m in _WORD.finditer(text):
        word = m.group(0)
        low = word.lower()
        fix = None
        if text[prev_end:m.start()].strip():
            prev = before = ""  # "thông báo 186 giao": a number or a mark between, no pair
        # Acronyms and abbreviations are no typos ("BCT", "pctt"): the expansion reads them.
        if low.isascii() and len(low) >= 3 and not word.isupper() and low not in ABBREVIATIONS:
            pair = [second for first, second in PAIRS if first == prev and f"{before} {prev}" not in _ENDS_IN_FIRST]
            if pair and low not in pair:
                fix = _fix(low, set(pair))
            if fix is None and low not in syllables():
                fix = _fix(low, _cues())
        if fix is not None:
            out.append(text[at:m.start()] + fix)
            at = m.end()
        before, prev, prev_end = prev, fix or fold(low), m.end()
    return "".join(out) + text[at:] if out else text
