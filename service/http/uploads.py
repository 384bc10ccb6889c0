"""Validate an uploaded document before anything is stored (CONTRACT `POST /api/documents`).

The order is cheapest first, and nothing touches the store or the filesystem:
1. size (``SOTAY_UPLOAD_MAX_MB``, default 20 MB);
2. the type, from the content, not the name: ``%PDF-`` → PDF; a ZIP package holding
   ``word/document.xml`` → .docx; anything else a known binary (images, other Office files, archives)
   is refused; the rest must be UTF-8 text (``.md`` when named so or when it opens with a YAML front
   matter, else ``.txt``);
3. ``.docx`` zip-bomb guard: entry count, total uncompressed size, compression ratio — read from the
   ZIP directory without inflating anything (a first screen only: the sizes a zip declares can lie;
   the reader counts the bytes it inflates);
4. the reader (``ingest.readers.read_bytes``) with the PDF page limit (``SOTAY_UPLOAD_MAX_PAGES``),
   then the parser, in the knowledge base's upload worker: a separate process with a time budget
   (``SOTAY_PARSE_TIMEOUT``), a memory budget (``SOTAY_PARSE_MEMORY_MB``) and a size budget of the
   text (``SOTAY_MAX_DOCUMENT_CHARS``) — service/index/worker.py.

The file name is only a label: :func:`display_name` reduces it to a short, printable name; it is
never used as a path. Every refusal is a :class:`UserError` with a Vietnamese message and the
reader's code: 413 ``too_large``; 415 ``unsupported`` / ``binary``; 409 ``replace_required``; 422 for
content that is unreadable (``empty``, ``corrupt``, ``encrypted``, ``no_text_layer``,
``legacy_encoding``, ``front_matter``) or takes too long to parse (``too_slow``).
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

# The other codes (the reader's, parse_failed, too_slow): 422. replace_required: the file would replace
# a document from another file or change its access, and the caller did not say replace=true.
STATUS = {"too_large": 413, "unsupported": 415, "binary": 415, "replace_required": 409}


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


def screen_upload(data: bytes, filename: str | None, limits: UploadLimits) -> str:
    """The cheap checks of an upload, here in the service: its size, its type, the zip directory.
    Returns the name to read it under (its display name with the suffix of its real type); a
    UserError says why not (nothing is stored)."""
    name = display_name(filename)
    if len(data) > limits.max_bytes:  # the route reads one byte past the limit, no more
        raise refuse("too_large", f"Tệp '{name}' lớn hơn giới hạn {limits.max_bytes // _MB} MB cho mỗi tệp tải lên.")
    if not data.strip():
        raise refuse("empty", f"Tệp '{name}' trống, không có nội dung văn bản.")
    return _with_suffix(name, sniff(data, name, limits))


def validate_upload(data: bytes, filename: str | None, limits: UploadLimits) -> RawDocument:
    """An upload's bytes → a read document, or a UserError saying why not (nothing is stored)."""
    name = screen_upload(data, filename, limits)
    try:
        return read_bytes(data, name, max_pdf_pages=limits.max_pages)
    except ReadError as e:
        raise refuse(e.code, e.message) from None


def ingest_upload(kb: KnowledgeBase, data: bytes, filename: str | None, limits: UploadLimits, *,
                  access: str | None = None, replace: bool = False) -> IngestItem:
    """Screen here, then read, parse and store through the knowledge base (reading and parsing run in
    its upload worker, a separate process). Every refusal raises a UserError before the store is
    written, and is counted as an ingest error."""
    try:
        name = screen_upload(data, filename, limits)
    except UserError as e:
        kb.report(IngestItem(display_name(filename), "error", code=e.code, error=e.message))
        raise
    item = kb.ingest_bytes(data, name, access=access, replace=replace, max_pdf_pages=limits.max_pages,
                           how="replace=true")
    if item.status == "error":
        err = refuse(item.code or "parse_failed", item.error or f"Không phân tích được tệp '{name}'.")
        err.replaced = item.replaced  # a refused replacement's before and after, for the audit line
        raise err
    return item


__all__ = ["UploadLimits", "display_name", "sniff", "check_zip", "screen_upload", "validate_upload", "ingest_upload"]
