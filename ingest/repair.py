"""Repair text as documents arrive: converter emphasis, footnote blocks in the middle of the page,
sentences cut by page breaks.

The output is the document's canonical text: the body with footnote blocks moved to the end (one
"(N) text" line each), so every later span — sections, sentences, citations — indexes this string.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import clean

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
FROM_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")

# `*text*`, `**text**` from Markdown converters: the asterisks are not document text.
_EMPHASIS = re.compile(r"(?<![\w*])\*{1,3}(?=\S)(.+?)(?<=\S)\*{1,3}(?![\w*])")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_FOOTNOTE_DEF = re.compile(r"^\s*(?:\((\d{1,3})\)|\[\^(\d{1,3})\]:|([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}))\s*(\S.*)$")
_SUPER_MARKER = re.compile(r"(?<=[\w”\"')\].,;:])([⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})")
_PAREN_MARKER = re.compile(r"(?<=\w)\((\d{1,3})\)|\[\^(\d{1,3})\]")
_TERMINAL = re.compile(r"[.!?:;…]['\"”’»)]*$")
_RULE = re.compile(r"^\s*[-_=*~.]{3,}\s*$")


@dataclass
class RepairedFootnote:
    number: int
    text: str
    start: int  # in the repaired text
    end: int


@dataclass
class Repaired:
    text: str
    body_end: int  # footnotes start after this offset
    footnotes: list[RepairedFootnote]


def _strip_emphasis(line: str) -> str:
    line = _MD_HEADING.sub("", line)
    prev = None
    while prev != line:
        prev, line = line, _EMPHASIS.sub(r"\1", line)
    return line


def _marker_numbers(text: str) -> set[int]:
    nums = {int(m.group(1).translate(FROM_SUPERSCRIPT)) for m in _SUPER_MARKER.finditer(text)}
    nums |= {int(m.group(1) or m.group(2)) for m in _PAREN_MARKER.finditer(text)}
    return nums


def _starts_lower(line: str) -> bool:
    for ch in line.lstrip("“\"'‘(«"):
        if ch.isalpha():
            return ch.islower()
        return False
    return False


def _looks_like_heading(line: str) -> bool:
    s = line.strip()
    return bool(
        re.match(r"^([IVX]{1,5}\s*[.\-–]|\d{1,2}(\.\d{1,2})*\s*[.\-–)]|[a-zđ]\)|Điều\s+\d|Chương\s|Mục\s+\d|-\s|\+\s)", s)
    ) or (s.isupper() and len(s) < 120)


def repair(raw: str, *, wrapped_lines: bool = False) -> Repaired:
    """Rebuild the running text. `wrapped_lines` is for PDF text layers, where every visual line
    ends in a newline: a line that does not end a sentence is then joined to the next."""
    lines = [_strip_emphasis(ln.rstrip()) for ln in clean(raw).split("\n")]
    markers_seen: set[int] = set()
    footnotes: dict[int, str] = {}
    # (line, blank lines before it, footnote block removed just before it)
    kept: list[tuple[str, int, bool]] = []
    gap, removed, i = 0, False, 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            gap += 1
            i += 1
            continue
        m = _FOOTNOTE_DEF.match(line)
        if m:
            num = int(m.group(1) or m.group(2) or m.group(3).translate(FROM_SUPERSCRIPT))
            if num in markers_seen and num not in footnotes:
                body = m.group(4).strip()
                # a footnote may run on over lines that continue its sentence
                while i + 1 < len(lines) and lines[i + 1].strip() and _starts_lower(lines[i + 1]):
                    i += 1
                    body += " " + lines[i].strip()
                footnotes[num] = body
                removed = True
                i += 1
                continue
        if _RULE.match(line) and not kept:
            pass  # keep decorative rules in the header: they are part of the document's face
        markers_seen |= _marker_numbers(line)
        kept.append((line.strip() if not line.startswith(" ") else line.strip(), gap, removed))
        gap, removed = 0, False
        i += 1

    paragraphs: list[tuple[str, int]] = []  # text, blank lines before
    for line, before, after_footnotes in kept:
        if paragraphs:
            prev, prev_gap = paragraphs[-1]
            open_end = not _TERMINAL.search(prev) and not _RULE.match(prev)
            join = open_end and (
                _starts_lower(line)
                or (after_footnotes and not _looks_like_heading(line))
                or (wrapped_lines and before == 0 and not _looks_like_heading(line) and not _looks_like_heading(prev))
            )
            if join and not (prev.isupper() and len(prev) < 120):
                paragraphs[-1] = (prev + " " + line, prev_gap)
                continue
        paragraphs.append((line, before))

    parts: list[str] = []
    for n, (text, before) in enumerate(paragraphs):
        if n:
            parts.append("\n" if before == 0 else "\n\n")
        parts.append(text)
    body = "".join(parts)
    out = body
    repaired: list[RepairedFootnote] = []
    for num in sorted(footnotes):
        out += "\n\n" if not repaired else "\n"
        prefix = f"({num}) "
        start = len(out) + len(prefix)
        out += prefix + footnotes[num]
        repaired.append(RepairedFootnote(num, footnotes[num], start, len(out)))
    return Repaired(text=out, body_end=len(body), footnotes=repaired)


def find_marker(text: str, number: int, *, limit: int) -> tuple[int, int] | None:
    """Where footnote `number` is referenced in text[:limit]: "¹", "(1)" glued to a word, or "[^1]"."""
    sup = str(number).translate(SUPERSCRIPT)
    for m in _SUPER_MARKER.finditer(text, 0, limit):
        if m.group(1) == sup:
            return m.start(1), m.end(1)
    for m in _PAREN_MARKER.finditer(text, 0, limit):
        if int(m.group(1) or m.group(2)) == number:
            return m.start(), m.end()
    return None
