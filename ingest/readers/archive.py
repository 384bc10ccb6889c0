"""Zip packages (.docx, .odt, a .zip of documents) read without trusting what they declare.

Python's zipfile trusts a member's declared size: it inflates a deflate member up to 1 GiB per read
call and a bzip2 member without any limit before cutting the result to the declared size, so a
2 KB .docx whose `word/document.xml` declares 1 KB but inflates to 1 GiB takes gigabytes of memory.
Here zipfile only parses the central directory (bounded by the file's size); every member is
inflated by our own loop over `zlib`/`bz2` decompressors with `max_length`, which counts the bytes
actually produced and stops one byte past the allowed size, whatever the zip says. A member that
inflates to more (or less) than it declares, or whose CRC is wrong, is refused.
"""
from __future__ import annotations

import bz2
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

from .base import ReadError

_MB = 1024 * 1024

# Limits of one package. Each trades the largest honest document we accept against the memory a
# hostile one may make us spend; a real .docx has a few dozen parts and a text part of a few MB.
MAX_ENTRIES = 10_000  # members in one package
MAX_DECLARED_TOTAL = 200 * _MB  # sum of declared uncompressed sizes (checked before inflating anything)
MAX_RATIO = 200  # declared uncompressed / compressed, checked past RATIO_FLOOR (text XML packs ~5-30:1)
RATIO_FLOOR = 10 * _MB
MAX_MEMBER_BYTES = 64 * _MB  # the most one member may really inflate to (a 2,000-page document.xml is ~40 MB)
MAX_INFLATED_TOTAL = 128 * _MB  # the most all members read from one package may really inflate to
_INPUT_CHUNK = 64 * 1024  # compressed bytes fed to the decompressor at a time

_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # zipfile's structFileHeader (30 bytes)
_STORED, _DEFLATED, _BZIP2 = zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2


@dataclass(frozen=True)
class Limits:
    max_entries: int = MAX_ENTRIES
    max_declared_total: int = MAX_DECLARED_TOTAL
    max_ratio: int = MAX_RATIO
    ratio_floor: int = RATIO_FLOOR
    max_member: int = MAX_MEMBER_BYTES
    max_total: int = MAX_INFLATED_TOTAL


class _TooBig(Exception):
    pass


class SafeZip:
    """A zip package in memory: its directory checked on opening, its members inflated on demand
    within `limits`. Errors are `ReadError`s naming `source`:
    corrupt (not a zip, truncated, bad CRC, size not as declared), encrypted, too_large."""

    def __init__(self, data: bytes, source: str, limits: Limits = Limits(), *, what: str = "tệp nén"):
        self.data = data
        self.source = source
        self.limits = limits
        self.what = what  # how messages name the package ("tệp Word .docx", "tệp nén ZIP")
        self.inflated = 0  # bytes really produced so far, across members
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                infos = zf.infolist()
        except Exception:
            raise self._corrupt(" (gói ZIP bị cắt cụt hoặc hỏng)") from None
        if len(infos) > limits.max_entries:
            raise ReadError(source, "too_large",
                            f"Tệp '{source}' chứa quá nhiều thành phần ({len(infos)}, giới hạn {limits.max_entries}); "
                            "không đọc để tránh tệp nén độc hại.")
        total = sum(max(i.file_size, 0) for i in infos)
        if total > limits.max_declared_total:
            raise ReadError(source, "too_large",
                            f"Tệp '{source}' khi giải nén lớn {total // _MB} MB, vượt giới hạn "
                            f"{limits.max_declared_total // _MB} MB; không đọc để tránh tệp nén độc hại.")
        packed = max(sum(max(i.compress_size, 0) for i in infos), 1)
        if total > limits.ratio_floor and total > limits.max_ratio * packed:
            raise ReadError(source, "too_large",
                            f"Tệp '{source}' có tỉ lệ nén bất thường ({total // packed}:1, giới hạn "
                            f"{limits.max_ratio}:1); không đọc để tránh tệp nén độc hại.")
        self.infos: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            self.infos.setdefault(info.filename, info)

    def names(self) -> list[str]:
        return list(self.infos)

    def __contains__(self, name: str) -> bool:
        return name in self.infos

    def read(self, name: str, limit: int | None = None) -> bytes:
        """A member's bytes, inflated within the limits. KeyError if there is no such member."""
        info = self.infos[name]
        cap = min(self.limits.max_member, self.limits.max_total - self.inflated)
        if limit is not None:
            cap = min(cap, limit)
        if info.flag_bits & 0x1:
            raise ReadError(self.source, "encrypted",
                            f"Tệp '{self.source}' được đặt mật khẩu; hãy gỡ mật khẩu rồi nạp lại.")
        if info.file_size > cap:
            raise self._too_big(name, info.file_size)
        raw = self._raw(info)
        try:
            out = _inflate(raw, info.compress_type, info.file_size, self)
        except _TooBig:
            raise self._too_big(name, None) from None
        except (zlib.error, OSError, EOFError, ValueError):
            raise self._corrupt(f" (thành phần {name} không giải nén được)") from None
        if len(out) != info.file_size or zlib.crc32(out) != info.CRC:
            raise self._corrupt(f" (thành phần {name} không khớp kích thước hoặc mã kiểm tra đã khai báo)")
        self.inflated += len(out)
        return out

    def _raw(self, info: zipfile.ZipInfo) -> memoryview:
        start = info.header_offset
        header = self.data[start:start + _LOCAL_HEADER.size]
        if len(header) < _LOCAL_HEADER.size:
            raise self._corrupt(" (gói ZIP bị cắt cụt)")
        fields = _LOCAL_HEADER.unpack(header)
        if fields[0] != b"PK\x03\x04":
            raise self._corrupt(" (phần đầu thành phần ZIP sai)")
        begin = start + _LOCAL_HEADER.size + fields[10] + fields[11]  # + name length + extra length
        return memoryview(self.data)[begin:begin + info.compress_size]

    def _corrupt(self, detail: str) -> ReadError:
        return ReadError(self.source, "corrupt",
                         f"Tệp '{self.source}' bị hỏng hoặc không phải {self.what} hợp lệ{detail}.")

    def _too_big(self, name: str, declared: int | None) -> ReadError:
        size = f" ({declared // _MB} MB)" if declared is not None else ""
        return ReadError(self.source, "too_large",
                         f"Thành phần {name} của tệp '{self.source}' khi giải nén lớn hơn giới hạn{size} hoặc lớn "
                         "hơn kích thước đã khai báo; không đọc để tránh tệp nén độc hại.")


def _inflate(raw: memoryview, method: int, declared: int, zf: SafeZip) -> bytes:
    """Inflate `raw`, producing at most one byte past what is allowed (then _TooBig)."""
    cap = min(declared, zf.limits.max_member, zf.limits.max_total - zf.inflated)
    if method == _STORED:
        if len(raw) > cap:
            raise _TooBig
        return bytes(raw)
    if method not in (_DEFLATED, _BZIP2):
        raise ValueError(f"compression method {method}")
    out = bytearray()
    pos = 0
    if method == _DEFLATED:
        d = zlib.decompressobj(-15)
        while True:
            room = cap + 1 - len(out)
            if d.unconsumed_tail:
                out += d.decompress(d.unconsumed_tail, room)
            elif pos < len(raw):
                out += d.decompress(raw[pos:pos + _INPUT_CHUNK], room)
                pos += _INPUT_CHUNK
            else:
                out += d.flush(room)  # what zlib still holds: at most its 32 KB window
                break
            if len(out) > cap:
                raise _TooBig
            if d.eof:
                break
    else:
        b = bz2.BZ2Decompressor()
        while not b.eof:
            room = cap + 1 - len(out)
            if b.needs_input:
                if pos >= len(raw):
                    raise EOFError("truncated bzip2 member")
                chunk = raw[pos:pos + _INPUT_CHUNK]
                pos += _INPUT_CHUNK
            else:
                chunk = b""
            out += b.decompress(chunk, room)
            if len(out) > cap:
                raise _TooBig
    if len(out) > cap:
        raise _TooBig
    return bytes(out)


def package_kind(data: bytes) -> str:
    """What a zip package holds, in Vietnamese ("tệp Word (.docx)", "tệp OpenDocument…", "tệp nén ZIP")."""
    from .base import DOCX, ODT, ZIP

    try:
        zf = SafeZip(data, "x")
    except ReadError:
        return ZIP
    names = zf.names()
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return "bảng tính Excel (.xlsx)"
    if "ppt/presentation.xml" in names:
        return "bản trình chiếu PowerPoint (.pptx)"
    if "mimetype" in names:
        try:
            mimetype = zf.read("mimetype", limit=200)
        except ReadError:
            mimetype = b""
        if mimetype.strip() == b"application/vnd.oasis.opendocument.text":
            return ODT
        if b"opendocument" in mimetype:
            return "tệp OpenDocument (.ods/.odp)"
    return ZIP


# --------------------------------------------------------------------------------------------
# a .zip of documents (an upload of a whole folder)

MAX_DOCUMENTS = 2_000  # files in one .zip of documents


@dataclass(frozen=True)
class Member:
    name: str  # the member's path inside the zip, "/"-separated, as a label (never a path of ours)
    data: bytes | None  # its bytes, or None when it could not be inflated (see `error`)
    error: ReadError | None = None


def iter_documents(data: bytes, source: str, limits: Limits = Limits()) -> list[Member]:
    """Every file of a .zip of documents, in name order, each inflated within `limits` (the package's
    total counts across them). Folders, hidden files ("._x", ".DS_Store", "__MACOSX/…") and Office
    lock files ("~$x.docx") are not documents and are passed over; every other member is listed,
    with its bytes or the error that stopped its inflation (the others are still read). Raises
    ReadError when the package itself is unusable (corrupt, too many members, declared too large)."""
    zf = SafeZip(data, source, limits, what="tệp nén ZIP")
    names = []
    for name, info in zf.infos.items():
        parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".", "..")]
        if info.is_dir() or not parts or any(p.startswith((".", "~$")) or p == "__MACOSX" for p in parts):
            continue
        names.append(name)
    if len(names) > MAX_DOCUMENTS:
        raise ReadError(source, "too_large", f"Tệp '{source}' chứa {len(names)} tệp, vượt giới hạn {MAX_DOCUMENTS} "
                                             "tệp một lần tải lên.")
    out = []
    for name in sorted(names, key=lambda n: n.replace("\\", "/").lower()):
        label = "/".join(p for p in name.replace("\\", "/").split("/") if p not in ("", ".", ".."))
        try:
            out.append(Member(label, zf.read(name)))
        except ReadError as e:
            out.append(Member(label, None, ReadError(label, e.code, e.message.replace(f"'{source}'", f"'{source}/{label}'"))))
    return out
