"""Read a document file into plain Unicode text: `.txt`, `.md` (YAML front matter), `.docx`, `.pdf`
(text layer, or OCR for a scan), and `.doc` / `.odt` / `.rtf` (converted by LibreOffice).

Pure: bytes in, `RawDocument` out. No storage, no network; `read_bytes` never opens a file of
ours (the file name is only used for its suffix and in messages; converters and OCR work on
private temporary copies).

What every reader guarantees about `RawDocument.text`:
- Unicode NFC; no BOM, no zero-width / bidi control characters, no NUL or other C0/C1 controls
  except "\\t" and "\\n";
- line breaks are "\\n" only ("\\r\\n", "\\r", "\\v", "\\f", U+0085, U+2028, U+2029 all become "\\n"), so
  `text.splitlines()` and `text.split("\\n")` agree and character offsets are stable;
- lines otherwise as in the source: nothing is reflowed, de-hyphenated or un-emphasised (the
  structure parser does the repairs);
- text typed in a legacy Vietnamese encoding (TCVN3, VNI, VISCII, Windows-1258) converted to
  Unicode (`encodings`); `RawDocument.provenance` says which, and whether the text was recognised
  from page images (OCR) or converted from another format.

Everything that goes wrong is a `ReadError` with a machine `code` and a one- or two-sentence
Vietnamese `message` naming the file. Codes: unsupported, unreadable, empty, too_large, binary,
legacy_encoding, front_matter, corrupt, encrypted, no_text_layer, unavailable (a tool the format
needs is not installed), ocr_failed.

One module per format: text (.txt/.md), docx, pdf (+ ocr), office (.doc/.odt/.rtf); encodings
(legacy code pages) and archive (zip packages read within limits) are shared.
"""
from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Iterator

from . import ocr, office
from .base import (MAX_FILE_BYTES, Provenance, RawDocument, ReadError, describe_content, empty, hidden, source_name,
                   suffix_of, too_big)
from .docx import read_docx
from .pdf import read_pdf
from .text import read_text

__all__ = [
    "SUPPORTED_SUFFIXES",
    "READER_VERSION",
    "RawDocument",
    "Provenance",
    "ReadError",
    "read_bytes",
    "read_path",
    "iter_sources",
    "describe_content",
    "missing_tools",
]

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".doc", ".odt", ".rtf")
# Bump when a reader's output for the same bytes changes: stored files are then read again.
READER_VERSION = "3"  # 3: a PDF text layer's small-font footnote markers come out as superscripts
CONVERTED = (".doc", ".odt", ".rtf")

_SUFFIX_HINTS = {
    ".htm": "Hãy lưu nội dung dưới dạng .txt.",
    ".html": "Hãy lưu nội dung dưới dạng .txt.",
    ".png": "Đây là ảnh: hãy quét thành PDF (máy chủ nhận dạng chữ trong PDF quét).",
    ".jpg": "Đây là ảnh: hãy quét thành PDF (máy chủ nhận dạng chữ trong PDF quét).",
    ".jpeg": "Đây là ảnh: hãy quét thành PDF (máy chủ nhận dạng chữ trong PDF quét).",
    ".tif": "Đây là ảnh: hãy quét thành PDF (máy chủ nhận dạng chữ trong PDF quét).",
    ".tiff": "Đây là ảnh: hãy quét thành PDF (máy chủ nhận dạng chữ trong PDF quét).",
    ".xls": "Bảng tính không phải văn bản; hãy chép nội dung sang .docx.",
    ".xlsx": "Bảng tính không phải văn bản; hãy chép nội dung sang .docx.",
    ".zip": "Hãy giải nén rồi nạp từng tệp (hoặc tải tệp .zip lên qua API).",
}


def _unsupported(source: str, suffix: str) -> ReadError:
    what = f"định dạng {suffix}" if suffix else "không có phần mở rộng"
    hint = _SUFFIX_HINTS.get(suffix, "")
    msg = f"Tệp '{source}' không được hỗ trợ ({what}); chỉ nhận {', '.join(SUPPORTED_SUFFIXES)}."
    return ReadError(source, "unsupported", f"{msg} {hint}".strip())


# --------------------------------------------------------------------------------------------
# entry points


def read_bytes(data: bytes, filename: str, *, max_pdf_pages: int = 500, ocr: bool = True) -> RawDocument:
    """Read an uploaded file's content. `filename` only names it (suffix, messages): directories in
    it are dropped ("../../etc/passwd.txt" → "passwd.txt") and it is never opened. `ocr=False`:
    a scanned PDF is refused (no_text_layer) instead of recognised."""
    from .base import finish

    source = source_name(filename)
    data = bytes(data)
    suffix = suffix_of(source)
    if suffix not in SUPPORTED_SUFFIXES:
        raise _unsupported(source, suffix)
    if len(data) > MAX_FILE_BYTES:
        raise too_big(source, len(data))
    if not data.strip():
        raise empty(source)
    fmt = suffix[1:]
    if fmt in ("txt", "md"):
        return read_text(data, source, fmt)
    if fmt == "pdf":
        text, provenance = read_pdf(data, source, max_pdf_pages, use_ocr=ocr)
        text, legacy = finish(source, text)
        return RawDocument(source, fmt, text, {}, replace(provenance, legacy_encodings=legacy))
    converted_from = None
    if suffix in CONVERTED:
        real = office.check_content(data, source, fmt)
        if real != "docx":
            data = office.to_docx(data, source, real)
            converted_from = real
    text, legacy = read_docx(data, source)
    text, legacy = finish(source, text, legacy)
    return RawDocument(source, fmt, text, {}, Provenance(converted_from=converted_from, legacy_encodings=legacy))


def read_path(path: str | os.PathLike, *, max_pdf_pages: int = 500, ocr: bool = True) -> RawDocument:
    """Read a file from disk. Missing, unreadable, a directory or a special file → ReadError."""
    p = Path(os.fspath(path))
    source = source_name(p.name)
    suffix = suffix_of(source)
    if suffix not in SUPPORTED_SUFFIXES:
        raise _unsupported(source, suffix)
    try:
        st = p.stat()
        if stat.S_ISDIR(st.st_mode):
            raise ReadError(source, "unreadable", f"'{source}' là một thư mục, không phải tệp.")
        if not stat.S_ISREG(st.st_mode):
            raise ReadError(source, "unreadable", f"'{source}' không phải tệp thông thường nên không đọc được.")
        if st.st_size > MAX_FILE_BYTES:
            raise too_big(source, st.st_size)
        with open(p, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except ReadError:
        raise
    except FileNotFoundError:
        raise ReadError(source, "unreadable", f"Không tìm thấy tệp '{source}'.") from None
    except IsADirectoryError:
        raise ReadError(source, "unreadable", f"'{source}' là một thư mục, không phải tệp.") from None
    except PermissionError:
        raise ReadError(source, "unreadable", f"Không có quyền đọc tệp '{source}'.") from None
    except (OSError, ValueError) as e:
        reason = getattr(e, "strerror", None) or type(e).__name__
        raise ReadError(source, "unreadable", f"Không đọc được tệp '{source}' ({reason}).") from None
    if len(data) > MAX_FILE_BYTES:
        raise too_big(source, len(data))
    return read_bytes(data, source, max_pdf_pages=max_pdf_pages, ocr=ocr)


def iter_sources(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """The files to ingest. A folder is walked recursively in sorted order and every regular file in
    it is yielded — one of a type we cannot read too, so that `read_path` reports it as refused with
    its reason instead of it being skipped in silence — except hidden files and folders (".name")
    and Office lock files ("~$name.docx"), which are not documents; symlinked folders are not
    followed. A path given explicitly is yielded as given, whatever it is (even missing). Each file
    is yielded once."""
    seen: set[str] = set()

    def once(p: Path) -> bool:
        try:
            key = os.path.realpath(p)
        except (OSError, ValueError):
            key = os.fspath(p)
        if key in seen:
            return False
        seen.add(key)
        return True

    for raw in paths:
        p = Path(os.fspath(raw))
        if not p.is_dir():
            if once(p):
                yield p
            continue
        found: list[tuple[tuple[str, ...], Path]] = []
        for dirpath, dirnames, filenames in os.walk(p, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if not hidden(d))
            for name in filenames:
                if hidden(name):
                    continue
                fp = Path(dirpath, name)
                if fp.is_file():
                    found.append((fp.relative_to(p).parts, fp))
        for _, fp in sorted(found, key=lambda t: t[0]):
            if once(fp):
                yield fp


def missing_tools() -> dict[str, list[str]]:
    """Formats whose external tool is not installed → the Debian packages they need."""
    out = {}
    if office.missing_tools():
        out[".doc/.odt/.rtf"] = office.missing_tools()
    if ocr.missing_tools():
        out[".pdf quét (OCR)"] = ocr.missing_tools()
    return out
