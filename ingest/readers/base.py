"""What every reader shares: the record it returns, the error it raises, file names, content
sniffing and the text clean-up every format ends with."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_FILE_BYTES = 200 * 1024 * 1024  # any single input file
_MB = 1024 * 1024


@dataclass(frozen=True)
class Provenance:
    """How the text was obtained, when it is not simply the file's own Unicode text. Carried into
    citations: a quote from recognised text (`source == "ocr"`) must say so."""

    source: str = "text"  # "text": the file's text (or text layer) | "ocr": recognised from page images
    ocr_confidence: float | None = None  # mean Tesseract word confidence over the document, 0–1
    ocr_engine: str | None = None  # e.g. "tesseract 5.3.0 (vie)"
    converted_from: str | None = None  # "doc" | "odt" | "rtf": read through LibreOffice's .docx
    legacy_encodings: tuple[str, ...] = ()  # legacy code pages converted to Unicode: tcvn3, vni, viscii, cp1258

    def to_json(self) -> dict:
        return {"source": self.source, "ocr_confidence": self.ocr_confidence, "ocr_engine": self.ocr_engine,
                "converted_from": self.converted_from, "legacy_encodings": list(self.legacy_encodings)}


@dataclass
class RawDocument:
    source: str  # the file name (no directories)
    format: str  # "txt" | "md" | "docx" | "pdf" | "doc" | "odt" | "rtf"
    text: str  # NFC body text (front matter removed); "\n" line breaks; lines as in the file
    front_matter: dict = field(default_factory=dict)  # .md/.txt YAML block; keys lower-case; dates as ISO strings
    provenance: Provenance = field(default_factory=Provenance)


class ReadError(Exception):
    """A document that cannot be read. `message` is Vietnamese and names the file."""

    def __init__(self, source: str, code: str, message: str):
        super().__init__(source, code, message)  # args kept complete so the error pickles
        self.source = source
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"ReadError(source={self.source!r}, code={self.code!r}, message={self.message!r})"


# --------------------------------------------------------------------------------------------
# names, suffixes, common errors


def source_name(filename: str) -> str:
    name = re.split(r"[\\/]", str(filename))[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")  # NUL, controls
    return unicodedata.normalize("NFC", name.strip())


def suffix_of(name: str) -> str:
    base = name.rstrip(" .")  # "x.pdf." / "x.pdf " as Windows sees them
    return "." + base.rsplit(".", 1)[1].lower() if "." in base else ""


def hidden(name: str) -> bool:
    return name.startswith(".") or name.startswith("~$")


def empty(source: str, detail: str = "") -> ReadError:
    return ReadError(source, "empty", f"Tệp '{source}' trống, không có nội dung văn bản{detail}.")


def too_big(source: str, size: int) -> ReadError:
    return ReadError(
        source,
        "too_large",
        f"Tệp '{source}' quá lớn ({size // _MB} MB, giới hạn {MAX_FILE_BYTES // _MB} MB).",
    )


def binary(source: str) -> ReadError:
    return ReadError(source, "binary", f"Tệp '{source}' không phải tệp văn bản (chứa dữ liệu nhị phân).")


# --------------------------------------------------------------------------------------------
# content sniffing (the suffix is a claim; the bytes decide)

_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "ảnh PNG"),
    (b"\xff\xd8\xff", "ảnh JPEG"),
    (b"GIF87a", "ảnh GIF"),
    (b"GIF89a", "ảnh GIF"),
    (b"II*\x00", "ảnh TIFF"),
    (b"MM\x00*", "ảnh TIFF"),
)
_OTHER_MAGIC = (
    (b"\x1f\x8b", "tệp nén gzip"),
    (b"Rar!\x1a\x07", "tệp nén RAR"),
    (b"7z\xbc\xaf\x27\x1c", "tệp nén 7z"),
    (b"\x7fELF", "tệp chương trình"),
    (b"{\\rtf", "tệp RTF (định dạng Word cũ)"),
)
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_OOXML = "EncryptedPackage".encode("utf-16-le")

DOCX = "tệp Word (.docx)"
DOC = "tệp Word/Office đời cũ (.doc)"
RTF = "tệp RTF (định dạng Word cũ)"
ODT = "tệp OpenDocument (.odt)"
ENCRYPTED_OFFICE = "tệp Office được đặt mật khẩu"
ZIP = "tệp nén ZIP"


def is_pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]


def is_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def describe_content(data: bytes) -> str | None:
    """What a file's content looks like ("tệp PDF", "ảnh PNG", "tệp Word (.docx)"…), in Vietnamese, or None."""
    head = data[:16]
    if data.startswith(b"%PDF-"):
        return "tệp PDF"
    if is_zip(data):
        from .archive import package_kind

        return package_kind(data)
    if head.startswith(OLE2_MAGIC):
        if _ENCRYPTED_OOXML in data:
            return ENCRYPTED_OFFICE
        return DOC
    for magic, what in _IMAGE_MAGIC:
        if head.startswith(magic):
            return what
    if head.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "ảnh WebP"
    for magic, what in _OTHER_MAGIC:
        if head.startswith(magic):
            return what
    start = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html")):
        return "trang web (HTML)"
    return None


def wrong_content(source: str, desc: str, expected: str) -> str:
    """The message for a file whose content is `desc` although its suffix promised `expected`."""
    hint = ""
    if desc.startswith("ảnh"):
        hint = " Hãy chạy OCR để có văn bản trước."
    elif desc == "tệp PDF":
        hint = " Hãy đổi phần mở rộng thành .pdf."
    elif desc == DOCX:
        hint = " Hãy đổi phần mở rộng thành .docx."
    elif desc == DOC:
        hint = " Hãy đổi phần mở rộng thành .doc."
    elif desc == RTF:
        hint = " Hãy đổi phần mở rộng thành .rtf."
    elif desc == ODT:
        hint = " Hãy đổi phần mở rộng thành .odt."
    return f"Tệp '{source}' không phải {expected} mà là {desc}.{hint}"


# --------------------------------------------------------------------------------------------
# text normalisation shared by every format

_LINE_BREAKS = re.compile(r"\r\n?|[\v\f\x85\u2028\u2029]")
_INVISIBLE = re.compile(
    "[\ufeff\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069"  # BOM, zero-width, bidi controls
    "\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f"  # C0/C1 controls (not \t \n)
    "\ud800-\udfff\ufffe\uffff]"  # lone surrogates, non-characters
)


def clean(text: str) -> str:
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    return unicodedata.normalize("NFC", text)


# Mojibake left after repair: text of an old 8-bit Vietnamese code page read as Latin-1 that no
# encoding explains with confidence. Real Vietnamese has letters outside Latin-1 in almost every
# word (ư ơ đ ă ĩ ũ and U+1EA0–U+1EF9); mojibake has none and is full of Latin-1 letters Vietnamese
# never uses.
_VI_LATIN1 = set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
_BENIGN_LATIN1 = set("\u00a0«»°§±·×÷²³¹¼½¾©µ¶")
_FOREIGN_RE = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in range(0x80, 0x100)
                  if chr(c) not in _VI_LATIN1 and chr(c) not in _BENIGN_LATIN1) + "]"
)
_VI_STRONG_RE = re.compile("[ĂăĐđĨĩŨũƠơƯư\u1ea0-\u1ef9]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_FOREIGN_WORD_RE = re.compile(r"\S*" + _FOREIGN_RE.pattern + r"\S*")


def mojibake_sample(text: str) -> str | None:
    text = text[:200_000]  # plenty to decide on
    foreign = _FOREIGN_RE.subn("", text)[1]
    if foreign < 8:  # the common case, decided at C speed
        return None
    strong = _VI_STRONG_RE.subn("", text)[1]
    letters = _LETTER_RE.subn("", text)[1]
    if foreign <= strong or foreign < 0.05 * letters:
        return None
    words = [m.group(0)[:20] for _, m in zip(range(2), _FOREIGN_WORD_RE.finditer(text))]
    return " ".join(words)


def finish(source: str, text: str, legacy: tuple[str, ...] = ()) -> tuple[str, tuple[str, ...]]:
    """Every reader's last step: legacy text shown as Latin-1 converted (before the clean-up, which
    would drop VISCII's letters in the C1 range), clean-up, then refuse what is empty or still
    garbage. Returns the text and every legacy encoding converted so far."""
    from .encodings import repair_surface

    text, repaired = repair_surface(text)
    text = clean(text)
    if not text.strip():
        raise empty(source)
    sample = mojibake_sample(text)
    if sample is not None:
        raise ReadError(
            source,
            "legacy_encoding",
            f"Tệp '{source}' chứa chữ bị lỗi mã (ví dụ \u201c{sample}\u201d) mà không xác định chắc chắn được bảng mã "
            "cũ (TCVN3, VNI, VISCII): văn bản gõ bằng bảng mã cũ đã bị chuyển sai sang Unicode. Hãy chuyển mã "
            "đúng sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey) rồi nạp lại.",
        )
    return text, tuple(dict.fromkeys((*legacy, *repaired)))
