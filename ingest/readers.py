"""Read a document file into plain Unicode text: `.txt`, `.md` (YAML front matter), `.docx`, `.pdf`.

Pure: bytes in, `RawDocument` out. No storage, no network; `read_bytes` never touches the
filesystem (the file name is only used for its suffix and in messages).

What every reader guarantees about `RawDocument.text`:
- Unicode NFC; no BOM, no zero-width / bidi control characters, no NUL or other C0/C1 controls
  except "\\t" and "\\n";
- line breaks are "\\n" only ("\\r\\n", "\\r", "\\v", "\\f", U+0085, U+2028, U+2029 all become "\\n"), so
  `text.splitlines()` and `text.split("\\n")` agree and character offsets are stable;
- lines otherwise as in the source: nothing is reflowed, de-hyphenated or un-emphasised (the
  structure parser does the repairs).

Everything that goes wrong is a `ReadError` with a machine `code` and a one- or two-sentence
Vietnamese `message` naming the file. Codes: unsupported, unreadable, empty, too_large, binary,
legacy_encoding, front_matter, corrupt, encrypted, no_text_layer.

Legacy 8-bit Vietnamese encodings (TCVN3/ABC, VNI, Windows-1258) are refused, never guessed:
a mis-decoded document would produce wrong quotations. The same goes for text that was already
mis-converted ("TØnh ñy" — TCVN3 bytes read as Latin-1), in any format (old .docx files typed
in .VnTime fonts carry exactly that).
"""
from __future__ import annotations

import io
import os
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Iterable, Iterator

__all__ = [
    "SUPPORTED_SUFFIXES",
    "RawDocument",
    "ReadError",
    "read_bytes",
    "read_path",
    "iter_sources",
    "describe_content",
]

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf")

MAX_FILE_BYTES = 200 * 1024 * 1024  # any single input file
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024  # .docx: total declared uncompressed size
MAX_ZIP_ENTRIES = 10_000  # .docx: members in the package
MAX_ZIP_RATIO = 200  # .docx: uncompressed / compressed, checked past 10 MB (text XML packs ~5-30:1)
MAX_FRONT_MATTER_NODES = 10_000  # YAML values after alias expansion (alias bombs, cycles)

_MB = 1024 * 1024


@dataclass
class RawDocument:
    source: str  # the file name (no directories)
    format: str  # "txt" | "md" | "docx" | "pdf"
    text: str  # NFC body text (front matter removed); "\n" line breaks; lines as in the file
    front_matter: dict = field(default_factory=dict)  # .md/.txt YAML block; keys lower-case; dates as ISO strings


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
# entry points


def read_bytes(data: bytes, filename: str, *, max_pdf_pages: int = 500) -> RawDocument:
    """Read an uploaded file's content. `filename` only names it (suffix, messages): directories in
    it are dropped ("../../etc/passwd.txt" → "passwd.txt") and it is never opened."""
    source = _source_name(filename)
    data = bytes(data)
    suffix = _suffix(source)
    if suffix not in SUPPORTED_SUFFIXES:
        raise _unsupported(source, suffix)
    if len(data) > MAX_FILE_BYTES:
        raise _too_big(source, len(data))
    if not data.strip():
        raise _empty(source)
    fmt = suffix[1:]
    if fmt in ("txt", "md"):
        return _read_text(data, source, fmt)
    if fmt == "docx":
        return RawDocument(source, fmt, _read_docx(data, source), {})
    return RawDocument(source, fmt, _read_pdf(data, source, max_pdf_pages), {})


def read_path(path: str | os.PathLike, *, max_pdf_pages: int = 500) -> RawDocument:
    """Read a file from disk. Missing, unreadable, a directory or a special file → ReadError."""
    p = Path(os.fspath(path))
    source = _source_name(p.name)
    suffix = _suffix(source)
    if suffix not in SUPPORTED_SUFFIXES:
        raise _unsupported(source, suffix)
    try:
        st = p.stat()
        if stat.S_ISDIR(st.st_mode):
            raise ReadError(source, "unreadable", f"'{source}' là một thư mục, không phải tệp.")
        if not stat.S_ISREG(st.st_mode):
            raise ReadError(
                source, "unreadable", f"'{source}' không phải tệp thông thường nên không đọc được."
            )
        if st.st_size > MAX_FILE_BYTES:
            raise _too_big(source, st.st_size)
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
        raise _too_big(source, len(data))
    return read_bytes(data, source, max_pdf_pages=max_pdf_pages)


def iter_sources(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """The files to ingest. A folder is walked recursively in sorted order, keeping files with a
    supported suffix and skipping hidden files and folders (".name") and Office lock files
    ("~$name.docx"); symlinked folders are not followed. A path given explicitly is yielded as
    given, whatever it is (even missing or unsupported), so that `read_path` reports the problem
    by name instead of the file being silently ignored. Each file is yielded once."""
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
            dirnames[:] = sorted(d for d in dirnames if not _hidden(d))
            for name in filenames:
                if _hidden(name) or _suffix(name) not in SUPPORTED_SUFFIXES:
                    continue
                fp = Path(dirpath, name)
                if fp.is_file():
                    found.append((fp.relative_to(p).parts, fp))
        for _, fp in sorted(found, key=lambda t: t[0]):
            if once(fp):
                yield fp


# --------------------------------------------------------------------------------------------
# names, suffixes, common errors


def _source_name(filename: str) -> str:
    name = re.split(r"[\\/]", str(filename))[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")  # NUL, controls
    return unicodedata.normalize("NFC", name.strip())


def _suffix(name: str) -> str:
    base = name.rstrip(" .")  # "x.pdf." / "x.pdf " as Windows sees them
    return "." + base.rsplit(".", 1)[1].lower() if "." in base else ""


def _hidden(name: str) -> bool:
    return name.startswith(".") or name.startswith("~$")


_SUFFIX_HINTS = {
    ".doc": "Hãy mở bằng Word và lưu lại dưới dạng .docx.",
    ".rtf": "Hãy mở bằng Word và lưu lại dưới dạng .docx.",
    ".odt": "Hãy lưu lại dưới dạng .docx.",
    ".htm": "Hãy lưu nội dung dưới dạng .txt.",
    ".html": "Hãy lưu nội dung dưới dạng .txt.",
    ".png": "Đây là ảnh: hãy chạy OCR để có văn bản trước.",
    ".jpg": "Đây là ảnh: hãy chạy OCR để có văn bản trước.",
    ".jpeg": "Đây là ảnh: hãy chạy OCR để có văn bản trước.",
    ".tif": "Đây là ảnh: hãy chạy OCR để có văn bản trước.",
    ".tiff": "Đây là ảnh: hãy chạy OCR để có văn bản trước.",
}


def _unsupported(source: str, suffix: str) -> ReadError:
    what = f"định dạng {suffix}" if suffix else "không có phần mở rộng"
    hint = _SUFFIX_HINTS.get(suffix, "")
    msg = f"Tệp '{source}' không được hỗ trợ ({what}); chỉ nhận .txt, .md, .docx, .pdf."
    return ReadError(source, "unsupported", f"{msg} {hint}".strip())


def _empty(source: str, detail: str = "") -> ReadError:
    return ReadError(source, "empty", f"Tệp '{source}' trống, không có nội dung văn bản{detail}.")


def _too_big(source: str, size: int) -> ReadError:
    return ReadError(
        source,
        "too_large",
        f"Tệp '{source}' quá lớn ({size // _MB} MB, giới hạn {MAX_FILE_BYTES // _MB} MB).",
    )


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
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_OOXML = "EncryptedPackage".encode("utf-16-le")


def _is_pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]


def _is_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def describe_content(data: bytes) -> str | None:
    """What a file's content looks like ("tệp PDF", "ảnh PNG", "tệp Word (.docx)"…), in Vietnamese, or None."""
    return _describe(data)


def _describe(data: bytes) -> str | None:
    """What the content looks like, in Vietnamese, or None."""
    head = data[:16]
    if data.startswith(b"%PDF-"):
        return "tệp PDF"
    if _is_zip(data):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist()[:MAX_ZIP_ENTRIES])
                mimetype = z.read("mimetype")[:100] if "mimetype" in names else b""
        except Exception:
            return "tệp nén ZIP"
        if "word/document.xml" in names:
            return "tệp Word (.docx)"
        if "xl/workbook.xml" in names:
            return "bảng tính Excel (.xlsx)"
        if "ppt/presentation.xml" in names:
            return "bản trình chiếu PowerPoint (.pptx)"
        if b"opendocument" in mimetype:
            return "tệp OpenDocument (.odt/.ods)"
        return "tệp nén ZIP"
    if head.startswith(_OLE2):
        if _ENCRYPTED_OOXML in data:
            return "tệp Office được đặt mật khẩu"
        return "tệp Word/Office đời cũ (.doc)"
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


def _wrong_content(source: str, desc: str, expected: str) -> str:
    """The message for a file whose content is `desc` although its suffix promised `expected`."""
    hint = ""
    if desc.startswith("ảnh"):
        hint = " Hãy chạy OCR để có văn bản trước."
    elif desc == "tệp PDF":
        hint = " Hãy đổi phần mở rộng thành .pdf."
    elif desc == "tệp Word (.docx)":
        hint = " Hãy đổi phần mở rộng thành .docx."
    elif desc in ("tệp Word/Office đời cũ (.doc)", "tệp RTF (định dạng Word cũ)", "tệp OpenDocument (.odt/.ods)"):
        hint = " Hãy mở bằng Word và lưu lại dưới dạng .docx."
    return f"Tệp '{source}' không phải {expected} mà là {desc}.{hint}"


# --------------------------------------------------------------------------------------------
# text normalisation shared by every format

_LINE_BREAKS = re.compile(r"\r\n?|[\v\f\x85\u2028\u2029]")
_INVISIBLE = re.compile(
    "[\ufeff\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069"  # BOM, zero-width, bidi controls
    "\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f"  # C0/C1 controls (not \t \n)
    "\ud800-\udfff\ufffe\uffff]"  # lone surrogates, non-characters
)


def _clean(text: str) -> str:
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    return unicodedata.normalize("NFC", text)


# Mojibake: text of an old 8-bit Vietnamese code page (TCVN3, VNI) read as Latin-1 / Windows-1252
# and stored as Unicode. Real Vietnamese has letters outside Latin-1 in almost every word (ư ơ đ ă
# ĩ ũ and U+1EA0–U+1EF9); mojibake has none and is full of Latin-1 letters Vietnamese never uses.
_VI_LATIN1 = set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
_BENIGN_LATIN1 = set("\u00a0«»°§±·×÷²³¹¼½¾©µ¶")
_FOREIGN_RE = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in range(0x80, 0x100)
                  if chr(c) not in _VI_LATIN1 and chr(c) not in _BENIGN_LATIN1) + "]"
)
_VI_STRONG_RE = re.compile("[ĂăĐđĨĩŨũƠơƯư\u1ea0-\u1ef9]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_FOREIGN_WORD_RE = re.compile(r"\S*" + _FOREIGN_RE.pattern + r"\S*")


def _mojibake_sample(text: str) -> str | None:
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


def _checked(source: str, text: str) -> str:
    """Final checks on extracted, cleaned text: not empty, not mojibake."""
    if not text.strip():
        raise _empty(source)
    sample = _mojibake_sample(text)
    if sample is not None:
        raise ReadError(
            source,
            "legacy_encoding",
            f"Tệp '{source}' chứa chữ bị lỗi mã (ví dụ \u201c{sample}\u201d): văn bản gõ bằng bảng mã cũ "
            "(TCVN3/VNI) đã bị chuyển sai sang Unicode. Hãy chuyển mã đúng từ TCVN3/VNI sang Unicode "
            "(ví dụ bằng công cụ chuyển mã của Unikey) rồi nạp lại.",
        )
    return text


# --------------------------------------------------------------------------------------------
# .txt / .md

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_C0_BAD = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_C0_BAD_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def _decode_text(data: bytes, source: str) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError:
                if codec == "utf-8":
                    break  # a UTF-8 BOM on non-UTF-8 bytes: classify below
                raise ReadError(
                    source,
                    "corrupt",
                    f"Tệp '{source}' có dấu BOM {codec.upper()[:6]} nhưng nội dung không giải mã được; "
                    "hãy lưu lại dưới dạng Unicode UTF-8.",
                ) from None
            return _clean_raw_controls(text, source)
    desc = _describe(data)
    if desc is not None:
        raise ReadError(source, "binary", _wrong_content(source, desc, "tệp văn bản"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _clean_raw_controls(text, source)
    # Not UTF-8: binary junk, or an old 8-bit Vietnamese code page. Never guess-decode.
    if b"\x00" in data:
        even, odd = data[0::2], data[1::2]
        if len(data) >= 8 and (even.count(0) > 0.3 * len(even)) != (odd.count(0) > 0.3 * len(odd)):
            raise ReadError(
                source,
                "binary",
                f"Tệp '{source}' có vẻ là văn bản UTF-16 nhưng thiếu dấu BOM; "
                "hãy lưu lại dưới dạng Unicode UTF-8.",
            )
        raise _binary(source)
    if len(data) - len(data.translate(None, _C0_BAD)) > 0.1 * len(data):
        raise _binary(source)
    raise ReadError(
        source,
        "legacy_encoding",
        f"Tệp '{source}' không phải Unicode UTF-8: có vẻ được gõ bằng bảng mã tiếng Việt cũ "
        "(TCVN3/VNI/Windows-1258). Hãy chuyển sang Unicode UTF-8 (ví dụ bằng công cụ chuyển mã "
        "của Unikey) rồi nạp lại.",
    )


def _binary(source: str) -> ReadError:
    return ReadError(source, "binary", f"Tệp '{source}' không phải tệp văn bản (chứa dữ liệu nhị phân).")


def _clean_raw_controls(text: str, source: str) -> str:
    """Valid UTF-8 may still be binary (NULs, control bytes): refuse if there are many."""
    bad = _C0_BAD_RE.subn("", text)[1]
    if bad and bad > 0.02 * len(text):
        raise _binary(source)
    return _clean(text)


_FM_OPEN = re.compile(r"---[ \t]*\n")
_FM_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)
_FM_KEYLIKE = re.compile(r"\s*[\w\"'-][^\n:]*:(\s|$)")


def _read_text(data: bytes, source: str, fmt: str) -> RawDocument:
    """.txt and .md alike: an opening YAML front matter block ("---" … "---") is metadata, whatever
    the suffix (offices save the same file as either)."""
    text = _decode_text(data, source)
    front: dict = {}
    opening = _FM_OPEN.match(text)
    if opening:
        close = _FM_CLOSE.search(text, opening.end())
        if close is None:
            if _FM_KEYLIKE.match(text, opening.end()):
                raise ReadError(
                    source,
                    "front_matter",
                    f"Phần đầu YAML (front matter) của tệp '{source}' mở bằng '---' nhưng không có "
                    "dòng '---' đóng lại.",
                )
        else:
            front = _parse_front_matter(text[opening.end():close.start()], source)
            body_start = close.end() + 1 if close.end() < len(text) else close.end()
            text = text[body_start:]
    if not text.strip():
        raise _empty(source, " (chỉ có phần front matter)" if front else "")
    return RawDocument(source, fmt, _checked(source, text), front)


def _parse_front_matter(block: str, source: str) -> dict:
    import yaml

    def bad(detail: str) -> ReadError:
        return ReadError(
            source,
            "front_matter",
            f"Phần đầu YAML (front matter) của tệp '{source}' {detail}. Hãy sửa lại theo dạng "
            "'khóa: giá trị'.",
        )

    try:
        value = yaml.safe_load(block)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f" ở dòng {mark.line + 2}" if mark is not None else ""
        raise bad(f"bị lỗi cú pháp{where}") from None
    except Exception:
        raise bad("bị lỗi cú pháp") from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise bad("không ở dạng các cặp khóa – giá trị")
    budget = [MAX_FRONT_MATTER_NODES]

    def norm(v: Any, depth: int = 0) -> Any:
        budget[0] -= 1
        if budget[0] < 0 or depth > 50:
            raise bad("quá lớn, lồng quá sâu hoặc tự tham chiếu")
        if isinstance(v, (datetime, date, time)):
            return v.isoformat()
        if isinstance(v, str):
            return _clean(v)
        if isinstance(v, dict):
            return {_key(k): norm(x, depth + 1) for k, x in v.items()}
        if isinstance(v, (list, tuple, set, frozenset)):
            return [norm(x, depth + 1) for x in v]
        if v is None or isinstance(v, (bool, int, float)):
            return v
        return _clean(str(v))

    def _key(k: Any) -> str:
        k = k.isoformat() if isinstance(k, (datetime, date, time)) else str(k)
        return _clean(k).strip().lower()

    return norm(value)


# --------------------------------------------------------------------------------------------
# .docx

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_WRAPPERS = {"sdt", "sdtContent", "customXml", "smartTag", "ins", "moveTo", "hyperlink", "fldSimple", "r", "dir", "bdo"}
_SKIP = {"pPr", "rPr", "sectPr", "del", "moveFrom", "instrText", "delText", "delInstrText", "fldData"}


def _wq(name: str) -> str:
    return f"{{{_W}}}{name}"


def _local(el: Any) -> tuple[str | None, str]:
    tag = el.tag
    if not isinstance(tag, str):  # comments, processing instructions
        return None, ""
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return None, tag


def _read_docx(data: bytes, source: str) -> str:
    def corrupt(detail: str = "") -> ReadError:
        return ReadError(
            source,
            "corrupt",
            f"Tệp '{source}' bị hỏng hoặc không phải tệp Word .docx hợp lệ{detail}; "
            "hãy mở bằng Word và lưu lại.",
        )

    if not _is_zip(data):
        desc = _describe(data)
        if desc == "tệp Office được đặt mật khẩu":
            raise ReadError(
                source, "encrypted", f"Tệp '{source}' được đặt mật khẩu; hãy gỡ mật khẩu rồi nạp lại."
            )
        if desc is not None:
            raise ReadError(source, "corrupt", _wrong_content(source, desc, "tệp Word .docx"))
        raise corrupt(" (không phải gói ZIP của Office)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except Exception:
        raise corrupt(" (gói ZIP bị cắt cụt hoặc hỏng)") from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ReadError(
            source,
            "too_large",
            f"Tệp '{source}' chứa quá nhiều thành phần ({len(infos)}, giới hạn {MAX_ZIP_ENTRIES}); "
            "không đọc để tránh tệp nén độc hại.",
        )
    total = sum(max(i.file_size, 0) for i in infos)
    if total > MAX_ZIP_UNCOMPRESSED:
        raise ReadError(
            source,
            "too_large",
            f"Tệp '{source}' khi giải nén lớn {total // _MB} MB, vượt giới hạn "
            f"{MAX_ZIP_UNCOMPRESSED // _MB} MB; không đọc để tránh tệp nén độc hại.",
        )
    packed = max(sum(max(i.compress_size, 0) for i in infos), 1)
    if total > 10 * _MB and total > MAX_ZIP_RATIO * packed:
        raise ReadError(
            source,
            "too_large",
            f"Tệp '{source}' có tỉ lệ nén bất thường ({total // packed}:1, giới hạn {MAX_ZIP_RATIO}:1); "
            "không đọc để tránh tệp nén độc hại.",
        )
    try:
        import docx  # python-docx

        document = docx.Document(io.BytesIO(data))
    except Exception:
        desc = _describe(data)
        if desc not in (None, "tệp nén ZIP", "tệp Word (.docx)"):
            raise ReadError(source, "corrupt", _wrong_content(source, desc, "tệp Word .docx")) from None
        raise corrupt() from None
    try:
        parts = _docx_related_parts(document)
        reader = _DocxText(
            numbering=_Numbering.build(parts.get("numbering"), parts.get("styles")),
            notes={**_notes(parts.get("endnotes"), "endnote"), **_notes(parts.get("footnotes"), "footnote")},
        )
        lines: list[str] = []
        reader.blocks(document.element.body, lines, keep_empty=True)
    except ReadError:
        raise
    except Exception:
        raise corrupt() from None
    while lines and not lines[-1].strip():
        lines.pop()
    text = "\n".join(lines)
    if reader.note_lines:
        text = (text + "\n\n" if text.strip() else "") + "\n".join(reader.note_lines)
    return _checked(source, _clean(text))


def _docx_related_parts(document: Any) -> dict[str, bytes]:
    parts: dict[str, bytes] = {}
    for rel in document.part.rels.values():
        if rel.is_external:
            continue
        kind = rel.reltype.rsplit("/", 1)[-1]
        if kind in ("numbering", "styles", "footnotes", "endnotes") and kind not in parts:
            parts[kind] = rel.target_part.blob
    return parts


def _parse_xml(blob: bytes | None) -> Any:
    if not blob:
        return None
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)
    return etree.fromstring(blob, parser)


def _notes(blob: bytes | None, kind: str) -> dict[tuple[str, str], Any]:
    """(kind, id) → the w:footnote / w:endnote element, separators excluded."""
    root = _parse_xml(blob)
    if root is None:
        return {}
    out = {}
    for el in root.iter(_wq(kind)):
        if el.get(_wq("type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        nid = el.get(_wq("id"))
        if nid is not None:
            out[(kind, nid)] = el
    return out


class _DocxText:
    """Walks WordprocessingML in document order, producing one line per paragraph."""

    def __init__(self, numbering: "_Numbering | None", notes: dict[tuple[str, str], Any]):
        self.numbering = numbering
        self.notes = notes
        self.note_numbers: dict[tuple[str, str], int] = {}
        self.note_lines: list[str] = []

    def blocks(self, container: Any, lines: list[str], keep_empty: bool) -> None:
        for child in container:
            ns, name = _local(child)
            if ns == _W:
                if name == "p":
                    self.paragraph(child, lines, keep_empty)
                elif name == "tbl":
                    self.table(child, lines)
                elif name in _WRAPPERS:
                    self.blocks(child, lines, keep_empty)
            elif ns == _MC and name == "AlternateContent":
                chosen = _alternate(child)
                if chosen is not None:
                    self.blocks(chosen, lines, keep_empty)

    def table(self, tbl: Any, lines: list[str]) -> None:
        for tr in _children(tbl, "tr"):
            for tc in _children(tr, "tc"):
                self.blocks(tc, lines, keep_empty=False)

    def paragraph(self, p: Any, lines: list[str], keep_empty: bool, numbered: bool = True) -> None:
        buf: list[str] = []
        extra: list[str] = []
        self._inline(p, buf, extra)
        line = "".join(buf)
        if numbered and self.numbering is not None:
            label = self.numbering.label(p.find(_wq("pPr")))
            if label:
                line = label + line
        if keep_empty or line.strip():
            lines.append(line)
        lines.extend(extra)

    def _inline(self, el: Any, buf: list[str], extra: list[str]) -> None:
        for child in el:
            ns, name = _local(child)
            if ns == _W:
                if name == "t":
                    buf.append(child.text or "")
                elif name in ("tab", "ptab"):
                    buf.append("\t")
                elif name in ("br", "cr"):
                    buf.append("\n")
                elif name == "noBreakHyphen":
                    buf.append("-")
                elif name in ("footnoteReference", "endnoteReference"):
                    buf.append(self._marker(name[: -len("Reference")], child.get(_wq("id"))))
                elif name == "txbxContent":
                    self.blocks(child, extra, keep_empty=False)
                elif name in _SKIP:
                    continue
                else:
                    self._inline(child, buf, extra)
            elif ns == _MC:
                if name == "AlternateContent":
                    chosen = _alternate(child)
                    if chosen is not None:
                        self._inline(chosen, buf, extra)
            else:  # drawings, VML: only text boxes inside them matter
                self._inline(child, buf, extra)

    def _marker(self, kind: str, nid: str | None) -> str:
        key = (kind, nid or "")
        if key not in self.notes:
            return ""
        if key not in self.note_numbers:
            number = len(self.note_numbers) + 1
            self.note_numbers[key] = number
            parts: list[str] = []
            for p in self.notes[key].iter(_wq("p")):
                buf: list[str] = []
                self._inline(p, buf, [])
                piece = " ".join("".join(buf).split())
                if piece:
                    parts.append(piece)
            self.note_lines.append(f"({number}) {' '.join(parts)}".rstrip())
        return str(self.note_numbers[key]).translate(_SUPERSCRIPT)


def _alternate(el: Any) -> Any:
    choice = el.find(f"{{{_MC}}}Choice")
    return choice if choice is not None else el.find(f"{{{_MC}}}Fallback")


def _children(el: Any, name: str) -> Iterator[Any]:
    """Direct w:`name` children, looking through content-control / custom-XML wrappers."""
    for child in el:
        ns, local = _local(child)
        if ns == _W and local == name:
            yield child
        elif ns == _W and local in ("sdt", "sdtContent", "customXml", "ins", "moveTo"):
            yield from _children(child, name)


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def _letter(n: int) -> str:
    if n <= 0:
        return str(n)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format_number(n: int, fmt: str) -> str:
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letter(n).upper()
    if fmt == "lowerLetter":
        return _letter(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


@dataclass
class _Level:
    start: int
    fmt: str
    text: str | None
    suffix: str
    legal: bool


class _Numbering:
    """Word's automatic list numbering ("I.", "1.", "a)") is not in the paragraph text; render it,
    since the structure parser needs it. Best effort: any problem → no labels, never an error."""

    def __init__(self) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.styles: dict[str, tuple[str | None, str | None, str | None]] = {}  # id → numId, ilvl, basedOn
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()

    @classmethod
    def build(cls, numbering_xml: bytes | None, styles_xml: bytes | None) -> "_Numbering | None":
        try:
            root = _parse_xml(numbering_xml)
            if root is None:
                return None
            self = cls()
            for an in root.iter(_wq("abstractNum")):
                levels = {}
                for lvl in an.iter(_wq("lvl")):
                    levels[int(lvl.get(_wq("ilvl"), "0"))] = _level(lvl)
                self.abstract[an.get(_wq("abstractNumId"), "")] = levels
            for num in root.iter(_wq("num")):
                aid = _val(num.find(_wq("abstractNumId")))
                overrides = {}
                for ov in num.iter(_wq("lvlOverride")):
                    so = _val(ov.find(_wq("startOverride")))
                    if so is not None:
                        overrides[int(ov.get(_wq("ilvl"), "0"))] = int(so)
                if aid is not None:
                    self.nums[num.get(_wq("numId"), "")] = (aid, overrides)
            sroot = _parse_xml(styles_xml)
            if sroot is not None:
                for st in sroot.iter(_wq("style")):
                    ppr = st.find(_wq("pPr"))
                    numpr = ppr.find(_wq("numPr")) if ppr is not None else None
                    nid = _val(numpr.find(_wq("numId"))) if numpr is not None else None
                    ilvl = _val(numpr.find(_wq("ilvl"))) if numpr is not None else None
                    based = _val(st.find(_wq("basedOn")))
                    self.styles[st.get(_wq("styleId"), "")] = (nid, ilvl, based)
            return self
        except Exception:
            return None

    def _style_numpr(self, style: str | None) -> tuple[str | None, str | None]:
        nid = ilvl = None
        for _ in range(20):  # basedOn chain
            if style is None or style not in self.styles:
                break
            s_nid, s_ilvl, based = self.styles[style]
            nid = nid if nid is not None else s_nid
            ilvl = ilvl if ilvl is not None else s_ilvl
            if nid is not None:
                break
            style = based
        return nid, ilvl

    def label(self, ppr: Any) -> str | None:
        try:
            return self._label(ppr)
        except Exception:
            return None

    def _label(self, ppr: Any) -> str | None:
        nid = ilvl = None
        if ppr is not None:
            numpr = ppr.find(_wq("numPr"))
            if numpr is not None:
                nid = _val(numpr.find(_wq("numId")))
                ilvl = _val(numpr.find(_wq("ilvl")))
            if nid is None:
                s_nid, s_ilvl = self._style_numpr(_val(ppr.find(_wq("pStyle"))))
                nid = s_nid
                ilvl = ilvl if ilvl is not None else s_ilvl
        if nid is None or nid not in self.nums:
            return None
        level_no = int(ilvl or 0)
        aid, overrides = self.nums[nid]
        levels = self.abstract.get(aid, {})
        level = levels.get(level_no)
        if level is None:
            return None
        counters = self.counters.setdefault(aid, {})
        if nid not in self.started:
            self.started.add(nid)
            for lv, start in overrides.items():
                counters[lv] = start - 1
                for deeper in [d for d in counters if d > lv]:
                    del counters[deeper]
        counters[level_no] = counters.get(level_no, level.start - 1) + 1
        for deeper in [d for d in counters if d > level_no]:
            del counters[deeper]
        if level.text is None:
            return None
        if level.fmt == "bullet":
            text = level.text
            if not text or any("\ue000" <= c <= "\uf8ff" for c in text):
                text = "•"
        else:

            def sub(m: re.Match) -> str:
                k = int(m.group(1)) - 1
                lv = levels.get(k)
                n = counters.get(k, lv.start if lv else 1)
                fmt = "decimal" if level.legal else (lv.fmt if lv else "decimal")
                return "" if fmt == "none" else _format_number(n, fmt)

            text = re.sub(r"%([1-9])", sub, level.text)
        if not text.strip():
            return None
        return text + ("" if level.suffix == "nothing" else " ")


def _val(el: Any) -> str | None:
    return None if el is None else el.get(_wq("val"))


def _level(lvl: Any) -> _Level:
    start = _val(lvl.find(_wq("start")))
    return _Level(
        start=int(start) if start is not None else 0,
        fmt=_val(lvl.find(_wq("numFmt"))) or "decimal",
        text=_val(lvl.find(_wq("lvlText"))),
        suffix=_val(lvl.find(_wq("suff"))) or "tab",
        legal=lvl.find(_wq("isLgl")) is not None,
    )


# --------------------------------------------------------------------------------------------
# .pdf


def _read_pdf(data: bytes, source: str, max_pages: int) -> str:
    if not _is_pdf(data):
        desc = _describe(data)
        if desc is not None:
            raise ReadError(source, "corrupt", _wrong_content(source, desc, "tệp PDF"))
        raise ReadError(
            source, "corrupt", f"Tệp '{source}' không phải tệp PDF hợp lệ (thiếu phần đầu %PDF-)."
        )

    def corrupt(detail: str = "") -> ReadError:
        return ReadError(
            source, "corrupt", f"Tệp '{source}' bị hỏng, không đọc được nội dung PDF{detail}."
        )

    def encrypted(detail: str = "") -> ReadError:
        return ReadError(
            source,
            "encrypted",
            f"Tệp '{source}' được đặt mật khẩu{detail}; hãy gỡ mật khẩu rồi nạp lại.",
        )

    try:
        from pypdf import PdfReader
        from pypdf.errors import DependencyError

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except DependencyError:
                raise encrypted(" (kiểu mã hóa AES cần thư viện cryptography)") from None
            if not ok:
                raise encrypted()
        n_pages = len(reader.pages)
    except ReadError:
        raise
    except Exception:
        raise corrupt() from None
    if n_pages > max_pages:
        raise ReadError(
            source, "too_large", f"Tệp '{source}' có {n_pages} trang, vượt giới hạn {max_pages} trang."
        )
    if n_pages == 0:
        raise _empty(source, " (PDF không có trang nào)")
    pages: list[str] = []
    for i in range(n_pages):
        try:
            page_text = reader.pages[i].extract_text() or ""
        except Exception:
            raise corrupt(f" (trang {i + 1})") from None
        page_text = _clean(page_text).strip("\n")
        if page_text.strip():
            pages.append(page_text)
    text = "\n\n".join(pages)
    visible = [c for c in text if not c.isspace()]
    if not visible:
        raise ReadError(
            source,
            "no_text_layer",
            f"Tệp '{source}' không có lớp văn bản (PDF quét ảnh?) — hãy dùng bản có văn bản hoặc "
            "chạy OCR trước.",
        )
    garbled = sum(1 for c in visible if "\ue000" <= c <= "\uf8ff" or c == "\ufffd")
    if garbled > 0.5 * len(visible):
        raise ReadError(
            source,
            "no_text_layer",
            f"Lớp văn bản của tệp '{source}' không giải mã được (phông chữ không có bảng mã Unicode) — "
            "hãy dùng bản khác hoặc chạy OCR trước.",
        )
    return _checked(source, text)
