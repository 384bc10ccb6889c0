"""Validate an uploaded document before anything is stored (CONTRACT `POST /api/documents`).

The order is cheapest first, and nothing touches the store or the filesystem:
1. size (``SOTAY_UPLOAD_MAX_MB``, default 20 MB);
2. the type, from the content, not the name: ``%PDF-`` → PDF; a ZIP package holding
   ``word/document.xml`` → .docx; anything else a known binary (images, other Office files, archives)
   is refused; the rest must be UTF-8 text (``.md`` when named so or when it opens with a YAML front
   matter, else ``.txt``);
3. ``.docx`` zip-bomb guard: entry count, total uncompressed size, compression ratio — read from the
   ZIP directory without inflating anything (Python's zipfile never inflates past a member's declared
   size, so the declared sizes bound the work);
4. the reader (``ingest.readers.read_bytes``) with the PDF page limit (``SOTAY_UPLOAD_MAX_PAGES``).

The file name is only a label: :func:`display_name` reduces it to a short, printable name; it is
never used as a path. Every refusal is a :class:`UserError` with a Vietnamese message and the
reader's code: 413 ``too_large``; 415 ``unsupported`` / ``binary``; 422 for content that is
unreadable (``empty``, ``corrupt``, ``encrypted``, ``no_text_layer``, ``legacy_encoding``,
``front_matter``).
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from ingest.readers import RawDocument, ReadError, describe_content, read_bytes

from ..config import Settings
from ..knowledge import KnowledgeBase
from ..errors import UserError
from ..records import IngestItem

_MB = 1024 * 1024
MAX_NAME = 120
DEFAULT_NAME = "tai-lieu"

STATUS = {"too_large": 413, "unsupported": 415, "binary": 415}  # the other reader codes: 422


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int = 20 * _MB
    max_pages: int = 500
    zip_max_entries: int = 2_000  # a real .docx has a few dozen parts
    zip_max_uncompressed: int = 100 * _MB
    zip_max_ratio: int = 100  # uncompressed / compressed of the whole package, past zip_ratio_floor
    zip_ratio_floor: int = 5 * _MB

    @classmethod
    def from_settings(cls, settings: Settings) -> "UploadLimits":
        return cls(max_bytes=settings.upload_max_mb * _MB, max_pages=settings.upload_max_pages)


def display_name(filename: str | None) -> str:
    """A label for an uploaded file: the last path component, NFC, without control, format
    (bidi overrides, zero-width) or separator characters other than a plain space, without
    leading/trailing dots and spaces, at most MAX_NAME characters (the suffix kept)."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch if unicodedata.category(ch)[0] not in "CZ" else (" " if ch.isspace() or ch == "\u00a0" else "")
                   for ch in name)
    name = re.sub(r" +", " ", name).strip(" .")
    if len(name) > MAX_NAME:
        stem, dot, suffix = name.rpartition(".")
        if dot and 0 < len(suffix) <= 8:
            name = stem[: MAX_NAME - len(suffix) - 1].rstrip(" .") + "." + suffix
        else:
            name = name[:MAX_NAME].rstrip(" .")
    return name or DEFAULT_NAME


def refuse(code: str, message: str) -> UserError:
    return UserError(code, message, STATUS.get(code, 422))


def _with_suffix(name: str, fmt: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    base = stem if dot and stem and suffix.isalnum() and len(suffix) <= 8 else name
    return f"{base}.{fmt}"


_FRONT_MATTER = re.compile(rb"\A(?:\xef\xbb\xbf)?---[ \t]*\r?\n")


def sniff(data: bytes, name: str, limits: UploadLimits) -> str:
    """The format of an upload from its content: "pdf", "docx", "md" or "txt"; refuses the rest."""
    if b"%PDF-" in data[:1024]:  # as the PDF reader itself accepts it (junk before the header is common)
        return "pdf"
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        check_zip(data, name, limits)  # before anything reads a member
        desc = describe_content(data)
        if desc == "tệp Word (.docx)":
            return "docx"
        raise _not_a_document(name, desc or "tệp nén ZIP")
    desc = describe_content(data)
    if desc is not None:
        raise _not_a_document(name, desc)
    if name.lower().endswith((".md", ".markdown")) or _FRONT_MATTER.match(data):
        return "md"
    return "txt"


def _not_a_document(name: str, desc: str) -> UserError:
    if "mật khẩu" in desc:
        return refuse("encrypted", f"Tệp '{name}' là {desc}; hãy gỡ mật khẩu rồi tải lên lại.")
    hint = ""
    if desc.startswith("ảnh"):
        hint = " Hãy chạy OCR để có văn bản trước."
    elif any(x in desc for x in ("(.doc)", "RTF", "OpenDocument")):
        hint = " Hãy mở bằng Word và lưu lại dưới dạng .docx."
    return refuse("unsupported", f"Tệp '{name}' là {desc}, không phải văn bản; chỉ nhận .txt, .md, .docx, .pdf.{hint}")


def check_zip(data: bytes, name: str, limits: UploadLimits) -> None:
    """Zip-bomb guard from the central directory alone."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except Exception:
        raise refuse("corrupt", f"Tệp '{name}' bị hỏng (gói ZIP bị cắt cụt hoặc hỏng); hãy mở bằng Word và lưu lại.") from None
    if len(infos) > limits.zip_max_entries:
        raise refuse("too_large", f"Tệp '{name}' chứa quá nhiều thành phần ({len(infos)}, giới hạn "
                                  f"{limits.zip_max_entries}); không đọc để tránh tệp nén độc hại.")
    total = sum(max(i.file_size, 0) for i in infos)
    if total > limits.zip_max_uncompressed:
        raise refuse("too_large", f"Tệp '{name}' khi giải nén lớn {total // _MB} MB, vượt giới hạn "
                                  f"{limits.zip_max_uncompressed // _MB} MB; không đọc để tránh tệp nén độc hại.")
    packed = max(sum(max(i.compress_size, 0) for i in infos), 1)
    if total > limits.zip_ratio_floor and total > limits.zip_max_ratio * packed:
        raise refuse("too_large", f"Tệp '{name}' có tỉ lệ nén bất thường ({total // packed}:1, giới hạn "
                                  f"{limits.zip_max_ratio}:1); không đọc để tránh tệp nén độc hại.")


def validate_upload(data: bytes, filename: str | None, limits: UploadLimits) -> RawDocument:
    """An upload's bytes → a read document, or a UserError saying why not (nothing is stored)."""
    name = display_name(filename)
    if len(data) > limits.max_bytes:
        raise refuse("too_large", f"Tệp '{name}' quá lớn ({len(data) / _MB:.1f} MB, giới hạn "
                                  f"{limits.max_bytes // _MB} MB).")
    if not data.strip():
        raise refuse("empty", f"Tệp '{name}' trống, không có nội dung văn bản.")
    fmt = sniff(data, name, limits)
    try:
        return read_bytes(data, _with_suffix(name, fmt), max_pdf_pages=limits.max_pages)
    except ReadError as e:
        raise refuse(e.code, e.message) from None


def ingest_upload(kb: KnowledgeBase, data: bytes, filename: str | None, limits: UploadLimits, *,
                  access: str | None = None) -> IngestItem:
    """Validate, then ingest. A refusal (here or in the parser) raises before the store is written."""
    raw = validate_upload(data, filename, limits)
    item = kb.ingest_raw(raw, access=access)
    if item.status == "error":
        raise refuse(item.code or "parse_failed", item.error or f"Không phân tích được tệp '{raw.source}'.")
    return item


__all__ = ["UploadLimits", "display_name", "sniff", "check_zip", "validate_upload", "ingest_upload"]
