"""Unicode → legacy Vietnamese bytes, for fixtures. Built apart from the product's decoder: TCVN3 and
VISCII through glibc's iconv (the system's charmaps), VNI composed from each letter's diacritics by
the VNI-Windows layout, Windows-1258 through Python's codec with tone marks decomposed."""
from __future__ import annotations

import functools
import subprocess
import unicodedata

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


@functools.cache
def _iconv_map(charset: str) -> dict[str, int]:
    """char → byte, from glibc decoding every single byte of `charset`."""
    out: dict[str, int] = {}
    for b in range(256):
        r = subprocess.run(["iconv", "-f", charset, "-t", "UTF-8"], input=bytes([b]), capture_output=True)
        if r.returncode == 0:
            s = r.stdout.decode("utf-8")
            if len(s) == 1:
                out.setdefault(s, b)
    return out


def to_tcvn3(text: str) -> bytes:
    """TCVN3 as .VnTime users type it (VN3): capitals with a tone are not in the set, so they are
    typed as the lower-case letter (the .VnTimeH font draws them as capitals)."""
    table = _iconv_map("TCVN5712-1")
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        b = table.get(ch)
        if b is None or (b < 0xA1 and not ch.isascii()):
            b = table.get(ch.lower())
        if b is None:
            out += ch.encode("cp1252")
        else:
            out.append(b)
    return bytes(out)


def to_viscii(text: str) -> bytes:
    table = _iconv_map("VISCII")
    return bytes(table[ch] if ch in table else ch.encode("latin-1")[0]
                 for ch in unicodedata.normalize("NFC", text))


# VNI-Windows: base letter + one mark byte (lower-case forms; capitals use the upper-case byte).
_VNI_MARK = {
    ("", "\u0301"): "ù", ("", "\u0300"): "ø", ("", "\u0309"): "û", ("", "\u0303"): "õ", ("", "\u0323"): "ï",
    ("\u0302", ""): "â", ("\u0302", "\u0301"): "á", ("\u0302", "\u0300"): "à", ("\u0302", "\u0309"): "å",
    ("\u0302", "\u0303"): "ã", ("\u0302", "\u0323"): "ä",
    ("\u0306", ""): "ê", ("\u0306", "\u0301"): "é", ("\u0306", "\u0300"): "è", ("\u0306", "\u0309"): "ú",
    ("\u0306", "\u0303"): "ü", ("\u0306", "\u0323"): "ë",
}
_VNI_SINGLE = {"ơ": "ô", "ư": "ö", "đ": "ñ", "ỉ": "æ", "ĩ": "ó", "ị": "ò", "í": "í", "ì": "ì"}


def to_vni_text(text: str) -> str:
    """VNI as the Windows-1252 text a VNI-Times run holds."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        low = ch.lower()
        upper = ch != low
        if low in _VNI_SINGLE:
            out.append(_VNI_SINGLE[low].upper() if upper else _VNI_SINGLE[low])
            continue
        d = unicodedata.normalize("NFD", low)
        if len(d) == 1:
            out.append(ch)
            continue
        base, marks = d[0], d[1:]
        tone = "".join(m for m in marks if m in _TONES)
        shape = "".join(m for m in marks if m not in _TONES)
        if shape == "\u031b":  # horn: ơ ư are single bytes, the tone follows
            head = _VNI_SINGLE[unicodedata.normalize("NFC", base + shape)]
            mark = _VNI_MARK[("", tone)] if tone else ""
        else:
            head, mark = base, _VNI_MARK[(shape, tone)]
        piece = head + mark
        out.append(piece.upper() if upper else piece)
    return "".join(out)


def to_vni(text: str) -> bytes:
    return to_vni_text(text).encode("cp1252")


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows wrote it: base letters (â ê ô ơ ư ă đ precomposed) plus
    combining tone marks. Python's cp1258 codec does not decompose by itself."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in d if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES))
        out.append((base + tones).encode("cp1258"))
    return b"".join(out)


ENCODERS = {"tcvn3": to_tcvn3, "vni": to_vni, "viscii": to_viscii, "cp1258": to_cp1258}


def surface(data: bytes) -> str:
    """Legacy bytes as the Windows-1252 text Word keeps in a legacy-font run (Latin-1 where 1252
    has a hole)."""
    return "".join(bytes([b]).decode("cp1252", "replace") if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else chr(b)
                   for b in data)


def tcvn3_mojibake(text: str) -> str:
    """TCVN3 text opened as Windows-1252 (what old converters and .VnTime Word files leave behind)."""
    return surface(to_tcvn3(text))


SAMPLE_VI = (
    "Ban Thường vụ Tỉnh ủy yêu cầu các cấp ủy, tổ chức đảng tiếp tục đẩy mạnh học tập và làm "
    "theo tư tưởng, đạo đức, phong cách Hồ Chí Minh; hoàn thành xây dựng kế hoạch trước ngày "
    "15/01/2024 và báo cáo kết quả về Ban Tuyên giáo Tỉnh ủy."
)
