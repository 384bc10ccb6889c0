"""Scanned PDFs: pages rendered to images (poppler's pdftoppm) and recognised by Tesseract with its
Vietnamese model (Debian: tesseract-ocr, tesseract-ocr-vie, poppler-utils), one page at a time,
each in its own process: the calling thread only waits, and the CPU work never holds our GIL.

The tesseract command line is called directly: pytesseract wraps exactly that command (and adds a
dependency), and ocrmypdf runs the same engine to produce a PDF whose text layer we would then have
to extract again, without the word confidences. Tesseract's own OpenMP threads are limited to one
per page so a scan does not take both cores from the service.
"""
from __future__ import annotations

import csv
import functools
import io
import os
import re
import unicodedata
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

DPI = 300  # Tesseract's recommended resolution; below ~200 dpi the diacritics go first
MAX_OCR_PAGES = 200  # a scan longer than this is refused (~5 s per page here: 200 pages ≈ 17 min)
PAGE_TIMEOUT_S = 180  # one page's rendering or recognition
LANG = "vie"


@dataclass(frozen=True)
class OcrResult:
    text: str  # pages joined by a blank line; lines as recognised
    confidence: float  # mean word confidence, 0–1
    engine: str  # "tesseract 5.3.0 (vie)"
    pages: int


def missing_tools() -> list[str]:
    """What OCR needs and is not installed: Debian package names."""
    missing = []
    if shutil.which("pdftoppm") is None:
        missing.append("poppler-utils")
    if shutil.which("tesseract") is None:
        missing.append("tesseract-ocr")
        missing.append("tesseract-ocr-vie")
    elif LANG not in _languages():
        missing.append("tesseract-ocr-vie")
    return missing


def _languages() -> set[str]:
    try:
        out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {line.strip() for line in out.splitlines()[1:]}


def _version() -> str:
    try:
        out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, timeout=30)
        first = (out.stdout or out.stderr).splitlines()[0]
        return f"{first.strip()} ({LANG})"
    except (OSError, subprocess.SubprocessError, IndexError):
        return f"tesseract ({LANG})"


class OcrError(Exception):
    pass


def ocr_pdf(data: bytes, n_pages: int, dpi: int = DPI) -> OcrResult:
    """Recognise every page of a PDF. Raises OcrError when a tool fails or times out."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    pages: list[str] = []
    confidences: list[float] = []
    with tempfile.TemporaryDirectory(prefix="sotay-ocr-") as tmp:
        pdf = Path(tmp, "in.pdf")
        pdf.write_bytes(data)
        for page in range(1, n_pages + 1):
            image = Path(tmp, f"p{page}")
            _run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                  str(pdf), str(image)], env)
            tsv = _run(["tesseract", f"{image}.png", "stdout", "-l", LANG, "--psm", "3", "tsv"], env)
            text, confs = _from_tsv(tsv)
            text = known_terms(roman_ones(vietnamese_letters(text)))
            Path(f"{image}.png").unlink(missing_ok=True)
            pages.append(text)
            confidences.extend(confs)
    mean = sum(confidences) / len(confidences) / 100 if confidences else 0.0
    text = roman_headings("\n\n".join(p for p in pages if p.strip()))
    return OcrResult(text, round(mean, 4), _version(), n_pages)


def _run(cmd: list[str], env: dict) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=PAGE_TIMEOUT_S, env=env)
    except subprocess.TimeoutExpired:
        raise OcrError(f"{cmd[0]}: quá {PAGE_TIMEOUT_S} giây") from None
    except OSError as e:
        raise OcrError(f"{cmd[0]}: {e.strerror}") from None
    if done.returncode != 0:
        raise OcrError(f"{cmd[0]}: {done.stderr.decode('utf-8', 'replace').strip()[-200:]}")
    return done.stdout.decode("utf-8", "replace")


SHORT_LINE = 0.8  # a line ending before this share of the text width ends its paragraph


def _from_tsv(tsv: str) -> tuple[str, list[float]]:
    """Tesseract's TSV (level, page, block, par, line, word, left, top, width, height, conf, text) →
    text, one line per paragraph, and the confidence of every recognised word. The page geometry
    says what plain text cannot: a line that reaches the text's right edge was wrapped, and the next
    one continues it (joined, unless it opens an item: "2.", "a)", "III-"…); a line that stops well
    short of the edge ends its paragraph (a blank line follows), as does the end of a block. So a
    wrapped "…Hướng dẫn số" / "15-HD/UBKTTU" is not read as item 15, and a header's "…năm 2023" is
    not joined to the "Số 222-KH/TU" under it."""
    lines: list[tuple[tuple[int, int, int], list[str], int, int]] = []  # key, words, left, right
    confs: list[float] = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") != "5":
            continue
        word = (row.get("text") or "").strip()
        if not word:
            continue
        key = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
        left, right = int(row["left"]), int(row["left"]) + int(row["width"])
        if not lines or lines[-1][0] != key:
            lines.append((key, [], left, right))
        k, words, lo, hi = lines[-1]
        words.append(word)
        lines[-1] = (k, words, min(lo, left), max(hi, right))
        try:
            conf = float(row.get("conf") or -1)
        except ValueError:
            conf = -1
        if conf >= 0:
            confs.append(conf)
    if not lines:
        return "", confs
    text_left = min(ln[2] for ln in lines)
    text_right = max(ln[3] for ln in lines)
    limit = text_left + SHORT_LINE * (text_right - text_left)
    out: list[str] = []
    for i, (key, words, _, right) in enumerate(lines):
        line = " ".join(words)
        prev = lines[i - 1] if i else None
        if prev is not None and prev[3] >= limit and prev[0][0] == key[0] and not _ITEM_START.match(line):
            out[-1] += " " + line  # the previous line was full: this one continues its sentence
        else:
            if prev is not None and (prev[3] < limit or prev[0][0] != key[0]):
                out.append("")  # a short line, or the end of a block, ends a paragraph
            out.append(line)
    return "\n".join(out), confs


# What starts a new item even right after a full line: "2.", "2.1.", "3-", "a)", "đ.", "II-", "-", "+", "•".
_ITEM_START = re.compile(r"(?:\d+(?:\.\d+)*[.)]|\d+-|[a-zđ][.)]|[IVXL]+[.-]|[-+•*])\s|(?:Điều|Chương|Mục|Phần)\s")


# Marks Vietnamese writes (tones, circumflex, breve, horn). Tesseract's Vietnamese model now and then
# puts others on a letter ("Chương Ï", "QĐÐ" with an Icelandic eth): a Latin letter carrying a mark
# outside this set is read as its base letter, and eth as đ.
_VI_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"}
_NON_VI = re.compile(r"[À-ɏ]")


def vietnamese_letters(text: str) -> str:
    def fix(m: re.Match) -> str:
        ch = m.group(0)
        if ch in "Ðð":
            before = m.string[m.start() - 1:m.start()]
            if before in ("Đ", "đ"):  # "QĐÐ": the same letter read twice
                return ""
            return "Đ" if ch == "Ð" else "đ"
        d = unicodedata.normalize("NFD", ch)
        if len(d) == 1 or all(c in _VI_MARKS for c in d[1:]):
            return ch
        return unicodedata.normalize("NFC", d[0] + "".join(c for c in d[1:] if c in _VI_MARKS))
    return _NON_VI.sub(fix, text)


_ROMAN_ONE = re.compile(r"\b(?=[IVX1]*[IVX])([IVX]*1[IVX1]*)(?=[/.)-])")


def roman_ones(text: str) -> str:
    """A "1" inside a Roman numeral before "/", "-", "." or ")" ("quý I1/2025", "I1-") is the letter I."""
    return _ROMAN_ONE.sub(lambda m: m.group(1).replace("1", "I"), text)


_ROMAN_HEADING = re.compile(r"^([IVX]+)([.-] )", re.M)
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]


def roman_headings(text: str) -> str:
    """Adjacent serif capitals I merge in Tesseract's eyes: "III-" comes out "II-". The document's
    own top-level headings ("I-", "II-", "III-" at line starts) count up one by one, so a heading
    that is the expected numeral with one I missing is the expected numeral. Any other break in
    the sequence is left as read."""
    expected = 0
    out, pos = [], 0
    for m in _ROMAN_HEADING.finditer(text):
        numeral = m.group(1)
        if numeral not in _ROMAN:
            continue
        value = _ROMAN.index(numeral) + 1
        if value != expected + 1 and expected < len(_ROMAN) and "I" in _ROMAN[expected] and \
                _ROMAN[expected].replace("I", "", 1) == numeral:
            out.append(text[pos:m.start(1)] + _ROMAN[expected])
            pos = m.end(1)
            value = expected + 1
        expected = value
    return "".join(out) + text[pos:]


_FIXED_WORDS = Path(__file__).resolve().parents[1] / "data" / "fixed_words.txt"


@functools.cache
def _terms() -> tuple[re.Pattern, dict[str, str]] | None:
    """The Party bodies and terms of ingest/data/fixed_words.txt, by their accent-folded form."""
    from ..normalize import fold

    try:
        lines = _FIXED_WORDS.read_text("utf-8").splitlines()
    except OSError:
        return None
    terms = {fold(t).lower(): t for t in (ln.strip() for ln in lines) if t and not t.startswith("#") and " " in t}
    if not terms:
        return None
    alternatives = "|".join(re.escape(k) for k in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.I), terms


def known_terms(text: str) -> str:
    """Tesseract's language model now and then moves a tone mark in a frequent term ("chỉ bộ" for
    "chi bộ"): a span whose letters are a known term's but whose diacritics differ is written as
    the term (its first letter's case kept). Folding keeps offsets, so spans map one to one."""
    from ..normalize import fold

    found = _terms()
    if found is None:
        return text
    pattern, terms = found
    out, pos = [], 0
    for m in pattern.finditer(fold(text)):
        span = text[m.start():m.end()]
        term = terms[m.group(0).lower()]
        if span.lower() == term.lower() or len(span) != len(term):
            continue
        fixed = "".join(t.upper() if s.isupper() else t.lower() for s, t in zip(span, term))
        out.append(text[pos:m.start()] + fixed)
        pos = m.end()
    return "".join(out) + text[pos:]
