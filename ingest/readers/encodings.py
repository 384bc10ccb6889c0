"""Legacy Vietnamese encodings → Unicode: TCVN3 (ABC, the .VnTime fonts), VNI (VNI-Times fonts),
VISCII and Windows-1258, in raw bytes (old .txt files) and as "surface" text (the legacy bytes shown
as Windows-1252/Latin-1 characters: what Word stores for a run typed in a .VnTime font, what a PDF
text layer made from such fonts yields, what a wrong conversion saved as UTF-8 leaves: "TØnh ñy").

Why our own tables: Python has no TCVN3, VNI or VISCII codec. PyPI's `viparse` (0.1.31, measured in
the report of issue 18) has tables derived from real documents but leaves out letters its corpus
never showed (VNI ẳ/Ẳ), lower-cases every capital of a .VnTimeH run, and decides a document's
encoding as a whole (no mixed documents). The TCVN3 and VISCII tables below are glibc's charmaps
(`iconv -f TCVN5712-1`, `-f VISCII`), written as code points; VNI is built from its published
layout (a base letter followed by one mark character). tests/ingest/readers/test_encodings.py
checks every entry against glibc's iconv and every Vietnamese letter round-trip.

Deciding: the font name is the strongest signal (`font_encoding`); without one, each candidate
decoding is scored by the share of its words that are well-formed Vietnamese syllables
(`vietnamese_rate`: onset, vowel cluster, final, at most one tone, and only sắc/nặng before
c/ch/p/t), and the best must be both good and clearly ahead of the others, else the text is
refused (never stored as garbage).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

# Human names, for messages and the provenance record.
NAMES = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI", "viscii": "VISCII", "cp1258": "Windows-1258"}
BYTE_CANDIDATES = ("tcvn3", "vni", "viscii", "cp1258")  # raw bytes that are not UTF-8
SURFACE_CANDIDATES = ("tcvn3", "vni", "viscii")  # legacy bytes seen as Latin-1 / Windows-1252 text

# Decision thresholds. MIN_RATE: share of the evidence words that must be valid syllables in the
# chosen decoding (real Vietnamese scores 0.97–1.0 here; proper names and foreign words cost the
# rest). MIN_MARGIN: how far ahead of the next candidate it must be (a wrong table still makes some
# valid-looking syllables: VISCII read as TCVN3 scores ~0.3–0.5). MIN_EVIDENCE: fewer words than
# this with letters outside ASCII cannot decide anything.
MIN_RATE = 0.85
MIN_MARGIN = 0.25
MIN_EVIDENCE = 3
SAMPLE_CHARS = 300_000  # enough text to decide on; the decision is then applied to all of it

# --------------------------------------------------------------------------------------------
# tables

# TCVN 5712:1993 as glibc's TCVN5712-1 charmap, limited to the 0xA1–0xFF range: VN3 ("ABC", the
# .VnTime/.VnTimeH fonts) — lower-case letters and the seven capital base letters — plus the VN1
# capitals glibc places in that range. Not decoded: VN1's capitals in C0/0x80–0x9F (in a .VnTime
# file those bytes are Windows-1252 punctuation such as "–" “ ”) and its combining marks 0xB0–0xB4.
_TCVN3 = {
    0xA1: 0x0102, 0xA2: 0x00C2, 0xA3: 0x00CA, 0xA4: 0x00D4, 0xA5: 0x01A0, 0xA6: 0x01AF, 0xA7: 0x0110, 0xA8: 0x0103,
    0xA9: 0x00E2, 0xAA: 0x00EA, 0xAB: 0x00F4, 0xAC: 0x01A1, 0xAD: 0x01B0, 0xAE: 0x0111, 0xAF: 0x1EB0,
    0xB5: 0x00E0, 0xB6: 0x1EA3, 0xB7: 0x00E3, 0xB8: 0x00E1, 0xB9: 0x1EA1, 0xBA: 0x1EB2, 0xBB: 0x1EB1, 0xBC: 0x1EB3,
    0xBD: 0x1EB5, 0xBE: 0x1EAF, 0xBF: 0x1EB4, 0xC0: 0x1EAE, 0xC1: 0x1EA6, 0xC2: 0x1EA8, 0xC3: 0x1EAA, 0xC4: 0x1EA4,
    0xC5: 0x1EC0, 0xC6: 0x1EB7, 0xC7: 0x1EA7, 0xC8: 0x1EA9, 0xC9: 0x1EAB, 0xCA: 0x1EA5, 0xCB: 0x1EAD, 0xCC: 0x00E8,
    0xCD: 0x1EC2, 0xCE: 0x1EBB, 0xCF: 0x1EBD, 0xD0: 0x00E9, 0xD1: 0x1EB9, 0xD2: 0x1EC1, 0xD3: 0x1EC3, 0xD4: 0x1EC5,
    0xD5: 0x1EBF, 0xD6: 0x1EC7, 0xD7: 0x00EC, 0xD8: 0x1EC9, 0xD9: 0x1EC4, 0xDA: 0x1EBE, 0xDB: 0x1ED2, 0xDC: 0x0129,
    0xDD: 0x00ED, 0xDE: 0x1ECB, 0xDF: 0x00F2, 0xE0: 0x1ED4, 0xE1: 0x1ECF, 0xE2: 0x00F5, 0xE3: 0x00F3, 0xE4: 0x1ECD,
    0xE5: 0x1ED3, 0xE6: 0x1ED5, 0xE7: 0x1ED7, 0xE8: 0x1ED1, 0xE9: 0x1ED9, 0xEA: 0x1EDD, 0xEB: 0x1EDF, 0xEC: 0x1EE1,
    0xED: 0x1EDB, 0xEE: 0x1EE3, 0xEF: 0x00F9, 0xF0: 0x1ED6, 0xF1: 0x1EE7, 0xF2: 0x0169, 0xF3: 0x00FA, 0xF4: 0x1EE5,
    0xF5: 0x1EEB, 0xF6: 0x1EED, 0xF7: 0x1EEF, 0xF8: 0x1EE9, 0xF9: 0x1EF1, 0xFA: 0x1EF3, 0xFB: 0x1EF7, 0xFC: 0x1EF9,
    0xFD: 0x00FD, 0xFE: 0x1EF5, 0xFF: 0x1ED0,
}
# VISCII (RFC 1456) as glibc's charmap: the bytes that differ from Latin-1 (six C0 bytes and most of
# 0x80–0xFF); the other high bytes are the Latin-1 letters they look like.
_VISCII = {
    0x02: 0x1EB2, 0x05: 0x1EB4, 0x06: 0x1EAA, 0x14: 0x1EF6, 0x19: 0x1EF8, 0x1E: 0x1EF4, 0x80: 0x1EA0, 0x81: 0x1EAE,
    0x82: 0x1EB0, 0x83: 0x1EB6, 0x84: 0x1EA4, 0x85: 0x1EA6, 0x86: 0x1EA8, 0x87: 0x1EAC, 0x88: 0x1EBC, 0x89: 0x1EB8,
    0x8A: 0x1EBE, 0x8B: 0x1EC0, 0x8C: 0x1EC2, 0x8D: 0x1EC4, 0x8E: 0x1EC6, 0x8F: 0x1ED0, 0x90: 0x1ED2, 0x91: 0x1ED4,
    0x92: 0x1ED6, 0x93: 0x1ED8, 0x94: 0x1EE2, 0x95: 0x1EDA, 0x96: 0x1EDC, 0x97: 0x1EDE, 0x98: 0x1ECA, 0x99: 0x1ECE,
    0x9A: 0x1ECC, 0x9B: 0x1EC8, 0x9C: 0x1EE6, 0x9D: 0x0168, 0x9E: 0x1EE4, 0x9F: 0x1EF2, 0xA0: 0x00D5, 0xA1: 0x1EAF,
    0xA2: 0x1EB1, 0xA3: 0x1EB7, 0xA4: 0x1EA5, 0xA5: 0x1EA7, 0xA6: 0x1EA9, 0xA7: 0x1EAD, 0xA8: 0x1EBD, 0xA9: 0x1EB9,
    0xAA: 0x1EBF, 0xAB: 0x1EC1, 0xAC: 0x1EC3, 0xAD: 0x1EC5, 0xAE: 0x1EC7, 0xAF: 0x1ED1, 0xB0: 0x1ED3, 0xB1: 0x1ED5,
    0xB2: 0x1ED7, 0xB3: 0x1EE0, 0xB4: 0x01A0, 0xB5: 0x1ED9, 0xB6: 0x1EDD, 0xB7: 0x1EDF, 0xB8: 0x1ECB, 0xB9: 0x1EF0,
    0xBA: 0x1EE8, 0xBB: 0x1EEA, 0xBC: 0x1EEC, 0xBD: 0x01A1, 0xBE: 0x1EDB, 0xBF: 0x01AF, 0xC4: 0x1EA2, 0xC5: 0x0102,
    0xC6: 0x1EB3, 0xC7: 0x1EB5, 0xCB: 0x1EBA, 0xCE: 0x0128, 0xCF: 0x1EF3, 0xD0: 0x0110, 0xD1: 0x1EE9, 0xD5: 0x1EA1,
    0xD6: 0x1EF7, 0xD7: 0x1EEB, 0xD8: 0x1EED, 0xDB: 0x1EF9, 0xDC: 0x1EF5, 0xDE: 0x1EE1, 0xDF: 0x01B0, 0xE4: 0x1EA3,
    0xE5: 0x0103, 0xE6: 0x1EEF, 0xE7: 0x1EAB, 0xEB: 0x1EBB, 0xEE: 0x0129, 0xEF: 0x1EC9, 0xF0: 0x0111, 0xF1: 0x1EF1,
    0xF6: 0x1ECF, 0xF7: 0x1ECD, 0xF8: 0x1EE5, 0xFB: 0x0169, 0xFC: 0x1EE7, 0xFE: 0x1EE3, 0xFF: 0x1EEE,
}


def _vni_table() -> dict[str, str]:
    """VNI-Windows: a letter with a diacritic is its base letter followed by one mark byte (ơ ư đ and
    the i-family letters ỉ ĩ ị are single bytes). Built from the layout, in both cases."""
    marks = {  # mark byte (lower-case form) → the combining marks it adds
        "ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323",  # tones
        "â": "\u0302", "á": "\u0302\u0301", "à": "\u0302\u0300", "å": "\u0302\u0309", "ã": "\u0302\u0303",
        "ä": "\u0302\u0323",  # circumflex, alone or with a tone
        "ê": "\u0306", "é": "\u0306\u0301", "è": "\u0306\u0300", "ú": "\u0306\u0309", "ü": "\u0306\u0303",
        "ë": "\u0306\u0323",  # breve, alone or with a tone
    }
    tones = {"ù", "ø", "û", "õ", "ï"}
    table: dict[str, str] = {}

    def add(seq: str, letter: str) -> None:
        for s, out in ((seq, letter), (seq.upper(), letter.upper()), (seq[0].upper() + seq[1:], letter.upper())):
            table.setdefault(unicodedata.normalize("NFC", s), unicodedata.normalize("NFC", out))

    for base in "aeouy":
        for mark, combining in marks.items():
            if mark not in tones:
                if base == "a" or (base in "eo" and combining[0] == "\u0302"):
                    add(base + mark, base + combining)  # â ấ ầ…, ă ắ ằ…, ê ế…, ô ố…
                continue
            add(base + mark, base + combining)
    for single, letter in (("ô", "ơ"), ("ö", "ư")):  # ơ ư are one byte; their tones follow
        add(single, letter)
        for mark in tones:
            add(single + mark, letter + marks[mark])
    for single, letter in (("ñ", "đ"), ("æ", "ỉ"), ("ó", "ĩ"), ("ò", "ị")):
        add(single, letter)
    for mark in ("ù", "ø"):  # í ì are their own Latin-1 bytes; some typists wrote i + tone mark
        add("i" + mark, "i" + marks[mark])
    return table


_VNI = _vni_table()
_VNI_RE = re.compile("|".join(re.escape(k) for k in sorted(_VNI, key=len, reverse=True)))


def _byte_of(ch: str) -> int | None:
    """The legacy byte a surface character stands for (Windows-1252 first, as Word and PDF
    producers show them, then Latin-1, which keeps 0x80–0x9F as C1 characters)."""
    o = ord(ch)
    if o < 0x80:
        return o
    try:
        return ch.encode("cp1252")[0]
    except UnicodeEncodeError:
        return o if o < 0x100 else None


def _surface_map(table: dict[int, int]) -> dict[int, str]:
    """str.translate map from every character a legacy byte may be shown as (its Windows-1252 and
    its Latin-1 character) to the letter the table gives that byte."""
    out: dict[int, str] = {}
    for b, cp in table.items():
        for ch in {bytes([b]).decode("latin-1"), _cp1252(b)}:
            if _byte_of(ch) == b:  # VISCII's six C0 letters are themselves
                out[ord(ch)] = chr(cp)
    return out


def _byte_map(table: dict[int, int]) -> dict[int, str]:
    """str.translate map for raw bytes decoded as Latin-1: byte → the table's letter, or the
    Windows-1252 character (punctuation such as – “ ” in 0x80–0x9F) where the table has none."""
    return {b: chr(table[b]) if b in table else _cp1252(b) for b in range(0x80, 0x100)} | \
        {b: chr(table[b]) for b in table if b < 0x80}


def _table_surface(text: str, table: dict[int, int]) -> str:
    return text.translate(_SURFACE_MAPS[id(table)])


# A PDF text layer made from .VnTime fonts resolves two glyph codes through the font's encoding:
# 0xAD (ư) comes out as U+2212 MINUS SIGN and 0xB7 (ã) as U+2219 BULLET OPERATOR (viparse's finding
# over real PDFs). Next to a letter they are those letters.
_PDF_GLYPHS = re.compile(r"(?<=[^\W\d_])[\u2212\u2219]|[\u2212\u2219](?=[^\W\d_])")


def convert_surface(text: str, encoding: str) -> str:
    """Text whose characters are legacy bytes shown as Windows-1252/Latin-1 → Unicode NFC."""
    if encoding == "tcvn3":
        text = _PDF_GLYPHS.sub(lambda m: "\xad" if m.group(0) == "\u2212" else "\xb7", text)
        out = _table_surface(text, _TCVN3)
    elif encoding == "viscii":
        out = _table_surface(text, _VISCII)
    elif encoding == "vni":
        out = _VNI_RE.sub(lambda m: _VNI[m.group(0)], unicodedata.normalize("NFC", text))
    elif encoding == "cp1258":
        raw = bytes(b if (b := _byte_of(ch)) is not None else 0x3F for ch in text)
        out = raw.decode("cp1258", "replace")
    else:
        raise ValueError(encoding)
    return unicodedata.normalize("NFC", out)


def decode_bytes(data: bytes, encoding: str) -> str:
    """Raw legacy bytes → Unicode NFC."""
    if encoding == "tcvn3":
        text = data.decode("latin-1").translate(_BYTE_MAPS["tcvn3"])
    elif encoding == "viscii":  # every high byte is a letter (Latin-1's where the table has none)
        text = data.decode("latin-1").translate({b: chr(cp) for b, cp in _VISCII.items()})
    elif encoding == "vni":
        text = convert_surface(data.decode("cp1252") if _cp1252_ok(data) else _latin_1252(data), "vni")
    elif encoding == "cp1258":
        text = data.decode("cp1258", "replace")
    else:
        raise ValueError(encoding)
    return unicodedata.normalize("NFC", text)


def _cp1252(b: int) -> str:
    """Byte b as Windows-1252 shows it (Latin-1 where 1252 has no character)."""
    try:
        return bytes([b]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(b)


def _cp1252_ok(data: bytes) -> bool:
    try:
        data.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


def _latin_1252(data: bytes) -> str:
    return "".join(_cp1252(b) for b in data)


_SURFACE_MAPS = {id(_TCVN3): _surface_map(_TCVN3), id(_VISCII): _surface_map(_VISCII)}
_BYTE_MAPS = {"tcvn3": _byte_map(_TCVN3)}

# --------------------------------------------------------------------------------------------
# fonts

_SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")  # PDF subset prefix: "ABCDEF+.VnTime"


@dataclass(frozen=True)
class FontEncoding:
    encoding: str  # "tcvn3" | "vni"
    upper: bool  # a capitals-only font (.VnTimeH): everything typed in it shows in capitals


def font_encoding(font: str | None) -> FontEncoding | None:
    """The legacy encoding a font name implies: ".VnTime", ".VnArialH" → TCVN3 (H: capitals);
    "VNI-Times", "VNI-Helve" → VNI; anything else → None."""
    if not font:
        return None
    name = _SUBSET_TAG.sub("", font.strip())
    low = name.lower()
    if low.startswith(".vn"):
        return FontEncoding("tcvn3", name.rstrip().endswith("H"))
    if low.startswith(("vni-", "vni ", "vni_")):
        return FontEncoding("vni", False)
    return None


def convert_run(text: str, fe: FontEncoding) -> str:
    """A run typed in a legacy font → Unicode. A run that already holds letters only Unicode has
    (ă ơ ư đ ạ…, converted earlier with the font left as it was) is left as it is."""
    if not _UNICODE_ONLY_VI.search(text):
        text = convert_surface(text, fe.encoding)
    return text.upper() if fe.upper else text


_UNICODE_ONLY_VI = re.compile("[ĂăĐđĨĩŨũƠơƯư\u1ea0-\u1ef9]")

# --------------------------------------------------------------------------------------------
# is it Vietnamese?

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_ONSET = "(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnprstvx])?"
_GLIDE_CLUSTERS = ("ai ao au ay âu ây eo êu iu oi ôi ơi ui ưi ưu iêu yêu oai oao oay oeo uây uôi uyu ươi ươu "
                   "ia ua ưa uya").split()  # no final consonant after these
_OPEN_CLUSTERS = "a e ê i o ô ơ u ư y oa oe uê uy uơ oo".split()  # with or without a final
_CLOSED_CLUSTERS = "ă â iê yê uô ươ uâ uyê oă".split()  # a final consonant required
_SYLLABLE = re.compile(
    f"{_ONSET}(?:(?:{'|'.join(sorted(_GLIDE_CLUSTERS, key=len, reverse=True))})"
    f"|(?:{'|'.join(sorted(_OPEN_CLUSTERS, key=len, reverse=True))})(?:ch|ng|nh|[cmnpt])?"
    f"|(?:{'|'.join(sorted(_CLOSED_CLUSTERS, key=len, reverse=True))})(?:ch|ng|nh|[cmnpt]))"
)
_STOP_FINAL = re.compile("(?:c|ch|p|t)$")
_PALATAL = re.compile("([aăâeêioôơuưy]+)(?:ch|nh)$")
_EDGE = re.compile(r"^[^\w]+|[^\w]+$")


@functools.lru_cache(maxsize=65536)  # documents repeat their words: most checks are lookups
def is_syllable(word: str) -> bool:
    """Whether `word` (any case, any normal form) is a well-formed Vietnamese syllable."""
    d = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in d if c in _TONE_MARKS]
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONE_MARKS))
    if not _SYLLABLE.fullmatch(bare):
        return False
    if _STOP_FINAL.search(bare) and (not tones or tones[0] not in ("\u0301", "\u0323")):
        return False  # a syllable closed by c/ch/p/t carries sắc or nặng
    palatal = _PALATAL.search(bare)
    if palatal and palatal.group(1) not in ("a", "ê", "i", "y", "oa", "uê", "uy"):
        return False  # -nh / -ch follow only these vowels (anh, ênh, inh, oanh, uynh…)
    return True


def evidence_words(text: str) -> list[str]:
    """Words holding a letter outside ASCII (the only ones that tell encodings apart), edges stripped."""
    out = []
    for token in text.split():
        if token.isascii():
            continue
        word = _EDGE.sub("", token)
        if word and not word.isascii():
            out.append(word)
    return out


def vietnamese_rate(text: str) -> tuple[float, int]:
    """(share of evidence words that are Vietnamese syllables, number of evidence words)."""
    words = evidence_words(text)
    if not words:
        return 0.0, 0
    return sum(1 for w in words if is_syllable(w)) / len(words), len(words)


@dataclass(frozen=True)
class Verdict:
    encoding: str | None  # the decision, or None when undecided
    rate: float  # its share of valid syllables
    runner_up: float  # the next candidate's
    evidence: int  # words it was decided on


def _decide(scores: dict[str, tuple[float, int]]) -> Verdict:
    ranked = sorted(scores.items(), key=lambda kv: kv[1][0], reverse=True)
    (best, (rate, n)), runner = ranked[0], (ranked[1][1][0] if len(ranked) > 1 else 0.0)
    ok = rate >= MIN_RATE and rate - runner >= MIN_MARGIN and n >= MIN_EVIDENCE
    return Verdict(best if ok else None, rate, runner, n)


def detect_bytes(data: bytes) -> Verdict:
    """Which legacy encoding non-UTF-8 bytes are in (Verdict.encoding None: cannot tell)."""
    sample = data[:SAMPLE_CHARS]
    return _decide({enc: vietnamese_rate(decode_bytes(sample, enc)) for enc in BYTE_CANDIDATES})


# --------------------------------------------------------------------------------------------
# surface repair of Unicode text, line by line (mixed documents: a Unicode header, a TCVN3 body)

# Latin-1/Windows-1252 characters Vietnamese never uses: legacy bytes shown as Latin-1 text.
_VI_LATIN1 = set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
_BENIGN = set("\u00a0«»°§±·×÷²³¹¼½¾©µ¶®¬")  # common symbols; alone they prove nothing
_SURFACE = "".join(chr(c) for c in range(0x80, 0x100)) + "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ\u2212\u2219"
_FOREIGN = re.compile("[" + "".join(re.escape(c) for c in _SURFACE if c not in _VI_LATIN1 and c not in _BENIGN
                                    and not ("\u2018" <= c <= "\u201f") and c not in "–—…•") + "]")
_ANY_LEGACY = re.compile("[" + "".join(re.escape(c) for c in _SURFACE if c not in "\u00a0") + "]")


def repair_surface(text: str) -> tuple[str, tuple[str, ...]]:
    """Convert the lines of Unicode text that are legacy bytes shown as Latin-1 ("TØnh ñy"), when
    the document's evidence names one encoding with confidence; every other line is left as it is.
    Returns the text and the encodings applied."""
    if not _FOREIGN.search(text):
        return text, ()
    lines = text.splitlines(keepends=True)
    suspects = [i for i, line in enumerate(lines) if _FOREIGN.search(line)]
    sample = "".join(lines[i] for i in suspects)[:SAMPLE_CHARS]
    base, _ = vietnamese_rate(sample)
    scores = {enc: vietnamese_rate(convert_surface(sample, enc)) for enc in SURFACE_CANDIDATES}
    verdict = _decide(scores)
    if verdict.encoding is None or verdict.rate <= base:
        return text, ()
    enc = verdict.encoding
    better: dict[int, str] = {}  # lines that read better converted
    tied: dict[int, str] = {}  # lines that read as well either way ("Sè 222" / "Số 222")
    unicode_lines = 0
    for i, line in enumerate(lines):
        if _UNICODE_ONLY_VI.search(line):
            unicode_lines += 1  # already Unicode Vietnamese
            continue
        if not _ANY_LEGACY.search(line):
            continue  # plain ASCII
        converted = convert_surface(line, enc)
        if converted == line:
            continue
        before, n = vietnamese_rate(line)
        after, after_n = vietnamese_rate(converted)
        if n and after > before:
            better[i] = converted
        elif after >= before or after_n > n:  # as good, or legacy bytes that were not letters ("S¯")
            tied[i] = converted
    if not better:
        return text, ()
    if len(better) > unicode_lines:  # a legacy document (perhaps under a Unicode header): ties go with it
        better.update(tied)
    for i, converted in better.items():
        lines[i] = _restore_case(converted) if enc == "tcvn3" else converted
    return "".join(lines), (enc,)


def decode_legacy(data: bytes) -> tuple[str, str] | None:
    """Non-UTF-8 bytes → (Unicode text, encoding), or None when no encoding is certain. Lines that
    are valid UTF-8 on their own with letters outside ASCII (a Unicode header pasted above a legacy
    body) are kept as UTF-8."""
    lines = data.splitlines(keepends=True)
    legacy = [ln for ln in lines if _utf8_text(ln) is None]
    verdict = detect_bytes(b"".join(legacy))
    if verdict.encoding is None:
        return None
    enc = verdict.encoding
    out = []
    for ln in lines:
        as_utf8 = _utf8_text(ln)
        piece = decode_bytes(ln, enc)
        if enc == "tcvn3":
            piece = _restore_case(piece)
        # A line that happens to be valid UTF-8 ("ĐỊ" in VISCII is the bytes of Cyrillic "И") is
        # UTF-8 only if it reads at least as well as Vietnamese that way.
        if as_utf8 is not None and vietnamese_rate(as_utf8)[0] >= vietnamese_rate(piece)[0]:
            piece = as_utf8
        out.append(piece)
    return "".join(out), enc


def _utf8_text(line: bytes) -> str | None:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return None


_CAPS_WORD = re.compile(r"[^\W\d_]+")


def _restore_case(text: str) -> str:
    """TCVN3 (VN3) has no capital toned letters: a heading typed in the capitals font comes back
    with lower-case toned letters among capitals ("TỉNH ủY"). A word with a capital after its first
    letter is a capitals word; so is a word like "Vò" in a line of capitals words ("QUY ĐỊNH Vò")."""
    return "".join(_restore_line(line) for line in text.splitlines(keepends=True))


def _only_toned_lower(w: str) -> bool:
    lower = [c for c in w[1:] if c.islower()]
    return bool(lower) and all(not c.isascii() for c in lower) and w[0].isupper()


def _restore_line(line: str) -> str:
    words = _CAPS_WORD.findall(line)
    if not any(not c.isascii() and c.islower() for c in line):
        return line

    def capitals(w: str) -> bool:
        lower = [c for c in w if c.islower()]
        return any(c.isupper() for c in w[1:]) and bool(lower) and all(not c.isascii() for c in lower)

    fixed = [w.upper() if capitals(w) else w for w in words]
    caps_line = sum(1 for w in fixed if w.isupper() and not w.isascii()) >= 2 and all(
        w.isupper() or _only_toned_lower(w) for w in fixed if len(w) > 1)
    return _CAPS_WORD.sub(lambda m: m.group(0).upper() if capitals(m.group(0)) or (
        caps_line and _only_toned_lower(m.group(0))) else m.group(0), line)
