"""Validate an uploaded document before anything is stored (CONTRACT `POST /api/documents`).

The order is cheapest first, and nothing touches the store or the filesystem:
1. size (``SOTAY_UPLOAD_MAX_MB``, default 20 MB);
2. the type, from the content, not the name: ``%PDF-`` → PDF; a ZIP package holding
   ``word/document.xml`` → .docx, an OpenDocument text → .odt, any other ZIP → a folder of documents
   (below); an OLE2 Word file → .doc; ``{\\rtf`` → .rtf; anything else a known binary (images,
   spreadsheets, other archives) is refused; the rest is text (``.md`` when named so, else ``.txt``;
   either may open with a YAML front matter; legacy Vietnamese encodings are the reader's business);
3. zip-bomb guard: entry count, total declared size, compression ratio from the ZIP directory
   before anything is inflated; then every member is inflated by ``ingest.readers.archive``, which
   counts the bytes really produced and stops at the limit whatever the zip declares (Python's
   zipfile does not: it inflates a bzip2 member whole before cutting it to the declared size);
4. the reader (``ingest.readers.read_bytes``) with the PDF page limit (``SOTAY_UPLOAD_MAX_PAGES``),
   then the parser, in the knowledge base's upload worker: a separate process with a time budget
   (``SOTAY_PARSE_TIMEOUT``), a memory budget (``SOTAY_PARSE_MEMORY_MB``) and a size budget of the
   text (``SOTAY_MAX_DOCUMENT_CHARS``) — service/index/worker.py.

A ``.zip`` of documents (a folder sent at once) is answered with the same per-file report as
``sotay ingest DIR``: each member is checked and ingested like a single upload, and one it cannot
read is listed as ``error`` with its code and reason; only a package that cannot be opened at all is
refused as a whole.

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

from ingest.readers import RawDocument, ReadError, SUPPORTED_SUFFIXES, archive, describe_content, read_bytes
from ingest.readers.base import DOC, DOCX, ODT, OLE2_MAGIC, RTF, ZIP

from ..config import Settings
from ..knowledge import KnowledgeBase
from ..errors import UserError
from ..records import IngestItem, IngestReport

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
    """The format of an upload from its content: "pdf", "docx", "odt", "doc", "rtf", "zip" (a .zip of
    documents), "md" or "txt"; refuses the rest."""
    if b"%PDF-" in data[:1024]:  # as the PDF reader itself accepts it (junk before the header is common)
        return "pdf"
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        check_zip(data, name, limits)  # before anything reads a member
        desc = describe_content(data)
        formats = {DOCX: "docx", ODT: "odt", ZIP: "zip"}
        if desc in formats:
            return formats[desc]
        raise _not_a_document(name, desc or ZIP)
    desc = describe_content(data)
    if desc == DOC and data.startswith(OLE2_MAGIC):
        return "doc"
    if desc == RTF:
        return "rtf"
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
        hint = " Ảnh chụp văn bản: hãy quét thành PDF (máy chủ nhận dạng chữ trong PDF quét)."
    return refuse("unsupported", f"Tệp '{name}' là {desc}, không phải văn bản; chỉ nhận "
                                 f"{', '.join(SUPPORTED_SUFFIXES)} hoặc một tệp .zip chứa các tệp đó.{hint}")


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
    """The cheap checks of one document, here in the service: its size, its type, the zip directory.
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
                  access: str | None = None, replace: bool = False) -> IngestReport:
    """Screen here, then ingest — one document, or every document of a .zip — through the knowledge
    base, which reads and parses in its upload worker (a separate process). A refused single file
    raises (nothing is written); a .zip's refused members are listed in the report as errors. Every
    refusal counts as an ingest error."""
    name = display_name(filename)
    try:
        if len(data) <= limits.max_bytes and data.strip() and data[:4] in (b"PK\x03\x04", b"PK\x05\x06") \
                and sniff(data, name, limits) == "zip":
            return _ingest_zip(kb, data, name, limits, access, replace)
        screened = screen_upload(data, filename, limits)
    except UserError as e:
        kb.report(IngestItem(name, "error", code=e.code, error=e.message))
        raise
    item = kb.ingest_bytes(data, screened, access=access, replace=replace, max_pdf_pages=limits.max_pages,
                           how="replace=true")
    if item.status == "error":
        err = refuse(item.code or "parse_failed", item.error or f"Không phân tích được tệp '{screened}'.")
        err.replaced = item.replaced  # a refused replacement's before and after, for the audit line
        raise err
    return IngestReport([item])


def _ingest_zip(kb: KnowledgeBase, data: bytes, name: str, limits: UploadLimits,
                access: str | None, replace: bool) -> IngestReport:
    try:
        members = archive.iter_documents(data, name)
    except ReadError as e:
        raise refuse(e.code, e.message) from None
    if not members:
        raise refuse("empty", f"Tệp '{name}' không chứa tệp văn bản nào.")
    report = IngestReport()
    for member in members:
        label = display_name(member.name.replace("/", " - "))
        try:
            if member.error is not None:
                raise refuse(member.error.code, member.error.message)
            if member.data[:4] in (b"PK\x03\x04", b"PK\x05\x06") and sniff(member.data, label, limits) == "zip":
                raise refuse("unsupported", f"Tệp '{label}' trong '{name}' lại là một tệp nén; hãy giải nén trước.")
            screened = screen_upload(member.data, label, limits)
        except UserError as e:
            item = IngestItem(label, "error", error=e.message, code=e.code)
            kb.report(item)
            report.items.append(item)
            continue
        report.items.append(kb.ingest_bytes(member.data, screened, access=access, replace=replace,
                                            max_pdf_pages=limits.max_pages, how="replace=true"))
    return report


__all__ = ["UploadLimits", "display_name", "sniff", "check_zip", "screen_upload", "validate_upload", "ingest_upload"]
