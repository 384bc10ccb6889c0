"""How close recognised text is to what was printed: the character error rate over the body, and
where a document's body begins."""
from __future__ import annotations

import difflib
import re


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def cer(reference: str, hypothesis: str, body_start: int = 0) -> float:
    """Character error rate over the reference from `body_start` on (the header before it — emblem,
    rules, two-column issuer and date — may be noise in a scan): edits from difflib's alignment
    (substitutions count the longer side, so an upper bound of the Levenshtein distance) over the
    body's length, whitespace collapsed."""
    ref, hyp = _norm(reference), _norm(hypothesis)
    start = len(ref) - len(_norm(reference[body_start:]))
    if len(ref) == start:
        return 0.0
    edits = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ref, hyp, autojunk=False).get_opcodes():
        if op != "equal" and i2 > start:
            edits += max(i2 - max(i1, start), j2 - j1 if i1 >= start else 0)
    return edits / (len(ref) - start)


def body_start(document, text: str) -> int:
    """Where the body begins in `text` (the document as read, before repairs): at the heading line
    of the built document's first section, else at its first body sentence."""
    starts = [(s.start, s.heading_end) for s in document.sections] or \
        [(s.start, s.end) for s in document.sentences if s.kind != "heading"]
    if not starts:
        return 0
    start, end = min(starts)
    found = text.find(document.text[start:end].split("\n")[0])
    return max(found, 0)
